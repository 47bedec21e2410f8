// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch of a function that was always inlined, so it has no symbol.
 * klpx must refuse it with one clear message and change nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static const char *replacement(void)
{
	return "patched";
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_target_inlined_func",
		.new_func = replacement,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_untraceable",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init bad_inlined_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit bad_inlined_exit(void)
{
}

module_init(bad_inlined_init);
module_exit(bad_inlined_exit);
MODULE_DESCRIPTION("klpx bad-input test: an inlined function");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
