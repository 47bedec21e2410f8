#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shadow variables across a cumulative series, on klpx_target_leak, whose
# objects leak their buffers.  leakfix_v1 attaches each new object's buffer
# address in a shadow variable (the leak goes on); leakfix_v2 replaces it,
# takes those shadow variables over and frees the buffers.  Afterwards:
#  - buffers of objects created under v1 and freed under v2 are freed,
#    those of objects created before v1, or freed under v1, stay leaked;
#  - under v2 the leak has stopped;
#  - nothing is freed twice.
set -e
. /klpx/selftests/lib.sh

T=klpx_target_leak
V1=leakfix_v1
V2=leakfix_v2

stat_of() { sed -n "s/^$1 //p" /proc/$T; }
do_leak() { echo "$1 $2" >/proc/$T; }
expect_stats()
{
	expect_eq "$1: objects" "$(stat_of objects)" "$2"
	expect_eq "$1: live buffers" "$(stat_of buffers)" "$3"
	expect_eq "$1: double frees" "$(stat_of double_frees)" 0
}

load_mod $T
do_leak new 5
do_leak free 2
expect_stats "unpatched" 3 5

load_lp $V1
do_leak new 5
do_leak free 4			# 3 from before v1, 1 from v1
expect_stats "under $V1" 4 10

load_lp $V2
loop_until "! is_patch_present $V1" 3
unload_lp $V1
do_leak free 2			# 2 made under v1: their buffers go
expect_stats "under $V2, v1's objects freed" 2 8
do_leak new 3
do_leak free 5			# 2 from v1, 3 from v2
expect_stats "under $V2, all freed" 0 6
do_leak new 4
do_leak free 4
expect_stats "under $V2, no more leak" 0 6

disable_lp $V2
unload_lp $V2
unload_mod $T
