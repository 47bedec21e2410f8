#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Transition latency, klpx against the kernel's own livepatch.
#
# The time of an enable is taken from the kernel's own timestamps: from
# "enabling patch '<patch>'" to "'<patch>': patching complete" (klpx prints
# them with "klpx: ", the kernel's livepatch with "livepatch: "), so it holds
# everything either engine does for it, hooks and ftrace ops included.  A
# disable runs from "'<patch>': starting unpatching transition" to
# "'<patch>': unpatching complete": the kernel's livepatch prints nothing
# earlier (its "initializing" lines are pr_debug), so klpx's hooks for the
# transition, about 3 ms here, are left out of its disable.  bench_patch (klpx) and native_bench_patch (the same patch
# for the kernel's livepatch) change two functions of bench_target that no
# task is in, so every task can move at once: what is measured is how soon
# each engine notices.  Each round enables and disables one, then the other
# (they cannot hook the same function at once).  Scenarios:
#   idle           nothing but the guest's own tasks;
#   sleepN         thread_load with N threads sleeping in pause();
#   busy_user2     thread_load with 2 threads spinning in user space;
#   busy_kthread   bench_busy, a kthread pinned on the last CPU that never
#                  sleeps (it calls cond_resched()), alone there: this
#                  script runs pinned on CPU 0, and timer migration is off,
#                  so the engines' retry work stays on CPU 0 too (were it
#                  run on the kthread's CPU, it would preempt the kthread,
#                  which could then be checked asleep).  The kernel's
#                  livepatch of 6.1 cannot move it: it is given BUSY_WAIT
#                  seconds once, then the kthread is let sleep so that it
#                  can finish.
set -e
. /klpx/selftests/lib.sh
. /klpx/bench/lib/common.sh

RUNS=$BENCH_RUNS
BUSY_WAIT=${BENCH_BUSY_WAIT:-30}
SCENARIOS=${BENCH_SCENARIOS:-"idle sleep100 sleep1000 sleep4000 busy_user2 busy_kthread"}
T=$BENCH_TMP/latency
rm -rf "$T" && mkdir -p "$T"

KLPX_ENABLING="klpx: enabling patch 'bench_patch'"
KLPX_START="klpx: 'bench_patch': starting patching transition"
KLPX_COMPLETING="klpx: 'bench_patch': completing patching transition"
KLPX_DONE="klpx: 'bench_patch': patching complete"
KLPX_UNSTART="klpx: 'bench_patch': starting unpatching transition"
KLPX_UNDONE="klpx: 'bench_patch': unpatching complete"
NATIVE_ENABLING="livepatch: enabling patch 'native_bench_patch'"
NATIVE_DONE="livepatch: 'native_bench_patch': patching complete"
NATIVE_UNSTART="livepatch: 'native_bench_patch': starting unpatching transition"
NATIVE_UNDONE="livepatch: 'native_bench_patch': unpatching complete"

busy_run()
{
	echo "$1" >/sys/module/bench_target/parameters/busy_run
}

busy_loops()
{
	sed -n 's/^busy_loops: //p' /proc/bench_target/state
}

# klpx_round DIR: enable and disable bench_patch, recording both times.
klpx_round()
{
	klog_mark
	klpx_enable bench_patch 120
	klog_ms "$KLPX_ENABLING" "$KLPX_DONE" >>"$1/klpx_enable"
	# klpx's share: its hooks and ftrace ops, until every task moved,
	# then the completion itself.
	klog_ms "$KLPX_ENABLING" "$KLPX_START" >>"$1/klpx_setup"
	klog_ms "$KLPX_START" "$KLPX_COMPLETING" >>"$1/klpx_moving"
	klog_ms "$KLPX_COMPLETING" "$KLPX_DONE" >>"$1/klpx_completing"
	klog_mark
	wait_transition_done bench_patch 60
	echo 0 >"$(patch_dir bench_patch)/enabled"
	loop_until "[ -n \"\$(klog_time \"$KLPX_UNDONE\")\" ]" 60
	klog_ms "$KLPX_UNSTART" "$KLPX_UNDONE" >>"$1/klpx_disable"
	# The patch's ftrace ops go, and then the patch, after an RCU-tasks
	# grace period, which a kthread that never sleeps holds up: let it
	# sleep first.
	[ "$2" != busy ] || busy_run 0
	loop_until "! is_patch_present bench_patch" 60
	unload_mod bench_patch
	wait_unhooked bench_target_call
	[ "$2" != busy ] || busy_run 1
}

native_round()
{
	klog_mark
	native_enable native_bench_patch 120
	klog_ms "$NATIVE_ENABLING" "$NATIVE_DONE" >>"$1/native_enable"
	klog_mark
	native_disable native_bench_patch
	klog_ms "$NATIVE_UNSTART" "$NATIVE_UNDONE" >>"$1/native_disable"
	wait_unhooked bench_target_call
}

# busy_native DIR: one native enable with bench_busy spinning.  Records
# whether it completed within BUSY_WAIT seconds, what it did meanwhile, and
# how long it took once the kthread slept.
busy_native()
{
	_bn_pid=$(pid_of bench_busy)
	klog_mark
	load_mod native_bench_patch
	_bn_left=$((BUSY_WAIT * 10))
	while [ "$_bn_left" -gt 0 ] &&
	      [ "$(cat $KLPX_NATIVE_SYSFS/native_bench_patch/transition)" = 1 ]; do
		sleep 0.1
		_bn_left=$((_bn_left - 1))
	done
	_bn_loops=$(busy_loops)
	if [ -n "$(klog_time "$NATIVE_DONE")" ]; then
		echo true >"$1/native_completed"
		klog_ms "$NATIVE_ENABLING" "$NATIVE_DONE" >"$1/native_busy_ms"
	else
		echo false >"$1/native_completed"
	fi
	cat "/proc/$_bn_pid/patch_state" >"$1/native_busy_patch_state"
	json_bool eval '[ -n "$(klog_time "livepatch: signaling remaining tasks")" ]' \
		>"$1/native_signaled"
	sleep 1
	[ "$(busy_loops)" != "$_bn_loops" ] || fail "bench_busy stopped spinning"

	# Let it sleep: the kernel's livepatch then moves it and completes.
	echo "bench: stopping bench_busy" >/dev/kmsg
	busy_run 0
	loop_until "[ \"\$(cat $KLPX_NATIVE_SYSFS/native_bench_patch/transition)\" = 0 ]" 60
	klog_ms "bench: stopping bench_busy" "$NATIVE_DONE" >"$1/native_after_stop_ms"
	native_disable native_bench_patch
	wait_unhooked bench_target_call
}

load_engine
load_mod bench_target busy=1 busy_run=0

for scenario in $SCENARIOS; do
	d=$T/$scenario
	mkdir -p "$d"
	mode=
	case "$scenario" in
	idle) ;;
	sleep*) threads_start "${scenario#sleep}" 0 ;;
	busy_user*) threads_start 0 "${scenario#busy_user}" ;;
	busy_kthread)
		mode=busy
		timer_migration=$(cat /proc/sys/kernel/timer_migration)
		echo 0 >/proc/sys/kernel/timer_migration
		taskset -p -c 0 $$ >/dev/null
		busy_run 1
		_loops=$(busy_loops)
		sleep 1
		[ "$(busy_loops)" != "$_loops" ] || fail "bench_busy does not spin"
		;;
	*) fail "unknown scenario $scenario" ;;
	esac
	nr_tasks >"$d/tasks"

	for round in $(seq "$RUNS"); do
		klpx_round "$d" "$mode"
		[ "$mode" = busy ] || native_round "$d"
		if [ "$mode" = busy ]; then
			native="native: once, below"
		else
			native="native $(tail -n1 "$d/native_enable") ms"
		fi
		echo "$scenario round $round: klpx $(tail -n1 "$d/klpx_enable") ms" \
			"(setup $(tail -n1 "$d/klpx_setup"), moving $(tail -n1 "$d/klpx_moving"), completing" \
			"$(tail -n1 "$d/klpx_completing")); $native"
	done
	if [ "$mode" = busy ]; then
		busy_native "$d"
		echo "$scenario native: completed within ${BUSY_WAIT}s: $(cat "$d/native_completed");" \
			"bench_busy patch_state $(cat "$d/native_busy_patch_state");" \
			"completed $(cat "$d/native_after_stop_ms") ms after bench_busy slept"
	else
		ratios "$d/native_enable" "$d/klpx_enable" >"$d/native_over_klpx"
	fi
	threads_stop
	if [ "$mode" = busy ]; then
		taskset -p -c "0-$(($(nproc) - 1))" $$ >/dev/null
		echo "$timer_migration" >/proc/sys/kernel/timer_migration
	fi
done

unload_mod bench_target
unload_engine

# --- report -------------------------------------------------------------------

cell()
{
	[ -s "$1" ] || { echo "-"; return; }
	set -- $(stats <"$1")
	echo "$1 ($2-$3)"
}

rule
echo "Transition latency, ms from 'enabling patch' to 'patching complete'"
echo "(kernel timestamps; median (min-max) of $RUNS runs; TCG guest)"
rule
printf '%-13s %6s %-22s %-22s %s\n' scenario tasks "klpx enable" "native enable" "native/klpx"
for scenario in $SCENARIOS; do
	d=$T/$scenario
	if [ -s "$d/native_enable" ]; then
		native=$(cell "$d/native_enable")
		ratio=$(cell "$d/native_over_klpx")
	else
		native="none in ${BUSY_WAIT}s"
		ratio="-"
	fi
	printf '%-13s %6s %-22s %-22s %s\n' "$scenario" "$(cat "$d/tasks")" \
		"$(cell "$d/klpx_enable")" "$native" "$ratio"
done
printf '%-13s %6s %-22s %-22s\n' "" "" "klpx disable" "native disable"
for scenario in $SCENARIOS; do
	d=$T/$scenario
	printf '%-13s %6s %-22s %-22s\n' "$scenario" "" "$(cell "$d/klpx_disable")" \
		"$(cell "$d/native_disable")"
done
echo "klpx enable, split: hooks and ftrace ops ('starting patching transition'), until"
echo "the last task moved ('completing patching transition'), then the completion itself"
printf '%-13s %6s %-22s %-22s %-22s\n' "" "" "klpx setup" "klpx moving" "klpx completing"
for scenario in $SCENARIOS; do
	d=$T/$scenario
	printf '%-13s %6s %-22s %-22s %-22s\n' "$scenario" "" "$(cell "$d/klpx_setup")" \
		"$(cell "$d/klpx_moving")" "$(cell "$d/klpx_completing")"
done

case " $SCENARIOS " in
*" sleep1000 "*)
	sleep_ratio=$(median "$T/sleep1000/native_over_klpx")
	sleep_met=$(json_bool le 5 "$sleep_ratio")
	echo "target sleep1000: klpx <= native / 5: native/klpx $sleep_ratio: $sleep_met"
	;;
esac
case " $SCENARIOS " in
*" busy_kthread "*)
	d=$T/busy_kthread
	busy_klpx_max=$(stats <"$d/klpx_enable" | cut -d' ' -f3)
	busy_met=$(json_bool eval "le $busy_klpx_max 1000 && [ \"\$(cat $d/native_completed)\" = false ]")
	echo "target busy_kthread: klpx < 1 s (max $busy_klpx_max ms) and native not done in ${BUSY_WAIT}s" \
		"(completed: $(cat "$d/native_completed"); bench_busy patch_state" \
		"$(cat "$d/native_busy_patch_state"); fake signals sent: $(cat "$d/native_signaled");" \
		"done $(cat "$d/native_after_stop_ms") ms after bench_busy slept): $busy_met"
	;;
esac
rule

scenario_json()
{
	d=$T/$1
	printf '"%s":{"tasks":%s,"klpx_enable_ms":%s,"klpx_setup_ms":%s,"klpx_moving_ms":%s,"klpx_completing_ms":%s,"klpx_disable_ms":%s' \
		"$1" "$(cat "$d/tasks")" "$(json_stats "$d/klpx_enable")" \
		"$(json_stats "$d/klpx_setup")" \
		"$(json_stats "$d/klpx_moving")" "$(json_stats "$d/klpx_completing")" \
		"$(json_stats "$d/klpx_disable")"
	if [ -s "$d/native_enable" ]; then
		printf ',"native_enable_ms":%s,"native_disable_ms":%s,"native_over_klpx":%s' \
			"$(json_stats "$d/native_enable")" "$(json_stats "$d/native_disable")" \
			"$(json_stats "$d/native_over_klpx")"
	fi
	if [ -s "$d/native_completed" ]; then
		printf ',"native_once":{"waited_s":%s,"completed":%s,"busy_kthread_patch_state":%s,"fake_signals_sent":%s,"completed_ms_after_kthread_slept":%s}' \
			"$BUSY_WAIT" "$(cat "$d/native_completed")" "$(cat "$d/native_busy_patch_state")" \
			"$(cat "$d/native_signaled")" "$(cat "$d/native_after_stop_ms")"
	fi
	printf '}'
}

emit_json transition_latency "$(
	printf '{"bench":"transition_latency","unit":"ms","runs":%s,' "$RUNS"
	printf '"method":"kernel log timestamps from enabling patch to patching complete (for disable, from starting unpatching transition to unpatching complete, as the kernel livepatch prints nothing earlier); klpx split at starting patching transition and completing patching transition into setup (hooks and ftrace ops), moving (until the last task moved) and completing; bench_patch (klpx) and native_bench_patch (kernel livepatch) change two bench_target functions no task is in; each round enables and disables one engine then the other; median and spread (max-min)/median over the rounds; native/klpx per round; in busy_kthread the kthread is pinned alone on the last CPU (the script on CPU 0, timer migration off, so retry work stays on CPU 0) and the native engine runs once for %s s, then the kthread is let sleep",' "$BUSY_WAIT"
	printf '"scenarios":{'
	sep=
	for scenario in $SCENARIOS; do
		printf '%s' "$sep"
		scenario_json "$scenario"
		sep=,
	done
	printf '},"targets":{'
	sep=
	if [ -n "$sleep_met" ]; then
		printf '"sleep1000_native_over_klpx_min":5,"sleep1000_met":%s' "$sleep_met"
		sep=,
	fi
	if [ -n "$busy_met" ]; then
		printf '%s"busy_kthread_klpx_max_ms":1000,"busy_kthread_native_must_not_complete_s":%s,"busy_kthread_met":%s' \
			"$sep" "$BUSY_WAIT" "$busy_met"
	fi
	printf '}}')"
