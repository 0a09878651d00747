// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing ratewin's attributes. Each read or write is one
 * system call on a fresh file descriptor, as sysfs expects; errors come
 * back as negative errno values for the caller to name.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings.h"
#include "sysfs.h"

static char sysfs_root[PATH_MAX] = "/sys/kernel/ratewin";
static char procfs_root[PATH_MAX] = "/proc";

/* root/name, or -ENAMETOOLONG. */
static int make_path(char path[PATH_MAX], const char *root, const char *name)
{
	return snprintf(path, PATH_MAX, "%s/%s", root, name) >= PATH_MAX ?
	       -ENAMETOOLONG : 0;
}

void rw_set_roots(const char *sysfs, const char *proc)
{
	if (sysfs)
		snprintf(sysfs_root, sizeof(sysfs_root), "%s", sysfs);
	if (proc)
		snprintf(procfs_root, sizeof(procfs_root), "%s", proc);
}

const char *rw_root(void)
{
	return sysfs_root;
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* Whether this kernel has ratewin: its directory in sysfs. */
int rw_present(void)
{
	return is_dir(sysfs_root);
}

/* class1 to classN: the kernel decides how many classes there are. */
unsigned int rw_class_count(void)
{
	char path[PATH_MAX], name[16];
	unsigned int n = 0;

	do {
		snprintf(name, sizeof(name), "class%u", n + 1);
	} while (!make_path(path, sysfs_root, name) && is_dir(path) &&
		 ++n < MAX_CLASSES);
	return n;
}

/*
 * The whole file, up to len - 1 bytes, without its last newline; path is
 * taken from the directory dir is open on, or AT_FDCWD.
 */
static int read_at(int dir, const char *path, char *buf, size_t len)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	size_t have = 0;
	ssize_t got = 1;

	if (fd < 0)
		return -errno;
	while (got > 0 && have < len - 1) {
		got = read(fd, buf + have, len - 1 - have);
		if (got > 0)
			have += (size_t)got;
	}
	if (got < 0)
		got = -errno;
	close(fd);
	if (got < 0)
		return (int)got;
	buf[have] = '\0';
	if (have && buf[have - 1] == '\n')
		buf[have - 1] = '\0';
	return 0;
}

/* At offset 0, so that a second write to one file replaces the first. */
static int write_fd(int fd, const char *text)
{
	size_t len = strlen(text);
	ssize_t done = pwrite(fd, text, len, 0);

	if (done < 0)
		return -errno;
	return (size_t)done == len ? 0 : -EIO;
}

/* O_TRUNC, as a shell's '>' does: sysfs ignores it, plain files need it. */
static int write_path(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write_fd(fd, text);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int rw_read(const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	return make_path(path, sysfs_root, attr) ?: read_at(AT_FDCWD, path, buf, len);
}

int rw_write(const char *attr, const char *text)
{
	char path[PATH_MAX];

	return make_path(path, sysfs_root, attr) ?: write_path(path, text);
}

/* Errors a settings write can meet, in words that say what to do. */
const char *rw_strerror(int err)
{
	switch (-err) {
	case EACCES:
	case EPERM:
	case EROFS:
		return "permission denied: changing ratewin settings needs root";
	case ENOENT:
		return "no such attribute: is this kernel's ratewin older than ratectl?";
	case EPROTO:
		return "the kernel's value is not what ratectl expects";
	}
	return strerror(-err);
}

/* Says which attribute could not be read, and why. */
void rw_warn_read(const char *attr, int err)
{
	warnx("cannot read %s/%s: %s", sysfs_root, attr, rw_strerror(err));
}

/* PROC/pid/name, for a process or pid/task/tid for a thread. */
static int pid_path(char path[PATH_MAX], const char *pid, const char *name)
{
	char rel[128];

	if (snprintf(rel, sizeof(rel), "%s/%s", pid, name) >= (int)sizeof(rel))
		return -ENAMETOOLONG;
	return make_path(path, procfs_root, rel);
}

static int read_class_at(int dir, const char *path, unsigned int *class)
{
	char text[32];
	uint64_t n;
	int ret = read_at(dir, path, text, sizeof(text));

	if (ret)
		return ret;
	if (parse_count(text, &n) || n > MAX_CLASSES)
		return -EPROTO;
	*class = (unsigned int)n;
	return 0;
}

int pid_read_class(const char *pid, unsigned int *class)
{
	char path[PATH_MAX];

	return pid_path(path, pid, "ratewin_class") ?:
	       read_class_at(AT_FDCWD, path, class);
}

/*
 * Opened first: the kernel judges a move by the opener's credentials.
 * Not truncated, so that opening changes nothing; the class is written
 * with a newline, which keeps a one-digit class whole in a plain file.
 */
int pid_open_class(const char *pid)
{
	char path[PATH_MAX];
	int fd = pid_path(path, pid, "ratewin_class");

	if (fd)
		return fd;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int pid_write_class(int fd, unsigned int class)
{
	char text[16];

	snprintf(text, sizeof(text), "%u\n", class);
	return write_fd(fd, text);
}

/* Every process has the file where ratewin is: ours tells. */
static int self_has_class(void)
{
	char path[PATH_MAX];

	return !pid_path(path, "self", "ratewin_class") && !access(path, F_OK);
}

const char *pid_strerror(int err)
{
	switch (-err) {
	case EACCES:
	case EPERM:
		return "permission denied: leaving or changing a class, or moving "
		       "another user's process, needs root or CAP_SYS_RESOURCE";
	case ENOENT:
		if (!self_has_class())
			return "this kernel has no ratewin (no /proc/self/ratewin_class)";
		/* fall through */
	case ESRCH:
		return "no such process";
	case EPROTO:
		return "the kernel's class is not a number";
	}
	return strerror(-err);
}

static int is_number(const char *name)
{
	return *name && strspn(name, "0123456789") == strlen(name);
}

/*
 * The classes the threads of a process are in, bit N - 1 for class N: all
 * threads share one, but a move or an exec under way may be caught
 * half-done. process is open on its /proc directory. A process that is
 * gone has none; -errno when one of its threads could not be read for
 * another reason.
 */
static int thread_classes(int process, uint64_t *classes)
{
	int fd = openat(process, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *d;
	DIR *tasks;
	int ret = 0;

	*classes = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	tasks = fdopendir(fd);
	if (!tasks) {
		close(fd);
		return -errno;
	}
	while (!ret && (d = readdir(tasks))) {
		char rel[NAME_MAX + sizeof("/ratewin_class")];
		unsigned int class;

		if (!is_number(d->d_name))
			continue;
		snprintf(rel, sizeof(rel), "%s/ratewin_class", d->d_name);
		ret = read_class_at(dirfd(tasks), rel, &class);
		if (ret == -ENOENT || ret == -ESRCH)
			ret = 0;	/* the thread has exited */
		else if (!ret && class)
			*classes |= 1ULL << (class - 1);
	}
	closedir(tasks);
	return ret;
}

/*
 * Another file of a member (comm, status): its text without its last
 * newline, or "" when it cannot be read (the process is gone).
 */
void member_read_file(const struct proc_member *m, const char *name, char *buf,
		      size_t len)
{
	if (read_at(m->dir, name, buf, len))
		*buf = '\0';
}

/*
 * With /proc mounted hidepid=1, the processes of other users may not be
 * read by an unprivileged caller: said once, however often /proc is read.
 */
static void warn_hidden(unsigned int hidden)
{
	static int warned;

	if (warned++)
		return;
	warnx("%u processes in %s may not be read (mounted hidepid=?); members "
	      "are counted and listed without them", hidden, procfs_root);
}

/*
 * Calls fn for each class that process pid, in the directory proc is open
 * on, has a thread in. Returns 0; SCAN_HIDDEN when /proc would not let it
 * be read; -1 after saying why it could not be, or when fn failed.
 */
static int scan_process(int proc, const char *pid,
			int (*fn)(const struct proc_member *m, void *arg),
			void *arg)
{
	int process = openat(proc, pid, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint64_t classes = 0;
	int err, ret = 0;

	if (process < 0)
		err = errno == ENOENT ? 0 : -errno;	/* 0: it has exited */
	else
		err = thread_classes(process, &classes);
	if (err == -EPERM || err == -EACCES) {
		ret = SCAN_HIDDEN;
	} else if (err) {
		warnx("cannot read the class of process %s: %s", pid, strerror(-err));
		ret = -1;
	}
	for (unsigned int c = 1; c <= MAX_CLASSES; c++) {
		struct proc_member m = { pid, process, c };

		if ((classes >> (c - 1) & 1) && fn(&m, arg))
			ret = -1;
	}
	if (process >= 0)
		close(process);
	return ret;
}

/*
 * Calls fn for every process with a thread in a class (1 and up), once
 * for each such class, by reading every thread's ratewin_class: unlike
 * classN/members, this misses no process however many there are, but
 * those that /proc hides from the caller. Processes that exit meanwhile
 * are passed over. Each is read through a descriptor of its /proc
 * directory, fn too, so that all is read of one process: once it exits,
 * reads fail, even if another takes its PID. Returns -1 after saying so
 * when a process could not be read or fn failed; SCAN_HIDDEN when /proc
 * would not let a process be read; 0 otherwise.
 */
int scan_members(int (*fn)(const struct proc_member *m, void *arg), void *arg)
{
	DIR *dir = opendir(procfs_root);
	unsigned int hidden = 0;
	struct dirent *d;
	int ret = 0;

	if (!dir) {
		warn("cannot read %s", procfs_root);
		return -1;
	}
	while ((d = readdir(dir))) {
		if (!is_number(d->d_name))
			continue;
		switch (scan_process(dirfd(dir), d->d_name, fn, arg)) {
		case SCAN_HIDDEN:
			hidden++;
			break;
		case -1:
			ret = -1;
			break;
		}
	}
	closedir(dir);
	if (hidden)
		warn_hidden(hidden);
	return ret ?: hidden ? SCAN_HIDDEN : 0;
}

static int count_member(const struct proc_member *m, void *arg)
{
	uint64_t *counts = arg;

	counts[m->class]++;
	return 0;
}

/* How many processes each class has: counts[N] for class N, 1 to MAX_CLASSES. */
int count_members(uint64_t *counts)
{
	return scan_members(count_member, counts);
}
