#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The BPF object as built: its programs attach only where the design
# allows (raw_tp on the engine's tracepoints, tp_btf on the sched
# tracepoints, iter/task; never fexit or fmod_ret), each program is named
# klpx_* within the kernel's 15 characters, the metadata that bpftool
# shows is there, and no program calls bpf_trace_printk.
set -euo pipefail
. "$KLPX_ROOT/selftests/lib.sh"
cd "$KLPX_ROOT"

obj=${KLPX_BUILD:-build}/bpf/klpx_trace.bpf.o
[ -s "$obj" ] || fail "$obj was not built"
readelf=$(command -v llvm-readelf || command -v llvm-readelf-14) || fail "no llvm-readelf"
objdump=$(command -v llvm-objdump || command -v llvm-objdump-14) || fail "no llvm-objdump"

# Whole outputs in variables: with pipefail, "cmd | grep -q" fails when
# grep quits before cmd has written everything.
section_table=$("$readelf" -S "$obj")
symbols=$("$readelf" -s "$obj")
disassembly=$("$objdump" -d "$obj")

sections=$(sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*PROGBITS.* AX .*/\1/p' <<<"$section_table")
# .text holds BPF-to-BPF subprograms (none here): not an attach point.
sections=$(grep -vx '\.text' <<<"$sections" || true)
[ -n "$sections" ] || fail "no program sections in $obj"
for s in $sections; do
	case "$s" in
	raw_tp/klpx_*|tp_btf/sched_process_fork|tp_btf/sched_process_exit|iter/task) ;;
	*) fail "program section '$s' is not an allowed attach point" ;;
	esac
done
for tp in transition_start transition_end transition_pass task_switched task_blocked signal force reverse; do
	grep -qx "raw_tp/klpx_$tp" <<<"$sections" || fail "nothing attaches to klpx_$tp"
done

funcs=$(awk '$4 == "FUNC" && $5 == "GLOBAL" { print $8 }' <<<"$symbols")
expect_eq "programs" "$(wc -l <<<"$funcs")" "$(wc -l <<<"$sections")"
for f in $funcs; do
	case "$f" in
	klpx_*) ;;
	*) fail "program '$f' is not named klpx_*" ;;
	esac
	[ ${#f} -le 15 ] || fail "program name '$f' is longer than 15 characters"
done

for var in bpf_metadata_patch bpf_metadata_loader_version; do
	grep -q " OBJECT .* $var$" <<<"$symbols" || fail "no $var"
done

# Helper 6 is bpf_trace_printk, 177 bpf_trace_vprintk.
if grep -qE 'call (6|177)$' <<<"$disassembly"; then
	fail "a program calls bpf_trace_printk"
fi
