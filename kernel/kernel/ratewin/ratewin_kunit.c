// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for rate windows: the window arithmetic and the hysteresis,
 * with an injected clock, and the parsing of every sysfs attribute.
 *
 * Every test gets its own instance with the defaults: a 100-event, 5 s
 * window, sleeps between 1 ms and 100 ms. Expected delays are worked out by
 * hand from delay = B_w / R - T_w (see core.c).
 */

#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "ratewin.h"

#define KB		1000ULL
#define MB		(1000 * KB)
/* u64, as times are: NSEC_PER_SEC is a long, which 10 s overflows on 32-bit */
#define MS		((u64)NSEC_PER_MSEC)
#define SEC		((u64)NSEC_PER_SEC)
/* Tests start one window after boot so that now - window_ms is positive. */
#define T0		(10 * SEC)
#define GUEST		1

static void ratewin_test_free_percpu(void *pcpu)
{
	free_percpu((void __percpu __force *)pcpu);
}

static int ratewin_test_init(struct kunit *test)
{
	struct ratewin *rwin = kunit_kzalloc(test, sizeof(*rwin), GFP_KERNEL);
	struct ratewin_pcpu __percpu *pcpu;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, rwin);
	pcpu = alloc_percpu(struct ratewin_pcpu);
	KUNIT_ASSERT_NOT_NULL(test, pcpu);
	err = kunit_add_action_or_reset(test, ratewin_test_free_percpu, (void __force *)pcpu);
	KUNIT_ASSERT_EQ(test, err, 0);
	ratewin_setup(rwin, pcpu);
	test->priv = rwin;
	return 0;
}

static struct ratewin *limit_guest(struct kunit *test, enum ratewin_io io,
				   u64 rate, enum ratewin_mode mode)
{
	struct ratewin *rwin = test->priv;

	ratewin_set_rate(&rwin->cls[GUEST - 1], io, rate);
	rwin->cls[GUEST - 1].mode = mode;
	return rwin;
}

static struct ratewin_limit *guest_limit(struct ratewin *rwin, enum ratewin_io io)
{
	return &rwin->cls[GUEST - 1].limit[io];
}

/* A guest charges @bytes at @now: what it owes. */
static u64 charge(struct ratewin *rwin, enum ratewin_io io, u64 bytes, u64 now)
{
	return ratewin_charge(rwin, GUEST, io, bytes, now, now).delay_ns;
}

/*
 * A class starts with 50 ms of slack (half of max_sleep): at 500 kB/s,
 * 10 kB (20 ms) and 10 kB more go free, the third 10 kB owe 10 ms. An
 * empty window has no rate, and a piece is what 50 ms pay for: 25 kB.
 */
static void ratewin_slack(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, 500 * KB,
					 RATEWIN_MODE_ALWAYS);

	KUNIT_EXPECT_EQ(test, ratewin_class_rate(&rwin->cls[0], RATEWIN_FILE, T0), 0);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, MB, T0), 25 * KB);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 10 * KB, T0), 0);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 10 * KB, T0), 0);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 10 * KB, T0), 10 * MS);
}

/*
 * The paper's example: 10 kB events at 500 kB/s owe 20 ms each in steady
 * state, before and after the 100-event ring wraps (250 events), and the
 * window then measures 100 events in 99 gaps: 1 MB / 1.98 s = 505050 B/s.
 */
static void ratewin_paper_example(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_NET, 500 * KB,
					 RATEWIN_MODE_ALWAYS);
	u64 now = T0;
	int i;

	charge(rwin, RATEWIN_NET, 10 * KB, now);
	charge(rwin, RATEWIN_NET, 10 * KB, now);
	now += charge(rwin, RATEWIN_NET, 10 * KB, now);
	for (i = 0; i < 250; i++) {
		u64 delay = charge(rwin, RATEWIN_NET, 10 * KB, now);

		KUNIT_EXPECT_EQ_MSG(test, delay, 20 * MS, "event %d", i);
		now += delay;
	}
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_NET)->win.count, 100);
	KUNIT_EXPECT_EQ(test, ratewin_class_rate(&rwin->cls[0], RATEWIN_NET,
						 now - 20 * MS), 505050);
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_NET)->stats.events, 253);
}

/*
 * Members queue: eight members each charge 100 kB at 1 MB/s at the same
 * instant. The first owes 50 ms (100 ms less the slack), and each next one
 * 100 ms more, up to 750 ms: every member sleeps until the whole class has
 * paid, however many are busy.
 */
static void ratewin_members_queue(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	int i;

	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, charge(rwin, RATEWIN_FILE, 100 * KB, T0),
				    (50 + 100 * i) * MS, "member %d", i);
}

/*
 * The model of a class: @members each move @bytes, sleep what they owe,
 * and move again, from @start for @secs, and every @period ns the class
 * pauses for as long again. Returns the most any one second saw moved, and
 * adds every move to *@total.
 */
struct model_run {
	unsigned int members;
	u64 bytes, period, secs;
	u64 total, busiest_second;
};

static void model(struct kunit *test, struct ratewin *rwin, struct model_run *run)
{
	u64 *next = kunit_kcalloc(test, run->members, sizeof(*next), GFP_KERNEL);
	u64 end = T0 + run->secs * SEC;
	u64 *moved_at = kunit_kcalloc(test, 4096, sizeof(*moved_at), GFP_KERNEL);
	unsigned int m, first, n = 0, oldest = 0;
	u64 now;

	KUNIT_ASSERT_NOT_NULL(test, next);
	KUNIT_ASSERT_NOT_NULL(test, moved_at);
	for (m = 0; m < run->members; m++)
		next[m] = T0;
	for (;;) {
		for (first = 0, m = 1; m < run->members; m++)
			if (next[m] < next[first])
				first = m;
		now = next[first];
		if (run->period && div64_u64(now - T0, run->period) % 2)
			now = T0 + (div64_u64(now - T0, run->period) + 1) * run->period;
		if (now >= end)
			break;
		next[first] = now + charge(rwin, RATEWIN_FILE, run->bytes, now);
		run->total += run->bytes;
		/* moves within the last second: moved_at[oldest..n) */
		KUNIT_ASSERT_LT(test, n, 4096);
		moved_at[n++] = now;
		while (moved_at[oldest] + SEC <= now)
			oldest++;
		run->busiest_second = max_t(u64, run->busiest_second,
					    (n - oldest) * run->bytes);
	}
}

/*
 * 1, 2, 4 and 8 members writing 64 kB at a time for 10 s at 1 MB/s move
 * 10 MB, give or take the slack and the piece each has in flight; the old
 * per-member caps let each member move about the whole rate.
 */
static void ratewin_members_share_rate(struct kunit *test)
{
	static const unsigned int members[] = { 1, 2, 4, 8 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(members); i++) {
		struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB,
						 RATEWIN_MODE_ALWAYS);
		struct model_run run = { .members = members[i], .bytes = 64 * KB,
					 .secs = 10 };

		rwin->cls[0].limit[RATEWIN_FILE].clear_ns = 0;
		model(test, rwin, &run);
		KUNIT_EXPECT_LE_MSG(test, run.total, 10 * MB + 50 * KB + members[i] * 64 * KB,
				    "%u members", members[i]);
		KUNIT_EXPECT_GE_MSG(test, run.total, 10 * MB - 64 * KB,
				    "%u members", members[i]);
	}
}

/*
 * A member without a place in its class's queue waits for the class: after
 * 1 MB at 1 MB/s (owing 950 ms), a newcomer waits 900 ms, all but the
 * slack, whatever it is about to move. A member that owes to one of the
 * class's limits waits for its own debt only, and after a change of rate
 * the class has no queue to wait for.
 */
static void ratewin_newcomer_waits(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	struct ratewin_debt debt = ratewin_charge(rwin, GUEST, RATEWIN_FILE, MB, T0, T0);
	struct ratewin_debt turn = ratewin_newcomer(rwin, GUEST, 0, T0);

	KUNIT_EXPECT_EQ(test, turn.delay_ns, 900 * MS);
	KUNIT_EXPECT_EQ(test, turn.id, debt.id);
	KUNIT_EXPECT_EQ(test, ratewin_newcomer(rwin, GUEST, debt.id, T0).id, 0);
	ratewin_set_rate(&rwin->cls[0], RATEWIN_FILE, 2 * MB);
	turn = ratewin_newcomer(rwin, GUEST, debt.id, T0);
	KUNIT_EXPECT_EQ(test, turn.delay_ns, 0);
	KUNIT_EXPECT_PTR_EQ(test, ratewin_debt_limit(rwin, turn.id),
			    guest_limit(rwin, RATEWIN_FILE));
}

/*
 * A member whose request was charged elsewhere owes what the class owes:
 * the whole debt, not less the slack as a newcomer, whether or not it has
 * a place; nothing once the class has paid, or with no limit in force.
 */
static void ratewin_class_debt_is_whole(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	struct ratewin_debt debt = ratewin_charge(rwin, GUEST, RATEWIN_FILE, MB, T0, T0);
	struct ratewin_debt owed = ratewin_class_debt(rwin, GUEST, T0);

	KUNIT_EXPECT_EQ(test, owed.delay_ns, debt.delay_ns);
	KUNIT_EXPECT_EQ(test, owed.id, debt.id);
	KUNIT_EXPECT_EQ(test, ratewin_class_debt(rwin, GUEST, T0 + debt.delay_ns).delay_ns, 0);
	KUNIT_EXPECT_EQ(test, ratewin_class_debt(rwin, GUEST + 1, T0).id, 0);
}

/*
 * A newcomer's wait is its own debt: interrupted every 10 ms and coming
 * back, it keeps its place, while three members stream 48 kB pieces
 * through the class at 1 MB/s. Were its wait worked out afresh each time,
 * the queue ahead of it would never shorten.
 */
static void ratewin_newcomer_keeps_place(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	u64 now = T0, next[3] = { T0, T0, T0 }, wake;
	struct ratewin_debt turn;
	int m, i;

	for (i = 0; i < 30; i++)	/* the three members under way */
		next[i % 3] += charge(rwin, RATEWIN_FILE, 48 * KB, next[i % 3]);
	turn = ratewin_newcomer(rwin, GUEST, 0, now);
	wake = now + turn.delay_ns;
	while (now < wake) {
		now += 10 * MS;
		for (m = 0; m < 3; m++)
			while (next[m] <= now)
				next[m] += charge(rwin, RATEWIN_FILE, 48 * KB, next[m]);
		/* a member with a place is not a newcomer again */
		KUNIT_EXPECT_EQ(test, ratewin_newcomer(rwin, GUEST, turn.id, now).id, 0);
	}
	KUNIT_EXPECT_LE(test, wake, T0 + 2 * SEC);
}

/*
 * A member's debt id gives it its place in its own class only, and only
 * until its limit's epoch moves on; ratewin_places moves on with it, so
 * that members that kept their place without looking (ratewin_in_place())
 * look again. (The count is global: the live instance's members look
 * again too, which costs them one look.)
 */
static void ratewin_places_follow_epochs(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_NET, MB, RATEWIN_MODE_ALWAYS);
	struct ratewin_debt debt;
	long places;

	debt = ratewin_charge(rwin, GUEST, RATEWIN_NET, 10 * KB, T0, T0);
	KUNIT_ASSERT_NE(test, debt.id, 0);
	KUNIT_EXPECT_TRUE(test, ratewin_has_place(rwin, GUEST, debt.id));
	KUNIT_EXPECT_FALSE(test, ratewin_has_place(rwin, GUEST + 1, debt.id));
	KUNIT_EXPECT_FALSE(test, ratewin_has_place(rwin, RATEWIN_UNCONSTRAINED, debt.id));
	KUNIT_EXPECT_FALSE(test, ratewin_has_place(rwin, RATEWIN_NR_CLASSES + 1, debt.id));
	KUNIT_EXPECT_FALSE(test, ratewin_has_place(rwin, GUEST, 0));

	places = atomic_long_read(&ratewin_places);
	ratewin_set_mode(&rwin->cls[GUEST - 1], RATEWIN_MODE_SHARED);
	KUNIT_EXPECT_GT(test, atomic_long_read(&ratewin_places), places);
	KUNIT_EXPECT_FALSE(test, ratewin_has_place(rwin, GUEST, debt.id));

	/* places are per limit: a new file rate keeps the network place */
	rwin->cls[GUEST - 1].mode = RATEWIN_MODE_ALWAYS;
	debt = ratewin_charge(rwin, GUEST, RATEWIN_NET, 10 * KB, T0, T0);
	KUNIT_ASSERT_NE(test, debt.id, 0);
	places = atomic_long_read(&ratewin_places);
	ratewin_set_rate(&rwin->cls[GUEST - 1], RATEWIN_FILE, KB);
	KUNIT_EXPECT_GT(test, atomic_long_read(&ratewin_places), places);
	KUNIT_EXPECT_TRUE(test, ratewin_has_place(rwin, GUEST, debt.id));

	/* the last limit of the last class: debt index 15 */
	ratewin_set_rate(&rwin->cls[RATEWIN_NR_CLASSES - 1], RATEWIN_NET, MB);
	rwin->cls[RATEWIN_NR_CLASSES - 1].mode = RATEWIN_MODE_ALWAYS;
	debt = ratewin_charge(rwin, RATEWIN_NR_CLASSES, RATEWIN_NET, 10 * KB, T0, T0);
	KUNIT_ASSERT_EQ(test, debt.id & RATEWIN_DEBT_INDEX_MASK, RATEWIN_DEBT_INDEX_MASK);
	KUNIT_EXPECT_TRUE(test, ratewin_has_place(rwin, RATEWIN_NR_CLASSES, debt.id));
	KUNIT_EXPECT_FALSE(test, ratewin_has_place(rwin, RATEWIN_NR_CLASSES - 1, debt.id));
}

/*
 * Members that come fresh for every write and never sleep what they owe
 * (a thread per write, each cut short by a signal and gone) still move no
 * more than the rate, plus the slack and one write: each waits its turn.
 */
static void ratewin_fresh_members_queue(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	u64 now = T0, total = 0;
	int i;

	for (i = 0; i < 10000; i++) {
		now += ratewin_newcomer(rwin, GUEST, 0, now).delay_ns;
		if (now >= T0 + 10 * SEC)
			break;
		charge(rwin, RATEWIN_FILE, 64 * KB, now);
		total += 64 * KB;
	}
	KUNIT_EXPECT_LE(test, total, 10 * MB + 50 * KB + 64 * KB);
	KUNIT_EXPECT_GE(test, total, 10 * MB - 64 * KB);
}

/*
 * A job that moves 32 kB at a time for 1 s and pauses for 1 s, at 1 MB/s,
 * moves no more than 1 MB in any second, plus the slack (50 kB) and the
 * piece in flight (32 kB): it banks nothing from its pauses.
 */
static void ratewin_no_banking(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	struct model_run run = { .members = 1, .bytes = 32 * KB,
				 .period = SEC, .secs = 20 };

	model(test, rwin, &run);
	KUNIT_EXPECT_LE(test, run.busiest_second, MB + 50 * KB + 32 * KB);
	KUNIT_EXPECT_GE(test, run.total, 10 * MB - 64 * KB);
}

/*
 * Debt outlives the ring: with window_events = 4 and 2 ms of max_sleep,
 * five 1000-B events 10 ms apart at 10 kB/s owe 500 ms less 1 ms of slack,
 * from which 40 ms have passed: 459 ms. The ring forgot the first event.
 */
static void ratewin_debt_outlives_ring(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, 10 * KB,
					 RATEWIN_MODE_ALWAYS);
	u64 delay = 0;
	int i;

	rwin->window_events = 4;
	rwin->max_sleep_us = 2000;
	for (i = 0; i < 5; i++)
		delay = charge(rwin, RATEWIN_FILE, KB, T0 + i * 10 * MS);
	KUNIT_EXPECT_EQ(test, delay, 459 * MS);
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_FILE)->win.count, 4);
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_FILE)->win.bytes, 4 * KB);
}

/*
 * Debt outlives window_ms: with a 1 s window, 5000 B at 1 kB/s owe 5 s
 * (less 50 ms of slack). Their event has left the window 2 s later, but
 * 100 B then still owe the 2.95 s left plus their own 100 ms.
 */
static void ratewin_debt_outlives_window(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, KB,
					 RATEWIN_MODE_ALWAYS);

	rwin->window_ms = 1000;
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 5 * KB, T0), 4950 * MS);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 100, T0 + 2 * SEC),
			3050 * MS);
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_FILE)->win.count, 1);
}

/*
 * With 2 ms of max_sleep (1 ms of slack, 1000 B at 1 MB/s), ten 100-B
 * events use the slack; the next nine owe 100 us to 900 us, below the 1 ms
 * minimum, and are waived, but the debt is kept: the tenth owes 1 ms.
 */
static void ratewin_min_sleep(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB,
					 RATEWIN_MODE_ALWAYS);
	int i;

	rwin->max_sleep_us = 2000;
	for (i = 0; i < 19; i++)
		KUNIT_EXPECT_EQ_MSG(test, charge(rwin, RATEWIN_FILE, 100, T0), 0,
				    "event %d", i);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 100, T0), MS);
}

/*
 * Pieces are what half a max_sleep pays for (50 kB of 10 MB at 1 MB/s),
 * whatever the class owes; at least one byte, at most the whole I/O.
 */
static void ratewin_pieces(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB,
					 RATEWIN_MODE_ALWAYS);

	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, 10 * MB, T0), 50 * KB);
	charge(rwin, RATEWIN_FILE, 10 * MB, T0);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, 10 * MB, T0), 50 * KB);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, 10 * KB, T0), 10 * KB);
	ratewin_set_rate(&rwin->cls[GUEST - 1], RATEWIN_FILE, 1);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, 10 * MB, T0), 1);
}

/*
 * At 1 MB/s half a 1-ms shortest sleep pays for 500 B: a member holds
 * back 499 single bytes and charges them with the 500th. An unlimited
 * class's member holds up to RATEWIN_HOLD_MAX, and none holds anything
 * when no delay is waived (min_sleep_us 0).
 */
static void ratewin_hold_small(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	struct ratewin_held held = { };
	int i;

	for (i = 0; i < 499; i++)
		KUNIT_ASSERT_EQ(test, ratewin_hold(rwin, GUEST, RATEWIN_FILE, &held, 1), 0);
	KUNIT_EXPECT_EQ(test, held.bytes, 499);
	KUNIT_EXPECT_EQ(test, ratewin_hold(rwin, GUEST, RATEWIN_FILE, &held, 1), 500);
	KUNIT_EXPECT_EQ(test, held.bytes, 0);
	KUNIT_EXPECT_EQ(test, ratewin_hold(rwin, GUEST, RATEWIN_FILE, &held, 500), 500);

	for (i = 0; i < RATEWIN_HOLD_MAX / 64 - 1; i++)
		KUNIT_ASSERT_EQ(test, ratewin_hold(rwin, GUEST, RATEWIN_NET, &held, 64), 0);
	KUNIT_EXPECT_EQ(test, ratewin_hold(rwin, GUEST, RATEWIN_NET, &held, 64),
			RATEWIN_HOLD_MAX);

	ratewin_set_min_sleep(rwin, 0);
	KUNIT_EXPECT_EQ(test, ratewin_hold(rwin, GUEST, RATEWIN_FILE, &held, 1), 1);
}

/*
 * 1000 B held at no rate are counted but not owed once the rate is set to
 * 1 kB/s: the change forgave them, and 100 B then owe only their own 100 ms
 * less the slack. Bytes held in one class are for another once the member
 * has moved; released, its old class counts them and the member owes
 * nothing.
 */
static void ratewin_hold_epochs(struct kunit *test)
{
	struct ratewin *rwin = test->priv;
	struct ratewin_held held = { };

	KUNIT_EXPECT_EQ(test, ratewin_hold(rwin, GUEST, RATEWIN_NET, &held, 1000), 0);
	KUNIT_EXPECT_FALSE(test, ratewin_held_elsewhere(rwin, GUEST, RATEWIN_NET, &held));
	limit_guest(test, RATEWIN_NET, KB, RATEWIN_MODE_ALWAYS);
	KUNIT_ASSERT_TRUE(test, ratewin_held_elsewhere(rwin, GUEST, RATEWIN_NET, &held));
	ratewin_release_held(rwin, &held, T0);
	KUNIT_EXPECT_EQ(test, held.bytes, 0);
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_NET)->stats.bytes, 1000);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_NET, 100, T0), 50 * MS);

	KUNIT_EXPECT_EQ(test, ratewin_hold(rwin, GUEST + 1, RATEWIN_NET, &held, 300), 0);
	KUNIT_EXPECT_TRUE(test, ratewin_held_elsewhere(rwin, GUEST, RATEWIN_NET, &held));
	KUNIT_EXPECT_TRUE(test, ratewin_held_elsewhere(rwin, RATEWIN_UNCONSTRAINED,
						       RATEWIN_NET, &held));
	ratewin_release_held(rwin, &held, T0);
	KUNIT_EXPECT_EQ(test, rwin->cls[GUEST].limit[RATEWIN_NET].stats.bytes, 300);
	KUNIT_EXPECT_FALSE(test, ratewin_held_elsewhere(rwin, GUEST, RATEWIN_NET, &held));
}

/*
 * A charge never costs less than the bytes take: at 7 B/s, 7 B take 1 s
 * (950 ms owed, less the slack), though 1 s / 7 has no exact fixed-point
 * form.
 */
static void ratewin_cost_rounds_up(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, 7, RATEWIN_MODE_ALWAYS);

	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 7, T0), 950 * MS);
}

/*
 * A 50 kB piece at 1 MB/s (50 ms) that took 200 ms to move is stamped when
 * it began: its class's clearing time is its start plus its cost less the
 * slack, not its end, and the piece's time is not lost from the class.
 */
static void ratewin_start_stamped(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	struct ratewin_limit *limit = guest_limit(rwin, RATEWIN_FILE);

	KUNIT_EXPECT_EQ(test, ratewin_charge(rwin, GUEST, RATEWIN_FILE, 50 * KB, T0,
					     T0 + 200 * MS).delay_ns, 0);
	KUNIT_EXPECT_EQ(test, limit->clear_ns, T0);
	KUNIT_EXPECT_EQ(test, limit->win.ev[limit->win.oldest].start_ns, T0);
}

/*
 * Four members make 10-byte calls of 1 us each, 40 MB/s between them, in
 * a class of 1 MB/s for 2 s, holding what they move back while it costs
 * less than 500 us. Every byte is charged once, and the class moves no
 * more than 2 s at its rate, its 50 ms of slack, the 1 ms of a waived
 * delay, and what each member holds: the 500 B of one hold and one call.
 */
static void ratewin_hold_bounds_class(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	u64 next[4] = { T0, T0, T0, T0 }, moved = 0, bytes, now;
	struct ratewin_held held[4] = { };
	unsigned int m, first;

	for (;;) {
		for (first = 0, m = 1; m < ARRAY_SIZE(next); m++)
			if (next[m] < next[first])
				first = m;
		now = next[first];
		if (now >= T0 + 2 * SEC)
			break;
		moved += 10;
		next[first] = now + 1000;
		bytes = ratewin_hold(rwin, GUEST, RATEWIN_FILE, &held[first], 10);
		if (bytes)
			next[first] += charge(rwin, RATEWIN_FILE, bytes, now + 1000);
	}
	for (bytes = guest_limit(rwin, RATEWIN_FILE)->stats.bytes, m = 0; m < ARRAY_SIZE(held); m++)
		bytes += held[m].bytes;
	KUNIT_EXPECT_EQ(test, bytes, moved);
	KUNIT_EXPECT_LE(test, moved, 2 * MB + 50 * KB + KB + 4 * (500 + 10));
	KUNIT_EXPECT_GE(test, moved, 2 * MB);
	kunit_info(test, "moved %llu B in 2 s", moved);
}

/*
 * Calls that cannot be split pay their whole cost: 64 kB sends at
 * 256 kB/s owe 250 ms each in steady state, and one 10 MB send owes 40 s
 * (less the slack), not a capped sleep that leaves the rest unpaid.
 * (10.24 MB there, which take 40 s at 256 kB/s.)
 */
static void ratewin_whole_cost(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_NET, 256 * KB,
					 RATEWIN_MODE_ALWAYS);
	u64 now = T0 + charge(rwin, RATEWIN_NET, 64 * KB, T0);
	int i;

	for (i = 0; i < 40; i++) {
		KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_NET, 64 * KB, now), 250 * MS);
		now += 250 * MS;
	}
	now += 10 * SEC;
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_NET, 10240 * KB, now),
			40 * SEC - 50 * MS);
}

/*
 * A new rate or mode starts the class afresh: 5 MB at 1 MB/s owe 4.95 s,
 * and then, at 2 MB/s, 10 kB go free and the old debt is void; the same
 * rate again changes nothing. A new mode voids the debt just the same.
 */
static void ratewin_limit_change_resets(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	struct ratewin_class *cls = &rwin->cls[0];
	struct ratewin_debt debt;

	debt = ratewin_charge(rwin, GUEST, RATEWIN_FILE, 5 * MB, T0, T0);
	KUNIT_EXPECT_EQ(test, debt.delay_ns, 4950 * MS);
	KUNIT_EXPECT_PTR_EQ(test, ratewin_debt_limit(rwin, debt.id),
			    guest_limit(rwin, RATEWIN_FILE));

	ratewin_set_rate(cls, RATEWIN_FILE, 2 * MB);
	KUNIT_EXPECT_NULL(test, ratewin_debt_limit(rwin, debt.id));
	KUNIT_EXPECT_EQ(test, ratewin_class_rate(cls, RATEWIN_FILE, T0), 0);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 10 * KB, T0), 0);

	debt = ratewin_charge(rwin, GUEST, RATEWIN_FILE, 5 * MB, T0, T0);
	ratewin_set_rate(cls, RATEWIN_FILE, 2 * MB);
	KUNIT_EXPECT_NOT_NULL(test, ratewin_debt_limit(rwin, debt.id));

	ratewin_set_mode(cls, RATEWIN_MODE_SHARED);
	KUNIT_EXPECT_NULL(test, ratewin_debt_limit(rwin, debt.id));
	ratewin_set_mode(cls, RATEWIN_MODE_ALWAYS);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 10 * KB, T0), 0);
}

/* A sleep counts when it is slept, for as long as it lasted. */
static void ratewin_sleeps_counted_when_slept(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	struct ratewin_limit *limit = guest_limit(rwin, RATEWIN_FILE);
	struct ratewin_debt debt = ratewin_charge(rwin, GUEST, RATEWIN_FILE, MB, T0, T0);

	KUNIT_EXPECT_EQ(test, debt.delay_ns, 950 * MS);
	KUNIT_EXPECT_EQ(test, limit->stats.sleeps, 0);
	ratewin_slept(ratewin_debt_limit(rwin, debt.id), 300 * MS);
	KUNIT_EXPECT_EQ(test, limit->stats.sleeps, 1);
	KUNIT_EXPECT_EQ(test, limit->stats.sleep_ns, 300 * MS);
}

/* Rate 0 is unlimited: nothing is split or delayed, but all is counted. */
static void ratewin_unlimited(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_NET, 0, RATEWIN_MODE_ALWAYS);
	int i;

	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_NET, U64_MAX, T0), U64_MAX);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_NET, MB, T0), 0);
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_NET)->stats.bytes, 1000 * MB);
	KUNIT_EXPECT_EQ(test, guest_limit(rwin, RATEWIN_NET)->stats.events, 1000);
}

/* Unconstrained traffic of @bytes over the 50 ms after @now, then a look. */
static bool unconstrained_step(struct ratewin *rwin, enum ratewin_io io,
			       u64 bytes, u64 *now)
{
	this_cpu_add(rwin->pcpu->bytes[io], bytes);
	*now += 50 * MS;
	return ratewin_throttled(rwin, io, *now);
}

/*
 * A shared class runs free until unconstrained traffic passes thresh_high
 * (8 MiB/s by default), then owes only for what it moves since: 10 MB moved
 * before the throttled state began are not owed, 100 kB after it owe 50 ms
 * (100 ms less the slack). A class in mode "always" is limited either way.
 */
static void ratewin_shared_mode(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_SHARED);
	u64 now = T0;

	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rwin, RATEWIN_FILE, now));
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 10 * MB, now), 0);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, 10 * MB, now), 10 * MB);

	KUNIT_EXPECT_TRUE(test, unconstrained_step(rwin, RATEWIN_FILE, 5 * MB, &now));
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 100 * KB, now), 50 * MS);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, 10 * MB, now), 50 * KB);

	rwin->cls[0].mode = RATEWIN_MODE_ALWAYS;
	ratewin_set_rate(&rwin->cls[0], RATEWIN_NET, MB);
	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rwin, RATEWIN_NET, now));
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_NET, 100 * KB, now), 50 * MS);
}

/*
 * Leaving the throttled state does not forgive what a shared class owes:
 * 20 MB moved while throttled at 1 MB/s owe about 20 s. The host stops,
 * the state ends once its rate over the window falls to thresh_low, the
 * class moves freely meanwhile, and when the host is back, 100 kB owe what
 * was left of the 20 s and their own 100 ms.
 */
static void ratewin_rethrottle_keeps_debt(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_SHARED);
	u64 now = T0, paid_by;

	ratewin_throttled(rwin, RATEWIN_FILE, now);
	KUNIT_ASSERT_TRUE(test, unconstrained_step(rwin, RATEWIN_FILE, 5 * MB, &now));
	paid_by = now + charge(rwin, RATEWIN_FILE, 20 * MB, now);
	while (unconstrained_step(rwin, RATEWIN_FILE, 0, &now))
		KUNIT_ASSERT_LT(test, now, T0 + 7 * SEC);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 10 * MB, now), 0);
	KUNIT_ASSERT_TRUE(test, unconstrained_step(rwin, RATEWIN_FILE, 5 * MB, &now));
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, 100 * KB, now),
			paid_by - now + 100 * MS);
}

/* Turning ratewin off lifts every limit. */
static void ratewin_disabled(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, KB, RATEWIN_MODE_ALWAYS);

	rwin->enabled = false;
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, MB, T0), 0);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, MB, T0), MB);
}

/*
 * thresh_high 10 MB/s, thresh_low 5 MB/s, one fold per 50 ms:
 *
 *   rate  8 MB/s ---- 20 MB/s ---- 8 MB/s ----------- 1 MB/s ----
 *   state  free       throttled    throttled (band)   free
 *
 * 8 MB/s sits inside the band: from below it never throttles, from above it
 * never releases. The state changes within 1 s of crossing a threshold.
 */
static void ratewin_hysteresis(struct kunit *test)
{
	struct ratewin *rwin = test->priv;
	struct ratewin_load *load = &rwin->load[RATEWIN_NET];
	u64 now = T0;
	int i, steps;

	load->thresh_high = 10 * MB;
	load->thresh_low = 5 * MB;
	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rwin, RATEWIN_NET, now));

	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_FALSE(test, unconstrained_step(rwin, RATEWIN_NET, 400 * KB, &now));

	for (steps = 1; !unconstrained_step(rwin, RATEWIN_NET, MB, &now); steps++)
		KUNIT_ASSERT_LT(test, steps, 20);
	for (i = 0; i < 40; i++)
		KUNIT_EXPECT_TRUE(test, unconstrained_step(rwin, RATEWIN_NET, MB, &now));

	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_TRUE(test, unconstrained_step(rwin, RATEWIN_NET, 400 * KB, &now));
	KUNIT_EXPECT_EQ(test, ratewin_unconstrained_rate(rwin, RATEWIN_NET, now), 8 * MB);

	for (steps = 1; unconstrained_step(rwin, RATEWIN_NET, 50 * KB, &now); steps++)
		KUNIT_ASSERT_LE(test, steps, 100);
	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_FALSE(test, unconstrained_step(rwin, RATEWIN_NET, 50 * KB, &now));
}

/*
 * A host that starts after 5 s of light traffic (5 kB per 50 ms) is seen by
 * the second fold: its 40 MB/s, averaged over the last 250 ms with the light
 * traffic still in it, passes the default 8 MiB/s after 100 ms, while the
 * whole window's rate would take 21 folds (1.05 s).
 */
static void ratewin_react_to_busy_host(struct kunit *test)
{
	struct ratewin *rwin = test->priv;
	u64 now = T0;
	int i;

	ratewin_throttled(rwin, RATEWIN_FILE, now);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_FALSE(test, unconstrained_step(rwin, RATEWIN_FILE, 5 * KB, &now));
	unconstrained_step(rwin, RATEWIN_FILE, 2 * MB, &now);
	KUNIT_EXPECT_TRUE(test, unconstrained_step(rwin, RATEWIN_FILE, 2 * MB, &now));
}

/* When the host stops, the state is released once its events expire. */
static void ratewin_release_after_window(struct kunit *test)
{
	struct ratewin *rwin = test->priv;
	u64 now = T0;
	int i;

	for (i = 0; i < 20; i++)
		unconstrained_step(rwin, RATEWIN_FILE, 100 * MB, &now);
	KUNIT_EXPECT_TRUE(test, ratewin_throttled(rwin, RATEWIN_FILE, now));
	KUNIT_EXPECT_TRUE(test, ratewin_throttled(rwin, RATEWIN_FILE, now + 4 * SEC));
	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rwin, RATEWIN_FILE,
						   now + RATEWIN_DEFAULT_WINDOW_MS * MS));
}

/*
 * thresh_low 0 keeps the system throttled until unconstrained I/O stops:
 * 1 kB per 50 ms holds it, a window of nothing releases it.
 */
static void ratewin_thresh_low_zero(struct kunit *test)
{
	struct ratewin *rwin = test->priv;
	u64 now = T0;
	int i;

	rwin->load[RATEWIN_FILE].thresh_low = 0;
	ratewin_throttled(rwin, RATEWIN_FILE, now);
	KUNIT_EXPECT_TRUE(test, unconstrained_step(rwin, RATEWIN_FILE, 10 * MB, &now));
	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_TRUE(test, unconstrained_step(rwin, RATEWIN_FILE, KB, &now));
	for (i = 0; i < 101; i++)
		unconstrained_step(rwin, RATEWIN_FILE, 0, &now);
	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rwin, RATEWIN_FILE, now));
}

/*
 * Extreme rates and sizes neither wrap nor trap:
 * - 2^63 B at 1 B/s: the piece is one byte, and a charge of it all owes
 *   until the clock's end (saturated), as does a second one; the byte
 *   counter saturates instead of wrapping;
 * - 2^63 B at 100 GB/s: a piece of 5 GB (50 ms worth);
 * - 2^63 B at U64_MAX B/s: one event holds at most 2^56 - 1 bytes, and
 *   2^63 bytes take half a second: 450 ms are owed.
 */
static void ratewin_overflow(struct kunit *test)
{
	struct ratewin *rwin = limit_guest(test, RATEWIN_FILE, 1, RATEWIN_MODE_ALWAYS);
	struct ratewin_limit *limit = guest_limit(rwin, RATEWIN_FILE);
	const u64 huge = BIT_ULL(63);

	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, huge, T0), 1);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, huge, T0), U64_MAX - T0);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, huge, T0), U64_MAX - T0);
	KUNIT_EXPECT_EQ(test, limit->stats.bytes, U64_MAX);
	KUNIT_EXPECT_EQ(test, ratewin_class_rate(&rwin->cls[0], RATEWIN_FILE, T0), U64_MAX);

	ratewin_set_rate(&rwin->cls[0], RATEWIN_FILE, 100000 * MB);
	KUNIT_EXPECT_EQ(test, ratewin_piece(rwin, GUEST, RATEWIN_FILE, huge, T0), 5000 * MB);

	ratewin_set_rate(&rwin->cls[0], RATEWIN_FILE, U64_MAX);
	KUNIT_EXPECT_EQ(test, charge(rwin, RATEWIN_FILE, huge, T0), 450 * MS);
	KUNIT_EXPECT_EQ(test, limit->win.bytes, RATEWIN_MAX_EVENT_BYTES);
}

/* A class id outside 1..RATEWIN_NR_CLASSES is unconstrained; debt ids name limits. */
static void ratewin_bad_class(struct kunit *test)
{
	struct ratewin *rwin = test->priv;

	struct ratewin_held held = { };

	KUNIT_EXPECT_EQ(test, ratewin_charge(rwin, RATEWIN_UNCONSTRAINED, RATEWIN_FILE,
					     MB, T0, T0).delay_ns, 0);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rwin, RATEWIN_NR_CLASSES + 1, RATEWIN_FILE,
					     MB, T0, T0).delay_ns, 0);
	KUNIT_EXPECT_EQ(test, ratewin_hold(rwin, RATEWIN_NR_CLASSES + 1, RATEWIN_FILE,
					   &held, 10), 10);
	KUNIT_EXPECT_EQ(test, held.bytes, 0);
	KUNIT_EXPECT_NULL(test, ratewin_class_by_id(rwin, RATEWIN_NR_CLASSES + 1));
	KUNIT_EXPECT_PTR_EQ(test, ratewin_class_by_id(rwin, RATEWIN_NR_CLASSES),
			    &rwin->cls[RATEWIN_NR_CLASSES - 1]);
	KUNIT_EXPECT_NULL(test, ratewin_debt_limit(rwin, 0));
	KUNIT_EXPECT_NULL(test, ratewin_debt_limit(rwin, RATEWIN_DEBT_INDEX_MASK));
	KUNIT_EXPECT_PTR_EQ(test, ratewin_debt_limit(rwin, rwin->cls[7].limit[RATEWIN_NET].debt_id),
			    &rwin->cls[7].limit[RATEWIN_NET]);
}

struct sysfs_case {
	const char *attr;	/* in class1/ when it starts with "class1/" */
	const char *input;
	int err;		/* 0: accepted */
	const char *after;	/* what reading the attribute gives then */
	size_t len;		/* of the input, when it holds a NUL */
};

static const struct sysfs_case sysfs_cases[] = {
	{ "enabled", "0\n", 0, "0\n" },
	{ "enabled", "yes", 0, "1\n" },
	{ "enabled", "2", -EINVAL, "1\n" },
	{ "enabled", "", -EINVAL, "1\n" },
	{ "enabled", "0\0", -EINVAL, "1\n", 2 },
	{ "window_events", "50\n", 0, "50\n" },
	{ "window_events", "256", 0, "256\n" },
	{ "window_events", "0", -ERANGE, "100\n" },
	{ "window_events", "257", -ERANGE, "100\n" },
	{ "window_events", "-1", -EINVAL, "100\n" },
	{ "window_events", " 5", -EINVAL, "100\n" },
	{ "window_events", "5 kB", -EINVAL, "100\n" },
	{ "window_events", "", -EINVAL, "100\n" },
	{ "window_events", "\n", -EINVAL, "100\n" },
	{ "window_events", "1\0002", -EINVAL, "100\n", 3 },
	{ "window_events", "18446744073709551616", -ERANGE, "100\n" },
	{ "window_ms", "1000", 0, "1000\n" },
	{ "window_ms", "9", -ERANGE, "5000\n" },
	{ "window_ms", "60001", -ERANGE, "5000\n" },
	{ "window_ms", "0x10", -EINVAL, "5000\n" },
	{ "min_sleep_us", "0", 0, "0\n" },
	{ "min_sleep_us", "100000", 0, "100000\n" },
	{ "min_sleep_us", "100001", -EINVAL, "1000\n" },
	{ "min_sleep_us", "10000001", -ERANGE, "1000\n" },
	{ "max_sleep_us", "1000", 0, "1000\n" },
	{ "max_sleep_us", "999", -EINVAL, "100000\n" },
	{ "max_sleep_us", "0", -ERANGE, "100000\n" },
	{ "max_sleep_us", "10000000", 0, "10000000\n" },
	{ "file_thresh_high", "16777216", 0, "16777216\n" },
	{ "file_thresh_high", "4194304", -EINVAL, "8388608\n" },
	{ "file_thresh_high", "-8388608", -EINVAL, "8388608\n" },
	{ "file_thresh_low", "0", 0, "0\n" },
	{ "file_thresh_low", "8388608", -EINVAL, "4194304\n" },
	{ "net_thresh_high", "18446744073709551615", 0, "18446744073709551615\n" },
	{ "net_thresh_high", "524288", -EINVAL, "1048576\n" },
	{ "net_thresh_low", "1048575", 0, "1048575\n" },
	{ "net_thresh_low", "1048576", -EINVAL, "524288\n" },
	{ "net_thresh_low", "1M", -EINVAL, "524288\n" },
	{ "class1/file_rate", "1048576\n", 0, "1048576\n" },
	{ "class1/file_rate", "18446744073709551615", 0, "18446744073709551615\n" },
	{ "class1/file_rate", "18446744073709551616", -ERANGE, "0\n" },
	{ "class1/file_rate", "1.5", -EINVAL, "0\n" },
	{ "class1/file_rate", "-5", -EINVAL, "0\n" },
	{ "class1/net_rate", "0", 0, "0\n" },
	{ "class1/net_rate", "ten", -EINVAL, "0\n" },
	{ "class1/mode", "always\n", 0, "always\n" },
	{ "class1/mode", "shared", 0, "shared\n" },
	{ "class1/mode", "Always", -EINVAL, "shared\n" },
	{ "class1/mode", "sharedx", -EINVAL, "shared\n" },
	{ "class1/mode", "", -EINVAL, "shared\n" },
	{ "class1/mode", "always\0", -EINVAL, "shared\n", 7 },
	{ "class1/net_rate", "5\0", -EINVAL, "0\n", 2 },
};

static size_t sysfs_case_len(const struct sysfs_case *c)
{
	return c->len ?: strlen(c->input);
}

static void sysfs_case_desc(const struct sysfs_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s <- \"%*pE\"", c->attr,
		 (int)sysfs_case_len(c), c->input);
}

KUNIT_ARRAY_PARAM(sysfs_cases, sysfs_cases, sysfs_case_desc);

static struct kobj_attribute *find_attr(const struct attribute_group **groups,
					const char *name)
{
	struct attribute **attr;

	for (attr = groups[0]->attrs; *attr; attr++)
		if (!strcmp((*attr)->name, name))
			return container_of(*attr, struct kobj_attribute, attr);
	return NULL;
}

/*
 * Write one attribute through its store(), as sysfs would, and read it back
 * through its show(): a rejected write gives the precise errno and leaves
 * the default value.
 */
static void ratewin_sysfs_parse(struct kunit *test)
{
	const struct sysfs_case *c = test->param_value;
	struct ratewin *rwin = test->priv;
	const struct attribute_group **groups = ratewin_groups;
	struct kobject *kobj = &rwin->kobj;
	const char *name = c->attr;
	struct kobj_attribute *attr;
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	ssize_t ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	if (str_has_prefix(name, "class1/")) {
		groups = ratewin_class_groups;
		kobj = &rwin->cls[0].kobj;
		name += strlen("class1/");
	}
	attr = find_attr(groups, name);
	KUNIT_ASSERT_NOT_NULL(test, attr);

	ret = attr->store(kobj, attr, c->input, sysfs_case_len(c));
	KUNIT_EXPECT_EQ(test, ret, c->err ?: (ssize_t)sysfs_case_len(c));
	KUNIT_EXPECT_GT(test, attr->show(kobj, attr, buf), 0);
	KUNIT_EXPECT_STREQ(test, buf, c->after);
}

static void expect_read_only(struct kunit *test, const struct attribute_group **groups,
			     const char * const *names, int n)
{
	struct kobj_attribute *attr;
	int i;

	for (i = 0; i < n; i++) {
		attr = find_attr(groups, names[i]);
		KUNIT_ASSERT_NOT_NULL_MSG(test, attr, "%s", names[i]);
		KUNIT_EXPECT_NULL_MSG(test, attr->store, "%s", names[i]);
		KUNIT_EXPECT_EQ_MSG(test, attr->attr.mode, 0444, "%s", names[i]);
	}
}

/* Statistics and states are read-only: they have no store(). */
static void ratewin_sysfs_read_only(struct kunit *test)
{
	static const char * const global[] = {
		"throttled_file", "throttled_net",
		"unconstrained_file_rate", "unconstrained_net_rate",
	};
	static const char * const class[] = {
		"file_bytes", "file_events", "file_sleeps", "file_sleep_ns",
		"file_window_rate", "net_bytes", "net_events", "net_sleeps",
		"net_sleep_ns", "net_window_rate",
	};

	expect_read_only(test, ratewin_groups, global, ARRAY_SIZE(global));
	expect_read_only(test, ratewin_class_groups, class, ARRAY_SIZE(class));
}

static struct kunit_case ratewin_core_cases[] = {
	KUNIT_CASE(ratewin_slack),
	KUNIT_CASE(ratewin_paper_example),
	KUNIT_CASE(ratewin_members_queue),
	KUNIT_CASE(ratewin_members_share_rate),
	KUNIT_CASE(ratewin_newcomer_waits),
	KUNIT_CASE(ratewin_class_debt_is_whole),
	KUNIT_CASE(ratewin_newcomer_keeps_place),
	KUNIT_CASE(ratewin_places_follow_epochs),
	KUNIT_CASE(ratewin_fresh_members_queue),
	KUNIT_CASE(ratewin_no_banking),
	KUNIT_CASE(ratewin_debt_outlives_ring),
	KUNIT_CASE(ratewin_debt_outlives_window),
	KUNIT_CASE(ratewin_min_sleep),
	KUNIT_CASE(ratewin_pieces),
	KUNIT_CASE(ratewin_hold_small),
	KUNIT_CASE(ratewin_hold_epochs),
	KUNIT_CASE(ratewin_cost_rounds_up),
	KUNIT_CASE(ratewin_start_stamped),
	KUNIT_CASE(ratewin_hold_bounds_class),
	KUNIT_CASE(ratewin_whole_cost),
	KUNIT_CASE(ratewin_limit_change_resets),
	KUNIT_CASE(ratewin_sleeps_counted_when_slept),
	KUNIT_CASE(ratewin_unlimited),
	KUNIT_CASE(ratewin_shared_mode),
	KUNIT_CASE(ratewin_rethrottle_keeps_debt),
	KUNIT_CASE(ratewin_disabled),
	KUNIT_CASE(ratewin_hysteresis),
	KUNIT_CASE(ratewin_react_to_busy_host),
	KUNIT_CASE(ratewin_release_after_window),
	KUNIT_CASE(ratewin_thresh_low_zero),
	KUNIT_CASE(ratewin_overflow),
	KUNIT_CASE(ratewin_bad_class),
	KUNIT_CASE_PARAM(ratewin_sysfs_parse, sysfs_cases_gen_params),
	KUNIT_CASE(ratewin_sysfs_read_only),
	{}
};

static struct kunit_suite ratewin_core_suite = {
	.name = "ratewin_core",
	.init = ratewin_test_init,
	.test_cases = ratewin_core_cases,
};

kunit_test_suite(ratewin_core_suite);

MODULE_DESCRIPTION("KUnit tests for rate windows");
MODULE_LICENSE("GPL");
