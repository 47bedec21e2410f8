// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_demo_v3: third patch of the cumulative series, with a state.
 *
 * /proc/cmdline now counts its readers.  The counter lives in the data of
 * a klpx_state, so that a later cumulative patch declaring the same state
 * can take the counter over instead of starting again at zero.  The state
 * also guards against downgrades: v1 and v2 do not know it, so the engine
 * refuses to let either replace v3 ("not compatible with the already
 * installed livepatches").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <klpx/livepatch.h>

#define DEMO_STATE_CMDLINE_READS	1

struct demo_reads {
	atomic_long_t count;
};

/* Set by pre_patch, before the new function can run. */
static struct demo_reads *reads;

static int demo_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: /proc/cmdline is live patched, read %ld times\n",
		   THIS_MODULE->name, atomic_long_inc_return(&reads->count));
	return 0;
}

static struct klpx_patch patch;

static int demo_pre_patch(struct klpx_object *obj)
{
	struct klpx_state *state = klpx_get_state(&patch, DEMO_STATE_CMDLINE_READS);
	struct klpx_state *prev = klpx_get_prev_state(DEMO_STATE_CMDLINE_READS);

	if (prev && prev->data) {
		state->data = prev->data;
		pr_info("taking over the read counter\n");
	} else {
		state->data = kzalloc(sizeof(struct demo_reads), GFP_KERNEL);
		if (!state->data)
			return -ENOMEM;
		pr_info("read counter installed\n");
	}
	reads = state->data;
	return 0;
}

/* Runs only when v3 itself is disabled: a replacing patch takes the data. */
static void demo_post_unpatch(struct klpx_object *obj)
{
	struct klpx_state *state = klpx_get_state(&patch, DEMO_STATE_CMDLINE_READS);

	kfree(state->data);
	state->data = NULL;
	pr_info("read counter removed\n");
}

static struct klpx_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = demo_cmdline_proc_show,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.funcs = funcs,		/* no name: vmlinux */
		.callbacks = {
			.pre_patch = demo_pre_patch,
			.post_unpatch = demo_post_unpatch,
		},
	}, { }
};

static struct klpx_state states[] = {
	{
		.id = DEMO_STATE_CMDLINE_READS,
		.version = 1,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

static int __init klpx_demo_v3_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit klpx_demo_v3_exit(void)
{
}

module_init(klpx_demo_v3_init);
module_exit(klpx_demo_v3_exit);
MODULE_DESCRIPTION("klpx demo, cumulative v3: counts /proc/cmdline reads in a klpx_state");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
