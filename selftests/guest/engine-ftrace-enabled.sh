#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kernel.ftrace_enabled and klpx patches (ftrace ops are PERMANENT):
#  - with ftrace_enabled=0, enabling a patch fails cleanly: one clear
#    error, no patch in sysfs, the module not loaded, nothing changed, and
#    the engine can still be removed;
#  - with ftrace_enabled=0 the engine itself refuses to load, with one
#    clear error (its kallsyms bootstrap arms a kprobe on an ftrace site);
#  - while a patch is registered, ftrace_enabled cannot be set to 0.
#
# A failed enable unregisters what it registered; a mistake there warns in
# ftrace and panics the guest, so this test gets a boot of its own.
# klpx-test: own-boot
set -e
. /klpx/selftests/lib.sh

P=patch_cmdline
SYSCTL=/proc/sys/kernel/ftrace_enabled
original=$(read_file /proc/cmdline)

trap 'echo 1 >$SYSCTL' EXIT

load_engine
log_mark
echo 0 >$SYSCTL
load_mod_expect_error "Device or resource busy" $P
is_patch_present $P && fail "$P is in sysfs after its failed load"
expect_eq "/proc/cmdline after the failed load" "$(read_file /proc/cmdline)" "$original"
grep -q cmdline_proc_show /sys/kernel/tracing/enabled_functions &&
	fail "cmdline_proc_show still has an ftrace user after the failed load"
unload_engine
load_mod_expect_error "Device or resource busy" "$KLPX_ENGINE"

echo 1 >$SYSCTL
load_engine
load_lp $P
if echo 0 2>/dev/null >$SYSCTL; then
	fail "kernel.ftrace_enabled could be set to 0 with a patch registered"
fi
expect_eq "kernel.ftrace_enabled" "$(cat $SYSCTL)" 1
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$P: this has been live patched"
disable_lp $P
unload_lp $P
# With no patch left, ftrace can be turned off again.
echo 0 >$SYSCTL || fail "kernel.ftrace_enabled cannot be set to 0 after the patch went"
echo 1 >$SYSCTL

check_log <<EXPECTED
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: failed to register ftrace handler for function 'cmdline_proc_show' (-16)
klpx: failed to patch object 'vmlinux'
klpx: failed to enable patch '$P'
klpx: '$P': canceling patching transition, going to unpatch
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% insmod: ERROR: could not insert '$P': Device or resource busy
% rmmod klpx
% insmod klpx
klpx: kernel.ftrace_enabled is 0: set it to 1, then load klpx again
% insmod: ERROR: could not insert 'klpx': Device or resource busy
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
EXPECTED
