/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_STATE_H
#define _KLPX_STATE_H

#include <klpx/livepatch.h>

bool klpx_is_patch_compatible(struct klpx_patch *patch);

#endif /* _KLPX_STATE_H */
