// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Function redirection: ftrace ops, func stacks and the ftrace handler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/rculist.h>
#include "core.h"
#include "patch.h"
#include "task_state.h"

/* Both lists are protected by klpx_mutex. */
static LIST_HEAD(klpx_live_ops);
static LIST_HEAD(klpx_dying_ops);
/* Dying ops taken by klpx_unregister_dying_ops(), until they are freed. */
static LIST_HEAD(klpx_unregistering_ops);

/*
 * Held for a whole unregistration of dying ops, which runs without
 * klpx_mutex, and by an enable while it hooks functions.  So a module going
 * away can wait for its ops even when another context took them off the
 * dying list, and an enable never registers a function whose old ops is
 * still being unregistered, which ftrace would refuse.  Taken before
 * klpx_mutex.
 */
DEFINE_MUTEX(klpx_ops_mutex);

struct klpx_ops *klpx_find_ops(unsigned long old_addr)
{
	struct klpx_ops *ops;

	list_for_each_entry(ops, &klpx_live_ops, node)
		if (ops->old_addr == old_addr)
			return ops;
	return NULL;
}

static void notrace klpx_ftrace_handler(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *fops,
					struct ftrace_regs *fregs)
{
	struct klpx_ops *ops = container_of(fops, struct klpx_ops, fops);
	struct klpx_func *func;
	int bit;

	/* Also disables preemption, which keeps the funcs we read alive. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;

	func = list_first_or_null_rcu(&ops->func_stack, struct klpx_func,
				      stack_node);
	if (!func)
		goto unlock;	/* dying ops: run the original */

	/*
	 * Read func->transition after the func itself: pairs with the
	 * smp_wmb() in klpx_enable_transition() that orders setting
	 * func->transition before adding the func to the stack.
	 */
	smp_rmb();

	if (unlikely(func->transition)) {
		/*
		 * Read the task's universe after func->transition: pairs with
		 * the smp_wmb() in klpx_init_transition() that publishes the
		 * task table before any func is marked in transition.
		 */
		smp_rmb();
		if (klpx_task_patch_state(current) == KLPX_UNPATCHED) {
			func = list_entry_rcu(func->stack_node.next,
					      struct klpx_func, stack_node);
			if (&func->stack_node == &ops->func_stack)
				goto unlock;
		}
	}

	if (!func->nop)
		ftrace_instruction_pointer_set(fregs,
					       (unsigned long)func->new_func);
unlock:
	ftrace_test_recursion_unlock(bit);
}

static struct klpx_ops *klpx_revive_dying_ops(unsigned long old_addr)
{
	struct klpx_ops *ops;

	list_for_each_entry(ops, &klpx_dying_ops, node) {
		if (ops->old_addr == old_addr) {
			list_move(&ops->node, &klpx_live_ops);
			return ops;
		}
	}
	return NULL;
}

static int klpx_register_ops(struct klpx_func *func, struct klpx_ops **opsp)
{
	unsigned long addr = (unsigned long)func->old_func;
	struct klpx_ops *ops;
	int ret;

	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	ops->old_addr = addr;
	ops->fops.func = klpx_ftrace_handler;
	ops->fops.flags = FTRACE_OPS_FL_DYNAMIC |
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
			  FTRACE_OPS_FL_SAVE_REGS |
#endif
			  FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT;
	INIT_LIST_HEAD(&ops->func_stack);

	ret = ftrace_set_filter_ip(&ops->fops, addr, 0, 0);
	if (ret) {
		pr_err("function '%s' cannot be traced by ftrace (%d): it is notrace, inlined or not a function entry\n",
		       func->old_name, ret);
		goto err_free;
	}

	ret = register_ftrace_function(&ops->fops);
	if (ret) {
		/* Upstream's wording: the loader explains -EBUSY to users. */
		pr_err("failed to register ftrace handler for function '%s' (%d)\n",
		       func->old_name, ret);
		ftrace_free_filter(&ops->fops);
		goto err_free;
	}

	list_add(&ops->node, &klpx_live_ops);
	*opsp = ops;
	return 0;

err_free:
	kfree(ops);
	return ret;
}

static int klpx_patch_func(struct klpx_func *func)
{
	unsigned long addr = (unsigned long)func->old_func;
	struct klpx_ops *ops;
	int ret;

	if (WARN_ON(!func->old_func) || WARN_ON(func->patched))
		return -EINVAL;

	ops = klpx_find_ops(addr) ?: klpx_revive_dying_ops(addr);
	if (!ops) {
		ret = klpx_register_ops(func, &ops);
		if (ret)
			return ret;
	}

	list_add_rcu(&func->stack_node, &ops->func_stack);
	func->patched = true;
	return 0;
}

/*
 * Take @func off its stack.  When the stack empties the ops starts dying; it
 * is unregistered later by klpx_unregister_dying_ops(), because that waits
 * for RCU-tasks and must not hold the transition lock.
 */
static void klpx_unpatch_func(struct klpx_func *func)
{
	struct klpx_ops *ops;

	if (!func->patched)
		return;
	ops = klpx_find_ops((unsigned long)func->old_func);
	if (WARN_ON(!ops))
		return;

	list_del_rcu(&func->stack_node);
	if (list_empty(&ops->func_stack))
		list_move(&ops->node, &klpx_dying_ops);
	func->patched = false;
}

static void __klpx_unpatch_object(struct klpx_object *obj, bool nops_only)
{
	struct klpx_func *func;

	klpx_for_each_func(obj, func) {
		if (nops_only && !func->nop)
			continue;
		klpx_unpatch_func(func);
	}
	if (obj->dynamic || !nops_only)
		obj->patched = false;
}

void klpx_unpatch_object(struct klpx_object *obj)
{
	__klpx_unpatch_object(obj, false);
}

int klpx_patch_object(struct klpx_object *obj)
{
	struct klpx_func *func;
	int ret;

	if (WARN_ON(obj->patched))
		return -EINVAL;

	klpx_for_each_func(obj, func) {
		ret = klpx_patch_func(func);
		if (ret) {
			klpx_unpatch_object(obj);
			return ret;
		}
	}
	obj->patched = true;
	return 0;
}

void klpx_unpatch_objects(struct klpx_patch *patch)
{
	struct klpx_object *obj;

	klpx_for_each_object(patch, obj)
		if (obj->patched)
			__klpx_unpatch_object(obj, false);
}

void klpx_unpatch_objects_dynamic(struct klpx_patch *patch)
{
	struct klpx_object *obj;

	klpx_for_each_object(patch, obj)
		if (obj->patched)
			__klpx_unpatch_object(obj, true);
}

/* Does @ops hook a function of @mod?  A NULL @mod matches every ops. */
static bool klpx_ops_in(struct klpx_ops *ops, struct module *mod)
{
	return !mod || within_module(ops->old_addr, mod);
}

static bool klpx_ops_hook_module(struct list_head *list, struct module *mod)
{
	struct klpx_ops *ops;

	list_for_each_entry(ops, list, node)
		if (klpx_ops_in(ops, mod))
			return true;
	return false;
}

/*
 * Unregister the ops whose stacks emptied: all of them, or only those that
 * hook functions of @mod, a module going away, which waits only if it has
 * some.  Called without klpx_mutex held.
 *
 * unregister_ftrace_function() waits for RCU-tasks while it holds ftrace's
 * own lock, which every module load and ftrace user needs, and a kthread
 * that never sleeps holds RCU-tasks up for as long as it runs (klpx moves
 * such kthreads; the kernel's own livepatch would stall before this point).
 * So first wait for a grace period here, holding no lock of the kernel's:
 * the waits under ftrace's lock then end as soon as such a kthread sleeps
 * again, instead of holding up the machine until its first sleep.
 */
void klpx_unregister_dying_ops(struct module *mod)
{
	struct klpx_ops *ops, *tmp;
	bool needed;

	mutex_lock(&klpx_mutex);
	needed = klpx_ops_hook_module(&klpx_dying_ops, mod) ||
		 klpx_ops_hook_module(&klpx_unregistering_ops, mod);
	mutex_unlock(&klpx_mutex);
	if (!needed)
		return;

	mutex_lock(&klpx_ops_mutex);
	mutex_lock(&klpx_mutex);
	list_for_each_entry_safe(ops, tmp, &klpx_dying_ops, node)
		if (klpx_ops_in(ops, mod))
			list_move(&ops->node, &klpx_unregistering_ops);
	needed = !list_empty(&klpx_unregistering_ops);
	mutex_unlock(&klpx_mutex);

	if (needed)
		synchronize_rcu_tasks();

	/* Only this function, under klpx_ops_mutex, takes ops off this list. */
	list_for_each_entry_safe(ops, tmp, &klpx_unregistering_ops, node) {
		int ret = unregister_ftrace_function(&ops->fops);

		mutex_lock(&klpx_mutex);
		list_del(&ops->node);
		mutex_unlock(&klpx_mutex);
		if (ret) {
			/* Leak the ops rather than free memory ftrace still uses. */
			pr_err("failed to unregister ftrace handler at %pS (%d)\n",
			       (void *)ops->old_addr, ret);
			continue;
		}
		ftrace_free_filter(&ops->fops);
		kfree(ops);
	}
	mutex_unlock(&klpx_ops_mutex);
}
