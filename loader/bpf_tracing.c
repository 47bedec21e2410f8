// SPDX-License-Identifier: GPL-2.0-or-later
/* Loading the BPF programs and reading what they report. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <klpx/abi.h>
#include <klpx/events.h>
#include "klpx_trace.skel.h"
#include "bpf_tracing.h"
#include "output.h"
#include "sysfs.h"

_Static_assert(KLPX_SWITCH_NR <= 8, "klpx_counters.switched is too small");

bool bpf_disabled_by_user;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!output.verbose)
		return 0;
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

int tracer_load(struct tracer *t, const char *patch, enum tracer_programs which,
		char *why, size_t why_len)
{
	struct klpx_trace_bpf *skel;
	struct bpf_program *prog;
	int err;

	memset(t, 0, sizeof(*t));
	libbpf_set_print(print_libbpf);

	skel = klpx_trace_bpf__open();
	if (!skel) {
		err = -errno;
		snprintf(why, why_len, "opening the BPF object failed: %s", strerror(errno));
		return err;
	}
	snprintf((char *)skel->rodata->bpf_metadata_patch,
		 sizeof(skel->rodata->bpf_metadata_patch), "%s", patch);
	snprintf((char *)skel->rodata->bpf_metadata_loader_version,
		 sizeof(skel->rodata->bpf_metadata_loader_version), "%s", LOADER_VERSION);
	if (which == TRACER_ITERATOR)
		bpf_object__for_each_program(prog, skel->obj)
			if (prog != skel->progs.klpx_old_tasks)
				bpf_program__set_autoload(prog, false);
	if (which != TRACER_EVENTS_PER_TASK)
		bpf_program__set_autoload(skel->progs.klpx_switched, false);

	err = klpx_trace_bpf__load(skel);
	if (err) {
		snprintf(why, why_len, "loading the BPF programs failed: %s%s",
			 strerror(-err), output.verbose ? "" : " (-v shows why)");
		klpx_trace_bpf__destroy(skel);
		return err;
	}
	t->skel = skel;
	return 0;
}

static void remember_blocked(struct tracer *t, const struct klpx_event *e)
{
	struct blocked_note *note;
	int i;

	for (i = 0; i < t->nr_blocked; i++)
		if (t->blocked[i].pid == e->pid)
			break;
	if (i == t->nr_blocked) {
		note = realloc(t->blocked, (t->nr_blocked + 1) * sizeof(*note));
		if (!note)
			return;
		t->blocked = note;
		t->nr_blocked++;
	}
	t->blocked[i].pid = e->pid;
	t->blocked[i].reason = e->value;
	t->blocked[i].func = e->func;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	const struct klpx_event *e = data;

	if (size < sizeof(*e))
		return 0;
	if (e->type == KLPX_EV_TRANSITION_START)
		t->nr_blocked = 0;
	else if (e->type == KLPX_EV_TASK_BLOCKED)
		remember_blocked(t, e);
	if (t->on_event)
		t->on_event(t->ctx, e);
	return 0;
}

int tracer_attach_events(struct tracer *t, tracer_event_fn fn, void *ctx,
			 char *why, size_t why_len)
{
	struct klpx_trace_bpf *skel = t->skel;
	struct {
		struct bpf_program *prog;
		struct bpf_link **link;
	} progs[] = {
		{ skel->progs.klpx_tr_start, &skel->links.klpx_tr_start },
		{ skel->progs.klpx_tr_end, &skel->links.klpx_tr_end },
		{ skel->progs.klpx_pass, &skel->links.klpx_pass },
		{ skel->progs.klpx_switched, &skel->links.klpx_switched },
		{ skel->progs.klpx_blocked, &skel->links.klpx_blocked },
		{ skel->progs.klpx_signal, &skel->links.klpx_signal },
		{ skel->progs.klpx_force, &skel->links.klpx_force },
		{ skel->progs.klpx_reverse, &skel->links.klpx_reverse },
		{ skel->progs.klpx_fork, &skel->links.klpx_fork },
		{ skel->progs.klpx_exit, &skel->links.klpx_exit },
	};
	size_t i;

	t->on_event = fn;
	t->ctx = ctx;
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		if (!bpf_program__autoload(progs[i].prog))
			continue;
		*progs[i].link = bpf_program__attach(progs[i].prog);
		if (!*progs[i].link) {
			int err = -errno;

			snprintf(why, why_len, "attaching %s failed: %s",
				 bpf_program__name(progs[i].prog), strerror(-err));
			return err;
		}
	}
	t->events = ring_buffer__new(bpf_map__fd(skel->maps.events), handle_event, t, NULL);
	if (!t->events) {
		int err = -errno;

		snprintf(why, why_len, "opening the BPF ring buffer failed: %s",
			 strerror(-err));
		return err;
	}
	return 0;
}

void tracer_seed(struct tracer *t, const struct transition_tasks *tt)
{
	struct klpx_trace_bpf *skel = t->skel;
	int map_fd = bpf_map__fd(skel->maps.last_blocked);
	struct klpx_blocked_report report = { 0 };
	int i;

	if (!tt->active)
		return;
	skel->bss->transition_active = 0;
	report.generation = ++skel->bss->generation;
	/*
	 * As if reported by a first walk that has just completed, and again
	 * by the second, which may be under way: so the listed tasks stay
	 * listed until a walk that starts after this has looked at them.  A
	 * reason no real report repeats, so the next one is shown.
	 */
	report.walk = 1;
	report.reason = KLPX_BLOCK_NR;
	skel->bss->walks_done = 1;
	skel->bss->last_remaining = UINT_MAX;
	skel->bss->target_universe = tt->target;
	skel->bss->transition_start_ns = 0;
	memset(&skel->bss->counters, 0, sizeof(skel->bss->counters));
	for (i = 0; i < tt->nr; i++) {
		__s32 pid = tt->tasks[i].pid;

		if (pid > 0)
			bpf_map_update_elem(map_fd, &pid, &report, BPF_ANY);
	}
	skel->bss->transition_active = 1;
}

int tracer_poll(struct tracer *t, int timeout_ms)
{
	int n;

	if (!t || !t->events) {
		if (timeout_ms > 0)
			usleep(timeout_ms * 1000);
		return 0;
	}
	n = ring_buffer__poll(t->events, timeout_ms);
	if (n == -EINTR)
		n = 0;
	/* Most events come without a wakeup (see submit_event()). */
	if (n >= 0) {
		int more = ring_buffer__consume(t->events);

		if (more > 0)
			n += more;
	}
	return n;
}

int tracer_old_tasks(struct tracer *t, struct klpx_old_task **tasks, int *nr)
{
	struct klpx_old_task rec, *all = NULL;
	struct bpf_link *link;
	int iter_fd, count = 0, err = 0;

	*tasks = NULL;
	*nr = 0;
	link = bpf_program__attach_iter(t->skel->progs.klpx_old_tasks, NULL);
	if (!link)
		return -errno;
	iter_fd = bpf_iter_create(bpf_link__fd(link));
	if (iter_fd < 0) {
		err = -errno;
		bpf_link__destroy(link);
		return err;
	}
	for (;;) {
		ssize_t n = read(iter_fd, &rec, sizeof(rec));
		struct klpx_old_task *grown;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				err = -errno;
			break;
		}
		if ((size_t)n != sizeof(rec))
			break;
		grown = realloc(all, (count + 1) * sizeof(*all));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		all = grown;
		all[count++] = rec;
	}
	close(iter_fd);
	bpf_link__destroy(link);
	if (err) {
		free(all);
		return err;
	}
	*tasks = all;
	*nr = count;
	return 0;
}

void tracer_counters(const struct tracer *t, struct klpx_counters *c)
{
	memcpy(c, &t->skel->bss->counters, sizeof(*c));
}

bool tracer_transition_active(const struct tracer *t)
{
	return t->skel->bss->transition_active;
}

const struct blocked_note *tracer_blocked_note(const struct tracer *t, int pid)
{
	int i;

	for (i = 0; i < t->nr_blocked; i++)
		if (t->blocked[i].pid == pid)
			return &t->blocked[i];
	return NULL;
}

void tracer_close(struct tracer *t)
{
	struct klpx_counters *c = t->skel ? &t->skel->bss->counters : NULL;

	if (c && c->lost_events)
		note("%llu BPF events were lost (the ring buffer was full): the event "
		     "lines and the stall report may miss tasks", (unsigned long long)c->lost_events);
	if (c && c->map_full)
		note("the BPF map of blocked tasks was full %llu times: the stall report may "
		     "miss tasks", (unsigned long long)c->map_full);
	ring_buffer__free(t->events);
	klpx_trace_bpf__destroy(t->skel);
	free(t->blocked);
	memset(t, 0, sizeof(*t));
}
