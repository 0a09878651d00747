// SPDX-License-Identifier: GPL-2.0
/*
 * flow: one stream of file or network I/O, measured the same way whatever
 * limits it (ratewin, io.max, tc, trickle), for ratewin's benchmarks.
 *
 * A sampler thread, which does no I/O and so is never throttled, reads the
 * byte count every --sample-ms. The steady rate is the bytes moved in the
 * --seconds after --warmup, between the first and the last change of the
 * count (see steady()), so that every tool is judged on the same interval
 * and not on how it treats a start-up burst.
 *
 * Usage: flow [OPTIONS] MODE ARGS...
 *   write FILE SIZE       sequential writes over the first SIZE bytes
 *   uring-write FILE SIZE the same through io_uring, four requests in flight,
 *                         counted as they complete
 *   aio-write FILE SIZE   the same through Linux AIO (io_submit(2))
 *   read FILE             sequential reads, from the start again at EOF
 *   copy SRC DST          read SRC, write DST; both count
 *   copyrange SRC DST     copy_file_range(2) from SRC to DST, as cp does
 *   sendfile SRC DST      sendfile(2) from SRC to a regular file DST, as
 *                         Python's shutil does on Linux
 *   send ADDR PORT        connect and send
 *   sink PORT             accept connections, receive and discard (forever)
 *   source PORT           accept connections, send until they close (forever)
 *   fetch ADDR PORT SIZE  connect, receive SIZE bytes, close; again
 * Options:
 *   --seconds S    steady interval (default 30); 0: until --bytes
 *   --warmup S     before it (default 2)
 *   --bytes N      stop after N bytes (default: no limit)
 *   --bs N         bytes a call (default 65536)
 *   --direct       O_DIRECT for files
 *   --sample-ms M  sampling period (default 100)
 *   --samples      print every sample, not only the summary
 * Prints one JSON object: when the work started and stopped, bytes and
 * seconds of the steady interval, their rate, the total, and with --samples
 * the [seconds, bytes] pairs, on a CLOCK_MONOTONIC time base so that
 * several flows can be lined up. The start and stop are exact; the samples
 * come every --sample-ms.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <liburing.h>
#include <linux/aio_abi.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define MAX_SAMPLES 100000
/* requests in flight for uring-write and aio-write, as fio's --iodepth=4 */
#define DEPTH 4

struct sample {
	double t;
	uint64_t bytes;
};

static struct {
	double seconds, warmup, sample_s;
	uint64_t max_bytes;
	size_t bs;
	bool direct, print_samples;
} opt = { .seconds = 30, .warmup = 2, .sample_s = 0.1, .bs = 65536 };

static atomic_uint_fast64_t moved;
static atomic_bool done;
static double start_time, end_time;	/* of the work: samples come apart */
static struct sample samples[MAX_SAMPLES];
static size_t nsamples;
static char *buf;

static bool finished(void)
{
	return atomic_load(&done) ||
	       (opt.max_bytes && atomic_load(&moved) >= opt.max_bytes);
}

/* SIGTERM ends the flow as --seconds would: with a report. */
static void stop(int sig)
{
	(void)sig;
	atomic_store(&done, true);
}

static void count(ssize_t n)
{
	if (n < 0 && errno == EINTR)
		return;
	if (n < 0)
		die("I/O");
	atomic_fetch_add(&moved, n);
}

/* Samples on an absolute schedule; ends the flow after warmup + seconds. */
static void *sampler(void *arg)
{
	double start = now(), end = start + opt.warmup + opt.seconds;
	struct timespec next;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (nsamples < MAX_SAMPLES) {
		samples[nsamples].t = now();
		samples[nsamples].bytes = atomic_load(&moved);
		nsamples++;
		if (finished() || (opt.seconds > 0 && samples[nsamples - 1].t >= end))
			break;
		next.tv_nsec += (long)(opt.sample_s * 1e9);
		while (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	atomic_store(&done, true);
	return NULL;
}

static int open_file(const char *path, int flags)
{
	int fd = open(path, flags | (opt.direct ? O_DIRECT : 0), 0600);

	if (fd < 0)
		die(path);
	return fd;
}

static void do_write(const char *path, uint64_t size)
{
	int fd = open_file(path, O_WRONLY | O_CREAT);
	uint64_t off = 0;

	while (!finished()) {
		count(pwrite(fd, buf, opt.bs, off));
		off = (off + opt.bs) % size;
	}
}

/* A completion's result: bytes written, or -errno. */
static void count_completion(long long res)
{
	errno = res < 0 ? -res : 0;
	count(res < 0 ? -1 : res);
}

static void do_uring_write(const char *path, uint64_t size)
{
	int fd = open_file(path, O_WRONLY | O_CREAT), inflight = 0, ret;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	uint64_t off = 0;

	ret = io_uring_queue_init(DEPTH, &ring, 0);
	if (ret) {
		errno = -ret;
		die("io_uring_queue_init");
	}
	while (!finished() || inflight) {
		for (; !finished() && inflight < DEPTH; inflight++) {
			io_uring_prep_write(io_uring_get_sqe(&ring), fd, buf, opt.bs, off);
			off = (off + opt.bs) % size;
		}
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0 && ret != -EINTR) {
			errno = -ret;
			die("io_uring_submit_and_wait");
		}
		for (; !io_uring_peek_cqe(&ring, &cqe); inflight--) {
			count_completion(cqe->res);
			io_uring_cqe_seen(&ring, cqe);
		}
	}
}

static void aio_submit_write(aio_context_t ctx, struct iocb *cb, int fd, uint64_t off)
{
	*cb = (struct iocb){ .aio_lio_opcode = IOCB_CMD_PWRITE, .aio_fildes = fd,
			     .aio_buf = (uintptr_t)buf, .aio_nbytes = opt.bs, .aio_offset = off };
	while (syscall(SYS_io_submit, ctx, 1, &cb) != 1)
		if (errno != EINTR)
			die("io_submit");
}

static void do_aio_write(const char *path, uint64_t size)
{
	int fd = open_file(path, O_WRONLY | O_CREAT), inflight, n;
	struct io_event events[DEPTH];
	struct iocb cbs[DEPTH];
	aio_context_t ctx = 0;
	uint64_t off = 0;

	if (syscall(SYS_io_setup, DEPTH, &ctx))
		die("io_setup");
	for (inflight = 0; inflight < DEPTH; inflight++) {
		aio_submit_write(ctx, &cbs[inflight], fd, off);
		off = (off + opt.bs) % size;
	}
	while (inflight) {
		n = syscall(SYS_io_getevents, ctx, 1, DEPTH, events, NULL);
		if (n < 0 && errno != EINTR)
			die("io_getevents");
		for (int i = 0; i < n; i++, inflight--) {
			count_completion(events[i].res);
			if (finished())
				continue;
			aio_submit_write(ctx, (struct iocb *)(uintptr_t)events[i].obj, fd, off);
			off = (off + opt.bs) % size;
			inflight++;
		}
	}
}

/* A short read at EOF starts over; a read of 0 at offset 0 is an empty file. */
static ssize_t read_around(int fd, uint64_t *off)
{
	ssize_t n = pread(fd, buf, opt.bs, *off);

	if (n == 0 && *off == 0) {
		errno = EINVAL;
		die("empty file");
	}
	*off = n > 0 ? *off + n : 0;
	return n;
}

static void do_read(const char *path)
{
	int fd = open_file(path, O_RDONLY);
	uint64_t off = 0;

	while (!finished())
		count(read_around(fd, &off));
}

/* DST ends as large as SRC: each block goes where it came from. */
static void do_copy(const char *src, const char *dst)
{
	int in = open_file(src, O_RDONLY), out = open_file(dst, O_WRONLY | O_CREAT);
	uint64_t off = 0, next = 0;

	while (!finished()) {
		ssize_t n = read_around(in, &next);

		count(n);
		if (n > 0)
			count(pwrite(out, buf, n, off));
		off = next;
	}
}

/* One copy_file_range(2) of --bs bytes from @in at *@off to @out at the same offset. */
static ssize_t copy_range(int in, int out, off_t *off)
{
	off_t to = *off;

	return copy_file_range(in, off, out, &to, opt.bs, 0);
}

/*
 * One sendfile(2) of --bs bytes from @in at *@off. It writes at @out's file
 * position, which keeps up with *@off on its own but for starting over.
 */
static ssize_t send_file(int in, int out, off_t *off)
{
	if (!*off && lseek(out, 0, SEEK_SET))
		die("lseek");
	return sendfile(out, in, off, opt.bs);
}

/*
 * copyrange and sendfile: each call asks for --bs bytes of SRC and puts what
 * it moves at the same offset of DST, so that DST ends as SRC; what it
 * returned counts. A call that moves nothing is SRC's EOF: start over.
 */
static void do_transfer(const char *src, const char *dst,
			ssize_t (*transfer)(int in, int out, off_t *off))
{
	int in = open_file(src, O_RDONLY), out = open_file(dst, O_WRONLY | O_CREAT);
	off_t off = 0;

	while (!finished()) {
		ssize_t n = transfer(in, out, &off);

		if (n == 0 && off == 0) {
			errno = EINVAL;
			die("empty file");
		}
		if (n == 0)
			off = 0;
		count(n);
	}
}

static struct sockaddr_in address(const char *addr, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };

	if (inet_pton(AF_INET, addr ? addr : "0.0.0.0", &sa.sin_addr) != 1) {
		errno = EINVAL;
		die(addr);
	}
	return sa;
}

static int connect_to(const char *addr, const char *port)
{
	struct sockaddr_in sa = address(addr, port);
	int fd;

	/* The peer may still be starting: try for 10 s. */
	for (int tries = 0; tries < 100; tries++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		usleep(100000);
	}
	die("connect");
	return -1;
}

static int listen_on(const char *port)
{
	struct sockaddr_in sa = address(NULL, port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16))
		die("listen");
	return fd;
}

static void do_send(int fd)
{
	while (!finished())
		count(send(fd, buf, opt.bs, MSG_NOSIGNAL));
}

/* sink and source: servers that are not measured and never stop. */
static void *sink_connection(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char discard[65536];

	while (recv(fd, discard, sizeof(discard), 0) > 0)
		;
	close(fd);
	return NULL;
}

static void *source_connection(void *arg)
{
	int fd = (int)(intptr_t)arg;

	while (send(fd, buf, opt.bs, MSG_NOSIGNAL) > 0)
		;
	close(fd);
	return NULL;
}

static void server(const char *port, void *(*connection)(void *))
{
	int lfd = listen_on(port);

	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		pthread_t t;

		if (fd < 0)
			die("accept");
		pthread_create(&t, NULL, connection, (void *)(intptr_t)fd);
		pthread_detach(t);
	}
}

static void do_fetch(const char *addr, const char *port, uint64_t size)
{
	while (!finished()) {
		int fd = connect_to(addr, port);
		uint64_t got = 0;
		ssize_t n;

		while (got < size && !finished() &&
		       (n = recv(fd, buf, opt.bs, 0)) > 0) {
			count(n);
			got += n;
		}
		close(fd);
	}
}

/* The sample nearest after @t. */
static const struct sample *at(double t)
{
	for (size_t i = 0; i < nsamples; i++)
		if (samples[i].t >= t)
			return &samples[i];
	return &samples[nsamples - 1];
}

/*
 * The steady interval runs from the last sample before the count first
 * changes after the warm-up to the last sample before its last change: a
 * flow that moves in bursts (1-MiB calls at a low rate, counted when they
 * return) is judged on whole bursts, one that moves smoothly on its whole
 * interval, less a sample at the end.
 */
static void steady(const struct sample *from, const struct sample **a,
		   const struct sample **b)
{
	const struct sample *end = &samples[nsamples - 1], *s;
	bool changed = false;

	*a = *b = from;
	for (s = from; s < end; s++) {
		if (s[1].bytes == s->bytes)
			continue;
		if (!changed)
			*a = s;
		changed = true;
		*b = s;
	}
}

static void report(void)
{
	const struct sample *first = &samples[0], *last = &samples[nsamples - 1];
	const struct sample *from, *to;
	double secs;
	uint64_t bytes;

	steady(at(first->t + opt.warmup), &from, &to);
	secs = to->t - from->t;
	bytes = to->bytes - from->bytes;

	printf("{\"start\": %.6f, \"end\": %.6f, \"steady_bytes\": %llu, "
	       "\"steady_seconds\": %.6f, \"rate\": %.1f, \"total_bytes\": %llu",
	       start_time, end_time, (unsigned long long)bytes, secs,
	       secs > 0 ? bytes / secs : 0.0, (unsigned long long)last->bytes);
	if (opt.print_samples) {
		printf(", \"samples\": [");
		for (size_t i = 0; i < nsamples; i++)
			printf("%s[%.4f, %llu]", i ? ", " : "", samples[i].t,
			       (unsigned long long)samples[i].bytes);
		printf("]");
	}
	printf("}\n");
}

static uint64_t number(const char *text)
{
	char *end;
	unsigned long long v = strtoull(text, &end, 10);

	if (!*text || *end) {
		fprintf(stderr, "flow: not a number: '%s'\n", text);
		exit(2);
	}
	return v;
}

static void usage(void)
{
	fputs("usage: flow [--seconds S] [--warmup S] [--bytes N] [--bs N] [--direct]\n"
	      "            [--sample-ms M] [--samples] MODE ARGS...\n"
	      "modes: write FILE SIZE | uring-write FILE SIZE | aio-write FILE SIZE |\n"
	      "       read FILE | copy SRC DST | copyrange SRC DST |\n"
	      "       sendfile SRC DST | send ADDR PORT | sink PORT | source PORT |\n"
	      "       fetch ADDR PORT SIZE\n", stderr);
	exit(2);
}

static void parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "bytes", required_argument, NULL, 'n' },
		{ "bs", required_argument, NULL, 'b' },
		{ "direct", no_argument, NULL, 'd' },
		{ "sample-ms", required_argument, NULL, 'm' },
		{ "samples", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.seconds = atof(optarg); break;
		case 'w': opt.warmup = atof(optarg); break;
		case 'n': opt.max_bytes = number(optarg); break;
		case 'b': opt.bs = number(optarg); break;
		case 'd': opt.direct = true; break;
		case 'm': opt.sample_s = number(optarg) / 1000.0; break;
		case 'p': opt.print_samples = true; break;
		default: usage();
		}
	}
	if (optind >= argc || !opt.bs || opt.sample_s <= 0 ||
	    (opt.seconds <= 0 && !opt.max_bytes))
		usage();
}

/* The work starts now, and its sampler with it. */
static void start_sampler(pthread_t *t)
{
	start_time = now();
	pthread_create(t, NULL, sampler, NULL);
}

int main(int argc, char **argv)
{
	const char *mode;
	char **arg;
	int nargs;
	pthread_t t;

	parse_options(argc, argv);
	signal(SIGTERM, stop);
	mode = argv[optind];
	arg = argv + optind + 1;
	nargs = argc - optind - 1;
	if (posix_memalign((void **)&buf, 4096, opt.bs))
		die("memory");
	memset(buf, 0x5a, opt.bs);

	if (!strcmp(mode, "sink") && nargs == 1)
		server(arg[0], sink_connection);
	if (!strcmp(mode, "source") && nargs == 1)
		server(arg[0], source_connection);

	if (!strcmp(mode, "write") && nargs == 2) {
		start_sampler(&t);
		do_write(arg[0], number(arg[1]));
	} else if (!strcmp(mode, "uring-write") && nargs == 2) {
		start_sampler(&t);
		do_uring_write(arg[0], number(arg[1]));
	} else if (!strcmp(mode, "aio-write") && nargs == 2) {
		start_sampler(&t);
		do_aio_write(arg[0], number(arg[1]));
	} else if (!strcmp(mode, "read") && nargs == 1) {
		start_sampler(&t);
		do_read(arg[0]);
	} else if (!strcmp(mode, "copy") && nargs == 2) {
		start_sampler(&t);
		do_copy(arg[0], arg[1]);
	} else if (!strcmp(mode, "copyrange") && nargs == 2) {
		start_sampler(&t);
		do_transfer(arg[0], arg[1], copy_range);
	} else if (!strcmp(mode, "sendfile") && nargs == 2) {
		start_sampler(&t);
		do_transfer(arg[0], arg[1], send_file);
	} else if (!strcmp(mode, "send") && nargs == 2) {
		int fd = connect_to(arg[0], arg[1]);

		start_sampler(&t);
		do_send(fd);
	} else if (!strcmp(mode, "fetch") && nargs == 3) {
		start_sampler(&t);
		do_fetch(arg[0], arg[1], number(arg[2]));
	} else {
		usage();
	}
	end_time = now();
	atomic_store(&done, true);
	pthread_join(t, NULL);
	report();
	return 0;
}
