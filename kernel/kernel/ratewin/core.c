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
 * above thresh_high and leaves it when it falls below thresh_low. The gap
 * between the two keeps the state from flapping near one threshold.
 *
 * The window
 * ==========
 *
 * A window is a ring of the last window_events I/O events (start, bytes), no
 * older than window_ns. Each class has one per kind of I/O. When a member
 * has moved b bytes at time now, the event enters the window and
 *
 *	B_w = bytes in the window, this event included
 *	T_w = now - start of the oldest event in the window
 *
 * The class is within its rate if B_w / T_w <= R. Otherwise the task owes
 *
 *	delay = B_w / R - T_w
 *
 * which is the paper's formula with T_w ending at the completion of the new
 * operation: we charge after the transfer, when it has just completed.
 *
 * Worked example (the paper's): 10 kB writes at R = 500 kB/s. The first
 * write owes 10 kB / 500 kB/s = 20 ms. The writer sleeps, writes again at
 * 20 ms: B_w = 20 kB, T_w = 20 ms, delay = 40 ms - 20 ms = 20 ms, and so on
 * in steady state, also once the ring is full: with 100 events B_w = 1 MB,
 * T_w = 99 * 20 ms, delay = 2 s - 1.98 s = 20 ms.
 *
 * A class cannot bank unused time beyond max_sleep_ns: after a quiet spell
 * its T_w counts from at most that long before its bytes were paid for, so
 * it may burst by one sleep's worth, not by a whole window's.
 *
 * Delays shorter than min_sleep_ns are waived: such a sleep costs more than
 * it saves, and the window remembers the debt, so a later event pays it.
 * Delays longer than max_sleep_ns make the stream bursty, so a caller asks
 * ratewin_decide() first and moves a large I/O in pieces, each small enough
 * to be paid for within max_sleep_ns. An event that could not be split (a
 * socket send, one page at a very low rate) may sleep what it costs by
 * itself, up to window_ns; any debt beyond stays in the window for the next
 * event. Capped at max_sleep_ns instead, a class sending 64 kB at a time at
 * 256 kB/s would pay 100 ms of each 250 ms it owes, and the rest would leave
 * the window unpaid: measured, it moved 2.5 times its rate.
 *
 * Unconstrained traffic
 * =====================
 *
 * Unconstrained tasks must not pay for the mechanism, so they only add their
 * bytes to a per-CPU counter. Constrained tasks (and readers of the state)
 * fold those counters into the unconstrained window at most once per
 * window_ns / window_events, so that a full window spans window_ns. The
 * throttled state begins when the window's rate, or its rate over the last
 * RATEWIN_REACT_NS, passes thresh_high, and ends when the window's falls
 * below thresh_low. Each fold
 * is one event whose start is the previous fold; after a gap longer than the
 * window, only the window's share of the bytes, taken as spread evenly over
 * the gap, enters it.
 *
 * A shared class forgives the debt it ran up before the system became
 * throttled: only its events since then count, so it drops to R at once
 * instead of paying for its free run.
 *
 * All arithmetic saturates instead of wrapping: rates are any u64, events
 * are clamped to RATEWIN_MAX_EVENT_BYTES, and no product exceeds 64 bits.
 */

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "ratewin.h"
#include <trace/events/ratewin.h>

static u64 sat_add(u64 a, u64 b)
{
	u64 sum;

	return check_add_overflow(a, b, &sum) ? U64_MAX : sum;
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

/* Time @bytes take at @rate bytes/s; U64_MAX if that does not fit. */
static u64 bytes_to_ns(u64 bytes, u64 rate)
{
	return mul_nsec_div(bytes, rate);
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

static u64 ago(u64 now, u64 ns)
{
	return now > ns ? now - ns : 0;
}

static struct ratewin_event *window_oldest(struct ratewin_window *win)
{
	return &win->ev[win->oldest];
}

/*
 * T_w for a class: from the start of the oldest event, or the window's
 * origin if that is later, to @now; 0 for an empty window.
 *
 * A window banks at most @credit of unused time: when T_w exceeds what its
 * bytes took at @rate by more than that, the origin moves up. Without this a
 * class that did one small read and then nothing for almost a window could
 * burst at full speed until it had used that whole window's worth of rate.
 */
static u64 window_span(struct ratewin_window *win, u64 rate, u64 credit, u64 now)
{
	u64 span, earned;

	if (!win->count)
		return 0;
	span = ago(now, max(window_oldest(win)->start_ns, win->origin_ns));
	earned = sat_add(bytes_to_ns(win->bytes, rate), credit);
	if (span > earned) {
		win->origin_ns = now - earned;
		span = earned;
	}
	return span;
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

/* The caller has made room: window_prune() to at most RATEWIN_MAX_EVENTS - 1. */
static void window_push(struct ratewin_window *win, u64 start, u64 bytes)
{
	unsigned int idx = (win->oldest + win->count) % RATEWIN_MAX_EVENTS;

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
			return bytes_per_sec(bytes, ago(now, win->ev[idx].start_ns));
		bytes -= win->ev[idx].bytes;
	}
	return 0;
}

/* What a window holding @bytes over @span owes at @rate: B_w / R - T_w. */
static u64 debt_ns(u64 bytes, u64 span, u64 rate)
{
	return ago(bytes_to_ns(bytes, rate), span);
}

struct ratewin_class *ratewin_class(struct ratewin *rw, unsigned int id)
{
	if (id == RATEWIN_UNCONSTRAINED || id > RATEWIN_NR_CLASSES)
		return NULL;
	return &rw->cls[id - 1];
}

static unsigned int window_events(struct ratewin *rw)
{
	return READ_ONCE(rw->window_events);	/* pairs with WRITE_ONCE() in sysfs.c */
}

static u64 window_cutoff(struct ratewin *rw, u64 now)
{
	return ago(now, READ_ONCE(rw->window_ns));	/* pairs with WRITE_ONCE() in sysfs.c */
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
static void load_fold(struct ratewin *rw, enum ratewin_io io, u64 now)
{
	struct ratewin_load *load = &rw->load[io];
	unsigned long sum = 0, delta;
	u64 cutoff, rate;
	int cpu;

	/* a caller that read the clock before a racing fold must not go back */
	now = max(now, load->last_fold_ns);
	cutoff = window_cutoff(rw, now);
	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(rw->pcpu, cpu)->bytes[io];
	/* unsigned arithmetic: right across wrap-around of the counters */
	delta = sum - load->folded;
	load->folded = sum;

	window_prune(&load->win, cutoff, window_events(rw) - 1);
	if (delta)
		window_push(&load->win, max(load->last_fold_ns, cutoff),
			    fold_share(delta, load->last_fold_ns, cutoff, now));
	/* pairs with READ_ONCE() in load_refresh() */
	WRITE_ONCE(load->last_fold_ns, now);

	rate = window_rate(&load->win, cutoff, now);
	if (load->throttled_since_ns == RATEWIN_UNTHROTTLED) {
		rate = max(rate, window_rate(&load->win,
					     max(cutoff, ago(now, RATEWIN_REACT_NS)), now));
		if (rate > load->thresh_high) {
			/* pairs with READ_ONCE() in throttled_since() */
			WRITE_ONCE(load->throttled_since_ns, now);
			trace_ratewin_throttle(io, true, rate);
		}
	} else if (rate < load->thresh_low) {
		WRITE_ONCE(load->throttled_since_ns, RATEWIN_UNTHROTTLED);
		trace_ratewin_throttle(io, false, rate);
	}
}

/* Fold if a fold interval has passed: window_ns / window_events. */
static void load_refresh(struct ratewin *rw, enum ratewin_io io, u64 now)
{
	struct ratewin_load *load = &rw->load[io];
	u64 interval = div_u64(READ_ONCE(rw->window_ns), window_events(rw));

	if (ago(now, READ_ONCE(load->last_fold_ns)) < interval)
		return;
	spin_lock(&load->lock);
	load_fold(rw, io, now);
	spin_unlock(&load->lock);
}

static u64 throttled_since(struct ratewin *rw, enum ratewin_io io, u64 now)
{
	load_refresh(rw, io, now);
	return READ_ONCE(rw->load[io].throttled_since_ns);
}

/**
 * ratewin_throttled() - is unconstrained @io traffic heavy enough to throttle?
 * @rw: the ratewin instance
 * @io: file or network
 * @now: current time in ns
 *
 * RETURNS:
 * true between crossing thresh_high upwards and thresh_low downwards.
 */
bool ratewin_throttled(struct ratewin *rw, enum ratewin_io io, u64 now)
{
	return throttled_since(rw, io, now) != RATEWIN_UNTHROTTLED;
}

/*
 * The oldest start that counts against a class's limit, or U64_MAX when the
 * limit is not in force right now.
 */
static u64 limit_cutoff(struct ratewin *rw, struct ratewin_class *cls,
			enum ratewin_io io, u64 now)
{
	u64 since;

	if (!READ_ONCE(rw->enabled))	/* pairs with WRITE_ONCE() in sysfs.c */
		return U64_MAX;
	if (READ_ONCE(cls->mode) == RATEWIN_MODE_ALWAYS)
		return window_cutoff(rw, now);
	since = throttled_since(rw, io, now);
	if (since == RATEWIN_UNTHROTTLED)
		return U64_MAX;
	return max(window_cutoff(rw, now), since);
}

/* The longest sleep a charge of @bytes may owe: see "Delays longer" above. */
static u64 sleep_cap(struct ratewin *rw, u64 bytes, u64 rate, u64 max_sleep)
{
	u64 own = min(bytes_to_ns(bytes, rate), READ_ONCE(rw->window_ns));

	return max(max_sleep, own);
}

/* Waive delays too short to be worth a sleep. */
static u64 worth_sleeping(struct ratewin *rw, u64 delay)
{
	return delay < READ_ONCE(rw->min_sleep_ns) ? 0 : delay;
}

/*
 * Where a limit is not in force the window still records the class's
 * events, for its statistics, for window_ns.
 */
static u64 record_cutoff(struct ratewin *rw, u64 limit_cutoff, u64 now)
{
	return limit_cutoff == U64_MAX ? window_cutoff(rw, now) : limit_cutoff;
}

/**
 * ratewin_decide() - how much of an I/O a class member may move now
 * @rw: the ratewin instance
 * @id: the task's class, 1..RATEWIN_NR_CLASSES
 * @io: file or network
 * @bytes: size of the I/O the task is about to issue
 * @now: current time in ns
 *
 * Nothing is charged: the caller moves at most the piece, then charges what
 * it really moved with ratewin_charge().
 *
 * RETURNS:
 * .piece: all of @bytes, or the largest piece whose transfer can be paid for
 * within max_sleep_ns (at least one byte); .delay_ns: what moving the whole
 * piece would cost, 0 if that is below min_sleep_ns.
 */
struct ratewin_verdict ratewin_decide(struct ratewin *rw, unsigned int id,
				      enum ratewin_io io, u64 bytes, u64 now)
{
	struct ratewin_verdict v = { .piece = bytes, .delay_ns = 0 };
	struct ratewin_class *cls = ratewin_class(rw, id);
	u64 max_sleep = READ_ONCE(rw->max_sleep_ns);
	struct ratewin_limit *limit;
	u64 cutoff, span, allowed;

	if (!cls)
		return v;
	limit = &cls->limit[io];
	cutoff = limit_cutoff(rw, cls, io, now);

	spin_lock(&limit->lock);
	if (!limit->rate || cutoff == U64_MAX)
		goto out;
	window_prune(&limit->win, cutoff, window_events(rw) - 1);
	span = window_span(&limit->win, limit->rate, max_sleep, now);
	v.delay_ns = debt_ns(sat_add(limit->win.bytes, bytes), span, limit->rate);
	if (v.delay_ns <= max_sleep)
		goto out;

	allowed = ns_to_bytes(sat_add(max_sleep, span), limit->rate);
	if (allowed > limit->win.bytes)
		v.piece = min(bytes, allowed - limit->win.bytes);
	else	/* the window's debt alone exceeds a sleep: move a sleep's worth */
		v.piece = clamp_t(u64, ns_to_bytes(max_sleep, limit->rate), 1, bytes);
	v.delay_ns = min(max_sleep,
			 debt_ns(sat_add(limit->win.bytes, v.piece), span, limit->rate));
out:
	spin_unlock(&limit->lock);
	v.delay_ns = worth_sleeping(rw, v.delay_ns);
	return v;
}

/**
 * ratewin_charge() - charge an I/O that a class member has just completed
 * @rw: the ratewin instance
 * @id: the task's class, 1..RATEWIN_NR_CLASSES
 * @io: file or network
 * @bytes: bytes actually moved
 * @now: current time in ns
 *
 * RETURNS:
 * How long the task must sleep to keep its class within its rate, in ns:
 * 0 when the limit is not in force or the delay is below min_sleep_ns, at
 * most max_sleep_ns or what @bytes alone cost, up to window_ns (the window
 * keeps any remaining debt).
 */
u64 ratewin_charge(struct ratewin *rw, unsigned int id, enum ratewin_io io,
		   u64 bytes, u64 now)
{
	struct ratewin_class *cls = ratewin_class(rw, id);
	u64 max_sleep = READ_ONCE(rw->max_sleep_ns);
	u64 cutoff, span, delay = 0;
	struct ratewin_limit *limit;

	if (!cls || !bytes)
		return 0;
	limit = &cls->limit[io];
	cutoff = limit_cutoff(rw, cls, io, now);

	spin_lock(&limit->lock);
	window_prune(&limit->win, record_cutoff(rw, cutoff, now),
		     window_events(rw) - 1);
	if (limit->rate && cutoff != U64_MAX) {
		span = window_span(&limit->win, limit->rate, max_sleep, now);
		delay = debt_ns(limit->win.bytes + min(bytes, RATEWIN_MAX_EVENT_BYTES),
				span, limit->rate);
		delay = min(delay, sleep_cap(rw, bytes, limit->rate, max_sleep));
		delay = worth_sleeping(rw, delay);
	}
	window_push(&limit->win, now, bytes);
	limit->stats.bytes = sat_add(limit->stats.bytes, bytes);
	limit->stats.events++;
	if (delay) {
		limit->stats.sleeps++;
		limit->stats.sleep_ns = sat_add(limit->stats.sleep_ns, delay);
	}
	spin_unlock(&limit->lock);
	return delay;
}

/**
 * ratewin_account_unconstrained() - count bytes moved by an unconstrained task
 * @rw: the ratewin instance
 * @io: file or network
 * @bytes: bytes moved
 *
 * Touches only this CPU's counter; the next fold sees it.
 */
void ratewin_account_unconstrained(struct ratewin *rw, enum ratewin_io io,
				   unsigned long bytes)
{
	this_cpu_add(rw->pcpu->bytes[io], bytes);
}

/**
 * ratewin_unconstrained_rate() - unconstrained bandwidth over the window
 * @rw: the ratewin instance
 * @io: file or network
 * @now: current time in ns
 *
 * RETURNS:
 * bytes/s, as the hysteresis sees it.
 */
u64 ratewin_unconstrained_rate(struct ratewin *rw, enum ratewin_io io, u64 now)
{
	struct ratewin_load *load = &rw->load[io];
	u64 rate;

	load_refresh(rw, io, now);
	spin_lock(&load->lock);
	rate = window_rate(&load->win, window_cutoff(rw, now), now);
	spin_unlock(&load->lock);
	return rate;
}

/**
 * ratewin_class_rate() - a class's bandwidth over its window
 * @cls: the class
 * @io: file or network
 * @now: current time in ns
 *
 * RETURNS:
 * bytes/s over the events of the last window_ns.
 */
u64 ratewin_class_rate(struct ratewin_class *cls, enum ratewin_io io, u64 now)
{
	struct ratewin_limit *limit = &cls->limit[io];
	u64 rate;

	spin_lock(&limit->lock);
	rate = window_rate(&limit->win, window_cutoff(cls->rw, now), now);
	spin_unlock(&limit->lock);
	return rate;
}

static void load_init(struct ratewin_load *load, u64 high, u64 low)
{
	spin_lock_init(&load->lock);
	load->thresh_high = high;
	load->thresh_low = low;
	load->throttled_since_ns = RATEWIN_UNTHROTTLED;
}

/**
 * ratewin_setup() - give a zeroed instance its defaults
 * @rw: the instance, zeroed
 *
 * RETURNS:
 * 0, or -ENOMEM if the per-CPU counters cannot be allocated.
 */
int ratewin_setup(struct ratewin *rw)
{
	unsigned int i, io;

	rw->pcpu = alloc_percpu(struct ratewin_pcpu);
	if (!rw->pcpu)
		return -ENOMEM;

	spin_lock_init(&rw->lock);
	rw->enabled = true;
	rw->window_events = RATEWIN_DEFAULT_WINDOW_EVENTS;
	rw->window_ns = RATEWIN_DEFAULT_WINDOW_NS;
	rw->min_sleep_ns = RATEWIN_DEFAULT_MIN_SLEEP_NS;
	rw->max_sleep_ns = RATEWIN_DEFAULT_MAX_SLEEP_NS;
	load_init(&rw->load[RATEWIN_FILE], RATEWIN_DEFAULT_FILE_HIGH,
		  RATEWIN_DEFAULT_FILE_LOW);
	load_init(&rw->load[RATEWIN_NET], RATEWIN_DEFAULT_NET_HIGH,
		  RATEWIN_DEFAULT_NET_LOW);

	for (i = 0; i < RATEWIN_NR_CLASSES; i++) {
		rw->cls[i].rw = rw;
		rw->cls[i].id = i + 1;
		rw->cls[i].mode = RATEWIN_MODE_SHARED;
		for (io = 0; io < RATEWIN_NR_IO; io++)
			spin_lock_init(&rw->cls[i].limit[io].lock);
	}
	return 0;
}

/**
 * ratewin_teardown() - free what ratewin_setup() allocated
 * @rw: the instance
 */
void ratewin_teardown(struct ratewin *rw)
{
	free_percpu(rw->pcpu);
}
