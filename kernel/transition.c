// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The consistency model: moving every task from the old universe to the new
 * one, each at a moment when no function being changed is on its stack.
 *
 * Switch points, all active only while a transition runs:
 *  - the walk: a stack check of every task that is not running;
 *  - an asynchronous IPI to each CPU whose running task (user-bound, idle or
 *    a busy kthread) still has to move, checking it on its own CPU;
 *  - the syscall-exit barrier (the sys_exit tracepoint);
 *  - fork: the child inherits its parent's universe before it first runs;
 *  - after signal_delay seconds, a fake signal or wakeup for stalled tasks.
 * All but fork verify the stack before marking the task.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <klpx/abi.h>
#include "core.h"
#include "patch.h"
#include "symbols.h"
#include "task_state.h"
#include "transition.h"
#include "trace.h"

#define KLPX_MAX_STACK_ENTRIES	100
#define KLPX_RETRY_MAX_MS	100

static unsigned int signal_delay = 15;
module_param(signal_delay, uint, 0644);
MODULE_PARM_DESC(signal_delay,
		 "seconds before stalled tasks get a fake signal or wakeup, and between rounds (0: never)");

struct klpx_patch *klpx_transition_patch;
static int klpx_target_state = KLPX_UNDEFINED;

/*
 * What the lockless switch points need: the target universe and the address
 * ranges that must not be on a task's stack to move to it.  Rebuilt under
 * klpx_mutex whenever either changes and published with RCU, so a switch
 * point always checks a stack against the ranges of the target it writes.
 */
struct klpx_switch_ctx {
	struct rcu_head rcu;
	int target;
	unsigned int nr_ranges;
	struct klpx_range {
		unsigned long start, end;
	} ranges[];
};

static struct klpx_switch_ctx __rcu *klpx_switch_ctx;

static unsigned long klpx_walk_stack[KLPX_MAX_STACK_ENTRIES];
static DEFINE_PER_CPU(unsigned long [KLPX_MAX_STACK_ENTRIES], klpx_task_stack);
static DEFINE_PER_CPU(unsigned long [KLPX_MAX_STACK_ENTRIES], klpx_irq_stack);

static void klpx_transition_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(klpx_transition_work, klpx_transition_work_fn);
static atomic_t klpx_walk_kicked;
static unsigned int klpx_retry_ms;
static unsigned int klpx_last_remaining;
static unsigned long klpx_next_signal;
static bool klpx_signaled_once;
static bool klpx_forcing;

/* Tasks moved in this direction, by switch point: klpx_transition_pass. */
static atomic_t klpx_switch_counts[KLPX_SWITCH_NR];

static DEFINE_PER_CPU(call_single_data_t, klpx_cpu_csd);
static atomic_t klpx_ipis_in_flight;

static struct tracepoint *klpx_tp_sys_exit;
static struct tracepoint *klpx_tp_fork;
static struct tracepoint *klpx_tp_free;
/*
 * The probes stay registered after a transition until the teardown work
 * releases them: unregistering patches code, which is slow, and they do
 * nothing without a switch context or a task table.  Under klpx_mutex.
 */
static bool klpx_table_probes_registered;
static bool klpx_sys_exit_registered;

static const char *klpx_state_name(int state)
{
	return state == KLPX_PATCHED ? "patching" : "unpatching";
}

/* The code a task in the old universe may be executing for @func. */
static void klpx_func_old_range(struct klpx_func *func, struct klpx_range *r)
{
	struct klpx_ops *ops = klpx_find_ops((unsigned long)func->old_func);
	struct klpx_func *prev;

	if (!ops || list_is_last(&func->stack_node, &ops->func_stack)) {
		r->start = (unsigned long)func->old_func;
		r->end = r->start + func->old_size;
		return;
	}
	prev = list_next_entry(func, stack_node);
	r->start = (unsigned long)prev->new_func;
	r->end = r->start + prev->new_size;
}

/*
 * Publish the ranges for the current target: patching must wait for the code
 * being replaced (the previous func on the stack, or the original), unpatching
 * for the code being removed.  Called with klpx_mutex held.
 */
static void klpx_publish_switch_ctx(bool active)
{
	struct klpx_patch *patch = klpx_transition_patch;
	struct klpx_switch_ctx *ctx = NULL, *old;
	struct klpx_object *obj;
	struct klpx_func *func;
	unsigned int n = 0;

	if (active) {
		klpx_for_each_object(patch, obj)
			if (obj->patched)
				klpx_for_each_func(obj, func)
					n++;
		ctx = kzalloc(struct_size(ctx, ranges, n),
			      GFP_KERNEL | __GFP_NOFAIL);
		ctx->target = klpx_target_state;
		klpx_for_each_object(patch, obj) {
			if (!obj->patched)
				continue;
			klpx_for_each_func(obj, func) {
				struct klpx_range *r = &ctx->ranges[ctx->nr_ranges++];

				if (klpx_target_state == KLPX_UNPATCHED) {
					r->start = (unsigned long)func->new_func;
					r->end = r->start + func->new_size;
				} else {
					klpx_func_old_range(func, r);
				}
			}
		}
	}

	old = rcu_replace_pointer(klpx_switch_ctx, ctx,
				  lockdep_is_held(&klpx_mutex));
	if (old)
		kfree_rcu(old, rcu);
}

/* A func was patched or unpatched in a loading or going module mid-transition. */
void klpx_transition_funcs_changed(void)
{
	if (klpx_transition_patch)
		klpx_publish_switch_ctx(true);
}

/* The first stack entry inside a range of @ctx, or 0. */
static unsigned long klpx_stack_blocker(struct klpx_switch_ctx *ctx,
					unsigned long *entries, int nr)
{
	unsigned int i;
	int j;

	for (i = 0; i < ctx->nr_ranges; i++)
		for (j = 0; j < nr; j++)
			if (entries[j] >= ctx->ranges[i].start &&
			    entries[j] < ctx->ranges[i].end)
				return entries[j];
	return 0;
}

/*
 * Check @task's stack against @ctx.  @task is current or cannot run
 * meanwhile.  Returns 0 when it may switch, -EINVAL for an unreliable stack,
 * -EADDRINUSE with *blocker set when a function being changed is on it.
 */
static int klpx_check_stack(struct task_struct *task,
			    struct klpx_switch_ctx *ctx,
			    unsigned long *entries, unsigned long *blocker)
{
	int nr;

	nr = klpx_kernel.stack_trace_save_tsk_reliable(task, entries,
						       KLPX_MAX_STACK_ENTRIES);
	if (nr < 0)
		return -EINVAL;
	*blocker = klpx_stack_blocker(ctx, entries, nr);
	return *blocker ? -EADDRINUSE : 0;
}

static int klpx_switch_point_of(struct klpx_task_node *node, int point)
{
	return READ_ONCE(node->signaled) ? KLPX_SWITCH_SIGNAL : point;
}

/*
 * A switch made by the walk's own thread, which reads the counts after the
 * walk: see klpx_switch_current() for the others.  Every switch is counted,
 * for klpx_transition_pass; the per-task tracepoint is for whoever wants
 * each task.
 */
static void klpx_note_switch(struct task_struct *task, int target, int point)
{
	atomic_inc(&klpx_switch_counts[point]);
	trace_klpx_task_switched(task->pid, target, point);
}

static void klpx_kick_walk(void)
{
	if (!atomic_xchg(&klpx_walk_kicked, 1))
		mod_delayed_work(system_wq, &klpx_transition_work, 0);
}

/*
 * Switch current if its stack allows.  Runs with preemption or interrupts
 * disabled, so klpx_reverse_transition()'s synchronize_rcu() waits for it.
 */
static bool klpx_switch_current(struct klpx_switch_ctx *ctx, int point,
				unsigned long *entries)
{
	struct klpx_task_node *node;
	unsigned long blocker, flags;
	bool switched = false;
	int ret;

	node = klpx_task_node_get(current, GFP_ATOMIC);
	if (!node || READ_ONCE(node->state) == ctx->target)
		return false;

	/* The CPU check must not move current again under the syscall exit. */
	local_irq_save(flags);
	if (READ_ONCE(node->state) == ctx->target)
		goto out;
	ret = klpx_check_stack(current, ctx, entries, &blocker);
	if (ret) {
		if (point == KLPX_SWITCH_CPU)
			trace_klpx_task_blocked(current->pid,
						ret == -EINVAL ?
						KLPX_BLOCK_UNRELIABLE :
						KLPX_BLOCK_IN_FUNC, blocker,
						point);
		goto out;
	}
	point = klpx_switch_point_of(node, point);
	atomic_inc(&klpx_switch_counts[point]);
	/*
	 * Counted before the mark, so that the walk that finds this task
	 * moved reports it counted: pairs with smp_rmb() in
	 * klpx_trace_pass().
	 */
	smp_mb__after_atomic();
	WRITE_ONCE(node->state, ctx->target);
	trace_klpx_task_switched(current->pid, ctx->target, point);
	switched = true;
out:
	local_irq_restore(flags);
	return switched;
}

/* IPI: the running task of this CPU, user-bound, idle or a busy kthread. */
static void klpx_check_running_task(void *unused)
{
	struct klpx_switch_ctx *ctx = rcu_dereference_sched(klpx_switch_ctx);

	if (ctx && klpx_switch_current(ctx, KLPX_SWITCH_CPU,
				       this_cpu_ptr(klpx_irq_stack)))
		klpx_kick_walk();
	atomic_dec(&klpx_ipis_in_flight);
}

static void klpx_sys_exit_probe(void *data, struct pt_regs *regs, long ret)
{
	struct klpx_switch_ctx *ctx = rcu_dereference_sched(klpx_switch_ctx);

	if (!ctx || klpx_task_patch_state(current) == ctx->target)
		return;
	if (klpx_switch_current(ctx, KLPX_SWITCH_SYSCALL,
				this_cpu_ptr(klpx_task_stack)))
		klpx_kick_walk();
}

/*
 * The child is on the task list but has not run yet: give it its parent's
 * universe.  A child without a node is in the initial universe, which is
 * already right when the parent has not moved.
 */
static void klpx_fork_probe(void *data, struct task_struct *parent,
			    struct task_struct *child)
{
	struct klpx_switch_ctx *ctx = rcu_dereference_sched(klpx_switch_ctx);
	struct klpx_task_table *table = rcu_dereference_sched(klpx_task_table);
	struct klpx_task_node *node;
	bool moved;
	int state;

	/* Not only while switch points run: see klpx_complete_transition(). */
	if (!table)
		return;
	state = klpx_task_state_in(table, parent);
	if (state == table->initial_state)
		return;
	node = klpx_task_node_get(child, GFP_ATOMIC);
	if (!node)
		return;		/* stays in the initial universe until checked */
	/* The walk may have found the child first: count it once. */
	if (READ_ONCE(node->state) == state)
		return;
	moved = ctx && state == ctx->target;
	if (moved) {
		atomic_inc(&klpx_switch_counts[KLPX_SWITCH_FORK]);
		/* Counted before the mark, as in klpx_switch_current(). */
		smp_mb__after_atomic();
	}
	WRITE_ONCE(node->state, state);
	if (moved)
		trace_klpx_task_switched(child->pid, state, KLPX_SWITCH_FORK);
}

static void klpx_free_probe(void *data, struct task_struct *task)
{
	klpx_task_node_remove(task);
}

struct klpx_switch_attempt {
	struct klpx_switch_ctx *ctx;
	struct klpx_task_node *node;	/* NULL: check only, do not switch */
	unsigned long blocker;
	bool moved;			/* this check moved the task */
};

/* Called by task_call_func() with @task unable to run. */
static int klpx_check_stopped_task(struct task_struct *task, void *arg)
{
	struct klpx_switch_attempt *a = arg;
	int ret;

	if (task != current && klpx_kernel.task_curr(task))
		return -EBUSY;
	/* Moved at its syscall exit or fork since the walk looked. */
	if (a->node && READ_ONCE(a->node->state) == a->ctx->target)
		return 0;
	ret = klpx_check_stack(task, a->ctx, klpx_walk_stack, &a->blocker);
	if (ret || !a->node)
		return ret;
	WRITE_ONCE(a->node->state, a->ctx->target);
	a->moved = true;
	return 0;
}

static int klpx_block_reason(int err)
{
	switch (err) {
	case -EBUSY:
		return KLPX_BLOCK_RUNNING;
	case -EADDRINUSE:
		return KLPX_BLOCK_IN_FUNC;
	default:
		return KLPX_BLOCK_UNRELIABLE;
	}
}

/*
 * The walk's switch point.  Returns true when @task is in the target
 * universe.  A running task is left to an IPI on its CPU, collected in
 * @ipi_cpus.
 */
static bool klpx_try_switch_task(struct klpx_switch_ctx *ctx,
				 struct task_struct *task,
				 struct cpumask *ipi_cpus)
{
	struct klpx_switch_attempt a = { .ctx = ctx };
	int ret;

	a.node = klpx_task_node_get(task, GFP_NOWAIT);
	if (!a.node) {
		/* Retried by the next walk. */
		trace_klpx_task_blocked(task->pid, KLPX_BLOCK_NO_MEMORY, 0,
					KLPX_SWITCH_STACK);
		return false;
	}
	if (READ_ONCE(a.node->state) == ctx->target)
		return true;

	ret = klpx_kernel.task_call_func(task, klpx_check_stopped_task, &a);
	if (!ret) {
		if (a.moved)
			klpx_note_switch(task, ctx->target,
					 klpx_switch_point_of(a.node,
							      KLPX_SWITCH_STACK));
		return true;
	}
	if (ret == -EBUSY)
		cpumask_set_cpu(task_cpu(task), ipi_cpus);
	trace_klpx_task_blocked(task->pid, klpx_block_reason(ret), a.blocker,
				KLPX_SWITCH_STACK);
	return false;
}

static void klpx_send_ipis(const struct cpumask *cpus)
{
	int cpu;

	for_each_cpu(cpu, cpus) {
		atomic_inc(&klpx_ipis_in_flight);
		/* -EBUSY: the previous IPI to this CPU is still pending. */
		if (smp_call_function_single_async(cpu,
						   per_cpu_ptr(&klpx_cpu_csd, cpu)))
			atomic_dec(&klpx_ipis_in_flight);
	}
}

/* Nudge the tasks still in the old universe, as upstream does. */
static void klpx_send_signals(struct klpx_switch_ctx *ctx)
{
	struct task_struct *g, *task;

	if (!klpx_signaled_once)
		pr_notice("signaling remaining tasks\n");
	klpx_signaled_once = true;

	read_lock(klpx_kernel.tasklist_lock);
	for_each_process_thread(g, task) {
		struct klpx_task_node *node;

		node = klpx_task_node_get(task, GFP_NOWAIT);
		if (!node || READ_ONCE(node->state) == ctx->target)
			continue;
		WRITE_ONCE(node->signaled, 1);
		if (task->flags & PF_KTHREAD) {
			klpx_kernel.wake_up_state(task, TASK_INTERRUPTIBLE);
			trace_klpx_signal(task->pid, KLPX_SIGNAL_WAKEUP);
		} else {
			/*
			 * A fake signal: the task leaves an interruptible
			 * sleep and passes the syscall-exit barrier, and the
			 * syscall restarts transparently.
			 */
			if (!test_and_set_tsk_thread_flag(task,
							  TIF_NOTIFY_SIGNAL) &&
			    !klpx_kernel.wake_up_state(task, TASK_INTERRUPTIBLE))
				kick_process(task);
			trace_klpx_signal(task->pid, KLPX_SIGNAL_FAKE);
		}
	}
	read_unlock(klpx_kernel.tasklist_lock);
}

/*
 * The fork and free hooks keep the task table right for as long as the
 * handler may read it; the syscall-exit hook is a switch point only.
 * Called with klpx_mutex held.
 */
static int klpx_register_probes(void)
{
	int ret;

	if (!klpx_table_probes_registered) {
		ret = tracepoint_probe_register(klpx_tp_free, klpx_free_probe,
						NULL);
		if (ret)
			return ret;
		ret = tracepoint_probe_register(klpx_tp_fork, klpx_fork_probe,
						NULL);
		if (ret) {
			tracepoint_probe_unregister(klpx_tp_free,
						    klpx_free_probe, NULL);
			return ret;
		}
		klpx_table_probes_registered = true;
	}
	/* Without it, tasks still switch through the walk and IPIs. */
	if (!klpx_sys_exit_registered) {
		if (tracepoint_probe_register(klpx_tp_sys_exit,
					      klpx_sys_exit_probe, NULL))
			pr_warn("cannot hook syscall exit; tasks are checked by the walk\n");
		else
			klpx_sys_exit_registered = true;
	}
	return 0;
}

/*
 * Unregister the probes once no transition needs them, so that syscalls
 * leave the slow path.  No tracepoint_synchronize_unregister() here: a
 * probe still running finds no switch context or table, and the table's
 * own grace period covers its last readers; klpx_transition_exit() waits
 * for the probes' code.  Called without klpx_mutex held.
 */
void klpx_release_probes(void)
{
	mutex_lock(&klpx_mutex);
	if (klpx_transition_patch)
		goto out;
	if (klpx_sys_exit_registered) {
		tracepoint_probe_unregister(klpx_tp_sys_exit,
					    klpx_sys_exit_probe, NULL);
		klpx_sys_exit_registered = false;
	}
	if (klpx_table_probes_registered) {
		tracepoint_probe_unregister(klpx_tp_fork, klpx_fork_probe,
					    NULL);
		tracepoint_probe_unregister(klpx_tp_free, klpx_free_probe,
					    NULL);
		klpx_table_probes_registered = false;
	}
out:
	mutex_unlock(&klpx_mutex);
}

/*
 * Wait for every ftrace handler running now to return.  The handler runs
 * with preemption disabled, sometimes where RCU is not watching (on this
 * kernel the cpuidle drivers' enter functions are traceable), and
 * synchronize_rcu() does not wait for those.  The rude flavour makes each
 * CPU schedule, which waits for every preemption-disabled region.
 */
static void klpx_synchronize_handlers(void)
{
	synchronize_rcu_tasks_rude();
}

/*
 * The transition is complete (or cancelled): every task is in the target
 * universe, or the admin forced it.  Called with klpx_mutex held.
 */
static void klpx_complete_transition(void)
{
	struct klpx_patch *patch = klpx_transition_patch;
	struct klpx_object *obj;
	struct klpx_func *func;
	int target = klpx_target_state;

	pr_info("'%s': completing %s transition\n", klpx_patch_name(patch),
		klpx_state_name(target));

	/*
	 * Every task has moved: no switch point is needed any more.  The
	 * probes stay until klpx_release_probes(), doing nothing.
	 */
	klpx_publish_switch_ctx(false);

	if (patch->replace && target == KLPX_PATCHED) {
		klpx_unpatch_replaced_patches(patch);
		klpx_unpatch_objects_dynamic(patch);
	}

	/*
	 * One grace period, placed for the direction.  Unpatching: the
	 * handler must no longer find the funcs just taken off their stacks
	 * before func->transition goes, or it could pick a removed one; once
	 * they are unreachable no handler can see a func in transition at
	 * all.  Patching: each stack's top is the new func, which a handler
	 * that still sees func->transition picks for every marked task too;
	 * the grace period then ends the handlers that could see it set, or
	 * a nop just taken off a stack.
	 */
	if (target == KLPX_UNPATCHED) {
		klpx_unpatch_objects(patch);
		klpx_synchronize_handlers();
	}
	klpx_for_each_object(patch, obj)
		klpx_for_each_func(obj, func)
			func->transition = false;
	if (target == KLPX_PATCHED)
		klpx_synchronize_handlers();

	/*
	 * No handler reads task states any more, so fork can stop marking
	 * (a child left unmarked while one did would run the old code, then
	 * the new), and the table can go.
	 */
	klpx_task_table_destroy();

	if (patch->replace && target == KLPX_PATCHED)
		klpx_free_nops(patch);

	klpx_for_each_object(patch, obj) {
		if (!klpx_is_object_loaded(obj))
			continue;
		if (target == KLPX_PATCHED)
			klpx_post_patch_callback(obj);
		else
			klpx_post_unpatch_callback(obj);
	}

	pr_notice("'%s': %s complete\n", klpx_patch_name(patch),
		  klpx_state_name(target));
	trace_klpx_transition_end(klpx_patch_name(patch), target,
				  klpx_forcing);

	klpx_target_state = KLPX_UNDEFINED;
	klpx_transition_patch = NULL;
	klpx_forcing = false;
}

/* Complete the transition, then retire what it left unused. */
static void klpx_finish_transition(void)
{
	struct klpx_patch *patch = klpx_transition_patch, *old, *tmp;

	klpx_complete_transition();

	if (!patch->enabled) {
		klpx_retire_patch(patch);
	} else if (patch->replace) {
		/* Only the older patches were replaced; later ones stay. */
		klpx_for_each_patch_safe(old, tmp) {
			if (old == patch)
				break;
			klpx_retire_patch(old);
		}
	}
	klpx_schedule_teardown();
}

/*
 * Cancel a transition that was initialized but never started, on an enable
 * error path.
 */
void klpx_cancel_transition(void)
{
	if (WARN_ON_ONCE(klpx_target_state != KLPX_PATCHED))
		return;
	pr_info("'%s': canceling patching transition, going to unpatch\n",
		klpx_patch_name(klpx_transition_patch));
	klpx_target_state = KLPX_UNPATCHED;
	klpx_complete_transition();
}

static unsigned int klpx_walk_tasks(struct klpx_switch_ctx *ctx,
				    struct cpumask *ipi_cpus)
{
	struct task_struct *g, *task;
	unsigned int remaining = 0;
	int cpu;

	/*
	 * Holding tasklist_lock serializes the walk against fork: a child
	 * either is on the list and gets checked, or is added afterwards by
	 * a parent the walk already found in the target universe, and
	 * inherits it.
	 */
	read_lock(klpx_kernel.tasklist_lock);
	for_each_process_thread(g, task)
		if (!klpx_try_switch_task(ctx, task, ipi_cpus))
			remaining++;
	read_unlock(klpx_kernel.tasklist_lock);

	/* Idle tasks are not on the task list. */
	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		struct klpx_task_node *node;

		task = klpx_kernel.idle_task(cpu);
		preempt_disable();
		if (cpu_online(cpu)) {
			if (!klpx_try_switch_task(ctx, task, ipi_cpus))
				remaining++;
		} else {
			/* An offline CPU runs nothing: its idle task moves now. */
			node = klpx_task_node_get(task, GFP_NOWAIT);
			if (!node) {
				remaining++;
			} else if (READ_ONCE(node->state) != ctx->target) {
				WRITE_ONCE(node->state, ctx->target);
				klpx_note_switch(task, ctx->target,
						 KLPX_SWITCH_OFFLINE);
			}
		}
		preempt_enable();
	}
	cpus_read_unlock();
	return remaining;
}

static void klpx_trace_pass(unsigned int remaining)
{
	unsigned int switched[KLPX_SWITCH_NR];
	int i;

	if (!trace_klpx_transition_pass_enabled())
		return;
	/* Every task the walk found moved is counted: see klpx_switch_current(). */
	smp_rmb();
	for (i = 0; i < KLPX_SWITCH_NR; i++)
		switched[i] = atomic_read(&klpx_switch_counts[i]);
	trace_klpx_transition_pass(klpx_patch_name(klpx_transition_patch),
				   remaining, switched);
}

/*
 * Try to move every task, and complete the transition when none is left.
 * Otherwise retry: right away when a switch point makes progress, else after
 * a backoff that doubles up to KLPX_RETRY_MAX_MS.  Called with klpx_mutex
 * held.
 */
void klpx_try_complete_transition(void)
{
	struct klpx_switch_ctx *ctx;
	cpumask_var_t ipi_cpus;
	unsigned int remaining;

	if (WARN_ON_ONCE(klpx_target_state == KLPX_UNDEFINED))
		return;
	if (klpx_forcing) {
		klpx_finish_transition();
		return;
	}
	if (!zalloc_cpumask_var(&ipi_cpus, GFP_KERNEL)) {
		mod_delayed_work(system_wq, &klpx_transition_work,
				 msecs_to_jiffies(KLPX_RETRY_MAX_MS));
		return;
	}

	atomic_set(&klpx_walk_kicked, 0);
	ctx = rcu_dereference_protected(klpx_switch_ctx,
					lockdep_is_held(&klpx_mutex));
	remaining = klpx_walk_tasks(ctx, ipi_cpus);
	klpx_trace_pass(remaining);
	if (!remaining) {
		free_cpumask_var(ipi_cpus);
		klpx_finish_transition();
		return;
	}

	klpx_send_ipis(ipi_cpus);
	free_cpumask_var(ipi_cpus);

	if (signal_delay && time_after_eq(jiffies, klpx_next_signal)) {
		klpx_send_signals(ctx);
		klpx_next_signal = jiffies + signal_delay * HZ;
	}

	if (remaining < klpx_last_remaining)
		klpx_retry_ms = 1;
	else
		klpx_retry_ms = min(klpx_retry_ms * 2, KLPX_RETRY_MAX_MS);
	klpx_last_remaining = remaining;
	mod_delayed_work(system_wq, &klpx_transition_work,
			 msecs_to_jiffies(klpx_retry_ms));
}

static void klpx_transition_work_fn(struct work_struct *work)
{
	mutex_lock(&klpx_mutex);
	if (klpx_transition_patch)
		klpx_try_complete_transition();
	mutex_unlock(&klpx_mutex);
}

/*
 * Prepare a transition of @patch to @state: every task starts in the other
 * state.  Called with klpx_mutex held, before the funcs are on their stacks
 * (patching) or while they are (unpatching).
 */
int klpx_init_transition(struct klpx_patch *patch, int state)
{
	struct klpx_object *obj;
	struct klpx_func *func;
	int ret;

	if (WARN_ON_ONCE(klpx_target_state != KLPX_UNDEFINED))
		return -EBUSY;

	ret = klpx_task_table_create(!state);
	if (ret)
		return ret;
	ret = klpx_register_probes();
	if (ret) {
		klpx_task_table_destroy();
		pr_err("cannot hook fork or task exit (%d)\n", ret);
		return ret;
	}

	klpx_transition_patch = patch;
	klpx_target_state = state;
	pr_info("'%s': initializing %s transition\n", klpx_patch_name(patch),
		klpx_state_name(state));

	/*
	 * Publish the task table before any func is marked in transition:
	 * pairs with the second smp_rmb() in klpx_ftrace_handler().
	 */
	smp_wmb();

	klpx_for_each_object(patch, obj)
		klpx_for_each_func(obj, func)
			func->transition = true;
	return 0;
}

/* Open the switch points.  Called with klpx_mutex held. */
void klpx_start_transition(void)
{
	struct klpx_patch *patch = klpx_transition_patch;
	int i;

	pr_notice("'%s': starting %s transition\n", klpx_patch_name(patch),
		  klpx_state_name(klpx_target_state));

	/* No switch point runs before the context is published. */
	for (i = 0; i < KLPX_SWITCH_NR; i++)
		atomic_set(&klpx_switch_counts[i], 0);
	klpx_publish_switch_ctx(true);
	klpx_retry_ms = 1;
	klpx_last_remaining = UINT_MAX;
	klpx_signaled_once = false;
	klpx_next_signal = jiffies + signal_delay * HZ;
	trace_klpx_transition_start(klpx_patch_name(patch), klpx_target_state,
				    klpx_count_tasks());
}

/*
 * Turn the transition around: tasks that already moved must move back, the
 * others are already where the new target is.  Called with klpx_mutex held.
 */
void klpx_reverse_transition(void)
{
	struct klpx_patch *patch = klpx_transition_patch;

	pr_info("'%s': reversing transition from %s\n", klpx_patch_name(patch),
		klpx_target_state == KLPX_PATCHED ?
		"patching to unpatching" : "unpatching to patching");

	patch->enabled = !patch->enabled;
	klpx_target_state = !klpx_target_state;
	trace_klpx_reverse(klpx_patch_name(patch), klpx_target_state);

	/*
	 * A switch point that read the old target may still be marking a
	 * task with it; let those finish before the walk looks again.
	 */
	klpx_publish_switch_ctx(false);
	synchronize_rcu();

	klpx_start_transition();
	klpx_try_complete_transition();
}

/*
 * Complete the transition now, whatever the tasks run.  This breaks the
 * consistency model, so the modules of the patches it removes can never be
 * unloaded.  Called with klpx_mutex held.
 */
void klpx_force_transition(void)
{
	struct klpx_patch *patch = klpx_transition_patch, *old;

	pr_warn("forcing remaining tasks to the patched state\n");
	trace_klpx_force(klpx_patch_name(patch), klpx_target_state);

	if (klpx_target_state == KLPX_UNPATCHED) {
		patch->forced = true;
	} else if (patch->replace) {
		klpx_for_each_patch(old)
			if (old != patch)
				old->forced = true;
	}
	klpx_forcing = true;
	klpx_try_complete_transition();
}

static const char *const klpx_block_names[] = KLPX_BLOCK_NAMES;

/* /sys/kernel/debug/klpx/tasks: who still has to move, and why. */
int klpx_transition_report(struct seq_file *m)
{
	struct klpx_switch_attempt a = {};
	struct task_struct *g, *task;
	unsigned int total = 0, migrated = 0;
	int cpu;

	mutex_lock(&klpx_mutex);
	if (!klpx_transition_patch)
		goto out;
	a.ctx = rcu_dereference_protected(klpx_switch_ctx,
					  lockdep_is_held(&klpx_mutex));

	rcu_read_lock();
	for_each_process_thread(g, task) {
		total++;
		if (klpx_task_patch_state(task) == a.ctx->target)
			migrated++;
	}
	for_each_possible_cpu(cpu) {
		total++;
		if (klpx_task_patch_state(klpx_kernel.idle_task(cpu)) ==
		    a.ctx->target)
			migrated++;
	}
	rcu_read_unlock();

	seq_printf(m, "# patch=%s target=%s migrated=%u total=%u\n",
		   klpx_patch_name(klpx_transition_patch),
		   a.ctx->target == KLPX_PATCHED ? "patched" : "unpatched",
		   migrated, total);

	read_lock(klpx_kernel.tasklist_lock);
	for_each_process_thread(g, task) {
		int ret;

		if (klpx_task_patch_state(task) == a.ctx->target)
			continue;
		a.blocker = 0;
		ret = klpx_kernel.task_call_func(task, klpx_check_stopped_task,
						 &a);
		seq_printf(m, "%d\t%s\t%s\t", task->pid, task->comm,
			   ret ? klpx_block_names[klpx_block_reason(ret)] :
			   "pending");
		if (a.blocker)
			seq_printf(m, "%pS\n", (void *)a.blocker);
		else
			seq_puts(m, "-\n");
	}
	read_unlock(klpx_kernel.tasklist_lock);

	for_each_possible_cpu(cpu) {
		task = klpx_kernel.idle_task(cpu);
		rcu_read_lock();
		if (klpx_task_patch_state(task) != a.ctx->target)
			seq_printf(m, "0\tswapper/%d\t%s\t-\n", cpu,
				   cpu_online(cpu) ? "running" : "offline");
		rcu_read_unlock();
	}
out:
	mutex_unlock(&klpx_mutex);
	return 0;
}

struct klpx_tp_lookup {
	const char *name;
	struct tracepoint **slot;
};

static void klpx_match_tracepoint(struct tracepoint *tp, void *data)
{
	struct klpx_tp_lookup *l;

	for (l = data; l->name; l++)
		if (!strcmp(tp->name, l->name))
			*l->slot = tp;
}

int klpx_transition_init(void)
{
	struct klpx_tp_lookup lookups[] = {
		{ "sys_exit", &klpx_tp_sys_exit },
		{ "sched_process_fork", &klpx_tp_fork },
		{ "sched_process_free", &klpx_tp_free },
		{ }
	};
	int cpu;

	for_each_kernel_tracepoint(klpx_match_tracepoint, lookups);
	if (!klpx_tp_sys_exit || !klpx_tp_fork || !klpx_tp_free) {
		pr_err("kernel tracepoints sys_exit, sched_process_fork or sched_process_free missing\n");
		return -ENOENT;
	}
	for_each_possible_cpu(cpu)
		INIT_CSD(per_cpu_ptr(&klpx_cpu_csd, cpu),
			 klpx_check_running_task, NULL);
	return 0;
}

/* No patch is left, so no transition runs; wait for stragglers. */
void klpx_transition_exit(void)
{
	cancel_delayed_work_sync(&klpx_transition_work);
	klpx_release_probes();
	while (atomic_read(&klpx_ipis_in_flight))
		cpu_relax();
	/* The IPI callbacks ran with interrupts off: RCU covers their return. */
	tracepoint_synchronize_unregister();
}
