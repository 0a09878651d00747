// SPDX-License-Identifier: GPL-2.0
/*
 * Rate windows: throttle the file and network I/O of classes of processes.
 *
 * After K. D. Ryu, J. K. Hollingsworth and P. J. Keleher, "Rate Windows for
 * Efficient Network and I/O Throttling".
 *
 * The model
 * =========
 *
 * Every task is unconstrained unless it has joined one of the constrained
 * classes. Each class has a rate R (bytes/s) for file I/O and another for
 * network I/O, the most all its members together may move. A class in mode
 * "always" is held to R all the time. A class in mode "shared" (the paper's
 * work-conserving policy) runs free until the unconstrained tasks are busy:
 * the system enters the throttled state when unconstrained bandwidth rises
 * above thresh_high and leaves it when it falls to thresh_low or below. The
 * gap between the two keeps the state from flapping near one threshold.
 *
 * The window
 * ==========
 *
 * A window is a ring of the last window_events I/O events (start, bytes), no
 * older than window_ms. Each class has one per kind of I/O, and so has the
 * unconstrained traffic. With
 *
 *	B_w = bytes in the window
 *	T_w = now - start of the oldest event in the window
 *
 * the window's rate is B_w / T_w. It is what a class's statistics show and
 * what the throttled state is decided on.
 *
 * What a class owes
 * =================
 *
 * The paper prices each new event from the window: the class is within its
 * rate if B_w / T_w <= R, and otherwise the member sleeps
 *
 *	delay = B_w / R - T_w
 *
 * That is the instant at which the window's bytes, moved at R from the start
 * of the oldest event, are paid for, less now. ratewin keeps that instant,
 * the class's clearing time C, for each class and kind of I/O, and moves it
 * on by what each event costs at R:
 *
 *	C = max(C, start - slack) + b / R
 *	delay = C - now
 *
 * where start is when the event's transfer began (for small calls, held
 * back and charged together, when they are charged).
 *
 * While the events stay in the window and come no faster than the class
 * pays for them, C is exactly the paper's oldest start + B_w / R. It differs
 * where the paper's window loses count:
 *
 * - Debt outlives the window. When events leave the ring before the class
 *   has paid for them, as they do when several members charge at once or a
 *   signal cuts a sleep short, B_w forgets them; C does not. Members queue
 *   behind each other: each sleeps until the class has paid for everything
 *   moved before it and by it, however many are busy.
 * - Idle time is not banked. After a quiet spell T_w reaches back to the
 *   oldest event, and the class could burst until it had used a window's
 *   worth of rate. C lags the start of the latest event by at most
 *   slack = max_sleep_us / 2, enough to absorb a late wakeup, so that a
 *   class streaming at R keeps to R.
 *
 * Worked example (the paper's): 10 kB writes at R = 500 kB/s, each owing
 * 20 ms. Once the first 50 ms of slack are used, each write moves C on by
 * 20 ms and its writer sleeps 20 ms; the window then holds 100 events in
 * 99 gaps of 20 ms, 1 MB over 1.98 s, and delay = 2 s - 1.98 s = 20 ms.
 *
 * Sleeps have no upper bound: a member sleeps until C, however far that is,
 * since that is what its class owes. Instead the pieces are bounded: a
 * caller moves a large I/O in pieces of at most what slack pays for at R
 * (ratewin_piece()). A class therefore runs ahead of R by at most
 * max_sleep_us worth of bytes over any interval, half of it slack and half
 * the piece in flight, plus one piece for each further busy member, and
 * what each member holds back (ratewin_hold()).
 * Delays shorter than min_sleep_us are waived: C keeps the debt, so a later
 * event pays it.
 *
 * A shared class owes only for what it moves while the system is
 * throttled: its events while free are recorded, for its statistics, but
 * do not move C. What it owed from an earlier throttled spell stands.
 * A change of a class's rate or mode starts the class afresh: its windows
 * are emptied, C is reset and every debt priced at the old limits is void,
 * as are the bytes members held back under them.
 * Each limit names its epoch with a debt id; a sleeping member holds the id
 * it owes to, and stops owing once that is stale.
 *
 * Unconstrained traffic
 * =====================
 *
 * Unconstrained tasks must not pay for the mechanism, so they only add their
 * bytes to a per-CPU counter. Constrained tasks (and readers of the state)
 * fold those counters into the unconstrained window at most once per
 * window_ms / window_events, so that a full window spans window_ms. The
 * throttled state begins when the window's rate, or its rate over the last
 * RATEWIN_REACT_NS, passes thresh_high, and ends when the window's falls to
 * thresh_low or below: with thresh_low at 0, once unconstrained I/O has
 * stopped for a window. Each fold is one event whose start is the previous
 * fold; after a gap longer than the window, only the window's share of the
 * bytes, taken as spread evenly over the gap, enters it.
 *
 * All arithmetic saturates instead of wrapping: rates are any u64, events
 * are clamped to RATEWIN_MAX_EVENT_BYTES, and no product exceeds 64 bits.
 */

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>

#include "ratewin.h"

#define CREATE_TRACE_POINTS
#include <trace/events/ratewin.h>

atomic_long_t ratewin_places __read_mostly = ATOMIC_LONG_INIT(1);

static u64 sat_add(u64 a, u64 b)
{
	u64 sum;

	return check_add_overflow(a, b, &sum) ? U64_MAX : sum;
}

static u64 sat_sub(u64 a, u64 b)
{
	return a > b ? a - b : 0;
}

/* @a * NSEC_PER_SEC / @b, or U64_MAX if that does not fit. */
static u64 mul_nsec_div(u64 a, u64 b)
{
	u64 whole = div64_u64(a, b);
	u64 rem = a - whole * b;

	if (whole > (U64_MAX - NSEC_PER_SEC) / NSEC_PER_SEC)
		return U64_MAX;
	/* rem < b, so the quotient is below NSEC_PER_SEC */
	return whole * NSEC_PER_SEC + mul_u64_u64_div_u64(rem, NSEC_PER_SEC, b);
}

/*
 * ns a byte takes at @rate bytes/s, in 32.32 fixed point, rounded up so
 * that a charge never costs less than it should; 0 for unlimited.
 */
static u64 ns_per_byte(u64 rate)
{
	u64 rem, npb;

	if (!rate)
		return 0;
	npb = div64_u64_rem((u64)NSEC_PER_SEC << 32, rate, &rem);
	return rem ? npb + 1 : npb;
}

/*
 * Time @bytes take at @limit's rate, which a charge prices without a
 * division; U64_MAX if that does not fit. Called with limit->lock held.
 */
static u64 limit_cost_ns(struct ratewin_limit *limit, u64 bytes)
{
	/* below 2^32 bytes the shifted product is below 2^62: it fits */
	if (bytes <= U32_MAX)
		return mul_u64_u64_shr(bytes, limit->ns_per_byte, 32);
	return mul_nsec_div(bytes, limit->rate);
}

/* Bytes that @ns allow at @rate bytes/s; U64_MAX if that does not fit. */
static u64 ns_to_bytes(u64 ns, u64 rate)
{
	u64 secs = div64_u64(ns, NSEC_PER_SEC);
	u64 rem = ns - secs * NSEC_PER_SEC;
	u64 whole;

	if (check_mul_overflow(secs, rate, &whole))
		return U64_MAX;
	/* rem < NSEC_PER_SEC, so the quotient is below rate */
	return sat_add(whole, mul_u64_u64_div_u64(rem, rate, NSEC_PER_SEC));
}

/* Bytes per second of @bytes moved in @ns, counting at least the minimum span. */
static u64 bytes_per_sec(u64 bytes, u64 ns)
{
	return mul_nsec_div(bytes, max_t(u64, ns, RATEWIN_MIN_SPAN_NS));
}

static struct ratewin_event *window_oldest(struct ratewin_window *win)
{
	return &win->ev[win->oldest];
}

/* Drop events that started before @cutoff, and the oldest beyond @keep. */
static void window_prune(struct ratewin_window *win, u64 cutoff,
			 unsigned int keep)
{
	while (win->count &&
	       (win->count > keep || window_oldest(win)->start_ns < cutoff)) {
		win->bytes -= window_oldest(win)->bytes;
		win->oldest = (win->oldest + 1) % RATEWIN_MAX_EVENTS;
		win->count--;
	}
}

/*
 * The caller has made room: window_prune() to at most RATEWIN_MAX_EVENTS - 1.
 * Events stay in the order they started: one that started before the
 * newest (a long transfer that ends after a short one) is taken as
 * starting with it.
 */
static void window_push(struct ratewin_window *win, u64 start, u64 bytes)
{
	unsigned int idx = (win->oldest + win->count) % RATEWIN_MAX_EVENTS;
	unsigned int newest = (idx + RATEWIN_MAX_EVENTS - 1) % RATEWIN_MAX_EVENTS;

	if (win->count)
		start = max(start, win->ev[newest].start_ns);

	bytes = min_t(u64, bytes, RATEWIN_MAX_EVENT_BYTES);
	win->ev[idx].start_ns = start;
	win->ev[idx].bytes = bytes;
	win->count++;
	win->bytes += bytes;
}

/* Rate of the events that started at or after @cutoff, without dropping any. */
static u64 window_rate(struct ratewin_window *win, u64 cutoff, u64 now)
{
	unsigned int i, idx;
	u64 bytes = win->bytes;

	for (i = 0; i < win->count; i++) {
		idx = (win->oldest + i) % RATEWIN_MAX_EVENTS;
		if (win->ev[idx].start_ns >= cutoff)
			return bytes_per_sec(bytes, sat_sub(now, win->ev[idx].start_ns));
		bytes -= win->ev[idx].bytes;
	}
	return 0;
}

static void window_clear(struct ratewin_window *win)
{
	win->oldest = 0;
	win->count = 0;
	win->bytes = 0;
}

static unsigned int window_events(struct ratewin *rwin)
{
	return READ_ONCE(rwin->window_events);	/* pairs with WRITE_ONCE() in sysfs.c */
}

static u64 window_cutoff(struct ratewin *rwin, u64 now)
{
	return sat_sub(now, ratewin_window_ns(rwin));
}

/*
 * Half a longest sleep: how far a class's clearing time may lag now, and
 * what a piece may cost. See "Sleeps have no upper bound" above.
 */
static u64 slack_ns(struct ratewin *rwin)
{
	return ratewin_max_sleep_ns(rwin) / 2;
}

/*
 * The part of @bytes, moved since @last_fold, that falls after @cutoff.
 * Nobody watched when they moved, so take them as spread evenly.
 */
static u64 fold_share(u64 bytes, u64 last_fold, u64 cutoff, u64 now)
{
	if (last_fold >= cutoff)
		return bytes;
	return mul_u64_u64_div_u64(bytes, now - cutoff, now - last_fold);
}

/*
 * Fold the per-CPU counts into the unconstrained window and move the
 * throttled state across the hysteresis band. Called with load->lock held.
 */
static void load_fold(struct ratewin *rwin, enum ratewin_io io, u64 now)
{
	struct ratewin_load *load = &rwin->load[io];
	unsigned long sum = 0, delta;
	u64 cutoff, rate;
	int cpu;

	/* a caller that read the clock before a racing fold must not go back */
	now = max(now, load->last_fold_ns);
	cutoff = window_cutoff(rwin, now);
	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(rwin->pcpu, cpu)->bytes[io];
	/*
	 * Unsigned arithmetic: right across wrap-around of the counters, if
	 * less than ULONG_MAX bytes moved since the last fold. On 32-bit, 4 GiB
	 * or more between two folds (after a pause in folding, or at 72 MB/s
	 * with a 60-s fold interval) come out short by a multiple of 4 GiB.
	 */
	delta = sum - load->folded;
	load->folded = sum;

	window_prune(&load->win, cutoff, window_events(rwin) - 1);
	if (delta)
		window_push(&load->win, max(load->last_fold_ns, cutoff),
			    fold_share(delta, load->last_fold_ns, cutoff, now));
	/* pairs with ratewin_read_u64() in load_refresh() */
	WRITE_ONCE(load->last_fold_ns, now);

	rate = window_rate(&load->win, cutoff, now);
	if (!load->throttled) {
		rate = max(rate, window_rate(&load->win,
					     max(cutoff, sat_sub(now, RATEWIN_REACT_NS)),
					     now));
		if (rate > load->thresh_high) {
			/* pairs with READ_ONCE() in ratewin_throttled() */
			WRITE_ONCE(load->throttled, true);
			trace_ratewin_throttle(io, true, rate);
		}
	} else if (rate <= load->thresh_low) {
		WRITE_ONCE(load->throttled, false);
		trace_ratewin_throttle(io, false, rate);
	}
}

/* Fold if a fold interval has passed: window_ms / window_events. */
static void load_refresh(struct ratewin *rwin, enum ratewin_io io, u64 now)
{
	struct ratewin_load *load = &rwin->load[io];
	u64 interval = div_u64(ratewin_window_ns(rwin), window_events(rwin));

	if (sat_sub(now, ratewin_read_u64(&load->lock, &load->last_fold_ns)) < interval)
		return;
	spin_lock(&load->lock);
	load_fold(rwin, io, now);
	spin_unlock(&load->lock);
}

/**
 * ratewin_throttled() - is unconstrained @io traffic heavy enough to throttle?
 * @rwin: the ratewin instance
 * @io: file or network
 * @now: current time in ns
 *
 * Return: true between rising above thresh_high and falling to thresh_low.
 */
bool ratewin_throttled(struct ratewin *rwin, enum ratewin_io io, u64 now)
{
	load_refresh(rwin, io, now);
	return READ_ONCE(rwin->load[io].throttled);
}

/* Does @cls's limit on @io hold right now? Its rate may still be 0. */
static bool limit_in_force(struct ratewin *rwin, struct ratewin_class *cls,
			   enum ratewin_io io, u64 now)
{
	if (!READ_ONCE(rwin->enabled))	/* pairs with WRITE_ONCE() in ratewin_set_enabled() */
		return false;
	if (READ_ONCE(cls->mode) == RATEWIN_MODE_ALWAYS)
		return true;
	return ratewin_throttled(rwin, io, now);
}

/* Waive delays too short to be worth a sleep. */
static u64 worth_sleeping(struct ratewin *rwin, u64 delay)
{
	return delay < ratewin_min_sleep_ns(rwin) ? 0 : delay;
}

/**
 * ratewin_piece() - how much of an I/O a class member should move in one go
 * @rwin: the ratewin instance
 * @id: the task's class, 1..RATEWIN_NR_CLASSES
 * @io: file or network
 * @bytes: size of the I/O the task is about to issue
 * @now: current time in ns
 *
 * Nothing is charged: the caller moves at most the piece, then charges what
 * it really moved with ratewin_charge().
 *
 * Return: all of @bytes where the class's limit is not in force, otherwise
 * at most what half of max_sleep_us pays for at the class's rate, and at
 * least one byte.
 */
u64 ratewin_piece(struct ratewin *rwin, unsigned int id, enum ratewin_io io,
		  u64 bytes, u64 now)
{
	struct ratewin_class *cls = ratewin_class_by_id(rwin, id);
	u64 rate;

	if (!cls || !limit_in_force(rwin, cls, io, now))
		return bytes;
	/* pairs with WRITE_ONCE() in ratewin_set_rate() */
	rate = ratewin_read_u64(&cls->limit[io].lock, &cls->limit[io].rate);
	if (!rate)
		return bytes;
	return clamp_t(u64, ns_to_bytes(slack_ns(rwin), rate), 1, bytes);
}

/*
 * Charge @bytes of @io to @cls, moved in the epoch of the debt id
 * @moved_in (0: the current one); what ratewin_charge() describes. Bytes
 * moved in an earlier epoch enter the window and the statistics, but owe
 * nothing: a change of limits forgave them.
 */
static struct ratewin_debt charge(struct ratewin *rwin, struct ratewin_class *cls,
				  enum ratewin_io io, u64 bytes, u64 start, u64 now,
				  u32 moved_in)
{
	struct ratewin_limit *limit = &cls->limit[io];
	struct ratewin_debt debt = { };
	bool in_force;
	u32 debt_id;

	if (!bytes)
		return debt;
	/* before the settings limit_in_force() reads: see limit_restart() */
	debt_id = smp_load_acquire(&limit->debt_id);
	in_force = limit_in_force(rwin, cls, io, now);

	spin_lock(&limit->lock);
	window_prune(&limit->win, window_cutoff(rwin, now), window_events(rwin) - 1);
	window_push(&limit->win, start, bytes);
	limit->stats.bytes = sat_add(limit->stats.bytes, bytes);
	limit->stats.events++;
	/* a new epoch since in_force was read: that read the old settings */
	if (limit->rate && in_force && limit->debt_id == debt_id &&
	    (!moved_in || moved_in == debt_id)) {
		/* pairs with ratewin_read_u64() in class_clears() */
		WRITE_ONCE(limit->clear_ns,
			   sat_add(max(limit->clear_ns, sat_sub(start, slack_ns(rwin))),
				   limit_cost_ns(limit, bytes)));
		debt.delay_ns = worth_sleeping(rwin, sat_sub(limit->clear_ns, now));
		debt.id = limit->debt_id;
	}
	spin_unlock(&limit->lock);
	return debt;
}

/**
 * ratewin_charge() - charge an I/O that a class member has just completed
 * @rwin: the ratewin instance
 * @id: the task's class, 1..RATEWIN_NR_CLASSES
 * @io: file or network
 * @bytes: bytes actually moved
 * @start: when their transfer began, at most @now
 * @now: current time in ns
 *
 * The event is stamped with @start: a class whose transfers take longer
 * than its slack would otherwise lose their time from what it may move.
 *
 * Return: what the member owes: how long until its class has paid for
 * everything moved so far, this I/O included (0 when the limit is not in
 * force or the delay is below min_sleep_us), and the debt id it is owed to.
 */
struct ratewin_debt ratewin_charge(struct ratewin *rwin, unsigned int id,
				   enum ratewin_io io, u64 bytes, u64 start, u64 now)
{
	struct ratewin_class *cls = ratewin_class_by_id(rwin, id);
	struct ratewin_debt none = { };

	return cls ? charge(rwin, cls, io, bytes, start, now, 0) : none;
}

/**
 * ratewin_release_held() - charge what a member holds to the limit it is for
 * @rwin: the ratewin instance
 * @held: what it holds, emptied
 * @now: current time in ns
 *
 * The member has left that class, or is exiting, or the limit has changed:
 * its class pays, in that limit's current epoch only, and the member owes
 * nothing for it.
 */
void ratewin_release_held(struct ratewin *rwin, struct ratewin_held *held, u64 now)
{
	unsigned int idx = held->id & RATEWIN_DEBT_INDEX_MASK;
	u64 bytes = held->bytes;

	held->bytes = 0;
	if (bytes && idx < RATEWIN_NR_CLASSES * RATEWIN_NR_IO)
		charge(rwin, &rwin->cls[idx / RATEWIN_NR_IO], idx % RATEWIN_NR_IO,
		       bytes, now, now, held->id);
}

/*
 * How long until @cls has paid for all it moved, but @less ns of it, under
 * each limit in force (0 if that is below min_sleep_us), and the debt id of
 * the limit that decides; nothing if no limit is in force.
 */
static struct ratewin_debt class_clears(struct ratewin *rwin, struct ratewin_class *cls,
					u64 less, u64 now)
{
	struct ratewin_debt turn = { };
	struct ratewin_limit *limit;
	unsigned int io;
	u64 clear_ns, wait;
	u32 debt_id;

	for (io = 0; io < RATEWIN_NR_IO; io++) {
		limit = &cls->limit[io];
		/* before the settings limit_in_force() reads: see limit_restart() */
		debt_id = smp_load_acquire(&limit->debt_id);
		if (!ratewin_read_u64(&limit->lock, &limit->rate) ||
		    !limit_in_force(rwin, cls, io, now))
			continue;
		/* pairs with WRITE_ONCE() in ratewin_charge() */
		clear_ns = ratewin_read_u64(&limit->lock, &limit->clear_ns);
		wait = sat_sub(sat_sub(clear_ns, less), now);
		if (!turn.id || wait > turn.delay_ns) {
			turn.delay_ns = wait;
			turn.id = debt_id;
		}
	}
	turn.delay_ns = worth_sleeping(rwin, turn.delay_ns);
	return turn;
}

/**
 * ratewin_newcomer() - what a task owes before it may start I/O in a class
 * @rwin: the ratewin instance
 * @id: the task's class, 1..RATEWIN_NR_CLASSES
 * @known: the debt id the task last owed to
 * @now: current time in ns
 *
 * A task that owes to one of its class's limits in their current epochs has
 * its place in the class's queue: its own debt. Any other member (a new
 * thread or process, or one whose limits have changed) queues behind the
 * whole class, for each kind of I/O, so that members cannot outrun their
 * class by coming fresh, whatever they are about to move. The caller makes
 * the wait the task's own debt, which gives the task its place.
 *
 * Return: nothing for a task with a place, or a class with no limit in
 * force; otherwise how long until the class has paid for all it moved but
 * its slack (0 if that is below min_sleep_us), and the debt id it is owed
 * to.
 */
struct ratewin_debt ratewin_newcomer(struct ratewin *rwin, unsigned int id,
				     u32 known, u64 now)
{
	struct ratewin_class *cls = ratewin_class_by_id(rwin, id);
	struct ratewin_debt none = { };

	if (!cls || ratewin_has_place(rwin, id, known))
		return none;
	return class_clears(rwin, cls, slack_ns(rwin), now);
}

/**
 * ratewin_class_debt() - what a member owes for I/O charged on its behalf
 * @rwin: the ratewin instance
 * @id: the task's class, 1..RATEWIN_NR_CLASSES
 * @now: current time in ns
 *
 * An io_uring request that completes where its submitter is not (an io-wq
 * worker) is charged to the class at once; the submitter then owes as if
 * it had been charged itself: until its class has paid for everything.
 *
 * Return: how long until the class has paid for all it moved (0 if that is
 * below min_sleep_us), and the debt id it is owed to; nothing for a class
 * with no limit in force.
 */
struct ratewin_debt ratewin_class_debt(struct ratewin *rwin, unsigned int id, u64 now)
{
	struct ratewin_class *cls = ratewin_class_by_id(rwin, id);
	struct ratewin_debt none = { };

	return cls ? class_clears(rwin, cls, 0, now) : none;
}

/**
 * ratewin_slept() - count a sleep a member of @limit's class took for it
 * @limit: the limit the sleep paid
 * @ns: how long the member really slept
 */
void ratewin_slept(struct ratewin_limit *limit, u64 ns)
{
	spin_lock(&limit->lock);
	limit->stats.sleeps++;
	limit->stats.sleep_ns = sat_add(limit->stats.sleep_ns, ns);
	spin_unlock(&limit->lock);
}

/*
 * Start a limit afresh: nothing measured, nothing owed, and a new epoch, so
 * that debts priced at the old settings are void. Called with limit->lock
 * held; the caller wakes the sleepers once it is dropped.
 */
static void limit_restart(struct ratewin_limit *limit)
{
	u32 next = limit->debt_id + RATEWIN_DEBT_EPOCH;

	/* epoch 0 would let an id be 0, which means "no debt" */
	if (next < RATEWIN_DEBT_EPOCH)
		next += RATEWIN_DEBT_EPOCH;
	window_clear(&limit->win);
	WRITE_ONCE(limit->clear_ns, 0);
	/*
	 * After the new rate, mode or enabled: whoever reads the new epoch
	 * (smp_load_acquire()) then reads the settings it stands for.
	 */
	smp_store_release(&limit->debt_id, next);
	/* and whoever reads the new count then reads the new epoch */
	atomic_long_inc_return_release(&ratewin_places);
}

/*
 * What a member may hold back: what half a shortest sleep pays for at the
 * limit's rate. Called with limit->lock held.
 */
static void limit_set_hold(struct ratewin *rwin, struct ratewin_limit *limit)
{
	u64 half = ratewin_min_sleep_ns(rwin) / 2;
	u64 bytes = limit->rate ? ns_to_bytes(half, limit->rate) : RATEWIN_HOLD_MAX;

	WRITE_ONCE(limit->hold_bytes, half ? min_t(u64, bytes, RATEWIN_HOLD_MAX) : 0);
}

/**
 * ratewin_set_rate() - set one of a class's rates
 * @cls: the class
 * @io: file or network
 * @rate: bytes/s, 0 for unlimited
 *
 * A new rate starts the limit afresh and wakes its sleepers.
 */
void ratewin_set_rate(struct ratewin_class *cls, enum ratewin_io io, u64 rate)
{
	struct ratewin_limit *limit = &cls->limit[io];
	bool changed;

	spin_lock(&limit->lock);
	changed = limit->rate != rate;
	if (changed) {
		WRITE_ONCE(limit->rate, rate);
		limit->ns_per_byte = ns_per_byte(rate);
		limit_set_hold(cls->rwin, limit);
		limit_restart(limit);
	}
	spin_unlock(&limit->lock);
	if (changed)
		wake_up_all(&limit->sleepers);
}

static void class_restart(struct ratewin_class *cls)
{
	unsigned int io;

	for (io = 0; io < RATEWIN_NR_IO; io++) {
		spin_lock(&cls->limit[io].lock);
		limit_restart(&cls->limit[io]);
		spin_unlock(&cls->limit[io].lock);
		wake_up_all(&cls->limit[io].sleepers);
	}
}

/**
 * ratewin_set_min_sleep() - set the shortest sleep
 * @rwin: the ratewin instance
 * @us: in microseconds
 *
 * What members may hold back follows it. Called with ratewin.lock held.
 */
void ratewin_set_min_sleep(struct ratewin *rwin, u32 us)
{
	struct ratewin_limit *limit;
	unsigned int i, io;

	WRITE_ONCE(rwin->min_sleep_us, us);
	for (i = 0; i < RATEWIN_NR_CLASSES; i++) {
		for (io = 0; io < RATEWIN_NR_IO; io++) {
			limit = &rwin->cls[i].limit[io];
			spin_lock(&limit->lock);
			limit_set_hold(rwin, limit);
			spin_unlock(&limit->lock);
		}
	}
}

/**
 * ratewin_set_mode() - set a class's mode
 * @cls: the class
 * @mode: shared or always
 *
 * A new mode starts the class's limits afresh and wakes their sleepers.
 */
void ratewin_set_mode(struct ratewin_class *cls, enum ratewin_mode mode)
{
	struct ratewin *rwin = cls->rwin;
	bool changed;

	spin_lock(&rwin->lock);
	changed = cls->mode != mode;
	WRITE_ONCE(cls->mode, mode);	/* pairs with READ_ONCE() in limit_in_force() */
	spin_unlock(&rwin->lock);
	if (changed)
		class_restart(cls);
}

/**
 * ratewin_set_enabled() - turn every limit on or off
 * @rwin: the ratewin instance
 * @enabled: whether limits hold
 *
 * A change starts every class afresh and wakes every sleeper.
 */
void ratewin_set_enabled(struct ratewin *rwin, bool enabled)
{
	unsigned int i;
	bool changed;

	spin_lock(&rwin->lock);
	changed = rwin->enabled != enabled;
	WRITE_ONCE(rwin->enabled, enabled);	/* pairs with READ_ONCE() in limit_in_force() */
	spin_unlock(&rwin->lock);
	for (i = 0; changed && i < RATEWIN_NR_CLASSES; i++)
		class_restart(&rwin->cls[i]);
}

/**
 * ratewin_unconstrained_rate() - unconstrained bandwidth over the window
 * @rwin: the ratewin instance
 * @io: file or network
 * @now: current time in ns
 *
 * Return: bytes/s, as the hysteresis sees it.
 */
u64 ratewin_unconstrained_rate(struct ratewin *rwin, enum ratewin_io io, u64 now)
{
	struct ratewin_load *load = &rwin->load[io];
	u64 rate;

	load_refresh(rwin, io, now);
	spin_lock(&load->lock);
	rate = window_rate(&load->win, window_cutoff(rwin, now), now);
	spin_unlock(&load->lock);
	return rate;
}

/**
 * ratewin_class_rate() - a class's bandwidth over its window
 * @cls: the class
 * @io: file or network
 * @now: current time in ns
 *
 * Return: bytes/s over the events of the last window_ms.
 */
u64 ratewin_class_rate(struct ratewin_class *cls, enum ratewin_io io, u64 now)
{
	struct ratewin_limit *limit = &cls->limit[io];
	u64 rate;

	spin_lock(&limit->lock);
	rate = window_rate(&limit->win, window_cutoff(cls->rwin, now), now);
	spin_unlock(&limit->lock);
	return rate;
}

static void load_init(struct ratewin_load *load, u64 high, u64 low)
{
	spin_lock_init(&load->lock);
	load->thresh_high = high;
	load->thresh_low = low;
}

static void limit_init(struct ratewin *rwin, struct ratewin_limit *limit,
		       unsigned int idx)
{
	spin_lock_init(&limit->lock);
	init_waitqueue_head(&limit->sleepers);
	limit->debt_id = RATEWIN_DEBT_EPOCH | idx;
	limit_set_hold(rwin, limit);
}

/**
 * ratewin_setup() - give a zeroed instance its defaults
 * @rwin: the instance, zeroed
 * @pcpu: the per-CPU counters of the unconstrained bytes it is to fold
 */
void ratewin_setup(struct ratewin *rwin, struct ratewin_pcpu __percpu *pcpu)
{
	unsigned int i, io;

	BUILD_BUG_ON(RATEWIN_NR_CLASSES * RATEWIN_NR_IO > RATEWIN_DEBT_INDEX_MASK + 1);
	rwin->pcpu = pcpu;
	spin_lock_init(&rwin->lock);
	rwin->enabled = true;
	rwin->window_events = RATEWIN_DEFAULT_WINDOW_EVENTS;
	rwin->window_ms = RATEWIN_DEFAULT_WINDOW_MS;
	rwin->min_sleep_us = RATEWIN_DEFAULT_MIN_SLEEP_US;
	rwin->max_sleep_us = RATEWIN_DEFAULT_MAX_SLEEP_US;
	load_init(&rwin->load[RATEWIN_FILE], RATEWIN_DEFAULT_FILE_HIGH,
		  RATEWIN_DEFAULT_FILE_LOW);
	load_init(&rwin->load[RATEWIN_NET], RATEWIN_DEFAULT_NET_HIGH,
		  RATEWIN_DEFAULT_NET_LOW);

	for (i = 0; i < RATEWIN_NR_CLASSES; i++) {
		rwin->cls[i].rwin = rwin;
		rwin->cls[i].id = i + 1;
		rwin->cls[i].mode = RATEWIN_MODE_SHARED;
		for (io = 0; io < RATEWIN_NR_IO; io++)
			limit_init(rwin, &rwin->cls[i].limit[io], i * RATEWIN_NR_IO + io);
	}
}
