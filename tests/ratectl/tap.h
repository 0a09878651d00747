/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A plain TAP producer: one "ok N - name" or "not ok N - name" a check,
 * the plan at the end, and the summary line CI reads: "N passed, N failed".
 */
#ifndef RATECTL_TAP_H
#define RATECTL_TAP_H

#include <stdarg.h>
#include <stdio.h>

static unsigned int tap_passed, tap_failed;

__attribute__((format(printf, 2, 3)))
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", cond ? "" : "not ", tap_passed + tap_failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (cond)
		tap_passed++;
	else
		tap_failed++;
	return cond;
}

static int tap_done(void)
{
	printf("1..%u\n# %u passed, %u failed\n", tap_passed + tap_failed,
	       tap_passed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif
