/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_PATCH_H
#define _KLPX_PATCH_H

#include <linux/ftrace.h>
#include <klpx/livepatch.h>

/*
 * One ftrace_ops per patched function.  Its func stack holds every klpx_func
 * that replaces the function, newest first; the handler runs the top one (or
 * the one below it for a task still in the old universe).  An ops whose stack
 * became empty is "dying": the handler ignores it until it is unregistered
 * outside the transition lock.
 */
struct klpx_ops {
	struct list_head node;		/* in the live or dying ops list */
	struct list_head func_stack;
	unsigned long old_addr;
	struct ftrace_ops fops;
};

struct klpx_ops *klpx_find_ops(unsigned long old_addr);
int klpx_patch_object(struct klpx_object *obj);
void klpx_unpatch_object(struct klpx_object *obj);
void klpx_unpatch_objects(struct klpx_patch *patch);
void klpx_unpatch_objects_dynamic(struct klpx_patch *patch);
extern struct mutex klpx_ops_mutex;
struct module;
void klpx_unregister_dying_ops(struct module *mod);

#endif /* _KLPX_PATCH_H */
