// SPDX-License-Identifier: GPL-2.0
/*
 * Rate windows: what the I/O system calls and the scheduler see.
 *
 * The system calls charge what they moved after the transfer. A task in a
 * constrained class then owes a delay, which it sleeps on its way back to
 * user space, as blkcg_maybe_throttle_current() does: no lock is held there
 * and the call's result is already settled, so throttling changes when a
 * call returns, never what it returns. The sleep is killable and uses a
 * high-resolution timer.
 *
 * read(2), write(2), pread64(2) and pwrite64(2) on a regular file or block
 * device move a large request in pieces (ratewin_decide()), sleeping between
 * them inside the call, so a 100 MB write at 1 MB/s streams for 100 s rather
 * than bursting and then sleeping. Between pieces the call holds the file's
 * position lock, as it would while waiting for a slow device. Other files
 * (pipes, sockets, terminals) are never split: a short count there means
 * "that is all there is", and waiting for more would change the result.
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/freezer.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/ratewin.h>
#include <linux/resume_user_mode.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include "ratewin.h"

#define CREATE_TRACE_POINTS
#include <trace/events/ratewin.h>

DEFINE_STATIC_KEY_FALSE(ratewin_active);
struct ratewin_pcpu __percpu *ratewin_unconstrained;

/* The instance behind /sys/kernel/ratewin, set once at boot. */
struct ratewin *ratewin_instance;

static bool any_limit(struct ratewin *rw)
{
	unsigned int i, io;

	if (!READ_ONCE(rw->enabled))
		return false;
	for (i = 0; i < RATEWIN_NR_CLASSES; i++)
		for (io = 0; io < RATEWIN_NR_IO; io++)
			if (READ_ONCE(rw->cls[i].limit[io].rate))
				return true;
	return false;
}

/*
 * Throttled tasks sleep here, so that a change of the limits ends at once
 * every sleep that was priced under the old ones: a class set from 1 KB/s
 * to unlimited must not keep its members asleep for a delay nobody owes
 * any more. Nothing is forgiven: the window still holds the bytes, and
 * the next charge prices them at the new limits.
 */
static DECLARE_WAIT_QUEUE_HEAD(sleepers);
static atomic_t limits_generation = ATOMIC_INIT(0);

/**
 * ratewin_limits_changed() - act on a store to any ratewin tunable
 *
 * Turns the hooks on while some class is limited and off otherwise, and
 * wakes every sleeper to price its delay again. May sleep.
 */
void ratewin_limits_changed(void)
{
	static DEFINE_MUTEX(key_lock);
	struct ratewin *rw = READ_ONCE(ratewin_instance);

	if (!rw)
		return;
	mutex_lock(&key_lock);
	if (any_limit(rw))
		static_branch_enable(&ratewin_active);
	else
		static_branch_disable(&ratewin_active);
	mutex_unlock(&key_lock);
	atomic_inc(&limits_generation);
	wake_up_all(&sleepers);
}

/*
 * ratewin_account() for a constrained task: it owes the delay. The task may
 * have left its class since ratewin_account() looked.
 */
void __ratewin_account(enum ratewin_io io, ssize_t bytes)
{
	unsigned int id = READ_ONCE(current->ratewin_class);
	u64 delay;

	if (id == RATEWIN_UNCONSTRAINED) {
		ratewin_account_unconstrained(ratewin_instance, io, bytes);
		return;
	}
	delay = ratewin_charge(ratewin_instance, id, io, bytes, ktime_get_ns());
	if (!delay)
		return;
	trace_ratewin_sleep(id, io, bytes, delay);
	/*
	 * A delay is the whole class's debt from now, not this event's share:
	 * charges not yet slept off (sendmmsg charges per message) are in it.
	 */
	current->ratewin_delay_ns = max(current->ratewin_delay_ns, delay);
	set_notify_resume(current);
}

/*
 * Sleep what the current task owes, or until the limits change; false if
 * a fatal signal cut it short.
 */
static bool serve_delay(void)
{
	DEFINE_WAIT(wait);
	ktime_t deadline;
	bool served = true;
	int generation;

	if (!current->ratewin_delay_ns)
		return true;
	generation = atomic_read(&limits_generation);
	deadline = ktime_add_ns(ktime_get(), current->ratewin_delay_ns);
	current->ratewin_delay_ns = 0;
	for (;;) {
		prepare_to_wait(&sleepers, &wait, TASK_KILLABLE);
		if (fatal_signal_pending(current)) {
			served = false;
			break;
		}
		if (atomic_read(&limits_generation) != generation ||
		    !schedule_hrtimeout(&deadline, HRTIMER_MODE_ABS))
			break;
	}
	finish_wait(&sleepers, &wait);
	return served;
}

void __ratewin_serve_delay(void)
{
	serve_delay();
}

/*
 * Only data files are moved in pieces, and only in whole pages: a sysfs or
 * proc write (never more than a page) must reach its handler in one go, an
 * O_APPEND record must not interleave with other writers, and O_DIRECT
 * needs aligned sizes.
 */
static bool splittable(struct file *file, size_t count)
{
	umode_t mode = file_inode(file)->i_mode;

	return (S_ISREG(mode) || S_ISBLK(mode)) && count > PAGE_SIZE &&
	       !(file->f_flags & O_APPEND);
}

static size_t whole_pages(u64 piece)
{
	return max_t(u64, round_down(piece, PAGE_SIZE), PAGE_SIZE);
}

static ssize_t transfer(struct file *file, char __user *buf, size_t count,
			loff_t *pos, bool write)
{
	return write ? vfs_write(file, buf, count, pos) : vfs_read(file, buf, count, pos);
}

/**
 * __ratewin_rw() - vfs_read() or vfs_write() in pieces a class can pay for
 * @file: the file
 * @buf: the user buffer
 * @count: bytes asked for
 * @pos: the position, advanced as vfs_read() and vfs_write() do
 * @write: write rather than read
 *
 * RETURNS:
 * What one vfs_read() or vfs_write() of @count would have returned: the
 * bytes moved, or the error if none were.
 */
ssize_t __ratewin_rw(struct file *file, char __user *buf, size_t count,
		     loff_t *pos, bool write)
{
	unsigned int id = READ_ONCE(current->ratewin_class);
	enum ratewin_io io = ratewin_io_of(file);
	size_t done = 0, piece;
	ssize_t ret;

	/* what one vfs_read() or vfs_write() would move at most */
	count = min_t(size_t, count, MAX_RW_COUNT);
	if (id == RATEWIN_UNCONSTRAINED || !splittable(file, count)) {
		ret = transfer(file, buf, count, pos, write);
		if (ret > 0)
			__ratewin_account(io, ret);
		return ret;
	}
	for (;;) {
		piece = whole_pages(ratewin_decide(ratewin_instance, id, io, count - done,
						   ktime_get_ns()).piece);
		piece = min(piece, count - done);
		ret = transfer(file, buf + done, piece, pos, write);
		if (ret <= 0)
			break;
		done += ret;
		__ratewin_account(io, ret);
		/*
		 * The last piece's delay is slept on the way back to user space.
		 * A signal or the freezer ends the call with what has moved, a
		 * short count a regular file may return when interrupted.
		 */
		if (done == count || ret < piece || !serve_delay() ||
		    signal_pending(current) || freezing(current))
			break;
	}
	return done ?: ret;
}

/* A new task owes nothing and is in its parent's class, read under tasklist_lock. */
void ratewin_fork(struct task_struct *p)
{
	p->ratewin_delay_ns = 0;
	p->ratewin_class = READ_ONCE(current->ratewin_class);
}

unsigned int ratewin_task_class(struct task_struct *task)
{
	return READ_ONCE(task->ratewin_class);
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
 *
 * Kernel threads are refused: they make no system calls to throttle,
 * and every kernel thread kthreadd starts would inherit its class.
 *
 * RETURNS:
 * 0, -ERANGE for an unknown class, -EINVAL for a kernel thread, -EPERM
 * when not allowed.
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
	from = READ_ONCE(task->ratewin_class);
	if (id != from)
		err = may_move(task, from, cred);
	if (!err && id != from) {
		read_lock(&tasklist_lock);
		for_each_thread(task, t)
			WRITE_ONCE(t->ratewin_class, id);
		read_unlock(&tasklist_lock);
	}
	mutex_unlock(&move_lock);
	return err;
}
