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

/*
 * The length of the UTF-8 sequence of two to four bytes at s, or 0 when
 * it is not valid UTF-8 (RFC 3629): no overlong form, no surrogate,
 * nothing past U+10FFFF.
 */
static size_t utf8_sequence(const unsigned char *s)
{
	static const uint32_t smallest[] = { 0, 0x80, 0x800, 0x10000 };
	size_t more = s[0] >= 0xf0 ? 3 : s[0] >= 0xe0 ? 2 : 1;
	uint32_t cp = s[0] & (0x3f >> more);

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	for (size_t i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < smallest[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return more + 1;
}

/* One byte below 0x80, escaped if JSON or a terminal would take it amiss. */
static void write_ascii(FILE *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

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

/*
 * JSON text must be UTF-8, and a process may name itself with any bytes:
 * each byte that is not part of a valid sequence is U+FFFD.
 */
static void write_escaped(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	putc('"', out);
	while (*s) {
		size_t len;

		if (*s < 0x80) {
			write_ascii(out, *s++);
			continue;
		}
		len = utf8_sequence(s);
		if (len) {
			fwrite(s, 1, len, out);
			s += len;
		} else {
			fputs("\\ufffd", out);
			s++;
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
