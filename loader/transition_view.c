// SPDX-License-Identifier: GPL-2.0-or-later
/* Following a transition as it runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_tracing.h"
#include "output.h"
#include "symbolize.h"
#include "sysfs.h"
#include "transition_view.h"

volatile sig_atomic_t interrupted;

/* How often the view looks at sysfs and debugfs. */
#define VIEW_TICK_MS 100

int on_timeout_parse(const char *s)
{
	if (!strcmp(s, "revert"))
		return ON_TIMEOUT_REVERT;
	if (!strcmp(s, "wait"))
		return ON_TIMEOUT_WAIT;
	if (!strcmp(s, "force"))
		return ON_TIMEOUT_FORCE;
	if (!strcmp(s, "fail"))
		return ON_TIMEOUT_FAIL;
	return -1;
}

void transition_view_init(struct transition_view *v, const char *patch)
{
	memset(v, 0, sizeof(*v));
	v->patch = patch;
	v->target = KLPX_TARGET_PATCHED;
	v->timeout_s = 60;
	v->stall_report_s = 3;
	v->started = monotonic_seconds();
}

void switch_points_text(const unsigned long *switched, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < KLPX_SWITCH_NR && used < len; i++) {
		if (!switched[i])
			continue;
		used += snprintf(buf + used, len - used, "%s%s %lu",
				 used ? ", " : "", switch_point_name(i), switched[i]);
	}
}

void switch_points_json(struct json *j, const char *key, const unsigned long *switched)
{
	unsigned int i;

	json_object_open(j, key);
	for (i = 0; i < KLPX_SWITCH_NR; i++)
		json_int(j, switch_point_name(i), switched[i]);
	json_object_close(j);
}

static double event_time(const struct klpx_event *e)
{
	return e->time_ns / 1e9 - loader_start_time;
}

static const char *event_comm(const struct klpx_event *e, char *buf, size_t len)
{
	if (e->comm[0])
		return e->comm;
	if (e->pid == 0)
		return "swapper";
	task_comm(e->pid, buf, len);
	return buf;
}

static void event_print_json(const struct klpx_event *e)
{
	char comm[KLPX_COMM_LEN], func[FRAME_TEXT_LEN];
	struct json j;

	json_begin(&j, stdout);
	json_object_open(&j, NULL);
	json_double(&j, "time", event_time(e));
	switch (e->type) {
	case KLPX_EV_TRANSITION_START:
		json_string(&j, "event", "transition_start");
		json_string(&j, "patch", e->patch);
		json_string(&j, "target", target_name(e->target));
		json_int(&j, "tasks", e->value);
		break;
	case KLPX_EV_TRANSITION_END:
		json_string(&j, "event", "transition_end");
		json_string(&j, "patch", e->patch);
		json_string(&j, "target", target_name(e->target));
		json_bool(&j, "forced", e->value);
		if (e->duration_ns)
			json_double(&j, "duration", e->duration_ns / 1e9);
		else
			json_null(&j, "duration");
		break;
	case KLPX_EV_TASK_SWITCHED:
		json_string(&j, "event", "task_switched");
		json_int(&j, "pid", e->pid);
		json_string(&j, "comm", event_comm(e, comm, sizeof(comm)));
		json_string(&j, "target", target_name(e->target));
		json_string(&j, "switch_point", switch_point_name(e->value));
		break;
	case KLPX_EV_TASK_BLOCKED:
		json_string(&j, "event", "task_blocked");
		json_int(&j, "pid", e->pid);
		json_string(&j, "comm", event_comm(e, comm, sizeof(comm)));
		json_string(&j, "reason", block_reason_name(e->value));
		if (e->func) {
			symbolize(e->func, func, sizeof(func));
			json_string(&j, "function", func);
		} else {
			json_null(&j, "function");
		}
		break;
	case KLPX_EV_SIGNAL:
		json_string(&j, "event", "signal");
		json_int(&j, "pid", e->pid);
		json_string(&j, "comm", event_comm(e, comm, sizeof(comm)));
		json_string(&j, "kind", e->value == KLPX_SIGNAL_WAKEUP ? "wakeup" : "fake_signal");
		break;
	case KLPX_EV_FORCE:
		json_string(&j, "event", "force");
		json_string(&j, "patch", e->patch);
		json_string(&j, "target", target_name(e->target));
		break;
	case KLPX_EV_REVERSE:
		json_string(&j, "event", "reverse");
		json_string(&j, "patch", e->patch);
		json_string(&j, "target", target_name(e->target));
		break;
	case KLPX_EV_PASS:
		json_string(&j, "event", "walk");
		json_string(&j, "patch", e->patch);
		json_string(&j, "target", target_name(e->target));
		json_int(&j, "switched", e->switched);
		json_int(&j, "remaining", e->value);
		break;
	case KLPX_EV_TASK_EXIT:
		json_string(&j, "event", "task_exit");
		json_int(&j, "pid", e->pid);
		json_string(&j, "comm", e->comm);
		break;
	default:
		json_string(&j, "event", "unknown");
		break;
	}
	json_object_close(&j);
	json_end(&j);
}

void event_print(const struct klpx_event *e)
{
	char comm[KLPX_COMM_LEN], func[FRAME_TEXT_LEN];
	double t = event_time(e);

	if (output.json) {
		event_print_json(e);
		return;
	}
	switch (e->type) {
	case KLPX_EV_TRANSITION_START:
		say("[%8.3f] %s: %s transition started, %u tasks", t, e->patch,
		    e->target == KLPX_TARGET_PATCHED ? "patching" : "unpatching", e->value);
		break;
	case KLPX_EV_TRANSITION_END:
		if (e->duration_ns)
			say("[%8.3f] %s: %s%s after %.3f s", t, e->patch,
			    target_name(e->target), e->value ? " (forced)" : "",
			    e->duration_ns / 1e9);
		else
			say("[%8.3f] %s: %s%s", t, e->patch, target_name(e->target),
			    e->value ? " (forced)" : "");
		break;
	case KLPX_EV_TASK_SWITCHED:
		say("[%8.3f] pid %d %s switched to %s at %s", t, e->pid,
		    event_comm(e, comm, sizeof(comm)), target_name(e->target),
		    switch_point_name(e->value));
		break;
	case KLPX_EV_TASK_BLOCKED:
		if (e->func) {
			symbolize(e->func, func, sizeof(func));
			say("[%8.3f] pid %d %s blocked: %s at %s", t, e->pid,
			    event_comm(e, comm, sizeof(comm)),
			    block_reason_name(e->value), func);
		} else {
			say("[%8.3f] pid %d %s blocked: %s", t, e->pid,
			    event_comm(e, comm, sizeof(comm)),
			    block_reason_name(e->value));
		}
		break;
	case KLPX_EV_SIGNAL:
		say("[%8.3f] pid %d %s %s", t, e->pid, event_comm(e, comm, sizeof(comm)),
		    e->value == KLPX_SIGNAL_WAKEUP ? "woken up by the engine" :
						     "sent a fake signal");
		break;
	case KLPX_EV_FORCE:
		say("[%8.3f] %s: transition forced to %s (consistency not guaranteed)",
		    t, e->patch, target_name(e->target));
		break;
	case KLPX_EV_REVERSE:
		say("[%8.3f] %s: transition reversed, now %s", t, e->patch,
		    e->target == KLPX_TARGET_PATCHED ? "patching" : "unpatching");
		break;
	case KLPX_EV_TASK_EXIT:
		say("[%8.3f] pid %d %s exited before switching", t, e->pid, e->comm);
		break;
	case KLPX_EV_PASS:
		say("[%8.3f] %s: walk: %u task%s switched so far, %u left", t, e->patch,
		    e->switched, e->switched == 1 ? "" : "s", e->value);
		break;
	}
}

void transition_view_on_event(void *ctx, const struct klpx_event *e)
{
	struct transition_view *v = ctx;

	switch (e->type) {
	case KLPX_EV_TRANSITION_START:
		v->total = e->value;
		break;
	case KLPX_EV_TRANSITION_END:
		v->end_seen = true;
		v->bpf_duration_s = e->duration_ns / 1e9;
		if (e->value)
			v->forced = true;
		break;
	case KLPX_EV_FORCE:
		v->forced = true;
		break;
	case KLPX_EV_REVERSE:
		v->reversed = true;
		v->target = e->target;
		break;
	}
	if (v->print_events)
		event_print(e);
}

void transition_view_collect_counters(struct transition_view *v)
{
	struct klpx_counters c;
	int i;

	if (!v->tracer)
		return;
	tracer_counters(v->tracer, &c);
	for (i = 0; i < KLPX_SWITCH_NR; i++)
		v->switched[i] = c.switched[i];
	v->signals = c.signals;
}

static unsigned long switched_sum(const struct transition_view *v)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < KLPX_SWITCH_NR; i++)
		sum += v->switched[i];
	return sum;
}

/* Counts from debugfs when it describes our transition, else from BPF. */
static void update_progress(struct transition_view *v)
{
	struct transition_tasks tt;

	transition_view_collect_counters(v);
	if (!transition_tasks_read(&tt) && tt.active && !strcmp(tt.patch, v->patch)) {
		v->migrated = tt.migrated;
		v->total = tt.total;
		v->target = tt.target;
	} else if (v->tracer) {
		/*
		 * No debugfs, or the transition ended between two reads.  The
		 * sum counts children switched at fork that may have exited.
		 */
		v->migrated = switched_sum(v);
		if (v->total && v->migrated > v->total)
			v->migrated = v->total;
	}
	transition_tasks_free(&tt);
}

/* A live line on a TTY, else a line per second. */
static void show_progress(struct transition_view *v, double now, double *last_line)
{
	const char *verb = v->target == KLPX_TARGET_PATCHED ? "patching" : "unpatching";
	char points[160], line[512];

	if (output.json)
		return;
	if (!output.stdout_tty && *last_line >= 0 && now - *last_line < 1.0)
		return;
	*last_line = now;
	switch_points_text(v->switched, points, sizeof(points));
	if (v->total)
		snprintf(line, sizeof(line), "%s: %s, %u/%u tasks switched%s%s%s, %.1f s",
			 v->patch, verb, v->migrated, v->total, points[0] ? " (" : "",
			 points, points[0] ? ")" : "", now - v->started);
	else
		snprintf(line, sizeof(line), "%s: %s, %.1f s", v->patch, verb,
			 now - v->started);
	if (output.stdout_tty)
		live_line("%s", line);
	else
		say("%s", line);
}

static void maybe_report_stall(struct transition_view *v, double now, double phase_start,
			       double *last_report)
{
	struct stall_report r;

	if (v->stall_report_s < 0 || now - phase_start < v->stall_report_s)
		return;
	if (*last_report >= 0 && now - *last_report < v->stall_report_s)
		return;
	*last_report = now;
	if (stall_report_collect(&r, v->tracer))
		return;
	/* Tasks that are only pending switch at the engine's next walk. */
	if (!r.active || !stall_report_nr_blocking(&r) ||
	    (v->stall_shown && stall_report_same_tasks(&r, &v->stall))) {
		stall_report_free(&r);
		return;
	}
	stall_report_free(&v->stall);
	v->stall = r;
	v->stall_shown = true;
	say("%s: %d task%s not switched after %.1f s:", v->patch, r.nr,
	    r.nr == 1 ? " has" : "s have", now - v->started);
	stall_report_print(&r, "  ");
}

/* The tasks at the timeout, unless the last report already named them. */
void transition_view_report_timeout(struct transition_view *view)
{
	struct stall_report r;

	if (stall_report_collect(&r, view->tracer))
		return;
	if (view->stall_shown && stall_report_same_tasks(&r, &view->stall)) {
		say("%s: still waiting for the task%s above", view->patch,
		    r.nr == 1 ? "" : "s");
		stall_report_free(&r);
	} else if (r.nr) {
		say("%s: %d task%s not switched after %.1f s:", view->patch, r.nr,
		    r.nr == 1 ? " has" : "s have", monotonic_seconds() - view->started);
		stall_report_print(&r, "  ");
		stall_report_free(&view->stall);
		view->stall = r;
		view->stall_shown = true;
	} else {
		stall_report_free(&r);
	}
}

enum view_outcome transition_view_follow(struct transition_view *v)
{
	double phase_start = monotonic_seconds();
	double last_line = -1, last_report = -1, next_check = phase_start;

	for (;;) {
		double now = monotonic_seconds();
		int transition;

		if (interrupted)
			return VIEW_INTERRUPTED;
		/*
		 * Events come as they happen; sysfs and debugfs (whose read
		 * walks every task) are looked at once per tick, or at once
		 * when the end event arrives.
		 */
		if (now < next_check && !v->end_seen) {
			tracer_poll(v->tracer, (int)((next_check - now) * 1000) + 1);
			continue;
		}
		next_check = now + VIEW_TICK_MS / 1000.0;
		v->end_seen = false;
		if (!patch_exists(v->patch) ||
		    (!patch_read_attr(v->patch, "transition", &transition) && !transition)) {
			if (v->tracer)
				tracer_poll(v->tracer, 0);
			transition_view_collect_counters(v);
			/* Complete, unless forced, means every task switched. */
			if (!v->forced && v->total)
				v->migrated = v->total;
			v->elapsed = now - v->started;
			live_line_clear();
			return VIEW_DONE;
		}
		update_progress(v);
		show_progress(v, now, &last_line);
		maybe_report_stall(v, now, phase_start, &last_report);
		if (v->timeout_s > 0 && now - phase_start >= v->timeout_s) {
			v->elapsed = now - v->started;
			live_line_clear();
			return VIEW_TIMED_OUT;
		}
	}
}
