# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers of the reliability tests (selftests/guest/reliability_*.sh, and
# selftests/soak/*.sh, which run them with the full counts).  Source it
# after selftests/lib.sh.
#
# A reliability test ends with expect_clean_system: whatever fault it
# caused, the engine must be left with no patch, no ftrace hook of its own
# and no reference, and be removable.  Kernel warnings need no check here:
# the guest panics on a WARN, and the harness fails the test for any other
# kernel report on the console.

# Long waits: the emulated guest is slow, and a test here may run under load.
KLPX_TIMEOUT=${KLPX_TIMEOUT_RELIABILITY:-60}

# klpx_hooks: the functions an ftrace_ops of the engine hooks, one a line.
klpx_hooks()
{
	grep klpx_ftrace_handler /sys/kernel/tracing/enabled_functions 2>/dev/null |
		cut -d' ' -f1
}

# expect_clean_system: no patch is left, the engine's ftrace hooks are gone
# (they go asynchronously after the last patch), nothing holds the engine,
# and it unloads, taking its sysfs and debugfs directories and its slab
# cache along.
expect_clean_system()
{
	_ec_left=$(ls /sys/kernel/klpx 2>/dev/null | xargs)
	[ -z "$_ec_left" ] || fail "patches left in /sys/kernel/klpx: $_ec_left"
	loop_until "[ -z \"\$(klpx_hooks)\" ]" 60
	if is_mod_loaded klpx; then
		_ec_holders=$(ls /sys/module/klpx/holders 2>/dev/null | xargs)
		[ -z "$_ec_holders" ] || fail "modules still use klpx: $_ec_holders"
		loop_until "[ \"\$(cat /sys/module/klpx/refcnt)\" = 0 ]" 60
		unload_engine
	fi
	[ ! -e /sys/kernel/klpx ] || fail "/sys/kernel/klpx outlived the engine"
	[ ! -e /sys/kernel/debug/klpx ] || fail "/sys/kernel/debug/klpx outlived the engine"
}

# refcnt MODULE: the module's reference count (0 if it is not loaded).
refcnt()
{
	cat "/sys/module/$1/refcnt" 2>/dev/null || echo 0
}

# random N: a number in 0..N-1.
random()
{
	echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 ))
}

# soak_run TEST [VAR=VALUE...]: run selftests/guest/TEST.sh with the given
# settings (the soak's full counts).  make soak runs its scripts one after
# the other in one guest, without the suite's cleanup between them: after a
# failure, remove what the test left, so the next one starts clean.
soak_run()
{
	_sr_test=$1
	shift
	env "$@" sh "$KLPX_ROOT/selftests/guest/$_sr_test.sh" && return 0
	_sr_rc=$?
	echo "$_sr_test failed (exit status $_sr_rc): cleaning up" >&2
	for _sr_p in "$KLPX_SYSFS"/*/; do
		[ "$(cat "$_sr_p/enabled" 2>/dev/null)" = 1 ] && echo 0 >"$_sr_p/enabled" 2>/dev/null
	done
	for _sr_round in 1 2 3 4 5 6 7 8 9 10; do
		_sr_mods=$(cut -d' ' -f1 /proc/modules)
		[ -n "$_sr_mods" ] || break
		for _sr_m in $_sr_mods; do
			rmmod "$_sr_m" 2>/dev/null || true
		done
		sleep 1
	done
	return "$_sr_rc"
}
