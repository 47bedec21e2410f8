#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Per-call cost of a patched function, klpx against the kernel's own
# livepatch.
#
# Reading /proc/bench_target/call_ns calls the tiny noinline
# bench_target_call() LOOPS times in an in-kernel loop, timed with
# local_clock() in chunks of 1024 calls with preemption off, alternating with
# chunks of bench_target_ref(), an identical function that nothing patches;
# it reports the median chunk of each, which leaves out the chunks that an
# interrupt or the host stretched.  A sample's "relative cost" is call time /
# reference time: the reference runs at the same moments, so this cancels
# the speed changes of the emulated machine, whose host runs other work.  Each round measures, one after the
# other (the two engines cannot hook one function at once):
#   unpatched  no patch;
#   klpx       bench_patch (klpx) replaces it with a copy of its own code;
#   dropped    bench_drop, a klpx cumulative replace, dropped it again
#              (measured once enabled_functions no longer lists it);
#   native     native_bench_patch, the same patch for the kernel's livepatch.
# A sample is the median of READS reads after one warm-up read (the emulator
# translates changed code anew).  The ratios klpx/native and
# dropped/unpatched are taken per round from the relative costs; the
# medians over the rounds are reported with their spread.
set -e
. /klpx/selftests/lib.sh
. /klpx/bench/lib/common.sh

RUNS=${BENCH_CALL_RUNS:-7}
LOOPS=${BENCH_CALL_LOOPS:-1000000}
READS=${BENCH_CALL_READS:-5}
T=$BENCH_TMP/call
rm -rf "$T" && mkdir -p "$T"

# sample CONFIG: measure this configuration; appends the medians of the
# reads to CONFIG.ns (ns/call), CONFIG.ref (ns/call of the reference) and
# CONFIG.rel (relative cost).
sample()
{
	read_file /proc/bench_target/call_ns >/dev/null
	for _i in $(seq "$READS"); do
		read_file /proc/bench_target/call_ns
	done >"$T/reads"
	awk '{ printf "%.4f\n", $3 / $2 }' "$T/reads" | stats | cut -d' ' -f1 >>"$T/$1.ns"
	awk '{ printf "%.4f\n", $4 / $2 }' "$T/reads" | stats | cut -d' ' -f1 >>"$T/$1.ref"
	awk '{ printf "%.5f\n", $3 / $4 }' "$T/reads" | stats | cut -d' ' -f1 >>"$T/$1.rel"
}

load_engine
load_mod bench_target loops="$LOOPS"

for round in $(seq "$RUNS"); do
	sample unpatched

	klpx_enable bench_patch
	expect_eq "klpx-patched result" "$(read_file /proc/bench_target/value)" "4 8"
	ftrace_hooks bench_target_call || fail "bench_target_call is not hooked under bench_patch"
	sample klpx

	klpx_enable bench_drop
	loop_until "! is_patch_present bench_patch"
	unload_mod bench_patch
	wait_unhooked bench_target_call
	sample dropped
	klpx_disable bench_drop
	wait_unhooked bench_target_other

	native_enable native_bench_patch
	ftrace_hooks bench_target_call || fail "bench_target_call is not hooked under native_bench_patch"
	sample native
	native_disable native_bench_patch
	wait_unhooked bench_target_call
	echo "round $round: relative cost unpatched $(tail -n1 "$T/unpatched.rel")" \
		"klpx $(tail -n1 "$T/klpx.rel") dropped $(tail -n1 "$T/dropped.rel")" \
		"native $(tail -n1 "$T/native.rel")"
done

unload_mod bench_target
unload_engine

cat "$T"/*.ref >"$T/all.ref"
ratios "$T/klpx.rel" "$T/native.rel" >"$T/klpx_native"
ratios "$T/dropped.rel" "$T/unpatched.rel" >"$T/dropped_unpatched"

# A ratio meets its target by its median, or within the spread when the
# target lies inside the range the rounds measured (the emulator's noise).
by_median()
{
	le "$(median "$1")" "$2"
}
within_spread()
{
	le "$(stats <"$1" | cut -d' ' -f2)" "$2"
}
klpx_median=$(json_bool by_median "$T/klpx_native" 1.00)
klpx_spread=$(json_bool within_spread "$T/klpx_native" 1.00)
dropped_median=$(json_bool by_median "$T/dropped_unpatched" 1.02)
dropped_spread=$(json_bool within_spread "$T/dropped_unpatched" 1.02)

row()
{
	set -- "$1" $(stats <"$2")
	printf '%-26s %10s %10s %10s %8s%%\n' "$1" "$2" "$3" "$4" "$5"
}
rule
echo "Per-call cost of a patched function: $RUNS rounds of $LOOPS calls (TCG guest)"
rule
printf '%-26s %10s %10s %10s %9s\n' "" median min max spread
for c in unpatched klpx dropped native; do
	row "$c ns/call" "$T/$c.ns"
done
row "reference ns/call" "$T/all.ref"
for c in unpatched klpx dropped native; do
	row "$c relative cost" "$T/$c.rel"
done
row "klpx / native" "$T/klpx_native"
row "dropped / unpatched" "$T/dropped_unpatched"
echo "target klpx/native <= 1.00: by median $klpx_median, within spread $klpx_spread"
echo "target dropped/unpatched <= 1.02: by median $dropped_median, within spread $dropped_spread"
rule

emit_json call_overhead "$(
	printf '{"bench":"call_overhead","rounds":%s,"calls_per_read":%s,"reads_per_sample":%s,' \
		"$RUNS" "$LOOPS" "$READS"
	printf '"method":"in-kernel loop over the noinline bench_target_call(), timed with local_clock() in chunks of 1024 calls with preemption off, alternating with chunks of an identical unpatched reference function; the median chunk of each per read; relative cost = call time / reference time; a sample is the median of the reads after a warm-up read; each round measures unpatched, klpx, dropped (klpx after a cumulative replace dropped the function) and native one after the other; ratios per round from the relative costs; median and spread (max-min)/median over the rounds",'
	printf '"ns_per_call":{"unpatched":%s,"klpx":%s,"dropped":%s,"native":%s,"reference":%s},' \
		"$(json_stats "$T/unpatched.ns")" "$(json_stats "$T/klpx.ns")" \
		"$(json_stats "$T/dropped.ns")" "$(json_stats "$T/native.ns")" \
		"$(json_stats "$T/all.ref")"
	printf '"relative_cost":{"unpatched":%s,"klpx":%s,"dropped":%s,"native":%s},' \
		"$(json_stats "$T/unpatched.rel")" "$(json_stats "$T/klpx.rel")" \
		"$(json_stats "$T/dropped.rel")" "$(json_stats "$T/native.rel")"
	printf '"ratios":{"klpx_over_native":%s,"dropped_over_unpatched":%s},' \
		"$(json_stats "$T/klpx_native")" "$(json_stats "$T/dropped_unpatched")"
	printf '"targets":{"klpx_over_native":{"max":1.00,"met_by_median":%s,"met_within_spread":%s},' \
		"$klpx_median" "$klpx_spread"
	printf '"dropped_over_unpatched":{"max":1.02,"met_by_median":%s,"met_within_spread":%s}}}' \
		"$dropped_median" "$dropped_spread")"
