/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What status and watch read of ratewin, as cells to print. Reading never
 * fails for an attribute this kernel does not have (an older one): its
 * cell is empty, and one warning says which is missing.
 */
#ifndef RATECTL_STATS_H
#define RATECTL_STATS_H

#include "output.h"
#include "settings.h"

struct global_stats {
	struct cell enabled, window_events, window_ms, min_sleep_us, max_sleep_us;
	struct cell high[IO_KINDS], low[IO_KINDS];
	struct cell throttled[IO_KINDS], unconstrained[IO_KINDS];
};

struct class_stats {
	struct cell mode, members;
	struct cell limit[IO_KINDS], window_rate[IO_KINDS];
	struct cell bytes[IO_KINDS], sleeps[IO_KINDS], sleep_ns[IO_KINDS];
};

void read_globals(struct global_stats *g);
int read_classes(struct class_stats *cls, unsigned int nclasses);

enum unit_system limit_units(const struct cell *limit);
struct cell use_cell(const struct class_stats *st, const uint64_t rate[IO_KINDS]);
struct cell held_cell(const struct global_stats *g, const struct class_stats *st);

#endif
