/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ratectl's commands share: exit statuses, usage errors, the
 * options every command takes, and loading the kernel's settings.
 */
#ifndef RATECTL_H
#define RATECTL_H

#include <getopt.h>

#include "apply.h"

#define EXIT_USAGE		2
#define EXIT_CANNOT_EXEC	126
#define EXIT_NOT_FOUND		127

/* One command: its name, its usage text, and its function. */
struct command {
	const char *name;
	const char *usage;
	int (*run)(const struct command *cmd, int argc, char **argv);
};

extern const struct command commands[];

/* --help and --version, which every command takes, for getopt tables. */
#define COMMON_LONG_OPTIONS					\
	{ "help", no_argument, NULL, 'h' },			\
	{ "version", no_argument, NULL, 'V' }
#define COMMON_SHORT_OPTIONS	"hV"

__attribute__((noreturn, format(printf, 2, 3)))
void usage_error(const struct command *cmd, const char *fmt, ...);
__attribute__((noreturn))
void usage_hint(const struct command *cmd);
__attribute__((noreturn))
void common_option(const struct command *cmd, int opt, char **argv);
void plain_options(const struct command *cmd, int argc, char **argv,
		   const char *shortopts);
void no_more_args(const struct command *cmd, int argc, char **argv);

void load_settings(struct settings *set, uint64_t values[MAX_SETTINGS]);
void commit_or_exit(const struct changeset *cs, uint64_t values[MAX_SETTINGS],
		    int status_if_invalid);
void add_or_usage(const struct command *cmd, struct changeset *cs, int idx,
		  const char *text, const char *origin);
unsigned int class_or_usage(const struct command *cmd, const char *text,
			    unsigned int first);

int cmd_status(const struct command *cmd, int argc, char **argv);
int cmd_watch(const struct command *cmd, int argc, char **argv);
int cmd_set(const struct command *cmd, int argc, char **argv);
int cmd_hysteresis(const struct command *cmd, int argc, char **argv);
int cmd_window(const struct command *cmd, int argc, char **argv);
int cmd_apply(const struct command *cmd, int argc, char **argv);
int cmd_save(const struct command *cmd, int argc, char **argv);
int cmd_run(const struct command *cmd, int argc, char **argv);
int cmd_move(const struct command *cmd, int argc, char **argv);
int cmd_classof(const struct command *cmd, int argc, char **argv);

#endif
