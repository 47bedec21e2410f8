#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Upstream's state selftest scenarios (test-state.sh) with klp-API
# cumulative patches built against klpx: a patch that modifies a system
# state (console_loglevel), a later patch that takes the modification
# over, compatible versions in both directions, and an incompatible
# (older-version) patch that must be refused.
set -e
. /klpx/selftests/lib.sh

LP=compat_state
LP2=compat_state2
LP3=compat_state3

loglevel() { cut -f1 /proc/sys/kernel/printk; }
initial_loglevel=$(loglevel)

# --- system state modification
log_mark
load_lp $LP
check_klpx_patch $LP
expect_eq "console_loglevel while patched" "$(loglevel)" 15
disable_lp $LP
unload_lp $LP
expect_eq "console_loglevel after disable" "$(loglevel)" "$initial_loglevel"

check_log compat_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
$LP: allocate_loglevel_state: allocating space to store console_loglevel
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
$LP: fix_console_loglevel: fixing console_loglevel
klpx: '$LP': patching complete
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
$LP: restore_console_loglevel: restoring console_loglevel
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
$LP: free_loglevel_state: freeing space for the stored console_loglevel
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED

# --- taking over system state modification
log_mark
load_lp $LP
check_klpx_patch $LP
load_lp $LP2
check_klpx_patch $LP2
loop_until "! is_patch_present $LP"
unload_lp $LP
expect_eq "console_loglevel after the take-over" "$(loglevel)" 15
disable_lp $LP2
unload_lp $LP2
expect_eq "console_loglevel after disable" "$(loglevel)" "$initial_loglevel"

check_log compat_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
$LP: allocate_loglevel_state: allocating space to store console_loglevel
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
$LP: fix_console_loglevel: fixing console_loglevel
klpx: '$LP': patching complete
% insmod $LP2
klpx: enabling patch '$LP2'
klpx: '$LP2': initializing patching transition
$LP2: pre_patch_callback: vmlinux
$LP2: allocate_loglevel_state: space to store console_loglevel already allocated
klpx: '$LP2': starting patching transition
klpx: '$LP2': completing patching transition
$LP2: post_patch_callback: vmlinux
$LP2: fix_console_loglevel: taking over the console_loglevel change
klpx: '$LP2': patching complete
% rmmod $LP
% echo 0 > /sys/kernel/klpx/$LP2/enabled
klpx: '$LP2': initializing unpatching transition
$LP2: pre_unpatch_callback: vmlinux
$LP2: restore_console_loglevel: restoring console_loglevel
klpx: '$LP2': starting unpatching transition
klpx: '$LP2': completing unpatching transition
$LP2: post_unpatch_callback: vmlinux
$LP2: free_loglevel_state: freeing space for the stored console_loglevel
klpx: '$LP2': unpatching complete
% rmmod $LP2
EXPECTED

# --- compatible cumulative livepatches
log_mark
load_lp $LP2
check_klpx_patch $LP2
load_lp $LP3
check_klpx_patch $LP3
loop_until "! is_patch_present $LP2"
unload_lp $LP2
load_lp $LP2
check_klpx_patch $LP2
loop_until "! is_patch_present $LP3"
disable_lp $LP2
unload_lp $LP2
unload_lp $LP3
expect_eq "console_loglevel after disable" "$(loglevel)" "$initial_loglevel"

check_log compat_ <<EXPECTED
% insmod $LP2
klpx: enabling patch '$LP2'
klpx: '$LP2': initializing patching transition
$LP2: pre_patch_callback: vmlinux
$LP2: allocate_loglevel_state: allocating space to store console_loglevel
klpx: '$LP2': starting patching transition
klpx: '$LP2': completing patching transition
$LP2: post_patch_callback: vmlinux
$LP2: fix_console_loglevel: fixing console_loglevel
klpx: '$LP2': patching complete
% insmod $LP3
klpx: enabling patch '$LP3'
klpx: '$LP3': initializing patching transition
$LP3: pre_patch_callback: vmlinux
$LP3: allocate_loglevel_state: space to store console_loglevel already allocated
klpx: '$LP3': starting patching transition
klpx: '$LP3': completing patching transition
$LP3: post_patch_callback: vmlinux
$LP3: fix_console_loglevel: taking over the console_loglevel change
klpx: '$LP3': patching complete
% rmmod $LP2
% insmod $LP2
klpx: enabling patch '$LP2'
klpx: '$LP2': initializing patching transition
$LP2: pre_patch_callback: vmlinux
$LP2: allocate_loglevel_state: space to store console_loglevel already allocated
klpx: '$LP2': starting patching transition
klpx: '$LP2': completing patching transition
$LP2: post_patch_callback: vmlinux
$LP2: fix_console_loglevel: taking over the console_loglevel change
klpx: '$LP2': patching complete
% echo 0 > /sys/kernel/klpx/$LP2/enabled
klpx: '$LP2': initializing unpatching transition
$LP2: pre_unpatch_callback: vmlinux
$LP2: restore_console_loglevel: restoring console_loglevel
klpx: '$LP2': starting unpatching transition
klpx: '$LP2': completing unpatching transition
$LP2: post_unpatch_callback: vmlinux
$LP2: free_loglevel_state: freeing space for the stored console_loglevel
klpx: '$LP2': unpatching complete
% rmmod $LP2
% rmmod $LP3
EXPECTED

# --- incompatible cumulative livepatches
log_mark
load_lp $LP2
check_klpx_patch $LP2
load_mod_expect_error "Invalid argument" $LP
check_sysfs_value $LP2 enabled 1
expect_eq "console_loglevel after the refused patch" "$(loglevel)" 15
disable_lp $LP2
unload_lp $LP2

check_log compat_ <<EXPECTED
% insmod $LP2
klpx: enabling patch '$LP2'
klpx: '$LP2': initializing patching transition
$LP2: pre_patch_callback: vmlinux
$LP2: allocate_loglevel_state: allocating space to store console_loglevel
klpx: '$LP2': starting patching transition
klpx: '$LP2': completing patching transition
$LP2: post_patch_callback: vmlinux
$LP2: fix_console_loglevel: fixing console_loglevel
klpx: '$LP2': patching complete
% insmod $LP
klpx: Livepatch patch ($LP) is not compatible with the already installed livepatches.
% insmod: ERROR: could not insert '$LP': Invalid argument
% echo 0 > /sys/kernel/klpx/$LP2/enabled
klpx: '$LP2': initializing unpatching transition
$LP2: pre_unpatch_callback: vmlinux
$LP2: restore_console_loglevel: restoring console_loglevel
klpx: '$LP2': starting unpatching transition
klpx: '$LP2': completing unpatching transition
$LP2: post_unpatch_callback: vmlinux
$LP2: free_loglevel_state: freeing space for the stored console_loglevel
klpx: '$LP2': unpatching complete
% rmmod $LP2
EXPECTED
