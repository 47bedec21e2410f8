// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A klp-API cumulative patch that changes a system state: it raises
 * console_loglevel and records the old value in a klp_state, which it
 * restores when disabled.
 *
 * Version 1 of the state (this file) cannot hand the change over to a later
 * patch; version 2 (compat_state2.c, compat_state3.c, which include this
 * file) can take it over from an earlier patch and leave it in place when
 * replaced by one.  The log lines follow upstream's state selftests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "callback_report.h"

#define CONSOLE_LOGLEVEL_STATE	1
#ifndef CONSOLE_LOGLEVEL_STATE_VERSION
#define CONSOLE_LOGLEVEL_STATE_VERSION	1
#endif

/* Version 2 and later know how to pass the change between patches. */
#define STATE_MIGRATES	(CONSOLE_LOGLEVEL_STATE_VERSION >= 2)

static struct klp_patch patch;

static struct klp_state *loglevel_state(void)
{
	return klp_get_state(&patch, CONSOLE_LOGLEVEL_STATE);
}

/* An earlier patch's state that this one takes over, if migration is known. */
static struct klp_state *inherited_loglevel_state(void)
{
	if (!STATE_MIGRATES)
		return NULL;
	return klp_get_prev_state(CONSOLE_LOGLEVEL_STATE);
}

static int allocate_loglevel_state(void)
{
	struct klp_state *state;

	if (inherited_loglevel_state()) {
		pr_info("%s: space to store console_loglevel already allocated\n",
			__func__);
		return 0;
	}

	state = loglevel_state();
	if (!state)
		return -EINVAL;
	state->data = kzalloc(sizeof(int), GFP_KERNEL);
	if (!state->data)
		return -ENOMEM;
	pr_info("%s: allocating space to store console_loglevel\n", __func__);
	return 0;
}

static void fix_console_loglevel(void)
{
	struct klp_state *state = loglevel_state();
	struct klp_state *prev = inherited_loglevel_state();

	if (!state)
		return;
	if (prev) {
		pr_info("%s: taking over the console_loglevel change\n",
			__func__);
		state->data = prev->data;
		return;
	}
	pr_info("%s: fixing console_loglevel\n", __func__);
	*(int *)state->data = console_loglevel;
	console_loglevel = CONSOLE_LOGLEVEL_MOTORMOUTH;
}

static void restore_console_loglevel(void)
{
	struct klp_state *state;

	if (inherited_loglevel_state()) {
		pr_info("%s: passing the console_loglevel change back to the old livepatch\n",
			__func__);
		return;
	}
	state = loglevel_state();
	if (!state)
		return;
	pr_info("%s: restoring console_loglevel\n", __func__);
	console_loglevel = *(int *)state->data;
}

static void free_loglevel_state(void)
{
	struct klp_state *state;

	if (inherited_loglevel_state()) {
		pr_info("%s: keeping space to store console_loglevel\n",
			__func__);
		return;
	}
	state = loglevel_state();
	if (!state)
		return;
	pr_info("%s: freeing space for the stored console_loglevel\n",
		__func__);
	kfree(state->data);
}

static int pre_patch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
	return allocate_loglevel_state();
}

static void post_patch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
	fix_console_loglevel();
}

static void pre_unpatch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
	restore_console_loglevel();
}

static void post_unpatch_callback(struct klp_object *obj)
{
	report_callback(__func__, obj->mod);
	free_loglevel_state();
}

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = pre_patch_callback,
			.post_patch = post_patch_callback,
			.pre_unpatch = pre_unpatch_callback,
			.post_unpatch = post_unpatch_callback,
		},
	}, { }
};

static struct klp_state states[] = {
	{
		.id = CONSOLE_LOGLEVEL_STATE,
		.version = CONSOLE_LOGLEVEL_STATE_VERSION,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

static int __init compat_state_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit compat_state_exit(void)
{
}

module_init(compat_state_init);
module_exit(compat_state_exit);
MODULE_DESCRIPTION("klp-API cumulative patch with a console_loglevel state");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
