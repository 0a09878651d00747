// SPDX-License-Identifier: GPL-2.0
/*
 * All-or-nothing changes to ratewin's settings; see changeset.h.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "changeset.h"
#include "sysfs.h"
#include "util.h"

void changeset_init(struct changeset *cs, const struct settings *set)
{
	cs->set = set;
	cs->n = 0;
}

static const struct change *find_change(const struct changeset *cs,
					unsigned int idx)
{
	for (unsigned int i = 0; i < cs->n; i++)
		if (cs->c[i].idx == idx)
			return &cs->c[i];
	return NULL;
}

/* Says so when setting idx is already changed: a mistake, in a file. */
static int already_set(const struct changeset *cs, unsigned int idx,
		       const char *origin)
{
	const struct change *twice = find_change(cs, idx);

	if (twice)
		warnx("%s: %s is already set by %s", origin, cs->set->s[idx].key,
		      twice->origin);
	return !!twice;
}

/* Prints why and returns -1 when setting idx is already changed. */
int changeset_add_value(struct changeset *cs, unsigned int idx, uint64_t value,
			const char *origin)
{
	struct change *c = &cs->c[cs->n];

	if (already_set(cs, idx, origin))
		return -1;
	c->idx = idx;
	c->value = value;
	snprintf(c->origin, sizeof(c->origin), "%s", origin);
	cs->n++;
	return 0;
}

/* Prints why and returns -1 when text is no value for setting idx. */
int changeset_add(struct changeset *cs, unsigned int idx, const char *text,
		  const char *origin)
{
	const struct setting *s = &cs->set->s[idx];
	char why[WHY_LEN];
	uint64_t value;

	if (already_set(cs, idx, origin))
		return -1;
	if (setting_parse(s, text, &value, why)) {
		warnx("%s: invalid %s '%s': %s", origin, setting_kind_name(s),
		      text, why);
		return -1;
	}
	return changeset_add_value(cs, idx, value, origin);
}

/* Every setting of class, or every setting there is for 0, at its default. */
void changeset_add_defaults(struct changeset *cs, unsigned int class)
{
	unsigned int first = class ? (unsigned int)class_setting(class, "file") : 0;
	unsigned int end = class ? first + CLASS_SETTINGS : cs->set->n;

	for (unsigned int i = first; i < end; i++)
		changeset_add_value(cs, i, cs->set->s[i].def, "reset");
}

static int in_order(const struct constraint *k, const uint64_t *values)
{
	return k->strict ? values[k->lower] < values[k->upper] :
			   values[k->lower] <= values[k->upper];
}

static int all_in_order(const uint64_t *values)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(constraints); i++)
		if (!in_order(&constraints[i], values))
			return 0;
	return 1;
}

/* "--low 8M" when the change names it, else "file.low (now 8M)". */
static char *describe(const struct changeset *cs, unsigned int idx,
		      const uint64_t *values, char *buf, size_t len)
{
	const struct setting *s = &cs->set->s[idx];
	const struct change *c = find_change(cs, idx);
	char value[UNIT_BUF_LEN];

	setting_format(s, values[idx], value);
	if (c)
		snprintf(buf, len, "%s %s", c->origin, value);
	else
		snprintf(buf, len, "%s (now %s)", s->key, value);
	return buf;
}

/* Prints why and returns -1 when the changes would leave a pair out of order. */
int changeset_check(const struct changeset *cs,
		    const uint64_t current[MAX_SETTINGS])
{
	uint64_t final[MAX_SETTINGS];
	char lower[ORIGIN_LEN + 40], upper[ORIGIN_LEN + 40];
	int ret = 0;

	memcpy(final, current, sizeof(final));
	for (unsigned int i = 0; i < cs->n; i++)
		final[cs->c[i].idx] = cs->c[i].value;
	for (unsigned int i = 0; i < ARRAY_SIZE(constraints); i++) {
		const struct constraint *k = &constraints[i];

		if (in_order(k, final))
			continue;
		warnx("%s must be %s %s",
		      describe(cs, k->lower, final, lower, sizeof(lower)),
		      k->strict ? "below" : "at most",
		      describe(cs, k->upper, final, upper, sizeof(upper)));
		ret = -1;
	}
	return ret;
}

static int write_value(const struct settings *set, unsigned int idx,
		       uint64_t value)
{
	char text[UNIT_BUF_LEN];

	return rw_write(set->s[idx].attr,
			setting_attr_text(&set->s[idx], value, text));
}

/* Undo the first n writes of order[], last first; old[] holds what was there. */
static void roll_back(const struct changeset *cs, const unsigned int *order,
		      const uint64_t *old, unsigned int n, uint64_t *state)
{
	unsigned int restored = 0;

	for (unsigned int k = n; k-- > 0;) {
		unsigned int idx = cs->c[order[k]].idx;
		char value[UNIT_BUF_LEN];
		int err = write_value(cs->set, idx, old[k]);

		if (err) {
			warnx("could not restore %s to %s: %s", cs->set->s[idx].key,
			      setting_format(&cs->set->s[idx], old[k], value),
			      rw_strerror(err));
			continue;
		}
		state[idx] = old[k];
		restored++;
	}
	if (n)
		warnx("%u of %u settings already written were restored", restored, n);
	else
		warnx("nothing was changed");
}

/* The first pending change that keeps every pair in order, or -1. */
static int next_change(const struct changeset *cs, const int *pending,
		       uint64_t *state)
{
	for (unsigned int i = 0; i < cs->n; i++) {
		unsigned int idx = cs->c[i].idx;
		uint64_t was = state[idx];
		int ok;

		if (!pending[i])
			continue;
		state[idx] = cs->c[i].value;
		ok = all_in_order(state);
		state[idx] = was;
		if (ok)
			return (int)i;
	}
	return -1;
}

/*
 * Writes every change; state holds the current values and follows the
 * writes. Call changeset_check() first: for pairs of settings whose final
 * values are in order, one of the two writes is always safe, so an order
 * exists. Returns 0, or -1 with everything written undone.
 */
int changeset_commit(const struct changeset *cs, uint64_t state[MAX_SETTINGS])
{
	int pending[MAX_SETTINGS];
	unsigned int order[MAX_SETTINGS];
	uint64_t old[MAX_SETTINGS];
	unsigned int written = 0, left = 0;

	for (unsigned int i = 0; i < cs->n; i++) {
		pending[i] = state[cs->c[i].idx] != cs->c[i].value;
		left += pending[i];
	}
	for (; left; left--) {
		int i = next_change(cs, pending, state);
		unsigned int idx;
		int err;

		if (i < 0) {
			warnx("no order of writes keeps every pair of settings in order");
			roll_back(cs, order, old, written, state);
			return -1;
		}
		idx = cs->c[i].idx;
		err = write_value(cs->set, idx, cs->c[i].value);
		if (err) {
			warnx("cannot set %s (%s/%s): %s", cs->set->s[idx].key,
			      rw_root(), cs->set->s[idx].attr, rw_strerror(err));
			roll_back(cs, order, old, written, state);
			return -1;
		}
		pending[i] = 0;
		order[written] = (unsigned int)i;
		old[written++] = state[idx];
		state[idx] = cs->c[i].value;
	}
	return 0;
}

/* Every setting's current value; prints why and returns -1 on failure. */
int settings_read(const struct settings *set, uint64_t values[MAX_SETTINGS])
{
	for (unsigned int i = 0; i < set->n; i++) {
		const struct setting *s = &set->s[i];
		char text[ATTR_VALUE_LEN];
		int err = rw_read(s->attr, text, sizeof(text));

		if (!err && setting_from_attr(s, text, &values[i]))
			err = -EPROTO;
		if (err) {
			rw_warn_read(s->attr, err);
			return -1;
		}
	}
	return 0;
}
