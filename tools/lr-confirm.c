/*
 * lr-confirm: from a range test's suggestion to a verified learning rate.
 *
 * It composes the other tools instead of repeating them: lr-suggest (after
 * ema-smooth when the table is not smoothed yet) gives the suggestion,
 * and each round of successive halving is one sweep-run over the
 * candidates and seeds, so that process handling, divergence stopping,
 * parallel runs and --resume stay in one place.  What is left here is the
 * candidates, the rounds (lib/rank.c), reading what sweep-run left in its
 * folder, and the ranked table.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-q] [-c factors | -n count] [-g column] [-j jobs] [-k seeds]\n"
    "       [-m method | --lr lr] [-o dir [--resume]] [-y column]"
    " [--higher]\n"
    "       -s schedule [range.csv] -- command [arg ...]\n";

static const char help_text[] =
    "Train candidate max lrs around the range test's suggestion with the\n"
    "command, by successive halving, and print the one that trained best.\n"
    "\n"
    "  -c, --factors F,...  candidates as multiples of the suggestion\n"
    "  -g, --group COL      the range test's run column (default: run, if any)\n"
    "      --higher         the metric is better when higher (accuracy)\n"
    "  -j, --jobs N         trainings at once (sweep-run -j)\n"
    "  -k, --seeds K        seeds of the last round (default 3)\n"
    "      --lr LR          the suggestion itself; no range test is read\n"
    "  -m, --method M       lr-suggest's method (default: lr-suggest's)\n"
    "  -n, --count N        N candidates log-spaced from 1/2 to 2 times the\n"
    "                       suggestion (default 9: 2^(1/4) apart)\n"
    "  -o, --output DIR     the evidence: rounds and ranked.csv (default\n"
    "                       confirm)\n"
    "  -q, --quiet          no summary on the standard error\n"
    "      --resume         go on with the runs already in DIR\n"
    "  -s, --schedule SPEC  the training's schedule in lrsched's words, with\n"
    "                       {max} for the candidate: 'onecycle max={max} n=500'\n"
    "  -y, --metric COL     the metric (default: val_loss if the runs have\n"
    "                       it, else loss)\n"
    "      --help, --version\n";

enum { OPT_HELP = 256, OPT_VERSION, OPT_LR, OPT_RESUME, OPT_HIGHER };

static const struct option longopts[] = {
	{ "count",	required_argument,	NULL,	'n' },
	{ "factors",	required_argument,	NULL,	'c' },
	{ "group",	required_argument,	NULL,	'g' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "higher",	no_argument,		NULL,	OPT_HIGHER },
	{ "jobs",	required_argument,	NULL,	'j' },
	{ "lr",		required_argument,	NULL,	OPT_LR },
	{ "method",	required_argument,	NULL,	'm' },
	{ "metric",	required_argument,	NULL,	'y' },
	{ "output",	required_argument,	NULL,	'o' },
	{ "quiet",	no_argument,		NULL,	'q' },
	{ "resume",	no_argument,		NULL,	OPT_RESUME },
	{ "schedule",	required_argument,	NULL,	's' },
	{ "seeds",	required_argument,	NULL,	'k' },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ NULL,		0,			NULL,	0 }
};

/* The default candidates: 9 factors 2^(1/4) apart, from 1/2 to 2. */
#define DEFAULT_COUNT	9
#define DEFAULT_SEEDS	3
#define SPAN		4.0	/* -n spreads its factors over 1/2 to 2 */
#define MAX_ROUNDS	64


struct candidate {
	double		 factor;
	double		 lr;
	char		 text[LRK_NUM_BUFSIZE];	/* as the child gets it */
	size_t		 round;			/* the last it trained in */
	struct lrk_rank_run *runs;		/* by seed, 1 to seeds */
	size_t		 nruns;
	struct lrk_rank_entry entry;
};


static const char *group_spec, *method, *out_dir = "confirm", *schedule;
static const char *metric_spec, *jobs;
static int quiet, resume, higher;
static char *metric_name;	/* the metric's column once known */
static int signal_fd = -1;
static int caught;		/* a signal forwarded: exit 128 + it */

static struct candidate *cands;
static size_t ncands;

static void
bytes_add(struct lrk_buf *b, const void *s, size_t len)
{
	if (lrk_buf_add(b, s, len) != 0)
		lrk_errx(1, "out of memory");
}

static void
bytes_str(struct lrk_buf *b, const char *s)
{
	bytes_add(b, s, strlen(s));
}

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		lrk_errx(1, "out of memory");
	return p;
}

static char *
path_join(const char *dir, const char *name)
{
	char *p;

	if ((p = lrk_path_join(dir, name)) == NULL)
		lrk_errx(1, "out of memory");
	return p;
}

/*
 * Another lrkit tool: the one next to this program's own executable (the
 * build tree, or the folder it was installed to), else the name, which
 * the spawn looks up in PATH.
 */
static char *
sibling(const char *name)
{
	char self[PATH_MAX], *slash, *path;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			slash[1] = '\0';
			path = path_join(self, name);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup(name);
}

/* A signal that came while no child ran: exit as if it had run. */
static void
check_signals(void)
{
	int sig;

	while ((sig = lrk_signals_next()) != 0)
		caught = sig;
	if (caught)
		exit(128 + caught);
}

/*
 * Run argv (lrk_proc_run) with SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2,
 * SIGALRM and SIGXCPU forwarded to it
 * (sweep-run then stops its runs and removes their temporary files) and
 * remembered in `caught`.  Returns the wait status; a command that cannot
 * be run is an error here.
 */
static int
run_child(char *const argv[], const char *input, size_t input_len,
    struct lrk_buf *output, struct lrk_buf *errors)
{
	/* Those sweep-run(1) stops on: a scheduler's "wrap up" too. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1,
	    SIGUSR2, SIGALRM, SIGXCPU };
	char err[LRK_ERRSIZE];
	int status;

	/* Caught from the first child on: before, a signal just ends this
	 * process, which has nothing to clean up yet. */
	if (signal_fd < 0 && (signal_fd = lrk_signals_catch(sigs,
	    sizeof(sigs) / sizeof(sigs[0]))) < 0)
		lrk_errx(1, "signals: %s", strerror(errno));
	check_signals();
	if ((status = lrk_proc_run(argv, input, input_len, output, errors,
	    signal_fd, &caught, err)) == -1)
		lrk_errx(1, "%s", err);
	if (caught)
		exit(128 + caught);
	return status;
}

/* A child's failure, described: "exit status 1". */
static const char *
describe(int status)
{
	static char buf[128];

	lrk_proc_describe(status, buf, sizeof(buf));
	return buf;
}

/* The whole input: the range test's table. */
static void
read_all(const char *path, struct lrk_buf *b)
{
	FILE *fp = lrk_open_input(path ? path : "-");
	char buf[65536];
	size_t n;

	if (fp == NULL)
		exit(1);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		bytes_add(b, buf, n);
	if (ferror(fp))
		lrk_errx(1, "%s: read error: %s", path ? path : "stdin",
		    strerror(errno));
	lrk_close_input(fp);
}

/*
 * What the range test's table says before lr-suggest reads it: whether
 * it is smoothed (a column ending in _smooth), whether it has a run
 * column (the default -g), and its rows: the steps the test took.
 */
static void
inspect_range(const struct lrk_buf *b, const char *name, int *smoothed,
    int *has_run, size_t *rows)
{
	const struct lrk_cell *h, *cells;
	struct lrk_table *t;
	size_t i, len;
	FILE *fp;
	int r;

	*smoothed = *has_run = 0;
	*rows = 0;
	if (b->len == 0)
		lrk_errx(1, "%s: no rows", name);
	if ((fp = fmemopen(b->data, b->len, "r")) == NULL)
		lrk_errx(1, "%s: %s", name, strerror(errno));
	if ((t = lrk_table_new(fp, name, NULL)) == NULL)
		lrk_errx(1, "out of memory");
	if (lrk_table_start(t) != 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	if ((h = lrk_table_header(t)) != NULL) {
		for (i = 0; i < lrk_table_columns(t); i++) {
			len = h[i].len;
			if (len >= 7 && strcasecmp(h[i].data + len - 7,
			    "_smooth") == 0)
				*smoothed = 1;
			if (strcasecmp(h[i].data, "run") == 0)
				*has_run = 1;
		}
	}
	while ((r = lrk_table_next(t, &cells)) == 1)
		(*rows)++;
	if (r < 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	lrk_table_free(t);
	fclose(fp);
}

/*
 * The suggestion: lr-suggest -f csv on the (smoothed) table, and with
 * several groups the median of their answers (pooled gives them all the
 * same one).
 */
static double
suggest(const char *path, size_t *range_rows, size_t *ngroups)
{
	struct lrk_buf in = { 0 }, smooth = { 0 }, out = { 0 };
	const char *name = path ? path : "stdin";
	const struct lrk_cell *cells;
	struct lrk_table *t;
	char *argv[12], err[LRK_ERRSIZE];
	double *lrs = NULL, x, lr;
	size_t n = 0, col, k;
	int smoothed, has_run, st, r, partial;
	FILE *fp;

	read_all(path, &in);
	inspect_range(&in, name, &smoothed, &has_run, range_rows);
	if (group_spec == NULL && has_run)
		group_spec = "run";
	if (!smoothed) {
		k = 0;
		argv[k++] = sibling("ema-smooth");
		if (group_spec != NULL) {
			argv[k++] = "-g";
			argv[k++] = (char *)group_spec;
		}
		argv[k] = NULL;
		st = run_child(argv, in.data, in.len, &smooth, NULL);
		if (st != 0)
			lrk_errx(1, "%s: ema-smooth failed (%s)", name,
			    describe(st));
		free(argv[0]);
	} else
		smooth = in;
	k = 0;
	argv[k++] = sibling("lr-suggest");
	argv[k++] = "-f";
	argv[k++] = "csv";
	if (group_spec != NULL) {
		argv[k++] = "-g";
		argv[k++] = (char *)group_spec;
	}
	if (method != NULL) {
		argv[k++] = "-m";
		argv[k++] = (char *)method;
	}
	argv[k] = NULL;
	/* With -g, lr-suggest answers for the runs it can and exits 1 when
	 * one has no answer (its message says which): the median of the
	 * others is still a starting point, and the rounds check it. */
	st = run_child(argv, smooth.data, smooth.len, &out, NULL);
	partial = WIFEXITED(st) && WEXITSTATUS(st) == 1 && group_spec != NULL;
	if (st != 0 && !partial)
		lrk_errx(1, "%s: lr-suggest failed (%s)", name, describe(st));
	free(argv[0]);
	if (smooth.data != in.data)
		free(smooth.data);
	free(in.data);
	if (out.len == 0)
		lrk_errx(1, "%s: lr-suggest %s", name, st != 0 ? "failed" :
		    "printed nothing");
	if ((fp = fmemopen(out.data, out.len, "r")) == NULL)
		lrk_errx(1, "%s", strerror(errno));
	t = lrk_table_new(fp, "lr-suggest's output", NULL);
	if (t == NULL)
		lrk_errx(1, "out of memory");
	if (lrk_table_start(t) != 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	if (lrk_table_find(t, "lr", "lr", &col, err) != 0)
		lrk_errx(1, "lr-suggest's output: %s", err);
	while ((r = lrk_table_next(t, &cells)) == 1) {
		if (lrk_num_parse(cells[col].data, cells[col].len, &x) !=
		    LRK_NUM_OK || !isfinite(x) || x <= 0)
			lrk_errx(1, "lr-suggest's output: \"%s\" is not a "
			    "positive lr", cells[col].data);
		if ((lrs = realloc(lrs, (n + 1) * sizeof(*lrs))) == NULL)
			lrk_errx(1, "out of memory");
		lrs[n++] = x;
	}
	if (r < 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	if (n == 0 && partial)
		lrk_errx(1, "%s: lr-suggest failed (%s)", name, describe(st));
	if (n == 0)
		lrk_errx(1, "lr-suggest printed no suggestion");
	if (partial)
		lrk_warnx("%s: lr-suggest answered for %zu run%s only", name, n,
		    n == 1 ? "" : "s");
	lrk_table_free(t);
	fclose(fp);
	free(out.data);
	lr = lrk_rank_median(lrs, n);
	free(lrs);
	*ngroups = n;
	return lr;
}

/* The candidates (lrk_rank_candidates), in lr order. */
static void
make_candidates(const double *factors, size_t n, double suggestion)
{
	char err[LRK_ERRSIZE];
	double *factor, *lr;
	size_t i;

	if ((cands = calloc(n, sizeof(*cands))) == NULL ||
	    (factor = calloc(n + 1, sizeof(*factor))) == NULL ||
	    (lr = calloc(n + 1, sizeof(*lr))) == NULL)
		lrk_errx(1, "out of memory");
	ncands = n;
	if (lrk_rank_candidates(factors, n, suggestion, factor, lr, err) != 0)
		lrk_usage_error("%s", err);
	for (i = 0; i < n; i++) {
		cands[i].factor = factor[i];
		cands[i].lr = lr[i];
		lrk_num_format(cands[i].text, lr[i]);
	}
	free(factor);
	free(lr);
}

/* "-p name=v1,v2,..." */
static char *
param(const char *name, const char *const *values, size_t n)
{
	struct lrk_buf b = { 0 };
	size_t i;

	bytes_str(&b, name);
	bytes_str(&b, "=");
	for (i = 0; i < n; i++) {
		if (i > 0)
			bytes_str(&b, ",");
		bytes_str(&b, values[i]);
	}
	return b.data;
}

/* The runs of a round: alive[i] the candidates, seeds first_seed on. */
struct round {
	const size_t	*alive;
	size_t		 first_seed, nseeds;
};

/* A joblog row: this round's run, and how it ended. */
static int
joblog_row(void *arg, const struct lrk_joblog_line *l, char *err)
{
	const struct round *rd = arg;
	struct candidate *c;
	struct lrk_rank_run *run;
	double seed;

	(void)err;
	if (lrk_num_parse(l->values[1], strlen(l->values[1]), &seed) !=
	    LRK_NUM_OK || !isfinite(seed))
		seed = 0;
	c = &cands[rd->alive[l->run / rd->nseeds]];
	run = &c->runs[rd->first_seed - 1 + l->run % rd->nseeds];
	if (strcmp(l->values[0], c->text) != 0 ||
	    (size_t)(int)seed != run->seed)
		lrk_errx(1, "%s:%lu: run %zu is max=%s seed=%s, "
		    "not max=%s seed=%zu: the folder holds another "
		    "confirmation", l->path, l->line, l->run, l->values[0],
		    l->values[1], c->text, run->seed);
	run->status = l->status;
	run->exitval = l->exitval;
	run->signal = l->signal;
	return 0;
}

/*
 * What sweep-run left in dir: each run's status from joblog.tsv (the last
 * row of a run, as --resume appends) and its final metric from run-K.csv.
 * alive[i] are the candidates of this round, seeds first_seed on.
 */
static void
read_round(const char *dir, const size_t *alive, size_t nalive,
    size_t first_seed, size_t nseeds)
{
	static const char *const params[] = { "max", "seed" };
	struct round rd = { alive, first_seed, nseeds };
	struct lrk_table *t;
	struct lrk_rank_run *run;
	struct candidate *c;
	char *runfile, err[LRK_ERRSIZE];
	size_t k, nruns = nalive * nseeds, i;
	FILE *fp;

	if (lrk_joblog_read(dir, params, 2, nruns, joblog_row, &rd, err) != 0)
		lrk_errx(1, "%s", err);

	for (k = 0; k < nruns; k++) {
		c = &cands[alive[k / nseeds]];
		run = &c->runs[first_seed - 1 + k % nseeds];
		if (run->status == LRK_RUN_NONE)
			lrk_errx(1, "%s: run %zu (max=%s seed=%zu) is not in "
			    "joblog.tsv: remove its run file to run it again",
			    dir, k, c->text, run->seed);
		if ((runfile = lrk_run_path(dir, k)) == NULL)
			lrk_errx(1, "out of memory");
		if ((fp = fopen(runfile, "r")) == NULL) {
			/* sweep-run keeps no file of a failed run. */
			if (errno == ENOENT && (run->status == LRK_RUN_FAILED ||
			    run->status == LRK_RUN_TIMEOUT)) {
				free(runfile);
				continue;
			}
			lrk_errx(1, "%s: %s", runfile, strerror(errno));
		}
		if ((t = lrk_table_new(fp, runfile, NULL)) == NULL)
			lrk_errx(1, "out of memory");
		if (lrk_rank_read_run(t, runfile, metric_name != NULL ?
		    metric_name : metric_spec, &run->result, err) != 0)
			lrk_errx(1, "%s", err);
		run->has_file = 1;
		if (metric_name == NULL)
			metric_name = xstrdup(run->result.column);
		lrk_table_free(t);
		fclose(fp);
		free(runfile);
	}
	for (i = 0; i < nalive; i++) {
		c = &cands[alive[i]];
		c->nruns = first_seed - 1 + nseeds;
	}
}

/*
 * sweep-run's messages about the runs of a round ("sweep-run: run K:
 * what happened", the last one for each run), for the why column of the
 * ranked table.
 */
static void
take_message(void *arg, size_t k, const char *what, size_t len)
{
	const struct round *rd = arg;
	struct lrk_rank_run *run;

	run = &cands[rd->alive[k / rd->nseeds]].runs[rd->first_seed - 1 +
	    k % rd->nseeds];
	free(run->why);
	if ((run->why = strndup(what, len)) == NULL)
		lrk_errx(1, "out of memory");
}

static void
take_messages(const struct lrk_buf *text, const size_t *alive,
    size_t first_seed, size_t nseeds, size_t nruns)
{
	struct round rd = { alive, first_seed, nseeds };

	lrk_run_messages(text->data, nruns, take_message, &rd);
}

/* A candidate's standing from all its runs so far. */
static void
summarize(struct candidate *c)
{
	if (lrk_rank_summarize_runs(&c->entry, c->runs, c->nruns) != 0)
		lrk_errx(1, "out of memory");
	c->entry.lr = c->lr;
	c->entry.round = c->round;
	c->entry.index = (size_t)(c - cands);
}

/*
 * dir/ranked.csv, best first: written to a temporary file in dir and
 * renamed, so that it is complete or absent.
 */
static void
write_ranked(const struct lrk_rank_entry *order, size_t n)
{
	struct lrk_outfile out;
	struct lrk_writer *w;
	struct candidate *c;
	struct lrk_buf runs;
	char *path, num[LRK_NUM_BUFSIZE], err[LRK_ERRSIZE];
	size_t i;

	path = path_join(out_dir, "ranked.csv");
	if (lrk_outfile_open(&out, path, 0, err) != 0)
		lrk_errx(1, "%s", err);
	if ((w = lrk_writer_new(lrk_outfile_fp(&out), ',', "\n")) == NULL)
		lrk_errx(1, "out of memory");
	lrk_write_str(w, "rank");
	lrk_write_str(w, "lr");
	lrk_write_str(w, "factor");
	lrk_write_str(w, "round");
	lrk_write_str(w, "seeds");
	lrk_write_str(w, "unfinished");
	lrk_write_str(w, "median");
	lrk_write_str(w, "metric");
	lrk_write_str(w, "runs");
	lrk_write_str(w, "why");
	lrk_write_end(w);
	for (i = 0; i < n; i++) {
		c = &cands[order[i].index];
		snprintf(num, sizeof(num), "%zu", i + 1);
		lrk_write_str(w, num);
		lrk_write_str(w, c->text);
		snprintf(num, sizeof(num), "%.4g", c->factor);
		lrk_write_str(w, num);
		snprintf(num, sizeof(num), "%zu", c->round);
		lrk_write_str(w, num);
		snprintf(num, sizeof(num), "%zu", c->nruns);
		lrk_write_str(w, num);
		snprintf(num, sizeof(num), "%zu", c->entry.unfinished);
		lrk_write_str(w, num);
		if (isnan(c->entry.median))
			lrk_write_str(w, "");
		else
			lrk_write_num(w, c->entry.median);
		lrk_write_str(w, metric_name != NULL ? metric_name : "");
		memset(&runs, 0, sizeof(runs));
		if (lrk_rank_runs_text(&runs, c->runs, c->nruns) != 0)
			lrk_errx(1, "out of memory");
		lrk_write_str(w, runs.data != NULL ? runs.data : "");
		lrk_buf_free(&runs);
		if (lrk_rank_why_text(&runs, c->runs, c->nruns) != 0)
			lrk_errx(1, "out of memory");
		lrk_write_str(w, runs.data != NULL ? runs.data : "");
		lrk_buf_free(&runs);
		lrk_write_end(w);
	}
	lrk_writer_free(w);
	if (lrk_outfile_commit(&out, err) != 0)
		lrk_errx(1, "%s", err);
	free(path);
}

/* The candidates ranked, best first, with every one's standing. */
static struct lrk_rank_entry *
rank_all(void)
{
	struct lrk_rank_entry *order;
	size_t i;

	if ((order = calloc(ncands, sizeof(*order))) == NULL)
		lrk_errx(1, "out of memory");
	for (i = 0; i < ncands; i++) {
		summarize(&cands[i]);
		order[i] = cands[i].entry;
	}
	lrk_rank_sort(order, ncands, higher);
	return order;
}

/* Does the schedule or the command take the parameter name somewhere? */
static int
uses_param(const char *spec, char *const command[], const char *name)
{
	char braced[16], dollar[16], dollar_braced[16];
	size_t i;

	snprintf(braced, sizeof(braced), "{%s}", name);
	snprintf(dollar, sizeof(dollar), "$%s", name);
	snprintf(dollar_braced, sizeof(dollar_braced), "${%s}", name);
	if (strstr(spec, braced) != NULL)
		return 1;
	for (i = 0; command[i] != NULL; i++)
		if (strstr(command[i], braced) != NULL ||
		    strstr(command[i], dollar) != NULL ||
		    strstr(command[i], dollar_braced) != NULL)
			return 1;
	return 0;
}

/*
 * The steps of one training: the schedule with the candidate and seed 1
 * put in.  Also checks the template before any work is done.
 */
static size_t
training_steps(const char *lr_text)
{
	struct lrk_grid *g;
	struct lrk_sched *s;
	struct lrk_buf spec = { 0 };
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *text;
	size_t n;

	if ((g = lrk_grid_new()) == NULL)
		lrk_errx(1, "out of memory");
	bytes_str(&spec, "max=");
	bytes_str(&spec, lr_text);
	if (lrk_grid_add(g, spec.data, err) != 0 ||
	    lrk_grid_add(g, "seed=1", err) != 0)
		lrk_errx(1, "%s", err);
	lrk_show(shown, schedule, strlen(schedule));
	/* sweep-run's message would send the user to its -p. */
	if ((text = lrk_grid_subst(g, 0, schedule, err)) == NULL)
		lrk_usage_error("-s: \"%s\": %.*s: only {max}, {seed} and "
		    "{run} are put in", shown, (int)strcspn(err, ":"), err);
	if ((s = lrk_sched_parse_string(text, err)) == NULL ||
	    lrk_sched_ready(s, err) != 0)
		lrk_usage_error("-s: \"%s\": %s", shown, err);
	if ((n = lrk_sched_steps(s)) == 0)
		lrk_usage_error("-s: \"%s\": the schedule has no steps",
		    shown);
	lrk_sched_free(s);
	free(text);
	free(spec.data);
	lrk_grid_free(g);
	return n;
}

static void
make_dir(const char *dir)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		lrk_errx(1, "%s: %s", dir, strerror(errno));
}

/* "seed 1", "seeds 2 to 3" */
static const char *
seed_range(size_t first, size_t last)
{
	static char buf[64];

	if (first == last)
		snprintf(buf, sizeof(buf), "seed %zu", first);
	else
		snprintf(buf, sizeof(buf), "seeds %zu to %zu", first, last);
	return buf;
}

int
main(int argc, char *argv[])
{
	struct lrk_rank_round rounds[MAX_ROUNDS];
	struct lrk_rank_entry *order;
	struct lrk_buf messages;
	struct candidate *c;
	double *factors = NULL, suggestion = NAN, trained, range_trainings;
	size_t nfactors = 0, count = 0, seeds = DEFAULT_SEEDS, nrounds;
	size_t range_rows = 0, ngroups = 0, train_steps, r, i, j, k;
	size_t *alive, nalive, first_seed, nseeds, keep, steps_spent = 0;
	size_t finished, runs_spent = 0;
	char **command, *file = NULL, *round_dir, name[32];
	char **sargv, **seed_text, shown[LRK_SHOWSIZE];
	const char **max_text;
	struct stat st;
	int ch, status, have_lr = 0, dashes, lowest, highest;

	lrk_cli_init(argc, argv);
	/* The command follows the first "--"; options and the range test's
	 * file come before it, in any order. */
	for (dashes = 1; dashes < argc; dashes++)
		if (strcmp(argv[dashes], "--") == 0)
			break;
	opterr = 0;	/* lrk_option_error names the option */
	while ((ch = getopt_long(dashes, argv, ":c:g:j:k:m:n:o:qs:y:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(factors);
			if (optarg[0] == '\0')
				lrk_usage_error("-c: no factors");
			if (lrk_num_parse_list(optarg, &factors, &nfactors) !=
			    0)
				lrk_usage_error("-c: \"%s\": not a list of "
				    "numbers", optarg);
			for (i = 0; i < nfactors; i++)
				if (!(factors[i] > 0))
					lrk_usage_error("-c: %g: a factor must "
					    "be positive", factors[i]);
			break;
		case 'g':
			group_spec = optarg;
			break;
		case 'j':
			lrk_opt_long("-j", optarg, 1, 1024);
			jobs = optarg;
			break;
		case 'k':
			seeds = (size_t)lrk_opt_long("-k", optarg, 1, 1000);
			break;
		case 'm':
			if (strchr(optarg, ',') != NULL ||
			    strcmp(optarg, "all") == 0)
				lrk_usage_error("-m: \"%s\": one method",
				    lrk_show(shown, optarg, strlen(optarg)));
			/* range answers two lrs, a bound and a max. */
			if (strcmp(optarg, "range") == 0)
				lrk_usage_error("-m: \"range\": it answers a "
				    "range, not one lr to train around");
			method = optarg;
			break;
		case 'n':
			count = (size_t)lrk_opt_long("-n", optarg, 1, 1000);
			break;
		case 'o':
			out_dir = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 's':
			schedule = optarg;
			break;
		case 'y':
			metric_spec = optarg;
			break;
		case OPT_HIGHER:
			higher = 1;
			break;
		case OPT_LR:
			suggestion = lrk_opt_double("--lr", optarg, 0,
			    INFINITY, 1);
			have_lr = 1;
			break;
		case OPT_RESUME:
			resume = 1;
			break;
		case OPT_HELP:
			lrk_help(usage_line, help_text);
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	if (dashes == argc)
		lrk_usage_error("the training command goes after --");
	if (optind + 1 < dashes)
		lrk_usage_error("%s: one range test only (several runs go in "
		    "one table, with -g)", argv[optind + 1]);
	if (optind < dashes)
		file = argv[optind];
	command = argv + dashes + 1;
	if (command[0] == NULL)
		lrk_usage_error("no training command after --");
	if (factors != NULL && count != 0)
		lrk_usage_error("-c and -n: give one of them");
	if (factors != NULL && nfactors == 0)
		lrk_usage_error("-c: no factors");
	if (have_lr && (file != NULL || method != NULL || group_spec != NULL))
		lrk_usage_error("--lr: no range test is read: drop %s",
		    file != NULL ? file : method != NULL ? "-m" : "-g");
	if (schedule == NULL)
		lrk_usage_error("-s: the training's schedule is needed, as "
		    "-s 'onecycle max={max} n=STEPS'");
	if (!uses_param(schedule, command, "max"))
		lrk_usage_error("-s: \"%s\" has no {max}: every candidate "
		    "would train alike", schedule);
	train_steps = training_steps("1");
	if (factors == NULL) {
		nfactors = count ? count : DEFAULT_COUNT;
		if ((factors = calloc(nfactors, sizeof(*factors))) == NULL)
			lrk_errx(1, "out of memory");
		for (i = 0; i < nfactors; i++)
			factors[i] = nfactors == 1 ? 1 : pow(SPAN,
			    (double)i / (double)(nfactors - 1) - 0.5);
	}
	signal(SIGPIPE, SIG_IGN);

	if (!have_lr)
		suggestion = suggest(file, &range_rows, &ngroups);
	make_candidates(factors, nfactors, suggestion);
	nrounds = lrk_rank_rounds(ncands, seeds, rounds, MAX_ROUNDS);
	if (nrounds > MAX_ROUNDS)
		lrk_usage_error("-k %zu: too many rounds", seeds);
	for (i = 0; i < ncands; i++) {
		cands[i].runs = calloc(seeds, sizeof(struct lrk_rank_run));
		if (cands[i].runs == NULL)
			lrk_errx(1, "out of memory");
		for (j = 0; j < seeds; j++) {
			cands[i].runs[j].seed = j + 1;
			cands[i].runs[j].status = LRK_RUN_NONE;
		}
	}
	range_trainings = (double)range_rows / (double)train_steps;
	if (!quiet) {
		if (have_lr)
			lrk_warnx("candidates around %g (--lr)", suggestion);
		else
			lrk_warnx("suggestion %g (lr-suggest%s%s%s%s%s); "
			    "the range test: %zu steps, %.3g trainings of %zu",
			    suggestion, method ? " -m " : "", method ? method :
			    "", group_spec ? " -g " : "", group_spec ?
			    group_spec : "", ngroups > 1 ? ", the median of "
			    "its answers" : "", range_rows, range_trainings,
			    train_steps);
	}

	make_dir(out_dir);
	round_dir = path_join(out_dir, "round-1");
	if (!resume && stat(round_dir, &st) == 0)
		lrk_errx(1, "%s exists: remove it, give another -o, or "
		    "--resume to go on with its runs", round_dir);
	free(round_dir);

	if ((alive = calloc(ncands, sizeof(*alive))) == NULL ||
	    (max_text = calloc(ncands, sizeof(*max_text))) == NULL ||
	    (seed_text = calloc(seeds, sizeof(*seed_text))) == NULL)
		lrk_errx(1, "out of memory");
	for (j = 0; j < seeds; j++) {
		snprintf(name, sizeof(name), "%zu", j + 1);
		seed_text[j] = xstrdup(name);
	}
	for (i = 0; i < ncands; i++)
		alive[i] = i;
	nalive = ncands;
	first_seed = 1;
	for (r = 0; r < nrounds && nalive > 0; r++) {
		nseeds = rounds[r].seeds - (first_seed - 1);
		snprintf(name, sizeof(name), "round-%zu", r + 1);
		round_dir = path_join(out_dir, name);
		for (i = 0; i < nalive; i++) {
			max_text[i] = cands[alive[i]].text;
			cands[alive[i]].round = r + 1;
		}
		for (k = 0; command[k] != NULL; k++)
			;
		if ((sargv = calloc(k + 20, sizeof(*sargv))) == NULL)
			lrk_errx(1, "out of memory");
		k = 0;
		sargv[k++] = sibling("sweep-run");
		sargv[k++] = "-p";
		sargv[k++] = param("max", max_text, nalive);
		sargv[k++] = "-p";
		sargv[k++] = param("seed", (const char *const *)seed_text +
		    first_seed - 1, nseeds);
		sargv[k++] = "-s";
		sargv[k++] = (char *)schedule;
		sargv[k++] = "-o";
		sargv[k++] = round_dir;
		if (jobs != NULL) {
			sargv[k++] = "-j";
			sargv[k++] = (char *)jobs;
		}
		if (resume)
			sargv[k++] = "--resume";
		sargv[k++] = "--";
		for (i = 0; command[i] != NULL; i++)
			sargv[k++] = command[i];
		sargv[k] = NULL;
		if (!quiet && nalive == 1)
			lrk_warnx("round %zu: 1 candidate, %s, on %s (%s)",
			    r + 1, cands[alive[0]].text,
			    seed_range(first_seed, rounds[r].seeds), round_dir);
		else if (!quiet)
			lrk_warnx("round %zu: %zu candidates, %s to %s, on "
			    "%s (%s)", r + 1, nalive, cands[alive[0]].text,
			    cands[alive[nalive - 1]].text,
			    seed_range(first_seed, rounds[r].seeds),
			    round_dir);
		memset(&messages, 0, sizeof(messages));
		status = run_child(sargv, NULL, 0, NULL, &messages);
		/* 0: every run done or diverged; 1: some failed, or worse:
		 * the joblog says which.  Anything else is sweep-run's own. */
		if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
			lrk_errx(WIFEXITED(status) && WEXITSTATUS(status) == 2
			    ? 2 : 1, "round %zu: sweep-run failed (%s)", r + 1,
			    describe(status));
		if (stat(round_dir, &st) != 0)
			lrk_errx(1, "round %zu: sweep-run failed (%s) and "
			    "left no %s", r + 1, describe(status), round_dir);
		read_round(round_dir, alive, nalive, first_seed, nseeds);
		take_messages(&messages, alive, first_seed, nseeds,
		    nalive * nseeds);
		lrk_buf_free(&messages);
		free(sargv[0]);
		free(sargv[2]);
		free(sargv[4]);
		free(sargv);
		free(round_dir);
		for (i = 0; i < nalive; i++) {
			c = &cands[alive[i]];
			for (j = first_seed - 1; j < c->nruns; j++) {
				runs_spent++;
				steps_spent += c->runs[j].has_file ?
				    c->runs[j].result.steps : train_steps;
			}
		}
		/* The next round: the best third of those with a run that
		 * finished. */
		order = rank_all();
		finished = 0;
		for (i = 0; i < ncands; i++)
			if (order[i].round == r + 1 &&
			    order[i].unfinished < order[i].runs)
				finished++;
		if (!quiet)
			lrk_warnx("round %zu: %zu of %zu finished a run",
			    r + 1, finished, nalive);
		keep = r + 1 < nrounds ? rounds[r + 1].candidates : 0;
		if (keep > finished)
			keep = finished;
		if (keep <= 1)
			keep = 0;	/* nothing left to decide */
		for (i = 0; i < keep; i++)
			alive[i] = order[i].index;
		nalive = keep;
		/* In lr order, as the candidates are. */
		for (i = 1; i < nalive; i++)
			for (j = i; j > 0 && alive[j - 1] > alive[j]; j--) {
				k = alive[j];
				alive[j] = alive[j - 1];
				alive[j - 1] = k;
			}
		first_seed = rounds[r].seeds + 1;
		free(order);
	}

	check_signals();
	order = rank_all();
	write_ranked(order, ncands);
	c = &cands[order[0].index];
	trained = (double)steps_spent / (double)train_steps;
	if (order[0].unfinished == order[0].runs)
		lrk_errx(1, "no candidate finished a run: every one failed or "
		    "diverged (%s/ranked.csv says how)", out_dir);
	if (!quiet) {
		lrk_warnx("%s, %.4g x the suggestion: median %s %g over %zu "
		    "seed%s (%s/ranked.csv)", c->text, c->factor, metric_name,
		    c->entry.median, c->nruns - c->entry.unfinished,
		    c->nruns - c->entry.unfinished == 1 ? "" : "s", out_dir);
		if (have_lr)
			lrk_warnx("spent %zu runs, %zu steps: %.3g trainings",
			    runs_spent, steps_spent, trained);
		else
			lrk_warnx("spent %zu runs, %zu steps: %.3g trainings, "
			    "%.3g with the range test", runs_spent,
			    steps_spent, trained, trained + range_trainings);
	}
	/* The best at an end of the range: better may lie beyond it. */
	lowest = highest = 1;
	for (i = 0; i < ncands; i++) {
		if (cands[i].lr < c->lr)
			lowest = 0;
		if (cands[i].lr > c->lr)
			highest = 0;
	}
	if (ncands > 1 && (lowest || highest))
		lrk_warnx("%s is the %s candidate: a %s lr may train better "
		    "still (try -c with factors beyond %.4g)", c->text,
		    lowest ? "smallest" : "largest", lowest ? "smaller" :
		    "larger", c->factor);
	printf("%s\n", c->text);
	free(order);
	for (i = 0; i < ncands; i++) {
		for (j = 0; j < seeds; j++)
			free(cands[i].runs[j].why);
		free(cands[i].runs);
	}
	free(cands);
	for (j = 0; j < seeds; j++)
		free(seed_text[j]);
	free(seed_text);
	free(max_text);
	free(alive);
	free(factors);
	free(metric_name);
	return lrk_close_stdout();
}
