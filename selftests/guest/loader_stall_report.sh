#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# loader apply names the task that holds its transition: the klpx_sleeper
# kthread sleeps inside klpx_sleeper_nap(), which klpx_sleeper_fix changes.
# After --stall-report 1 the report gives its pid, comm, reason, the
# blocking function and a symbolized stack; the transition completes once
# the kthread is released.  Text, then JSON (stalled_tasks).
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
S=$KLPX_ROOT/samples
OUT=/tmp/loader_stall_report

json_is()
{
	_ji=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	[ "$_ji" = "$3" ] || fail "$1: $2 is '$_ji', expected '$3'"
}

load_mod klpx_sleeper
pid=$(pid_of klpx_sleeper)

for mode in text json; do
	echo hold >/proc/klpx_sleeper
	loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
	if [ $mode = text ]; then
		"$L" apply --stall-report 1 --timeout 0 "$S/klpx_sleeper_fix.ko" >$OUT.txt 2>&1 &
		apply=$!
		loop_until "grep -q 'not switched after' $OUT.txt"
	else
		"$L" -j apply --stall-report 1 --timeout 0 "$S/klpx_sleeper_fix.ko" >$OUT.json 2>&1 &
		apply=$!
		# Past the report's delay, with the transition still held.
		loop_until "[ \"\$(cat /sys/kernel/klpx/klpx_sleeper_fix/transition 2>/dev/null)\" = 1 ]"
		sleep 2
	fi
	[ "$(cat /sys/kernel/klpx/klpx_sleeper_fix/transition)" = 1 ] || fail "the transition was not held"
	echo release >/proc/klpx_sleeper
	wait $apply || fail "apply ($mode) exited with $?: $(cat $OUT.*)"
	if [ $mode = text ]; then
		cat $OUT.txt
		grep -qx "klpx_sleeper_fix: 1 task has not switched after [0-9.]* s:" $OUT.txt ||
			fail "no stall report header"
		grep -q "^  pid $pid klpx_sleeper (kthread): in-function at klpx_sleeper_nap+0x[0-9a-f]*/0x[0-9a-f]* \[klpx_sleeper\]$" $OUT.txt ||
			fail "the report does not name the kthread and klpx_sleeper_nap"
		grep -A1 "^  pid $pid " $OUT.txt | tail -n 1 | grep -q "^      klpx_sleeper_nap+0x" ||
			fail "the stack does not start in klpx_sleeper_nap"
		grep -q "^      klpx_sleeper_thread+0x" $OUT.txt || fail "the stack misses klpx_sleeper_thread"
		grep -q "^      kthread+0x" $OUT.txt || fail "the stack misses kthread"
		grep -qx "klpx_sleeper_fix: patched in [0-9.]* s" $OUT.txt || fail "no completion"
	else
		cat $OUT.json
		"$JSONQ" $OUT.json || fail "apply -j printed invalid JSON"
		json_is $OUT.json .result patched
		expect_eq "stalled tasks" "$("$JSONQ" -l .stalled_tasks $OUT.json)" 1
		json_is $OUT.json .stalled_tasks[0].pid "$pid"
		json_is $OUT.json .stalled_tasks[0].comm klpx_sleeper
		json_is $OUT.json .stalled_tasks[0].reason in-function
		json_is $OUT.json .stalled_tasks[0].kthread true
		json_is $OUT.json .stalled_tasks[0].stack_source bpf
		case "$("$JSONQ" .stalled_tasks[0].function $OUT.json)" in
		"klpx_sleeper_nap+0x"*" [klpx_sleeper]") ;;
		*) fail "blocking function: $("$JSONQ" .stalled_tasks[0].function $OUT.json)" ;;
		esac
		case "$("$JSONQ" .stalled_tasks[0].stack[1] $OUT.json)" in
		"klpx_sleeper_thread+0x"*) ;;
		*) fail "second frame: $("$JSONQ" .stalled_tasks[0].stack[1] $OUT.json)" ;;
		esac
	fi
	disable_lp klpx_sleeper_fix
	unload_lp klpx_sleeper_fix
done

unload_mod klpx_sleeper
rm -f $OUT.*
