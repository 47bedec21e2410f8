/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel modules: reading .modinfo, loading, removing, and the engine. */
#ifndef LOADER_MODULE_LOAD_H
#define LOADER_MODULE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <klpx/events.h>

enum module_kind {
	MODULE_KLPX_PATCH,		/* depends on klpx */
	MODULE_NATIVE_LIVEPATCH,	/* livepatch=Y, no dependency on klpx */
	MODULE_PLAIN,			/* neither */
};

struct modinfo {
	char name[KLPX_NAME_LEN];
	char depends[256];
	char vermagic[128];
	bool livepatch;
	enum module_kind kind;
};

/*
 * Reads a module file's .modinfo without loading it.  On failure returns
 * -errno and puts in `why` what is wrong with the file.
 */
int modinfo_read(const char *path, struct modinfo *mi, char *why, size_t why_len);

/* finit_module, or init_module where finit_module is missing; -errno. */
int module_load_file(const char *path, const char *params);

/* A loadable module of that name is in the kernel (any state). */
bool module_is_loaded(const char *name);
/* Its reference count, or -1 if unknown. */
int module_refcount(const char *name);

/*
 * Removes a module, retrying while its reference count drops (a patch's
 * teardown finishes asynchronously).  Returns 0, or -errno after
 * timeout_s seconds (EWOULDBLOCK/EBUSY: still in use).
 */
int module_remove(const char *name, double timeout_s);

/*
 * Loads the engine if it is absent: override if given, else kernel/klpx.ko
 * next to the loader, else `modprobe klpx`.  `how` receives what was done
 * ("" if the engine was already loaded); on failure `why` says what failed.
 */
int engine_ensure_loaded(const char *override, char *how, size_t how_len,
			 char *why, size_t why_len);

/* The directory holding this loader binary. */
int loader_directory(char *dir, size_t len);

#endif
