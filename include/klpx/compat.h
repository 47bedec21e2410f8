/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Source compatibility with the kernel's livepatch API.
 *
 * Force-include this header (-include klpx/compat.h) when building a patch
 * source written for <linux/livepatch.h>.  It defines that header's include
 * guard so the kernel's declarations never appear, and maps every klp_* name
 * onto klpx's.  klpx exports no klp_* symbol: the names below are macros, so
 * the module links against klpx and not against the kernel's own livepatch.
 */
#ifndef _KLPX_COMPAT_H
#define _KLPX_COMPAT_H

/* Keep <linux/livepatch.h> out: its klp_* prototypes would clash. */
#define _LINUX_LIVEPATCH_H_

/*
 * Force-included, this header comes before the source's own pr_fmt, and the
 * kernel headers below would set the bare default.  Livepatch sources
 * almost always define exactly this one, which may then be repeated without
 * a warning.
 */
#ifndef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#endif

#include <klpx/livepatch.h>

#define KLP_UNDEFINED		KLPX_UNDEFINED
#define KLP_UNPATCHED		KLPX_UNPATCHED
#define KLP_PATCHED		KLPX_PATCHED

#define klp_func		klpx_func
#define klp_object		klpx_object
#define klp_callbacks		klpx_callbacks
#define klp_state		klpx_state
#define klp_patch		klpx_patch
#define klp_shadow_ctor_t	klpx_shadow_ctor_t
#define klp_shadow_dtor_t	klpx_shadow_dtor_t

#define klp_enable_patch	klpx_enable_patch
#define klp_shadow_get		klpx_shadow_get
#define klp_shadow_alloc	klpx_shadow_alloc
#define klp_shadow_get_or_alloc	klpx_shadow_get_or_alloc
#define klp_shadow_free		klpx_shadow_free
#define klp_shadow_free_all	klpx_shadow_free_all
#define klp_get_state		klpx_get_state
#define klp_get_prev_state	klpx_get_prev_state

#endif /* _KLPX_COMPAT_H */
