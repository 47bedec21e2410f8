#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Upstream's sysfs selftest scenarios (test-sysfs.sh) with klp-API patches
# built against klpx: the files of a patch directory, their modes and
# values, and <object>/patched following a target module that comes and
# goes.
set -e
. /klpx/selftests/lib.sh

LP=compat_livepatch
DEMO=compat_callbacks_demo
TARGET=klpx_target_cb_mod

# --- sysfs test
log_mark
load_lp $LP
check_klpx_patch $LP
check_sysfs_mode $LP "" drwxr-xr-x
check_sysfs_mode $LP enabled -rw-r--r--
check_sysfs_value $LP enabled 1
check_sysfs_mode $LP force --w-------
check_sysfs_mode $LP transition -r--r--r--
check_sysfs_value $LP transition 0
check_sysfs_mode $LP replace -r--r--r--
check_sysfs_value $LP replace 0
check_sysfs_mode $LP vmlinux/patched -r--r--r--
check_sysfs_value $LP vmlinux/patched 1
disable_lp $LP
unload_lp $LP

check_log compat_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
klpx: '$LP': patching complete
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED

# --- sysfs test object/patched
log_mark
load_lp $DEMO
check_klpx_patch $DEMO
check_sysfs_value $DEMO $TARGET/patched 0
load_mod $TARGET
check_sysfs_value $DEMO $TARGET/patched 1
unload_mod $TARGET
check_sysfs_value $DEMO $TARGET/patched 0
disable_lp $DEMO
unload_lp $DEMO

check_log compat_ klpx_target_ <<EXPECTED
% insmod $DEMO
klpx: enabling patch '$DEMO'
klpx: '$DEMO': initializing patching transition
$DEMO: pre_patch_callback: vmlinux
klpx: '$DEMO': starting patching transition
klpx: '$DEMO': completing patching transition
$DEMO: post_patch_callback: vmlinux
klpx: '$DEMO': patching complete
% insmod $TARGET
klpx: applying patch '$DEMO' to loading module '$TARGET'
$DEMO: pre_patch_callback: $TARGET -> [MODULE_STATE_COMING] Full formed, running module_init
$DEMO: post_patch_callback: $TARGET -> [MODULE_STATE_COMING] Full formed, running module_init
$TARGET: ${TARGET}_init
% rmmod $TARGET
$TARGET: ${TARGET}_exit
$DEMO: pre_unpatch_callback: $TARGET -> [MODULE_STATE_GOING] Going away
klpx: reverting patch '$DEMO' on unloading module '$TARGET'
$DEMO: post_unpatch_callback: $TARGET -> [MODULE_STATE_GOING] Going away
% echo 0 > /sys/kernel/klpx/$DEMO/enabled
klpx: '$DEMO': initializing unpatching transition
$DEMO: pre_unpatch_callback: vmlinux
klpx: '$DEMO': starting unpatching transition
klpx: '$DEMO': completing unpatching transition
$DEMO: post_unpatch_callback: vmlinux
klpx: '$DEMO': unpatching complete
% rmmod $DEMO
EXPECTED
