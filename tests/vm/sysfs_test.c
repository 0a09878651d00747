// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/ratewin as a user meets it, in the booted patched kernel:
 * every attribute the ABI document lists exists with its documented mode and
 * nothing undocumented does, the defaults are the documented ones, bad
 * writes get their errno and change nothing, and only root may write.
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
#include <sys/stat.h>
#include <sys/wait.h>
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

static int read_attr(const char *attr, char *buf, size_t size)
{
	char path[256];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), ROOT "/%s", attr);
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

/* 0, or the errno write(2) failed with. */
static int write_attr(const char *attr, const char *val, size_t len)
{
	char path[256];
	int fd, err = 0;

	snprintf(path, sizeof(path), ROOT "/%s", attr);
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
