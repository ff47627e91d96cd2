/*
 * One run of sweep-run: a child under the child protocol, from its start
 * to its end.  It is fed the schedule, its output is read and told apart
 * (lib/protocol.c) into losses, log lines and errors handed to the
 * caller's callbacks, the divergence rule watches the losses, and it is
 * stopped as lrkit(7) says: close its stdin, SIGTERM to its group, after
 * the grace period SIGKILL.  Its deadlines do not count the time it was
 * stopped with the job (lrk_run_shift).  The caller's poll() loop asks
 * each run which descriptors it waits on and when its next deadline is,
 * and hands back the ones that are ready; nothing here blocks.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "extern.h"

/* What drain() reads at most from a dead child's pipes. */
#define DRAIN_MAX	(4 * 1024 * 1024)

void
lrk_run_init(struct lrk_run *r, const struct lrk_run_options *opt,
    const struct lrk_run_events *ev, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->opt = opt;
	r->ev = ev;
	r->arg = arg;
	r->status = LRK_RUN_NONE;
	lrk_proc_init(&r->proc);
	lrk_lines_init(&r->out);
	lrk_lines_init(&r->err);
	lrk_child_init(&r->child, opt->loss_name);
	lrk_ema_init(&r->ema);
	lrk_diverge_init(&r->div);
}

void
lrk_run_free(struct lrk_run *r)
{
	lrk_lines_free(&r->out);
	lrk_lines_free(&r->err);
	lrk_child_free(&r->child);
	lrk_proc_close(&r->proc);
}

static void
warn(struct lrk_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct lrk_run *r, const char *fmt, ...)
{
	char msg[LRK_ERRSIZE + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->ev->warn(r->arg, msg);
}

/*
 * Start the child.  0, or the errno of a command that could not be run
 * (the run has then failed; the caller says why with err).
 */
int
lrk_run_start(struct lrk_run *r, char *const argv[], char *const envp[],
    int flags, char *err)
{
	int e;

	r->start = lrk_now();
	if ((e = lrk_proc_spawn(&r->proc, argv, envp, flags, err)) != 0) {
		r->exec_error = e;
		r->status = LRK_RUN_FAILED;
		return e;
	}
	if (r->opt->timeout > 0)
		r->timeout_at = r->start + r->opt->timeout;
	return 0;
}

/* Stop the run: close its stdin, SIGTERM to its group, SIGKILL later. */
void
lrk_run_stop(struct lrk_run *r, enum lrk_run_status why)
{
	if (r->status == LRK_RUN_NONE)
		r->status = why;
	if (r->stopping)
		return;
	r->stopping = 1;
	lrk_proc_close_in(&r->proc);
	lrk_proc_close_out(&r->proc);
	if (!r->proc.reaped) {
		lrk_proc_kill(&r->proc, SIGTERM);
		/* As a shell's kill does: a stopped group takes it now. */
		lrk_proc_kill(&r->proc, SIGCONT);
	}
	r->kill_at = lrk_now() + r->opt->grace;
}

/* SIGKILL to whatever is left of the run's process group. */
void
lrk_run_kill(struct lrk_run *r)
{
	if (r->killed)
		return;
	r->killed = 1;
	lrk_proc_kill(&r->proc, SIGKILL);
}

/*
 * A loss the caller has recorded for the run's next step: the
 * divergence rule (--stop-div), which stops the run.  1 when it did.
 */
int
lrk_run_loss(struct lrk_run *r, double x)
{
	double s;

	r->steps++;
	if (r->opt->stop_div <= 0)
		return 0;
	s = isfinite(x) ? lrk_ema_push(&r->ema, &r->opt->ema, x, 0) : x;
	if (!lrk_diverge_push(&r->div, r->opt->stop_div, !isfinite(x), s))
		return 0;
	lrk_run_stop(r, LRK_RUN_DIVERGED);
	return 1;
}

static void
stdout_lines(struct lrk_run *r)
{
	struct lrk_child_line cl;
	char err[LRK_ERRSIZE];
	const char *line;
	size_t len;
	int kind;

	/* A piece of an over-long line is a log line, never a loss. */
	while (!r->stopping &&
	    (kind = lrk_lines_next(&r->out, &line, &len)) != 0) {
		if (kind == 2)
			r->ev->log(r->arg, line, len);
		else switch (lrk_child_line(&r->child, line, len,
		    r->out_lines + 1, &cl, err)) {
		case LRK_CHILD_LOSS:
			r->ev->loss(r->arg, &cl);
			break;
		case LRK_CHILD_NO_LOSS:
			r->ev->row(r->arg, &cl);
			break;
		case LRK_CHILD_LOG:
			r->ev->log(r->arg, cl.line, cl.len);
			break;
		case LRK_CHILD_ERROR:
			r->ev->warn(r->arg, err);
			lrk_run_stop(r, LRK_RUN_FAILED);
			break;
		default:	/* blank, header */
			break;
		}
		if (!r->out.piece)
			r->out_lines++;
	}
}

static void
stderr_lines(struct lrk_run *r)
{
	const char *line;
	size_t len;

	while (lrk_lines_next(&r->err, &line, &len))
		r->ev->log(r->arg, line, len);
}

/*
 * Read once from the child's stdout and handle the complete lines.
 * Returns the bytes read: 0 at the end (the pipe is then closed), -1 when
 * there is nothing to read now.
 */
static long
pump_stdout(struct lrk_run *r)
{
	long n;

	n = lrk_lines_fill(&r->out, r->proc.out);
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
		warn(r, "reading its output: %s", strerror(errno));
		r->out.eof = 1;
		n = 0;
	}
	if (n > 0)
		r->received += (unsigned long long)n;
	stdout_lines(r);
	if (n == 0)
		lrk_proc_close_out(&r->proc);
	return n;
}

static long
pump_stderr(struct lrk_run *r)
{
	long n;

	n = lrk_lines_fill(&r->err, r->proc.err);
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
		r->err.eof = 1;
		n = 0;
	}
	stderr_lines(r);
	if (n == 0)
		lrk_proc_close_err(&r->proc);
	return n;
}

/*
 * The child is gone: what it wrote before it died is in the pipes, so read
 * what is there now, then stop reading even if a grandchild still holds a
 * pipe open.
 */
static void
drain(struct lrk_run *r)
{
	size_t total = 0;
	long n;

	while (r->proc.out >= 0 && (n = pump_stdout(r)) > 0 &&
	    (total += (size_t)n) < DRAIN_MAX)
		;
	if (r->proc.out >= 0) {
		r->out.eof = 1;
		stdout_lines(r);
		lrk_proc_close_out(&r->proc);
	}
	total = 0;
	while (r->proc.err >= 0 && (n = pump_stderr(r)) > 0 &&
	    (total += (size_t)n) < DRAIN_MAX)
		;
	if (r->proc.err >= 0) {
		r->err.eof = 1;
		stderr_lines(r);
		lrk_proc_close_err(&r->proc);
	}
}

/*
 * Reap the child if it has ended.  Whatever is left of its group (a
 * process it started in the background, a data loader's worker) gets
 * SIGKILL, whether the run was stopped or ended by itself: no run leaves
 * an orphan behind.  Then read what is left in its pipes.
 */
void
lrk_run_reap(struct lrk_run *r)
{
	if (r->exec_error != 0 || r->proc.reaped ||
	    lrk_proc_reap(&r->proc, 0) != 1)
		return;
	lrk_run_kill(r);
	r->gone_by = lrk_now() + r->opt->grace;
	drain(r);
}

/*
 * Is the run over: child reaped (or never started), pipes closed, and
 * its process group gone, so that what comes next in its slot (on its
 * GPU) never meets a process of it that is still dying.  A member that
 * SIGKILL does not end (stuck in the kernel) is waited for the grace
 * period at most.
 */
int
lrk_run_over(const struct lrk_run *r)
{
	if (r->exec_error != 0)
		return 1;
	if (!r->proc.reaped || r->proc.out >= 0 || r->proc.err >= 0)
		return 0;
	return lrk_proc_kill(&r->proc, 0) != 0 || lrk_now() >= r->gone_by;
}

/*
 * The descriptors the run waits on, added to pfd (room for 3) with what
 * each is for in which[]: 0 room in its stdin for the rest of input
 * (input_left bytes), 1 its stdout, 2 its stderr.  Returns how many.
 */
size_t
lrk_run_pollfds(const struct lrk_run *r, size_t input_left,
    struct pollfd *pfd, int *which)
{
	size_t n = 0;

	if (r->exec_error != 0)
		return 0;
	if (r->proc.in >= 0 && input_left > 0) {
		pfd[n].fd = r->proc.in;
		pfd[n].events = POLLOUT;
		which[n++] = 0;
	}
	if (r->proc.out >= 0) {
		pfd[n].fd = r->proc.out;
		pfd[n].events = POLLIN;
		which[n++] = 1;
	}
	if (r->proc.err >= 0) {
		pfd[n].fd = r->proc.err;
		pfd[n].events = POLLIN;
		which[n++] = 2;
	}
	return n;
}

/*
 * A descriptor of the run is ready (which as lrk_run_pollfds gave it):
 * write what it takes of input (its next input_left bytes), or read.
 * Returns the bytes of input written.
 */
size_t
lrk_run_ready(struct lrk_run *r, int fd, int which, const char *input,
    size_t input_left)
{
	long wrote;

	if (which == 0 && r->proc.in == fd) {
		wrote = lrk_proc_write(&r->proc, input, input_left);
		if (wrote < 0 || (size_t)wrote == input_left)
			lrk_proc_close_in(&r->proc);
		return wrote > 0 ? (size_t)wrote : 0;
	}
	if (which == 1 && r->proc.out == fd)
		pump_stdout(r);
	else if (which == 2 && r->proc.err == fd)
		pump_stderr(r);
	return 0;
}

/*
 * The run's next deadline (timeout, SIGKILL after SIGTERM, the end of the
 * wait for its group), or inf.
 */
double
lrk_run_deadline(const struct lrk_run *r)
{
	if (r->exec_error != 0)
		return INFINITY;
	if (r->proc.reaped)
		return r->gone_by;	/* its group waited for */
	if (!r->stopping && r->timeout_at > 0)
		return r->timeout_at;
	if (r->stopping && !r->killed)
		return r->kill_at;
	return INFINITY;
}

/* Act on the deadlines that have passed by now. */
void
lrk_run_tick(struct lrk_run *r, double now)
{
	if (r->exec_error != 0)
		return;
	/* A child that has ended did not time out, whatever is left. */
	if (!r->stopping && !r->proc.reaped && r->timeout_at > 0 &&
	    now >= r->timeout_at)
		lrk_run_stop(r, LRK_RUN_TIMEOUT);
	if (r->stopping && !r->killed && now >= r->kill_at)
		lrk_run_kill(r);
}

/*
 * The run was stopped for `stopped` seconds with the job (Ctrl-Z, then
 * fg): its deadlines move on by as much, so that --timeout and the grace
 * period count only the time the run could run.
 */
void
lrk_run_shift(struct lrk_run *r, double stopped)
{
	if (!(stopped > 0) || isinf(stopped))
		return;
	if (r->timeout_at > 0)
		r->timeout_at += stopped;
	if (r->stopping && !r->killed)
		r->kill_at += stopped;
	if (r->proc.reaped)
		r->gone_by += stopped;
}

/*
 * The run is over: decide how it ended, when sweep-run did not decide it
 * (done: every row got its loss and the child exited 0; failed
 * otherwise), and fill the joblog's exit value and signal.  what (of
 * LRK_ERRSIZE) says why it failed or timed out, or is empty.
 */
enum lrk_run_status
lrk_run_end(struct lrk_run *r, const char *command, size_t nsteps,
    int *exitval, int *sig, char *what)
{
	char how[128];
	int st = r->proc.status;

	*exitval = *sig = 0;
	what[0] = '\0';
	if (r->exec_error != 0)
		*exitval = lrk_proc_exec_status(r->exec_error);
	else if (WIFEXITED(st))
		*exitval = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		*sig = WTERMSIG(st);
	lrk_proc_describe(st, how, sizeof(how));
	if (r->status == LRK_RUN_NONE) {
		if (*exitval != 0 || *sig != 0) {
			r->status = LRK_RUN_FAILED;
			snprintf(what, LRK_ERRSIZE, "%s: %s after %zu of %zu "
			    "steps", command, how, r->steps, nsteps);
		} else if (r->steps < nsteps) {
			r->status = LRK_RUN_FAILED;
			snprintf(what, LRK_ERRSIZE, "%s: ended after %zu of %zu "
			    "steps (%s)", command, r->steps, nsteps, how);
		} else
			r->status = LRK_RUN_DONE;
	} else if (r->status == LRK_RUN_TIMEOUT)
		snprintf(what, LRK_ERRSIZE, "%s: timed out after %g s (%zu of "
		    "%zu steps)", command, r->opt->timeout, r->steps, nsteps);
	return r->status;
}
