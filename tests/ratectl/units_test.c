// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of ratectl's parsing and formatting: units, durations,
 * unit systems, settings, classes and the configuration file, every
 * error path, round trips from print back to parse, and the JSON
 * writer's escaping. Plain TAP on stdout.
 */
#include <stdlib.h>
#include <string.h>

#include "../../tools/ratectl/config.h"
#include "../../tools/ratectl/json.h"
#include "../../tools/ratectl/settings.h"
#include "../../tools/ratectl/units.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX64		18446744073709551615ULL

struct parse_case {
	const char *text;
	enum unit_error err;
	uint64_t value;
};

static const struct parse_case rates[] = {
	{ "0", UNIT_OK, 0 },
	{ "512", UNIT_OK, 512 },
	{ "512B", UNIT_OK, 512 },
	{ "500K", UNIT_OK, 512000 },
	{ "500k", UNIT_OK, 512000 },
	{ "500KiB", UNIT_OK, 512000 },
	{ "500kB", UNIT_OK, 500000 },
	{ "500KB", UNIT_OK, 500000 },
	{ "10M", UNIT_OK, 10485760 },
	{ "10MiB", UNIT_OK, 10485760 },
	{ "10MB", UNIT_OK, 10000000 },
	{ "10MB/s", UNIT_OK, 10000000 },
	{ "1G", UNIT_OK, 1073741824 },
	{ "1GB", UNIT_OK, 1000000000 },
	{ "2T", UNIT_OK, 2199023255552ULL },
	{ "1.5M", UNIT_OK, 1572864 },
	{ "0.5K", UNIT_OK, 512 },
	{ "0.1K", UNIT_OK, 102 },
	{ "8bit", UNIT_OK, 1 },
	{ "10Mbit", UNIT_OK, 1250000 },
	{ "10mbit", UNIT_OK, 1250000 },
	{ "10Mbit/s", UNIT_OK, 1250000 },
	{ "1Gbit", UNIT_OK, 125000000 },
	{ "1Kibit", UNIT_OK, 128 },
	{ "18446744073709551615", UNIT_OK, MAX64 },
	{ "15.999999T", UNIT_OK, 17592184944904ULL },
	{ "1P", UNIT_OK, 1125899906842624ULL },
	{ "1PB", UNIT_OK, 1000000000000000ULL },
	{ "15E", UNIT_OK, 17293822569102704640ULL },
	{ "18EB", UNIT_OK, 18000000000000000000ULL },
	{ "8Ebit", UNIT_OK, 1000000000000000000ULL },
	{ "", UNIT_EMPTY, 0 },
	{ "-1", UNIT_NEGATIVE, 0 },
	{ "-1M", UNIT_NEGATIVE, 0 },
	{ "+1M", UNIT_NOT_A_NUMBER, 0 },
	{ " 1M", UNIT_NOT_A_NUMBER, 0 },
	{ "M", UNIT_NOT_A_NUMBER, 0 },
	{ ".5M", UNIT_NOT_A_NUMBER, 0 },
	{ "1.M", UNIT_NOT_A_NUMBER, 0 },
	{ "1.1234567M", UNIT_TOO_PRECISE, 0 },
	{ "1M ", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "10Q", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "10Mb", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "10mb", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "10MBIT", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "1e6", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "1iB", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "1/s/s", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "1Z", UNIT_UNKNOWN_RATE_UNIT, 0 },
	{ "16E", UNIT_OVERFLOW, 0 },
	{ "18446744073709551616", UNIT_OVERFLOW, 0 },
	{ "99999999999999999999999", UNIT_OVERFLOW, 0 },
	{ "16777216T", UNIT_OVERFLOW, 0 },
	{ "295147905179352.825857E", UNIT_OVERFLOW, 0 },
	{ "18446744073709551615.999999E", UNIT_OVERFLOW, 0 },
	{ "18446744073709551615.999999Ebit", UNIT_OVERFLOW, 0 },
	{ "1bit", UNIT_BELOW_ONE, 0 },
	{ "0.0001K", UNIT_BELOW_ONE, 0 },
};

static const struct parse_case durations[] = {
	{ "0ns", UNIT_OK, 0 },
	{ "0s", UNIT_OK, 0 },
	{ "1ns", UNIT_OK, 1 },
	{ "1us", UNIT_OK, 1000 },
	{ "100ms", UNIT_OK, 100000000 },
	{ "5s", UNIT_OK, 5000000000ULL },
	{ "1.5s", UNIT_OK, 1500000000ULL },
	{ "0.25ms", UNIT_OK, 250000 },
	{ "18446744073709551615ns", UNIT_OK, MAX64 },
	{ "", UNIT_EMPTY, 0 },
	{ "5", UNIT_NEEDS_UNIT, 0 },
	{ "-5s", UNIT_NEGATIVE, 0 },
	{ "s", UNIT_NOT_A_NUMBER, 0 },
	{ "5m", UNIT_UNKNOWN_DURATION_UNIT, 0 },
	{ "5min", UNIT_UNKNOWN_DURATION_UNIT, 0 },
	{ "5S", UNIT_UNKNOWN_DURATION_UNIT, 0 },
	{ "5 s", UNIT_UNKNOWN_DURATION_UNIT, 0 },
	{ "18446744074s", UNIT_OVERFLOW, 0 },
	{ "0.5ns", UNIT_BELOW_NS, 0 },
	{ "1000.5ns", UNIT_BELOW_NS, 0 },
	{ "0.000001s", UNIT_OK, 1000 },
	{ "1.0000001s", UNIT_TOO_PRECISE, 0 },
};

static const struct parse_case counts[] = {
	{ "0", UNIT_OK, 0 },
	{ "256", UNIT_OK, 256 },
	{ "18446744073709551615", UNIT_OK, MAX64 },
	{ "1.0", UNIT_NOT_A_NUMBER, 0 },
	{ "1K", UNIT_NOT_A_NUMBER, 0 },
	{ "0x10", UNIT_NOT_A_NUMBER, 0 },
	{ "-3", UNIT_NEGATIVE, 0 },
	{ "", UNIT_EMPTY, 0 },
	{ "18446744073709551616", UNIT_OVERFLOW, 0 },
};

static void check_parser(const char *what, const struct parse_case *cases,
			 size_t n, enum unit_error (*parse)(const char *, uint64_t *))
{
	for (size_t i = 0; i < n; i++) {
		uint64_t value = 12345;
		enum unit_error err = parse(cases[i].text, &value);

		ok(err == cases[i].err && (err || value == cases[i].value),
		   "%s '%s': %s%s", what, cases[i].text,
		   unit_strerror(cases[i].err), err == cases[i].err ? "" : " (wrong error)");
		if (err == UNIT_OK && value != cases[i].value)
			printf("# got %llu, want %llu\n", (unsigned long long)value,
			       (unsigned long long)cases[i].value);
	}
}

struct format_case {
	uint64_t value;
	const char *text;
};

static void check_formatter(const char *what, const struct format_case *cases,
			    size_t n, char *(*format)(char *, uint64_t))
{
	for (size_t i = 0; i < n; i++) {
		char buf[UNIT_BUF_LEN];

		format(buf, cases[i].value);
		ok(!strcmp(buf, cases[i].text), "%s %llu prints '%s' (got '%s')",
		   what, (unsigned long long)cases[i].value, cases[i].text, buf);
	}
}

/* Exact forms, in the system each value reads shortest in. */
static const struct format_case rate_texts[] = {
	{ 0, "0" }, { 1, "1" }, { 1024, "1K" }, { 1536, "1.5K" }, { 102, "102" },
	{ 1000, "1kB" }, { 1000000, "1MB" }, { 8388608, "8M" },
	{ 1250000, "10Mbit" }, { 12500000, "100Mbit" }, { 512000, "500K" },
	{ 500000, "500kB" }, { 1572864, "1.5M" }, { 1099511627776ULL, "1T" },
	{ 1234567, "1234567" }, { MAX64, "18446744073709551615" },
	{ 1ULL << 60, "1E" },
};

static const struct format_case duration_texts[] = {
	{ 0, "0ns" }, { 1, "1ns" }, { 1500, "1.5us" }, { 1000000, "1ms" },
	{ 5000000000ULL, "5s" }, { 100000000, "100ms" }, { 999999, "999.999us" },
};

static const struct format_case duration_human_texts[] = {
	{ 0, "0ns" }, { 999, "999ns" }, { 1500, "1.5us" }, { 999999, "1ms" },
	{ 1500000000ULL, "1.5s" }, { 250000000, "250ms" },
};

struct human_case {
	uint64_t value;
	enum unit_system sys;
	const char *rate;
	const char *size;
};

/* For people: one decimal at most, never ".0", rates with "/s". */
static const struct human_case human_texts[] = {
	{ 0, UNITS_IEC, "0B/s", "0B" },
	{ 1023, UNITS_IEC, "1023B/s", "1023B" },
	{ 1024, UNITS_IEC, "1KiB/s", "1KiB" },
	{ 1025330, UNITS_IEC, "1001.3KiB/s", "1001.3KiB" },
	{ 1048575, UNITS_IEC, "1MiB/s", "1MiB" },
	{ 1572864, UNITS_IEC, "1.5MiB/s", "1.5MiB" },
	{ 999000, UNITS_SI, "999kB/s", "999kB" },
	{ 999999, UNITS_SI, "1MB/s", "1MB" },
	{ 1250000, UNITS_BITS, "10Mbit/s", "1.3MB" },
	{ 1200000, UNITS_BITS, "9.6Mbit/s", "1.2MB" },
	{ 1, UNITS_BITS, "8bit/s", "1B" },
	{ MAX64, UNITS_IEC, "16EiB/s", "16EiB" },
	{ MAX64, UNITS_BITS, "147.6Ebit/s", "18.4EB" },
	{ 1572864, UNITS_BYTES, "1572864", "1572864" },
};

static void check_human(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(human_texts); i++) {
		const struct human_case *c = &human_texts[i];
		char rate[UNIT_BUF_LEN], size[UNIT_BUF_LEN];

		format_rate_human(rate, c->value, c->sys);
		format_size_human(size, c->value, c->sys);
		ok(!strcmp(rate, c->rate) && !strcmp(size, c->size),
		   "%llu in system %d prints '%s' and '%s' (got '%s' and '%s')",
		   (unsigned long long)c->value, c->sys, c->rate, c->size, rate, size);
	}
}

static void check_unit_systems(void)
{
	static const struct { const char *name; enum unit_system sys; } names[] = {
		{ "iec", UNITS_IEC }, { "si", UNITS_SI }, { "bits", UNITS_BITS },
		{ "bytes", UNITS_BYTES },
	};
	static const struct { uint64_t value; enum unit_system sys; } typed[] = {
		{ 0, UNITS_IEC }, { 1000000, UNITS_SI }, { 1048576, UNITS_IEC },
		{ 1250000, UNITS_BITS }, { 500000, UNITS_SI }, { 1000, UNITS_SI },
		{ 100, UNITS_IEC }, { 1572864, UNITS_IEC }, { 125000000, UNITS_BITS },
	};
	enum unit_system sys;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		ok(!parse_unit_system(names[i].name, &sys) && sys == names[i].sys,
		   "unit system '%s'", names[i].name);
	ok(parse_unit_system("metric", &sys) < 0, "unit system 'metric' is refused");
	for (size_t i = 0; i < ARRAY_SIZE(typed); i++)
		ok(rate_system(typed[i].value) == typed[i].sys,
		   "%llu reads shortest in system %d",
		   (unsigned long long)typed[i].value, typed[i].sys);
}

/*
 * A string comes back from a JSON parser as it was, control characters
 * and UTF-8 included; a byte of invalid UTF-8 comes back as U+FFFD.
 */
static void check_json(void)
{
	static const char expect[] =
		"{\"k\\\"ey\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\u00e9\","
		"\"n\":18446744073709551615,\"t\":12.005,\"l\":[true,false,null],\"o\":{}}\n";
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct json j;

	json_init(&j, out, 0);
	json_open_object(&j, NULL);
	json_string(&j, "k\"ey", "a\"b\\c\n\t\r\b\f\001\037\177\303\251");
	json_u64(&j, "n", MAX64);
	json_millis(&j, "t", 12005);
	json_open_array(&j, "l");
	json_bool(&j, NULL, 1);
	json_bool(&j, NULL, 0);
	json_null(&j, NULL);
	json_close(&j, ']');
	json_open_object(&j, "o");
	json_close(&j, '}');
	json_close(&j, '}');
	json_end(&j);
	fclose(out);
	ok(!strcmp(text, expect), "JSON escapes quotes, backslashes and control characters");
	if (strcmp(text, expect))
		printf("# got %s", text);
	free(text);
}

/*
 * JSON text must be UTF-8, and anyone may give a process a name that is
 * not (PR_SET_NAME): each byte of an invalid sequence is U+FFFD.
 */
static void check_json_utf8(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
		  "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf" },
		{ "a\x80" "b\xff", "a\\ufffdb\\ufffd" },
		{ "\xc3", "\\ufffd" },
		{ "\xc3(", "\\ufffd(" },
		{ "\xe2\x82", "\\ufffd\\ufffd" },
		{ "\xc0\xaf", "\\ufffd\\ufffd" },
		{ "\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd" },
		{ "\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd" },
		{ "\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd" },
		{ "\xf5\x80\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text = NULL, expect[64];
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		struct json j;

		json_init(&j, out, 0);
		json_string(&j, NULL, cases[i].in);
		fclose(out);
		snprintf(expect, sizeof(expect), "\"%s\"", cases[i].out);
		ok(!strcmp(text, expect), "JSON string %zu: UTF-8 passes, the rest is U+FFFD", i);
		if (strcmp(text, expect))
			printf("# got %s\n", text);
		free(text);
	}
}

/* A value printed exactly must parse back to itself. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void check_round_trips(void)
{
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	unsigned int rate_bad = 0, duration_bad = 0, n = 20000;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t r = next_random(&state), v;
		char buf[UNIT_BUF_LEN];

		/* every magnitude, and the round numbers people type */
		r >>= r % 64;
		if (i % 4 == 1)
			r = (r % 100000) * 1024;
		else if (i % 4 == 2)
			r = (r % 100000) * 1000000;
		if (parse_rate(format_rate(buf, r), &v) || v != r)
			rate_bad++;
		if (parse_duration(format_duration(buf, r), &v) || v != r)
			duration_bad++;
	}
	ok(!rate_bad, "%u random rates print and parse back (%u differ)", n, rate_bad);
	ok(!duration_bad, "%u random durations print and parse back (%u differ)",
	   n, duration_bad);
}

struct setting_case {
	const char *key;
	const char *text;
	int ok;
	uint64_t value;
};

static const struct setting_case setting_cases[] = {
	{ "enabled", "yes", 1, 1 },
	{ "enabled", "off", 1, 0 },
	{ "enabled", "maybe", 0, 0 },
	{ "window.events", "100", 1, 100 },
	{ "window.events", "256", 1, 256 },
	{ "window.events", "257", 0, 0 },
	{ "window.events", "0", 0, 0 },
	{ "window.time", "5s", 1, 5000 },
	{ "window.time", "10ms", 1, 10 },
	{ "window.time", "9ms", 0, 0 },
	{ "window.time", "61s", 0, 0 },
	{ "window.time", "1500us", 0, 0 },
	{ "window.time", "5000", 0, 0 },
	{ "window.min-sleep", "0s", 1, 0 },
	{ "window.min-sleep", "1ms", 1, 1000 },
	{ "window.min-sleep", "1500ns", 0, 0 },
	{ "window.max-sleep", "10s", 1, 10000000 },
	{ "window.max-sleep", "11s", 0, 0 },
	{ "window.max-sleep", "0us", 0, 0 },
	{ "file.high", "8M", 1, 8388608 },
	{ "file.low", "0", 1, 0 },
	{ "net.high", "unlimited", 0, 0 },
	{ "net.high", "max", 0, 0 },
	{ "class1.file", "unlimited", 1, 0 },
	{ "class1.file", "max", 1, 0 },
	{ "class1.file", "infinity", 1, 0 },
	{ "class1.file", "none", 1, 0 },
	{ "class1.file", "Max", 0, 0 },
	{ "class1.file", "2M", 1, 2097152 },
	{ "class8.net", "10Mbit", 1, 1250000 },
	{ "class1.net", "-1", 0, 0 },
	{ "class3.mode", "always", 1, 1 },
	{ "class3.mode", "shared", 1, 0 },
	{ "class3.mode", "Always", 0, 0 },
};

static void check_settings(const struct settings *set)
{
	for (size_t i = 0; i < ARRAY_SIZE(setting_cases); i++) {
		const struct setting_case *c = &setting_cases[i];
		int idx = setting_index(set, c->key);
		char why[WHY_LEN] = "", buf[UNIT_BUF_LEN];
		uint64_t value = 0, back = 1;
		int parsed;

		if (!ok(idx >= 0, "setting %s exists", c->key))
			continue;
		parsed = !setting_parse(&set->s[idx], c->text, &value, why);
		ok(parsed == c->ok && (!parsed || value == c->value),
		   "%s = '%s' is %s %s", c->key, c->text,
		   c->ok ? "accepted" : "refused", why);
		if (parsed)
			ok(!setting_parse(&set->s[idx],
					  setting_format(&set->s[idx], value, buf),
					  &back, why) && back == value,
			   "%s prints %s and parses back", c->key, buf);
	}
	ok(setting_index(set, "class9.file") < 0, "an 8-class kernel has no class9");
	ok(class_setting(3, "mode") == setting_index(set, "class3.mode"),
	   "class_setting() finds class3.mode");
}

static void check_classes(void)
{
	static const struct { const char *text; unsigned int class; } good[] = {
		{ "1", 1 }, { "8", 8 }, { "class3", 3 },
	};
	static const char *const bad[] = { "0", "9", "class", "class0", "3x",
					   "-1", "", "classes3" };
	char why[WHY_LEN];
	unsigned int class;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		ok(!parse_class(good[i].text, 1, 8, &class, why) &&
		   class == good[i].class, "class '%s' is %u", good[i].text,
		   good[i].class);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(parse_class(bad[i], 1, 8, &class, why) < 0, "class '%s' is refused",
		   bad[i]);
	ok(!parse_class("class0", 0, 8, &class, why) && !class &&
	   !parse_class("00", 0, 8, &class, why) && !class,
	   "class 0 is accepted where a process may be freed");
	ok(parse_io("file") == IO_FILE && parse_io("net") == IO_NET &&
	   parse_io("disk") < 0, "kinds of I/O are file and net");
}

/* The errors a text makes, and how many changes it holds. */
static int parse_config_text(const struct settings *set, const char *text,
			     size_t len, unsigned int *changes)
{
	FILE *in = fmemopen((void *)text, len, "r");
	struct changeset cs;
	int errors;

	changeset_init(&cs, set);
	errors = config_parse(in, "test.conf", &cs);
	fclose(in);
	*changes = cs.n;
	return errors;
}

static void check_config(const struct settings *set)
{
	static const struct { const char *text; int errors; unsigned int changes; } cases[] = {
		{ "", 0, 0 },
		{ "# only a comment\n\n   \n", 0, 0 },
		{ "class1.file = 2M\n", 0, 1 },
		{ "class1.file=2M", 0, 1 },
		{ "  class1.file\t=  2M   # trailing comment\r\n", 0, 1 },
		{ "window.time = 5s\nwindow.events = 50\nfile.high = 16M\n", 0, 3 },
		{ "class1.file 2M\n", 1, 0 },
		{ "class9.file = 2M\n", 1, 0 },
		{ "bogus = 1\n", 1, 0 },
		{ "= 2M\n", 1, 0 },
		{ "class1.file =\n", 1, 0 },
		{ "class1.file = 2M\nclass1.file = 3M\n", 1, 1 },
		{ "class1.file = 10Q\nclass2.net = -1\nwindow.time = 1x\n", 3, 0 },
		{ "class1.file = 2M\nclass1.mode = sometimes\n", 1, 1 },
	};
	static const char nul_line[] = "class1.file = 2M\0junk\n";
	unsigned int changes;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int errors = parse_config_text(set, cases[i].text,
					       strlen(cases[i].text), &changes);

		ok(errors == cases[i].errors && changes == cases[i].changes,
		   "config %zu: %d errors, %u changes (got %d, %u)", i,
		   cases[i].errors, cases[i].changes, errors, changes);
	}
	ok(parse_config_text(set, nul_line, sizeof(nul_line) - 1, &changes) == 1,
	   "config: a NUL byte in a line is an error");
}

/* save's output, parsed by apply, gives back every value. */
static void check_config_round_trip(const struct settings *set)
{
	uint64_t values[MAX_SETTINGS], back[MAX_SETTINGS];
	struct changeset cs;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len), *in;
	int errors;

	for (unsigned int i = 0; i < set->n; i++) {
		uint64_t span = set->s[i].max - set->s[i].min;
		uint64_t r = (i + 1) * 0x9e3779b97f4a7c15ULL;

		values[i] = set->s[i].min + (span == UINT64_MAX ? r : r % (span + 1));
	}
	config_save(out, set, values);
	fclose(out);
	in = fmemopen(text, len, "r");
	changeset_init(&cs, set);
	errors = config_parse(in, "saved", &cs);
	fclose(in);
	memset(back, 0xff, sizeof(back));
	for (unsigned int i = 0; i < cs.n; i++)
		back[cs.c[i].idx] = cs.c[i].value;
	ok(!errors && cs.n == set->n && !memcmp(values, back, set->n * sizeof(*back)),
	   "save then apply gives back all %u settings", set->n);
	free(text);
}

static void check_constraints(const struct settings *set)
{
	uint64_t current[MAX_SETTINGS] = { 0 };
	struct changeset cs;
	int high = setting_index(set, "file.high");
	int low = setting_index(set, "file.low");
	int min = setting_index(set, "window.min-sleep");
	int max = setting_index(set, "window.max-sleep");

	current[high] = 8 << 20;
	current[low] = 4 << 20;
	current[max] = 100000;
	current[min] = 1000;
	current[setting_index(set, "net.high")] = 1;

	changeset_init(&cs, set);
	changeset_add(&cs, (unsigned int)low, "9M", "--low");
	ok(changeset_check(&cs, current) < 0, "low above the current high is refused");
	changeset_add(&cs, (unsigned int)high, "16M", "--high");
	ok(!changeset_check(&cs, current), "low 9M with high 16M is accepted");

	changeset_init(&cs, set);
	changeset_add(&cs, (unsigned int)high, "4M", "--high");
	ok(changeset_check(&cs, current) < 0, "high equal to low is refused");

	changeset_init(&cs, set);
	changeset_add(&cs, (unsigned int)min, "100ms", "--min-sleep");
	ok(!changeset_check(&cs, current), "min-sleep equal to max-sleep is accepted");
	changeset_init(&cs, set);
	changeset_add(&cs, (unsigned int)min, "200ms", "--min-sleep");
	ok(changeset_check(&cs, current) < 0, "min-sleep above max-sleep is refused");
	ok(changeset_add(&cs, (unsigned int)min, "1ms", "--again") < 0,
	   "a setting changed twice is refused");
}

/* reset: a class's settings, or all of them, at the ABI's defaults. */
static void check_defaults(const struct settings *set)
{
	static const struct { const char *key; uint64_t def; } defaults[] = {
		{ "enabled", 1 }, { "window.events", 100 }, { "window.time", 5000 },
		{ "window.min-sleep", 1000 }, { "window.max-sleep", 100000 },
		{ "file.high", 8388608 }, { "file.low", 4194304 },
		{ "net.high", 1048576 }, { "net.low", 524288 },
		{ "class8.file", 0 }, { "class8.mode", 0 },
	};
	struct changeset cs;
	int right = 1;

	changeset_init(&cs, set);
	changeset_add_defaults(&cs, 3);
	ok(cs.n == CLASS_SETTINGS && cs.c[0].idx == (unsigned int)class_setting(3, "file"),
	   "reset 3 changes class 3's three settings");
	changeset_init(&cs, set);
	changeset_add_defaults(&cs, 0);
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
		right &= cs.c[setting_index(set, defaults[i].key)].value == defaults[i].def;
	ok(cs.n == set->n && right, "reset changes every setting to its default");
}

int main(void)
{
	struct settings set;

	check_parser("rate", rates, ARRAY_SIZE(rates), parse_rate);
	check_parser("duration", durations, ARRAY_SIZE(durations), parse_duration);
	check_parser("count", counts, ARRAY_SIZE(counts), parse_count);
	check_formatter("rate", rate_texts, ARRAY_SIZE(rate_texts), format_rate);
	check_formatter("duration", duration_texts, ARRAY_SIZE(duration_texts),
			format_duration);
	check_formatter("human duration", duration_human_texts,
			ARRAY_SIZE(duration_human_texts), format_duration_human);
	check_human();
	check_unit_systems();
	check_round_trips();
	check_json();
	check_json_utf8();

	settings_init(&set, 8);
	check_settings(&set);
	check_classes();
	check_config(&set);
	check_config_round_trip(&set);
	check_constraints(&set);
	check_defaults(&set);
	return tap_done();
}
