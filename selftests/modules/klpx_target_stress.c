// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target of the stress test: "threads" kthreads call
 * klpx_target_stress_func() over and over, with a short sleep between
 * calls (so they never hold up an RCU-tasks grace period), while a test
 * patches and unpatches it again and again.
 *
 * The original returns 1 and patch_stress's version returns 2; any other
 * value means a call went astray.  /proc/klpx_target_stress shows how many
 * calls returned each:
 *
 *	original <n>
 *	patched <n>
 *	bad <n>
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

static int threads = 4;
module_param(threads, int, 0444);
MODULE_PARM_DESC(threads, "number of calling kthreads (default 4)");

#define STRESS_ORIGINAL	1
#define STRESS_PATCHED	2

static atomic_long_t calls_original, calls_patched, calls_bad;
static struct task_struct **callers;

/* __noipa: a real function that every call reaches through its entry. */
__noipa int klpx_target_stress_func(int arg)
{
	return arg ? STRESS_ORIGINAL : 0;
}

static int caller_fn(void *unused)
{
	while (!kthread_should_stop()) {
		switch (klpx_target_stress_func(1)) {
		case STRESS_ORIGINAL:
			atomic_long_inc(&calls_original);
			break;
		case STRESS_PATCHED:
			atomic_long_inc(&calls_patched);
			break;
		default:
			atomic_long_inc(&calls_bad);
			break;
		}
		usleep_range(200, 400);
	}
	return 0;
}

static int stress_show(struct seq_file *m, void *v)
{
	seq_printf(m, "original %ld\npatched %ld\nbad %ld\n",
		   atomic_long_read(&calls_original),
		   atomic_long_read(&calls_patched),
		   atomic_long_read(&calls_bad));
	return 0;
}

static void stop_callers(void)
{
	int i;

	for (i = 0; i < threads; i++) {
		if (!callers[i])
			continue;
		kthread_stop(callers[i]);
		put_task_struct(callers[i]);
	}
	kfree(callers);
}

static int __init klpx_target_stress_init(void)
{
	struct task_struct *task;
	int i;

	if (threads < 1 || threads > 64)
		return -EINVAL;
	callers = kcalloc(threads, sizeof(*callers), GFP_KERNEL);
	if (!callers)
		return -ENOMEM;
	for (i = 0; i < threads; i++) {
		task = kthread_run(caller_fn, NULL, "klpx_stress/%d", i);
		if (IS_ERR(task)) {
			stop_callers();
			return PTR_ERR(task);
		}
		get_task_struct(task);
		callers[i] = task;
	}
	if (!proc_create_single("klpx_target_stress", 0444, NULL,
				stress_show)) {
		stop_callers();
		return -ENOMEM;
	}
	return 0;
}

static void __exit klpx_target_stress_exit(void)
{
	remove_proc_entry("klpx_target_stress", NULL);
	stop_callers();
}

module_init(klpx_target_stress_init);
module_exit(klpx_target_stress_exit);
MODULE_DESCRIPTION("klpx test target: kthreads calling one function constantly");
MODULE_LICENSE("GPL");
