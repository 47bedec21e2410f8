// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /sys/kernel/klpx/<patch>/{enabled,transition,force,replace},
 * <patch>/<object>/patched and <patch>/<object>/<func>,<sympos>/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "core.h"
#include "sysfs.h"
#include "transition.h"

static struct kobject *klpx_root_kobj;

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct klpx_patch *patch = container_of(kobj, struct klpx_patch, kobj);
	bool enabled;
	int ret;

	ret = kstrtobool(buf, &enabled);
	if (ret)
		return ret;

	mutex_lock(&klpx_mutex);
	if (patch->enabled == enabled) {
		/* Already there (or going there); also refuses re-enabling. */
		ret = -EINVAL;
	} else if (patch == klpx_transition_patch) {
		klpx_reverse_transition();
	} else if (!enabled) {
		ret = klpx_disable_patch(patch);
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&klpx_mutex);

	return ret ?: count;
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct klpx_patch *patch = container_of(kobj, struct klpx_patch, kobj);

	return sysfs_emit(buf, "%d\n", patch->enabled);
}

static ssize_t transition_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct klpx_patch *patch = container_of(kobj, struct klpx_patch, kobj);

	return sysfs_emit(buf, "%d\n", patch == klpx_transition_patch);
}

static ssize_t force_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct klpx_patch *patch = container_of(kobj, struct klpx_patch, kobj);
	bool val;
	int ret;

	ret = kstrtobool(buf, &val);
	if (ret)
		return ret;
	if (!val)
		return count;

	mutex_lock(&klpx_mutex);
	if (patch != klpx_transition_patch) {
		mutex_unlock(&klpx_mutex);
		return -EINVAL;
	}
	klpx_force_transition();
	mutex_unlock(&klpx_mutex);
	return count;
}

static ssize_t replace_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct klpx_patch *patch = container_of(kobj, struct klpx_patch, kobj);

	return sysfs_emit(buf, "%d\n", patch->replace);
}

static struct kobj_attribute enabled_kobj_attr = __ATTR_RW(enabled);
static struct kobj_attribute transition_kobj_attr = __ATTR_RO(transition);
static struct kobj_attribute force_kobj_attr = __ATTR_WO(force);
static struct kobj_attribute replace_kobj_attr = __ATTR_RO(replace);
static struct attribute *klpx_patch_attrs[] = {
	&enabled_kobj_attr.attr,
	&transition_kobj_attr.attr,
	&force_kobj_attr.attr,
	&replace_kobj_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(klpx_patch);

static ssize_t patched_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct klpx_object *obj = container_of(kobj, struct klpx_object, kobj);

	return sysfs_emit(buf, "%d\n", obj->patched);
}

static struct kobj_attribute patched_kobj_attr = __ATTR_RO(patched);
static struct attribute *klpx_object_attrs[] = {
	&patched_kobj_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(klpx_object);

static void klpx_release_patch(struct kobject *kobj)
{
	complete(&container_of(kobj, struct klpx_patch, kobj)->finish);
}

static void klpx_release_object(struct kobject *kobj)
{
	struct klpx_object *obj = container_of(kobj, struct klpx_object, kobj);

	if (obj->dynamic)
		klpx_free_object_dynamic(obj);
}

static void klpx_release_func(struct kobject *kobj)
{
	struct klpx_func *func = container_of(kobj, struct klpx_func, kobj);

	if (func->nop)
		klpx_free_func_nop(func);
}

static struct kobj_type klpx_ktype_patch = {
	.release = klpx_release_patch,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = klpx_patch_groups,
};

static struct kobj_type klpx_ktype_object = {
	.release = klpx_release_object,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = klpx_object_groups,
};

static struct kobj_type klpx_ktype_func = {
	.release = klpx_release_func,
	.sysfs_ops = &kobj_sysfs_ops,
};

void klpx_init_patch_kobj_early(struct klpx_patch *patch)
{
	kobject_init(&patch->kobj, &klpx_ktype_patch);
}

void klpx_init_object_early(struct klpx_patch *patch, struct klpx_object *obj)
{
	INIT_LIST_HEAD(&obj->func_list);
	kobject_init(&obj->kobj, &klpx_ktype_object);
	list_add_tail(&obj->node, &patch->obj_list);
}

void klpx_init_func_early(struct klpx_object *obj, struct klpx_func *func)
{
	kobject_init(&func->kobj, &klpx_ktype_func);
	list_add_tail(&func->node, &obj->func_list);
}

int klpx_add_patch_kobj(struct klpx_patch *patch)
{
	int ret;

	ret = kobject_add(&patch->kobj, klpx_root_kobj, "%s",
			  klpx_patch_name(patch));
	if (ret == -EEXIST)
		pr_err("a patch named '%s' already exists\n",
		       klpx_patch_name(patch));
	return ret;
}

int klpx_add_object_kobj(struct klpx_patch *patch, struct klpx_object *obj)
{
	return kobject_add(&obj->kobj, &patch->kobj, "%s",
			   klpx_object_name(obj));
}

int klpx_add_func_kobj(struct klpx_object *obj, struct klpx_func *func)
{
	/* sympos 0 means "the only one", shown as position 1. */
	return kobject_add(&func->kobj, &obj->kobj, "%s,%lu", func->old_name,
			   func->old_sympos ? func->old_sympos : 1);
}

int klpx_sysfs_init(void)
{
	klpx_root_kobj = kobject_create_and_add("klpx", kernel_kobj);
	return klpx_root_kobj ? 0 : -ENOMEM;
}

void klpx_sysfs_exit(void)
{
	kobject_put(klpx_root_kobj);
}
