/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ratectl's commands share: exit statuses, usage errors, the
 * options every command takes, and loading the kernel's settings. Each
 * command is a struct command defined beside its code, with its help.
 */
#ifndef RATECTL_H
#define RATECTL_H

#include <getopt.h>

#include "changeset.h"
#include "output.h"

#define EXIT_USAGE		2
#define EXIT_RUN_FAILED		125	/* run's own failures, as nice(1)'s */
#define EXIT_CANNOT_EXEC	126
#define EXIT_NOT_FOUND		127

/* What ratectl exits with when it fails, and on bad usage: run sets 125. */
extern int exit_failure, exit_usage;

/*
 * One command: its name, its usage text, its function, and the columns
 * of the table it prints, which its --help lists.
 */
struct command {
	const char *name;
	const char *usage;
	int (*run)(const struct command *cmd, int argc, char **argv);
	const struct colinfo *columns;
	size_t ncolumns;
};

/* --help and --version, which every command takes, for getopt tables. */
#define COMMON_LONG_OPTIONS					\
	{ "help", no_argument, NULL, 'h' },			\
	{ "version", no_argument, NULL, 'V' }
#define COMMON_SHORT_OPTIONS	"hV"

#define HELP_OPTIONS						\
	" -h, --help                display this help\n"	\
	" -V, --version             display the version\n"

__attribute__((noreturn, format(printf, 2, 3)))
void usage_error(const struct command *cmd, const char *fmt, ...);
__attribute__((noreturn))
void usage_hint(const struct command *cmd);
__attribute__((noreturn))
void common_option(const struct command *cmd, int opt, char **argv);
void plain_options(const struct command *cmd, int argc, char **argv,
		   const char *shortopts);
void no_more_args(const struct command *cmd, int argc, char **argv);

unsigned int ratewin_classes(void);
void load_settings(struct settings *set, uint64_t values[MAX_SETTINGS]);
void commit_or_exit(const struct changeset *cs, uint64_t values[MAX_SETTINGS],
		    int status_if_invalid);
void add_or_usage(const struct command *cmd, struct changeset *cs, int idx,
		  const char *text, const char *origin);
unsigned int class_or_usage(const struct command *cmd, const char *text,
			    unsigned int first);

extern const struct command status_command, watch_command, members_command,
	ps_command, set_command, hysteresis_command, window_command,
	enable_command, disable_command, reset_command, run_command,
	move_command, classof_command, apply_command, save_command;

#endif
