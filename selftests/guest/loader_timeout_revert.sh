#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A transition that cannot finish in time is reverted: the klpx_sleeper
# kthread is held inside the patched function, apply --timeout 2 gives up,
# disables the patch, waits for that transition and removes the module.
# Exit status 2, in text and in JSON (result "reverted"), and the system
# is clean afterwards: no patch, no patch module, the original code.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
S=$KLPX_ROOT/samples
OUT=/tmp/loader_timeout_revert

load_mod klpx_sleeper
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'

rc=0
"$L" apply --timeout 2 --stall-report 1 "$S/klpx_sleeper_fix.ko" >$OUT.txt 2>&1 || rc=$?
cat $OUT.txt
expect_eq "apply exit status" $rc 2
grep -qx "klpx_sleeper_fix: timed out after [0-9.]* s; reverting (--on-timeout revert)" $OUT.txt ||
	fail "no line about reverting"
grep -qx "klpx_sleeper_fix: timed out after [0-9.]* s and was reverted; module removed" $OUT.txt ||
	fail "no final line"
is_patch_present klpx_sleeper_fix && fail "the patch is still in sysfs"
is_mod_loaded klpx_sleeper_fix && fail "the patch module is still loaded"

rc=0
"$L" -j apply --timeout 2 "$S/klpx_sleeper_fix.ko" >$OUT.json 2>$OUT.err || rc=$?
cat $OUT.json
expect_eq "apply -j exit status" $rc 2
expect_eq result "$("$JSONQ" .result $OUT.json)" reverted
expect_eq exit_code "$("$JSONQ" .exit_code $OUT.json)" 2
expect_eq module_removed "$("$JSONQ" .module_removed $OUT.json)" true
expect_eq "stalled task" "$("$JSONQ" .stalled_tasks[0].comm $OUT.json)" klpx_sleeper
is_patch_present klpx_sleeper_fix && fail "the patch is still in sysfs"
is_mod_loaded klpx_sleeper_fix && fail "the patch module is still loaded"

echo release >/proc/klpx_sleeper
loop_until 'grep -q "napping: no" /proc/klpx_sleeper'
grep -qx "last nap by: the original klpx_sleeper_nap" /proc/klpx_sleeper ||
	fail "the nap did not run the original code: $(cat /proc/klpx_sleeper)"
unload_mod klpx_sleeper
rm -f $OUT.*
