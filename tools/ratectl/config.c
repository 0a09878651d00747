// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing ratectl's configuration file; see config.h.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t\r\n");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = '\0';
	return s;
}

/* One line; prints why and returns -1 when it is wrong. */
static int parse_line(char *line, size_t len, const char *where,
		      struct changeset *cs)
{
	char origin[ORIGIN_LEN];
	char *key, *value, *eq;
	int idx;

	if (strlen(line) != len) {
		warnx("%s: contains a NUL byte", where);
		return -1;
	}
	line[strcspn(line, "#")] = '\0';
	key = trim(line);
	if (!*key)
		return 0;
	eq = strchr(key, '=');
	if (!eq || eq == key) {
		warnx("%s: expected 'key = value'", where);
		return -1;
	}
	*eq = '\0';
	key = trim(key);
	value = trim(eq + 1);
	idx = setting_index(cs->set, key);
	if (idx < 0) {
		warnx("%s: unknown setting '%s' (see ratectl(8))", where, key);
		return -1;
	}
	snprintf(origin, sizeof(origin), "%.100s: %.40s", where, key);
	return changeset_add(cs, (unsigned int)idx, value, origin);
}

/* Adds every setting in the file to cs; returns how many lines were wrong. */
int config_parse(FILE *in, const char *name, struct changeset *cs)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	unsigned int lineno = 0;
	int errors = 0;

	while ((len = getline(&line, &size, in)) >= 0) {
		char where[ORIGIN_LEN];

		snprintf(where, sizeof(where), "%s:%u", name, ++lineno);
		if (parse_line(line, (size_t)len, where, cs))
			errors++;
	}
	if (ferror(in)) {
		warn("%s", name);
		errors++;
	}
	free(line);
	return errors;
}

static void config_line(FILE *out, const struct setting *s, uint64_t value)
{
	char text[UNIT_BUF_LEN];

	fprintf(out, "%s = %s\n", s->key, setting_format(s, value, text));
}

void config_save(FILE *out, const struct settings *set,
		 const uint64_t values[MAX_SETTINGS])
{
	fprintf(out, "# ratewin settings; 'ratectl apply FILE' restores them. See ratectl(8).\n");
	for (unsigned int i = 0; i < set->n; i++) {
		if (i >= GLOBAL_SETTINGS && !((i - GLOBAL_SETTINGS) % CLASS_SETTINGS))
			fputc('\n', out);
		config_line(out, &set->s[i], values[i]);
	}
}

/* The settings whose keys begin "prefix.", in the format apply reads. */
void config_print(FILE *out, const struct settings *set,
		  const uint64_t values[MAX_SETTINGS], const char *prefix)
{
	size_t len = strlen(prefix);

	for (unsigned int i = 0; i < set->n; i++)
		if (!strncmp(set->s[i].key, prefix, len) && set->s[i].key[len] == '.')
			config_line(out, &set->s[i], values[i]);
}
