#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A cumulative series with atomic replace, on klpx_target_funcs:
# cumulative_v1 patches a and b; cumulative_v2 replaces it and patches a
# (again) and c, but no longer b.  After v2:
#  - a runs v2's version, b the original, c v2's version;
#  - b has no ftrace user left (not in enabled_functions);
#  - v1 is gone from sysfs and its module can be removed without "echo 0";
#  - only v2's callbacks ran, none of v1's.
# Then v1 loaded again downgrades: a and b run v1's versions, c the
# original again.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_funcs
V1=cumulative_v1
V2=cumulative_v2
ENABLED=/sys/kernel/tracing/enabled_functions

show() { read_file /proc/$T/show | tr '\n' ' '; }
has_ftrace_user() { grep -q "^$1 " $ENABLED; }

load_mod $T
expect_eq "before any patch" "$(show)" "a: original b: original c: original "

log_mark
load_lp $V1
expect_eq "with $V1" "$(show)" "a: v1 b: v1 c: original "
check_sysfs_value $V1 replace 1
has_ftrace_user klpx_target_a || fail "klpx_target_a has no ftrace user with $V1"
has_ftrace_user klpx_target_b || fail "klpx_target_b has no ftrace user with $V1"

load_lp $V2
expect_eq "with $V2" "$(show)" "a: v2 b: original c: v2 "
loop_until "! is_patch_present $V1" 3
loop_until "! has_ftrace_user klpx_target_b" 3
has_ftrace_user klpx_target_a || fail "klpx_target_a has no ftrace user with $V2"
has_ftrace_user klpx_target_c || fail "klpx_target_c has no ftrace user with $V2"
[ "$(ls $KLPX_SYSFS)" = $V2 ] || fail "patches in sysfs after the replace: $(ls $KLPX_SYSFS)"
unload_lp $V1

# Downgrade.
load_lp $V1
expect_eq "after the downgrade to $V1" "$(show)" "a: v1 b: v1 c: original "
loop_until "! is_patch_present $V2" 3
loop_until "! has_ftrace_user klpx_target_c" 3
loop_until "! has_ftrace_user klpx_target_funcs_hold" 3
unload_lp $V2

disable_lp $V1
unload_lp $V1
expect_eq "after disabling $V1" "$(show)" "a: original b: original c: original "
loop_until "! has_ftrace_user klpx_target_a && ! has_ftrace_user klpx_target_b" 3
unload_mod $T

check_log cumulative_ <<EXPECTED
% insmod $V1
klpx: enabling patch '$V1'
klpx: '$V1': initializing patching transition
$V1: pre_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V1': starting patching transition
klpx: '$V1': completing patching transition
$V1: post_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V1': patching complete
% insmod $V2
klpx: enabling patch '$V2'
klpx: '$V2': initializing patching transition
$V2: pre_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V2': starting patching transition
klpx: '$V2': completing patching transition
$V2: post_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V2': patching complete
% rmmod $V1
% insmod $V1
klpx: enabling patch '$V1'
klpx: '$V1': initializing patching transition
$V1: pre_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V1': starting patching transition
klpx: '$V1': completing patching transition
$V1: post_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V1': patching complete
% rmmod $V2
% echo 0 > /sys/kernel/klpx/$V1/enabled
klpx: '$V1': initializing unpatching transition
$V1: pre_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V1': starting unpatching transition
klpx: '$V1': completing unpatching transition
$V1: post_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V1': unpatching complete
% rmmod $V1
% rmmod $T
EXPECTED
