/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What status and watch read of ratewin, as cells to print. Reading never
 * fails for an attribute this kernel does not have (an older one): its
 * cell is empty, and one warning says which is missing.
 */
#ifndef RATECTL_STATS_H
#define RATECTL_STATS_H

#include "output.h"
#include "settings.h"

struct global_stats {
	struct cell enabled, window_events, window_ms, min_sleep_us, max_sleep_us;
	struct cell high[IO_KINDS], low[IO_KINDS];
	struct cell throttled[IO_KINDS], unconstrained[IO_KINDS];
};

struct class_stats {
	struct cell mode, members, occupied;
	struct cell limit[IO_KINDS], window_rate[IO_KINDS];
	struct cell bytes[IO_KINDS], sleeps[IO_KINDS], sleep_ns[IO_KINDS];
};

/* The columns status and watch share, as they describe them. */
#define CLASS_COLINFO							\
	{ "CLASS", "class", 0, 0, CELL_COUNT, "class number" }
#define MODE_COLINFO							\
	{ "MODE", "mode", 0, 0, CELL_TEXT, "shared or always" }
#define MEMBERS_COLINFO							\
	{ "MEMBERS", "members", 0, 0, CELL_COUNT,		\
	  "processes in the class" }
#define LIMIT_COLINFO(IO, io, what)					\
	{ IO "-LIMIT", io "_limit_bytes_per_sec", 0, 0,	\
	  CELL_LIMIT, what " I/O limit" }
#define HELD_COLINFO							\
	{ "HELD", "held", 0, 0, CELL_TEXT,				\
	  "the I/O held to its limit now: file, net, both or no" }

/*
 * The column of kind io of a file column, in a table whose enum lays out
 * its net columns as its file columns, from COL_FILE_LIMIT and
 * COL_NET_LIMIT.
 */
#define IO_COL(col, io)	((col) + (size_t)(io) * (COL_NET_LIMIT - COL_FILE_LIMIT))

/* What read_classes() returns when it was not to count the members. */
#define SCAN_SKIPPED	2

void read_globals(struct global_stats *g);
int read_classes(struct class_stats *cls, unsigned int nclasses, int count);

enum unit_system limit_units(const struct cell *limit);
struct cell use_cell(const struct class_stats *st, const uint64_t rate[IO_KINDS]);
struct cell held_cell(const struct global_stats *g, const struct class_stats *st);
struct table completeness_table(struct row *r, int scan);

#endif
