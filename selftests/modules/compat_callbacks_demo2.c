// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A second klp-API patch that logs its callbacks, for vmlinux only.
 * replace=1 makes it replace compat_callbacks_demo atomically: then only
 * its own callbacks run, never those of the patch it replaces.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>

#include "callback_report.h"

static int replace;
module_param(replace, int, 0644);
MODULE_PARM_DESC(replace, "1: replace every older patch (default 0)");

static int pre_patch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
	return 0;
}

static void post_patch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
}

static void pre_unpatch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
}

static void post_unpatch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
}

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = pre_patch_callback,
			.post_patch = post_patch_callback,
			.pre_unpatch = pre_unpatch_callback,
			.post_unpatch = post_unpatch_callback,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init compat_callbacks_demo2_init(void)
{
	patch.replace = replace;
	return klp_enable_patch(&patch);
}

static void __exit compat_callbacks_demo2_exit(void)
{
}

module_init(compat_callbacks_demo2_init);
module_exit(compat_callbacks_demo2_exit);
MODULE_DESCRIPTION("klp-API patch that logs its callbacks, optionally atomic replace");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
