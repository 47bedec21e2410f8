// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbol resolution through kallsyms.
 *
 * kallsyms_lookup_name() is not exported since 5.7; a kprobe registered on it
 * reveals its address, and everything else the engine needs is looked up
 * through it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include "symbols.h"

struct klpx_kernel klpx_kernel;

static unsigned long (*klpx_kallsyms_lookup_name)(const char *name);

static int klpx_find_kallsyms_lookup_name(void)
{
	struct kprobe probe = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	ret = register_kprobe(&probe);
	if (ret) {
		pr_err("cannot locate kallsyms_lookup_name through a kprobe (%d)\n",
		       ret);
		return ret;
	}
	klpx_kallsyms_lookup_name = (void *)probe.addr;
	unregister_kprobe(&probe);
	return 0;
}

static int klpx_resolve(const char *name, void *slot, bool required)
{
	unsigned long addr = klpx_kallsyms_lookup_name(name);

	if (!addr && required) {
		pr_err("kernel symbol '%s' not found; this kernel is not supported\n",
		       name);
		return -ENOENT;
	}
	*(unsigned long *)slot = addr;
	return 0;
}

int klpx_symbols_init(void)
{
	struct klpx_kernel *k = &klpx_kernel;
	int ret;

	ret = klpx_find_kallsyms_lookup_name();
	if (ret)
		return ret;

	ret = klpx_resolve("stack_trace_save_tsk_reliable",
			   &k->stack_trace_save_tsk_reliable, true) ?:
	      klpx_resolve("task_call_func", &k->task_call_func, true) ?:
	      klpx_resolve("task_curr", &k->task_curr, true) ?:
	      klpx_resolve("wake_up_state", &k->wake_up_state, true) ?:
	      klpx_resolve("idle_task", &k->idle_task, true) ?:
	      klpx_resolve("wake_up_if_idle", &k->wake_up_if_idle, true) ?:
	      klpx_resolve("kallsyms_lookup_size_offset",
			   &k->kallsyms_lookup_size_offset, true) ?:
	      klpx_resolve("kallsyms_on_each_symbol",
			   &k->kallsyms_on_each_symbol, true) ?:
	      klpx_resolve("module_kallsyms_on_each_symbol",
			   &k->module_kallsyms_on_each_symbol, true) ?:
	      klpx_resolve("find_module", &k->find_module, true) ?:
	      klpx_resolve("module_mutex", &k->module_mutex, true) ?:
	      klpx_resolve("modules", &k->modules, true) ?:
	      klpx_resolve("tasklist_lock", &k->tasklist_lock, true) ?:
	      klpx_resolve("klp_transition_patch",
			   &k->native_transition_patch, false);
	return ret;
}

struct klpx_symbol_search {
	const char *objname;
	const char *name;
	unsigned long pos;
	unsigned long addr;
	unsigned long count;
};

static int klpx_match_symbol(void *data, const char *name, struct module *mod,
			     unsigned long addr)
{
	struct klpx_symbol_search *s = data;

	/* vmlinux searches see mod == NULL, module searches see every module. */
	if (!mod != !s->objname)
		return 0;
	if (mod && strcmp(s->objname, mod->name))
		return 0;
	if (strcmp(s->name, name))
		return 0;

	s->count++;
	s->addr = addr;
	/* Stop at the wanted occurrence, or at the second one when none is named. */
	return s->pos ? s->count == s->pos : s->count > 1;
}

int klpx_find_object_symbol(const char *objname, const char *name,
			    unsigned long sympos, unsigned long *addr)
{
	struct klpx_symbol_search s = {
		.objname = objname, .name = name, .pos = sympos,
	};
	const char *where = objname ?: "vmlinux";

	if (objname)
		klpx_kernel.module_kallsyms_on_each_symbol(klpx_match_symbol, &s);
	else
		klpx_kernel.kallsyms_on_each_symbol(klpx_match_symbol, &s);

	if (!s.count) {
		pr_err("symbol '%s' not found in symbol table\n", name);
		return -EINVAL;
	}
	if (!sympos && s.count > 1) {
		pr_err("unresolvable ambiguity for symbol '%s' in object '%s'\n",
		       name, where);
		return -EINVAL;
	}
	if (sympos && s.count != sympos) {
		pr_err("symbol position %lu for symbol '%s' in object '%s' not found\n",
		       sympos, name, where);
		return -EINVAL;
	}
	*addr = s.addr;
	return 0;
}

bool klpx_symbol_size(unsigned long addr, unsigned long *size)
{
	return klpx_kernel.kallsyms_lookup_size_offset(addr, size, NULL);
}
