/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records that the BPF programs in bpf/ hand to the loader: transition
 * events through the ring buffer, and one record per task still in the old
 * universe from the task iterator.
 *
 * Shared by BPF (which includes vmlinux.h first) and user space, so every
 * field has a fixed size and nothing is a pointer.
 */
#ifndef _KLPX_EVENTS_H
#define _KLPX_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Kernel module names are at most 55 characters plus the terminator. */
#define KLPX_NAME_LEN		56
#define KLPX_COMM_LEN		16
/* Frames kept per task stack; deeper stacks are cut (nr_frames says so). */
#define KLPX_STACK_DEPTH	32

/* Values of a tracepoint's "target" argument (KLPX_PATCHED/UNPATCHED). */
#define KLPX_TARGET_UNPATCHED	0
#define KLPX_TARGET_PATCHED	1

enum klpx_event_type {
	KLPX_EV_TRANSITION_START = 1,	/* patch, target, value = nr_tasks */
	KLPX_EV_TRANSITION_END,		/* patch, target, value = forced, duration_ns */
	/* pid, target, value = switch point; when the loader prints each task */
	KLPX_EV_TASK_SWITCHED,
	/* pid, value = block reason, func; when a task's reason or function
	 * changes, not on every retry
	 */
	KLPX_EV_TASK_BLOCKED,
	KLPX_EV_SIGNAL,			/* pid, value = signal kind */
	KLPX_EV_FORCE,			/* patch, target */
	KLPX_EV_REVERSE,		/* patch, target = the new target */
	KLPX_EV_TASK_EXIT,		/* pid, comm: a task not yet switched exits */
	/* patch, target, value = tasks remaining, switched: after each walk */
	KLPX_EV_PASS,
};

struct klpx_event {
	__u64 time_ns;			/* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 func;			/* blocking function address, 0 if none */
	__u64 duration_ns;		/* transition end: time since its start, 0 if unknown */
	__u32 type;			/* enum klpx_event_type */
	__s32 pid;
	__s32 target;			/* KLPX_PATCHED / KLPX_UNPATCHED */
	__u32 value;			/* see enum klpx_event_type */
	__u32 cpu;			/* CPU the event fired on */
	__u32 switched;			/* pass: tasks moved so far in this direction */
	char comm[KLPX_COMM_LEN];	/* empty when the task is not current */
	char patch[KLPX_NAME_LEN];	/* transition events only */
};

/* Written by the iter/task program, one per task still in the old universe. */
struct klpx_old_task {
	__s32 pid;
	__s32 tgid;
	__u32 state;			/* task->__state */
	__u32 on_cpu;
	__u32 nr_frames;
	__u32 is_kthread;
	char comm[KLPX_COMM_LEN];
	__u64 stack[KLPX_STACK_DEPTH];
};

/*
 * Value of the BPF map of blocked tasks (key: pid): the last time a walk or
 * a CPU check could not move the task.  It counts only for the transition
 * whose generation it carries.
 */
struct klpx_blocked_report {
	__u32 generation;
	__u32 walk;			/* complete walks when the report came */
	__u32 reason;			/* enum klpx_block_reason */
	__u32 pad;
	__u64 func;
};

/* Counters the BPF side keeps in .bss for the transition being traced. */
struct klpx_counters {
	/* by enum klpx_switch_point (abi.h), as of the last walk */
	__u64 switched[8];
	__u64 signals;
	__u64 exits;			/* tasks that exited before switching */
	__u64 lost_events;		/* ring buffer full */
	/* the blocked-task map was full: the iterator may miss tasks */
	__u64 map_full;
};

#endif /* _KLPX_EVENTS_H */
