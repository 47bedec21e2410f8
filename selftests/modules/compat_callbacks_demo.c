// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A klp-API patch that logs each of its callbacks, for vmlinux and for two
 * target modules: klpx_target_cb_mod (callbacks only) and
 * klpx_target_cb_busy (whose busymod_work_func it replaces).  pre_patch_ret
 * is what every pre-patch callback returns, so a test can make it fail, at
 * load time or later for a module that comes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/workqueue.h>

#include "callback_report.h"

static int pre_patch_ret;
module_param(pre_patch_ret, int, 0644);
MODULE_PARM_DESC(pre_patch_ret, "value every pre-patch callback returns (default 0)");

static int pre_patch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
	return READ_ONCE(pre_patch_ret);
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

static void patched_work_func(struct work_struct *work)
{
	pr_info("%s\n", __func__);
}

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_func busymod_funcs[] = {
	{
		.old_name = "busymod_work_func",
		.new_func = patched_work_func,
	}, { }
};

#define LOGGING_CALLBACKS {				\
	.pre_patch = pre_patch_callback,		\
	.post_patch = post_patch_callback,		\
	.pre_unpatch = pre_unpatch_callback,		\
	.post_unpatch = post_unpatch_callback,		\
}

static struct klp_object objs[] = {
	{
		.funcs = no_funcs,
		.callbacks = LOGGING_CALLBACKS,
	}, {
		.name = "klpx_target_cb_mod",
		.funcs = no_funcs,
		.callbacks = LOGGING_CALLBACKS,
	}, {
		.name = "klpx_target_cb_busy",
		.funcs = busymod_funcs,
		.callbacks = LOGGING_CALLBACKS,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init compat_callbacks_demo_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit compat_callbacks_demo_exit(void)
{
}

module_init(compat_callbacks_demo_init);
module_exit(compat_callbacks_demo_exit);
MODULE_DESCRIPTION("klp-API patch that logs its callbacks");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
