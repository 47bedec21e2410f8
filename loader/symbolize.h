/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel addresses to "function+off/size [module]", through /proc/kallsyms. */
#ifndef LOADER_SYMBOLIZE_H
#define LOADER_SYMBOLIZE_H

#include <stddef.h>

/*
 * Writes the symbol for addr into buf, or the bare address when
 * /proc/kallsyms is unreadable or hides addresses (kptr_restrict).
 * Loads the symbol table on first use.
 */
void symbolize(unsigned long addr, char *buf, size_t len);

#endif
