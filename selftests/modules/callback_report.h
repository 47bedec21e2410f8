/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the callback test patches: log which callback ran, for which
 * object, and in which state that object's module was, in the words the
 * upstream livepatch selftests expect.  Works with both APIs: the klp-API
 * sources include it after <linux/livepatch.h> (mapped onto klpx by
 * compat.h), the klpx-API ones after <klpx/livepatch.h>.
 */
#ifndef _KLPX_TEST_CALLBACK_REPORT_H
#define _KLPX_TEST_CALLBACK_REPORT_H

#include <linux/module.h>

static inline const char *module_state_words(enum module_state state)
{
	switch (state) {
	case MODULE_STATE_LIVE:
		return "[MODULE_STATE_LIVE] Normal state";
	case MODULE_STATE_COMING:
		return "[MODULE_STATE_COMING] Full formed, running module_init";
	case MODULE_STATE_GOING:
		return "[MODULE_STATE_GOING] Going away";
	case MODULE_STATE_UNFORMED:
		return "[MODULE_STATE_UNFORMED] Still setting it up";
	}
	return "[unknown module state]";
}

/* @mod is the object's module, NULL for vmlinux. */
static inline void report_callback(const char *callback, struct module *mod)
{
	if (mod)
		pr_info("%s: %s -> %s\n", callback, mod->name,
			module_state_words(mod->state));
	else
		pr_info("%s: vmlinux\n", callback);
}

#endif /* _KLPX_TEST_CALLBACK_REPORT_H */
