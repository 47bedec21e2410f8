#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The harness self-test: a kernel WARN must fail the run.  Loading
# klpx_harness_warn warns on purpose; with panic_on_warn=1 the guest dies
# right there.  The host passes this test only if its console check found
# the warning in this test's part of the console, so the test proves that
# the check works.  It needs a boot of its own, since the guest dies.
#
# klpx-test: expect-kernel-report WARNING:.*klpx_harness_warn
. /klpx/selftests/lib.sh

load_mod klpx_harness_warn
# Still alive: panic_on_warn did not stop the guest.
fail "the guest survived a WARN: panic_on_warn is not in effect"
