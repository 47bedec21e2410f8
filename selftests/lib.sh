# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers for klpx's in-guest tests (busybox sh).  A test sources this file:
#
#	. /klpx/selftests/lib.sh
#
# and then states its scenario with the helpers below.  Every helper that
# can go wrong calls fail(), which ends the test with a one-line reason; a
# test that returns normally has passed.  Nothing here cleans up on the
# test's behalf: a test unloads what it loaded (the suite reports leftovers
# as a failure and removes them).
#
# Conventions:
#   - module arguments are names, looked up as /klpx/selftests/modules/NAME.ko,
#     then /klpx/samples/NAME.ko, /extra/NAME.ko; a path ending in .ko is used as is;
#   - a klpx patch is named after its module, so the patch directory of
#     module NAME is /sys/kernel/klpx/NAME;
#   - timeouts are in seconds (KLPX_TIMEOUT, default 15) and allow for the
#     emulated guest.

KLPX_ROOT=${KLPX_ROOT:-/klpx}
KLPX_SYSFS=/sys/kernel/klpx
KLPX_ENGINE=${KLPX_ENGINE:-$KLPX_ROOT/kernel/klpx.ko}
KLPX_TIMEOUT=${KLPX_TIMEOUT:-15}

# The suite passes a file for the failure reason; run alone, stderr is enough.
KLPX_REASON_FILE=${KLPX_REASON_FILE:-/dev/null}

# fail REASON: end the test as failed, with REASON as its one-line reason.
fail()
{
	echo "$*" >&2
	echo "$*" >"$KLPX_REASON_FILE"
	exit 1
}

# log TEXT: put TEXT into the kernel log (and so into expected-log checks
# as a "% ..." line when TEXT starts with "% ").
log()
{
	echo "$*" >/dev/kmsg
}

# loop_until CMD [SECONDS]: run the shell command CMD every 0.1 s until it
# succeeds; fail after SECONDS (default KLPX_TIMEOUT).
loop_until()
{
	_lu_cmd=$1
	_lu_left=$(( ${2:-$KLPX_TIMEOUT} * 10 ))
	while ! eval "$_lu_cmd"; do
		_lu_left=$((_lu_left - 1))
		[ "$_lu_left" -gt 0 ] || fail "timed out after ${2:-$KLPX_TIMEOUT}s waiting for: $_lu_cmd"
		sleep 0.1
	done
}

# module_path NAME|PATH.ko: where the module file is.
module_path()
{
	case "$1" in
	*.ko)
		echo "$1"
		return
		;;
	esac
	for _mp_dir in "$KLPX_ROOT/selftests/modules" "$KLPX_ROOT/samples" /extra; do
		if [ -f "$_mp_dir/$1.ko" ]; then
			echo "$_mp_dir/$1.ko"
			return
		fi
	done
	fail "no module file for '$1'"
}

# module_name NAME|PATH.ko: the module's name as the kernel knows it.
module_name()
{
	basename "$1" .ko | tr - _
}

is_mod_loaded()
{
	[ -d "/sys/module/$(module_name "$1")" ] &&
		[ "$(cat "/sys/module/$(module_name "$1")/initstate" 2>/dev/null)" = live ]
}

# load_mod MOD [PARAMS...]: insmod, failing the test if that fails.
load_mod()
{
	_lm_path=$(module_path "$1") || exit 1
	shift
	log "% insmod $(module_name "$_lm_path")${*:+ $*}"
	_lm_err=$(insmod "$_lm_path" "$@" 2>&1) ||
		fail "insmod $(module_name "$_lm_path") failed: $_lm_err"
}

# load_failing_mod MOD [PARAMS...]: insmod that must fail.
load_failing_mod()
{
	_lf_path=$(module_path "$1") || exit 1
	shift
	log "% insmod $(module_name "$_lf_path")${*:+ $*}"
	if insmod "$_lf_path" "$@" 2>/dev/null; then
		fail "insmod $(module_name "$_lf_path") succeeded but should have failed"
	fi
}

# unload_mod MOD: wait until nothing holds the module, rmmod it, and wait
# until it is gone from /sys/module.
unload_mod()
{
	_um_name=$(module_name "$1")
	[ -d "/sys/module/$_um_name" ] || fail "unload_mod: module $_um_name is not loaded"
	loop_until "[ \"\$(cat /sys/module/$_um_name/refcnt 2>/dev/null || echo 0)\" = 0 ]"
	log "% rmmod $_um_name"
	_um_err=$(rmmod "$_um_name" 2>&1) || fail "rmmod $_um_name failed: $_um_err"
	loop_until "[ ! -e /sys/module/$_um_name ]"
}

# load_engine [PARAMS...]: load klpx.ko unless it is loaded already.
load_engine()
{
	is_mod_loaded klpx && return 0
	[ -f "$KLPX_ENGINE" ] || fail "no engine at $KLPX_ENGINE"
	_le_err=$(insmod "$KLPX_ENGINE" "$@" 2>&1) || fail "insmod klpx failed: $_le_err"
}

# unload_engine: remove klpx.ko if it is loaded.
unload_engine()
{
	is_mod_loaded klpx || return 0
	unload_mod klpx
}

# Patch directory helpers: PATCH is the patch (= module) name.
patch_dir()
{
	echo "$KLPX_SYSFS/$(module_name "$1")"
}

is_patch_present()
{
	[ -d "$(patch_dir "$1")" ]
}

# wait_transition_done PATCH [SECONDS]: wait until PATCH's transition file
# reads 0 (or the patch is gone, as after a completed disable).  The
# directory can go between the test and the read: cat is quiet about that.
wait_transition_done()
{
	_wt_dir=$(patch_dir "$1")
	loop_until "[ ! -d $_wt_dir ] || [ \"\$(cat $_wt_dir/transition 2>/dev/null)\" = 0 ]" "$2"
}

# load_lp MOD [PARAMS...]: load the engine if needed, then the patch module,
# and wait for its transition to finish.
load_lp()
{
	load_engine
	load_mod "$@"
	loop_until "is_patch_present $1"
	wait_transition_done "$1"
}

# load_lp_nowait MOD [PARAMS...]: as load_lp, without waiting for the
# transition.
load_lp_nowait()
{
	load_engine
	load_mod "$@"
	loop_until "is_patch_present $1"
}

# disable_lp PATCH: echo 0 > enabled and wait until the patch is gone.
disable_lp()
{
	_dl_dir=$(patch_dir "$1")
	log "% echo 0 > $_dl_dir/enabled"
	echo 0 >"$_dl_dir/enabled" || fail "cannot disable $1"
	loop_until "[ ! -d $_dl_dir ]"
}

# unload_lp PATCH: rmmod a patch module whose patch is disabled.
unload_lp()
{
	unload_mod "$1"
}

# read_file FILE: cat FILE, failing the test if it cannot be read.
read_file()
{
	cat "$1" 2>/dev/null || fail "cannot read $1"
}

# expect_eq WHAT ACTUAL EXPECTED: fail unless the two strings are equal.
expect_eq()
{
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# set_param NAME VALUE / get_param NAME: the engine's module parameters.
set_param()
{
	echo "$2" >"/sys/module/klpx/parameters/$1" || fail "cannot set klpx parameter $1=$2"
}

get_param()
{
	read_file "/sys/module/klpx/parameters/$1"
}

# log_mark: remember this point of the kernel log; check_log compares what
# comes after it.
KLPX_LOG_MARK_SEQ=0
log_mark()
{
	KLPX_LOG_MARK_SEQ=$((KLPX_LOG_MARK_SEQ + 1))
	KLPX_LOG_MARK="klpx-test: mark $$.$KLPX_LOG_MARK_SEQ"
	log "$KLPX_LOG_MARK"
}

# Lines the kernel prints once per boot or per module, whatever the test
# did first: dropped from every comparison.
klpx_drop_once_lines()
{
	grep -v -e 'loading out-of-tree module taints kernel' \
		-e 'module verification failed: signature and/or required key missing' \
		-e 'tainting kernel with TAINT_LIVEPATCH' \
		-e 'taints kernel\.$'
}

# new_log_lines [PREFIX...]: kernel log lines since the last log_mark that
# contain "klpx:", one of the PREFIXes, or start with "% ", without the
# timestamps and once-per-boot lines.
new_log_lines()
{
	[ -n "$KLPX_LOG_MARK" ] || fail "check_log without log_mark"
	_nl_pattern='klpx:|^% '
	for _nl_prefix in "$@"; do
		_nl_pattern="$_nl_pattern|$_nl_prefix"
	done
	dmesg | sed 's/^\[[ 0-9.]*\] //' |
		awk -v mark="$KLPX_LOG_MARK" 'found { print } $0 == mark { found = 1 }' |
		grep -E "$_nl_pattern" | klpx_drop_once_lines
}

# check_log [PREFIX...] <<EOF ... EOF: the new kernel log lines (see
# new_log_lines) must be exactly the lines given on stdin, in order.
check_log()
{
	_cl_expected=$(mktemp)
	_cl_actual=$(mktemp)
	cat >"$_cl_expected"
	new_log_lines "$@" >"$_cl_actual"
	if ! cmp -s "$_cl_expected" "$_cl_actual"; then
		echo "kernel log differs from the expected one (- expected, + actual):"
		diff -u "$_cl_expected" "$_cl_actual" | tail -n +3
		rm -f "$_cl_expected" "$_cl_actual"
		fail "unexpected kernel log (see the diff)"
	fi
	rm -f "$_cl_expected" "$_cl_actual"
}

# --- helpers for the engine and klp-compatibility tests ---------------------

# check_sysfs_mode PATCH RELPATH MODE / check_sysfs_value PATCH RELPATH VALUE:
# a file under the patch's sysfs directory has the given ls-style mode
# (drwxr-xr-x, -rw-r--r--, ...) or content.
check_sysfs_mode()
{
	_cs_path=$(patch_dir "$1")${2:+/$2}
	_cs_mode=$(ls -ld "$_cs_path" 2>/dev/null | cut -c1-10)
	[ "$_cs_mode" = "$3" ] || fail "$_cs_path: mode '$_cs_mode', expected '$3'"
}

check_sysfs_value()
{
	expect_eq "$(patch_dir "$1")/$2" "$(read_file "$(patch_dir "$1")/$2")" "$3"
}

# load_mod_expect_error ERRTEXT MOD [PARAMS...]: a module load that must
# fail with the errno text ERRTEXT (such as "No such device").  The failure
# goes into the kernel log as "% insmod: ERROR: could not insert 'MOD':
# ERRTEXT", the counterpart of the modprobe line upstream's selftests log.
# It loads with insmod-once: busybox's insmod would try a second time.
load_mod_expect_error()
{
	_le_want=$1
	_le_path=$(module_path "$2") || exit 1
	_le_name=$(module_name "$_le_path")
	shift 2
	log "% insmod $_le_name${*:+ $*}"
	if _le_err=$("$KLPX_ROOT/bin/insmod-once" "$_le_path" "$@" 2>&1); then
		fail "insmod $_le_name succeeded but should have failed with '$_le_want'"
	fi
	case "$_le_err" in
	*"$_le_want"*) ;;
	*) fail "insmod $_le_name failed with '$_le_err', expected '$_le_want'" ;;
	esac
	log "% insmod: ERROR: could not insert '$_le_name': $_le_want"
	is_mod_loaded "$_le_name" && fail "$_le_name is loaded after a failed insmod"
	return 0
}

# check_klpx_patch PATCH: the patch is klpx's, not the kernel's own
# livepatch's (a klp-API module built without compat.h would be the
# latter): it is under /sys/kernel/klpx only, and its module uses klpx.
check_klpx_patch()
{
	_ck_name=$(module_name "$1")
	is_patch_present "$_ck_name" || fail "$_ck_name is not under $KLPX_SYSFS"
	[ ! -e "/sys/kernel/livepatch/$_ck_name" ] ||
		fail "$_ck_name is under /sys/kernel/livepatch: it was built against the kernel's livepatch"
	[ -e "/sys/module/klpx/holders/$_ck_name" ] || fail "$_ck_name does not use klpx"
}

# pid_of COMM: the pid of the (single) task named COMM, kernel threads included.
pid_of()
{
	for _po_dir in /proc/[0-9]*; do
		[ "$(cat "$_po_dir/comm" 2>/dev/null)" = "$1" ] && { echo "${_po_dir#/proc/}"; return 0; }
	done
	fail "no task named $1"
}

# Tracing the engine's tracepoints through tracefs.
KLPX_TRACEFS=/sys/kernel/tracing

# trace_start [EVENT...]: clear the trace buffer and enable the given klpx
# events (all of them without arguments).
trace_start()
{
	echo 0 >"$KLPX_TRACEFS/tracing_on"
	: >"$KLPX_TRACEFS/trace"
	if [ $# -eq 0 ]; then
		echo 1 >"$KLPX_TRACEFS/events/klpx/enable" || fail "no klpx events in tracefs"
	else
		for _ts_event in "$@"; do
			echo 1 >"$KLPX_TRACEFS/events/klpx/$_ts_event/enable" ||
				fail "no tracepoint klpx/$_ts_event"
		done
	fi
	echo 1 >"$KLPX_TRACEFS/tracing_on"
}

# trace_stop: disable the klpx events (the buffer stays readable).
trace_stop()
{
	echo 0 >"$KLPX_TRACEFS/events/klpx/enable"
}

# trace_events EVENT: the recorded EVENT lines, from "EVENT:" on (the
# fields), one per line.
trace_events()
{
	sed -n "s/.* $1: //p" "$KLPX_TRACEFS/trace"
}

# now_cs: time since boot in hundredths of a second.
now_cs()
{
	read -r _nc_up _nc_idle </proc/uptime
	_nc_frac=${_nc_up#*.}
	echo $(( ${_nc_up%.*} * 100 + ${_nc_frac#0} ))
}

# check_transition_stays PATCH SECONDS: PATCH's transition is still running
# (transition reads 1) every tenth of a second for SECONDS.
check_transition_stays()
{
	_cts_file=$(patch_dir "$1")/transition
	_cts_left=$(( $2 * 10 ))
	while [ "$_cts_left" -gt 0 ]; do
		[ "$(cat "$_cts_file" 2>/dev/null)" = 1 ] ||
			fail "$1's transition ended while a task should hold it"
		sleep 0.1
		_cts_left=$((_cts_left - 1))
	done
}

# tasks_line PID: PID's line in the engine's list of tasks not yet migrated
# (empty, and a failed status, if PID is not listed).
tasks_line()
{
	grep "^$1	" /sys/kernel/debug/klpx/tasks
}

# check_log_except REGEX [PREFIX...] <<EOF ... EOF: as check_log, leaving
# out the new lines that match the extended regex REGEX, for lines whose
# place in the log depends on timing (checked some other way).
check_log_except()
{
	_ce_skip=$1
	shift
	_ce_expected=$(mktemp)
	_ce_actual=$(mktemp)
	cat >"$_ce_expected"
	new_log_lines "$@" | grep -Ev "$_ce_skip" >"$_ce_actual" || true
	if ! cmp -s "$_ce_expected" "$_ce_actual"; then
		echo "kernel log differs from the expected one (- expected, + actual):"
		diff -u "$_ce_expected" "$_ce_actual" | tail -n +3
		rm -f "$_ce_expected" "$_ce_actual"
		fail "unexpected kernel log (diff above)"
	fi
	rm -f "$_ce_expected" "$_ce_actual"
}
