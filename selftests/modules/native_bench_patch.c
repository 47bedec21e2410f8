// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's own livepatch (no klpx) doing what bench_patch does:
 * bench_target_call() gets a copy of its own code and bench_target_hold()
 * returns at once.  The benchmarks compare the two engines with it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>

static unsigned long native_bench_patch_call(unsigned long x)
{
	return x * 3 + 1;
}

static void native_bench_patch_hold(void)
{
}

static struct klp_func funcs[] = {
	{
		.old_name = "bench_target_call",
		.new_func = native_bench_patch_call,
	}, {
		.old_name = "bench_target_hold",
		.new_func = native_bench_patch_hold,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "bench_target",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int __init native_bench_patch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit native_bench_patch_exit(void)
{
}

module_init(native_bench_patch_init);
module_exit(native_bench_patch_exit);
MODULE_DESCRIPTION("Native livepatch twin of bench_patch, for the benchmarks");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
