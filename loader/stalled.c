// SPDX-License-Identifier: GPL-2.0-or-later
/* loader stalled: who holds the running transition, right now. */
#include <stdbool.h>
#include <string.h>

#include "bpf_tracing.h"
#include "commands.h"
#include "output.h"
#include "stall_report.h"
#include "sysfs.h"

static const char stalled_help[] =
"usage: loader stalled [options]\n"
"\n"
"Names the tasks the running transition waits for: pid, command, why it\n"
"cannot switch yet, the function to blame, and the task's kernel stack\n"
"(from the BPF task iterator, or /proc/PID/stack without BPF).\n"
"\n"
COMMON_OPTIONS_HELP;

static void print_json(const struct stall_report *r, bool bpf, const char *bpf_error)
{
	struct json j;

	json_begin(&j, stdout);
	json_object_open(&j, NULL);
	if (r->active) {
		json_object_open(&j, "transition");
		json_string(&j, "patch", r->patch[0] ? r->patch : NULL);
		json_string(&j, "target", target_name(r->target));
		if (r->total) {
			json_int(&j, "migrated", r->migrated);
			json_int(&j, "total", r->total);
		} else {
			json_null(&j, "migrated");
			json_null(&j, "total");
		}
		json_object_close(&j);
	} else {
		json_null(&j, "transition");
	}
	stall_report_json(&j, "stalled_tasks", r);
	json_bool(&j, "bpf", bpf);
	json_string(&j, "bpf_error", bpf_error[0] ? bpf_error : NULL);
	json_object_close(&j);
	json_end(&j);
}

int cmd_stalled(int argc, char **argv)
{
	static const struct option long_options[] = { COMMON_LONG_OPTIONS, { 0 } };
	struct transition_tasks tt;
	struct tracer tracer = { 0 };
	struct stall_report r = { 0 };
	char bpf_error[256] = "";
	bool bpf;
	int c, err;

	while ((c = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, long_options, NULL)) != -1) {
		int ret = common_option(c, "stalled", stalled_help, argv);

		if (ret >= 0)
			return ret;
	}
	if (optind < argc)
		return usage_error("stalled", "unexpected argument '%s'", argv[optind]);

	if (!engine_is_loaded()) {
		if (output.json)
			print_json(&r, false, bpf_error);
		else
			say("no transition in progress (the klpx engine is not loaded)");
		return EXIT_OK;
	}
	err = transition_tasks_read(&tt);
	if (!err && !tt.active) {
		transition_tasks_free(&tt);
		if (output.json)
			print_json(&r, false, bpf_error);
		else
			say("no transition in progress");
		return EXIT_OK;
	}

	/* The iterator needs no tracepoint: load, seed from debugfs, iterate. */
	if (bpf_disabled_by_user)
		snprintf(bpf_error, sizeof(bpf_error), "disabled by --no-bpf or KLPX_NO_BPF");
	else if (!tracer_load(&tracer, err ? "" : tt.patch, TRACER_ITERATOR,
			      bpf_error, sizeof(bpf_error)) && !err)
		tracer_seed(&tracer, &tt);
	if (!err)
		transition_tasks_free(&tt);
	if (err && !tracer.skel) {
		report_error("cannot read %s (%s) and BPF is unavailable (%s): no way to "
			     "see the transition; mount debugfs or run as root",
			     "/sys/kernel/debug/klpx/tasks", strerror(-err), bpf_error);
		return EXIT_FAILED;
	}
	if (!tracer.skel)
		note("no BPF (%s): stacks come from /proc/PID/stack", bpf_error);

	bpf = tracer.skel != NULL;
	err = stall_report_collect(&r, bpf ? &tracer : NULL);
	tracer_close(&tracer);
	if (err) {
		report_error("cannot list the stalled tasks: %s", strerror(-err));
		return EXIT_FAILED;
	}
	if (output.json) {
		print_json(&r, bpf, bpf_error);
	} else if (!r.active) {
		say("no transition in progress");
	} else {
		say("%s: %s, %u/%u tasks switched; %d task%s the transition:",
		    r.patch, r.target == KLPX_TARGET_PATCHED ? "patching" : "unpatching",
		    r.migrated, r.total, r.nr, r.nr == 1 ? " holds" : "s hold");
		stall_report_print(&r, "  ");
	}
	stall_report_free(&r);
	return EXIT_OK;
}
