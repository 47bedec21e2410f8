#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The consistency checker (selftests/guest/reliability_consistency.sh) with
# 500 transitions instead of 20.
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh
soak_run reliability_consistency RELIABILITY_TRANSITIONS=500
