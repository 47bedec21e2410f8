#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# loader apply, in text then JSON, on the cumulative demo series.  v1
# changes /proc/cmdline and /proc/version (both functions must be traceable
# on the reference kernel); the loader loads the engine itself.  v2
# replaces v1 and drops its /proc/version change: the JSON summary names
# the replaced patch and the function back to the original code, and
# /proc/version is the original again.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
S=$KLPX_ROOT/samples
OUT=/tmp/loader_apply

# json_is FILE PATH VALUE: the value at PATH is VALUE.
json_is()
{
	_ji=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	[ "$_ji" = "$3" ] || fail "$1: $2 is '$_ji', expected '$3'"
}

for f in cmdline_proc_show version_proc_show; do
	grep -qx "$f" /sys/kernel/tracing/available_filter_functions ||
		fail "$f is not in available_filter_functions"
done
version=$(read_file /proc/version)
is_mod_loaded klpx && fail "the engine is loaded before the test"

# Text.
"$L" apply "$S/klpx_demo_v1.ko" >$OUT.txt 2>&1 || fail "apply v1 failed: $(cat $OUT.txt)"
cat $OUT.txt
grep -qx "loaded the klpx engine from $KLPX_ROOT/kernel/klpx.ko" $OUT.txt ||
	fail "apply did not say it loaded the engine"
grep -qx "klpx_demo_v1: patched in [0-9.]* s" $OUT.txt || fail "no 'patched in' line"
grep -qx "  tasks switched: [0-9]* (stack [0-9]*.*)" $OUT.txt || fail "no switch points in the summary"
grep -q "replaced patches" $OUT.txt && fail "v1 replaced nothing, yet the summary names replaced patches"
expect_eq /proc/cmdline "$(read_file /proc/cmdline)" "klpx_demo_v1: /proc/cmdline is live patched"
case "$(read_file /proc/version)" in
*" [live patched: klpx_demo_v1]") ;;
*) fail "/proc/version is not v1's: $(read_file /proc/version)" ;;
esac

# JSON.
"$L" -j apply "$S/klpx_demo_v2.ko" >$OUT.json 2>$OUT.err || fail "apply -j v2 failed: $(cat $OUT.json $OUT.err)"
cat $OUT.json
"$JSONQ" $OUT.json || fail "apply -j printed invalid JSON"
expect_eq "JSON documents" "$("$JSONQ" -n $OUT.json)" 1
for key in command patch module result exit_code message engine bpf bpf_error elapsed \
	tasks switch_points signals forced reversed stalled_tasks replaced_patches \
	reverted_functions module_removed kernel_log; do
	"$JSONQ" -t ".$key" $OUT.json >/dev/null || fail "apply -j has no key '$key'"
done
json_is $OUT.json .command apply
json_is $OUT.json .patch klpx_demo_v2
json_is $OUT.json .module "$S/klpx_demo_v2.ko"
json_is $OUT.json .result patched
json_is $OUT.json .exit_code 0
json_is $OUT.json .bpf true
json_is $OUT.json .forced false
expect_eq "replaced patches" "$("$JSONQ" -l .replaced_patches $OUT.json)" 1
json_is $OUT.json .replaced_patches[0] klpx_demo_v1
expect_eq "reverted functions" "$("$JSONQ" -l .reverted_functions $OUT.json)" 1
json_is $OUT.json .reverted_functions[0].object vmlinux
json_is $OUT.json .reverted_functions[0].function version_proc_show
expect_eq "tasks.migrated" "$("$JSONQ" .tasks.migrated $OUT.json)" "$("$JSONQ" .tasks.total $OUT.json)"
[ "$("$JSONQ" .switch_points.stack $OUT.json)" -gt 0 ] || fail "no task switched by the stack check"
json_is $OUT.json .stalled_tasks "[]"

expect_eq "/proc/version after v2" "$(read_file /proc/version)" "$version"
expect_eq /proc/cmdline "$(read_file /proc/cmdline)" \
	"klpx_demo_v2: /proc/cmdline is live patched (v1's /proc/version change is gone)"
is_patch_present klpx_demo_v1 && fail "v1 is still in sysfs after v2 replaced it"

disable_lp klpx_demo_v2
unload_lp klpx_demo_v2
unload_lp klpx_demo_v1
rm -f $OUT.*
