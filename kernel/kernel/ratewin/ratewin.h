/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate windows: state shared by the core, its sysfs interface and its tests.
 * core.c explains the mechanism.
 */
#ifndef _KERNEL_RATEWIN_RATEWIN_H
#define _KERNEL_RATEWIN_RATEWIN_H

#include <linux/kobject.h>
#include <linux/percpu.h>
#include <linux/ratewin.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/wait.h>

enum ratewin_mode {
	RATEWIN_MODE_SHARED,	/* limited only while the system is throttled */
	RATEWIN_MODE_ALWAYS,	/* limited all the time: a hard cap */
};

/* Constrained classes are numbered 1..RATEWIN_NR_CLASSES. */
#define RATEWIN_NR_CLASSES		8

/* Size of every window's ring; window_events chooses how much of it is used. */
#define RATEWIN_MAX_EVENTS		256

/*
 * One event may carry at most this many bytes, so that a full ring never
 * overflows its u64 sum. Larger charges are clamped: 2^56 bytes take more
 * than eight days even at 100 GB/s, far beyond any sleep we would impose.
 */
#define RATEWIN_MAX_EVENT_BYTES		(U64_MAX / RATEWIN_MAX_EVENTS)

/*
 * The most a member holds back uncharged (ratewin_hold()), whatever its
 * class's rate: what an unlimited class's statistics may lag per member.
 */
#define RATEWIN_HOLD_MAX		SZ_64K

/* A window younger than this has no meaningful rate. */
#define RATEWIN_MIN_SPAN_NS		NSEC_PER_MSEC

/*
 * Unconstrained traffic enters the throttled state when either its window
 * rate or its rate over this recent stretch passes thresh_high: a window
 * that still holds seconds of light traffic would otherwise hide a busy
 * host for seconds. Leaving takes the whole window below thresh_low.
 */
#define RATEWIN_REACT_NS		(250 * NSEC_PER_MSEC)

/* Defaults: the paper's window, and its largest sleep. */
#define RATEWIN_DEFAULT_WINDOW_EVENTS	100
#define RATEWIN_DEFAULT_WINDOW_MS	5000
#define RATEWIN_DEFAULT_MIN_SLEEP_US	1000
#define RATEWIN_DEFAULT_MAX_SLEEP_US	100000
/* Unconstrained bandwidth (bytes/s) that enters and leaves the throttled state. */
#define RATEWIN_DEFAULT_FILE_HIGH	SZ_8M
#define RATEWIN_DEFAULT_FILE_LOW	SZ_4M
#define RATEWIN_DEFAULT_NET_HIGH	SZ_1M
#define RATEWIN_DEFAULT_NET_LOW		SZ_512K

/* Bounds of the tunables, in the units sysfs uses. */
#define RATEWIN_WINDOW_MS_MIN		10
#define RATEWIN_WINDOW_MS_MAX		(60 * MSEC_PER_SEC)
#define RATEWIN_SLEEP_US_MAX		(10 * USEC_PER_SEC)

struct ratewin_event {
	u64 start_ns;
	u64 bytes;
};

/* The paper's circular queue of recent I/O events. */
struct ratewin_window {
	unsigned int oldest;		/* ring index of the oldest event */
	unsigned int count;
	u64 bytes;			/* sum of the events' bytes */
	struct ratewin_event ev[RATEWIN_MAX_EVENTS];
};

struct ratewin_stats {
	u64 bytes;
	u64 events;
	u64 sleeps;
	u64 sleep_ns;
};

/*
 * A debt id names the limit a debt is owed to, by its index in the
 * instance, and the limit's epoch, which every change of its rate or of
 * its class's mode moves on. Epochs start at 1, so no id is 0.
 */
#define RATEWIN_DEBT_INDEX_MASK		0xfU
#define RATEWIN_DEBT_EPOCH		(RATEWIN_DEBT_INDEX_MASK + 1)

/*
 * One class's limit on one kind of I/O. Its members read the first cache
 * line on every call and write the rest on every charge, from any CPU: the
 * two are kept apart, and from other limits.
 */
struct ratewin_limit {
	/* Parameters, and the epoch: written under the lock, read without it too */
	u64 rate;			/* bytes/s; 0 is unlimited */
	u64 ns_per_byte;		/* 1 s / rate, 32.32 fixed point; 0 if unlimited */
	u32 hold_bytes;			/* what a member may hold back: ratewin_hold() */
	u32 debt_id;			/* what its members' debts are owed to */
	/* Variables */
	spinlock_t lock ____cacheline_aligned_in_smp;	/* protects every field */
	u64 clear_ns;			/* C: when the class will have paid */
	struct ratewin_window win;
	struct ratewin_stats stats;
	wait_queue_head_t sleepers;	/* members sleeping off a debt to it */
} ____cacheline_aligned_in_smp;

struct ratewin_class {
	struct kobject kobj;
	struct ratewin *rwin;
	unsigned int id;
	enum ratewin_mode mode;		/* written under ratewin.lock */
	struct ratewin_limit limit[RATEWIN_NR_IO];
};

/* Unconstrained traffic of one kind, and the throttled state it drives. */
struct ratewin_load {
	spinlock_t lock;		/* protects everything below */
	/* Parameters */
	u64 thresh_high;		/* bytes/s that enter the throttled state */
	u64 thresh_low;			/* bytes/s that leave it */
	/* Variables */
	struct ratewin_window win;	/* one event per fold of the per-CPU counts */
	unsigned long folded;		/* sum of the per-CPU counts at the last fold */
	u64 last_fold_ns;
	bool throttled;
};

struct ratewin {
	struct kobject kobj;
	spinlock_t lock;		/* serialises stores of the tunables below */
	bool enabled;
	unsigned int window_events;
	/*
	 * In sysfs's units, so that each is one machine word, which lockless
	 * readers cannot see half written: the ratewin_*_ns() helpers read them.
	 */
	u32 window_ms;
	u32 min_sleep_us;
	u32 max_sleep_us;
	/* what it folds: ratewin_unconstrained, or a KUnit test's own */
	struct ratewin_pcpu __percpu *pcpu;
	struct ratewin_load load[RATEWIN_NR_IO];
	struct ratewin_class cls[RATEWIN_NR_CLASSES];
};

/* How long the window spans. */
static inline u64 ratewin_window_ns(struct ratewin *rwin)
{
	return (u64)READ_ONCE(rwin->window_ms) * NSEC_PER_MSEC;	/* pairs with sysfs.c */
}

/* Shorter delays are waived. */
static inline u64 ratewin_min_sleep_ns(struct ratewin *rwin)
{
	return (u64)READ_ONCE(rwin->min_sleep_us) * NSEC_PER_USEC;	/* pairs with sysfs.c */
}

/* Twice the most a piece of I/O may cost; see core.c. */
static inline u64 ratewin_max_sleep_ns(struct ratewin *rwin)
{
	return (u64)READ_ONCE(rwin->max_sleep_us) * NSEC_PER_USEC;	/* pairs with sysfs.c */
}

/*
 * A u64 its writers change under @lock, read without it where a 64-bit load
 * is a single access. A 32-bit machine loads it in two halves, which a
 * writer could come between, so it takes the lock, which the caller must
 * not hold. Process context only, as every user of these locks.
 */
static inline u64 ratewin_read_u64(spinlock_t *lock, const u64 *val)
{
	u64 copy;

	/* checked on 64-bit too, where lockdep runs */
	lockdep_assert_not_held(lock);
	if (IS_ENABLED(CONFIG_64BIT))
		return READ_ONCE(*val);
	spin_lock(lock);
	copy = *val;
	spin_unlock(lock);
	return copy;
}

/* What a class member owes after a charge. */
struct ratewin_debt {
	u64 delay_ns;			/* until its class has paid; 0: nothing */
	u32 id;				/* the limit and epoch it is owed to */
};

void ratewin_setup(struct ratewin *rwin, struct ratewin_pcpu __percpu *pcpu);

u64 ratewin_piece(struct ratewin *rwin, unsigned int id, enum ratewin_io io,
		  u64 bytes, u64 now);
void ratewin_release_held(struct ratewin *rwin, struct ratewin_held *held, u64 now);
struct ratewin_debt ratewin_charge(struct ratewin *rwin, unsigned int id,
				   enum ratewin_io io, u64 bytes, u64 start, u64 now);
struct ratewin_debt ratewin_newcomer(struct ratewin *rwin, unsigned int id,
				     u32 known, u64 now);
struct ratewin_debt ratewin_class_debt(struct ratewin *rwin, unsigned int id, u64 now);
void ratewin_slept(struct ratewin_limit *limit, u64 ns);

bool ratewin_throttled(struct ratewin *rwin, enum ratewin_io io, u64 now);
u64 ratewin_unconstrained_rate(struct ratewin *rwin, enum ratewin_io io, u64 now);
u64 ratewin_class_rate(struct ratewin_class *cls, enum ratewin_io io, u64 now);

void ratewin_set_rate(struct ratewin_class *cls, enum ratewin_io io, u64 rate);
void ratewin_set_mode(struct ratewin_class *cls, enum ratewin_mode mode);
void ratewin_set_min_sleep(struct ratewin *rwin, u32 us);
void ratewin_set_enabled(struct ratewin *rwin, bool enabled);

extern struct ratewin *ratewin_instance;
void ratewin_limits_changed(void);
int ratewin_sysfs_add(struct ratewin *rwin);

#if IS_ENABLED(CONFIG_KUNIT)
/* The KUnit suite reads and writes the attributes through these. */
extern const struct attribute_group *ratewin_groups[];
extern const struct attribute_group *ratewin_class_groups[];
#endif

/*
 * The lookups every call of a constrained task makes: inline, and without
 * the limits' locks, whose epochs (debt ids) they read once each.
 */

/* Class @id, 1..RATEWIN_NR_CLASSES; NULL for the unconstrained, or no class. */
static inline struct ratewin_class *ratewin_class_by_id(struct ratewin *rwin, unsigned int id)
{
	if (id == RATEWIN_UNCONSTRAINED || id > RATEWIN_NR_CLASSES)
		return NULL;
	return &rwin->cls[id - 1];
}

/**
 * ratewin_debt_limit() - the limit a debt is owed to
 * @rwin: the ratewin instance
 * @debt_id: a debt id from ratewin_charge()
 *
 * Return: the limit, or NULL if the debt is void: its limit has changed
 * since it was charged.
 */
static inline struct ratewin_limit *ratewin_debt_limit(struct ratewin *rwin, u32 debt_id)
{
	unsigned int idx = debt_id & RATEWIN_DEBT_INDEX_MASK;
	struct ratewin_limit *limit;

	if (idx >= RATEWIN_NR_CLASSES * RATEWIN_NR_IO)
		return NULL;
	limit = &rwin->cls[idx / RATEWIN_NR_IO].limit[idx % RATEWIN_NR_IO];
	/* a stale id is void, whatever else is read or not */
	return READ_ONCE(limit->debt_id) == debt_id ? limit : NULL;
}

/**
 * ratewin_has_place() - has a member its place in its class's queue?
 * @rwin: the ratewin instance
 * @id: the task's class (0, or more than RATEWIN_NR_CLASSES: no place)
 * @known: the debt id the task last owed to
 *
 * Return: true if @known is owed to one of the class's limits in its
 * current epoch.
 */
static inline bool ratewin_has_place(struct ratewin *rwin, unsigned int id, u32 known)
{
	/* the class of @known's limit, whatever @id is (0 wraps to no class) */
	return ratewin_debt_limit(rwin, known) &&
	       (known & RATEWIN_DEBT_INDEX_MASK) / RATEWIN_NR_IO == id - 1;
}

/**
 * ratewin_held_elsewhere() - are a member's held bytes for another limit?
 * @rwin: the ratewin instance
 * @id: the task's class now, 0 if it has left all classes
 * @io: the kind of I/O it is about to charge
 * @held: what it holds of @io
 *
 * Return: true if @held holds bytes for another class, or for an earlier
 * epoch of this limit: they must be released before any more are held.
 */
static inline bool ratewin_held_elsewhere(struct ratewin *rwin, unsigned int id,
					  enum ratewin_io io,
					  const struct ratewin_held *held)
{
	struct ratewin_class *cls = ratewin_class_by_id(rwin, id);

	return held->bytes && (!cls || held->id != READ_ONCE(cls->limit[io].debt_id));
}

/**
 * ratewin_hold() - keep a member's small I/O back, to charge it with more
 * @rwin: the ratewin instance
 * @id: the task's class, 1..RATEWIN_NR_CLASSES
 * @io: file or network
 * @held: what the member holds of @io: nothing, or bytes held for this
 *	limit in its current epoch (ratewin_held_elsewhere())
 * @bytes: bytes it has just moved
 *
 * A charge takes the clock and its class's lock. Calls that cost less
 * than that need not each pay for it: a member holds its bytes back until
 * they cost half a shortest sleep at its class's rate (a sleep that short
 * would be waived anyway), or RATEWIN_HOLD_MAX bytes. Its class may so run
 * ahead of its rate by that much per member, and notices the throttled
 * state that much later. Every byte is charged once: the caller charges
 * what is returned, and releases what is held for another class or epoch
 * (ratewin_release_held()), and what is left when the task exits.
 *
 * Return: 0 if @bytes are held with @held, otherwise all the bytes to
 * charge now, @held emptied.
 */
static inline u64 ratewin_hold(struct ratewin *rwin, unsigned int id,
			       enum ratewin_io io, struct ratewin_held *held,
			       u64 bytes)
{
	struct ratewin_class *cls = ratewin_class_by_id(rwin, id);
	u64 total = held->bytes + bytes;
	struct ratewin_limit *limit;

	if (cls) {
		limit = &cls->limit[io];
		/* pairs with WRITE_ONCE() in limit_set_hold() */
		if (total < READ_ONCE(limit->hold_bytes)) {
			held->bytes = total;
			held->id = READ_ONCE(limit->debt_id);
			return 0;
		}
	}
	held->bytes = 0;
	return total;
}

#endif /* _KERNEL_RATEWIN_RATEWIN_H */
