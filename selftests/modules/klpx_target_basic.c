// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch target that lives in a module: /proc/klpx_target_basic prints
 * what klpx_target_basic_message() returns.  A patch for the object
 * "klpx_target_basic" that replaces that function changes what the file
 * shows, so a test can tell which universe a reader ran in.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static unsigned int init_delay_ms;
module_param(init_delay_ms, uint, 0444);
MODULE_PARM_DESC(init_delay_ms,
		 "sleep this long in init, so the module stays COMING (default 0)");

/* noinline and global: it must stay a real, ftrace-able function. */
noinline const char *klpx_target_basic_message(void)
{
	return "original";
}
EXPORT_SYMBOL_GPL(klpx_target_basic_message);

static int klpx_target_basic_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", klpx_target_basic_message());
	return 0;
}

static int __init klpx_target_basic_init(void)
{
	if (!proc_create_single("klpx_target_basic", 0444, NULL,
				klpx_target_basic_show))
		return -ENOMEM;
	msleep(init_delay_ms);
	pr_info("klpx_target_basic: loaded\n");
	return 0;
}

static void __exit klpx_target_basic_exit(void)
{
	remove_proc_entry("klpx_target_basic", NULL);
	pr_info("klpx_target_basic: unloaded\n");
}

module_init(klpx_target_basic_init);
module_exit(klpx_target_basic_exit);
MODULE_DESCRIPTION("klpx test target: a patchable function behind /proc/klpx_target_basic");
MODULE_LICENSE("GPL");
