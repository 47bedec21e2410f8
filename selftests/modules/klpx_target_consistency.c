// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target of the consistency-model tests.  Each kthread below is started by
 * its module parameter and sits in one function, so that a test can check
 * how a transition treats a task in that situation:
 *
 *   sleeper=1   "klpx_sleeper" sleeps in klpx_target_sleep_in_func() while
 *               sleeper_hold is Y (short uninterruptible sleeps, which
 *               neither a fake signal nor a wakeup ends);
 *   spin_in=1   "klpx_spin_in" busy-loops in klpx_target_spin_in_func()
 *               while spin_in_hold is Y;
 *   spin_out=1  "klpx_spin_out" busy-loops, pinned on the last CPU, in
 *               klpx_target_spin_elsewhere(), which no patch changes, while
 *               spin_out_run is Y;
 *   waiter=1    "klpx_waiter" sleeps interruptibly in
 *               klpx_target_kthread_wait() until something wakes it.
 *
 * The busy loops call cond_resched(), so they never look like a lockup.
 * Once out of its function, a kthread waits to be stopped at module exit.
 *
 *   /proc/klpx_target_consistency/value  what klpx_target_value() says
 *   /proc/klpx_target_consistency/wait   the reader sleeps interruptibly in
 *                                        klpx_target_wait_interruptible()
 *                                        until wait_release is Y or a signal
 *                                        comes, then reads what it says
 *   /proc/klpx_target_consistency/state  one "name: count" line per loop
 *                                        counter, so tests see progress
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/wait.h>

static bool sleeper, spin_in, spin_out, waiter;
module_param(sleeper, bool, 0444);
module_param(spin_in, bool, 0444);
module_param(spin_out, bool, 0444);
module_param(waiter, bool, 0444);

static bool sleeper_hold = true, spin_in_hold = true, spin_out_run = true;
static bool wait_release;
module_param(sleeper_hold, bool, 0644);
MODULE_PARM_DESC(sleeper_hold, "N lets klpx_sleeper leave its function");
module_param(spin_in_hold, bool, 0644);
MODULE_PARM_DESC(spin_in_hold, "N lets klpx_spin_in leave its function");
module_param(spin_out_run, bool, 0644);
MODULE_PARM_DESC(spin_out_run, "N stops klpx_spin_out's busy loop");
module_param(wait_release, bool, 0644);
MODULE_PARM_DESC(wait_release, "Y ends the readers' wait in /proc/klpx_target_consistency/wait");

static unsigned long spin_in_loops, spin_out_loops, waiter_wakeups;

/*
 * __noipa: these must stay real, ftrace-able functions that callers reach
 * through their entry, and that a task's stack shows while it is inside.
 */
__noipa int klpx_target_value(char *buf, size_t size)
{
	return scnprintf(buf, size, "original\n");
}

__noipa void klpx_target_sleep_in_func(void)
{
	while (READ_ONCE(sleeper_hold))
		msleep(20);
}

__noipa void klpx_target_spin_in_func(void)
{
	while (READ_ONCE(spin_in_hold)) {
		WRITE_ONCE(spin_in_loops, spin_in_loops + 1);
		cond_resched();
	}
}

__noipa void klpx_target_spin_elsewhere(void)
{
	while (READ_ONCE(spin_out_run)) {
		WRITE_ONCE(spin_out_loops, spin_out_loops + 1);
		cond_resched();
	}
}

/* Returns on the first wakeup; timer ticks only re-check module exit. */
__noipa void klpx_target_kthread_wait(void)
{
	while (!kthread_should_stop()) {
		if (schedule_timeout_interruptible(HZ / 10)) {
			WRITE_ONCE(waiter_wakeups, waiter_wakeups + 1);
			return;
		}
	}
}

/* -ERESTARTSYS on a signal, fake or real: the read is then restarted. */
__noipa int klpx_target_wait_interruptible(char *buf, size_t size)
{
	while (!READ_ONCE(wait_release)) {
		if (signal_pending(current))
			return -ERESTARTSYS;
		schedule_timeout_interruptible(HZ / 50);
	}
	return scnprintf(buf, size, "original\n");
}

/* After its function: wait, outside every patched function, to be stopped. */
static void wait_for_stop(void)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_IDLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
}

static int sleeper_fn(void *unused)
{
	klpx_target_sleep_in_func();
	wait_for_stop();
	return 0;
}

static int spin_in_fn(void *unused)
{
	klpx_target_spin_in_func();
	wait_for_stop();
	return 0;
}

static int spin_out_fn(void *unused)
{
	klpx_target_spin_elsewhere();
	wait_for_stop();
	return 0;
}

static int waiter_fn(void *unused)
{
	klpx_target_kthread_wait();
	wait_for_stop();
	return 0;
}

struct target_thread {
	bool *enabled;
	bool *hold;		/* cleared at exit so the kthread leaves */
	bool hold_value;	/* what *hold holds while it must stay */
	int (*fn)(void *data);
	const char *name;
	bool pinned;
	struct task_struct *task;
};

static struct target_thread threads[] = {
	{ &sleeper, &sleeper_hold, true, sleeper_fn, "klpx_sleeper" },
	{ &spin_in, &spin_in_hold, true, spin_in_fn, "klpx_spin_in" },
	{ &spin_out, &spin_out_run, true, spin_out_fn, "klpx_spin_out", true },
	{ &waiter, NULL, false, waiter_fn, "klpx_waiter" },
};

static int value_show(struct seq_file *m, void *v)
{
	char buf[32];

	klpx_target_value(buf, sizeof(buf));
	seq_puts(m, buf);
	return 0;
}

static int wait_show(struct seq_file *m, void *v)
{
	char buf[32];
	int ret;

	ret = klpx_target_wait_interruptible(buf, sizeof(buf));
	if (ret < 0)
		return ret;
	seq_puts(m, buf);
	return 0;
}

static int state_show(struct seq_file *m, void *v)
{
	seq_printf(m, "spin_in_loops: %lu\n", READ_ONCE(spin_in_loops));
	seq_printf(m, "spin_out_loops: %lu\n", READ_ONCE(spin_out_loops));
	seq_printf(m, "waiter_wakeups: %lu\n", READ_ONCE(waiter_wakeups));
	return 0;
}

static struct proc_dir_entry *proc_dir;

static void stop_threads(void)
{
	struct target_thread *t;

	for (t = threads; t < threads + ARRAY_SIZE(threads); t++) {
		if (!t->task)
			continue;
		if (t->hold)
			WRITE_ONCE(*t->hold, !t->hold_value);
		kthread_stop(t->task);
		put_task_struct(t->task);
		t->task = NULL;
	}
}

static int __init klpx_target_consistency_init(void)
{
	struct target_thread *t;
	struct task_struct *task;

	proc_dir = proc_mkdir("klpx_target_consistency", NULL);
	if (!proc_dir)
		return -ENOMEM;
	if (!proc_create_single("value", 0444, proc_dir, value_show) ||
	    !proc_create_single("wait", 0444, proc_dir, wait_show) ||
	    !proc_create_single("state", 0444, proc_dir, state_show))
		goto fail;

	for (t = threads; t < threads + ARRAY_SIZE(threads); t++) {
		if (!*t->enabled)
			continue;
		task = kthread_create(t->fn, NULL, "%s", t->name);
		if (IS_ERR(task))
			goto fail;
		if (t->pinned)
			kthread_bind(task, num_online_cpus() - 1);
		get_task_struct(task);
		t->task = task;
		wake_up_process(task);
	}
	return 0;

fail:
	stop_threads();
	proc_remove(proc_dir);
	return -ENOMEM;
}

static void __exit klpx_target_consistency_exit(void)
{
	WRITE_ONCE(wait_release, true);
	proc_remove(proc_dir);
	stop_threads();
}

module_init(klpx_target_consistency_init);
module_exit(klpx_target_consistency_exit);
MODULE_DESCRIPTION("klpx test target: kthreads that sleep or spin in patchable functions");
MODULE_LICENSE("GPL");
