/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Naming the tasks that hold a transition: who, why, where, with what stack. */
#ifndef LOADER_STALL_REPORT_H
#define LOADER_STALL_REPORT_H

#include <stdbool.h>
#include <klpx/events.h>
#include "output.h"

struct tracer;

#define FRAME_TEXT_LEN 160

struct stalled_task {
	int pid;
	char comm[KLPX_COMM_LEN];
	char reason[24];
	char function[FRAME_TEXT_LEN];	/* "-" when no function is to blame */
	int kthread;			/* 1, 0, or -1 if unknown */
	const char *stack_source;	/* "bpf", "proc", or NULL: no stack */
	int nr_frames;
	char frames[KLPX_STACK_DEPTH][FRAME_TEXT_LEN];
};

struct stall_report {
	bool active;			/* a transition is running */
	const char *source;		/* where the task list came from */
	char patch[KLPX_NAME_LEN];
	int target;
	unsigned int migrated, total;	/* total 0: unknown */
	int nr;
	struct stalled_task *tasks;
};

/*
 * Lists the tasks the running transition waits for.  debugfs is the source
 * of truth; without it the BPF side's view is used.  Stacks come from the
 * BPF task iterator when t is given, else from /proc/<pid>/stack.
 * Returns -errno when neither source can be read.
 */
int stall_report_collect(struct stall_report *r, struct tracer *t);
void stall_report_free(struct stall_report *r);
/* Tasks that hold the transition: all but the "pending" ones. */
int stall_report_nr_blocking(const struct stall_report *r);
bool stall_report_same_tasks(const struct stall_report *a,
			     const struct stall_report *b);

/* Text: one line per task, then its stack indented. */
void stall_report_print(const struct stall_report *r, const char *indent);
/* JSON: an array of task objects under key. */
void stall_report_json(struct json *j, const char *key, const struct stall_report *r);

#endif
