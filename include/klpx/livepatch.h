/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klpx patch API: what a patch module describes and calls.
 *
 * A patch module fills in static klpx_patch/klpx_object/klpx_func arrays
 * (each array ends with an all-zero entry) and calls klpx_enable_patch()
 * from its init function.  The fields under "internal" belong to the
 * engine; a patch module leaves them zero.
 */
#ifndef _KLPX_LIVEPATCH_H
#define _KLPX_LIVEPATCH_H

#include <linux/module.h>
#include <linux/list.h>
#include <linux/kobject.h>
#include <linux/workqueue.h>
#include <linux/completion.h>
#include <linux/gfp.h>

/* Patch states of a task or of a transition. */
#define KLPX_UNDEFINED	-1
#define KLPX_UNPATCHED	 0
#define KLPX_PATCHED	 1

struct klpx_func {
	/* external */
	const char *old_name;		/* function to replace */
	void *new_func;			/* its replacement */
	/*
	 * Occurrence of old_name in kallsyms order within the object, for
	 * duplicated static names; 0 means the name must be unique.
	 */
	unsigned long old_sympos;

	/* internal */
	void *old_func;
	struct kobject kobj;
	struct list_head node;		/* in klpx_object.func_list */
	struct list_head stack_node;	/* in the function's func stack */
	unsigned long old_size, new_size;
	bool nop;			/* dynamic: restores the original */
	bool patched;
	bool transition;
};

struct klpx_object;

struct klpx_callbacks {
	int (*pre_patch)(struct klpx_object *obj);
	void (*post_patch)(struct klpx_object *obj);
	void (*pre_unpatch)(struct klpx_object *obj);
	void (*post_unpatch)(struct klpx_object *obj);
	bool post_unpatch_enabled;	/* internal: pre_patch succeeded */
};

struct klpx_object {
	/* external */
	const char *name;		/* module name, NULL for vmlinux */
	struct klpx_func *funcs;
	struct klpx_callbacks callbacks;

	/* internal */
	struct kobject kobj;
	struct list_head func_list;
	struct list_head node;		/* in klpx_patch.obj_list */
	struct module *mod;		/* set while the module is loaded */
	bool dynamic;			/* allocated by the engine for nops */
	bool patched;
};

struct klpx_state {
	unsigned long id;
	unsigned int version;
	void *data;
};

struct klpx_patch {
	/* external */
	struct module *mod;
	struct klpx_object *objs;
	struct klpx_state *states;
	bool replace;

	/* internal */
	struct list_head list;		/* in the engine's patch list */
	struct kobject kobj;
	struct list_head obj_list;
	bool enabled;
	bool forced;
	struct work_struct free_work;
	struct completion finish;
};

int klpx_enable_patch(struct klpx_patch *patch);

/* Shadow variables: data attached to an existing object by (obj, id). */
typedef int (*klpx_shadow_ctor_t)(void *obj, void *shadow_data,
				  void *ctor_data);
typedef void (*klpx_shadow_dtor_t)(void *obj, void *shadow_data);

void *klpx_shadow_get(void *obj, unsigned long id);
void *klpx_shadow_alloc(void *obj, unsigned long id, size_t size,
			gfp_t gfp_flags, klpx_shadow_ctor_t ctor,
			void *ctor_data);
void *klpx_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
			       gfp_t gfp_flags, klpx_shadow_ctor_t ctor,
			       void *ctor_data);
void klpx_shadow_free(void *obj, unsigned long id, klpx_shadow_dtor_t dtor);
void klpx_shadow_free_all(unsigned long id, klpx_shadow_dtor_t dtor);

/* States: what a patch changed, handed from one cumulative patch to the next. */
struct klpx_state *klpx_get_state(struct klpx_patch *patch, unsigned long id);
struct klpx_state *klpx_get_prev_state(unsigned long id);

/*
 * On a kernel with CONFIG_LIVEPATCH the module loader knows the livepatch
 * marker and klpx requires it; without it the marker makes the kernel refuse
 * the module, so it is left out there.
 */
#if IS_ENABLED(CONFIG_LIVEPATCH)
#define KLPX_PATCH_MODULE_INFO() MODULE_INFO(livepatch, "Y")
#else
#define KLPX_PATCH_MODULE_INFO()
#endif

#endif /* _KLPX_LIVEPATCH_H */
