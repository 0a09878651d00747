// SPDX-License-Identifier: GPL-2.0
/*
 * ratectl status: what ratewin is set to and what its classes are doing,
 * as three tables (the settings, the hysteresis of each kind of I/O, and
 * the classes) or one JSON document. The class table's columns are
 * chosen with -o; by default they fit an 80-column terminal.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ratectl.h"
#include "stats.h"
#include "util.h"

enum { SET_ENABLED, SET_EVENTS, SET_TIME, SET_MIN_SLEEP, SET_MAX_SLEEP };

static const struct colinfo settings_cols[] = {
	[SET_ENABLED] = { "ENABLED", "enabled", 0, 0, CELL_BOOL, "" },
	[SET_EVENTS] = { "WINDOW-EVENTS", "window_events", 0, 0, CELL_COUNT, "" },
	[SET_TIME] = { "WINDOW-TIME", "window_time_ms", 0, 0, CELL_MS, "" },
	[SET_MIN_SLEEP] = { "MIN-SLEEP", "min_sleep_us", 0, 0, CELL_US, "" },
	[SET_MAX_SLEEP] = { "MAX-SLEEP", "max_sleep_us", 0, 0, CELL_US, "" },
};

enum { HYS_IO, HYS_THROTTLED, HYS_HIGH, HYS_LOW, HYS_UNCONSTRAINED };

static const struct colinfo hysteresis_cols[] = {
	[HYS_IO] = { "IO", "io", 0, 0, CELL_TEXT, "" },
	[HYS_THROTTLED] = { "THROTTLED", "throttled", 0, 0, CELL_BOOL, "" },
	[HYS_HIGH] = { "HIGH", "high_bytes_per_sec", 0, 0, CELL_RATE, "" },
	[HYS_LOW] = { "LOW", "low_bytes_per_sec", 0, 0, CELL_RATE, "" },
	[HYS_UNCONSTRAINED] = { "UNCONSTRAINED", "unconstrained_bytes_per_sec",
				0, 0, CELL_RATE, "" },
};

enum {
	COL_CLASS, COL_MODE, COL_MEMBERS,
	COL_FILE_LIMIT, COL_FILE_RATE, COL_FILE_BYTES, COL_FILE_SLEEPS,
	COL_FILE_SLEPT,
	COL_NET_LIMIT, COL_NET_RATE, COL_NET_BYTES, COL_NET_SLEEPS, COL_NET_SLEPT,
	COL_USE, COL_HELD,
};

static const struct colinfo class_cols[] = {
	[COL_CLASS] = CLASS_COLINFO,
	[COL_MODE] = MODE_COLINFO,
	[COL_MEMBERS] = MEMBERS_COLINFO,
	[COL_FILE_LIMIT] = LIMIT_COLINFO("FILE", "file", "file"),
	[COL_FILE_RATE] = { "FILE-RATE", "file_window_bytes_per_sec", 0, 0,
			    CELL_RATE, "file I/O rate over the window" },
	[COL_FILE_BYTES] = { "FILE-BYTES", "file_total_bytes", 0, 0,
			     CELL_SIZE, "file I/O since boot" },
	[COL_FILE_SLEEPS] = { "FILE-SLEEPS", "file_total_sleeps", 0, 0,
			      CELL_COUNT, "sleeps for file I/O since boot" },
	[COL_FILE_SLEPT] = { "FILE-SLEPT", "file_total_sleep_ns", 0, 0,
			     CELL_NS, "time slept for file I/O since boot" },
	[COL_NET_LIMIT] = LIMIT_COLINFO("NET", "net", "network"),
	[COL_NET_RATE] = { "NET-RATE", "net_window_bytes_per_sec", 0, 0,
			   CELL_RATE, "network I/O rate over the window" },
	[COL_NET_BYTES] = { "NET-BYTES", "net_total_bytes", 0, 0, CELL_SIZE,
			    "network I/O since boot" },
	[COL_NET_SLEEPS] = { "NET-SLEEPS", "net_total_sleeps", 0, 0,
			     CELL_COUNT, "sleeps for network I/O since boot" },
	[COL_NET_SLEPT] = { "NET-SLEPT", "net_total_sleep_ns", 0, 0,
			    CELL_NS, "time slept for network I/O since boot" },
	[COL_USE] = { "USE%", "use_percent", 0, 0, CELL_PERCENT,
		      "the larger rate, in per cent of its limit" },
	[COL_HELD] = HELD_COLINFO,
};

static const size_t default_cols[] = {
	COL_CLASS, COL_MODE, COL_MEMBERS, COL_FILE_LIMIT, COL_FILE_RATE,
	COL_NET_LIMIT, COL_NET_RATE, COL_USE, COL_HELD,
};

static void settings_row(struct row *r, const struct global_stats *g)
{
	r->cell[SET_ENABLED] = g->enabled;
	r->cell[SET_EVENTS] = g->window_events;
	r->cell[SET_TIME] = g->window_ms;
	r->cell[SET_MIN_SLEEP] = g->min_sleep_us;
	r->cell[SET_MAX_SLEEP] = g->max_sleep_us;
}

static void hysteresis_row(struct row *r, const struct global_stats *g, int io)
{
	r->cell[HYS_IO] = text_cell(io_names[io]);
	r->cell[HYS_THROTTLED] = g->throttled[io];
	r->cell[HYS_HIGH] = g->high[io];
	r->cell[HYS_LOW] = g->low[io];
	r->cell[HYS_UNCONSTRAINED] = g->unconstrained[io];
}

static void class_row(struct row *r, unsigned int class,
		      const struct global_stats *g, const struct class_stats *st)
{
	uint64_t rate[IO_KINDS];

	r->cell[COL_CLASS] = number_cell(class);
	r->cell[COL_MODE] = st->mode;
	r->cell[COL_MEMBERS] = st->members;
	for (int io = 0; io < IO_KINDS; io++) {
		r->cell[IO_COL(COL_FILE_LIMIT, io)] = st->limit[io];
		r->cell[IO_COL(COL_FILE_RATE, io)] = st->window_rate[io];
		r->cell[IO_COL(COL_FILE_BYTES, io)] = st->bytes[io];
		r->cell[IO_COL(COL_FILE_SLEEPS, io)] = st->sleeps[io];
		r->cell[IO_COL(COL_FILE_SLEPT, io)] = st->sleep_ns[io];
		rate[io] = st->window_rate[io].value;
	}
	r->cell[COL_USE] = use_cell(st, rate);
	r->cell[COL_HELD] = held_cell(g, st);
}

static int cmd_status(const struct command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		TABLE_LONG_OPTIONS,
		UNIT_LONG_OPTIONS,
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct row settings_rows[1], hysteresis_rows[IO_KINDS], scan_row;
	struct row class_rows[MAX_CLASSES];
	struct class_stats cls[MAX_CLASSES];
	struct output o = OUTPUT_INIT;
	size_t shown[MAX_COLUMNS], nshown, nrows = 0;
	struct global_stats g;
	unsigned int nclasses, only = 0;
	int opt, scan;

	while ((opt = getopt_long(argc, argv, ":" TABLE_SHORT_OPTIONS
				  UNIT_SHORT_OPTIONS COMMON_SHORT_OPTIONS,
				  longopts, NULL)) != -1)
		if (!output_option(cmd, &o, opt, optarg))
			common_option(cmd, opt, argv);
	if (optind < argc)
		only = class_or_usage(cmd, argv[optind++], 1);
	no_more_args(cmd, argc, argv);
	nshown = select_columns(cmd, &o, default_cols, ARRAY_SIZE(default_cols),
				shown);

	nclasses = ratewin_classes();
	read_globals(&g);
	scan = read_classes(cls, nclasses, column_shown(shown, nshown, COL_MEMBERS));
	settings_row(&settings_rows[0], &g);
	for (int io = 0; io < IO_KINDS; io++)
		hysteresis_row(&hysteresis_rows[io], &g, io);
	for (unsigned int c = 1; c <= nclasses; c++)
		if (!only || c == only)
			class_row(&class_rows[nrows++], c, &g, &cls[c - 1]);

	print_tables((const struct table[]){
		{ "settings", settings_cols, ARRAY_SIZE(settings_cols), NULL, 0,
		  settings_rows, 1, JSON_OBJECT, NULL },
		{ "hysteresis", hysteresis_cols, ARRAY_SIZE(hysteresis_cols), NULL,
		  0, hysteresis_rows, IO_KINDS, JSON_ARRAY, NULL },
		completeness_table(&scan_row, scan),
		{ "classes", class_cols, ARRAY_SIZE(class_cols), shown, nshown,
		  class_rows, nrows, JSON_ARRAY, NULL },
	}, 4, &o);
	return scan < 0 ? exit_failure : EXIT_SUCCESS;
}

const struct command status_command = {
	.name = "status",
	.usage = "Usage:\n ratectl status [options] [CLASS]\n"
		 "\nShow ratewin's settings, whether file and network I/O are throttled,\n"
		 "and each class's mode, members, limits and rates: of CLASS alone\n"
		 "when one is given. Each rate is printed in the unit system of its\n"
		 "limit, the one the limit was most likely set in (1MB, 10Mbit, 1.5M).\n"
		 "\nThe options -o, --output-all, -n, -r and -P are about the class\n"
		 "table; -n, -r and -P print it alone.\n"
		 "\nOptions:\n"
		 TABLE_HELP
		 UNIT_HELP
		 HELP_OPTIONS,
	.run = cmd_status,
	.columns = class_cols,
	.ncolumns = ARRAY_SIZE(class_cols),
};
