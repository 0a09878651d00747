// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that put processes in classes: run, move and classof,
 * through /proc/<pid>/ratewin_class. Joining a class needs no privilege;
 * leaving one, changing class or moving another user's process needs
 * root or CAP_SYS_RESOURCE, and the kernel judges it by the credentials
 * of whoever opened the file.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ratectl.h"
#include "sysfs.h"

#define MAX_PIDS	4096

static const char *pid_or_usage(const struct command *cmd, const char *text)
{
	uint64_t pid;

	if (parse_count(text, &pid) || !pid || pid > INT_MAX)
		usage_error(cmd, "'%s': not a process ID", text);
	return text;
}

int cmd_run(const struct command *cmd, int argc, char **argv)
{
	unsigned int class;
	int fd, ret;

	plain_options(cmd, argc, argv, "+:" COMMON_SHORT_OPTIONS);
	if (optind >= argc)
		usage_error(cmd, "no class given");
	class = class_or_usage(cmd, argv[optind++], 0);
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind >= argc)
		usage_error(cmd, "no command given");

	fd = pid_open_class("self");
	ret = fd < 0 ? fd : pid_write_class(fd, class);
	if (fd >= 0)
		close(fd);
	if (ret)
		errx(EXIT_FAILURE, "cannot join class %u: %s", class,
		     pid_strerror(ret));

	execvp(argv[optind], &argv[optind]);
	ret = errno;
	warn("cannot run %s", argv[optind]);
	return ret == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

/* A process to move: its PID as given, its open class file, its class. */
struct target {
	const char *pid;
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
int cmd_move(const struct command *cmd, int argc, char **argv)
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
		targets[i].pid = pid_or_usage(cmd, argv[optind + 1 + i]);

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

/* One PID: its class alone; several: "PID: CLASS" each, as ionice does. */
int cmd_classof(const struct command *cmd, int argc, char **argv)
{
	int status = EXIT_SUCCESS;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	if (optind >= argc)
		usage_error(cmd, "no process ID given");
	for (int i = optind; i < argc; i++)
		pid_or_usage(cmd, argv[i]);
	for (int i = optind; i < argc; i++) {
		unsigned int class;
		int err = pid_read_class(argv[i], &class);

		if (err) {
			warnx("%s: %s", argv[i], pid_strerror(err));
			status = EXIT_FAILURE;
		} else if (argc - optind == 1) {
			printf("%u\n", class);
		} else {
			printf("%s: %u\n", argv[i], class);
		}
	}
	return status;
}
