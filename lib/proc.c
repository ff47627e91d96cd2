/*
 * Child processes for sweep-run: spawned with pipes on their standard
 * input and output, each in its own process group, with every signal the
 * parent handles or ignores back to its default; signals of the parent
 * turned into bytes on a pipe so that one poll() loop waits for children's
 * output, room in their input pipes, their deaths and the user's Ctrl-C at
 * once; and a line reader for non-blocking descriptors.
 *
 * Every descriptor made here is close-on-exec: a child inherits only its
 * own three standard descriptors, never the pipes of its siblings (which
 * would keep a sibling's stdin open after the parent closed it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"

extern char **environ;

static int
set_nonblock(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

void
lrk_proc_init(struct lrk_proc *p)
{
	p->pid = -1;
	p->in = p->out = p->err = -1;
	p->status = 0;
	p->reaped = 0;
}

/*
 * The exit status a shell gives a command that could not be run: 127 when
 * it does not exist, 126 when it exists but cannot be executed.
 */
int
lrk_proc_exec_status(int error)
{
	return error == ENOENT || error == ENOTDIR ? 127 : 126;
}

/*
 * Find a command as execvp would: a name with a slash is itself, else the
 * first executable regular file of that name in PATH.  Returns 0 with
 * *path set (free it), or ENOENT, or EACCES when only files that cannot
 * be executed have that name.  Checking first gives the same clear error
 * whatever the C library's posix_spawn reports.
 */
static int
find_command(const char *name, char **path)
{
	const char *dirs, *p, *end;
	struct stat st;
	size_t len;
	char *cand;
	int error = ENOENT;

	*path = NULL;
	if (name[0] == '\0')
		return ENOENT;
	if (strchr(name, '/') != NULL) {
		if (stat(name, &st) != 0)
			return errno == ENOTDIR ? ENOENT : errno;
		if (S_ISDIR(st.st_mode) || access(name, X_OK) != 0)
			return EACCES;
		return (*path = strdup(name)) == NULL ? ENOMEM : 0;
	}
	if ((dirs = getenv("PATH")) == NULL)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (p = dirs;; p = end + 1) {
		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		if ((cand = malloc(len + strlen(name) + 3)) == NULL)
			return ENOMEM;
		if (len == 0)
			sprintf(cand, "./%s", name);
		else
			sprintf(cand, "%.*s/%s", (int)len, p, name);
		if (stat(cand, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (access(cand, X_OK) == 0) {
				*path = cand;
				return 0;
			}
			error = EACCES;
		}
		free(cand);
		if (end == NULL)
			break;
	}
	return error;
}

/*
 * What the child of lrk_proc_spawn needs, made ready before it starts:
 * it shares this process's memory until its exec, and may change nothing
 * here but errno.
 */
struct spawn_child {
	const char	*path;
	char *const	*argv;
	char *const	*envp;
	int		 in, out, err;	/* its descriptors 0, 1, 2 (err: -1) */
	int		 report;	/* where the errno of a failure goes */
	pid_t		 parent;
	sigset_t	 empty;		/* its signal mask */
};

/*
 * In the child, between vfork() and exec: its own process group, death
 * with this process (PR_SET_PDEATHSIG: a parent killed outright, kill -9,
 * takes its runs with it, so that no training outlives lrkit), default
 * signal dispositions and an empty mask, its three standard descriptors
 * and no other.  The errno of what failed goes back on c->report; never
 * returns.  Only system calls here, no memory of the parent's written
 * (it is shared): no malloc, no stdio, and no handler of ours can run,
 * since every signal is blocked until the mask is emptied, after the
 * dispositions are back to their defaults.
 */
static _Noreturn void __attribute__((noinline))
child_exec(const struct spawn_child *c)
{
	static const int reset[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP,
	    SIGQUIT, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN,
	    SIGTTOU, SIGXFSZ, SIGXCPU, SIGCONT, SIGWINCH };
	size_t i;
	int e, fd;

	(void)setpgid(0, 0);
#ifdef PR_SET_PDEATHSIG
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 ||
	    getppid() != c->parent)	/* it died before the prctl */
		_exit(127);
#endif
	/* Ignored first: one that came while all were blocked (a Control-Z
	 * to the tool's group, a SIGWINCH) is dropped, not taken by the
	 * child before its exec: the tool acts on it for its runs. */
	for (i = 0; i < sizeof(reset) / sizeof(reset[0]); i++) {
		signal(reset[i], SIG_IGN);
		signal(reset[i], SIG_DFL);
	}
	sigprocmask(SIG_SETMASK, &c->empty, NULL);
	if (dup2(c->in, 0) == -1 || dup2(c->out, 1) == -1 ||
	    (c->err >= 0 && dup2(c->err, 2) == -1))
		goto fail;
	/* Every other descriptor: this side's are close-on-exec already;
	 * one inherited without the flag is not the child's to keep. */
#ifdef CLOSE_RANGE_CLOEXEC
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
#endif
		for (fd = 3; fd < 1024; fd++)
			(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	execve(c->path, c->argv, c->envp);
fail:
	e = errno;
	(void)write(c->report, &e, sizeof(e));
	_exit(127);
}

/*
 * Start the child with vfork(): it borrows this process's memory until
 * its exec, and this process waits till then, so nothing is copied (a
 * fork() copies the page tables of the whole process for a child that
 * drops them at once: the larger the tool, the dearer each run).  The
 * child calls child_exec at once with everything it needs in *c; that
 * never returns, and is never inlined, so that what it keeps on the
 * stack is in a frame of its own below this one: no variable of this
 * function changes in the child, and none can be clobbered for the
 * parent.  All signals are blocked across the vfork, so that no handler
 * of ours runs in the child on our memory (the child empties its mask
 * once the dispositions are back to their defaults).  Returns the
 * child's pid, or -1 with errno.
 *
 * vfork() rather than clone(CLONE_VM | CLONE_VFORK) on a stack of its
 * own, as glibc's posix_spawn does: vfork() is in every Unix C library,
 * there is no stack to size and map for each run, and the sanitizers
 * know it (ASan cleans the shadow of the stack the child used).  Where
 * vfork() is a fork() (valgrind makes it one) all of this still holds,
 * at a fork's cost; that is why a failed exec is told on the report
 * pipe, not in memory the two might not share.
 */
static pid_t
spawn_child(const struct spawn_child *c)
{
	sigset_t all, old;
	pid_t pid;
	int e;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = vfork()) == 0)
		child_exec(c);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return pid;
}

/*
 * Start argv[0] (searched in PATH when it has no slash) with envp (NULL:
 * this process's environment).  The child's stdin and stdout are pipes
 * (p->in, p->out, non-blocking on this side); with LRK_PROC_STDERR its
 * stderr is a pipe too (p->err), else it shares this process's.  It leads
 * a new process group, dies with this process, and starts with default
 * signal dispositions and an empty signal mask, whatever this process
 * ignores or blocks (child_exec).
 *
 * Returns 0, or an errno value with err set when the command could not be
 * run (a failed exec is reported on a close-on-exec pipe, and the child
 * reaped).
 */
int
lrk_proc_spawn(struct lrk_proc *p, char *const argv[], char *const envp[],
    int flags, char *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int report[2] = { -1, -1 }, e, status;
	struct spawn_child c;
	char *path = NULL;
	pid_t pid;
	ssize_t n;

	lrk_proc_init(p);
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(report, O_CLOEXEC) != 0 ||
	    ((flags & LRK_PROC_STDERR) && pipe2(errp, O_CLOEXEC) != 0) ||
	    set_nonblock(in[1]) != 0 || set_nonblock(out[0]) != 0 ||
	    ((flags & LRK_PROC_STDERR) && set_nonblock(errp[0]) != 0)) {
		e = errno;
		snprintf(err, LRK_ERRSIZE, "pipe: %s", strerror(e));
		goto fail;
	}
	if ((e = find_command(argv[0], &path)) != 0)
		goto fail_exec;
	c.path = path;
	c.argv = argv;
	c.envp = envp != NULL ? envp : environ;
	c.in = in[0];
	c.out = out[1];
	c.err = errp[1];
	c.report = report[1];
	c.parent = getpid();
	sigemptyset(&c.empty);
	if ((pid = spawn_child(&c)) == -1) {
		e = errno;
		goto fail_exec;
	}
	/* Both set the group, so that it is there whoever runs first. */
	(void)setpgid(pid, pid);
	free(path);
	path = NULL;
	close_fd(&report[1]);
	do
		n = read(report[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	close_fd(&report[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		goto fail_exec;
	}
	p->pid = pid;
	close(in[0]);
	close(out[1]);
	if (errp[1] >= 0)
		close(errp[1]);
	p->in = in[1];
	p->out = out[0];
	p->err = errp[0];
	return 0;

fail_exec:
	snprintf(err, LRK_ERRSIZE, "%s: %s", argv[0],
	    e == ENOENT ? "command not found" : strerror(e));
fail:
	free(path);
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&errp[0]);
	close_fd(&errp[1]);
	close_fd(&report[0]);
	close_fd(&report[1]);
	return e ? e : EIO;
}

/*
 * Write what the child's stdin pipe accepts now.  Returns the bytes
 * written (0 when the pipe is full), or -1 with errno set; a reader that
 * went away (EPIPE) closes p->in.
 */
long
lrk_proc_write(struct lrk_proc *p, const void *buf, size_t len)
{
	ssize_t n;

	if (p->in < 0) {
		errno = EPIPE;
		return -1;
	}
	do
		n = write(p->in, buf, len);
	while (n == -1 && errno == EINTR);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	if (errno == EPIPE)
		close_fd(&p->in);
	return -1;
}

void
lrk_proc_close_in(struct lrk_proc *p)
{
	close_fd(&p->in);
}

void
lrk_proc_close_out(struct lrk_proc *p)
{
	close_fd(&p->out);
}

void
lrk_proc_close_err(struct lrk_proc *p)
{
	close_fd(&p->err);
}

/* Close every descriptor still open (the process is left alone). */
void
lrk_proc_close(struct lrk_proc *p)
{
	close_fd(&p->in);
	close_fd(&p->out);
	close_fd(&p->err);
}

/*
 * Send sig to the child's whole process group (grandchildren included).
 * Works after the child was reaped as long as the group has members.
 */
int
lrk_proc_kill(const struct lrk_proc *p, int sig)
{
	if (p->pid <= 0)
		return -1;
	if (kill(-p->pid, sig) == 0)
		return 0;
	if (errno == ESRCH && !p->reaped)
		return kill(p->pid, sig);
	return -1;
}

/*
 * Collect the child's status: 1 when it was reaped (now or before), 0
 * when it still runs (block == 0), -1 on error.
 */
int
lrk_proc_reap(struct lrk_proc *p, int block)
{
	pid_t r;

	if (p->reaped)
		return 1;
	if (p->pid <= 0)
		return -1;
	do
		r = waitpid(p->pid, &p->status, block ? 0 : WNOHANG);
	while (r == -1 && errno == EINTR);
	if (r == 0)
		return 0;
	if (r == -1)
		return -1;
	p->reaped = 1;
	return 1;
}

/* "exit status 3", "killed by signal 9 (Killed)" */
void
lrk_proc_describe(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)%s",
		    WTERMSIG(status), strsignal(WTERMSIG(status)),
		    WCOREDUMP(status) ? ", core dumped" : "");
	else
		snprintf(buf, size, "wait status %#x", status);
}

/* Seconds on the monotonic clock. */
double
lrk_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Signals into a poll() loop (the self-pipe trick): the handler writes the
 * signal's number as one byte to a non-blocking pipe whose read end the
 * loop polls.  A full pipe drops the byte, which is harmless: the loop
 * already has a byte to wake up for, and it reaps all children at each
 * SIGCHLD byte.  The handlers are installed without SA_RESTART: a system
 * call that blocks (a write to a reader that does not read) returns
 * EINTR or a short count, so that the loop gets to act on the signal.
 */
static int signal_pipe[2] = { -1, -1 };

/*
 * The time this process spent stopped, for the deadlines that must not
 * count it.  The caller's loop marks when it last ran (lrk_signals_awake);
 * the SIGCONT handler runs first thing once the process is continued, and
 * adds the time since that mark.  Nanoseconds on the monotonic clock, in
 * lock-free atomics, which a handler may read and write.
 */
static atomic_llong awake_ns;		/* the last mark; 0: none yet */
static atomic_llong stopped_ns;		/* stopped time not yet taken */
static atomic_long continued;		/* SIGCONTs caught */

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;
	long long now, mark;
	ssize_t n;

	if (sig == SIGCONT) {
		atomic_fetch_add(&continued, 1);
		now = now_ns();
		mark = atomic_load(&awake_ns);
		if (mark > 0 && now > mark) {
			atomic_fetch_add(&stopped_ns, now - mark);
			atomic_store(&awake_ns, now);
		}
	}
	n = write(signal_pipe[1], &c, 1);
	(void)n;
	errno = saved;
}

/*
 * The signals that stop sweep-run and lr-confirm, which then end their
 * runs, keep what ended and exit 128 plus the signal: those a user sends,
 * and those batch schedulers send to ask a job to wrap up before its time
 * runs out (sweep-run(1) and lr-confirm(1) list them).  Caught, not left
 * to kill the process, so that no training is left running.
 */
const int lrk_stop_signals[] = {
	SIGINT,		/* Ctrl-C at the terminal */
	SIGTERM,	/* kill(1), and a scheduler's cancel (Slurm's scancel) */
	SIGHUP,		/* the terminal or the ssh session went away */
	SIGUSR1,	/* the job ends soon: Slurm's --signal=USR1@secs */
	SIGUSR2,	/* the same, where USR2 was chosen for it */
	SIGALRM,	/* a time limit: alarm(2), timeout -s ALRM, a scheduler */
	SIGXCPU		/* the soft CPU-time limit is reached (ulimit -t) */
};
const size_t lrk_nstop_signals = sizeof(lrk_stop_signals) /
    sizeof(lrk_stop_signals[0]);

/*
 * Job control: the signals that stop a job and continue it.  A shell
 * sends them to the whole job, but each child of sweep-run and lr-confirm
 * leads its own process group, which they do not reach; so the tools
 * catch them and do what a shell does (lib/pool.c): SIGTSTP (Ctrl-Z, or a
 * scheduler's suspend), SIGTTIN and SIGTTOU (the terminal, used from the
 * background) stop the runs, then the tool; SIGCONT continues them.
 */
const int lrk_job_signals[] = { SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT };
const size_t lrk_njob_signals = sizeof(lrk_job_signals) /
    sizeof(lrk_job_signals[0]);

/*
 * No run left: a stop is the tool's alone again (and a message to the
 * terminal from the background waits for fg), as before it caught them.
 */
void
lrk_job_signals_default(void)
{
	size_t i;

	for (i = 0; i < lrk_njob_signals; i++)
		signal(lrk_job_signals[i], SIG_DFL);
}

int
lrk_job_signal(int sig)
{
	size_t i;

	for (i = 0; i < lrk_njob_signals; i++)
		if (lrk_job_signals[i] == sig)
			return 1;
	return 0;
}

/* The caller's loop runs now: a stop from here on is counted from now. */
void
lrk_signals_awake(void)
{
	atomic_store(&awake_ns, now_ns());
}

/*
 * The seconds this process was stopped (between a lrk_signals_awake mark
 * and the SIGCONT that continued it, with SIGCONT caught) since the last
 * call.  A SIGSTOP cannot be caught: its stop is counted from the mark
 * before it, which the loop sets often.
 */
double
lrk_signals_stopped(void)
{
	return (double)atomic_exchange(&stopped_ns, 0) * 1e-9;
}

/*
 * Stop this process as the default action of sig (SIGTSTP, SIGTTIN,
 * SIGTTOU), caught, would have, and return once it is continued: the
 * caller has stopped what it runs first.  The signal itself, so that a
 * shell reports the job as stopped by it.  A stop the system discards
 * (in an orphaned process group: a batch job, nohup; under valgrind) is
 * made with SIGSTOP instead, so that whoever sent the signal to suspend
 * the job gets it suspended, and continues it; this is known when the
 * SIGCONT handler (lrk_signals_catch with lrk_job_signals) did not run.
 */
void
lrk_stop_self(int sig)
{
	struct sigaction dfl, old, cont;
	sigset_t set, saved;
	long before = atomic_load(&continued);

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	lrk_signals_awake();
	if (sigaction(sig, &dfl, &old) != 0)
		return;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, &saved);
	raise(sig);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	sigaction(sig, &old, NULL);
	if (atomic_load(&continued) == before &&
	    sigaction(SIGCONT, NULL, &cont) == 0 &&
	    cont.sa_handler == on_signal)
		kill(getpid(), SIGSTOP);
}

int
lrk_signals_catch(const int *sigs, size_t count)
{
	struct sigaction sa;
	size_t i;

	if (signal_pipe[0] < 0) {
		if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
			return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < count; i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
	return signal_pipe[0];
}

/*
 * The signals of a tool that runs children (sweep-run, lr-confirm), from
 * now on only noted on the signal pipe for its poll() loop: SIGCHLD, the
 * job signals, the stop signals, and SIGWINCH when window is set (a
 * status line fits the terminal's width).  The pipe's read end, or -1
 * with errno.
 */
int
lrk_signals_catch_runs(int window)
{
	static const int sigs[] = { SIGCHLD, SIGWINCH };

	if (lrk_signals_catch(sigs, window ? 2 : 1) < 0 ||
	    lrk_signals_catch(lrk_job_signals, lrk_njob_signals) < 0)
		return -1;
	return lrk_signals_catch(lrk_stop_signals, lrk_nstop_signals);
}

/* The next signal caught, or 0 when there is none waiting. */
int
lrk_signals_next(void)
{
	unsigned char c;
	ssize_t n;

	if (signal_pipe[0] < 0)
		return 0;
	do
		n = read(signal_pipe[0], &c, 1);
	while (n == -1 && errno == EINTR);
	return n == 1 ? c : 0;
}

/*
 * Lines from a non-blocking descriptor.  lrk_lines_fill reads once;
 * lrk_lines_next hands out the complete lines, then at end of input the
 * last line even without its newline.  A line longer than LRK_LINE_MAX
 * is handed out in pieces, so memory stays bounded whatever the child
 * writes; lrk_lines_next returns 2 for each piece of such a line (its end
 * included), which is then no loss even if it looks like one.
 */
void
lrk_lines_init(struct lrk_lines *l)
{
	memset(l, 0, sizeof(*l));
}

void
lrk_lines_free(struct lrk_lines *l)
{
	free(l->buf);
	lrk_lines_init(l);
}

/* Returns the bytes read, 0 at end of input, -1 with errno (EAGAIN too). */
long
lrk_lines_fill(struct lrk_lines *l, int fd)
{
	size_t want = 65536;
	ssize_t n;
	char *nb;

	if (l->start > 0 && (l->start == l->len || l->start >= l->cap / 2)) {
		memmove(l->buf, l->buf + l->start, l->len - l->start);
		l->len -= l->start;
		l->scan = l->scan > l->start ? l->scan - l->start : 0;
		l->start = 0;
	}
	if (l->cap - l->len < want) {
		if ((nb = realloc(l->buf, l->len + want)) == NULL)
			return -1;
		l->buf = nb;
		l->cap = l->len + want;
	}
	do
		n = read(fd, l->buf + l->len, want);
	while (n == -1 && errno == EINTR);
	if (n > 0)
		l->len += (size_t)n;
	else if (n == 0)
		l->eof = 1;
	return n;
}

/*
 * The next line: *line points at it, *len is its length without the line
 * feed (the text is not NUL-terminated), valid until the next fill.
 * Returns 1, or 0 when no complete line is buffered.
 */
int
lrk_lines_next(struct lrk_lines *l, const char **line, size_t *len)
{
	const char *s, *nl;
	size_t avail;
	int was_cut = l->piece;

	if (l->scan < l->start)
		l->scan = l->start;
	s = l->buf + l->start;
	avail = l->len - l->start;
	if (avail == 0)
		return 0;
	nl = memchr(l->buf + l->scan, '\n', l->len - l->scan);
	if (nl == NULL) {
		if (!l->eof && avail < LRK_LINE_MAX) {
			l->scan = l->len;
			return 0;
		}
		/* The last line, or a piece of a very long one. */
		l->piece = avail >= LRK_LINE_MAX;
		if (avail > LRK_LINE_MAX)
			avail = LRK_LINE_MAX;
		*line = s;
		*len = avail;
		l->start += avail;
		l->scan = l->start;
		return was_cut || l->piece ? 2 : 1;
	}
	*line = s;
	*len = (size_t)(nl - s);
	l->start += *len + 1;
	l->scan = l->start;
	l->piece = 0;
	return was_cut ? 2 : 1;
}

/*
 * An output queue: whole lines waiting for a descriptor that may not take
 * them now (a pipe whose reader is slow or stopped).  The owner polls the
 * descriptor for POLLOUT while lrk_outq_pending() is not 0 and calls
 * lrk_outq_flush() when it is ready, so that it never blocks on it.
 *
 * Each write() is of whole lines, at most LRK_OUTQ_CHUNK (PIPE_BUF)
 * bytes, or of one longer line alone: on a pipe, a write of at most
 * PIPE_BUF bytes is atomic, so lines of that size from several writers
 * sharing the pipe never mix.  A longer line is one write() too, but
 * POSIX does not keep it whole: another writer's lines may come between
 * its pieces.
 */
void
lrk_outq_init(struct lrk_outq *q, int fd)
{
	memset(q, 0, sizeof(*q));
	q->fd = fd;
}

void
lrk_outq_free(struct lrk_outq *q)
{
	lrk_buf_free(&q->buf);
	q->off = 0;
}

size_t
lrk_outq_pending(const struct lrk_outq *q)
{
	return q->closed ? 0 : q->buf.len - q->off;
}

/* Queue len bytes (dropped once the queue is closed).  0, or -1: memory. */
int
lrk_outq_add(struct lrk_outq *q, const void *s, size_t len)
{
	if (q->closed)
		return 0;
	if (q->off > 0 && q->off >= q->buf.len / 2) {
		memmove(q->buf.data, q->buf.data + q->off, q->buf.len - q->off);
		q->buf.len -= q->off;
		q->off = 0;
	}
	return lrk_buf_add(&q->buf, s, len);
}

/* The bytes of the next write(): whole lines, as said above. */
static size_t
chunk_len(const struct lrk_outq *q)
{
	const char *s = q->buf.data + q->off, *nl;
	size_t avail = q->buf.len - q->off, end = 0;

	while (end < avail) {
		nl = memchr(s + end, '\n', avail - end);
		if (nl == NULL) {
			if (end == 0)
				return avail;
			break;
		}
		if ((size_t)(nl - s) + 1 > LRK_OUTQ_CHUNK) {
			if (end == 0)
				return (size_t)(nl - s) + 1;
			break;
		}
		end = (size_t)(nl - s) + 1;
	}
	return end;
}

/*
 * Write what the descriptor takes now without blocking (it is polled
 * first).  0, or -1 with errno when the descriptor failed; the queue is
 * then closed (q->error: the errno), and later lines are dropped.
 */
int
lrk_outq_flush(struct lrk_outq *q)
{
	struct pollfd pfd;
	ssize_t n;
	size_t len;

	while (lrk_outq_pending(q) > 0) {
		pfd.fd = q->fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) != 1)
			return 0;
		if ((pfd.revents & POLLOUT) == 0 &&
		    (pfd.revents & (POLLERR | POLLHUP)) == 0)
			return 0;
		len = chunk_len(q);
		n = write(q->fd, q->buf.data + q->off, len);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == EWOULDBLOCK)
				return 0;
			q->error = errno;
			q->closed = 1;
			return -1;
		}
		q->off += (size_t)n;
		if ((size_t)n < len)
			return 0;	/* interrupted: poll again */
	}
	lrk_buf_clear(&q->buf);
	q->off = 0;
	return 0;
}

/*
 * Descendants that leave a child's process group (setsid()) escape
 * lrk_proc_kill.  lrk_subreaper makes this process their parent once
 * their own parent has died (Linux: PR_SET_CHILD_SUBREAPER; 0, or -1
 * where there is no such thing).  lrk_orphans then finds them: each
 * process whose parent is this one and whose pid is not in keep[] (the
 * children this process started itself) gets sig (0: none) and is reaped
 * if it has ended.  Returns how many are left alive.
 */
int
lrk_subreaper(void)
{
#ifdef PR_SET_CHILD_SUBREAPER
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
kept(long pid, const int *keep, size_t nkeep)
{
	size_t i;

	for (i = 0; i < nkeep; i++)
		if (keep[i] == pid)
			return 1;
	return 0;
}

/* sig (0: none) to a child, reaped if it has ended: 1 if it is alive. */
static int
orphan_signal(long pid, int sig)
{
	int status;

	if (sig != 0)
		kill((pid_t)pid, sig);
	return waitpid((pid_t)pid, &status, WNOHANG) == 0;
}

/*
 * lrk_orphans from the kernel's own lists of this process's children:
 * task_dir/TID/children for each thread TID (Linux with
 * CONFIG_PROC_CHILDREN; /proc/self/task), which name the orphans adopted
 * as well, whichever thread adopted them.  Every list is read to its end
 * before a child is signalled or reaped: the kernel goes on with a list
 * from the last child it gave, which a child reaped meanwhile no longer
 * is.  Returns -1 when there is no such list (or memory ran out): the
 * caller scans /proc instead.
 */
int
lrk_orphans_listed(const char *task_dir, const int *keep, size_t nkeep,
    int sig)
{
	struct lrk_buf list = { 0 };
	struct dirent *de;
	char name[300], chunk[4096], *p, *end;
	ssize_t n;
	long pid;
	size_t lists = 0;
	int fd, left = 0, failed = 0;
	DIR *d;

	if ((d = opendir(task_dir)) == NULL)
		return -1;
	while (!failed && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(name, sizeof(name), "%s/children", de->d_name);
		if ((fd = openat(dirfd(d), name, O_RDONLY | O_CLOEXEC)) ==
		    -1) {
			/* No such list, or a thread that ended since. */
			if (errno != ENOENT && errno != ESRCH)
				failed = 1;
			continue;
		}
		lists++;
		while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1 || lrk_buf_add(&list, chunk, (size_t)n) != 0) {
				failed = 1;
				break;
			}
		}
		close(fd);
		/* The lists run together: "12 34 " then "56 ". */
		if (!failed && lrk_buf_char(&list, ' ') != 0)
			failed = 1;
	}
	closedir(d);
	if (failed || lists == 0 || lrk_buf_char(&list, '\0') != 0) {
		lrk_buf_free(&list);
		return -1;
	}
	for (p = list.data;; p = end) {
		pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0 && pid <= INT_MAX && !kept(pid, keep, nkeep))
			left += orphan_signal(pid, sig);
	}
	lrk_buf_free(&list);
	return left;
}

/*
 * lrk_orphans the slow way, where the kernel keeps no list of children:
 * the parent of every process in /proc, read from /proc/PID/stat.
 */
int
lrk_orphans_scan(const int *keep, size_t nkeep, int sig)
{
	char path[64], stat_line[512], *p;
	struct dirent *de;
	DIR *d;
	FILE *fp;
	long pid, ppid;
	pid_t self = getpid();
	int left = 0;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, NULL, 10);
		if (kept(pid, keep, nkeep) || pid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((fp = fopen(path, "re")) == NULL)
			continue;
		p = fgets(stat_line, sizeof(stat_line), fp);
		fclose(fp);
		/* "pid (comm) state ppid ...": comm may hold anything. */
		if (p == NULL || (p = strrchr(stat_line, ')')) == NULL ||
		    sscanf(p + 1, " %*c %ld", &ppid) != 1 || ppid != self)
			continue;
		left += orphan_signal(pid, sig);
	}
	closedir(d);
	return left;
}

/*
 * A process with no child at all has no orphan either: one system call
 * says so, which is the common case once every run has ended.  Else the
 * kernel's lists of children, and a scan of /proc where there are none.
 */
int
lrk_orphans(const int *keep, size_t nkeep, int sig)
{
	siginfo_t info;
	int left;

	memset(&info, 0, sizeof(info));
	if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == -1 &&
	    errno == ECHILD)
		return 0;
	if ((left = lrk_orphans_listed("/proc/self/task", keep, nkeep,
	    sig)) >= 0)
		return left;
	return lrk_orphans_scan(keep, nkeep, sig);
}

/*
 * Has a child of this process ended, not yet reaped?  (It is left to be
 * reaped.)  When none has, lrk_orphans with no signal to send would reap
 * none: a caller that has just reaped its own children need not look for
 * orphans that ended.
 */
int
lrk_child_ended(void)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    info.si_pid != 0;
}

/* Read what fd has; 0 on data, 1 at its end (closed), -1 out of memory. */
static int
run_read(struct lrk_proc *p, int *fd, struct lrk_buf *keep, int copy)
{
	char buf[65536];
	ssize_t n;

	n = read(*fd, buf, sizeof(buf));
	if (n > 0) {
		if (copy)
			(void)lrk_write_all(2, buf, (size_t)n);
		if (keep != NULL && lrk_buf_add(keep, buf, (size_t)n) != 0)
			return -1;
		return 0;
	}
	if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		if (fd == &p->out)
			lrk_proc_close_out(p);
		else
			lrk_proc_close_err(p);
		return 1;
	}
	return 0;
}

/*
 * Run argv to its end: input on its standard input, its standard output
 * gathered in *output (NULL: copied to our standard error), its standard
 * error copied to ours and, when errors is not NULL, gathered in *errors.
 * A signal noted on sigfd (lrk_signals_catch) while it runs is passed on
 * to its process group, its standard input closed, and *caught set to the
 * signal.  Returns the wait status, after SIGKILL to what is left of its
 * group; -1 with err when it cannot be run or waited for.
 */
int
lrk_proc_run(char *const argv[], const char *input, size_t input_len,
    struct lrk_buf *output, struct lrk_buf *errors, int sigfd, int *caught,
    char *err)
{
	struct lrk_proc p;
	struct pollfd fds[4];
	const char *slash;
	nfds_t nfds;
	long w;
	size_t sent = 0;
	int sig, in_slot, out_slot, err_slot, nomem = 0;

	if (lrk_proc_spawn(&p, argv, NULL, errors ? LRK_PROC_STDERR : 0,
	    err) != 0)
		return -1;
	if (input_len == 0)
		lrk_proc_close_in(&p);
	while (p.out >= 0 || p.err >= 0) {
		nfds = 0;
		in_slot = out_slot = err_slot = -1;
		fds[nfds].fd = sigfd;
		fds[nfds++].events = POLLIN;
		if (p.in >= 0) {
			in_slot = (int)nfds;
			fds[nfds].fd = p.in;
			fds[nfds++].events = POLLOUT;
		}
		if (p.out >= 0) {
			out_slot = (int)nfds;
			fds[nfds].fd = p.out;
			fds[nfds++].events = POLLIN;
		}
		if (p.err >= 0) {
			err_slot = (int)nfds;
			fds[nfds].fd = p.err;
			fds[nfds++].events = POLLIN;
		}
		if (poll(fds, nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, LRK_ERRSIZE, "poll: %s",
			    strerror(errno));
			nomem = -1;
			break;
		}
		if (fds[0].revents) {
			while ((sig = lrk_signals_next()) != 0) {
				if (sig == SIGCHLD)
					continue;
				if (lrk_job_signal(sig)) {
					/* Stopped with this process. */
					if (sig != SIGCONT) {
						lrk_proc_kill(&p, SIGSTOP);
						lrk_stop_self(sig);
					}
					lrk_proc_kill(&p, SIGCONT);
					continue;
				}
				/* A second signal is passed on too. */
				*caught = sig;
				lrk_proc_kill(&p, sig);
				lrk_proc_close_in(&p);
			}
		}
		if (in_slot >= 0 && p.in >= 0 && fds[in_slot].revents) {
			w = lrk_proc_write(&p, input + sent, input_len - sent);
			if (w < 0) {
				/* It stopped reading: its status says why. */
				lrk_proc_close_in(&p);
			} else {
				sent += (size_t)w;
				if (sent == input_len)
					lrk_proc_close_in(&p);
			}
		}
		if (err_slot >= 0 && fds[err_slot].revents &&
		    run_read(&p, &p.err, errors, 1) < 0)
			nomem = 1;
		if (out_slot >= 0 && fds[out_slot].revents &&
		    run_read(&p, &p.out, output, output == NULL) < 0)
			nomem = 1;
		if (nomem)
			break;
	}
	if (nomem != 0)
		lrk_proc_kill(&p, SIGKILL);
	lrk_proc_close(&p);
	if (lrk_proc_reap(&p, 1) < 0) {
		slash = strrchr(argv[0], '/');
		snprintf(err, LRK_ERRSIZE, "%s: wait: %s", slash ? slash + 1 :
		    argv[0], strerror(errno));
		nomem = -1;
	}
	/* Its process group, should anything of it be left. */
	lrk_proc_kill(&p, SIGKILL);
	if (nomem == 1)
		snprintf(err, LRK_ERRSIZE, "out of memory");
	return nomem != 0 ? -1 : p.status;
}

/*
 * At the end: write what is left in out and err, waiting for their
 * readers as long as it takes, or, after a stop signal (*stop_signal set,
 * or one that comes on sigfd, SIGCHLD and SIGWINCH aside), for grace
 * seconds at most (a second signal: not at all).  flush(arg) writes what
 * out takes now, so that the caller notes a write error when it happens.
 * Returns 0 when all was written, -1 when the reader of out did not take
 * it all in time; out is then closed and what is left dropped.
 */
int
lrk_outq_drain(struct lrk_outq *out, struct lrk_outq *err,
    void (*flush)(void *), void *arg, int sigfd, double grace,
    int *stop_signal)
{
	struct pollfd pfd[3];
	double deadline = INFINITY, now;
	int ms, sig;

	if (*stop_signal != 0)
		deadline = lrk_now() + grace;
	for (;;) {
		flush(arg);
		(void)lrk_outq_flush(err);
		if (lrk_outq_pending(out) == 0 && lrk_outq_pending(err) == 0)
			return 0;
		now = lrk_now();
		if (now >= deadline)
			break;
		pfd[0].fd = sigfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = lrk_outq_pending(out) ? out->fd : -1;
		pfd[1].events = POLLOUT;
		pfd[2].fd = lrk_outq_pending(err) ? err->fd : -1;
		pfd[2].events = POLLOUT;
		ms = isinf(deadline) ? -1 : (int)ceil((deadline - now) * 1000);
		if (poll(pfd, 3, ms) == -1 && errno != EINTR)
			break;
		if (pfd[0].revents == 0)
			continue;
		while ((sig = lrk_signals_next()) != 0) {
			/* A window's new size is no stop either. */
			if (sig == SIGCHLD || sig == SIGWINCH)
				continue;
			if (lrk_job_signal(sig)) {
				if (sig != SIGCONT)
					lrk_stop_self(sig);
				/* The grace period counts no stopped time. */
				deadline += lrk_signals_stopped();
				continue;
			}
			if (*stop_signal != 0)
				deadline = 0;	/* asked twice */
			else {
				*stop_signal = sig;
				deadline = lrk_now() + grace;
			}
		}
	}
	if (lrk_outq_pending(out) == 0)
		return 0;
	out->closed = 1;
	return -1;
}
