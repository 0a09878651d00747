// SPDX-License-Identifier: GPL-2.0
/*
 * Tables to libsmartcols or to JSON; see output.h.
 *
 * A command's document may hold several tables: status has its
 * settings, its hysteresis and its classes. People see them all, one
 * after the other, but those for JSON alone; --noheadings, --raw and
 * --pairs, which are for scripts, print the last table alone, the one
 * -o chooses the columns of. JSON holds them all, each as its layout
 * says.
 */
#include <err.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json.h"
#include "output.h"
#include "ratectl.h"

static const char *const format_options[] = {
	[OUT_RAW] = "--raw", [OUT_PAIRS] = "--pairs", [OUT_JSON] = "--json",
};

static void set_format(const struct command *cmd, struct output *o,
		       enum out_format format)
{
	if (o->format != OUT_TABLE && o->format != format)
		usage_error(cmd, "%s and %s are mutually exclusive",
			    format_options[o->format], format_options[format]);
	o->format = format;
}

/* Returns 1 when opt is an output option, and takes it. */
int output_option(const struct command *cmd, struct output *o, int opt,
		  const char *arg)
{
	enum unit_system units;

	switch (opt) {
	case 'o':
		o->columns = arg;
		break;
	case OPT_OUTPUT_ALL:
		o->all_columns = 1;
		break;
	case 'n':
		o->noheadings = 1;
		break;
	case 'r':
		set_format(cmd, o, OUT_RAW);
		break;
	case 'P':
		set_format(cmd, o, OUT_PAIRS);
		break;
	case 'J':
		set_format(cmd, o, OUT_JSON);
		break;
	case 'b':
		o->bytes = 1;
		break;
	case OPT_UNITS:
		if (parse_unit_system(arg, &units))
			usage_error(cmd, "--units: unknown unit system '%s' "
				    "(use iec, si, bits or bytes)", arg);
		o->units = (int)units;
		o->bytes = units == UNITS_BYTES;
		break;
	default:
		return 0;
	}
	return 1;
}

static size_t column_index(const struct command *cmd, const char *name,
			   size_t len)
{
	for (size_t i = 0; i < cmd->ncolumns; i++)
		if (strlen(cmd->columns[i].name) == len &&
		    !strncasecmp(cmd->columns[i].name, name, len))
			return i;
	usage_error(cmd, "unknown column '%.*s' (see 'ratectl %s --help')",
		    (int)len, name, cmd->name);
}

int column_shown(const size_t *shown, size_t nshown, size_t col)
{
	for (size_t i = 0; i < nshown; i++)
		if (shown[i] == col)
			return 1;
	return 0;
}

/*
 * The columns to print: the defaults, every column with --output-all or
 * in JSON (which has no width to keep to), or -o's comma-separated list
 * (a list starting with '+' adds to the defaults, as in lsblk). Names
 * are case-insensitive. A column named twice is printed once: a JSON
 * object may not hold a key twice.
 */
size_t select_columns(const struct command *cmd, const struct output *o,
		      const size_t *defaults, size_t ndefaults,
		      size_t shown[MAX_COLUMNS])
{
	const char *list = o->columns;
	size_t n = 0;

	if (o->all_columns || (o->format == OUT_JSON && !list)) {
		for (; n < cmd->ncolumns; n++)
			shown[n] = n;
		return n;
	}
	if (!list || *list == '+') {
		memcpy(shown, defaults, ndefaults * sizeof(*shown));
		n = ndefaults;
		list = list ? list + 1 : "";
	}
	while (*list) {
		size_t len = strcspn(list, ",");
		size_t col = column_index(cmd, list, len);

		if (!column_shown(shown, n, col))
			shown[n++] = col;	/* n <= ncolumns <= MAX_COLUMNS */
		list += len + !!list[len];
	}
	if (!n)
		usage_error(cmd, "no columns in '%s'", o->columns);
	return n;
}

void print_column_help(const struct colinfo *cols, size_t ncols)
{
	fputs("\nAvailable output columns:\n", stdout);
	for (size_t i = 0; i < ncols; i++)
		printf(" %12s  %s\n", cols[i].name, cols[i].help);
}

struct cell text_cell(const char *text)
{
	return (struct cell){ .set = !!text, .text = text };
}

struct cell number_cell(uint64_t value)
{
	return (struct cell){ .set = 1, .value = value };
}

static size_t column_at(const struct table *t, size_t i)
{
	return t->shown ? t->shown[i] : i;
}

static size_t columns_of(const struct table *t)
{
	return t->shown ? t->nshown : t->ncols;
}

static char *format_u64(char buf[UNIT_BUF_LEN], uint64_t value,
			const char *suffix)
{
	snprintf(buf, UNIT_BUF_LEN, "%" PRIu64 "%s", value, suffix);
	return buf;
}

static char *format_clock(char buf[UNIT_BUF_LEN], uint64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	strftime(buf, UNIT_BUF_LEN, "%H:%M:%S", localtime_r(&secs, &tm));
	return buf;
}

/* Nanoseconds as a plain number with --bytes, otherwise for people. */
static const char *time_text(char buf[UNIT_BUF_LEN], uint64_t ns,
			     const struct output *o,
			     char *(*for_people)(char buf[UNIT_BUF_LEN], uint64_t ns))
{
	return o->bytes ? format_u64(buf, ns, "") : for_people(buf, ns);
}

/* A cell for people: in its own unit system unless one was asked for. */
static const char *cell_text(const struct colinfo *col, const struct cell *c,
			     const struct output *o, char buf[UNIT_BUF_LEN])
{
	enum unit_system units = o->bytes ? UNITS_BYTES :
				 o->units >= 0 ? (enum unit_system)o->units : c->units;

	if (!c->set)
		return "";
	switch (col->kind) {
	case CELL_TEXT:
		return c->text;
	case CELL_BOOL:
		return c->value ? "yes" : "no";
	case CELL_COUNT:
		return format_u64(buf, c->value, "");
	case CELL_PERCENT:
		return format_u64(buf, c->value, "%");
	case CELL_LIMIT:
		if (!c->value)
			return "unlimited";
		/* fall through */
	case CELL_RATE:
		return format_rate_human(buf, c->value, units);
	case CELL_SIZE:
		return format_size_human(buf, c->value, units);
	case CELL_NS:
		return time_text(buf, c->value, o, format_duration_human);
	case CELL_MS:
		return time_text(buf, c->value * 1000000, o, format_duration);
	case CELL_US:
		return time_text(buf, c->value * 1000, o, format_duration);
	case CELL_CLOCK:
		return format_clock(buf, c->value);
	}
	return "";
}

/* A cell in JSON: raw numbers, their unit in the key; null when empty. */
static void cell_json(struct json *j, const struct colinfo *col,
		      const struct cell *c)
{
	if (!c->set || (col->kind == CELL_LIMIT && !c->value))
		json_null(j, col->key);
	else if (col->kind == CELL_TEXT)
		json_string(j, col->key, c->text);
	else if (col->kind == CELL_BOOL)
		json_bool(j, col->key, !!c->value);
	else if (col->kind == CELL_CLOCK)
		json_millis(j, col->key, c->value);
	else
		json_u64(j, col->key, c->value);
}

static void row_json(struct json *j, const struct table *t, const struct row *r)
{
	for (size_t i = 0; i < columns_of(t); i++) {
		size_t c = column_at(t, i);

		cell_json(j, &t->cols[c], &r->cell[c]);
	}
}

static void table_json(struct json *j, const struct table *t)
{
	switch (t->layout) {
	case JSON_INLINE:
	case JSON_ONLY:
		row_json(j, t, &t->rows[0]);
		break;
	case JSON_OBJECT:
		json_open_object(j, t->name);
		row_json(j, t, &t->rows[0]);
		json_close(j, '}');
		break;
	case JSON_ARRAY:
		json_open_array(j, t->name);
		for (size_t r = 0; r < t->nrows; r++) {
			json_open_object(j, NULL);
			row_json(j, t, &t->rows[r]);
			json_close(j, '}');
		}
		json_close(j, ']');
		break;
	}
}

static void print_json(const struct table *tables, size_t n,
		       const struct output *o)
{
	struct json j;

	json_init(&j, stdout, !o->json_lines);
	json_open_object(&j, NULL);
	for (size_t i = 0; i < n; i++)
		table_json(&j, &tables[i]);
	json_close(&j, '}');
	json_end(&j);
}

/*
 * An explicit $COLUMNS is a width to keep to, as ps(1) keeps to it, even
 * when the output is no terminal; otherwise libsmartcols asks the
 * terminal, and leaves lines whole in a pipe.
 */
static void set_width(struct libscols_table *tb)
{
	const char *env = getenv("COLUMNS");
	char *end;
	unsigned long width;

	if (!env || !*env)
		return;
	width = strtoul(env, &end, 10);
	if (*end || !width || width > 10000)
		return;
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
	scols_table_set_termwidth(tb, width);
}

static struct libscols_table *new_scols_table(const struct output *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		err(EXIT_FAILURE, "libsmartcols");
	scols_table_enable_raw(tb, o->format == OUT_RAW);
	scols_table_enable_export(tb, o->format == OUT_PAIRS);
	/* FILE-RATE="..." would not be a shell variable; FILE_RATE is */
	scols_table_enable_shellvar(tb, o->format == OUT_PAIRS);
	scols_table_enable_noheadings(tb, o->noheadings);
	set_width(tb);
	return tb;
}

/* A number's share of the width, past which it is the first to wrap. */
#define NUMBER_WHINT	0.12

static int is_number(enum cell_kind kind)
{
	return kind != CELL_TEXT && kind != CELL_BOOL && kind != CELL_CLOCK;
}

/*
 * Numbers are right-aligned. In a table wider than the terminal they wrap
 * onto further lines, those wider than NUMBER_WHINT of it first: cut,
 * they would read as other numbers (2^64 - 1 in bytes as 1844674407).
 * libsmartcols never makes a column narrower than its heading, so a table
 * of many columns (--output-all) may still be wider.
 */
static void add_column(struct libscols_table *tb, const struct colinfo *col)
{
	int number = is_number(col->kind);
	int flags = col->flags | (number ? SCOLS_FL_RIGHT | SCOLS_FL_WRAP : 0);
	double whint = col->whint ?: number ? NUMBER_WHINT : 0;

	if (!scols_table_new_column(tb, col->name, whint, flags))
		err(EXIT_FAILURE, "libsmartcols");
}

static void print_scols(const struct table *t, const struct output *o)
{
	struct libscols_table *tb = new_scols_table(o);
	size_t ncols = columns_of(t);

	for (size_t i = 0; i < ncols; i++)
		add_column(tb, &t->cols[column_at(t, i)]);
	for (size_t r = 0; r < t->nrows; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		for (size_t i = 0; i < ncols && ln; i++) {
			size_t c = column_at(t, i);
			char buf[UNIT_BUF_LEN];

			if (scols_line_set_data(ln, i, cell_text(&t->cols[c],
					&t->rows[r].cell[c], o, buf)))
				ln = NULL;
		}
		if (!ln)
			err(EXIT_FAILURE, "libsmartcols");
	}
	if (scols_print_table(tb))
		errx(EXIT_FAILURE, "libsmartcols cannot print the %s table", t->name);
	scols_unref_table(tb);
}

static void print_for_people(const struct table *t, int first,
			     const struct output *o)
{
	if (!first)
		putchar('\n');
	if (!t->nrows && t->if_empty)
		puts(t->if_empty);
	else
		print_scols(t, o);
}

void print_tables(const struct table *tables, size_t n, const struct output *o)
{
	if (o->format == OUT_JSON)
		print_json(tables, n, o);
	else if (o->format != OUT_TABLE || o->noheadings)
		print_scols(&tables[n - 1], o);
	else
		for (size_t i = 0, printed = 0; i < n; i++)
			if (tables[i].layout != JSON_ONLY)
				print_for_people(&tables[i], !printed++, o);
	fflush(stdout);
}
