// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's reasons, read from /dev/kmsg. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel_log.h"

void kernel_log_mark(struct kernel_log *log)
{
	log->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (log->fd >= 0 && lseek(log->fd, 0, SEEK_END) < 0) {
		close(log->fd);
		log->fd = -1;
	}
}

static bool matches(const char *message, const char *const *needles)
{
	for (; *needles; needles++)
		if (strstr(message, *needles))
			return true;
	return false;
}

int kernel_log_new_lines(struct kernel_log *log, const char *const *needles,
			 char **lines, int max)
{
	char record[4096];
	int nr = 0;

	if (log->fd < 0)
		return 0;
	for (;;) {
		char *message, *end;
		ssize_t n;

		/* One record per read: "prio,seq,time,flags;text\n[ KEY=value\n...]" */
		n = read(log->fd, record, sizeof(record) - 1);
		if (n < 0) {
			if (errno == EPIPE)	/* overwritten before we read it */
				continue;
			break;			/* EAGAIN: no more */
		}
		if (n == 0)
			break;
		record[n] = '\0';
		message = strchr(record, ';');
		if (!message)
			continue;
		message++;
		end = strchr(message, '\n');
		if (end)
			*end = '\0';
		if (nr < max && matches(message, needles)) {
			lines[nr] = strdup(message);
			if (lines[nr])
				nr++;
		}
	}
	return nr;
}

void kernel_log_close(struct kernel_log *log)
{
	if (log->fd >= 0)
		close(log->fd);
	log->fd = -1;
}
