// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-task state table of a transition.  See task_state.h for the
 * invariants it keeps.
 */
#include <linux/slab.h>
#include <linux/log2.h>
#include <linux/sched/signal.h>
#include "task_state.h"

struct klpx_task_table __rcu *klpx_task_table;

static DEFINE_RAW_SPINLOCK(klpx_task_table_lock);

/* Tasks on the task list plus one idle task per possible CPU. */
unsigned int klpx_count_tasks(void)
{
	struct task_struct *g, *t;
	unsigned int n = num_possible_cpus();	/* idle tasks */

	rcu_read_lock();
	for_each_process_thread(g, t)
		n++;
	rcu_read_unlock();
	return n;
}

/*
 * Called under the transition lock before any func is marked in transition,
 * so the handler never sees a transition without a table.
 */
int klpx_task_table_create(int initial_state)
{
	struct klpx_task_table *table;
	unsigned int bits;

	/*
	 * Between one and two tasks per bucket: short chains, and at most
	 * 8 bytes of bucket per task next to its 32-byte node.  The nodes
	 * come from kmalloc: a cache of their own would round a table of a
	 * few hundred tasks up to whole slabs, per CPU.
	 */
	bits = max(6, ilog2(klpx_count_tasks()));
	table = kzalloc(sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table->buckets = kvcalloc(1UL << bits, sizeof(*table->buckets),
				  GFP_KERNEL);
	if (!table->buckets) {
		kfree(table);
		return -ENOMEM;
	}
	table->bits = bits;
	table->initial_state = initial_state;
	rcu_assign_pointer(klpx_task_table, table);
	return 0;
}

static void klpx_task_table_free(struct rcu_head *rcu)
{
	struct klpx_task_table *table =
		container_of(rcu, struct klpx_task_table, rcu);
	struct klpx_task_node *node;
	struct hlist_node *tmp;
	unsigned long i;

	for (i = 0; i < (1UL << table->bits); i++)
		hlist_for_each_entry_safe(node, tmp, &table->buckets[i], hnode)
			kfree(node);
	kvfree(table->buckets);
	kfree(table);
}

/*
 * Called once the handler no longer reads task states and the hooks that
 * update the table are gone; the probes still running let go of it within
 * a grace period, so it is freed after one, without waiting here.
 */
void klpx_task_table_destroy(void)
{
	struct klpx_task_table *table;

	table = rcu_replace_pointer(klpx_task_table, NULL, true);
	if (!table)
		return;
	call_rcu(&table->rcu, klpx_task_table_free);
}

/*
 * Find or create @task's node.  The caller holds an RCU read-side section in
 * which @task was found alive, so its free hook cannot have run yet.
 */
struct klpx_task_node *klpx_task_node_get(struct task_struct *task, gfp_t gfp)
{
	struct klpx_task_table *table = rcu_dereference_sched(klpx_task_table);
	struct klpx_task_node *node, *spare;
	struct hlist_head *head;
	unsigned long flags;

	if (!table)
		return NULL;
	node = klpx_task_node_lookup(table, task);
	if (node)
		return node;

	/* Allocated outside the lock; unused when a freed task's node is reused. */
	spare = kmalloc(sizeof(*spare), gfp | __GFP_NOWARN);
	head = &table->buckets[hash_ptr(task, table->bits)];

	raw_spin_lock_irqsave(&klpx_task_table_lock, flags);
	node = klpx_task_node_lookup(table, task);
	if (!node) {
		/*
		 * A node whose task was freed is taken over in place: lockless
		 * readers walking past it are not disturbed, and its state is
		 * set before the release that makes it match @task.
		 */
		hlist_for_each_entry(node, head, hnode)
			if (!node->task)
				break;
		if (!node && spare) {
			node = spare;
			spare = NULL;
			node->task = NULL;
			hlist_add_head_rcu(&node->hnode, head);
		}
		if (node) {
			node->state = table->initial_state;
			node->signaled = 0;
			/* Pairs with smp_load_acquire() in the lookup. */
			smp_store_release(&node->task, task);
		}
	}
	raw_spin_unlock_irqrestore(&klpx_task_table_lock, flags);

	kfree(spare);
	return node;
}

/* The free hook: @task is gone and its pointer may be reused after this. */
void klpx_task_node_remove(struct task_struct *task)
{
	struct klpx_task_table *table = rcu_dereference_sched(klpx_task_table);
	struct klpx_task_node *node;
	unsigned long flags;

	if (!table)
		return;
	raw_spin_lock_irqsave(&klpx_task_table_lock, flags);
	node = klpx_task_node_lookup(table, task);
	if (node)
		WRITE_ONCE(node->task, NULL);
	raw_spin_unlock_irqrestore(&klpx_task_table_lock, flags);
}

void klpx_task_state_exit(void)
{
	klpx_task_table_destroy();
	/* The module's text must outlive the last klpx_task_table_free(). */
	rcu_barrier();
}
