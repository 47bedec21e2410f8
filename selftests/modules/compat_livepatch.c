// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A klp-API patch (built with klpx/compat.h force-included): /proc/cmdline
 * shows "<module name>: this has been live patched".  The same source as a
 * patch for the kernel's own livepatch, apart from the build flags.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int compat_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: this has been live patched\n", THIS_MODULE->name);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = compat_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,		/* no name: vmlinux */
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init compat_livepatch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit compat_livepatch_exit(void)
{
}

module_init(compat_livepatch_init);
module_exit(compat_livepatch_exit);
MODULE_DESCRIPTION("klp-API patch of cmdline_proc_show, built against klpx");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
