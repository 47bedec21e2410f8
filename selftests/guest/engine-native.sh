#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# klpx and the kernel's own livepatch: while a native livepatch module
# (native_hold) is held in its transition by klpx_sleeper, sleeping in the
# function it patches, klpx refuses to start a transition of its own, with
# a clear message.  Once the native transition completes, klpx patches
# normally.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_consistency
N=native_hold
P=patch_cmdline
NATIVE=/sys/kernel/livepatch/$N

load_engine
load_mod $T sleeper=1
log_mark
load_mod $N
loop_until "[ -e $NATIVE/transition ]"
check_transition_stays_native()
{
	_n=$(( $1 * 10 ))
	while [ $_n -gt 0 ]; do
		[ "$(cat $NATIVE/transition)" = 1 ] || fail "the native transition ended while held"
		sleep 0.1
		_n=$((_n - 1))
	done
}
check_transition_stays_native 1

load_mod_expect_error "Device or resource busy" $P
is_patch_present $P && fail "$P is in sysfs after its refused load"

echo N >/sys/module/$T/parameters/sleeper_hold
loop_until "[ \"\$(cat $NATIVE/transition)\" = 0 ]"

load_lp $P
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$P: this has been live patched"
disable_lp $P
unload_lp $P

log "% echo 0 > $NATIVE/enabled"
echo 0 >$NATIVE/enabled
loop_until "[ ! -e $NATIVE ]"
unload_mod $N
unload_mod $T

check_log "livepatch: " <<EXPECTED
% insmod $N
livepatch: enabling patch '$N'
livepatch: '$N': starting patching transition
% insmod $P
klpx: cannot enable patch '$P': the kernel's own livepatch is in a transition; wait for it to complete
% insmod: ERROR: could not insert '$P': Device or resource busy
livepatch: '$N': patching complete
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
% echo 0 > $NATIVE/enabled
livepatch: '$N': starting unpatching transition
livepatch: '$N': unpatching complete
% rmmod $N
% rmmod $T
EXPECTED
