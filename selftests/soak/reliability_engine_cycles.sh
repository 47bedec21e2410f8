#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Engine load/unload cycles (selftests/guest/reliability_engine_cycles.sh):
# 50 instead of 20.
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh
soak_run reliability_engine_cycles RELIABILITY_ENGINE_CYCLES=50
