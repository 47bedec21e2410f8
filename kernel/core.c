// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The patch registry: enabling, disabling, replacing and freeing patches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <klpx/abi.h>
#include "core.h"
#include "module_notifier.h"
#include "patch.h"
#include "shadow.h"
#include "state.h"
#include "symbols.h"
#include "task_state.h"
#include "sysfs.h"
#include "transition.h"

DEFINE_MUTEX(klpx_mutex);
LIST_HEAD(klpx_patches);

/* Patches that left the registry, waiting for the teardown work. */
static LIST_HEAD(klpx_retired_patches);

static void klpx_teardown_work_fn(struct work_struct *work);
static DECLARE_WORK(klpx_teardown_work, klpx_teardown_work_fn);

static bool klpx_patch_registered(struct module *mod)
{
	struct klpx_patch *patch;

	klpx_for_each_patch(patch)
		if (patch->mod == mod)
			return true;
	return false;
}

static struct klpx_object *klpx_find_object(struct klpx_patch *patch,
					    struct klpx_object *old_obj)
{
	struct klpx_object *obj;

	klpx_for_each_object(patch, obj) {
		if (klpx_is_module(old_obj) != klpx_is_module(obj))
			continue;
		if (!klpx_is_module(obj) || !strcmp(obj->name, old_obj->name))
			return obj;
	}
	return NULL;
}

static struct klpx_func *klpx_find_func(struct klpx_object *obj,
					struct klpx_func *old_func)
{
	struct klpx_func *func;

	klpx_for_each_func(obj, func)
		if (!strcmp(func->old_name, old_func->old_name) &&
		    func->old_sympos == old_func->old_sympos)
			return func;
	return NULL;
}

static struct klpx_object *klpx_alloc_object_dynamic(const char *name,
						     struct klpx_patch *patch)
{
	struct klpx_object *obj;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return NULL;
	if (name) {
		obj->name = kstrdup(name, GFP_KERNEL);
		if (!obj->name) {
			kfree(obj);
			return NULL;
		}
	}
	klpx_init_object_early(patch, obj);
	obj->dynamic = true;
	return obj;
}

static struct klpx_func *klpx_alloc_func_nop(struct klpx_func *old_func,
					     struct klpx_object *obj)
{
	struct klpx_func *func;

	func = kzalloc(sizeof(*func), GFP_KERNEL);
	if (!func)
		return NULL;
	func->old_name = kstrdup(old_func->old_name, GFP_KERNEL);
	if (!func->old_name) {
		kfree(func);
		return NULL;
	}
	func->old_sympos = old_func->old_sympos;
	/* new_func is set to old_func once the object is loaded. */
	func->nop = true;
	klpx_init_func_early(obj, func);
	return func;
}

void klpx_free_object_dynamic(struct klpx_object *obj)
{
	kfree(obj->name);
	kfree(obj);
}

void klpx_free_func_nop(struct klpx_func *func)
{
	kfree(func->old_name);
	kfree(func);
}

/*
 * A replace patch gets a nop for every function an older patch changes and
 * it does not: the nop sends the new universe back to the original code.
 */
static int klpx_add_nops(struct klpx_patch *patch)
{
	struct klpx_patch *old_patch;
	struct klpx_object *old_obj, *obj;
	struct klpx_func *old_func;

	klpx_for_each_patch(old_patch) {
		klpx_for_each_object(old_patch, old_obj) {
			obj = klpx_find_object(patch, old_obj);
			if (!obj) {
				obj = klpx_alloc_object_dynamic(old_obj->name,
								patch);
				if (!obj)
					return -ENOMEM;
			}
			klpx_for_each_func(old_obj, old_func) {
				if (klpx_find_func(obj, old_func))
					continue;
				if (!klpx_alloc_func_nop(old_func, obj))
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/*
 * Find the module of @obj if it is far enough in loading that the module
 * notifier will not patch it.  A module that was loading when the engine
 * came may never be patched by the notifier: it must be LIVE first.
 */
static int klpx_find_loaded_module(struct klpx_object *obj)
{
	struct module *mod;
	int ret = 0;

	mutex_lock(klpx_kernel.module_mutex);
	mod = klpx_kernel.find_module(obj->name);
	if (mod && mod->state == MODULE_STATE_COMING &&
	    klpx_module_coming_unsure(mod)) {
		pr_err("module '%s' was loading when klpx was loaded; enable the patch once the module is live\n",
		       obj->name);
		ret = -EBUSY;
	}
	if (mod && !(mod->state == MODULE_STATE_LIVE ||
		     (mod->state == MODULE_STATE_COMING &&
		      klpx_module_seen_coming(mod))))
		mod = NULL;
	obj->mod = mod;
	mutex_unlock(klpx_kernel.module_mutex);
	return ret;
}

/* Resolve the functions of an object whose code is now in memory. */
int klpx_init_object_loaded(struct klpx_patch *patch, struct klpx_object *obj)
{
	struct klpx_func *func;
	int ret;

	klpx_for_each_func(obj, func) {
		ret = klpx_find_object_symbol(obj->name, func->old_name,
					      func->old_sympos,
					      (unsigned long *)&func->old_func);
		if (ret)
			return ret;

		if (!klpx_symbol_size((unsigned long)func->old_func,
				      &func->old_size)) {
			pr_err("kallsyms size lookup failed for '%s'\n",
			       func->old_name);
			return -ENOENT;
		}
		if (func->nop)
			func->new_func = func->old_func;
		if (!klpx_symbol_size((unsigned long)func->new_func,
				      &func->new_size)) {
			pr_err("kallsyms size lookup failed for '%s' replacement\n",
			       func->old_name);
			return -ENOENT;
		}
	}
	return 0;
}

void klpx_free_object_loaded(struct klpx_object *obj)
{
	struct klpx_func *func;

	obj->mod = NULL;
	klpx_for_each_func(obj, func) {
		func->old_func = NULL;
		if (func->nop)
			func->new_func = NULL;
	}
}

static int klpx_init_object(struct klpx_patch *patch, struct klpx_object *obj)
{
	struct klpx_func *func;
	int ret;

	if (klpx_is_module(obj) && strlen(obj->name) >= MODULE_NAME_LEN)
		return -EINVAL;

	obj->patched = false;
	obj->mod = NULL;
	if (klpx_is_module(obj)) {
		ret = klpx_find_loaded_module(obj);
		if (ret)
			return ret;
	}

	ret = klpx_add_object_kobj(patch, obj);
	if (ret)
		return ret;
	klpx_for_each_func(obj, func) {
		ret = klpx_add_func_kobj(obj, func);
		if (ret)
			return ret;
	}

	if (klpx_is_object_loaded(obj))
		ret = klpx_init_object_loaded(patch, obj);
	return ret;
}

static int klpx_check_patch_layout(struct klpx_patch *patch)
{
	struct klpx_object *obj;
	struct klpx_func *func;

	if (!patch || !patch->mod || !patch->objs)
		return -EINVAL;
	klpx_for_each_object_static(patch, obj) {
		if (!obj->funcs)
			return -EINVAL;
		klpx_for_each_func_static(obj, func) {
			if (!func->old_name || !func->new_func) {
				pr_err("'%s': a function entry lacks old_name or new_func\n",
				       patch->mod->name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static void klpx_init_patch_early(struct klpx_patch *patch)
{
	struct klpx_object *obj;
	struct klpx_func *func;

	INIT_LIST_HEAD(&patch->list);
	INIT_LIST_HEAD(&patch->obj_list);
	klpx_init_patch_kobj_early(patch);
	patch->enabled = false;
	patch->forced = false;
	init_completion(&patch->finish);

	klpx_for_each_object_static(patch, obj) {
		klpx_init_object_early(patch, obj);
		klpx_for_each_func_static(obj, func)
			klpx_init_func_early(obj, func);
	}
}

static int klpx_init_patch(struct klpx_patch *patch)
{
	struct klpx_object *obj;
	int ret;

	ret = klpx_add_patch_kobj(patch);
	if (ret)
		return ret;

	if (patch->replace) {
		ret = klpx_add_nops(patch);
		if (ret)
			return ret;
	}

	klpx_for_each_object(patch, obj) {
		ret = klpx_init_object(patch, obj);
		if (ret)
			return ret;
	}

	list_add_tail(&patch->list, &klpx_patches);
	return 0;
}

/* Drop the object and func kobjects; dynamic ones are freed on release. */
static void __klpx_free_objects(struct klpx_patch *patch, bool nops_only)
{
	struct klpx_object *obj, *tmp_obj;
	struct klpx_func *func, *tmp_func;

	klpx_for_each_object_safe(patch, obj, tmp_obj) {
		klpx_for_each_func_safe(obj, func, tmp_func) {
			if (nops_only && !func->nop)
				continue;
			list_del(&func->node);
			kobject_put(&func->kobj);
		}
		if (nops_only && !obj->dynamic)
			continue;
		list_del(&obj->node);
		kobject_put(&obj->kobj);
	}
}

/* First half of freeing a patch, with klpx_mutex held. */
static void klpx_free_patch_start(struct klpx_patch *patch)
{
	if (!list_empty(&patch->list))
		list_del_init(&patch->list);
	__klpx_free_objects(patch, false);
}

/*
 * Second half, without klpx_mutex: wait until sysfs lets go of the patch,
 * then let its module go, unless a forced transition pinned it.
 */
static void klpx_free_patch_finish(struct klpx_patch *patch)
{
	kobject_put(&patch->kobj);
	wait_for_completion(&patch->finish);
	if (!patch->forced)
		module_put(patch->mod);
}

/* The patch is done with; free it from the teardown work. */
void klpx_retire_patch(struct klpx_patch *patch)
{
	klpx_free_patch_start(patch);
	list_add_tail(&patch->list, &klpx_retired_patches);
}

void klpx_schedule_teardown(void)
{
	schedule_work(&klpx_teardown_work);
}

/*
 * Unregister the probes of the transition that ended and the ftrace ops
 * left without funcs, which may wait a long time for RCU-tasks, then free
 * the retired patches: when a patch module becomes removable, nothing it
 * caused is left in ftrace.  Nothing here holds klpx_mutex while it waits.
 */
static void klpx_teardown_work_fn(struct work_struct *work)
{
	struct klpx_patch *patch, *tmp;
	LIST_HEAD(retired);

	mutex_lock(&klpx_mutex);
	list_splice_init(&klpx_retired_patches, &retired);
	mutex_unlock(&klpx_mutex);

	/* First: unregistering ops can wait for a busy kthread to sleep. */
	klpx_release_probes();
	klpx_unregister_dying_ops(NULL);
	list_for_each_entry_safe(patch, tmp, &retired, list) {
		list_del_init(&patch->list);
		klpx_free_patch_finish(patch);
	}
}

/* Called at the end of a replace transition: older patches step aside. */
void klpx_unpatch_replaced_patches(struct klpx_patch *new_patch)
{
	struct klpx_patch *old_patch;

	klpx_for_each_patch(old_patch) {
		if (old_patch == new_patch)
			return;
		old_patch->enabled = false;
		klpx_unpatch_objects(old_patch);
	}
}

/*
 * The nops have done their job once the replaced patches are gone.  Called
 * after they left their stacks and a grace period passed.
 */
void klpx_free_nops(struct klpx_patch *new_patch)
{
	__klpx_free_objects(new_patch, true);
}

static int klpx_native_transition_running(void)
{
	void **native = klpx_kernel.native_transition_patch;

	return native && READ_ONCE(*native);
}

static int __klpx_enable_patch(struct klpx_patch *patch)
{
	struct klpx_object *obj;
	int ret;

	if (WARN_ON(patch->enabled))
		return -EINVAL;

	pr_notice("enabling patch '%s'\n", klpx_patch_name(patch));

	ret = klpx_init_transition(patch, KLPX_PATCHED);
	if (ret)
		return ret;

	/*
	 * Mark the funcs in transition before they reach their stacks:
	 * pairs with the first smp_rmb() in klpx_ftrace_handler().
	 */
	smp_wmb();

	klpx_for_each_object(patch, obj) {
		if (!klpx_is_object_loaded(obj))
			continue;

		ret = klpx_pre_patch_callback(obj);
		if (ret) {
			pr_warn("pre-patch callback failed for object '%s'\n",
				klpx_object_name(obj));
			goto err;
		}

		ret = klpx_patch_object(obj);
		if (ret) {
			pr_warn("failed to patch object '%s'\n",
				klpx_object_name(obj));
			goto err;
		}
	}

	klpx_start_transition();
	patch->enabled = true;
	klpx_try_complete_transition();
	return 0;
err:
	pr_warn("failed to enable patch '%s'\n", klpx_patch_name(patch));
	klpx_cancel_transition();
	return ret;
}

/**
 * klpx_enable_patch() - register and enable a patch
 * @patch:	the patch, owned by the calling patch module
 *
 * Called from the patch module's init function.  Starts the transition to
 * the patched state and returns; the transition completes in the
 * background.  When @patch->replace is set, the patch replaces every older
 * one in the same transition.
 *
 * Return: 0 on success, a negative errno otherwise (the reason is logged).
 */
int klpx_enable_patch(struct klpx_patch *patch)
{
	int ret;

	ret = klpx_check_patch_layout(patch);
	if (ret)
		return ret;

#if IS_ENABLED(CONFIG_LIVEPATCH)
	if (!patch->mod->klp) {
		pr_err("module %s is not marked as a livepatch module\n",
		       patch->mod->name);
		return -EINVAL;
	}
#else
	add_taint_module(patch->mod, TAINT_LIVEPATCH, LOCKDEP_STILL_OK);
#endif

	/* Let the teardown of earlier transitions finish. */
	flush_work(&klpx_teardown_work);

	mutex_lock(&klpx_ops_mutex);
	mutex_lock(&klpx_mutex);

	if (klpx_patch_registered(patch->mod)) {
		pr_err("patch '%s' is already registered\n", patch->mod->name);
		ret = -EEXIST;
		goto out_unlock;
	}
	if (klpx_transition_patch) {
		pr_err("cannot enable patch '%s': patch '%s' is in transition; wait for it or reverse it first\n",
		       patch->mod->name, klpx_patch_name(klpx_transition_patch));
		ret = -EBUSY;
		goto out_unlock;
	}
	if (klpx_native_transition_running()) {
		pr_err("cannot enable patch '%s': the kernel's own livepatch is in a transition; wait for it to complete\n",
		       patch->mod->name);
		ret = -EBUSY;
		goto out_unlock;
	}
	if (!klpx_is_patch_compatible(patch)) {
		pr_err("Livepatch patch (%s) " KLPX_LOG_INCOMPATIBLE "\n",
		       patch->mod->name);
		ret = -EINVAL;
		goto out_unlock;
	}
	if (!try_module_get(patch->mod)) {
		ret = -ENODEV;
		goto out_unlock;
	}

	klpx_init_patch_early(patch);

	ret = klpx_init_patch(patch);
	if (ret)
		goto err;
	ret = __klpx_enable_patch(patch);
	if (ret)
		goto err;

	mutex_unlock(&klpx_mutex);
	mutex_unlock(&klpx_ops_mutex);
	return 0;

err:
	klpx_free_patch_start(patch);
	mutex_unlock(&klpx_mutex);
	mutex_unlock(&klpx_ops_mutex);
	klpx_free_patch_finish(patch);
	klpx_release_probes();
	klpx_unregister_dying_ops(NULL);
	return ret;

out_unlock:
	mutex_unlock(&klpx_mutex);
	mutex_unlock(&klpx_ops_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(klpx_enable_patch);

/* Start the transition that unpatches @patch.  Called with klpx_mutex held. */
int klpx_disable_patch(struct klpx_patch *patch)
{
	struct klpx_object *obj;
	int ret;

	if (WARN_ON(!patch->enabled))
		return -EINVAL;
	if (klpx_transition_patch) {
		pr_err("cannot disable patch '%s': patch '%s' is in transition\n",
		       klpx_patch_name(patch),
		       klpx_patch_name(klpx_transition_patch));
		return -EBUSY;
	}

	ret = klpx_init_transition(patch, KLPX_UNPATCHED);
	if (ret)
		return ret;

	klpx_for_each_object(patch, obj)
		if (obj->patched)
			klpx_pre_unpatch_callback(obj);

	klpx_start_transition();
	patch->enabled = false;
	klpx_try_complete_transition();
	return 0;
}

/*
 * Symbol resolution arms a kprobe on an ftrace location.  With ftrace off,
 * the kernel arms it without updating its call sites, and the record keeps
 * flags that a later ftrace user trips over.  klpx cannot patch anything
 * with ftrace off anyway, so refuse to load.
 */
static int __init klpx_check_ftrace_enabled(void)
{
	struct file *file;
	char value[4] = "";
	loff_t pos = 0;

	file = filp_open("/proc/sys/kernel/ftrace_enabled", O_RDONLY, 0);
	if (IS_ERR(file))
		return 0;	/* no such sysctl: nothing to check */
	kernel_read(file, value, sizeof(value) - 1, &pos);
	filp_close(file, NULL);
	if (value[0] == '0') {
		pr_err("kernel.ftrace_enabled is 0: set it to 1, then load klpx again\n");
		return -EBUSY;
	}
	return 0;
}

static int __init klpx_init(void)
{
	int ret;

	ret = klpx_check_ftrace_enabled();
	if (ret)
		return ret;
	ret = klpx_symbols_init();
	if (ret)
		return ret;
	ret = klpx_transition_init();
	if (ret)
		return ret;
	ret = klpx_sysfs_init();
	if (ret)
		return ret;
	ret = klpx_module_notifier_init();
	if (ret)
		goto err_sysfs;
	klpx_debugfs_init();
	return 0;

err_sysfs:
	klpx_sysfs_exit();
	return ret;
}

/*
 * Every patch module holds a reference on klpx (it links against it), so
 * no patch is registered here.
 */
static void __exit klpx_exit(void)
{
	klpx_debugfs_exit();
	klpx_module_notifier_exit();
	flush_work(&klpx_teardown_work);
	klpx_transition_exit();
	klpx_task_state_exit();
	klpx_shadow_exit();
	klpx_sysfs_exit();
}

module_init(klpx_init);
module_exit(klpx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klpx: ftrace-based live patching with a per-task consistency model");
