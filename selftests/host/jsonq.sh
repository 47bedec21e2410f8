#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# jsonq, the guest's JSON checker: answers like python's json module on
# valid input, and refuses invalid JSON with exit status 2.
set -euo pipefail
. "$KLPX_ROOT/selftests/lib.sh"

jsonq=${KLPX_BUILD:-$KLPX_ROOT/build}/tools/jsonq
[ -x "$jsonq" ] || fail "$jsonq was not built"
doc='{"patches": [{"name": "p1", "enabled": true, "n": -1.5e3},
                  {"name": "a\"b\u0041\n", "objs": []}], "empty": {}}'

# query PATH: python's answer for PATH, printed the way jsonq prints it.
python_answer()
{
	python3 -c '
import json, re, sys
v = json.loads(sys.argv[1])
for key, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", sys.argv[2]):
    v = v[key] if key else v[int(index)]
print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))
' "$doc" "$1"
}

for path in .patches[0].name .patches[1].name .patches[0].enabled .patches[0].n \
	.patches[1].objs .empty; do
	got=$(printf '%s' "$doc" | "$jsonq" "$path") || fail "jsonq $path failed"
	want=$(python_answer "$path")
	[ "$path" = '.patches[0].n' ] && want=-1.5e3	# jsonq keeps the text as written
	[ "$got" = "$want" ] || fail "jsonq $path: got '$got', python says '$want'"
done

expect_eq "-l .patches" "$(printf '%s' "$doc" | "$jsonq" -l .patches)" 2
expect_eq "-l .empty" "$(printf '%s' "$doc" | "$jsonq" -l .empty)" 0
expect_eq "-t .patches[0].enabled" "$(printf '%s' "$doc" | "$jsonq" -t .patches[0].enabled)" true
expect_eq "-n" "$(printf '{"a":1}\n[2]\n"x"\n' | "$jsonq" -n)" 3

status_of()
{
	set +e
	"$@" >/dev/null 2>&1
	echo $?
	set -e
}
expect_eq "absent key" "$(printf '%s' "$doc" | status_of "$jsonq" .nope)" 1
expect_eq "absent index" "$(printf '%s' "$doc" | status_of "$jsonq" .patches[2])" 1
for bad in '{"a":1,}' '{"a":1} x' '[1 2]' '{"a":01}' '"tab	in string"' "{'a':1}" '' '[1,]' \
	'{"a":tru}' '"\x"'; do
	expect_eq "invalid input $bad" "$(printf '%s' "$bad" | status_of "$jsonq")" 2
done
expect_eq "-n with two values on a line" "$(printf '{"a":1} {"b":2}\n' | status_of "$jsonq" -n)" 2
