#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The klpx demo, run in the guest by `make demo`.  Step by step, with the
# loader: apply a patch while tracing its transition, replace it with a
# cumulative patch that drops one of its functions, add a state, watch a
# transition held by a task sleeping in a patched function (named with its
# stack) complete when the task leaves, fix a memory leak with a shadow
# variable, and revert everything.
set -e
set -o pipefail

L=/klpx/loader
S=/klpx/samples
cd /klpx

step()
{
	echo
	echo "==> $*"
}

# run CMD...: show the command, then run it ("loader" is /klpx/loader).
run()
{
	echo "# $*"
	case "$1" in
	loader) shift; "$L" "$@" ;;
	*) "$@" ;;
	esac
}

# The loader's BPF programs as bpftool lists them: id, type, name, metadata.
bpf_programs()
{
	bpftool prog show | awk '
		/^[0-9]+: / { show = / name klpx_/; if (show) print }
		show && /(patch|loader_version) = / { print }'
}

step "The running kernel, before any patch"
run cat /proc/cmdline
run cat /proc/version

step "Apply klpx_demo_v1 (changes cmdline_proc_show and version_proc_show).
    The loader loads the klpx engine, attaches its BPF programs, loads the
    patch module and, with --trace, prints each transition event: every
    task switching to the new code, the switch point that moved it, and
    each walk of the engine over the tasks."
run loader apply --trace "$S/klpx_demo_v1.ko"

step "The change is live"
run cat /proc/cmdline
run cat /proc/version
run loader list

step "Apply klpx_demo_v2, a cumulative patch (replace = true).  It replaces
    v1 in one transition and drops v1's change to version_proc_show: the
    summary names the replaced patch and the function back to the original."
run loader apply "$S/klpx_demo_v2.ko"
run cat /proc/cmdline
run cat /proc/version

step "Apply klpx_demo_v3: it counts /proc/cmdline readers in a klpx_state"
run loader apply "$S/klpx_demo_v3.ko"
run cat /proc/cmdline
run cat /proc/cmdline

step "Going back to v2 is refused: v2 does not handle v3's state.  v2 was
    replaced, so first its module goes; then the engine refuses the load,
    the loader prints the kernel's reason, and nothing changes."
run loader revert klpx_demo_v2
run loader apply "$S/klpx_demo_v2.ko" || echo "(exit status $?)"
run loader status

step "A stalled transition.  The klpx_sleeper module's kthread is held
    asleep inside klpx_sleeper_nap(), the function klpx_sleeper_fix
    changes, so that task cannot switch.  After 2 s the loader names it,
    with its kernel stack; once released, it leaves the function and the
    transition completes."
run insmod "$S/klpx_sleeper.ko"
echo "# echo hold >/proc/klpx_sleeper"
echo hold >/proc/klpx_sleeper
sleep 0.5
run cat /proc/klpx_sleeper
(
	# Each part is written at once, so that the loader's progress lines,
	# one a second, fall between the parts and not inside them.
	sleep 4
	{
		step "Meanwhile, 'bpftool prog show' lists the loader's BPF programs, named
    klpx_*, with the patch and the loader version in their metadata"
		echo "# bpftool prog show"
		bpf_programs
	} >/tmp/demo-part 2>&1
	cat /tmp/demo-part
	{
		step "And 'loader stalled' gives a one-shot report of the same task"
		run loader stalled
	} >/tmp/demo-part 2>&1
	cat /tmp/demo-part
	sleep 1
	step "Releasing the kthread"
	echo "# echo release >/proc/klpx_sleeper"
	echo release >/proc/klpx_sleeper
) &
narrator=$!
run loader apply --stall-report 2 "$S/klpx_sleeper_fix.ko"
wait $narrator

step "The next nap runs the new code"
echo hold >/proc/klpx_sleeper
sleep 0.3
echo release >/proc/klpx_sleeper
sleep 0.3
run cat /proc/klpx_sleeper

step "The loader has exited: none of its BPF programs is left"
programs=$(bpf_programs)
echo "${programs:-(no klpx_ program)}"

step "A memory leak fixed with a shadow variable.  klpx_leaky leaks a 4 KiB
    buffer per open of /proc/klpx_leaky; klpx_leaky_fix attaches each new
    buffer to its session and frees it when the session ends."
run insmod "$S/klpx_leaky.ko"
cat /proc/klpx_leaky >/dev/null
run grep leaked /proc/klpx_leaky
run grep leaked /proc/klpx_leaky
run loader apply "$S/klpx_leaky_fix.ko"
echo "(each read now frees its buffer: the count stops growing)"
run grep leaked /proc/klpx_leaky
run grep leaked /proc/klpx_leaky

step "Revert everything.  v1 was replaced: only its module is left, and
    revert removes it."
run loader revert klpx_leaky_fix
run loader revert klpx_sleeper_fix
run loader revert klpx_demo_v3
run loader revert klpx_demo_v1
run rmmod klpx_leaky klpx_sleeper
run loader list
run cat /proc/cmdline
run cat /proc/version

step "Done"
