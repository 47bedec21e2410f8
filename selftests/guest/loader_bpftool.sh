#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# While loader apply runs, `bpftool prog show` lists its programs: every
# name starts with klpx_, and each carries the patch and the loader version
# in its metadata.  Without --trace, nothing runs per task switched:
# klpx_switched is not even loaded.  Once the loader has exited, no klpx_
# program is left.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
S=$KLPX_ROOT/samples
OUT=/tmp/loader_bpftool

bpftool prog show | grep -q "name klpx_" && fail "klpx_ programs are loaded before the test"

load_mod klpx_sleeper
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
"$L" apply --timeout 0 "$S/klpx_sleeper_fix.ko" >$OUT.txt 2>&1 &
apply=$!
loop_until "[ \"\$(cat /sys/kernel/klpx/klpx_sleeper_fix/transition 2>/dev/null)\" = 1 ]"

bpftool prog show >$OUT.progs
cat $OUT.progs
for prog in klpx_tr_start klpx_tr_end klpx_pass klpx_blocked klpx_signal klpx_force \
	klpx_reverse klpx_fork klpx_exit klpx_old_tasks; do
	grep -q "name $prog " $OUT.progs || fail "bpftool does not list $prog"
done
grep -q "name klpx_switched " $OUT.progs && fail "klpx_switched is loaded without --trace"

names=$(sed -n 's/.* name \([^ ]*\) .*/\1/p' $OUT.progs | grep klpx || true)
expect_eq "programs named klpx_*" "$(echo "$names" | wc -l)" 10
expect_eq "programs with the patch in their metadata" \
	"$(grep -c 'patch = "klpx_sleeper_fix"' $OUT.progs)" 10
expect_eq "programs with the loader version in their metadata" \
	"$(grep -c 'loader_version = "[0-9.]*"' $OUT.progs)" 10

echo release >/proc/klpx_sleeper
wait $apply || fail "apply exited with $?: $(cat $OUT.txt)"
bpftool prog show | grep "name klpx_" && fail "klpx_ programs are left after the loader exited"

disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
unload_mod klpx_sleeper
rm -f $OUT.*
