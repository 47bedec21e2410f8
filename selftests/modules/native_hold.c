// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch for the kernel's OWN livepatch (no klpx): it replaces
 * klpx_target_sleep_in_func(), so the consistency target's klpx_sleeper
 * holds its transition.  Meanwhile klpx must refuse to start one of its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>

static void native_sleep_in_func(void)
{
}

static struct klp_func funcs[] = {
	{
		.old_name = "klpx_target_sleep_in_func",
		.new_func = native_sleep_in_func,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "klpx_target_consistency",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init native_hold_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit native_hold_exit(void)
{
}

module_init(native_hold_init);
module_exit(native_hold_exit);
MODULE_DESCRIPTION("Native livepatch of klpx_target_sleep_in_func, to hold a kernel transition");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
