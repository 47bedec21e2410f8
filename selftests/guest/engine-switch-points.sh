#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Switch points for tasks the kernel's own livepatch cannot move on this
# kernel, or only slowly; each must be switched promptly (within 1 s in the
# guest; the test allows 3 s):
#  1. a busy kthread that never sleeps (it only calls cond_resched()),
#     spinning outside the patched functions, pinned alone on a CPU: the
#     check of the running task on its own CPU switches it;
#  2. a CPU-bound user task that makes no syscall, and the idle tasks of
#     the CPUs.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_consistency
P=patch_consistency
SWITCH_STACK=0
SWITCH_CPU=1

switch_points_of() { trace_events klpx_task_switched | sed -n "s/^pid=$1 target=1 switch_point=//p"; }

# timed_load_lp MOD: load_lp, failing if the transition takes over 3 s.
timed_load_lp()
{
	start=$(now_cs)
	load_lp_nowait "$1"
	wait_transition_done "$1" 3
	took=$(( $(now_cs) - start ))
	[ "$took" -le 300 ] || fail "the transition took ${took}0 ms"
}

load_engine

# --- 1. busy kthread pinned on a CPU
load_mod $T spin_out=1
spinner=$(pid_of klpx_spin_out)
loop_until "[ \"\$(sed -n 's/^spin_out_loops: //p' /proc/$T/state)\" -gt 0 ]"
trace_start klpx_task_switched
timed_load_lp $P
# Normally the check on its own CPU; a stack check if something else had
# the CPU at that moment.  Either way, promptly.
case "$(switch_points_of "$spinner")" in
$SWITCH_CPU|$SWITCH_STACK) ;;
*) fail "klpx_spin_out's switch point: '$(switch_points_of "$spinner")'" ;;
esac
trace_stop
# A kthread that never sleeps delays RCU-tasks: stop it before unpatching.
echo N >/sys/module/$T/parameters/spin_out_run
disable_lp $P
unload_lp $P
unload_mod $T

# --- 2. CPU-bound user task and idle CPUs
load_mod $T
awk 'BEGIN { while (1) { } }' &
hog=$!
trap 'kill $hog 2>/dev/null || true' EXIT
sleep 0.5
trace_start klpx_task_switched
timed_load_lp $P
[ -n "$(switch_points_of "$hog")" ] || fail "no klpx_task_switched event for the CPU-bound task"
[ -n "$(switch_points_of 0)" ] || fail "no klpx_task_switched event for an idle task"
trace_stop
kill $hog
wait $hog 2>/dev/null || true
disable_lp $P
unload_lp $P
unload_mod $T
