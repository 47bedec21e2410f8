#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Without BPF (--no-bpf, or KLPX_NO_BPF=1) apply and revert still work
# through sysfs and debugfs: one line on stderr says what cannot be
# traced, the stall report still names the held kthread (stack from
# /proc), no BPF program is loaded, and JSON says "bpf": false with
# switch_points null.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
S=$KLPX_ROOT/samples
OUT=/tmp/loader_no_bpf

load_mod klpx_sleeper
pid=$(pid_of klpx_sleeper)
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
KLPX_NO_BPF=1 "$L" apply --stall-report 1 --timeout 0 "$S/klpx_sleeper_fix.ko" >$OUT.txt 2>$OUT.err &
apply=$!
loop_until "grep -q 'not switched after' $OUT.txt"
bpftool prog show | grep "name klpx_" && fail "BPF programs loaded despite KLPX_NO_BPF"
echo release >/proc/klpx_sleeper
wait $apply || fail "apply without BPF exited with $?: $(cat $OUT.txt $OUT.err)"
cat $OUT.err $OUT.txt
expect_eq "stderr lines" "$(wc -l <$OUT.err)" 1
grep -qx "loader: no BPF tracing (disabled by --no-bpf or KLPX_NO_BPF): progress and stalled tasks come from sysfs and debugfs, without switch points" \
	$OUT.err || fail "no line saying what cannot be traced"
grep -q "^  pid $pid klpx_sleeper (kthread): in-function at klpx_sleeper_nap+0x" $OUT.txt ||
	fail "the stall report does not name the kthread"
grep -q "^      klpx_sleeper_nap+0x" $OUT.txt || fail "no stack from /proc"
grep -qx "klpx_sleeper_fix: patched in [0-9.]* s" $OUT.txt || fail "no completion"

"$L" -j --no-bpf revert klpx_sleeper_fix >$OUT.json 2>$OUT.err || fail "revert without BPF failed: $(cat $OUT.json)"
cat $OUT.json
expect_eq result "$("$JSONQ" .result $OUT.json)" unpatched
expect_eq bpf "$("$JSONQ" .bpf $OUT.json)" false
expect_eq switch_points "$("$JSONQ" .switch_points $OUT.json)" null
"$JSONQ" .bpf_error $OUT.json | grep -q -- "--no-bpf" || fail "bpf_error does not say why"
is_mod_loaded klpx_sleeper_fix && fail "revert without BPF left the module"

unload_mod klpx_sleeper
rm -f $OUT.*
