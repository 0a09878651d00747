// SPDX-License-Identifier: GPL-2.0
/*
 * The table of ratewin tunables, and how each kind of value is read from
 * people, written to sysfs, read back from sysfs and printed again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "settings.h"
#include "util.h"

#define NS_PER_US	1000ULL
#define NS_PER_MS	1000000ULL

const char *const io_names[IO_KINDS] = { "file", "net" };
const char *const mode_names[2] = { "shared", "always" };

enum {
	ENABLED, WINDOW_EVENTS, WINDOW_TIME, MIN_SLEEP, MAX_SLEEP,
	FILE_HIGH, FILE_LOW, NET_HIGH, NET_LOW,
};

/*
 * The bounds and defaults are the kernel's, from the sysfs ABI document;
 * tests/ratectl/cli_test.sh checks them against it.
 */
static const struct setting global_settings[GLOBAL_SETTINGS] = {
	[ENABLED] = { "enabled", "enabled", KIND_BOOL, 0, 1, 1 },
	[WINDOW_EVENTS] = { "window.events", "window_events", KIND_COUNT, 1, 256,
			    100 },
	[WINDOW_TIME] = { "window.time", "window_ms", KIND_MS, 10, 60000, 5000 },
	[MIN_SLEEP] = { "window.min-sleep", "min_sleep_us", KIND_US, 0, 10000000,
			1000 },
	[MAX_SLEEP] = { "window.max-sleep", "max_sleep_us", KIND_US, 1, 10000000,
			100000 },
	[FILE_HIGH] = { "file.high", "file_thresh_high", KIND_RATE, 0, UINT64_MAX,
			8388608 },
	[FILE_LOW] = { "file.low", "file_thresh_low", KIND_RATE, 0, UINT64_MAX,
		       4194304 },
	[NET_HIGH] = { "net.high", "net_thresh_high", KIND_RATE, 0, UINT64_MAX,
		       1048576 },
	[NET_LOW] = { "net.low", "net_thresh_low", KIND_RATE, 0, UINT64_MAX,
		      524288 },
};

const struct constraint constraints[3] = {
	{ MIN_SLEEP, MAX_SLEEP, 0 },
	{ FILE_LOW, FILE_HIGH, 1 },
	{ NET_LOW, NET_HIGH, 1 },
};

static const char *const class_what[CLASS_SETTINGS] = { "file", "net", "mode" };

void settings_init(struct settings *set, unsigned int nclasses)
{
	memcpy(set->s, global_settings, sizeof(global_settings));
	set->n = GLOBAL_SETTINGS;
	set->nclasses = nclasses;
	for (unsigned int c = 1; c <= nclasses; c++) {
		for (unsigned int w = 0; w < CLASS_SETTINGS; w++) {
			struct setting *s = &set->s[set->n++];
			int mode = w == CLASS_SETTINGS - 1;

			snprintf(s->key, sizeof(s->key), "class%u.%s", c,
				 class_what[w]);
			snprintf(s->attr, sizeof(s->attr), "class%u/%s%s", c,
				 class_what[w], mode ? "" : "_rate");
			s->kind = mode ? KIND_MODE : KIND_LIMIT;
			s->min = 0;
			s->max = mode ? 1 : UINT64_MAX;
			s->def = mode ? MODE_SHARED : 0;
		}
	}
}

int setting_index(const struct settings *set, const char *key)
{
	for (unsigned int i = 0; i < set->n; i++)
		if (!strcmp(set->s[i].key, key))
			return (int)i;
	return -1;
}

/* The index of class's setting what ("file", "net" or "mode"). */
int class_setting(unsigned int class, const char *what)
{
	for (unsigned int w = 0; w < CLASS_SETTINGS; w++)
		if (!strcmp(class_what[w], what))
			return (int)(GLOBAL_SETTINGS + (class - 1) * CLASS_SETTINGS + w);
	return -1;
}

static int match_word(const char *text, const char *const *words,
		      unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(text, words[i]))
			return (int)i;
	return -1;
}

/* What a class limit of 0 is called: ours, cgroup's and systemd's words. */
static const char *const no_limit_words[] = { "unlimited", "max", "infinity",
					      "none" };

static int parse_bool(const char *text, uint64_t *value, char why[WHY_LEN])
{
	/* the same words at the same place in each */
	static const char *const words[] = { "no", "yes", "0", "1", "off", "on",
					     "false", "true" };
	int word = match_word(text, words, ARRAY_SIZE(words));

	if (word < 0) {
		snprintf(why, WHY_LEN, "not a boolean (use yes or no)");
		return -1;
	}
	*value = word % 2;
	return 0;
}

static int parse_mode(const char *text, uint64_t *value, char why[WHY_LEN])
{
	int mode = match_word(text, mode_names, 2);

	if (mode < 0) {
		snprintf(why, WHY_LEN, "unknown mode (use shared or always)");
		return -1;
	}
	*value = (uint64_t)mode;
	return 0;
}

static int unit_failed(enum unit_error err, char why[WHY_LEN])
{
	if (!err)
		return 0;
	snprintf(why, WHY_LEN, "%s", unit_strerror(err));
	return -1;
}

/* A word that is not one of no_limit_words was most likely meant as one. */
static int parse_limit(const char *text, uint64_t *value, char why[WHY_LEN])
{
	enum unit_error err;

	if (match_word(text, no_limit_words, ARRAY_SIZE(no_limit_words)) >= 0) {
		*value = 0;
		return 0;
	}
	err = parse_rate(text, value);
	if (err == UNIT_NOT_A_NUMBER) {
		snprintf(why, WHY_LEN, "%s; no limit is 0, unlimited, max, "
			 "infinity or none", unit_strerror(err));
		return -1;
	}
	return unit_failed(err, why);
}

/* A duration in ns as a whole number of the attribute's unit. */
static int parse_duration_in(const char *text, uint64_t unit_ns,
			     const char *unit_name, uint64_t *value,
			     char why[WHY_LEN])
{
	uint64_t ns;

	if (unit_failed(parse_duration(text, &ns), why))
		return -1;
	if (ns % unit_ns) {
		snprintf(why, WHY_LEN, "not a whole number of %s", unit_name);
		return -1;
	}
	*value = ns / unit_ns;
	return 0;
}

static int parse_any(const struct setting *s, const char *text,
		     uint64_t *value, char why[WHY_LEN])
{
	switch (s->kind) {
	case KIND_BOOL:
		return parse_bool(text, value, why);
	case KIND_MODE:
		return parse_mode(text, value, why);
	case KIND_COUNT:
		return unit_failed(parse_count(text, value), why);
	case KIND_MS:
		return parse_duration_in(text, NS_PER_MS, "milliseconds", value, why);
	case KIND_US:
		return parse_duration_in(text, NS_PER_US, "microseconds", value, why);
	case KIND_LIMIT:
		return parse_limit(text, value, why);
	case KIND_RATE:
		return unit_failed(parse_rate(text, value), why);
	}
	return -1;
}

int setting_parse(const struct setting *s, const char *text, uint64_t *value,
		  char why[WHY_LEN])
{
	char lo[UNIT_BUF_LEN], hi[UNIT_BUF_LEN];

	if (parse_any(s, text, value, why))
		return -1;
	if (*value < s->min || *value > s->max) {
		snprintf(why, WHY_LEN, "out of range (%s to %s)",
			 setting_format(s, s->min, lo), setting_format(s, s->max, hi));
		return -1;
	}
	return 0;
}

/* The exact form, which setting_parse() reads back to the same value. */
char *setting_format(const struct setting *s, uint64_t value,
		     char buf[UNIT_BUF_LEN])
{
	switch (s->kind) {
	case KIND_BOOL:
		return strcpy(buf, value ? "yes" : "no");
	case KIND_MODE:
		return strcpy(buf, mode_names[value ? 1 : 0]);
	case KIND_MS:
		return format_duration(buf, value * NS_PER_MS);
	case KIND_US:
		return format_duration(buf, value * NS_PER_US);
	case KIND_LIMIT:
		if (!value)
			return strcpy(buf, "unlimited");
		/* fall through */
	case KIND_RATE:
		return format_rate(buf, value);
	case KIND_COUNT:
		break;
	}
	snprintf(buf, UNIT_BUF_LEN, "%" PRIu64, value);
	return buf;
}

/* What the attribute takes: its number, or the mode's name. */
char *setting_attr_text(const struct setting *s, uint64_t value,
			char buf[UNIT_BUF_LEN])
{
	if (s->kind == KIND_MODE)
		return strcpy(buf, mode_names[value ? 1 : 0]);
	snprintf(buf, UNIT_BUF_LEN, "%" PRIu64, value);
	return buf;
}

/* The attribute's text, as the kernel shows it, back into a value. */
int setting_from_attr(const struct setting *s, const char *text,
		      uint64_t *value)
{
	char why[WHY_LEN];

	if (s->kind == KIND_MODE)
		return parse_mode(text, value, why);
	return parse_count(text, value) ? -1 : 0;
}

const char *setting_kind_name(const struct setting *s)
{
	static const char *const names[] = {
		[KIND_BOOL] = "boolean", [KIND_COUNT] = "count",
		[KIND_MS] = "duration", [KIND_US] = "duration",
		[KIND_RATE] = "rate", [KIND_LIMIT] = "rate",
		[KIND_MODE] = "mode",
	};

	return names[s->kind];
}

/* "3" or "class3", for a class from first (0 or 1) to what this kernel has. */
int parse_class(const char *text, unsigned int first, unsigned int nclasses,
		unsigned int *class, char why[WHY_LEN])
{
	const char *digits = strncmp(text, "class", 5) ? text : text + 5;
	uint64_t n;

	if (parse_count(digits, &n) || n < first || n > nclasses) {
		snprintf(why, WHY_LEN, "unknown class (classes are %u to %u)",
			 first, nclasses);
		return -1;
	}
	*class = (unsigned int)n;
	return 0;
}

int parse_io(const char *text)
{
	return match_word(text, io_names, IO_KINDS);
}
