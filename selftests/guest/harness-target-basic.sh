#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The harness's own check of a plain test target: load klpx_target_basic,
# read the function's result through /proc, compare the kernel log lines
# with check_log, and unload it so the guest is left as it was found.
set -e
. /klpx/selftests/lib.sh

log_mark
load_mod klpx_target_basic
expect_eq "/proc/klpx_target_basic" "$(read_file /proc/klpx_target_basic)" original
unload_mod klpx_target_basic
is_mod_loaded klpx_target_basic && fail "klpx_target_basic still loaded after unload_mod"

check_log klpx_target_basic <<'EXPECTED'
% insmod klpx_target_basic
klpx_target_basic: loaded
% rmmod klpx_target_basic
klpx_target_basic: unloaded
EXPECTED
