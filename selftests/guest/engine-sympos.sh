#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# old_sympos: vmlinux has two static functions named m_show, the show
# function of /proc/modules (position 1 in kallsyms order) and of
# /proc/mounts (position 2).  patch_sympos patches the one at position
# "sympos"; its new version prints "klpx patched m_show" per record.
#  - sympos=2 changes /proc/mounts only, sympos=1 /proc/modules only;
#  - sympos=3 (no such position) and sympos=0 (the name is ambiguous) are
#    refused with one clear message, and nothing changes.
set -e
. /klpx/selftests/lib.sh

P=patch_sympos
MARK="klpx patched m_show"

is_changed() { grep -q "$MARK" "$1"; }

load_engine

log_mark
load_lp $P sympos=2
is_changed /proc/mounts || fail "sympos=2 did not change /proc/mounts"
is_changed /proc/modules && fail "sympos=2 changed /proc/modules"
[ -d "$(patch_dir $P)/vmlinux/m_show,2" ] || fail "no function directory vmlinux/m_show,2"
disable_lp $P
unload_lp $P
is_changed /proc/mounts && fail "/proc/mounts still changed after disable"

load_lp $P sympos=1
is_changed /proc/modules || fail "sympos=1 did not change /proc/modules"
is_changed /proc/mounts && fail "sympos=1 changed /proc/mounts"
[ -d "$(patch_dir $P)/vmlinux/m_show,1" ] || fail "no function directory vmlinux/m_show,1"
disable_lp $P
unload_lp $P

load_mod_expect_error "Invalid argument" $P sympos=3
load_mod_expect_error "Invalid argument" $P sympos=0
is_changed /proc/mounts && fail "/proc/mounts changed by a refused patch"
is_changed /proc/modules && fail "/proc/modules changed by a refused patch"
is_patch_present $P && fail "$P is in sysfs after a refused load"

check_log <<EXPECTED
% insmod $P sympos=2
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
% insmod $P sympos=1
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
% insmod $P sympos=3
klpx: symbol position 3 for symbol 'm_show' in object 'vmlinux' not found
% insmod: ERROR: could not insert '$P': Invalid argument
% insmod $P sympos=0
klpx: unresolvable ambiguity for symbol 'm_show' in object 'vmlinux'
% insmod: ERROR: could not insert '$P': Invalid argument
EXPECTED
