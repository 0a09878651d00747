// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change settings: set, hysteresis, window and apply,
 * and save, which writes them all down. Each gathers its values into one
 * changeset, so that nothing is written unless everything is valid.
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

/* Every option given, as PREFIX.NAME, into one all-or-nothing change. */
static void change_settings(const struct command *cmd, const char *prefix,
			    const struct setting_option *opts, unsigned int n)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct changeset cs;

	load_settings(&set, values);
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

static void require_some(const struct command *cmd,
			 const struct setting_option *opts, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (opts[i].text)
			return;
	usage_error(cmd, "nothing to change: give at least one option");
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

int cmd_set(const struct command *cmd, int argc, char **argv)
{
	struct setting_option opts[] = {
		{ .name = "file" }, { .name = "net" }, { .name = "mode" },
	};
	char prefix[16];
	const char *class;

	parse_setting_options(cmd, argc, argv, opts, ARRAY_SIZE(opts));
	class = one_argument(cmd, argc, argv, "class");
	require_some(cmd, opts, ARRAY_SIZE(opts));
	snprintf(prefix, sizeof(prefix), "class%u", class_or_usage(cmd, class, 1));
	change_settings(cmd, prefix, opts, ARRAY_SIZE(opts));
	return 0;
}

int cmd_hysteresis(const struct command *cmd, int argc, char **argv)
{
	struct setting_option opts[] = { { .name = "high" }, { .name = "low" } };
	const char *io;

	parse_setting_options(cmd, argc, argv, opts, ARRAY_SIZE(opts));
	io = one_argument(cmd, argc, argv, "kind of I/O (file or net)");
	if (parse_io(io) < 0)
		usage_error(cmd, "'%s': unknown kind of I/O (use file or net)", io);
	require_some(cmd, opts, ARRAY_SIZE(opts));
	change_settings(cmd, io, opts, ARRAY_SIZE(opts));
	return 0;
}

int cmd_window(const struct command *cmd, int argc, char **argv)
{
	struct setting_option opts[] = {
		{ .name = "events" }, { .name = "time" },
		{ .name = "min-sleep" }, { .name = "max-sleep" },
	};

	parse_setting_options(cmd, argc, argv, opts, ARRAY_SIZE(opts));
	no_more_args(cmd, argc, argv);
	require_some(cmd, opts, ARRAY_SIZE(opts));
	change_settings(cmd, "window", opts, ARRAY_SIZE(opts));
	return 0;
}

/* A file with a mistake on any line changes nothing; all mistakes are named. */
int cmd_apply(const struct command *cmd, int argc, char **argv)
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
		err(EXIT_FAILURE, "cannot open %s", name);
	if (in == stdin)
		name = "<stdin>";
	changeset_init(&cs, &set);
	errors = config_parse(in, name, &cs);
	if (in != stdin)
		fclose(in);
	if (errors)
		errx(EXIT_FAILURE, "%s: %d error%s, nothing was changed", name,
		     errors, errors > 1 ? "s" : "");
	commit_or_exit(&cs, values, EXIT_FAILURE);
	return 0;
}

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

int cmd_save(const struct command *cmd, int argc, char **argv)
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
