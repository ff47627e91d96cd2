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
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
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
    "write run,<params>,step,lr,loss rows.\n"
    "\n"
    "  -s, --schedule SPEC  lrsched words (default: range start=1e-7 end=10"
    " n=100)\n"
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
#define OUTBUF_SIZE		4096	/* PIPE_BUF: rows stay whole */
#define DRAIN_MAX		(4 * 1024 * 1024)

enum status {
	ST_NONE = -1,
	ST_DONE,
	ST_DIVERGED,
	ST_FAILED,
	ST_TIMEOUT,
	ST_STOPPED		/* by a signal to sweep-run: not logged */
};

static const char *const status_names[] = {
	"done", "diverged", "failed", "timeout", "stopped"
};

struct run {
	size_t		 index;
	struct lrk_proc	 proc;
	char		**argv;
	char		**envp;
	char		*prefix;	/* "K,v1,v2," */
	size_t		 prefix_len;
	struct lrk_lines out, err;
	size_t		 sent;		/* bytes of the schedule written */
	size_t		 steps;		/* losses received */
	unsigned long long received;	/* bytes read from its stdout */
	unsigned long	 out_lines;	/* complete lines of its stdout */
	struct lrk_ema	 ema;
	double		 best;
	enum status	 status;	/* decided by sweep-run, or ST_NONE */
	int		 exec_error;	/* errno of a command not run */
	int		 stopping;	/* SIGTERM sent */
	int		 killed;	/* SIGKILL sent */
	int		 extra_warned;
	long		 loss_col;	/* in the child's CSV, or -1 */
	size_t		 csv_cols;
	double		 wall_start, start, timeout_at, kill_at;
	FILE		*file;
	char		*tmp_path, *final_path;
	int		 lock_fd;	/* holds the lock on tmp_path, or -1 */
	int		 write_failed;
	int		 write_errno;	/* of the first failed write to file */
};

/* Options. */
static const char *sched_spec, *sched_file, *out_dir, *loss_name = "loss";
static struct lrk_grid *grid;
static long jobs = 1, only_index = -1;
static int resume, bare, unbuffered, tag_lines;
static double stop_div = 4, beta = 0.98, timeout_secs, grace_secs = 5;
static struct lrk_ema_options ema_opt;

/* The schedule: the text the child reads, and "step,lr" for each row. */
static char *child_text;
static size_t child_len;
static char *rows_text;
static size_t *row_off;		/* nsteps + 1 offsets into rows_text */
static size_t nsteps;

/* Output. */
static char outbuf[OUTBUF_SIZE];
static size_t outlen;
static int stdout_closed, stdout_failed;
static int joblog_fd = -1;


static int exit_status, stop_signal;
static char hostname_col[] = ":";

/* Growable byte string. */
struct buf {
	char	*data;
	size_t	 len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t len)
{
	size_t ncap;
	char *nd;

	if (b->len + len + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + len + 1)
			ncap *= 2;
		if ((nd = realloc(b->data, ncap)) == NULL)
			lrk_errx(1, "out of memory");
		b->data = nd;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* A CSV cell, quoted only when it must be. */
static void
buf_cell(struct buf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_str(b, s);
		return;
	}
	buf_add(b, "\"", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_add(b, "\"", 1);
		buf_add(b, p, 1);
	}
	buf_add(b, "\"", 1);
}

/* Write all of len bytes to fd; -1 with errno on error. */
static int
write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
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
	(void)write_all(2, msg, (size_t)n);
}

/* A log line of a child (its stderr, or a stdout line that is no loss). */
static void
log_line(const struct run *r, const char *line, size_t len)
{
	struct buf b = { 0 };
	char tag[64];

	if (tag_lines) {
		snprintf(tag, sizeof(tag), "[run %zu] ", r->index);
		buf_str(&b, tag);
	}
	buf_add(&b, line, len);
	buf_add(&b, "\n", 1);
	(void)write_all(2, b.data, b.len);
	free(b.data);
}

/*
 * Standard output: whole rows gathered into blocks of at most PIPE_BUF
 * bytes, each block written with one write(), so that rows from several
 * sweep-run processes sharing a pipe never mix within a line.
 */
static void
flush_stdout(void)
{
	if (outlen == 0 || stdout_closed) {
		outlen = 0;
		return;
	}
	if (write_all(1, outbuf, outlen) != 0) {
		if (errno != EPIPE) {
			lrk_warnx("write error: %s", strerror(errno));
			stdout_failed = 1;
		}
		stdout_closed = 1;
	}
	outlen = 0;
}

static void
emit(const char *s, size_t len)
{
	if (stdout_closed)
		return;
	if (outlen + len > sizeof(outbuf))
		flush_stdout();
	if (len > sizeof(outbuf)) {
		if (write_all(1, s, len) != 0) {
			if (errno != EPIPE) {
				lrk_warnx("write error: %s", strerror(errno));
				stdout_failed = 1;
			}
			stdout_closed = 1;
		}
		return;
	}
	memcpy(outbuf + outlen, s, len);
	outlen += len;
}

static void
usage_check_sched(struct lrk_sched *s, const char *spec, char *err)
{
	char shown[LRK_SHOWSIZE];

	lrk_show(shown, spec, strlen(spec));
	if (s == NULL)
		lrk_usage_error("-s: \"%s\": %s", shown, err);
	if (lrk_sched_ready(s, err) != 0)
		lrk_usage_error("-s: \"%s\": %s", shown, err);
	if (lrk_sched_steps(s) == 0)
		lrk_usage_error("-s: \"%s\": the schedule has no steps",
		    shown);
}

/* Add one schedule row: step and lr text, and momentum text or NULL. */
static void
add_row(struct buf *child, struct buf *rows, size_t *cap, const char *step,
    size_t step_len, const char *lr, size_t lr_len, const char *mom,
    size_t mom_len)
{
	size_t *no;

	if (nsteps + 2 > *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		if ((no = realloc(row_off, *cap * sizeof(*no))) == NULL)
			lrk_errx(1, "out of memory");
		row_off = no;
	}
	if (!bare) {
		buf_add(child, step, step_len);
		buf_add(child, ",", 1);
	}
	buf_add(child, lr, lr_len);
	if (!bare && mom != NULL) {
		buf_add(child, ",", 1);
		buf_add(child, mom, mom_len);
	}
	buf_add(child, "\n", 1);
	row_off[nsteps] = rows->len;
	buf_add(rows, step, step_len);
	buf_add(rows, ",", 1);
	buf_add(rows, lr, lr_len);
	nsteps++;
	row_off[nsteps] = rows->len;
}

/* The schedule from lrsched's words. */
static void
load_spec(const char *spec, struct buf *child, struct buf *rows)
{
	char err[LRK_ERRSIZE], step[32], lr[LRK_NUM_BUFSIZE];
	char mom[LRK_NUM_BUFSIZE], shown[LRK_SHOWSIZE];
	struct lrk_sched *s;
	size_t k, n, cap = 0, ml;
	int has_mom;
	double x;

	s = lrk_sched_parse_string(spec, err);
	usage_check_sched(s, spec, err);
	n = lrk_sched_steps(s);
	has_mom = lrk_sched_has_momentum(s);
	if (!bare)
		buf_str(child, has_mom ? "step,lr,momentum\n" : "step,lr\n");
	for (k = 0; k < n; k++) {
		x = lrk_sched_lr(s, k);
		if (!isfinite(x))
			lrk_usage_error("-s: \"%s\": step %zu: the lr is %g",
			    lrk_show(shown, spec, strlen(spec)), k, x);
		ml = has_mom ? lrk_num_format(mom, lrk_sched_momentum(s, k)) :
		    0;
		add_row(child, rows, &cap, step,
		    (size_t)snprintf(step, sizeof(step), "%zu", k), lr,
		    lrk_num_format(lr, x), has_mom ? mom : NULL, ml);
	}
	lrk_sched_free(s);
}

/*
 * The columns of a schedule file.  With a header they are found by name.
 * Without one (lrsched --bare, or a file made by hand) they go by count:
 * "lr"; "lr,momentum" (lrsched -m --bare) or "step,lr"; "step,lr,momentum".
 * Two columns are "step,lr" only when the first one counts up by one from
 * its first value, as steps do; an lr column never does that in practice.
 */
struct sched_cols {
	size_t	lr, step, mom;
	int	has_step, has_mom;
};

/* Check one row of a schedule file and add it. */
static void
file_row(const char *name, unsigned long line, const struct lrk_cell *h,
    const struct lrk_cell *cells, const struct sched_cols *c, size_t k,
    struct buf *child, struct buf *rows, size_t *cap)
{
	char step[32], shown[LRK_SHOWSIZE], shown_name[LRK_SHOWSIZE];
	const struct lrk_cell *lr = &cells[c->lr], *st = &cells[c->step];
	const struct lrk_cell *mom = &cells[c->mom];
	double x;

	if (lrk_num_parse(lr->data, lr->len, &x) != LRK_NUM_OK ||
	    !isfinite(x))
		lrk_errx(1, "%s:%lu: %s: \"%s\" is not a finite lr", name, line,
		    lrk_show(shown_name, h[c->lr].data, h[c->lr].len),
		    lrk_show(shown, lr->data, lr->len));
	/* torch.optim refuses a negative lr; so does the child. */
	if (x < 0)
		lrk_errx(1, "%s:%lu: %s: %s: a learning rate cannot be "
		    "negative", name, line, lrk_show(shown_name,
		    h[c->lr].data, h[c->lr].len), lrk_show(shown, lr->data,
		    lr->len));
	if (c->has_step && lrk_num_parse(st->data, st->len, &x) != LRK_NUM_OK)
		lrk_errx(1, "%s:%lu: %s: \"%s\" is not a number", name, line,
		    lrk_show(shown_name, h[c->step].data, h[c->step].len),
		    lrk_show(shown, st->data, st->len));
	if (c->has_mom && (lrk_num_parse(mom->data, mom->len, &x) !=
	    LRK_NUM_OK || !isfinite(x)))
		lrk_errx(1, "%s:%lu: %s: \"%s\" is not a finite number", name,
		    line, lrk_show(shown_name, h[c->mom].data, h[c->mom].len),
		    lrk_show(shown, mom->data, mom->len));
	if (c->has_step)
		add_row(child, rows, cap, st->data, st->len, lr->data, lr->len,
		    c->has_mom ? mom->data : NULL, mom->len);
	else
		add_row(child, rows, cap, step,
		    (size_t)snprintf(step, sizeof(step), "%zu", k), lr->data,
		    lr->len, c->has_mom ? mom->data : NULL, mom->len);
}

/* Is the cell the whole number *first + k, as the k-th of a step count? */
static int
is_count(const struct lrk_cell *cell, double *first, size_t k)
{
	double x;

	if (lrk_num_parse(cell->data, cell->len, &x) != LRK_NUM_OK ||
	    !isfinite(x) || x != floor(x))
		return 0;
	if (k == 0)
		*first = x;
	return x == *first + (double)k;
}

/* A schedule table: step,lr (and momentum when it has that column). */
static void
load_file(const char *path, struct buf *child, struct buf *rows)
{
	const struct lrk_cell *cells, *h;
	struct lrk_table_options topt = { 0 };
	struct lrk_table *t;
	struct sched_cols c = { 0 };
	struct lrk_cell pair[2];
	struct buf held = { 0 };
	unsigned long *lines = NULL;
	size_t *ends = NULL, cap = 0, hcap = 0, i, k = 0;
	char err[LRK_ERRSIZE];
	const char *name;
	double first = 0;
	int r, counting = 1, hold;
	FILE *fp;

	name = strcmp(path, "-") == 0 ? "stdin" : path;
	if ((fp = lrk_open_input(path)) == NULL)
		exit(1);
	if ((t = lrk_open_table(fp, name, &topt)) == NULL)
		exit(1);
	if (lrk_table_empty(t))
		lrk_errx(1, "%s: the schedule is empty", name);
	h = lrk_table_header(t);
	if (lrk_table_has_header(t)) {
		if (lrk_table_find_role(t, LRK_ROLE_LR, &c.lr, err) != 0)
			lrk_errx(1, "%s: %s", name, err);
		c.has_step = lrk_table_find_role(t, LRK_ROLE_STEP, &c.step,
		    err) == 0;
		for (i = 0; i < lrk_table_columns(t); i++)
			if (strcasecmp(h[i].data, "momentum") == 0) {
				c.has_mom = 1;
				c.mom = i;
			}
	} else if (lrk_table_columns(t) == 1)
		c.lr = 0;
	else if (lrk_table_columns(t) == 3) {
		c.has_step = c.has_mom = 1;
		c.lr = 1;
		c.mom = 2;
	} else if (lrk_table_columns(t) != 2)
		lrk_errx(1, "%s: a schedule without a header has 1 to 3 "
		    "columns (lr; step,lr or lr,momentum; step,lr,momentum), "
		    "not %zu: give it a header", name, lrk_table_columns(t));
	/* Headerless "step,lr" or "lr,momentum": known at the end. */
	hold = !lrk_table_has_header(t) && lrk_table_columns(t) == 2;
	if (!bare && !hold)
		buf_str(child, c.has_mom ? "step,lr,momentum\n" : "step,lr\n");
	while ((r = lrk_table_next(t, &cells)) == 1) {
		if (!hold) {
			file_row(name, lrk_table_line(t), h, cells, &c, k++,
			    child, rows, &cap);
			continue;
		}
		if (counting && !is_count(&cells[0], &first, k))
			counting = 0;
		if (k + 1 >= hcap) {
			hcap = hcap ? 2 * hcap : 1024;
			if ((ends = realloc(ends, 2 * hcap *
			    sizeof(*ends))) == NULL ||
			    (lines = realloc(lines, hcap *
			    sizeof(*lines))) == NULL)
				lrk_errx(1, "out of memory");
		}
		buf_add(&held, cells[0].data, cells[0].len + 1);
		ends[2 * k] = held.len;
		buf_add(&held, cells[1].data, cells[1].len + 1);
		ends[2 * k + 1] = held.len;
		lines[k++] = lrk_table_line(t);
	}
	if (r < 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	if (hold) {
		if (counting) {
			c.has_step = 1;
			c.lr = 1;
		} else {
			c.has_mom = 1;
			c.mom = 1;
		}
		if (!bare)
			buf_str(child, c.has_mom ? "step,lr,momentum\n" :
			    "step,lr\n");
		for (i = 0; i < k; i++) {
			pair[0].data = held.data + (i ? ends[2 * i - 1] : 0);
			pair[0].len = ends[2 * i] - 1 -
			    (i ? ends[2 * i - 1] : 0);
			pair[1].data = held.data + ends[2 * i];
			pair[1].len = ends[2 * i + 1] - 1 - ends[2 * i];
			file_row(name, lines[i], h, pair, &c, i, child, rows,
			    &cap);
		}
		free(held.data);
		free(ends);
		free(lines);
	}
	if (nsteps == 0)
		lrk_errx(1, "%s: the schedule has no rows", name);
	lrk_table_free(t);
	lrk_close_input(fp);
}

static void
load_schedule(void)
{
	struct buf child = { 0 }, rows = { 0 };

	if (sched_file != NULL)
		load_file(sched_file, &child, &rows);
	else
		load_spec(sched_spec ? sched_spec : DEFAULT_SCHEDULE, &child,
		    &rows);
	child_text = child.data;
	child_len = child.len;
	rows_text = rows.data;
}

/* "run,<params>" for the header of --list and of the rows. */
static void
header_params(struct buf *b)
{
	size_t i;

	buf_str(b, "run");
	for (i = 0; i < lrk_grid_params(grid); i++) {
		buf_add(b, ",", 1);
		buf_str(b, lrk_grid_name(grid, i));
	}
}

static char *
run_prefix(size_t index, size_t *len)
{
	struct buf b = { 0 };
	char num[32];
	size_t i;

	snprintf(num, sizeof(num), "%zu", index);
	buf_str(&b, num);
	for (i = 0; i < lrk_grid_params(grid); i++) {
		buf_add(&b, ",", 1);
		buf_cell(&b, lrk_grid_value(grid, index, i));
	}
	buf_add(&b, ",", 1);
	*len = b.len;
	return b.data;
}

/* A shell word for the joblog's Command column. */
static void
buf_shell_word(struct buf *b, const char *s)
{
	const char *p;

	if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789_-+=.,/:@%") == strlen(s)) {
		buf_str(b, s);
		return;
	}
	buf_add(b, "'", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			buf_str(b, "'\\''");
		else if (*p == '\t' || *p == '\n')
			buf_add(b, " ", 1);
		else
			buf_add(b, p, 1);
	}
	buf_add(b, "'", 1);
}

/* The environment of every child, without the names sweep-run sets. */
static char **base_env;
static size_t base_env_count;

static int
env_overridden(const char *entry)
{
	size_t i, n;

	n = strcspn(entry, "=");
	if ((n == 9 && strncmp(entry, "LRKIT_RUN", 9) == 0) ||
	    (n == 16 && strncmp(entry, "PYTHONUNBUFFERED", 16) == 0))
		return 1;
	for (i = 0; i < lrk_grid_params(grid); i++)
		if (strlen(lrk_grid_name(grid, i)) == n &&
		    strncmp(entry, lrk_grid_name(grid, i), n) == 0)
			return 1;
	return 0;
}

static void
make_base_env(void)
{
	size_t n = 0, i;

	while (environ[n] != NULL)
		n++;
	if ((base_env = calloc(n + 1, sizeof(*base_env))) == NULL)
		lrk_errx(1, "out of memory");
	for (i = 0; i < n; i++)
		if (!env_overridden(environ[i]))
			base_env[base_env_count++] = environ[i];
}

static char **
run_env(size_t index)
{
	size_t np = lrk_grid_params(grid), i, n = base_env_count;
	struct buf b;
	char **env, num[32];

	if ((env = calloc(n + np + 3, sizeof(*env))) == NULL)
		lrk_errx(1, "out of memory");
	memcpy(env, base_env, n * sizeof(*env));
	for (i = 0; i < np; i++) {
		memset(&b, 0, sizeof(b));
		buf_str(&b, lrk_grid_name(grid, i));
		buf_add(&b, "=", 1);
		buf_str(&b, lrk_grid_value(grid, index, i));
		env[n++] = b.data;
	}
	snprintf(num, sizeof(num), "LRKIT_RUN=%zu", index);
	if ((env[n++] = strdup(num)) == NULL ||
	    (env[n++] = strdup("PYTHONUNBUFFERED=1")) == NULL)
		lrk_errx(1, "out of memory");
	env[n] = NULL;
	return env;
}

static void
free_env(char **env)
{
	size_t i;

	for (i = base_env_count; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

static char **
run_argv(size_t index, char **cmd, int ncmd)
{
	char **argv, err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	int i;

	if ((argv = calloc((size_t)ncmd + 1, sizeof(*argv))) == NULL)
		lrk_errx(1, "out of memory");
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

static char *
path_join(const char *dir, const char *name)
{
	struct buf b = { 0 };

	buf_str(&b, dir);
	if (b.len > 0 && b.data[b.len - 1] != '/')
		buf_add(&b, "/", 1);
	buf_str(&b, name);
	return b.data;
}

static char *
run_file(size_t index)
{
	char name[64];

	snprintf(name, sizeof(name), "run-%zu.csv", index);
	return path_join(out_dir, name);
}

/*
 * Do the first len bytes of the file say text?  1 or 0, or -1 with errno
 * when it cannot be read.
 */
static int
file_starts_with(const char *path, const char *text, size_t len)
{
	char buf[4096];
	size_t n;
	int fd, same = 1;
	ssize_t got;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (len > 0 && same) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		if ((got = read(fd, buf, n)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (got == 0 || memcmp(buf, text, (size_t)got) != 0)
			same = 0;
		text += got;
		len -= (size_t)got;
	}
	close(fd);
	return same;
}

/* "name=value, ..." of a run, or of the grid's names, for a message. */
static void
describe_run(struct buf *b, size_t index, int values)
{
	char shown[LRK_SHOWSIZE];
	const char *v;
	size_t i;

	if (lrk_grid_params(grid) == 0)
		buf_str(b, "no parameters");
	for (i = 0; i < lrk_grid_params(grid); i++) {
		if (i > 0)
			buf_str(b, ", ");
		buf_str(b, lrk_grid_name(grid, i));
		if (!values)
			continue;
		v = lrk_grid_value(grid, index, i);
		buf_add(b, "=", 1);
		buf_str(b, lrk_show(shown, v, strlen(v)));
	}
}

/*
 * mkstemp makes a file only its owner can read; a run's file and the
 * joblog get the mode a shell's redirection would give them (0666 less
 * the umask), as lr-plot -o does.
 */
static void
mode_from_umask(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
}

/*
 * The joblog: created with its header by linking a complete temporary
 * file into place (so that several sweep-run processes sharing the
 * folder write the header once), then appended to, one write() a row.
 */
static void
open_joblog(void)
{
	struct buf b = { 0 }, what = { 0 };
	char *path, *tmp;
	size_t i;
	int fd, e, same;

	path = path_join(out_dir, "joblog.tsv");
	tmp = path_join(out_dir, ".joblog.tsv.XXXXXX");
	buf_str(&b, "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\t"
	    "Exitval\tSignal\tCommand");
	for (i = 0; i < lrk_grid_params(grid); i++) {
		buf_add(&b, "\t", 1);
		buf_str(&b, lrk_grid_name(grid, i));
	}
	buf_str(&b, "\tStatus\n");
	if (access(path, F_OK) != 0) {
		if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
			lrk_errx(1, "%s: %s", tmp, strerror(errno));
		mode_from_umask(fd);
		/* errno is kept across the unlink that cleans up. */
		if (write_all(fd, b.data, b.len) != 0 || close(fd) != 0) {
			e = errno;
			unlink(tmp);
			lrk_errx(1, "%s: write error: %s", tmp, strerror(e));
		}
		if (link(tmp, path) != 0 && errno != EEXIST) {
			e = errno;
			unlink(tmp);
			lrk_errx(1, "%s: %s", path, strerror(e));
		}
		unlink(tmp);
	} else if ((same = file_starts_with(path, b.data, b.len)) != 1) {
		/* Rows of another grid's columns would garble the log. */
		if (same < 0)
			lrk_errx(1, "%s: %s", path, strerror(errno));
		describe_run(&what, 0, 0);
		lrk_errx(1, "%s: the log of a grid of other parameters (this "
		    "one has %s); give another folder", path, what.data);
	}
	if ((joblog_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) == -1)
		lrk_errx(1, "%s: %s", path, strerror(errno));
	free(b.data);
	free(path);
	free(tmp);
}

static void
joblog_row(const struct run *r, int exitval, int sig)
{
	struct buf b = { 0 };
	struct buf cmd = { 0 };
	char num[128];
	size_t i;
	const char *v;

	if (joblog_fd < 0)
		return;
	for (i = 0; r->argv[i] != NULL; i++) {
		if (i > 0)
			buf_add(&cmd, " ", 1);
		buf_shell_word(&cmd, r->argv[i]);
	}
	snprintf(num, sizeof(num), "%zu\t%s\t%.3f\t%10.3f\t%zu\t%llu\t%d\t%d\t",
	    r->index, hostname_col, r->wall_start, lrk_now() - r->start,
	    r->sent, r->received, exitval, sig);
	buf_str(&b, num);
	buf_str(&b, cmd.data);
	for (i = 0; i < lrk_grid_params(grid); i++) {
		buf_add(&b, "\t", 1);
		for (v = lrk_grid_value(grid, r->index, i); *v != '\0'; v++)
			buf_add(&b, *v == '\t' || *v == '\n' ? " " : v, 1);
	}
	buf_add(&b, "\t", 1);
	buf_str(&b, status_names[r->status]);
	buf_add(&b, "\n", 1);
	if (write_all(joblog_fd, b.data, b.len) != 0) {
		lrk_warnx("%s/joblog.tsv: write error: %s", out_dir,
		    strerror(errno));
		exit_status = 1;
	}
	free(b.data);
	free(cmd.data);
}

/* Stop a run: close its stdin, SIGTERM to its group, SIGKILL later. */
static void
stop_run(struct run *r, enum status why)
{
	if (r->status == ST_NONE)
		r->status = why;
	if (r->stopping)
		return;
	r->stopping = 1;
	lrk_proc_close_in(&r->proc);
	lrk_proc_close_out(&r->proc);
	if (!r->proc.reaped)
		lrk_proc_kill(&r->proc, SIGTERM);
	r->kill_at = lrk_now() + grace_secs;
}

static void
kill_run(struct run *r)
{
	if (r->killed)
		return;
	r->killed = 1;
	lrk_proc_kill(&r->proc, SIGKILL);
}

/*
 * Keep the errno of the first failed write to the run's file: stdio keeps
 * only the error flag, and by the time the file is flushed and closed
 * errno says something else (a read of a pipe that had nothing).
 */
static void
note_file_error(struct run *r)
{
	if (r->write_errno == 0 && ferror_unlocked(r->file))
		r->write_errno = errno != 0 ? errno : EIO;
}

/* A loss for the run's next step: record the row, check divergence. */
static void
take_loss(struct run *r, double x, const char *text, size_t len)
{
	struct buf b = { 0 };
	const char *row;
	size_t rowlen;
	double s;
	int diverged = 0;

	if (r->steps >= nsteps) {
		if (!r->extra_warned)
			run_warn(r, "more losses than the %zu schedule rows; "
			    "the extra ones are ignored", nsteps);
		r->extra_warned = 1;
		return;
	}
	row = rows_text + row_off[r->steps];
	rowlen = row_off[r->steps + 1] - row_off[r->steps];
	if (r->file != NULL) {
		fwrite_unlocked(r->prefix, 1, r->prefix_len, r->file);
		fwrite_unlocked(row, 1, rowlen, r->file);
		putc_unlocked(',', r->file);
		fwrite_unlocked(text, 1, len, r->file);
		putc_unlocked('\n', r->file);
		note_file_error(r);
	} else if (r->prefix_len + rowlen + len + 2 <= sizeof(outbuf) -
	    outlen) {
		/* The common case: straight into the output block. */
		memcpy(outbuf + outlen, r->prefix, r->prefix_len);
		memcpy(outbuf + outlen + r->prefix_len, row, rowlen);
		outlen += r->prefix_len + rowlen;
		outbuf[outlen++] = ',';
		memcpy(outbuf + outlen, text, len);
		outlen += len;
		outbuf[outlen++] = '\n';
	} else {
		buf_add(&b, r->prefix, r->prefix_len);
		buf_add(&b, row, rowlen);
		buf_add(&b, ",", 1);
		buf_add(&b, text, len);
		buf_add(&b, "\n", 1);
		emit(b.data, b.len);
		free(b.data);
	}
	if (unbuffered) {
		if (r->file != NULL) {
			fflush(r->file);
			note_file_error(r);
		} else
			flush_stdout();
	}
	r->steps++;
	if (stop_div > 0) {
		if (!isfinite(x))
			diverged = 1;
		else {
			s = lrk_ema_push(&r->ema, &ema_opt, x, 0);
			if (r->steps == 1 || s < r->best)
				r->best = s;
			diverged = r->best > 0 && s > stop_div * r->best;
		}
	}
	if (diverged)
		stop_run(r, ST_DIVERGED);
}

/* Trim blanks and one pair of double quotes. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
	if (*len >= 2 && (*s)[0] == '"' && (*s)[*len - 1] == '"') {
		(*s)++;
		*len -= 2;
	}
}

/*
 * Split a CSV line at the commas outside quotes.  Returns the number of
 * fields, and the field number want in *field (trimmed).
 */
static size_t
csv_field(const char *s, size_t len, size_t want, const char **field,
    size_t *flen)
{
	size_t i, n = 0, start = 0;
	int quoted = 0;

	*field = NULL;
	*flen = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '"')
			quoted = !quoted;
		if (i == len || (s[i] == ',' && !quoted)) {
			if (n == want) {
				*field = s + start;
				*flen = i - start;
				trim(field, flen);
			}
			n++;
			start = i + 1;
		}
	}
	return n;
}

/*
 * A header line's names for a message, as the other tools list a header:
 * "a, b, c", each name through lrk_show, at most 12 of the ncols.
 */
static void
describe_header(struct buf *b, const char *s, size_t len, size_t ncols)
{
	char count[64];
	char shown[LRK_SHOWSIZE];
	const char *f;
	size_t i, n = 0, start = 0, flen;
	int quoted = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '"')
			quoted = !quoted;
		if (i < len && (s[i] != ',' || quoted))
			continue;
		if (n == 12) {
			snprintf(count, sizeof(count), ", ... (%zu columns)",
			    ncols);
			buf_str(b, count);
			return;
		}
		f = s + start;
		flen = i - start;
		trim(&f, &flen);
		if (n++ > 0)
			buf_str(b, ", ");
		buf_str(b, lrk_show(shown, f, flen));
		start = i + 1;
	}
}

/*
 * Is this line a CSV header with the loss column?  Then remember where.
 * One pass over the line, whatever the number of fields.  A name that two
 * columns share is an error, as it is in the other tools (lrk_table_find):
 * the run fails rather than take one of them at random.
 */
static int
find_loss_header(struct run *r, const char *s, size_t len)
{
	struct buf b = { 0 };
	char shown[LRK_SHOWSIZE];
	const char *f;
	size_t i, n = 0, start = 0, flen, found = 0, second = 0;
	int quoted = 0, hits = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '"')
			quoted = !quoted;
		if (i < len && (s[i] != ',' || quoted))
			continue;
		f = s + start;
		flen = i - start;
		trim(&f, &flen);
		if (flen == strlen(loss_name) &&
		    strncasecmp(f, loss_name, flen) == 0) {
			if (hits++ == 0)
				found = n;
			else if (hits == 2)
				second = n;
		}
		n++;
		start = i + 1;
	}
	if (hits == 0)
		return 0;
	if (hits > 1) {
		describe_header(&b, s, len, n);
		run_warn(r, "line %lu of its output: loss column \"%s\" is "
		    "ambiguous: columns %zu and %zu have that name; the header "
		    "is: %s", r->out_lines + 1, lrk_show(shown, loss_name,
		    strlen(loss_name)), found + 1, second + 1, b.data);
		free(b.data);
		stop_run(r, ST_FAILED);
		return 1;
	}
	r->loss_col = (long)found;
	r->csv_cols = n;
	return 1;
}

/* One line of the child's stdout: a loss, a CSV header or row, or a log. */
static void
stdout_line(struct run *r, const char *s, size_t len)
{
	const char *f = s;
	size_t flen = len;
	double x;
	int kind;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	flen = len;
	trim(&f, &flen);
	if (flen == 0)
		return;
	if (lrk_num_parse(f, flen, &x) == LRK_NUM_OK) {
		take_loss(r, x, f, flen);
		return;
	}
	if (r->loss_col >= 0 && memchr(s, ',', len) != NULL &&
	    csv_field(s, len, (size_t)r->loss_col, &f, &flen) ==
	    r->csv_cols) {
		kind = lrk_num_parse(f, flen, &x);
		if (kind == LRK_NUM_OK) {
			take_loss(r, x, f, flen);
			return;
		}
		if (kind == LRK_NUM_MISSING)
			return;		/* a sparse row without a loss */
	} else if (r->loss_col < 0 && find_loss_header(r, s, len))
		return;
	log_line(r, s, len);
}

static void
stdout_lines(struct run *r)
{
	const char *line;
	size_t len;
	int kind;

	/* A piece of an over-long line is a log line, never a loss. */
	while (!r->stopping &&
	    (kind = lrk_lines_next(&r->out, &line, &len)) != 0) {
		if (kind == 2)
			log_line(r, line, len);
		else
			stdout_line(r, line, len);
		if (!r->out.piece)
			r->out_lines++;
	}
}

static void
stderr_lines(struct run *r)
{
	const char *line;
	size_t len;

	while (lrk_lines_next(&r->err, &line, &len))
		log_line(r, line, len);
}

/*
 * Read once from the child's stdout and handle the complete lines.
 * Returns the bytes read: 0 at the end (the pipe is then closed), -1 when
 * there is nothing to read now.
 */
static long
pump_stdout(struct run *r)
{
	long n;

	n = lrk_lines_fill(&r->out, r->proc.out);
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
		run_warn(r, "reading its output: %s", strerror(errno));
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
pump_stderr(struct run *r)
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
drain(struct run *r)
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

/* Runs in flight, and the runs still to start. */
static struct run *slots;
static size_t nactive;
static size_t next_k, end_k;	/* runs next_k to end_k - 1 are left */
static char **command;
static int ncommand;

static void
start_run(struct run *r, size_t index)
{
	struct timeval tv;
	char err[LRK_ERRSIZE], name[64];
	char *tmpl;
	int e, fd;

	memset(r, 0, sizeof(*r));
	r->index = index;
	r->status = ST_NONE;
	r->loss_col = -1;
	lrk_ema_init(&r->ema);
	lrk_lines_init(&r->out);
	lrk_lines_init(&r->err);
	lrk_proc_init(&r->proc);
	r->lock_fd = -1;
	r->argv = run_argv(index, command, ncommand);
	r->envp = run_env(index);
	r->prefix = run_prefix(index, &r->prefix_len);
	gettimeofday(&tv, NULL);
	r->wall_start = (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
	r->start = lrk_now();
	if (out_dir != NULL) {
		r->final_path = run_file(index);
		snprintf(name, sizeof(name), ".run-%zu.XXXXXX", index);
		tmpl = path_join(out_dir, name);
		if ((fd = mkostemp(tmpl, O_CLOEXEC)) == -1 ||
		    (r->file = fdopen(fd, "w")) == NULL) {
			lrk_warnx("%s: %s", tmpl, strerror(errno));
			lrk_errx(1, "cannot write the runs' files in %s",
			    out_dir);
		}
		r->tmp_path = tmpl;
		mode_from_umask(fd);
		/*
		 * Held until the file is renamed or removed, through a
		 * descriptor of its own: see remove_stale_files().
		 */
		if ((r->lock_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) != -1)
			(void)flock(r->lock_fd, LOCK_EX | LOCK_NB);
		{
			struct buf b = { 0 };

			header_params(&b);
			buf_str(&b, ",step,lr,loss\n");
			fwrite(b.data, 1, b.len, r->file);
			note_file_error(r);
			free(b.data);
		}
	}
	e = lrk_proc_spawn(&r->proc, r->argv, r->envp,
	    tag_lines ? LRK_PROC_STDERR : 0, err);
	if (e != 0) {
		run_warn(r, "%s", err);
		r->exec_error = e;
		r->status = ST_FAILED;
		return;
	}
	if (timeout_secs > 0)
		r->timeout_at = r->start + timeout_secs;
}

/* The run's end: its status, file, joblog row and message. */
static void
finish_run(struct run *r)
{
	char how[128];
	int error, exitval = 0, sig = 0, st = r->proc.status;

	if (r->exec_error != 0)
		exitval = lrk_proc_exec_status(r->exec_error);
	else if (WIFEXITED(st))
		exitval = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		sig = WTERMSIG(st);
	lrk_proc_describe(st, how, sizeof(how));
	if (r->status == ST_NONE) {
		if (exitval != 0 || sig != 0) {
			r->status = ST_FAILED;
			run_warn(r, "%s: %s after %zu of %zu steps",
			    r->argv[0], how, r->steps, nsteps);
		} else if (r->steps < nsteps) {
			r->status = ST_FAILED;
			run_warn(r, "%s: ended after %zu of %zu steps (%s)",
			    r->argv[0], r->steps, nsteps, how);
		} else
			r->status = ST_DONE;
	} else if (r->status == ST_TIMEOUT)
		run_warn(r, "%s: timed out after %g s (%zu of %zu steps)",
		    r->argv[0], timeout_secs, r->steps, nsteps);
	if (r->file != NULL) {
		/* The errno of the call that failed first, and only that. */
		error = r->write_errno;
		errno = 0;
		if (fflush(r->file) != 0 && error == 0)
			error = errno != 0 ? errno : EIO;
		if (ferror(r->file) && error == 0)
			error = EIO;
		if (fclose(r->file) != 0 && error == 0)
			error = errno != 0 ? errno : EIO;
		r->file = NULL;
		if (error != 0) {
			lrk_warnx("%s: write error: %s", r->tmp_path,
			    strerror(error));
			r->write_failed = 1;
		}
		if (r->write_failed && r->status <= ST_DIVERGED)
			r->status = ST_FAILED;
		if (r->status <= ST_DIVERGED) {
			if (rename(r->tmp_path, r->final_path) != 0) {
				lrk_warnx("%s: %s", r->final_path,
				    strerror(errno));
				r->status = ST_FAILED;
				unlink(r->tmp_path);
			}
		} else
			unlink(r->tmp_path);
	}
	if (r->lock_fd != -1)
		close(r->lock_fd);
	if (r->status != ST_STOPPED)
		joblog_row(r, exitval, sig);
	if (r->status == ST_FAILED || r->status == ST_TIMEOUT)
		exit_status = 1;
	free_argv(r->argv);
	free_env(r->envp);
	free(r->prefix);
	free(r->tmp_path);
	free(r->final_path);
	lrk_lines_free(&r->out);
	lrk_lines_free(&r->err);
	lrk_proc_close(&r->proc);
	r->index = (size_t)-1;
}

/* Is the slot's run over: child reaped (or never started), pipes closed? */
static int
run_over(const struct run *r)
{
	if (r->exec_error != 0)
		return 1;
	return r->proc.reaped && r->proc.out < 0 && r->proc.err < 0;
}

static void
stop_all(enum status why)
{
	size_t i;

	for (i = 0; i < (size_t)jobs; i++)
		if (slots[i].index != (size_t)-1)
			stop_run(&slots[i], why);
}

/*
 * Reap every child that has ended.  Whatever is left of its group (a
 * process it started in the background, a data loader's worker) gets
 * SIGKILL, whether the run was stopped or ended by itself: no run leaves
 * an orphan behind.
 */
static void
reap_all(void)
{
	struct run *r;
	size_t i;

	for (i = 0; i < (size_t)jobs; i++) {
		r = &slots[i];
		if (r->index == (size_t)-1 || r->exec_error != 0 ||
		    r->proc.reaped)
			continue;
		if (lrk_proc_reap(&r->proc, 0) != 1)
			continue;
		kill_run(r);	/* whatever of the group is left */
		drain(r);
	}
}

static void
handle_signals(void)
{
	int sig;

	while ((sig = lrk_signals_next()) != 0) {
		if (sig == SIGCHLD) {
			reap_all();
			continue;
		}
		if (stop_signal != 0) {
			/* Asked twice: no more grace. */
			size_t i;

			for (i = 0; i < (size_t)jobs; i++)
				if (slots[i].index != (size_t)-1)
					kill_run(&slots[i]);
			continue;
		}
		stop_signal = sig;
		stop_all(ST_STOPPED);
	}
}

/*
 * With --resume, a run whose file exists is done, provided the file is
 * this run's: once a value is added to or removed from the grid the runs
 * are numbered otherwise, and skipping them by number would leave points
 * of the new grid never run.
 */
static int
run_exists(size_t index)
{
	struct buf want = { 0 }, what = { 0 };
	char *path = run_file(index), *prefix;
	size_t len;
	int same;

	if (access(path, F_OK) != 0) {
		free(path);
		return 0;
	}
	header_params(&want);
	buf_str(&want, ",step,lr,loss\n");
	prefix = run_prefix(index, &len);
	buf_add(&want, prefix, len);
	if ((same = file_starts_with(path, want.data, want.len)) < 0)
		lrk_errx(1, "%s: %s", path, strerror(errno));
	if (!same) {
		describe_run(&what, index, 1);
		lrk_errx(1, "%s: --resume: not the file of run %zu of this "
		    "grid (%s): the grid has changed; give another folder",
		    path, index, what.data);
	}
	free(prefix);
	free(want.data);
	free(path);
	return 1;
}

/* Is there a run left to start?  With --resume, skip those done since. */
static int
runs_left(void)
{
	while (next_k < end_k && resume && run_exists(next_k))
		next_k++;
	return next_k < end_k;
}

/* The poll() loop over every run's pipes, the signal pipe and deadlines. */
static void
run_all(int sigfd)
{
	struct pollfd *pfd;
	struct run **owner, *r;
	int *what;
	size_t i, n, cap;
	double now, next;
	long wrote;
	int ms;

	cap = 1 + 3 * (size_t)jobs;
	if ((pfd = calloc(cap, sizeof(*pfd))) == NULL ||
	    (owner = calloc(cap, sizeof(*owner))) == NULL ||
	    (what = calloc(cap, sizeof(*what))) == NULL)
		lrk_errx(1, "out of memory");
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
			    run_over(&slots[i])) {
				finish_run(&slots[i]);
				nactive--;
			}
		if (stdout_closed && stop_signal == 0)
			stop_all(ST_STOPPED);
		if (nactive == 0 && (!runs_left() || stop_signal != 0 ||
		    stdout_closed))
			break;
		if (nactive == 0)
			continue;

		n = 0;
		pfd[n].fd = sigfd;
		pfd[n].events = POLLIN;
		owner[n++] = NULL;
		now = lrk_now();
		next = INFINITY;
		for (i = 0; i < (size_t)jobs; i++) {
			r = &slots[i];
			if (r->index == (size_t)-1 || r->exec_error != 0)
				continue;
			if (r->proc.in >= 0 && r->sent < child_len) {
				pfd[n].fd = r->proc.in;
				pfd[n].events = POLLOUT;
				what[n] = 0;
				owner[n++] = r;
			}
			if (r->proc.out >= 0) {
				pfd[n].fd = r->proc.out;
				pfd[n].events = POLLIN;
				what[n] = 1;
				owner[n++] = r;
			}
			if (r->proc.err >= 0) {
				pfd[n].fd = r->proc.err;
				pfd[n].events = POLLIN;
				what[n] = 2;
				owner[n++] = r;
			}
			if (!r->stopping && r->timeout_at > 0 &&
			    r->timeout_at < next)
				next = r->timeout_at;
			if (r->stopping && !r->killed && r->kill_at < next)
				next = r->kill_at;
		}
		if (isinf(next))
			ms = -1;
		else if (next <= now)
			ms = 0;
		else
			ms = (int)ceil((next - now) * 1000);
		flush_stdout();
		if (poll(pfd, n, ms) == -1 && errno != EINTR)
			lrk_errx(1, "poll: %s", strerror(errno));

		for (i = 1; i < n; i++) {
			r = owner[i];
			if (pfd[i].revents == 0)
				continue;
			if (what[i] == 0 && r->proc.in == pfd[i].fd) {
				wrote = lrk_proc_write(&r->proc,
				    child_text + r->sent, child_len - r->sent);
				if (wrote > 0)
					r->sent += (size_t)wrote;
				if (wrote < 0 || r->sent == child_len)
					lrk_proc_close_in(&r->proc);
			} else if (what[i] == 1 && r->proc.out == pfd[i].fd)
				pump_stdout(r);
			else if (what[i] == 2 && r->proc.err == pfd[i].fd)
				pump_stderr(r);
		}
		if (pfd[0].revents != 0)
			handle_signals();
		now = lrk_now();
		for (i = 0; i < (size_t)jobs; i++) {
			r = &slots[i];
			if (r->index == (size_t)-1 || r->exec_error != 0)
				continue;
			if (!r->stopping && r->timeout_at > 0 &&
			    now >= r->timeout_at)
				stop_run(r, ST_TIMEOUT);
			if (r->stopping && !r->killed && now >= r->kill_at)
				kill_run(r);
		}
	}
	flush_stdout();
	free(pfd);
	free(owner);
	free(what);
}

static void
list_grid(void)
{
	struct buf b = { 0 };
	size_t k, len;
	char *p;

	header_params(&b);
	buf_add(&b, "\n", 1);
	fwrite(b.data, 1, b.len, stdout);
	for (k = only_index >= 0 ? (size_t)only_index : 0;
	    k < (only_index >= 0 ? (size_t)only_index + 1 : lrk_grid_runs(grid));
	    k++) {
		p = run_prefix(k, &len);
		p[len - 1] = '\n';
		fwrite(p, 1, len, stdout);
		free(p);
		if (ferror(stdout))
			break;
	}
	free(b.data);
}

/* Is name a run's temporary file, ".run-K.XXXXXX"? */
static int
run_tmp_name(const char *name)
{
	size_t n;

	if (strncmp(name, ".run-", 5) != 0)
		return 0;
	name += 5;
	if ((n = strspn(name, "0123456789")) == 0 || name[n] != '.')
		return 0;
	name += n + 1;
	return strlen(name) == 6 && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789") == 6;
}

/*
 * The temporary files that a sweep-run killed outright (kill -9, a node
 * that went down) left in the folder.  A live run holds a lock on its
 * file from a moment after it is made; a file nobody holds, older than
 * that moment, is one no run will ever rename.
 */
static void
remove_stale_files(void)
{
	struct dirent *e;
	struct stat st;
	time_t now = time(NULL);
	char *path;
	DIR *d;
	int fd;

	if ((d = opendir(out_dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!run_tmp_name(e->d_name))
			continue;
		path = path_join(out_dir, e->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
		    O_NONBLOCK)) != -1) {
			if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
			    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
			    now - st.st_mtime >= 2)
				unlink(path);
			close(fd);
		}
		free(path);
	}
	closedir(d);
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
	static const int caught[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP };
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *path;
	int ch, list = 0, count = 0, sigfd;
	size_t k, i, nruns, ntodo;
	struct stat st;
	struct buf b = { 0 };

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
			loss_name = optarg;
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
			grace_secs = lrk_opt_double("--grace", optarg, 0, 1e6,
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
			stop_div = lrk_opt_double("--stop-div", optarg, 0,
			    HUGE_VAL, 0);
			if (stop_div > 0 && stop_div <= 1)
				lrk_usage_error("--stop-div: %s: must be 0 "
				    "(never) or more than 1", lrk_show(shown,
				    optarg, strlen(optarg)));
			break;
		case OPT_TIMEOUT:
			timeout_secs = lrk_opt_double("--timeout", optarg, 0,
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
	ema_opt.beta = beta;
	ema_opt.start = LRK_EMA_DEBIAS;
	ema_opt.nan = LRK_EMA_SKIP;
	load_schedule();

	/* From here on a signal is only noted (run_all acts on it), so that
	 * one arriving while the joblog is made leaves no temporary file. */
	signal(SIGPIPE, SIG_IGN);
	if ((sigfd = lrk_signals_catch(caught, sizeof(caught) /
	    sizeof(caught[0]))) < 0)
		lrk_errx(1, "signals: %s", strerror(errno));

	if (out_dir != NULL) {
		if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
			lrk_errx(1, "%s: %s", out_dir, strerror(errno));
		if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
			lrk_errx(1, "%s: not a folder", out_dir);
		remove_stale_files();
	}
	/* The runs to do: one with --index, whatever the grid's size. */
	next_k = only_index >= 0 ? (size_t)only_index : 0;
	end_k = only_index >= 0 ? next_k + 1 : nruns;
	ntodo = end_k - next_k;
	if (resume)	/* every file checked before any run starts */
		for (ntodo = 0, k = next_k; k < end_k; k++)
			ntodo += !run_exists(k);
	if ((slots = calloc((size_t)jobs, sizeof(*slots))) == NULL)
		lrk_errx(1, "out of memory");
	for (i = 0; i < (size_t)jobs; i++)
		slots[i].index = (size_t)-1;
	tag_lines = jobs > 1 && ntodo > 1;
	make_base_env();
	if (out_dir != NULL)
		open_joblog();
	else {
		header_params(&b);
		buf_str(&b, ",step,lr,loss\n");
		emit(b.data, b.len);
		free(b.data);
	}
	run_all(sigfd);

	if (stdout_failed)
		exit_status = 1;
	if (stop_signal != 0) {
		signal(stop_signal, SIG_DFL);
		return 128 + stop_signal;
	}
	return exit_status;
}
