#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The loader killed at any moment of an apply
# (selftests/guest/reliability_loader_killed.sh): 30 rounds instead of 6.
. /klpx/selftests/lib.sh
. /klpx/selftests/reliability/lib.sh
soak_run reliability_loader_killed RELIABILITY_LOADER_ROUNDS=30
