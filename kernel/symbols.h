/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_SYMBOLS_H
#define _KLPX_SYMBOLS_H

#include <linux/sched.h>
#include <linux/spinlock.h>

/*
 * Kernel functions and data the engine needs but the kernel does not export,
 * resolved once through kallsyms when the engine loads.
 */
struct klpx_kernel {
	int (*stack_trace_save_tsk_reliable)(struct task_struct *tsk,
					     unsigned long *store,
					     unsigned int size);
	int (*task_call_func)(struct task_struct *p, task_call_f func,
			      void *arg);
	int (*task_curr)(const struct task_struct *p);
	int (*wake_up_state)(struct task_struct *p, unsigned int state);
	struct task_struct *(*idle_task)(int cpu);
	void (*wake_up_if_idle)(int cpu);
	int (*kallsyms_lookup_size_offset)(unsigned long addr,
					   unsigned long *size,
					   unsigned long *offset);
	int (*kallsyms_on_each_symbol)(int (*fn)(void *, const char *,
						 struct module *,
						 unsigned long),
				       void *data);
	int (*module_kallsyms_on_each_symbol)(int (*fn)(void *, const char *,
							struct module *,
							unsigned long),
					      void *data);
	struct module *(*find_module)(const char *name);
	struct mutex *module_mutex;
	struct list_head *modules;
	rwlock_t *tasklist_lock;
	/* The kernel's own livepatch transition, NULL without CONFIG_LIVEPATCH. */
	void **native_transition_patch;
};

extern struct klpx_kernel klpx_kernel;

int klpx_symbols_init(void);
int klpx_find_object_symbol(const char *objname, const char *name,
			    unsigned long sympos, unsigned long *addr);
bool klpx_symbol_size(unsigned long addr, unsigned long *size);

#endif /* _KLPX_SYMBOLS_H */
