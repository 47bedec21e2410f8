// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A patch target with 48 functions, klpx_target_many_f0() to f47(), each
 * returning its number: /proc/klpx_target_many shows their sum, 1128
 * unpatched.  patch_many adds 1000 to each.  Each of the 48 ftrace ops
 * waits for RCU-tasks when it is unregistered, so the teardown after a
 * transition takes long enough for other contexts to run into it.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#define TARGET_FUNC(n)					\
	noinline int klpx_target_many_f##n(void)	\
	{						\
		barrier();				\
		return n;				\
	}

TARGET_FUNC(0) TARGET_FUNC(1) TARGET_FUNC(2) TARGET_FUNC(3)
TARGET_FUNC(4) TARGET_FUNC(5) TARGET_FUNC(6) TARGET_FUNC(7)
TARGET_FUNC(8) TARGET_FUNC(9) TARGET_FUNC(10) TARGET_FUNC(11)
TARGET_FUNC(12) TARGET_FUNC(13) TARGET_FUNC(14) TARGET_FUNC(15)
TARGET_FUNC(16) TARGET_FUNC(17) TARGET_FUNC(18) TARGET_FUNC(19)
TARGET_FUNC(20) TARGET_FUNC(21) TARGET_FUNC(22) TARGET_FUNC(23)
TARGET_FUNC(24) TARGET_FUNC(25) TARGET_FUNC(26) TARGET_FUNC(27)
TARGET_FUNC(28) TARGET_FUNC(29) TARGET_FUNC(30) TARGET_FUNC(31)
TARGET_FUNC(32) TARGET_FUNC(33) TARGET_FUNC(34) TARGET_FUNC(35)
TARGET_FUNC(36) TARGET_FUNC(37) TARGET_FUNC(38) TARGET_FUNC(39)
TARGET_FUNC(40) TARGET_FUNC(41) TARGET_FUNC(42) TARGET_FUNC(43)
TARGET_FUNC(44) TARGET_FUNC(45) TARGET_FUNC(46) TARGET_FUNC(47)

static int klpx_target_many_show(struct seq_file *m, void *v)
{
	int sum = klpx_target_many_f0() +
		  klpx_target_many_f1() +
		  klpx_target_many_f2() +
		  klpx_target_many_f3() +
		  klpx_target_many_f4() +
		  klpx_target_many_f5() +
		  klpx_target_many_f6() +
		  klpx_target_many_f7() +
		  klpx_target_many_f8() +
		  klpx_target_many_f9() +
		  klpx_target_many_f10() +
		  klpx_target_many_f11() +
		  klpx_target_many_f12() +
		  klpx_target_many_f13() +
		  klpx_target_many_f14() +
		  klpx_target_many_f15() +
		  klpx_target_many_f16() +
		  klpx_target_many_f17() +
		  klpx_target_many_f18() +
		  klpx_target_many_f19() +
		  klpx_target_many_f20() +
		  klpx_target_many_f21() +
		  klpx_target_many_f22() +
		  klpx_target_many_f23() +
		  klpx_target_many_f24() +
		  klpx_target_many_f25() +
		  klpx_target_many_f26() +
		  klpx_target_many_f27() +
		  klpx_target_many_f28() +
		  klpx_target_many_f29() +
		  klpx_target_many_f30() +
		  klpx_target_many_f31() +
		  klpx_target_many_f32() +
		  klpx_target_many_f33() +
		  klpx_target_many_f34() +
		  klpx_target_many_f35() +
		  klpx_target_many_f36() +
		  klpx_target_many_f37() +
		  klpx_target_many_f38() +
		  klpx_target_many_f39() +
		  klpx_target_many_f40() +
		  klpx_target_many_f41() +
		  klpx_target_many_f42() +
		  klpx_target_many_f43() +
		  klpx_target_many_f44() +
		  klpx_target_many_f45() +
		  klpx_target_many_f46() +
		  klpx_target_many_f47();

	seq_printf(m, "%d\n", sum);
	return 0;
}

static int __init klpx_target_many_init(void)
{
	if (!proc_create_single("klpx_target_many", 0444, NULL,
				klpx_target_many_show))
		return -ENOMEM;
	return 0;
}

static void __exit klpx_target_many_exit(void)
{
	remove_proc_entry("klpx_target_many", NULL);
}

module_init(klpx_target_many_init);
module_exit(klpx_target_many_exit);
MODULE_DESCRIPTION("klpx test target: 48 patchable functions behind /proc/klpx_target_many");
MODULE_LICENSE("GPL");
