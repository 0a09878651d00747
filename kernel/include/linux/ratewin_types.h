/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate windows: the types that struct task_struct and the rate-window core
 * share with the hooks (include/linux/ratewin.h).
 */
#ifndef _LINUX_RATEWIN_TYPES_H
#define _LINUX_RATEWIN_TYPES_H

#include <linux/types.h>

/* Constrained classes are numbered from 1; 0 is unconstrained. */
#define RATEWIN_UNCONSTRAINED	0

enum ratewin_io {
	RATEWIN_FILE,
	RATEWIN_NET,
	RATEWIN_NR_IO,
	/* neither: pipes, character devices, UNIX sockets, pseudo files... */
	RATEWIN_UNCHARGED = RATEWIN_NR_IO,
};

/* Bytes a task has moved but not yet charged, and the limit they are for. */
struct ratewin_held {
	u32 bytes;
	/* that limit's debt id, and so its epoch, when they were moved */
	u32 id;
};

/* Bytes moved by unconstrained tasks, counted on the CPU they ran on. */
struct ratewin_pcpu {
	unsigned long bytes[RATEWIN_NR_IO];
};

#endif /* _LINUX_RATEWIN_TYPES_H */
