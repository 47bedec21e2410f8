#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Bad input gets one clear line on stderr, the right exit status, and
# leaves the system as it was: a missing file, a file that is not a
# module, a module that is not a patch, a patch for the kernel's own
# livepatch, a patch whose enable fails (the kernel's reason follows the
# line), a missing engine, the revert of an unknown patch, an apply during
# another transition, and an unknown option.  Some also in JSON.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
S=$KLPX_ROOT/samples
OUT=/tmp/loader_bad_input

# refused STATUS PATTERN CMD...: CMD exits with STATUS and writes exactly
# one line on stderr, "loader: ..." matching PATTERN, and nothing on stdout.
refused()
{
	_rf_want=$1
	_rf_pattern=$2
	shift 2
	_rf_rc=0
	"$@" >$OUT.out 2>$OUT.err || _rf_rc=$?
	[ "$_rf_rc" = "$_rf_want" ] || fail "'$*' exited with $_rf_rc, expected $_rf_want: $(cat $OUT.err)"
	[ "$(wc -l <$OUT.err)" = 1 ] || fail "'$*' wrote $(wc -l <$OUT.err) lines on stderr: $(cat $OUT.err)"
	[ ! -s $OUT.out ] || fail "'$*' wrote on stdout: $(cat $OUT.out)"
	grep -q "^loader: $_rf_pattern" $OUT.err || fail "'$*' said: $(cat $OUT.err)"
	cat $OUT.err
}

# clean: no patch, no module but the engine (if loaded) and the targets.
clean()
{
	[ -z "$(ls /sys/kernel/klpx 2>/dev/null)" ] || fail "$1 left a patch: $(ls /sys/kernel/klpx)"
	_cl_mods=$(cut -d' ' -f1 /proc/modules | grep -vx -e klpx -e klpx_sleeper | xargs)
	[ -z "$_cl_mods" ] || fail "$1 left modules loaded: $_cl_mods"
}

# Before the engine is loaded: files refused without loading anything.
refused 1 "cannot read /klpx/nope.ko: No such file or directory" "$L" apply /klpx/nope.ko
refused 1 "/klpx/selftests/lib.sh is not a kernel module (not an ELF file)" \
	"$L" apply /klpx/selftests/lib.sh
refused 1 "$S/klpx_sleeper.ko (klpx_sleeper) is a kernel module but not a klpx patch" \
	"$L" apply "$S/klpx_sleeper.ko"
refused 1 ".*/native_hold.ko (native_hold) is a patch for the kernel's own livepatch, not for klpx" \
	"$L" apply "$KLPX_ROOT/selftests/modules/native_hold.ko"
refused 1 ".*/bad_unmarked.ko (bad_unmarked) is not marked as a live patch; nothing was loaded: add KLPX_PATCH_MODULE_INFO();" \
	"$L" apply "$KLPX_ROOT/selftests/modules/bad_unmarked.ko"
is_mod_loaded klpx && fail "refusing a file loaded the engine"
clean "refusing files"

# A missing engine: a loader without kernel/klpx.ko beside it, no modprobe.
mkdir -p /tmp/loader_alone
cp "$L" /tmp/loader_alone/loader
refused 1 "the klpx engine is not loaded and cannot be found .*pass --engine PATH" \
	/tmp/loader_alone/loader apply "$S/klpx_demo_v1.ko"
refused 1 "cannot load the klpx engine from /nope/klpx.ko: No such file or directory" \
	"$L" apply --engine /nope/klpx.ko "$S/klpx_demo_v1.ko"
rm -rf /tmp/loader_alone
clean "a missing engine"

# Usage errors.
refused 64 "unknown option '--frobnicate'" "$L" apply --frobnicate "$S/klpx_demo_v1.ko"
refused 64 "unknown command 'aply'" "$L" aply "$S/klpx_demo_v1.ko"
refused 64 "--on-timeout takes revert, wait or force, not 'never'" \
	"$L" apply --on-timeout never "$S/klpx_demo_v1.ko"
"$L" -j apply --frobnicate x.ko >$OUT.json 2>/dev/null && fail "a usage error succeeded in JSON mode"
"$JSONQ" .error $OUT.json | grep -q "unknown option '--frobnicate'" || fail "no JSON error: $(cat $OUT.json)"

load_engine
refused 1 "no klpx patch or module named 'nosuch' is loaded" "$L" revert nosuch
"$L" -j revert nosuch >$OUT.json 2>/dev/null && fail "revert of an unknown patch succeeded"
"$JSONQ" $OUT.json >/dev/null || fail "revert -j error is not JSON: $(cat $OUT.json)"
"$JSONQ" .error $OUT.json | grep -q "no klpx patch or module named 'nosuch'" || fail "no JSON error"

# An enable the engine refuses, with the kernel's reason: v2 cannot
# replace v3, which has a state v2 does not know.
load_lp klpx_demo_v3
rc=0
"$L" apply "$S/klpx_demo_v2.ko" >$OUT.out 2>$OUT.err || rc=$?
cat $OUT.err
expect_eq "apply of an incompatible patch" $rc 1
expect_eq "first line" "$(head -n 1 $OUT.err)" \
	"loader: loading klpx_demo_v2 failed: Invalid argument; a loaded patch changed a system state that this patch does not handle, or handles at an older version: revert that patch, or apply one that handles the state; the kernel said:"
grep -qx "  klpx: Livepatch patch (klpx_demo_v2) is not compatible with the already installed livepatches." \
	$OUT.err || fail "the kernel's reason is not printed"
is_mod_loaded klpx_demo_v2 && fail "the refused patch's module is loaded"
check_sysfs_value klpx_demo_v3 enabled 1
"$L" -j apply "$S/klpx_demo_v2.ko" >$OUT.json 2>/dev/null && fail "apply -j of an incompatible patch succeeded"
expect_eq "JSON result" "$("$JSONQ" .result $OUT.json)" failed
"$JSONQ" .kernel_log $OUT.json | grep -q "not compatible" || fail "no kernel_log in JSON: $(cat $OUT.json)"
disable_lp klpx_demo_v3
unload_lp klpx_demo_v3

# A pre_patch callback that refuses.
rc=0
"$L" apply "$S/klpx_callbacks_demo.ko" refuse=1 >$OUT.out 2>$OUT.err || rc=$?
cat $OUT.err
expect_eq "apply with a refusing callback" $rc 1
grep -qx "loader: loading klpx_callbacks_demo failed: Device or resource busy; the kernel said:" $OUT.err ||
	fail "no error line"
grep -qx "  klpx: pre-patch callback failed for object 'vmlinux'" $OUT.err || fail "no kernel reason"
clean "a refused enable"

# An apply while another transition runs.
load_mod klpx_sleeper
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
load_lp_nowait klpx_sleeper_fix
refused 1 "patch 'klpx_sleeper_fix' is in transition; wait for it" "$L" apply "$S/klpx_demo_v1.ko"
is_mod_loaded klpx_demo_v1 && fail "apply during a transition loaded the module"
check_sysfs_value klpx_sleeper_fix transition 1
echo release >/proc/klpx_sleeper
wait_transition_done klpx_sleeper_fix
disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
unload_mod klpx_sleeper
clean "the test"
rm -f $OUT.*
