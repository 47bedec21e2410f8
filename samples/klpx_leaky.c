// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_leaky: a demo target module with a real memory leak, fixed live by
 * klpx_leaky_fix.
 *
 * Every open of /proc/klpx_leaky starts a session, which allocates a 4 KiB
 * scratch buffer to build its greeting, and then forgets the buffer: the
 * session structure has no field to keep it in, so nothing can free it.
 * Reading the file shows the count:
 *
 *   cat /proc/klpx_leaky      ... "leaked scratch buffers: N", N grows by
 *                             one per read until the fix is applied
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "klpx_leaky.h"

static struct klpx_leaky_stats stats;

/* __noipa: stays a real function that ftrace can redirect. */
__noipa struct klpx_leaky_session *klpx_leaky_session_start(struct klpx_leaky_stats *st)
{
	struct klpx_leaky_session *session;
	char *scratch;

	session = kzalloc(sizeof(*session), GFP_KERNEL);
	if (!session)
		return NULL;
	session->id = atomic_long_inc_return(&st->sessions_started);
	session->stats = st;
	atomic_long_inc(&st->sessions_open);

	scratch = kmalloc(KLPX_LEAKY_SCRATCH_SIZE, GFP_KERNEL);
	if (scratch) {
		atomic_long_inc(&st->scratch_allocated);
		snprintf(scratch, KLPX_LEAKY_SCRATCH_SIZE, "session %lu", session->id);
		/* The bug: scratch is dropped here and never freed. */
	}
	return session;
}

__noipa void klpx_leaky_session_end(struct klpx_leaky_session *session)
{
	atomic_long_dec(&session->stats->sessions_open);
	kfree(session);
}

static int klpx_leaky_show(struct seq_file *m, void *v)
{
	struct klpx_leaky_session *session = m->private;
	long allocated = atomic_long_read(&stats.scratch_allocated);
	long freed = atomic_long_read(&stats.scratch_freed);
	long open = atomic_long_read(&stats.sessions_open);

	/* Each open session may hold one buffer legitimately: not a leak. */
	seq_printf(m, "session: %lu\nscratch buffers allocated: %ld\nscratch buffers freed: %ld\n"
		   "leaked scratch buffers: %ld\n", session->id, allocated, freed,
		   allocated - freed - open);
	return 0;
}

static int klpx_leaky_open(struct inode *inode, struct file *file)
{
	struct klpx_leaky_session *session = klpx_leaky_session_start(&stats);
	int ret;

	if (!session)
		return -ENOMEM;
	ret = single_open(file, klpx_leaky_show, session);
	if (ret)
		klpx_leaky_session_end(session);
	return ret;
}

static int klpx_leaky_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	klpx_leaky_session_end(m->private);
	return single_release(inode, file);
}

static const struct proc_ops klpx_leaky_proc_ops = {
	.proc_open = klpx_leaky_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = klpx_leaky_release,
};

static int __init klpx_leaky_init(void)
{
	if (!proc_create("klpx_leaky", 0444, NULL, &klpx_leaky_proc_ops))
		return -ENOMEM;
	return 0;
}

static void __exit klpx_leaky_exit(void)
{
	remove_proc_entry("klpx_leaky", NULL);
}

module_init(klpx_leaky_init);
module_exit(klpx_leaky_exit);
MODULE_DESCRIPTION("klpx demo target: leaks a scratch buffer per /proc/klpx_leaky open");
MODULE_LICENSE("GPL");
