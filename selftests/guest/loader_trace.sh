#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# loader trace, in text and JSON, follows transitions that others start:
# a patch loaded with insmod and disabled through sysfs.  Text: both
# transitions start and end, each one's last walk leaves no task, and no
# task's switch is reported without --tasks.  JSON with --tasks: every line
# is one valid object; the start, switch, walk and end events carry their
# keys.  Then, attached in the middle of a transition held by the
# klpx_sleeper kthread, trace --tasks reports the kthread blocked, woken by
# the engine (signal_delay 1), then switched, and walks that left it, then
# one that left nobody.
# Last, a held transition reversed through sysfs and another one forced
# show as reverse and force events, and as their transition ends.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
OUT=/tmp/loader_trace

json_is()
{
	_ji=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	[ "$_ji" = "$3" ] || fail "$1: $2 is '$_ji', expected '$3'"
}

# start_trace OUTFILE ARGS...: start loader trace in the background and
# wait until it is attached.
start_trace()
{
	_st_out=$1
	shift
	"$L" trace "$@" >"$_st_out" 2>"$_st_out.err" &
	TRACE_PID=$!
	loop_until "grep -q 'tracing klpx transitions' $_st_out.err"
}

"$L" trace 2>$OUT.err && fail "trace without the engine succeeded"
grep -q "engine is not loaded" $OUT.err || fail "trace without the engine: $(cat $OUT.err)"
load_engine

# Text: two transitions by others.
start_trace $OUT.txt --count 2
load_lp klpx_demo_v1
disable_lp klpx_demo_v1
wait $TRACE_PID || fail "trace exited with $?"
unload_lp klpx_demo_v1
cat $OUT.txt
grep -q "^\[ *[0-9.]*\] klpx_demo_v1: patching transition started, [0-9]* tasks$" $OUT.txt ||
	fail "no patching start"
grep -q "^\[ *[0-9.]*\] klpx_demo_v1: patched after [0-9.]* s$" $OUT.txt || fail "no patching end"
grep -q "^\[ *[0-9.]*\] klpx_demo_v1: unpatching transition started" $OUT.txt || fail "no unpatching start"
grep -q "^\[ *[0-9.]*\] klpx_demo_v1: unpatched after" $OUT.txt || fail "no unpatching end"
grep " switched to " $OUT.txt && fail "task switches reported without --tasks"
expect_eq "walks that left nobody" \
	"$(grep -c "^\[ *[0-9.]*\] klpx_demo_v1: walk: [1-9][0-9]* tasks switched so far, 0 left$" $OUT.txt)" 2

# JSON: the same, as JSON lines, and each task.
start_trace $OUT.json -j --count 2 --tasks
load_lp klpx_demo_v1
disable_lp klpx_demo_v1
wait $TRACE_PID || fail "trace -j exited with $?"
unload_lp klpx_demo_v1
"$JSONQ" -n $OUT.json >/dev/null || fail "trace -j printed a line that is not JSON"
grep '"event":"transition_start"' $OUT.json | head -n 1 >$OUT.one
json_is $OUT.one .patch klpx_demo_v1
json_is $OUT.one .target patched
"$JSONQ" -t .tasks $OUT.one | grep -qx number || fail "transition_start has no task count"
"$JSONQ" -t .time $OUT.one | grep -qx number || fail "transition_start has no time"
grep '"event":"task_switched"' $OUT.json | grep '"pid":1,' | head -n 1 >$OUT.one
json_is $OUT.one .comm init
json_is $OUT.one .target patched
"$JSONQ" .switch_point $OUT.one | grep -qxE 'stack|cpu|syscall|fork|signal' || fail "bad switch point"
grep '"event":"walk"' $OUT.json | head -n 1 >$OUT.one
json_is $OUT.one .patch klpx_demo_v1
json_is $OUT.one .target patched
"$JSONQ" -t .remaining $OUT.one | grep -qx number || fail "the walk event has no remaining count"
[ "$("$JSONQ" .switched $OUT.one)" -gt 0 ] || fail "the walk event switched nobody"
expect_eq "walk events that left nobody" \
	"$(grep '"event":"walk"' $OUT.json | grep -c '"remaining":0[,}]')" 2
expect_eq "transition_end events" "$(grep -c '"event":"transition_end"' $OUT.json)" 2
grep '"event":"transition_end"' $OUT.json | tail -n 1 >$OUT.one
json_is $OUT.one .target unpatched
json_is $OUT.one .forced false
"$JSONQ" -t .duration $OUT.one | grep -qx number || fail "transition_end has no duration"

# Attached mid-transition.
load_mod klpx_sleeper
pid=$(pid_of klpx_sleeper)
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
set_param signal_delay 1
load_lp_nowait klpx_sleeper_fix
start_trace $OUT.json -j --count 1 --tasks
sleep 2
echo release >/proc/klpx_sleeper
wait $TRACE_PID || fail "trace -j mid-transition exited with $?"
cat $OUT.json
"$JSONQ" -n $OUT.json >/dev/null || fail "trace -j printed a line that is not JSON"
grep '"event":"task_switched"' $OUT.json | grep "\"pid\":$pid," >$OUT.one ||
	fail "the kthread's switch is missing"
json_is $OUT.one .comm klpx_sleeper
grep '"event":"task_blocked"' $OUT.json | grep "\"pid\":$pid," | head -n 1 >$OUT.one ||
	fail "the kthread was not reported blocked"
json_is $OUT.one .reason in-function
case "$("$JSONQ" .function $OUT.one)" in
klpx_sleeper_nap+0x*) ;;
*) fail "blocked in '$("$JSONQ" .function $OUT.one)', expected klpx_sleeper_nap" ;;
esac
grep '"event":"signal"' $OUT.json | grep "\"pid\":$pid," | head -n 1 >$OUT.one ||
	fail "the engine's wakeup of the kthread is missing"
json_is $OUT.one .kind wakeup
grep '"event":"walk"' $OUT.json | grep -q '"remaining":[1-9]' ||
	fail "no walk left the kthread"
grep '"event":"walk"' $OUT.json | tail -n 1 >$OUT.one
json_is $OUT.one .remaining 0
grep '"event":"transition_end"' $OUT.json >$OUT.one || fail "no transition_end"
json_is $OUT.one .patch klpx_sleeper_fix
json_is $OUT.one .duration null
set_param signal_delay 15

disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix

# A held transition reversed through sysfs, then another one forced.
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
start_trace $OUT.json -j --count 2
load_lp_nowait klpx_sleeper_fix
sleep 0.5
echo 0 >/sys/kernel/klpx/klpx_sleeper_fix/enabled
loop_until '! is_patch_present klpx_sleeper_fix'
unload_lp klpx_sleeper_fix
load_lp_nowait klpx_sleeper_fix
sleep 0.5
echo 1 >/sys/kernel/klpx/klpx_sleeper_fix/force
wait $TRACE_PID || fail "trace -j of reverse and force exited with $?"
cat $OUT.json
"$JSONQ" -n $OUT.json >/dev/null || fail "trace -j printed a line that is not JSON"
grep '"event":"reverse"' $OUT.json >$OUT.one || fail "no reverse event"
json_is $OUT.one .patch klpx_sleeper_fix
json_is $OUT.one .target unpatched
grep '"event":"force"' $OUT.json >$OUT.one || fail "no force event"
json_is $OUT.one .target patched
grep '"event":"transition_end"' $OUT.json | head -n 1 >$OUT.one
json_is $OUT.one .target unpatched
json_is $OUT.one .forced false
grep '"event":"transition_end"' $OUT.json | tail -n 1 >$OUT.one
json_is $OUT.one .target patched
json_is $OUT.one .forced true
echo release >/proc/klpx_sleeper
disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
unload_mod klpx_sleeper
rm -f $OUT.*
