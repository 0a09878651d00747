// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that move processes between classes and tell their class:
 * move and classof, through /proc/<pid>/ratewin_class. Joining a class needs no privilege;
 * leaving one, changing class or moving another user's process needs
 * root or CAP_SYS_RESOURCE, and the kernel judges it by the credentials
 * of whoever opened the file.
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ratectl.h"
#include "sysfs.h"
#include "util.h"

#define MAX_PIDS	4096
#define PID_LEN		16	/* INT_MAX in decimal, or "self" */

/*
 * A process ID into pid as /proc names it, 7 for 007; "self" too where
 * allow_self, which is ratectl itself.
 */
static void pid_or_usage(const struct command *cmd, const char *text,
			 int allow_self, char pid[PID_LEN])
{
	uint64_t n;

	if (allow_self && !strcmp(text, "self")) {
		snprintf(pid, PID_LEN, "%s", text);
		return;
	}
	if (parse_count(text, &n) || !n || n > INT_MAX)
		usage_error(cmd, "'%s': not a process ID", text);
	snprintf(pid, PID_LEN, "%" PRIu64, n);
}

/* A process to move: its PID, its open class file, its class. */
struct target {
	char pid[PID_LEN];
	int fd;
	unsigned int old;
};

/* Put back the moved processes, last first, after a failed move. */
static void move_back(struct target **moved, unsigned int n)
{
	while (n-- > 0) {
		int err = pid_write_class(moved[n]->fd, moved[n]->old);

		if (err)
			warnx("could not move %s back to class %u: %s",
			      moved[n]->pid, moved[n]->old, pid_strerror(err));
	}
}

/* Opens every target and reads its class; on failure nothing is moved. */
static void open_targets(struct target *t, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		int err = pid_read_class(t[i].pid, &t[i].old);

		t[i].fd = err ? err : pid_open_class(t[i].pid);
		if (t[i].fd < 0) {
			warnx("cannot move %s: %s; nothing was moved", t[i].pid,
			      pid_strerror(t[i].fd));
			while (i-- > 0)
				close(t[i].fd);
			exit(EXIT_FAILURE);
		}
	}
}

/*
 * Every process is opened, and its class read, before the first move, so
 * a PID that does not exist or whose file may not be opened changes
 * nothing. Processes already in the class are left alone, and those that
 * leave a class go first: the kernel refuses those without
 * CAP_SYS_RESOURCE, and if one is refused, nothing has moved yet. A
 * process can still exit between the checks and its move; then those
 * already moved are moved back, as far as the caller may.
 */
static int cmd_move(const struct command *cmd, int argc, char **argv)
{
	static struct target targets[MAX_PIDS];
	static struct target *moved[MAX_PIDS];
	unsigned int class, n, done = 0;
	int ret = 0;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	if (optind >= argc)
		usage_error(cmd, "no class given");
	if (optind + 1 >= argc)
		usage_error(cmd, "no process ID given");
	if (argc - optind - 1 > MAX_PIDS)
		usage_error(cmd, "more than %d process IDs", MAX_PIDS);
	class = class_or_usage(cmd, argv[optind], 0);
	n = (unsigned int)(argc - optind - 1);
	for (unsigned int i = 0; i < n; i++)
		pid_or_usage(cmd, argv[optind + 1 + i], 0, targets[i].pid);

	open_targets(targets, n);
	for (int leaving = 1; leaving >= 0 && !ret; leaving--) {
		for (unsigned int i = 0; i < n && !ret; i++) {
			struct target *t = &targets[i];

			if (t->old == class || (t->old != 0) != leaving)
				continue;
			ret = pid_write_class(t->fd, class);
			if (!ret) {
				moved[done++] = t;
				continue;
			}
			warnx("cannot move %s to class %u: %s", t->pid, class,
			      pid_strerror(ret));
			move_back(moved, done);
		}
	}
	for (unsigned int i = 0; i < n; i++)
		close(targets[i].fd);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

const struct command move_command = {
	.name = "move",
	.usage = "Usage:\n ratectl move CLASS PID...\n"
		 "\nMove processes, with all their threads, to CLASS; class 0 frees them.\n"
		 "Anyone may put their own unconstrained process in a class; anything\n"
		 "else needs root or CAP_SYS_RESOURCE. Every process is checked first,\n"
		 "and moves out of a class, which may be refused, go before the rest.\n"
		 "\nOptions:\n"
		 HELP_OPTIONS,
	.run = cmd_move,
};

enum { COL_PID, COL_CLASS };

static const struct colinfo classof_cols[] = {
	[COL_PID] = { "PID", "pid", 0, 0, CELL_COUNT, "" },
	[COL_CLASS] = { "CLASS", "class", 0, 0, CELL_COUNT, "" },
};

/* "self" is ratectl, which is in the class of whoever ran it. */
static uint64_t pid_number(const char *pid)
{
	return strcmp(pid, "self") ? strtoull(pid, NULL, 10) : (uint64_t)getpid();
}

/* A row for each process whose class could be read, in order. */
static size_t read_classes_of(char (*pids)[PID_LEN], int n, struct row *rows)
{
	size_t found = 0;

	for (int i = 0; i < n; i++) {
		unsigned int class;
		int err = pid_read_class(pids[i], &class);

		if (err) {
			warnx("%s: %s", pids[i], pid_strerror(err));
			continue;
		}
		rows[found].cell[COL_PID] = number_cell(pid_number(pids[i]));
		rows[found++].cell[COL_CLASS] = number_cell(class);
	}
	return found;
}

/*
 * For one PID asked about, its class alone; for several, "PID: CLASS"
 * each, as ionice does.
 */
static void print_classes(const struct row *rows, size_t n, int asked)
{
	for (size_t i = 0; i < n; i++) {
		const struct cell *c = rows[i].cell;

		if (asked == 1)
			printf("%" PRIu64 "\n", c[COL_CLASS].value);
		else
			printf("%" PRIu64 ": %" PRIu64 "\n", c[COL_PID].value,
			       c[COL_CLASS].value);
	}
}

/* {"processes": [{"pid": N, "class": N}, ...]} */
static void print_classes_json(const struct row *rows, size_t n)
{
	struct output o = OUTPUT_INIT;

	o.format = OUT_JSON;
	print_tables(&(const struct table){ "processes", classof_cols,
		ARRAY_SIZE(classof_cols), NULL, 0, rows, n, JSON_ARRAY, NULL },
		1, &o);
}

static int cmd_classof(const struct command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static char pids[MAX_PIDS][PID_LEN];
	static struct row rows[MAX_PIDS];
	int opt, json = 0, n;
	size_t found;

	while ((opt = getopt_long(argc, argv, ":J" COMMON_SHORT_OPTIONS, longopts,
				  NULL)) != -1) {
		if (opt == 'J')
			json = 1;
		else
			common_option(cmd, opt, argv);
	}
	if (optind >= argc)
		usage_error(cmd, "no process ID given");
	n = argc - optind;
	if (n > MAX_PIDS)
		usage_error(cmd, "more than %d process IDs", MAX_PIDS);
	for (int i = 0; i < n; i++)
		pid_or_usage(cmd, argv[optind + i], 1, pids[i]);
	found = read_classes_of(pids, n, rows);
	if (json)
		print_classes_json(rows, found);
	else
		print_classes(rows, found, n);
	return found == (size_t)n ? EXIT_SUCCESS : EXIT_FAILURE;
}

const struct command classof_command = {
	.name = "classof",
	.usage = "Usage:\n ratectl classof [--json] PID|self...\n"
		 "\nPrint the class of a process (0: unconstrained), or 'PID: CLASS'\n"
		 "for each of several; self is the class ratectl was started in.\n"
		 "\nOptions:\n"
		 " -J, --json                {\"processes\": [{\"pid\": N, \"class\": N}]}\n"
		 HELP_OPTIONS,
	.run = cmd_classof,
};
