// SPDX-License-Identifier: GPL-2.0-or-later
/* Version 2 of the leak fix: frees each buffer through its shadow variable. */
#define LEAKFIX_FREES_BUFFERS	1
#include "leakfix_v1.c"
