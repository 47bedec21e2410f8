// SPDX-License-Identifier: GPL-2.0-or-later
/* The next cumulative patch, with the same version-2 console_loglevel state. */
#define CONSOLE_LOGLEVEL_STATE_VERSION	2
#include "compat_state.c"
