#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# loader status, in text and JSON: the engine, each patch with its objects
# and functions, and the running transition with the task it waits for
# (the klpx_sleeper kthread, held inside the patched function).
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
OUT=/tmp/loader_status

json_is()
{
	_ji=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	[ "$_ji" = "$3" ] || fail "$1: $2 is '$_ji', expected '$3'"
}

expect_eq "status without the engine" "$("$L" status)" "engine: not loaded"
"$L" -j status >$OUT.json
json_is $OUT.json .engine_loaded false
json_is $OUT.json .transition null

load_mod klpx_sleeper
pid=$(pid_of klpx_sleeper)
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
load_lp klpx_demo_v1
load_lp_nowait klpx_sleeper_fix

"$L" status >$OUT.txt
cat $OUT.txt
grep -qx "engine: loaded, fake signals after [0-9]* s" $OUT.txt || fail "no engine line"
grep -qx "patch klpx_demo_v1: enabled yes, transition no, replace yes" $OUT.txt || fail "no v1 line"
grep -qx "    cmdline_proc_show,1" $OUT.txt || fail "cmdline_proc_show not listed"
grep -qx "    version_proc_show,1" $OUT.txt || fail "version_proc_show not listed"
grep -qx "  object klpx_sleeper: patched" $OUT.txt || fail "no klpx_sleeper object line"
grep -qx "transition: klpx_sleeper_fix patching, [0-9]*/[0-9]* tasks switched; waiting for:" $OUT.txt ||
	fail "no transition line"
grep -q "^  pid $pid klpx_sleeper (kthread): in-function at klpx_sleeper_nap+0x" $OUT.txt ||
	fail "the held kthread is not named"

"$L" -j status >$OUT.json
cat $OUT.json
"$JSONQ" $OUT.json || fail "status -j printed invalid JSON"
json_is $OUT.json .engine_loaded true
"$JSONQ" -t .signal_delay $OUT.json | grep -qx number || fail "signal_delay is not a number"
expect_eq "patches" "$("$JSONQ" -l .patches $OUT.json)" 2
json_is $OUT.json .patches[0].name klpx_demo_v1
json_is $OUT.json .patches[0].objects[0].name vmlinux
json_is $OUT.json .patches[0].objects[0].patched true
json_is $OUT.json .patches[0].objects[0].functions[0].name cmdline_proc_show
json_is $OUT.json .patches[0].objects[0].functions[1].name version_proc_show
json_is $OUT.json .patches[1].objects[0].functions[0].name klpx_sleeper_nap
json_is $OUT.json .transition.patch klpx_sleeper_fix
json_is $OUT.json .transition.target patched
json_is $OUT.json .transition.bpf true
json_is $OUT.json .transition.stalled_tasks[0].pid "$pid"
json_is $OUT.json .transition.stalled_tasks[0].reason in-function
json_is $OUT.json .transition.stalled_tasks[0].stack_source bpf

echo release >/proc/klpx_sleeper
wait_transition_done klpx_sleeper_fix
"$L" -j status >$OUT.json
json_is $OUT.json .transition null
grep -qx "transition: none" "$("$L" status >$OUT.txt; echo $OUT.txt)" || fail "no 'transition: none' line"

disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
disable_lp klpx_demo_v1
unload_lp klpx_demo_v1
unload_mod klpx_sleeper
rm -f $OUT.*
