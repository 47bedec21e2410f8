// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_sleeper: a demo target module whose kthread can be held asleep
 * inside a function that a patch changes (klpx_sleeper_fix).  While the
 * kthread sleeps there, the patch's transition cannot move it, so the
 * transition waits; when the kthread leaves the function, it completes.
 *
 *   echo hold > /proc/klpx_sleeper      the kthread "klpx_sleeper" enters
 *                                       klpx_sleeper_nap() and stays there
 *   echo release > /proc/klpx_sleeper   it leaves
 *   cat /proc/klpx_sleeper              naps taken, whether one is under
 *                                       way, and which code ran the last one
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "klpx_sleeper.h"

static struct klpx_sleeper sleeper;
static struct task_struct *sleeper_task;

/*
 * __noipa: stays a real function that ftrace can redirect, called through
 * its entry, with no specialised copy under another name.
 */
__noipa void klpx_sleeper_nap(struct klpx_sleeper *s)
{
	WRITE_ONCE(s->napping, true);
	/* Interruptible: the engine's wakeups only make it look again. */
	wait_event_interruptible(s->wake, !READ_ONCE(s->held) || kthread_should_stop());
	s->naps++;
	s->last_nap_by = "the original klpx_sleeper_nap";
	WRITE_ONCE(s->napping, false);
}

static int klpx_sleeper_thread(void *unused)
{
	while (!kthread_should_stop()) {
		/* Outside the patched function between naps. */
		wait_event_interruptible(sleeper.wake,
					 READ_ONCE(sleeper.held) || kthread_should_stop());
		if (kthread_should_stop())
			break;
		klpx_sleeper_nap(&sleeper);
	}
	return 0;
}

static int klpx_sleeper_show(struct seq_file *m, void *v)
{
	seq_printf(m, "naps: %lu\nnapping: %s\nheld: %s\nlast nap by: %s\n",
		   sleeper.naps, READ_ONCE(sleeper.napping) ? "yes" : "no",
		   READ_ONCE(sleeper.held) ? "yes" : "no",
		   sleeper.last_nap_by ? sleeper.last_nap_by : "-");
	return 0;
}

static int klpx_sleeper_open(struct inode *inode, struct file *file)
{
	return single_open(file, klpx_sleeper_show, NULL);
}

static ssize_t klpx_sleeper_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	char cmd[16];
	size_t len = min(count, sizeof(cmd) - 1);

	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);
	if (!strcmp(cmd, "hold"))
		WRITE_ONCE(sleeper.held, true);
	else if (!strcmp(cmd, "release"))
		WRITE_ONCE(sleeper.held, false);
	else
		return -EINVAL;
	wake_up_interruptible(&sleeper.wake);
	return count;
}

static const struct proc_ops klpx_sleeper_proc_ops = {
	.proc_open = klpx_sleeper_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = klpx_sleeper_write,
};

static int __init klpx_sleeper_init(void)
{
	init_waitqueue_head(&sleeper.wake);
	if (!proc_create("klpx_sleeper", 0644, NULL, &klpx_sleeper_proc_ops))
		return -ENOMEM;
	sleeper_task = kthread_run(klpx_sleeper_thread, NULL, "klpx_sleeper");
	if (IS_ERR(sleeper_task)) {
		remove_proc_entry("klpx_sleeper", NULL);
		return PTR_ERR(sleeper_task);
	}
	return 0;
}

static void __exit klpx_sleeper_exit(void)
{
	kthread_stop(sleeper_task);
	remove_proc_entry("klpx_sleeper", NULL);
}

module_init(klpx_sleeper_init);
module_exit(klpx_sleeper_exit);
MODULE_DESCRIPTION("klpx demo target: a kthread that can sleep inside a patched function");
MODULE_LICENSE("GPL");
