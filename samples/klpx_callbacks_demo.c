// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_callbacks_demo: the four callbacks of a patch, for vmlinux and for a
 * module (klpx_sleeper) that may load after the patch.
 *
 * Each callback logs "klpx_callbacks_demo: <callback> <object>" and leaves
 * its name in /sys/module/klpx_callbacks_demo/parameters/last_callback.
 * The klpx_sleeper object changes klpx_sleeper_nap(), so
 * /proc/klpx_sleeper shows "last nap by: klpx_callbacks_demo" once the
 * kthread naps again.  Loading with refuse=1 makes pre_patch fail with
 * -EBUSY: the engine then refuses the patch (or the module's load, for an
 * object that comes later).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/module.h>
#include <klpx/livepatch.h>
#include "klpx_sleeper.h"

static bool refuse;
module_param(refuse, bool, 0644);
MODULE_PARM_DESC(refuse, "make pre_patch fail, so the patch is refused (default N)");

static char last_callback[96] = "none";
module_param_string(last_callback, last_callback, sizeof(last_callback), 0444);
MODULE_PARM_DESC(last_callback, "the last callback that ran, and for which object");

static const char *object_name(struct klpx_object *obj)
{
	return obj->name ? obj->name : "vmlinux";
}

static void record(const char *callback, struct klpx_object *obj)
{
	snprintf(last_callback, sizeof(last_callback), "%s %s", callback, object_name(obj));
	pr_info("%s %s\n", callback, object_name(obj));
}

/* Before any function of obj changes: may refuse. */
static int demo_pre_patch(struct klpx_object *obj)
{
	if (refuse) {
		record("pre_patch(refusing)", obj);
		return -EBUSY;
	}
	record("pre_patch", obj);
	return 0;
}

/* Every task runs the new code of obj. */
static void demo_post_patch(struct klpx_object *obj)
{
	record("post_patch", obj);
}

/* Before the transition back starts. */
static void demo_pre_unpatch(struct klpx_object *obj)
{
	record("pre_unpatch", obj);
}

/* Every task runs the original code again; undo what pre_patch did. */
static void demo_post_unpatch(struct klpx_object *obj)
{
	record("post_unpatch", obj);
}

static void demo_klpx_sleeper_nap(struct klpx_sleeper *s)
{
	WRITE_ONCE(s->napping, true);
	wait_event_interruptible(s->wake, !READ_ONCE(s->held) || kthread_should_stop());
	s->naps++;
	s->last_nap_by = "klpx_callbacks_demo";
	WRITE_ONCE(s->napping, false);
}

static struct klpx_func no_funcs[] = { { } };

static struct klpx_func sleeper_funcs[] = {
	{
		.old_name = "klpx_sleeper_nap",
		.new_func = demo_klpx_sleeper_nap,
	}, { }
};

#define DEMO_CALLBACKS {				\
	.pre_patch = demo_pre_patch,			\
	.post_patch = demo_post_patch,			\
	.pre_unpatch = demo_pre_unpatch,		\
	.post_unpatch = demo_post_unpatch,		\
}

static struct klpx_object objs[] = {
	{
		.funcs = no_funcs,	/* vmlinux: callbacks only */
		.callbacks = DEMO_CALLBACKS,
	}, {
		.name = "klpx_sleeper",
		.funcs = sleeper_funcs,
		.callbacks = DEMO_CALLBACKS,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klpx_callbacks_demo_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit klpx_callbacks_demo_exit(void)
{
}

module_init(klpx_callbacks_demo_init);
module_exit(klpx_callbacks_demo_exit);
MODULE_DESCRIPTION("klpx demo: patch callbacks for vmlinux and for a module");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
