// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change settings: set, hysteresis, window, enable,
 * disable, reset and apply, and save, which writes them all down. Each
 * gathers its values into one changeset, so that nothing is written
 * unless everything is valid. set, hysteresis and window without an
 * option show what is set, in the format apply reads, as sysctl does.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "ratectl.h"
#include "sysfs.h"
#include "util.h"

/* An option --NAME that sets PREFIX.NAME, and the value it was given. */
struct setting_option {
	const char *name;
	const char *text;
};

#define MAX_SETTING_OPTIONS	4
#define OPT_SETTING		256	/* getopt's value for opts[0] */

static void parse_setting_options(const struct command *cmd, int argc,
				  char **argv, struct setting_option *opts,
				  unsigned int n)
{
	static const struct option common[] = {
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct option longopts[MAX_SETTING_OPTIONS + ARRAY_SIZE(common)];
	int opt;

	for (unsigned int i = 0; i < n; i++)
		longopts[i] = (struct option){ opts[i].name, required_argument,
					       NULL, OPT_SETTING + (int)i };
	memcpy(&longopts[n], common, sizeof(common));
	while ((opt = getopt_long(argc, argv, ":" COMMON_SHORT_OPTIONS,
				  longopts, NULL)) != -1) {
		struct setting_option *o;

		if (opt < OPT_SETTING)
			common_option(cmd, opt, argv);
		o = &opts[opt - OPT_SETTING];
		if (o->text)
			usage_error(cmd, "--%s is given twice", o->name);
		o->text = optarg;
	}
}

static int any_given(const struct setting_option *opts, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (opts[i].text)
			return 1;
	return 0;
}

/*
 * Every option given, as PREFIX.NAME, into one all-or-nothing change;
 * with none, what PREFIX.* are now.
 */
static void change_settings(const struct command *cmd, const char *prefix,
			    const struct setting_option *opts, unsigned int n)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct changeset cs;

	load_settings(&set, values);
	if (!any_given(opts, n)) {
		config_print(stdout, &set, values, prefix);
		return;
	}
	changeset_init(&cs, &set);
	for (unsigned int i = 0; i < n; i++) {
		char key[32], origin[32];

		if (!opts[i].text)
			continue;
		snprintf(key, sizeof(key), "%s.%s", prefix, opts[i].name);
		snprintf(origin, sizeof(origin), "--%s", opts[i].name);
		add_or_usage(cmd, &cs, setting_index(&set, key), opts[i].text,
			     origin);
	}
	commit_or_exit(&cs, values, EXIT_USAGE);
}

/* The one positional argument a command takes, named for the error. */
static const char *one_argument(const struct command *cmd, int argc,
				char **argv, const char *what)
{
	if (optind >= argc)
		usage_error(cmd, "no %s given", what);
	if (optind + 1 < argc)
		usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	return argv[optind];
}

static int cmd_set(const struct command *cmd, int argc, char **argv)
{
	struct setting_option opts[] = {
		{ .name = "file" }, { .name = "net" }, { .name = "mode" },
	};
	char prefix[16];
	const char *class;

	parse_setting_options(cmd, argc, argv, opts, ARRAY_SIZE(opts));
	class = one_argument(cmd, argc, argv, "class");
	snprintf(prefix, sizeof(prefix), "class%u", class_or_usage(cmd, class, 1));
	change_settings(cmd, prefix, opts, ARRAY_SIZE(opts));
	return 0;
}

const struct command set_command = {
	.name = "set",
	.usage = "Usage:\n ratectl set CLASS [--file RATE] [--net RATE] [--mode shared|always]\n"
		 "\nLimit the file or network I/O of all members of CLASS (N or classN,\n"
		 "one of the kernel's classes) together. In mode shared the class is\n"
		 "limited only while unconstrained processes are busy (see hysteresis);\n"
		 "in mode always at all times. Without an option, show what CLASS is\n"
		 "set to.\n"
		 "\nOptions:\n"
		 "     --file RATE           file I/O limit; 0 or unlimited removes it\n"
		 "     --net RATE            network I/O limit; 0 or unlimited removes it\n"
		 "     --mode MODE           shared or always\n"
		 HELP_OPTIONS,
	.run = cmd_set,
};

static int cmd_hysteresis(const struct command *cmd, int argc, char **argv)
{
	struct setting_option opts[] = { { .name = "high" }, { .name = "low" } };
	const char *io;

	parse_setting_options(cmd, argc, argv, opts, ARRAY_SIZE(opts));
	if (optind == argc && !any_given(opts, ARRAY_SIZE(opts))) {
		for (int i = 0; i < IO_KINDS; i++)
			change_settings(cmd, io_names[i], opts, ARRAY_SIZE(opts));
		return 0;
	}
	io = one_argument(cmd, argc, argv, "kind of I/O (file or net)");
	if (parse_io(io) < 0)
		usage_error(cmd, "'%s': unknown kind of I/O (use file or net)", io);
	change_settings(cmd, io, opts, ARRAY_SIZE(opts));
	return 0;
}

const struct command hysteresis_command = {
	.name = "hysteresis",
	.usage = "Usage:\n ratectl hysteresis [file|net] [--high RATE] [--low RATE]\n"
		 "\nShared classes are throttled once unconstrained processes move more\n"
		 "than the high rate of that kind of I/O, and freed again once they\n"
		 "move less than the low rate. Low must stay below high. Without an\n"
		 "option, show the thresholds (of both kinds when none is given).\n"
		 "\nOptions:\n"
		 "     --high RATE           throttle shared classes above this\n"
		 "     --low RATE            free them again at or below this\n"
		 HELP_OPTIONS,
	.run = cmd_hysteresis,
};

static int cmd_window(const struct command *cmd, int argc, char **argv)
{
	struct setting_option opts[] = {
		{ .name = "events" }, { .name = "time" },
		{ .name = "min-sleep" }, { .name = "max-sleep" },
	};

	parse_setting_options(cmd, argc, argv, opts, ARRAY_SIZE(opts));
	no_more_args(cmd, argc, argv);
	change_settings(cmd, "window", opts, ARRAY_SIZE(opts));
	return 0;
}

const struct command window_command = {
	.name = "window",
	.usage = "Usage:\n ratectl window [--events N] [--time DURATION]\n"
		 "                [--min-sleep DURATION] [--max-sleep DURATION]\n"
		 "\nA rate window holds a class's last N I/O events no older than its\n"
		 "time. Delays shorter than min-sleep are carried to a later I/O. A\n"
		 "class runs ahead of its rate by at most max-sleep: large I/O moves in\n"
		 "pieces of what half of it pays for. Without an option, show them.\n"
		 "\nOptions:\n"
		 "     --events N            1 to 256 (default 100)\n"
		 "     --time DURATION       10ms to 60s, whole ms (default 5s)\n"
		 "     --min-sleep DURATION  0 to 10s, whole us (default 1ms)\n"
		 "     --max-sleep DURATION  1us to 10s, whole us (default 100ms)\n"
		 HELP_OPTIONS,
	.run = cmd_window,
};

/* enabled = on, the only thing enable and disable change. */
static int switch_throttling(const struct command *cmd, int argc, char **argv,
			     uint64_t on)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct changeset cs;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	no_more_args(cmd, argc, argv);
	load_settings(&set, values);
	changeset_init(&cs, &set);
	changeset_add_value(&cs, (unsigned int)setting_index(&set, "enabled"), on,
			    cmd->name);
	commit_or_exit(&cs, values, exit_failure);
	return 0;
}

static int cmd_enable(const struct command *cmd, int argc, char **argv)
{
	return switch_throttling(cmd, argc, argv, 1);
}

static int cmd_disable(const struct command *cmd, int argc, char **argv)
{
	return switch_throttling(cmd, argc, argv, 0);
}

const struct command enable_command = {
	.name = "enable",
	.usage = "Usage:\n ratectl enable\n"
		 "\nHold the classes to their limits again (the default). Every class\n"
		 "starts afresh: what its members owed is forgiven.\n"
		 "\nOptions:\n"
		 HELP_OPTIONS,
	.run = cmd_enable,
};

const struct command disable_command = {
	.name = "disable",
	.usage = "Usage:\n ratectl disable\n"
		 "\nLet every class run free, keeping its limits for 'ratectl enable'.\n"
		 "Members asleep wake at once.\n"
		 "\nOptions:\n"
		 HELP_OPTIONS,
	.run = cmd_disable,
};

/* class back to its defaults, or everything for 0. */
static int cmd_reset(const struct command *cmd, int argc, char **argv)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct changeset cs;
	unsigned int class = 0;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	if (optind < argc)
		class = class_or_usage(cmd, argv[optind++], 1);
	no_more_args(cmd, argc, argv);
	load_settings(&set, values);
	changeset_init(&cs, &set);
	changeset_add_defaults(&cs, class);
	commit_or_exit(&cs, values, exit_failure);
	return 0;
}

const struct command reset_command = {
	.name = "reset",
	.usage = "Usage:\n ratectl reset [CLASS]\n"
		 "\nSet CLASS back to the kernel's defaults: no limits, mode shared. Its\n"
		 "members stay in it, now free. Without CLASS, set every setting back:\n"
		 "every class, the hysteresis, the window, and enabled.\n"
		 "\nOptions:\n"
		 HELP_OPTIONS,
	.run = cmd_reset,
};

/* A file with a mistake on any line changes nothing; all mistakes are named. */
static int cmd_apply(const struct command *cmd, int argc, char **argv)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct changeset cs;
	const char *name;
	FILE *in;
	int errors;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	name = one_argument(cmd, argc, argv, "file");
	load_settings(&set, values);
	in = strcmp(name, "-") ? fopen(name, "re") : stdin;
	if (!in)
		err(exit_failure, "cannot open %s", name);
	if (in == stdin)
		name = "<stdin>";
	changeset_init(&cs, &set);
	errors = config_parse(in, name, &cs);
	if (in != stdin)
		fclose(in);
	if (errors)
		errx(EXIT_FAILURE, "%s: %d error%s, nothing was changed", name,
		     errors, errors > 1 ? "s" : "");
	commit_or_exit(&cs, values, exit_failure);
	return 0;
}

const struct command apply_command = {
	.name = "apply",
	.usage = "Usage:\n ratectl apply FILE\n"
		 "\nApply a configuration file ('-' reads standard input). Every line is\n"
		 "checked before anything is written: a file with any mistake changes\n"
		 "nothing. Settings the file leaves out keep their values.\n"
		 "\nOptions:\n"
		 HELP_OPTIONS,
	.run = cmd_apply,
};

/* The mode name has now, or 0644 for a new file. */
static mode_t mode_to_keep(const char *name)
{
	struct stat st;

	return stat(name, &st) ? 0644 : st.st_mode & 07777;
}

/* Removes tmp and exits, saying what failed. */
__attribute__((noreturn))
static void save_failed(const char *tmp, const char *what, const char *name)
{
	int saved = errno;

	unlink(tmp);
	errno = saved;
	err(EXIT_FAILURE, "cannot %s %s", what, name);
}

/*
 * Written to a new file of its own (mkstemp) beside name, synced, and
 * renamed over it: never half a file, never through someone's symlink.
 */
static void save_to(const char *name, const struct settings *set,
		    const uint64_t *values)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	FILE *out;
	int fd, dirfd;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", name) >= (int)sizeof(tmp))
		errx(EXIT_FAILURE, "%s: name too long", name);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		err(EXIT_FAILURE, "cannot create a file beside %s", name);
	out = fdopen(fd, "w");
	if (!out || fchmod(fd, mode_to_keep(name)))
		save_failed(tmp, "write", tmp);
	config_save(out, set, values);
	if (fflush(out) || ferror(out) || fsync(fd))
		save_failed(tmp, "write", tmp);
	fclose(out);
	if (rename(tmp, name))
		save_failed(tmp, "replace", name);
	/* the rename itself must reach the disk */
	snprintf(dir, sizeof(dir), "%s", name);
	dirfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd >= 0) {
		fsync(dirfd);
		close(dirfd);
	}
}

static int cmd_save(const struct command *cmd, int argc, char **argv)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	if (optind + 1 < argc)
		usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	load_settings(&set, values);
	if (optind < argc && strcmp(argv[optind], "-")) {
		save_to(argv[optind], &set, values);
		return 0;
	}
	config_save(stdout, &set, values);
	if (fflush(stdout) || ferror(stdout))
		err(EXIT_FAILURE, "cannot write the configuration");
	return 0;
}

const struct command save_command = {
	.name = "save",
	.usage = "Usage:\n ratectl save [FILE]\n"
		 "\nWrite every setting in the format apply reads, to FILE (replaced\n"
		 "whole, keeping its mode) or to standard output ('-' or no FILE).\n"
		 "The limits of a one-off run under way ('run --file') are written\n"
		 "too: save when none is.\n"
		 "\nOptions:\n"
		 HELP_OPTIONS,
	.run = cmd_save,
};
