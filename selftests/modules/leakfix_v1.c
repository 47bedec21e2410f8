// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cumulative fix series for klpx_target_leak's leak.
 *
 * Version 1 (this file) only keeps track: a new object gets a shadow
 * variable holding its buffer's address, and freeing the object frees that
 * shadow variable (an object's address is reused, and a stale shadow
 * variable would then clash).  The buffer itself still leaks.
 *
 * Version 2 (leakfix_v2.c, this file with LEAKFIX_FREES_BUFFERS) replaces
 * version 1: it frees the buffer through the shadow variable, including
 * for the objects version 1 created.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <klpx/livepatch.h>

#include "klpx_target_leak.h"

#ifndef LEAKFIX_FREES_BUFFERS
#define LEAKFIX_FREES_BUFFERS	0
#endif

static int store_buffer_address(void *obj, void *shadow_data, void *ctor_data)
{
	*(void **)shadow_data = ctor_data;
	return 0;
}

static struct leak_obj *leakfix_new(int id)
{
	struct leak_obj *obj;
	void *buf;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return NULL;
	obj->id = id;
	buf = klpx_target_leak_buf_alloc();
	if (!buf) {
		kfree(obj);
		return NULL;
	}
	/* Without its shadow variable the buffer leaks, as it always did. */
	klpx_shadow_alloc(obj, LEAK_SHADOW_BUF_ID, sizeof(buf), GFP_KERNEL,
			  store_buffer_address, buf);
	return obj;
}

static void free_buffer(void *obj, void *shadow_data)
{
	klpx_target_leak_buf_free(*(void **)shadow_data);
}

static void leakfix_free(struct leak_obj *obj)
{
	klpx_shadow_free(obj, LEAK_SHADOW_BUF_ID,
			 LEAKFIX_FREES_BUFFERS ? free_buffer : NULL);
	kfree(obj);
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_target_leak_new",
		.new_func = leakfix_new,
	}, {
		.old_name = "klpx_target_leak_free",
		.new_func = leakfix_free,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_leak",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int __init leakfix_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit leakfix_exit(void)
{
}

module_init(leakfix_init);
module_exit(leakfix_exit);
MODULE_DESCRIPTION("Cumulative fix of klpx_target_leak's leak, with shadow variables");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
