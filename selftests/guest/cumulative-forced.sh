#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A forced cumulative replace: cumulative_forced_v2 replaces
# cumulative_forced_v1 while klpx_target_funcs's holder holds the
# transition; forcing completes it at once.  The documented restriction
# then holds: the replaced patch's module can never be removed (a task may
# still run its code), while the forced patch itself can still be disabled
# and removed.
#
# The pinned module cannot go the normal way, so the test removes it at the
# end with "rmmod -f" (the kernel allows forced unloads), after checking the
# restriction: nothing runs its code, and the guest is otherwise clean.  It
# gets a boot of its own all the same, since that forced unload taints it.
# klpx-test: own-boot
set -e
. /klpx/selftests/lib.sh

T=klpx_target_funcs
V1=cumulative_forced_v1
V2=cumulative_forced_v2

show() { read_file /proc/$T/show | tr '\n' ' '; }

load_mod $T hold=1
log_mark
load_lp $V1
load_lp_nowait $V2
check_transition_stays $V2 1
log "% echo 1 > $(patch_dir $V2)/force"
echo 1 >"$(patch_dir $V2)/force"
wait_transition_done $V2 3
loop_until "! is_patch_present $V1" 3
expect_eq "after the forced replace" "$(show)" "a: v2 b: original c: v2 "

# The replaced module stays pinned.
check_transition_refcnt_stays()
{
	_n=20
	while [ $_n -gt 0 ]; do
		[ "$(cat /sys/module/$V1/refcnt)" != 0 ] ||
			fail "$V1's refcnt dropped to 0 after a forced replace"
		sleep 0.1
		_n=$((_n - 1))
	done
}
check_transition_refcnt_stays
log "% rmmod $V1"
if rmmod $V1 2>/dev/null; then
	fail "$V1 could be removed after a forced replace"
fi
is_mod_loaded $V1 || fail "$V1 is gone"

# The forced patch stays removable.
echo 1 >/proc/$T/release
disable_lp $V2
unload_lp $V2
expect_eq "after disabling $V2" "$(show)" "a: original b: original c: original "

# Clean up what the restriction leaves behind (not logged: rmmod -f is no
# part of the scenario), before anything else can fail.
rmmod -f $V1 || fail "rmmod -f $V1 failed"
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
% echo 1 > /sys/kernel/klpx/$V2/force
klpx: forcing remaining tasks to the patched state
klpx: '$V2': completing patching transition
$V2: post_patch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V2': patching complete
% rmmod $V1
% echo 0 > /sys/kernel/klpx/$V2/enabled
klpx: '$V2': initializing unpatching transition
$V2: pre_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V2': starting unpatching transition
klpx: '$V2': completing unpatching transition
$V2: post_unpatch_callback: $T -> [MODULE_STATE_LIVE] Normal state
klpx: '$V2': unpatching complete
% rmmod $V2
% rmmod $T
EXPECTED
