#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# No leaks: RELIABILITY_LEAK_CYCLES apply/revert cycles (default 20; make
# soak runs 200) leave slab usage and module reference counts where they
# were.  Odd cycles apply and revert bench_patch; even ones apply it, replace
# it with bench_drop (a cumulative replace that drops its functions: nops,
# the retired patch freed) and revert that.
#
# Slab usage is read with the caches settled: page cache and dentries
# dropped, every cache shrunk (per-CPU slabs flushed, empty slabs freed),
# twice with a pause for RCU-deferred frees.  It is measured after three
# warm-up cycles (the first ones grow the caches the engine allocates from
# to their working size), then after each quarter of the cycles.  Tolerances:
#  - unreclaimable slab may grow by at most LEAK_TOLERANCE_KB over the run
#    (default 256 KiB: the noise of the guest's own caches, which is below
#    100 KiB; a leak of one ftrace filter hash per cycle, 8 KiB, would be
#    1.6 MiB over 200 cycles);
#  - no general-purpose kmalloc cache, where the engine's allocations go,
#    may grow without ever shrinking by more than two slabs' worth of
#    objects.  slabinfo counts whole slabs once the commands that read it
#    have allocated (a per-CPU slab counts as full), so its noise is about
#    a slab, which comes and goes, while a leak only grows.  At 20 cycles
#    this catches leaks of a few hundred bytes per cycle; at 200, leaks of a
#    128-byte object per replace.  Caches of processes (task_struct,
#    sighand_cache, ...) move with the test's own commands and are shown,
#    not judged;
#  - the reference counts of klpx and bench_target must not change.
#
# klpx-test: timeout 600
set -e
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh

CYCLES=${RELIABILITY_LEAK_CYCLES:-20}
TOLERANCE_KB=${LEAK_TOLERANCE_KB:-256}
WORK=/tmp/reliability_leaks
rm -rf "$WORK" && mkdir -p "$WORK"

cycle()
{
	load_lp bench_patch
	if [ $(($1 % 2)) = 0 ]; then
		load_lp bench_drop
		loop_until "! is_patch_present bench_patch"
		unload_lp bench_patch
		disable_lp bench_drop
		unload_lp bench_drop
	else
		disable_lp bench_patch
		unload_lp bench_patch
	fi
	loop_until "[ -z \"\$(klpx_hooks)\" ]"
}

settle()
{
	for _round in 1 2; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		for _f in /sys/kernel/slab/*/shrink; do
			echo 1 >"$_f" 2>/dev/null || true
		done
		sleep 1
	done
}

# snapshot N: append "N name objects-in-use object-size objects-per-slab"
# per cache, and "N SUnreclaim kB", to one file (made before the first, so that taking a
# snapshot creates no file between two of them).
snapshot()
{
	settle
	awk -v n="$1" 'FILENAME == "/proc/meminfo" { if ($1 == "SUnreclaim:") print n, "SUnreclaim", $2, 1024, 1; next }
		FNR > 2 { print n, $1, $2, $4, $5 }' /proc/meminfo /proc/slabinfo >>"$WORK/snapshots"
}

: >"$WORK/snapshots"
load_engine
load_mod bench_target
for i in 1 2 3; do
	cycle $i
done
refcnt_before="$(refcnt klpx) $(refcnt bench_target)"
snapshot 0
i=0
for quarter in 1 2 3 4; do
	while [ $i -lt $((CYCLES * quarter / 4)) ]; do
		i=$((i + 1))
		cycle $i
	done
	snapshot $quarter
done
refcnt_after="$(refcnt klpx) $(refcnt bench_target)"

value()
{
	awk -v n="$1" -v c="$2" '$1 == n && $2 == c { print $3; exit }' "$WORK/snapshots"
}
sunreclaim_before=$(value 0 SUnreclaim)
sunreclaim_after=$(value 4 SUnreclaim)
grow_kb=$((sunreclaim_after - sunreclaim_before))
echo "$CYCLES cycles: unreclaimable slab $sunreclaim_before kB -> $sunreclaim_after kB" \
	"($grow_kb kB); refcnt klpx, bench_target: $refcnt_before -> $refcnt_after"

# Caches that grew: name, objects in use at each snapshot, bytes, objects
# per slab, and whether the count never went down.
awk '{ v[$2, $1] = $3; size[$2] = $4; perslab[$2] = $5; names[$2] = 1 }
	END {
		for (c in names) {
			if (c == "SUnreclaim")
				continue
			rising = 1
			for (q = 1; q <= 4; q++)
				if (v[c, q] + 0 < v[c, q - 1] + 0)
					rising = 0
			g = v[c, 4] - v[c, 0]
			if (g > 0)
				printf "%s %d %d %d %d %d %d %d %d\n", c, v[c, 0], v[c, 1], v[c, 2],
					v[c, 3], v[c, 4], g * size[c], perslab[c], rising
		}
	}' "$WORK/snapshots" | sort -k7 -n -r >"$WORK/grew"
if [ -s "$WORK/grew" ]; then
	echo "caches that grew (name, objects in use at each quarter, bytes, objects per slab, never shrank):"
	head -n 12 "$WORK/grew" | sed 's/^/  /'
fi

expect_eq "reference counts of klpx and bench_target" "$refcnt_after" "$refcnt_before"
[ "$grow_kb" -le "$TOLERANCE_KB" ] ||
	fail "unreclaimable slab grew by $grow_kb kB in $CYCLES cycles (tolerance $TOLERANCE_KB kB)"
rising=$(awk '$1 ~ /kmalloc-/ && $9 == 1 && $6 - $2 > 2 * $8 {
	print $1 " (" $2 " -> " $6 " objects, " $8 " per slab)"; exit }' "$WORK/grew")
[ -z "$rising" ] || fail "a kmalloc cache only grew, by more than two slabs: $rising"

unload_mod bench_target
expect_clean_system
