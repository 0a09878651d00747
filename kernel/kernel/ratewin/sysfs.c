// SPDX-License-Identifier: GPL-2.0
/*
 * Rate windows: the sysfs interface, /sys/kernel/ratewin.
 *
 * Documentation/ABI/testing/sysfs-kernel-ratewin lists every attribute.
 * Stores parse into locals, check bounds, then check relations with the
 * other tunables and commit under ratewin.lock (and the thresholds under
 * their load's lock too, which the fold reads them under), so a rejected
 * write leaves the old value. Malformed input (an embedded NUL
 * included) gives -EINVAL,
 * numbers out of bounds -ERANGE, values that contradict another tunable
 * (thresh_low >= thresh_high, min_sleep_us > max_sleep_us) -EINVAL.
 */

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

typedef int (*ratewin_setter)(struct ratewin *rw, u64 val);

static ssize_t store_tunable(struct ratewin *rw, const char *buf, size_t count,
			     u64 min, u64 max, ratewin_setter set)
{
	u64 val;
	int err = parse_u64(buf, count, min, max, &val);

	if (err)
		return err;
	spin_lock(&rw->lock);
	err = set(rw, val);
	spin_unlock(&rw->lock);
	if (err)
		return err;
	ratewin_limits_changed();
	return count;
}

/* A read-write global tunable with its getter and its setter. */
#define RATEWIN_TUNABLE(_name, _min, _max)				\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n", (u64)get_##_name(to_ratewin(kobj))); \
}									\
static ssize_t _name##_store(struct kobject *kobj,			\
			     struct kobj_attribute *attr,		\
			     const char *buf, size_t count)		\
{									\
	return store_tunable(to_ratewin(kobj), buf, count, _min, _max,	\
			     set_##_name);				\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RW(_name)

/*
 * Setters run under ratewin.lock. Each WRITE_ONCE() pairs with a lockless
 * READ_ONCE() in core.c or ratewin.h, and with the getter's.
 */
static u64 get_window_events(struct ratewin *rw)
{
	return READ_ONCE(rw->window_events);
}

static int set_window_events(struct ratewin *rw, u64 val)
{
	WRITE_ONCE(rw->window_events, val);
	return 0;
}

RATEWIN_TUNABLE(window_events, 1, RATEWIN_MAX_EVENTS);

static u64 get_window_ms(struct ratewin *rw)
{
	return READ_ONCE(rw->window_ms);
}

static int set_window_ms(struct ratewin *rw, u64 val)
{
	WRITE_ONCE(rw->window_ms, val);
	return 0;
}

RATEWIN_TUNABLE(window_ms, RATEWIN_WINDOW_MS_MIN, RATEWIN_WINDOW_MS_MAX);

static u64 get_min_sleep_us(struct ratewin *rw)
{
	return READ_ONCE(rw->min_sleep_us);
}

static int set_min_sleep_us(struct ratewin *rw, u64 val)
{
	if (val > rw->max_sleep_us)
		return -EINVAL;
	ratewin_set_min_sleep(rw, val);
	return 0;
}

RATEWIN_TUNABLE(min_sleep_us, 0, RATEWIN_SLEEP_US_MAX);

static u64 get_max_sleep_us(struct ratewin *rw)
{
	return READ_ONCE(rw->max_sleep_us);
}

static int set_max_sleep_us(struct ratewin *rw, u64 val)
{
	if (val < rw->min_sleep_us)
		return -EINVAL;
	WRITE_ONCE(rw->max_sleep_us, val);
	return 0;
}

RATEWIN_TUNABLE(max_sleep_us, 1, RATEWIN_SLEEP_US_MAX);

/* Thresholds are read by the fold, under the load's lock. */
static int set_thresh(struct ratewin_load *load, u64 high, u64 low)
{
	if (low >= high)
		return -EINVAL;
	load->thresh_high = high;
	load->thresh_low = low;
	return 0;
}

static int set_thresh_locked(struct ratewin_load *load, u64 *field, u64 val)
{
	u64 high = field == &load->thresh_high ? val : load->thresh_high;
	u64 low = field == &load->thresh_low ? val : load->thresh_low;
	int err;

	spin_lock(&load->lock);
	err = set_thresh(load, high, low);
	spin_unlock(&load->lock);
	return err;
}

static u64 read_locked(spinlock_t *lock, const u64 *field)
{
	u64 val;

	spin_lock(lock);
	val = *field;
	spin_unlock(lock);
	return val;
}

#define RATEWIN_THRESHOLD(_io, _IO, _which)				\
static u64 get_##_io##_thresh_##_which(struct ratewin *rw)		\
{									\
	return read_locked(&rw->load[_IO].lock,				\
			   &rw->load[_IO].thresh_##_which);		\
}									\
static int set_##_io##_thresh_##_which(struct ratewin *rw, u64 val)	\
{									\
	return set_thresh_locked(&rw->load[_IO],			\
				 &rw->load[_IO].thresh_##_which, val);	\
}									\
RATEWIN_TUNABLE(_io##_thresh_##_which, 0, U64_MAX)

RATEWIN_THRESHOLD(file, RATEWIN_FILE, high);
RATEWIN_THRESHOLD(file, RATEWIN_FILE, low);
RATEWIN_THRESHOLD(net, RATEWIN_NET, high);
RATEWIN_THRESHOLD(net, RATEWIN_NET, low);

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_ratewin(kobj)->enabled));
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct ratewin *rw = to_ratewin(kobj);
	bool val;
	int err = check_text(buf, count) ?: kstrtobool(buf, &val);

	if (err)
		return err;
	ratewin_set_enabled(rw, val);
	ratewin_limits_changed();
	return count;
}

static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);

/* Read-only measurements of the unconstrained traffic. */
#define RATEWIN_LOAD_STATE(_io, _IO)					\
static ssize_t throttled_##_io##_show(struct kobject *kobj,		\
				      struct kobj_attribute *attr,	\
				      char *buf)			\
{									\
	return sysfs_emit(buf, "%d\n",					\
			  ratewin_throttled(to_ratewin(kobj), _IO,	\
					    ktime_get_ns()));		\
}									\
static struct kobj_attribute throttled_##_io##_attr =			\
	__ATTR_RO(throttled_##_io);					\
static ssize_t unconstrained_##_io##_rate_show(struct kobject *kobj,	\
					       struct kobj_attribute *attr, \
					       char *buf)		\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  ratewin_unconstrained_rate(to_ratewin(kobj), _IO, \
						     ktime_get_ns()));	\
}									\
static struct kobj_attribute unconstrained_##_io##_rate_attr =		\
	__ATTR_RO(unconstrained_##_io##_rate)

RATEWIN_LOAD_STATE(file, RATEWIN_FILE);
RATEWIN_LOAD_STATE(net, RATEWIN_NET);

static struct attribute *ratewin_attrs[] = {
	&enabled_attr.attr,
	&window_events_attr.attr,
	&window_ms_attr.attr,
	&min_sleep_us_attr.attr,
	&max_sleep_us_attr.attr,
	&file_thresh_high_attr.attr,
	&file_thresh_low_attr.attr,
	&net_thresh_high_attr.attr,
	&net_thresh_low_attr.attr,
	&throttled_file_attr.attr,
	&throttled_net_attr.attr,
	&unconstrained_file_rate_attr.attr,
	&unconstrained_net_rate_attr.attr,
	NULL,
};

static const struct attribute_group ratewin_group = {
	.attrs = ratewin_attrs,
};

/* Not static: the KUnit suite writes the attributes through these. */
const struct attribute_group *ratewin_groups[] = {
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
#define RATEWIN_LIMIT_STAT(_io, _IO, _name, _field)			\
static ssize_t _io##_##_name##_show(struct kobject *kobj,		\
				    struct kobj_attribute *attr, char *buf) \
{									\
	struct ratewin_limit *limit = &to_class(kobj)->limit[_IO];	\
									\
	return sysfs_emit(buf, "%llu\n", read_locked(&limit->lock, &limit->_field)); \
}									\
static struct kobj_attribute _io##_##_name##_attr = __ATTR_RO(_io##_##_name)

#define RATEWIN_LIMIT(_io, _IO)						\
static ssize_t _io##_rate_show(struct kobject *kobj,			\
			       struct kobj_attribute *attr, char *buf)	\
{									\
	struct ratewin_limit *limit = &to_class(kobj)->limit[_IO];	\
									\
	return sysfs_emit(buf, "%llu\n", read_locked(&limit->lock, &limit->rate)); \
}									\
static ssize_t _io##_rate_store(struct kobject *kobj,			\
				struct kobj_attribute *attr,		\
				const char *buf, size_t count)		\
{									\
	u64 val;							\
	int err = parse_u64(buf, count, 0, U64_MAX, &val);		\
									\
	if (err)							\
		return err;						\
	ratewin_set_rate(to_class(kobj), _IO, val);			\
	ratewin_limits_changed();					\
	return count;							\
}									\
static struct kobj_attribute _io##_rate_attr = __ATTR_RW(_io##_rate);	\
static ssize_t _io##_window_rate_show(struct kobject *kobj,		\
				      struct kobj_attribute *attr,	\
				      char *buf)			\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  ratewin_class_rate(to_class(kobj), _IO,	\
					     ktime_get_ns()));		\
}									\
static struct kobj_attribute _io##_window_rate_attr =			\
	__ATTR_RO(_io##_window_rate);					\
RATEWIN_LIMIT_STAT(_io, _IO, bytes, stats.bytes);			\
RATEWIN_LIMIT_STAT(_io, _IO, events, stats.events);			\
RATEWIN_LIMIT_STAT(_io, _IO, sleeps, stats.sleeps);			\
RATEWIN_LIMIT_STAT(_io, _IO, sleep_ns, stats.sleep_ns)

RATEWIN_LIMIT(file, RATEWIN_FILE);
RATEWIN_LIMIT(net, RATEWIN_NET);

static struct attribute *ratewin_class_attrs[] = {
	&mode_attr.attr,
	&members_attr.attr,
	&file_rate_attr.attr,
	&file_window_rate_attr.attr,
	&file_bytes_attr.attr,
	&file_events_attr.attr,
	&file_sleeps_attr.attr,
	&file_sleep_ns_attr.attr,
	&net_rate_attr.attr,
	&net_window_rate_attr.attr,
	&net_bytes_attr.attr,
	&net_events_attr.attr,
	&net_sleeps_attr.attr,
	&net_sleep_ns_attr.attr,
	NULL,
};

static const struct attribute_group ratewin_class_group = {
	.attrs = ratewin_class_attrs,
};

const struct attribute_group *ratewin_class_groups[] = {
	&ratewin_class_group,
	NULL,
};

static void ratewin_release(struct kobject *kobj)
{
	struct ratewin *rw = to_ratewin(kobj);

	ratewin_teardown(rw);
	kfree(rw);
}

/*
 * A class lives inside its struct ratewin, which the reference a child
 * holds on its parent keeps alive until the class is gone: nothing to free.
 */
static void ratewin_class_release(struct kobject *kobj)
{
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

static int __init ratewin_add_classes(struct ratewin *rw)
{
	unsigned int i;
	int err;

	for (i = 0; i < RATEWIN_NR_CLASSES; i++) {
		err = kobject_init_and_add(&rw->cls[i].kobj, &ratewin_class_ktype,
					   &rw->kobj, "class%u", rw->cls[i].id);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	/* kobject_init_and_add() needs a put even when it fails */
	do {
		kobject_put(&rw->cls[i].kobj);
	} while (i--);
	return err;
}

static int __init ratewin_init(void)
{
	struct ratewin *rw = kzalloc(sizeof(*rw), GFP_KERNEL);
	int err;

	if (!rw)
		return -ENOMEM;
	err = ratewin_setup(rw);
	if (err) {
		kfree(rw);
		return err;
	}
	err = kobject_init_and_add(&rw->kobj, &ratewin_ktype, kernel_kobj,
				   "ratewin");
	if (!err)
		err = ratewin_add_classes(rw);
	if (err) {
		kobject_put(&rw->kobj);
		return err;
	}
	ratewin_unconstrained = rw->pcpu;
	WRITE_ONCE(ratewin_instance, rw);
	return 0;
}
late_initcall(ratewin_init);
