#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# After a transition, unregistering an ftrace ops waits for RCU-tasks, and
# ftrace does that wait holding its own lock, which every module load
# needs.  A kthread that never sleeps (bench_target's bench_busy, which the
# engine moves by IPI) holds RCU-tasks up.  The engine waits for it before
# it takes ftrace's lock, so while the kthread spins after a disable, an
# unrelated module still loads and unloads; the patch goes once the kthread
# sleeps.
#
# klpx-test: timeout 300
set -e
. /klpx/selftests/lib.sh

P=bench_patch
OTHER=klpx_target_basic

load_engine
load_mod bench_target busy=1
load_lp $P
log "% echo 0 > $(patch_dir $P)/enabled"
echo 0 >"$(patch_dir $P)/enabled"
wait_transition_done $P
sleep 1

log "% insmod $OTHER &"
insmod "$(module_path $OTHER)" &
other=$!
loop_until "grep -q '^$OTHER .* Live ' /proc/modules" 20
wait $other || fail "insmod $OTHER failed"
unload_mod $OTHER
is_patch_present $P || echo "(the teardown finished while bench_busy spun)"

echo N >/sys/module/bench_target/parameters/busy_run
loop_until "! is_patch_present $P"
unload_lp $P
unload_mod bench_target
echo "a module loaded and unloaded while bench_busy held RCU-tasks up"
