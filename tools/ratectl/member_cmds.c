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

/* A class to move to: 0 (none) or one this kernel has. */
static unsigned int target_class(const struct command *cmd, const char *text)
{
	return strcmp(text, "0") ? class_or_usage(cmd, text) : 0;
}

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
	class = target_class(cmd, argv[optind++]);
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

/* Put back the first n processes, last first, after a failed move. */
static void move_back(char **pids, const int *fds, const unsigned int *old,
		      unsigned int n)
{
	while (n-- > 0) {
		int err = pid_write_class(fds[n], old[n]);

		if (err)
			warnx("could not move %s back to class %u: %s", pids[n],
			      old[n], pid_strerror(err));
	}
}

static void close_all(const int *fds, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		close(fds[i]);
}

/*
 * Every process is opened, and its class read, before the first move, so
 * a PID that does not exist or may not be moved changes nothing. A
 * process can still exit or be refused between the checks and its move;
 * then those already moved are moved back.
 */
int cmd_move(const struct command *cmd, int argc, char **argv)
{
	static int fds[MAX_PIDS];
	static unsigned int old[MAX_PIDS];
	unsigned int class, n;
	char **pids;
	int ret = 0;

	plain_options(cmd, argc, argv, ":" COMMON_SHORT_OPTIONS);
	if (optind >= argc)
		usage_error(cmd, "no class given");
	if (optind + 1 >= argc)
		usage_error(cmd, "no process ID given");
	if (argc - optind - 1 > MAX_PIDS)
		usage_error(cmd, "more than %d process IDs", MAX_PIDS);
	class = target_class(cmd, argv[optind]);
	pids = &argv[optind + 1];
	n = (unsigned int)(argc - optind - 1);
	for (unsigned int i = 0; i < n; i++)
		pid_or_usage(cmd, pids[i]);

	for (unsigned int i = 0; i < n && !ret; i++) {
		ret = pid_read_class(pids[i], &old[i]);
		fds[i] = ret ? -1 : pid_open_class(pids[i]);
		if (fds[i] < 0) {
			ret = ret ?: fds[i];
			close_all(fds, i);
			errx(EXIT_FAILURE, "cannot move %s: %s; nothing was moved",
			     pids[i], pid_strerror(ret));
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		ret = pid_write_class(fds[i], class);
		if (ret) {
			warnx("cannot move %s to class %u: %s", pids[i], class,
			      pid_strerror(ret));
			move_back(pids, fds, old, i);
			break;
		}
	}
	close_all(fds, n);
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
