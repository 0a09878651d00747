// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and printing of rates and durations; see units.h for the
 * accepted forms. Arithmetic is done in 128 bits, so that any 64-bit
 * value with up to MAX_DECIMALS decimal places and any unit is exact
 * before the final rounding.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "units.h"
#include "util.h"

#define MAX_DECIMALS	6

typedef unsigned __int128 u128;

/* A decimal number as read: mantissa / 10^decimals. */
struct decimal {
	u128 mantissa;
	unsigned int decimals;
};

struct unit {
	const char *suffix;
	uint64_t mul;
	uint64_t div;
};

/* Every rate unit: a prefix of none, k, M, G or T, then "", B, iB, bit, ibit. */
#define KI	1024ULL
#define RATE_UNITS(_p, _bin, _dec)					\
	{ _p,        _bin, 1 }, { _p "iB",   _bin, 1 }, { _p "B", _dec, 1 },	\
	{ _p "bit",  _dec, 8 }, { _p "ibit", _bin, 8 }

static const struct unit rate_units[] = {
	{ "", 1, 1 }, { "B", 1, 1 }, { "bit", 1, 8 },
	RATE_UNITS("k", KI, 1000ULL),
	RATE_UNITS("m", KI * KI, 1000000ULL),
	RATE_UNITS("g", KI * KI * KI, 1000000000ULL),
	RATE_UNITS("t", KI * KI * KI * KI, 1000000000000ULL),
};

static const struct unit duration_units[] = {
	{ "ns", 1, 1 }, { "us", 1000ULL, 1 }, { "ms", 1000000ULL, 1 },
	{ "s", 1000000000ULL, 1 },
};

/* Printed forms, largest first: binary rate units, decimal ones, durations. */
static const struct unit rate_binary_out[] = {
	{ "T", KI * KI * KI * KI, 1 }, { "G", KI * KI * KI, 1 },
	{ "M", KI * KI, 1 }, { "K", KI, 1 },
};

static const struct unit rate_decimal_out[] = {
	{ "TB", 1000000000000ULL, 1 }, { "GB", 1000000000ULL, 1 },
	{ "MB", 1000000ULL, 1 }, { "kB", 1000ULL, 1 },
};

static const struct unit duration_out[] = {
	{ "s", 1000000000ULL, 1 }, { "ms", 1000000ULL, 1 },
	{ "us", 1000ULL, 1 }, { "ns", 1, 1 },
};

const char *unit_strerror(enum unit_error err)
{
	static const char *const reasons[] = {
		[UNIT_OK] = "no error",
		[UNIT_EMPTY] = "empty value",
		[UNIT_NEGATIVE] = "must not be negative",
		[UNIT_NOT_A_NUMBER] = "not a number",
		[UNIT_TOO_PRECISE] = "more than 6 decimal places",
		[UNIT_UNKNOWN_RATE_UNIT] =
			"unknown unit (use K, M, G, T, kB, MB, GB, TB or kbit, Mbit, Gbit)",
		[UNIT_UNKNOWN_DURATION_UNIT] = "unknown unit (use ns, us, ms or s)",
		[UNIT_NEEDS_UNIT] = "needs a unit: ns, us, ms or s",
		[UNIT_OVERFLOW] = "too large (the limit is 2^64 - 1)",
		[UNIT_BELOW_ONE] = "rounds down to zero",
		[UNIT_BELOW_NS] = "not a whole number of nanoseconds",
	};

	return err < ARRAY_SIZE(reasons) ? reasons[err] : "unknown error";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits, optionally "." and more digits; *rest is what follows. */
static enum unit_error parse_decimal(const char *text, struct decimal *d,
				     const char **rest)
{
	const char *p = text;

	if (!*p)
		return UNIT_EMPTY;
	if (*p == '-')
		return UNIT_NEGATIVE;
	if (!is_digit(*p))
		return UNIT_NOT_A_NUMBER;

	d->mantissa = 0;
	d->decimals = 0;
	for (; is_digit(*p); p++) {
		d->mantissa = d->mantissa * 10 + (u128)(*p - '0');
		if (d->mantissa > UINT64_MAX)
			return UNIT_OVERFLOW;
	}
	if (*p == '.') {
		if (!is_digit(*++p))
			return UNIT_NOT_A_NUMBER;
		for (; is_digit(*p); p++) {
			if (++d->decimals > MAX_DECIMALS)
				return UNIT_TOO_PRECISE;
			d->mantissa = d->mantissa * 10 + (u128)(*p - '0');
		}
	}
	*rest = p;
	return UNIT_OK;
}

/*
 * d * mul / div, rounded down, or refused with inexact when it is not
 * whole; a non-zero d must not round to zero.
 */
static enum unit_error scale(const struct decimal *d, const struct unit *u,
			     enum unit_error inexact, uint64_t *value)
{
	u128 div = u->div;
	u128 v;

	for (unsigned int i = 0; i < d->decimals; i++)
		div *= 10;
	v = d->mantissa * u->mul / div;
	if (v > UINT64_MAX)
		return UNIT_OVERFLOW;
	if (inexact && v * div != d->mantissa * u->mul)
		return inexact;
	if (!v && d->mantissa)
		return UNIT_BELOW_ONE;
	*value = (uint64_t)v;
	return UNIT_OK;
}

enum unit_error parse_count(const char *text, uint64_t *value)
{
	struct decimal d;
	const char *rest;
	enum unit_error err = parse_decimal(text, &d, &rest);

	if (err)
		return err;
	if (*rest || d.decimals)
		return UNIT_NOT_A_NUMBER;
	*value = (uint64_t)d.mantissa;
	return UNIT_OK;
}

/*
 * The prefix letter is case-insensitive, as in util-linux, but the rest
 * is not: to most readers "Mb" is megabits and "MB" megabytes, so
 * neither may silently stand for the other.
 */
static int rate_suffix_matches(const char *unit, const char *text)
{
	if (*unit && strchr("kmgt", *unit))
		return *text && tolower((unsigned char)*text) == *unit &&
		       !strcmp(unit + 1, text + 1);
	return !strcmp(unit, text);
}

static const struct unit *find_rate_unit(const char *suffix)
{
	for (size_t i = 0; i < ARRAY_SIZE(rate_units); i++)
		if (rate_suffix_matches(rate_units[i].suffix, suffix))
			return &rate_units[i];
	return NULL;
}

enum unit_error parse_rate(const char *text, uint64_t *bytes_per_sec)
{
	char suffix[UNIT_BUF_LEN];
	const struct unit *u;
	struct decimal d;
	const char *rest;
	enum unit_error err = parse_decimal(text, &d, &rest);
	size_t len;

	if (err)
		return err;
	len = strlen(rest);
	if (len >= 2 && !strcmp(rest + len - 2, "/s"))
		len -= 2;
	if (len >= sizeof(suffix))
		return UNIT_UNKNOWN_RATE_UNIT;
	memcpy(suffix, rest, len);
	suffix[len] = '\0';
	u = find_rate_unit(suffix);
	if (!u)
		return UNIT_UNKNOWN_RATE_UNIT;
	return scale(&d, u, UNIT_OK, bytes_per_sec);
}

enum unit_error parse_duration(const char *text, uint64_t *ns)
{
	struct decimal d;
	const char *rest;
	enum unit_error err = parse_decimal(text, &d, &rest);

	if (err)
		return err;
	if (!*rest)
		return UNIT_NEEDS_UNIT;
	for (size_t i = 0; i < ARRAY_SIZE(duration_units); i++)
		if (!strcmp(duration_units[i].suffix, rest))
			return scale(&d, &duration_units[i], UNIT_BELOW_NS, ns);
	return UNIT_UNKNOWN_DURATION_UNIT;
}

/* The largest unit that divides value exactly, or NULL. */
static const struct unit *exact_unit(const struct unit *units, size_t n,
				     uint64_t value)
{
	for (size_t i = 0; i < n; i++)
		if (value >= units[i].mul && !(value % units[i].mul))
			return &units[i];
	return NULL;
}

static char *format_in(char buf[UNIT_BUF_LEN], uint64_t value,
		       const struct unit *u)
{
	if (!u)
		snprintf(buf, UNIT_BUF_LEN, "%" PRIu64, value);
	else
		snprintf(buf, UNIT_BUF_LEN, "%" PRIu64 "%s", value / u->mul,
			 u->suffix);
	return buf;
}

/* Binary or decimal units, whichever is shorter; binary on a tie. */
char *format_rate(char buf[UNIT_BUF_LEN], uint64_t bytes_per_sec)
{
	char decimal[UNIT_BUF_LEN];

	format_in(buf, bytes_per_sec,
		  exact_unit(rate_binary_out, ARRAY_SIZE(rate_binary_out),
			     bytes_per_sec));
	format_in(decimal, bytes_per_sec,
		  exact_unit(rate_decimal_out, ARRAY_SIZE(rate_decimal_out),
			     bytes_per_sec));
	if (strlen(decimal) < strlen(buf))
		strcpy(buf, decimal);
	return buf;
}

/* Zero too needs its unit, or parse_duration() would refuse it. */
char *format_duration(char buf[UNIT_BUF_LEN], uint64_t ns)
{
	const struct unit *u = exact_unit(duration_out,
					  ARRAY_SIZE(duration_out), ns);

	return format_in(buf, ns, u ?: &duration_out[ARRAY_SIZE(duration_out) - 1]);
}

/* One decimal place in the largest unit not above value; exact if whole. */
static char *format_human(char buf[UNIT_BUF_LEN], uint64_t value,
			  const struct unit *units, size_t n,
			  const char *smallest)
{
	for (size_t i = 0; i < n; i++) {
		if (value < units[i].mul)
			continue;
		if (value % units[i].mul)
			snprintf(buf, UNIT_BUF_LEN, "%.1f%s",
				 (double)value / (double)units[i].mul,
				 units[i].suffix);
		else
			format_in(buf, value, &units[i]);
		return buf;
	}
	snprintf(buf, UNIT_BUF_LEN, "%" PRIu64 "%s", value, smallest);
	return buf;
}

char *format_rate_human(char buf[UNIT_BUF_LEN], uint64_t bytes_per_sec)
{
	return format_human(buf, bytes_per_sec, rate_binary_out,
			    ARRAY_SIZE(rate_binary_out), "B");
}

char *format_duration_human(char buf[UNIT_BUF_LEN], uint64_t ns)
{
	return format_human(buf, ns, duration_out, ARRAY_SIZE(duration_out),
			    "ns");
}
