#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The leak check (selftests/guest/reliability_leaks.sh) with 200
# apply/revert cycles instead of 20.
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh
soak_run reliability_leaks RELIABILITY_LEAK_CYCLES=200
