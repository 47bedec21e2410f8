// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Transition tracing for the klpx engine.
 *
 * The raw_tp programs turn the engine's tracepoints into ring-buffer events.
 * BPF cannot read the engine's per-task state (the engine has no BTF), so
 * these programs keep their own record of which universe each task is in,
 * and the task iterator uses it to list the tasks that have not switched
 * yet, with their kernel stacks.
 *
 * A task's universe is its entry in task_universe if the entry belongs to
 * the current transition (same generation), and untracked_universe
 * otherwise.  At the start of a transition nobody has an entry and every
 * task is in the old universe.  When the loader attaches in the middle of a
 * transition it sets untracked_universe to the target and adds an entry for
 * each task that debugfs lists as not switched yet.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <klpx/abi.h>
#include <klpx/events.h>

#define PF_KTHREAD	0x00200000

char LICENSE[] SEC("license") = "GPL";

/* Shown by `bpftool prog show`; set by the loader before load. */
const volatile char bpf_metadata_patch[KLPX_NAME_LEN] = "";
const volatile char bpf_metadata_loader_version[16] = "";

/* State of the traced transition; the loader seeds it when attaching late. */
__u32 generation;
__u32 transition_active;
__s32 target_universe;
__s32 untracked_universe;
__u64 transition_start_ns;
__u32 reverse_pending;		/* the engine restarts a reversed transition */
struct klpx_counters counters;

struct blocked_report {
	__u32 generation;
	__u32 reason;
	__u64 func;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __s32);
	__type(value, struct klpx_task_universe);
} task_universe SEC(".maps");

/* Last reason reported per task, so a retry loop does not flood the ring. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __s32);
	__type(value, struct blocked_report);
} last_blocked SEC(".maps");

/* The task record is too large for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct klpx_old_task);
} old_task_scratch SEC(".maps");

static __always_inline struct klpx_event *reserve_event(__u32 type)
{
	struct klpx_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&counters.lost_events, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->time_ns = bpf_ktime_get_ns();
	e->cpu = bpf_get_smp_processor_id();
	return e;
}

static __always_inline void read_patch_name(struct klpx_event *e, __u64 ptr)
{
	bpf_probe_read_kernel_str(e->patch, sizeof(e->patch), (const void *)ptr);
}

/* The comm is only known cheaply when the event is about the current task. */
static __always_inline void read_comm_if_current(struct klpx_event *e)
{
	__u32 pid = (__u32)bpf_get_current_pid_tgid();

	if ((__s32)pid == e->pid)
		bpf_get_current_comm(e->comm, sizeof(e->comm));
}

static __always_inline __s32 universe_of(__s32 pid)
{
	struct klpx_task_universe *u = bpf_map_lookup_elem(&task_universe, &pid);

	if (u && u->generation == generation)
		return u->universe;
	return untracked_universe;
}

SEC("raw_tp/klpx_transition_start")
int klpx_tr_start(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 target = (__s32)ctx->args[1];
	struct klpx_event *e;
	int i;

	/*
	 * A reversed transition starts again with every task where it was:
	 * keep the universes, only the target changed (klpx_reverse did it).
	 */
	if (reverse_pending && transition_active) {
		reverse_pending = 0;
		goto report;
	}
	reverse_pending = 0;
	__sync_fetch_and_add(&generation, 1);
	target_universe = target;
	untracked_universe = target == KLPX_TARGET_PATCHED ?
			     KLPX_TARGET_UNPATCHED : KLPX_TARGET_PATCHED;
	transition_start_ns = bpf_ktime_get_ns();
	for (i = 0; i < 8; i++)
		counters.switched[i] = 0;
	counters.signals = 0;
	counters.exits = 0;
	transition_active = 1;

report:
	e = reserve_event(KLPX_EV_TRANSITION_START);
	if (!e)
		return 0;
	read_patch_name(e, ctx->args[0]);
	e->target = target;
	e->value = (__u32)ctx->args[2];
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/klpx_transition_end")
int klpx_tr_end(struct bpf_raw_tracepoint_args *ctx)
{
	struct klpx_event *e;
	__u64 start = transition_start_ns;

	transition_active = 0;
	reverse_pending = 0;
	e = reserve_event(KLPX_EV_TRANSITION_END);
	if (!e)
		return 0;
	read_patch_name(e, ctx->args[0]);
	e->target = (__s32)ctx->args[1];
	e->value = (__u8)ctx->args[2];
	if (start && e->time_ns > start)
		e->duration_ns = e->time_ns - start;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/klpx_task_switched")
int klpx_switched(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 pid = (__s32)ctx->args[0];
	__u32 point = (__u32)ctx->args[2];
	struct klpx_task_universe u = {
		.generation = generation,
		.universe = (__s32)ctx->args[1],
	};
	struct klpx_event *e;

	/* Idle tasks all have pid 0 and are not on the task list anyway. */
	if (pid > 0 && bpf_map_update_elem(&task_universe, &pid, &u, BPF_ANY))
		__sync_fetch_and_add(&counters.map_full, 1);
	if (point < 8)
		__sync_fetch_and_add(&counters.switched[point], 1);

	e = reserve_event(KLPX_EV_TASK_SWITCHED);
	if (!e)
		return 0;
	e->pid = pid;
	e->target = u.universe;
	e->value = point;
	read_comm_if_current(e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/klpx_task_blocked")
int klpx_blocked(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 pid = (__s32)ctx->args[0];
	struct blocked_report report = {
		.generation = generation,
		.reason = (__u32)ctx->args[1],
		.func = ctx->args[2],
	};
	struct blocked_report *last;
	struct klpx_event *e;

	last = bpf_map_lookup_elem(&last_blocked, &pid);
	if (last && last->generation == report.generation &&
	    last->reason == report.reason && last->func == report.func)
		return 0;
	bpf_map_update_elem(&last_blocked, &pid, &report, BPF_ANY);

	e = reserve_event(KLPX_EV_TASK_BLOCKED);
	if (!e)
		return 0;
	e->pid = pid;
	e->target = target_universe;
	e->value = report.reason;
	e->func = report.func;
	read_comm_if_current(e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/klpx_signal")
int klpx_signal(struct bpf_raw_tracepoint_args *ctx)
{
	struct klpx_event *e;

	__sync_fetch_and_add(&counters.signals, 1);
	e = reserve_event(KLPX_EV_SIGNAL);
	if (!e)
		return 0;
	e->pid = (__s32)ctx->args[0];
	e->value = (__u32)ctx->args[1];
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/klpx_force")
int klpx_force(struct bpf_raw_tracepoint_args *ctx)
{
	struct klpx_event *e;

	e = reserve_event(KLPX_EV_FORCE);
	if (!e)
		return 0;
	read_patch_name(e, ctx->args[0]);
	e->target = (__s32)ctx->args[1];
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/*
 * A reversal keeps every task where it is and flips the target: the tasks
 * that had switched are now the ones left to switch (back).
 */
SEC("raw_tp/klpx_reverse")
int klpx_reverse(struct bpf_raw_tracepoint_args *ctx)
{
	struct klpx_event *e;

	target_universe = (__s32)ctx->args[1];
	reverse_pending = 1;
	e = reserve_event(KLPX_EV_REVERSE);
	if (!e)
		return 0;
	read_patch_name(e, ctx->args[0]);
	e->target = target_universe;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* A child starts in its parent's universe; the entry may be a reused pid's. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(klpx_fork, struct task_struct *parent, struct task_struct *child)
{
	__s32 parent_pid, child_pid;
	struct klpx_task_universe *u;

	if (!transition_active)
		return 0;
	parent_pid = parent->pid;
	child_pid = child->pid;
	u = bpf_map_lookup_elem(&task_universe, &parent_pid);
	if (u && u->generation == generation) {
		struct klpx_task_universe copy = *u;

		if (bpf_map_update_elem(&task_universe, &child_pid, &copy,
					BPF_ANY))
			__sync_fetch_and_add(&counters.map_full, 1);
	} else {
		bpf_map_delete_elem(&task_universe, &child_pid);
	}
	return 0;
}

/* A task that exits before switching no longer holds the transition long. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(klpx_exit, struct task_struct *task)
{
	struct klpx_event *e;
	__s32 pid;

	if (!transition_active)
		return 0;
	pid = task->pid;
	if (universe_of(pid) == target_universe)
		return 0;
	__sync_fetch_and_add(&counters.exits, 1);
	e = reserve_event(KLPX_EV_TASK_EXIT);
	if (!e)
		return 0;
	e->pid = pid;
	e->target = target_universe;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), task->comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("iter/task")
int klpx_old_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct klpx_old_task *rec;
	__u32 zero = 0;
	long bytes;

	if (!task || !transition_active)
		return 0;
	if (task->pid == 0 || universe_of(task->pid) == target_universe)
		return 0;
	rec = bpf_map_lookup_elem(&old_task_scratch, &zero);
	if (!rec)
		return 0;
	rec->pid = task->pid;
	rec->tgid = task->tgid;
	rec->state = task->__state;
	rec->on_cpu = task->on_cpu;
	rec->is_kthread = !!(task->flags & PF_KTHREAD);
	bpf_probe_read_kernel_str(rec->comm, sizeof(rec->comm), task->comm);
	bytes = bpf_get_task_stack(task, rec->stack, sizeof(rec->stack), 0);
	rec->nr_frames = bytes > 0 ? (__u32)bytes / sizeof(__u64) : 0;
	bpf_seq_write(ctx->meta->seq, rec, sizeof(*rec));
	return 0;
}
