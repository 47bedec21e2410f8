// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel addresses to "function+off/size [module]", through /proc/kallsyms. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize.h"

struct ksym {
	unsigned long addr;
	const char *name;	/* "name" or "name\t[module]", in the name pool */
};

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

static void ksyms_load(void)
{
	size_t capacity = 0;
	char line[512];
	FILE *f;

	ksyms_tried = true;
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char name[256], module[128] = "", type;
		unsigned long addr;
		char *entry;
		int fields;

		fields = sscanf(line, "%lx %c %255s [%127[^]]]", &addr, &type, name, module);
		if (fields < 3 || !addr || !is_text_type(type))
			continue;
		if (nr_ksyms == capacity) {
			struct ksym *grown;

			capacity = capacity ? capacity * 2 : 65536;
			grown = realloc(ksyms, capacity * sizeof(*ksyms));
			if (!grown)
				break;
			ksyms = grown;
		}
		if (fields == 4) {
			size_t len = strlen(name) + strlen(module) + 4;

			entry = malloc(len);
			if (entry)
				snprintf(entry, len, "%s [%s]", name, module);
		} else {
			entry = strdup(name);
		}
		if (!entry)
			break;
		ksyms[nr_ksyms].addr = addr;
		ksyms[nr_ksyms].name = entry;
		nr_ksyms++;
	}
	fclose(f);
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
