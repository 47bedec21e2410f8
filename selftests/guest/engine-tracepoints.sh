#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The engine's tracepoints, read through tracefs (events/klpx/*): every
# event abi.h lists exists with its fields in the documented order, and a
# patch-unpatch cycle held up by a sleeping kthread records transition
# start and end, a blocked task with the function it sleeps in, and the
# switches, each with the right values, and one klpx_transition_pass per
# walk whose counts add up to the switches.  (Signals, force and reverse are
# checked by engine-fake-signals and engine-consistency.)
set -e
. /klpx/selftests/lib.sh

T=klpx_target_consistency
P=patch_consistency
EVENTS=$KLPX_TRACEFS/events/klpx
BLOCK_IN_FUNC=2

# fields EVENT: the event's own field names, in order, on one line.
fields()
{
	sed -n 's/^[[:space:]]*field:[^;]*[ *]\([a-z_]*\)\(\[[0-9]*\]\)\{0,1\};.*/\1/p' \
		"$EVENTS/$1/format" | grep -v '^common_' | tr '\n' ' '
}

load_engine
expect_eq "klpx_transition_start fields" "$(fields klpx_transition_start)" "patch target nr_tasks "
expect_eq "klpx_transition_end fields" "$(fields klpx_transition_end)" "patch target forced "
expect_eq "klpx_transition_pass fields" "$(fields klpx_transition_pass)" \
	"patch nr_remaining switched "
expect_eq "klpx_task_switched fields" "$(fields klpx_task_switched)" "pid target switch_point "
expect_eq "klpx_task_blocked fields" "$(fields klpx_task_blocked)" "pid reason func switch_point "
expect_eq "klpx_signal fields" "$(fields klpx_signal)" "pid kind "
expect_eq "klpx_force fields" "$(fields klpx_force)" "patch target "
expect_eq "klpx_reverse fields" "$(fields klpx_reverse)" "patch new_target "

load_mod $T sleeper=1
sleeper=$(pid_of klpx_sleeper)
nr_threads=$(ls -d /proc/[0-9]*/task/[0-9]* | wc -l)

trace_start
load_lp_nowait $P
check_transition_stays $P 1
echo N >/sys/module/$T/parameters/sleeper_hold
wait_transition_done $P 3
disable_lp $P
trace_stop

# Start and end, patching then unpatching.
starts=$(trace_events klpx_transition_start)
expect_eq "klpx_transition_start events" "$(echo "$starts" | sed 's/ nr_tasks=[0-9]*$//')" \
	"patch=$P target=1
patch=$P target=0"
nr_tasks=$(echo "$starts" | head -n 1 | sed 's/.* nr_tasks=//')
# Every thread plus one idle task per CPU; a few threads may come and go.
[ "$nr_tasks" -ge $((nr_threads - 5)) ] && [ "$nr_tasks" -le $((nr_threads + 20)) ] ||
	fail "klpx_transition_start nr_tasks=$nr_tasks, with $nr_threads threads in /proc"
expect_eq "klpx_transition_end events" "$(trace_events klpx_transition_end)" \
	"patch=$P target=1 forced=0
patch=$P target=0 forced=0"

# The sleeper was blocked in its function, then switched, both ways.
trace_events klpx_task_blocked | grep -q "^pid=$sleeper reason=$BLOCK_IN_FUNC func=klpx_target_sleep_in_func+0x" ||
	fail "no klpx_task_blocked event for klpx_sleeper in klpx_target_sleep_in_func"
switched=$(trace_events klpx_task_switched)
echo "$switched" | grep -q "^pid=$sleeper target=1 switch_point=[0-9]$" ||
	fail "no klpx_task_switched event patching klpx_sleeper"
echo "$switched" | grep -q "^pid=$sleeper target=0 switch_point=[0-9]$" ||
	fail "no klpx_task_switched event unpatching klpx_sleeper"
echo "$switched" | grep -q "^pid=$$ target=1 switch_point=[0-9]$" ||
	fail "no klpx_task_switched event for this shell"
bad=$(echo "$switched" | grep -v '^pid=[0-9]* target=[01] switch_point=[0-5]$' || true)
[ -z "$bad" ] || fail "malformed klpx_task_switched events: $bad"

# Walks: while the sleeper held, the patching walks left it (and maybe
# others).  The last walk of each direction left nobody, and its counts by
# switch point are those of the tasks switched one by one, fork aside (a
# child may still inherit once the last walk is over).
passes=$(awk '
/ klpx_transition_start: / { t = $0; sub(/.* target=/, "", t); sub(/ .*/, "", t); next }
/ klpx_task_switched: / {
	p = $0; sub(/.* switch_point=/, "", p)
	n[t, p]++
	next
}
/ klpx_transition_pass: / {
	l = $0; sub(/.* nr_remaining=/, "nr_remaining=", l); sub(/ fork=[0-9]*/, "", l)
	last[t] = l
	if (t == 1 && l !~ /^nr_remaining=0 /)
		held++
	next
}
END {
	for (t = 1; t >= 0; t--)
		printf "target=%s|%s|nr_remaining=0 stack=%d cpu=%d syscall=%d signal=%d offline=%d\n",
			t, last[t], n[t, 0], n[t, 1], n[t, 2], n[t, 4], n[t, 5]
	printf "walks that left a task while held: %s\n", held ? "some" : "none"
}' "$KLPX_TRACEFS/trace")
echo "$passes"
echo "$passes" | grep '^target=' | while IFS='|' read -r target walk switched; do
	expect_eq "$target: the last walk's counts" "$walk" "$switched"
done
echo "$passes" | grep -qx "walks that left a task while held: some" ||
	fail "no klpx_transition_pass event while klpx_sleeper held the transition"

unload_lp $P
unload_mod $T
