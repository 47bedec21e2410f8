// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch of a vmlinux function that does not exist.
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
		.old_name = "klpx_no_such_function",
		.new_func = replacement,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init bad_missing_symbol_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit bad_missing_symbol_exit(void)
{
}

module_init(bad_missing_symbol_init);
module_exit(bad_missing_symbol_exit);
MODULE_DESCRIPTION("klpx bad-input test: a function that does not exist");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
