// SPDX-License-Identifier: GPL-2.0-or-later
/* Version 2 of the console_loglevel state: it can take the change over. */
#define CONSOLE_LOGLEVEL_STATE_VERSION	2
#include "compat_state.c"
