#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# How klpx's transition time and memory grow with the number of tasks.
#
# For each count N of extra threads (thread_load, sleeping in pause()):
#  - time: RUNS enables of bench_patch.  The engine's work per task is its
#    first walk over every task (a stack check each), the first call of
#    klpx_try_complete_transition(), timed by the function_graph tracer
#    (depth 1, that function only).  The transition's own time comes from
#    the kernel's timestamps, split at "completing patching transition" into
#    "moving" (until the last task moved: walks, IPIs, retries) and the
#    completion (RCU grace periods: a fixed cost);
#  - memory: with a fresh engine, a transition held open by bench_holder
#    (sleeping in a function the patch changes) once every other task has
#    moved.  Every allocation the engine makes from the transition's start,
#    read from the kmem:kmalloc and kmem:kfree tracepoints: bytes_alloc (what
#    the allocator really handed out) of each kmalloc called from the
#    engine's code (the per-task nodes, the table header, the switch
#    context), less those freed meanwhile (a node allocated twice in a
#    race); and the bucket array, allocated by kvcalloc() for
#    klpx_task_table_create (found by its stack trace; /proc/vmallocinfo if
#    it fell back to vmalloc).  Per task = bytes / the tasks of the
#    transition (the "total" of /sys/kernel/debug/klpx/tasks).
set -e
. /klpx/selftests/lib.sh
. /klpx/bench/lib/common.sh

RUNS=$BENCH_RUNS
COUNTS=${BENCH_SCALING_COUNTS:-"100 250 500 1000 2000 4000"}
T=$BENCH_TMP/scaling
rm -rf "$T" && mkdir -p "$T"

KLPX_START="klpx: 'bench_patch': starting patching transition"
KLPX_COMPLETING="klpx: 'bench_patch': completing patching transition"
KLPX_DONE="klpx: 'bench_patch': patching complete"


hold()
{
	echo "$1" >/sys/module/bench_target/parameters/hold
}

hold_entries()
{
	sed -n 's/^hold_entries: //p' /proc/bench_target/state
}

# tasks_header FIELD: a field of the debugfs tasks header (migrated, total).
tasks_header()
{
	head -n 1 "$KLPX_DEBUGFS_TASKS" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$1=//p"
}
KLPX_DEBUGFS_TASKS=/sys/kernel/debug/klpx/tasks

# bucket_bytes: bytes_alloc of the bucket array from the kmalloc trace, or
# the vmalloc size.
bucket_bytes()
{
	awk '
		function cpu() { match($0, /\[[0-9]+\]/); return substr($0, RSTART, RLENGTH) }
		/ kmalloc: / { ev[cpu()] = $0; instack = 0; next }
		/<stack trace>/ { c = cpu(); frames = ""; instack = 1; next }
		instack && /^ => / {
			frames = frames " " $2
			# kvzalloc() of the table; a small one is a tail call
			# to __kmalloc_node, without a kvmalloc_node frame.
			if (frames ~ / (__kmalloc_node|kvmalloc_node) klpx_task_table_create$/) {
				match(ev[c], /bytes_alloc=[0-9]+/)
				print substr(ev[c], RSTART + 12, RLENGTH - 12)
				exit
			}
			next
		}
		{ instack = 0 }' "$TR/trace"
}

# engine_kmalloc_bytes: bytes_alloc of the engine's kmallocs still live.
engine_kmalloc_bytes()
{
	awk '
		function field(name) {
			match($0, name "=[0-9a-fx]+")
			return substr($0, RSTART + length(name) + 1, RLENGTH - length(name) - 1)
		}
		/ kmalloc: .*\[klpx\]/ { live[field("ptr")] = field("bytes_alloc"); next }
		/ kfree: / { delete live[field("ptr")] }
		END { for (p in live) sum += live[p]; print sum + 0 }' "$TR/trace"
}

# engine_text_filter: a tracepoint filter on call_site for the engine's code:
# from its lowest symbol to its highest (its data, after its text).  Fixed-
# width hex addresses sort as strings.
engine_text_filter()
{
	awk '$4 == "[klpx]" {
			if (lo == "" || $1 < lo) lo = $1
			if ($1 > hi) hi = $1
		}
		END { if (lo != "") printf "call_site >= 0x%s && call_site <= 0x%s\n", lo, hi }' /proc/kallsyms
}

vmalloc_bytes()
{
	# The size column counts a guard page.
	awk '/klpx_task_table_create/ { print $2 - 4096; exit }' /proc/vmallocinfo
}

# measure_memory N: a held transition with a fresh engine.
measure_memory()
{
	d=$T/$1
	unload_engine
	load_engine
	_me_entries=$(hold_entries)
	hold 1
	loop_until "[ \"\$(hold_entries)\" != $_me_entries ]" 30

	_me_engine=$(engine_text_filter)
	[ -n "$_me_engine" ] || fail "no klpx symbols in /proc/kallsyms"
	echo 0 >"$TR/tracing_on"
	: >"$TR/trace"
	echo "($_me_engine) || bytes_req >= 512" >"$TR/events/kmem/kmalloc/filter"
	echo 'stacktrace if bytes_req >= 512' >"$TR/events/kmem/kmalloc/trigger"
	echo "$_me_engine" >"$TR/events/kmem/kfree/filter"
	echo 1 >"$TR/events/kmem/kmalloc/enable"
	echo 1 >"$TR/events/kmem/kfree/enable"
	echo 1 >"$TR/tracing_on"
	load_lp_nowait bench_patch
	# Every task but bench_holder moves; then the nodes are all there.
	loop_until "[ -n \"\$(tasks_header total)\" ] && [ \$(tasks_header migrated) -ge \$((\$(tasks_header total) - 1)) ]" 120
	sleep 1
	echo 0 >"$TR/events/kmem/kmalloc/enable"
	echo 0 >"$TR/events/kmem/kfree/enable"
	echo '!stacktrace' >"$TR/events/kmem/kmalloc/trigger"
	echo 0 >"$TR/events/kmem/kmalloc/filter"
	echo 0 >"$TR/events/kmem/kfree/filter"
	[ "$(cat "$(patch_dir bench_patch)/transition")" = 1 ] || fail "the held transition completed"

	tasks_header total >"$d/mem_tasks"
	tasks_header migrated >"$d/mem_migrated"
	grep -q ' kmalloc: .*klpx_task_node_get' "$TR/trace" ||
		fail "no kmalloc from klpx_task_node_get in the trace"
	grep -c ' kmalloc: .*klpx_task_node_get' "$TR/trace" >"$d/node_allocs"
	engine_kmalloc_bytes >"$d/node_bytes"
	_me_buckets=$(bucket_bytes)
	[ -n "$_me_buckets" ] || _me_buckets=$(vmalloc_bytes)
	[ -n "$_me_buckets" ] || fail "cannot find the bucket array's allocation"
	echo "$_me_buckets" >"$d/bucket_bytes"
	: >"$TR/trace"

	hold 0
	wait_transition_done bench_patch 120
	klpx_disable bench_patch
	wait_unhooked bench_target_call
}

load_engine
load_mod bench_target holder=1 hold=0

for n in $COUNTS; do
	d=$T/$n
	mkdir -p "$d"
	threads_start "$n" 0
	graph_on
	for round in $(seq "$RUNS"); do
		: >"$TR/trace"
		klog_mark
		klpx_enable bench_patch 120
		klog_ms "$KLPX_START" "$KLPX_DONE" >>"$d/total_ms"
		klog_ms "$KLPX_START" "$KLPX_COMPLETING" >>"$d/moving_ms"
		_walk=$(first_walk_ms)
		[ -n "$_walk" ] || fail "no klpx_try_complete_transition call in the trace"
		echo "$_walk" >>"$d/walk_ms"
		klpx_disable bench_patch
		wait_unhooked bench_target_call
	done
	graph_off
	measure_memory "$n"
	threads_stop
	echo "$n threads ($(cat "$d/mem_tasks") tasks): first walk $(median "$d/walk_ms") ms," \
		"moving $(median "$d/moving_ms") ms, total $(median "$d/total_ms") ms;" \
		"engine kmallocs $(cat "$d/node_bytes") B ($(cat "$d/node_allocs") nodes)," \
		"buckets $(cat "$d/bucket_bytes") B"
done

unload_mod bench_target
unload_engine

# --- report -------------------------------------------------------------------

# tasks moving total node_bytes bucket_bytes threads walk
for n in $COUNTS; do
	d=$T/$n
	echo "$(cat "$d/mem_tasks") $(median "$d/moving_ms") $(median "$d/total_ms")" \
		"$(cat "$d/node_bytes") $(cat "$d/bucket_bytes") $n $(median "$d/walk_ms")"
done >"$T/table"

# fit X Y: least squares of column Y against column X of the table:
# "slope intercept r2" (busybox awk has no sqrt: r2 needs none).
fit()
{
	awk -v X="$1" -v Y="$2" '
		{ x = $X; y = $Y; n++; sx += x; sy += y; sxx += x * x; sxy += x * y; syy += y * y }
		END {
			d = n * sxx - sx * sx
			b = (n * sxy - sx * sy) / d
			a = (sy - b * sx) / n
			t = n * sxy - sx * sy
			r2 = t * t / (d * (n * syy - sy * sy))
			printf "%.6g %.6g %.4f\n", b, a, r2
		}' "$T/table"
}
set -- $(fit 1 7)
walk_us=$(calc "$1 * 1000")
walk_intercept_ms=$2
walk_r2=$3
linear=$(json_bool le 0.95 "$walk_r2")
set -- $(awk '{ x = $1; y = $4 + $5; n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
	END { printf "%.4g\n", (n * sxy - sx * sy) / (n * sxx - sx * sx) }' "$T/table")
marginal_bytes=$1
max_per_task=$(awk '{ v = ($4 + $5) / $1; if (v > m) m = v }
	END { printf "%.1f\n", m }' "$T/table")
mem_met=$(json_bool le "$max_per_task" 64)

rule
echo "Scaling with the number of tasks (median of $RUNS transitions; TCG guest)"
rule
printf '%7s %6s %9s %8s %9s %9s %9s %9s %7s %8s\n' threads tasks "walk ms" "us/task" \
	"moving ms" "total ms" "kmalloc B" "buckets B" "kmalloc/t" "engine/t"
while read -r tasks moving total nodes buckets n walk; do
	printf '%7s %6s %9s %8s %9s %9s %9s %9s %7s %8s\n' "$n" "$tasks" "$walk" \
		"$(calc "$walk * 1000 / $tasks")" "$moving" "$total" "$nodes" "$buckets" \
		"$(calc "$nodes / $tasks")" "$(calc "($nodes + $buckets) / $tasks")"
done <"$T/table"
echo "first walk = $walk_us us/task * tasks + $walk_intercept_ms ms (least squares, R^2 $walk_r2)"
echo "engine memory: $marginal_bytes B per extra task (least squares of bytes against tasks)"
echo "target: linear (R^2 >= 0.95): $linear; at most 64 B of engine memory per task" \
	"(worst: $max_per_task): $mem_met"
rule

emit_json scaling "$(
	printf '{"bench":"scaling","runs":%s,' "$RUNS"
	printf '"method":"per thread count (thread_load sleepers): the engine time is the first klpx_try_complete_transition() call of a transition (the walk that stack-checks every task) timed by the function_graph tracer at depth 1, median of the runs; moving and total are the transition times from kernel timestamps, split at completing patching transition; memory during a transition held by a task sleeping in a changed function, with a fresh engine: bytes_alloc of the kmallocs called from the engine since the transition started, less those kfreed (kmem:kmalloc and kmem:kfree filtered on call sites in the engine), plus the bucket array bytes_alloc from the kmem:kmalloc tracepoint with a stack trace trigger; per task = bytes / the transition total of the debugfs tasks file",'
	printf '"points":['
	sep=
	while read -r tasks moving total nodes buckets n walk; do
		d=$T/$n
		printf '%s{"threads":%s,"tasks":%s,"first_walk_ms":%s,"walk_us_per_task":%s,"moving_ms":%s,"total_ms":%s,"node_allocs":%s,"engine_kmalloc_bytes":%s,"bucket_bytes":%s,"kmalloc_bytes_per_task":%s,"engine_bytes_per_task":%s}' \
			"$sep" "$n" "$tasks" "$(json_stats "$d/walk_ms")" \
			"$(calc "$walk * 1000 / $tasks")" \
			"$(json_stats "$d/moving_ms")" "$(json_stats "$d/total_ms")" \
			"$(cat "$d/node_allocs")" "$nodes" "$buckets" \
			"$(calc "$nodes / $tasks")" "$(calc "($nodes + $buckets) / $tasks")"
		sep=,
	done <"$T/table"
	printf '],"fit":{"walk_us_per_task":%s,"walk_intercept_ms":%s,"walk_r2":%s,"marginal_bytes_per_task":%s},' \
		"$walk_us" "$walk_intercept_ms" "$walk_r2" "$marginal_bytes"
	printf '"targets":{"linear_r2_min":0.95,"linear_met":%s,"engine_bytes_per_task_max":64,"engine_bytes_per_task_worst":%s,"memory_met":%s}}' \
		"$linear" "$max_per_task" "$mem_met")"
