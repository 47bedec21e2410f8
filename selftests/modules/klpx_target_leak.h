/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the leak-fix patches need to know about klpx_target_leak: the object
 * layout, the two functions they replace, and the buffer helpers the
 * target exports so that every buffer is accounted for.
 */
#ifndef _KLPX_TARGET_LEAK_H
#define _KLPX_TARGET_LEAK_H

#include <linux/list.h>

struct leak_obj {
	int id;
	struct list_head node;	/* in the target's list of live objects */
};

/* Creates an object and a buffer that goes with it, then loses the buffer. */
struct leak_obj *klpx_target_leak_new(int id);
/* Frees the object, and nothing else: that is the leak. */
void klpx_target_leak_free(struct leak_obj *obj);

void *klpx_target_leak_buf_alloc(void);
void klpx_target_leak_buf_free(void *buf);

/* The shadow variable the fixes attach to each object: its buffer pointer. */
#define LEAK_SHADOW_BUF_ID	0x6c65616b

#endif /* _KLPX_TARGET_LEAK_H */
