// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Transition tracing for the klpx engine.
 *
 * The raw_tp programs turn the engine's tracepoints into ring-buffer events.
 * Nothing here runs once per task switched unless klpx_switched is attached,
 * which the loader does only when it prints each task: a walk over thousands
 * of tasks costs one klpx_pass run, plus one klpx_blocked run per task that
 * could not move.
 *
 * BPF cannot read the engine's per-task state (the engine has no BTF), so the
 * task iterator tells the tasks that have not switched yet from the walks'
 * reports: every walk checks every task still in the old universe and
 * reports each one it cannot move.  So, once a walk has completed, a task is
 * in the old universe if the latest complete walk (or a later CPU check)
 * reported it; before that, every task is.  A task that switches between two
 * walks is listed until the next walk, at most 100 ms later.
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
__u32 generation;		/* bumped when a transition starts or reverses */
__u32 transition_active;
__s32 target_universe;
__u32 walks_done;		/* complete walks in this generation */
__u32 last_remaining;		/* tasks left after the last walk */
__u64 transition_start_ns;
__u32 reverse_pending;		/* the engine restarts a reversed transition */
struct klpx_counters counters;

#define RING_BYTES	(256 * 1024)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RING_BYTES);
} events SEC(".maps");

/*
 * The last report per task: the iterator's record of who has not moved,
 * and what keeps a retry loop from flooding the ring with the same reason.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __s32);
	__type(value, struct klpx_blocked_report);
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

/*
 * The loader reads most events on its next tick (at most 100 ms later), so
 * it does not run on another CPU in the middle of the walk that produced
 * them.  It is woken at the end of a transition, and when the ring is half
 * full.
 */
static __always_inline void submit_event(struct klpx_event *e)
{
	bool wake = e->type == KLPX_EV_TRANSITION_END ||
		    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >
		    RING_BYTES / 2;

	bpf_ringbuf_submit(e, wake ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
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

static __always_inline bool reported_lately(const struct klpx_blocked_report *r)
{
	return r && r->generation == generation && r->walk + 1 >= walks_done;
}

static __always_inline bool in_old_universe(__s32 pid)
{
	if (!walks_done)
		return true;
	return reported_lately(bpf_map_lookup_elem(&last_blocked, &pid));
}

/*
 * Also fired when a reversed transition starts again: then the clock goes
 * on, but who has moved is learnt again, from the walks back.
 */
SEC("raw_tp/klpx_transition_start")
int klpx_tr_start(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 target = (__s32)ctx->args[1];
	struct klpx_event *e;
	int i;

	if (!(reverse_pending && transition_active)) {
		transition_start_ns = bpf_ktime_get_ns();
		counters.signals = 0;
		counters.exits = 0;
	}
	reverse_pending = 0;
	__sync_fetch_and_add(&generation, 1);
	walks_done = 0;
	target_universe = target;
	for (i = 0; i < 8; i++)
		counters.switched[i] = 0;
	transition_active = 1;

	e = reserve_event(KLPX_EV_TRANSITION_START);
	if (!e)
		return 0;
	read_patch_name(e, ctx->args[0]);
	e->target = target;
	e->value = (__u32)ctx->args[2];
	submit_event(e);
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
	submit_event(e);
	return 0;
}

/*
 * After each walk: the engine's counts, and who is left is known anew.  The
 * event goes out for the first walk and when the number left changes, not
 * ten times a second through a long stall.
 */
SEC("raw_tp/klpx_transition_pass")
int klpx_pass(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 remaining = (__u32)ctx->args[1];
	__u32 switched[KLPX_SWITCH_NR];
	struct klpx_event *e;
	__u32 total = 0;
	int i;

	if (bpf_probe_read_kernel(switched, sizeof(switched),
				  (const void *)ctx->args[2]))
		return 0;
	for (i = 0; i < KLPX_SWITCH_NR; i++) {
		counters.switched[i] = switched[i];
		total += switched[i];
	}
	/* Walks never overlap: the engine runs them under its mutex. */
	walks_done++;
	if (walks_done > 1 && last_remaining == remaining)
		return 0;
	last_remaining = remaining;

	e = reserve_event(KLPX_EV_PASS);
	if (!e)
		return 0;
	read_patch_name(e, ctx->args[0]);
	e->target = target_universe;
	e->value = remaining;
	e->switched = total;
	submit_event(e);
	return 0;
}

/* Attached only when the loader prints every task. */
SEC("raw_tp/klpx_task_switched")
int klpx_switched(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 pid = (__s32)ctx->args[0];
	struct klpx_event *e;

	/* Moved: no longer listed before the next walk. */
	if (pid > 0)
		bpf_map_delete_elem(&last_blocked, &pid);

	e = reserve_event(KLPX_EV_TASK_SWITCHED);
	if (!e)
		return 0;
	e->pid = pid;
	e->target = (__s32)ctx->args[1];
	e->value = (__u32)ctx->args[2];
	read_comm_if_current(e);
	submit_event(e);
	return 0;
}

SEC("raw_tp/klpx_task_blocked")
int klpx_blocked(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 pid = (__s32)ctx->args[0];
	struct klpx_blocked_report report = {
		.generation = generation,
		.walk = walks_done,
		.reason = (__u32)ctx->args[1],
		.func = ctx->args[2],
	};
	bool from_walk = ctx->args[3] == KLPX_SWITCH_STACK;
	struct klpx_blocked_report *last;
	struct klpx_event *e;

	/* Idle tasks all have pid 0; only the debugfs view lists them. */
	if (pid <= 0)
		return 0;
	last = bpf_map_lookup_elem(&last_blocked, &pid);
	if (!last) {
		if (bpf_map_update_elem(&last_blocked, &pid, &report, BPF_ANY))
			__sync_fetch_and_add(&counters.map_full, 1);
	} else if (last->generation != report.generation) {
		*last = report;
	} else {
		bool repeated = last->reason == report.reason &&
				last->func == report.func;

		/*
		 * The check on a running task's CPU comes after the walk
		 * that found it running: it says why, but only a walk's
		 * report keeps a task listed.
		 */
		if (from_walk)
			last->walk = report.walk;
		last->reason = report.reason;
		last->func = report.func;
		if (repeated)
			return 0;
	}

	e = reserve_event(KLPX_EV_TASK_BLOCKED);
	if (!e)
		return 0;
	e->pid = pid;
	e->target = target_universe;
	e->value = report.reason;
	e->func = report.func;
	read_comm_if_current(e);
	submit_event(e);
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
	submit_event(e);
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
	submit_event(e);
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
	/* Until the walks back, every task may have to move. */
	walks_done = 0;
	reverse_pending = 1;
	e = reserve_event(KLPX_EV_REVERSE);
	if (!e)
		return 0;
	read_patch_name(e, ctx->args[0]);
	e->target = target_universe;
	submit_event(e);
	return 0;
}

/* A child starts in its parent's universe; the entry may be a reused pid's. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(klpx_fork, struct task_struct *parent, struct task_struct *child)
{
	__s32 parent_pid, child_pid;
	struct klpx_blocked_report *r;

	if (!transition_active)
		return 0;
	parent_pid = parent->pid;
	child_pid = child->pid;
	r = bpf_map_lookup_elem(&last_blocked, &parent_pid);
	if (reported_lately(r)) {
		struct klpx_blocked_report copy = *r;

		if (bpf_map_update_elem(&last_blocked, &child_pid, &copy,
					BPF_ANY))
			__sync_fetch_and_add(&counters.map_full, 1);
	} else {
		bpf_map_delete_elem(&last_blocked, &child_pid);
	}
	return 0;
}

/*
 * A task that exits before switching no longer holds the transition long.
 * Its report goes either way, so a long trace does not fill the map with
 * the pids of tasks long gone.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(klpx_exit, struct task_struct *task)
{
	__s32 pid = task->pid;
	struct klpx_event *e;
	bool old;

	old = transition_active && in_old_universe(pid);
	bpf_map_delete_elem(&last_blocked, &pid);
	if (!old)
		return 0;
	__sync_fetch_and_add(&counters.exits, 1);
	e = reserve_event(KLPX_EV_TASK_EXIT);
	if (!e)
		return 0;
	e->pid = pid;
	e->target = target_universe;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), task->comm);
	submit_event(e);
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
	if (task->pid == 0 || !in_old_universe(task->pid))
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
