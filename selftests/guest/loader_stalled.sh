#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# loader stalled, in text and JSON, with BPF and without: the klpx_sleeper
# kthread is held inside klpx_sleeper_nap() while klpx_sleeper_fix, loaded
# with insmod, waits for it.  The report names the kthread, its reason,
# the blocking function and a stack that starts in that function; with BPF
# the stack comes from the task iterator, without it from /proc.  -v adds
# libbpf's debug output on stderr.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
OUT=/tmp/loader_stalled

json_is()
{
	_ji=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	[ "$_ji" = "$3" ] || fail "$1: $2 is '$_ji', expected '$3'"
}

# json_starts FILE PATH PREFIX: the string at PATH starts with PREFIX.
json_starts()
{
	_js=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	case "$_js" in
	"$3"*) ;;
	*) fail "$1: $2 is '$_js', expected it to start with '$3'" ;;
	esac
}

load_engine
expect_eq "stalled with no transition" "$("$L" stalled)" "no transition in progress"
"$L" -j stalled >$OUT.json
json_is $OUT.json .transition null
json_is $OUT.json .stalled_tasks "[]"

load_mod klpx_sleeper
pid=$(pid_of klpx_sleeper)
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
load_lp_nowait klpx_sleeper_fix

"$L" stalled >$OUT.txt
cat $OUT.txt
grep -qx "klpx_sleeper_fix: patching, [0-9]*/[0-9]* tasks switched; 1 task holds the transition:" $OUT.txt ||
	fail "no summary line"
grep -q "^  pid $pid klpx_sleeper (kthread): in-function at klpx_sleeper_nap+0x[0-9a-f]*/0x[0-9a-f]* \[klpx_sleeper\]$" $OUT.txt ||
	fail "the held kthread is not named with its blocking function"
expect_eq "first stack frame" "$(sed -n 3p $OUT.txt | sed 's/+.*//; s/^ *//')" klpx_sleeper_nap
grep -q "^      klpx_sleeper_thread+0x" $OUT.txt || fail "the stack misses klpx_sleeper_thread"

# -v shows libbpf's debug output, on stderr only.
"$L" -v stalled >$OUT.verbose 2>$OUT.err
grep -q "^libbpf: " $OUT.err || fail "-v shows no libbpf output"
grep -q "^  pid $pid klpx_sleeper (kthread): in-function at klpx_sleeper_nap+" $OUT.verbose ||
	fail "-v changed the report: $(cat $OUT.verbose)"
grep -q "^libbpf: " $OUT.verbose && fail "-v put libbpf's output on stdout"

for mode in bpf proc; do
	if [ $mode = bpf ]; then
		"$L" -j stalled >$OUT.json 2>$OUT.err
	else
		"$L" -j --no-bpf stalled >$OUT.json 2>$OUT.err
		grep -q "^loader: no BPF" $OUT.err || fail "--no-bpf did not say what it cannot do"
	fi
	cat $OUT.json
	"$JSONQ" $OUT.json || fail "stalled -j printed invalid JSON"
	json_is $OUT.json .transition.patch klpx_sleeper_fix
	json_is $OUT.json .transition.target patched
	expect_eq "stalled tasks ($mode)" "$("$JSONQ" -l .stalled_tasks $OUT.json)" 1
	json_is $OUT.json .stalled_tasks[0].pid "$pid"
	json_is $OUT.json .stalled_tasks[0].comm klpx_sleeper
	json_is $OUT.json .stalled_tasks[0].reason in-function
	json_is $OUT.json .stalled_tasks[0].kthread true
	json_is $OUT.json .stalled_tasks[0].stack_source $mode
	json_starts $OUT.json .stalled_tasks[0].function "klpx_sleeper_nap+0x"
	json_starts $OUT.json .stalled_tasks[0].stack[0] "klpx_sleeper_nap+0x"
	json_is $OUT.json .bpf "$([ $mode = bpf ] && echo true || echo false)"
done

echo release >/proc/klpx_sleeper
wait_transition_done klpx_sleeper_fix
disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
unload_mod klpx_sleeper
rm -f $OUT.*
