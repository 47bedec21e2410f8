// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch module that enables its patch, then tries to register a second
 * patch under the same name (a patch is named after its module), or with
 * again=1 the first patch a second time.  klpx must refuse either
 * attempt with a clear message and leave the first patch working.  The
 * module logs what the attempt returned and still loads, so the test can
 * check the rest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <klpx/livepatch.h>

static bool again;
module_param(again, bool, 0444);
MODULE_PARM_DESC(again, "enable the first patch twice instead of a second patch (default N)");

static int first_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "bad_duplicate_name: this has been live patched\n");
	return 0;
}

static int second_meminfo_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "bad_duplicate_name: second patch\n");
	return 0;
}

static struct klpx_func first_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = first_cmdline_proc_show,
	}, { }
};

static struct klpx_object first_objs[] = {
	{
		.funcs = first_funcs,
	}, { }
};

static struct klpx_patch first = {
	.mod = THIS_MODULE,
	.objs = first_objs,
};

static struct klpx_func second_funcs[] = {
	{
		.old_name = "meminfo_proc_show",
		.new_func = second_meminfo_proc_show,
	}, { }
};

static struct klpx_object second_objs[] = {
	{
		.funcs = second_funcs,
	}, { }
};

static struct klpx_patch second = {
	.mod = THIS_MODULE,
	.objs = second_objs,
};

static int __init bad_duplicate_name_init(void)
{
	int ret;

	ret = klpx_enable_patch(&first);
	if (ret)
		return ret;
	if (again)
		pr_info("first patch again: %d\n", klpx_enable_patch(&first));
	else
		pr_info("second patch with the same name: %d\n",
			klpx_enable_patch(&second));
	return 0;
}

static void __exit bad_duplicate_name_exit(void)
{
}

module_init(bad_duplicate_name_init);
module_exit(bad_duplicate_name_exit);
MODULE_DESCRIPTION("klpx bad-input test: two patches under one name");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
