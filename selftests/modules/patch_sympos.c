// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Patch of a static function whose name vmlinux has twice: m_show, the
 * seq_file show of /proc/modules (kernel/module/procfs.c, first in kallsyms
 * order) and of /proc/mounts (fs/namespace.c, second).  Both have the same
 * prototype, and the new version prints one fixed line per record, so a
 * test can see which of the two files the patch reached.
 *
 * sympos is the position to patch: 0 means "the name is unique", which it
 * is not, and positions past the last one do not exist.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <klpx/livepatch.h>

static ulong sympos = 2;
module_param(sympos, ulong, 0444);
MODULE_PARM_DESC(sympos, "which m_show, in kallsyms order (default 2: /proc/mounts)");

static int patched_m_show(struct seq_file *m, void *v)
{
	seq_puts(m, "klpx patched m_show\n");
	return 0;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "m_show",
		.new_func = patched_m_show,
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

static int __init patch_sympos_init(void)
{
	funcs[0].old_sympos = sympos;
	return klpx_enable_patch(&patch);
}

static void __exit patch_sympos_exit(void)
{
}

module_init(patch_sympos_init);
module_exit(patch_sympos_exit);
MODULE_DESCRIPTION("klpx patch of a duplicated static symbol, chosen by position");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
