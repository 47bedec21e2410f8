#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Both universes at once during a cumulative replace.  klpx_target_funcs's
# holder kthread sleeps in klpx_target_funcs_hold(), which cumulative_v2
# changes, so it stays in the old universe while v2's transition runs:
#  - the holder still calls v1's a and b (and the original c);
#  - a task that migrated sees v2's a, the original b and v2's c;
#  - v1 stays registered until the transition completes.
# Once the holder is released the transition completes and v1 goes.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_funcs
V1=cumulative_v1
V2=cumulative_v2

show() { read_file /proc/$T/show | tr '\n' ' '; }
held() { read_file /proc/$T/held | tr '\n' ' '; }

load_mod $T hold=1
holder=$(pid_of klpx_holder)
expect_eq "the holder before any patch" "$(held)" "a: original b: original c: original "

load_lp $V1
expect_eq "the holder with $V1" "$(held)" "a: v1 b: v1 c: original "

load_lp_nowait $V2
check_transition_stays $V2 1
expect_eq "a migrated task during $V2's transition" "$(show)" "a: v2 b: original c: v2 "
expect_eq "the holder during $V2's transition" "$(held)" "a: v1 b: v1 c: original "
line=$(tasks_line "$holder") || fail "klpx_holder ($holder) is not listed as blocked"
case "$line" in
*"	in-function	klpx_target_funcs_hold+"*) ;;
*) fail "klpx_holder's entry: '$line', expected in-function, klpx_target_funcs_hold" ;;
esac
check_sysfs_value $V1 enabled 1
check_transition_stays $V2 1

echo 1 >/proc/$T/release
wait_transition_done $V2 3
loop_until "! is_patch_present $V1" 3
expect_eq "after the transition" "$(show)" "a: v2 b: original c: v2 "
unload_lp $V1
disable_lp $V2
unload_lp $V2
unload_mod $T
