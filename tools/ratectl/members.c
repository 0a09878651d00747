// SPDX-License-Identifier: GPL-2.0
/*
 * ratectl members (or ps): the processes in a class, or in any class,
 * found by reading every thread's /proc/PID/task/TID/ratewin_class.
 * classN/members fails with EFBIG beyond a page of PIDs; this list has no
 * limit.
 */
#include <err.h>
#include <libsmartcols.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratectl.h"
#include "stats.h"
#include "sysfs.h"
#include "util.h"

enum { COL_PID, COL_USER, COL_COMMAND, COL_CLASS };

static const struct colinfo member_cols[] = {
	[COL_PID] = { "PID", "pid", 0, 0, CELL_COUNT, "process ID" },
	[COL_USER] = { "USER", "user", 0, 0, CELL_TEXT,
		       "the user the process runs as (its effective UID)" },
	[COL_COMMAND] = { "COMMAND", "command", 0, SCOLS_FL_TRUNC, CELL_TEXT,
			  "the command's name" },
	[COL_CLASS] = { "CLASS", "class", 0, 0, CELL_COUNT,
			"class number" },
};

static const size_t default_cols[] = { COL_PID, COL_USER, COL_COMMAND, COL_CLASS };

#define NAME_LEN	64

struct member {
	uint64_t pid;
	unsigned int class;
	char user[NAME_LEN];
	char command[NAME_LEN];
};

/* A user's name, looked up once: getpwuid() may ask a directory server. */
struct user_name {
	unsigned int uid;
	char name[NAME_LEN];
};

struct member_list {
	unsigned int only;	/* a class, or 0 for all */
	struct member *m;
	size_t n, size;
	struct user_name *users;
	size_t nusers, users_size;
};

/* array, or a larger one, with room for n + 1 elements of len bytes. */
static void *room_for_one_more(void *array, size_t n, size_t *size, size_t len)
{
	size_t larger = *size ? 2 * *size : 64;
	void *grown;

	if (n < *size)
		return array;
	grown = reallocarray(array, larger, len);
	if (!grown)
		err(exit_failure, "cannot list the members");
	*size = larger;
	return grown;
}

/* uid's name, or its number when it has none. */
static const char *user_name(struct member_list *list, unsigned int uid)
{
	struct user_name *u;
	struct passwd *pw;

	for (size_t i = 0; i < list->nusers; i++)
		if (list->users[i].uid == uid)
			return list->users[i].name;
	list->users = room_for_one_more(list->users, list->nusers,
					&list->users_size, sizeof(*u));
	u = &list->users[list->nusers++];
	u->uid = uid;
	pw = getpwuid(uid);
	if (pw)
		snprintf(u->name, NAME_LEN, "%s", pw->pw_name);
	else
		snprintf(u->name, NAME_LEN, "%u", uid);
	return u->name;
}

/* What follows "name:" at the start of a line of /proc/PID/status, or NULL. */
static const char *status_field(const char *status, const char *name)
{
	size_t len = strlen(name);

	for (const char *line = status; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (!strncmp(line, name, len) && line[len] == ':')
			return line + len + 1;
	}
	return NULL;
}

/* The effective UID from the Uid: line of status, by name if it has one. */
static void user_of(struct member_list *list, const struct proc_member *pm,
		    char user[NAME_LEN])
{
	char status[4096];
	const char *uids;
	unsigned int ruid, euid;

	member_read_file(pm, "status", status, sizeof(status));
	uids = status_field(status, "Uid");
	if (!uids || sscanf(uids, "%u %u", &ruid, &euid) != 2) {
		*user = '\0';
		return;
	}
	snprintf(user, NAME_LEN, "%s", user_name(list, euid));
}

static int add_member(const struct proc_member *pm, void *arg)
{
	struct member_list *list = arg;
	struct member *m;

	if (list->only && pm->class != list->only)
		return 0;
	list->m = room_for_one_more(list->m, list->n, &list->size, sizeof(*m));
	m = &list->m[list->n++];
	m->pid = strtoull(pm->pid, NULL, 10);
	m->class = pm->class;
	user_of(list, pm, m->user);
	member_read_file(pm, "comm", m->command, sizeof(m->command));
	return 0;
}

static int by_class_then_pid(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->class != y->class)
		return x->class < y->class ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void member_row(struct row *r, const struct member *m)
{
	r->cell[COL_PID] = number_cell(m->pid);
	r->cell[COL_USER] = text_cell(*m->user ? m->user : NULL);
	r->cell[COL_COMMAND] = text_cell(*m->command ? m->command : NULL);
	r->cell[COL_CLASS] = number_cell(m->class);
}

static int cmd_members(const struct command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		TABLE_LONG_OPTIONS,
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct member_list list = { 0 };
	struct output o = OUTPUT_INIT;
	size_t shown[MAX_COLUMNS], nshown;
	struct row *rows, scan_row;
	int opt, scan;

	while ((opt = getopt_long(argc, argv, ":" TABLE_SHORT_OPTIONS
				  COMMON_SHORT_OPTIONS, longopts, NULL)) != -1)
		if (!output_option(cmd, &o, opt, optarg))
			common_option(cmd, opt, argv);
	if (optind < argc)
		list.only = class_or_usage(cmd, argv[optind++], 1);
	else
		ratewin_classes();
	no_more_args(cmd, argc, argv);
	nshown = select_columns(cmd, &o, default_cols, ARRAY_SIZE(default_cols),
				shown);

	scan = scan_members(add_member, &list);
	if (list.n)	/* no members: list.m is NULL, which qsort() may not take */
		qsort(list.m, list.n, sizeof(*list.m), by_class_then_pid);
	rows = calloc(list.n ? list.n : 1, sizeof(*rows));
	if (!rows)
		err(exit_failure, "cannot list the members");
	for (size_t i = 0; i < list.n; i++)
		member_row(&rows[i], &list.m[i]);
	print_tables((const struct table[]){
		completeness_table(&scan_row, scan),
		{ "members", member_cols, ARRAY_SIZE(member_cols), shown, nshown,
		  rows, list.n, JSON_ARRAY, NULL },
	}, 2, &o);
	free(rows);
	free(list.m);
	free(list.users);
	return scan < 0 ? exit_failure : EXIT_SUCCESS;
}

#define MEMBERS_USAGE(name)						\
	"Usage:\n ratectl " name " [options] [CLASS]\n"			\
	"\nList the processes in CLASS, or in any class: their PID, user,\n" \
	"command and class. Every thread's class is read from /proc, so none\n" \
	"is left out however many there are; with /proc mounted hidepid=,\n" \
	"only the processes you may see (a warning, and members_complete\n" \
	"false in JSON, say so when they are there but hidden).\n"	\
	"\nOptions:\n"							\
	TABLE_HELP							\
	HELP_OPTIONS

const struct command members_command = {
	.name = "members",
	.usage = MEMBERS_USAGE("members"),
	.run = cmd_members,
	.columns = member_cols,
	.ncolumns = ARRAY_SIZE(member_cols),
};

const struct command ps_command = {
	.name = "ps",
	.usage = MEMBERS_USAGE("ps"),
	.run = cmd_members,
	.columns = member_cols,
	.ncolumns = ARRAY_SIZE(member_cols),
};
