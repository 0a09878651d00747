// SPDX-License-Identifier: GPL-2.0
/*
 * syscost: the cost of one small I/O system call, for ratewin's overhead
 * and scaling benchmarks.
 *
 * Each case loops ITERATIONS times over the calls it names and reports
 * nanoseconds per call; with --threads T, T threads run it at once, each
 * on its own descriptors, and calls per second are summed over them.
 *
 * Cases:
 *   pipe   write(2) 1 byte into a pipe, read(2) it back
 *   zero   read(2) 1 byte from /dev/zero
 *   null   write(2) 1 byte to /dev/null
 *   file   pwrite(2) 1 byte to a cached regular file (tmpfs), pread(2) it back
 *   tcp    send(2) 64 bytes over a loopback TCP connection, recv(2) them
 *
 * Usage: syscost [--iterations N] [--threads T] CASE...
 * Prints one JSON object: {"CASE": {"ns_per_call": X, "calls_per_sec": Y}, ...}
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define TCP_MESSAGE 64

struct run {
	const char *name;
	long iterations;
	double seconds;
};

static void check(ssize_t got, ssize_t want, const char *what)
{
	if (got != want)
		die(what);
}

static int calls_pipe(long n)
{
	int fd[2];
	char c = 0;

	if (pipe(fd))
		die("pipe");
	for (long i = 0; i < n; i++) {
		check(write(fd[1], &c, 1), 1, "pipe write");
		check(read(fd[0], &c, 1), 1, "pipe read");
	}
	close(fd[0]);
	close(fd[1]);
	return 2;
}

static int calls_dev(long n, const char *path, int flags)
{
	int fd = open(path, flags);
	char c = 0;

	if (fd < 0)
		die(path);
	for (long i = 0; i < n; i++)
		check(flags == O_RDONLY ? read(fd, &c, 1) : write(fd, &c, 1), 1, path);
	close(fd);
	return 1;
}

static int calls_zero(long n)
{
	return calls_dev(n, "/dev/zero", O_RDONLY);
}

static int calls_null(long n)
{
	return calls_dev(n, "/dev/null", O_WRONLY);
}

/*
 * Pipes and character devices are not charged: this is the cheapest call
 * that is, file I/O that never leaves the page cache.
 */
static int calls_file(long n)
{
	int fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	char c = 0;

	if (fd < 0)
		die("/tmp");
	for (long i = 0; i < n; i++) {
		check(pwrite(fd, &c, 1, 0), 1, "file write");
		check(pread(fd, &c, 1, 0), 1, "file read");
	}
	close(fd);
	return 2;
}

/* A connected pair over 127.0.0.1, made by the one thread that uses it. */
static void tcp_pair(int fd[2])
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&sa, &len))
		die("listen");
	fd[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fd[0] < 0 || connect(fd[0], (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	fd[1] = accept(lfd, NULL, NULL);
	if (fd[1] < 0)
		die("accept");
	setsockopt(fd[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	close(lfd);
}

static int calls_tcp(long n)
{
	char msg[TCP_MESSAGE] = { 0 };
	int fd[2];

	tcp_pair(fd);
	for (long i = 0; i < n; i++) {
		check(send(fd[0], msg, sizeof(msg), 0), sizeof(msg), "send");
		check(recv(fd[1], msg, sizeof(msg), MSG_WAITALL), sizeof(msg), "recv");
	}
	close(fd[0]);
	close(fd[1]);
	return 2;
}

static const struct {
	const char *name;
	int (*calls)(long n);	/* returns the system calls per iteration */
} cases[] = {
	{ "pipe", calls_pipe },
	{ "zero", calls_zero },
	{ "null", calls_null },
	{ "file", calls_file },
	{ "tcp", calls_tcp },
};

static int (*find_case(const char *name))(long)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].name, name))
			return cases[i].calls;
	fprintf(stderr, "syscost: unknown case '%s'\n", name);
	exit(2);
}

static void *run_case(void *arg)
{
	struct run *r = arg;
	int (*calls)(long) = find_case(r->name);
	double start = now();

	r->iterations *= calls(r->iterations);
	r->seconds = now() - start;
	return NULL;
}

/* Every thread runs the case; returns calls per second over all of them. */
static double measure(const char *name, long iterations, int threads,
		      double *ns_per_call)
{
	struct run runs[threads];
	pthread_t t[threads];
	double calls_per_sec = 0, ns = 0;

	for (int i = 0; i < threads; i++) {
		runs[i] = (struct run){ .name = name, .iterations = iterations };
		if (pthread_create(&t[i], NULL, run_case, &runs[i]))
			die("thread");
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		calls_per_sec += runs[i].iterations / runs[i].seconds;
		ns += runs[i].seconds * 1e9 / runs[i].iterations / threads;
	}
	*ns_per_call = ns;
	return calls_per_sec;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	long iterations = 100000;
	int threads = 1, c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'n')
			iterations = atol(optarg);
		else if (c == 't')
			threads = atoi(optarg);
		else
			return 2;
	}
	if (optind >= argc || iterations <= 0 || threads <= 0 || threads > 64) {
		fputs("usage: syscost [--iterations N] [--threads T] pipe|zero|null|tcp...\n",
		      stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++)
		find_case(argv[i]);
	printf("{");
	for (int i = optind; i < argc; i++) {
		double ns, rate = measure(argv[i], iterations, threads, &ns);

		printf("%s\"%s\": {\"ns_per_call\": %.2f, \"calls_per_sec\": %.0f}",
		       i > optind ? ", " : "", argv[i], ns, rate);
	}
	printf("}\n");
	return 0;
}
