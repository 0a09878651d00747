/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate windows: the hooks that the I/O system calls use.
 *
 * Until some class has a rate, every hook is a patched-out branch. Then an
 * unconstrained task pays, inline, a test of its class and one per-CPU
 * addition per call; a task in a constrained class is charged what it moved
 * and sleeps, on its way back to user space, what its class owes (see
 * kernel/ratewin/core.c).
 */
#ifndef _LINUX_RATEWIN_H
#define _LINUX_RATEWIN_H

#include <linux/fs.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/types.h>

#ifdef CONFIG_RATEWIN

/* Constrained classes are numbered from 1; 0 is unconstrained. */
#define RATEWIN_UNCONSTRAINED	0

enum ratewin_io {
	RATEWIN_FILE,
	RATEWIN_NET,
	RATEWIN_NR_IO,
};

/* Bytes moved by unconstrained tasks, counted on the CPU they ran on. */
struct ratewin_pcpu {
	unsigned long bytes[RATEWIN_NR_IO];
};

DECLARE_STATIC_KEY_FALSE(ratewin_active);
/* The live instance's counters, set before ratewin_active can be turned on. */
extern struct ratewin_pcpu __percpu *ratewin_unconstrained;

void __ratewin_account(enum ratewin_io io, ssize_t bytes);
ssize_t __ratewin_rw(struct file *file, char __user *buf, size_t count,
		     loff_t *pos, bool write);
void __ratewin_serve_delay(void);
void ratewin_fork(struct task_struct *p);
unsigned int ratewin_task_class(struct task_struct *task);
int ratewin_move_task(struct task_struct *task, unsigned int id,
		      const struct cred *cred);

static __always_inline bool ratewin_constrained(void)
{
	return READ_ONCE(current->ratewin_class) != RATEWIN_UNCONSTRAINED;
}

/* A socket's bytes are network I/O, everything else's file I/O. */
static __always_inline enum ratewin_io ratewin_io_of(struct file *file)
{
	return S_ISSOCK(file_inode(file)->i_mode) ? RATEWIN_NET : RATEWIN_FILE;
}

/* An unconstrained task's bytes: its CPU's counter, and nothing else. */
static __always_inline void ratewin_count(enum ratewin_io io, ssize_t bytes)
{
	this_cpu_add(ratewin_unconstrained->bytes[io], bytes);
}

/*
 * Charge @bytes to the current task. An unconstrained task only counts
 * them, inline: it must not pay for the mechanism.
 */
static __always_inline void ratewin_account(enum ratewin_io io, ssize_t bytes)
{
	if (likely(!ratewin_constrained()))
		ratewin_count(io, bytes);
	else
		__ratewin_account(io, bytes);
}

/* @bytes moved through @file. */
static inline void ratewin_file_io(struct file *file, ssize_t bytes)
{
	if (static_branch_unlikely(&ratewin_active) && bytes > 0)
		ratewin_account(ratewin_io_of(file), bytes);
}

/* @bytes moved from @in to @out: network I/O if either is a socket. */
static inline void ratewin_transfer_io(struct file *in, struct file *out,
				       ssize_t bytes)
{
	if (static_branch_unlikely(&ratewin_active) && bytes > 0)
		ratewin_account(ratewin_io_of(in) == RATEWIN_NET ? RATEWIN_NET :
				ratewin_io_of(out), bytes);
}

/* @bytes sent or received through a socket call. */
static inline void ratewin_sock_io(ssize_t bytes)
{
	if (static_branch_unlikely(&ratewin_active) && bytes > 0)
		ratewin_account(RATEWIN_NET, bytes);
}

/*
 * vfs_read() and vfs_write() for read(2), write(2), pread64(2), pwrite64(2):
 * a constrained task moves a large I/O on a regular file in pieces, sleeping
 * between them, and gets the same count back as it would unthrottled. The
 * static key and the class are tested once: this is the hottest path.
 */
static inline ssize_t ratewin_vfs_read(struct file *file, char __user *buf,
				       size_t count, loff_t *pos)
{
	ssize_t ret;

	if (!static_branch_unlikely(&ratewin_active))
		return vfs_read(file, buf, count, pos);
	if (ratewin_constrained())
		return __ratewin_rw(file, buf, count, pos, false);
	ret = vfs_read(file, buf, count, pos);
	if (ret > 0)
		ratewin_count(ratewin_io_of(file), ret);
	return ret;
}

static inline ssize_t ratewin_vfs_write(struct file *file, const char __user *buf,
					size_t count, loff_t *pos)
{
	ssize_t ret;

	if (!static_branch_unlikely(&ratewin_active))
		return vfs_write(file, buf, count, pos);
	if (ratewin_constrained())
		return __ratewin_rw(file, (char __user *)buf, count, pos, true);
	ret = vfs_write(file, buf, count, pos);
	if (ret > 0)
		ratewin_count(ratewin_io_of(file), ret);
	return ret;
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
