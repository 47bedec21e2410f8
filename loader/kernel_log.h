/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's reasons, read from /dev/kmsg. */
#ifndef LOADER_KERNEL_LOG_H
#define LOADER_KERNEL_LOG_H

struct kernel_log {
	int fd;			/* /dev/kmsg positioned at its end, -1 if unreadable */
};

/* Remembers where the log ends now, so later reads see only new lines. */
void kernel_log_mark(struct kernel_log *log);

/*
 * Collects the messages logged since the mark that contain one of the
 * needles (a NULL-terminated list).  Returns how many were stored in
 * lines[0..max-1]; the caller frees each line.
 */
int kernel_log_new_lines(struct kernel_log *log, const char *const *needles,
			 char **lines, int max);

void kernel_log_close(struct kernel_log *log);

#endif
