/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text and JSON output shared by every command. */
#ifndef LOADER_OUTPUT_H
#define LOADER_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#define LOADER_VERSION "0.1"

/* Exit codes (see README, "Loader"). */
#define EXIT_OK			0
#define EXIT_FAILED		1
#define EXIT_TIMED_OUT		2
#define EXIT_FORCED		3
#define EXIT_USAGE		64
#define EXIT_INTERRUPTED	130

struct output_mode {
	bool json;		/* -j: machine-readable stdout */
	bool verbose;		/* -v: libbpf debug output */
	bool stdout_tty;	/* live progress line instead of one per second */
};

extern struct output_mode output;

/*
 * One line saying what failed and what to do.  Text mode writes
 * "loader: <message>" to stderr; JSON mode writes {"error": "<message>"}
 * to stdout, since a JSON consumer reads only stdout.
 */
void report_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An informational line on stderr (both modes; stdout stays clean JSON). */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Text-mode line on stdout; does nothing in JSON mode. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The live progress line on a TTY: redrawn in place, cleared by say(). */
void live_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void live_line_clear(void);

/* CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns(), in seconds. */
double monotonic_seconds(void);
/* monotonic_seconds() when the loader started: event times count from it. */
extern double loader_start_time;

/*
 * A small streaming JSON writer: one document per line, keys in the order
 * written.  Inside an object every value takes a key; inside an array and at
 * the top level the key is NULL.
 */
#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_begin(struct json *j, FILE *out);
void json_object_open(struct json *j, const char *key);
void json_object_close(struct json *j);
void json_array_open(struct json *j, const char *key);
void json_array_close(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_int(struct json *j, const char *key, long long value);
void json_double(struct json *j, const char *key, double value);
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
/* Ends the document with a newline and flushes it. */
void json_end(struct json *j);

#endif
