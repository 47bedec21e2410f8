#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The helpers of selftests/lib.sh do what they say, including failing:
# each helper that must fail is run in a subshell whose exit status and
# reason are checked.
set -e
. /klpx/selftests/lib.sh

# must_fail REASON_PART CMD...: CMD (run in a subshell) fails with a reason
# containing REASON_PART.
must_fail()
{
	_want=$1
	shift
	_reason=$( (KLPX_REASON_FILE=/dev/null; "$@") 2>&1 >/dev/null) &&
		fail "'$*' succeeded but should have failed"
	case "$_reason" in
	*"$_want"*) ;;
	*) fail "'$*' failed with '$_reason', expected '$_want'" ;;
	esac
}

# loop_until: succeeds once the command does, fails after its timeout.
rm -f /tmp/harness-lib.flag
(sleep 0.5; : >/tmp/harness-lib.flag) &
loop_until '[ -e /tmp/harness-lib.flag ]' 5
wait
rm -f /tmp/harness-lib.flag
must_fail "timed out after 1s waiting for: false" loop_until false 1

# Module helpers.
must_fail "no module file for 'no_such_module'" module_path no_such_module
expect_eq "module_path" "$(module_path klpx_target_basic)" \
	/klpx/selftests/modules/klpx_target_basic.ko
expect_eq "module_name" "$(module_name /x/klpx-target-basic.ko)" klpx_target_basic
is_mod_loaded klpx_target_basic && fail "klpx_target_basic loaded before the test"
must_fail "module klpx_target_basic is not loaded" unload_mod klpx_target_basic

log_mark
load_mod klpx_target_basic
is_mod_loaded klpx_target_basic || fail "is_mod_loaded: klpx_target_basic not seen after load_mod"
must_fail "insmod klpx_target_basic failed" load_mod klpx_target_basic
load_failing_mod klpx_target_basic
unload_mod klpx_target_basic
is_mod_loaded klpx_target_basic && fail "klpx_target_basic still loaded after unload_mod"
must_fail "succeeded but should have failed" load_failing_mod klpx_target_basic
unload_mod klpx_target_basic

# check_log: passes on the exact lines, fails with a diff on any other.
check_log klpx_target_basic <<'EXPECTED'
% insmod klpx_target_basic
klpx_target_basic: loaded
% insmod klpx_target_basic
% insmod klpx_target_basic
% rmmod klpx_target_basic
klpx_target_basic: unloaded
% insmod klpx_target_basic
klpx_target_basic: loaded
% rmmod klpx_target_basic
klpx_target_basic: unloaded
EXPECTED
log_mark
log "% something"
must_fail "unexpected kernel log" check_log <<'EXPECTED'
% something else
EXPECTED
_diff=$( (check_log <<'EXPECTED'
% something else
EXPECTED
) 2>/dev/null) || true
case "$_diff" in
*"-% something else"*"+% something"*) ;;
*) fail "check_log printed no readable diff: $_diff" ;;
esac

# Once-per-boot lines are dropped, whatever prefix is asked for.
log_mark
log "klpx_fake: loading out-of-tree module taints kernel."
log "klpx_fake: module verification failed: signature and/or required key missing - tainting kernel"
log "klpx_fake: hello"
check_log klpx_fake <<'EXPECTED'
klpx_fake: hello
EXPECTED
