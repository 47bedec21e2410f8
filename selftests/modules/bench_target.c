// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target of the benchmarks (bench/).  It offers:
 *
 *   bench_target_call()   a tiny function that the bench patches replace
 *                         with the same code; reading
 *                         /proc/bench_target/call_ns calls it `loops` times
 *                         in a loop, and as often bench_target_ref(), its
 *                         twin that no patch changes, and prints
 *                         "<calls> <chunk> <median ns per chunk of calls>
 *                         <median ns per chunk of reference calls>";
 *   bench_target_hold()   a kthread "bench_holder" (holder=1) sleeps in it
 *                         while hold is Y, so a transition that changes it
 *                         stays open for as long as a benchmark needs; with
 *                         hold N it sleeps elsewhere, until hold is Y again;
 *   bench_target_other()  a function only bench_drop changes, so that a
 *                         cumulative replace can drop bench_target_call;
 *   "bench_busy"          (busy=1) a kthread pinned on the last CPU that,
 *                         while busy_run is Y, never sleeps: it loops in
 *                         bench_target_spin() calling cond_resched().  With
 *                         busy_run N it sleeps, so that an unpatch, which
 *                         waits for RCU-tasks, can go through.
 *
 * No patch changes bench_target_spin(): the busy kthread never sits in a
 * function being changed, so only the fact that it never sleeps can stall
 * a transition.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

static unsigned long loops = 1000000;
module_param(loops, ulong, 0644);
MODULE_PARM_DESC(loops, "calls per read of /proc/bench_target/call_ns (in chunks of 1024)");

static bool holder, busy;
module_param(holder, bool, 0444);
MODULE_PARM_DESC(holder, "start bench_holder, which sleeps in bench_target_hold()");
module_param(busy, bool, 0444);
MODULE_PARM_DESC(busy, "start bench_busy, pinned on the last CPU");

static bool hold = true, busy_run = true;
module_param(hold, bool, 0644);
MODULE_PARM_DESC(hold, "Y keeps bench_holder in bench_target_hold(), N lets it leave");
module_param(busy_run, bool, 0644);
MODULE_PARM_DESC(busy_run, "N makes bench_busy sleep instead of spinning");

static unsigned long busy_loops, hold_entries;
static unsigned long call_sink;

/* __noipa: real, ftrace-able functions, called through their entry. */
__noipa unsigned long bench_target_call(unsigned long x)
{
	return x * 3 + 1;
}

__noipa unsigned long bench_target_ref(unsigned long x)
{
	return x * 3 + 1;
}

__noipa unsigned long bench_target_other(unsigned long x)
{
	return x + 7;
}

__noipa void bench_target_hold(void)
{
	WRITE_ONCE(hold_entries, hold_entries + 1);
	while (READ_ONCE(hold) && !kthread_should_stop())
		msleep(20);
}

__noipa void bench_target_spin(void)
{
	while (READ_ONCE(busy_run) && !kthread_should_stop()) {
		WRITE_ONCE(busy_loops, busy_loops + 1);
		cond_resched();
	}
}

/*
 * Calls are timed in short chunks with preemption off, alternating between
 * the function under test and its unpatched twin.  The twin's time, taken
 * at the same moments, measures how fast the (emulated) machine ran, so the
 * ratio of the two cancels the host's ups and downs.  The median chunk
 * leaves out the chunks that an interrupt or the host stretched.
 */
#define BENCH_CHUNK	1024

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median_u64(u64 *v, size_t n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bench_call_loop(unsigned long n, u64 *call_ns, u64 *ref_ns)
{
	size_t chunks = max(1UL, n / BENCH_CHUNK), c;
	unsigned long j, sum = 0;
	u64 *call_t, *ref_t, t0, t1, t2;

	call_t = kvmalloc_array(chunks, sizeof(*call_t), GFP_KERNEL);
	ref_t = kvmalloc_array(chunks, sizeof(*ref_t), GFP_KERNEL);
	if (!call_t || !ref_t) {
		kvfree(call_t);
		kvfree(ref_t);
		return -ENOMEM;
	}

	for (c = 0; c < chunks; c++) {
		preempt_disable();
		t0 = local_clock();
		for (j = 0; j < BENCH_CHUNK; j++)
			sum += bench_target_call(j);
		t1 = local_clock();
		for (j = 0; j < BENCH_CHUNK; j++)
			sum += bench_target_ref(j);
		t2 = local_clock();
		preempt_enable();
		call_t[c] = t1 - t0;
		ref_t[c] = t2 - t1;
		cond_resched();
	}
	WRITE_ONCE(call_sink, sum);

	*call_ns = median_u64(call_t, chunks);
	*ref_ns = median_u64(ref_t, chunks);
	kvfree(call_t);
	kvfree(ref_t);
	return 0;
}

static int call_ns_show(struct seq_file *m, void *v)
{
	u64 call_ns, ref_ns;
	int ret;

	ret = bench_call_loop(READ_ONCE(loops), &call_ns, &ref_ns);
	if (ret)
		return ret;
	seq_printf(m, "%lu %u %llu %llu\n", READ_ONCE(loops), BENCH_CHUNK,
		   call_ns, ref_ns);
	return 0;
}

/* Which code runs: the patches keep the result, so print what it is. */
static int value_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lu %lu\n", bench_target_call(1), bench_target_other(1));
	return 0;
}

static int state_show(struct seq_file *m, void *v)
{
	seq_printf(m, "busy_loops: %lu\n", READ_ONCE(busy_loops));
	seq_printf(m, "hold_entries: %lu\n", READ_ONCE(hold_entries));
	return 0;
}

static int holder_fn(void *unused)
{
	/* Patched, bench_target_hold() returns at once: sleep after it. */
	while (!kthread_should_stop()) {
		if (READ_ONCE(hold))
			bench_target_hold();
		schedule_timeout_idle(HZ / 20);
	}
	return 0;
}

static int busy_fn(void *unused)
{
	while (!kthread_should_stop()) {
		if (READ_ONCE(busy_run))
			bench_target_spin();
		else
			schedule_timeout_idle(HZ / 20);
	}
	return 0;
}

static struct proc_dir_entry *proc_dir;
static struct task_struct *holder_task, *busy_task;

static struct task_struct *start_kthread(int (*fn)(void *), const char *name,
					 int cpu)
{
	struct task_struct *task;

	task = kthread_create(fn, NULL, "%s", name);
	if (IS_ERR(task))
		return task;
	if (cpu >= 0)
		kthread_bind(task, cpu);
	get_task_struct(task);
	wake_up_process(task);
	return task;
}

static void stop_kthread(struct task_struct **task)
{
	if (!*task)
		return;
	kthread_stop(*task);
	put_task_struct(*task);
	*task = NULL;
}

static int __init bench_target_init(void)
{
	struct task_struct *task;

	proc_dir = proc_mkdir("bench_target", NULL);
	if (!proc_dir)
		return -ENOMEM;
	if (!proc_create_single("call_ns", 0444, proc_dir, call_ns_show) ||
	    !proc_create_single("value", 0444, proc_dir, value_show) ||
	    !proc_create_single("state", 0444, proc_dir, state_show))
		goto fail;

	if (holder) {
		task = start_kthread(holder_fn, "bench_holder", -1);
		if (IS_ERR(task))
			goto fail;
		holder_task = task;
	}
	if (busy) {
		task = start_kthread(busy_fn, "bench_busy",
				     num_online_cpus() - 1);
		if (IS_ERR(task))
			goto fail;
		busy_task = task;
	}
	return 0;

fail:
	stop_kthread(&holder_task);
	proc_remove(proc_dir);
	return -ENOMEM;
}

static void __exit bench_target_exit(void)
{
	WRITE_ONCE(hold, false);
	WRITE_ONCE(busy_run, false);
	proc_remove(proc_dir);
	stop_kthread(&holder_task);
	stop_kthread(&busy_task);
}

module_init(bench_target_init);
module_exit(bench_target_exit);
MODULE_DESCRIPTION("klpx benchmark target: a tiny patchable function, a holder and a busy kthread");
MODULE_LICENSE("GPL");
