// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Objects that are modules: patched when the module comes, before its init
 * runs, and unpatched when it goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include "core.h"
#include "module_notifier.h"
#include "patch.h"
#include "symbols.h"
#include "transition.h"

/*
 * Modules this notifier has handled in COMING that are not LIVE yet.  A patch
 * enabled meanwhile must treat them as loaded: the notifier will not come
 * back for them.  Protected by klpx_mutex.
 */
struct klpx_coming_module {
	struct list_head node;
	struct module *mod;
};
static LIST_HEAD(klpx_coming_modules);

/*
 * Modules that were already COMING when the engine registered its notifier,
 * and that it has not handled since: their notification may have gone by
 * before the engine was there.  Until they are LIVE nobody can tell whether
 * the notifier will still patch them.  Protected by klpx_mutex.
 */
static LIST_HEAD(klpx_unsure_modules);

static bool klpx_module_listed(struct list_head *list, struct module *mod)
{
	struct klpx_coming_module *c;

	list_for_each_entry(c, list, node)
		if (c->mod == mod)
			return true;
	return false;
}

static void klpx_module_unlist(struct list_head *list, struct module *mod)
{
	struct klpx_coming_module *c, *tmp;

	list_for_each_entry_safe(c, tmp, list, node) {
		if (!mod || c->mod == mod) {
			list_del(&c->node);
			kfree(c);
		}
	}
}

bool klpx_module_seen_coming(struct module *mod)
{
	return klpx_module_listed(&klpx_coming_modules, mod);
}

bool klpx_module_coming_unsure(struct module *mod)
{
	return klpx_module_listed(&klpx_unsure_modules, mod);
}

static void klpx_forget_coming(struct module *mod)
{
	klpx_module_unlist(&klpx_coming_modules, mod);
	klpx_module_unlist(&klpx_unsure_modules, mod);
}

/* Undo the patching of @mod by every patch before @limit (all if NULL). */
static void klpx_cleanup_module_patches(struct module *mod,
					struct klpx_patch *limit)
{
	struct klpx_patch *patch;
	struct klpx_object *obj;

	klpx_for_each_patch(patch) {
		if (patch == limit)
			break;
		klpx_for_each_object(patch, obj) {
			if (!klpx_is_module(obj) || strcmp(obj->name, mod->name))
				continue;
			if (obj->patched) {
				if (patch != klpx_transition_patch)
					klpx_pre_unpatch_callback(obj);
				pr_notice("reverting patch '%s' on unloading module '%s'\n",
					  klpx_patch_name(patch), mod->name);
				klpx_unpatch_object(obj);
			}
			klpx_post_unpatch_callback(obj);
			klpx_free_object_loaded(obj);
			break;
		}
	}
	klpx_transition_funcs_changed();
}

static int klpx_module_coming(struct module *mod)
{
	struct klpx_coming_module *seen;
	struct klpx_patch *patch;
	struct klpx_object *obj;
	int ret = 0;

	if (!strcmp(mod->name, "vmlinux")) {
		pr_err("vmlinux.ko: invalid module name\n");
		return -EINVAL;
	}

	seen = kzalloc(sizeof(*seen), GFP_KERNEL);
	if (!seen)
		return -ENOMEM;
	seen->mod = mod;

	mutex_lock(&klpx_mutex);
	list_add(&seen->node, &klpx_coming_modules);
	klpx_module_unlist(&klpx_unsure_modules, mod);

	klpx_for_each_patch(patch) {
		klpx_for_each_object(patch, obj) {
			if (!klpx_is_module(obj) || strcmp(obj->name, mod->name))
				continue;

			obj->mod = mod;
			ret = klpx_init_object_loaded(patch, obj);
			if (ret) {
				pr_warn("failed to initialize patch '%s' for module '%s' (%d)\n",
					klpx_patch_name(patch), mod->name, ret);
				goto err;
			}

			pr_notice("applying patch '%s' to loading module '%s'\n",
				  klpx_patch_name(patch), mod->name);

			ret = klpx_pre_patch_callback(obj);
			if (ret) {
				pr_warn("pre-patch callback failed for object '%s'\n",
					obj->name);
				goto err;
			}

			ret = klpx_patch_object(obj);
			if (ret) {
				pr_warn("failed to apply patch '%s' to module '%s' (%d)\n",
					klpx_patch_name(patch), mod->name, ret);
				klpx_post_unpatch_callback(obj);
				goto err;
			}

			if (patch != klpx_transition_patch)
				klpx_post_patch_callback(obj);
			break;
		}
	}
	klpx_transition_funcs_changed();
	mutex_unlock(&klpx_mutex);
	return 0;

err:
	pr_warn("patch '%s' failed for module '%s', refusing to load module '%s'\n",
		klpx_patch_name(patch), mod->name, mod->name);
	obj->mod = NULL;
	klpx_cleanup_module_patches(mod, patch);
	klpx_forget_coming(mod);
	mutex_unlock(&klpx_mutex);
	/* The ops of functions in the refused module must go before its text. */
	klpx_unregister_dying_ops(mod);
	return ret;
}

static void klpx_module_going(struct module *mod)
{
	mutex_lock(&klpx_mutex);
	klpx_forget_coming(mod);
	klpx_cleanup_module_patches(mod, NULL);
	mutex_unlock(&klpx_mutex);
	/*
	 * Unregister before the module's text is freed, outside the lock:
	 * this waits for RCU-tasks.
	 */
	klpx_unregister_dying_ops(mod);
}

static int klpx_module_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct module *mod = data;

	switch (action) {
	case MODULE_STATE_COMING:
		return notifier_from_errno(klpx_module_coming(mod));
	case MODULE_STATE_LIVE:
		mutex_lock(&klpx_mutex);
		klpx_forget_coming(mod);
		mutex_unlock(&klpx_mutex);
		break;
	case MODULE_STATE_GOING:
		klpx_module_going(mod);
		break;
	}
	return NOTIFY_OK;
}

/*
 * Run first on COMING, so that the module's code is patched before anyone
 * else reacts to it.  GOING then also comes first; upstream unpatches after
 * the other notifiers, but nothing else relies on our funcs staying.
 */
static struct notifier_block klpx_module_nb = {
	.notifier_call = klpx_module_notify,
	.priority = INT_MAX,
};

/*
 * Note the modules already COMING once every later COMING notification is
 * sure to reach the engine: registration waits for the notifications in
 * flight.
 */
static int klpx_note_unsure_modules(void)
{
	struct klpx_coming_module *c;
	struct module *mod;
	int ret = 0;

	mutex_lock(&klpx_mutex);
	mutex_lock(klpx_kernel.module_mutex);
	list_for_each_entry(mod, klpx_kernel.modules, list) {
		if (mod->state != MODULE_STATE_COMING ||
		    klpx_module_seen_coming(mod))
			continue;
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c) {
			ret = -ENOMEM;
			break;
		}
		c->mod = mod;
		list_add(&c->node, &klpx_unsure_modules);
	}
	mutex_unlock(klpx_kernel.module_mutex);
	mutex_unlock(&klpx_mutex);
	return ret;
}

int klpx_module_notifier_init(void)
{
	int ret;

	ret = register_module_notifier(&klpx_module_nb);
	if (ret)
		return ret;
	ret = klpx_note_unsure_modules();
	if (ret)
		klpx_module_notifier_exit();
	return ret;
}

void klpx_module_notifier_exit(void)
{
	unregister_module_notifier(&klpx_module_nb);
	mutex_lock(&klpx_mutex);
	klpx_module_unlist(&klpx_coming_modules, NULL);
	klpx_module_unlist(&klpx_unsure_modules, NULL);
	mutex_unlock(&klpx_mutex);
}
