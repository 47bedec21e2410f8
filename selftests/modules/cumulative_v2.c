// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Version 2 of the cumulative series for klpx_target_funcs: it changes a
 * (again) and c, and no longer b, which goes back to the original in the
 * same transition.  It also changes klpx_target_funcs_hold(), the function
 * the target's holder kthread sleeps in, so that a test can keep the holder
 * in the old universe while every other task moves on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

#include "callback_report.h"

static int cumulative_v2_a(char *buf, size_t size)
{
	return scnprintf(buf, size, "a: v2\n");
}

static int cumulative_v2_c(char *buf, size_t size)
{
	return scnprintf(buf, size, "c: v2\n");
}

/*
 * The holder enters klpx_target_funcs_hold() once, when it starts; only a
 * holder started after this patch would come here, and it has nothing to
 * hold then.
 */
static void cumulative_v2_hold(void)
{
}

static int pre_patch_callback(struct klpx_object *obj)
{
	report_callback(__func__, obj->mod);
	return 0;
}

static void post_patch_callback(struct klpx_object *obj)
{
	report_callback(__func__, obj->mod);
}

static void pre_unpatch_callback(struct klpx_object *obj)
{
	report_callback(__func__, obj->mod);
}

static void post_unpatch_callback(struct klpx_object *obj)
{
	report_callback(__func__, obj->mod);
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_target_a",
		.new_func = cumulative_v2_a,
	}, {
		.old_name = "klpx_target_c",
		.new_func = cumulative_v2_c,
	}, {
		.old_name = "klpx_target_funcs_hold",
		.new_func = cumulative_v2_hold,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_funcs",
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch_callback,
			.post_patch = post_patch_callback,
			.pre_unpatch = pre_unpatch_callback,
			.post_unpatch = post_unpatch_callback,
		},
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int __init cumulative_v2_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit cumulative_v2_exit(void)
{
}

module_init(cumulative_v2_init);
module_exit(cumulative_v2_exit);
MODULE_DESCRIPTION("Cumulative patch v2 of klpx_target_funcs: a and c (b reverts)");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
