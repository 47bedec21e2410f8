// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An idle target module for the callback tests: it only logs its init and
 * exit, so the test can see where they fall among the patch's callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init klpx_target_cb_mod_init(void)
{
	pr_info("%s\n", __func__);
	return 0;
}

static void __exit klpx_target_cb_mod_exit(void)
{
	pr_info("%s\n", __func__);
}

module_init(klpx_target_cb_mod_init);
module_exit(klpx_target_cb_mod_exit);
MODULE_DESCRIPTION("klpx test target: an idle module for the callback tests");
MODULE_LICENSE("GPL");
