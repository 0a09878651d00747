/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every ratewin tunable as ratectl sees it: its name in a config file, the
 * sysfs attribute behind it, what kind of value it holds and the bounds
 * the kernel enforces (Documentation/ABI/testing/sysfs-kernel-ratewin),
 * checked here too so that a bad value is refused before anything is
 * written. Values are held in the attribute's own unit: bytes per second,
 * milliseconds, microseconds, events, or 0/1 for booleans and modes.
 */
#ifndef RATECTL_SETTINGS_H
#define RATECTL_SETTINGS_H

#include <stdint.h>

#include "units.h"

#define MAX_CLASSES	64
#define GLOBAL_SETTINGS	9
#define CLASS_SETTINGS	3
#define MAX_SETTINGS	(GLOBAL_SETTINGS + CLASS_SETTINGS * MAX_CLASSES)
#define WHY_LEN		128

enum setting_kind {
	KIND_BOOL,	/* enabled: yes/no */
	KIND_COUNT,	/* window events */
	KIND_MS,	/* a duration the kernel holds in ms */
	KIND_US,	/* a duration the kernel holds in us */
	KIND_RATE,	/* a hysteresis threshold, bytes/s */
	KIND_LIMIT,	/* a class limit: bytes/s, 0 is unlimited */
	KIND_MODE,	/* shared or always */
};

enum io_kind { IO_FILE, IO_NET, IO_KINDS };
enum class_mode { MODE_SHARED, MODE_ALWAYS };	/* mode_names[] */

struct setting {
	char key[24];
	char attr[24];
	enum setting_kind kind;
	uint64_t min;
	uint64_t max;
	uint64_t def;		/* the kernel's default */
};

struct settings {
	struct setting s[MAX_SETTINGS];
	unsigned int n;
	unsigned int nclasses;
};

/* A pair that must stay ordered: value[lower] < value[upper] (<= if !strict). */
struct constraint {
	unsigned int lower;
	unsigned int upper;
	int strict;
};

extern const char *const io_names[IO_KINDS];
extern const char *const mode_names[2];
extern const struct constraint constraints[3];

void settings_init(struct settings *set, unsigned int nclasses);
int setting_index(const struct settings *set, const char *key);
int class_setting(unsigned int class, const char *what);

int setting_parse(const struct setting *s, const char *text, uint64_t *value,
		  char why[WHY_LEN]);
char *setting_format(const struct setting *s, uint64_t value,
		     char buf[UNIT_BUF_LEN]);
char *setting_attr_text(const struct setting *s, uint64_t value,
			char buf[UNIT_BUF_LEN]);
int setting_from_attr(const struct setting *s, const char *text,
		      uint64_t *value);
const char *setting_kind_name(const struct setting *s);

int parse_class(const char *text, unsigned int first, unsigned int nclasses,
		unsigned int *class, char why[WHY_LEN]);
int parse_io(const char *text);

#endif
