// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_demo_v1: first patch of a cumulative series (v1, v2, v3).
 *
 * Changes two real functions of the kernel:
 *   cmdline_proc_show  /proc/cmdline says which patch version is live;
 *   version_proc_show  /proc/version gets " [live patched: klpx_demo_v1]".
 *
 * Every patch of the series sets replace, so each one replaces whatever
 * version is loaded, in a single transition.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include <klpx/livepatch.h>

static int demo_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: /proc/cmdline is live patched\n", THIS_MODULE->name);
	return 0;
}

/*
 * The original prints a banner that is not exported to modules; this
 * version rebuilds its first fields from utsname and adds a marker.
 */
static int demo_version_proc_show(struct seq_file *m, void *v)
{
	struct new_utsname *uts = utsname();

	seq_printf(m, "%s version %s %s [live patched: %s]\n", uts->sysname,
		   uts->release, uts->version, THIS_MODULE->name);
	return 0;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = demo_cmdline_proc_show,
	}, {
		.old_name = "version_proc_show",
		.new_func = demo_version_proc_show,
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

static int __init klpx_demo_v1_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit klpx_demo_v1_exit(void)
{
}

module_init(klpx_demo_v1_init);
module_exit(klpx_demo_v1_exit);
MODULE_DESCRIPTION("klpx demo, cumulative v1: /proc/cmdline and /proc/version");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
