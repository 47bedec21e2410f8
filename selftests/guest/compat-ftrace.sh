#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Upstream's ftrace selftest scenario (test-ftrace.sh) with a klp-API patch
# built against klpx: with kernel.ftrace_enabled=0 the patch cannot load;
# with it back at 1 it loads; while it is loaded, ftrace_enabled cannot be
# turned off.
#
# A failed enable unregisters what it registered; a mistake there warns in
# ftrace and panics the guest, so this test gets a boot of its own.
# klpx-test: own-boot
set -e
. /klpx/selftests/lib.sh

LP=compat_livepatch
SYSCTL=/proc/sys/kernel/ftrace_enabled

# set_ftrace_enabled [--fail] VALUE: as upstream's helper, logging the
# outcome; with --fail the write is expected to be refused.
set_ftrace_enabled()
{
	if [ "$1" = --fail ]; then
		if err=$(echo "$2" 2>&1 >$SYSCTL); then
			fail "kernel.ftrace_enabled could be set to $2"
		fi
		case "$err" in
		*"Device or resource busy"*) ;;
		*) fail "setting kernel.ftrace_enabled failed with '$err', expected EBUSY" ;;
		esac
		log "klpx: sysctl: setting key \"kernel.ftrace_enabled\": Device or resource busy"
		return 0
	fi
	echo "$1" >$SYSCTL || fail "cannot set kernel.ftrace_enabled to $1"
	log "klpx: kernel.ftrace_enabled = $(cat $SYSCTL)"
}

trap 'echo 1 >$SYSCTL' EXIT

# The engine needs ftrace to load; the scenario starts with it loaded.
load_engine
log_mark
set_ftrace_enabled 0
load_mod_expect_error "Device or resource busy" $LP
is_patch_present $LP && fail "$LP is in sysfs after its failed load"
set_ftrace_enabled 1
load_lp $LP
check_klpx_patch $LP
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$LP: this has been live patched"
set_ftrace_enabled --fail 0
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$LP: this has been live patched"
expect_eq "kernel.ftrace_enabled" "$(cat $SYSCTL)" 1
disable_lp $LP
unload_lp $LP

check_log compat_ <<EXPECTED
klpx: kernel.ftrace_enabled = 0
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
klpx: failed to register ftrace handler for function 'cmdline_proc_show' (-16)
klpx: failed to patch object 'vmlinux'
klpx: failed to enable patch '$LP'
klpx: '$LP': canceling patching transition, going to unpatch
klpx: '$LP': completing unpatching transition
klpx: '$LP': unpatching complete
% insmod: ERROR: could not insert '$LP': Device or resource busy
klpx: kernel.ftrace_enabled = 1
% insmod $LP
klpx: enabling patch '$LP'
klpx: '$LP': initializing patching transition
klpx: '$LP': starting patching transition
klpx: '$LP': completing patching transition
klpx: '$LP': patching complete
klpx: sysctl: setting key "kernel.ftrace_enabled": Device or resource busy
% echo 0 > /sys/kernel/klpx/$LP/enabled
klpx: '$LP': initializing unpatching transition
klpx: '$LP': starting unpatching transition
klpx: '$LP': completing unpatching transition
klpx: '$LP': unpatching complete
% rmmod $LP
EXPECTED
