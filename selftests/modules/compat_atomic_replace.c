// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A klp-API patch of meminfo_proc_show: /proc/meminfo shows "<module
 * name>: this has been live patched".  replace=1 makes it an atomic-replace
 * patch, which drops every older patch (compat_livepatch's /proc/cmdline
 * change included) in the same transition.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int replace;
module_param(replace, int, 0644);
MODULE_PARM_DESC(replace, "1: replace every older patch (default 0)");

static int compat_meminfo_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: this has been live patched\n", THIS_MODULE->name);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "meminfo_proc_show",
		.new_func = compat_meminfo_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init compat_atomic_replace_init(void)
{
	patch.replace = replace;
	return klp_enable_patch(&patch);
}

static void __exit compat_atomic_replace_exit(void)
{
}

module_init(compat_atomic_replace_init);
module_exit(compat_atomic_replace_exit);
MODULE_DESCRIPTION("klp-API patch of meminfo_proc_show, optionally atomic replace");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
