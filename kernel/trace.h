/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tracepoints of the "klpx" trace system.  Arguments are scalars, short
 * strings and one array of counts, in the order include/klpx/abi.h documents
 * for raw_tp users.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM klpx

#if !defined(_KLPX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KLPX_TRACE_H

#include <linux/tracepoint.h>
#include <klpx/abi.h>

TRACE_EVENT(klpx_transition_start,
	TP_PROTO(const char *patch, int target, unsigned int nr_tasks),
	TP_ARGS(patch, target, nr_tasks),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
		__field(unsigned int, nr_tasks)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->target = target;
		__entry->nr_tasks = nr_tasks;
	),
	TP_printk("patch=%s target=%d nr_tasks=%u",
		  __get_str(patch), __entry->target, __entry->nr_tasks)
);

TRACE_EVENT(klpx_transition_end,
	TP_PROTO(const char *patch, int target, bool forced),
	TP_ARGS(patch, target, forced),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
		__field(bool, forced)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->target = target;
		__entry->forced = forced;
	),
	TP_printk("patch=%s target=%d forced=%d",
		  __get_str(patch), __entry->target, __entry->forced)
);

/* So that user-space parsers of the format can read the indices. */
TRACE_DEFINE_ENUM(KLPX_SWITCH_STACK);
TRACE_DEFINE_ENUM(KLPX_SWITCH_CPU);
TRACE_DEFINE_ENUM(KLPX_SWITCH_SYSCALL);
TRACE_DEFINE_ENUM(KLPX_SWITCH_FORK);
TRACE_DEFINE_ENUM(KLPX_SWITCH_SIGNAL);
TRACE_DEFINE_ENUM(KLPX_SWITCH_OFFLINE);

/*
 * One per walk over the tasks: how many are left, and how many have switched
 * so far in this direction by each switch point (KLPX_SWITCH_NR counts).
 * Cheap progress for tools that need not follow each task.
 */
TRACE_EVENT(klpx_transition_pass,
	TP_PROTO(const char *patch, unsigned int nr_remaining,
		 const unsigned int *switched),
	TP_ARGS(patch, nr_remaining, switched),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(unsigned int, nr_remaining)
		__array(unsigned int, switched, KLPX_SWITCH_NR)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->nr_remaining = nr_remaining;
		memcpy(__entry->switched, switched,
		       sizeof(__entry->switched));
	),
	TP_printk("patch=%s nr_remaining=%u stack=%u cpu=%u syscall=%u fork=%u signal=%u offline=%u",
		  __get_str(patch), __entry->nr_remaining,
		  __entry->switched[KLPX_SWITCH_STACK],
		  __entry->switched[KLPX_SWITCH_CPU],
		  __entry->switched[KLPX_SWITCH_SYSCALL],
		  __entry->switched[KLPX_SWITCH_FORK],
		  __entry->switched[KLPX_SWITCH_SIGNAL],
		  __entry->switched[KLPX_SWITCH_OFFLINE])
);

TRACE_EVENT(klpx_task_switched,
	TP_PROTO(int pid, int target, int switch_point),
	TP_ARGS(pid, target, switch_point),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(int, target)
		__field(int, switch_point)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->target = target;
		__entry->switch_point = switch_point;
	),
	TP_printk("pid=%d target=%d switch_point=%d",
		  __entry->pid, __entry->target, __entry->switch_point)
);

TRACE_EVENT(klpx_task_blocked,
	TP_PROTO(int pid, int reason, unsigned long func, int switch_point),
	TP_ARGS(pid, reason, func, switch_point),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(int, reason)
		__field(unsigned long, func)
		__field(int, switch_point)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->reason = reason;
		__entry->func = func;
		__entry->switch_point = switch_point;
	),
	TP_printk("pid=%d reason=%d func=%pS switch_point=%d",
		  __entry->pid, __entry->reason, (void *)__entry->func,
		  __entry->switch_point)
);

TRACE_EVENT(klpx_signal,
	TP_PROTO(int pid, int kind),
	TP_ARGS(pid, kind),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(int, kind)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->kind = kind;
	),
	TP_printk("pid=%d kind=%d", __entry->pid, __entry->kind)
);

TRACE_EVENT(klpx_force,
	TP_PROTO(const char *patch, int target),
	TP_ARGS(patch, target),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, target)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->target = target;
	),
	TP_printk("patch=%s target=%d", __get_str(patch), __entry->target)
);

TRACE_EVENT(klpx_reverse,
	TP_PROTO(const char *patch, int new_target),
	TP_ARGS(patch, new_target),
	TP_STRUCT__entry(
		__string(patch, patch)
		__field(int, new_target)
	),
	TP_fast_assign(
		__assign_str(patch, patch);
		__entry->new_target = new_target;
	),
	TP_printk("patch=%s new_target=%d",
		  __get_str(patch), __entry->new_target)
);

#endif /* _KLPX_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
