// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insmod-once FILE [PARAM...]: load a kernel module with a single
 * finit_module() call.
 *
 * busybox's insmod retries a failed finit_module() with init_module(), so
 * a module whose load fails runs its init (and the engine its checks) twice,
 * and every message of the failure shows up twice in the kernel log.  Tests
 * that check such logs load through this tool instead.
 *
 * On failure it prints "insmod-once: could not insert 'FILE': <error>" and
 * exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len = 1;
	char *params;
	int fd, i;

	if (argc < 2) {
		fprintf(stderr, "usage: insmod-once FILE [PARAM...]\n");
		return 64;
	}

	for (i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	params = calloc(1, len);
	if (!params) {
		perror("insmod-once: calloc");
		return 1;
	}
	for (i = 2; i < argc; i++) {
		if (i > 2)
			strcat(params, " ");
		strcat(params, argv[i]);
	}

	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "insmod-once: cannot open '%s': %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	if (syscall(SYS_finit_module, fd, params, 0)) {
		fprintf(stderr, "insmod-once: could not insert '%s': %s\n",
			argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	free(params);
	return 0;
}
