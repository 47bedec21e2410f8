/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_SYSFS_H
#define _KLPX_SYSFS_H

#include <klpx/livepatch.h>

void klpx_init_patch_kobj_early(struct klpx_patch *patch);
void klpx_init_object_early(struct klpx_patch *patch, struct klpx_object *obj);
void klpx_init_func_early(struct klpx_object *obj, struct klpx_func *func);
int klpx_add_patch_kobj(struct klpx_patch *patch);
int klpx_add_object_kobj(struct klpx_patch *patch, struct klpx_object *obj);
int klpx_add_func_kobj(struct klpx_object *obj, struct klpx_func *func);
int klpx_sysfs_init(void);
void klpx_sysfs_exit(void);

void klpx_debugfs_init(void);
void klpx_debugfs_exit(void);

#endif /* _KLPX_SYSFS_H */
