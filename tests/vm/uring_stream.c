// SPDX-License-Identifier: GPL-2.0
/*
 * A TCP stream moved through io_uring, for the throttling tests: one end
 * sends or receives with the operation named, the other end with plain
 * system calls, so that only the io_uring end is measured.
 *
 *   uring_stream send ADDR PORT SECONDS send|send_zc|sendmsg|send_async
 *   uring_stream recv PORT SECONDS recv|recvmsg|splice|recv_multishot
 *   uring_stream sink PORT          receive with read(2) until EOF
 *   uring_stream source ADDR PORT   send with write(2) until EPIPE
 *   uring_stream waitsig FILE wait|submit  see waitsig()
 *   uring_stream closeread FILE             see closeread()
 *
 * send and recv print the bytes per second the io_uring end moved after a
 * one-second ramp, by its own completions and clock. splice moves what it
 * receives into a pipe, which read(2) empties; send_async sends from
 * io_uring's workers (IOSQE_ASYNC); recv_multishot receives into a ring of
 * provided buffers, from one request for as long as it lasts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	(64 * 1024)
#define RAMP_S	1.0
#define NBUFS	16	/* provided buffers of CHUNK bytes, for recv_multishot */

static char buf[CHUNK];
static int pipe_fds[2];

static void die(const char *what, int err)
{
	fprintf(stderr, "uring_stream: %s: %s\n", what, strerror(err));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int connect_to(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int tries;

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		die("socket", errno);
	for (tries = 0; connect(fd, (struct sockaddr *)&sa, sizeof(sa)); tries++) {
		if (tries == 100)
			die("connect", errno);
		usleep(100000);
	}
	return fd;
}

static int accept_on(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0), fd;

	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1))
		die("listen", errno);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept", errno);
	close(lfd);
	return fd;
}

/* One operation of @op on @fd, waited for: the bytes it moved, or -errno. */
static int one_op(struct io_uring *ring, const char *op, int fd)
{
	struct iovec iov = { .iov_base = buf, .iov_len = CHUNK };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int res = 0, more = 1, ret;

	if (!strcmp(op, "send") || !strcmp(op, "send_async"))
		io_uring_prep_send(sqe, fd, buf, CHUNK, 0);
	else if (!strcmp(op, "send_zc"))
		io_uring_prep_send_zc(sqe, fd, buf, CHUNK, 0, 0);
	else if (!strcmp(op, "sendmsg"))
		io_uring_prep_sendmsg(sqe, fd, &msg, 0);
	else if (!strcmp(op, "recv"))
		io_uring_prep_recv(sqe, fd, buf, CHUNK, 0);
	else if (!strcmp(op, "recvmsg"))
		io_uring_prep_recvmsg(sqe, fd, &msg, 0);
	else if (!strcmp(op, "splice"))
		io_uring_prep_splice(sqe, fd, -1, pipe_fds[1], -1, CHUNK, 0);
	else
		die(op, EINVAL);
	if (!strcmp(op, "send_async"))
		sqe->flags |= IOSQE_ASYNC;
	io_uring_submit(ring);
	/* a zero-copy send completes twice: its result, then its buffer back */
	while (more) {
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret == -EINTR)
			continue;
		if (ret)
			die("io_uring_wait_cqe", -ret);
		if (!(cqe->flags & IORING_CQE_F_NOTIF))
			res = cqe->res;
		more = cqe->flags & IORING_CQE_F_MORE;
		io_uring_cqe_seen(ring, cqe);
	}
	if (!strcmp(op, "splice") && res > 0 && read(pipe_fds[0], buf, res) != res)
		die("read from the pipe", errno);
	return res;
}

static void arm_multishot(struct io_uring *ring, int fd)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = 1;
	io_uring_submit(ring);
}

/*
 * The next result of a multishot receive into provided buffers, armed
 * again whenever it ends (the kernel may end it at any time): the bytes it
 * moved, 0 at EOF.
 */
static int one_multishot(struct io_uring *ring, struct io_uring_buf_ring *br,
			 char *bufs, int fd)
{
	struct io_uring_cqe *cqe;
	int res, ret, id;

	for (;;) {
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret == -EINTR)
			continue;
		if (ret)
			die("io_uring_wait_cqe", -ret);
		res = cqe->res;
		if (res > 0) {
			id = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
			io_uring_buf_ring_add(br, bufs + id * CHUNK, CHUNK, id,
					      io_uring_buf_ring_mask(NBUFS), 0);
			io_uring_buf_ring_advance(br, 1);
		}
		if (!(cqe->flags & IORING_CQE_F_MORE) && res != 0)
			arm_multishot(ring, fd);
		io_uring_cqe_seen(ring, cqe);
		if (res == -ENOBUFS)
			continue;
		if (res < 0)
			die("recv_multishot", -res);
		return res;
	}
}

static struct io_uring_buf_ring *provide_buffers(struct io_uring *ring, char **bufs)
{
	struct io_uring_buf_ring *br;
	struct io_uring_buf_reg reg = { .ring_entries = NBUFS, .bgid = 1 };
	int i, ret;

	if (posix_memalign((void **)&br, 4096, NBUFS * sizeof(struct io_uring_buf)) ||
	    !(*bufs = malloc(NBUFS * CHUNK)))
		die("memory", ENOMEM);
	reg.ring_addr = (unsigned long)br;
	ret = io_uring_register_buf_ring(ring, &reg, 0);
	if (ret)
		die("io_uring_register_buf_ring", -ret);
	io_uring_buf_ring_init(br);
	for (i = 0; i < NBUFS; i++)
		io_uring_buf_ring_add(br, *bufs + i * CHUNK, CHUNK, i,
				      io_uring_buf_ring_mask(NBUFS), i);
	io_uring_buf_ring_advance(br, NBUFS);
	return br;
}

static void stream(const char *op, int fd, double seconds)
{
	double start = now(), from = 0, t;
	long long counted = 0;
	bool multishot = !strcmp(op, "recv_multishot");
	struct io_uring_buf_ring *br = NULL;
	struct io_uring ring;
	char *bufs = NULL;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret)
		die("io_uring_queue_init", -ret);
	if (pipe(pipe_fds))
		die("pipe", errno);
	if (multishot) {
		br = provide_buffers(&ring, &bufs);
		arm_multishot(&ring, fd);
	}
	for (;;) {
		ret = multishot ? one_multishot(&ring, br, bufs, fd) : one_op(&ring, op, fd);
		if (ret < 0)
			die(op, -ret);
		t = now();
		/* what completed after the ramp, up to and with the last */
		if (from)
			counted += ret;
		else if (t - start >= RAMP_S)
			from = t;
		if (ret == 0 || t - start >= seconds)
			break;
	}
	printf("%.0f\n", from && t > from ? counted / (t - from) : 0.0);
}

static void ignore(int sig)
{
	(void)sig;
}

/*
 * In a class that owes for a 4 MiB write at 1 MiB/s, SIGUSR1 at 0.5 s cuts
 * the sleep short; then a wait for a completion that will never come
 * (wait), or the submission of a read of an empty pipe and a wait for it
 * (submit), is interrupted by SIGALRM at 1 s, whose handler asks for no
 * restart. Prints what the call returned (EINTR, or the count submitted)
 * and when: a restart would sleep the debt off, then wait for ever.
 */
static void waitsig(const char *path, const char *how)
{
	struct sigaction sa = { .sa_handler = ignore };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char *big = calloc(1, 4 << 20);
	double start = now();
	int fd, ret;
	pid_t pid;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ret = io_uring_queue_init(8, &ring, 0);
	if (fd < 0 || ret || !big)
		die("setup", fd < 0 ? errno : ret ? -ret : ENOMEM);
	pid = fork();
	if (pid == 0) {
		usleep(500000);
		kill(getppid(), SIGUSR1);
		usleep(500000);
		kill(getppid(), SIGALRM);
		_exit(0);
	}
	io_uring_prep_write(io_uring_get_sqe(&ring), fd, big, 4 << 20, 0);
	ret = io_uring_submit_and_wait(&ring, 1);
	if (ret != 1 || io_uring_peek_cqe(&ring, &cqe) || cqe->res != 4 << 20)
		die("write", EIO);
	io_uring_cqe_seen(&ring, cqe);
	if (!strcmp(how, "submit")) {
		if (pipe(pipe_fds))
			die("pipe", errno);
		io_uring_prep_read(io_uring_get_sqe(&ring), pipe_fds[0], buf, 1, 0);
		ret = io_uring_submit_and_wait(&ring, 1);
	} else {
		ret = io_uring_wait_cqe(&ring, &cqe);
	}
	if (ret >= 0)
		printf("%d %.2f\n", ret, now() - start);
	else
		printf("%s %.2f\n", ret == -EINTR ? "EINTR" : strerror(-ret), now() - start);
	waitpid(pid, NULL, 0);
}

static void plain(int fd, int out)
{
	ssize_t n;

	signal(SIGPIPE, SIG_IGN);
	do
		n = out ? write(fd, buf, CHUNK) : read(fd, buf, CHUNK);
	while (n > 0);
}

/*
 * One pread(2) of the whole of FILE, holding a lock on it (flock(2)),
 * while a timeout linked to a close of its descriptor completes: a
 * throttled read sleeps between pieces, where the close runs as a task
 * work and drops what may be the only reference to the file (a
 * single-threaded process takes none). Prints "locked" once the lock is
 * held, then what the read and the close returned, the size and when the
 * read returned: unthrottled, the lock goes with the file only after that.
 */
static void closeread(const char *path)
{
	struct __kernel_timespec ts = { .tv_nsec = 200000000 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd = open(path, O_RDONLY), ret, close_res = 1;
	off_t size = fd < 0 ? 0 : lseek(fd, 0, SEEK_END);
	char *whole = malloc(size);
	double read_end;
	ssize_t got;

	ret = io_uring_queue_init(8, &ring, 0);
	if (fd < 0 || size <= 0 || !whole || ret || flock(fd, LOCK_EX | LOCK_NB))
		die("setup", fd < 0 ? errno : ret ? -ret : EINVAL);
	printf("locked\n");
	fflush(stdout);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ts, 0, IORING_TIMEOUT_ETIME_SUCCESS);
	sqe->flags |= IOSQE_IO_LINK;
	io_uring_prep_close(io_uring_get_sqe(&ring), fd);
	if (io_uring_submit(&ring) != 2)
		die("submit", EIO);
	got = pread(fd, whole, size, 0);
	read_end = now();
	if (got < 0)
		got = -errno;
	while (close_res == 1 && !io_uring_wait_cqe(&ring, &cqe)) {
		if (cqe->res != -ETIME)
			close_res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	printf("%zd %d %lld %.6f\n", got, close_res, (long long)size, read_end);
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "send"))
		stream(argv[5], connect_to(argv[2], atoi(argv[3])), atof(argv[4]));
	else if (argc == 5 && !strcmp(argv[1], "recv"))
		stream(argv[4], accept_on(atoi(argv[2])), atof(argv[3]));
	else if (argc == 3 && !strcmp(argv[1], "sink"))
		plain(accept_on(atoi(argv[2])), 0);
	else if (argc == 4 && !strcmp(argv[1], "source"))
		plain(connect_to(argv[2], atoi(argv[3])), 1);
	else if (argc == 4 && !strcmp(argv[1], "waitsig"))
		waitsig(argv[2], argv[3]);
	else if (argc == 3 && !strcmp(argv[1], "closeread"))
		closeread(argv[2]);
	else {
		fprintf(stderr, "usage: see the top of uring_stream.c\n");
		return 2;
	}
	return 0;
}
