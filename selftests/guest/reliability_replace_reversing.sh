#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fault: a cumulative replace is loaded while a stalled transition is being
# reversed.
#
# klpx_target_pair's pair_holder/0 holds the transition to
# reliability_pair_v1 from inside the original cycle.  pair_holder/1, once
# it has moved to version 1, is kept inside a version-1 cycle.  Then the
# transition is reversed (echo 0 > enabled): pair_holder/1 now holds the
# reversal.  Loading reliability_pair_v2, a cumulative replace, must be
# refused cleanly while that lasts, leave the reversal as it was, and work
# once it is over.  No cycle may see a format violation meanwhile.
set -e
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh

T=klpx_target_pair
V1=reliability_pair_v1
V2=reliability_pair_v2
TASKS=/sys/kernel/debug/klpx/tasks

stat()
{
	sed -n "s/^$1 //p" /proc/$T/stats
}

hold_mask()
{
	echo "$1" >/sys/module/$T/parameters/hold_mask
}

load_engine
load_mod $T workers=2 holders=2 hold_mask=1
loop_until "[ \"\$(stat holder0)\" = 1 ]"

# Forward: held by pair_holder/0, in the original cycle.
load_lp_nowait $V1
loop_until "! grep -q 'pair_holder/1' $TASKS"
check_sysfs_value $V1 transition 1
hold_mask 3
loop_until "[ \"\$(stat holder1)\" = 2 ]"

# Reverse: now pair_holder/1, in a version-1 cycle, holds it.
echo 0 >"$(patch_dir $V1)/enabled"
sleep 1
check_sysfs_value $V1 transition 1
head -n 1 $TASKS | grep -q "target=unpatched" || fail "not reversing: $(head -n 1 $TASKS)"
grep -q "pair_holder/1" $TASKS || fail "pair_holder/1 does not hold the reversal"

# A replace now is refused, and changes nothing.
if err=$("$KLPX_ROOT/bin/insmod-once" "$(module_path $V2)" 2>&1); then
	fail "$V2 loaded while a transition was being reversed"
fi
echo "refused as it should be: $err"
is_mod_loaded $V2 && fail "$V2 is loaded after its refused load"
is_patch_present $V2 && fail "$V2 is in sysfs after its refused load"
check_sysfs_value $V1 transition 1
head -n 1 $TASKS | grep -q "patch=$V1 target=unpatched" ||
	fail "the reversal changed: $(head -n 1 $TASKS)"

# Let it finish; then the replace goes through.
hold_mask 0
loop_until "! is_patch_present $V1"
unload_lp $V1
load_lp $V2
expect_eq "format violations" "$(stat violations)" 0
disable_lp $V2
unload_lp $V2
expect_eq "format violations" "$(stat violations)" 0
unload_mod $T
expect_clean_system
