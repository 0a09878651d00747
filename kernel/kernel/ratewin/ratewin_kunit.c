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
#include <linux/string.h>

#include "ratewin.h"

#define KB		1000ULL
#define MB		(1000 * KB)
#define MS		NSEC_PER_MSEC
/* Tests start one window after boot so that now - window_ns is positive. */
#define T0		(10 * NSEC_PER_SEC)
#define GUEST		1

static void ratewin_test_teardown(void *rw)
{
	ratewin_teardown(rw);
}

static int ratewin_test_init(struct kunit *test)
{
	struct ratewin *rw = kunit_kzalloc(test, sizeof(*rw), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rw);
	KUNIT_ASSERT_EQ(test, ratewin_setup(rw), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ratewin_test_teardown, rw), 0);
	test->priv = rw;
	return 0;
}

static struct ratewin *limit_guest(struct kunit *test, enum ratewin_io io,
				   u64 rate, enum ratewin_mode mode)
{
	struct ratewin *rw = test->priv;

	rw->cls[GUEST - 1].limit[io].rate = rate;
	rw->cls[GUEST - 1].mode = mode;
	return rw;
}

/*
 * An empty window owes only the new event's own time: 10 kB at 500 kB/s
 * is 20 ms, for a decision and for a charge, and an empty window has no rate.
 */
static void ratewin_empty_window(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, 500 * KB,
					 RATEWIN_MODE_ALWAYS);
	struct ratewin_verdict v = ratewin_decide(rw, GUEST, RATEWIN_FILE, 10 * KB, T0);

	KUNIT_EXPECT_EQ(test, v.piece, 10 * KB);
	KUNIT_EXPECT_EQ(test, v.delay_ns, 20 * MS);
	KUNIT_EXPECT_EQ(test, ratewin_class_rate(&rw->cls[0], RATEWIN_FILE, T0), 0);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 10 * KB, T0),
			20 * MS);
}

/*
 * The paper's example: 10 kB events at 500 kB/s owe 20 ms each in steady
 * state, before and after the 100-event ring wraps (250 events), and the
 * window then measures 100 events in 99 gaps: 1 MB / 1.98 s = 505050 B/s.
 */
static void ratewin_paper_example(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_NET, 500 * KB,
					 RATEWIN_MODE_ALWAYS);
	u64 now = T0;
	int i;

	for (i = 0; i < 250; i++) {
		u64 delay = ratewin_charge(rw, GUEST, RATEWIN_NET, 10 * KB, now);

		KUNIT_EXPECT_EQ_MSG(test, delay, 20 * MS, "event %d", i);
		now += delay;
	}
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_NET].win.count, 100);
	KUNIT_EXPECT_EQ(test, ratewin_class_rate(&rw->cls[0], RATEWIN_NET,
						 now - 20 * MS), 505050);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_NET].stats.sleeps, 250);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_NET].stats.sleep_ns,
			250 * 20 * MS);
}

/*
 * With window_events = 4, the fifth event pushes out the first:
 *
 *   t(ms):  0    10   20   30   40
 *   bytes: 1000 1000 1000 1000 1000     R = 10 kB/s
 *          ^ gone
 *   B_w = 4000 (400 ms), T_w = 30 ms: delay 370 ms (460 ms if kept).
 */
static void ratewin_wraparound(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, 10 * KB,
					 RATEWIN_MODE_ALWAYS);
	u64 delay = 0;
	int i;

	rw->window_events = 4;
	rw->max_sleep_ns = NSEC_PER_SEC;
	for (i = 0; i < 5; i++)
		delay = ratewin_charge(rw, GUEST, RATEWIN_FILE, KB, T0 + i * 10 * MS);
	KUNIT_EXPECT_EQ(test, delay, 370 * MS);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_FILE].win.count, 4);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_FILE].win.bytes, 4 * KB);
}

/*
 * Events leave after window_ms: 1000 B at t = 0 and 100 B at t = 1.5 s,
 * R = 1 kB/s, window 1 s. Only the 100 B count: delay 100 ms (0 if the
 * first were kept: 1.1 s owed, 1.5 s elapsed).
 */
static void ratewin_expiry(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, KB,
					 RATEWIN_MODE_ALWAYS);

	rw->window_ns = NSEC_PER_SEC;
	rw->max_sleep_ns = 10 * NSEC_PER_SEC;
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, KB, T0),
			NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 100,
					     T0 + 1500 * MS), 100 * MS);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_FILE].win.count, 1);
}

/*
 * 100 B at 1 MB/s owe 100 us, below the 1 ms minimum: waived, but the window
 * remembers, so the tenth event at the same instant owes 1 ms and sleeps.
 */
static void ratewin_min_sleep(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, MB,
					 RATEWIN_MODE_ALWAYS);
	int i;

	for (i = 0; i < 9; i++)
		KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 100, T0), 0);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 100, T0), MS);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_FILE].stats.sleeps, 1);
}

/*
 * 10 MB at 1 MB/s would owe 10 s: the decision splits off the 100 kB that
 * one 100 ms sleep pays for. An event that was not split sleeps what it
 * costs by itself: 1 MB sleeps 1 s, and then a decision again gets the
 * piece a sleep's worth (100 kB) and owes 100 ms.
 */
static void ratewin_max_sleep(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, MB,
					 RATEWIN_MODE_ALWAYS);
	struct ratewin_verdict v;

	v = ratewin_decide(rw, GUEST, RATEWIN_FILE, 10 * MB, T0);
	KUNIT_EXPECT_EQ(test, v.piece, 100 * KB);
	KUNIT_EXPECT_EQ(test, v.delay_ns, 100 * MS);

	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, MB, T0), NSEC_PER_SEC);
	v = ratewin_decide(rw, GUEST, RATEWIN_FILE, 10 * MB, T0 + NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, v.piece, 100 * KB);
	KUNIT_EXPECT_EQ(test, v.delay_ns, 100 * MS);

	/* once the debt is paid, a small I/O goes through whole */
	v = ratewin_decide(rw, GUEST, RATEWIN_FILE, 10 * KB, T0 + 2 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, v.piece, 10 * KB);
	KUNIT_EXPECT_EQ(test, v.delay_ns, 0);
}

/*
 * Sends of 64 kB at 256 kB/s cannot be split and each costs 250 ms, more
 * than max_sleep: each sleeps its whole cost, so the class keeps to its
 * rate. Capped at 100 ms, it moved 640 kB/s. No sleep exceeds the window:
 * 10 MB sleeps 5 s, not 40 s.
 */
static void ratewin_unsplit_events(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_NET, 256 * KB,
					 RATEWIN_MODE_ALWAYS);
	u64 now = T0;
	int i;

	for (i = 0; i < 40; i++) {
		KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_NET, 64 * KB, now),
				250 * MS);
		now += 250 * MS;
	}
	now += 10 * NSEC_PER_SEC;
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_NET, 10 * MB, now),
			5 * NSEC_PER_SEC);
}

/*
 * A class does not bank the time it left unused: 100 B at t = 0, then 64 kB
 * writes at t = 4 s, 1 MB/s. Only 100 ms (max_sleep) of the 4 s idle count:
 * the first write goes free, the second owes 131.172 - 100.1 = 31.072 ms,
 * the third 96.608 ms (all three would go free with 4 s banked).
 */
static void ratewin_no_banking(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_ALWAYS);
	u64 later = T0 + 4 * NSEC_PER_SEC;

	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 100, T0), 0);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 65536, later), 0);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 65536, later),
			31072000);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 65536, later),
			96608000);
}

/* Rate 0 is unlimited: nothing is split or delayed, but all is counted. */
static void ratewin_unlimited(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_NET, 0, RATEWIN_MODE_ALWAYS);
	struct ratewin_verdict v = ratewin_decide(rw, GUEST, RATEWIN_NET, U64_MAX, T0);
	int i;

	KUNIT_EXPECT_EQ(test, v.piece, U64_MAX);
	KUNIT_EXPECT_EQ(test, v.delay_ns, 0);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_NET, MB, T0), 0);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_NET].stats.bytes, 1000 * MB);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_NET].stats.events, 1000);
	KUNIT_EXPECT_EQ(test, rw->cls[0].limit[RATEWIN_NET].stats.sleeps, 0);
}

/* Unconstrained traffic of @bytes over the 50 ms after @now, then a look. */
static bool unconstrained_step(struct ratewin *rw, enum ratewin_io io,
			       u64 bytes, u64 *now)
{
	ratewin_account_unconstrained(rw, io, bytes);
	*now += 50 * MS;
	return ratewin_throttled(rw, io, *now);
}

/*
 * A shared class runs free until unconstrained traffic passes thresh_high
 * (8 MiB/s by default), then owes only for what it moved since: 10 MB moved
 * before the throttled state began are forgiven, 10 kB after it owe 10 ms.
 * A class in mode "always" is limited either way.
 */
static void ratewin_shared_mode(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, MB, RATEWIN_MODE_SHARED);
	u64 now = T0;

	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rw, RATEWIN_FILE, now));
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 10 * MB, now), 0);
	KUNIT_EXPECT_EQ(test, ratewin_decide(rw, GUEST, RATEWIN_FILE, 10 * MB, now).piece,
			10 * MB);

	KUNIT_EXPECT_TRUE(test, unconstrained_step(rw, RATEWIN_FILE, 5 * MB, &now));
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, 10 * KB, now),
			10 * MS);
	KUNIT_EXPECT_EQ(test, ratewin_decide(rw, GUEST, RATEWIN_FILE, 10 * MB, now).piece,
			90 * KB);

	rw->cls[0].mode = RATEWIN_MODE_ALWAYS;
	rw->cls[0].limit[RATEWIN_NET].rate = MB;
	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rw, RATEWIN_NET, now));
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_NET, 10 * KB, now),
			10 * MS);
}

/* Turning ratewin off lifts every limit. */
static void ratewin_disabled(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, KB, RATEWIN_MODE_ALWAYS);

	rw->enabled = false;
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, MB, T0), 0);
	KUNIT_EXPECT_EQ(test, ratewin_decide(rw, GUEST, RATEWIN_FILE, MB, T0).piece, MB);
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
	struct ratewin *rw = test->priv;
	struct ratewin_load *load = &rw->load[RATEWIN_NET];
	u64 now = T0;
	int i, steps;

	load->thresh_high = 10 * MB;
	load->thresh_low = 5 * MB;
	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rw, RATEWIN_NET, now));

	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_FALSE(test, unconstrained_step(rw, RATEWIN_NET, 400 * KB, &now));

	for (steps = 1; !unconstrained_step(rw, RATEWIN_NET, MB, &now); steps++)
		KUNIT_ASSERT_LT(test, steps, 20);
	for (i = 0; i < 40; i++)
		KUNIT_EXPECT_TRUE(test, unconstrained_step(rw, RATEWIN_NET, MB, &now));

	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_TRUE(test, unconstrained_step(rw, RATEWIN_NET, 400 * KB, &now));
	KUNIT_EXPECT_EQ(test, ratewin_unconstrained_rate(rw, RATEWIN_NET, now), 8 * MB);

	for (steps = 1; unconstrained_step(rw, RATEWIN_NET, 50 * KB, &now); steps++)
		KUNIT_ASSERT_LE(test, steps, 100);
	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_FALSE(test, unconstrained_step(rw, RATEWIN_NET, 50 * KB, &now));
}

/*
 * A host that starts after 5 s of light traffic (5 kB per 50 ms) is seen by
 * the second fold: its 40 MB/s, averaged over the last 250 ms with the light
 * traffic still in it, passes the default 8 MiB/s after 100 ms, while the
 * whole window's rate would take 21 folds (1.05 s).
 */
static void ratewin_react_to_busy_host(struct kunit *test)
{
	struct ratewin *rw = test->priv;
	u64 now = T0;
	int i;

	ratewin_throttled(rw, RATEWIN_FILE, now);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_FALSE(test, unconstrained_step(rw, RATEWIN_FILE, 5 * KB, &now));
	unconstrained_step(rw, RATEWIN_FILE, 2 * MB, &now);
	KUNIT_EXPECT_TRUE(test, unconstrained_step(rw, RATEWIN_FILE, 2 * MB, &now));
}

/* When the host stops, the state is released once its events expire. */
static void ratewin_release_after_window(struct kunit *test)
{
	struct ratewin *rw = test->priv;
	u64 now = T0;
	int i;

	for (i = 0; i < 20; i++)
		unconstrained_step(rw, RATEWIN_FILE, 100 * MB, &now);
	KUNIT_EXPECT_TRUE(test, ratewin_throttled(rw, RATEWIN_FILE, now));
	KUNIT_EXPECT_TRUE(test, ratewin_throttled(rw, RATEWIN_FILE, now + 4 * NSEC_PER_SEC));
	KUNIT_EXPECT_FALSE(test, ratewin_throttled(rw, RATEWIN_FILE,
						   now + RATEWIN_DEFAULT_WINDOW_NS));
}

/*
 * Extreme rates and sizes neither wrap nor trap:
 * - 2^63 B at 1 B/s: the piece is one byte with a 100 ms sleep, a charge
 *   of it all sleeps the 5 s window, and the byte counter saturates instead
 *   of wrapping on the second charge;
 * - 2^63 B at 100 GB/s: a piece of 10 GB (100 ms worth);
 * - 2^63 B at U64_MAX B/s: one event holds at most 2^56 - 1 bytes, which
 *   take 3906249 ns: charged and slept for.
 */
static void ratewin_overflow(struct kunit *test)
{
	struct ratewin *rw = limit_guest(test, RATEWIN_FILE, 1, RATEWIN_MODE_ALWAYS);
	struct ratewin_limit *limit = &rw->cls[0].limit[RATEWIN_FILE];
	const u64 huge = BIT_ULL(63);
	struct ratewin_verdict v;

	v = ratewin_decide(rw, GUEST, RATEWIN_FILE, huge, T0);
	KUNIT_EXPECT_EQ(test, v.piece, 1);
	KUNIT_EXPECT_EQ(test, v.delay_ns, 100 * MS);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, huge, T0),
			5 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, huge, T0),
			5 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, limit->stats.bytes, U64_MAX);
	KUNIT_EXPECT_EQ(test, ratewin_class_rate(&rw->cls[0], RATEWIN_FILE, T0), U64_MAX);

	limit->rate = 100000 * MB;
	v = ratewin_decide(rw, GUEST, RATEWIN_FILE, huge, T0 + 6 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, v.piece, 10000 * MB);
	KUNIT_EXPECT_EQ(test, v.delay_ns, 100 * MS);

	limit->rate = U64_MAX;
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, GUEST, RATEWIN_FILE, huge,
					     T0 + 12 * NSEC_PER_SEC), 3906249);
}

/* A class id outside 1..RATEWIN_NR_CLASSES is unconstrained. */
static void ratewin_bad_class(struct kunit *test)
{
	struct ratewin *rw = test->priv;

	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, RATEWIN_UNCONSTRAINED, RATEWIN_FILE,
					     MB, T0), 0);
	KUNIT_EXPECT_EQ(test, ratewin_charge(rw, RATEWIN_NR_CLASSES + 1, RATEWIN_FILE,
					     MB, T0), 0);
	KUNIT_EXPECT_NULL(test, ratewin_class(rw, RATEWIN_NR_CLASSES + 1));
	KUNIT_EXPECT_PTR_EQ(test, ratewin_class(rw, RATEWIN_NR_CLASSES),
			    &rw->cls[RATEWIN_NR_CLASSES - 1]);
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
	struct ratewin *rw = test->priv;
	const struct attribute_group **groups = ratewin_groups;
	struct kobject *kobj = &rw->kobj;
	const char *name = c->attr;
	struct kobj_attribute *attr;
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	ssize_t ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	if (str_has_prefix(name, "class1/")) {
		groups = ratewin_class_groups;
		kobj = &rw->cls[0].kobj;
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
	KUNIT_CASE(ratewin_empty_window),
	KUNIT_CASE(ratewin_paper_example),
	KUNIT_CASE(ratewin_wraparound),
	KUNIT_CASE(ratewin_expiry),
	KUNIT_CASE(ratewin_min_sleep),
	KUNIT_CASE(ratewin_max_sleep),
	KUNIT_CASE(ratewin_unsplit_events),
	KUNIT_CASE(ratewin_no_banking),
	KUNIT_CASE(ratewin_unlimited),
	KUNIT_CASE(ratewin_shared_mode),
	KUNIT_CASE(ratewin_disabled),
	KUNIT_CASE(ratewin_hysteresis),
	KUNIT_CASE(ratewin_react_to_busy_host),
	KUNIT_CASE(ratewin_release_after_window),
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
