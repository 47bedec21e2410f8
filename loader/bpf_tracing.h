/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BPF side, seen from the loader: loading and attaching the programs of
 * bpf/klpx_trace.bpf.c, reading their events and counters, and running the
 * task iterator.
 */
#ifndef LOADER_BPF_TRACING_H
#define LOADER_BPF_TRACING_H

#include <stdbool.h>
#include <stddef.h>
#include <klpx/events.h>

struct transition_tasks;
struct klpx_trace_bpf;
struct ring_buffer;

typedef void (*tracer_event_fn)(void *ctx, const struct klpx_event *e);

/* The last reason each task was reported blocked for, from the events. */
struct blocked_note {
	int pid;
	unsigned int reason;
	unsigned long func;
};

struct tracer {
	struct klpx_trace_bpf *skel;
	struct ring_buffer *events;
	tracer_event_fn on_event;
	void *ctx;
	struct blocked_note *blocked;
	int nr_blocked;
};

/* --no-bpf or KLPX_NO_BPF=1 in the environment. */
extern bool bpf_disabled_by_user;

/* Which programs tracer_load() loads. */
enum tracer_programs {
	/* The task iterator alone: a one-shot report seeded from debugfs. */
	TRACER_ITERATOR,
	/* The event programs too, but nothing that runs per task switched. */
	TRACER_EVENTS,
	/* Also an event per task switched: one BPF run per task. */
	TRACER_EVENTS_PER_TASK,
};

/*
 * Loads the programs; `patch` goes into bpf_metadata_patch.  Returns 0, or
 * -errno with `why` saying what failed (the caller then works without BPF).
 */
int tracer_load(struct tracer *t, const char *patch, enum tracer_programs which,
		char *why, size_t why_len);

/* Attaches the tracepoint programs loaded and opens the ring buffer. */
int tracer_attach_events(struct tracer *t, tracer_event_fn fn, void *ctx,
			 char *why, size_t why_len);

/*
 * For a transition that started before we attached: the tasks debugfs lists
 * count as reported by the last walk, the others as switched.
 */
void tracer_seed(struct tracer *t, const struct transition_tasks *tt);

/* Delivers pending events to the callback; waits up to timeout_ms (t may be NULL). */
int tracer_poll(struct tracer *t, int timeout_ms);

/* The tasks the BPF side sees in the old universe, with their stacks. */
int tracer_old_tasks(struct tracer *t, struct klpx_old_task **tasks, int *nr);

void tracer_counters(const struct tracer *t, struct klpx_counters *c);
bool tracer_transition_active(const struct tracer *t);
const struct blocked_note *tracer_blocked_note(const struct tracer *t, int pid);

/* Detaches and unloads everything. */
void tracer_close(struct tracer *t);

#endif
