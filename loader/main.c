// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader: applies klpx live patches and shows how their transitions go.
 * This file parses the command line and dispatches to one file per command.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_tracing.h"
#include "commands.h"
#include "output.h"
#include "transition_view.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "apply", cmd_apply, "load a patch module and follow its transition" },
	{ "revert", cmd_revert, "disable a patch, follow the transition, remove its module" },
	{ "list", cmd_list, "one line per patch: enabled, in transition, replace" },
	{ "status", cmd_status, "patches with their functions, and the running transition" },
	{ "trace", cmd_trace, "stream transition events, whoever starts them, until Ctrl-C" },
	{ "stalled", cmd_stalled, "the tasks holding the running transition, with stacks" },
};

static void print_usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: loader [-j] [-v] [--no-bpf] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'loader COMMAND --help' describes each command.\n"
		"Options: -j/--json for JSON output, -v for libbpf's debug output,\n"
		"--no-bpf (or KLPX_NO_BPF=1) to work from sysfs and debugfs alone.\n");
}

int usage_error(const char *command, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (command)
		report_error("%s (see 'loader %s --help')", message, command);
	else
		report_error("%s (see 'loader --help')", message);
	return EXIT_USAGE;
}

int common_option(int c, const char *command, const char *help, char **argv)
{
	switch (c) {
	case 'h':
		fputs(help, stdout);
		return EXIT_OK;
	case 'j':
		output.json = true;
		return -1;
	case 'v':
		output.verbose = true;
		return -1;
	case OPT_NO_BPF:
		bpf_disabled_by_user = true;
		return -1;
	case ':':
		return usage_error(command, "option '%s' needs a value", argv[optind - 1]);
	case '?':
		if (optopt)
			return usage_error(command, "unknown option '-%c'", optopt);
		return usage_error(command, "unknown option '%s'", argv[optind - 1]);
	default:
		return usage_error(command, "unexpected option");
	}
}

void follow_options_init(struct follow_options *f, int on_timeout,
			 int on_timeout_refused)
{
	f->timeout_s = 60;
	f->on_timeout = on_timeout;
	f->on_timeout_refused = on_timeout_refused;
	f->stall_report_s = 3;
	f->trace = false;
}

int follow_option(int c, const char *command, const char *help, char **argv,
		  struct follow_options *f)
{
	switch (c) {
	case 't':
		f->timeout_s = parse_seconds(optarg);
		if (f->timeout_s < 0)
			return usage_error(command, "--timeout needs a number of seconds, not '%s'",
					   optarg);
		return -1;
	case OPT_ON_TIMEOUT:
		f->on_timeout = on_timeout_parse(optarg);
		if (f->on_timeout < 0 || f->on_timeout == f->on_timeout_refused)
			return usage_error(command, "--on-timeout takes %s, wait or force, not '%s'",
					   f->on_timeout_refused == ON_TIMEOUT_FAIL ? "revert" : "fail",
					   optarg);
		return -1;
	case OPT_STALL_REPORT:
		f->stall_report_s = parse_seconds(optarg);
		if (f->stall_report_s < 0)
			return usage_error(command, "--stall-report needs a number of seconds, not '%s'",
					   optarg);
		return -1;
	case OPT_TRACE:
		f->trace = true;
		return -1;
	default:
		return common_option(c, command, help, argv);
	}
}

void follow_options_done(struct follow_options *f)
{
	if (f->on_timeout == ON_TIMEOUT_WAIT)
		f->timeout_s = 0;
}

double follow_removal_timeout(const struct follow_options *f)
{
	return f->timeout_s > 0 ? f->timeout_s : 60;
}

double parse_seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v != v)
		return -1;
	return v;
}

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits return at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* The live line redraws itself with \r and \e[K, which a dumb terminal lacks. */
static bool stdout_draws_live_line(void)
{
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
}

int main(int argc, char **argv)
{
	const char *env = getenv("KLPX_NO_BPF");
	int first = 1;
	size_t i;

	loader_start_time = monotonic_seconds();
	output.stdout_tty = stdout_draws_live_line();
	if (env && *env && strcmp(env, "0"))
		bpf_disabled_by_user = true;
	install_signal_handlers();

	/* Shared options may also come before the command. */
	for (; first < argc && argv[first][0] == '-'; first++) {
		const char *opt = argv[first];

		if (!strcmp(opt, "-j") || !strcmp(opt, "--json")) {
			output.json = true;
		} else if (!strcmp(opt, "-v") || !strcmp(opt, "--verbose")) {
			output.verbose = true;
		} else if (!strcmp(opt, "--no-bpf")) {
			bpf_disabled_by_user = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			print_usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(opt, "--version")) {
			printf("loader %s\n", LOADER_VERSION);
			return EXIT_OK;
		} else {
			return usage_error(NULL, "unknown option '%s'", opt);
		}
	}
	if (first >= argc) {
		if (output.json)
			return usage_error(NULL, "no command given");
		print_usage(stderr);
		return EXIT_USAGE;
	}

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[first], commands[i].name)) {
			optind = 1;
			opterr = 0;
			return commands[i].run(argc - first, argv + first);
		}
	}
	return usage_error(NULL, "unknown command '%s'", argv[first]);
}
