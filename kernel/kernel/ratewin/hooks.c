// SPDX-License-Identifier: GPL-2.0
/*
 * Rate windows: what the I/O system calls and the scheduler see.
 *
 * A constrained task is charged what each call moved, once the transfer is
 * done (small calls together: ratewin_hold()), and then owes the delay
 * until its class has paid for it (core.c).
 * It sleeps that off on its way back to user space, as
 * blkcg_maybe_throttle_current() does: no lock is held there and the call's
 * result is settled, so throttling changes when a call returns, never what
 * it returns. The sleep is a task work, which runs before a pending signal
 * is delivered, and it is interruptible and freezable, on a high-resolution
 * timer: a signal to handle, a stop, ptrace or a cgroup freeze ends it at
 * once, and system suspend freezes it in place.
 *
 * A debt a signal cut short is still owed. Every I/O system call starts
 * with ratewin_before_io(), before it takes any lock: a task that owes
 * sleeps the rest there, and if a signal comes first the call returns,
 * having moved nothing, to be restarted after the handler (or to fail with
 * EINTR, on the files where a signal can interrupt an unthrottled wait and
 * the handler asked for that). A member that has not owed to its class's
 * limit yet, a new thread or process, first waits there until its class is
 * paid up, so that no member outruns its class by coming fresh.
 *
 *   I/O call: wait its turn --> move --> charge --> [task work: sleep]
 *                  | a signal                             | a signal
 *                  v                                      v
 *             restart: the handler runs, the call is made again
 *
 * A change of its class's limits voids a debt and wakes the sleeper
 * (ratewin_debt_limit()).
 *
 * Only file and network I/O is charged (ratewin_io_of()): the data of files
 * on storage, and IP sockets. Pipes, character devices, UNIX sockets and
 * pseudo files move data within the machine, and are neither charged nor
 * counted as load. Page faults on shared file mappings are charged the
 * storage I/O they cause, io_submit(2) what it submits, and io_uring's
 * requests what they moved, to the task that submitted them, which pays on
 * entering and leaving io_uring_enter(2); its SQPOLL thread holds its
 * rings back instead.
 *
 * read(2), write(2) and their p, v and pv variants on a file move a
 * large request in pieces (ratewin_piece()), sleeping between them inside
 * the call, so that a 100 MB write at 1 MB/s streams rather than bursting
 * and then sleeping. Between pieces the call holds no lock, which is why it
 * does not pace while it holds the file's position lock (the open file is
 * shared, and another thread or process may be waiting for it): it then
 * moves everything at once and owes it. A pending signal ends the pacing
 * the same way, so that its handler runs at once; a fatal one ends the
 * call, whose count its task will never see. Otherwise the call returns
 * the count the unthrottled call would, though a piece that fails after
 * others moved returns what moved, as a write cut short does.
 *
 * sendfile(2), splice(2) and copy_file_range(2), which may return short
 * counts, are cut to a piece when they move file I/O; with a socket at
 * either end they are charged whole, since a datagram cut short would be
 * lost. Other calls are
 * charged as they are: a short count on a pipe or socket means "that is all
 * there is", a pseudo file's handler needs the whole write, and an
 * appended record or an RWF_ATOMIC write must land whole.
 */

#include <linux/cred.h>
#include <linux/freezer.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/ratewin.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/xacct.h>
#include <linux/shmem_fs.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/timekeeping.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "ratewin.h"
#include <trace/events/ratewin.h>

/*
 * Paid, or void: the task owes nothing more of its own. Its debt id stays,
 * as the place it has in its class's queue (ratewin_newcomer()).
 */
static void forget_debt(void)
{
	current->ratewin_wake_ns = 0;
}

/*
 * Sleep until @wake on @limit's queue, or until the debt @debt_id is void.
 * False if a signal (or a freeze, which signals) ended the sleep first.
 */
static bool sleep_until(struct ratewin_limit *limit, u32 debt_id, u64 wake)
{
	ktime_t deadline = ns_to_ktime(wake);
	u64 start = ktime_get_ns();
	bool slept = false, paid = true;
	DEFINE_WAIT(wait);

	/*
	 * Task works that interrupt (io_uring's completions) do not end the
	 * sleep, or a debt cut short by each would never be paid: they run
	 * here, paying nothing (pay_debt() sees what they charge).
	 */
	guard(no_notify_signal)();
	for (;;) {
		prepare_to_wait(&limit->sleepers, &wait,
				TASK_INTERRUPTIBLE | TASK_FREEZABLE);
		/* pairs with smp_store_release() in limit_restart(), before the wakeup */
		if (READ_ONCE(limit->debt_id) != debt_id)
			break;
		if (signal_pending(current)) {
			paid = false;
			break;
		}
		if (test_thread_flag(TIF_NOTIFY_SIGNAL)) {
			__set_current_state(TASK_RUNNING);
			clear_notify_signal();
			ratewin_task_work_run();
			continue;
		}
		slept = true;
		if (!schedule_hrtimeout(&deadline, HRTIMER_MODE_ABS))
			break;
	}
	finish_wait(&limit->sleepers, &wait);
	if (slept)
		ratewin_slept(limit, ktime_get_ns() - start);
	return paid;
}

/*
 * Sleep off what the current task owes, where it holds no lock: true once
 * it owes nothing, false if a signal leaves some of it owing.
 */
static bool pay_debt(void)
{
	struct ratewin_limit *limit;
	u32 debt_id;
	u64 wake;

	/* until no task work run during the sleep has charged more */
	do {
		wake = current->ratewin_wake_ns;
		debt_id = current->ratewin_debt_id;
		if (!wake)
			return true;
		limit = ratewin_debt_limit(ratewin_instance, debt_id);
		if (limit && wake > ktime_get_ns() && !sleep_until(limit, debt_id, wake))
			return false;
	} while (current->ratewin_wake_ns != wake || current->ratewin_debt_id != debt_id);
	forget_debt();
	return true;
}

/*
 * Not while the task exits, nor in a task work that io_uring runs inside a
 * system call (ratewin_task_work_run()): there a sleep could change what
 * the call returns. The debt then waits for the way out of
 * io_uring_enter(2), or the next I/O call.
 */
static void pay_debt_work(struct callback_head *work)
{
	current->ratewin_pay_queued = false;
	if (!(current->flags & PF_EXITING) && !current->ratewin_no_pay)
		pay_debt();
}

/*
 * Pay the debt on the way back to user space. An io_uring thread never
 * goes there: its SQPOLL thread holds its rings back instead
 * (__ratewin_sqpoll_held()).
 */
static void queue_pay_debt(void)
{
	if (current->ratewin_pay_queued || (current->flags & PF_IO_WORKER))
		return;
	init_task_work(&current->ratewin_pay, pay_debt_work);
	if (!task_work_add(current, &current->ratewin_pay, TWA_RESUME))
		current->ratewin_pay_queued = true;
}

/*
 * The current task owes until @debt.delay_ns after @now. One slot holds the
 * latest such time: should its limit change, the task owes nothing more of
 * its own, though its class still owes what it moved under other limits.
 */
static void record_debt(u64 now, struct ratewin_debt debt)
{
	/* a debt too large for the clock is the longest sleep there is */
	u64 wake = min_t(u64, now + min_t(u64, debt.delay_ns, KTIME_MAX), KTIME_MAX);

	if (wake > current->ratewin_wake_ns ||
	    !ratewin_debt_limit(ratewin_instance, current->ratewin_debt_id)) {
		current->ratewin_wake_ns = wake;
		current->ratewin_debt_id = debt.id;
		/* ratewin_in_place() no more: __ratewin_before_io() looks again */
		current->ratewin_placed = 0;
	}
}

/*
 * How an I/O call on @fd (and @fd2, unless it is -1) is to restart when a
 * signal ends the sleep before it: transparently, except where a signal
 * could have interrupted the unthrottled call too, a blocking wait on a
 * pipe, socket, terminal or the like (-ERESTARTSYS: EINTR unless the
 * handler has SA_RESTART). Regular files and block devices never wait
 * that way, non-blocking descriptors never wait at all.
 */
static int restart_errno(int fd, int fd2)
{
	int fds[] = { fd, fd2 }, i;

	for (i = 0; i < ARRAY_SIZE(fds) && fds[i] >= 0; i++) {
		CLASS(fd, f)(fds[i]);
		umode_t mode;

		if (fd_empty(f))
			continue;
		mode = file_inode(fd_file(f))->i_mode;
		if (!S_ISREG(mode) && !S_ISBLK(mode) &&
		    !(fd_file(f)->f_flags & O_NONBLOCK))
			return -ERESTARTSYS;
	}
	return -ERESTARTNOINTR;
}

/* Does a call on @fd (and @fd2, unless it is -1) move file or network I/O? */
static bool call_charged(int fd, int fd2)
{
	int fds[] = { fd, fd2 }, i;

	for (i = 0; i < ARRAY_SIZE(fds) && fds[i] >= 0; i++) {
		CLASS(fd, f)(fds[i]);

		if (!fd_empty(f) && ratewin_io_of(fd_file(f)) != RATEWIN_UNCHARGED)
			return true;
	}
	return false;
}

/*
 * Does the current task owe, once it has taken its place in its class's
 * queue (if it has none and is about to move file or network I/O, as
 * @charged says)?
 */
static bool owes_turn(bool charged)
{
	struct ratewin *rwin = ratewin_instance;
	unsigned int id = READ_ONCE(current->ratewin_class_id);
	struct ratewin_debt turn = { };
	u64 now = ktime_get_ns();

	if (id != RATEWIN_UNCONSTRAINED && charged)
		turn = ratewin_newcomer(rwin, id, current->ratewin_debt_id, now);
	if (turn.id)
		record_debt(now, turn);
	/* a remainder too short to be worth a sleep is waived, as a delay is */
	if (current->ratewin_wake_ns < now + ratewin_min_sleep_ns(rwin))
		forget_debt();
	return current->ratewin_wake_ns;
}

/* settle(), for a task whose requests were charged elsewhere. */
static noinline void settle_async(void)
{
	unsigned int id = READ_ONCE(current->ratewin_class_id);
	struct ratewin_debt debt;
	u64 now;

	if (!atomic_xchg(&current->ratewin_async, 0) || id == RATEWIN_UNCONSTRAINED)
		return;
	now = ktime_get_ns();
	debt = ratewin_class_debt(ratewin_instance, id, now);
	if (debt.delay_ns) {
		record_debt(now, debt);
		queue_pay_debt();
	}
}

/*
 * The current task owes for io_uring requests charged to its class where
 * it was not (__ratewin_async_io()): until its class has paid for all.
 * Inline: every call of a constrained task checks this.
 */
static __always_inline void settle(void)
{
	if (unlikely(atomic_read(&current->ratewin_async)))
		settle_async();
}

/**
 * __ratewin_async_io() - charge a constrained task's io_uring request
 * @owner: the task that submitted it
 * @io: the kind of I/O it moved
 * @bytes: how much
 *
 * In @owner's own context (its system call, its task work) the task is
 * charged, and pays on its way back to user space. Elsewhere (an io-wq
 * worker, the work that completes an exiting task's requests) the class is
 * charged at once, so that its other members and newcomers wait for it
 * whatever @owner does next, and @owner owes what its class does when it
 * next submits or makes an I/O call (settle()). Always in
 * process context: completions from interrupts reach io_uring's task work
 * first.
 */
void __ratewin_async_io(struct task_struct *owner, enum ratewin_io io, ssize_t bytes)
{
	unsigned int id;
	u64 now;

	if (io == RATEWIN_UNCHARGED)
		return;
	if (owner == current) {
		__ratewin_account(io, bytes);
		return;
	}
	id = READ_ONCE(owner->ratewin_class_id);
	if (id == RATEWIN_UNCONSTRAINED) {
		ratewin_count(io, bytes);
		return;
	}
	now = ktime_get_ns();
	ratewin_charge(ratewin_instance, id, io, bytes, now, now);
	/* after the charge: pairs with atomic_xchg() in settle_async() */
	atomic_set_release(&owner->ratewin_async, 1);
}

/*
 * On the way out of io_uring_enter(2): what its requests moved is paid on
 * the way back to user space, task works run inside the call having left
 * it owing (pay_debt_work()).
 */
void __ratewin_after_submit(void)
{
	settle();
	if (current->ratewin_wake_ns)
		queue_pay_debt();
}

/*
 * __ratewin_before_io() for a task that owes, or has no place yet. Apart:
 * inline, its registers would be saved on every call.
 */
static noinline int wait_turn(int fd, int fd2)
{
	owes_turn(ratewin_constrained() && call_charged(fd, fd2));
	return pay_debt() ? 0 : restart_errno(fd, fd2);
}

/**
 * __ratewin_before_io() - sleep what is owed before an I/O system call
 * @fd: the file descriptor the call moves data through
 * @fd2: the other one, for calls between two; -1 for the others
 *
 * Called first, before the call takes any lock. A member with no place in
 * its class's queue yet takes one (ratewin_newcomer()) if the call moves
 * file or network I/O; then the task sleeps what it owes, what a signal
 * cut short before and its place. A task that moves nothing charged never
 * waits here.
 *
 * Return: 0 when the call may go on; -ERESTARTNOINTR or -ERESTARTSYS
 * (restart_errno()) when a signal ended the sleep first: the call returns
 * it, having moved nothing.
 */
int __ratewin_before_io(int fd, int fd2)
{
	/* before the epochs read below: pairs with the release in limit_restart() */
	unsigned long places = atomic_long_read_acquire(&ratewin_places);
	unsigned int id = READ_ONCE(current->ratewin_class_id);

	BUILD_BUG_ON(RATEWIN_NR_CLASSES >= 16);	/* ratewin_place() */
	settle();
	if (!current->ratewin_wake_ns &&
	    ratewin_has_place(ratewin_instance, id, current->ratewin_debt_id)) {
		/* ratewin_in_place() until a limit changes or the task moves */
		if (IS_ENABLED(CONFIG_64BIT))
			current->ratewin_placed = ratewin_place(places, id);
		return 0;
	}
	return wait_turn(fd, fd2);
}

/**
 * __ratewin_before_submit() - __ratewin_before_io() for io_submit(2) and io_uring_enter(2)
 * @charged: the call submits requests, of file or network I/O
 * @restart: what the call returns when a signal ends the sleep
 *
 * Return: 0, or @restart.
 */
int __ratewin_before_submit(bool charged, int restart)
{
	settle();
	owes_turn(charged);
	return pay_debt() ? 0 : restart;
}

/**
 * __ratewin_sqpoll_held() - may an SQPOLL thread submit?
 * @charged: it has requests to submit
 *
 * The thread submits for its process's rings (a ring can share only its
 * own process's thread), as a member of its class, and owes for what its
 * requests move. It must not sleep that off: it would stop reaping and
 * completing too. So its rings are held back until the debt is paid, as a
 * thread that submitted them itself would be.
 *
 * Return: 0, or the time until which the rings are held, at most
 * max_sleep_us ahead: a change of limits voids a debt without waking the
 * thread, which looks again then.
 */
u64 __ratewin_sqpoll_held(bool charged)
{
	u64 now;

	settle();
	if (!owes_turn(charged) ||
	    !ratewin_debt_limit(ratewin_instance, current->ratewin_debt_id)) {
		forget_debt();
		return 0;
	}
	now = ktime_get_ns();
	return min(current->ratewin_wake_ns, now + ratewin_max_sleep_ns(ratewin_instance));
}

/*
 * A shared mapping of a file of file I/O, whose faults may reach storage:
 * not tmpfs or shared memory (only swap is behind them), not DAX (no page
 * cache, and no I/O that /proc/PID/io counts). Private mappings are a
 * program's own code and data, paged in as it runs: charging them would
 * hold up a signal handler or a new thread behind its class's debt.
 */
static bool file_mapping(struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_MAYSHARE) && vma->vm_file &&
	       ratewin_io_of(vma->vm_file) == RATEWIN_FILE &&
	       !shmem_mapping(vma->vm_file->f_mapping) && !vma_is_dax(vma);
}

/* What /proc/PID/io counts of the current task's storage I/O. */
static u64 storage_io(void)
{
#ifdef CONFIG_TASK_IO_ACCOUNTING
	return current->ioac.read_bytes + current->ioac.write_bytes;
#else
	return 0;
#endif
}

/**
 * __ratewin_fault_begin() - the storage I/O count before a page fault
 * @vma: the faulting mapping, which the fault may free
 *
 * Faults on a file mapping are charged to the task that takes them, in its
 * own memory or another's (process_vm_writev(), /proc/PID/mem, ptrace):
 * not a kernel thread or a user worker (io_uring, vhost), which never
 * return to user space to pay.
 *
 * Return: the count, or RATEWIN_FAULT_UNCHARGED.
 */
u64 __ratewin_fault_begin(struct vm_area_struct *vma)
{
	if (!IS_ENABLED(CONFIG_TASK_IO_ACCOUNTING) ||
	    (current->flags & (PF_KTHREAD | PF_USER_WORKER)) || !file_mapping(vma))
		return RATEWIN_FAULT_UNCHARGED;
	return storage_io();
}

/* After a fault: what it read from storage and dirtied is file I/O. */
void __ratewin_fault_end(u64 before)
{
	u64 bytes = storage_io() - before;

	if (bytes)
		ratewin_account(RATEWIN_FILE, bytes);
}

/*
 * Does a fault with @flags dirty a page of a shared mapping of @vma's
 * file, which is file I/O for certain (a read fault may find its page in
 * the page cache)?
 */
static bool fault_dirties(struct vm_area_struct *vma, unsigned int flags)
{
	return (flags & FAULT_FLAG_WRITE) && (vma->vm_flags & VM_SHARED) &&
	       file_mapping(vma);
}

/**
 * __ratewin_fault_refused() - hold a fault from user space back
 * @vma: the faulting mapping
 * @flags: the fault's FAULT_FLAG_*
 *
 * A fault that dirties a shared file mapping is refused while the task
 * owes, after it has taken its place in its class's queue if it has none:
 * it pays on its way back, where it holds no mmap_lock, and faults again.
 * Other faults go on: reading a program's code and data, or its stack,
 * must not hold up a signal handler or a new thread behind a debt. A task
 * being killed is let through.
 *
 * Return: true if the fault is refused.
 */
bool __ratewin_fault_refused(struct vm_area_struct *vma, unsigned int flags)
{
	if (fatal_signal_pending(current) || !fault_dirties(vma, flags) ||
	    !owes_turn(ratewin_constrained()))
		return false;
	queue_pay_debt();
	return true;
}

/*
 * Charge @bytes of @io, whose transfer began at @start (0: just now), to
 * class @id, which the current task is in or has just left: it owes until
 * its class has paid. Apart from account(): inline, the registers it needs
 * would be saved on every call, held back or not.
 */
static noinline void charge_own(unsigned int id, enum ratewin_io io, u64 bytes, u64 start)
{
	u64 now = ktime_get_ns();
	struct ratewin_debt debt;

	debt = ratewin_charge(ratewin_instance, id, io, bytes, start ?: now, now);
	if (!debt.delay_ns)
		return;
	trace_ratewin_sleep(id, io, bytes, debt.delay_ns);
	record_debt(now, debt);
	queue_pay_debt();
}

/* Hold @bytes back, or charge them with what @held holds. */
static __always_inline void hold_or_charge(unsigned int id, enum ratewin_io io,
					   struct ratewin_held *held, u64 bytes,
					   u64 start)
{
	bytes = ratewin_hold(ratewin_instance, id, io, held, bytes);
	if (bytes)
		charge_own(id, io, bytes, start);
}

/*
 * account_in() for a task that holds bytes for another class (it has moved
 * since) or an earlier epoch of its limit, which are released first, or
 * that is in no class now.
 */
static noinline void account_moved(unsigned int id, enum ratewin_io io,
				   u64 bytes, u64 start)
{
	struct ratewin_held *held = &current->ratewin_held[io];

	if (ratewin_held_elsewhere(ratewin_instance, id, io, held))
		ratewin_release_held(ratewin_instance, held, ktime_get_ns());
	if (id == RATEWIN_UNCONSTRAINED) {
		ratewin_count(io, bytes);
		return;
	}
	hold_or_charge(id, io, held, bytes, start);
}

/*
 * Charge the current task's I/O to class @id, holding small amounts back
 * to charge them with more (ratewin_hold()). Its slow ways are tail calls,
 * so that a call held back saves no registers.
 */
static void account_in(unsigned int id, enum ratewin_io io, u64 bytes, u64 start)
{
	struct ratewin_held *held = &current->ratewin_held[io];

	if (unlikely(id == RATEWIN_UNCONSTRAINED ||
		     ratewin_held_elsewhere(ratewin_instance, id, io, held))) {
		account_moved(id, io, bytes, start);
		return;
	}
	hold_or_charge(id, io, held, bytes, start);
}

static void account(enum ratewin_io io, u64 bytes, u64 start)
{
	BUILD_BUG_ON(ARRAY_SIZE(current->ratewin_held) != RATEWIN_NR_IO);
	if (io != RATEWIN_UNCHARGED)
		account_in(READ_ONCE(current->ratewin_class_id), io, bytes, start);
}

/* ratewin_account() for a constrained task. */
void __ratewin_account(enum ratewin_io io, ssize_t bytes)
{
	account(io, bytes, 0);
}

/*
 * An exiting task's bytes held back, charged to its class, which pays for
 * them; the task no longer can. The task works that could charge more have
 * run.
 */
void __ratewin_exit(void)
{
	u64 now = ktime_get_ns();
	unsigned int io;

	for (io = 0; io < RATEWIN_NR_IO; io++)
		ratewin_release_held(ratewin_instance, &current->ratewin_held[io], now);
}

/*
 * Calls that may be moved in pieces: on a file of file I/O (not a pseudo
 * file, whose handler needs a write whole), without holding its
 * position lock, through an iov_iter (else the plain call gives its
 * error), with nothing that must land whole (O_APPEND, RWF_APPEND,
 * RWF_ATOMIC) and allowed to wait (not RWF_NOWAIT).
 */
static bool may_pace(struct file *file, rwf_t flags, bool write, bool pos_locked)
{
	bool can = write ? (file->f_mode & FMODE_CAN_WRITE) && file->f_op->write_iter :
			   (file->f_mode & FMODE_CAN_READ) && file->f_op->read_iter;

	return can && !pos_locked && ratewin_io_of(file) == RATEWIN_FILE &&
	       !(file->f_flags & O_APPEND) &&
	       !(flags & (RWF_APPEND | RWF_ATOMIC | RWF_NOWAIT));
}

/*
 * Pieces are cut only from requests larger than a page and no larger than
 * one call moves, at a position (a stream may block for the next piece
 * where the whole call would have returned what was there), that lie
 * wholly where loff_t reaches, so that each piece gets the verdict of
 * rw_verify_area() that the whole would.
 */
static bool worth_pieces(size_t count, loff_t *pos)
{
	return ratewin_may_piece(count) && count <= MAX_RW_COUNT && pos &&
	       *pos >= 0 && *pos <= LLONG_MAX - (loff_t)count;
}

/* @len cut to @piece in whole pages, which O_DIRECT needs, if @piece is less. */
static size_t cut_to_piece(size_t len, u64 piece)
{
	if (piece >= len)
		return len;
	return min_t(u64, len, max_t(u64, round_down(piece, PAGE_SIZE), PAGE_SIZE));
}

/* One vfs_iter_read() or vfs_iter_write() of at most @len bytes of @iter. */
static ssize_t move_piece(struct file *file, struct iov_iter *iter, size_t len,
			  loff_t *pos, rwf_t flags)
{
	size_t left = iov_iter_count(iter);
	ssize_t ret;

	iov_iter_truncate(iter, len);
	if (iov_iter_rw(iter) == WRITE)
		ret = vfs_iter_write(file, iter, pos, flags);
	else
		ret = vfs_iter_read(file, iter, pos, flags);
	iov_iter_reexpand(iter, left - max_t(ssize_t, ret, 0));
	return ret;
}

/*
 * Would a later piece of a write at @pos raise SIGXFSZ, where the whole
 * call would have been cut short at the file size limit without it? As
 * generic_write_check_limits() decides; a file system that does not check
 * the limit may find a write ended short there.
 */
static bool past_size_limit(struct file *file, struct iov_iter *iter, loff_t *pos)
{
	loff_t limit = rlimit(RLIMIT_FSIZE);

	return iov_iter_rw(iter) == WRITE && limit != RLIM_INFINITY && pos &&
	       S_ISREG(file_inode(file)->i_mode) && *pos >= limit;
}

/*
 * Move @iter in pieces the class can pay for, sleeping between them, and
 * the rest at once when a signal comes.
 *
 * Return: the bytes moved, or the error if none were.
 */
static ssize_t pace(struct file *file, struct iov_iter *iter, loff_t *pos,
		    rwf_t flags)
{
	unsigned int id = READ_ONCE(current->ratewin_class_id);
	enum ratewin_io io = ratewin_io_of(file);
	size_t count = iov_iter_count(iter), done = 0, piece;
	bool pacing = worth_pieces(count, pos);
	ssize_t ret;
	u64 start;

	/*
	 * The task works that run in the sleeps between pieces (sleep_until())
	 * may close @file, which a single-threaded caller holds without a
	 * reference (fdget()). Should ours be the last, fput() leaves the
	 * release to a task work on the way out of the system call, after the
	 * caller's last use of the file (its f_pos): this runs in a system
	 * call of a user task only.
	 */
	get_file(file);
	for (;;) {
		piece = count - done;
		start = pacing ? ktime_get_ns() : 0;
		if (pacing)
			piece = cut_to_piece(piece, ratewin_piece(ratewin_instance, id, io,
								  piece, start));
		ret = move_piece(file, iter, piece, pos, flags);
		if (ret <= 0)
			break;
		done += ret;
		account(io, ret, start);
		if (done == count || ret < piece)
			break;
		/* a fatal signal's task never sees the count */
		if (fatal_signal_pending(current) || past_size_limit(file, iter, pos))
			break;
		if (pacing)
			pacing = pay_debt();
	}
	fput(file);
	return done ? done : ret;
}

/*
 * __ratewin_rw() of a call to be moved in pieces. Apart, so that the small
 * calls do not set up (and, with CONFIG_INIT_STACK_ALL_ZERO, clear) its
 * iov_iter.
 */
static noinline ssize_t rw_paced(struct file *file, char __user *buf, size_t count,
				 loff_t *pos, bool write)
{
	struct iov_iter iter;
	ssize_t ret;

	ret = import_ubuf(write ? ITER_SOURCE : ITER_DEST, buf, count, &iter);
	if (ret)
		return ret;
	ret = pace(file, &iter, pos, 0);
	/* what vfs_read() and vfs_write() count, once for the call */
	if (write) {
		if (ret > 0)
			add_wchar(current, ret);
		inc_syscw(current);
	} else {
		if (ret > 0)
			add_rchar(current, ret);
		inc_syscr(current);
	}
	return ret;
}

/**
 * __ratewin_rw() - vfs_read() or vfs_write() for a constrained task
 * @file: the file
 * @buf: the user buffer
 * @count: bytes asked for
 * @pos: the position, advanced as vfs_read() and vfs_write() do
 * @write: write rather than read
 * @pos_locked: the caller holds the file's position lock
 *
 * Return: what one vfs_read() or vfs_write() of @count would have returned.
 */
ssize_t __ratewin_rw(struct file *file, char __user *buf, size_t count,
		     loff_t *pos, bool write, bool pos_locked)
{
	ssize_t ret;

	if (worth_pieces(count, pos) && may_pace(file, 0, write, pos_locked))
		return rw_paced(file, buf, count, pos, write);
	if (write)
		ret = vfs_write(file, buf, count, pos);
	else
		ret = vfs_read(file, buf, count, pos);
	if (ret > 0)
		__ratewin_account(ratewin_io_of(file), ret);
	return ret;
}

/**
 * __ratewin_rwv() - vfs_readv() or vfs_writev() for a constrained task
 * @file: the file
 * @vec: the user's iovec array
 * @vlen: its length
 * @pos: the position, advanced as vfs_readv() and vfs_writev() do
 * @flags: RWF_* flags
 * @write: write rather than read
 * @pos_locked: the caller holds the file's position lock
 *
 * Return: what vfs_readv() or vfs_writev() would have returned.
 */
ssize_t __ratewin_rwv(struct file *file, const struct iovec __user *vec,
		      unsigned long vlen, loff_t *pos, rwf_t flags, bool write,
		      bool pos_locked)
{
	struct iovec iovstack[UIO_FASTIOV], *iov = iovstack;
	struct iov_iter iter;
	ssize_t ret;

	if (!may_pace(file, flags, write, pos_locked)) {
		if (write)
			ret = vfs_writev(file, vec, vlen, pos, flags);
		else
			ret = vfs_readv(file, vec, vlen, pos, flags);
		if (ret > 0)
			__ratewin_account(ratewin_io_of(file), ret);
		return ret;
	}
	/* as vfs_readv() and vfs_writev() do, capped at MAX_RW_COUNT */
	ret = import_iovec(write ? ITER_SOURCE : ITER_DEST, vec, vlen,
			   ARRAY_SIZE(iovstack), &iov, &iter);
	if (ret < 0)
		return ret;
	ret = pace(file, &iter, pos, flags);
	kfree(iov);
	return ret;
}

/**
 * __ratewin_cut_transfer() - bound sendfile(2), splice(2) or copy_file_range(2)
 * @in: the file read
 * @out: the file written
 * @len: bytes asked for; cut to the piece the class can pay for
 *
 * These calls may move less than asked, so a constrained task's call of
 * file I/O moves at most a piece and sleeps for it on its way out; the
 * caller calls again. Never when either end is a socket, of any family: a
 * datagram cut short would arrive as several.
 */
void __ratewin_cut_transfer(struct file *in, struct file *out, size_t *len)
{
	unsigned int id = READ_ONCE(current->ratewin_class_id);
	u64 piece;

	if (S_ISSOCK(file_inode(in)->i_mode) || S_ISSOCK(file_inode(out)->i_mode) ||
	    (ratewin_io_of(in) != RATEWIN_FILE && ratewin_io_of(out) != RATEWIN_FILE))
		return;
	piece = ratewin_piece(ratewin_instance, id, RATEWIN_FILE, *len, ktime_get_ns());
	*len = cut_to_piece(*len, piece);
}

/* A new task owes nothing and is in its parent's class, read under tasklist_lock. */
void ratewin_fork(struct task_struct *p)
{
	p->ratewin_wake_ns = 0;
	p->ratewin_debt_id = 0;
	p->ratewin_pay_queued = false;
	atomic_set(&p->ratewin_async, 0);
	p->ratewin_no_pay = false;
	p->ratewin_class_id = READ_ONCE(current->ratewin_class_id);
	p->ratewin_placed = 0;	/* no place: ratewin_places starts at 1 */
	memset(p->ratewin_held, 0, sizeof(p->ratewin_held));
}

unsigned int ratewin_task_class(struct task_struct *task)
{
	return READ_ONCE(task->ratewin_class_id);
}

/*
 * Joining a class from outside any is like raising one's nice value: the
 * task's owner may do it. Anything else (leaving, moving between classes,
 * moving another user's task) needs CAP_SYS_RESOURCE. @cred is the opener's
 * of the file written, not the writer's: a setuid program handed the file
 * as its output must not lend its privilege.
 */
static int may_move(struct task_struct *task, unsigned int from,
		    const struct cred *cred)
{
	bool own;

	rcu_read_lock();
	own = uid_eq(cred->euid, __task_cred(task)->euid);
	rcu_read_unlock();
	/* joining needs no capability: do not log a denial for it */
	if (own && from == RATEWIN_UNCONSTRAINED)
		return 0;
	if (security_capable(cred, &init_user_ns, CAP_SYS_RESOURCE, CAP_OPT_NONE))
		return -EPERM;
	return 0;
}

/**
 * ratewin_move_task() - put a task's whole thread group into a class
 * @task: any thread of the group
 * @id: the class, 1..RATEWIN_NR_CLASSES, or 0 for none
 * @cred: the credentials that decide, those of whoever opened the file
 *
 * ratewin_fork() copies the class under tasklist_lock, so a thread or
 * child being created right now cannot slip out with the old class.
 * Moves are serialised, so two racing joins cannot both start from 0.
 * A moved task still owes what it owed: the debt is its old class's.
 *
 * Kernel threads are refused: they make no system calls to throttle,
 * and every kernel thread kthreadd starts would inherit its class.
 *
 * Return: 0, -ERANGE for an unknown class, -EINVAL for a kernel thread,
 * -EPERM when not allowed.
 */
int ratewin_move_task(struct task_struct *task, unsigned int id,
		      const struct cred *cred)
{
	static DEFINE_MUTEX(move_lock);
	struct task_struct *t;
	unsigned int from;
	int err = 0;

	if (id > RATEWIN_NR_CLASSES)
		return -ERANGE;
	if (task->flags & PF_KTHREAD)
		return -EINVAL;
	mutex_lock(&move_lock);
	from = READ_ONCE(task->ratewin_class_id);
	if (id != from)
		err = may_move(task, from, cred);
	if (!err && id != from) {
		read_lock(&tasklist_lock);
		for_each_thread(task, t)
			WRITE_ONCE(t->ratewin_class_id, id);
		read_unlock(&tasklist_lock);
	}
	mutex_unlock(&move_lock);
	return err;
}
