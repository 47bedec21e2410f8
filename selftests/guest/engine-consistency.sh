#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The per-task consistency model, with klpx_target_consistency's kthreads
# and patch_consistency:
#  1. a kthread sleeping in a patched function holds the transition
#     (transition reads 1, the task is listed as blocked in that function)
#     until it leaves; then the transition completes promptly;
#  2. a kthread busy-looping in a patched function is never switched while
#     it is there, even though it runs;
#  3. a child forked during a transition by a migrated task inherits its
#     parent's universe at fork;
#  4. a transition reversed midway ends unpatched;
#  5. a forced transition completes at once, and the forced patch can still
#     be disabled and removed.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_consistency
P=patch_consistency
SWITCH_STACK=0
SWITCH_FORK=3

set_target_param() { echo "$2" >/sys/module/$T/parameters/$1; }
value() { read_file /proc/$T/value; }
switch_points_of() { trace_events klpx_task_switched | sed -n "s/^pid=$1 target=1 switch_point=//p"; }

load_engine

# --- 1. a kthread sleeping in a patched function
load_mod $T sleeper=1
sleeper=$(pid_of klpx_sleeper)
trace_start
load_lp_nowait $P
check_transition_stays $P 2
line=$(tasks_line "$sleeper") || fail "klpx_sleeper ($sleeper) is not listed as blocked"
case "$line" in
*"	in-function	klpx_target_sleep_in_func+"*) ;;
*) fail "klpx_sleeper's entry: '$line', expected in-function, klpx_target_sleep_in_func" ;;
esac
expect_eq "value read by a migrated task" "$(value)" patched
[ -z "$(switch_points_of "$sleeper")" ] || fail "klpx_sleeper was switched while in the function"

start=$(now_cs)
set_target_param sleeper_hold N
wait_transition_done $P 3
took=$(( $(now_cs) - start ))
[ "$took" -le 300 ] || fail "transition took ${took}0 ms after klpx_sleeper left"
expect_eq "klpx_sleeper's switch point" "$(switch_points_of "$sleeper")" $SWITCH_STACK
trace_stop
disable_lp $P
unload_lp $P
unload_mod $T

# --- 2. a kthread busy-looping in a patched function
load_mod $T spin_in=1
spinner=$(pid_of klpx_spin_in)
trace_start klpx_task_switched
load_lp_nowait $P
loops_before=$(sed -n 's/^spin_in_loops: //p' /proc/$T/state)
check_transition_stays $P 2
loops_after=$(sed -n 's/^spin_in_loops: //p' /proc/$T/state)
[ "$loops_after" -gt "$loops_before" ] || fail "klpx_spin_in did not run while the transition waited"
tasks_line "$spinner" >/dev/null || fail "klpx_spin_in ($spinner) is not listed as blocked"
[ -z "$(switch_points_of "$spinner")" ] || fail "klpx_spin_in was switched while looping in the function"
set_target_param spin_in_hold N
wait_transition_done $P 3
[ -n "$(switch_points_of "$spinner")" ] || fail "no klpx_task_switched event for klpx_spin_in"
trace_stop
disable_lp $P
unload_lp $P
unload_mod $T

# --- 3. fork during a transition
load_mod $T sleeper=1
trace_start klpx_task_switched
load_lp_nowait $P
check_transition_stays $P 1
# This shell has migrated by now (it has made syscalls since the start).
expect_eq "the parent's universe" "$(tasks_line $$ || echo migrated)" migrated
child_out=$(sh -c 'echo $$; cat /proc/klpx_target_consistency/value')
child=$(echo "$child_out" | head -n 1)
expect_eq "value read by the child" "$(echo "$child_out" | tail -n 1)" patched
expect_eq "the child's switch point" "$(switch_points_of "$child" | head -n 1)" $SWITCH_FORK
set_target_param sleeper_hold N
wait_transition_done $P 3
trace_stop
disable_lp $P
unload_lp $P
unload_mod $T

# --- 4. reversing a transition midway
load_mod $T sleeper=1
log_mark
trace_start klpx_reverse
load_lp_nowait $P
check_transition_stays $P 1
disable_lp $P
expect_eq "value after the reversed transition" "$(value)" original
expect_eq "klpx_reverse event" "$(trace_events klpx_reverse)" "patch=$P new_target=0"
trace_stop
unload_lp $P
unload_mod $T

check_log <<EXPECTED
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
% echo 0 > /sys/kernel/klpx/$P/enabled
klpx: '$P': reversing transition from patching to unpatching
klpx: '$P': starting unpatching transition
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% rmmod $P
% rmmod $T
EXPECTED

# --- 5. forcing a transition
load_mod $T sleeper=1
log_mark
trace_start klpx_force klpx_transition_end
load_lp_nowait $P
check_transition_stays $P 1
log "% echo 1 > $(patch_dir $P)/force"
echo 1 >"$(patch_dir $P)/force"
wait_transition_done $P 3
expect_eq "value after the forced transition" "$(value)" patched
expect_eq "klpx_force event" "$(trace_events klpx_force)" "patch=$P target=1"
expect_eq "klpx_transition_end event" "$(trace_events klpx_transition_end)" "patch=$P target=1 forced=1"
trace_stop
set_target_param sleeper_hold N
disable_lp $P
unload_lp $P
unload_mod $T

check_log <<EXPECTED
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
% echo 1 > /sys/kernel/klpx/$P/force
klpx: forcing remaining tasks to the patched state
klpx: '$P': completing patching transition
klpx: '$P': patching complete
% echo 0 > /sys/kernel/klpx/$P/enabled
klpx: '$P': initializing unpatching transition
klpx: '$P': starting unpatching transition
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% rmmod $P
% rmmod $T
EXPECTED
