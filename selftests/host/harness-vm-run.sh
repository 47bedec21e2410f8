#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vm-run's plumbing: the script runs in the guest with the built tree at
# /klpx and EXTRA at /extra, its stdout and stderr come back without kernel
# messages, and its exit status is the run's.
set -euo pipefail
. "$KLPX_ROOT/selftests/lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/extra"
echo "from the host" >"$work/extra/note.txt"
cat >"$work/script.sh" <<'SCRIPT'
echo "out: $(cat /extra/note.txt)"
echo "err: to stderr" >&2
[ -f /klpx/selftests/lib.sh ] && echo "tree: present"
echo "cwd: $(pwd)"
echo "mounts: $(grep -c -E ' (tracefs|debugfs|bpf|devtmpfs) ' /proc/mounts)"
exit 7
SCRIPT

set +e
python3 "$KLPX_ROOT/selftests/vm/run" --kernel "$KLPX_VMLINUZ" --build "$KLPX_BUILD" \
	run --script "$work/script.sh" --extra "$work/extra" --timeout 300 \
	>"$work/out" 2>"$work/err"
status=$?
set -e

cat "$work/out"
expect_eq "exit status" "$status" 7
expect_eq "output" "$(cat "$work/out")" "out: from the host
err: to stderr
tree: present
cwd: /klpx
mounts: 4"
grep -q '^vm: exit status 7 after' "$work/err" || fail "no exit status line on stderr: $(cat "$work/err")"
