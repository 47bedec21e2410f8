#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The engine stress test (selftests/guest/engine-stress.sh) with 200
# enable/disable cycles instead of 20.
STRESS_CYCLES=200 exec sh /klpx/selftests/guest/engine-stress.sh
