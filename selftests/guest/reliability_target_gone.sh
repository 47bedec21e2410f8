#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fault: the target module goes away in the middle of a transition.
#
# bench_patch changes two functions of the module bench_target; its
# transition is held open by bench_holder, which sleeps in one of them.
# Then bench_target is removed: its exit lets the holder go and stops it,
# and the engine must unpatch the going module's object mid-transition.  The
# transition then completes; the patch stays enabled, with its object
# unpatched, and applies again when bench_target comes back.  At the end
# everything unloads and the engine leaves nothing behind.
set -e
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh

P=bench_patch
entries()
{
	sed -n 's/^hold_entries: //p' /proc/bench_target/state
}

load_engine
load_mod bench_target holder=1 hold=1
loop_until "[ \"\$(entries)\" -ge 1 ]"
load_lp_nowait $P
sleep 1
check_sysfs_value $P transition 1
grep -q "bench_holder.*bench_target_hold" /sys/kernel/debug/klpx/tasks ||
	fail "bench_holder does not hold the transition: $(cat /sys/kernel/debug/klpx/tasks)"

# The target goes while the transition waits for its kthread.
unload_mod bench_target
wait_transition_done $P
check_sysfs_value $P enabled 1
[ ! -e "$(patch_dir $P)/bench_target/patched" ] ||
	check_sysfs_value $P bench_target/patched 0
[ -z "$(klpx_hooks)" ] || loop_until "[ -z \"\$(klpx_hooks)\" ]"

# It comes back: the patch applies to it as it loads.
load_mod bench_target
check_sysfs_value $P bench_target/patched 1
klpx_hooks | grep -qx bench_target_call || fail "bench_target_call is not patched after the reload"

disable_lp $P
unload_lp $P
unload_mod bench_target
expect_clean_system
