#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Basic patching through the klpx API: patch_cmdline changes what
# /proc/cmdline shows; its sysfs files have upstream's modes and values;
# disabling it brings the original back; its module then goes.  The kernel
# log must show upstream's sequence of transition messages, in order.
set -e
. /klpx/selftests/lib.sh

P=patch_cmdline
original=$(read_file /proc/cmdline)

log_mark
load_lp $P
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$P: this has been live patched"

check_sysfs_mode $P "" drwxr-xr-x
check_sysfs_mode $P enabled -rw-r--r--
check_sysfs_value $P enabled 1
check_sysfs_mode $P transition -r--r--r--
check_sysfs_value $P transition 0
check_sysfs_mode $P force --w-------
check_sysfs_mode $P replace -r--r--r--
check_sysfs_value $P replace 0
check_sysfs_mode $P vmlinux/patched -r--r--r--
check_sysfs_value $P vmlinux/patched 1
[ -d "$(patch_dir $P)/vmlinux/cmdline_proc_show,1" ] ||
	fail "no function directory vmlinux/cmdline_proc_show,1"
[ ! -d /sys/kernel/livepatch/$P ] || fail "$P shows up under /sys/kernel/livepatch"

disable_lp $P
expect_eq "/proc/cmdline after disable" "$(read_file /proc/cmdline)" "$original"
unload_lp $P

check_log $P <<EXPECTED
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
