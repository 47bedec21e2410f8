// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Version 1 of a cumulative patch series for klpx_target_funcs: it changes
 * a and b.  Like every patch of a cumulative series it is an atomic-replace
 * patch, so loading it over version 2 is a downgrade.  Its callbacks log,
 * so a test can see that a replaced patch's callbacks never run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

#include "callback_report.h"

static int cumulative_v1_a(char *buf, size_t size)
{
	return scnprintf(buf, size, "a: v1\n");
}

static int cumulative_v1_b(char *buf, size_t size)
{
	return scnprintf(buf, size, "b: v1\n");
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
		.new_func = cumulative_v1_a,
	}, {
		.old_name = "klpx_target_b",
		.new_func = cumulative_v1_b,
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

static int __init cumulative_v1_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit cumulative_v1_exit(void)
{
}

module_init(cumulative_v1_init);
module_exit(cumulative_v1_exit);
MODULE_DESCRIPTION("Cumulative patch v1 of klpx_target_funcs: a and b");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
