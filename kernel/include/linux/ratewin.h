/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate windows: the hooks that the I/O system calls use.
 *
 * Until some class has a rate, every hook is a patched-out branch. Then an
 * unconstrained task that owes nothing pays, inline, a test of its class
 * (and, in read(2) and its kin, of its debt in the same test) and one
 * per-CPU addition per call; a task in a constrained class is charged what
 * it moved and sleeps, on its way back to user space, until its class has
 * paid for it (see kernel/ratewin/hooks.c).
 */
#ifndef _LINUX_RATEWIN_H
#define _LINUX_RATEWIN_H

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/jump_label_ratelimit.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/ratewin_types.h>
#include <linux/sched.h>
#include <linux/task_work.h>
#include <linux/types.h>
#include <linux/uio.h>

struct vm_area_struct;

#ifdef CONFIG_RATEWIN

extern struct static_key_false_deferred ratewin_active;
/* The live instance's counters: kernel/ratewin folds them into its window. */
DECLARE_PER_CPU(struct ratewin_pcpu, ratewin_unconstrained);
/*
 * Moves on whenever a limit's epoch does: a member that found its place in
 * its class's queue (ratewin_has_place()) keeps it until then, or until it
 * changes class, and need not look again before each call.
 */
extern atomic_long_t ratewin_places;

/*
 * The plain body of a system call that is built more than once (see
 * fs/read_write.c): apart, so that it starts after the static branch.
 * Without ratewin there is one body, inline.
 */
#define __ratewin_noinline	noinline

int __ratewin_before_io(int fd, int fd2);
int __ratewin_before_submit(bool charged, int restart);
void __ratewin_after_submit(void);
void __ratewin_async_io(struct task_struct *owner, enum ratewin_io io, ssize_t bytes);
u64 __ratewin_sqpoll_held(bool charged);
u64 __ratewin_fault_begin(struct vm_area_struct *vma);
void __ratewin_fault_end(u64 before);
bool __ratewin_fault_refused(struct vm_area_struct *vma, unsigned int flags);
void __ratewin_cut_transfer(struct file *in, struct file *out, size_t *len);
void __ratewin_account(enum ratewin_io io, ssize_t bytes);
void __ratewin_exit(void);
ssize_t __ratewin_rw(struct file *file, char __user *buf, size_t count,
		     loff_t *pos, bool write, bool pos_locked);
ssize_t __ratewin_rwv(struct file *file, const struct iovec __user *vec,
		      unsigned long vlen, loff_t *pos, rwf_t flags, bool write,
		      bool pos_locked);
void ratewin_fork(struct task_struct *p);
unsigned int ratewin_task_class(struct task_struct *task);
int ratewin_move_task(struct task_struct *task, unsigned int id,
		      const struct cred *cred);

/*
 * Has some class a rate (or had, up to a second ago)? Until then every hook
 * is a patched-out branch.
 */
static __always_inline bool ratewin_enabled(void)
{
	return static_branch_unlikely(&ratewin_active.key);
}

static __always_inline bool ratewin_constrained(void)
{
	return READ_ONCE(current->ratewin_class_id) != RATEWIN_UNCONSTRAINED;
}

/*
 * What users mean by network I/O: IPv4 and IPv6 sockets, loopback too
 * (Documentation/admin-guide/ratewin.rst says why), and the families that
 * carry their data over IP or straight onto the wire (SMC, which falls
 * back to TCP; KCM, RDS and TIPC; packet and XDP sockets). UNIX, netlink,
 * vsock and the other families move data within the machine.
 */
static __always_inline enum ratewin_io ratewin_sock_io_of(const struct socket *sock)
{
	switch (READ_ONCE(sock->ops)->family) {
	case PF_INET:
	case PF_INET6:
	case PF_SMC:
	case PF_KCM:
	case PF_RDS:
	case PF_TIPC:
	case PF_PACKET:
	case PF_XDP:
		return RATEWIN_NET;
	default:
		return RATEWIN_UNCHARGED;
	}
}

/*
 * What users mean by file I/O: the data of files on storage, that is
 * regular files of file systems that can do direct I/O (not procfs, sysfs,
 * tracefs, securityfs, efivarfs...), and block devices. This one predicate
 * decides what is charged, what counts as unconstrained load and what may
 * be moved in pieces. The fields it reads are those the call reads anyway.
 */
static __always_inline enum ratewin_io ratewin_io_of(struct file *file)
{
	umode_t mode = file_inode(file)->i_mode;
	struct socket *sock;

	if (S_ISREG(mode))
		return file->f_mode & FMODE_CAN_ODIRECT ? RATEWIN_FILE : RATEWIN_UNCHARGED;
	if (IS_ENABLED(CONFIG_NET) && S_ISSOCK(mode)) {
		sock = sock_from_file(file);
		return sock ? ratewin_sock_io_of(sock) : RATEWIN_UNCHARGED;
	}
	return S_ISBLK(mode) ? RATEWIN_FILE : RATEWIN_UNCHARGED;
}

/* An unconstrained task's bytes: its CPU's counter, and nothing else. */
static __always_inline void ratewin_count(enum ratewin_io io, ssize_t bytes)
{
	if (io != RATEWIN_UNCHARGED)
		this_cpu_add(ratewin_unconstrained.bytes[io], bytes);
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

/* At exit, after the task's last task works: what it held back is charged. */
static inline void ratewin_exit(void)
{
	if (unlikely(current->ratewin_held[RATEWIN_FILE].bytes |
		     current->ratewin_held[RATEWIN_NET].bytes))
		__ratewin_exit();
}

/*
 * Does the current task owe, or is it in a class? One test for both: most
 * tasks do neither, and only count what they move (ratewin_count_io()).
 */
static __always_inline bool ratewin_held_back(void)
{
	return unlikely(current->ratewin_wake_ns |
			READ_ONCE(current->ratewin_class_id));
}

/*
 * @bytes moved through @file by a call of a task that was not held back
 * when the call began: counted as unconstrained load, even if the task has
 * joined a class since. Its next call is charged.
 */
static __always_inline void ratewin_count_io(struct file *file, ssize_t bytes)
{
	if (bytes > 0)
		ratewin_count(ratewin_io_of(file), bytes);
}

/* A task that owes, or may have to wait for its class, before an I/O call. */
static __always_inline bool ratewin_may_owe(void)
{
	return ratewin_enabled() && ratewin_held_back();
}

/* What ratewin_placed holds: in which class, and as of when, it had a place. */
static __always_inline unsigned long ratewin_place(unsigned long places,
						   unsigned int class)
{
	return places * 16 + class;	/* RATEWIN_NR_CLASSES < 16 */
}

/*
 * A member of @class that owes nothing, has no io_uring charges to settle,
 * and has kept its place in its class's queue: most calls of a constrained
 * task. A place found (__ratewin_before_io()) lasts while the task is in
 * that class and ratewin_places stays put: record_debt() and ratewin_fork(),
 * the only writers of a task's debt id, forget it, and so must any other.
 * On 32-bit the count could come round again: no shortcut there.
 */
static __always_inline bool ratewin_in_place(unsigned int class)
{
	return IS_ENABLED(CONFIG_64BIT) && !current->ratewin_wake_ns &&
	       !atomic_read(&current->ratewin_async) &&
	       current->ratewin_placed ==
			ratewin_place(atomic_long_read(&ratewin_places), class);
}

/*
 * At the start of every I/O system call on @fd (and @fd2, for the calls
 * between two; -1 otherwise), before it takes any lock: a task that still
 * owes for earlier I/O, a signal having cut its sleep short, sleeps the
 * rest, and a member that has not yet owed to its class's limit waits for
 * its class if the call moves file or network I/O. Returns 0, or what the
 * call must return, having moved nothing, when a signal cuts this sleep
 * short too: -ERESTARTNOINTR for regular files and block devices,
 * -ERESTARTSYS for the rest. ratewin_before_held_io() is the same, where
 * the caller has found ratewin_may_owe().
 */
static __always_inline int ratewin_before_held_io(int fd, int fd2)
{
	if (!ratewin_in_place(READ_ONCE(current->ratewin_class_id)))
		return __ratewin_before_io(fd, fd2);
	return 0;
}

static inline int ratewin_before_io(int fd, int fd2)
{
	if (ratewin_may_owe())
		return ratewin_before_held_io(fd, fd2);
	return 0;
}

/*
 * ratewin_before_io() for io_submit(2) and io_uring_enter(2), before they
 * submit anything (@charged: they are to submit requests, of file or
 * network I/O). A signal that ends the sleep makes the call return
 * @restart, having done nothing. What its class was charged for the task's
 * io_uring requests elsewhere is owed first (ratewin_async_io()).
 */
static inline int ratewin_before_submit(bool charged, int restart)
{
	if (ratewin_may_owe())
		return __ratewin_before_submit(charged, restart);
	return 0;
}

/*
 * On the way out of io_uring_enter(2): what its requests moved is paid on
 * the way back to user space.
 */
static inline void ratewin_after_submit(void)
{
	if (ratewin_may_owe())
		__ratewin_after_submit();
}

/*
 * task_work_run() for io_uring's waits inside a system call: what the task
 * works charge is paid on the way back to user space, not there, where a
 * sleep could change what the call returns (a timeout that would have
 * expired).
 */
static inline void ratewin_task_work_run(void)
{
	bool no_pay = current->ratewin_no_pay;

	current->ratewin_no_pay = true;
	task_work_run();
	current->ratewin_no_pay = no_pay;
}

/*
 * Does @owner, the current task, owe time, and is @file's I/O charged?
 * Then its multishot io_uring requests on @file end rather than post
 * another result: the task must submit them again, and pays first.
 */
static inline bool ratewin_owes(struct task_struct *owner, struct file *file)
{
	u64 wake;

	if (!ratewin_enabled() || owner != current)
		return false;
	wake = READ_ONCE(owner->ratewin_wake_ns);
	return wake && wake > ktime_get_ns() && ratewin_io_of(file) != RATEWIN_UNCHARGED;
}

/* @bytes of @io for a request of @owner's, in any context. */
static __always_inline void ratewin_owner_io(struct task_struct *owner,
					     enum ratewin_io io, ssize_t bytes)
{
	if (likely(READ_ONCE(owner->ratewin_class_id) == RATEWIN_UNCONSTRAINED))
		ratewin_count(io, bytes);
	else
		__ratewin_async_io(owner, io, bytes);
}

/*
 * @bytes of @file moved by an io_uring request that @owner submitted, where
 * the request's result is final: in @owner's system call or task work, or
 * in an io-wq worker (__ratewin_async_io()).
 */
static inline void ratewin_async_io(struct task_struct *owner,
				    struct file *file, ssize_t bytes)
{
	if (ratewin_enabled() && bytes > 0)
		ratewin_owner_io(owner, ratewin_io_of(file), bytes);
}

/*
 * @bytes moved from @in to @out by @owner's call or request: charged as each
 * kind of I/O its ends are, once for a copy between two files, twice for a
 * file sent to a socket (the task then owes what the later of the two
 * limits asks).
 */
static inline void ratewin_async_transfer(struct task_struct *owner,
					  struct file *in, struct file *out,
					  ssize_t bytes)
{
	enum ratewin_io from, to;

	if (!ratewin_enabled() || bytes <= 0)
		return;
	from = ratewin_io_of(in);
	to = ratewin_io_of(out);
	ratewin_owner_io(owner, from, bytes);
	if (to != from)
		ratewin_owner_io(owner, to, bytes);
}

/*
 * For an io_uring SQPOLL thread, which submits its process's requests and
 * never returns to user space to pay: until when its rings are not to be
 * submitted from, its class owing time (0: submit). @charged: it has
 * requests to submit.
 */
static inline u64 ratewin_sqpoll_held(bool charged)
{
	if (ratewin_may_owe())
		return __ratewin_sqpoll_held(charged);
	return 0;
}

/* The SQPOLL thread's idle sleep: until woken, or until it may submit again. */
static inline void ratewin_sqpoll_idle(u64 held)
{
	ktime_t until = ns_to_ktime(held);

	if (held)
		schedule_hrtimeout(&until, HRTIMER_MODE_ABS);
	else
		schedule();
}

/*
 * sendfile(2), splice(2) and copy_file_range(2) may move less than asked: a
 * constrained task's call of file I/O moves at most what its class can pay
 * for within one sleep.
 */
static inline void ratewin_cut_transfer(struct file *in, struct file *out,
					size_t *len)
{
	if (ratewin_enabled() && ratewin_constrained())
		__ratewin_cut_transfer(in, out, len);
}

/* @bytes moved from @in to @out by the current task's system call. */
static inline void ratewin_transfer_io(struct file *in, struct file *out,
				       ssize_t bytes)
{
	ratewin_async_transfer(current, in, out, bytes);
}

/*
 * A request of io_submit(2) for @asked bytes of @file, whose ->read_iter()
 * or ->write_iter() returned @ret: charged as it is submitted, what it
 * moved if it completed then (buffered I/O does), else what it asked for,
 * since it completes where its submitter is not (an interrupt, a worker).
 * The submitter sleeps for it on its way back to user space.
 */
static inline void ratewin_submit_io(struct file *file, size_t asked, ssize_t ret)
{
	ssize_t bytes = ret == -EIOCBQUEUED ? asked : ret;

	if (ratewin_enabled() && bytes > 0)
		ratewin_account(ratewin_io_of(file), bytes);
}

/* ratewin_fault_begin()'s word for a fault that is not charged. */
#define RATEWIN_FAULT_UNCHARGED	U64_MAX

/*
 * Page faults on a shared mapping of a file of file I/O are charged the
 * storage I/O they cause: what they read (the page and the readahead
 * around it) and the pages they dirty, as /proc/PID/io counts them
 * (CONFIG_TASK_IO_ACCOUNTING; without it faults are not charged). Every
 * such fault counts, from user space or from the kernel on the task's
 * behalf (a read(2) into a mapping, get_user_pages(), process_vm_writev()),
 * so that no call moves a mapped file's data uncharged.
 * ratewin_fault_begin() takes the count on entry; ratewin_fault_end()
 * charges the difference. A constrained task pays on its way back to user
 * space, where it holds no mmap_lock.
 */
static __always_inline u64 ratewin_fault_begin(struct vm_area_struct *vma)
{
	if (ratewin_enabled())
		return __ratewin_fault_begin(vma);
	return RATEWIN_FAULT_UNCHARGED;
}

static __always_inline void ratewin_fault_end(u64 before)
{
	if (before != RATEWIN_FAULT_UNCHARGED)
		__ratewin_fault_end(before);
}

/*
 * Before a fault from user space with @flags on @vma that dirties a shared
 * file mapping: a task that owes (a signal cut its sleep short), or that
 * has no place in its class's queue yet, is refused the fault, as
 * ratewin_before_io() holds a call back. It pays on its way back to user
 * space and then faults again.
 */
static __always_inline bool ratewin_fault_refused(struct vm_area_struct *vma,
						  unsigned int flags)
{
	return ratewin_may_owe() && __ratewin_fault_refused(vma, flags);
}

/* @bytes sent or received through @sock by a socket call. */
static inline void ratewin_sock_io(struct socket *sock, ssize_t bytes)
{
	if (ratewin_enabled() && bytes > 0)
		ratewin_account(ratewin_sock_io_of(sock), bytes);
}

/* Only a call larger than a page may be moved in pieces. */
static __always_inline bool ratewin_may_piece(size_t count)
{
	return count > PAGE_SIZE;
}

/* Does the caller of fdget_pos() hold the file's position lock? */
static __always_inline bool ratewin_pos_locked(struct fd f)
{
	return f.word & FDPUT_POS_UNLOCK;
}

/*
 * vfs_read() and vfs_write() for read(2), write(2), pread64(2), pwrite64(2)
 * on @f, where the caller has found ratewin_enabled() and
 * ratewin_held_back(): the task was in a class when the call began, or
 * owed after it left one. A constrained task moves a large file I/O in
 * pieces, sleeping between them, and gets the same count back as it would
 * unthrottled; the rest of what a task moves is charged to its class, or
 * counted if it has none.
 */
static __always_inline ssize_t ratewin_vfs_read_on(struct fd f, char __user *buf,
						   size_t count, loff_t *pos)
{
	ssize_t ret;

	if (ratewin_may_piece(count) && ratewin_constrained())
		return __ratewin_rw(fd_file(f), buf, count, pos, false,
				    ratewin_pos_locked(f));
	ret = vfs_read(fd_file(f), buf, count, pos);
	if (ret > 0)
		ratewin_account(ratewin_io_of(fd_file(f)), ret);
	return ret;
}

static __always_inline ssize_t ratewin_vfs_write_on(struct fd f,
						    const char __user *buf,
						    size_t count, loff_t *pos)
{
	ssize_t ret;

	if (ratewin_may_piece(count) && ratewin_constrained())
		return __ratewin_rw(fd_file(f), (char __user *)buf, count, pos, true,
				    ratewin_pos_locked(f));
	ret = vfs_write(fd_file(f), buf, count, pos);
	if (ret > 0)
		ratewin_account(ratewin_io_of(fd_file(f)), ret);
	return ret;
}

/* vfs_readv() or vfs_writev(), the same way, for the vectored calls. */
static inline ssize_t ratewin_vfs_vectored(struct fd f,
					   const struct iovec __user *vec,
					   unsigned long vlen, loff_t *pos,
					   rwf_t flags, bool write)
{
	struct file *file = fd_file(f);
	ssize_t ret;

	if (ratewin_enabled() && ratewin_constrained())
		return __ratewin_rwv(file, vec, vlen, pos, flags, write,
				     ratewin_pos_locked(f));
	if (write)
		ret = vfs_writev(file, vec, vlen, pos, flags);
	else
		ret = vfs_readv(file, vec, vlen, pos, flags);
	if (ratewin_enabled() && ret > 0)
		ratewin_count(ratewin_io_of(file), ret);
	return ret;
}

#else /* !CONFIG_RATEWIN */

#define __ratewin_noinline

static __always_inline bool ratewin_enabled(void)
{
	return false;
}

static inline bool ratewin_constrained(void)
{
	return false;
}

static inline bool ratewin_may_owe(void)
{
	return false;
}

static inline bool ratewin_held_back(void)
{
	return false;
}

static inline void ratewin_count_io(struct file *file, ssize_t bytes) {}

static inline int ratewin_before_io(int fd, int fd2)
{
	return 0;
}

static __always_inline int ratewin_before_held_io(int fd, int fd2)
{
	return 0;
}

static inline int ratewin_before_submit(bool charged, int restart)
{
	return 0;
}

static inline void ratewin_task_work_run(void)
{
	task_work_run();
}

static inline void ratewin_exit(void) {}

static inline bool ratewin_owes(struct task_struct *owner, struct file *file)
{
	return false;
}

static inline void ratewin_submit_io(struct file *file, size_t asked, ssize_t ret) {}
static inline void ratewin_after_submit(void) {}
static inline void ratewin_async_io(struct task_struct *owner,
				    struct file *file, ssize_t bytes) {}
static inline void ratewin_async_transfer(struct task_struct *owner,
					  struct file *in, struct file *out,
					  ssize_t bytes) {}

static inline u64 ratewin_sqpoll_held(bool charged)
{
	return 0;
}

static inline void ratewin_sqpoll_idle(u64 held)
{
	schedule();
}

static inline u64 ratewin_fault_begin(struct vm_area_struct *vma)
{
	return 0;
}

static inline void ratewin_fault_end(u64 before) {}

static inline bool ratewin_fault_refused(struct vm_area_struct *vma,
					 unsigned int flags)
{
	return false;
}

static inline void ratewin_cut_transfer(struct file *in, struct file *out,
					size_t *len) {}
static inline void ratewin_transfer_io(struct file *in, struct file *out,
				       ssize_t bytes) {}
static inline void ratewin_sock_io(struct socket *sock, ssize_t bytes) {}

static __always_inline ssize_t ratewin_vfs_read_on(struct fd f, char __user *buf,
						   size_t count, loff_t *pos)
{
	return vfs_read(fd_file(f), buf, count, pos);
}

static __always_inline ssize_t ratewin_vfs_write_on(struct fd f,
						    const char __user *buf,
						    size_t count, loff_t *pos)
{
	return vfs_write(fd_file(f), buf, count, pos);
}

static inline ssize_t ratewin_vfs_vectored(struct fd f,
					   const struct iovec __user *vec,
					   unsigned long vlen, loff_t *pos,
					   rwf_t flags, bool write)
{
	if (write)
		return vfs_writev(fd_file(f), vec, vlen, pos, flags);
	return vfs_readv(fd_file(f), vec, vlen, pos, flags);
}

static inline void ratewin_fork(struct task_struct *p) {}

#endif /* CONFIG_RATEWIN */
#endif /* _LINUX_RATEWIN_H */
