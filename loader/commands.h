/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loader's commands, one file each, and the options they share. */
#ifndef LOADER_COMMANDS_H
#define LOADER_COMMANDS_H

#include <getopt.h>

int cmd_apply(int argc, char **argv);
int cmd_revert(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_stalled(int argc, char **argv);

enum {
	OPT_NO_BPF = 0x100,
	OPT_ENGINE,
	OPT_ON_TIMEOUT,
	OPT_STALL_REPORT,
	OPT_TRACE,
};

/* Every command takes these; short ones go first in its optstring. */
#define COMMON_SHORT_OPTIONS ":hjv"
#define COMMON_LONG_OPTIONS					\
	{ "help", no_argument, NULL, 'h' },			\
	{ "json", no_argument, NULL, 'j' },			\
	{ "verbose", no_argument, NULL, 'v' },			\
	{ "no-bpf", no_argument, NULL, OPT_NO_BPF }

#define COMMON_OPTIONS_HELP						\
	"      --no-bpf               work without BPF (also KLPX_NO_BPF=1)\n" \
	"  -j, --json                 machine-readable output (keys in README)\n" \
	"  -v, --verbose              show libbpf's debug output\n"	\
	"  -h, --help                 show this help\n"

/*
 * Handles a shared option or one of getopt's errors for `command`.
 * Returns -1 if the option was consumed, else the exit status to return
 * at once (0 after --help, EXIT_USAGE after a usage error).
 */
int common_option(int c, const char *command, const char *help, char **argv);

/* Reports a usage error as one line and returns EXIT_USAGE. */
int usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses a non-negative number of seconds; -1 if it is not one. */
double parse_seconds(const char *s);

#endif
