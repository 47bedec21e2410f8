#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Patches for a module that is still in its init (state COMING), held there
# by klpx_target_basic's init_delay_ms:
#  - loaded after the engine: the engine saw it come, so a patch enabled
#    during its init patches it at once;
#  - loading when the engine came: its COMING notification may have gone by
#    before the engine was there, and then nothing would ever patch it.  The
#    enable is refused with one clear line, nothing changes, and once the
#    module is live the same patch applies.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_basic
P=patch_module_obj
value() { read_file /proc/$T; }

# start_slow_target: insmod the target with a 4 s init, in the background,
# and wait until /proc/modules shows it loading.
start_slow_target()
{
	log "% insmod $T init_delay_ms=4000 &"
	insmod "$(module_path $T)" init_delay_ms=4000 &
	slow_insmod=$!
	loop_until "grep -q '^$T .* Loading ' /proc/modules"
}

finish_slow_target()
{
	wait $slow_insmod || fail "insmod $T failed"
}

unload_engine
log_mark

# The engine first, then the target.
load_engine
start_slow_target
load_lp $P
expect_eq "/proc/$T, patch enabled during the target's init" "$(value)" patched
finish_slow_target
expect_eq "/proc/$T, target live" "$(value)" patched
disable_lp $P
unload_lp $P
unload_mod $T

# The target first, then the engine.
unload_engine
start_slow_target
load_engine
load_mod_expect_error "Device or resource busy" $P
is_patch_present $P && fail "the refused patch is registered"
finish_slow_target
expect_eq "/proc/$T after the refused patch" "$(value)" original
load_lp $P
expect_eq "/proc/$T, patch enabled once the target is live" "$(value)" patched
disable_lp $P
unload_lp $P
unload_mod $T

check_log $T $P <<EXPECTED
% insmod $T init_delay_ms=4000 &
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
klpx: '$P': completing patching transition
klpx: '$P': patching complete
$T: loaded
% echo 0 > /sys/kernel/klpx/$P/enabled
klpx: '$P': initializing unpatching transition
klpx: '$P': starting unpatching transition
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% rmmod $P
% rmmod $T
$T: unloaded
% rmmod klpx
% insmod $T init_delay_ms=4000 &
% insmod $P
klpx: module '$T' was loading when klpx was loaded; enable the patch once the module is live
% insmod: ERROR: could not insert '$P': Device or resource busy
$T: loaded
% insmod $P
klpx: enabling patch '$P'
klpx: '$P': initializing patching transition
klpx: '$P': starting patching transition
klpx: '$P': completing patching transition
klpx: '$P': patching complete
% echo 0 > /sys/kernel/klpx/$P/enabled
klpx: '$P': initializing unpatching transition
klpx: '$P': starting unpatching transition
klpx: '$P': completing unpatching transition
klpx: '$P': unpatching complete
% rmmod $P
% rmmod $T
$T: unloaded
EXPECTED
