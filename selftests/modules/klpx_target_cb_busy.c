// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A target module whose work item can sit in busymod_work_func, the
 * function compat_callbacks_demo replaces.  With block_transition=Y the
 * kworker keeps sleeping there (in short sleeps, so it never looks hung),
 * which holds any transition that changes that function until the module
 * is removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/workqueue.h>

static bool block_transition;
module_param(block_transition, bool, 0644);
MODULE_PARM_DESC(block_transition, "keep the work item in busymod_work_func (default N)");

static DECLARE_COMPLETION(work_entered);

static void busymod_work_func(struct work_struct *work);
static DECLARE_WORK(busy_work, busymod_work_func);

static noinline void busymod_work_func(struct work_struct *work)
{
	pr_info("%s enter\n", __func__);
	complete(&work_entered);
	while (READ_ONCE(block_transition))
		msleep(20);
	pr_info("%s exit\n", __func__);
}

static int __init klpx_target_cb_busy_init(void)
{
	pr_info("%s\n", __func__);
	schedule_work(&busy_work);
	/* Keep the log in a fixed order: "enter" always comes before init ends. */
	wait_for_completion(&work_entered);
	if (!block_transition)
		flush_work(&busy_work);
	return 0;
}

static void __exit klpx_target_cb_busy_exit(void)
{
	WRITE_ONCE(block_transition, false);
	flush_work(&busy_work);
	pr_info("%s\n", __func__);
}

module_init(klpx_target_cb_busy_init);
module_exit(klpx_target_cb_busy_exit);
MODULE_DESCRIPTION("klpx test target: a work item that can hold a transition");
MODULE_LICENSE("GPL");
