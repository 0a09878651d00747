// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/ratewin as a user meets it, in the booted patched kernel:
 * every attribute the ABI document lists exists with its documented mode and
 * nothing undocumented does, the defaults are the documented ones, bad
 * writes get their errno and change nothing, and only root may write.
 * Then the same with hostile input: every writable attribute gets a table
 * of malformed values, /proc/<pid>/ratewin_class gets PIDs that do not
 * exist or are kernel threads, and writers and readers race on the same
 * attributes for RATEWIN_RACE_SECONDS (default 30) without breaking an
 * invariant, and limits set and removed thousands of times a second
 * rewrite the kernel's code only about once a second.
 *
 * Usage: sysfs_test ABI_FILE    (Documentation/ABI/testing/sysfs-kernel-ratewin)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"

#define ROOT		"/sys/kernel/ratewin"
#define NR_CLASSES	8
#define MAX_ATTRS	256

struct documented {
	char path[128];		/* relative to ROOT, classN expanded */
	mode_t mode;
};

static struct documented documented[MAX_ATTRS];
static int nr_documented;
static const char *abi_file;

static void document(const char *path, mode_t mode)
{
	if (nr_documented == MAX_ATTRS)
		ksft_exit_fail_msg("more than %d documented attributes\n", MAX_ATTRS);
	snprintf(documented[nr_documented].path, sizeof(documented[0].path), "%s", path);
	documented[nr_documented++].mode = mode;
}

/* Each "What:" and the (RW) or (RO) that opens its description. */
static int read_abi(const char *file)
{
	char line[512], what[128] = "", path[128];
	FILE *f = fopen(file, "r");
	int n;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *rw = strstr(line, "(RW)"), *ro = strstr(line, "(RO)");

		if (sscanf(line, "What: " ROOT "/%127s", what) == 1 || (!rw && !ro) || !*what)
			continue;
		if (!strncmp(what, "classN/", 7)) {
			for (n = 1; n <= NR_CLASSES; n++) {
				snprintf(path, sizeof(path), "class%d/%s", n, what + 7);
				document(path, rw ? 0644 : 0444);
			}
		} else {
			document(what, rw ? 0644 : 0444);
		}
		*what = '\0';
	}
	fclose(f);
	return 0;
}

static int read_path(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -errno;
	buf[len] = '\0';
	return 0;
}

static int read_attr(const char *attr, char *buf, size_t size)
{
	char path[256];

	if (snprintf(path, sizeof(path), ROOT "/%s", attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return read_path(path, buf, size);
}

/* 0, or the errno write(2) failed with. */
static int write_attr(const char *attr, const char *val, size_t len)
{
	char path[256];
	int fd, err = 0;

	if (snprintf(path, sizeof(path), ROOT "/%s", attr) >= (int)sizeof(path))
		return ENAMETOOLONG;
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, val, len) < 0)
		err = errno;
	close(fd);
	return err;
}

static int test_documented_attributes_exist(void)
{
	struct stat st;
	char path[256];
	int i, ret = KSFT_PASS;

	if (nr_documented < 20) {
		ksft_print_msg("only %d attributes documented in %s\n", nr_documented, abi_file);
		return KSFT_FAIL;
	}
	for (i = 0; i < nr_documented; i++) {
		snprintf(path, sizeof(path), ROOT "/%.128s", documented[i].path);
		if (stat(path, &st)) {
			ksft_print_msg("%s: %s\n", path, strerror(errno));
			ret = KSFT_FAIL;
		} else if ((st.st_mode & 0777) != documented[i].mode) {
			ksft_print_msg("%s: mode %o, documented %o\n", path,
				       st.st_mode & 0777, documented[i].mode);
			ret = KSFT_FAIL;
		}
	}
	return ret;
}

static int is_documented(const char *path)
{
	int i;

	for (i = 0; i < nr_documented; i++)
		if (!strcmp(documented[i].path, path))
			return 1;
	return 0;
}

static int check_listed(const char *dir, const char *prefix)
{
	struct dirent *d;
	char path[256];
	int ret = KSFT_PASS;
	DIR *dp = opendir(dir);

	if (!dp) {
		ksft_print_msg("%s: %s\n", dir, strerror(errno));
		return KSFT_FAIL;
	}
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.' || d->d_type == DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s%s", prefix, d->d_name);
		if (!is_documented(path)) {
			ksft_print_msg("%s/%s is not documented\n", dir, d->d_name);
			ret = KSFT_FAIL;
		}
	}
	closedir(dp);
	return ret;
}

static int test_every_attribute_documented(void)
{
	char dir[64], prefix[16];
	int n, ret = check_listed(ROOT, "");

	for (n = 1; n <= NR_CLASSES; n++) {
		snprintf(dir, sizeof(dir), ROOT "/class%d", n);
		snprintf(prefix, sizeof(prefix), "class%d/", n);
		if (check_listed(dir, prefix) != KSFT_PASS)
			ret = KSFT_FAIL;
	}
	return ret;
}

static const struct {
	const char *attr;
	const char *value;
} defaults[] = {
	{ "enabled", "1\n" },
	{ "window_events", "100\n" },
	{ "window_ms", "5000\n" },
	{ "min_sleep_us", "1000\n" },
	{ "max_sleep_us", "100000\n" },
	{ "file_thresh_high", "8388608\n" },
	{ "file_thresh_low", "4194304\n" },
	{ "net_thresh_high", "1048576\n" },
	{ "net_thresh_low", "524288\n" },
	{ "throttled_file", "0\n" },
	{ "throttled_net", "0\n" },
	{ "class1/file_rate", "0\n" },
	{ "class8/net_rate", "0\n" },
	{ "class3/mode", "shared\n" },
	{ "class5/file_sleeps", "0\n" },
};

static int test_defaults(void)
{
	char buf[64];
	int ret = KSFT_PASS;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(defaults); i++) {
		if (read_attr(defaults[i].attr, buf, sizeof(buf)) ||
		    strcmp(buf, defaults[i].value)) {
			ksft_print_msg("%s reads \"%s\", documented \"%s\"\n",
				       defaults[i].attr, buf, defaults[i].value);
			ret = KSFT_FAIL;
		}
	}
	return ret;
}

static const struct {
	const char *attr;
	const char *value;
	size_t len;		/* 0: strlen(value) */
	int err;
} bad_writes[] = {
	{ "enabled", "maybe", 0, EINVAL },
	{ "window_events", "0", 0, ERANGE },
	{ "window_events", "257", 0, ERANGE },
	{ "window_events", "-1", 0, EINVAL },
	{ "window_events", "\n", 0, EINVAL },
	{ "window_events", " 7", 0, EINVAL },
	{ "window_events", "1\0002", 3, EINVAL },
	{ "window_events", "99999999999999999999999", 0, ERANGE },
	{ "window_ms", "5", 0, ERANGE },
	{ "window_ms", "0", 0, ERANGE },
	{ "max_sleep_us", "0", 0, ERANGE },
	{ "file_thresh_high", "0", 0, EINVAL },
	{ "net_thresh_high", "0", 0, EINVAL },
	{ "file_thresh_low", "8388608", 0, EINVAL },
	{ "min_sleep_us", "100001", 0, EINVAL },
	{ "window_ms", "5s", 0, EINVAL },
	{ "min_sleep_us", "200000", 0, EINVAL },
	{ "max_sleep_us", "10", 0, EINVAL },
	{ "max_sleep_us", "10000001", 0, ERANGE },
	{ "file_thresh_high", "4194304", 0, EINVAL },
	{ "file_thresh_low", "9999999", 0, EINVAL },
	{ "net_thresh_low", "1048576", 0, EINVAL },
	{ "net_thresh_high", "abc", 0, EINVAL },
	{ "class1/file_rate", "-1", 0, EINVAL },
	{ "class1/file_rate", "18446744073709551616", 0, ERANGE },
	{ "class2/net_rate", "1M", 0, EINVAL },
	{ "class8/mode", "hard", 0, EINVAL },
	{ "class8/mode", "always\0", 7, EINVAL },
	{ "throttled_file", "1", 0, EACCES },
	{ "class4/file_bytes", "0", 0, EACCES },
};

static int test_bad_writes_rejected(void)
{
	char before[64], after[64];
	int err, ret = KSFT_PASS;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_writes); i++) {
		const char *attr = bad_writes[i].attr;
		size_t len = bad_writes[i].len ?: strlen(bad_writes[i].value);

		read_attr(attr, before, sizeof(before));
		err = write_attr(attr, bad_writes[i].value, len);
		read_attr(attr, after, sizeof(after));
		if (err != bad_writes[i].err) {
			ksft_print_msg("%s <- \"%s\": %s, expected %s\n", attr,
				       bad_writes[i].value, strerror(err),
				       strerror(bad_writes[i].err));
			ret = KSFT_FAIL;
		}
		if (strcmp(before, after)) {
			ksft_print_msg("%s changed from %s to %s\n", attr, before, after);
			ret = KSFT_FAIL;
		}
	}
	return ret;
}

/*
 * Malformed values for every writable attribute, by what the attribute
 * holds; each must fail with its errno and leave the value in place
 * (bad_writes[] has the values bad for one attribute only). A
 * zero-length write never reaches the attribute (sysfs returns 0) and is
 * checked to change nothing too.
 */
enum attr_kind { NUMBER, BOOLEAN, MODE, KINDS };

struct hostile {
	const char *value;
	size_t len;		/* 0: strlen(value) */
	int err[KINDS];		/* NUMBER, BOOLEAN, MODE; 0: not for this kind */
};

#define HUGE_LEN	8192
static char huge_digits[HUGE_LEN], huge_letters[HUGE_LEN];

static const struct hostile hostile_values[] = {
	{ "", 0, { 0, 0, 0 } },
	{ " ", 0, { EINVAL, EINVAL, EINVAL } },
	{ "\n", 0, { EINVAL, EINVAL, EINVAL } },
	{ "\t1", 0, { EINVAL, EINVAL, EINVAL } },
	{ "-1", 0, { EINVAL, EINVAL, EINVAL } },
	{ "18446744073709551616", 0, { ERANGE, 0, EINVAL } },
	{ "99999999999999999999999999999999", 0, { ERANGE, EINVAL, EINVAL } },
	{ "abc", 0, { EINVAL, EINVAL, EINVAL } },
	{ "1abc", 0, { EINVAL, 0, EINVAL } },
	{ "0x10", 0, { EINVAL, 0, EINVAL } },
	{ "1.5", 0, { EINVAL, 0, EINVAL } },
	{ "\0", 1, { EINVAL, EINVAL, EINVAL } },
	{ "1\0002", 3, { EINVAL, EINVAL, EINVAL } },
	{ "shared\0", 7, { EINVAL, EINVAL, EINVAL } },
	{ "SHARED", 0, { EINVAL, EINVAL, EINVAL } },
	{ " always", 0, { EINVAL, EINVAL, EINVAL } },
	{ "shared always", 0, { EINVAL, EINVAL, EINVAL } },
	{ huge_digits, HUGE_LEN, { ERANGE, EINVAL, EINVAL } },
	{ huge_letters, HUGE_LEN, { EINVAL, EINVAL, EINVAL } },
};

static enum attr_kind attr_kind(const char *attr)
{
	if (!strcmp(attr, "enabled"))
		return BOOLEAN;
	if (strstr(attr, "/mode"))
		return MODE;
	return NUMBER;
}

static int hostile_write(const char *attr, const char *value, size_t len,
			 int expected, int *tried)
{
	char before[64] = "", after[64] = "";
	int err;

	read_attr(attr, before, sizeof(before));
	err = write_attr(attr, value, len);
	read_attr(attr, after, sizeof(after));
	++*tried;
	if (err == expected && !strcmp(before, after))
		return KSFT_PASS;
	before[strcspn(before, "\n")] = after[strcspn(after, "\n")] = '\0';
	ksft_print_msg("%s <- %zu bytes \"%.16s\": %s (expected %s), %s -> %s\n",
		       attr, len, value, strerror(err), strerror(expected),
		       before, after);
	return KSFT_FAIL;
}

static int test_hostile_values_refused(void)
{
	int ret = KSFT_PASS, tried = 0;
	size_t i, v;

	memset(huge_digits, '9', sizeof(huge_digits));
	memset(huge_letters, 'x', sizeof(huge_letters));
	for (i = 0; i < (size_t)nr_documented; i++) {
		const char *attr = documented[i].path;
		enum attr_kind kind = attr_kind(attr);

		if (documented[i].mode != 0644)
			continue;
		for (v = 0; v < ARRAY_SIZE(hostile_values); v++) {
			const struct hostile *h = &hostile_values[v];
			size_t len = h->len ?: strlen(h->value);

			if (h->err[kind] || !len)
				ret |= hostile_write(attr, h->value, len, h->err[kind], &tried);
		}
	}
	ksft_print_msg("%d hostile writes tried\n", tried);
	return ret ? KSFT_FAIL : KSFT_PASS;
}

/* 0, or the errno that opening or writing /proc/PID/ratewin_class gave. */
static int write_class(const char *pid, const char *value)
{
	char path[64];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/%s/ratewin_class", pid);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, value, strlen(value)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* PID 2 is kthreadd, the parent of every kernel thread. */
static int test_hostile_pids_refused(void)
{
	static const struct {
		const char *pid, *value;
		int err;
	} cases[] = {
		{ "2", "1", EINVAL },
		{ "2", "0", EINVAL },
		{ "999999", "1", ENOENT },
		{ "self", "9", ERANGE },
		{ "self", "-1", EINVAL },
		{ "self", "1x", EINVAL },
		{ "self", "4294967296", ERANGE },
	};
	char class[16];
	int ret = KSFT_PASS;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = write_class(cases[i].pid, cases[i].value);

		if (err != cases[i].err) {
			ksft_print_msg("/proc/%s/ratewin_class <- %s: %s, expected %s\n",
				       cases[i].pid, cases[i].value, strerror(err),
				       strerror(cases[i].err));
			ret = KSFT_FAIL;
		}
	}
	if (read_path("/proc/2/ratewin_class", class, sizeof(class)) ||
	    strcmp(class, "0\n")) {
		ksft_print_msg("kthreadd is in class %s", class);
		ret = KSFT_FAIL;
	}
	return ret;
}

/* The tunables the racers write, and what they write (valid or not). */
static const char *const race_attrs[] = {
	"file_thresh_high", "file_thresh_low", "net_thresh_high", "net_thresh_low",
	"min_sleep_us", "max_sleep_us", "window_events", "window_ms",
	"class1/file_rate", "class1/mode", "class2/net_rate", "enabled",
};
static const char *const race_values[] = {
	"0", "1", "1000", "4194304", "8388608", "100000", "5000", "256",
	"18446744073709551615", "shared", "always", "-1", "x",
};

static void race(unsigned int seed, int write, time_t until)
{
	char buf[64];

	while (time(NULL) < until) {
		const char *attr = race_attrs[rand_r(&seed) % ARRAY_SIZE(race_attrs)];

		if (write) {
			const char *v = race_values[rand_r(&seed) % ARRAY_SIZE(race_values)];

			write_attr(attr, v, strlen(v));
		} else {
			read_attr(attr, buf, sizeof(buf));
		}
	}
	_exit(0);
}

static unsigned long long attr_u64(const char *attr)
{
	char buf[64] = "";

	read_attr(attr, buf, sizeof(buf));
	return strtoull(buf, NULL, 10);
}

/* What the kernel must hold true, whatever the racers did. */
static int invariants_hold(void)
{
	char mode[16] = "";
	int ok = 1;

	ok &= attr_u64("file_thresh_low") < attr_u64("file_thresh_high");
	ok &= attr_u64("net_thresh_low") < attr_u64("net_thresh_high");
	ok &= attr_u64("min_sleep_us") <= attr_u64("max_sleep_us");
	ok &= attr_u64("window_events") >= 1 && attr_u64("window_events") <= 256;
	ok &= attr_u64("window_ms") >= 10 && attr_u64("window_ms") <= 60000;
	read_attr("class1/mode", mode, sizeof(mode));
	ok &= !strcmp(mode, "shared\n") || !strcmp(mode, "always\n");
	return ok;
}

static void restore_defaults(void)
{
	static const char *const defaults[][2] = {
		{ "file_thresh_low", "0" }, { "net_thresh_low", "0" }, { "min_sleep_us", "0" },
		{ "file_thresh_high", "8388608" }, { "file_thresh_low", "4194304" },
		{ "net_thresh_high", "1048576" }, { "net_thresh_low", "524288" },
		{ "max_sleep_us", "100000" }, { "min_sleep_us", "1000" },
		{ "window_events", "100" }, { "window_ms", "5000" }, { "enabled", "1" },
		{ "class1/file_rate", "0" }, { "class1/mode", "shared" },
		{ "class2/net_rate", "0" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(defaults); i++)
		write_attr(defaults[i][0], defaults[i][1], strlen(defaults[i][1]));
}

/*
 * Four writers and two readers on the same attributes; every writer's
 * value is valid or not, alone or beside the others. Afterwards the
 * invariants hold (and the guest's dmesg, checked by the host, is clean).
 */
static int test_racing_writers_and_readers(void)
{
	const char *env = getenv("RATEWIN_RACE_SECONDS");
	int seconds = env ? atoi(env) : 30, status, ret = KSFT_PASS;
	time_t until = time(NULL) + seconds;
	pid_t pids[6];
	int i;

	for (i = 0; i < 6; i++) {
		pids[i] = fork();
		if (!pids[i])
			race(i + 1, i < 4, until);
	}
	for (i = 0; i < 6; i++)
		if (pids[i] < 0 || waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			ret = KSFT_FAIL;
	if (!invariants_hold()) {
		ksft_print_msg("an invariant broke after %d s of racing\n", seconds);
		ret = KSFT_FAIL;
	}
	ksft_print_msg("4 writers and 2 readers raced for %d s\n", seconds);
	restore_defaults();
	return ret;
}

#define TRACING		"/sys/kernel/tracing"
/* Called once per batch of rewritten static-branch sites, whatever the key. */
#define KEY_PATCH_FN	"arch_jump_label_transform_apply"

static int write_path(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* The calls of KEY_PATCH_FN the function tracer has seen since it started. */
static int count_key_patches(void)
{
	char line[512];
	FILE *f = fopen(TRACING "/trace", "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += line[0] != '#' && strstr(line, KEY_PATCH_FN) != NULL;
	fclose(f);
	return n;
}

/* No class has a rate (the default), so the hooks' key is turning off. */
static void remove_all_limits(void)
{
	char attr[32];
	int n;

	for (n = 1; n <= NR_CLASSES; n++) {
		snprintf(attr, sizeof(attr), "class%d/file_rate", n);
		write_attr(attr, "0", 1);
		snprintf(attr, sizeof(attr), "class%d/net_rate", n);
		write_attr(attr, "0", 1);
	}
	write_attr("enabled", "1", 1);
}

/* Sends 4 KiB over loopback TCP in class @class: 0, or -1 on any failure. */
static int send_in_class(const char *class)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int lfd, cfd = -1, afd = -1, ret = -1;
	char buf[4096] = "";

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, len) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&addr, &len))
		goto out;
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&addr, len))
		goto out;
	afd = accept(lfd, NULL, NULL);
	if (afd >= 0 && !write_path("/proc/self/ratewin_class", class) &&
	    send(cfd, buf, sizeof(buf), 0) == sizeof(buf))
		ret = 0;
out:
	if (afd >= 0)
		close(afd);
	if (cfd >= 0)
		close(cfd);
	if (lfd >= 0)
		close(lfd);
	return ret;
}

/*
 * Are the hooks on? Their class statistics move only then: a child in
 * class 3, which has no rate, sends over loopback, and class 3's net_bytes
 * is read before and after. 1, 0, or -1 if the probe itself failed.
 */
static int hooks_on(void)
{
	unsigned long long before = attr_u64("class3/net_bytes");
	int status;
	pid_t pid = fork();

	if (!pid)
		_exit(send_in_class("3") ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return attr_u64("class3/net_bytes") != before;
}

/*
 * Limits set and removed as fast as a writer can: the hooks' static key is
 * deferred, so the kernel's code is rewritten at most once a second to
 * turn the hooks off (and as often to turn them on again), not twice per
 * flap. The hooks are seen on while a class is limited, then off before
 * and after the flapping, so the tracer must see at least the first
 * rewrite and the last. Skipped on kernels without jump
 * labels or the function tracer, which counts the rewrites, unless
 * RATEWIN_KEY_TRACER=required.
 */
static int test_flapping_limits_patch_rarely(void)
{
	const int seconds = 3;
	char filter[64];
	long flaps = 0;
	time_t until;
	int patches;

	if (access(TRACING "/trace", F_OK))
		mount("tracefs", TRACING, "tracefs", 0, NULL);
	if (write_path(TRACING "/set_ftrace_filter", KEY_PATCH_FN) ||
	    read_path(TRACING "/set_ftrace_filter", filter, sizeof(filter)) ||
	    strncmp(filter, KEY_PATCH_FN, strlen(KEY_PATCH_FN))) {
		ksft_print_msg("cannot trace %s: no jump labels or no function tracer\n",
			       KEY_PATCH_FN);
		return getenv("RATEWIN_KEY_TRACER") ? KSFT_FAIL : KSFT_SKIP;
	}
	remove_all_limits();
	write_attr("class1/file_rate", "1048576", 7);
	if (hooks_on() != 1) {
		ksft_print_msg("class statistics do not move while a class is limited\n");
		return KSFT_FAIL;
	}
	write_attr("class1/file_rate", "0", 1);
	sleep(2);
	if (hooks_on()) {
		ksft_print_msg("the hooks are not off 2 s after the last limit went\n");
		return KSFT_FAIL;
	}
	write_path(TRACING "/trace", "");
	if (write_path(TRACING "/current_tracer", "function"))
		return KSFT_FAIL;
	for (until = time(NULL) + seconds; time(NULL) < until; flaps++) {
		write_attr("class1/file_rate", "1048576", 7);
		write_attr("class1/file_rate", "0", 1);
	}
	sleep(2);
	/* before the tracer changes, which empties the buffer */
	patches = count_key_patches();
	write_path(TRACING "/current_tracer", "nop");
	write_path(TRACING "/set_ftrace_filter", "");
	ksft_print_msg("%ld limits set and removed in %d s: %d code rewrites\n",
		       flaps, seconds, patches);
	if (hooks_on()) {
		ksft_print_msg("the hooks are not off 2 s after the last limit went\n");
		return KSFT_FAIL;
	}
	return flaps >= 100 && patches >= 2 && patches <= 2 * seconds + 2 ?
	       KSFT_PASS : KSFT_FAIL;
}

static int test_good_writes_take_effect(void)
{
	static const char * const attrs[] = {
		"window_ms", "class1/file_rate", "class1/mode", "net_thresh_high",
	};
	static const char * const values[] = { "2000\n", "1048576\n", "always\n", "2097152\n" };
	char old[64], now[64];
	int ret = KSFT_PASS;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		if (read_attr(attrs[i], old, sizeof(old)) ||
		    write_attr(attrs[i], values[i], strlen(values[i])) ||
		    read_attr(attrs[i], now, sizeof(now)) || strcmp(now, values[i])) {
			ksft_print_msg("%s <- %s reads back %s\n", attrs[i], values[i], now);
			ret = KSFT_FAIL;
		}
		write_attr(attrs[i], old, strlen(old));
	}
	return ret;
}

/* A non-root user cannot open a tunable for writing. */
static int test_unprivileged_cannot_write(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return KSFT_FAIL;
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(write_attr("class1/file_rate", "1", 1) == EACCES ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return KSFT_FAIL;
	if (WEXITSTATUS(status) == 2)
		return KSFT_SKIP;
	return WEXITSTATUS(status) ? KSFT_FAIL : KSFT_PASS;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "documented_attributes_exist", test_documented_attributes_exist },
	{ "every_attribute_documented", test_every_attribute_documented },
	{ "defaults", test_defaults },
	{ "bad_writes_rejected", test_bad_writes_rejected },
	{ "good_writes_take_effect", test_good_writes_take_effect },
	{ "unprivileged_cannot_write", test_unprivileged_cannot_write },
	{ "hostile_values_refused", test_hostile_values_refused },
	{ "hostile_pids_refused", test_hostile_pids_refused },
	{ "racing_writers_and_readers", test_racing_writers_and_readers },
	{ "flapping_limits_patch_rarely", test_flapping_limits_patch_rarely },
};

int main(int argc, char **argv)
{
	size_t i;
	int err;

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(tests));
	if (argc != 2)
		ksft_exit_fail_msg("usage: %s ABI_FILE\n", argv[0]);
	abi_file = argv[1];
	if (access(ROOT, F_OK))
		ksft_exit_fail_msg(ROOT ": %s (is CONFIG_RATEWIN on?)\n", strerror(errno));
	err = read_abi(abi_file);
	if (err)
		ksft_exit_fail_msg("%s: %s\n", abi_file, strerror(-err));

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		switch (tests[i].fn()) {
		case KSFT_PASS:
			ksft_test_result_pass("%s\n", tests[i].name);
			break;
		case KSFT_SKIP:
			ksft_test_result_skip("%s\n", tests[i].name);
			break;
		default:
			ksft_test_result_fail("%s\n", tests[i].name);
		}
	}
	ksft_finished();
}
