// SPDX-License-Identifier: GPL-2.0-or-later
/* Naming the tasks that hold a transition: who, why, where, with what stack. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_tracing.h"
#include "stall_report.h"
#include "symbolize.h"
#include "sysfs.h"

#define PF_KTHREAD 0x00200000

static int proc_kthread_flag(int pid)
{
	char path[64], line[1024], *p;
	unsigned long flags;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	if (!p)
		return -1;
	/* The comm may hold spaces and parentheses: start after the last ')'. */
	p = strrchr(line, ')');
	if (!p)
		return -1;
	n = sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags);
	return n == 1 ? !!(flags & PF_KTHREAD) : -1;
}

static void stack_from_proc(struct stalled_task *st)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stack", st->pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (st->nr_frames < KLPX_STACK_DEPTH && fgets(line, sizeof(line), f)) {
		char *text = strstr(line, "] ");

		text = text ? text + 2 : line;
		text[strcspn(text, "\n")] = '\0';
		snprintf(st->frames[st->nr_frames++], FRAME_TEXT_LEN, "%.*s",
			 FRAME_TEXT_LEN - 1, text);
	}
	fclose(f);
	if (st->nr_frames)
		st->stack_source = "proc";
}

static void stack_from_bpf(struct stalled_task *st, const struct klpx_old_task *rec)
{
	unsigned int i;

	st->kthread = rec->is_kthread;
	for (i = 0; i < rec->nr_frames && i < KLPX_STACK_DEPTH; i++)
		symbolize(rec->stack[i], st->frames[i], FRAME_TEXT_LEN);
	st->nr_frames = i;
	if (st->nr_frames)
		st->stack_source = "bpf";
}

static const struct klpx_old_task *find_old_task(const struct klpx_old_task *recs,
						 int nr, int pid)
{
	int i;

	for (i = 0; i < nr; i++)
		if (recs[i].pid == pid)
			return &recs[i];
	return NULL;
}

static int from_debugfs(struct stall_report *r, const struct transition_tasks *tt)
{
	int i;

	r->source = "debugfs";
	r->active = tt->active;
	snprintf(r->patch, sizeof(r->patch), "%s", tt->patch);
	r->target = tt->target;
	r->migrated = tt->migrated;
	r->total = tt->total;
	if (!tt->nr)
		return 0;
	r->tasks = calloc(tt->nr, sizeof(*r->tasks));
	if (!r->tasks)
		return -ENOMEM;
	for (i = 0; i < tt->nr; i++) {
		struct stalled_task *st = &r->tasks[i];

		st->pid = tt->tasks[i].pid;
		snprintf(st->comm, sizeof(st->comm), "%s", tt->tasks[i].comm);
		snprintf(st->reason, sizeof(st->reason), "%s", tt->tasks[i].reason);
		snprintf(st->function, sizeof(st->function), "%s", tt->tasks[i].function);
		st->kthread = st->pid == 0 ? 1 : -1;
	}
	r->nr = tt->nr;
	return 0;
}

/* Without debugfs: the tasks the BPF side has not seen switch. */
static int from_bpf(struct stall_report *r, struct tracer *t,
		    const struct klpx_old_task *recs, int nr)
{
	int i;

	r->source = "bpf";
	r->active = tracer_transition_active(t);
	if (!r->active || !nr)
		return 0;
	r->tasks = calloc(nr, sizeof(*r->tasks));
	if (!r->tasks)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		const struct blocked_note *note = tracer_blocked_note(t, recs[i].pid);
		struct stalled_task *st = &r->tasks[i];

		st->pid = recs[i].pid;
		snprintf(st->comm, sizeof(st->comm), "%s", recs[i].comm);
		snprintf(st->reason, sizeof(st->reason), "%s",
			 note ? block_reason_name(note->reason) : "unknown");
		if (note && note->func)
			symbolize(note->func, st->function, sizeof(st->function));
		else
			snprintf(st->function, sizeof(st->function), "-");
		st->kthread = -1;
	}
	r->nr = nr;
	return 0;
}

int stall_report_collect(struct stall_report *r, struct tracer *t)
{
	struct klpx_old_task *recs = NULL;
	struct transition_tasks tt;
	int nr_recs = 0, err, i;
	bool have_recs = false;

	memset(r, 0, sizeof(*r));
	if (t && t->skel)
		have_recs = !tracer_old_tasks(t, &recs, &nr_recs);

	err = transition_tasks_read(&tt);
	if (!err) {
		err = from_debugfs(r, &tt);
		transition_tasks_free(&tt);
	} else if (have_recs) {
		err = from_bpf(r, t, recs, nr_recs);
	}
	if (err) {
		free(recs);
		stall_report_free(r);
		return err;
	}

	for (i = 0; i < r->nr; i++) {
		struct stalled_task *st = &r->tasks[i];
		const struct klpx_old_task *rec = NULL;

		if (st->pid <= 0)
			continue;	/* idle tasks: no stack to show */
		if (have_recs)
			rec = find_old_task(recs, nr_recs, st->pid);
		if (rec)
			stack_from_bpf(st, rec);
		else
			stack_from_proc(st);
		if (st->kthread < 0)
			st->kthread = proc_kthread_flag(st->pid);
	}
	free(recs);
	return 0;
}

void stall_report_free(struct stall_report *r)
{
	free(r->tasks);
	r->tasks = NULL;
	r->nr = 0;
}

int stall_report_nr_blocking(const struct stall_report *r)
{
	int i, n = 0;

	for (i = 0; i < r->nr; i++)
		if (strcmp(r->tasks[i].reason, "pending"))
			n++;
	return n;
}

bool stall_report_same_tasks(const struct stall_report *a,
			     const struct stall_report *b)
{
	int i;

	if (a->nr != b->nr)
		return false;
	for (i = 0; i < a->nr; i++)
		if (a->tasks[i].pid != b->tasks[i].pid ||
		    strcmp(a->tasks[i].reason, b->tasks[i].reason) ||
		    strcmp(a->tasks[i].function, b->tasks[i].function))
			return false;
	return true;
}

void stall_report_print(const struct stall_report *r, const char *indent)
{
	int i, k;

	for (i = 0; i < r->nr; i++) {
		const struct stalled_task *st = &r->tasks[i];

		if (strcmp(st->function, "-"))
			say("%spid %d %s%s: %s at %s", indent, st->pid, st->comm,
			    st->kthread == 1 ? " (kthread)" : "", st->reason,
			    st->function);
		else
			say("%spid %d %s%s: %s", indent, st->pid, st->comm,
			    st->kthread == 1 ? " (kthread)" : "", st->reason);
		for (k = 0; k < st->nr_frames; k++)
			say("%s    %s", indent, st->frames[k]);
		if (!st->nr_frames && st->pid > 0)
			say("%s    (stack unavailable)", indent);
	}
}

void stall_report_json(struct json *j, const char *key, const struct stall_report *r)
{
	int i, k;

	json_array_open(j, key);
	for (i = 0; i < r->nr; i++) {
		const struct stalled_task *st = &r->tasks[i];

		json_object_open(j, NULL);
		json_int(j, "pid", st->pid);
		json_string(j, "comm", st->comm);
		json_string(j, "reason", st->reason);
		json_string(j, "function", strcmp(st->function, "-") ? st->function : NULL);
		if (st->kthread < 0)
			json_null(j, "kthread");
		else
			json_bool(j, "kthread", st->kthread);
		json_string(j, "stack_source", st->stack_source);
		json_array_open(j, "stack");
		for (k = 0; k < st->nr_frames; k++)
			json_string(j, NULL, st->frames[k]);
		json_array_close(j);
		json_object_close(j);
	}
	json_array_close(j);
}
