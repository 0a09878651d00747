// SPDX-License-Identifier: GPL-2.0
/*
 * ratectl status and ratectl watch: what ratewin is set to and what the
 * classes are doing.
 *
 * Both describe their output once, as tables of columns, each column with
 * a heading for people, a unit-suffixed key for JSON and a type that says
 * how to print a value. status prints the tables through libsmartcols, as
 * lsblk and findmnt do, in columns or as one JSON document. watch prints a
 * table per interval the same way, or with --json one JSON object a line
 * from the same columns, flushed at once, for a pipe to read as it comes;
 * libsmartcols's JSON spans many lines.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ratectl.h"
#include "sysfs.h"
#include "util.h"

enum col_type {
	COL_TEXT,	/* a word */
	COL_BOOL,	/* yes or no */
	COL_TIME,	/* wall-clock time, ms since the epoch */
	COL_COUNT,	/* a plain number */
	COL_RATE,	/* a measured rate, bytes/s */
	COL_BYTES,	/* a byte count */
	COL_NS,		/* a measured time, ns */
	COL_SETTING,	/* a tunable, printed as ratectl takes it */
};

struct column {
	const char *name;
	const char *json;
	enum col_type type;
};

struct cell {
	uint64_t value;
	const char *text;		/* COL_TEXT */
	const struct setting *setting;	/* COL_SETTING */
};

#define MAX_COLUMNS	16

struct row {
	struct cell cell[MAX_COLUMNS];
};

struct table {
	const char *name;
	const struct column *cols;
	unsigned int ncols;
	const struct row *rows;
	unsigned int nrows;
};

struct view {
	int json;
	int bytes;	/* raw numbers, as lsblk --bytes */
};

static int json_type(const struct column *col, const struct cell *cell)
{
	switch (col->type) {
	case COL_TEXT:
		return SCOLS_JSON_STRING;
	case COL_BOOL:
		return SCOLS_JSON_BOOLEAN;
	case COL_SETTING:
		if (cell->setting->kind == KIND_BOOL)
			return SCOLS_JSON_BOOLEAN;
		if (cell->setting->kind == KIND_MODE)
			return SCOLS_JSON_STRING;
		break;
	default:
		break;
	}
	return SCOLS_JSON_NUMBER;
}

/* Seconds since the epoch for JSON, the time of day for people. */
static char *format_time(char buf[UNIT_BUF_LEN], uint64_t ms, int json)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	if (json)
		snprintf(buf, UNIT_BUF_LEN, "%" PRIu64 ".%03" PRIu64, ms / 1000,
			 ms % 1000);
	else
		strftime(buf, UNIT_BUF_LEN, "%H:%M:%S", localtime_r(&secs, &tm));
	return buf;
}

/* A cell as text: in JSON the raw value, for people the readable one. */
static const char *cell_text(const struct column *col, const struct cell *cell,
			     const struct view *v, char buf[UNIT_BUF_LEN])
{
	int raw = v->json || (v->bytes && col->type != COL_SETTING);

	if (col->type == COL_TEXT)
		return cell->text;
	/* libsmartcols prints "0" as false and anything else as true */
	if (json_type(col, cell) == SCOLS_JSON_BOOLEAN)
		return strcpy(buf, cell->value ? (v->json ? "1" : "yes") :
						 (v->json ? "0" : "no"));
	if (col->type == COL_TIME)
		return format_time(buf, cell->value, v->json);
	if (col->type == COL_SETTING &&
	    (cell->setting->kind == KIND_MODE || !v->json))
		return setting_format(cell->setting, cell->value, buf);
	if (raw || col->type == COL_COUNT) {
		snprintf(buf, UNIT_BUF_LEN, "%" PRIu64, cell->value);
		return buf;
	}
	if (col->type == COL_NS)
		return format_duration_human(buf, cell->value);
	return format_rate_human(buf, cell->value);
}

static struct libscols_table *new_table(const struct table *t,
					const struct view *v)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		err(EXIT_FAILURE, "libsmartcols");
	scols_table_set_name(tb, t->name);
	scols_table_enable_json(tb, v->json);
	for (unsigned int c = 0; c < t->ncols; c++) {
		const struct column *col = &t->cols[c];
		struct libscols_column *cl = scols_table_new_column(tb,
			v->json ? col->json : col->name, 0,
			col->type == COL_TEXT ? 0 : SCOLS_FL_RIGHT);

		if (!cl)
			err(EXIT_FAILURE, "libsmartcols");
		if (t->nrows)
			scols_column_set_json_type(cl, json_type(col, &t->rows[0].cell[c]));
	}
	for (unsigned int r = 0; r < t->nrows; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		for (unsigned int c = 0; c < t->ncols && ln; c++) {
			char buf[UNIT_BUF_LEN];

			if (scols_line_set_data(ln, c, cell_text(&t->cols[c],
					&t->rows[r].cell[c], v, buf)))
				ln = NULL;
		}
		if (!ln)
			err(EXIT_FAILURE, "libsmartcols");
	}
	return tb;
}

/* libsmartcols's {"name": [...]} without its outer braces, after a comma. */
static void print_json_member(char *text, int first)
{
	char *body = strchr(text, '{');
	char *end = strrchr(text, '}');

	if (!body || !end || end < body)
		errx(EXIT_FAILURE, "libsmartcols printed no JSON object");
	*end = '\0';
	printf("%s%s", first ? "" : ",", body + 1);
}

/*
 * Several tables: one after another for people, or one JSON document,
 * {"a": [...], "b": [...]}, joined from each table's {"a": [...]}.
 */
static void print_tables(const struct table *tables, unsigned int n,
			 const struct view *v)
{
	if (v->json)
		putchar('{');
	for (unsigned int i = 0; i < n; i++) {
		struct libscols_table *tb = new_table(&tables[i], v);
		char *text = NULL;

		if (scols_print_table_to_string(tb, &text) || !text)
			errx(EXIT_FAILURE, "libsmartcols cannot print the %s table",
			     tables[i].name);
		if (v->json)
			print_json_member(text, !i);
		else
			printf("%s%s\n", i ? "\n" : "", text);
		free(text);
		scols_unref_table(tb);
	}
	if (v->json)
		puts("}");
	fflush(stdout);
}

/* What status and watch read of one class. */
struct class_stats {
	uint64_t members;
	uint64_t limit[IO_KINDS];
	uint64_t window_rate[IO_KINDS];
	uint64_t bytes[IO_KINDS];
	uint64_t sleeps[IO_KINDS];
	uint64_t sleep_ns[IO_KINDS];
};

static uint64_t read_attr(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* An attribute's number; ratectl cannot show a view without it. */
static uint64_t read_attr(const char *fmt, ...)
{
	char attr[64];
	uint64_t value;
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(attr, sizeof(attr), fmt, ap);
	va_end(ap);
	err = rw_read_u64(attr, &value);
	if (err) {
		rw_warn_read(attr, err);
		exit(EXIT_FAILURE);
	}
	return value;
}

static uint64_t count_members(unsigned int class)
{
	static char text[ATTR_LIST_LEN];
	char attr[32];
	uint64_t n = 0;
	int err;

	snprintf(attr, sizeof(attr), "class%u/members", class);
	err = rw_read(attr, text, sizeof(text));
	if (err) {
		rw_warn_read(attr, err);
		exit(EXIT_FAILURE);
	}
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += !!*p)
		n++;
	return n;
}

static void read_class(unsigned int class, struct class_stats *st)
{
	st->members = count_members(class);
	for (int io = 0; io < IO_KINDS; io++) {
		const char *name = io_names[io];

		st->limit[io] = read_attr("class%u/%s_rate", class, name);
		st->window_rate[io] = read_attr("class%u/%s_window_rate", class, name);
		st->bytes[io] = read_attr("class%u/%s_bytes", class, name);
		st->sleeps[io] = read_attr("class%u/%s_sleeps", class, name);
		st->sleep_ns[io] = read_attr("class%u/%s_sleep_ns", class, name);
	}
}

static void parse_view_option(const struct command *cmd, int opt,
			      struct view *v, char **argv)
{
	if (opt == 'J')
		v->json = 1;
	else if (opt == 'b')
		v->bytes = 1;
	else
		common_option(cmd, opt, argv);
}

#define VIEW_LONG_OPTIONS				\
	{ "json", no_argument, NULL, 'J' },		\
	{ "bytes", no_argument, NULL, 'b' },		\
	COMMON_LONG_OPTIONS
#define VIEW_SHORT_OPTIONS	"Jb" COMMON_SHORT_OPTIONS

static const struct column settings_cols[] = {
	{ "ENABLED", "enabled", COL_SETTING },
	{ "WINDOW-EVENTS", "window_events", COL_SETTING },
	{ "WINDOW-TIME", "window_time_ms", COL_SETTING },
	{ "MIN-SLEEP", "min_sleep_us", COL_SETTING },
	{ "MAX-SLEEP", "max_sleep_us", COL_SETTING },
};

static const struct column hysteresis_cols[] = {
	{ "IO", "io", COL_TEXT },
	{ "THROTTLED", "throttled", COL_BOOL },
	{ "HIGH", "high_bytes_per_sec", COL_SETTING },
	{ "LOW", "low_bytes_per_sec", COL_SETTING },
	{ "UNCONSTRAINED", "unconstrained_bytes_per_sec", COL_RATE },
};

#define IO_STATUS_COLUMNS(_IO, _io)					\
	{ _IO "-LIMIT", _io "_limit_bytes_per_sec", COL_SETTING },	\
	{ _IO "-RATE", _io "_rate_bytes_per_sec", COL_RATE },		\
	{ _IO "-BYTES", _io "_bytes", COL_BYTES },			\
	{ _IO "-SLEEPS", _io "_sleeps", COL_COUNT },			\
	{ _IO "-SLEPT", _io "_sleep_ns", COL_NS }

static const struct column class_cols[] = {
	{ "CLASS", "class", COL_COUNT },
	{ "MODE", "mode", COL_SETTING },
	{ "MEMBERS", "members", COL_COUNT },
	IO_STATUS_COLUMNS("FILE", "file"),
	IO_STATUS_COLUMNS("NET", "net"),
};

static struct cell setting_cell(const struct settings *set,
				const uint64_t *values, int idx)
{
	return (struct cell){ .value = values[idx], .setting = &set->s[idx] };
}

static struct cell value_cell(uint64_t value)
{
	return (struct cell){ .value = value };
}

/* The settings table's columns are these settings, in this order. */
static const char *const settings_keys[ARRAY_SIZE(settings_cols)] = {
	"enabled", "window.events", "window.time", "window.min-sleep",
	"window.max-sleep",
};

static void settings_row(struct row *r, const struct settings *set,
			 const uint64_t *values)
{
	for (unsigned int c = 0; c < ARRAY_SIZE(settings_cols); c++)
		r->cell[c] = setting_cell(set, values,
					  setting_index(set, settings_keys[c]));
}

static void hysteresis_row(struct row *r, int io, const struct settings *set,
			   const uint64_t *values)
{
	char key[32];

	r->cell[0] = (struct cell){ .text = io_names[io] };
	r->cell[1] = value_cell(read_attr("throttled_%s", io_names[io]));
	snprintf(key, sizeof(key), "%s.high", io_names[io]);
	r->cell[2] = setting_cell(set, values, setting_index(set, key));
	snprintf(key, sizeof(key), "%s.low", io_names[io]);
	r->cell[3] = setting_cell(set, values, setting_index(set, key));
	r->cell[4] = value_cell(read_attr("unconstrained_%s_rate", io_names[io]));
}

static void class_row(struct row *r, unsigned int class,
		      const struct settings *set, const uint64_t *values)
{
	struct class_stats st;
	struct cell *cell = r->cell;

	read_class(class, &st);
	*cell++ = value_cell(class);
	*cell++ = setting_cell(set, values, class_setting(class, "mode"));
	*cell++ = value_cell(st.members);
	for (int io = 0; io < IO_KINDS; io++) {
		*cell++ = setting_cell(set, values, class_setting(class, io_names[io]));
		*cell++ = value_cell(st.window_rate[io]);
		*cell++ = value_cell(st.bytes[io]);
		*cell++ = value_cell(st.sleeps[io]);
		*cell++ = value_cell(st.sleep_ns[io]);
	}
}

int cmd_status(const struct command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		VIEW_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct row settings_rows[1], hysteresis_rows[IO_KINDS];
	struct row class_rows[MAX_CLASSES];
	uint64_t values[MAX_SETTINGS];
	struct view v = { 0 };
	struct settings set;
	int opt;

	while ((opt = getopt_long(argc, argv, ":" VIEW_SHORT_OPTIONS, longopts,
				  NULL)) != -1)
		parse_view_option(cmd, opt, &v, argv);
	no_more_args(cmd, argc, argv);

	load_settings(&set, values);
	settings_row(&settings_rows[0], &set, values);
	for (int io = 0; io < IO_KINDS; io++)
		hysteresis_row(&hysteresis_rows[io], io, &set, values);
	for (unsigned int c = 1; c <= set.nclasses; c++)
		class_row(&class_rows[c - 1], c, &set, values);

	print_tables((const struct table[]){
		{ "settings", settings_cols, ARRAY_SIZE(settings_cols),
		  settings_rows, 1 },
		{ "hysteresis", hysteresis_cols, ARRAY_SIZE(hysteresis_cols),
		  hysteresis_rows, IO_KINDS },
		{ "classes", class_cols, ARRAY_SIZE(class_cols), class_rows,
		  set.nclasses },
	}, 3, &v);
	return 0;
}

/* One look at every class, and when it was taken. */
struct sample {
	struct timespec mono;
	uint64_t wall_ms;
	uint64_t throttled[IO_KINDS];
	uint64_t unconstrained[IO_KINDS];
	struct class_stats cls[MAX_CLASSES];
};

static void take_sample(struct sample *s, unsigned int nclasses)
{
	struct timespec wall;

	clock_gettime(CLOCK_MONOTONIC, &s->mono);
	clock_gettime(CLOCK_REALTIME, &wall);
	s->wall_ms = (uint64_t)wall.tv_sec * 1000 + (uint64_t)wall.tv_nsec / 1000000;
	for (int io = 0; io < IO_KINDS; io++) {
		s->throttled[io] = read_attr("throttled_%s", io_names[io]);
		s->unconstrained[io] = read_attr("unconstrained_%s_rate",
						 io_names[io]);
	}
	for (unsigned int c = 1; c <= nclasses; c++)
		read_class(c, &s->cls[c - 1]);
}

static uint64_t elapsed_ns(const struct sample *a, const struct sample *b)
{
	return (uint64_t)(b->mono.tv_sec - a->mono.tv_sec) * 1000000000ULL +
	       (uint64_t)b->mono.tv_nsec - (uint64_t)a->mono.tv_nsec;
}

/* How much a counter grew; it never runs backwards, but trust nothing. */
static uint64_t growth(uint64_t before, uint64_t after)
{
	return after > before ? after - before : 0;
}

/* bytes moved over ns, per second */
static uint64_t per_second(uint64_t before, uint64_t after, uint64_t ns)
{
	if (!ns)
		return 0;
	return (uint64_t)((unsigned __int128)growth(before, after) * 1000000000ULL / ns);
}

static const struct column watch_cols[] = {
	{ "TIME", "timestamp", COL_TIME },
	{ "THROTTLED-FILE", "throttled_file", COL_BOOL },
	{ "THROTTLED-NET", "throttled_net", COL_BOOL },
	{ "UNCONSTRAINED-FILE", "unconstrained_file_bytes_per_sec", COL_RATE },
	{ "UNCONSTRAINED-NET", "unconstrained_net_bytes_per_sec", COL_RATE },
};

#define IO_WATCH_COLUMNS(_IO, _io)					\
	{ _IO "-RATE", _io "_rate_bytes_per_sec", COL_RATE },		\
	{ _IO "-WINDOW", _io "_window_rate_bytes_per_sec", COL_RATE },	\
	{ _IO "-SLEEPS", _io "_sleeps", COL_COUNT },			\
	{ _IO "-SLEPT", _io "_sleep_ns", COL_NS }

static const struct column watch_class_cols[] = {
	{ "CLASS", "class", COL_COUNT },
	{ "MEMBERS", "members", COL_COUNT },
	IO_WATCH_COLUMNS("FILE", "file"),
	IO_WATCH_COLUMNS("NET", "net"),
};

static void watch_row(struct row *r, const struct sample *now)
{
	r->cell[0] = value_cell(now->wall_ms);
	for (int io = 0; io < IO_KINDS; io++) {
		r->cell[1 + io] = value_cell(now->throttled[io]);
		r->cell[3 + io] = value_cell(now->unconstrained[io]);
	}
}

/* A class is shown once it has members, a limit, or traffic. */
static int watch_class_row(struct row *r, unsigned int class,
			   const struct sample *then, const struct sample *now)
{
	const struct class_stats *a = &then->cls[class - 1];
	const struct class_stats *b = &now->cls[class - 1];
	uint64_t ns = elapsed_ns(then, now);
	struct cell *cell = r->cell;
	int busy = b->members > 0;

	*cell++ = value_cell(class);
	*cell++ = value_cell(b->members);
	for (int io = 0; io < IO_KINDS; io++) {
		busy |= b->limit[io] || b->bytes[io] != a->bytes[io];
		*cell++ = value_cell(per_second(a->bytes[io], b->bytes[io], ns));
		*cell++ = value_cell(b->window_rate[io]);
		*cell++ = value_cell(growth(a->sleeps[io], b->sleeps[io]));
		*cell++ = value_cell(growth(a->sleep_ns[io], b->sleep_ns[io]));
	}
	return busy;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

/* The members of a JSON object, from the same columns as the table. */
static void json_members(const struct column *cols, unsigned int ncols,
			 const struct row *r, const struct view *v)
{
	for (unsigned int c = 0; c < ncols; c++) {
		char buf[UNIT_BUF_LEN];
		const char *text = cell_text(&cols[c], &r->cell[c], v, buf);

		printf("%s\"%s\": ", c ? ", " : "", cols[c].json);
		switch (json_type(&cols[c], &r->cell[c])) {
		case SCOLS_JSON_STRING:
			json_string(text);
			break;
		case SCOLS_JSON_BOOLEAN:
			fputs(strcmp(text, "0") ? "true" : "false", stdout);
			break;
		default:
			fputs(text, stdout);
		}
	}
}

static void print_watch_json(const struct row *top, const struct row *rows,
			     unsigned int n, const struct view *v)
{
	putchar('{');
	json_members(watch_cols, ARRAY_SIZE(watch_cols), top, v);
	fputs(", \"classes\": [", stdout);
	for (unsigned int i = 0; i < n; i++) {
		fputs(i ? ", {" : "{", stdout);
		json_members(watch_class_cols, ARRAY_SIZE(watch_class_cols),
			     &rows[i], v);
		putchar('}');
	}
	puts("]}");
	fflush(stdout);
}

static void print_watch(const struct sample *then, const struct sample *now,
			unsigned int nclasses, const struct view *v)
{
	struct row top, rows[MAX_CLASSES];
	unsigned int n = 0;

	watch_row(&top, now);
	for (unsigned int c = 1; c <= nclasses; c++)
		n += watch_class_row(&rows[n], c, then, now);
	if (v->json) {
		print_watch_json(&top, rows, n, v);
		return;
	}
	print_tables((const struct table[]){
		{ "watch", watch_cols, ARRAY_SIZE(watch_cols), &top, 1 },
		{ "classes", watch_class_cols, ARRAY_SIZE(watch_class_cols),
		  rows, n },
	}, 2, v);
	putchar('\n');
}

static void add_ns(struct timespec *t, uint64_t ns)
{
	ns += (uint64_t)t->tv_nsec;
	t->tv_sec += (time_t)(ns / 1000000000ULL);
	t->tv_nsec = (long)(ns % 1000000000ULL);
}

static uint64_t watch_number(const struct command *cmd, const char *option,
			     const char *text, enum unit_error (*parse)(const char *, uint64_t *))
{
	enum unit_error e;
	uint64_t value;

	e = parse(text, &value);
	if (e)
		usage_error(cmd, "%s: invalid value '%s': %s", option, text,
			    unit_strerror(e));
	if (!value)
		usage_error(cmd, "%s: invalid value '%s': must be above zero",
			    option, text);
	return value;
}

int cmd_watch(const struct command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		VIEW_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static struct sample samples[2];
	uint64_t interval_ns = 1000000000ULL, count = 0;
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct timespec next;
	struct view v = { 0 };
	int opt;

	while ((opt = getopt_long(argc, argv, ":i:c:" VIEW_SHORT_OPTIONS,
				  longopts, NULL)) != -1) {
		if (opt == 'i')
			interval_ns = watch_number(cmd, "--interval", optarg,
						   parse_duration);
		else if (opt == 'c')
			count = watch_number(cmd, "--count", optarg, parse_count);
		else
			parse_view_option(cmd, opt, &v, argv);
	}
	no_more_args(cmd, argc, argv);

	load_settings(&set, values);
	take_sample(&samples[0], set.nclasses);
	next = samples[0].mono;
	for (uint64_t i = 0; !count || i < count; i++) {
		struct sample *then = &samples[i % 2], *now = &samples[(i + 1) % 2];

		add_ns(&next, interval_ns);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
		take_sample(now, set.nclasses);
		print_watch(then, now, set.nclasses, &v);
	}
	return 0;
}
