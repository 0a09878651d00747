/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratectl's configuration file: one "key = value" a line, '#' starts a
 * comment, blank lines are ignored. The keys are the names in struct
 * setting (enabled, window.events, window.time, window.min-sleep,
 * window.max-sleep, file.high, file.low, net.high, net.low, classN.file,
 * classN.net, classN.mode); each may appear once, and any left out keeps
 * its current value. Values take the same units as the command line.
 */
#ifndef RATECTL_CONFIG_H
#define RATECTL_CONFIG_H

#include <stdio.h>

#include "changeset.h"

int config_parse(FILE *in, const char *name, struct changeset *cs);
void config_save(FILE *out, const struct settings *set,
		 const uint64_t values[MAX_SETTINGS]);
void config_print(FILE *out, const struct settings *set,
		  const uint64_t values[MAX_SETTINGS], const char *prefix);

#endif
