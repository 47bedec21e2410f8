#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Ctrl-C (SIGINT) while apply waits for a transition held by the
# klpx_sleeper kthread: the loader exits with 130, says that the
# transition keeps running and how to follow or undo it, and leaves no BPF
# program behind; the transition is still running and completes once the
# kthread is released.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
S=$KLPX_ROOT/samples
OUT=/tmp/loader_interrupt

load_mod klpx_sleeper
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
"$L" apply --timeout 0 "$S/klpx_sleeper_fix.ko" >$OUT.txt 2>&1 &
apply=$!
loop_until "grep -q 'tasks switched' $OUT.txt"

kill -INT $apply
rc=0
wait $apply || rc=$?
cat $OUT.txt
expect_eq "loader exit status" $rc 130
grep -qx "interrupted: the transition of 'klpx_sleeper_fix' keeps running; follow it with 'loader trace', see what holds it with 'loader stalled', undo it with 'loader revert klpx_sleeper_fix'" $OUT.txt ||
	fail "no line saying how to follow the transition"
bpftool prog show | grep "name klpx_" && fail "BPF programs left behind"
check_sysfs_value klpx_sleeper_fix transition 1

echo release >/proc/klpx_sleeper
wait_transition_done klpx_sleeper_fix
check_sysfs_value klpx_sleeper_fix enabled 1
disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
unload_mod klpx_sleeper
rm -f $OUT.*
