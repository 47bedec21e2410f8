#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Patches for a function in a module (klpx_target_basic):
#  - target loaded before the patch: patched at enable;
#  - target loaded after the patch: patched as it comes, before its init;
#  - target removed while patched (reverted as it goes), then loaded again;
#  - a patch whose module object names a missing function loads while the
#    module is absent, and then refuses the module's load with a clear
#    message; nothing is left patched.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_basic
P=patch_module_obj
BAD=patch_module_obj_bad
value() { read_file /proc/$T; }

log_mark

# Target first.
load_mod $T
load_lp $P
expect_eq "/proc/$T, target loaded before the patch" "$(value)" patched
check_sysfs_value $P $T/patched 1

# Target goes and comes back.
unload_mod $T
check_sysfs_value $P $T/patched 0
load_mod $T
expect_eq "/proc/$T, target loaded again" "$(value)" patched
check_sysfs_value $P $T/patched 1
disable_lp $P
expect_eq "/proc/$T after disable" "$(value)" original
unload_lp $P
unload_mod $T

# Patch first.
load_lp $P
check_sysfs_value $P $T/patched 0
load_mod $T
expect_eq "/proc/$T, target loaded after the patch" "$(value)" patched
check_sysfs_value $P $T/patched 1
unload_mod $T
disable_lp $P
unload_lp $P

check_log $T $P <<EXPECTED
% insmod $T
$T: loaded
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
klpx: '$P': completing patching transition
klpx: '$P': patching complete
% rmmod $T
$T: unloaded
klpx: reverting patch '$P' on unloading module '$T'
% insmod $T
klpx: applying patch '$P' to loading module '$T'
$T: loaded
% echo 0 > /sys/kernel/klpx/$P/enabled
klpx: '$P': initializing unpatching transition
klpx: '$P': starting unpatching transition
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% rmmod $P
% rmmod $T
$T: unloaded
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
klpx: '$P': completing patching transition
klpx: '$P': patching complete
% insmod $T
klpx: applying patch '$P' to loading module '$T'
$T: loaded
% rmmod $T
$T: unloaded
klpx: reverting patch '$P' on unloading module '$T'
% echo 0 > /sys/kernel/klpx/$P/enabled
klpx: '$P': initializing unpatching transition
klpx: '$P': starting unpatching transition
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% rmmod $P
EXPECTED

# A broken patch for the module object.
log_mark
load_lp $BAD
check_sysfs_value $BAD $T/patched 0
load_mod_expect_error "Invalid argument" $T
[ ! -e /proc/$T ] || fail "$T's init ran although its load was refused"
disable_lp $BAD
unload_lp $BAD
load_mod $T
expect_eq "/proc/$T after the refused load" "$(value)" original
unload_mod $T

check_log $T $BAD <<EXPECTED
% insmod $BAD
klpx: enabling patch '$BAD'
klpx: '$BAD': initializing patching transition
klpx: '$BAD': starting patching transition
klpx: '$BAD': completing patching transition
klpx: '$BAD': patching complete
% insmod $T
klpx: symbol 'klpx_target_basic_missing' not found in symbol table
klpx: failed to initialize patch '$BAD' for module '$T' (-22)
klpx: patch '$BAD' failed for module '$T', refusing to load module '$T'
% insmod: ERROR: could not insert '$T': Invalid argument
% echo 0 > /sys/kernel/klpx/$BAD/enabled
klpx: '$BAD': initializing unpatching transition
klpx: '$BAD': starting unpatching transition
klpx: '$BAD': completing unpatching transition
klpx: '$BAD': unpatching complete
% rmmod $BAD
% insmod $T
$T: loaded
% rmmod $T
$T: unloaded
EXPECTED
