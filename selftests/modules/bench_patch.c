// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx patch of bench_target: bench_target_call() gets a copy of its own
 * code, so a benchmark measures the redirection and nothing else, and
 * bench_target_hold() returns at once.  native_bench_patch is the same
 * patch for the kernel's own livepatch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static unsigned long bench_patch_call(unsigned long x)
{
	return x * 3 + 1;
}

static void bench_patch_hold(void)
{
}

static struct klpx_func funcs[] = {
	{
		.old_name = "bench_target_call",
		.new_func = bench_patch_call,
	}, {
		.old_name = "bench_target_hold",
		.new_func = bench_patch_hold,
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

static int __init bench_patch_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit bench_patch_exit(void)
{
}

module_init(bench_patch_init);
module_exit(bench_patch_exit);
MODULE_DESCRIPTION("klpx benchmark patch: bench_target_call with its own code");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
