// SPDX-License-Identifier: GPL-2.0-or-later
/* patch_cmdline under another name: a second patch on the same function. */
#include "patch_cmdline.c"
