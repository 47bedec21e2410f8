#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Upstream's callback selftest scenarios (test-callbacks.sh), all eleven,
# with klp-API patches built against klpx through compat.h.  Target modules:
# klpx_target_cb_mod (idle) and klpx_target_cb_busy (its work item can sit
# in the patched busymod_work_func).  The expected logs are upstream's with
# "livepatch:" read as "klpx:" and modprobe as insmod.
set -e
. /klpx/selftests/lib.sh

LP=compat_callbacks_demo
LP2=compat_callbacks_demo2
T=klpx_target_cb_mod
BUSY=klpx_target_cb_busy

# Upstream's set_pre_patch_ret: change the patch's pre-patch return value.
set_pre_patch_ret()
{
	log "% echo $2 > /sys/module/$1/parameters/pre_patch_ret"
	echo "$2" >"/sys/module/$1/parameters/pre_patch_ret"
}

check()
{
	check_klpx_patch "$1"
}

# --- target module before livepatch
log_mark
load_mod $T
load_lp $LP
check $LP
disable_lp $LP
unload_lp $LP
unload_mod $T

check_log compat_ klpx_target_ <<EXPECTED
% insmod $T
$T: ${T}_init
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
$LP: pre_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
$LP: post_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': patching complete
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
$LP: pre_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
$LP: post_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': unpatching complete
% rmmod $LP
% rmmod $T
$T: ${T}_exit
EXPECTED

# --- module_coming notifier
log_mark
load_lp $LP
check $LP
load_mod $T
disable_lp $LP
unload_lp $LP
unload_mod $T

check_log compat_ klpx_target_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
klpx: '$LP': patching complete
% insmod $T
klpx: applying patch '$LP' to loading module '$T'
$LP: pre_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
$LP: post_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
$T: ${T}_init
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
$LP: pre_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
$LP: post_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': unpatching complete
% rmmod $LP
% rmmod $T
$T: ${T}_exit
EXPECTED

# --- module_going notifier
log_mark
load_mod $T
load_lp $LP
check $LP
unload_mod $T
disable_lp $LP
unload_lp $LP

check_log compat_ klpx_target_ <<EXPECTED
% insmod $T
$T: ${T}_init
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
$LP: pre_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
$LP: post_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': patching complete
% rmmod $T
$T: ${T}_exit
$LP: pre_unpatch_callback: $T -> [MODULE_STATE_GOING] Going away
klpx: reverting patch '$LP' on unloading module '$T'
$LP: post_unpatch_callback: $T -> [MODULE_STATE_GOING] Going away
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED

# --- module_coming and module_going notifiers
log_mark
load_lp $LP
check $LP
load_mod $T
unload_mod $T
disable_lp $LP
unload_lp $LP

check_log compat_ klpx_target_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
klpx: '$LP': patching complete
% insmod $T
klpx: applying patch '$LP' to loading module '$T'
$LP: pre_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
$LP: post_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
$T: ${T}_init
% rmmod $T
$T: ${T}_exit
$LP: pre_unpatch_callback: $T -> [MODULE_STATE_GOING] Going away
klpx: reverting patch '$LP' on unloading module '$T'
$LP: post_unpatch_callback: $T -> [MODULE_STATE_GOING] Going away
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED

# --- target module not present
log_mark
load_lp $LP
check $LP
disable_lp $LP
unload_lp $LP

check_log compat_ klpx_target_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
klpx: '$LP': patching complete
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED

# --- pre-patch callback -ENODEV
log_mark
load_engine
load_mod $T
load_mod_expect_error "No such device" $LP pre_patch_ret=-19
is_patch_present $LP && fail "$LP is in sysfs after its failed load"
unload_mod $T

check_log compat_ klpx_target_ <<EXPECTED
% insmod $T
$T: ${T}_init
% insmod $LP pre_patch_ret=-19
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
klpx: pre-patch callback failed for object 'vmlinux'
klpx: failed to enable patch '$LP'
klpx: '$LP': canceling patching transition, going to unpatch
klpx: '$LP': completing unpatching transition
klpx: '$LP': unpatching complete
% insmod: ERROR: could not insert '$LP': No such device
% rmmod $T
$T: ${T}_exit
EXPECTED

# --- module_coming + pre-patch callback -ENODEV
log_mark
load_lp $LP
check $LP
set_pre_patch_ret $LP -19
load_mod_expect_error "No such device" $T
disable_lp $LP
unload_lp $LP

check_log compat_ klpx_target_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
klpx: '$LP': patching complete
% echo -19 > /sys/module/$LP/parameters/pre_patch_ret
% insmod $T
klpx: applying patch '$LP' to loading module '$T'
$LP: pre_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
klpx: pre-patch callback failed for object '$T'
klpx: patch '$LP' failed for module '$T', refusing to load module '$T'
% insmod: ERROR: could not insert '$T': No such device
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED

# --- multiple target modules
log_mark
load_mod $BUSY block_transition=N
load_lp $LP
check $LP
load_mod $T
unload_mod $T
disable_lp $LP
unload_lp $LP
unload_mod $BUSY

check_log compat_ klpx_target_ <<EXPECTED
% insmod $BUSY block_transition=N
$BUSY: ${BUSY}_init
$BUSY: busymod_work_func enter
$BUSY: busymod_work_func exit
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
$LP: pre_patch_callback: $BUSY -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
$LP: post_patch_callback: $BUSY -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': patching complete
% insmod $T
klpx: applying patch '$LP' to loading module '$T'
$LP: pre_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
$LP: post_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
$T: ${T}_init
% rmmod $T
$T: ${T}_exit
$LP: pre_unpatch_callback: $T -> [MODULE_STATE_GOING] Going away
klpx: reverting patch '$LP' on unloading module '$T'
$LP: post_unpatch_callback: $T -> [MODULE_STATE_GOING] Going away
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
$LP: pre_unpatch_callback: $BUSY -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
$LP: post_unpatch_callback: $BUSY -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': unpatching complete
% rmmod $LP
% rmmod $BUSY
$BUSY: ${BUSY}_exit
EXPECTED

# --- busy target module
log_mark
load_mod $BUSY block_transition=Y
load_lp_nowait $LP
check $LP
# The transition stalls on the kworker sitting in busymod_work_func.
loop_until "[ \"\$(cat $(patch_dir $LP)/transition)\" = 1 ]"
load_mod $T
unload_mod $T
disable_lp $LP
unload_lp $LP
unload_mod $BUSY

check_log compat_ klpx_target_ <<EXPECTED
% insmod $BUSY block_transition=Y
$BUSY: ${BUSY}_init
$BUSY: busymod_work_func enter
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
$LP: pre_patch_callback: $BUSY -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': starting patching transition
% insmod $T
klpx: applying patch '$LP' to loading module '$T'
$LP: pre_patch_callback: $T -> [MODULE_STATE_COMING] Full formed, running module_init
$T: ${T}_init
% rmmod $T
$T: ${T}_exit
klpx: reverting patch '$LP' on unloading module '$T'
$LP: post_unpatch_callback: $T -> [MODULE_STATE_GOING] Going away
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': reversing transition from patching to unpatching
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
$LP: post_unpatch_callback: $BUSY -> [MODULE_STATE_LIVE] Normal state
klpx: '$LP': unpatching complete
% rmmod $LP
% rmmod $BUSY
$BUSY: busymod_work_func exit
$BUSY: ${BUSY}_exit
EXPECTED

# --- multiple livepatches
log_mark
load_lp $LP
check $LP
load_lp $LP2
check $LP2
disable_lp $LP2
disable_lp $LP
unload_lp $LP2
unload_lp $LP

check_log compat_ klpx_target_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
klpx: '$LP': patching complete
% insmod $LP2
klpx: enabling patch '$LP2'
klpx: '$LP2': initializing patching transition
$LP2: pre_patch_callback: vmlinux
klpx: '$LP2': starting patching transition
klpx: '$LP2': completing patching transition
$LP2: post_patch_callback: vmlinux
klpx: '$LP2': patching complete
% echo 0 > /sys/kernel/klpx/$LP2/enabled
klpx: '$LP2': initializing unpatching transition
$LP2: pre_unpatch_callback: vmlinux
klpx: '$LP2': starting unpatching transition
klpx: '$LP2': completing unpatching transition
$LP2: post_unpatch_callback: vmlinux
klpx: '$LP2': unpatching complete
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
$LP: pre_unpatch_callback: vmlinux
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
$LP: post_unpatch_callback: vmlinux
klpx: '$LP': unpatching complete
% rmmod $LP2
% rmmod $LP
EXPECTED

# --- atomic replace
log_mark
load_lp $LP
check $LP
load_lp $LP2 replace=1
check $LP2
loop_until "! is_patch_present $LP"
disable_lp $LP2
unload_lp $LP2
unload_lp $LP

check_log compat_ klpx_target_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
$LP: pre_patch_callback: vmlinux
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
$LP: post_patch_callback: vmlinux
klpx: '$LP': patching complete
% insmod $LP2 replace=1
klpx: enabling patch '$LP2'
klpx: '$LP2': initializing patching transition
$LP2: pre_patch_callback: vmlinux
klpx: '$LP2': starting patching transition
klpx: '$LP2': completing patching transition
$LP2: post_patch_callback: vmlinux
klpx: '$LP2': patching complete
% echo 0 > /sys/kernel/klpx/$LP2/enabled
klpx: '$LP2': initializing unpatching transition
$LP2: pre_unpatch_callback: vmlinux
klpx: '$LP2': starting unpatching transition
klpx: '$LP2': completing unpatching transition
$LP2: post_unpatch_callback: vmlinux
klpx: '$LP2': unpatching complete
% rmmod $LP2
% rmmod $LP
EXPECTED
