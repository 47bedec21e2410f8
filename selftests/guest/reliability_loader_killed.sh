#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fault: the loader killed while it applies a patch, at any moment.
#
# RELIABILITY_LOADER_ROUNDS rounds (default 6; make soak runs 30).  Each
# starts "loader apply --timeout 0 bench_patch.ko" while bench_holder holds
# any transition of bench_patch, and kills it with SIGKILL, SIGINT or SIGTERM
# in turn: in even rounds at a random moment of its first 0.4 s (loading
# the engine, attaching BPF, loading the module), in odd rounds once the
# transition runs.  Whatever the moment, the loader's BPF programs must go
# with it, nothing may stay pinned, and the engine must be in a state the
# loader can finish from: the held transition still running (it completes
# once the holder lets go), and "loader revert" then removing the patch.
# The first round starts without the engine, so the loader loads it.
#
# klpx-test: timeout 400
set -e
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh

ROUNDS=${RELIABILITY_LOADER_ROUNDS:-6}
LOADER=$KLPX_ROOT/loader
P=bench_patch
OUT=/tmp/reliability_loader_killed.out

[ -x "$LOADER" ] || fail "no loader at $LOADER"

entries()
{
	sed -n 's/^hold_entries: //p' /proc/bench_target/state
}

hold()
{
	echo "$1" >/sys/module/bench_target/parameters/hold
}

loader_programs()
{
	bpftool prog show 2>/dev/null | grep -c "name klpx_" || true
}

unload_engine
load_mod bench_target holder=1 hold=1
loop_until "[ \"\$(entries)\" -ge 1 ]"

round=0
while [ $round -lt "$ROUNDS" ]; do
	case $((round % 3)) in
	0) sig=KILL ;;
	1) sig=INT ;;
	2) sig=TERM ;;
	esac
	"$LOADER" apply --timeout 0 "$(module_path $P)" >"$OUT" 2>&1 &
	pid=$!
	if [ $((round % 2)) = 0 ]; then
		when="at $(random 5)00 ms"
		sleep "0.$(random 5)"
	else
		when="mid-transition"
		loop_until "[ \"\$(cat $(patch_dir $P)/transition 2>/dev/null)\" = 1 ]"
	fi
	kill -$sig $pid 2>/dev/null || true
	rc=0
	wait $pid || rc=$?
	echo "round $round: SIG$sig $when: loader exit status $rc"
	case "$sig:$rc" in
	# Killed, or interrupted (130); TERM before its handler is set: 143.
	KILL:137 | INT:130 | TERM:130 | TERM:143 | *:0) ;;
	# Killed before it started the transition, it reports a failure.
	INT:1 | TERM:1) [ "$when" != mid-transition ] || fail "SIG$sig mid-transition: exit status 1: $(cat "$OUT")" ;;
	*) fail "SIG$sig $when: unexpected loader exit status $rc: $(cat "$OUT")" ;;
	esac
	loop_until "[ \"\$(loader_programs)\" = 0 ]" 10
	[ -z "$(ls /sys/fs/bpf)" ] || fail "left pinned in /sys/fs/bpf: $(ls /sys/fs/bpf)"

	# Finish from whatever state the loader left.
	released=
	if is_patch_present $P; then
		[ "$when" != mid-transition ] || check_sysfs_value $P transition 1
		_entries=$(entries)
		hold 0
		released=1
		wait_transition_done $P
		"$LOADER" revert $P >"$OUT" 2>&1 || fail "loader revert after SIG$sig $when failed: $(cat "$OUT")"
	elif is_mod_loaded $P; then
		fail "$P is loaded without a patch in sysfs"
	fi
	is_mod_loaded $P && fail "$P is still loaded after loader revert"

	# The holder back in its function, for the next round.
	if [ -n "$released" ]; then
		hold 1
		loop_until "[ \"\$(entries)\" != $_entries ]"
	fi
	round=$((round + 1))
done

hold 0
unload_mod bench_target
rm -f "$OUT"
expect_clean_system
