#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# loader revert, in text then JSON.  Text: v1 is disabled, its transition
# followed, its module removed, and the summary names the functions back
# to the original code.  JSON: after v2 replaced v1, reverting v1 only
# removes its module (result "module_removed"), and reverting v2 by its
# .ko file gives "unpatched" with the module gone.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
S=$KLPX_ROOT/samples
OUT=/tmp/loader_revert

json_is()
{
	_ji=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	[ "$_ji" = "$3" ] || fail "$1: $2 is '$_ji', expected '$3'"
}

cmdline=$(read_file /proc/cmdline)
load_lp klpx_demo_v1

# Text.
"$L" revert klpx_demo_v1 >$OUT.txt 2>&1 || fail "revert failed: $(cat $OUT.txt)"
cat $OUT.txt
grep -qx "klpx_demo_v1: unpatched in [0-9.]* s; module removed" $OUT.txt || fail "no 'unpatched' line"
grep -qx "    vmlinux cmdline_proc_show" $OUT.txt || fail "cmdline_proc_show not named as back to the original"
grep -qx "    vmlinux version_proc_show" $OUT.txt || fail "version_proc_show not named as back to the original"
is_mod_loaded klpx_demo_v1 && fail "revert left the module loaded"
expect_eq /proc/cmdline "$(read_file /proc/cmdline)" "$cmdline"

# JSON, with a patch that another one replaced.
load_lp klpx_demo_v1
load_lp klpx_demo_v2
"$L" -j revert klpx_demo_v1 >$OUT.json 2>$OUT.err || fail "revert -j v1 failed: $(cat $OUT.json $OUT.err)"
cat $OUT.json
"$JSONQ" $OUT.json || fail "revert -j printed invalid JSON"
json_is $OUT.json .result module_removed
json_is $OUT.json .module_removed true
json_is $OUT.json .exit_code 0
is_mod_loaded klpx_demo_v1 && fail "the replaced patch's module is still loaded"
is_patch_present klpx_demo_v2 || fail "reverting v1 touched v2"

"$L" -j revert "$S/klpx_demo_v2.ko" >$OUT.json 2>$OUT.err || fail "revert -j v2 failed: $(cat $OUT.json $OUT.err)"
cat $OUT.json
for key in command patch module result exit_code message engine bpf bpf_error elapsed \
	tasks switch_points signals forced reversed stalled_tasks replaced_patches \
	reverted_functions module_removed kernel_log; do
	"$JSONQ" -t ".$key" $OUT.json >/dev/null || fail "revert -j has no key '$key'"
done
json_is $OUT.json .command revert
json_is $OUT.json .patch klpx_demo_v2
json_is $OUT.json .result unpatched
json_is $OUT.json .module_removed true
json_is $OUT.json .reverted_functions[0].function cmdline_proc_show
is_mod_loaded klpx_demo_v2 && fail "revert left v2's module loaded"
is_patch_present klpx_demo_v2 && fail "v2 is still in sysfs"
expect_eq /proc/cmdline "$(read_file /proc/cmdline)" "$cmdline"
rm -f $OUT.*
