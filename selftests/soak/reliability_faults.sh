#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The single-shot fault tests, five rounds each: a target module removed
# mid-transition, a failing pre_patch callback, a replace while a stalled
# transition is reversing.
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh
status=0
for round in 1 2 3 4 5; do
	for t in reliability_target_gone reliability_prepatch_fail reliability_replace_reversing; do
		soak_run $t || { echo "$t failed in round $round"; status=1; }
	done
done
exit $status
