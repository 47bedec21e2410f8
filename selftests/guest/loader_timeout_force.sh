#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# --on-timeout force: the klpx_sleeper kthread holds the transition, apply
# --timeout 2 forces it; exit status 3 ("completed only by force"), the
# patch is enabled with no transition left.  The forced patch's own module
# stays removable: revert works once the kthread is released.  Text, then
# JSON (result "forced").
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
S=$KLPX_ROOT/samples
OUT=/tmp/loader_timeout_force

load_mod klpx_sleeper

for mode in text json; do
	echo hold >/proc/klpx_sleeper
	loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
	rc=0
	if [ $mode = text ]; then
		"$L" apply --timeout 2 --on-timeout force "$S/klpx_sleeper_fix.ko" >$OUT.txt 2>&1 || rc=$?
		cat $OUT.txt
		grep -qx "klpx_sleeper_fix: timed out after [0-9.]* s; forcing the transition (consistency is not guaranteed)" $OUT.txt ||
			fail "no line about forcing"
		grep -q "^klpx_sleeper_fix: patched by force after" $OUT.txt || fail "no final line"
	else
		"$L" -j apply --timeout 2 --on-timeout force "$S/klpx_sleeper_fix.ko" >$OUT.json 2>$OUT.err || rc=$?
		cat $OUT.json
		expect_eq result "$("$JSONQ" .result $OUT.json)" forced
		expect_eq forced "$("$JSONQ" .forced $OUT.json)" true
		expect_eq exit_code "$("$JSONQ" .exit_code $OUT.json)" 3
	fi
	expect_eq "apply exit status ($mode)" $rc 3
	check_sysfs_value klpx_sleeper_fix enabled 1
	check_sysfs_value klpx_sleeper_fix transition 0

	echo release >/proc/klpx_sleeper
	loop_until 'grep -q "napping: no" /proc/klpx_sleeper'
	"$L" revert klpx_sleeper_fix >$OUT.txt 2>&1 || fail "revert after force failed: $(cat $OUT.txt)"
	is_mod_loaded klpx_sleeper_fix && fail "the forced patch's module is not removable"
done

unload_mod klpx_sleeper
rm -f $OUT.*
