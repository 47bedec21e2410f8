#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The consistency checker.  klpx_target_pair's kthreads, and user tasks
# (RELIABILITY_READERS shell loops, default 2, that each start one cat after
# another to read /proc/klpx_target_pair/cycle), run a cycle over and over:
# f writes a record in its version's format, the task sleeps, g reads it,
# and a g that cannot read the format counts a violation.  Versions 1, 2
# (cumulative replaces) and 3 (stacks on top) of the pair are applied,
# replaced, stacked, reverted, and reversed midway, at random, for
# RELIABILITY_TRANSITIONS transitions (default 20; make soak runs 500),
# under load (thread_load: sleeping threads and a CPU-bound one), with RCU
# grace periods stretched by RCU readers of RELIABILITY_RCU_READER_MS
# (default 20 ms), as on a busy machine.  The
# consistency model keeps every task's f and g in one universe: there must
# be no violation.
#
# Then the checker shows it can fail: with pair_holder/0 inside a cycle of
# the original version, a transition to version 1 is forced, which breaks
# the consistency model, and the checker must count violations.
#
# klpx-test: timeout 600
set -e
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh

TRANSITIONS=${RELIABILITY_TRANSITIONS:-20}
READERS=${RELIABILITY_READERS:-2}
RCU_READER_MS=${RELIABILITY_RCU_READER_MS:-20}
TARGET=klpx_target_pair
STATS=/proc/$TARGET/stats
WORK=/tmp/reliability_consistency
rm -rf "$WORK" && mkdir -p "$WORK"

stat()
{
	sed -n "s/^$1 //p" "$STATS"
}

check_violations()
{
	_v=$(stat violations)
	[ "$_v" = 0 ] ||
		fail "$_v violations after $done_transitions transitions ($1); last: written by version $(stat last_violation | sed 's/ / read by version /')"
}

cleanup()
{
	: >"$WORK/stop"
	[ -n "$LOAD_PID" ] && kill -TERM "$LOAD_PID" 2>/dev/null
	for _p in $READER_PIDS; do
		wait "$_p" 2>/dev/null
	done
	[ -n "$LOAD_PID" ] && wait "$LOAD_PID" 2>/dev/null
	LOAD_PID=
	READER_PIDS=
}
trap cleanup EXIT

# The patches loaded now, oldest first: "v1 v3" and so on.
STACK=
done_transitions=0

present()
{
	case " $STACK " in *" $1 "*) return 0 ;; esac
	return 1
}

top()
{
	echo "${STACK##* }"
}

# enable V: load reliability_pair_vV and wait for its transition; a replace
# retires the rest of the stack, whose modules are removed.
enable()
{
	load_lp_nowait "reliability_pair_$1"
	wait_transition_done "reliability_pair_$1"
	done_transitions=$((done_transitions + 1))
	if [ "$1" != v3 ]; then
		for _old in $STACK; do
			loop_until "! is_patch_present reliability_pair_$_old"
			unload_lp "reliability_pair_$_old"
		done
		STACK=$1
	else
		STACK="${STACK:+$STACK }$1"
	fi
}

disable()
{
	disable_lp "reliability_pair_$1"
	unload_lp "reliability_pair_$1"
	done_transitions=$((done_transitions + 1))
	STACK=$(echo " $STACK " | sed "s/ $1 / /; s/^ *//; s/ *$//")
}

# reverse V: enable V and turn the transition around at once; if it ended
# already, disable it.  Either way V is gone after.
reverse()
{
	load_lp_nowait "reliability_pair_$1"
	if [ "$(cat "$(patch_dir "reliability_pair_$1")/transition" 2>/dev/null)" = 1 ]; then
		echo 0 >"$(patch_dir "reliability_pair_$1")/enabled" 2>/dev/null || true
	fi
	wait_transition_done "reliability_pair_$1"
	# Enabled: the transition ended before it could be turned around.
	if [ "$(cat "$(patch_dir "reliability_pair_$1")/enabled" 2>/dev/null)" = 1 ]; then
		disable_lp "reliability_pair_$1"
	fi
	loop_until "! is_patch_present reliability_pair_$1"
	unload_lp "reliability_pair_$1"
	done_transitions=$((done_transitions + 2))
}

load_engine
load_mod $TARGET workers=4 holders=2 rcu_reader_ms="$RCU_READER_MS"
# Background load: sleeping threads and one that spins in user space.
/klpx/bin/thread_load -s 50 -b 1 -r "$WORK/load.ready" &
LOAD_PID=$!
for _i in $(seq "$READERS"); do
	( while [ ! -e "$WORK/stop" ]; do cat /proc/$TARGET/cycle >/dev/null; done ) &
	READER_PIDS="$READER_PIDS $!"
done
loop_until "[ -s $WORK/load.ready ]" 60

start=$(date +%s)
while [ "$done_transitions" -lt "$TRANSITIONS" ]; do
	if [ -z "$STACK" ]; then
		case $(random 5) in
		0) enable v1 ;;
		1) enable v2 ;;
		2) enable v3 ;;
		3) reverse v1 ;;
		4) reverse v2 ;;
		esac
	else
		case $(random 6) in
		0 | 1)	# the other cumulative patch replaces them all
			if present v1; then enable v2; else enable v1; fi ;;
		2)	if present v3; then disable v3; else enable v3; fi ;;
		3)	# only a reversal that would retire nothing
			if present v3; then disable "$(top)"; else reverse v3; fi ;;
		*)	disable "$(top)" ;;
		esac
	fi
	check_violations "stack now: ${STACK:-none}"
done
for _p in $(echo "$STACK" | tr ' ' '\n' | tac); do
	disable "$_p"
done
check_violations "at the end"
echo "$done_transitions transitions in $(( $(date +%s) - start )) s," \
	"$(stat cycles) cycles, 0 violations"

# The checker can fail: a forced transition breaks consistency.
echo 0 >/sys/module/$TARGET/parameters/outer_ms
echo 1 >/sys/module/$TARGET/parameters/hold_mask
loop_until "[ \"\$(stat holder0)\" = 1 ]"
load_lp_nowait reliability_pair_v1
sleep 1
expect_eq "transition held by pair_holder/0" \
	"$(read_file "$(patch_dir reliability_pair_v1)/transition")" 1
echo 1 >"$(patch_dir reliability_pair_v1)/force"
wait_transition_done reliability_pair_v1
echo 0 >/sys/module/$TARGET/parameters/hold_mask
echo 2 >/sys/module/$TARGET/parameters/outer_ms
loop_until "[ \"\$(stat violations)\" != 0 ]" 10
echo "forced transition: $(stat violations) violations detected" \
	"(last: written by version $(stat last_violation | sed 's/ / read by version /'))"
disable_lp reliability_pair_v1
unload_lp reliability_pair_v1

cleanup
unload_mod $TARGET
expect_clean_system
