#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What the loader's tracing costs a transition.
#
# The same klpx patch (bench_patch, on bench_target) is applied four ways,
# one after the other in each round:
#   sysfs     insmod, the engine alone (nothing attached);
#   loader    loader apply --no-bpf: the loader follows through sysfs and
#             debugfs only;
#   bpf       loader apply: the loader's BPF programs are attached to the
#             engine's tracepoints (and the scheduler's) for the transition;
#             a walk costs them one run, plus one per task left behind;
#   pertask   loader apply --trace: also one program run and one ring-buffer
#             event per task switched, to print them.
# Each transition is timed from the kernel's timestamps, "starting patching
# transition" to "patching complete", and its "moving" part up to
# "completing patching transition".  The total includes the completion's RCU
# grace periods, which end sooner when user space is busy (the loader polls)
# than when the CPUs idle (insmod, then a shell that sleeps): so the engine's
# own work is timed too, the first walk over every task (a stack check and a
# switch each), with the function_graph tracer.  Scenarios: the idle guest,
# and 1000 extra sleeping threads (1000 more switches).  Ratios are taken per
# round; medians and spreads over the rounds.  The 5% target is for bpf.
# The walk's added time, bpf - sysfs in ms per round, tells a fixed cost
# per walk (the same in both scenarios) from a cost per task (growing with
# the 1000 threads).
set -e
. /klpx/selftests/lib.sh
. /klpx/bench/lib/common.sh

# A transition takes a few ms here, and the emulator's pauses are as long:
# three times the usual rounds, so a median can tell 5%.
RUNS=${BENCH_TRACING_RUNS:-$((BENCH_RUNS * 3))}
SCENARIOS=${BENCH_TRACING_SCENARIOS:-"idle sleep1000"}
WAYS="sysfs loader bpf pertask"
LOADER=/klpx/loader
T=$BENCH_TMP/tracing
rm -rf "$T" && mkdir -p "$T"

KLPX_START="klpx: 'bench_patch': starting patching transition"
KLPX_COMPLETING="klpx: 'bench_patch': completing patching transition"
KLPX_DONE="klpx: 'bench_patch': patching complete"

[ -x "$LOADER" ] || fail "no loader at $LOADER"

# apply WAY DIR: apply bench_patch the WAY way, record its times, revert.
apply()
{
	: >"$TR/trace"
	klog_mark
	case "$1" in
	sysfs)
		klpx_enable bench_patch 120
		;;
	loader)
		"$LOADER" apply --no-bpf --timeout 120 "$(module_path bench_patch)" \
			>"$T/loader.out" 2>&1 || fail "loader apply --no-bpf failed: $(tail -n 3 "$T/loader.out")"
		;;
	bpf | pertask)
		_ap_opt=
		[ "$1" = pertask ] && _ap_opt=--trace
		"$LOADER" apply $_ap_opt --timeout 120 "$(module_path bench_patch)" \
			>"$T/loader.out" 2>&1 || fail "loader apply failed: $(tail -n 3 "$T/loader.out")"
		grep -q "no BPF tracing" "$T/loader.out" &&
			fail "loader apply ran without BPF: $(cat "$T/loader.out")"
		;;
	esac
	wait_transition_done bench_patch 60
	_ap_walk=$(first_walk_ms)
	[ -n "$_ap_walk" ] || fail "no klpx_try_complete_transition call in the trace"
	echo "$_ap_walk" >>"$2/$1_walk"
	klog_ms "$KLPX_START" "$KLPX_DONE" >>"$2/$1_total"
	klog_ms "$KLPX_START" "$KLPX_COMPLETING" >>"$2/$1_moving"
	klpx_disable bench_patch
	wait_unhooked bench_target_call
}

load_engine
load_mod bench_target

for scenario in $SCENARIOS; do
	d=$T/$scenario
	mkdir -p "$d"
	case "$scenario" in
	idle) ;;
	sleep*) threads_start "${scenario#sleep}" 0 ;;
	*) fail "unknown scenario $scenario" ;;
	esac
	nr_tasks >"$d/tasks"
	graph_on
	for round in $(seq "$RUNS"); do
		for way in $WAYS; do
			apply $way "$d"
		done
		echo "$scenario round $round: total ms" \
			"$(for way in $WAYS; do printf '%s %s ' $way "$(tail -n1 "$d/${way}_total")"; done);" \
			"first walk ms" \
			"$(for way in $WAYS; do printf '%s %s ' $way "$(tail -n1 "$d/${way}_walk")"; done)"
	done
	graph_off
	for part in total moving walk; do
		ratios "$d/bpf_$part" "$d/sysfs_$part" >"$d/bpf_over_sysfs_$part"
		ratios "$d/bpf_$part" "$d/loader_$part" >"$d/bpf_over_loader_$part"
		ratios "$d/pertask_$part" "$d/sysfs_$part" >"$d/pertask_over_sysfs_$part"
	done
	paste "$d/bpf_walk" "$d/sysfs_walk" | awk '{ printf "%.4g\n", $1 - $2 }' >"$d/bpf_added_walk"
	threads_stop
done

unload_mod bench_target
unload_engine

cell()
{
	set -- $(stats <"$1")
	echo "$1 ($2-$3)"
}

rule
echo "Tracing overhead: ms, sysfs (insmod) vs loader apply --no-bpf, with BPF, and --trace"
echo "(total and moving: kernel timestamps; walk: the engine's first walk, function_graph;"
echo " median (min-max) of $RUNS rounds; TCG guest)"
rule
printf '%-10s %-7s %-20s %-20s %-20s %-20s\n' scenario part sysfs "loader --no-bpf" \
	"loader (BPF)" "loader --trace"
for scenario in $SCENARIOS; do
	d=$T/$scenario
	for part in total moving walk; do
		printf '%-10s %-7s %-20s %-20s %-20s %-20s\n' "$scenario" "$part" \
			"$(cell "$d/sysfs_$part")" "$(cell "$d/loader_$part")" \
			"$(cell "$d/bpf_$part")" "$(cell "$d/pertask_$part")"
	done
	for part in total walk; do
		printf '%-10s %-7s bpf/sysfs %s  bpf/loader %s  --trace/sysfs %s\n' "" "$part" \
			"$(cell "$d/bpf_over_sysfs_$part")" "$(cell "$d/bpf_over_loader_$part")" \
			"$(cell "$d/pertask_over_sysfs_$part")"
	done
	printf '%-10s %-7s bpf - sysfs, ms: %s\n' "" walk "$(cell "$d/bpf_added_walk")"
done
# The walk's verdict per scenario: in the idle guest the walk is so short
# that the programs' fixed cost per walk shows; with 1000 threads, what
# grows with the tasks does.
met=true
walks=
for scenario in $SCENARIOS; do
	le "$(median "$T/$scenario/bpf_over_sysfs_total")" 1.05 || met=false
	walks="$walks $scenario $(json_bool le "$(median "$T/$scenario/bpf_over_sysfs_walk")" 1.05),"
done
echo "target: loader with BPF within 5% of sysfs alone (median of per-round ratios):" \
	"transition $met; engine walk:${walks%,}"
rule

emit_json tracing_overhead "$(
	printf '{"bench":"tracing_overhead","unit":"ms","runs":%s,' "$RUNS"
	printf '"method":"bench_patch applied by insmod (sysfs), loader apply --no-bpf, loader apply with its BPF programs attached (bpf), and loader apply --trace, which also traces each task switched (pertask), one after the other in each round; bpf_added_walk: bpf walk - sysfs walk per round, ms; kernel log timestamps from starting patching transition to patching complete (total) and to completing patching transition (moving); walk: the first klpx_try_complete_transition() call, timed with the function_graph tracer at depth 1; ratios per round; median and spread (max-min)/median",'
	printf '"scenarios":{'
	sep=
	for scenario in $SCENARIOS; do
		d=$T/$scenario
		printf '%s"%s":{"tasks":%s' "$sep" "$scenario" "$(cat "$d/tasks")"
		for way in $WAYS; do
			for part in total moving walk; do
				printf ',"%s_%s_ms":%s' "$way" "$part" "$(json_stats "$d/${way}_$part")"
			done
		done
		for part in total walk; do
			printf ',"bpf_over_sysfs_%s":%s,"bpf_over_loader_%s":%s,"pertask_over_sysfs_%s":%s' \
				"$part" "$(json_stats "$d/bpf_over_sysfs_$part")" \
				"$part" "$(json_stats "$d/bpf_over_loader_$part")" \
				"$part" "$(json_stats "$d/pertask_over_sysfs_$part")"
		done
		printf ',"bpf_added_walk_ms":%s}' "$(json_stats "$d/bpf_added_walk")"
		sep=,
	done
	printf '},"targets":{"bpf_over_sysfs_max":1.05,"transition_met":%s,"walk_met":{' "$met"
	sep=
	for scenario in $SCENARIOS; do
		printf '%s"%s":%s' "$sep" "$scenario" \
			"$(json_bool le "$(median "$T/$scenario/bpf_over_sysfs_walk")" 1.05)"
		sep=,
	done
	printf '}}}')"
