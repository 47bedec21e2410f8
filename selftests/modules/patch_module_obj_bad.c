// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A broken patch for a module object: klpx_target_basic has no function
 * named klpx_target_basic_missing.  Symbols of a module object are looked
 * up only when the module is there, so the patch loads fine while the
 * module is absent, and the module's later load is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static const char *patched_missing(void)
{
	return "patched";
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_target_basic_missing",
		.new_func = patched_missing,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_basic",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init patch_module_obj_bad_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit patch_module_obj_bad_exit(void)
{
}

module_init(patch_module_obj_bad_init);
module_exit(patch_module_obj_bad_exit);
MODULE_DESCRIPTION("klpx patch naming a function its module object lacks");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
