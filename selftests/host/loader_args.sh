#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The loader is a static binary.  Its command line and its checks of
# module files, on this machine (nothing is loaded here): --help for every
# command, usage errors with status 64 and one line (JSON with -j), and
# the .modinfo checks that refuse real files before anything is loaded: a
# missing file, a file that is not ELF, an ELF executable, an object file
# that is not a module, a plain module, a patch for the kernel's own
# livepatch.  A real klpx patch passes the checks and stops at the (absent)
# engine given by --engine.
set -euo pipefail
. "$KLPX_ROOT/selftests/lib.sh"
cd "$KLPX_ROOT"

L=loader/loader
[ -x $L ] || fail "$L was not built"
# The guest has no shared libraries for it.
if ldd $L >/dev/null 2>&1; then
	fail "$L is dynamically linked"
fi
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# run STATUS CMD...: run CMD, which must exit with STATUS.
run()
{
	local want=$1 rc=0
	shift
	"$@" >"$out" 2>"$err" || rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited with $rc, expected $want: $(cat "$err")"
}

# one_error PATTERN: stderr is exactly one line "loader: PATTERN...".
one_error()
{
	[ "$(wc -l <"$err")" = 1 ] || fail "expected one line on stderr, got: $(cat "$err")"
	grep -q "^loader: $1" "$err" || fail "stderr: '$(cat "$err")', expected 'loader: $1'"
}

for cmd in apply revert list status trace stalled; do
	run 0 $L $cmd --help
	grep -q "^usage: loader $cmd" <<<"$(head -n 1 "$out")" || fail "$cmd --help: $(head -n 1 "$out")"
	grep -q -- "--json" "$out" || fail "$cmd --help does not mention --json"
done
run 0 $L --help
grep -q "^  stalled " "$out" || fail "loader --help does not list the commands"

run 64 $L
run 64 $L frobnicate
one_error "unknown command 'frobnicate'"
run 64 $L list --frobnicate
one_error "unknown option '--frobnicate' (see 'loader list --help')"
run 64 $L apply
one_error "no patch module given"
run 64 $L apply --timeout soon x.ko
one_error "--timeout needs a number of seconds, not 'soon'"
run 64 $L apply x.ko notaparam
one_error "unexpected argument 'notaparam'"
run 64 $L revert --on-timeout revert p
one_error "--on-timeout takes fail, wait or force"
run 64 $L revert
run 64 $L trace --count 0
run 64 $L apply --engine
one_error "option '--engine' needs a value"

# JSON: the error alone, on stdout.
run 64 $L -j apply --frobnicate x.ko
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["error"], d
assert "unknown option" in d["error"], d
' "$out" || fail "JSON usage error: $(cat "$out")"
[ ! -s "$err" ] || fail "JSON mode wrote on stderr: $(cat "$err")"

# Files refused before anything is loaded.
native=$(ls selftests/modules/native_*.ko 2>/dev/null | head -n 1)
plain=samples/klpx_sleeper.ko
obj=$(ls "${KLPX_BUILD:-build}"/loader/*.o | head -n 1)
run 1 $L apply --engine /nonexistent/klpx.ko /nonexistent.ko
one_error "cannot read /nonexistent.ko: No such file or directory; apply takes the path of a patch module (.ko)"
run 1 $L apply --engine /nonexistent/klpx.ko README.md
one_error "README.md is not a kernel module (not an ELF file); nothing was loaded"
run 1 $L apply --engine /nonexistent/klpx.ko $L
one_error "$L is not a kernel module (an ELF file but not a relocatable object)"
run 1 $L apply --engine /nonexistent/klpx.ko "$obj"
one_error "$obj is not a kernel module (an object file without the sections of a kernel module)"
run 1 $L apply --engine /nonexistent/klpx.ko $plain
one_error "$plain (klpx_sleeper) is a kernel module but not a klpx patch (it does not depend on klpx); nothing was loaded: build patches with klpx's API"
run 1 $L apply --engine /nonexistent/klpx.ko kernel/klpx.ko
one_error "kernel/klpx.ko is the klpx engine, not a patch; nothing was loaded: apply loads the engine itself"
run 1 $L revert /nonexistent.ko
one_error "cannot take the patch name from /nonexistent.ko: No such file or directory; give a loaded patch's name (see 'loader list')"
if [ -n "$native" ]; then
	name=$(basename "$native" .ko)
	run 1 $L apply --engine /nonexistent/klpx.ko "$native"
	one_error "$native ($name) is a patch for the kernel's own livepatch, not for klpx"
fi
run 1 $L -j apply --engine /nonexistent/klpx.ko README.md
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["error"] and "not a kernel module" in d["error"], d
' "$out" || fail "JSON refusal: $(cat "$out")"

# A klpx patch passes the checks; the engine path given is what fails.
if [ ! -d /sys/kernel/klpx ]; then
	run 1 $L apply --engine /nonexistent/klpx.ko samples/klpx_demo_v1.ko
	one_error "cannot load the klpx engine from /nonexistent/klpx.ko: No such file or directory"
fi
