// SPDX-License-Identifier: GPL-2.0
/*
 * The streaming JSON writer; see json.h. A key is given with each value
 * inside an object and is NULL inside an array or at the top.
 */
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *out, int pretty)
{
	j->out = out;
	j->pretty = pretty;
	j->depth = 0;
	j->has_items[0] = 0;
}

static void write_escaped(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	putc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
		case '\\':
			putc('\\', out);
			putc(c, out);
			break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fputs("\\u00", out);
				putc(hex[c >> 4], out);
				putc(hex[c & 0xf], out);
			} else {
				putc(c, out);
			}
		}
	}
	putc('"', out);
}

static void newline_indent(struct json *j)
{
	if (!j->pretty)
		return;
	putc('\n', j->out);
	for (unsigned int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* The comma, the line break and the key that come before a value. */
static void begin_value(struct json *j, const char *key)
{
	if (j->has_items[j->depth])
		putc(',', j->out);
	if (j->depth)
		newline_indent(j);
	j->has_items[j->depth] = 1;
	if (key) {
		write_escaped(j->out, key);
		fputs(j->pretty ? ": " : ":", j->out);
	}
}

static void open_nested(struct json *j, const char *key, char bracket)
{
	begin_value(j, key);
	putc(bracket, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->has_items[++j->depth] = 0;
}

void json_open_object(struct json *j, const char *key)
{
	open_nested(j, key, '{');
}

void json_open_array(struct json *j, const char *key)
{
	open_nested(j, key, '[');
}

/* bracket: '}' or ']', whichever the open one needs. */
void json_close(struct json *j, char bracket)
{
	int had_items = j->has_items[j->depth];

	if (j->depth)
		j->depth--;
	if (had_items)
		newline_indent(j);
	putc(bracket, j->out);
}

void json_string(struct json *j, const char *key, const char *value)
{
	begin_value(j, key);
	write_escaped(j->out, value);
}

void json_u64(struct json *j, const char *key, uint64_t value)
{
	begin_value(j, key);
	fprintf(j->out, "%" PRIu64, value);
}

/* Milliseconds as seconds, exactly: 1234 is 1.234. */
void json_millis(struct json *j, const char *key, uint64_t ms)
{
	begin_value(j, key);
	fprintf(j->out, "%" PRIu64 ".%03" PRIu64, ms / 1000, ms % 1000);
}

void json_bool(struct json *j, const char *key, int value)
{
	begin_value(j, key);
	fputs(value ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	fputs("null", j->out);
}

/* After the outermost value: the line ends and goes out at once. */
void json_end(struct json *j)
{
	putc('\n', j->out);
	fflush(j->out);
}
