// SPDX-License-Identifier: GPL-2.0
/*
 * ratectl run: run a command in a class.
 *
 * "run CLASS -- COMMAND" joins CLASS and executes COMMAND in place of
 * ratectl; joining needs no privilege.
 *
 * "run [--file RATE] [--net RATE] -- COMMAND" is a one-off limit, as trickle
 * or systemd-run give one: it takes a free class, sets it, runs COMMAND
 * in it, waits, and gives the class back as it found it. A class is free
 * when it has no members and no limits: no one uses it, and setting it
 * changes nothing for anyone. Setting a class needs root, and COMMAND
 * runs as ratectl does: the caller drops privileges with runuser(1) or
 * setpriv(1) in front of COMMAND, which know more of it (groups, the
 * environment, PAM) than an option of ratectl would.
 *
 * Two one-off runs must not take the same class: each holds a lock
 * (flock on /run/ratectl.lock) from reading which classes are free until
 * its class is set, when it is no longer free, and again while it gives
 * it back. A second run waits that long, not for the first's command.
 * When no class is free, the run fails at once. Whatever else sets or
 * joins the class meanwhile (ratectl set, ratectl run CLASS, a write to
 * sysfs) takes no lock, and is not kept out: a class changed meanwhile is
 * left as it was changed.
 *
 * Exit status: COMMAND's, or 128 + the signal that killed it; 125 when
 * ratectl itself fails (as nice(1) and timeout(1) do), 126 when COMMAND
 * cannot be executed, 127 when it is not found. When SIGINT or SIGQUIT
 * killed it, ratectl frees the class and dies of the same signal.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ratectl.h"
#include "sysfs.h"
#include "util.h"

#define DEFAULT_LOCK	"/run/ratectl.lock"

/* What a one-off run asks for: the values as given, or NULL. */
struct one_off {
	const char *file, *net, *mode, *class;
};

/* The class a one-off run holds: its settings before and as it set them. */
struct held_class {
	unsigned int class;
	uint64_t before[CLASS_SETTINGS], during[CLASS_SETTINGS];
};

enum { OPT_FILE = 0x100, OPT_NET, OPT_MODE, OPT_CLASS };

static void join_class(unsigned int class)
{
	int fd = pid_open_class("self");
	int ret = fd < 0 ? fd : pid_write_class(fd, class);

	if (fd >= 0)
		close(fd);
	if (ret)
		errx(EXIT_RUN_FAILED, "cannot join class %u: %s", class,
		     pid_strerror(ret));
}

__attribute__((noreturn)) static void exec_command(char **argv)
{
	int saved;

	execvp(argv[0], argv);
	saved = errno;
	warn("cannot run %s", argv[0]);
	exit(saved == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

static int is_one_off(const struct one_off *req)
{
	return req->file || req->net || req->mode || req->class;
}

/* The command after the options, past an optional "--". */
static char **command_args(const struct command *cmd, int argc, char **argv)
{
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind >= argc)
		usage_error(cmd, "no command given");
	return &argv[optind];
}

/* The one-off's settings for class, into cs; exits 125 on a bad value. */
static void add_limits(const struct command *cmd, struct changeset *cs,
		       unsigned int class, const struct one_off *req)
{
	const char *const what[] = { "file", "net", "mode" };
	const char *const text[] = { req->file ?: "0", req->net ?: "0",
				     req->mode ?: "always" };

	for (unsigned int i = 0; i < ARRAY_SIZE(what); i++) {
		char origin[16];

		snprintf(origin, sizeof(origin), "--%s", what[i]);
		add_or_usage(cmd, cs, class_setting(class, what[i]), text[i], origin);
	}
}

/* A limit of 0 would leave the class free for another run to take. */
static void require_a_limit(const struct command *cmd, const struct changeset *cs)
{
	for (unsigned int i = 0; i < cs->n; i++)
		if (cs->set->s[cs->c[i].idx].kind == KIND_LIMIT && cs->c[i].value)
			return;
	usage_error(cmd, "a run with limits needs --file or --net above 0");
}

static int lock_runs(void)
{
	const char *path = getenv("RATECTL_LOCK") ?: DEFAULT_LOCK;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		err(EXIT_RUN_FAILED, "cannot open %s (a run with limits needs root)",
		    path);
	while (flock(fd, LOCK_EX))
		if (errno != EINTR)
			err(EXIT_RUN_FAILED, "cannot lock %s", path);
	return fd;
}

static int is_free(const uint64_t *values, const uint64_t *members,
		   unsigned int class)
{
	return !members[class] && !values[class_setting(class, "file")] &&
	       !values[class_setting(class, "net")];
}

/* The class asked for if it is free, or the highest free one. */
static unsigned int free_class(const struct command *cmd,
			       const struct settings *set, const uint64_t *values,
			       const struct one_off *req)
{
	uint64_t members[MAX_CLASSES + 1] = { 0 };
	unsigned int class;

	if (count_members(members))
		errx(EXIT_RUN_FAILED, "cannot tell which classes are free");
	if (req->class) {
		class = class_or_usage(cmd, req->class, 1);
		if (!is_free(values, members, class))
			errx(EXIT_RUN_FAILED, "class %u is in use: it has members "
			     "or limits (see ratectl status %u)", class, class);
		return class;
	}
	for (class = set->nclasses; class > 0; class--)
		if (is_free(values, members, class))
			return class;
	errx(EXIT_RUN_FAILED, "no free class: every class has members or limits "
	     "(see ratectl status; ratectl reset CLASS frees one)");
}

/* The command while it runs, for pass_on(); 0 before and after. */
static volatile sig_atomic_t child;

/* The signals a one-off run passes on to the command, or outlives. */
static const int run_signals[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };

/* What they were set to when ratectl started, for the command. */
static struct sigaction inherited[ARRAY_SIZE(run_signals)];

/* SIGTERM and SIGHUP sent to ratectl are meant for the command. */
static void pass_on(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/*
 * The terminal sends SIGINT and SIGQUIT to the command too: ratectl
 * outlives them, to free the class once the command is gone. Caught, not
 * ignored: setting SIG_IGN would drop one that is pending.
 */
static void outlive(int sig)
{
	(void)sig;
}

static void run_signal_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(run_signals); i++)
		sigaddset(set, run_signals[i]);
}

/*
 * A signal that ratectl was started with ignored (by nohup, or as a
 * script's background job) stays ignored, in ratectl and in the command.
 */
static void handle_signals(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(run_signals); i++) {
		int sig = run_signals[i];
		struct sigaction act = {
			.sa_handler = sig == SIGTERM || sig == SIGHUP ? pass_on : outlive,
			.sa_flags = SA_RESTART,
		};

		sigemptyset(&act.sa_mask);
		sigaction(sig, NULL, &inherited[i]);
		if (inherited[i].sa_handler != SIG_IGN)
			sigaction(sig, &act, NULL);
	}
}

/* The command's are ratectl's as it was started: exec keeps an ignored one. */
static void restore_signals(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(run_signals); i++)
		sigaction(run_signals[i], &inherited[i], NULL);
}

/*
 * What came while the signals were blocked, before the command existed,
 * is the command's: the terminal could not send it there.
 */
static void pass_on_pending(const sigset_t *sigs)
{
	const struct timespec now = { 0 };
	int sig;

	while ((sig = sigtimedwait(sigs, NULL, &now)) > 0)
		kill(child, sig);
}

/*
 * The command, started with the signals blocked (see run_limited()): it
 * unblocks them once they are as ratectl found them, the parent once
 * child is set.
 */
static int start_command(unsigned int class, char **args, const sigset_t *sigs,
			 const sigset_t *old_mask)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		restore_signals();
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		join_class(class);
		exec_command(args);
	}
	child = pid;
	pass_on_pending(sigs);
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	return 0;
}

/*
 * COMMAND's wait status. It is reaped only once the signals are blocked
 * and child is 0: until then no other process can take its PID, which
 * pass_on() would signal.
 */
static int wait_command(const sigset_t *sigs)
{
	pid_t pid = child;
	siginfo_t info;
	int status;

	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT))
		if (errno != EINTR)
			err(EXIT_RUN_FAILED, "cannot wait for the command");
	sigprocmask(SIG_BLOCK, sigs, NULL);
	child = 0;
	waitpid(pid, &status, 0);
	return status;
}

/*
 * When Ctrl-C or Ctrl-\ killed the command, ratectl dies of the same
 * signal, as the command alone would have, so that a calling shell stops
 * too (wait and cooperative exit, as in timeout(1)). Its own core would
 * be of no use beside the command's.
 */
static void die_of_terminal_signal(int status)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	struct rlimit core;
	sigset_t set;
	int sig;

	if (!WIFSIGNALED(status))
		return;
	sig = WTERMSIG(status);
	if (sig != SIGINT && sig != SIGQUIT)
		return;
	if (!getrlimit(RLIMIT_CORE, &core)) {
		core.rlim_cur = 0;
		setrlimit(RLIMIT_CORE, &core);
	}
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* COMMAND's exit status as a shell gives it. */
static int shell_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* A class's settings: CLASS_SETTINGS in a row, from its file limit. */
static const uint64_t *class_values(const uint64_t *values, unsigned int class)
{
	return &values[class_setting(class, "file")];
}

/*
 * Chooses a free class and sets it, under the lock, which it returns.
 * The signals are blocked from before the commit (see run_limited()).
 */
static int take_class(const struct command *cmd, const struct one_off *req,
		      const sigset_t *sigs, sigset_t *old_mask, struct held_class *h)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct changeset cs;
	int lock = lock_runs();

	load_settings(&set, values);
	h->class = free_class(cmd, &set, values, req);
	memcpy(h->before, class_values(values, h->class), sizeof(h->before));
	changeset_init(&cs, &set);
	add_limits(cmd, &cs, h->class, req);
	sigprocmask(SIG_BLOCK, sigs, old_mask);
	handle_signals();
	commit_or_exit(&cs, values, EXIT_RUN_FAILED);
	memcpy(h->during, class_values(values, h->class), sizeof(h->during));
	flock(lock, LOCK_UN);
	return lock;
}

/*
 * The class as the run found it, its mode too, under the lock; unless
 * someone changed it while the command ran: then it is theirs, and left
 * as it is.
 */
static void give_back(const struct held_class *h, int lock)
{
	uint64_t values[MAX_SETTINGS];
	struct settings set;
	struct changeset cs;
	unsigned int first = (unsigned int)class_setting(h->class, "file");

	while (flock(lock, LOCK_EX) && errno == EINTR)
		;
	load_settings(&set, values);
	if (memcmp(class_values(values, h->class), h->during, sizeof(h->during))) {
		warnx("class %u was changed while the command ran; it is left as it is",
		      h->class);
		return;
	}
	changeset_init(&cs, &set);
	for (unsigned int i = 0; i < CLASS_SETTINGS; i++)
		changeset_add_value(&cs, first + i, h->before[i], "run");
	commit_or_exit(&cs, values, EXIT_RUN_FAILED);
}

/*
 * The signals are blocked from before the class is set until the command
 * runs, and again once it has ended: one that comes meanwhile waits, so
 * that none leaves the class set with no one in it, nor is lost.
 */
static int run_limited(const struct command *cmd, const struct one_off *req,
		       char **args)
{
	struct held_class held;
	struct settings set;
	struct changeset cs;
	sigset_t sigs, old_mask;
	int lock, status;

	settings_init(&set, ratewin_classes());
	changeset_init(&cs, &set);
	add_limits(cmd, &cs, 1, req);
	require_a_limit(cmd, &cs);

	run_signal_set(&sigs);
	lock = take_class(cmd, req, &sigs, &old_mask, &held);
	if (start_command(held.class, args, &sigs, &old_mask)) {
		warn("cannot fork");
		give_back(&held, lock);
		return EXIT_RUN_FAILED;
	}
	status = wait_command(&sigs);
	give_back(&held, lock);
	close(lock);
	die_of_terminal_signal(status);
	return shell_status(status);
}

static int cmd_run(const struct command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, OPT_FILE },
		{ "net", required_argument, NULL, OPT_NET },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "class", required_argument, NULL, OPT_CLASS },
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct one_off req = { 0 };
	int opt;

	exit_failure = exit_usage = EXIT_RUN_FAILED;
	while ((opt = getopt_long(argc, argv, "+:" COMMON_SHORT_OPTIONS,
				  longopts, NULL)) != -1) {
		if (opt == OPT_FILE)
			req.file = optarg;
		else if (opt == OPT_NET)
			req.net = optarg;
		else if (opt == OPT_MODE)
			req.mode = optarg;
		else if (opt == OPT_CLASS)
			req.class = optarg;
		else
			common_option(cmd, opt, argv);
	}
	if (is_one_off(&req))
		return run_limited(cmd, &req, command_args(cmd, argc, argv));
	if (optind >= argc)
		usage_error(cmd, "no class given");
	join_class(class_or_usage(cmd, argv[optind++], 0));
	exec_command(command_args(cmd, argc, argv));
}

const struct command run_command = {
	.name = "run",
	.usage = "Usage:\n ratectl run CLASS [--] COMMAND [ARGS...]\n"
		 " ratectl run [--file RATE] [--net RATE] [--mode always|shared]\n"
		 "             [--class N] [--] COMMAND [ARGS...]\n"
		 "\nJoin CLASS, then run COMMAND in place of ratectl. Joining needs no\n"
		 "privilege; leaving a class for another needs root or CAP_SYS_RESOURCE.\n"
		 "\nWith --file, --net or both (as root): take a free class (no members, no\n"
		 "limits; the highest, or N), give it these limits, run COMMAND in it,\n"
		 "and set it back as it was when COMMAND is done, unless it was changed\n"
		 "meanwhile. No free class: the run fails. Runs that start together\n"
		 "take turns choosing. COMMAND runs as root too: to run it as another\n"
		 "user, run it through runuser(1) or setpriv(1), which keep its class:\n"
		 "  ratectl run --file 5M -- runuser -u alice -- cp big.iso /mnt/usb/\n"
		 "\nExits with COMMAND's status (128 + N when signal N killed it), 125\n"
		 "when ratectl fails, 126 if COMMAND cannot be run, 127 if it is not\n"
		 "found. When SIGINT or SIGQUIT killed COMMAND, ratectl frees the\n"
		 "class and dies of the same signal, so that a calling shell stops too.\n"
		 "\nOptions:\n"
		 "     --file RATE           file I/O limit of the command\n"
		 "     --net RATE            network I/O limit of the command\n"
		 "     --mode MODE           always (the default) or shared\n"
		 "     --class N             the class to take, if it is free\n"
		 HELP_OPTIONS,
	.run = cmd_run,
};
