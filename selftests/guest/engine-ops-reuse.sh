#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The ftrace ops of a finished transition are unregistered outside the
# engine's lock, each after an RCU-tasks grace period, by the teardown work
# or by the GOING notification of whatever module is being removed.  While
# an unrelated module is loaded and removed in a loop, a patch of the 48
# functions of klpx_target_many is enabled, disabled, removed and loaded
# again at once, OPS_ROUNDS times (default 3; make soak runs 12).  Every
# enable must find the old ops gone or reusable: ftrace refuses (-EBUSY) a
# second ops on a function whose first is still being unregistered.  This
# races, so a short run can miss a regression that a soak run catches.
#
# klpx-test: timeout 600
set -e
. /klpx/selftests/lib.sh

T=klpx_target_many
P=patch_many
CHURN=klpx_target_basic
ROUNDS=${OPS_ROUNDS:-3}

load_engine
load_mod $T
rm -f /tmp/churn-stop
(
	while [ ! -e /tmp/churn-stop ]; do
		insmod "$(module_path $CHURN)" 2>/dev/null || true
		rmmod $CHURN 2>/dev/null || true
	done
) &
churn=$!

round=1
while [ $round -le $ROUNDS ]; do
	load_lp $P
	expect_eq "/proc/$T, round $round patched" "$(read_file /proc/$T)" 49128
	disable_lp $P
	expect_eq "/proc/$T, round $round unpatched" "$(read_file /proc/$T)" 1128
	unload_lp $P
	round=$((round + 1))
done

touch /tmp/churn-stop
wait $churn
is_mod_loaded $CHURN && unload_mod $CHURN
unload_mod $T
echo "$ROUNDS rounds of enable, disable and removal while modules come and go"
