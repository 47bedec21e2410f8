// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Patch of a function in a module object: klpx_target_basic's message,
 * which /proc/klpx_target_basic shows, becomes "patched" whenever that
 * module is loaded, before or after this patch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static const char *patched_message(void)
{
	return "patched";
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_target_basic_message",
		.new_func = patched_message,
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

static int __init patch_module_obj_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit patch_module_obj_exit(void)
{
}

module_init(patch_module_obj_init);
module_exit(patch_module_obj_exit);
MODULE_DESCRIPTION("klpx patch of a function in the klpx_target_basic module");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
