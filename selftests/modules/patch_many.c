// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Patch of all 48 functions of klpx_target_many: each returns its number
 * plus 1000, so /proc/klpx_target_many shows 49128.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <klpx/livepatch.h>

#define NEW_FUNC(n)				\
	static int new_f##n(void)		\
	{					\
		return n + 1000;		\
	}
#define PATCH_FUNC(n)					\
	{						\
		.old_name = "klpx_target_many_f" #n,	\
		.new_func = new_f##n,			\
	},

NEW_FUNC(0) NEW_FUNC(1) NEW_FUNC(2) NEW_FUNC(3)
NEW_FUNC(4) NEW_FUNC(5) NEW_FUNC(6) NEW_FUNC(7)
NEW_FUNC(8) NEW_FUNC(9) NEW_FUNC(10) NEW_FUNC(11)
NEW_FUNC(12) NEW_FUNC(13) NEW_FUNC(14) NEW_FUNC(15)
NEW_FUNC(16) NEW_FUNC(17) NEW_FUNC(18) NEW_FUNC(19)
NEW_FUNC(20) NEW_FUNC(21) NEW_FUNC(22) NEW_FUNC(23)
NEW_FUNC(24) NEW_FUNC(25) NEW_FUNC(26) NEW_FUNC(27)
NEW_FUNC(28) NEW_FUNC(29) NEW_FUNC(30) NEW_FUNC(31)
NEW_FUNC(32) NEW_FUNC(33) NEW_FUNC(34) NEW_FUNC(35)
NEW_FUNC(36) NEW_FUNC(37) NEW_FUNC(38) NEW_FUNC(39)
NEW_FUNC(40) NEW_FUNC(41) NEW_FUNC(42) NEW_FUNC(43)
NEW_FUNC(44) NEW_FUNC(45) NEW_FUNC(46) NEW_FUNC(47)

static struct klpx_func funcs[] = {
	PATCH_FUNC(0) PATCH_FUNC(1) PATCH_FUNC(2) PATCH_FUNC(3)
	PATCH_FUNC(4) PATCH_FUNC(5) PATCH_FUNC(6) PATCH_FUNC(7)
	PATCH_FUNC(8) PATCH_FUNC(9) PATCH_FUNC(10) PATCH_FUNC(11)
	PATCH_FUNC(12) PATCH_FUNC(13) PATCH_FUNC(14) PATCH_FUNC(15)
	PATCH_FUNC(16) PATCH_FUNC(17) PATCH_FUNC(18) PATCH_FUNC(19)
	PATCH_FUNC(20) PATCH_FUNC(21) PATCH_FUNC(22) PATCH_FUNC(23)
	PATCH_FUNC(24) PATCH_FUNC(25) PATCH_FUNC(26) PATCH_FUNC(27)
	PATCH_FUNC(28) PATCH_FUNC(29) PATCH_FUNC(30) PATCH_FUNC(31)
	PATCH_FUNC(32) PATCH_FUNC(33) PATCH_FUNC(34) PATCH_FUNC(35)
	PATCH_FUNC(36) PATCH_FUNC(37) PATCH_FUNC(38) PATCH_FUNC(39)
	PATCH_FUNC(40) PATCH_FUNC(41) PATCH_FUNC(42) PATCH_FUNC(43)
	PATCH_FUNC(44) PATCH_FUNC(45) PATCH_FUNC(46) PATCH_FUNC(47)
	{ }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_many",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init patch_many_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit patch_many_exit(void)
{
}

module_init(patch_many_init);
module_exit(patch_many_exit);
MODULE_DESCRIPTION("klpx test patch: all functions of klpx_target_many");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
