// SPDX-License-Identifier: GPL-2.0
/*
 * ratectl watch: every interval, the rate of each busy class over the
 * interval and over its window, the sleeps its members took, and whether
 * file and network I/O are throttled. For people, a table an interval
 * (or "no busy classes"); with --json, one JSON object a line, flushed
 * at once, for a pipe to read as it comes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ratectl.h"
#include "stats.h"
#include "util.h"

enum { SUM_TIME, SUM_FILE_THROTTLED, SUM_NET_THROTTLED,
       SUM_FILE_UNCONSTRAINED, SUM_NET_UNCONSTRAINED };

static const struct colinfo summary_cols[] = {
	[SUM_TIME] = { "TIME", "timestamp_s", 0, 0, CELL_CLOCK, "" },
	[SUM_FILE_THROTTLED] = { "THROTTLED-FILE", "throttled_file", 0, 0,
				 CELL_BOOL, "" },
	[SUM_NET_THROTTLED] = { "THROTTLED-NET", "throttled_net", 0, 0,
				CELL_BOOL, "" },
	[SUM_FILE_UNCONSTRAINED] = { "UNCONSTRAINED-FILE",
				     "unconstrained_file_bytes_per_sec", 0, 0,
				     CELL_RATE, "" },
	[SUM_NET_UNCONSTRAINED] = { "UNCONSTRAINED-NET",
				    "unconstrained_net_bytes_per_sec", 0, 0,
				    CELL_RATE, "" },
};

enum {
	COL_TIME, COL_CLASS, COL_MODE, COL_MEMBERS,
	COL_FILE_LIMIT, COL_FILE_RATE, COL_FILE_WINDOW, COL_FILE_BYTES,
	COL_FILE_SLEEPS, COL_FILE_SLEPT,
	COL_NET_LIMIT, COL_NET_RATE, COL_NET_WINDOW, COL_NET_BYTES,
	COL_NET_SLEEPS, COL_NET_SLEPT,
	COL_USE, COL_HELD,
};

static const struct colinfo class_cols[] = {
	[COL_TIME] = { "TIME", "timestamp_s", 0, 0, CELL_CLOCK,
		       "when the interval ended" },
	[COL_CLASS] = CLASS_COLINFO,
	[COL_MODE] = MODE_COLINFO,
	[COL_MEMBERS] = MEMBERS_COLINFO,
	[COL_FILE_LIMIT] = LIMIT_COLINFO("FILE", "file", "file"),
	[COL_FILE_RATE] = { "FILE-RATE", "file_interval_bytes_per_sec", 0, 0,
			    CELL_RATE, "file I/O rate over the interval" },
	[COL_FILE_WINDOW] = { "FILE-WINDOW", "file_window_bytes_per_sec", 0, 0,
			      CELL_RATE, "file I/O rate over the window" },
	[COL_FILE_BYTES] = { "FILE-BYTES", "file_interval_bytes", 0, 0,
			     CELL_SIZE, "file I/O in the interval" },
	[COL_FILE_SLEEPS] = { "FILE-SLEEPS", "file_interval_sleeps", 0, 0,
			      CELL_COUNT, "sleeps for file I/O in the interval" },
	[COL_FILE_SLEPT] = { "FILE-SLEPT", "file_interval_sleep_ns", 0, 0,
			     CELL_NS, "time slept for file I/O in the interval" },
	[COL_NET_LIMIT] = LIMIT_COLINFO("NET", "net", "network"),
	[COL_NET_RATE] = { "NET-RATE", "net_interval_bytes_per_sec", 0, 0,
			   CELL_RATE, "network I/O rate over the interval" },
	[COL_NET_WINDOW] = { "NET-WINDOW", "net_window_bytes_per_sec", 0, 0,
			     CELL_RATE, "network I/O rate over the window" },
	[COL_NET_BYTES] = { "NET-BYTES", "net_interval_bytes", 0, 0,
			    CELL_SIZE, "network I/O in the interval" },
	[COL_NET_SLEEPS] = { "NET-SLEEPS", "net_interval_sleeps", 0, 0,
			     CELL_COUNT, "sleeps for network I/O in the interval" },
	[COL_NET_SLEPT] = { "NET-SLEPT", "net_interval_sleep_ns", 0, 0,
			    CELL_NS, "time slept for network I/O in the interval" },
	[COL_USE] = { "USE%", "use_percent", 0, 0, CELL_PERCENT,
		      "the larger interval rate, in per cent of its limit" },
	[COL_HELD] = HELD_COLINFO,
};

static const size_t default_cols[] = {
	COL_CLASS, COL_MEMBERS, COL_FILE_RATE, COL_FILE_SLEPT, COL_NET_RATE,
	COL_NET_SLEPT, COL_USE, COL_HELD,
};

/* One look at ratewin, and when it was taken. */
struct sample {
	struct timespec mono;
	uint64_t wall_ms;
	int scan;		/* what scan_members() returned */
	struct global_stats g;
	struct class_stats cls[MAX_CLASSES];
};

static void take_sample(struct sample *s, unsigned int nclasses, int count)
{
	struct timespec wall;

	clock_gettime(CLOCK_MONOTONIC, &s->mono);
	clock_gettime(CLOCK_REALTIME, &wall);
	s->wall_ms = (uint64_t)wall.tv_sec * 1000 + (uint64_t)wall.tv_nsec / 1000000;
	read_globals(&s->g);
	s->scan = read_classes(s->cls, nclasses, count);
}

static uint64_t elapsed_ns(const struct sample *a, const struct sample *b)
{
	return (uint64_t)(b->mono.tv_sec - a->mono.tv_sec) * 1000000000ULL +
	       (uint64_t)b->mono.tv_nsec - (uint64_t)a->mono.tv_nsec;
}

/* How much a counter grew, empty when either look lacks it. */
static struct cell growth(const struct cell *before, const struct cell *after)
{
	struct cell c = *after;

	if (!before->set)
		c.set = 0;
	c.value = after->value > before->value ? after->value - before->value : 0;
	return c;
}

/* What a counter grew by over ns, per second. */
static struct cell per_second(const struct cell *before, const struct cell *after,
			      uint64_t ns)
{
	struct cell c = growth(before, after);

	c.value = ns ? (uint64_t)((unsigned __int128)c.value * 1000000000ULL / ns) : 0;
	return c;
}

static void summary_row(struct row *r, const struct sample *now)
{
	r->cell[SUM_TIME] = number_cell(now->wall_ms);
	for (int io = 0; io < IO_KINDS; io++) {
		r->cell[SUM_FILE_THROTTLED + io] = now->g.throttled[io];
		r->cell[SUM_FILE_UNCONSTRAINED + io] = now->g.unconstrained[io];
	}
}

/*
 * A class is shown while it has members, a limit, or traffic; the kernel
 * tells the first without a look at every thread.
 */
static int is_busy(const struct class_stats *a, const struct class_stats *b)
{
	int busy = b->occupied.value > 0;

	for (int io = 0; io < IO_KINDS; io++)
		busy |= b->limit[io].value || b->bytes[io].value != a->bytes[io].value;
	return busy;
}

static void class_row(struct row *r, unsigned int class,
		      const struct sample *then, const struct sample *now)
{
	const struct class_stats *a = &then->cls[class - 1];
	const struct class_stats *b = &now->cls[class - 1];
	uint64_t ns = elapsed_ns(then, now), rate[IO_KINDS];

	r->cell[COL_TIME] = number_cell(now->wall_ms);
	r->cell[COL_CLASS] = number_cell(class);
	r->cell[COL_MODE] = b->mode;
	r->cell[COL_MEMBERS] = b->members;
	for (int io = 0; io < IO_KINDS; io++) {
		struct cell *rate_now = &r->cell[IO_COL(COL_FILE_RATE, io)];

		r->cell[IO_COL(COL_FILE_LIMIT, io)] = b->limit[io];
		*rate_now = per_second(&a->bytes[io], &b->bytes[io], ns);
		r->cell[IO_COL(COL_FILE_WINDOW, io)] = b->window_rate[io];
		r->cell[IO_COL(COL_FILE_BYTES, io)] = growth(&a->bytes[io], &b->bytes[io]);
		r->cell[IO_COL(COL_FILE_SLEEPS, io)] = growth(&a->sleeps[io], &b->sleeps[io]);
		r->cell[IO_COL(COL_FILE_SLEPT, io)] = growth(&a->sleep_ns[io],
							      &b->sleep_ns[io]);
		rate[io] = rate_now->value;
	}
	r->cell[COL_USE] = use_cell(b, rate);
	r->cell[COL_HELD] = held_cell(&now->g, b);
}

static void print_interval(const struct sample *then, const struct sample *now,
			   unsigned int nclasses, const size_t *shown,
			   size_t nshown, const struct output *o)
{
	struct row top, scan_row, rows[MAX_CLASSES];
	size_t n = 0;

	summary_row(&top, now);
	for (unsigned int c = 1; c <= nclasses; c++)
		if (is_busy(&then->cls[c - 1], &now->cls[c - 1]))
			class_row(&rows[n++], c, then, now);
	print_tables((const struct table[]){
		{ "watch", summary_cols, ARRAY_SIZE(summary_cols), NULL, 0, &top, 1,
		  JSON_INLINE, NULL },
		completeness_table(&scan_row, now->scan),
		{ "classes", class_cols, ARRAY_SIZE(class_cols), shown, nshown, rows,
		  n, JSON_ARRAY, "no busy classes" },
	}, 3, o);
	if (o->format == OUT_TABLE && !o->noheadings) {
		putchar('\n');
		fflush(stdout);
	}
}

static void add_ns(struct timespec *t, uint64_t ns)
{
	ns += (uint64_t)t->tv_nsec;
	t->tv_sec += (time_t)(ns / 1000000000ULL);
	t->tv_nsec = (long)(ns % 1000000000ULL);
}

static void above_zero(const struct command *cmd, const char *what,
		       const char *text, enum unit_error e, uint64_t value)
{
	if (e)
		usage_error(cmd, "%s: invalid value '%s': %s", what, text,
			    unit_strerror(e));
	if (!value)
		usage_error(cmd, "%s: invalid value '%s': must be above zero",
			    what, text);
}

/* A duration, or a number of seconds as iostat takes it: 2, 0.5. */
static uint64_t interval_or_usage(const struct command *cmd, const char *what,
				  const char *text)
{
	enum unit_error e;
	uint64_t ns = 0;
	char seconds[64];

	e = parse_duration(text, &ns);
	if (e == UNIT_NEEDS_UNIT && strlen(text) < sizeof(seconds) - 1) {
		snprintf(seconds, sizeof(seconds), "%ss", text);
		e = parse_duration(seconds, &ns);
	}
	above_zero(cmd, what, text, e, ns);
	return ns;
}

static uint64_t count_or_usage(const struct command *cmd, const char *what,
			       const char *text)
{
	uint64_t n = 0;
	enum unit_error e = parse_count(text, &n);

	above_zero(cmd, what, text, e, n);
	return n;
}

static int cmd_watch(const struct command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		TABLE_LONG_OPTIONS,
		UNIT_LONG_OPTIONS,
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static struct sample samples[2];
	uint64_t interval_ns = 1000000000ULL, count = 0;
	struct output o = OUTPUT_INIT;
	size_t shown[MAX_COLUMNS], nshown;
	unsigned int nclasses;
	struct timespec next;
	int opt, failed, members_shown;

	while ((opt = getopt_long(argc, argv, ":i:c:" TABLE_SHORT_OPTIONS
				  UNIT_SHORT_OPTIONS COMMON_SHORT_OPTIONS,
				  longopts, NULL)) != -1) {
		if (opt == 'i')
			interval_ns = interval_or_usage(cmd, "--interval", optarg);
		else if (opt == 'c')
			count = count_or_usage(cmd, "--count", optarg);
		else if (!output_option(cmd, &o, opt, optarg))
			common_option(cmd, opt, argv);
	}
	if (optind < argc)
		interval_ns = interval_or_usage(cmd, "interval", argv[optind++]);
	if (optind < argc)
		count = count_or_usage(cmd, "count", argv[optind++]);
	no_more_args(cmd, argc, argv);
	nshown = select_columns(cmd, &o, default_cols, ARRAY_SIZE(default_cols),
				shown);
	members_shown = column_shown(shown, nshown, COL_MEMBERS);
	o.json_lines = 1;

	nclasses = ratewin_classes();
	take_sample(&samples[0], nclasses, members_shown);
	failed = samples[0].scan < 0;
	next = samples[0].mono;
	for (uint64_t i = 0; !count || i < count; i++) {
		struct sample *then = &samples[i % 2], *now = &samples[(i + 1) % 2];

		add_ns(&next, interval_ns);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
		take_sample(now, nclasses, members_shown);
		failed |= now->scan < 0;
		print_interval(then, now, nclasses, shown, nshown, &o);
	}
	return failed ? exit_failure : EXIT_SUCCESS;
}

const struct command watch_command = {
	.name = "watch",
	.usage = "Usage:\n ratectl watch [options] [INTERVAL [COUNT]]\n"
		 "\nShow, every INTERVAL (a DURATION, or seconds: 2, 0.5), each busy\n"
		 "class's rates over the interval and its window, its sleeps and time\n"
		 "slept in the interval, and whether file and network I/O are\n"
		 "throttled; stop after COUNT reports. A class is busy while it has\n"
		 "members, a limit or traffic; with none, 'no busy classes' is said.\n"
		 "The options -o, --output-all, -n, -r and -P are about the class\n"
		 "table; -n, -r and -P print its rows alone (none when no class is\n"
		 "busy). --json prints one object a line.\n"
		 "\nOptions:\n"
		 " -i, --interval INTERVAL   time between reports (default 1s)\n"
		 " -c, --count COUNT         stop after COUNT reports (default: never)\n"
		 TABLE_HELP
		 UNIT_HELP
		 HELP_OPTIONS,
	.run = cmd_watch,
	.columns = class_cols,
	.ncolumns = ARRAY_SIZE(class_cols),
};
