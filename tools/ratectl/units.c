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
#define U128_MAX	(~(u128)0)

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

/* Every rate unit: a prefix of none, k, M, G, T, P or E, then "", B, iB, bit, ibit. */
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
	RATE_UNITS("p", KI * KI * KI * KI * KI, 1000000000000000ULL),
	RATE_UNITS("e", KI * KI * KI * KI * KI * KI, 1000000000000000000ULL),
};

static const struct unit duration_units[] = {
	{ "ns", 1, 1 }, { "us", 1000ULL, 1 }, { "ms", 1000000ULL, 1 },
	{ "s", 1000000000ULL, 1 },
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
			"unknown unit (use K, M, G, T, P, E; kB, MB, GB, TB, PB, EB; "
			"or kbit, Mbit, Gbit, Tbit, Pbit, Ebit)",
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
 * whole; a non-zero d must not round to zero. The mantissa, up to 2^64
 * with six decimals (2^84), times an E prefix's 2^60 may not fit in 128
 * bits; any product that large is far past 2^64 after the division.
 */
static enum unit_error scale(const struct decimal *d, const struct unit *u,
			     enum unit_error inexact, uint64_t *value)
{
	u128 div = u->div;
	u128 v;

	if (d->mantissa > U128_MAX / u->mul)
		return UNIT_OVERFLOW;
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
	if (*unit && strchr("kmgtpe", *unit))
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

/*
 * How values are printed: a base, the suffix of each power of it (the
 * exact form, which parse_rate() reads back, and the form for people),
 * and what one byte counts as (8 bits).
 */
struct scale {
	unsigned int base;
	unsigned int per_byte;
	unsigned int powers;
	const char *const *exact;
	const char *const *human;
};

#define POWERS	7	/* B, K, M, G, T, P, E: 2^64 is 16 EiB */

static const char *const iec_exact[POWERS] = { "", "K", "M", "G", "T", "P", "E" };
static const char *const iec_human[POWERS] = {
	"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
static const char *const si_names[POWERS] = {
	"B", "kB", "MB", "GB", "TB", "PB", "EB" };
static const char *const bit_names[POWERS] = {
	"bit", "kbit", "Mbit", "Gbit", "Tbit", "Pbit", "Ebit" };
static const char *const ns_names[] = { "ns", "us", "ms", "s" };

static const struct scale rate_scales[] = {
	[UNITS_IEC] = { 1024, 1, POWERS, iec_exact, iec_human },
	[UNITS_SI] = { 1000, 1, POWERS, si_names, si_names },
	[UNITS_BITS] = { 1000, 8, POWERS, bit_names, bit_names },
};

static const struct scale duration_scale = {
	1000, 1, ARRAY_SIZE(ns_names), ns_names, ns_names,
};

static const char *const system_names[] = {
	[UNITS_IEC] = "iec", [UNITS_SI] = "si", [UNITS_BITS] = "bits",
	[UNITS_BYTES] = "bytes",
};

int parse_unit_system(const char *text, enum unit_system *sys)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_names); i++) {
		if (!strcmp(text, system_names[i])) {
			*sys = (enum unit_system)i;
			return 0;
		}
	}
	return -1;
}

/* The largest power of sc->base not above num, and its exponent. */
static u128 largest_unit(u128 num, const struct scale *sc, unsigned int *power)
{
	u128 unit = 1;

	for (*power = 0; *power + 1 < sc->powers && unit * sc->base <= num; ++*power)
		unit *= sc->base;
	return unit;
}

/*
 * The largest unit in which num is exact to MAX_DECIMALS places, as the
 * parsers read it, and how many places it needs; units of one always are.
 */
static u128 exact_unit(u128 num, const struct scale *sc, unsigned int *power,
		       unsigned int *places)
{
	u128 unit = largest_unit(num, sc, power);

	for (;; --*power, unit /= sc->base) {
		u128 rest = num % unit;

		for (*places = 0; rest && *places < MAX_DECIMALS; ++*places)
			rest = rest * 10 % unit;
		if (!rest)
			return unit;
	}
}

static int u128_text(char *buf, size_t len, u128 v)
{
	char digits[40];
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n && i + 1 < len; i++)
		buf[i] = digits[n - 1 - i];
	buf[n < len ? n : len - 1] = '\0';
	return (int)n;
}

/* num / unit with places decimals, exact, then the suffix. */
static char *format_places(char buf[UNIT_BUF_LEN], u128 num, u128 unit,
			   unsigned int places, const char *suffix)
{
	u128 frac = num % unit;
	int len = u128_text(buf, UNIT_BUF_LEN, num / unit);

	for (unsigned int i = 0; i < places; i++)
		frac *= 10;
	if (places)
		len += snprintf(buf + len, UNIT_BUF_LEN - (size_t)len, ".%0*llu",
				(int)places, (unsigned long long)(frac / unit));
	snprintf(buf + len, UNIT_BUF_LEN - (size_t)len, "%s", suffix);
	return buf;
}

/*
 * Significant digits of num in sc's exact form: 10M has one, 1.25M three;
 * without a unit every digit counts, 1000 has four.
 */
static unsigned int exact_digits(u128 num, const struct scale *sc)
{
	unsigned int power, places, digits = 0;
	u128 q = num / exact_unit(num, sc, &power, &places);

	while (power && !places && q && !(q % 10))
		q /= 10;
	for (; q; q /= 10)
		digits++;
	return digits + places;
}

/*
 * The system a rate reads shortest in, which is the one it was most
 * likely typed in: 1MB is SI, 10Mbit bits, 1.5M IEC; IEC, then SI, then
 * bits on a tie.
 */
enum unit_system rate_system(uint64_t bytes_per_sec)
{
	enum unit_system best = UNITS_IEC;
	unsigned int fewest = UINT32_MAX;

	for (unsigned int s = UNITS_IEC; s <= UNITS_BITS; s++) {
		const struct scale *sc = &rate_scales[s];
		unsigned int digits = exact_digits((u128)bytes_per_sec * sc->per_byte, sc);

		if (digits < fewest) {
			fewest = digits;
			best = (enum unit_system)s;
		}
	}
	return best;
}

static char *format_exact(char buf[UNIT_BUF_LEN], u128 num, const struct scale *sc)
{
	unsigned int power, places;
	u128 unit = exact_unit(num, sc, &power, &places);

	return format_places(buf, num, unit, places, sc->exact[power]);
}

/* Exact, in the system the rate reads shortest in: 1.5M, 1MB, 10Mbit. */
char *format_rate(char buf[UNIT_BUF_LEN], uint64_t bytes_per_sec)
{
	const struct scale *sc = &rate_scales[rate_system(bytes_per_sec)];

	return format_exact(buf, (u128)bytes_per_sec * sc->per_byte, sc);
}

/* Exact, always with a unit, or parse_duration() would refuse it. */
char *format_duration(char buf[UNIT_BUF_LEN], uint64_t ns)
{
	return format_exact(buf, ns, &duration_scale);
}

/*
 * One decimal place in the largest unit not above num, none when it
 * rounds to a whole number: 1.5MiB, 1MiB (not 1.0MiB, nor 1024.0KiB).
 */
static char *format_human(char buf[UNIT_BUF_LEN], u128 num,
			  const struct scale *sc, const char *tail)
{
	unsigned int power;
	u128 unit = largest_unit(num, sc, &power);
	u128 tenths = (num * 10 + unit / 2) / unit;
	char suffix[UNIT_BUF_LEN];

	if (tenths >= (u128)sc->base * 10 && power + 1 < sc->powers) {
		unit *= sc->base;
		power++;
		tenths = (num * 10 + unit / 2) / unit;
	}
	snprintf(suffix, sizeof(suffix), "%s%s", sc->human[power], tail);
	return format_places(buf, tenths, 10, tenths % 10 ? 1 : 0, suffix);
}

/* bytes/s for people in sys, "1.5MiB/s"; a plain number in UNITS_BYTES. */
char *format_rate_human(char buf[UNIT_BUF_LEN], uint64_t bytes_per_sec,
			enum unit_system sys)
{
	const struct scale *sc = &rate_scales[sys];

	if (sys == UNITS_BYTES)
		return format_places(buf, bytes_per_sec, 1, 0, "");
	return format_human(buf, (u128)bytes_per_sec * sc->per_byte, sc, "/s");
}

/* Bytes for people; sizes are never counted in bits, so bits print SI. */
char *format_size_human(char buf[UNIT_BUF_LEN], uint64_t bytes,
			enum unit_system sys)
{
	if (sys == UNITS_BYTES)
		return format_places(buf, bytes, 1, 0, "");
	return format_human(buf, bytes,
			    &rate_scales[sys == UNITS_BITS ? UNITS_SI : sys], "");
}

char *format_duration_human(char buf[UNIT_BUF_LEN], uint64_t ns)
{
	return format_human(buf, ns, &duration_scale, "");
}
