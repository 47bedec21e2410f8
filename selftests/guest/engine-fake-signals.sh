#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fake signals and wakeups: once the transition has waited signal_delay
# seconds, tasks still in the old universe are nudged.  A user task
# sleeping interruptibly in a patched function (a read of
# /proc/klpx_target_consistency/wait) gets a fake signal: its read is
# restarted in the new universe and returns the patched answer.  A kthread
# sleeping interruptibly in a patched function (klpx_waiter) is woken and
# leaves it.  Before the delay, neither is disturbed.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_consistency
P=patch_consistency
DELAY=2
SIGNAL_FAKE=0
SIGNAL_WAKEUP=1

load_engine
expect_eq "default signal_delay" "$(get_param signal_delay)" 15
set_param signal_delay $DELAY

load_mod $T waiter=1
waiter=$(pid_of klpx_waiter)
cat /proc/$T/wait >/tmp/fake-signal.out &
reader=$!
trap 'kill $reader 2>/dev/null || true' EXIT
# Let the reader reach its sleep in the function.
loop_until "grep -q '^State:.*S (sleeping)' /proc/$reader/status"

log_mark
trace_start klpx_signal klpx_task_switched
load_lp_nowait $P
check_transition_stays $P 1
[ -z "$(trace_events klpx_signal)" ] || fail "signals went out before signal_delay"
wait_transition_done $P $((DELAY + 3))
wait $reader || fail "the reader failed after its fake signal"
trace_stop

expect_eq "what the signaled reader read" "$(cat /tmp/fake-signal.out)" patched
signals=$(trace_events klpx_signal)
echo "$signals" | grep -qx "pid=$reader kind=$SIGNAL_FAKE" ||
	fail "no fake signal for the reader ($reader): '$signals'"
echo "$signals" | grep -qx "pid=$waiter kind=$SIGNAL_WAKEUP" ||
	fail "no wakeup for klpx_waiter ($waiter): '$signals'"
expect_eq "klpx_waiter's wakeups" "$(sed -n 's/^waiter_wakeups: //p' /proc/$T/state)" 1

disable_lp $P
unload_lp $P
unload_mod $T
set_param signal_delay 15
rm -f /tmp/fake-signal.out

check_log <<EXPECTED
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
klpx: signaling remaining tasks
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
