/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rates and durations as people type them and as ratectl prints them.
 *
 * Rates are bytes per second: a number, optionally with a fraction, then
 * an optional unit and an optional "/s". K, M, G, T, P, E (or KiB, MiB,
 * ...) are powers of 1024; kB, MB, GB, TB, PB, EB are powers of 1000;
 * bit, kbit, Mbit, Gbit, Tbit, Pbit, Ebit are bits per second in powers
 * of 1000 (Kibit, Mibit, ... in powers of 1024), as tc(8) counts them.
 * Prefix letters are case-insensitive, as in util-linux. A rate that is not a whole number
 * of bytes is rounded down; one that rounds down to zero is refused,
 * because zero means "unlimited" to the kernel.
 *
 * Durations need a unit: ns, us, ms or s, and must come to a whole
 * number of nanoseconds: a duration is never rounded.
 *
 * Values are printed in one of three unit systems: IEC (KiB, MiB: powers
 * of 1024), SI (kB, MB: powers of 1000) or bits (kbit, Mbit), or as plain
 * numbers. The exact formatters print what the parsers read back to the
 * same value, in the system the value reads shortest in; the human
 * formatters round to one decimal place, in the system asked for.
 */
#ifndef RATECTL_UNITS_H
#define RATECTL_UNITS_H

#include <stddef.h>
#include <stdint.h>

enum unit_error {
	UNIT_OK,
	UNIT_EMPTY,
	UNIT_NEGATIVE,
	UNIT_NOT_A_NUMBER,
	UNIT_TOO_PRECISE,
	UNIT_UNKNOWN_RATE_UNIT,
	UNIT_UNKNOWN_DURATION_UNIT,
	UNIT_NEEDS_UNIT,
	UNIT_OVERFLOW,
	UNIT_BELOW_ONE,
	UNIT_BELOW_NS,
};

enum unit_system { UNITS_IEC, UNITS_SI, UNITS_BITS, UNITS_BYTES };

/* Longest string a formatter writes, with its NUL. */
#define UNIT_BUF_LEN	32

const char *unit_strerror(enum unit_error err);

enum unit_error parse_count(const char *text, uint64_t *value);
enum unit_error parse_rate(const char *text, uint64_t *bytes_per_sec);
enum unit_error parse_duration(const char *text, uint64_t *ns);

int parse_unit_system(const char *text, enum unit_system *sys);
enum unit_system rate_system(uint64_t bytes_per_sec);

char *format_rate(char buf[UNIT_BUF_LEN], uint64_t bytes_per_sec);
char *format_duration(char buf[UNIT_BUF_LEN], uint64_t ns);
char *format_rate_human(char buf[UNIT_BUF_LEN], uint64_t bytes_per_sec,
			enum unit_system sys);
char *format_size_human(char buf[UNIT_BUF_LEN], uint64_t bytes,
			enum unit_system sys);
char *format_duration_human(char buf[UNIT_BUF_LEN], uint64_t ns);

#endif
