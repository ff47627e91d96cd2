/*
 * The status line of long work (sweep-run, lr-confirm): one line on the
 * standard error of a terminal, rewritten in place, saying how many runs
 * have finished out of the total, how many failed and how many are
 * running, the time since the work began and when it should end.
 *
 *	sweep-run: 12/40 finished, 1 failed, 4 running, 3:05 elapsed, ETA 4:05
 *
 * Nothing here writes: each call appends the bytes to send to the
 * caller's buffer (an lrk_outq in the tools), so that the line and the
 * other messages of the standard error go out in one order through one
 * queue.  The line is drawn as "\r" + line + "\033[K" (the cursor back to
 * the first column, the line, the rest of the old one erased), and a
 * message sent while it is shown as "\r\033[K" + message + the line
 * again: the message takes the line's place, ends with its own newline,
 * and the line comes back under it.  A message never shares a line with
 * the status line, and nothing is left of the line once it is cleared.
 * The line is at most one column narrower than the terminal: a line that
 * fills the last column wraps on some terminals, and "\r" would then go
 * back to the start of the wrong line.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

struct lrk_progress {
	struct lrk_progress_options	 opt;
	char				*name;		/* a copy of opt.name */
	struct lrk_buf			 line;		/* as last computed */
	struct lrk_buf			 drawn;		/* as on the screen */
	int				 shown;		/* drawn and not cleared */
	int				 counted;	/* line computed once */
	double				 last_draw;	/* -INFINITY: never */
	double				 last_now;	/* of the last update */
	double				 held;		/* no update due before */
};

/*
 * Is the line wanted?  -q (quiet) turns it off whatever else is said;
 * --progress (force) turns it on on any standard error; otherwise it is
 * on when the standard error is a terminal that can erase a line (not
 * TERM=dumb, which Emacs's shell buffers and some editors set).
 */
int
lrk_progress_enabled(int quiet, int force, int terminal, const char *term)
{
	if (quiet)
		return 0;
	if (force)
		return 1;
	return terminal && (term == NULL || strcmp(term, "dumb") != 0);
}

/*
 * The columns of the terminal on fd, else of $COLUMNS when it is a
 * positive number (the shells export it, and it lets --progress to a
 * file say its width), else 0: lrk_progress_line takes 80.
 */
int
lrk_progress_width(int fd)
{
	struct winsize ws;
	const char *s;
	char *end;
	long n;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((s = getenv("COLUMNS")) != NULL && *s != '\0') {
		errno = 0;
		n = strtol(s, &end, 10);
		if (*end == '\0' && errno == 0 && n > 0 && n <= 100000)
			return (int)n;
	}
	return 0;
}

/*
 * Do the descriptors a and b write to one place: one terminal (standard
 * output not redirected, beside the standard error), or one pipe or file
 * (2>&1)?  Then what the tool writes on a lands among the status line's
 * bytes on b: on a terminal it must go through lrk_progress_message in
 * the one order of b's queue, as a message does, to keep its lines
 * whole; in a pipe or a file the line would be bytes among the rows.
 */
int
lrk_progress_same_output(int a, int b)
{
	struct stat sa, sb;

	if (fstat(a, &sa) != 0 || fstat(b, &sb) != 0)
		return 0;
	if (isatty(a) || isatty(b))
		return isatty(a) && isatty(b) && sa.st_rdev == sb.st_rdev;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * A time in seconds as a clock shows it: "m:ss" under an hour ("0:07",
 * "4:05", "59:59"), "h:mm:ss" from an hour on ("1:02:03", "26:00:00").
 * round_up: the seconds are rounded up (an ETA: "0:01" while anything is
 * left), else down (the time elapsed).  A time that is negative or not a
 * number is 0; one past 99999 hours is shown as that.  Returns the
 * length (snprintf's).
 */
size_t
lrk_progress_time(char *buf, size_t size, double seconds, int round_up)
{
	unsigned long long s;
	int n;

	if (!(seconds > 0))
		seconds = 0;
	seconds = round_up ? ceil(seconds) : floor(seconds);
	if (seconds > 99999.0 * 3600 + 3599)
		seconds = 99999.0 * 3600 + 3599;
	s = (unsigned long long)seconds;
	if (s < 3600)
		n = snprintf(buf, size, "%llu:%02llu", s / 60, s % 60);
	else
		n = snprintf(buf, size, "%llu:%02llu:%02llu", s / 3600,
		    s / 60 % 60, s % 60);
	return n < 0 ? 0 : (size_t)n;
}

/*
 * When the work should end, in seconds from now; NAN while no run has
 * finished here (nothing to go by).
 *
 * Every run left is taken to last as long as the mean of the runs that
 * finished here (D: time_sum / timed; runs that a --resume found done
 * took no time here and are not in it).  A run still going has D less
 * its age left (none once it is older than D: it may end at any moment);
 * a run not started has D.  That work is shared by the jobs slots, so it
 * ends after (sum of the running runs' rest + not started x D) / jobs,
 * but never before the running run with the most left ends (one run is
 * not shared between slots), nor, while a run has not started, before
 * the first slot is free (now, or when the running run with the least
 * left ends) plus D.  With runs of one length this is exact while every
 * slot is busy, within a run's time at the last wave, and it gets better
 * as runs end: D is measured, not guessed, and the work left shrinks.
 */
double
lrk_progress_eta(const struct lrk_progress_counts *c, double now)
{
	double mean, left, longest = 0, first_free = INFINITY, rest, work = 0;
	size_t i, queued, ended, jobs;

	if (c->timed == 0 || !(c->time_sum >= 0))
		return NAN;
	mean = c->time_sum / (double)c->timed;
	ended = c->finished + c->running;
	queued = c->total > ended ? c->total - ended : 0;
	jobs = c->jobs > c->running ? c->jobs : c->running;
	if (jobs == 0)
		jobs = 1;
	for (i = 0; i < c->running; i++) {
		rest = c->started != NULL ? mean - (now - c->started[i]) :
		    mean;
		if (!(rest > 0))
			rest = 0;
		work += rest;
		if (rest > longest)
			longest = rest;
		if (rest < first_free)
			first_free = rest;
	}
	if (c->running < jobs)
		first_free = 0;		/* a slot is free now */
	work += (double)queued * mean;
	left = work / (double)jobs;
	if (left < longest)
		left = longest;
	if (queued > 0 && left < first_free + mean)
		left = first_free + mean;
	return left;
}

/* The parts of the line, in the order they are shown. */
enum part {
	P_NAME, P_ROUND, P_COUNT, P_FAILED, P_RUNNING, P_ELAPSED, P_ETA,
	P_NPARTS
};

/* Which part goes first when the line is too wide, then which next... */
static const enum part drop_order[] = {
	P_NAME, P_ELAPSED, P_RUNNING, P_ROUND, P_ETA, P_FAILED
};

/* The line of the parts that are on; 0, or -1 when out of memory. */
static int
join(struct lrk_buf *b, char part[P_NPARTS][64], const int *on)
{
	int i, first = 1;

	for (i = 0; i < P_NPARTS; i++) {
		if (!on[i] || part[i][0] == '\0')
			continue;
		if (i == P_NAME) {
			lrk_buf_str(b, part[i]);
			lrk_buf_str(b, ": ");
			continue;
		}
		if (!first)
			lrk_buf_str(b, ", ");
		lrk_buf_str(b, part[i]);
		first = 0;
	}
	return b->failed ? -1 : 0;
}

/*
 * The status line for counts c at time now (appended to b, without a
 * line end): "NAME: round R/N, F/T finished, X failed, U running, E
 * elapsed, ETA A", the round only when c->round is set ("round R" alone
 * when there is no N, or R is past it: a round the plan did not count),
 * the ETA only once lrk_progress_eta has one.  It fits in the terminal's width less one
 * column (opt->width; 0: 80): when it is too wide, whole parts go, the
 * least needed first (the name, the time elapsed, the runs running, the
 * round, the ETA, the failures); then "F/T finished" becomes "F/T", and
 * that is cut at the width as a last resort.  0, or -1 when out of memory.
 */
int
lrk_progress_line(struct lrk_buf *b, const struct lrk_progress_options *opt,
    const struct lrk_progress_counts *c, double now)
{
	char part[P_NPARTS][64], t[32];
	int on[P_NPARTS], width, i;
	size_t room, start = b->len;
	double eta;

	width = opt->width > 0 ? opt->width : 80;
	room = (size_t)(width - 1);
	memset(part, 0, sizeof(part));
	if (opt->name != NULL)
		snprintf(part[P_NAME], sizeof(part[P_NAME]), "%s", opt->name);
	if (c->rounds > 0 && c->round <= c->rounds)
		snprintf(part[P_ROUND], sizeof(part[P_ROUND]), "round %zu/%zu",
		    c->round, c->rounds);
	else if (c->round > 0)
		snprintf(part[P_ROUND], sizeof(part[P_ROUND]), "round %zu",
		    c->round);
	snprintf(part[P_COUNT], sizeof(part[P_COUNT]), "%zu/%zu finished",
	    c->finished, c->total);
	snprintf(part[P_FAILED], sizeof(part[P_FAILED]), "%zu failed",
	    c->failed);
	snprintf(part[P_RUNNING], sizeof(part[P_RUNNING]), "%zu running",
	    c->running);
	lrk_progress_time(t, sizeof(t), now - opt->start, 0);
	snprintf(part[P_ELAPSED], sizeof(part[P_ELAPSED]), "%s elapsed", t);
	if (!isnan(eta = lrk_progress_eta(c, now))) {
		lrk_progress_time(t, sizeof(t), eta, 1);
		snprintf(part[P_ETA], sizeof(part[P_ETA]), "ETA %s", t);
	}
	for (i = 0; i < P_NPARTS; i++)
		on[i] = 1;
	for (i = 0; ; i++) {
		b->len = start;
		if (join(b, part, on) != 0)
			return -1;
		if (b->len - start <= room)
			return 0;
		if (i == (int)(sizeof(drop_order) / sizeof(drop_order[0])))
			break;
		on[drop_order[i]] = 0;
	}
	/* The count alone, shorter, then cut. */
	snprintf(part[P_COUNT], sizeof(part[P_COUNT]), "%zu/%zu", c->finished,
	    c->total);
	b->len = start;
	if (join(b, part, on) != 0)
		return -1;
	if (b->len - start > room)
		b->len = start + room;
	b->data[b->len] = '\0';
	return 0;
}

/*
 * A status line for the options (copied; opt->interval 0: 0.2 s, five
 * lines a second at most; opt->on 0: a line that is never drawn, whose
 * messages go through as they are).  NULL when out of memory.
 */
struct lrk_progress *
lrk_progress_new(const struct lrk_progress_options *opt)
{
	struct lrk_progress *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->opt = *opt;
	if (opt->name != NULL && (p->name = strdup(opt->name)) == NULL) {
		free(p);
		return NULL;
	}
	p->opt.name = p->name;
	if (!(p->opt.interval > 0))
		p->opt.interval = LRK_PROGRESS_INTERVAL;
	p->last_draw = -INFINITY;
	p->last_now = opt->start;
	return p;
}

void
lrk_progress_free(struct lrk_progress *p)
{
	if (p == NULL)
		return;
	lrk_buf_free(&p->line);
	lrk_buf_free(&p->drawn);
	free(p->name);
	free(p);
}

/* The terminal's new width (SIGWINCH): the next update draws for it. */
void
lrk_progress_set_width(struct lrk_progress *p, int width)
{
	p->opt.width = width;
}

/* Is a line computed and not on the screen as it is? */
static int
pending(const struct lrk_progress *p)
{
	return p->counted && (!p->shown || p->line.len != p->drawn.len ||
	    memcmp(p->line.data, p->drawn.data, p->line.len) != 0);
}

/* Draw the line computed last: "\r" + line + "\033[K". */
static int
draw(struct lrk_progress *p, struct lrk_buf *out, double now)
{
	lrk_buf_char(out, '\r');
	lrk_buf_add(out, p->line.data, p->line.len);
	lrk_buf_str(out, "\033[K");
	lrk_buf_clear(&p->drawn);
	lrk_buf_add(&p->drawn, p->line.data, p->line.len);
	if (out->failed || p->drawn.failed)
		return -1;
	p->shown = 1;
	p->last_draw = now;
	return 1;
}

/*
 * The counts have changed, or time has passed: the line for them, drawn
 * into out when it differs from the one on the screen and the last was
 * drawn at least opt.interval ago (a line held back is drawn by a later
 * call: lrk_progress_deadline says when one is due).  Returns 1 when it
 * drew, 0 when not, -1 when out of memory.
 */
int
lrk_progress_update(struct lrk_progress *p,
    const struct lrk_progress_counts *c, double now, struct lrk_buf *out)
{
	if (!p->opt.on)
		return 0;
	p->last_now = now;
	lrk_buf_clear(&p->line);
	if (lrk_progress_line(&p->line, &p->opt, c, now) != 0)
		return -1;
	p->counted = 1;
	if (!pending(p))
		return 0;
	if (now < p->last_draw + p->opt.interval)	/* as the deadline says */
		return 0;
	return draw(p, out, now);
}

/*
 * When the caller should call lrk_progress_update again (for its poll()
 * timeout), on lrk_now()'s clock: when a line held back may be drawn,
 * else at the next second of the time elapsed, which moves the clock and
 * the ETA (or when a line may be drawn again, if that is later);
 * INFINITY when the line is off.
 */
double
lrk_progress_deadline(const struct lrk_progress *p)
{
	double due, tick;

	if (!p->opt.on)
		return INFINITY;
	due = p->last_draw + p->opt.interval;
	if (due < p->held)
		due = p->held;
	if (pending(p))
		return due;
	tick = p->opt.start + floor(p->last_now - p->opt.start) + 1;
	return tick > due ? tick : due;
}

/*
 * The line may not be drawn now (the job is in the background of its
 * terminal): it is taken for gone from the screen, without a byte
 * written (what is there is the terminal's now), and no update is due
 * for a second: lrk_progress_deadline waits till then, not for a line
 * that cannot be drawn.
 */
void
lrk_progress_hold(struct lrk_progress *p, double now)
{
	p->shown = 0;
	p->last_now = now;
	p->held = now + 1;
}

/*
 * A message for the standard error (len bytes: whole lines, a child's log
 * line, a warning) while the line may be shown: into out, "\r\033[K", the
 * message, a newline if it has none, and the line again (the newest, also
 * when an update held it back), so that the message is never written over
 * or after the line.  When the line is not shown (not drawn yet, cleared)
 * the message and its newline alone: a line drawn later must not write
 * over a message left open.  Off, the message as it is.  0, or -1 when out
 * of memory.
 */
int
lrk_progress_message(struct lrk_progress *p, const void *msg, size_t len,
    struct lrk_buf *out)
{
	if (len == 0)
		return 0;
	if (!p->opt.on)
		return lrk_buf_add(out, msg, len);
	if (p->shown)
		lrk_buf_str(out, "\r\033[K");
	lrk_buf_add(out, msg, len);
	if (((const char *)msg)[len - 1] != '\n')
		lrk_buf_char(out, '\n');
	if (!p->shown)
		return out->failed ? -1 : 0;
	/* The line again: the newest, held back or not. */
	lrk_buf_add(out, p->line.data, p->line.len);
	lrk_buf_str(out, "\033[K");
	lrk_buf_clear(&p->drawn);
	lrk_buf_add(&p->drawn, p->line.data, p->line.len);
	return out->failed || p->drawn.failed ? -1 : 0;
}

/*
 * Take the line off the screen (at the end, before a summary): "\r\033[K"
 * into out when it is shown.  A later update draws it again.  0, or -1
 * when out of memory.
 */
int
lrk_progress_clear(struct lrk_progress *p, struct lrk_buf *out)
{
	if (!p->shown)
		return 0;
	p->shown = 0;
	p->last_draw = -INFINITY;
	return lrk_buf_str(out, "\r\033[K");
}

/*
 * The console: the standard error of long work as a person sees it, the
 * messages scrolling up and the status line kept under them.  It owns
 * the standard error's queue (the executor writes it when the descriptor
 * takes it) and the counts of the line, which the executor keeps as runs
 * start and end; everything that goes to the standard error while the
 * line may be shown goes through lrk_console_say, so that it passes
 * through lrk_progress_message in the queue's one order.
 */
struct lrk_console {
	struct lrk_outq		 q;
	int			 force;		/* --progress: in the background too */
	struct lrk_progress	*line;
	struct lrk_progress_counts counts;
	double			*slot_start;	/* by slot - 1; NAN: free */
	double			*started;	/* the running runs' starts */
	size_t			 jobs;
	struct lrk_buf		 bytes;		/* what the line object gave */
	struct lrk_buf		 msg;		/* a message being made */
};

/*
 * The line is drawn when lrk_progress_enabled says so for o->fd, unless
 * the rows go where it goes (o->rows_fd): on that same terminal
 * (standard output not redirected), lines coming on another descriptor
 * would write over the line and be torn by it, and the rows scrolling by
 * show the progress anyway (curl keeps its meter off for the same
 * reason); in that same pipe or file (2>&1), the line would be bytes
 * among the rows.  Even with --progress: o->force does not turn it on
 * then.
 */
int
lrk_console_wanted(const struct lrk_console_options *o)
{
	if (!lrk_progress_enabled(o->quiet, o->force, isatty(o->fd),
	    getenv("TERM")))
		return 0;
	return o->rows_fd < 0 || !lrk_progress_same_output(o->rows_fd,
	    o->fd);
}

/*
 * A console on o->fd, the status line on when lrk_console_wanted, its
 * clock started now; NULL when out of memory.
 */
struct lrk_console *
lrk_console_new(const struct lrk_console_options *o)
{
	struct lrk_progress_options po = { 0 };
	struct lrk_console *c;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	lrk_outq_init(&c->q, o->fd);
	c->force = o->force;
	c->jobs = o->jobs > 0 ? o->jobs : 1;
	po.on = lrk_console_wanted(o);
	po.name = o->name;
	po.width = lrk_progress_width(o->fd);
	po.start = lrk_now();
	if ((c->slot_start = calloc(c->jobs, sizeof(*c->slot_start))) ==
	    NULL || (c->started = calloc(c->jobs, sizeof(*c->started))) ==
	    NULL || (c->line = lrk_progress_new(&po)) == NULL) {
		lrk_console_free(c);
		return NULL;
	}
	for (i = 0; i < c->jobs; i++)
		c->slot_start[i] = NAN;
	c->counts.jobs = c->jobs;
	c->counts.started = c->started;
	return c;
}

void
lrk_console_free(struct lrk_console *c)
{
	if (c == NULL)
		return;
	lrk_outq_free(&c->q);
	lrk_progress_free(c->line);
	lrk_buf_free(&c->bytes);
	lrk_buf_free(&c->msg);
	free(c->slot_start);
	free(c->started);
	free(c);
}

/* Is the status line on? */
int
lrk_console_on(const struct lrk_console *c)
{
	return c->line->opt.on;
}

/* The status line as last computed, drawn or held back ("" before). */
const char *
lrk_console_line(const struct lrk_console *c)
{
	return c->line->line.data != NULL ? c->line->line.data : "";
}

/* The standard error's queue, for the executor (lrk_pool_options). */
struct lrk_outq *
lrk_console_queue(struct lrk_console *c)
{
	return &c->q;
}

/* What the line object gave, into the queue, and written if it can be. */
static int
queue_bytes(struct lrk_console *c)
{
	int r = 0;

	if (c->bytes.failed)
		r = -1;
	else if (c->bytes.len > 0 && lrk_outq_add(&c->q, c->bytes.data,
	    c->bytes.len) != 0)
		r = -1;
	if (c->bytes.failed)
		lrk_buf_free(&c->bytes);	/* usable again */
	else
		lrk_buf_clear(&c->bytes);
	(void)lrk_outq_flush(&c->q);
	return r;
}

/*
 * Is the tool a job in the background of its terminal (started with &,
 * run by timeout(1), or continued with bg)?  Then its line would write
 * over what the foreground shows: it is not drawn (git's progress does
 * the same), unless --progress asked for it.  Its messages still come,
 * as lines of their own.  Not a terminal, or not the controlling one:
 * no.
 */
static int
in_background(const struct lrk_console *c)
{
	pid_t fg;

	return lrk_console_on(c) && !c->force &&
	    (fg = tcgetpgrp(c->q.fd)) != -1 && fg != getpgrp();
}

/*
 * A message: head (when not NULL), text and a newline, a line of its
 * own above the status line.  0, or -1 when out of memory.
 */
int
lrk_console_say(struct lrk_console *c, const char *head, const void *text,
    size_t len)
{
	/* No line redrawn under it in the background (after SIGSTOP and
	 * bg, the line left on the screen is not this job's to redraw);
	 * a line not shown is redrawn by no message: no need to ask. */
	if (c->line->shown && in_background(c))
		lrk_progress_hold(c->line, lrk_now());
	lrk_buf_clear(&c->msg);
	if (head != NULL)
		lrk_buf_str(&c->msg, head);
	lrk_buf_add(&c->msg, text, len);
	lrk_buf_char(&c->msg, '\n');
	if (c->msg.failed) {
		lrk_buf_free(&c->msg);
		return -1;
	}
	if (lrk_progress_message(c->line, c->msg.data, c->msg.len,
	    &c->bytes) != 0)
		c->bytes.failed = 1;
	return queue_bytes(c);
}

/*
 * The counts as the line shows them, the line drawn when due (at most
 * every LRK_PROGRESS_INTERVAL; lrk_console_deadline says when the next
 * is).  0, or -1 when out of memory.
 */
int
lrk_console_tick(struct lrk_console *c, double now)
{
	size_t i, n = 0;

	if (in_background(c)) {
		lrk_progress_hold(c->line, now);
		return queue_bytes(c);
	}

	for (i = 0; i < c->jobs; i++)
		if (!isnan(c->slot_start[i]))
			c->started[n++] = c->slot_start[i];
	c->counts.running = n;
	if (lrk_progress_update(c->line, &c->counts, now, &c->bytes) < 0)
		c->bytes.failed = 1;
	return queue_bytes(c);
}

/* When lrk_console_tick is due next, on lrk_now()'s clock (INFINITY: off). */
double
lrk_console_deadline(const struct lrk_console *c)
{
	return lrk_progress_deadline(c->line);
}

/*
 * lr-confirm's round, number of the planned (0: not known), shown from
 * the next line on.
 */
void
lrk_console_round(struct lrk_console *c, size_t round, size_t rounds)
{
	c->counts.round = round;
	c->counts.rounds = rounds;
}

/*
 * The runs of an executor from now on: total of them, done of which were
 * done already (--resume: they count as finished, though they took no
 * time here).  The counts before are forgotten, the time elapsed is not.
 */
int
lrk_console_begin(struct lrk_console *c, size_t total, size_t done,
    double now)
{
	size_t i;

	c->counts.total = total;
	c->counts.finished = done;
	c->counts.failed = 0;
	c->counts.timed = 0;
	c->counts.time_sum = 0;
	for (i = 0; i < c->jobs; i++)
		c->slot_start[i] = NAN;
	return lrk_console_tick(c, now);
}

/* A run started in slot (1 to the jobs). */
int
lrk_console_started(struct lrk_console *c, size_t slot, double now)
{
	if (slot >= 1 && slot <= c->jobs)
		c->slot_start[slot - 1] = now;
	return lrk_console_tick(c, now);
}

/*
 * The run of slot ended with status (an enum lrk_run_status): finished,
 * and failed when it failed or timed out; a run stopped (by a signal, or
 * on lrkit's error) is not finished, as --resume runs it again.  Its time
 * counts in the ETA.
 */
int
lrk_console_ended(struct lrk_console *c, size_t slot, int status,
    double now)
{
	double start;

	if (slot < 1 || slot > c->jobs || isnan(c->slot_start[slot - 1]))
		return 0;
	start = c->slot_start[slot - 1];
	c->slot_start[slot - 1] = NAN;
	if (status != LRK_RUN_STOPPED) {
		c->counts.finished++;
		c->counts.failed += status == LRK_RUN_FAILED ||
		    status == LRK_RUN_TIMEOUT;
		c->counts.timed++;
		c->counts.time_sum += now - start;
	}
	return lrk_console_tick(c, now);
}

/* The terminal changed its size (SIGWINCH): its width read again. */
int
lrk_console_resize(struct lrk_console *c, double now)
{
	lrk_progress_set_width(c->line, lrk_progress_width(c->q.fd));
	return lrk_console_tick(c, now);
}

/*
 * The line off the screen for now (a stop of the job: the shell speaks
 * next); the next tick draws it again.  Queued, and written if it can be.
 */
int
lrk_console_clear(struct lrk_console *c)
{
	if (lrk_progress_clear(c->line, &c->bytes) != 0)
		c->bytes.failed = 1;
	return queue_bytes(c);
}

/*
 * The end of the work: the line cleared, and all that is queued written,
 * waiting for the descriptor up to timeout seconds (a terminal stopped by
 * Control-S).  After this, the standard error can be written directly:
 * nothing is left of the line.  0; -1 when out of memory or not all was
 * written (a write error, the time out).
 */
int
lrk_console_end(struct lrk_console *c, double timeout)
{
	double until = lrk_now() + timeout, now;
	struct pollfd pfd;
	int r;

	r = lrk_console_clear(c);
	while (lrk_outq_pending(&c->q) > 0 && (now = lrk_now()) < until) {
		pfd.fd = c->q.fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, (int)ceil((until - now) * 1000)) == -1 &&
		    errno != EINTR)
			break;
		(void)lrk_outq_flush(&c->q);
	}
	return r != 0 || lrk_outq_pending(&c->q) > 0 ? -1 : 0;
}
