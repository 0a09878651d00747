// SPDX-License-Identifier: GPL-2.0
/*
 * Rate windows: the sysfs interface, /sys/kernel/ratewin.
 *
 * Documentation/ABI/testing/sysfs-kernel-ratewin lists every attribute.
 * Stores parse into locals, check bounds, then check relations with the
 * other tunables and commit under ratewin.lock (and the thresholds under
 * their load's lock too, which the fold reads them under), so a rejected
 * write leaves the old value. Malformed input (an embedded NUL included)
 * gives -EINVAL, numbers out of bounds -ERANGE, values that contradict
 * another tunable (thresh_low >= thresh_high, min_sleep_us > max_sleep_us)
 * -EINVAL.
 */

#include <kunit/visibility.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/ratewin.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ratewin.h"

static const char * const ratewin_mode_names[] = {
	[RATEWIN_MODE_SHARED] = "shared",
	[RATEWIN_MODE_ALWAYS] = "always",
};

static struct ratewin *to_ratewin(struct kobject *kobj)
{
	return container_of(kobj, struct ratewin, kobj);
}

static struct ratewin_class *to_class(struct kobject *kobj)
{
	return container_of(kobj, struct ratewin_class, kobj);
}

/*
 * sysfs hands stores the whole write, NUL-terminated; every parser would stop
 * at an embedded NUL and take the prefix for the value.
 */
static int check_text(const char *buf, size_t count)
{
	return strnlen(buf, count) == count ? 0 : -EINVAL;
}

/* A whole decimal number in [@min, @max]. */
static int parse_u64(const char *buf, size_t count, u64 min, u64 max, u64 *val)
{
	int err = check_text(buf, count) ?: kstrtou64(buf, 10, val);

	if (err)
		return err;
	if (*val < min || *val > max)
		return -ERANGE;
	return 0;
}

/*
 * Every attribute below is a struct kobj_attribute inside one that says
 * what it acts on, so that one show() and one store() serve all the
 * attributes of a kind: the tunables, the thresholds, the attributes of
 * one kind of I/O and the statistics.
 */

/* A global tunable: a number in [min, max], changed under ratewin.lock. */
struct ratewin_tunable_attr {
	struct kobj_attribute attr;
	u64 min;
	u64 max;
	u64 (*get)(struct ratewin *rwin);
	int (*set)(struct ratewin *rwin, u64 val);	/* under ratewin.lock */
};

static ssize_t tunable_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct ratewin_tunable_attr *t = container_of(attr, struct ratewin_tunable_attr, attr);

	return sysfs_emit(buf, "%llu\n", t->get(to_ratewin(kobj)));
}

static ssize_t tunable_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct ratewin_tunable_attr *t = container_of(attr, struct ratewin_tunable_attr, attr);
	struct ratewin *rwin = to_ratewin(kobj);
	u64 val;
	int err = parse_u64(buf, count, t->min, t->max, &val);

	if (err)
		return err;
	spin_lock(&rwin->lock);
	err = t->set(rwin, val);
	spin_unlock(&rwin->lock);
	if (err)
		return err;
	ratewin_limits_changed();
	return count;
}

/*
 * Each WRITE_ONCE() in a setter pairs with a lockless READ_ONCE() in core.c
 * or ratewin.h, and with the getter's.
 */
static u64 get_window_events(struct ratewin *rwin)
{
	return READ_ONCE(rwin->window_events);
}

static int set_window_events(struct ratewin *rwin, u64 val)
{
	WRITE_ONCE(rwin->window_events, val);
	return 0;
}

static u64 get_window_ms(struct ratewin *rwin)
{
	return READ_ONCE(rwin->window_ms);
}

static int set_window_ms(struct ratewin *rwin, u64 val)
{
	WRITE_ONCE(rwin->window_ms, val);
	return 0;
}

static u64 get_min_sleep_us(struct ratewin *rwin)
{
	return READ_ONCE(rwin->min_sleep_us);
}

static int set_min_sleep_us(struct ratewin *rwin, u64 val)
{
	if (val > rwin->max_sleep_us)
		return -EINVAL;
	ratewin_set_min_sleep(rwin, val);
	return 0;
}

static u64 get_max_sleep_us(struct ratewin *rwin)
{
	return READ_ONCE(rwin->max_sleep_us);
}

static int set_max_sleep_us(struct ratewin *rwin, u64 val)
{
	if (val < rwin->min_sleep_us)
		return -EINVAL;
	WRITE_ONCE(rwin->max_sleep_us, val);
	return 0;
}

static struct ratewin_tunable_attr window_events_attr = {
	.attr	= __ATTR(window_events, 0644, tunable_show, tunable_store),
	.min	= 1,
	.max	= RATEWIN_MAX_EVENTS,
	.get	= get_window_events,
	.set	= set_window_events,
};

static struct ratewin_tunable_attr window_ms_attr = {
	.attr	= __ATTR(window_ms, 0644, tunable_show, tunable_store),
	.min	= RATEWIN_WINDOW_MS_MIN,
	.max	= RATEWIN_WINDOW_MS_MAX,
	.get	= get_window_ms,
	.set	= set_window_ms,
};

static struct ratewin_tunable_attr min_sleep_us_attr = {
	.attr	= __ATTR(min_sleep_us, 0644, tunable_show, tunable_store),
	.min	= 0,
	.max	= RATEWIN_SLEEP_US_MAX,
	.get	= get_min_sleep_us,
	.set	= set_min_sleep_us,
};

static struct ratewin_tunable_attr max_sleep_us_attr = {
	.attr	= __ATTR(max_sleep_us, 0644, tunable_show, tunable_store),
	.min	= 1,
	.max	= RATEWIN_SLEEP_US_MAX,
	.get	= get_max_sleep_us,
	.set	= set_max_sleep_us,
};

/*
 * An attribute of one kind of I/O, and for the thresholds and the
 * statistics the offset of its field in struct ratewin_load or struct
 * ratewin_stats.
 */
struct ratewin_io_attr {
	struct kobj_attribute attr;
	enum ratewin_io io;
	size_t offset;
};

#define RATEWIN_IO_ATTR(_name, _mode, _show, _store, _io, _offset)	\
	{								\
		.attr	= __ATTR(_name, _mode, _show, _store),		\
		.io	= _io,						\
		.offset	= _offset,					\
	}

static const struct ratewin_io_attr *to_io_attr(const struct kobj_attribute *attr)
{
	return container_of_const(attr, struct ratewin_io_attr, attr);
}

static u64 read_locked(spinlock_t *lock, const u64 *field)
{
	u64 val;

	spin_lock(lock);
	val = *field;
	spin_unlock(lock);
	return val;
}

/* Thresholds are read by the fold, under the load's lock. */
static u64 *thresh_field(struct ratewin_load *load, const struct ratewin_io_attr *a)
{
	return (u64 *)((char *)load + a->offset);
}

static ssize_t thresh_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	const struct ratewin_io_attr *a = to_io_attr(attr);
	struct ratewin_load *load = &to_ratewin(kobj)->load[a->io];

	return sysfs_emit(buf, "%llu\n", read_locked(&load->lock, thresh_field(load, a)));
}

/* thresh_low must stay below thresh_high: a store that breaks that fails. */
static ssize_t thresh_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	const struct ratewin_io_attr *a = to_io_attr(attr);
	struct ratewin *rwin = to_ratewin(kobj);
	struct ratewin_load *load = &rwin->load[a->io];
	u64 val, high, low;
	int err = parse_u64(buf, count, 0, U64_MAX, &val);

	if (err)
		return err;
	spin_lock(&rwin->lock);
	spin_lock(&load->lock);
	high = thresh_field(load, a) == &load->thresh_high ? val : load->thresh_high;
	low = thresh_field(load, a) == &load->thresh_low ? val : load->thresh_low;
	if (low < high) {
		load->thresh_high = high;
		load->thresh_low = low;
	} else {
		err = -EINVAL;
	}
	spin_unlock(&load->lock);
	spin_unlock(&rwin->lock);
	if (err)
		return err;
	ratewin_limits_changed();
	return count;
}

/* The offset of a u64 @_field of struct @_type. */
#define RATEWIN_U64_OFFSET(_type, _field)				\
	(offsetof(struct _type, _field) +				\
	 BUILD_BUG_ON_ZERO(!__same_type(((struct _type *)0)->_field, u64)))

#define RATEWIN_THRESH_ATTR(_name, _io, _field)				\
	RATEWIN_IO_ATTR(_name, 0644, thresh_show, thresh_store, _io,	\
			RATEWIN_U64_OFFSET(ratewin_load, _field))

static struct ratewin_io_attr file_thresh_high_attr =
	RATEWIN_THRESH_ATTR(file_thresh_high, RATEWIN_FILE, thresh_high);
static struct ratewin_io_attr file_thresh_low_attr =
	RATEWIN_THRESH_ATTR(file_thresh_low, RATEWIN_FILE, thresh_low);
static struct ratewin_io_attr net_thresh_high_attr =
	RATEWIN_THRESH_ATTR(net_thresh_high, RATEWIN_NET, thresh_high);
static struct ratewin_io_attr net_thresh_low_attr =
	RATEWIN_THRESH_ATTR(net_thresh_low, RATEWIN_NET, thresh_low);

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_ratewin(kobj)->enabled));
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct ratewin *rwin = to_ratewin(kobj);
	bool val;
	int err = check_text(buf, count) ?: kstrtobool(buf, &val);

	if (err)
		return err;
	ratewin_set_enabled(rwin, val);
	ratewin_limits_changed();
	return count;
}

static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);

/* Read-only measurements of the unconstrained traffic. */
static ssize_t throttled_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%d\n", ratewin_throttled(to_ratewin(kobj), to_io_attr(attr)->io,
							 ktime_get_ns()));
}

static ssize_t unconstrained_rate_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  ratewin_unconstrained_rate(to_ratewin(kobj), to_io_attr(attr)->io,
						     ktime_get_ns()));
}

static struct ratewin_io_attr throttled_file_attr =
	RATEWIN_IO_ATTR(throttled_file, 0444, throttled_show, NULL, RATEWIN_FILE, 0);
static struct ratewin_io_attr throttled_net_attr =
	RATEWIN_IO_ATTR(throttled_net, 0444, throttled_show, NULL, RATEWIN_NET, 0);
static struct ratewin_io_attr unconstrained_file_rate_attr =
	RATEWIN_IO_ATTR(unconstrained_file_rate, 0444, unconstrained_rate_show, NULL,
			RATEWIN_FILE, 0);
static struct ratewin_io_attr unconstrained_net_rate_attr =
	RATEWIN_IO_ATTR(unconstrained_net_rate, 0444, unconstrained_rate_show, NULL,
			RATEWIN_NET, 0);

static struct attribute *ratewin_attrs[] = {
	&enabled_attr.attr,
	&window_events_attr.attr.attr,
	&window_ms_attr.attr.attr,
	&min_sleep_us_attr.attr.attr,
	&max_sleep_us_attr.attr.attr,
	&file_thresh_high_attr.attr.attr,
	&file_thresh_low_attr.attr.attr,
	&net_thresh_high_attr.attr.attr,
	&net_thresh_low_attr.attr.attr,
	&throttled_file_attr.attr.attr,
	&throttled_net_attr.attr.attr,
	&unconstrained_file_rate_attr.attr.attr,
	&unconstrained_net_rate_attr.attr.attr,
	NULL,
};

static const struct attribute_group ratewin_group = {
	.attrs = ratewin_attrs,
};

VISIBLE_IF_KUNIT const struct attribute_group *ratewin_groups[] = {
	&ratewin_group,
	NULL,
};

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  ratewin_mode_names[READ_ONCE(to_class(kobj)->mode)]);
}

static ssize_t mode_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct ratewin_class *cls = to_class(kobj);
	int mode = check_text(buf, count) ?: sysfs_match_string(ratewin_mode_names, buf);

	if (mode < 0)
		return mode;
	ratewin_set_mode(cls, mode);
	ratewin_limits_changed();
	return count;
}

static struct kobj_attribute mode_attr = __ATTR_RW(mode);

/*
 * The processes in the class, one PID a line. A list cut at a page would
 * look whole: when the class has more than fit, reading fails with EFBIG,
 * and the list is for /proc/<pid>/ratewin_class to give.
 */
#define PID_LINE_MAX	12
static ssize_t members_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	unsigned int id = to_class(kobj)->id;
	char line[PID_LINE_MAX];
	struct task_struct *p;
	int len = 0, n;

	rcu_read_lock();
	for_each_process(p) {
		if (ratewin_task_class(p) != id)
			continue;
		n = scnprintf(line, sizeof(line), "%d\n", task_tgid_nr(p));
		if (len + n >= PAGE_SIZE) {
			len = -EFBIG;
			break;
		}
		len += sysfs_emit_at(buf, len, "%s", line);
	}
	rcu_read_unlock();
	return len;
}

static struct kobj_attribute members_attr = __ATTR_RO(members);

/* A class's limit on one kind of I/O, and its statistics. */
static struct ratewin_limit *class_limit(struct kobject *kobj,
					 struct kobj_attribute *attr)
{
	return &to_class(kobj)->limit[to_io_attr(attr)->io];
}

static ssize_t rate_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct ratewin_limit *limit = class_limit(kobj, attr);

	return sysfs_emit(buf, "%llu\n", read_locked(&limit->lock, &limit->rate));
}

static ssize_t rate_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	u64 val;
	int err = parse_u64(buf, count, 0, U64_MAX, &val);

	if (err)
		return err;
	ratewin_set_rate(to_class(kobj), to_io_attr(attr)->io, val);
	ratewin_limits_changed();
	return count;
}

static ssize_t window_rate_show(struct kobject *kobj, struct kobj_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%llu\n", ratewin_class_rate(to_class(kobj), to_io_attr(attr)->io,
							    ktime_get_ns()));
}

static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct ratewin_limit *limit = class_limit(kobj, attr);
	const u64 *field = (const u64 *)((const char *)&limit->stats + to_io_attr(attr)->offset);

	return sysfs_emit(buf, "%llu\n", read_locked(&limit->lock, field));
}

#define RATEWIN_STAT_ATTR(_name, _io, _field)				\
	RATEWIN_IO_ATTR(_name, 0444, stat_show, NULL, _io,		\
			RATEWIN_U64_OFFSET(ratewin_stats, _field))

static struct ratewin_io_attr file_rate_attr =
	RATEWIN_IO_ATTR(file_rate, 0644, rate_show, rate_store, RATEWIN_FILE, 0);
static struct ratewin_io_attr file_window_rate_attr =
	RATEWIN_IO_ATTR(file_window_rate, 0444, window_rate_show, NULL, RATEWIN_FILE, 0);
static struct ratewin_io_attr file_bytes_attr =
	RATEWIN_STAT_ATTR(file_bytes, RATEWIN_FILE, bytes);
static struct ratewin_io_attr file_events_attr =
	RATEWIN_STAT_ATTR(file_events, RATEWIN_FILE, events);
static struct ratewin_io_attr file_sleeps_attr =
	RATEWIN_STAT_ATTR(file_sleeps, RATEWIN_FILE, sleeps);
static struct ratewin_io_attr file_sleep_ns_attr =
	RATEWIN_STAT_ATTR(file_sleep_ns, RATEWIN_FILE, sleep_ns);
static struct ratewin_io_attr net_rate_attr =
	RATEWIN_IO_ATTR(net_rate, 0644, rate_show, rate_store, RATEWIN_NET, 0);
static struct ratewin_io_attr net_window_rate_attr =
	RATEWIN_IO_ATTR(net_window_rate, 0444, window_rate_show, NULL, RATEWIN_NET, 0);
static struct ratewin_io_attr net_bytes_attr =
	RATEWIN_STAT_ATTR(net_bytes, RATEWIN_NET, bytes);
static struct ratewin_io_attr net_events_attr =
	RATEWIN_STAT_ATTR(net_events, RATEWIN_NET, events);
static struct ratewin_io_attr net_sleeps_attr =
	RATEWIN_STAT_ATTR(net_sleeps, RATEWIN_NET, sleeps);
static struct ratewin_io_attr net_sleep_ns_attr =
	RATEWIN_STAT_ATTR(net_sleep_ns, RATEWIN_NET, sleep_ns);

static struct attribute *ratewin_class_attrs[] = {
	&mode_attr.attr,
	&members_attr.attr,
	&file_rate_attr.attr.attr,
	&file_window_rate_attr.attr.attr,
	&file_bytes_attr.attr.attr,
	&file_events_attr.attr.attr,
	&file_sleeps_attr.attr.attr,
	&file_sleep_ns_attr.attr.attr,
	&net_rate_attr.attr.attr,
	&net_window_rate_attr.attr.attr,
	&net_bytes_attr.attr.attr,
	&net_events_attr.attr.attr,
	&net_sleeps_attr.attr.attr,
	&net_sleep_ns_attr.attr.attr,
	NULL,
};

static const struct attribute_group ratewin_class_group = {
	.attrs = ratewin_class_attrs,
};

VISIBLE_IF_KUNIT const struct attribute_group *ratewin_class_groups[] = {
	&ratewin_class_group,
	NULL,
};

static void ratewin_release(struct kobject *kobj)
{
	kvfree(to_ratewin(kobj));
}

/* A class lives inside its instance, on which it holds a reference. */
static void ratewin_class_release(struct kobject *kobj)
{
	kobject_put(&to_class(kobj)->rwin->kobj);
}

static const struct kobj_type ratewin_ktype = {
	.release = ratewin_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = ratewin_groups,
};

static const struct kobj_type ratewin_class_ktype = {
	.release = ratewin_class_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = ratewin_class_groups,
};

static int __init ratewin_add_classes(struct ratewin *rwin)
{
	unsigned int i;
	int err;

	for (i = 0; i < RATEWIN_NR_CLASSES; i++) {
		kobject_get(&rwin->kobj);
		err = kobject_init_and_add(&rwin->cls[i].kobj, &ratewin_class_ktype,
					   &rwin->kobj, "class%u", rwin->cls[i].id);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	/* kobject_init_and_add() needs a put even when it fails */
	do {
		kobject_put(&rwin->cls[i].kobj);
	} while (i--);
	return err;
}

/**
 * ratewin_sysfs_add() - give an instance its directory, /sys/kernel/ratewin
 * @rwin: the instance, allocated with kvmalloc() and set up
 *
 * From then on its kobject owns it: it is freed when the last reference
 * goes, on failure here too.
 *
 * Return: 0, or the error of creating a directory.
 */
int __init ratewin_sysfs_add(struct ratewin *rwin)
{
	int err = kobject_init_and_add(&rwin->kobj, &ratewin_ktype, kernel_kobj,
				       "ratewin");

	if (!err)
		err = ratewin_add_classes(rwin);
	if (err)
		kobject_put(&rwin->kobj);
	return err;
}
