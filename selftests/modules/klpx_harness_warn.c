// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Triggers a kernel warning on purpose when loaded.  The harness self-test
 * loads it to prove that a WARN on the guest's console fails the run; with
 * panic_on_warn=1 the guest panics right there.  Never load it elsewhere.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init klpx_harness_warn_init(void)
{
	WARN(1, "klpx_harness_warn: warning on purpose\n");
	return 0;
}

static void __exit klpx_harness_warn_exit(void)
{
}

module_init(klpx_harness_warn_init);
module_exit(klpx_harness_warn_exit);
MODULE_DESCRIPTION("klpx harness self-test: a WARN on purpose");
MODULE_LICENSE("GPL");
