// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A klpx patch of bench_target whose pre_patch callback fails (-ENODEV), for
 * reliability_prepatch_fail.sh: with bench_target loaded the patch must not
 * load, and with the patch loaded first bench_target must not load.  Each
 * callback says in the log that it ran; post_unpatch must never run, since
 * pre_patch never succeeded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static unsigned long reliability_prepatch_fail_call(unsigned long x)
{
	return x * 3 + 1;
}

static int pre_patch(struct klpx_object *obj)
{
	pr_info("pre_patch %s: failing\n", obj->name);
	return -ENODEV;
}

static void post_unpatch(struct klpx_object *obj)
{
	pr_info("post_unpatch %s\n", obj->name);
}

static struct klpx_func funcs[] = {
	{
		.old_name = "bench_target_call",
		.new_func = reliability_prepatch_fail_call,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "bench_target",
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch,
			.post_unpatch = post_unpatch,
		},
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init reliability_prepatch_fail_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit reliability_prepatch_fail_exit(void)
{
}

module_init(reliability_prepatch_fail_init);
module_exit(reliability_prepatch_fail_exit);
MODULE_DESCRIPTION("klpx reliability test: a patch whose pre_patch callback fails");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
