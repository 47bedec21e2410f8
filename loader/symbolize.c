// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel addresses to "function+off/size [module]", through /proc/kallsyms. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize.h"

struct ksym {
	unsigned long addr;
	const char *name;	/* in the text buffer: "name" or "name [module]" */
};

static char *ksyms_text;	/* /proc/kallsyms, edited in place */
static struct ksym *ksyms;
static size_t nr_ksyms;
static bool ksyms_tried;

static int compare_ksyms(const void *a, const void *b)
{
	const struct ksym *ka = a, *kb = b;

	return (ka->addr > kb->addr) - (ka->addr < kb->addr);
}

static bool is_text_type(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* The whole file in one buffer: /proc files report no size, so grow it. */
static char *read_whole_file(const char *path)
{
	size_t size = 0, capacity = 1 << 22;
	char *buf = malloc(capacity + 1), *grown;
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + size, 1, capacity - size, f)) > 0) {
		size += n;
		if (size < capacity)
			continue;
		capacity *= 2;
		grown = realloc(buf, capacity + 1);
		if (!grown) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = grown;
	}
	fclose(f);
	buf[size] = '\0';
	return buf;
}

/*
 * Lines are "<address> <type> <name>[\t[<module>]]".  Parsed by hand: a
 * distribution kernel lists some 100,000 symbols, and sscanf on each is
 * slow in an emulated guest.
 */
static void ksyms_load(void)
{
	size_t capacity = 0;
	char *line, *next;

	ksyms_tried = true;
	ksyms_text = read_whole_file("/proc/kallsyms");
	if (!ksyms_text)
		return;
	for (line = ksyms_text; *line; line = next) {
		unsigned long addr;
		char *p, *tab;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		addr = strtoul(line, &p, 16);
		if (!addr || p[0] != ' ' || !p[1] || p[2] != ' ' || !is_text_type(p[1]))
			continue;
		if (nr_ksyms == capacity) {
			struct ksym *grown;

			capacity = capacity ? capacity * 2 : 65536;
			grown = realloc(ksyms, capacity * sizeof(*ksyms));
			if (!grown)
				break;
			ksyms = grown;
		}
		/* "name\t[module]" becomes "name [module]". */
		tab = strchr(p + 3, '\t');
		if (tab)
			*tab = ' ';
		ksyms[nr_ksyms].addr = addr;
		ksyms[nr_ksyms].name = p + 3;
		nr_ksyms++;
	}
	qsort(ksyms, nr_ksyms, sizeof(*ksyms), compare_ksyms);
}

/* The last symbol at or below addr; its size runs to the next symbol. */
void symbolize(unsigned long addr, char *buf, size_t len)
{
	size_t lo = 0, hi;
	const struct ksym *sym;
	unsigned long size;
	const char *module;
	int name_len;

	if (!ksyms_tried)
		ksyms_load();
	hi = nr_ksyms;
	if (!nr_ksyms || addr < ksyms[0].addr) {
		snprintf(buf, len, "0x%lx", addr);
		return;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	sym = &ksyms[lo];
	size = lo + 1 < nr_ksyms ? ksyms[lo + 1].addr - sym->addr : 0;
	module = strchr(sym->name, ' ');
	name_len = module ? (int)(module - sym->name) : (int)strlen(sym->name);
	snprintf(buf, len, "%.*s+0x%lx/0x%lx%s", name_len, sym->name,
		 addr - sym->addr, size, module ? module : "");
}
