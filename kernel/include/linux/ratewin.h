/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate windows: the hooks that the I/O system calls use.
 *
 * Until some class has a rate, every hook is a patched-out branch. Then an
 * unconstrained task pays one per-CPU addition per call; a task in a
 * constrained class is charged what it moved and sleeps, on its way back to
 * user space, what its class owes (see kernel/ratewin/core.c).
 */
#ifndef _LINUX_RATEWIN_H
#define _LINUX_RATEWIN_H

#include <linux/fs.h>
#include <linux/jump_label.h>
#include <linux/sched.h>
#include <linux/types.h>

#ifdef CONFIG_RATEWIN

DECLARE_STATIC_KEY_FALSE(ratewin_active);

void __ratewin_file_io(struct file *file, ssize_t bytes);
void __ratewin_transfer_io(struct file *in, struct file *out, ssize_t bytes);
void __ratewin_sock_io(ssize_t bytes);
ssize_t __ratewin_rw(struct file *file, char __user *buf, size_t count,
		     loff_t *pos, bool write);
void __ratewin_serve_delay(void);
void ratewin_fork(struct task_struct *p);
unsigned int ratewin_task_class(struct task_struct *task);
int ratewin_move_task(struct task_struct *task, unsigned int id,
		      const struct cred *cred);

/* @bytes moved through @file: a socket's are network I/O, the rest file I/O. */
static inline void ratewin_file_io(struct file *file, ssize_t bytes)
{
	if (static_branch_unlikely(&ratewin_active) && bytes > 0)
		__ratewin_file_io(file, bytes);
}

/* @bytes moved from @in to @out: network I/O if either is a socket. */
static inline void ratewin_transfer_io(struct file *in, struct file *out,
				       ssize_t bytes)
{
	if (static_branch_unlikely(&ratewin_active) && bytes > 0)
		__ratewin_transfer_io(in, out, bytes);
}

/* @bytes sent or received through a socket call. */
static inline void ratewin_sock_io(ssize_t bytes)
{
	if (static_branch_unlikely(&ratewin_active) && bytes > 0)
		__ratewin_sock_io(bytes);
}

/*
 * vfs_read() and vfs_write() for read(2), write(2), pread64(2), pwrite64(2):
 * a constrained task moves a large I/O on a regular file in pieces, sleeping
 * between them, and gets the same count back as it would unthrottled.
 */
static inline ssize_t ratewin_vfs_read(struct file *file, char __user *buf,
				       size_t count, loff_t *pos)
{
	if (!static_branch_unlikely(&ratewin_active))
		return vfs_read(file, buf, count, pos);
	return __ratewin_rw(file, buf, count, pos, false);
}

static inline ssize_t ratewin_vfs_write(struct file *file, const char __user *buf,
					size_t count, loff_t *pos)
{
	if (!static_branch_unlikely(&ratewin_active))
		return vfs_write(file, buf, count, pos);
	return __ratewin_rw(file, (char __user *)buf, count, pos, true);
}

/* On return to user mode: sleep what the task still owes. */
static inline void ratewin_resume_user_mode(void)
{
	if (unlikely(current->ratewin_delay_ns))
		__ratewin_serve_delay();
}

#else /* !CONFIG_RATEWIN */

static inline void ratewin_file_io(struct file *file, ssize_t bytes) {}
static inline void ratewin_transfer_io(struct file *in, struct file *out,
				       ssize_t bytes) {}
static inline void ratewin_sock_io(ssize_t bytes) {}

static inline ssize_t ratewin_vfs_read(struct file *file, char __user *buf,
				       size_t count, loff_t *pos)
{
	return vfs_read(file, buf, count, pos);
}

static inline ssize_t ratewin_vfs_write(struct file *file, const char __user *buf,
					size_t count, loff_t *pos)
{
	return vfs_write(file, buf, count, pos);
}

static inline void ratewin_resume_user_mode(void) {}
static inline void ratewin_fork(struct task_struct *p) {}

#endif /* CONFIG_RATEWIN */
#endif /* _LINUX_RATEWIN_H */
