// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_demo_v2: second patch of the cumulative series.
 *
 * Replaces v1 (replace = true) in one transition.  It keeps a new version
 * of cmdline_proc_show and drops version_proc_show: when the transition
 * completes, /proc/version is back to the original code, with nothing to
 * disable by hand.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <klpx/livepatch.h>

static int demo_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: /proc/cmdline is live patched (v1's /proc/version change is gone)\n",
		   THIS_MODULE->name);
	return 0;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = demo_cmdline_proc_show,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.funcs = funcs,		/* no name: vmlinux */
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int __init klpx_demo_v2_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit klpx_demo_v2_exit(void)
{
}

module_init(klpx_demo_v2_init);
module_exit(klpx_demo_v2_exit);
MODULE_DESCRIPTION("klpx demo, cumulative v2: replaces v1, drops its /proc/version change");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
