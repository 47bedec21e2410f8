#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What `make` built is what the guest needs: every BPF source has an object
# with BTF and a skeleton, the loader (once it exists) is static, and every
# module source has a .ko built for the reference kernel.
set -euo pipefail
. "$KLPX_ROOT/selftests/lib.sh"
cd "$KLPX_ROOT"

krel=$(scripts/kernel-release)
build=${KLPX_BUILD:-build}

for src in bpf/*.bpf.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .bpf.c)
	obj=$build/bpf/$name.bpf.o
	[ -s "$obj" ] || fail "$src: no $obj"
	bpftool btf dump file "$obj" >/dev/null 2>&1 || fail "$obj has no readable BTF"
	[ -s "$build/$name.skel.h" ] || fail "$src: no $build/$name.skel.h"
done

if ls loader/*.c >/dev/null 2>&1; then
	[ -f loader/loader ] && [ -x loader/loader ] || fail "loader/ has sources but loader/loader was not built"
	if ldd loader/loader >/dev/null 2>&1; then
		fail "loader/loader is dynamically linked: $(ldd loader/loader | head -n 1)"
	fi
fi

for src in kernel/Kbuild samples/*.c selftests/modules/*.c; do
	[ -e "$src" ] || continue
	case "$src" in
	*.mod.c) continue ;;
	kernel/Kbuild) ko=kernel/klpx.ko ;;
	*) ko=${src%.c}.ko ;;
	esac
	[ -s "$ko" ] || fail "$src: no $ko"
	vermagic=$(modinfo -F vermagic "$ko")
	case "$vermagic" in
	"$krel "*) ;;
	*) fail "$ko is built for '$vermagic', not for $krel" ;;
	esac
done
