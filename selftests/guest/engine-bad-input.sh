#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Bad input: each case gets one clear error, and nothing else changes (no
# patch left in sysfs, no module left loaded, the patched files unchanged):
#  1. a patch of a function that does not exist;
#  2. a patch of a notrace function, and of an inlined one (no symbol);
#  3. a second patch under a name already registered, or the same patch
#     enabled twice;
#  4. an enable while another patch's transition runs;
#  5. a patch module not marked as a livepatch module;
#  6. rmmod klpx while a patch is loaded.
set -e
. /klpx/selftests/lib.sh

U=klpx_target_untraceable
T=klpx_target_consistency
DUP=bad_duplicate_name

cmdline=$(read_file /proc/cmdline)
meminfo_head=$(head -n 1 /proc/meminfo)

# nothing_changed: no patch, the vmlinux files as they were.
nothing_changed()
{
	[ -z "$(ls $KLPX_SYSFS)" ] || fail "patches left in sysfs: $(ls $KLPX_SYSFS)"
	expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$cmdline"
	expect_eq "/proc/meminfo" "$(head -n 1 /proc/meminfo)" "$meminfo_head"
}

load_engine
load_mod $U
untraceable=$(read_file /proc/$U)

log_mark
# --- 1, 2: functions that cannot be patched
load_mod_expect_error "Invalid argument" bad_missing_symbol
load_mod_expect_error "Invalid argument" bad_notrace
load_mod_expect_error "Invalid argument" bad_inlined
expect_eq "/proc/$U" "$(read_file /proc/$U)" "$untraceable"
nothing_changed

# --- 5: not marked as a livepatch module
load_mod_expect_error "Invalid argument" bad_unmarked
nothing_changed
unload_mod $U

check_log <<EXPECTED
% insmod bad_missing_symbol
klpx: symbol 'klpx_no_such_function' not found in symbol table
% insmod: ERROR: could not insert 'bad_missing_symbol': Invalid argument
% insmod bad_notrace
klpx: enabling patch 'bad_notrace'
klpx: 'bad_notrace': initializing patching transition
klpx: function 'klpx_target_notrace_func' cannot be traced by ftrace (-22): it is notrace, inlined or not a function entry
klpx: failed to patch object '$U'
klpx: failed to enable patch 'bad_notrace'
klpx: 'bad_notrace': canceling patching transition, going to unpatch
klpx: 'bad_notrace': completing unpatching transition
klpx: 'bad_notrace': unpatching complete
% insmod: ERROR: could not insert 'bad_notrace': Invalid argument
% insmod bad_inlined
klpx: symbol 'klpx_target_inlined_func' not found in symbol table
% insmod: ERROR: could not insert 'bad_inlined': Invalid argument
% insmod bad_unmarked
klpx: module bad_unmarked is not marked as a livepatch module
% insmod: ERROR: could not insert 'bad_unmarked': Invalid argument
% rmmod $U
EXPECTED

# --- 3: duplicate names
log_mark
load_lp $DUP
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$DUP: this has been live patched"
expect_eq "/proc/meminfo" "$(head -n 1 /proc/meminfo)" "$meminfo_head"
expect_eq "patches in sysfs" "$(ls $KLPX_SYSFS)" "$DUP"
disable_lp $DUP
unload_lp $DUP
nothing_changed
load_lp $DUP again=1
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$DUP: this has been live patched"
expect_eq "patches in sysfs" "$(ls $KLPX_SYSFS)" "$DUP"
disable_lp $DUP
unload_lp $DUP
nothing_changed

# The first patch's transition may complete before or after the module's
# init makes its second attempt: leave those lines out (load_lp waited for
# the transition to complete).
check_log_except "'$DUP': (completing patching transition|patching complete)\$" $DUP <<EXPECTED
% insmod $DUP
klpx: enabling patch '$DUP'
klpx: '$DUP': initializing patching transition
klpx: '$DUP': starting patching transition
klpx: patch '$DUP' is already registered
$DUP: second patch with the same name: -17
% echo 0 > /sys/kernel/klpx/$DUP/enabled
klpx: '$DUP': initializing unpatching transition
klpx: '$DUP': starting unpatching transition
klpx: '$DUP': completing unpatching transition
klpx: '$DUP': unpatching complete
% rmmod $DUP
% insmod $DUP again=1
klpx: enabling patch '$DUP'
klpx: '$DUP': initializing patching transition
klpx: '$DUP': starting patching transition
klpx: patch '$DUP' is already registered
$DUP: first patch again: -17
% echo 0 > /sys/kernel/klpx/$DUP/enabled
klpx: '$DUP': initializing unpatching transition
klpx: '$DUP': starting unpatching transition
klpx: '$DUP': completing unpatching transition
klpx: '$DUP': unpatching complete
% rmmod $DUP
EXPECTED

# --- 4: an enable during another patch's transition
load_mod $T sleeper=1
log_mark
load_lp_nowait patch_consistency
check_transition_stays patch_consistency 1
load_mod_expect_error "Device or resource busy" patch_cmdline
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "$cmdline"
check_sysfs_value patch_consistency transition 1
echo N >/sys/module/$T/parameters/sleeper_hold
wait_transition_done patch_consistency 3
disable_lp patch_consistency
unload_lp patch_consistency
unload_mod $T
nothing_changed

check_log <<EXPECTED
% insmod patch_consistency
klpx: enabling patch 'patch_consistency'
klpx: 'patch_consistency': initializing patching transition
klpx: 'patch_consistency': starting patching transition
% insmod patch_cmdline
klpx: cannot enable patch 'patch_cmdline': patch 'patch_consistency' is in transition; wait for it or reverse it first
% insmod: ERROR: could not insert 'patch_cmdline': Device or resource busy
klpx: 'patch_consistency': completing patching transition
klpx: 'patch_consistency': patching complete
% echo 0 > /sys/kernel/klpx/patch_consistency/enabled
klpx: 'patch_consistency': initializing unpatching transition
klpx: 'patch_consistency': starting unpatching transition
klpx: 'patch_consistency': completing unpatching transition
klpx: 'patch_consistency': unpatching complete
% rmmod patch_consistency
% rmmod $T
EXPECTED

# --- 6: removing the engine under a patch
load_lp patch_cmdline
if err=$(rmmod klpx 2>&1); then
	fail "rmmod klpx succeeded with a patch loaded"
fi
is_mod_loaded klpx || fail "klpx is gone after a refused rmmod"
check_sysfs_value patch_cmdline enabled 1
expect_eq "/proc/cmdline" "$(read_file /proc/cmdline)" "patch_cmdline: this has been live patched"
[ -d /sys/module/klpx/parameters ] || fail "klpx's parameters are gone"
disable_lp patch_cmdline
unload_lp patch_cmdline
nothing_changed
