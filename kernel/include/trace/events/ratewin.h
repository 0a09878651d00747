/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ratewin

#if !defined(_TRACE_RATEWIN_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_RATEWIN_H

#include <linux/ratewin_types.h>
#include <linux/tracepoint.h>

TRACE_DEFINE_ENUM(RATEWIN_FILE);
TRACE_DEFINE_ENUM(RATEWIN_NET);

#define show_ratewin_io(io)					\
	__print_symbolic(io, { RATEWIN_FILE, "file" }, { RATEWIN_NET, "net" })

/* A constrained task owes a sleep for the bytes it has just moved. */
TRACE_EVENT(ratewin_sleep,

	TP_PROTO(unsigned int cls, enum ratewin_io io, u64 bytes, u64 delay_ns),

	TP_ARGS(cls, io, bytes, delay_ns),

	TP_STRUCT__entry(
		__field(unsigned int,	cls)
		__field(int,		io)
		__field(u64,		bytes)
		__field(u64,		delay_ns)
	),

	TP_fast_assign(
		__entry->cls		= cls;
		__entry->io		= io;
		__entry->bytes		= bytes;
		__entry->delay_ns	= delay_ns;
	),

	TP_printk("class=%u io=%s bytes=%llu delay_ns=%llu",
		  __entry->cls, show_ratewin_io(__entry->io),
		  __entry->bytes, __entry->delay_ns)
);

/* The system enters or leaves the throttled state for one kind of I/O. */
TRACE_EVENT(ratewin_throttle,

	TP_PROTO(enum ratewin_io io, bool throttled, u64 rate),

	TP_ARGS(io, throttled, rate),

	TP_STRUCT__entry(
		__field(int,	io)
		__field(bool,	throttled)
		__field(u64,	rate)
	),

	TP_fast_assign(
		__entry->io		= io;
		__entry->throttled	= throttled;
		__entry->rate		= rate;
	),

	TP_printk("io=%s throttled=%d unconstrained_rate=%llu",
		  show_ratewin_io(__entry->io), __entry->throttled,
		  __entry->rate)
);

#endif /* _TRACE_RATEWIN_H */

#include <trace/define_trace.h>
