// SPDX-License-Identifier: GPL-2.0
/*
 * Reading ratewin's settings and statistics for status and watch; see
 * stats.h. Members are counted from /proc, process by process, not from
 * classN/members, which fails with EFBIG beyond a page of PIDs.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratectl.h"
#include "stats.h"
#include "sysfs.h"
#include "util.h"

/* Each attribute is missing in every class alike: one warning a name. */
static void warn_missing(const char *attr)
{
	static char warned[32][ATTR_VALUE_LEN];
	static unsigned int nwarned;
	const char *name = strrchr(attr, '/') ? strrchr(attr, '/') + 1 : attr;

	for (unsigned int i = 0; i < nwarned; i++)
		if (!strcmp(warned[i], name))
			return;
	if (nwarned < ARRAY_SIZE(warned))
		snprintf(warned[nwarned++], ATTR_VALUE_LEN, "%s", name);
	warnx("%s/%s: no such attribute (a kernel older than ratectl?); "
	      "shown empty", rw_root(), attr);
}

/* TEXT as rw_read() of ATTR left it with ERR; NULL when there is no ATTR. */
static const char *text_or_missing(const char *attr, const char *text, int err)
{
	if (err == -ENOENT) {
		warn_missing(attr);
		return NULL;
	}
	if (err) {
		rw_warn_read(attr, err);
		exit(exit_failure);
	}
	return text;
}

/* The attribute's text, or NULL when this kernel does not have it. */
static const char *read_text(const char *attr, char text[ATTR_VALUE_LEN])
{
	return text_or_missing(attr, text, rw_read(attr, text, ATTR_VALUE_LEN));
}

static struct cell attr_cell(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static struct cell attr_cell(const char *fmt, ...)
{
	char attr[64], text[ATTR_VALUE_LEN];
	uint64_t value;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(attr, sizeof(attr), fmt, ap);
	va_end(ap);
	if (!read_text(attr, text))
		return (struct cell){ 0 };
	if (parse_count(text, &value)) {
		rw_warn_read(attr, -EPROTO);
		exit(exit_failure);
	}
	return number_cell(value);
}

static struct cell mode_cell(unsigned int class)
{
	char attr[32], text[ATTR_VALUE_LEN];

	snprintf(attr, sizeof(attr), "class%u/mode", class);
	if (!read_text(attr, text))
		return (struct cell){ 0 };
	for (unsigned int m = 0; m < ARRAY_SIZE(mode_names); m++)
		if (!strcmp(text, mode_names[m]))
			return (struct cell){ .set = 1, .value = m,
					      .text = mode_names[m] };
	rw_warn_read(attr, -EPROTO);
	exit(exit_failure);
}

/* The system of a limit as it was most likely set; IEC for none. */
enum unit_system limit_units(const struct cell *limit)
{
	return limit->set && limit->value ? rate_system(limit->value) : UNITS_IEC;
}

void read_globals(struct global_stats *g)
{
	g->enabled = attr_cell("enabled");
	g->window_events = attr_cell("window_events");
	g->window_ms = attr_cell("window_ms");
	g->min_sleep_us = attr_cell("min_sleep_us");
	g->max_sleep_us = attr_cell("max_sleep_us");
	for (int io = 0; io < IO_KINDS; io++) {
		const char *name = io_names[io];

		g->high[io] = attr_cell("%s_thresh_high", name);
		g->high[io].units = limit_units(&g->high[io]);
		g->low[io] = attr_cell("%s_thresh_low", name);
		g->low[io].units = limit_units(&g->low[io]);
		g->throttled[io] = attr_cell("throttled_%s", name);
		g->unconstrained[io] = attr_cell("unconstrained_%s_rate", name);
		g->unconstrained[io].units = limit_units(&g->high[io]);
	}
}

/*
 * Whether the kernel lists any process in the class: the start of
 * classN/members tells, or its EFBIG, when more than a page of PIDs would.
 */
static struct cell occupied_cell(unsigned int class)
{
	char attr[32], text[ATTR_VALUE_LEN];
	int err;

	snprintf(attr, sizeof(attr), "class%u/members", class);
	err = rw_read(attr, text, sizeof(text));
	if (err == -EFBIG)
		return number_cell(1);
	if (!text_or_missing(attr, text, err))
		return (struct cell){ 0 };
	return number_cell(*text != '\0');
}

static void read_class(unsigned int class, struct class_stats *st)
{
	st->mode = mode_cell(class);
	st->occupied = occupied_cell(class);
	for (int io = 0; io < IO_KINDS; io++) {
		const char *name = io_names[io];

		st->limit[io] = attr_cell("class%u/%s_rate", class, name);
		st->limit[io].units = limit_units(&st->limit[io]);
		st->window_rate[io] = attr_cell("class%u/%s_window_rate", class, name);
		st->window_rate[io].units = limit_units(&st->limit[io]);
		st->bytes[io] = attr_cell("class%u/%s_bytes", class, name);
		st->bytes[io].units = limit_units(&st->limit[io]);
		st->sleeps[io] = attr_cell("class%u/%s_sleeps", class, name);
		st->sleep_ns[io] = attr_cell("class%u/%s_sleep_ns", class, name);
	}
}

/*
 * Counting the members reads the class of every thread in /proc: it is
 * done only when count is set, when they are shown. Returns what
 * scan_members() did (-1 after saying so, SCAN_HIDDEN or 0), or
 * SCAN_SKIPPED with the members left empty.
 */
int read_classes(struct class_stats *cls, unsigned int nclasses, int count)
{
	uint64_t counts[MAX_CLASSES + 1] = { 0 };
	int ret = count ? count_members(counts) : SCAN_SKIPPED;

	for (unsigned int c = 1; c <= nclasses; c++) {
		read_class(c, &cls[c - 1]);
		cls[c - 1].members = count ? number_cell(counts[c]) : (struct cell){ 0 };
	}
	return ret;
}

static const struct colinfo scan_cols[] = {
	{ "MEMBERS-COMPLETE", "members_complete", 0, 0, CELL_BOOL, "" },
};

/*
 * For JSON alone, "members_complete": false when a process could not be
 * read, its members left out (as with /proc mounted hidepid=), null when
 * they were not counted; scan is what read_classes() or scan_members()
 * returned. People are told on standard error.
 */
struct table completeness_table(struct row *r, int scan)
{
	r->cell[0] = scan == SCAN_SKIPPED ? (struct cell){ 0 } : number_cell(scan == 0);
	return (struct table){ "scan", scan_cols, ARRAY_SIZE(scan_cols), NULL, 0,
			       r, 1, JSON_ONLY, NULL };
}

/*
 * How close the class is to its limits: the larger of its rates as a
 * share of their limits, in per cent. Empty for a class without limits.
 * A rate more than 1.8 * 10^17 times its limit (of a few bytes a second)
 * is more per cent than 64 bits hold: it stays at 2^64 - 1.
 */
struct cell use_cell(const struct class_stats *st, const uint64_t rate[IO_KINDS])
{
	struct cell use = { 0 };

	for (int io = 0; io < IO_KINDS; io++) {
		const struct cell *limit = &st->limit[io];
		unsigned __int128 exact;
		uint64_t percent;

		if (!limit->set || !limit->value)
			continue;
		exact = ((unsigned __int128)rate[io] * 100 + limit->value / 2) /
			limit->value;
		percent = exact > UINT64_MAX ? UINT64_MAX : (uint64_t)exact;
		if (!use.set || percent > use.value)
			use = number_cell(percent);
	}
	return use;
}

/*
 * Whether the class's I/O of kind io is held to its limit now: with a
 * limit, while ratewin is enabled, in mode always or while the system is
 * throttled for that kind of I/O. -1 when an attribute that decides it
 * is missing.
 */
static int is_held(const struct global_stats *g, const struct class_stats *st,
		   int io)
{
	const struct cell *limit = &st->limit[io], *throttled = &g->throttled[io];

	if (!g->enabled.set || !st->mode.set || !limit->set)
		return -1;
	if (!g->enabled.value || !limit->value || st->mode.value == MODE_ALWAYS)
		return g->enabled.value && limit->value;
	return throttled->set ? !!throttled->value : -1;
}

/* Which kinds of the class's I/O are held; empty when one cannot be told. */
struct cell held_cell(const struct global_stats *g, const struct class_stats *st)
{
	static const char *const held_names[] = { "no", "file", "net", "both" };
	unsigned int held = 0;

	for (int io = 0; io < IO_KINDS; io++) {
		int held_io = is_held(g, st, io);

		if (held_io < 0)
			return (struct cell){ 0 };
		held |= (unsigned int)held_io << io;
	}
	return text_cell(held_names[held]);
}
