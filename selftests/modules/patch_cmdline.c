// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simplest klpx patch: /proc/cmdline shows "<module name>: this has
 * been live patched".  patch_cmdline2 is the same source under another
 * name, for stacking two patches on the same function.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <klpx/livepatch.h>

static int patched_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: this has been live patched\n", THIS_MODULE->name);
	return 0;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = patched_cmdline_proc_show,
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
};

static int __init patch_cmdline_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit patch_cmdline_exit(void)
{
}

module_init(patch_cmdline_init);
module_exit(patch_cmdline_exit);
MODULE_DESCRIPTION("klpx patch of cmdline_proc_show");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
