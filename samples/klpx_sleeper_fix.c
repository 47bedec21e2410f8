// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_sleeper_fix: patches klpx_sleeper_nap() in the klpx_sleeper module.
 * The new version behaves the same and says so in /proc/klpx_sleeper
 * ("last nap by: klpx_sleeper_fix").
 *
 * Applied while the kthread is held inside the old function, the
 * transition waits for it, and `loader apply` names it with its stack.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/module.h>
#include <klpx/livepatch.h>
#include "klpx_sleeper.h"

static void fixed_klpx_sleeper_nap(struct klpx_sleeper *s)
{
	WRITE_ONCE(s->napping, true);
	wait_event_interruptible(s->wake, !READ_ONCE(s->held) || kthread_should_stop());
	s->naps++;
	s->last_nap_by = "klpx_sleeper_fix";
	WRITE_ONCE(s->napping, false);
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_sleeper_nap",
		.new_func = fixed_klpx_sleeper_nap,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_sleeper",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

/* As a cumulative patch, it replaces every patch loaded before it. */
static bool replace;
module_param(replace, bool, 0444);
MODULE_PARM_DESC(replace, "load as a cumulative (replace) patch");

static int __init klpx_sleeper_fix_init(void)
{
	patch.replace = replace;
	return klpx_enable_patch(&patch);
}

static void __exit klpx_sleeper_fix_exit(void)
{
}

module_init(klpx_sleeper_fix_init);
module_exit(klpx_sleeper_fix_exit);
MODULE_DESCRIPTION("klpx demo: patches klpx_sleeper_nap() in the klpx_sleeper module");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
