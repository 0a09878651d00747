// SPDX-License-Identifier: GPL-2.0
/*
 * ratectl: run, tune and watch ratewin, the kernel's rate-window I/O
 * throttling, through /sys/kernel/ratewin and /proc/<pid>/ratewin_class.
 *
 * Commands are matched exactly, never by prefix: a new command must not
 * make an old abbreviation ambiguous. Exit status: 0 success, 1 failure,
 * 2 bad usage; "run" exits 126 or 127 when the command cannot be run.
 */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ratectl.h"
#include "sysfs.h"

#ifndef RATECTL_VERSION
#define RATECTL_VERSION "unknown"
#endif

#define UNITS_HELP							\
	"\nRATE is bytes per second: 500K, 10M, 1G are powers of 1024 (also KiB,\n" \
	"MiB, GiB), 500kB, 10MB powers of 1000; 10Mbit, 1Gbit are bits per\n" \
	"second. A class rate of 0 or 'unlimited' removes the limit.\n" \
	"DURATION needs a unit: ns, us, ms or s (1.5s, 250ms); it is never rounded.\n"

static const char main_usage[] =
	"Usage:\n"
	" ratectl [--sysfs-root DIR] COMMAND [ARGS...]\n"
	"\nThrottle the file and network I/O of classes of processes with rate\n"
	"windows, leaving your own work the bandwidth it needs.\n"
	"\nCommands:\n"
	" status [--json] [--bytes]         settings, and each class's limits and use\n"
	" watch [--interval DURATION] [--count N] [--json] [--bytes]\n"
	"                                   live per-class rates and sleeps\n"
	" set CLASS [--file RATE] [--net RATE] [--mode shared|always]\n"
	"                                   limit a class\n"
	" hysteresis file|net [--high RATE] [--low RATE]\n"
	"                                   when shared classes are throttled\n"
	" window [--events N] [--time DURATION] [--min-sleep DURATION]\n"
	"        [--max-sleep DURATION]     the rate window and the sleep bounds\n"
	" run CLASS [--] COMMAND [ARGS...]  run a command in a class\n"
	" move CLASS PID...                 move processes to a class (0 frees them)\n"
	" classof PID...                    print the class of processes\n"
	" apply FILE                        apply a configuration file, all or nothing\n"
	" save [FILE]                       write the configuration (to stdout)\n"
	"\nOptions:\n"
	" -r, --sysfs-root DIR  use DIR instead of /sys/kernel/ratewin\n"
	" -h, --help            display this help (COMMAND --help: the command's)\n"
	" -V, --version         display the version\n"
	UNITS_HELP
	"\nExamples:\n"
	" ratectl set 1 --file 2M --net 10Mbit --mode shared\n"
	" ratectl run 1 -- tar czf /backup/home.tgz /home\n"
	" ratectl watch --interval 1s\n"
	"\nSee ratectl(8).\n";

__attribute__((noreturn)) static void print_version(void)
{
	printf("ratectl from ratewin %s\n", RATECTL_VERSION);
	exit(EXIT_SUCCESS);
}

void usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	usage_hint(cmd);
}

/* After the line that said what was wrong. */
void usage_hint(const struct command *cmd)
{
	if (cmd && *cmd->name)
		fprintf(stderr, "Try 'ratectl %s --help' for more information.\n",
			cmd->name);
	else
		fprintf(stderr, "Try 'ratectl --help' for more information.\n");
	exit(EXIT_USAGE);
}

/*
 * The option getopt_long() just stumbled on, as the user typed it: an
 * unknown short option is one letter of its word, anything else the word.
 */
static const char *bad_option(int opt, char **argv)
{
	static char short_opt[3] = "-";

	if (opt == ':' || !optopt || optopt >= 256 ||
	    !strncmp(argv[optind - 1], "--", 2))
		return argv[optind - 1];
	short_opt[1] = (char)optopt;
	return short_opt;
}

/* What getopt_long() returned that is not the command's own option. */
void common_option(const struct command *cmd, int opt, char **argv)
{
	switch (opt) {
	case 'h':
		fputs(cmd->usage, stdout);
		if (*cmd->name)
			fputs(UNITS_HELP, stdout);
		exit(EXIT_SUCCESS);
	case 'V':
		print_version();
	case ':':
		usage_error(cmd, "option '%s' needs an argument", bad_option(opt, argv));
	default:
		usage_error(cmd, "unknown or ambiguous option '%s'",
			    bad_option(opt, argv));
	}
}

/* A command with no options of its own. */
void plain_options(const struct command *cmd, int argc, char **argv,
		   const char *shortopts)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		common_option(cmd, opt, argv);
}

void no_more_args(const struct command *cmd, int argc, char **argv)
{
	if (optind < argc)
		usage_error(cmd, "unexpected argument '%s'", argv[optind]);
}

/* The kernel's classes and current settings, or exit 1 saying why not. */
void load_settings(struct settings *set, uint64_t values[MAX_SETTINGS])
{
	rw_require();
	settings_init(set, rw_class_count());
	if (settings_read(set, values))
		exit(EXIT_FAILURE);
}

void commit_or_exit(const struct changeset *cs, uint64_t values[MAX_SETTINGS],
		    int status_if_invalid)
{
	if (changeset_check(cs, values))
		exit(status_if_invalid);
	if (changeset_commit(cs, values))
		exit(EXIT_FAILURE);
}

void add_or_usage(const struct command *cmd, struct changeset *cs, int idx,
		  const char *text, const char *origin)
{
	if (changeset_add(cs, (unsigned int)idx, text, origin))
		usage_hint(cmd);
}

/*
 * A class this kernel has, from first: 1, or 0 (unconstrained) where a
 * process is put in a class. Asks the kernel how many it has.
 */
unsigned int class_or_usage(const struct command *cmd, const char *text,
			    unsigned int first)
{
	char why[WHY_LEN];
	unsigned int class;

	rw_require();
	if (parse_class(text, first, rw_class_count(), &class, why))
		usage_error(cmd, "'%s': %s", text, why);
	return class;
}

const struct command commands[] = {
	{ "status",
	  "Usage:\n ratectl status [--json] [--bytes]\n"
	  "\nShow ratewin's settings, whether file and network I/O are throttled,\n"
	  "and for each class its mode, members, limits, window rates, bytes\n"
	  "moved, sleeps and time slept.\n"
	  "\nOptions:\n"
	  " -J, --json     one JSON document; numbers raw, units in the keys\n"
	  " -b, --bytes    print measured values raw: bytes, bytes/s, ns\n"
	  " -h, --help     display this help\n"
	  " -V, --version  display the version\n",
	  cmd_status },
	{ "watch",
	  "Usage:\n ratectl watch [--interval DURATION] [--count N] [--json] [--bytes]\n"
	  "\nShow, every interval, each busy class's rate over the interval and\n"
	  "over its window, its sleeps and time slept in the interval, and\n"
	  "whether file and network I/O are throttled. A class is busy while\n"
	  "it has members, a limit or traffic.\n"
	  "\nOptions:\n"
	  " -i, --interval DURATION  time between reports (default 1s)\n"
	  " -c, --count N            stop after N reports (default: never)\n"
	  " -J, --json               one JSON object a line, flushed at once\n"
	  " -b, --bytes              print measured values raw: bytes/s, ns\n"
	  " -h, --help               display this help\n"
	  " -V, --version            display the version\n",
	  cmd_watch },
	{ "set",
	  "Usage:\n ratectl set CLASS [--file RATE] [--net RATE] [--mode shared|always]\n"
	  "\nLimit the file or network I/O of all members of CLASS (1 to 8, or\n"
	  "class1 to class8) together. In mode shared the class is limited only\n"
	  "while unconstrained processes are busy (see hysteresis); in mode\n"
	  "always at all times.\n"
	  "\nOptions:\n"
	  "     --file RATE    file I/O limit; 0 or unlimited removes it\n"
	  "     --net RATE     network I/O limit; 0 or unlimited removes it\n"
	  "     --mode MODE    shared or always\n"
	  " -h, --help         display this help\n"
	  " -V, --version      display the version\n",
	  cmd_set },
	{ "hysteresis",
	  "Usage:\n ratectl hysteresis file|net [--high RATE] [--low RATE]\n"
	  "\nShared classes are throttled once unconstrained processes move more\n"
	  "than the high rate of that kind of I/O, and freed again once they\n"
	  "move less than the low rate. Low must stay below high.\n"
	  "\nOptions:\n"
	  "     --high RATE    throttle shared classes above this\n"
	  "     --low RATE     free them again at or below this\n"
	  " -h, --help         display this help\n"
	  " -V, --version      display the version\n",
	  cmd_hysteresis },
	{ "window",
	  "Usage:\n ratectl window [--events N] [--time DURATION]\n"
	  "                [--min-sleep DURATION] [--max-sleep DURATION]\n"
	  "\nA rate window holds a class's last N I/O events no older than its\n"
	  "time. Delays shorter than min-sleep are carried to a later I/O. A\n"
	  "class runs ahead of its rate by at most max-sleep: large I/O moves in\n"
	  "pieces of what half of it pays for.\n"
	  "\nOptions:\n"
	  "     --events N              1 to 256 (default 100)\n"
	  "     --time DURATION         10ms to 60s, whole ms (default 5s)\n"
	  "     --min-sleep DURATION    0 to 10s, whole us (default 1ms)\n"
	  "     --max-sleep DURATION    1us to 10s, whole us (default 100ms)\n"
	  " -h, --help                  display this help\n"
	  " -V, --version               display the version\n",
	  cmd_window },
	{ "run",
	  "Usage:\n ratectl run CLASS [--] COMMAND [ARGS...]\n"
	  "\nJoin CLASS, then run COMMAND in place of ratectl. Joining needs no\n"
	  "privilege; leaving a class for another needs root or CAP_SYS_RESOURCE.\n"
	  "Exits with COMMAND's status, 126 if it cannot be run, 127 if it is\n"
	  "not found.\n"
	  "\nOptions:\n"
	  " -h, --help     display this help\n"
	  " -V, --version  display the version\n",
	  cmd_run },
	{ "move",
	  "Usage:\n ratectl move CLASS PID...\n"
	  "\nMove processes, with all their threads, to CLASS; class 0 frees them.\n"
	  "Anyone may put their own unconstrained process in a class; anything\n"
	  "else needs root or CAP_SYS_RESOURCE. Every process is checked first,\n"
	  "and moves out of a class, which may be refused, go before the rest.\n"
	  "\nOptions:\n"
	  " -h, --help     display this help\n"
	  " -V, --version  display the version\n",
	  cmd_move },
	{ "classof",
	  "Usage:\n ratectl classof PID...\n"
	  "\nPrint the class of a process (0: unconstrained), or 'PID: CLASS'\n"
	  "for each of several.\n"
	  "\nOptions:\n"
	  " -h, --help     display this help\n"
	  " -V, --version  display the version\n",
	  cmd_classof },
	{ "apply",
	  "Usage:\n ratectl apply FILE\n"
	  "\nApply a configuration file ('-' reads standard input). Every line is\n"
	  "checked before anything is written: a file with any mistake changes\n"
	  "nothing. Settings the file leaves out keep their values.\n"
	  "\nOptions:\n"
	  " -h, --help     display this help\n"
	  " -V, --version  display the version\n",
	  cmd_apply },
	{ "save",
	  "Usage:\n ratectl save [FILE]\n"
	  "\nWrite every setting in the format apply reads, to FILE (replaced\n"
	  "whole, keeping its mode) or to standard output ('-' or no FILE).\n"
	  "\nOptions:\n"
	  " -h, --help     display this help\n"
	  " -V, --version  display the version\n",
	  cmd_save },
	{ NULL, NULL, NULL },
};

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/*
 * Output that never reached its file is a failure, as in util-linux's
 * close_stdout(): "ratectl status > /dev/full" must not exit 0.
 */
static void close_stdout(void)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		warn("write error");
		_exit(EXIT_FAILURE);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sysfs-root", required_argument, NULL, 'r' },
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static const struct command main_command = { "", main_usage, NULL };
	const struct command *cmd;
	int opt;

	atexit(close_stdout);
	rw_set_roots(getenv("RATECTL_SYSFS_ROOT"), getenv("RATECTL_PROC_ROOT"));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:r:" COMMON_SHORT_OPTIONS,
				  longopts, NULL)) != -1) {
		if (opt == 'r')
			rw_set_roots(optarg, NULL);
		else
			common_option(&main_command, opt, argv);
	}
	if (optind >= argc)
		usage_error(NULL, "no command given");
	cmd = find_command(argv[optind]);
	if (!cmd)
		usage_error(NULL, "unknown command '%s'", argv[optind]);
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: start afresh on the command's arguments */
	return cmd->run(cmd, argc, argv);
}
