#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Upstream's livepatch selftest scenarios (test-livepatch.sh), with klp-API
# patch modules built against klpx through compat.h: basic function
# patching, two stacked patches, and an atomic-replace patch.  The expected
# logs are upstream's with "livepatch:" read as "klpx:"; every patch must
# be klpx's, not the kernel's own livepatch's.
set -e
. /klpx/selftests/lib.sh

LP=compat_livepatch
REPLACE=compat_atomic_replace

# Copy what /proc/cmdline and /proc/meminfo say about patches into the log.
log_live_patched()
{
	grep 'live patched' /proc/cmdline >/dev/kmsg || true
	grep 'live patched' /proc/meminfo >/dev/kmsg || true
}

# --- basic function patching
log_mark
load_lp $LP
check_klpx_patch $LP
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$LP: this has been live patched"
disable_lp $LP
unload_lp $LP
grep -q 'live patched' /proc/cmdline && fail "/proc/cmdline still patched after unload"

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

# --- multiple livepatches
log_mark
load_lp $LP
check_klpx_patch $LP
log_live_patched
load_lp $REPLACE replace=0
check_klpx_patch $REPLACE
log_live_patched
disable_lp $REPLACE
unload_lp $REPLACE
log_live_patched
disable_lp $LP
unload_lp $LP
log_live_patched

check_log compat_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
klpx: '$LP': patching complete
$LP: this has been live patched
% insmod $REPLACE replace=0
klpx: enabling patch '$REPLACE'
klpx: '$REPLACE': initializing patching transition
klpx: '$REPLACE': starting patching transition
klpx: '$REPLACE': completing patching transition
klpx: '$REPLACE': patching complete
$LP: this has been live patched
$REPLACE: this has been live patched
% echo 0 > /sys/kernel/klpx/$REPLACE/enabled
klpx: '$REPLACE': initializing unpatching transition
klpx: '$REPLACE': starting unpatching transition
klpx: '$REPLACE': completing unpatching transition
klpx: '$REPLACE': unpatching complete
% rmmod $REPLACE
$LP: this has been live patched
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED

# --- atomic replace livepatch
log_mark
load_lp $LP
check_klpx_patch $LP
log_live_patched
load_lp $REPLACE replace=1
check_klpx_patch $REPLACE
log_live_patched
# The replaced patch leaves sysfs by itself; its module can go at once.
loop_until "! is_patch_present $LP"
unload_lp $LP
log_live_patched
disable_lp $REPLACE
unload_lp $REPLACE
log_live_patched

check_log compat_ <<EXPECTED
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
klpx: '$LP': patching complete
$LP: this has been live patched
% insmod $REPLACE replace=1
klpx: enabling patch '$REPLACE'
klpx: '$REPLACE': initializing patching transition
klpx: '$REPLACE': starting patching transition
klpx: '$REPLACE': completing patching transition
klpx: '$REPLACE': patching complete
$REPLACE: this has been live patched
% rmmod $LP
$REPLACE: this has been live patched
% echo 0 > /sys/kernel/klpx/$REPLACE/enabled
klpx: '$REPLACE': initializing unpatching transition
klpx: '$REPLACE': starting unpatching transition
klpx: '$REPLACE': completing unpatching transition
klpx: '$REPLACE': unpatching complete
% rmmod $REPLACE
EXPECTED
