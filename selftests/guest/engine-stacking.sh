#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Two non-replace patches on the same function stack: the newer one wins,
# disabling it brings the older one back, and disabling that one brings the
# original back.
set -e
. /klpx/selftests/lib.sh

P1=patch_cmdline
P2=patch_cmdline2
original=$(read_file /proc/cmdline)

log_mark
load_lp $P1
expect_eq "/proc/cmdline with $P1" "$(read_file /proc/cmdline)" "$P1: this has been live patched"
load_lp $P2
expect_eq "/proc/cmdline with $P1 and $P2" "$(read_file /proc/cmdline)" "$P2: this has been live patched"
check_sysfs_value $P1 enabled 1
check_sysfs_value $P2 enabled 1

disable_lp $P2
expect_eq "/proc/cmdline after disabling $P2" "$(read_file /proc/cmdline)" "$P1: this has been live patched"
unload_lp $P2
expect_eq "/proc/cmdline after removing $P2" "$(read_file /proc/cmdline)" "$P1: this has been live patched"

disable_lp $P1
expect_eq "/proc/cmdline after disabling $P1" "$(read_file /proc/cmdline)" "$original"
unload_lp $P1

check_log <<EXPECTED
% insmod $P1
klpx: enabling patch '$P1'
klpx: '$P1': initializing patching transition
klpx: '$P1': starting patching transition
klpx: '$P1': completing patching transition
klpx: '$P1': patching complete
% insmod $P2
klpx: enabling patch '$P2'
klpx: '$P2': initializing patching transition
klpx: '$P2': starting patching transition
klpx: '$P2': completing patching transition
klpx: '$P2': patching complete
% echo 0 > /sys/kernel/klpx/$P2/enabled
klpx: '$P2': initializing unpatching transition
klpx: '$P2': starting unpatching transition
klpx: '$P2': completing unpatching transition
klpx: '$P2': unpatching complete
% rmmod $P2
% echo 0 > /sys/kernel/klpx/$P1/enabled
klpx: '$P1': initializing unpatching transition
klpx: '$P1': starting unpatching transition
klpx: '$P1': completing unpatching transition
klpx: '$P1': unpatching complete
% rmmod $P1
EXPECTED
