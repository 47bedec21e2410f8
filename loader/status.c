// SPDX-License-Identifier: GPL-2.0-or-later
/* loader status: the patches with their objects and functions, and the running transition. */
#include <stdbool.h>
#include <string.h>

#include "bpf_tracing.h"
#include "commands.h"
#include "output.h"
#include "stall_report.h"
#include "sysfs.h"

static const char status_help[] =
"usage: loader status [options]\n"
"\n"
"Shows whether the engine is loaded, every patch with its objects and the\n"
"functions it changes, and the running transition with the tasks it waits\n"
"for.\n"
"\n"
COMMON_OPTIONS_HELP;

static void json_flag(struct json *j, const char *key, int value)
{
	if (value < 0)
		json_null(j, key);
	else
		json_bool(j, key, value);
}

static const char *flag_text(int value)
{
	return value < 0 ? "?" : value ? "yes" : "no";
}

static void print_patches_text(const struct patch_list *list)
{
	int i, k, m;

	for (i = 0; i < list->nr; i++) {
		const struct patch_info *p = &list->patches[i];

		say("patch %s: enabled %s, transition %s, replace %s", p->name,
		    flag_text(p->enabled), flag_text(p->transition), flag_text(p->replace));
		for (k = 0; k < p->nr_objects; k++) {
			const struct object_info *obj = &p->objects[k];

			say("  object %s: %s", obj->name,
			    obj->patched == 1 ? "patched" :
			    obj->patched == 0 ? "not patched (not loaded)" : "?");
			for (m = 0; m < obj->nr_funcs; m++)
				say("    %s,%lu", obj->funcs[m].name, obj->funcs[m].sympos);
		}
	}
}

static void print_patches_json(struct json *j, const struct patch_list *list)
{
	int i, k, m;

	json_array_open(j, "patches");
	for (i = 0; i < list->nr; i++) {
		const struct patch_info *p = &list->patches[i];

		json_object_open(j, NULL);
		json_string(j, "name", p->name);
		json_flag(j, "enabled", p->enabled);
		json_flag(j, "transition", p->transition);
		json_flag(j, "replace", p->replace);
		json_array_open(j, "objects");
		for (k = 0; k < p->nr_objects; k++) {
			const struct object_info *obj = &p->objects[k];

			json_object_open(j, NULL);
			json_string(j, "name", obj->name);
			json_flag(j, "patched", obj->patched);
			json_array_open(j, "functions");
			for (m = 0; m < obj->nr_funcs; m++) {
				json_object_open(j, NULL);
				json_string(j, "name", obj->funcs[m].name);
				json_int(j, "sympos", obj->funcs[m].sympos);
				json_object_close(j);
			}
			json_array_close(j);
			json_object_close(j);
		}
		json_array_close(j);
		json_object_close(j);
	}
	json_array_close(j);
}

/* The running transition's stalled tasks, with BPF stacks when possible. */
static int collect_transition(struct stall_report *r, bool *bpf)
{
	struct transition_tasks tt;
	struct tracer tracer = { 0 };
	char why[256];
	int err;

	*bpf = false;
	err = transition_tasks_read(&tt);
	if (err || !tt.active) {
		if (!err)
			transition_tasks_free(&tt);
		memset(r, 0, sizeof(*r));
		return err;
	}
	if (!bpf_disabled_by_user && !tracer_load(&tracer, tt.patch, TRACER_ITERATOR, why, sizeof(why))) {
		tracer_seed(&tracer, &tt);
		*bpf = true;
	}
	transition_tasks_free(&tt);
	err = stall_report_collect(r, *bpf ? &tracer : NULL);
	tracer_close(&tracer);
	return err;
}

int cmd_status(int argc, char **argv)
{
	static const struct option long_options[] = { COMMON_LONG_OPTIONS, { 0 } };
	struct stall_report r = { 0 };
	struct patch_list list;
	bool engine, bpf = false;
	long signal_delay = -1;
	int c, err, tasks_err = 0;

	while ((c = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, long_options, NULL)) != -1) {
		int ret = common_option(c, "status", status_help, argv);

		if (ret >= 0)
			return ret;
	}
	if (optind < argc)
		return usage_error("status", "unexpected argument '%s'", argv[optind]);

	engine = engine_is_loaded();
	err = patch_list_read(&list);
	if (err) {
		report_error("cannot read /sys/kernel/klpx: %s", strerror(-err));
		return EXIT_FAILED;
	}
	if (engine) {
		if (engine_param_read("signal_delay", &signal_delay))
			signal_delay = -1;
		if (patch_list_in_transition(&list))
			tasks_err = collect_transition(&r, &bpf);
	}

	if (output.json) {
		struct json j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_bool(&j, "engine_loaded", engine);
		if (signal_delay >= 0)
			json_int(&j, "signal_delay", signal_delay);
		else
			json_null(&j, "signal_delay");
		print_patches_json(&j, &list);
		if (r.active) {
			json_object_open(&j, "transition");
			json_string(&j, "patch", r.patch);
			json_string(&j, "target", target_name(r.target));
			json_int(&j, "migrated", r.migrated);
			json_int(&j, "total", r.total);
			stall_report_json(&j, "stalled_tasks", &r);
			json_bool(&j, "bpf", bpf);
			json_object_close(&j);
		} else {
			json_null(&j, "transition");
		}
		json_object_close(&j);
		json_end(&j);
	} else {
		if (!engine)
			say("engine: not loaded");
		else if (signal_delay >= 0)
			say("engine: loaded, fake signals after %ld s", signal_delay);
		else
			say("engine: loaded");
		if (!list.nr && engine)
			say("no klpx patches");
		print_patches_text(&list);
		if (r.active) {
			say("transition: %s %s, %u/%u tasks switched; waiting for:", r.patch,
			    r.target == KLPX_TARGET_PATCHED ? "patching" : "unpatching",
			    r.migrated, r.total);
			stall_report_print(&r, "  ");
		} else if (tasks_err) {
			say("transition: running, but %s is unreadable: %s",
			    "/sys/kernel/debug/klpx/tasks", strerror(-tasks_err));
		} else if (engine) {
			say("transition: none");
		}
	}
	stall_report_free(&r);
	patch_list_free(&list);
	return EXIT_OK;
}
