// SPDX-License-Identifier: GPL-2.0-or-later
/* Patch of klpx_target_stress_func(): its new version returns 2. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static int patched_stress_func(int arg)
{
	return arg ? 2 : 0;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_target_stress_func",
		.new_func = patched_stress_func,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_stress",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init patch_stress_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit patch_stress_exit(void)
{
}

module_init(patch_stress_init);
module_exit(patch_stress_exit);
MODULE_DESCRIPTION("klpx patch for the stress test");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
