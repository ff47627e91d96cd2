/*
 * sweep-run: run a training command under the child protocol, over a grid
 * of parameters.
 *
 * Each run's child reads the schedule on its stdin and prints one loss per
 * line on its stdout; sweep-run pairs the k-th loss with the k-th schedule
 * row, writes tidy rows, and stops the run when the smoothed loss
 * diverges.  All the children's pipes and the signals sweep-run handles go
 * through one poll() loop, so that no child can block another, or
 * sweep-run, whatever order it reads and writes in.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lrkit.h"

extern char **environ;

static const char usage_line[] =
    "[-u] [-s spec | -S file] [-p name=v1,v2,... | -p name=@file] ...\n"
    "       [-j jobs] [-o dir [--resume]] [--bare] [-y column]"
    " [--stop-div K]\n"
    "       [--beta B] [--timeout secs] [--grace secs] [--index K]\n"
    "       -- command [arg ...]\n"
    "       sweep-run --list | --count [-p name=...] ...\n";

static const char help_text[] =
    "Run a training command under the child protocol (it reads the\n"
    "schedule on stdin, prints one loss per line) over a parameter grid;\n"
    "write run,<params>,step,lr,loss[,<its columns>] rows.\n"
    "\n"
    "  -s, --schedule SPEC  lrsched words, {N} replaced as in the command\n"
    "                       (default: range start=1e-7 end=10 n=100)\n"
    "  -S, --schedule-file F  a step,lr table (lrsched output; - for stdin)\n"
    "  -p, --param N=V,...  a grid parameter (or N=@FILE, one value a line);"
    "\n"
    "                       {N} in the command and $N in its environment\n"
    "  -j, --jobs N         runs at once (default 1)\n"
    "  -o, --output DIR     one file per run, DIR/run-K.csv, and"
    " DIR/joblog.tsv\n"
    "      --resume         with -o: skip the runs whose file exists\n"
    "      --bare           give the child one lr per line, no header\n"
    "  -y, --loss COL       the loss column of a child printing CSV"
    " (default loss)\n"
    "      --stop-div K     stop a run once smoothed loss > K x best"
    " (default 4;\n"
    "                       0: never)\n"
    "      --beta B         smoothing for --stop-div (default 0.98)\n"
    "      --timeout SECS   stop a run after SECS seconds (default: none)\n"
    "      --grace SECS     SIGTERM to SIGKILL (default 5)\n"
    "      --index K        run only run K of the grid\n"
    "      --list           print the grid as run,<params> and exit\n"
    "      --count          print the number of runs and exit\n"
    "  -u, --unbuffered     write each row at once\n"
    "      --help, --version\n";

enum {
	OPT_RESUME = 256, OPT_BARE, OPT_STOP_DIV, OPT_BETA, OPT_TIMEOUT,
	OPT_GRACE, OPT_INDEX, OPT_LIST, OPT_COUNT, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "bare",		no_argument,		NULL,	OPT_BARE },
	{ "beta",		required_argument,	NULL,	OPT_BETA },
	{ "count",		no_argument,		NULL,	OPT_COUNT },
	{ "grace",		required_argument,	NULL,	OPT_GRACE },
	{ "help",		no_argument,		NULL,	OPT_HELP },
	{ "index",		required_argument,	NULL,	OPT_INDEX },
	{ "jobs",		required_argument,	NULL,	'j' },
	{ "list",		no_argument,		NULL,	OPT_LIST },
	{ "loss",		required_argument,	NULL,	'y' },
	{ "output",		required_argument,	NULL,	'o' },
	{ "param",		required_argument,	NULL,	'p' },
	{ "resume",		no_argument,		NULL,	OPT_RESUME },
	{ "schedule",		required_argument,	NULL,	's' },
	{ "schedule-file",	required_argument,	NULL,	'S' },
	{ "stop-div",		required_argument,	NULL,	OPT_STOP_DIV },
	{ "timeout",		required_argument,	NULL,	OPT_TIMEOUT },
	{ "unbuffered",		no_argument,		NULL,	'u' },
	{ "version",		no_argument,		NULL,	OPT_VERSION },
	{ NULL,			0,			NULL,	0 }
};

#define DEFAULT_SCHEDULE	"range start=1e-7 end=10 n=100"

struct run {
	size_t		 index;		/* in the grid, or -1: a free slot */
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
	struct lrk_schedule *sched;	/* &sched, or its own (-s with {name}) */
	size_t		*map;		/* output column j: child's column */
	size_t		 nmap;
	int		 mapped;	/* map made, header written */
	int		 final_kept;	/* a row after the schedule's end */
};

/* Options. */
static const char *sched_spec, *sched_file, *out_dir;
static struct lrk_grid *grid;
static long jobs = 1, only_index = -1;
static int resume, bare, unbuffered, tag_lines;
static double beta = 0.98;
static struct lrk_run_options run_opt = { "loss", 4, { 0 }, 5, 0 };

/* The schedule, unless each run has its own (-s with {name}). */
static struct lrk_schedule sched;
static int sched_per_run;

/* The extra columns of the standard output, fixed by the first row. */
static char **stdout_cols;
static size_t stdout_ncols;
static int stdout_header_done;

/* Output. */
static int stdout_closed, stdout_failed;
static int joblog_fd = -1;

static struct lrk_buf rowbuf;	/* a row on its way to outbuf */
static int exit_status, stop_signal;

static void *
xmalloc_check(void *p)
{
	if (p == NULL)
		lrk_errx(1, "out of memory");
	return p;
}

/*
 * Standard output and standard error go through queues (lrk_outq) that
 * the poll() loop writes when the descriptor takes them: a reader that
 * does not read never blocks sweep-run, so signals, --timeout and the
 * grace period take effect whatever it is.  Each write() is of whole
 * lines, at most PIPE_BUF bytes (or one longer line alone).  While more
 * than OUTQ_HIGH bytes wait, the children's output is not read, which
 * makes them wait in turn.
 */
#define OUTQ_HIGH	(256 * 1024)

static struct lrk_outq outq, errq;

static void
err_add(const char *s, size_t len)
{
	if (lrk_outq_add(&errq, s, len) != 0)
		lrk_errx(1, "out of memory");
	(void)lrk_outq_flush(&errq);
}

/* Messages about a run, in one write so runs never mix within a line. */
static void
run_warn(const struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
run_warn(const struct run *r, const char *fmt, ...)
{
	char msg[LRK_ERRSIZE + 256];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%s: run %zu: ", lrk_progname,
	    r->index);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(msg);
	msg[n++] = '\n';
	err_add(msg, (size_t)n);
}

/* A log line of a child (its stderr, or a stdout line that is no loss). */
static void
log_line(const struct run *r, const char *line, size_t len)
{
	struct lrk_buf b = { 0 };
	char tag[64];

	if (tag_lines) {
		snprintf(tag, sizeof(tag), "[run %zu] ", r->index);
		lrk_buf_str(&b, tag);
	}
	lrk_buf_add(&b, line, len);
	lrk_buf_char(&b, '\n');
	if (!b.failed)
		err_add(b.data, b.len);
	lrk_buf_free(&b);
}

/* Write what standard output takes now; note a reader gone or an error. */
static void
flush_stdout(void)
{
	if (stdout_closed)
		return;
	if (lrk_outq_flush(&outq) != 0) {
		if (outq.error != EPIPE) {
			lrk_warnx("write error: %s", strerror(outq.error));
			stdout_failed = 1;
		}
		stdout_closed = 1;
	}
}

static void
emit(const char *s, size_t len)
{
	if (stdout_closed)
		return;
	if (lrk_outq_add(&outq, s, len) != 0)
		lrk_errx(1, "out of memory");
	if (lrk_outq_pending(&outq) >= LRK_OUTQ_CHUNK)
		flush_stdout();
}

static void
flush_stdout_cb(void *arg)
{
	(void)arg;
	flush_stdout();
}

/*
 * At the end: write what is left (lrk_outq_drain: as long as the reader
 * takes, after a stop signal for the grace period at most).
 */
static void
drain_output(int sigfd)
{
	if (lrk_outq_drain(&outq, &errq, flush_stdout_cb, NULL, sigfd,
	    run_opt.grace, &stop_signal) != 0) {
		lrk_warnx("output cut: the reader took no more within the "
		    "grace period");
		stdout_failed = 1;
	}
	stdout_closed = 1;
}

/* "run,<params>,step,lr,loss[,<extra columns>]\n". */
static void
rows_header(struct lrk_buf *b, char *const *extra, size_t nextra)
{
	if (lrk_tidy_header_line(b, grid, (const char *const *)extra,
	    nextra) != 0)
		lrk_errx(1, "out of memory");
}

static void
stdout_header(void)
{
	struct lrk_buf b = { 0 };

	if (stdout_header_done)
		return;
	stdout_header_done = 1;
	rows_header(&b, stdout_cols, stdout_ncols);
	emit(b.data, b.len);
	lrk_buf_free(&b);
}

/* The schedule of run K: -s with its parameters, or the shared one. */
static struct lrk_schedule *
run_schedule(size_t index)
{
	struct lrk_schedule *s;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *spec;

	if (!sched_per_run)
		return &sched;
	if ((spec = lrk_grid_subst(grid, index, sched_spec, err)) == NULL)
		lrk_usage_error("-s: \"%s\": %s", lrk_show(shown, sched_spec,
		    strlen(sched_spec)), err);
	s = xmalloc_check(malloc(sizeof(*s)));
	lrk_schedule_init(s, bare);
	if (lrk_schedule_spec(s, spec, err) != 0)
		lrk_usage_error("-s: \"%s\" (run %zu): %s", lrk_show(shown,
		    spec, strlen(spec)), index, err);
	free(spec);
	return s;
}

static void
load_schedule(void)
{
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	struct lrk_table_options topt = { 0 };
	struct lrk_table *t;
	const char *spec, *name;
	FILE *fp;

	struct lrk_schedule *each;
	size_t k, first, end;
	char *subst;

	lrk_schedule_init(&sched, bare);
	if (sched_file == NULL) {
		spec = sched_spec ? sched_spec : DEFAULT_SCHEDULE;
		/* {name}: each run has its own, all checked before the first. */
		if ((subst = lrk_grid_subst(grid, 0, spec, err)) == NULL)
			lrk_usage_error("-s: \"%s\": %s", lrk_show(shown, spec,
			    strlen(spec)), err);
		sched_per_run = strcmp(subst, spec) != 0;
		free(subst);
		if (sched_per_run) {
			first = only_index >= 0 ? (size_t)only_index : 0;
			end = only_index >= 0 ? first + 1 : lrk_grid_runs(grid);
			for (k = first; k < end; k++) {
				each = run_schedule(k);
				lrk_schedule_free(each);
				free(each);
			}
			return;
		}
		if (lrk_schedule_spec(&sched, spec, err) != 0)
			lrk_usage_error("-s: \"%s\": %s", lrk_show(shown, spec,
			    strlen(spec)), err);
		return;
	}
	name = strcmp(sched_file, "-") == 0 ? "stdin" : sched_file;
	if ((fp = lrk_open_input(sched_file)) == NULL ||
	    (t = lrk_open_table(fp, name, &topt)) == NULL)
		exit(1);
	if (lrk_schedule_read(&sched, t, name, err) != 0)
		lrk_errx(1, "%s", err);
	lrk_table_free(t);
	lrk_close_input(fp);
}

/*
 * At a run's first row: which child column goes to each extra output
 * column.  A run file has the run's own columns; the standard output has
 * those of the first run that wrote a row, and a later run's other
 * columns are left out with a warning.
 */
static void
map_columns(struct run *r)
{
	const struct lrk_child *c = &r->run.child;
	int own = r->has_file || !stdout_header_done;
	struct lrk_buf b = { 0 };
	const char *name, *why;
	size_t j, out;
	char **names;

	r->mapped = 1;
	/*
	 * Say which of the child's columns the rows leave out when that
	 * loses data: a *_smooth column, or the child's loss under -y.  (A
	 * step, lr or parameter column repeats what the row has.)
	 */
	for (j = 0; j < lrk_child_columns(c); j++) {
		if (j == c->loss_col ||
		    (why = lrk_child_left_out(c, grid, j)) == NULL)
			continue;
		name = lrk_child_name(c, j);
		if (strcasecmp(name, "loss") == 0 ||
		    lrk_name_role(name, strlen(name)) == LRK_ROLE_SMOOTH)
			run_warn(r, "column \"%s\" is left out: %s", name,
			    why);
	}
	r->map = xmalloc_check(lrk_tidy_map(c, grid, own ? NULL : stdout_cols,
	    stdout_ncols, &r->nmap, &out));
	if (out != SIZE_MAX)
		run_warn(r, "column \"%s\" is left out: the output's columns "
		    "are the first run's (give -o for a file per run)",
		    lrk_child_name(c, out));
	if (!own)
		return;
	names = xmalloc_check(calloc(r->nmap + 1, sizeof(*names)));
	for (j = 0; j < r->nmap; j++)
		names[j] = xmalloc_check(strdup(lrk_child_name(c, r->map[j])));
	if (!r->has_file) {
		stdout_cols = names;
		stdout_ncols = r->nmap;
		stdout_header();
		return;
	}
	rows_header(&b, names, r->nmap);
	fwrite(b.data, 1, b.len, lrk_outfile_fp(&r->file));
	lrk_outfile_check(&r->file);
	lrk_buf_free(&b);
	for (j = 0; j < r->nmap; j++)
		free(names[j]);
	free(names);
}

static char **
run_argv(size_t index, char **cmd, int ncmd)
{
	char **argv, err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	int i;

	argv = xmalloc_check(calloc((size_t)ncmd + 1, sizeof(*argv)));
	for (i = 0; i < ncmd; i++)
		if ((argv[i] = lrk_grid_subst(grid, index, cmd[i], err)) ==
		    NULL)
			lrk_usage_error("%s: %s", lrk_show(shown, cmd[i],
			    strlen(cmd[i])), err);
	return argv;
}

static void
free_argv(char **argv)
{
	size_t i;

	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/*
 * A row: the loss of the run's next step, or (final) the first CSV row
 * after the schedule's end, a final evaluation, with step and lr empty.
 */
static void
write_row(struct run *r, const struct lrk_child_line *cl, int final)
{
	const struct lrk_schedule *sc = r->sched;
	size_t k = r->run.steps;
	FILE *fp;

	if (!r->mapped)
		map_columns(r);
	lrk_buf_clear(&rowbuf);
	lrk_tidy_row(&rowbuf, r->prefix, r->prefix_len, final ? NULL :
	    sc->rows.data + sc->row_off[k], final ? 0 : sc->row_off[k + 1] -
	    sc->row_off[k], &r->run.child, cl, r->map, r->nmap);
	xmalloc_check(rowbuf.failed ? NULL : rowbuf.data);
	if (r->has_file) {
		fp = lrk_outfile_fp(&r->file);
		fwrite_unlocked(rowbuf.data, 1, rowbuf.len, fp);
		lrk_outfile_check(&r->file);
		if (unbuffered) {
			fflush(fp);
			lrk_outfile_check(&r->file);
		}
	} else {
		emit(rowbuf.data, rowbuf.len);
		if (unbuffered)
			flush_stdout();
	}
}

/* A line with a loss: the next step's row, and the divergence rule. */
static void
on_loss(void *arg, const struct lrk_child_line *cl)
{
	struct run *r = arg;

	if (r->run.steps < r->sched->nsteps) {
		write_row(r, cl, 0);
		lrk_run_loss(&r->run, cl->loss);
	} else if (cl->csv && !r->final_kept) {
		r->final_kept = 1;
		write_row(r, cl, 1);
	} else {
		if (!r->extra_warned)
			run_warn(r, "more losses than the %zu schedule rows; "
			    "the extra ones are ignored", r->sched->nsteps);
		r->extra_warned = 1;
	}
}

/* A CSV row without a loss: kept only after the schedule's end. */
static void
on_row(void *arg, const struct lrk_child_line *cl)
{
	struct run *r = arg;

	if (r->run.steps >= r->sched->nsteps && !r->final_kept) {
		r->final_kept = 1;
		write_row(r, cl, 1);
	}
}

static void
on_log(void *arg, const char *line, size_t len)
{
	log_line(arg, line, len);
}

static void
on_warn(void *arg, const char *message)
{
	run_warn(arg, "%s", message);
}

static const struct lrk_run_events events = { on_loss, on_row, on_log,
    on_warn };

/* Runs in flight, and the runs still to start. */
static struct run *slots;
static size_t nactive;
static size_t next_k, end_k;	/* runs next_k to end_k - 1 are left */
static char **command;
static int ncommand;
extern char **environ;

static void
start_run(struct run *r, size_t index)
{
	struct lrk_buf b = { 0 };
	struct timeval tv;
	char err[LRK_ERRSIZE], *path;

	memset(r, 0, sizeof(*r));
	r->index = index;
	lrk_run_init(&r->run, &run_opt, &events, r);
	r->argv = run_argv(index, command, ncommand);
	r->envp = xmalloc_check(lrk_run_env(environ, grid, index));
	lrk_tidy_prefix(&b, grid, index);
	r->prefix = xmalloc_check(b.failed ? NULL : b.data);
	r->prefix_len = b.len;
	gettimeofday(&tv, NULL);
	r->wall_start = (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
	if (out_dir != NULL) {
		path = xmalloc_check(lrk_run_path(out_dir, index));
		if (lrk_outfile_open(&r->file, path, LRK_OUTFILE_LOCK,
		    err) != 0) {
			lrk_warnx("%s", err);
			lrk_errx(1, "cannot write the runs' files in %s",
			    out_dir);
		}
		free(path);
		r->has_file = 1;
	}
	r->sched = run_schedule(index);
	if (lrk_run_start(&r->run, r->argv, r->envp,
	    tag_lines ? LRK_PROC_STDERR : 0, err) != 0)
		run_warn(r, "%s", err);
}

/* The run's end: its status, file, joblog row and message. */
static void
finish_run(struct run *r)
{
	struct lrk_joblog_entry e;
	char err[LRK_ERRSIZE];
	int status;

	status = lrk_run_end(&r->run, r->argv[0], r->sched->nsteps,
	    &e.exitval, &e.signal, err);
	if (err[0] != '\0')
		run_warn(r, "%s", err);
	if (r->has_file && !r->mapped)
		map_columns(r);		/* the header of a file without rows */
	if (r->has_file) {
		/* Kept when done or diverged and written whole. */
		if (status > LRK_RUN_DIVERGED)
			lrk_outfile_abort(&r->file);
		else if (lrk_outfile_commit(&r->file, err) != 0) {
			lrk_warnx("%s", err);
			status = LRK_RUN_FAILED;
		}
		r->has_file = 0;
	}
	if (status != LRK_RUN_STOPPED && joblog_fd >= 0) {
		e.run = r->index;
		e.host = ":";
		e.wall_start = r->wall_start;
		e.runtime = lrk_now() - r->run.start;
		e.sent = r->sent;
		e.received = r->run.received;
		e.argv = r->argv;
		e.status = status;
		if (lrk_joblog_row(joblog_fd, grid, &e) != 0) {
			lrk_warnx("%s/joblog.tsv: write error: %s", out_dir,
			    strerror(errno));
			exit_status = 1;
		}
	}
	if (status == LRK_RUN_FAILED || status == LRK_RUN_TIMEOUT)
		exit_status = 1;
	free_argv(r->argv);
	lrk_run_env_free(r->envp);
	free(r->prefix);
	free(r->map);
	if (r->sched != &sched) {
		lrk_schedule_free(r->sched);
		free(r->sched);
	}
	lrk_run_free(&r->run);
	r->index = (size_t)-1;
}

static void
stop_all(enum lrk_run_status why)
{
	size_t i;

	for (i = 0; i < (size_t)jobs; i++)
		if (slots[i].index != (size_t)-1)
			lrk_run_stop(&slots[i].run, why);
}

/*
 * The runs' children, and the processes that reparented to sweep-run (a
 * grandchild that called setsid() and outlived its parent).
 */
static size_t
child_pids(int *pids)
{
	size_t i, n = 0;

	for (i = 0; i < (size_t)jobs; i++)
		if (slots[i].index != (size_t)-1 &&
		    slots[i].run.proc.pid > 0 && !slots[i].run.proc.reaped)
			pids[n++] = slots[i].run.proc.pid;
	return n;
}

static void
reap_orphans(int sig)
{
	int *pids;

	pids = xmalloc_check(calloc((size_t)jobs + 1, sizeof(*pids)));
	(void)lrk_orphans(pids, child_pids(pids), sig);
	free(pids);
}

/*
 * No run in flight: whatever reparented to sweep-run belongs to a run
 * that ended, and gets SIGKILL.  At the end, until none is left (a killed
 * orphan's own children reparent in turn), for a second at most.
 */
static void
kill_orphans(void)
{
	reap_orphans(SIGKILL);
}

static void
kill_orphans_last(void)
{
	double until = lrk_now() + 1;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	while (lrk_orphans(NULL, 0, SIGKILL) > 0 && lrk_now() < until)
		nanosleep(&ts, NULL);
}

static void
handle_signals(void)
{
	size_t i;
	int sig;

	while ((sig = lrk_signals_next()) != 0) {
		if (sig == SIGCHLD) {
			for (i = 0; i < (size_t)jobs; i++)
				if (slots[i].index != (size_t)-1)
					lrk_run_reap(&slots[i].run);
			reap_orphans(0);
			continue;
		}
		if (stop_signal != 0) {
			/* Asked twice: no more grace. */
			for (i = 0; i < (size_t)jobs; i++)
				if (slots[i].index != (size_t)-1)
					lrk_run_kill(&slots[i].run);
			continue;
		}
		stop_signal = sig;
		stop_all(LRK_RUN_STOPPED);
	}
}

/* --resume: is run K's file there, and this grid's? */
static int
run_done(size_t k)
{
	char err[LRK_ERRSIZE];
	int r;

	if ((r = lrk_run_file_done(out_dir, grid, k, err)) < 0)
		lrk_errx(1, "%s", err);
	return r;
}

/* Is there a run left to start?  With --resume, skip those done since. */
static int
runs_left(void)
{
	while (next_k < end_k && resume && run_done(next_k))
		next_k++;
	return next_k < end_k;
}

/* The poll() loop over every run's pipes, the signal pipe and deadlines. */
static void
run_all(int sigfd)
{
	struct pollfd *pfd;
	struct run **owner, *r;
	int *which, full;
	size_t i, k, n, cap;
	double now, next;
	int ms;

	cap = 3 + 3 * (size_t)jobs;
	pfd = xmalloc_check(calloc(cap, sizeof(*pfd)));
	owner = xmalloc_check(calloc(cap, sizeof(*owner)));
	which = xmalloc_check(calloc(cap, sizeof(*which)));
	for (;;) {
		/* Start runs while there is room. */
		for (i = 0; i < (size_t)jobs && stop_signal == 0 &&
		    !stdout_closed && runs_left(); i++)
			if (slots[i].index == (size_t)-1) {
				start_run(&slots[i], next_k++);
				nactive++;
			}
		/* Finish the runs that are over. */
		for (i = 0; i < (size_t)jobs; i++)
			if (slots[i].index != (size_t)-1 &&
			    lrk_run_over(&slots[i].run)) {
				finish_run(&slots[i]);
				if (--nactive == 0)
					kill_orphans();
			}
		if (stdout_closed && stop_signal == 0)
			stop_all(LRK_RUN_STOPPED);
		if (nactive == 0 && (!runs_left() || stop_signal != 0 ||
		    stdout_closed))
			break;
		if (nactive == 0)
			continue;

		flush_stdout();
		(void)lrk_outq_flush(&errq);
		pfd[0].fd = sigfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = lrk_outq_pending(&outq) > 0 ? 1 : -1;
		pfd[1].events = POLLOUT;
		pfd[2].fd = lrk_outq_pending(&errq) > 0 ? 2 : -1;
		pfd[2].events = POLLOUT;
		full = lrk_outq_pending(&outq) + lrk_outq_pending(&errq) >
		    OUTQ_HIGH;
		n = 3;
		next = INFINITY;
		for (i = 0; i < (size_t)jobs; i++) {
			r = &slots[i];
			if (r->index == (size_t)-1)
				continue;
			k = lrk_run_pollfds(&r->run,
			    r->sched->child.len - r->sent,
			    pfd + n, which + n);
			while (k-- > 0) {
				/* Output waiting: read no more of theirs. */
				if (full && which[n] != 0)
					pfd[n].fd = -1;
				owner[n++] = r;
			}
			if (lrk_run_deadline(&r->run) < next)
				next = lrk_run_deadline(&r->run);
		}
		now = lrk_now();
		ms = isinf(next) ? -1 : next <= now ? 0 :
		    (int)ceil((next - now) * 1000);
		if (poll(pfd, n, ms) == -1 && errno != EINTR)
			lrk_errx(1, "poll: %s", strerror(errno));
		for (i = 3; i < n; i++)
			if (pfd[i].revents != 0 && pfd[i].fd >= 0) {
				r = owner[i];
				r->sent += lrk_run_ready(&r->run, pfd[i].fd,
				    which[i], r->sched->child.data + r->sent,
				    r->sched->child.len - r->sent);
			}
		if (pfd[0].revents != 0)
			handle_signals();
		now = lrk_now();
		for (i = 0; i < (size_t)jobs; i++)
			if (slots[i].index != (size_t)-1)
				lrk_run_tick(&slots[i].run, now);
	}
	free(pfd);
	free(owner);
	free(which);
}

static void
list_grid(void)
{
	struct lrk_buf b = { 0 };
	size_t k;

	lrk_tidy_header(&b, grid);
	lrk_buf_char(&b, '\n');
	xmalloc_check(b.failed ? NULL : b.data);
	fwrite(b.data, 1, b.len, stdout);
	for (k = only_index >= 0 ? (size_t)only_index : 0;
	    k < (only_index >= 0 ? (size_t)only_index + 1 : lrk_grid_runs(grid));
	    k++) {
		lrk_buf_clear(&b);
		lrk_tidy_prefix(&b, grid, k);
		xmalloc_check(b.failed ? NULL : b.data);
		b.data[b.len - 1] = '\n';
		fwrite(b.data, 1, b.len, stdout);
		if (ferror(stdout))
			break;
	}
	lrk_buf_free(&b);
}

/* Descriptors 0, 1 and 2 must be open, or a pipe could take their place. */
static void
open_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(1);
}

int
main(int argc, char *argv[])
{
	/* Stop signals: the user's, and a scheduler's warning that the job
	 * is about to end (Slurm's --signal, USR1, USR2, ALRM, XCPU). */
	static const int caught[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP,
	    SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU };
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *path;
	int ch, list = 0, count = 0, sigfd;
	size_t k, i, nruns, ntodo;
	struct stat st;

	open_std_fds();
	lrk_cli_init(argc, argv);
	if ((grid = lrk_grid_new()) == NULL)
		lrk_errx(1, "out of memory");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:j:o:p:s:S:uy:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j':
			jobs = lrk_opt_long("-j", optarg, 1, 1024);
			break;
		case 'o':
			if (optarg[0] == '\0')
				lrk_usage_error("-o: the folder name is empty");
			out_dir = optarg;
			break;
		case 'p':
			if (lrk_grid_add(grid, optarg, err) != 0)
				lrk_usage_error("-p: %s", err);
			break;
		case 's':
			if (sched_file != NULL)
				lrk_usage_error("give -s or -S, not both");
			sched_spec = optarg;
			break;
		case 'S':
			if (sched_spec != NULL)
				lrk_usage_error("give -s or -S, not both");
			sched_file = optarg;
			break;
		case 'u':
			unbuffered = 1;
			break;
		case 'y':
			if (optarg[0] == '\0')
				lrk_usage_error("-y: the column name is empty");
			run_opt.loss_name = optarg;
			break;
		case OPT_BARE:
			bare = 1;
			break;
		case OPT_BETA:
			beta = lrk_opt_double("--beta", optarg, 0, 1, 0);
			if (beta >= 1)
				lrk_usage_error("--beta: %s: must be less "
				    "than 1", lrk_show(shown, optarg,
				    strlen(optarg)));
			break;
		case OPT_COUNT:
			count = 1;
			break;
		case OPT_GRACE:
			run_opt.grace = lrk_opt_double("--grace", optarg, 0, 1e6,
			    0);
			break;
		case OPT_INDEX:
			only_index = lrk_opt_long("--index", optarg, 0,
			    LONG_MAX);
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_RESUME:
			resume = 1;
			break;
		case OPT_STOP_DIV:
			run_opt.stop_div = lrk_opt_double("--stop-div", optarg,
			    0, HUGE_VAL, 0);
			if (run_opt.stop_div > 0 && run_opt.stop_div <= 1)
				lrk_usage_error("--stop-div: %s: must be 0 "
				    "(never) or more than 1", lrk_show(shown,
				    optarg, strlen(optarg)));
			break;
		case OPT_TIMEOUT:
			run_opt.timeout = lrk_opt_double("--timeout", optarg, 0,
			    1e9, 1);
			break;
		case OPT_HELP:
			lrk_help(usage_line, help_text);
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	argc -= optind;
	argv += optind;
	nruns = lrk_grid_runs(grid);
	if (only_index >= 0 && (size_t)only_index >= nruns)
		lrk_usage_error("--index: %ld: the grid has %zu run%s (0 to "
		    "%zu)", only_index, nruns, nruns == 1 ? "" : "s",
		    nruns - 1);
	if (list && count)
		lrk_usage_error("give --list or --count, not both");
	if (count) {
		printf("%zu\n", nruns);
		return lrk_close_stdout();
	}
	if (list) {
		list_grid();
		return lrk_close_stdout();
	}
	if (argc == 0)
		lrk_usage_error("no command to run (give it after --)");
	if (resume && out_dir == NULL)
		lrk_usage_error("--resume needs -o");
	command = argv;
	ncommand = argc;
	/* A {NAME} that is no parameter is the same error for every run. */
	for (i = 0; i < (size_t)argc; i++) {
		if ((path = lrk_grid_subst(grid, 0, argv[i], err)) == NULL)
			lrk_usage_error("%s: %s", lrk_show(shown, argv[i],
			    strlen(argv[i])), err);
		free(path);
	}
	run_opt.ema.beta = beta;
	run_opt.ema.start = LRK_EMA_DEBIAS;
	run_opt.ema.nan = LRK_EMA_SKIP;
	load_schedule();

	/* From here on a signal is only noted (run_all acts on it), so that
	 * one arriving while the joblog is made leaves no temporary file. */
	signal(SIGPIPE, SIG_IGN);
	if ((sigfd = lrk_signals_catch(caught, sizeof(caught) /
	    sizeof(caught[0]))) < 0)
		lrk_errx(1, "signals: %s", strerror(errno));
	(void)lrk_subreaper();
	lrk_outq_init(&outq, 1);
	lrk_outq_init(&errq, 2);

	if (out_dir != NULL) {
		if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
			lrk_errx(1, "%s: %s", out_dir, strerror(errno));
		if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
			lrk_errx(1, "%s: not a folder", out_dir);
		(void)lrk_remove_stale(out_dir);
	}
	/* The runs to do: one with --index, whatever the grid's size. */
	next_k = only_index >= 0 ? (size_t)only_index : 0;
	end_k = only_index >= 0 ? next_k + 1 : nruns;
	ntodo = end_k - next_k;
	if (resume)	/* every file checked before any run starts */
		for (ntodo = 0, k = next_k; k < end_k; k++)
			ntodo += !run_done(k);
	if ((slots = calloc((size_t)jobs, sizeof(*slots))) == NULL)
		lrk_errx(1, "out of memory");
	for (i = 0; i < (size_t)jobs; i++)
		slots[i].index = (size_t)-1;
	tag_lines = jobs > 1 && ntodo > 1;
	if (out_dir != NULL &&
	    (joblog_fd = lrk_joblog_open(out_dir, grid, err)) == -1)
		lrk_errx(1, "%s", err);
	run_all(sigfd);
	kill_orphans_last();
	if (out_dir == NULL && !stdout_closed)
		stdout_header();	/* when no run wrote a row */
	drain_output(sigfd);
	lrk_outq_free(&outq);
	lrk_outq_free(&errq);

	if (stdout_failed)
		exit_status = 1;
	if (stop_signal != 0) {
		signal(stop_signal, SIG_DFL);
		return 128 + stop_signal;
	}
	return exit_status;
}
