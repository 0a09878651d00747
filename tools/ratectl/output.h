/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratectl's output: tables described once, as lsblk describes its
 * columns, and printed through libsmartcols (columns, --raw, --pairs,
 * --noheadings) or as one JSON document (--json).
 *
 * A command names each of its columns with an index into its colinfo
 * array, fills rows of cells by those indexes, and says which columns
 * are printed by default; -o and --output-all choose others. A cell
 * holds a number or a word and may be empty: an attribute the kernel
 * does not have is an empty cell, and null in JSON.
 */
#ifndef RATECTL_OUTPUT_H
#define RATECTL_OUTPUT_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"

enum cell_kind {
	CELL_TEXT,	/* a word */
	CELL_BOOL,	/* yes or no */
	CELL_COUNT,	/* a plain number */
	CELL_PERCENT,	/* a whole percentage */
	CELL_RATE,	/* bytes per second */
	CELL_LIMIT,	/* bytes per second, 0 unlimited (null in JSON) */
	CELL_SIZE,	/* bytes */
	CELL_NS,	/* a measured time, in ns */
	CELL_MS,	/* a setting held in ms, printed exactly */
	CELL_US,	/* a setting held in us, printed exactly */
	CELL_CLOCK,	/* wall-clock time, ms since the epoch */
};

struct colinfo {
	const char *name;	/* the heading, and what -o takes */
	const char *key;	/* the JSON key, with its unit */
	double whint;		/* width hint, as libsmartcols takes it */
	int flags;		/* SCOLS_FL_*; see output.c's add_column() */
	enum cell_kind kind;
	const char *help;
};

struct cell {
	int set;			/* 0: empty */
	uint64_t value;
	const char *text;		/* CELL_TEXT */
	enum unit_system units;		/* rates and sizes, unless overridden */
};

#define MAX_COLUMNS	32

struct row {
	struct cell cell[MAX_COLUMNS];
};

/* How a table goes into the JSON document. */
enum json_layout {
	JSON_ARRAY,	/* "name": [ {row}, ... ] */
	JSON_OBJECT,	/* "name": {the one row} */
	JSON_INLINE,	/* the one row's members, in the document itself */
	JSON_ONLY,	/* as JSON_INLINE, and only there: not for people */
};

struct table {
	const char *name;
	const struct colinfo *cols;
	size_t ncols;
	const size_t *shown;		/* the columns printed, in order; */
	size_t nshown;			/* NULL and 0: every column */
	const struct row *rows;
	size_t nrows;
	enum json_layout layout;
	const char *if_empty;		/* said, for people, instead of no rows */
};

enum out_format { OUT_TABLE, OUT_RAW, OUT_PAIRS, OUT_JSON };

struct output {
	enum out_format format;
	int noheadings;
	int bytes;		/* sizes, rates and times as plain numbers */
	int units;		/* an enum unit_system for every value, or -1 */
	const char *columns;	/* -o LIST */
	int all_columns;
	int json_lines;		/* each document on one line */
};

#define OUTPUT_INIT	{ .units = -1 }

enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_UNITS,
};

/* -o, --output-all, -n, -r, -P and -J: the table a command prints. */
#define TABLE_SHORT_OPTIONS	"o:nrPJ"
#define TABLE_LONG_OPTIONS						\
	{ "output", required_argument, NULL, 'o' },			\
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },		\
	{ "noheadings", no_argument, NULL, 'n' },			\
	{ "raw", no_argument, NULL, 'r' },				\
	{ "pairs", no_argument, NULL, 'P' },				\
	{ "json", no_argument, NULL, 'J' }

/* -b and --units: how its sizes and rates are printed. */
#define UNIT_SHORT_OPTIONS	"b"
#define UNIT_LONG_OPTIONS						\
	{ "bytes", no_argument, NULL, 'b' },				\
	{ "units", required_argument, NULL, OPT_UNITS }

#define TABLE_HELP							\
	" -o, --output LIST         the columns to print (+LIST: and these)\n" \
	"     --output-all          print every column, maybe wider than 80\n" \
	" -n, --noheadings          print no headings\n"			\
	" -r, --raw                 print the table unaligned\n"		\
	" -P, --pairs               print KEY=\"value\" pairs\n"		\
	" -J, --json                print JSON, every column unless -o: numbers\n" \
	"                           raw, their unit in the key, null where\n"	\
	"                           there is no value\n"

#define UNIT_HELP							\
	" -b, --bytes               sizes, rates and times as plain numbers:\n" \
	"                           bytes, bytes/s, ns\n"			\
	"     --units SYSTEM        every size and rate in iec (KiB/s), si\n"	\
	"                           (kB/s), bits (kbit/s) or bytes; by default\n" \
	"                           each in the system of its limit\n"

struct command;

int output_option(const struct command *cmd, struct output *o, int opt,
		  const char *arg);
size_t select_columns(const struct command *cmd, const struct output *o,
		      const size_t *defaults, size_t ndefaults,
		      size_t shown[MAX_COLUMNS]);
int column_shown(const size_t *shown, size_t nshown, size_t col);
void print_tables(const struct table *tables, size_t n, const struct output *o);
void print_column_help(const struct colinfo *cols, size_t ncols);

struct cell text_cell(const char *text);
struct cell number_cell(uint64_t value);

#endif
