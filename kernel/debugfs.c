// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /sys/kernel/debug/klpx/tasks: the tasks a transition still waits for,
 * readable without BPF.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "sysfs.h"
#include "transition.h"

static struct dentry *klpx_debugfs_dir;

static int klpx_tasks_show(struct seq_file *m, void *unused)
{
	return klpx_transition_report(m);
}
DEFINE_SHOW_ATTRIBUTE(klpx_tasks);

void klpx_debugfs_init(void)
{
	/* Debugfs is a convenience: the engine works without it. */
	klpx_debugfs_dir = debugfs_create_dir("klpx", NULL);
	debugfs_create_file("tasks", 0400, klpx_debugfs_dir, NULL,
			    &klpx_tasks_fops);
}

void klpx_debugfs_exit(void)
{
	debugfs_remove_recursive(klpx_debugfs_dir);
}
