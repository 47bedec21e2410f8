/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_CORE_H
#define _KLPX_CORE_H

#include <linux/mutex.h>
#include <klpx/livepatch.h>

/*
 * klpx_mutex serializes patch registration, transitions, module coming and
 * going, and the ops lists.  It is never held while waiting for classic
 * RCU-tasks, which a busy kthread can hold up; the completion waits for a
 * rude grace period under it, as upstream does under klp_mutex.
 */
extern struct mutex klpx_mutex;
extern struct list_head klpx_patches;

#define klpx_for_each_patch(patch) \
	list_for_each_entry(patch, &klpx_patches, list)
#define klpx_for_each_patch_safe(patch, tmp) \
	list_for_each_entry_safe(patch, tmp, &klpx_patches, list)
#define klpx_for_each_object_static(patch, obj) \
	for (obj = (patch)->objs; obj->funcs || obj->name; obj++)
#define klpx_for_each_object(patch, obj) \
	list_for_each_entry(obj, &(patch)->obj_list, node)
#define klpx_for_each_object_safe(patch, obj, tmp) \
	list_for_each_entry_safe(obj, tmp, &(patch)->obj_list, node)
#define klpx_for_each_func_static(obj, func) \
	for (func = (obj)->funcs; \
	     func->old_name || func->new_func || func->old_sympos; func++)
#define klpx_for_each_func(obj, func) \
	list_for_each_entry(func, &(obj)->func_list, node)
#define klpx_for_each_func_safe(obj, func, tmp) \
	list_for_each_entry_safe(func, tmp, &(obj)->func_list, node)

static inline bool klpx_is_module(struct klpx_object *obj)
{
	return obj->name;
}

static inline bool klpx_is_object_loaded(struct klpx_object *obj)
{
	return !obj->name || obj->mod;
}

static inline const char *klpx_object_name(struct klpx_object *obj)
{
	return obj->name ?: "vmlinux";
}

static inline const char *klpx_patch_name(struct klpx_patch *patch)
{
	return patch->mod->name;
}

/* Callbacks, in upstream's pairing: pre_patch/post_unpatch, post_patch/pre_unpatch. */
static inline int klpx_pre_patch_callback(struct klpx_object *obj)
{
	int ret = 0;

	if (obj->callbacks.pre_patch)
		ret = obj->callbacks.pre_patch(obj);
	obj->callbacks.post_unpatch_enabled = !ret;
	return ret;
}

static inline void klpx_post_patch_callback(struct klpx_object *obj)
{
	if (obj->callbacks.post_patch)
		obj->callbacks.post_patch(obj);
}

static inline void klpx_pre_unpatch_callback(struct klpx_object *obj)
{
	if (obj->callbacks.pre_unpatch)
		obj->callbacks.pre_unpatch(obj);
}

static inline void klpx_post_unpatch_callback(struct klpx_object *obj)
{
	if (obj->callbacks.post_unpatch_enabled &&
	    obj->callbacks.post_unpatch)
		obj->callbacks.post_unpatch(obj);
	obj->callbacks.post_unpatch_enabled = false;
}

int klpx_init_object_loaded(struct klpx_patch *patch, struct klpx_object *obj);
void klpx_free_object_loaded(struct klpx_object *obj);
void klpx_unpatch_replaced_patches(struct klpx_patch *new_patch);
void klpx_free_nops(struct klpx_patch *new_patch);
void klpx_schedule_teardown(void);
void klpx_free_object_dynamic(struct klpx_object *obj);
void klpx_free_func_nop(struct klpx_func *func);
int klpx_disable_patch(struct klpx_patch *patch);
void klpx_retire_patch(struct klpx_patch *patch);

#endif /* _KLPX_CORE_H */
