// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A klpx patch module without KLPX_PATCH_MODULE_INFO().  On a kernel with
 * CONFIG_LIVEPATCH (the reference kernel) klpx must refuse it, as the
 * kernel's own livepatch refuses an unmarked module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <klpx/livepatch.h>

static int unmarked_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "bad_unmarked: this has been live patched\n");
	return 0;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = unmarked_cmdline_proc_show,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init bad_unmarked_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit bad_unmarked_exit(void)
{
}

module_init(bad_unmarked_init);
module_exit(bad_unmarked_exit);
MODULE_DESCRIPTION("klpx bad-input test: a patch module not marked as livepatch");
MODULE_LICENSE("GPL");
