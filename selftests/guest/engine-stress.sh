#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Stress: enable/disable cycles of a patch on a function that several
# kthreads call constantly (klpx_target_stress, 4 callers).  Each cycle the
# callers must reach the new version, then the original again; no call may
# go astray, and the kernel log must show nothing but the usual transition
# messages, cycle after cycle.  STRESS_CYCLES sets the number of cycles
# (default 20; make soak runs 200).
#
# klpx-test: timeout 240
set -e
. /klpx/selftests/lib.sh

CYCLES=${STRESS_CYCLES:-20}
T=klpx_target_stress
P=patch_stress

count() { sed -n "s/^$1 //p" /proc/$T; }

# The log of the cycles since the last check: checked every BATCH cycles,
# since the kernel's log buffer cannot hold a long run.
BATCH=10
cycle_log()
{
	cat <<EXPECTED
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
klpx: '$P': completing patching transition
klpx: '$P': patching complete
% echo 0 > /sys/kernel/klpx/$P/enabled
klpx: '$P': initializing unpatching transition
klpx: '$P': starting unpatching transition
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% rmmod $P
EXPECTED
}
check_batch_log()
{
	_n=0
	while [ $_n -lt "$1" ]; do
		cycle_log
		_n=$((_n + 1))
	done | check_log
}

load_engine
load_mod $T threads=4
start=$(now_cs)
i=0
while [ $i -lt "$CYCLES" ]; do
	[ $((i % BATCH)) = 0 ] && log_mark
	load_lp $P
	patched=$(count patched)
	loop_until "[ \$(count patched) -gt $patched ]" 5
	disable_lp $P
	unload_lp $P
	original=$(count original)
	loop_until "[ \$(count original) -gt $original ]" 5
	i=$((i + 1))
	if [ $((i % BATCH)) = 0 ] || [ $i = "$CYCLES" ]; then
		check_batch_log $(( (i - 1) % BATCH + 1 ))
	fi
done
took=$(( $(now_cs) - start ))
echo "$CYCLES cycles in $((took / 100)).$((took % 100 / 10)) s"

expect_eq "calls that went astray" "$(count bad)" 0
unload_mod $T
