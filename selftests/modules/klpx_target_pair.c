// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target of the consistency checker (reliability_consistency.sh): the
 * original version (0) of the format pair of reliability_pair.h, and tasks
 * that run its cycle all the time:
 *
 *   workers      kthreads "pair_worker/N": cycle, then sleep outer_ms
 *                outside; inside the cycle they sleep inner_ms, in turn
 *                uninterruptibly, interruptibly, and (every third one)
 *                spinning with cond_resched() without ever sleeping;
 *   holders      kthreads "pair_holder/N", like workers, except that while
 *                bit N of hold_mask is set, a cycle that starts stays inside
 *                (after f, before g): a transition cannot move them;
 *   readers      a read of /proc/klpx_target_pair/cycle runs one cycle in
 *                the reading task (a user task, for the syscall-exit path)
 *                and says "ok" or "violation", with the versions of f and
 *                g that ran;
 *   rcu_reader   (rcu_reader_ms > 0) a kthread "pair_rcu_reader" that stays
 *                in RCU read-side sections of rcu_reader_ms again and
 *                again, so that every RCU grace period lasts that long, as
 *                on a machine with long RCU readers: whatever an engine does
 *                "after a grace period" is stretched.
 *
 * /proc/klpx_target_pair/stats:
 *	cycles <n>
 *	violations <n>
 *	last_violation <writer version> <reader version>
 *	holder<N> <0 | 1 + the version of f whose record it holds>
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "reliability_pair.h"

#define PAIR_MAX_HOLDERS	4

static unsigned int workers = 4, holders = 2;
module_param(workers, uint, 0444);
MODULE_PARM_DESC(workers, "cycling kthreads");
module_param(holders, uint, 0444);
MODULE_PARM_DESC(holders, "cycling kthreads that hold_mask can keep inside a cycle (max 4)");

static unsigned int rcu_reader_ms;
module_param(rcu_reader_ms, uint, 0444);
MODULE_PARM_DESC(rcu_reader_ms, "length of pair_rcu_reader's RCU read-side sections (0: no such kthread)");

static unsigned int inner_ms = 5, outer_ms = 2, hold_mask;
module_param(inner_ms, uint, 0644);
MODULE_PARM_DESC(inner_ms, "time spent inside a cycle, between f and g");
module_param(outer_ms, uint, 0644);
MODULE_PARM_DESC(outer_ms, "sleep between cycles (0: none)");
module_param(hold_mask, uint, 0644);
MODULE_PARM_DESC(hold_mask, "bit N set: pair_holder/N stays inside its next cycle");

static atomic_long_t cycles, violations;
static int last_writer = -1, last_reader = -1;
static int holder_state[PAIR_MAX_HOLDERS];
static bool exiting;

/* __noipa: real, ftrace-able functions, called through their entry. */
__noipa void klpx_pair_write(struct klpx_pair_rec *rec)
{
	rec->writer = 0;
	rec->payload = klpx_pair_encode(0, rec->seq);
}
EXPORT_SYMBOL_GPL(klpx_pair_write);

__noipa bool klpx_pair_read(struct klpx_pair_rec *rec)
{
	rec->reader = 0;
	return rec->payload == klpx_pair_encode(0, rec->seq);
}
EXPORT_SYMBOL_GPL(klpx_pair_read);

/* No patch changes this one: every version of the cycle sleeps here. */
__noipa void klpx_pair_sleep(const struct klpx_pair_sleep *how,
			     const struct klpx_pair_rec *rec)
{
	unsigned int ms = READ_ONCE(inner_ms);
	u64 end;

	if (how->holder >= 0 && (READ_ONCE(hold_mask) & BIT(how->holder))) {
		WRITE_ONCE(holder_state[how->holder], rec->writer + 1);
		while ((READ_ONCE(hold_mask) & BIT(how->holder)) &&
		       !READ_ONCE(exiting))
			msleep(10);
		WRITE_ONCE(holder_state[how->holder], 0);
	}

	switch (how->kind) {
	case KLPX_PAIR_MSLEEP:
		msleep(ms);
		break;
	case KLPX_PAIR_INTERRUPTIBLE:
		schedule_timeout_interruptible(msecs_to_jiffies(ms));
		break;
	case KLPX_PAIR_SPIN:
		end = local_clock() + (u64)ms * NSEC_PER_MSEC;
		while (local_clock() < end)
			cond_resched();
		break;
	}
}
EXPORT_SYMBOL_GPL(klpx_pair_sleep);

__noipa int klpx_pair_cycle(struct klpx_pair_rec *rec,
			    const struct klpx_pair_sleep *how)
{
	klpx_pair_write(rec);
	klpx_pair_sleep(how, rec);
	return klpx_pair_read(rec) ? 0 : 1;
}

static void pair_run_cycle(struct klpx_pair_rec *rec,
			   const struct klpx_pair_sleep *how)
{
	rec->seq++;
	rec->writer = rec->reader = -1;
	if (klpx_pair_cycle(rec, how)) {
		/* The first few go to the log, to compare with the engine's events. */
		if (atomic_long_inc_return(&violations) <= 10)
			pr_info("violation: pid %d (%s) read with version %d what version %d wrote\n",
				current->pid, current->comm, rec->reader, rec->writer);
		WRITE_ONCE(last_writer, rec->writer);
		WRITE_ONCE(last_reader, rec->reader);
	}
	atomic_long_inc(&cycles);
}

struct pair_thread {
	struct task_struct *task;
	struct klpx_pair_sleep how;
};

static struct pair_thread *threads;
static unsigned int nr_threads;
static struct task_struct *rcu_reader;

/* Busy inside the read-side section (it may not sleep there), then rest. */
static int pair_rcu_reader_fn(void *unused)
{
	while (!kthread_should_stop()) {
		rcu_read_lock();
		mdelay(rcu_reader_ms);
		rcu_read_unlock();
		msleep(1);
	}
	return 0;
}

static int pair_thread_fn(void *data)
{
	struct pair_thread *t = data;
	struct klpx_pair_rec rec = { .seq = (unsigned long)t << 16 };
	unsigned int ms;

	while (!kthread_should_stop()) {
		pair_run_cycle(&rec, &t->how);
		ms = READ_ONCE(outer_ms);
		if (ms)
			msleep(ms);
		else
			cond_resched();
	}
	return 0;
}

static int cycle_show(struct seq_file *m, void *v)
{
	static const struct klpx_pair_sleep how = {
		.kind = KLPX_PAIR_MSLEEP, .holder = -1,
	};
	struct klpx_pair_rec rec = { .seq = (unsigned long)current };
	long before = atomic_long_read(&violations);

	pair_run_cycle(&rec, &how);
	seq_printf(m, "%s %d %d\n",
		   atomic_long_read(&violations) == before ? "ok" : "violation",
		   rec.writer, rec.reader);
	return 0;
}

static int stats_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "cycles %ld\n", atomic_long_read(&cycles));
	seq_printf(m, "violations %ld\n", atomic_long_read(&violations));
	seq_printf(m, "last_violation %d %d\n", READ_ONCE(last_writer),
		   READ_ONCE(last_reader));
	for (i = 0; i < holders; i++)
		seq_printf(m, "holder%u %d\n", i, READ_ONCE(holder_state[i]));
	return 0;
}

static struct proc_dir_entry *proc_dir;

static void stop_threads(void)
{
	unsigned int i;

	WRITE_ONCE(exiting, true);
	if (rcu_reader) {
		kthread_stop(rcu_reader);
		put_task_struct(rcu_reader);
		rcu_reader = NULL;
	}
	for (i = 0; i < nr_threads; i++) {
		kthread_stop(threads[i].task);
		put_task_struct(threads[i].task);
	}
	kfree(threads);
	threads = NULL;
	nr_threads = 0;
}

static int start_threads(void)
{
	static const enum klpx_pair_sleep_kind kinds[] = {
		KLPX_PAIR_MSLEEP, KLPX_PAIR_INTERRUPTIBLE, KLPX_PAIR_SPIN,
	};
	unsigned int i, n = workers + holders;
	struct task_struct *task;

	threads = kcalloc(n, sizeof(*threads), GFP_KERNEL);
	if (!threads)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct pair_thread *t = &threads[nr_threads];
		bool holder = i >= workers;

		t->how.holder = holder ? i - workers : -1;
		/* Holders sleep, so that releasing them lets RCU-tasks on. */
		t->how.kind = holder ? KLPX_PAIR_MSLEEP : kinds[i % ARRAY_SIZE(kinds)];
		task = kthread_create(pair_thread_fn, t, holder ? "pair_holder/%u" :
				      "pair_worker/%u", holder ? i - workers : i);
		if (IS_ERR(task))
			return PTR_ERR(task);
		get_task_struct(task);
		t->task = task;
		nr_threads++;
		wake_up_process(task);
	}
	if (rcu_reader_ms) {
		task = kthread_run(pair_rcu_reader_fn, NULL, "pair_rcu_reader");
		if (IS_ERR(task))
			return PTR_ERR(task);
		get_task_struct(task);
		rcu_reader = task;
	}
	return 0;
}

static int __init klpx_target_pair_init(void)
{
	int ret;

	if (holders > PAIR_MAX_HOLDERS)
		return -EINVAL;
	proc_dir = proc_mkdir("klpx_target_pair", NULL);
	if (!proc_dir)
		return -ENOMEM;
	if (!proc_create_single("cycle", 0444, proc_dir, cycle_show) ||
	    !proc_create_single("stats", 0444, proc_dir, stats_show)) {
		proc_remove(proc_dir);
		return -ENOMEM;
	}
	ret = start_threads();
	if (ret) {
		stop_threads();
		proc_remove(proc_dir);
	}
	return ret;
}

static void __exit klpx_target_pair_exit(void)
{
	proc_remove(proc_dir);
	stop_threads();
}

module_init(klpx_target_pair_init);
module_exit(klpx_target_pair_exit);
MODULE_DESCRIPTION("klpx consistency checker target: a format pair used by cycling tasks");
MODULE_LICENSE("GPL");
