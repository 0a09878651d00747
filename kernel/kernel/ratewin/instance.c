// SPDX-License-Identifier: GPL-2.0
/*
 * Rate windows: the live instance, made at boot, and what the hooks read of
 * it: the static key that is on while some class has a limit, and the
 * per-CPU counters of what unconstrained tasks move.
 */

#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/ratewin.h>
#include <linux/slab.h>

#include "ratewin.h"

/*
 * Deferred: a last limit removed turns the hooks off up to a second later,
 * and a limit set before then finds them still on. However fast limits
 * come and go, the call sites are rewritten (which stops every CPU) at
 * most twice a second: off, and on again.
 */
DEFINE_STATIC_KEY_DEFERRED_FALSE(ratewin_active, HZ);
DEFINE_PER_CPU(struct ratewin_pcpu, ratewin_unconstrained);

/* The instance behind /sys/kernel/ratewin, set once at boot. */
struct ratewin *ratewin_instance;

static bool any_limit(struct ratewin *rwin)
{
	unsigned int i, io;

	if (!READ_ONCE(rwin->enabled))
		return false;
	for (i = 0; i < RATEWIN_NR_CLASSES; i++)
		for (io = 0; io < RATEWIN_NR_IO; io++)
			if (ratewin_read_u64(&rwin->cls[i].limit[io].lock,
					     &rwin->cls[i].limit[io].rate))
				return true;
	return false;
}

/**
 * ratewin_limits_changed() - act on a store to any ratewin tunable
 *
 * Holds one reference on ratewin_active while some class is limited, so
 * that only a store that changes whether any class is limited touches the
 * key. May sleep.
 */
void ratewin_limits_changed(void)
{
	static DEFINE_MUTEX(key_lock);
	static bool limited;
	struct ratewin *rwin = READ_ONCE(ratewin_instance);

	if (!rwin)
		return;
	guard(mutex)(&key_lock);
	if (any_limit(rwin) == limited)
		return;
	limited = !limited;
	if (limited)
		static_branch_deferred_inc(&ratewin_active);
	else
		static_branch_slow_dec_deferred(&ratewin_active);
}

static int __init ratewin_init(void)
{
	struct ratewin *rwin = kvzalloc(sizeof(*rwin), GFP_KERNEL);
	int err;

	if (!rwin)
		return -ENOMEM;
	ratewin_setup(rwin, &ratewin_unconstrained);
	err = ratewin_sysfs_add(rwin);
	if (err)
		return err;
	WRITE_ONCE(ratewin_instance, rwin);
	return 0;
}
late_initcall(ratewin_init);
