// SPDX-License-Identifier: GPL-2.0
/*
 * ratectl: run, tune and watch ratewin, the kernel's rate-window I/O
 * throttling, through /sys/kernel/ratewin and /proc/<pid>/ratewin_class.
 *
 * Commands are matched exactly, never by prefix: a new command must not
 * make an old abbreviation ambiguous; a mistyped one gets a suggestion.
 * Exit status: 0 success, 1 failure, 2 bad usage; "run" exits 125 for
 * its own failures and 126 or 127 when the command cannot be executed.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ratectl.h"
#include "sysfs.h"
#include "util.h"

#ifndef RATECTL_VERSION
#define RATECTL_VERSION "unknown"
#endif

int exit_failure = EXIT_FAILURE;
int exit_usage = EXIT_USAGE;

#define UNITS_HELP							\
	"\nRATE is bytes per second: 500K, 10M, 1G are powers of 1024 (also KiB,\n" \
	"MiB, GiB), 500kB, 10MB powers of 1000; 10Mbit, 1Gbit are bits per\n" \
	"second. A class rate of 0, unlimited, max, infinity or none removes\n" \
	"the limit. DURATION needs a unit: ns, us, ms or s (1.5s, 250ms); it is\n" \
	"never rounded.\n"

static const char main_usage[] =
	"Usage:\n"
	" ratectl [--sysfs-root DIR] [--proc-root DIR] COMMAND [ARGS...]\n"
	"\nThrottle the file and network I/O of classes of processes with rate\n"
	"windows, leaving your own work the bandwidth it needs.\n"
	"\nCommands:\n"
	" status [CLASS]              settings, and each class's limits and use\n"
	" watch [INTERVAL [COUNT]]    live per-class rates and sleeps\n"
	" members [CLASS]             the processes in a class (also: ps)\n"
	" set CLASS [--file RATE] [--net RATE] [--mode shared|always]\n"
	"                             limit a class, or show its limits\n"
	" hysteresis [file|net] [--high RATE] [--low RATE]\n"
	"                             when shared classes are throttled\n"
	" window [--events N] [--time DURATION] [--min-sleep DURATION]\n"
	"        [--max-sleep DURATION]\n"
	"                             the rate window and the sleep bounds\n"
	" enable, disable             turn throttling on or off for every class\n"
	" reset [CLASS]               a class, or everything, back to the defaults\n"
	" run CLASS [--] COMMAND      run a command in a class\n"
	" run [--file RATE] [--net RATE] [--mode MODE] [--class N] [--] COMMAND\n"
	"                             run a command in a free class, limited\n"
	"                             (--file, --net or both)\n"
	" move CLASS PID...           move processes to a class (0 frees them)\n"
	" classof [PID|self]...       print the class of processes\n"
	" apply FILE                  apply a configuration file, all or nothing\n"
	" save [FILE]                 write the configuration (to stdout)\n"
	" help [COMMAND]              this help, or a command's\n"
	"\nOptions:\n"
	" -R, --sysfs-root DIR  use DIR instead of /sys/kernel/ratewin\n"
	"     --proc-root DIR   use DIR instead of /proc\n"
	" -h, --help            display this help (COMMAND --help: the command's)\n"
	" -V, --version         display the version\n"
	UNITS_HELP
	"\nExamples:\n"
	" ratectl set 1 --file 2M --net 10Mbit --mode shared\n"
	" ratectl run 1 -- tar czf /backup/home.tgz /home\n"
	" ratectl run --file 1M -- cp big.iso /mnt/usb/\n"
	" ratectl watch 1\n"
	"\nSee ratectl(8).\n";

static int cmd_help(const struct command *cmd, int argc, char **argv);

static const struct command help_command = {
	.name = "help",
	.usage = "Usage:\n ratectl help [COMMAND]\n"
		 "\nDisplay ratectl's help, or COMMAND's.\n",
	.run = cmd_help,
};

static const struct command *const commands[] = {
	&status_command, &watch_command, &members_command, &ps_command,
	&set_command, &hysteresis_command, &window_command, &enable_command,
	&disable_command, &reset_command, &run_command, &move_command,
	&classof_command, &apply_command, &save_command, &help_command,
};

static const struct command main_command = { .name = "", .usage = main_usage };

__attribute__((noreturn)) static void print_version(void)
{
	printf("ratectl from ratewin %s\n", RATECTL_VERSION);
	exit(EXIT_SUCCESS);
}

__attribute__((noreturn)) static void print_help(const struct command *cmd)
{
	fputs(cmd->usage, stdout);
	if (cmd->columns)
		print_column_help(cmd->columns, cmd->ncolumns);
	if (cmd != &main_command && cmd != &help_command)
		fputs(UNITS_HELP, stdout);
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
	exit(exit_usage);
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
		print_help(cmd);
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

/* How many classes the kernel has, or exit saying why there are none. */
unsigned int ratewin_classes(void)
{
	unsigned int n;

	if (!rw_present())
		errx(exit_failure, "ratewin is not available: this kernel has no %s",
		     rw_root());
	n = rw_class_count();
	if (!n)
		errx(exit_failure, "%s has no class directories: is this ratewin?",
		     rw_root());
	return n;
}

/* The kernel's classes and current settings, or exit saying why not. */
void load_settings(struct settings *set, uint64_t values[MAX_SETTINGS])
{
	settings_init(set, ratewin_classes());
	if (settings_read(set, values))
		exit(exit_failure);
}

void commit_or_exit(const struct changeset *cs, uint64_t values[MAX_SETTINGS],
		    int status_if_invalid)
{
	if (changeset_check(cs, values))
		exit(status_if_invalid);
	if (changeset_commit(cs, values))
		exit(exit_failure);
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
	unsigned int nclasses = ratewin_classes();
	char why[WHY_LEN];
	unsigned int class;

	if (parse_class(text, first, nclasses, &class, why))
		usage_error(cmd, "'%s': %s", text, why);
	return class;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

/* Edits (insertions, deletions, changes, swaps of neighbours) from a to b. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[32][32];

	if (la >= 32 || lb >= 32)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* A command two edits or fewer away, or that the word begins. */
static const char *closest_command(const char *name)
{
	size_t best = 3, len = strlen(name);
	const char *found = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		const char *c = commands[i]->name;
		size_t d = len >= 2 && !strncmp(c, name, len) ? 1 :
			   edit_distance(name, c);

		if (d < best) {
			best = d;
			found = c;
		}
	}
	return found;
}

__attribute__((noreturn))
static void unknown_command(const char *name)
{
	const char *hint = closest_command(name);

	if (hint)
		usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name,
			    hint);
	usage_error(NULL, "unknown command '%s'", name);
}

static int cmd_help(const struct command *cmd, int argc, char **argv)
{
	const struct command *about;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	if (optind + 1 < argc)
		usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (optind == argc)
		print_help(&main_command);
	about = find_command(argv[optind]);
	if (!about)
		unknown_command(argv[optind]);
	print_help(about);
}

/*
 * Output that never reached its file is a failure, as in util-linux's
 * close_stdout(): "ratectl status > /dev/full" must not exit 0. A closed
 * standard output (>&-) is none when nothing was to be written to it, as
 * in util-linux's close_stream(): "ratectl set 1 --file 1M >&-" has done
 * what it was asked, and run's status is the command's.
 */
static void close_stdout(void)
{
	int pending = __fpending(stdout) != 0;
	int failed_before = ferror(stdout);
	int failed_now = fclose(stdout) && (pending || errno != EBADF);

	if (failed_now)
		warn("write error");
	else if (failed_before)
		warnx("write error");
	if (failed_now || failed_before)
		_exit(exit_failure);
}

enum { OPT_PROC_ROOT = 0x100 };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sysfs-root", required_argument, NULL, 'R' },
		{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	int opt;

	atexit(close_stdout);
	rw_set_roots(getenv("RATECTL_SYSFS_ROOT"), getenv("RATECTL_PROC_ROOT"));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:R:" COMMON_SHORT_OPTIONS,
				  longopts, NULL)) != -1) {
		if (opt == 'R')
			rw_set_roots(optarg, NULL);
		else if (opt == OPT_PROC_ROOT)
			rw_set_roots(NULL, optarg);
		else
			common_option(&main_command, opt, argv);
	}
	if (optind >= argc)
		usage_error(NULL, "no command given");
	cmd = find_command(argv[optind]);
	if (!cmd)
		unknown_command(argv[optind]);
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: start afresh on the command's arguments */
	return cmd->run(cmd, argc, argv);
}
