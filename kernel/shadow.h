/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_SHADOW_H
#define _KLPX_SHADOW_H

/*
 * Called from the engine's module exit, once no patch module is left: frees
 * every shadow variable still attached, without calling any destructor
 * (destructors live in patch modules, which are gone by then).
 */
void klpx_shadow_exit(void);

#endif /* _KLPX_SHADOW_H */
