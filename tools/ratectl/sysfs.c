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
static char proc_root[PATH_MAX] = "/proc";

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
		snprintf(proc_root, sizeof(proc_root), "%s", proc);
}

const char *rw_root(void)
{
	return sysfs_root;
}

void rw_require(void)
{
	struct stat st;

	if (stat(sysfs_root, &st) || !S_ISDIR(st.st_mode))
		errx(1, "ratewin is not available: this kernel has no %s",
		     sysfs_root);
}

/* class1 to classN: the kernel decides how many classes there are. */
unsigned int rw_class_count(void)
{
	char path[PATH_MAX], name[16];
	struct stat st;
	unsigned int n = 0;

	do {
		snprintf(name, sizeof(name), "class%u", n + 1);
	} while (!make_path(path, sysfs_root, name) && !stat(path, &st) &&
		 S_ISDIR(st.st_mode) && ++n < MAX_CLASSES);
	if (!n)
		errx(1, "%s has no class directories: is this ratewin?",
		     sysfs_root);
	return n;
}

/* The whole file, up to len - 1 bytes, without its last newline. */
static int read_path(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
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

	return make_path(path, sysfs_root, attr) ?: read_path(path, buf, len);
}

int rw_read_u64(const char *attr, uint64_t *value)
{
	char text[ATTR_VALUE_LEN];
	int ret = rw_read(attr, text, sizeof(text));

	if (ret)
		return ret;
	return parse_count(text, value) ? -EPROTO : 0;
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

static int pid_path(char path[PATH_MAX], const char *pid)
{
	char name[64];

	if (snprintf(name, sizeof(name), "%s/ratewin_class", pid) >= (int)sizeof(name))
		return -ENAMETOOLONG;
	return make_path(path, proc_root, name);
}

int pid_read_class(const char *pid, unsigned int *class)
{
	char path[PATH_MAX], text[32];
	uint64_t n;
	int ret;

	ret = pid_path(path, pid) ?: read_path(path, text, sizeof(text));
	if (ret)
		return ret;
	if (parse_count(text, &n) || n > MAX_CLASSES)
		return -EPROTO;
	*class = (unsigned int)n;
	return 0;
}

/*
 * Opened first: the kernel judges a move by the opener's credentials.
 * Not truncated, so that opening changes nothing; the class is written
 * with a newline, which keeps a one-digit class whole in a plain file.
 */
int pid_open_class(const char *pid)
{
	char path[PATH_MAX];
	int fd = pid_path(path, pid);

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

const char *pid_strerror(int err)
{
	switch (-err) {
	case EACCES:
	case EPERM:
		return "permission denied: leaving or changing a class, or moving "
		       "another user's process, needs root or CAP_SYS_RESOURCE";
	case ENOENT:
	case ESRCH:
		return "no such process, or this kernel has no ratewin";
	case EPROTO:
		return "the kernel's class is not a number";
	}
	return strerror(-err);
}
