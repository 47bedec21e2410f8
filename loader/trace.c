// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader trace: stream the engine's transition events, whoever starts the
 * transitions (the loader, sysfs writes, module loads), until Ctrl-C.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_tracing.h"
#include "commands.h"
#include "output.h"
#include "sysfs.h"
#include "transition_view.h"

static const char trace_help[] =
"usage: loader trace [options]\n"
"\n"
"Streams klpx transition events as they happen, for every patch enabled or\n"
"disabled by anyone: transition start and end, the walks over the tasks\n"
"(tasks switched so far, tasks left), each task blocked with its reason and\n"
"function, fake signals, force and reverse.  Runs until Ctrl-C (exit\n"
"status 0).  Without BPF it polls debugfs instead: transitions and progress\n"
"only.\n"
"\n"
"  -c, --count N              stop after N transitions have ended\n"
"  -d, --duration SECONDS     stop after SECONDS\n"
"      --tasks                also each task as it switches, with its switch\n"
"                             point (one BPF run per task switched)\n"
COMMON_OPTIONS_HELP;

struct trace_state {
	long count;			/* transitions to wait for, 0: no limit */
	long ended;
};

static void on_event(void *ctx, const struct klpx_event *e)
{
	struct trace_state *ts = ctx;

	event_print(e);
	if (e->type == KLPX_EV_TRANSITION_END)
		ts->ended++;
}

/* Synthetic events for the debugfs fallback, in the same shapes. */
static void print_polled(const char *event, const struct transition_tasks *tt,
			 double duration)
{
	double t = monotonic_seconds() - loader_start_time;
	const char *verb = tt->target == KLPX_TARGET_PATCHED ? "patching" : "unpatching";

	if (output.json) {
		struct json j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_double(&j, "time", t);
		json_string(&j, "event", event);
		json_string(&j, "patch", tt->patch);
		json_string(&j, "target", target_name(tt->target));
		if (!strcmp(event, "transition_start")) {
			json_int(&j, "tasks", tt->total);
		} else if (!strcmp(event, "progress")) {
			json_int(&j, "migrated", tt->migrated);
			json_int(&j, "total", tt->total);
		} else {
			json_bool(&j, "forced", false);
			json_double(&j, "duration", duration);
		}
		json_string(&j, "source", "debugfs");
		json_object_close(&j);
		json_end(&j);
	} else if (!strcmp(event, "transition_start")) {
		say("[%8.3f] %s: %s transition started, %u tasks", t, tt->patch, verb, tt->total);
	} else if (!strcmp(event, "progress")) {
		say("[%8.3f] %s: %s, %u/%u tasks switched", t, tt->patch, verb,
		    tt->migrated, tt->total);
	} else {
		say("[%8.3f] %s: %s after about %.1f s", t, tt->patch,
		    target_name(tt->target), duration);
	}
}

/* Says what is traced and until when; scripts wait for this line. */
static void announce_tracing(const char *source, long count, double duration_s)
{
	char until[96] = "Ctrl-C to stop";

	if (count && duration_s)
		snprintf(until, sizeof(until), "stops after %ld transitions or %g s, or at Ctrl-C",
			 count, duration_s);
	else if (count)
		snprintf(until, sizeof(until), "stops after %ld transition%s, or at Ctrl-C",
			 count, count == 1 ? "" : "s");
	else if (duration_s)
		snprintf(until, sizeof(until), "stops after %g s, or at Ctrl-C", duration_s);
	note("tracing klpx transitions%s; %s", source, until);
}

static int trace_by_polling(struct trace_state *ts, double duration_s)
{
	struct transition_tasks current = { 0 };
	double started = monotonic_seconds(), transition_started = 0, last_progress = 0;
	unsigned int last_migrated = 0;

	while (!interrupted && (!ts->count || ts->ended < ts->count) &&
	       (!duration_s || monotonic_seconds() - started < duration_s)) {
		struct transition_tasks tt;
		double now = monotonic_seconds();

		if (transition_tasks_read(&tt)) {
			report_error("cannot read /sys/kernel/debug/klpx/tasks: mount debugfs, "
				     "or run as root");
			return EXIT_FAILED;
		}
		if (current.active && (!tt.active || strcmp(tt.patch, current.patch) ||
				       tt.target != current.target)) {
			print_polled("transition_end", &current, now - transition_started);
			ts->ended++;
			current.active = false;
		}
		if (tt.active && !current.active) {
			print_polled("transition_start", &tt, 0);
			transition_started = last_progress = now;
			last_migrated = tt.migrated;
		} else if (tt.active && tt.migrated != last_migrated && now - last_progress >= 1.0) {
			print_polled("progress", &tt, 0);
			last_progress = now;
			last_migrated = tt.migrated;
		}
		if (tt.active) {
			current.active = true;
			current.target = tt.target;
			current.migrated = tt.migrated;
			current.total = tt.total;
			memcpy(current.patch, tt.patch, sizeof(current.patch));
		}
		transition_tasks_free(&tt);
		tracer_poll(NULL, 100);
	}
	return EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
	static const struct option long_options[] = {
		COMMON_LONG_OPTIONS,
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "tasks", no_argument, NULL, 'T' },
		{ 0 }
	};
	struct trace_state ts = { 0 };
	struct tracer tracer = { 0 };
	struct transition_tasks tt;
	enum tracer_programs programs = TRACER_EVENTS;
	double duration_s = 0, started;
	char why[256] = "", *end;
	int c, ret;

	while ((c = getopt_long(argc, argv, COMMON_SHORT_OPTIONS "c:d:", long_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			ts.count = strtol(optarg, &end, 10);
			if (*end || end == optarg || ts.count <= 0)
				return usage_error("trace", "--count needs a positive number, not '%s'", optarg);
			break;
		case 'd':
			duration_s = parse_seconds(optarg);
			if (duration_s <= 0)
				return usage_error("trace", "--duration needs a number of seconds, not '%s'", optarg);
			break;
		case 'T':
			programs = TRACER_EVENTS_PER_TASK;
			break;
		default:
			ret = common_option(c, "trace", trace_help, argv);
			if (ret >= 0)
				return ret;
		}
	}
	if (optind < argc)
		return usage_error("trace", "unexpected argument '%s'", argv[optind]);

	if (!engine_is_loaded()) {
		report_error("the klpx engine is not loaded, so there is nothing to trace; "
			     "'loader apply' loads it");
		return EXIT_FAILED;
	}
	if (bpf_disabled_by_user)
		snprintf(why, sizeof(why), "disabled by --no-bpf or KLPX_NO_BPF");
	else if (!tracer_load(&tracer, "*", programs, why, sizeof(why)) &&
		 tracer_attach_events(&tracer, on_event, &ts, why, sizeof(why)))
		tracer_close(&tracer);

	if (!tracer.skel) {
		note("no BPF tracing (%s): polling debugfs every 0.1 s, so only transitions "
		     "and their progress show, and very short ones may be missed", why);
		announce_tracing(" from debugfs", ts.count, duration_s);
		return trace_by_polling(&ts, duration_s);
	}

	/* Attached mid-transition: the tasks debugfs does not list have switched. */
	if (!transition_tasks_read(&tt)) {
		if (tt.active) {
			tracer_seed(&tracer, &tt);
			if (!output.json)
				say("attached during the %s transition of '%s': %u/%u tasks switched",
				    tt.target == KLPX_TARGET_PATCHED ? "patching" : "unpatching",
				    tt.patch, tt.migrated, tt.total);
		}
		transition_tasks_free(&tt);
	}
	/* On stderr in both modes: a script can wait for it before acting. */
	announce_tracing("", ts.count, duration_s);

	started = monotonic_seconds();
	while (!interrupted && (!ts.count || ts.ended < ts.count) &&
	       (!duration_s || monotonic_seconds() - started < duration_s))
		tracer_poll(&tracer, 200);
	tracer_poll(&tracer, 0);
	tracer_close(&tracer);
	return EXIT_OK;
}
