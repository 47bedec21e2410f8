#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# selftests/guest/engine-ops-reuse.sh with 12 rounds instead of 3.
OPS_ROUNDS=12 exec sh /klpx/selftests/guest/engine-ops-reuse.sh
