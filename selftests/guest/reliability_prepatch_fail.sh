#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fault: a patch whose pre_patch callback fails.
#
# With its target bench_target loaded, reliability_prepatch_fail must fail
# to load (-ENODEV, the callback's error), three times in a row, leaving no
# patch, no ftrace hook and no reference behind.  Loaded first, the patch
# loads (its object is absent, so no callback runs); then bench_target must
# be refused, and load fine once the patch is gone.  post_unpatch never
# runs, since pre_patch never succeeded.
set -e
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh

P=reliability_prepatch_fail

load_engine
load_mod bench_target
log_mark
for i in 1 2 3; do
	load_mod_expect_error "No such device" $P
	is_patch_present $P && fail "$P is in sysfs after its failed load"
	[ -z "$(klpx_hooks)" ] || loop_until "[ -z \"\$(klpx_hooks)\" ]"
	expect_eq "klpx refcnt after a failed load" "$(refcnt klpx)" 0
done
expect_eq "pre_patch calls" "$(new_log_lines $P | grep -c "$P: pre_patch bench_target: failing")" 3
unload_mod bench_target

# The patch first, then its target: the target's load is refused.
load_lp $P
check_sysfs_value $P enabled 1
log_mark
if "$KLPX_ROOT/bin/insmod-once" "$(module_path bench_target)" 2>/dev/null; then
	fail "bench_target loaded although the patch's pre_patch fails"
fi
is_mod_loaded bench_target && fail "bench_target is loaded after a refused load"
new_log_lines $P | grep -q "$P: pre_patch bench_target: failing" ||
	fail "pre_patch did not run for the loading module"
disable_lp $P
unload_lp $P
load_mod bench_target
unload_mod bench_target

new_log_lines $P | grep -q "post_unpatch" && fail "post_unpatch ran without a successful pre_patch"
expect_clean_system
