/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of changes to ratewin's settings, applied all or nothing.
 *
 * Every value is parsed and checked, alone and against the others, before
 * the first write. The kernel refuses any write that would leave a pair
 * out of order for a moment (a low threshold at or above its high one, a
 * minimum sleep above the maximum), so the writes go in an order that
 * keeps every pair in order at every step. If a write still fails, the
 * ones already made are undone, last first.
 */
#ifndef RATECTL_CHANGESET_H
#define RATECTL_CHANGESET_H

#include "settings.h"

#define ORIGIN_LEN	160

struct change {
	unsigned int idx;
	uint64_t value;
	char origin[ORIGIN_LEN];
};

struct changeset {
	const struct settings *set;
	struct change c[MAX_SETTINGS];
	unsigned int n;
};

void changeset_init(struct changeset *cs, const struct settings *set);
int changeset_add(struct changeset *cs, unsigned int idx, const char *text,
		  const char *origin);
int changeset_add_value(struct changeset *cs, unsigned int idx, uint64_t value,
			const char *origin);
void changeset_add_defaults(struct changeset *cs, unsigned int class);
int changeset_check(const struct changeset *cs,
		    const uint64_t current[MAX_SETTINGS]);
int changeset_commit(const struct changeset *cs, uint64_t state[MAX_SETTINGS]);
int settings_read(const struct settings *set, uint64_t values[MAX_SETTINGS]);

#endif
