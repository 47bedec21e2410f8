/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What apply and revert report at the end: the outcome, the time taken, the
 * switch points used, the patches replaced and the functions that went back
 * to the original code (found by comparing sysfs before and after).
 */
#ifndef LOADER_SUMMARY_H
#define LOADER_SUMMARY_H

#include <stdbool.h>
#include "sysfs.h"

struct transition_view;

#define SUMMARY_MAX_KERNEL_LINES 16

struct summary {
	const char *command;		/* "apply" or "revert" */
	const char *patch;
	const char *module_path;	/* NULL when not given */
	const char *result;		/* "patched", "unpatched", "reverted", ... */
	int exit_code;
	bool bpf;
	char bpf_error[256];		/* why BPF is not used, "" if it is */
	char engine[300];		/* how the engine was loaded, "" if it was there */
	struct transition_view *view;	/* NULL if no transition was followed */
	bool module_removed;
	char message[512];		/* one line: what happened or failed */
	char *kernel_log[SUMMARY_MAX_KERNEL_LINES];
	int nr_kernel_log;

	char **replaced;
	int nr_replaced;
	struct func_info *reverted;
	int nr_reverted;
};

/*
 * Fills replaced/reverted from two sysfs snapshots.  Patches named in
 * `replaced` count as gone from `after` even if they are still being freed.
 */
int summary_compare(struct summary *s, const struct patch_list *before,
		    const struct patch_list *after);

int summary_add_replaced(struct summary *s, const char *patch);

/* Prints the summary (text) or the command's one JSON document. */
void summary_print(const struct summary *s);
void summary_free(struct summary *s);

#endif
