/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_TASK_STATE_H
#define _KLPX_TASK_STATE_H

#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/sched.h>

/*
 * Per-task universe during a transition, owned by the engine.
 *
 * A task that has no node is in the transition's initial state (the "old
 * universe").  Nodes are created only for tasks a switch point or the fork
 * hook has seen, keyed by task pointer, and the whole table is discarded when
 * the transition ends, so nothing carries over to the next one.  When a task
 * is freed, before its pointer can be reused, its node stops matching it and
 * waits in its bucket for the next task that hashes there.
 *
 * Lookups are lockless (RCU) and safe from any context, NMI included; nodes
 * are inserted and removed under a raw spinlock, never from NMI.
 */
struct klpx_task_node {
	struct hlist_node hnode;
	struct task_struct *task;
	u8 state;		/* KLPX_PATCHED or KLPX_UNPATCHED */
	u8 signaled;		/* a fake signal or wakeup was sent */
};

struct klpx_task_table {
	struct rcu_head rcu;
	unsigned int bits;
	int initial_state;
	/* Apart from the header: an exact power of two, with no rounding up. */
	struct hlist_head *buckets;
};

extern struct klpx_task_table __rcu *klpx_task_table;

static __always_inline struct klpx_task_node *
klpx_task_node_lookup(struct klpx_task_table *table, struct task_struct *task)
{
	struct hlist_head *head = &table->buckets[hash_ptr(task, table->bits)];
	struct klpx_task_node *node;

	hlist_for_each_entry_rcu_notrace(node, head, hnode)
		/* Pairs with smp_store_release() in klpx_task_node_get(). */
		if (smp_load_acquire(&node->task) == task)
			return node;
	return NULL;
}

static __always_inline int klpx_task_state_in(struct klpx_task_table *table,
					      struct task_struct *task)
{
	struct klpx_task_node *node = klpx_task_node_lookup(table, task);

	return node ? READ_ONCE(node->state) : table->initial_state;
}

/* The universe @task runs in.  Only meaningful while a transition runs. */
static __always_inline int klpx_task_patch_state(struct task_struct *task)
{
	return klpx_task_state_in(rcu_dereference_raw(klpx_task_table), task);
}

unsigned int klpx_count_tasks(void);
int klpx_task_table_create(int initial_state);
void klpx_task_table_destroy(void);
struct klpx_task_node *klpx_task_node_get(struct task_struct *task, gfp_t gfp);
void klpx_task_node_remove(struct task_struct *task);
void klpx_task_state_exit(void);

#endif /* _KLPX_TASK_STATE_H */
