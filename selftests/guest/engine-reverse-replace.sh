#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A reversed disable of a replace patch completes as a patching transition
# of that patch, and must replace only the patches loaded before it.  A
# patch loaded after it stays enabled, registered and pinned: freeing it
# would leave its funcs on their stacks while its module can be removed.
#
#  R = klpx_sleeper_fix replace=1, then Q = patch_cmdline on top;
#  the sleeper is held inside R's function, so R's disable stalls;
#  `echo 1 > enabled` reverses it and it completes as patching.
set -e
. /klpx/selftests/lib.sh

R=klpx_sleeper_fix
Q=patch_cmdline
SLEEPER=/proc/klpx_sleeper

load_mod /klpx/samples/klpx_sleeper.ko
load_lp /klpx/samples/$R.ko replace=1
load_lp $Q
expect_eq "/proc/cmdline with $Q" "$(read_file /proc/cmdline)" "$Q: this has been live patched"

echo hold >$SLEEPER
loop_until "grep -q 'napping: yes' $SLEEPER"
echo 0 >"$(patch_dir $R)/enabled"
check_transition_stays $R 1
echo 1 >"$(patch_dir $R)/enabled"
echo release >$SLEEPER
wait_transition_done $R

is_patch_present $Q || fail "$Q left sysfs when $R's reversed transition completed"
check_sysfs_value $Q enabled 1
check_sysfs_value $R enabled 1
expect_eq "$Q's module references" "$(cat /sys/module/$Q/refcnt)" 1
expect_eq "/proc/cmdline after the reverse" "$(read_file /proc/cmdline)" "$Q: this has been live patched"

disable_lp $Q
unload_lp $Q
disable_lp $R
unload_lp $R
unload_mod klpx_sleeper
