// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Patch of every function of klpx_target_consistency that its kthreads and
 * readers sit in, plus klpx_target_value(), whose new version says
 * "patched".  A task still sitting in one of the old functions holds the
 * transition; once it leaves, it runs the new versions, which return at
 * once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

static int patched_value(char *buf, size_t size)
{
	return scnprintf(buf, size, "patched\n");
}

static void patched_sleep_in_func(void)
{
}

static void patched_spin_in_func(void)
{
}

static void patched_kthread_wait(void)
{
}

static int patched_wait_interruptible(char *buf, size_t size)
{
	return scnprintf(buf, size, "patched\n");
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_target_value",
		.new_func = patched_value,
	}, {
		.old_name = "klpx_target_sleep_in_func",
		.new_func = patched_sleep_in_func,
	}, {
		.old_name = "klpx_target_spin_in_func",
		.new_func = patched_spin_in_func,
	}, {
		.old_name = "klpx_target_kthread_wait",
		.new_func = patched_kthread_wait,
	}, {
		.old_name = "klpx_target_wait_interruptible",
		.new_func = patched_wait_interruptible,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_consistency",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init patch_consistency_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit patch_consistency_exit(void)
{
}

module_init(patch_consistency_init);
module_exit(patch_consistency_exit);
MODULE_DESCRIPTION("klpx patch of the consistency-test target's functions");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
