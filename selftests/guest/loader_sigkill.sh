#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The loader killed with SIGKILL in the middle of a transition: nothing of
# its BPF side is left (no klpx_ program, nothing pinned), the transition
# keeps running in the engine and completes when the klpx_sleeper kthread
# leaves the patched function, and every module can be removed.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
S=$KLPX_ROOT/samples
OUT=/tmp/loader_sigkill

load_mod klpx_sleeper
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
"$L" apply --timeout 0 "$S/klpx_sleeper_fix.ko" >$OUT.txt 2>&1 &
apply=$!
loop_until "[ \"\$(cat /sys/kernel/klpx/klpx_sleeper_fix/transition 2>/dev/null)\" = 1 ]"
loop_until "bpftool prog show | grep -q 'name klpx_tr_end'"

kill -KILL $apply
rc=0
wait $apply || rc=$?
expect_eq "loader exit status" $rc 137
loop_until "! bpftool prog show | grep -q 'name klpx_'" 3
[ -z "$(ls /sys/fs/bpf)" ] || fail "something is pinned: $(ls /sys/fs/bpf)"
check_sysfs_value klpx_sleeper_fix transition 1

echo release >/proc/klpx_sleeper
wait_transition_done klpx_sleeper_fix
check_sysfs_value klpx_sleeper_fix enabled 1
disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
unload_mod klpx_sleeper
unload_engine
rm -f $OUT.*
