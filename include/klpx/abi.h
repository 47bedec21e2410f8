/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's interface to user space and BPF: sysfs and debugfs paths,
 * and the arguments of the tracepoints in the "klpx" trace system.
 *
 * Included by the engine, by the BPF programs and by the loader, so every
 * value here is a plain constant.
 */
#ifndef _KLPX_ABI_H
#define _KLPX_ABI_H

#define KLPX_SYSFS_ROOT		"/sys/kernel/klpx"
#define KLPX_DEBUGFS_TASKS	"/sys/kernel/debug/klpx/tasks"
#define KLPX_PARAMS_DIR		"/sys/module/klpx/parameters"
#define KLPX_TRACEFS_EVENTS	"/sys/kernel/tracing/events/klpx"

/*
 * The end of the engine's log line for a patch refused by the state rules
 * (upstream's wording), which the loader explains.
 */
#define KLPX_LOG_INCOMPATIBLE	"is not compatible with the already installed livepatches."

/* How a task reached the transition's target universe. */
enum klpx_switch_point {
	KLPX_SWITCH_STACK = 0,		/* stack check of a task that was not running */
	KLPX_SWITCH_CPU = 1,		/* check of the running task on its own CPU */
	KLPX_SWITCH_SYSCALL = 2,	/* syscall-exit barrier */
	KLPX_SWITCH_FORK = 3,		/* inherited from the parent at fork */
	KLPX_SWITCH_SIGNAL = 4,		/* switched after a fake signal or wakeup */
	KLPX_SWITCH_OFFLINE = 5,	/* idle task of an offline CPU */
	KLPX_SWITCH_NR
};

#define KLPX_SWITCH_NAMES { "stack", "cpu", "syscall", "fork", "signal", "offline" }

/* Why a task could not be switched yet. */
enum klpx_block_reason {
	KLPX_BLOCK_RUNNING = 0,		/* running on another CPU: left to the CPU check */
	KLPX_BLOCK_UNRELIABLE = 1,	/* the unwinder could not vouch for its stack */
	KLPX_BLOCK_IN_FUNC = 2,		/* a function being changed is on its stack */
	KLPX_BLOCK_NO_MEMORY = 3,	/* no memory for its state yet: retried */
	KLPX_BLOCK_NR
};

#define KLPX_BLOCK_NAMES { "running", "unreliable", "in-function", "no-memory" }

/* What a fake signal did to a stalled task. */
enum klpx_signal_kind {
	KLPX_SIGNAL_FAKE = 0,		/* user task: TIF_NOTIFY_SIGNAL and a kick */
	KLPX_SIGNAL_WAKEUP = 1,		/* kthread: woken if interruptible */
};

/*
 * Tracepoint arguments, in TP_PROTO order (raw_tp programs read them as
 * ctx[0], ctx[1], ...).  Strings are kernel pointers, valid only for the
 * duration of the event.
 *
 * klpx_transition_start(const char *patch, int target, unsigned int nr_tasks)
 * klpx_transition_end(const char *patch, int target, bool forced)
 * klpx_transition_pass(const char *patch, unsigned int nr_remaining,
 *		       const unsigned int *switched)
 *	fired after each walk over the tasks; switched points to
 *	KLPX_SWITCH_NR counts of the tasks moved so far in this direction,
 *	by switch point
 * klpx_task_switched(int pid, int target, int switch_point)
 * klpx_task_blocked(int pid, int reason, unsigned long func, int switch_point)
 *	func: an address inside the blocking function, 0 if none;
 *	switch_point: KLPX_SWITCH_STACK from the walk, KLPX_SWITCH_CPU from
 *	the check of a running task on its own CPU
 * klpx_signal(int pid, int kind)
 * klpx_force(const char *patch, int target)
 * klpx_reverse(const char *patch, int new_target)
 */

/*
 * /sys/kernel/debug/klpx/tasks: empty when no transition runs.  Otherwise a
 * header line, then one line per task not yet in the target universe, with
 * tab-separated fields:
 *
 *	# patch=<name> target=<patched|unpatched> migrated=<n> total=<n>
 *	<pid>\t<comm>\t<reason name>\t<function symbol+off/size or ->
 *
 * The reason is one of KLPX_BLOCK_NAMES, or "pending" for a task whose
 * stack would now allow the switch: the next walk moves it.  Idle tasks
 * appear with pid 0 and comm "swapper/<cpu>".
 */

#endif /* _KLPX_ABI_H */
