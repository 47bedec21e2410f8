/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Following a transition as it runs: the progress line, the events, the
 * stall report and the timeout.  Used by apply, revert and trace.
 */
#ifndef LOADER_TRANSITION_VIEW_H
#define LOADER_TRANSITION_VIEW_H

#include <signal.h>
#include <stdbool.h>
#include <klpx/abi.h>
#include <klpx/events.h>
#include "stall_report.h"

struct tracer;

extern volatile sig_atomic_t interrupted;	/* SIGINT or SIGTERM arrived */

enum on_timeout {
	ON_TIMEOUT_REVERT,
	ON_TIMEOUT_WAIT,
	ON_TIMEOUT_FORCE,
	ON_TIMEOUT_FAIL,
};

/* Parses "revert|wait|force|fail"; -1 if unknown. */
int on_timeout_parse(const char *s);

enum view_outcome {
	VIEW_DONE,		/* the transition is over (see sysfs for how) */
	VIEW_TIMED_OUT,
	VIEW_INTERRUPTED,
};

struct transition_view {
	/* set by the caller */
	const char *patch;
	int target;			/* KLPX_TARGET_*: what the transition does */
	double timeout_s;		/* <= 0: no limit */
	double stall_report_s;		/* < 0: never */
	bool print_events;		/* --trace: one line per event */
	struct tracer *tracer;		/* NULL without BPF */

	/* filled in while watching */
	double started;			/* monotonic seconds */
	double elapsed;
	unsigned int migrated, total;
	bool forced;			/* a force event was seen */
	bool reversed;			/* a reverse event was seen */
	unsigned long switched[KLPX_SWITCH_NR];
	unsigned long signals;
	double bpf_duration_s;		/* from the end event, 0 if none */
	bool end_seen;			/* an end event since the last look at sysfs */
	bool stall_shown;
	struct stall_report stall;	/* the last stall report shown */
};

/* Starts the clock; call before the transition can start. */
void transition_view_init(struct transition_view *v, const char *patch);

/* Event callback for tracer_attach_events(); ctx is the view. */
void transition_view_on_event(void *ctx, const struct klpx_event *e);

/* Follows the patch's transition until it ends, times out or is interrupted. */
enum view_outcome transition_view_follow(struct transition_view *v);

/* Names the tasks that held the transition until the timeout. */
void transition_view_report_timeout(struct transition_view *v);

/* Tasks switched by each switch point, from BPF's counters. */
void transition_view_collect_counters(struct transition_view *v);

/* "stack 80, syscall 12" for the switch points used; "" if none known. */
void switch_points_text(const unsigned long *switched, char *buf, size_t len);
void switch_points_json(struct json *j, const char *key, const unsigned long *switched);

/* One event, as text or as a JSON line (trace and --trace). */
void event_print(const struct klpx_event *e);

#endif
