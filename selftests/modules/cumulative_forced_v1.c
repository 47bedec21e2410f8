// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cumulative_v1 under another name, for the forced-replace test: a forced
 * transition pins the module of the patch it replaces for good, so that
 * test must not pin the module the other tests load.
 */
#include "cumulative_v1.c"
