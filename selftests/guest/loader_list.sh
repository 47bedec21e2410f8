#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# loader list, in text and JSON: without the engine, with no patch, and
# with two patches, one of them a replace patch and the other held in its
# transition by the klpx_sleeper kthread.
set -e
. /klpx/selftests/lib.sh

L=$KLPX_ROOT/loader
JSONQ=$KLPX_ROOT/bin/jsonq
OUT=/tmp/loader_list

json_is()
{
	_ji=$("$JSONQ" "$2" "$1") || fail "$1 has no $2: $(cat "$1")"
	[ "$_ji" = "$3" ] || fail "$1: $2 is '$_ji', expected '$3'"
}

expect_eq "list without the engine" "$("$L" list)" "no klpx patches (the klpx engine is not loaded)"
"$L" -j list >$OUT.json
json_is $OUT.json .engine_loaded false
json_is $OUT.json .patches "[]"

load_engine
expect_eq "list with no patch" "$("$L" list)" "no klpx patches"

load_mod klpx_sleeper
echo hold >/proc/klpx_sleeper
loop_until 'grep -q "napping: yes" /proc/klpx_sleeper'
load_lp klpx_demo_v1
load_lp_nowait klpx_sleeper_fix

"$L" list >$OUT.txt
cat $OUT.txt
expect_eq "list lines" "$(wc -l <$OUT.txt)" 3
grep -qx "PATCH  *ENABLED  *TRANSITION  *REPLACE" $OUT.txt || fail "no header line"
grep -qx "klpx_demo_v1  *yes  *no  *yes" $OUT.txt || fail "wrong line for klpx_demo_v1"
grep -qx "klpx_sleeper_fix  *yes  *yes  *no" $OUT.txt || fail "wrong line for klpx_sleeper_fix"

"$L" -j list >$OUT.json
cat $OUT.json
json_is $OUT.json .engine_loaded true
expect_eq "patches" "$("$JSONQ" -l .patches $OUT.json)" 2
json_is $OUT.json .patches[0].name klpx_demo_v1
json_is $OUT.json .patches[0].enabled true
json_is $OUT.json .patches[0].transition false
json_is $OUT.json .patches[0].replace true
json_is $OUT.json .patches[1].name klpx_sleeper_fix
json_is $OUT.json .patches[1].transition true
json_is $OUT.json .patches[1].replace false

echo release >/proc/klpx_sleeper
wait_transition_done klpx_sleeper_fix
disable_lp klpx_sleeper_fix
unload_lp klpx_sleeper_fix
disable_lp klpx_demo_v1
unload_lp klpx_demo_v1
unload_mod klpx_sleeper
rm -f $OUT.*
