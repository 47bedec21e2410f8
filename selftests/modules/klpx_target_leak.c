// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A module with a real memory leak, for the shadow-variable test of a
 * cumulative series.  Each object comes with a buffer, but the code that
 * creates the object does not keep the buffer's address, so freeing the
 * object leaks the buffer.  leakfix_v1 records the address in a shadow
 * variable; leakfix_v2 takes those shadow variables over and frees the
 * buffers.
 *
 * Buffers go through klpx_target_leak_buf_alloc()/_free(), which keep them
 * on a list: a buffer freed twice is counted, not freed, and module exit
 * frees whatever leaked, so nothing outlives the test.
 *
 *   echo "new N" >/proc/klpx_target_leak      create N objects
 *   echo "free N" >/proc/klpx_target_leak     free the N oldest objects
 *   cat /proc/klpx_target_leak                "objects <n>", "buffers <n>"
 *                                             (live buffers) and
 *                                             "double_frees <n>"
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "klpx_target_leak.h"

#define LEAK_BUF_SIZE	64

struct leak_buf {
	struct list_head node;	/* in live_bufs */
	char data[LEAK_BUF_SIZE];
};

static LIST_HEAD(live_bufs);
static DEFINE_SPINLOCK(bufs_lock);
static unsigned long nr_bufs, nr_double_frees;

static LIST_HEAD(live_objs);
static DEFINE_MUTEX(objs_lock);
static unsigned long nr_objs;
static int next_id;

void *klpx_target_leak_buf_alloc(void)
{
	struct leak_buf *lb = kzalloc(sizeof(*lb), GFP_KERNEL);

	if (!lb)
		return NULL;
	spin_lock(&bufs_lock);
	list_add_tail(&lb->node, &live_bufs);
	nr_bufs++;
	spin_unlock(&bufs_lock);
	return lb->data;
}
EXPORT_SYMBOL_GPL(klpx_target_leak_buf_alloc);

void klpx_target_leak_buf_free(void *buf)
{
	struct leak_buf *lb;

	spin_lock(&bufs_lock);
	list_for_each_entry(lb, &live_bufs, node) {
		if (lb->data == buf) {
			list_del(&lb->node);
			nr_bufs--;
			spin_unlock(&bufs_lock);
			kfree(lb);
			return;
		}
	}
	nr_double_frees++;
	spin_unlock(&bufs_lock);
	pr_err("buffer %p freed but not live\n", buf);
}
EXPORT_SYMBOL_GPL(klpx_target_leak_buf_free);

/* __noipa: real functions that every caller reaches through their entry. */
__noipa struct leak_obj *klpx_target_leak_new(int id)
{
	struct leak_obj *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	obj->id = id;
	/* The bug: the buffer's address is dropped on the floor. */
	if (!klpx_target_leak_buf_alloc()) {
		kfree(obj);
		return NULL;
	}
	return obj;
}

__noipa void klpx_target_leak_free(struct leak_obj *obj)
{
	kfree(obj);
}

static int leak_create(int count)
{
	struct leak_obj *obj;

	while (count--) {
		obj = klpx_target_leak_new(next_id);
		if (!obj)
			return -ENOMEM;
		next_id++;
		list_add_tail(&obj->node, &live_objs);
		nr_objs++;
	}
	return 0;
}

static void leak_release(int count)
{
	struct leak_obj *obj;

	while (count-- && !list_empty(&live_objs)) {
		obj = list_first_entry(&live_objs, struct leak_obj, node);
		list_del(&obj->node);
		nr_objs--;
		klpx_target_leak_free(obj);
	}
}

static int leak_show(struct seq_file *m, void *v)
{
	mutex_lock(&objs_lock);
	seq_printf(m, "objects %lu\n", nr_objs);
	mutex_unlock(&objs_lock);
	spin_lock(&bufs_lock);
	seq_printf(m, "buffers %lu\ndouble_frees %lu\n", nr_bufs,
		   nr_double_frees);
	spin_unlock(&bufs_lock);
	return 0;
}

static int leak_open(struct inode *inode, struct file *file)
{
	return single_open(file, leak_show, NULL);
}

static ssize_t leak_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char cmd[32], verb[8];
	int n, ret = 0;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	if (sscanf(cmd, "%7s %d", verb, &n) != 2 || n < 0)
		return -EINVAL;

	mutex_lock(&objs_lock);
	if (!strcmp(verb, "new"))
		ret = leak_create(n);
	else if (!strcmp(verb, "free"))
		leak_release(n);
	else
		ret = -EINVAL;
	mutex_unlock(&objs_lock);
	return ret ? ret : count;
}

static const struct proc_ops leak_ops = {
	.proc_open = leak_open,
	.proc_read = seq_read,
	.proc_write = leak_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init klpx_target_leak_init(void)
{
	if (!proc_create("klpx_target_leak", 0644, NULL, &leak_ops))
		return -ENOMEM;
	return 0;
}

static void __exit klpx_target_leak_exit(void)
{
	struct leak_obj *obj, *next_obj;
	struct leak_buf *lb, *next_lb;

	remove_proc_entry("klpx_target_leak", NULL);
	/*
	 * No patch is left (each depends on this module), so the original
	 * code runs: free the objects, then every buffer that leaked.
	 */
	list_for_each_entry_safe(obj, next_obj, &live_objs, node) {
		list_del(&obj->node);
		kfree(obj);
	}
	list_for_each_entry_safe(lb, next_lb, &live_bufs, node) {
		list_del(&lb->node);
		kfree(lb);
	}
}

module_init(klpx_target_leak_init);
module_exit(klpx_target_leak_exit);
MODULE_DESCRIPTION("klpx test target: objects whose buffers leak");
MODULE_LICENSE("GPL");
