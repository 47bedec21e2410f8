// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target of the cumulative-series tests: three functions, a, b and c, each
 * writing one line that names the version that ran ("a: original" until a
 * patch replaces it).
 *
 *   /proc/klpx_target_funcs/show     a, b and c as called by the reader
 *   /proc/klpx_target_funcs/held     a, b and c as called by the holder
 *   /proc/klpx_target_funcs/release  any write lets the holder go
 *
 * With hold=1 a kthread, "klpx_holder", sleeps in klpx_target_funcs_hold()
 * until released.  A patch that changes that function cannot move the
 * holder to its universe meanwhile, so the holder keeps calling the old
 * versions of a, b and c, which "held" shows, while every other task
 * already sees the new ones through "show".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/wait.h>

static bool hold;
module_param(hold, bool, 0444);
MODULE_PARM_DESC(hold, "start the holder kthread (default N)");

#define DESCRIBE_SIZE	128

/*
 * __noipa: each must stay a real, ftrace-able function that every caller
 * reaches through its entry (no inlining, no specialised clone).
 */
__noipa int klpx_target_a(char *buf, size_t size)
{
	return scnprintf(buf, size, "a: original\n");
}

__noipa int klpx_target_b(char *buf, size_t size)
{
	return scnprintf(buf, size, "b: original\n");
}

__noipa int klpx_target_c(char *buf, size_t size)
{
	return scnprintf(buf, size, "c: original\n");
}

static void describe(char *buf, size_t size)
{
	int len;

	len = klpx_target_a(buf, size);
	len += klpx_target_b(buf + len, size - len);
	klpx_target_c(buf + len, size - len);
}

static struct task_struct *holder;
static DECLARE_WAIT_QUEUE_HEAD(holder_wait);
static bool holder_released;
static bool holder_request;
static DECLARE_COMPLETION(holder_answered);
static DEFINE_MUTEX(holder_query_lock);
static char holder_answer[DESCRIBE_SIZE];

/*
 * The holder stays in this function until released, answering queries
 * from here.  TASK_IDLE: neither a fake signal nor a wakeup moves it out,
 * only a release does.
 */
__noipa void klpx_target_funcs_hold(void)
{
	for (;;) {
		wait_event_idle(holder_wait, READ_ONCE(holder_request) ||
					     READ_ONCE(holder_released));
		if (READ_ONCE(holder_request)) {
			describe(holder_answer, sizeof(holder_answer));
			WRITE_ONCE(holder_request, false);
			complete(&holder_answered);
		}
		if (READ_ONCE(holder_released))
			return;
	}
}

static int holder_fn(void *unused)
{
	klpx_target_funcs_hold();
	/* Released: wait to be stopped, outside every patched function. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_IDLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static int show_show(struct seq_file *m, void *v)
{
	char buf[DESCRIBE_SIZE];

	describe(buf, sizeof(buf));
	seq_puts(m, buf);
	return 0;
}

static int held_show(struct seq_file *m, void *v)
{
	int ret = 0;

	mutex_lock(&holder_query_lock);
	if (!holder || READ_ONCE(holder_released)) {
		ret = -ESRCH;
		goto out;
	}
	reinit_completion(&holder_answered);
	WRITE_ONCE(holder_request, true);
	wake_up(&holder_wait);
	/* The holder may have been released in the meantime. */
	if (!wait_for_completion_timeout(&holder_answered, 5 * HZ)) {
		WRITE_ONCE(holder_request, false);
		ret = -ETIMEDOUT;
		goto out;
	}
	seq_puts(m, holder_answer);
out:
	mutex_unlock(&holder_query_lock);
	return ret;
}

static ssize_t release_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	WRITE_ONCE(holder_released, true);
	wake_up(&holder_wait);
	return count;
}

static const struct proc_ops release_ops = {
	.proc_write = release_write,
	.proc_lseek = noop_llseek,
};

static struct proc_dir_entry *proc_dir;

static int __init klpx_target_funcs_init(void)
{
	proc_dir = proc_mkdir("klpx_target_funcs", NULL);
	if (!proc_dir)
		return -ENOMEM;
	if (!proc_create_single("show", 0444, proc_dir, show_show) ||
	    !proc_create_single("held", 0444, proc_dir, held_show) ||
	    !proc_create("release", 0200, proc_dir, &release_ops)) {
		proc_remove(proc_dir);
		return -ENOMEM;
	}

	if (hold) {
		holder = kthread_run(holder_fn, NULL, "klpx_holder");
		if (IS_ERR(holder)) {
			proc_remove(proc_dir);
			return PTR_ERR(holder);
		}
	}
	return 0;
}

static void __exit klpx_target_funcs_exit(void)
{
	proc_remove(proc_dir);
	if (holder) {
		WRITE_ONCE(holder_released, true);
		wake_up(&holder_wait);
		kthread_stop(holder);
	}
}

module_init(klpx_target_funcs_init);
module_exit(klpx_target_funcs_exit);
MODULE_DESCRIPTION("klpx test target: functions a, b, c and a holder kthread");
MODULE_LICENSE("GPL");
