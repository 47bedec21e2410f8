# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers for the benchmarks in bench/*.sh (busybox sh, in the guest).  A
# benchmark sources selftests/lib.sh, then this file.
#
# The guest runs under emulation (TCG), so absolute times mean little:
# every figure that matters is a ratio of two configurations measured in the
# same boot, and every figure is the median of BENCH_RUNS runs (7; at least 5)
# with its spread, (max - min) / median.
#
# Results reach the host as one line per benchmark:
#	@@KLPX-JSON NAME {...}
# which the runner saves as build/bench/NAME.json.

BENCH_RUNS=${BENCH_RUNS:-7}
# Emulated guests are slow: waits of the helpers allow a minute.
KLPX_TIMEOUT=60
[ "$BENCH_RUNS" -ge 5 ] 2>/dev/null || fail "BENCH_RUNS must be at least 5"
BENCH_TMP=${BENCH_TMP:-/tmp/bench}
mkdir -p "$BENCH_TMP"
KLPX_NATIVE_SYSFS=/sys/kernel/livepatch
ENABLED_FUNCTIONS=/sys/kernel/tracing/enabled_functions

# --- statistics ----------------------------------------------------------

# stats: numbers on stdin, one a line -> "median min max spread_pct count".
stats()
{
	sort -n | awk '
		{ v[NR] = $1 }
		END {
			n = NR
			if (!n) { print "0 0 0 0 0"; exit }
			m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%.6g %.6g %.6g %.1f %d\n", m, v[1], v[n],
				m ? 100 * (v[n] - v[1]) / m : 0, n
		}'
}

# median FILE: the median of the numbers in FILE.
median()
{
	stats <"$1" | cut -d' ' -f1
}

# json_stats FILE: {"median":..,"min":..,"max":..,"spread_pct":..,"samples":[..]}
json_stats()
{
	set -- "$1" $(stats <"$1")
	printf '{"median":%s,"min":%s,"max":%s,"spread_pct":%s,"samples":[%s]}' \
		"$2" "$3" "$4" "$5" "$(paste -sd, "$1")"
}

# ratios A B: per-line A/B of two sample files, one a line.
ratios()
{
	paste "$1" "$2" | awk '$2 > 0 { printf "%.6g\n", $1 / $2 }'
}

# calc EXPR: evaluate an awk expression.
calc()
{
	awk "BEGIN { printf \"%.6g\\n\", $1 }"
}

# le A B: true if A <= B (numbers).
le()
{
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'
}

json_bool()
{
	if "$@"; then echo true; else echo false; fi
}

# emit_json NAME JSON: send the result to the host, after checking it parses.
emit_json()
{
	echo "$2" | /klpx/bin/jsonq >/dev/null || fail "bench $1: malformed JSON result: $2"
	echo "@@KLPX-JSON $1 $2"
}

# --- kernel log timestamps -----------------------------------------------

BENCH_MARK_SEQ=0

# klog_mark: start a new section of the kernel log for klog_time.
klog_mark()
{
	BENCH_MARK_SEQ=$((BENCH_MARK_SEQ + 1))
	BENCH_MARK="bench: mark $$.$BENCH_MARK_SEQ"
	echo "$BENCH_MARK" >/dev/kmsg
}

# klog_time TEXT: the timestamp (seconds) of the first kernel log line after
# the last klog_mark that contains TEXT; empty if there is none.
klog_time()
{
	dmesg | awk -v mark="$BENCH_MARK" -v text="$1" '
		found && index($0, text) {
			sub(/^\[ */, ""); sub(/\].*/, ""); print; exit
		}
		index($0, mark) { found = 1 }'
}

# klog_ms FROM TO: milliseconds between the first lines with FROM and TO
# after the last klog_mark; fails if either is missing.
klog_ms()
{
	_km_from=$(klog_time "$1")
	_km_to=$(klog_time "$2")
	[ -n "$_km_from" ] || fail "no kernel log line '$1'"
	[ -n "$_km_to" ] || fail "no kernel log line '$2'"
	calc "($_km_to - $_km_from) * 1000"
}

# --- patches of either engine ----------------------------------------------

# ftrace_hooks FUNC: true while some ftrace_ops hooks FUNC.
ftrace_hooks()
{
	grep -q "^$1 " "$ENABLED_FUNCTIONS"
}

# wait_unhooked FUNC [SECONDS]: wait until no ftrace_ops hooks FUNC (a
# dropped or disabled function's ops goes away asynchronously).
wait_unhooked()
{
	loop_until "! ftrace_hooks $1" "${2:-60}"
}

# native_enable MOD [SECONDS]: load a patch for the kernel's own livepatch
# and wait until its transition ends.
native_enable()
{
	load_mod "$1"
	loop_until "[ \"\$(cat $KLPX_NATIVE_SYSFS/$1/transition 2>/dev/null)\" = 0 ]" "${2:-60}"
}

# native_disable MOD: disable a native patch, wait until it is gone, rmmod.
native_disable()
{
	loop_until "[ \"\$(cat $KLPX_NATIVE_SYSFS/$1/transition 2>/dev/null)\" = 0 ]" 60
	echo 0 >"$KLPX_NATIVE_SYSFS/$1/enabled" || fail "cannot disable native patch $1"
	loop_until "[ ! -d $KLPX_NATIVE_SYSFS/$1 ]" 60
	unload_mod "$1"
}

# klpx_enable MOD [SECONDS]: load a klpx patch and wait for its transition.
klpx_enable()
{
	load_lp_nowait "$1"
	wait_transition_done "$1" "${2:-60}"
}

# klpx_disable MOD: disable a klpx patch, wait until it is gone, rmmod.
klpx_disable()
{
	wait_transition_done "$1" 60
	disable_lp "$1"
	unload_mod "$1"
}

# --- the engine's own time --------------------------------------------------

TR=/sys/kernel/tracing

# graph_on / graph_off: time the engine's klpx_try_complete_transition(),
# which walks every task (a stack check each) and sends the IPIs, with the
# function_graph tracer at depth 1, hooking that one function only.
graph_on()
{
	echo nop >"$TR/current_tracer"
	# Hook that function only (set_graph_function alone filters what
	# is shown, with every function hooked).
	echo klpx_try_complete_transition >"$TR/set_ftrace_filter" ||
		fail "cannot trace klpx_try_complete_transition"
	echo klpx_try_complete_transition >"$TR/set_graph_function"
	echo 1 >"$TR/max_graph_depth"
	echo function_graph >"$TR/current_tracer"
	echo 1 >"$TR/tracing_on"
}

graph_off()
{
	echo nop >"$TR/current_tracer"
	: >"$TR/set_graph_function"
	: >"$TR/set_ftrace_filter"
	echo 0 >"$TR/max_graph_depth"
}

# first_walk_ms: the duration of the first klpx_try_complete_transition()
# in the trace (function_graph prints microseconds).
first_walk_ms()
{
	awk '/klpx_try_complete_transition/ && / us / {
		for (i = 1; i < NF; i++)
			if ($(i + 1) == "us") { printf "%.4g\n", $i / 1000; exit }
	}' "$TR/trace"
}

# --- helper processes ------------------------------------------------------

# threads_start SLEEPERS BUSY: start a thread_load process and wait until
# every thread runs (and the sleepers have had time to fall asleep).
threads_start()
{
	rm -f "$BENCH_TMP/threads.ready"
	/klpx/bin/thread_load -s "$1" -b "$2" -r "$BENCH_TMP/threads.ready" &
	THREADS_PID=$!
	loop_until "[ -s $BENCH_TMP/threads.ready ]" 300
	sleep 1
}

threads_stop()
{
	[ -n "$THREADS_PID" ] || return 0
	kill -TERM "$THREADS_PID" 2>/dev/null
	wait "$THREADS_PID" 2>/dev/null
	THREADS_PID=
}

# nr_tasks: the tasks an engine walks (threads of every process, kthreads
# included; idle tasks are not counted here).
nr_tasks()
{
	ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l
}

# rule: a separator line for the tables.
rule()
{
	echo "------------------------------------------------------------------------"
}
