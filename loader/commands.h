/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loader's commands, one file each, and the options they share. */
#ifndef LOADER_COMMANDS_H
#define LOADER_COMMANDS_H

#include <getopt.h>
#include <stdbool.h>

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

/* How apply and revert follow the transition they start. */
struct follow_options {
	double timeout_s;		/* 0: no limit */
	int on_timeout;			/* enum on_timeout */
	int on_timeout_refused;		/* the action the command cannot take */
	double stall_report_s;
	bool trace;
};

#define FOLLOW_SHORT_OPTIONS "t:"
#define FOLLOW_LONG_OPTIONS						\
	{ "timeout", required_argument, NULL, 't' },			\
	{ "on-timeout", required_argument, NULL, OPT_ON_TIMEOUT },	\
	{ "stall-report", required_argument, NULL, OPT_STALL_REPORT },	\
	{ "trace", no_argument, NULL, OPT_TRACE }

/* The defaults: 60 s, then on_timeout; a stall report after 3 s. */
void follow_options_init(struct follow_options *f, int on_timeout,
			 int on_timeout_refused);

/* Like common_option(), for the follow options as well as the shared ones. */
int follow_option(int c, const char *command, const char *help, char **argv,
		  struct follow_options *f);

/* After the last option: --on-timeout wait means no time limit. */
void follow_options_done(struct follow_options *f);

/* How long to wait for a patch module to become removable. */
double follow_removal_timeout(const struct follow_options *f);

/* Reports a usage error as one line and returns EXIT_USAGE. */
int usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses a non-negative number of seconds; -1 if it is not one. */
double parse_seconds(const char *s);

#endif
