// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A cumulative replace of bench_patch that changes only
 * bench_target_other(): the replace drops bench_target_call() and
 * bench_target_hold(), which go back to their original code, and the
 * engine then removes their ftrace handlers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static unsigned long bench_drop_other(unsigned long x)
{
	return x + 7;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "bench_target_other",
		.new_func = bench_drop_other,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "bench_target",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int __init bench_drop_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit bench_drop_exit(void)
{
}

module_init(bench_drop_init);
module_exit(bench_drop_exit);
MODULE_DESCRIPTION("klpx benchmark patch: a cumulative replace that drops bench_target_call");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
