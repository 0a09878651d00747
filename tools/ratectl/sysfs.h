/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratectl's only ways into the kernel: the attributes under
 * /sys/kernel/ratewin and /proc/<pid>/ratewin_class. Both roots can be
 * moved (--sysfs-root, $RATECTL_SYSFS_ROOT, $RATECTL_PROC_ROOT) so that
 * the tests can point ratectl at a tree of plain files.
 */
#ifndef RATECTL_SYSFS_H
#define RATECTL_SYSFS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Any number or mode name the kernel shows fits, and a longer one cut
 * here is no number; of classN/members, enough to see it is not empty.
 */
#define ATTR_VALUE_LEN	64

void rw_set_roots(const char *sysfs_root, const char *proc_root);
const char *rw_root(void);
int rw_present(void);
unsigned int rw_class_count(void);

int rw_read(const char *attr, char *buf, size_t len);
int rw_write(const char *attr, const char *text);
const char *rw_strerror(int err);
void rw_warn_read(const char *attr, int err);

int pid_read_class(const char *pid, unsigned int *class);
int pid_open_class(const char *pid);
int pid_write_class(int fd, unsigned int class);
const char *pid_strerror(int err);

/* A process with a thread in a class, as scan_members() finds it. */
struct proc_member {
	const char *pid;
	int dir;		/* open on its /proc directory */
	unsigned int class;
};

void member_read_file(const struct proc_member *m, const char *name, char *buf,
		      size_t len);

#define SCAN_HIDDEN	1	/* scan_members(): /proc hid processes */

int scan_members(int (*fn)(const struct proc_member *m, void *arg), void *arg);
int count_members(uint64_t *counts);

#endif
