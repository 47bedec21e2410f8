// SPDX-License-Identifier: GPL-2.0-or-later
/* Text and JSON output shared by every command. */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "output.h"

struct output_mode output;
double loader_start_time;

static bool live_line_shown;

void live_line_clear(void)
{
	if (live_line_shown) {
		fputs("\r\033[K", stdout);
		fflush(stdout);
		live_line_shown = false;
	}
}

void live_line(const char *fmt, ...)
{
	va_list ap;

	if (output.json)
		return;
	fputs("\r\033[K", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
	live_line_shown = true;
}

void say(const char *fmt, ...)
{
	va_list ap;

	if (output.json)
		return;
	live_line_clear();
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void note(const char *fmt, ...)
{
	va_list ap;

	live_line_clear();
	fflush(stdout);
	fputs("loader: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void report_error(const char *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);

	live_line_clear();
	if (output.json) {
		struct json j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_string(&j, "error", message);
		json_object_close(&j);
		json_end(&j);
	} else {
		fflush(stdout);
		fprintf(stderr, "loader: %s\n", message);
	}
}

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* JSON writer */

void json_begin(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

static void json_put_string(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void json_value_prefix(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->out);
	j->need_comma[j->depth] = true;
	if (key) {
		json_put_string(j->out, key);
		fputc(':', j->out);
	}
}

static void json_push(struct json *j, const char *key, char bracket)
{
	json_value_prefix(j, key);
	fputc(bracket, j->out);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_pop(struct json *j, char bracket)
{
	fputc(bracket, j->out);
	if (j->depth > 0)
		j->depth--;
}

void json_object_open(struct json *j, const char *key)
{
	json_push(j, key, '{');
}

void json_object_close(struct json *j)
{
	json_pop(j, '}');
}

void json_array_open(struct json *j, const char *key)
{
	json_push(j, key, '[');
}

void json_array_close(struct json *j)
{
	json_pop(j, ']');
}

void json_string(struct json *j, const char *key, const char *value)
{
	if (!value) {
		json_null(j, key);
		return;
	}
	json_value_prefix(j, key);
	json_put_string(j->out, value);
}

void json_int(struct json *j, const char *key, long long value)
{
	json_value_prefix(j, key);
	fprintf(j->out, "%lld", value);
}

void json_double(struct json *j, const char *key, double value)
{
	if (!isfinite(value)) {
		json_null(j, key);
		return;
	}
	json_value_prefix(j, key);
	fprintf(j->out, "%.3f", value);
}

void json_bool(struct json *j, const char *key, bool value)
{
	json_value_prefix(j, key);
	fputs(value ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
	json_value_prefix(j, key);
	fputs("null", j->out);
}

void json_end(struct json *j)
{
	fputc('\n', j->out);
	fflush(j->out);
}
