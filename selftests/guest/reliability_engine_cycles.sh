#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fault: the engine loaded and unloaded again and again.
#
# RELIABILITY_ENGINE_CYCLES times (default 20; make soak runs 50) klpx.ko
# is loaded and removed; every fifth cycle also applies and reverts
# bench_patch (which creates the engine's per-task cache, its tracepoint
# hooks and its ftrace ops) before the removal.  Every removal must succeed
# and leave no sysfs, debugfs or slab cache of the engine behind.
#
# klpx-test: timeout 300
set -e
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh

CYCLES=${RELIABILITY_ENGINE_CYCLES:-20}

load_mod bench_target
i=0
while [ $i -lt "$CYCLES" ]; do
	i=$((i + 1))
	load_engine
	if [ $((i % 5)) = 0 ]; then
		load_lp bench_patch
		disable_lp bench_patch
		unload_lp bench_patch
	fi
	expect_clean_system
done
unload_mod bench_target
echo "$CYCLES engine load/unload cycles"
