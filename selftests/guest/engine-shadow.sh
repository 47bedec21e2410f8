#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# klpx's own shadow variables (no CONFIG_LIVEPATCH needed): shadow_api
# checks the corners of the API from its init function (a duplicate alloc
# returns NULL and klpx logs it without a WARN, a failing constructor leaves
# nothing, get_or_alloc finds existing data, destructors run once, GFP_ATOMIC
# under a spinlock works).  With leave=3 it leaves three variables behind,
# which removing the engine must free, and say so.
set -e
. /klpx/selftests/lib.sh

M=shadow_api

load_engine
log_mark
load_mod $M
unload_mod $M
load_mod $M leave=3
unload_mod $M
unload_engine

# klpx's messages carry hashed addresses: checked apart, by shape.
new_log_lines $M | sed 's/<[0-9a-fx]*, /<PTR, /' >/tmp/shadow.log
check_log_except 'shadow variable <' $M <<EXPECTED
% insmod $M
$M: alloc: ok
$M: duplicate alloc returns NULL: ok
$M: get_or_alloc finds the existing data: ok
$M: failing constructor leaves nothing: ok
$M: no constructor: zeroed data: ok
$M: GFP_ATOMIC under a spinlock: ok
$M: free_all: one destructor call per object: ok
$M: free_all leaves other ids: ok
$M: free: destructor once, second free is a no-op: ok
% rmmod $M
% insmod $M leave=3
$M: alloc: ok
$M: duplicate alloc returns NULL: ok
$M: get_or_alloc finds the existing data: ok
$M: failing constructor leaves nothing: ok
$M: no constructor: zeroed data: ok
$M: GFP_ATOMIC under a spinlock: ok
$M: free_all: one destructor call per object: ok
$M: free_all leaves other ids: ok
$M: free: destructor once, second free is a no-op: ok
% rmmod $M
% rmmod klpx
klpx: freed 3 shadow variables left behind by patches
EXPECTED
expect_eq "duplicate-alloc messages" "$(grep -c '^klpx: duplicate shadow variable <PTR, 1>$' /tmp/shadow.log)" 2
expect_eq "failed-constructor messages" "$(grep -c '^klpx: failed to construct shadow variable' /tmp/shadow.log)" 2
rm -f /tmp/shadow.log
