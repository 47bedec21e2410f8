// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Functions a patch cannot change, for the bad-input tests:
 * klpx_target_notrace_func() has a symbol but no ftrace call site, and
 * klpx_target_inlined_func() is always inlined, so it has no symbol at all.
 * /proc/klpx_target_untraceable calls both, so a test can see that neither
 * changed after a refused patch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

notrace __noipa const char *klpx_target_notrace_func(void)
{
	return "notrace: original";
}

static __always_inline const char *klpx_target_inlined_func(void)
{
	return "inlined: original";
}

static int untraceable_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n%s\n", klpx_target_notrace_func(),
		   klpx_target_inlined_func());
	return 0;
}

static int __init klpx_target_untraceable_init(void)
{
	if (!proc_create_single("klpx_target_untraceable", 0444, NULL,
				untraceable_show))
		return -ENOMEM;
	return 0;
}

static void __exit klpx_target_untraceable_exit(void)
{
	remove_proc_entry("klpx_target_untraceable", NULL);
}

module_init(klpx_target_untraceable_init);
module_exit(klpx_target_untraceable_exit);
MODULE_DESCRIPTION("klpx test target: a notrace and an inlined function");
MODULE_LICENSE("GPL");
