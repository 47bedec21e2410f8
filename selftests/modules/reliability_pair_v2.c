// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Version 2 of klpx_target_pair's format pair, a cumulative replace
 * (see reliability_pair_patch.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#define PAIR_VERSION	2
#define PAIR_REPLACE	true
#include "reliability_pair_patch.h"

MODULE_DESCRIPTION("klpx consistency checker: format pair version 2");
