// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over ratectl's value parsers: rates, durations,
 * counts, classes and every setting. Beyond not crashing (ASan and UBSan
 * watch), whatever parses must print in a form that parses back to the
 * same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/ratectl/settings.h"
#include "../../tools/ratectl/units.h"

#define MAX_TEXT	256

/* abort() is what libFuzzer reports, with the input that caused it. */
static void require(int cond)
{
	if (!cond)
		abort();
}

/* Whether text parses; if it does, its exact form must parse back. */
static int round_trip(enum unit_error (*parse)(const char *, uint64_t *),
		      char *(*format)(char *, uint64_t), const char *text,
		      uint64_t *value)
{
	char buf[UNIT_BUF_LEN];
	uint64_t back;

	if (parse(text, value))
		return 0;
	require(!parse(format(buf, *value), &back) && back == *value);
	return 1;
}

/* The forms for people, in every unit system, under ASan and UBSan. */
static void print_for_people(uint64_t rate)
{
	char buf[UNIT_BUF_LEN];

	for (int sys = UNITS_IEC; sys <= UNITS_BYTES; sys++) {
		format_rate_human(buf, rate, (enum unit_system)sys);
		format_size_human(buf, rate, (enum unit_system)sys);
	}
}

static void settings_round_trip(const char *text)
{
	static struct settings set;
	char why[WHY_LEN], buf[UNIT_BUF_LEN];
	unsigned int class;

	if (!set.n)
		settings_init(&set, 8);
	for (unsigned int i = 0; i < set.n; i++) {
		uint64_t value, back;

		if (setting_parse(&set.s[i], text, &value, why))
			continue;
		require(value >= set.s[i].min && value <= set.s[i].max);
		require(!setting_parse(&set.s[i], setting_format(&set.s[i], value, buf),
				       &back, why) && back == value);
	}
	if (!parse_class(text, 0, 8, &class, why))
		require(class <= 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[MAX_TEXT], human[UNIT_BUF_LEN];
	uint64_t value;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (round_trip(parse_rate, format_rate, text, &value))
		print_for_people(value);
	if (round_trip(parse_duration, format_duration, text, &value))
		format_duration_human(human, value);
	parse_count(text, &value);
	settings_round_trip(text);
	return 0;
}
