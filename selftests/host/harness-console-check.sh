#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The console check of the VM runner: every kind of kernel report must
# fail a run, and a clean boot log (with the unsigned-module taint lines)
# must not.
set -euo pipefail
. "$KLPX_ROOT/selftests/lib.sh"

run="$KLPX_ROOT/selftests/vm/run"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/clean.log" <<'LOG'
[    0.000000] Linux version 6.1.0 (debian-kernel@lists.debian.org)
[    2.297462] klpx_target_basic: loading out-of-tree module taints kernel.
[    2.298955] klpx_target_basic: module verification failed: signature and/or required key missing - tainting kernel
[    2.300000] klpx-test: begin WARNING-in-a-name
[    2.304249] klpx: 'p': patching complete
LOG
"$run" console-check "$work/clean.log" >"$work/out" ||
	fail "a clean console log was flagged: $(head -n 1 "$work/out")"

while IFS= read -r report; do
	{ cat "$work/clean.log"; echo "[    3.000000] $report"; } >"$work/bad.log"
	if "$run" console-check "$work/bad.log" >"$work/out"; then
		fail "not flagged: $report"
	fi
	grep -qF -- "$report" "$work/out" || fail "flagged, but the report line is not shown: $report"
done <<'REPORTS'
------------[ cut here ]------------ WARNING: CPU: 0 PID: 1 at mod.c:13 init+0x1/0x2
BUG: kernel NULL pointer dereference, address: 0000000000000000
Oops: 0002 [#1] PREEMPT SMP NOPTI
general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1]
Call Trace:
watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [busy:123]
NMI watchdog: Watchdog detected hard LOCKUP on cpu 1
rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
rcu: INFO: rcu_preempt self-detected stall on CPU
INFO: task insmod:88 blocked for more than 120 seconds.
Kernel panic - not syncing: panic_on_warn set ...
kernel BUG at kernel/module/main.c:100!
list_del corruption. prev->next should be ffff888, but was ffff999
refcount_t: underflow; use-after-free.
REPORTS
