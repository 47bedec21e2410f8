// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Version 3 of klpx_target_pair's format pair, a patch that stacks on
 * whatever is there (see reliability_pair_patch.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#define PAIR_VERSION	3
#define PAIR_REPLACE	false
#include "reliability_pair_patch.h"

MODULE_DESCRIPTION("klpx consistency checker: format pair version 3");
