// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jsonq: check and query JSON in the guest, which has no python or jq.
 *
 *	jsonq [FILE]            exit 0 if the input is one valid JSON value
 *	jsonq PATH [FILE]       print the value at PATH
 *	jsonq -l PATH [FILE]    print the number of members or elements at PATH
 *	jsonq -t PATH [FILE]    print the type at PATH (object, array, string,
 *	                        number, true, false, null)
 *	jsonq -n [FILE]         check a stream of values, one per line (JSON
 *	                        lines); print how many there are
 *
 * PATH is "." for the whole value, or a chain of ".key" and "[index]", for
 * example .patches[0].name.  A string prints without quotes, with its
 * escapes decoded; an object or array prints as its JSON text.  The exit
 * status is 0 when the value exists, 1 when PATH is absent, 2 for input
 * that is not valid JSON (with the byte offset on stderr), 64 for usage.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_ABSENT = 1, EXIT_INVALID = 2, EXIT_USAGE = 64 };

struct parser {
	const char *text;
	size_t len;
	size_t pos;
};

static void invalid(const struct parser *p, const char *what)
{
	fprintf(stderr, "jsonq: invalid JSON at byte %zu: %s\n", p->pos, what);
	exit(EXIT_INVALID);
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->text[p->pos]))
		p->pos++;
}

static bool peek_is(struct parser *p, char c)
{
	skip_space(p);
	return p->pos < p->len && p->text[p->pos] == c;
}

static void expect_char(struct parser *p, char c)
{
	char msg[32];

	if (!peek_is(p, c)) {
		snprintf(msg, sizeof(msg), "expected '%c'", c);
		invalid(p, msg);
	}
	p->pos++;
}

static void skip_value(struct parser *p);

static void skip_string(struct parser *p)
{
	expect_char(p, '"');
	while (p->pos < p->len) {
		unsigned char c = p->text[p->pos++];

		if (c == '"')
			return;
		if (c < 0x20)
			invalid(p, "control character in a string");
		if (c != '\\')
			continue;
		if (p->pos >= p->len)
			break;
		c = p->text[p->pos++];
		if (c == 'u') {
			for (int i = 0; i < 4; i++, p->pos++)
				if (p->pos >= p->len || !isxdigit((unsigned char)p->text[p->pos]))
					invalid(p, "bad \\u escape");
		} else if (!strchr("\"\\/bfnrt", c)) {
			invalid(p, "bad escape");
		}
	}
	invalid(p, "unterminated string");
}

static void skip_digits(struct parser *p)
{
	size_t start = p->pos;

	while (p->pos < p->len && isdigit((unsigned char)p->text[p->pos]))
		p->pos++;
	if (p->pos == start)
		invalid(p, "expected a digit");
}

static void skip_number(struct parser *p)
{
	if (p->text[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->text[p->pos] == '0')
		p->pos++;
	else
		skip_digits(p);
	if (p->pos < p->len && p->text[p->pos] == '.') {
		p->pos++;
		skip_digits(p);
	}
	if (p->pos < p->len && (p->text[p->pos] == 'e' || p->text[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->text[p->pos] == '+' || p->text[p->pos] == '-'))
			p->pos++;
		skip_digits(p);
	}
}

static void skip_word(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || strncmp(p->text + p->pos, word, n))
		invalid(p, "unexpected character");
	p->pos += n;
}

static void skip_value(struct parser *p)
{
	skip_space(p);
	if (p->pos >= p->len)
		invalid(p, "unexpected end of input");

	switch (p->text[p->pos]) {
	case '{':
		p->pos++;
		if (peek_is(p, '}')) {
			p->pos++;
			return;
		}
		do {
			skip_space(p);
			skip_string(p);
			expect_char(p, ':');
			skip_value(p);
		} while (peek_is(p, ',') && ++p->pos);
		expect_char(p, '}');
		return;
	case '[':
		p->pos++;
		if (peek_is(p, ']')) {
			p->pos++;
			return;
		}
		do {
			skip_value(p);
		} while (peek_is(p, ',') && ++p->pos);
		expect_char(p, ']');
		return;
	case '"':
		skip_string(p);
		return;
	case 't':
		skip_word(p, "true");
		return;
	case 'f':
		skip_word(p, "false");
		return;
	case 'n':
		skip_word(p, "null");
		return;
	default:
		if (p->text[p->pos] == '-' || isdigit((unsigned char)p->text[p->pos])) {
			skip_number(p);
			return;
		}
		invalid(p, "unexpected character");
	}
}

/* Does the JSON string at pos (opening quote included) equal key? */
static bool string_equals(const struct parser *p, size_t pos, const char *key, size_t keylen)
{
	size_t end = pos + 1 + keylen;

	return end < p->len && p->text[end] == '"' &&
	       !memcmp(p->text + pos + 1, key, keylen) &&
	       !memchr(p->text + pos + 1, '\\', keylen);
}

/*
 * Move p to the member or element that one PATH step names.  Returns false
 * when it does not exist.  The input was validated beforehand.
 */
static bool step_into(struct parser *p, const char **path)
{
	const char *s = *path;

	skip_space(p);
	if (*s == '.') {
		size_t keylen = strcspn(s + 1, ".[");

		*path = s + 1 + keylen;
		if (p->text[p->pos] != '{')
			return false;
		p->pos++;
		if (peek_is(p, '}'))
			return false;
		do {
			size_t key_pos;

			skip_space(p);
			key_pos = p->pos;
			skip_string(p);
			expect_char(p, ':');
			if (string_equals(p, key_pos, s + 1, keylen)) {
				skip_space(p);
				return true;
			}
			skip_value(p);
		} while (peek_is(p, ',') && ++p->pos);
		return false;
	}
	if (*s == '[') {
		char *end;
		long index = strtol(s + 1, &end, 10);

		if (end == s + 1 || *end != ']' || index < 0) {
			fprintf(stderr, "jsonq: bad index in path at '%s'\n", s);
			exit(EXIT_USAGE);
		}
		*path = end + 1;
		if (p->text[p->pos] != '[')
			return false;
		p->pos++;
		if (peek_is(p, ']'))
			return false;
		for (long i = 0;; i++) {
			if (i == index) {
				skip_space(p);
				return true;
			}
			skip_value(p);
			if (!peek_is(p, ','))
				return false;
			p->pos++;
		}
	}
	fprintf(stderr, "jsonq: bad path at '%s' (use .key and [index])\n", s);
	exit(EXIT_USAGE);
}

static void print_string(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c != '\\') {
			putchar(c);
			continue;
		}
		c = s[++i];
		switch (c) {
		case 'b': putchar('\b'); break;
		case 'f': putchar('\f'); break;
		case 'n': putchar('\n'); break;
		case 'r': putchar('\r'); break;
		case 't': putchar('\t'); break;
		case 'u': {
			unsigned int code = strtoul((char[]){ s[i + 1], s[i + 2], s[i + 3], s[i + 4], 0 },
						    NULL, 16);

			i += 4;
			/* Enough for the ASCII a test compares; others print as '?'. */
			putchar(code < 0x80 ? (int)code : '?');
			break;
		}
		default: putchar(c); break;
		}
	}
}

static const char *type_name(char c)
{
	switch (c) {
	case '{': return "object";
	case '[': return "array";
	case '"': return "string";
	case 't': return "true";
	case 'f': return "false";
	case 'n': return "null";
	default: return "number";
	}
}

static long count_members(struct parser *p)
{
	char open = p->text[p->pos];
	long n = 0;

	if (open != '{' && open != '[')
		return -1;
	p->pos++;
	if (peek_is(p, open == '{' ? '}' : ']'))
		return 0;
	do {
		if (open == '{') {
			skip_space(p);
			skip_string(p);
			expect_char(p, ':');
		}
		skip_value(p);
		n++;
	} while (peek_is(p, ',') && ++p->pos);
	return n;
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				return NULL;
			}
			*len = n;
			return buf;
		}
		cap *= 2;
		buf = realloc(buf, cap);
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: jsonq [-l|-t] [PATH] [FILE]  or  jsonq -n [FILE]\n");
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	enum { SHOW, LENGTH, TYPE, LINES } mode = SHOW;
	const char *path = NULL, *file = NULL;
	struct parser p = { 0 };
	FILE *f = stdin;
	int arg = 1;

	if (arg < argc && argv[arg][0] == '-' && argv[arg][1]) {
		if (!strcmp(argv[arg], "-l"))
			mode = LENGTH;
		else if (!strcmp(argv[arg], "-t"))
			mode = TYPE;
		else if (!strcmp(argv[arg], "-n"))
			mode = LINES;
		else
			usage();
		arg++;
	}
	if (mode != LINES && arg < argc && (argv[arg][0] == '.' || argv[arg][0] == '['))
		path = argv[arg++];
	if ((mode == LENGTH || mode == TYPE) && !path)
		usage();
	if (arg < argc)
		file = argv[arg++];
	if (arg < argc)
		usage();

	if (file && strcmp(file, "-")) {
		f = fopen(file, "r");
		if (!f) {
			fprintf(stderr, "jsonq: cannot open %s: %s\n", file, strerror(errno));
			return EXIT_INVALID;
		}
	}
	p.text = read_all(f, &p.len);
	if (!p.text) {
		fprintf(stderr, "jsonq: cannot read the input: %s\n", strerror(errno));
		return EXIT_INVALID;
	}

	if (mode == LINES) {
		long n = 0;

		while (skip_space(&p), p.pos < p.len) {
			skip_value(&p);
			while (p.pos < p.len && strchr(" \t\r", p.text[p.pos]))
				p.pos++;
			if (p.pos < p.len && p.text[p.pos] != '\n')
				invalid(&p, "more than one value on a line");
			n++;
		}
		printf("%ld\n", n);
		return 0;
	}

	/* Validate the whole input first: a query must never pass on bad JSON. */
	skip_value(&p);
	skip_space(&p);
	if (p.pos != p.len)
		invalid(&p, "trailing characters after the value");
	if (!path)
		return 0;

	p.pos = 0;
	skip_space(&p);
	for (const char *s = path[0] == '.' && path[1] == '\0' ? "" : path; *s;)
		if (!step_into(&p, &s))
			return EXIT_ABSENT;

	if (mode == TYPE) {
		printf("%s\n", type_name(p.text[p.pos]));
	} else if (mode == LENGTH) {
		long n = count_members(&p);

		if (n < 0) {
			fprintf(stderr, "jsonq: %s is a %s, not an object or array\n",
				path, type_name(p.text[p.pos]));
			return EXIT_ABSENT;
		}
		printf("%ld\n", n);
	} else {
		size_t start = p.pos;

		skip_value(&p);
		if (p.text[start] == '"')
			print_string(p.text + start + 1, p.pos - start - 2);
		else
			fwrite(p.text + start, 1, p.pos - start, stdout);
		putchar('\n');
	}
	return 0;
}
