// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over ratectl's configuration file parser and the
 * checks apply makes before writing: any bytes at all, as a file. A file
 * that parses must hold only in-bounds values, each setting at most once,
 * and must save and parse back to the same changes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/ratectl/config.h"

static void require(int cond)
{
	if (!cond)
		abort();
}

/* The kernel's defaults, as the current values apply checks against. */
static void defaults(const struct settings *set, uint64_t *values)
{
	static const uint64_t globals[GLOBAL_SETTINGS] = {
		1, 100, 5000, 1000, 100000, 8 << 20, 4 << 20, 1 << 20, 512 << 10,
	};

	memset(values, 0, sizeof(uint64_t) * MAX_SETTINGS);
	memcpy(values, globals, sizeof(globals));
	(void)set;
}

static int parse(const struct settings *set, const char *text, size_t len,
		 struct changeset *cs)
{
	FILE *in = fmemopen((void *)text, len, "r");
	int errors;

	require(in != NULL);
	changeset_init(cs, set);
	errors = config_parse(in, "fuzz", cs);
	fclose(in);
	return errors;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct settings set;
	static struct changeset cs, again;
	uint64_t values[MAX_SETTINGS];
	char *saved = NULL;
	size_t len = 0;
	FILE *out;

	if (!set.n)
		settings_init(&set, 8);
	if (!size || parse(&set, (const char *)data, size, &cs))
		return 0;

	defaults(&set, values);
	for (unsigned int i = 0; i < cs.n; i++) {
		const struct setting *s = &set.s[cs.c[i].idx];

		require(cs.c[i].value >= s->min && cs.c[i].value <= s->max);
		for (unsigned int j = 0; j < i; j++)
			require(cs.c[j].idx != cs.c[i].idx);
		values[cs.c[i].idx] = cs.c[i].value;
	}
	changeset_check(&cs, values);

	out = open_memstream(&saved, &len);
	require(out != NULL);
	config_save(out, &set, values);
	fclose(out);
	require(!parse(&set, saved, len, &again) && again.n == set.n);
	for (unsigned int i = 0; i < again.n; i++)
		require(again.c[i].value == values[again.c[i].idx]);
	free(saved);
	return 0;
}
