/*
 * The executor: runs of a grid, several at once, each a child under the
 * protocol (run.c), all driven by one poll() loop over their pipes, the
 * output queues, the signal pipe and the deadlines.
 *
 * A pool owns the run slots, the rows (to a run's file in the sweep
 * folder, or to the rows queue), the joblog, the back-pressure (while the
 * output queues hold more than POOL_OUTQ_HIGH bytes the children's output
 * is not read, which makes them wait in turn), the stop signals, job
 * control (the runs stopped and continued with the job, their deadlines
 * not counting the time stopped), the orphans, and the counts of the
 * status line (lrk_console: drawn on time, its width read again on
 * SIGWINCH, off the screen while the job is stopped).  What it says
 * about a run goes to the caller's callbacks; what goes wrong on lrkit's
 * side (a run file or the joblog that cannot be written, memory) stops
 * every run and is the pool's own error, never a run's failure.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"

extern char **environ;

#define POOL_OUTQ_HIGH	(256 * 1024)
#define POOL_AWAKE_MS	250

struct slot {
	struct lrk_pool	*pool;
	size_t		 index;		/* in the grid, or SIZE_MAX: free */
	size_t		 number;	/* 1 to jobs: {slot}, LRKIT_SLOT */
	struct lrk_run	 run;
	char		**argv;
	char		**envp;
	char		*prefix;	/* "K,v1,v2," */
	size_t		 prefix_len;
	size_t		 sent;		/* bytes of the schedule written */
	int		 extra_warned;
	double		 wall_start;
	struct lrk_outfile file;
	int		 has_file;
	struct lrk_schedule *sched;	/* the shared one, or its own */
	size_t		*map;		/* output column j: child's column */
	size_t		 nmap;
	int		 mapped;	/* map made, header written */
	int		 final_kept;	/* a row after the schedule's end */
};

struct lrk_pool {
	struct lrk_pool_options	 o;
	struct lrk_pool_events	 ev;
	void			*arg;
	struct lrk_schedule	 own;		/* -S, or -s without {name} */
	struct lrk_outq		 rowq;		/* standard output's */
	struct lrk_outq		*rows;		/* &rowq, or NULL: out_dir */
	const struct lrk_schedule *shared;	/* or NULL: one per run */
	struct slot		*slots;
	size_t			 nactive;
	size_t			 next_k, end_k;
	size_t			 todo;
	int			 tag;		/* the child's stderr as lines */
	double			 waited;	/* the end of the last wait for a
						   stop after a failure */
	char			**cols;		/* the rows queue's columns */
	size_t			 ncols;
	int			 header_done;
	int			 joblog_fd;
	struct lrk_buf		 rowbuf;
	int			 stop_signal;
	int			 failed;	/* lrkit's own error: err */
	char			 err[LRK_ERRSIZE];
};

static const struct lrk_run_events run_events;
static void handle_signals(struct lrk_pool *);

static void
pool_fail(struct lrk_pool *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * lrkit's side failed: the first error is kept, and every run is
 * stopped; the runs stopped are not logged, so that --resume runs them.
 */
static void
pool_fail(struct lrk_pool *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(p->err, sizeof(p->err), fmt, ap);
		va_end(ap);
		p->failed = 1;
	}
	lrk_pool_stop(p);
}

static void
slot_warn(struct slot *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
slot_warn(struct slot *s, const char *fmt, ...)
{
	char msg[LRK_ERRSIZE + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->pool->ev.warn != NULL)
		s->pool->ev.warn(s->pool->arg, s->index, msg);
}

/* Standard output's queue: what it takes now; a reader gone stops all. */
static void
flush_rows(struct lrk_pool *p)
{
	struct lrk_outq *q = p->rows;

	if (q == NULL || q->closed)
		return;
	if (lrk_outq_flush(q) != 0) {
		q->closed = 1;
		if (p->nactive > 0 && p->stop_signal == 0)
			lrk_pool_stop(p);
	}
}

static void
emit(struct lrk_pool *p, const char *s, size_t len)
{
	struct lrk_outq *q = p->rows;

	if (q == NULL || q->closed)
		return;
	if (lrk_outq_add(q, s, len) != 0) {
		pool_fail(p, "out of memory");
		return;
	}
	if (lrk_outq_pending(q) >= LRK_OUTQ_CHUNK)
		flush_rows(p);
}

static void
rows_header(struct lrk_pool *p)
{
	struct lrk_buf b = { 0 };

	if (p->header_done)
		return;
	p->header_done = 1;
	if (lrk_tidy_header_line(&b, p->o.grid, (const char *const *)p->cols,
	    p->ncols) != 0)
		pool_fail(p, "out of memory");
	else
		emit(p, b.data, b.len);
	lrk_buf_free(&b);
}

/*
 * The text of run K with its parameters and slot put in: NULL with err
 * when a {name} is neither, or is {slot} and the run holds none.
 */
static char *
subst(const struct lrk_pool *p, size_t index, size_t slot, const char *text,
    char *err)
{
	char number[32];

	snprintf(number, sizeof(number), "%zu", slot);
	return lrk_grid_subst_slot(p->o.grid, index, p->o.alone ? NULL :
	    number, text, err);
}

/* An empty schedule in the pool's form: --bare, the momentum required. */
static void
schedule_init(const struct lrk_pool *p, struct lrk_schedule *s)
{
	lrk_schedule_init(s, p->o.bare);
	if (p->o.momentum)
		(void)lrk_schedule_momentum(s);
}

/* The schedule of run K: its own (words with {name}), or the shared one. */
static struct lrk_schedule *
run_schedule(struct lrk_pool *p, size_t index, size_t slot, char *err)
{
	struct lrk_schedule *s;
	char *spec;

	if (p->shared != NULL)
		return (struct lrk_schedule *)p->shared;
	if ((spec = subst(p, index, slot, p->o.schedule, err)) == NULL)
		return NULL;
	if ((s = malloc(sizeof(*s))) == NULL) {
		free(spec);
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	schedule_init(p, s);
	if (lrk_schedule_spec(s, spec, err) != 0) {
		lrk_schedule_free(s);
		free(s);
		free(spec);
		return NULL;
	}
	free(spec);
	return s;
}

static void
free_schedule(struct lrk_pool *p, struct lrk_schedule *s)
{
	if (s != NULL && s != p->shared) {
		lrk_schedule_free(s);
		free(s);
	}
}

/*
 * Check what the user gave before any run starts: the command's {name}s
 * (the same error for every run) and each run's schedule words.
 */
static int
check_runs(struct lrk_pool *p, char *err)
{
	char shown[LRK_SHOWSIZE], why[LRK_ERRSIZE], *text;
	struct lrk_schedule *sc;
	size_t i, k;

	for (i = 0; p->o.command[i] != NULL; i++) {
		if ((text = subst(p, p->next_k, 1, p->o.command[i], why)) ==
		    NULL) {
			snprintf(err, LRK_ERRSIZE, "%.200s: %.300s",
			    lrk_show(shown, p->o.command[i],
			    strlen(p->o.command[i])), why);
			return -1;
		}
		free(text);
	}
	if (p->shared != NULL)
		return 0;
	for (k = p->next_k; k < p->end_k; k++) {
		if ((text = subst(p, k, 1, p->o.schedule, why)) == NULL) {
			snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\": %.300s",
			    lrk_show(shown, p->o.schedule,
			    strlen(p->o.schedule)), why);
			return -1;
		}
		if ((sc = run_schedule(p, k, 1, why)) == NULL) {
			snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\" (run %zu): "
			    "%.200s", lrk_show(shown, text, strlen(text)), k,
			    why);
			free(text);
			return -1;
		}
		free(text);
		free_schedule(p, sc);
	}
	return 0;
}

/*
 * One device a slot (--gpus): a device given twice takes two runs, more
 * runs at once than devices is an error, and so is a run started alone
 * (--index), which holds no slot.  0, or -1 with err.
 */
int
lrk_pool_check_gpus(size_t jobs, size_t ngpus, int alone, char *err)
{
	if (alone)
		snprintf(err, LRK_ERRSIZE, "--gpus: a run started alone "
		    "(--index) holds no slot (its devices are the scheduler's "
		    "to give)");
	else if (jobs > ngpus)
		snprintf(err, LRK_ERRSIZE, "-j %zu: more runs at once than the "
		    "%zu device%s of --gpus (give a device twice to run two on "
		    "it, as 0,0,1,1)", jobs, ngpus, ngpus == 1 ? "" : "s");
	else
		return 0;
	return -1;
}

struct lrk_pool *
lrk_pool_new(const struct lrk_pool_options *o, const struct lrk_pool_events
    *ev, void *arg, int *usage, char *err)
{
	struct lrk_pool *p;
	char why[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *text;
	size_t i;

	*usage = 0;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->slots = calloc(o->jobs, sizeof(*p->slots))) == NULL) {
		free(p);
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	p->o = *o;
	if (p->o.messages == NULL && o->console != NULL)
		p->o.messages = lrk_console_queue(o->console);
	if (ev != NULL)
		p->ev = *ev;
	p->arg = arg;
	p->joblog_fd = -1;
	p->next_k = o->first;
	p->end_k = o->end;
	for (i = 0; i < o->jobs; i++) {
		p->slots[i].pool = p;
		p->slots[i].index = SIZE_MAX;
		p->slots[i].number = i + 1;
	}
	lrk_outq_init(&p->rowq, o->rows_fd);
	if (o->out_dir == NULL)
		p->rows = &p->rowq;
	if (o->table != NULL) {
		/* -S: the table every run reads. */
		schedule_init(p, &p->own);
		p->shared = &p->own;
		if (lrk_schedule_read(&p->own, o->table, o->table_name,
		    err) != 0)
			goto fail;
	}
	/* The devices after -S's table: a bad table is said first. */
	if (o->gpus != NULL && lrk_pool_check_gpus(o->jobs, o->ngpus,
	    o->alone, err) != 0) {
		*usage = 1;
		goto fail;
	}
	if (o->table == NULL) {
		/* Words without {name}: one schedule for every run. */
		if ((text = lrk_grid_subst(o->grid, 0, o->schedule, why)) !=
		    NULL && strcmp(text, o->schedule) == 0) {
			schedule_init(p, &p->own);
			if (lrk_schedule_spec(&p->own, o->schedule, why) != 0) {
				snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\": %.300s",
				    lrk_show(shown, o->schedule,
				    strlen(o->schedule)), why);
				free(text);
				*usage = 1;
				goto fail;
			}
			p->shared = &p->own;
		}
		free(text);
	}
	if (check_runs(p, err) != 0) {
		*usage = 1;
		goto fail;
	}
	return p;
fail:
	lrk_pool_free(p);
	return NULL;
}

void
lrk_pool_free(struct lrk_pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->shared == &p->own)
		lrk_schedule_free(&p->own);
	for (i = 0; i < p->ncols; i++)
		free(p->cols[i]);
	free(p->cols);
	lrk_buf_free(&p->rowbuf);
	lrk_outq_free(&p->rowq);
	if (p->joblog_fd >= 0)
		close(p->joblog_fd);
	free(p->slots);
	free(p);
}

/*
 * Whether standard output's rows were not all written: 1 with err saying
 * why (a write error, or the reader took no more within the grace
 * period), else 0.  A reader gone (EPIPE) is no error: the runs stopped.
 */
int
lrk_pool_rows_failed(const struct lrk_pool *p, char *err)
{
	const struct lrk_outq *q = p->rows;

	if (q == NULL || !q->closed || q->error == EPIPE)
		return 0;
	if (q->error != 0)
		snprintf(err, LRK_ERRSIZE, "write error: %s",
		    strerror(q->error));
	else
		snprintf(err, LRK_ERRSIZE, "output cut: the reader took no "
		    "more within the grace period");
	return 1;
}

/* Stop every run in flight (the reader of the rows went away). */
void
lrk_pool_stop(struct lrk_pool *p)
{
	size_t i;

	for (i = 0; i < p->o.jobs; i++)
		if (p->slots[i].index != SIZE_MAX)
			lrk_run_stop(&p->slots[i].run, LRK_RUN_STOPPED);
}

/* Are the children's log lines told apart (several run at once)? */
int
lrk_pool_tagged(const struct lrk_pool *p)
{
	return p->tag;
}

int
lrk_pool_signal(const struct lrk_pool *p)
{
	return p->stop_signal;
}

/*
 * At a run's first row: which child column goes to each extra output
 * column.  A run file has the run's own columns; the rows queue has those
 * of the first run that wrote a row, and a later run's other columns are
 * left out with a warning.
 */
static void
map_columns(struct slot *s)
{
	struct lrk_pool *p = s->pool;
	const struct lrk_child *c = &s->run.child;
	int own = s->has_file || !p->header_done;
	struct lrk_buf b = { 0 };
	const char *name, *why;
	size_t j, out;
	char **names;

	s->mapped = 1;
	/*
	 * Say which of the child's columns the rows leave out when that
	 * loses data: a *_smooth column, or the child's loss under -y.  (A
	 * step, lr or parameter column repeats what the row has.)
	 */
	for (j = 0; j < lrk_child_columns(c); j++) {
		if (j == c->loss_col ||
		    (why = lrk_child_left_out(c, p->o.grid, j)) == NULL)
			continue;
		name = lrk_child_name(c, j);
		if (strcasecmp(name, "loss") == 0 ||
		    lrk_name_role(name, strlen(name)) == LRK_ROLE_SMOOTH)
			slot_warn(s, "column \"%s\" is left out: %s", name,
			    why);
	}
	s->map = lrk_tidy_map(c, p->o.grid, own ? NULL : p->cols, p->ncols,
	    &s->nmap, &out);
	if (s->map == NULL) {
		pool_fail(p, "out of memory");
		return;
	}
	if (out != SIZE_MAX)
		slot_warn(s, "column \"%s\" is left out: the output's columns "
		    "are the first run's (give -o for a file per run)",
		    lrk_child_name(c, out));
	if (!own)
		return;
	if ((names = calloc(s->nmap + 1, sizeof(*names))) == NULL) {
		pool_fail(p, "out of memory");
		return;
	}
	for (j = 0; j < s->nmap; j++)
		if ((names[j] = strdup(lrk_child_name(c, s->map[j]))) ==
		    NULL) {
			pool_fail(p, "out of memory");
			while (j-- > 0)
				free(names[j]);
			free(names);
			return;
		}
	if (!s->has_file) {
		p->cols = names;
		p->ncols = s->nmap;
		rows_header(p);
		return;
	}
	if (lrk_tidy_header_line(&b, p->o.grid, (const char *const *)names,
	    s->nmap) != 0)
		pool_fail(p, "out of memory");
	else
		fwrite(b.data, 1, b.len, lrk_outfile_fp(&s->file));
	lrk_outfile_check(&s->file);
	lrk_buf_free(&b);
	for (j = 0; j < s->nmap; j++)
		free(names[j]);
	free(names);
}

/*
 * A row: the loss of the run's next step, or (final) the first CSV row
 * after the schedule's end, a final evaluation, with step and lr empty.
 */
static void
write_row(struct slot *s, const struct lrk_child_line *cl, int final)
{
	struct lrk_pool *p = s->pool;
	const struct lrk_schedule *sc = s->sched;
	size_t k = s->run.steps;
	FILE *fp;

	if (!s->mapped)
		map_columns(s);
	if (p->failed)
		return;
	lrk_buf_clear(&p->rowbuf);
	lrk_tidy_row(&p->rowbuf, s->prefix, s->prefix_len, final ? NULL :
	    sc->rows.data + sc->row_off[k], final ? 0 : sc->row_off[k + 1] -
	    sc->row_off[k], &s->run.child, cl, s->map, s->nmap);
	if (p->rowbuf.failed) {
		pool_fail(p, "out of memory");
		return;
	}
	if (s->has_file) {
		fp = lrk_outfile_fp(&s->file);
		fwrite_unlocked(p->rowbuf.data, 1, p->rowbuf.len, fp);
		if (p->o.unbuffered)
			fflush(fp);
		lrk_outfile_check(&s->file);
		if (s->file.error != 0)
			pool_fail(p, "%s: write error: %s",
			    lrk_outfile_tmp(&s->file),
			    strerror(s->file.error));
	} else {
		emit(p, p->rowbuf.data, p->rowbuf.len);
		if (p->o.unbuffered)
			flush_rows(p);
	}
}

/* A line with a loss: the next step's row, and the divergence rule. */
static void
on_loss(void *arg, const struct lrk_child_line *cl)
{
	struct slot *s = arg;

	if (s->run.steps < s->sched->nsteps) {
		write_row(s, cl, 0);
		lrk_run_loss(&s->run, cl->loss);
	} else if (cl->csv && !s->final_kept) {
		s->final_kept = 1;
		write_row(s, cl, 1);
	} else {
		if (!s->extra_warned)
			slot_warn(s, "more losses than the %zu schedule rows; "
			    "the extra ones are ignored", s->sched->nsteps);
		s->extra_warned = 1;
	}
}

/* A CSV row without a loss: kept only after the schedule's end. */
static void
on_row(void *arg, const struct lrk_child_line *cl)
{
	struct slot *s = arg;

	if (s->run.steps >= s->sched->nsteps && !s->final_kept) {
		s->final_kept = 1;
		write_row(s, cl, 1);
	}
}

static void
on_log(void *arg, const char *line, size_t len)
{
	struct slot *s = arg;

	if (s->pool->ev.log != NULL)
		s->pool->ev.log(s->pool->arg, s->index, line, len);
}

static void
on_warn(void *arg, const char *message)
{
	slot_warn(arg, "%s", message);
}

static const struct lrk_run_events run_events = { on_loss, on_row, on_log,
    on_warn };

static void
free_argv(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* Start run `index` in slot s: 0, or -1 when lrkit's side failed. */
static int
start_run(struct slot *s, size_t index)
{
	struct lrk_pool *p = s->pool;
	struct lrk_buf b = { 0 };
	struct timeval tv;
	char err[LRK_ERRSIZE], number[32], *path;
	size_t i, n;

	n = s->number;
	memset(s, 0, sizeof(*s));
	s->pool = p;
	s->number = n;
	s->index = index;
	for (n = 0; p->o.command[n] != NULL; n++)
		;
	lrk_run_init(&s->run, &p->o.run, &run_events, s);
	if ((s->argv = calloc(n + 1, sizeof(*s->argv))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if ((s->argv[i] = subst(p, index, s->number, p->o.command[i],
		    err)) == NULL)
			goto nomem;	/* checked by lrk_pool_new */
	snprintf(number, sizeof(number), "%zu", s->number);
	if ((s->envp = lrk_run_env_slot(environ, p->o.grid, index, number,
	    p->o.gpus != NULL ? p->o.gpus[s->number - 1] : NULL)) == NULL)
		goto nomem;
	if (lrk_tidy_prefix(&b, p->o.grid, index) != 0 || b.failed)
		goto nomem;
	s->prefix = b.data;
	s->prefix_len = b.len;
	gettimeofday(&tv, NULL);
	s->wall_start = (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
	if ((s->sched = run_schedule(p, index, s->number, err)) == NULL) {
		pool_fail(p, "%s", err);	/* checked by lrk_pool_new */
		return -1;
	}
	if (p->o.out_dir != NULL) {
		if ((path = lrk_run_path(p->o.out_dir, index)) == NULL)
			goto nomem;
		if (lrk_outfile_open(&s->file, path, LRK_OUTFILE_LOCK,
		    err) != 0) {
			free(path);
			pool_fail(p, "%s", err);
			return -1;
		}
		free(path);
		s->has_file = 1;
	}
	if (p->ev.started != NULL)
		p->ev.started(p->arg, index, s->number);
	if (p->o.console != NULL && lrk_console_started(p->o.console,
	    s->number, lrk_now()) != 0)
		pool_fail(p, "out of memory");
	/*
	 * The child's standard error through a pipe, as lines, when they
	 * are tagged, or when the status line is shown: a line the child
	 * wrote to the terminal itself would be torn by it.
	 */
	if (lrk_run_start(&s->run, s->argv, s->envp, p->tag ||
	    (p->o.console != NULL && lrk_console_on(p->o.console)) ?
	    LRK_PROC_STDERR : 0, err) != 0)
		slot_warn(s, "%s", err);
	return 0;
nomem:
	lrk_buf_free(&b);
	pool_fail(p, "out of memory");
	return -1;
}

static void
release(struct slot *s)
{
	free_argv(s->argv);
	lrk_run_env_free(s->envp);
	free(s->prefix);
	free(s->map);
	free_schedule(s->pool, s->sched);
	lrk_run_free(&s->run);
	s->argv = s->envp = NULL;
	s->prefix = NULL;
	s->map = NULL;
	s->sched = NULL;
	s->index = SIZE_MAX;
}

#define FAIL_WAIT	0.5	/* seconds: see finish_run */

/* Wait up to secs for a stop signal, handling what comes meanwhile. */
static void
await_stop(struct lrk_pool *p, double secs)
{
	struct pollfd pfd;
	double until = lrk_now() + secs, now;

	pfd.fd = p->o.sigfd;
	pfd.events = POLLIN;
	while (p->stop_signal == 0 && (now = lrk_now()) < until) {
		if (poll(&pfd, 1, (int)ceil((until - now) * 1000)) > 0)
			handle_signals(p);
	}
}

/* The run's end: its status, file, joblog row and the caller's callback. */
static void
finish_run(struct slot *s)
{
	struct lrk_pool *p = s->pool;
	struct lrk_joblog_entry e;
	struct lrk_pool_end end;
	char err[LRK_ERRSIZE];
	int status;

	status = lrk_run_end(&s->run, s->argv[0], s->sched->nsteps,
	    &e.exitval, &e.signal, err);
	/*
	 * A child that failed while this process is told to stop was
	 * stopped, not failed: a scheduler's scancel signals every process
	 * of the job at about the same time, and the child (an srun step
	 * that forwards the signal, whatever it then exits with: srun says
	 * 1) may end first.  So a failure waits for a stop signal for up to
	 * FAIL_WAIT seconds before it is logged; the failures that end within
	 * a wait share it (64 at once wait half a second, not 32 s).
	 */
	if (status == LRK_RUN_FAILED && p->stop_signal == 0) {
		if (lrk_now() - p->waited > FAIL_WAIT) {
			await_stop(p, FAIL_WAIT);
			p->waited = lrk_now();
		} else
			handle_signals(p);
	}
	if (status == LRK_RUN_FAILED && p->stop_signal != 0)
		status = LRK_RUN_STOPPED;
	else if (err[0] != '\0')
		slot_warn(s, "%s", err);
	if (s->has_file && !s->mapped && !p->failed)
		map_columns(s);		/* the header of a file without rows */
	if (p->failed)
		status = LRK_RUN_STOPPED;
	if (s->has_file) {
		/* Kept when done or diverged and written whole. */
		if (status > LRK_RUN_DIVERGED)
			lrk_outfile_abort(&s->file);
		else if (lrk_outfile_commit(&s->file, err) != 0) {
			/* lrkit's failure, not the training's. */
			pool_fail(p, "%s", err);
			status = LRK_RUN_STOPPED;
		}
		s->has_file = 0;
	}
	if (status != LRK_RUN_STOPPED && p->joblog_fd >= 0) {
		e.run = s->index;
		e.host = ":";
		e.wall_start = s->wall_start;
		e.runtime = lrk_now() - s->run.start;
		e.sent = s->sent;
		e.received = s->run.received;
		e.argv = s->argv;
		e.status = status;
		if (lrk_joblog_row(p->joblog_fd, p->o.grid, &e) != 0) {
			pool_fail(p, "%s/joblog.tsv: %s", p->o.out_dir,
			    strerror(errno));
			status = LRK_RUN_STOPPED;
		}
	}
	if (p->o.console != NULL && lrk_console_ended(p->o.console,
	    s->number, status, lrk_now()) != 0)
		pool_fail(p, "out of memory");
	if (p->ev.ended != NULL) {
		end.run = s->index;
		end.slot = s->number;
		end.status = status;
		end.exitval = e.exitval;
		end.signal = e.signal;
		end.steps = s->run.steps;
		end.runtime = lrk_now() - s->run.start;
		p->ev.ended(p->arg, &end);
	}
	release(s);
}

/*
 * The runs' children, and the processes that reparented to this one (a
 * grandchild that called setsid() and outlived its parent).
 */
static void
reap_orphans(struct lrk_pool *p, int sig)
{
	int *pids;
	size_t i, n = 0;

	if ((pids = calloc(p->o.jobs + 1, sizeof(*pids))) == NULL) {
		pool_fail(p, "out of memory");
		return;
	}
	for (i = 0; i < p->o.jobs; i++)
		if (p->slots[i].index != SIZE_MAX &&
		    p->slots[i].run.proc.pid > 0 &&
		    !p->slots[i].run.proc.reaped)
			pids[n++] = p->slots[i].run.proc.pid;
	(void)lrk_orphans(pids, n, sig);
	free(pids);
}

/*
 * At the end: whatever reparented to this process belongs to a run that
 * ended, and gets SIGKILL until none is left (a killed orphan's own
 * children reparent in turn), for a second at most.
 */
static void
kill_orphans_last(void)
{
	double until = lrk_now() + 1;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	while (lrk_orphans(NULL, 0, SIGKILL) > 0 && lrk_now() < until)
		nanosleep(&ts, NULL);
}

/* sig to every run's process group, and to what reparented to this one. */
static void
signal_runs(struct lrk_pool *p, int sig)
{
	size_t i;

	for (i = 0; i < p->o.jobs; i++)
		if (p->slots[i].index != SIZE_MAX)
			(void)lrk_proc_kill(&p->slots[i].run.proc, sig);
	reap_orphans(p, sig);
}

/*
 * Job control, as a shell does it for a job, whose processes share one
 * group where each run here leads its own.  A stop caught (SIGTSTP:
 * Ctrl-Z or a scheduler's suspend; SIGTTIN, SIGTTOU: the terminal used
 * from the background) stops every run's group with SIGSTOP, which a
 * training cannot refuse, then this process with the signal it got; once
 * continued, or on SIGCONT alone (after a SIGSTOP, which cannot be
 * caught), every run's group is continued.  The runs' deadlines move on
 * by the time stopped, in run_all.
 */
static void
job_control(struct lrk_pool *p, int sig)
{
	if (sig != SIGCONT) {
		signal_runs(p, SIGSTOP);
		/* The shell speaks next: the status line off till then. */
		if (p->o.console != NULL)
			(void)lrk_console_clear(p->o.console);
		lrk_stop_self(sig);
	}
	signal_runs(p, SIGCONT);
}

static void
handle_signals(struct lrk_pool *p)
{
	size_t i;
	int sig;

	while ((sig = lrk_signals_next()) != 0) {
		if (sig == SIGCHLD) {
			for (i = 0; i < p->o.jobs; i++)
				if (p->slots[i].index != SIZE_MAX)
					lrk_run_reap(&p->slots[i].run);
			/* An orphan that ended is reaped (none did: nothing
			 * to look for; each one's end brings a SIGCHLD). */
			if (lrk_child_ended())
				reap_orphans(p, 0);
			continue;
		}
		if (sig == SIGWINCH) {
			/* The terminal's new size: the status line's width. */
			if (p->o.console != NULL && lrk_console_resize(
			    p->o.console, lrk_now()) != 0)
				pool_fail(p, "out of memory");
			continue;
		}
		if (lrk_job_signal(sig)) {
			job_control(p, sig);
			continue;
		}
		if (p->stop_signal != 0) {
			/* Asked twice: no more grace. */
			for (i = 0; i < p->o.jobs; i++)
				if (p->slots[i].index != SIZE_MAX)
					lrk_run_kill(&p->slots[i].run);
			continue;
		}
		p->stop_signal = sig;
		lrk_pool_stop(p);
	}
}

/*
 * Is run k done already: its file in out_dir (resume), or as the caller
 * says (the skip callback)?  1, 0, or -1 with err.
 */
static int
run_done(struct lrk_pool *p, size_t k, char *err)
{
	if (p->o.resume)
		return lrk_run_file_done(p->o.out_dir, p->o.grid, k, err);
	return p->ev.skip != NULL ? p->ev.skip(p->arg, k, err) : 0;
}

/* Is there a run left to start?  Those done already are not. */
static int
runs_left(struct lrk_pool *p)
{
	char err[LRK_ERRSIZE];
	int r;

	while (p->next_k < p->end_k && (p->o.resume || p->ev.skip != NULL) &&
	    !p->failed) {
		if ((r = run_done(p, p->next_k, err)) < 0)
			pool_fail(p, "%s", err);
		else if (r == 0)
			break;
		p->next_k++;
	}
	return p->next_k < p->end_k && !p->failed;
}

/* The runs to do: those the caller does not say are done already. */
size_t
lrk_pool_todo(struct lrk_pool *p, char *err)
{
	size_t k;
	int r;

	if (!p->o.resume && p->ev.skip == NULL)
		return p->end_k - p->next_k;
	for (p->todo = 0, k = p->next_k; k < p->end_k; k++) {
		if ((r = run_done(p, k, err)) < 0)
			return SIZE_MAX;
		p->todo += r == 0;
	}
	return p->todo;
}

static int
rows_open(const struct lrk_outq *q)
{
	return q == NULL || !q->closed;
}

/* The poll() loop over every run's pipes, the signal pipe and deadlines. */
static void
run_all(struct lrk_pool *p)
{
	struct lrk_outq *rq = p->rows, *mq = p->o.messages;
	struct pollfd *pfd;
	struct slot **owner, *s;
	int *which, full;
	size_t i, k, n, cap;
	double now, next, due, stopped;
	int ms, r;

	cap = 3 + 3 * p->o.jobs;
	pfd = calloc(cap, sizeof(*pfd));
	owner = calloc(cap, sizeof(*owner));
	which = calloc(cap, sizeof(*which));
	if (pfd == NULL || owner == NULL || which == NULL) {
		pool_fail(p, "out of memory");
		goto out;
	}
	/* A stop before this pool's runs is none of theirs. */
	lrk_signals_awake();
	(void)lrk_signals_stopped();
	for (;;) {
		/* Start runs while there is room. */
		for (i = 0; i < p->o.jobs && p->stop_signal == 0 &&
		    !p->failed && rows_open(rq) && runs_left(p); i++)
			if (p->slots[i].index == SIZE_MAX) {
				p->nactive++;
				if (start_run(&p->slots[i], p->next_k++) != 0) {
					release(&p->slots[i]);
					p->nactive--;
				}
			}
		/* Finish the runs that are over. */
		for (i = 0; i < p->o.jobs; i++)
			if (p->slots[i].index != SIZE_MAX &&
			    lrk_run_over(&p->slots[i].run)) {
				finish_run(&p->slots[i]);
				/* What reparented belongs to a run that
				 * ended. */
				if (--p->nactive == 0)
					reap_orphans(p, SIGKILL);
			}
		if (!rows_open(rq) && p->stop_signal == 0)
			lrk_pool_stop(p);
		if (p->nactive == 0 && (p->stop_signal != 0 || p->failed ||
		    !rows_open(rq) || !runs_left(p)))
			break;
		if (p->nactive == 0)
			continue;

		flush_rows(p);
		if (mq != NULL)
			(void)lrk_outq_flush(mq);
		pfd[0].fd = p->o.sigfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = rq != NULL && lrk_outq_pending(rq) > 0 ? rq->fd :
		    -1;
		pfd[1].events = POLLOUT;
		pfd[2].fd = mq != NULL && lrk_outq_pending(mq) > 0 ? mq->fd :
		    -1;
		pfd[2].events = POLLOUT;
		full = (rq != NULL ? lrk_outq_pending(rq) : 0) +
		    (mq != NULL ? lrk_outq_pending(mq) : 0) > POOL_OUTQ_HIGH;
		n = 3;
		next = INFINITY;
		for (i = 0; i < p->o.jobs; i++) {
			s = &p->slots[i];
			if (s->index == SIZE_MAX)
				continue;
			k = lrk_run_pollfds(&s->run,
			    s->sched->child.len - s->sent, pfd + n, which + n);
			while (k-- > 0) {
				/* Output waiting: read no more of theirs. */
				if (full && which[n] != 0)
					pfd[n].fd = -1;
				owner[n++] = s;
			}
			if (lrk_run_deadline(&s->run) < next)
				next = lrk_run_deadline(&s->run);
		}
		now = lrk_now();
		ms = isinf(next) ? -1 : next <= now ? 0 :
		    (int)ceil((next - now) * 1000);
		/*
		 * While a deadline waits, wake up often enough that a stop
		 * by SIGSTOP (seen only at the SIGCONT) is timed to within
		 * POOL_AWAKE_MS.
		 */
		if (!isinf(next) && ms > POOL_AWAKE_MS)
			ms = POOL_AWAKE_MS;
		/* The status line, drawn on time: each second at least. */
		if (p->o.console != NULL && !isinf(due =
		    lrk_console_deadline(p->o.console))) {
			r = due <= now ? 0 : (int)ceil((due - now) * 1000);
			if (ms < 0 || r < ms)
				ms = r;
		}
		lrk_signals_awake();
		if ((r = poll(pfd, n, ms)) == -1 && errno != EINTR) {
			pool_fail(p, "poll: %s", strerror(errno));
			continue;
		}
		lrk_signals_awake();
		for (i = 3; r > 0 && i < n; i++)
			if (pfd[i].revents != 0 && pfd[i].fd >= 0) {
				s = owner[i];
				s->sent += lrk_run_ready(&s->run, pfd[i].fd,
				    which[i], s->sched->child.data + s->sent,
				    s->sched->child.len - s->sent);
			}
		/* Interrupted: a signal's byte may be there already. */
		if (r == -1 || pfd[0].revents != 0)
			handle_signals(p);
		/* The time stopped with the job does not count. */
		stopped = lrk_signals_stopped();
		now = lrk_now();
		for (i = 0; i < p->o.jobs; i++)
			if (p->slots[i].index != SIZE_MAX) {
				lrk_run_shift(&p->slots[i].run, stopped);
				lrk_run_tick(&p->slots[i].run, now);
			}
		if (p->o.console != NULL && now >= lrk_console_deadline(
		    p->o.console) && lrk_console_tick(p->o.console, now) != 0)
			pool_fail(p, "out of memory");
	}
out:
	free(pfd);
	free(owner);
	free(which);
}

static void
flush_rows_cb(void *arg)
{
	flush_rows(arg);
}

/*
 * Run every run to its end (or to a stop signal, or a reader of the rows
 * that went away), then write what the queues hold.  0, or -1 with err
 * when lrkit's side failed: a run's file, the joblog or memory; the runs
 * stopped then are not logged.
 */
int
lrk_pool_run(struct lrk_pool *p, char *err)
{
	struct lrk_outq empty;
	size_t todo;

	if (p->o.out_dir != NULL) {
		(void)lrk_remove_stale(p->o.out_dir);
		if ((p->joblog_fd = lrk_joblog_open(p->o.out_dir, p->o.grid,
		    err)) == -1)
			return -1;
	}
	if ((todo = lrk_pool_todo(p, err)) == SIZE_MAX)
		return -1;
	p->tag = p->o.tag_lines >= 0 ? p->o.tag_lines : p->o.jobs > 1 &&
	    todo > 1;
	/* The runs found done count as finished on the status line. */
	if (p->o.console != NULL && lrk_console_begin(p->o.console,
	    p->end_k - p->next_k, p->end_k - p->next_k - todo, lrk_now()) !=
	    0) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	(void)lrk_subreaper();
	run_all(p);
	kill_orphans_last();
	if (p->o.out_dir == NULL && rows_open(p->rows) && !p->failed)
		rows_header(p);	/* when no run wrote a row */
	lrk_outq_init(&empty, -1);
	/* The rows queue closed with no error: its reader took no more
	 * within the grace period. */
	(void)lrk_outq_drain(p->rows != NULL ? p->rows : &empty,
	    p->o.messages != NULL ? p->o.messages : &empty, flush_rows_cb, p,
	    p->o.sigfd, p->o.run.grace, &p->stop_signal);
	lrk_outq_free(&empty);
	if (p->failed) {
		snprintf(err, LRK_ERRSIZE, "%s", p->err);
		return -1;
	}
	return 0;
}
