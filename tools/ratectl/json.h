/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: values go out as they are given, with
 * commas, nesting and (when pretty) indentation kept for the caller.
 * Strings are escaped whole: quotes, backslashes and every control
 * character (as \n, \t... or \u00XX); valid UTF-8 passes as it is, and
 * every byte of an invalid sequence becomes \ufffd.
 */
#ifndef RATECTL_JSON_H
#define RATECTL_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	8

struct json {
	FILE *out;
	int pretty;			/* one member a line, indented */
	unsigned int depth;
	int has_items[JSON_MAX_DEPTH];	/* at each level: a comma is due */
};

void json_init(struct json *j, FILE *out, int pretty);
void json_open_object(struct json *j, const char *key);
void json_open_array(struct json *j, const char *key);
void json_close(struct json *j, char bracket);
void json_string(struct json *j, const char *key, const char *value);
void json_u64(struct json *j, const char *key, uint64_t value);
void json_millis(struct json *j, const char *key, uint64_t ms);
void json_bool(struct json *j, const char *key, int value);
void json_null(struct json *j, const char *key);
void json_end(struct json *j);

#endif
