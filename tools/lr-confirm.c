/*
 * lr-confirm: from a range test's suggestion to a verified learning rate.
 *
 * The suggestion is lr-suggest's (the library's reading of the range
 * test); the confirmation is lib/halving.c's rounds of successive halving,
 * each trained by the executor (lib/pool.c) into DIR/round-R exactly as
 * sweep-run -o writes a sweep, so that sweep-run --resume, lr-plot and the
 * user's scripts read it.  What is left here is the options, the folder,
 * reading back a round on --resume, the ranked table and the messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-q] [-c factors | -n count] [-g column] [-j jobs] [-k seeds]"
    " [--fraction F]\n"
    "       [-m method | --lr lr] [-o dir [--resume [--rerun-failed]]]"
    " [-y column]\n"
    "       [--higher] [--gpus list] [--timeout secs] [--grace secs]\n"
    "       -s schedule [range.csv] -- command [arg ...]\n";

static const char help_text[] =
    "Train candidate max lrs around the range test's suggestion with the\n"
    "command, by successive halving, and print the one that trained best.\n"
    "\n"
    "  -c, --factors F,...  candidates as multiples of the suggestion\n"
    "      --fraction F     round 1 trains on F of the schedule's steps\n"
    "  -g, --group COL      the range test's run column (default: run, if any)\n"
    "      --gpus LIST      one device a slot: CUDA_VISIBLE_DEVICES (-j: its"
    " length)\n"
    "      --grace SECS     SIGTERM to SIGKILL (default 5)\n"
    "      --higher         the metric is better when higher (accuracy)\n"
    "  -j, --jobs N         trainings at once (default 1)\n"
    "  -k, --seeds K        seeds of the last round (default 3)\n"
    "      --lr LR          the suggestion itself; no range test is read\n"
    "  -m, --method M       lr-suggest's method (default: lr-suggest's)\n"
    "  -n, --count N        N candidates log-spaced from 1/2 to 2 times the\n"
    "                       suggestion (default 9: 2^(1/4) apart)\n"
    "  -o, --output DIR     the evidence: rounds and ranked.csv (default\n"
    "                       confirm)\n"
    "  -q, --quiet          no summary on the standard error\n"
    "      --rerun-failed   with --resume: train failed runs again\n"
    "      --resume         go on with the runs already in DIR\n"
    "  -s, --schedule SPEC  the training's schedule in lrsched's words, with\n"
    "                       {max} for the candidate: 'onecycle max={max} n=500'\n"
    "      --timeout SECS   stop a training after SECS seconds (default: none)\n"
    "  -y, --metric COL     the metric (default: val_loss if the runs have\n"
    "                       it, else loss)\n"
    "      --help, --version\n";

enum {
	OPT_HELP = 256, OPT_VERSION, OPT_LR, OPT_RESUME, OPT_HIGHER,
	OPT_GPUS, OPT_GRACE, OPT_TIMEOUT, OPT_RERUN, OPT_FRACTION
};

static const struct option longopts[] = {
	{ "count",	required_argument,	NULL,	'n' },
	{ "factors",	required_argument,	NULL,	'c' },
	{ "fraction",	required_argument,	NULL,	OPT_FRACTION },
	{ "gpus",	required_argument,	NULL,	OPT_GPUS },
	{ "grace",	required_argument,	NULL,	OPT_GRACE },
	{ "group",	required_argument,	NULL,	'g' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "higher",	no_argument,		NULL,	OPT_HIGHER },
	{ "jobs",	required_argument,	NULL,	'j' },
	{ "lr",		required_argument,	NULL,	OPT_LR },
	{ "method",	required_argument,	NULL,	'm' },
	{ "metric",	required_argument,	NULL,	'y' },
	{ "output",	required_argument,	NULL,	'o' },
	{ "quiet",	no_argument,		NULL,	'q' },
	{ "rerun-failed", no_argument,		NULL,	OPT_RERUN },
	{ "resume",	no_argument,		NULL,	OPT_RESUME },
	{ "schedule",	required_argument,	NULL,	's' },
	{ "seeds",	required_argument,	NULL,	'k' },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ NULL,		0,			NULL,	0 }
};

/* The default candidates: 9 factors 2^(1/4) apart, from 1/2 to 2. */
#define DEFAULT_COUNT	9
#define DEFAULT_SEEDS	3
#define SPAN		4.0	/* -n spreads its factors over 1/2 to 2 */

struct candidate {
	double		 factor;
	double		 lr;
	char		 text[LRK_NUM_BUFSIZE];	/* as the child gets it */
	struct lrk_rank_run *runs;		/* by seed, 1 to seeds */
};

/* Options. */
static const char *group_spec, *method, *out_dir = "confirm", *schedule;
static const char *metric_spec, *file;
static char **command, **gpus;
static size_t jobs, ngpus, seeds = DEFAULT_SEEDS;
static int quiet, resume, rerun_failed, higher, have_lr;
static double suggestion = NAN, fraction = 1;
static struct lrk_run_options run_opt = { "loss", 4, { 0 }, 5, 0 };

static struct candidate *cands;
static size_t ncands;
static struct lrk_halving *halving;
static char *metric_name;	/* the metric's column once known */
static struct lrk_outq errq;

/* The round being trained: its runs are candidate x seed, seed fastest. */
static struct lrk_halving_round rd;
static char *round_dir;
static struct lrk_pool *pool;

static size_t
run_cand(size_t k)
{
	return rd.candidates[k / (rd.last_seed - rd.first_seed + 1)];
}

static size_t
run_seed(size_t k)
{
	return rd.first_seed + k % (rd.last_seed - rd.first_seed + 1);
}

static struct lrk_rank_run *
run_of(size_t k)
{
	return &cands[run_cand(k)].runs[run_seed(k) - 1];
}

#include "lr-confirm-suggest.h"

/* A message, in the order of those the executor queued. */
static void
say(const char *text, size_t len)
{
	if (lrk_outq_add(&errq, text, len) != 0)
		lrk_errx(1, "out of memory");
	(void)lrk_outq_flush(&errq);
}

/* A message about run K of the round; the last one is its why. */
static void
on_warn(void *arg, size_t k, const char *message)
{
	struct lrk_rank_run *run = run_of(k);
	struct lrk_buf b = { 0 };
	char head[64 + 2 * LRK_NUM_BUFSIZE];

	(void)arg;
	snprintf(head, sizeof(head), ": round %zu: max=%s seed=%zu: ",
	    rd.number, cands[run_cand(k)].text, run_seed(k));
	lrk_buf_str(&b, lrk_progname);
	lrk_buf_str(&b, head);
	lrk_buf_str(&b, message);
	lrk_buf_char(&b, '\n');
	lrk_xbuf_check(&b);
	say(b.data, b.len);
	lrk_buf_free(&b);
	free(run->why);
	run->why = lrk_xstrdup(message);
}

/* A log line of a training, tagged when several train at once. */
static void
on_log(void *arg, size_t k, const char *line, size_t len)
{
	struct lrk_buf b = { 0 };
	char tag[32 + LRK_NUM_BUFSIZE];

	(void)arg;
	if (lrk_pool_tagged(pool)) {
		snprintf(tag, sizeof(tag), "[max=%s seed=%zu] ",
		    cands[run_cand(k)].text, run_seed(k));
		lrk_buf_str(&b, tag);
	}
	lrk_buf_add(&b, line, len);
	lrk_buf_char(&b, '\n');
	lrk_xbuf_check(&b);
	say(b.data, b.len);
	lrk_buf_free(&b);
}

/*
 * A run that ended (now, or as the joblog recorded it): its result from
 * its file when it kept one, and into the rounds.
 */
static void
record(size_t k, int status, int exitval, int signal, size_t steps)
{
	struct lrk_rank_run *run = run_of(k);
	struct lrk_table *t;
	char *path, err[LRK_ERRSIZE];
	FILE *fp;

	run->status = status;
	run->exitval = exitval;
	run->signal = signal;
	if (status == LRK_RUN_DONE || status == LRK_RUN_DIVERGED) {
		path = lrk_xcheck(lrk_run_path(round_dir, k));
		if ((fp = fopen(path, "re")) == NULL)
			lrk_errx(1, "%s: %s", path, strerror(errno));
		t = lrk_xcheck(lrk_table_new(fp, path, NULL));
		lrk_run_result_free(&run->result);
		if (lrk_rank_read_run(t, path, metric_name != NULL ?
		    metric_name : metric_spec, &run->result, err) != 0)
			lrk_errx(1, "%s", err);
		run->has_file = 1;
		if (metric_name == NULL)
			metric_name = lrk_xstrdup(run->result.column);
		steps = run->result.steps;
		lrk_table_free(t);
		fclose(fp);
		free(path);
	}
	if (lrk_halving_record(halving, run_cand(k), run_seed(k), status,
	    run->has_file ? run->result.final : NAN, steps, err) != 0)
		lrk_errx(1, "%s", err);
}

static void
on_ended(void *arg, const struct lrk_pool_end *e)
{
	(void)arg;
	if (e->status != LRK_RUN_STOPPED)
		record(e->run, e->status, e->exitval, e->signal, e->steps);
}

/* Recorded already (on --resume): the executor skips it. */
static int
is_recorded(void *arg, size_t k, char *err)
{
	(void)arg;
	(void)err;
	return lrk_halving_run(halving, run_cand(k), run_seed(k), NULL) !=
	    LRK_RUN_NONE;
}

/*
 * --resume: the runs the round's joblog recorded, each as its last row
 * says it ended, checked to be this confirmation's.  Failed runs count
 * as recorded unless --rerun-failed.
 */
static int
joblog_row(void *arg, const struct lrk_joblog_line *l, char *err)
{
	int *last = arg;
	double seed;

	if (strcmp(l->values[0], cands[run_cand(l->run)].text) != 0 ||
	    lrk_num_parse(l->values[1], strlen(l->values[1]), &seed) !=
	    LRK_NUM_OK || seed != (double)run_seed(l->run)) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: run %zu is max=%.40s "
		    "seed=%.40s, not max=%s seed=%zu: the folder holds another "
		    "confirmation", l->path, l->line, l->run, l->values[0],
		    l->values[1], cands[run_cand(l->run)].text,
		    run_seed(l->run));
		return -1;
	}
	last[3 * l->run] = l->status;
	last[3 * l->run + 1] = l->exitval;
	last[3 * l->run + 2] = l->signal;
	return 0;
}

static void
read_recorded(size_t nruns)
{
	static const char *const params[] = { "max", "seed" };
	char *path, err[LRK_ERRSIZE];
	int *last, st, gone;
	size_t k;

	path = lrk_xcheck(lrk_path_join(round_dir, "joblog.tsv"));
	if (access(path, F_OK) != 0) {
		free(path);
		return;
	}
	free(path);
	last = lrk_xcalloc(3 * nruns + 1, sizeof(*last));
	for (k = 0; k < nruns; k++)
		last[3 * k] = LRK_RUN_NONE;
	if (lrk_joblog_read(round_dir, params, 2, nruns, joblog_row, last,
	    err) != 0)
		lrk_errx(1, "%s", err);
	for (k = 0; k < nruns; k++) {
		st = last[3 * k];
		/* Trained again: a failure, when asked; a run whose file
		 * is gone (the evidence lost). */
		if (st == LRK_RUN_NONE || (rerun_failed &&
		    (st == LRK_RUN_FAILED || st == LRK_RUN_TIMEOUT)) ||
		    lrk_halving_run(halving, run_cand(k), run_seed(k), NULL) !=
		    LRK_RUN_NONE)
			continue;
		if (st == LRK_RUN_DONE || st == LRK_RUN_DIVERGED) {
			path = lrk_xcheck(lrk_run_path(round_dir, k));
			gone = access(path, F_OK) != 0 && errno == ENOENT;
			free(path);
			if (gone)
				continue;
		}
		record(k, st, last[3 * k + 1], last[3 * k + 2], 0);
	}
	free(last);
}

/* "-p name=v1,v2,..." for the round's grid. */
static void
add_param(struct lrk_grid *g, const char *name, size_t from, size_t to,
    int cands_not_seeds)
{
	struct lrk_buf b = { 0 };
	char num[32], err[LRK_ERRSIZE];
	size_t i;

	lrk_buf_str(&b, name);
	lrk_buf_char(&b, '=');
	for (i = from; i <= to; i++) {
		if (i > from)
			lrk_buf_char(&b, ',');
		snprintf(num, sizeof(num), "%zu", i);
		lrk_buf_str(&b, cands_not_seeds ?
		    cands[rd.candidates[i]].text : num);
	}
	lrk_xbuf_check(&b);
	if (lrk_grid_add(g, b.data, err) != 0)
		lrk_errx(1, "%s", err);
	lrk_buf_free(&b);
}

/* "round 2: 3 candidates, 0.01 to 0.04, on seeds 2 to 3 (confirm/round-2)" */
static void
say_round(void)
{
	char seeds_text[64];

	if (quiet)
		return;
	if (rd.first_seed == rd.last_seed)
		snprintf(seeds_text, sizeof(seeds_text), "seed %zu",
		    rd.first_seed);
	else
		snprintf(seeds_text, sizeof(seeds_text), "seeds %zu to %zu",
		    rd.first_seed, rd.last_seed);
	if (rd.count == 1)
		lrk_warnx("round %zu%s: 1 candidate, %s, on %s (%s)",
		    rd.number, rd.refill ? " (in the place of those not "
		    "clean)" : "", cands[rd.candidates[0]].text, seeds_text,
		    round_dir);
	else
		lrk_warnx("round %zu: %zu candidates, %s to %s, on %s (%s)",
		    rd.number, rd.count, cands[rd.candidates[0]].text,
		    cands[rd.candidates[rd.count - 1]].text, seeds_text,
		    round_dir);
}

/* What the round's runs did: "3 of 3 candidates clean; runs: 6 done". */
static void
say_counts(size_t number)
{
	struct lrk_halving_counts c;
	struct lrk_buf b = { 0 };
	char part[128];

	if (quiet)
		return;
	lrk_halving_round_counts(halving, number, &c);
	snprintf(part, sizeof(part), "%zu done", c.done);
	lrk_buf_str(&b, part);
#define COUNT(n, what) if ((n) > 0) {					\
		snprintf(part, sizeof(part), ", %zu %s", (n), (what));	\
		lrk_buf_str(&b, part);					\
	}
	COUNT(c.diverged, "diverged");
	COUNT(c.failed, "failed");
	COUNT(c.timeout, "timed out");
	COUNT(c.no_metric, "without a final metric");
#undef COUNT
	lrk_xbuf_check(&b);
	lrk_warnx("round %zu: %zu of %zu candidate%s clean; runs: %s",
	    number, c.clean, c.candidates, c.candidates == 1 ? "" : "s",
	    b.data);
	lrk_buf_free(&b);
}

/*
 * Train the round: the executor over candidates x seeds, into
 * DIR/round-R, the runs recorded on --resume skipped.  Exits on a stop
 * signal (128 + it) or on lrkit's own failure, the evidence kept.
 */
static void
train_round(int sigfd)
{
	struct lrk_pool_options po = { 0 };
	struct lrk_pool_events ev = { 0 };
	struct lrk_grid *g;
	char name[32], err[LRK_ERRSIZE];
	size_t nseeds = rd.last_seed - rd.first_seed + 1;
	char *spec = NULL;
	int usage, sig;

	snprintf(name, sizeof(name), "round-%zu", rd.number);
	free(round_dir);
	round_dir = lrk_xcheck(lrk_path_join(out_dir, name));
	if (mkdir(round_dir, 0777) != 0 && errno != EEXIST)
		lrk_errx(1, "%s: %s", round_dir, strerror(errno));
	g = lrk_xcheck(lrk_grid_new());
	add_param(g, "max", 0, rd.count - 1, 1);
	add_param(g, "seed", rd.first_seed, rd.last_seed, 0);
	read_recorded(rd.count * nseeds);
	say_round();
	po.grid = g;
	po.command = command;
	/* A round on a fraction of the schedule: its words shortened. */
	po.schedule = rd.fraction < 1 ? spec = lrk_sched_scale(schedule,
	    rd.fraction, err) : schedule;
	if (po.schedule == NULL)
		lrk_errx(1, "%s", err);
	po.out_dir = round_dir;
	po.end = rd.count * nseeds;
	po.jobs = jobs;
	po.gpus = gpus;
	po.ngpus = ngpus;
	po.run = run_opt;
	po.tag_lines = -1;
	po.sigfd = sigfd;
	po.messages = &errq;
	ev.skip = is_recorded;
	ev.log = on_log;
	ev.warn = on_warn;
	ev.ended = on_ended;
	if ((pool = lrk_pool_new(&po, &ev, NULL, &usage, err)) == NULL)
		lrk_errx(usage ? 2 : 1, "%s", err);
	if (lrk_pool_run(pool, err) != 0)
		lrk_errx(1, "round %zu: %s (the runs finished are kept: "
		    "--resume goes on)", rd.number, err);
	if ((sig = lrk_pool_signal(pool)) != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
		exit(128 + sig);
	}
	lrk_pool_free(pool);
	pool = NULL;
	free(spec);
	lrk_grid_free(g);
	say_counts(rd.number);
}

/*
 * dir/ranked.csv, best first: written to a temporary file in dir and
 * renamed, so that it is complete or absent.
 */
static void
write_ranked(const struct lrk_rank_entry *order)
{
	static const char *const head[] = { "rank", "lr", "factor", "round",
	    "seeds", "unfinished", "median", "metric", "runs", "why" };
	struct lrk_outfile out;
	struct lrk_writer *w;
	struct candidate *c;
	struct lrk_buf text;
	char *path, num[LRK_NUM_BUFSIZE], err[LRK_ERRSIZE];
	size_t i;

	path = lrk_xcheck(lrk_path_join(out_dir, "ranked.csv"));
	if (lrk_outfile_open(&out, path, 0, err) != 0)
		lrk_errx(1, "%s", err);
	w = lrk_xcheck(lrk_writer_new(lrk_outfile_fp(&out), ',', "\n"));
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		lrk_write_str(w, head[i]);
	lrk_write_end(w);
	for (i = 0; i < ncands; i++) {
		c = &cands[order[i].index];
		snprintf(num, sizeof(num), "%zu", i + 1);
		lrk_write_str(w, num);
		lrk_write_str(w, c->text);
		snprintf(num, sizeof(num), "%.4g", c->factor);
		lrk_write_str(w, num);
		snprintf(num, sizeof(num), "%zu", order[i].round);
		lrk_write_str(w, num);
		snprintf(num, sizeof(num), "%zu", order[i].runs);
		lrk_write_str(w, num);
		snprintf(num, sizeof(num), "%zu", order[i].unfinished);
		lrk_write_str(w, num);
		if (isnan(order[i].median))
			lrk_write_str(w, "");
		else
			lrk_write_num(w, order[i].median);
		lrk_write_str(w, metric_name != NULL ? metric_name : "");
		memset(&text, 0, sizeof(text));
		if (lrk_rank_runs_text(&text, c->runs, order[i].runs) != 0)
			lrk_errx(1, "out of memory");
		lrk_write_str(w, text.data != NULL ? text.data : "");
		lrk_buf_free(&text);
		if (lrk_rank_why_text(&text, c->runs, order[i].runs) != 0)
			lrk_errx(1, "out of memory");
		lrk_write_str(w, text.data != NULL ? text.data : "");
		lrk_buf_free(&text);
		lrk_write_end(w);
	}
	lrk_writer_free(w);
	if (lrk_outfile_commit(&out, err) != 0)
		lrk_errx(1, "%s", err);
	free(path);
}

/*
 * The steps of one training: the schedule with the candidate and seed 1
 * put in.  Also checks the template before any work is done.
 */
static size_t
training_steps(void)
{
	struct lrk_grid *g = lrk_xcheck(lrk_grid_new());
	struct lrk_sched *s;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *text;
	size_t n;

	if (lrk_grid_add(g, "max=1", err) != 0 ||
	    lrk_grid_add(g, "seed=1", err) != 0)
		lrk_errx(1, "%s", err);
	lrk_show(shown, schedule, strlen(schedule));
	/* The message of -p would send the user to an option lr-confirm
	 * does not have. */
	if ((text = lrk_grid_subst_slot(g, 0, "1", schedule, err)) == NULL)
		lrk_usage_error("-s: \"%s\": %.*s: only {max}, {seed}, {run} "
		    "and {slot} are put in", shown, (int)strcspn(err, ":"),
		    err);
	if ((s = lrk_sched_parse_string(text, err)) == NULL ||
	    lrk_sched_ready(s, err) != 0)
		lrk_usage_error("-s: \"%s\": %s", shown, err);
	if ((n = lrk_sched_steps(s)) == 0)
		lrk_usage_error("-s: \"%s\": the schedule has no steps",
		    shown);
	lrk_sched_free(s);
	free(text);
	lrk_grid_free(g);
	return n;
}

/* Does the schedule or the command take the parameter (lrk_grid_mentions)? */
static int
takes(const char *name)
{
	size_t i;

	if (lrk_grid_mentions(schedule, name))
		return 1;
	for (i = 0; command[i] != NULL; i++)
		if (lrk_grid_mentions(command[i], name))
			return 1;
	return 0;
}

/*
 * One folder, one confirmation: DIR/.lock held (flock) while this process
 * lives, so that a second lr-confirm into DIR (a doubled submit, a job
 * array) is refused, and a crash releases it.
 */
static void
claim_folder(void)
{
	struct stat st;
	char *path;
	int fd;

	if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
		lrk_errx(1, "%s: %s", out_dir, strerror(errno));
	path = lrk_xcheck(lrk_path_join(out_dir, ".lock"));
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) == -1)
		lrk_errx(1, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		lrk_errx(1, "%s: %s", out_dir, errno == EWOULDBLOCK ?
		    "another lr-confirm is working in this folder" :
		    strerror(errno));
	free(path);
	path = lrk_xcheck(lrk_path_join(out_dir, "round-1"));
	if (!resume && stat(path, &st) == 0)
		lrk_errx(1, "%s exists: remove it, give another -o, or "
		    "--resume to go on with its runs", path);
	free(path);
}

/* --gpus 0,1,2,3: one device name a slot. */
static void
parse_gpus(const char *arg)
{
	char shown[LRK_SHOWSIZE], *copy, *p, *q;

	copy = lrk_xstrdup(arg);
	for (p = copy; (q = strsep(&p, ",")) != NULL;) {
		if (*q == '\0' || strspn(q, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:") != strlen(q))
			lrk_usage_error("--gpus: \"%s\": a list of device names "
			    "or numbers, such as 0,1,2,3", lrk_show(shown, arg,
			    strlen(arg)));
		gpus = lrk_xreallocarray(gpus, ngpus + 2, sizeof(*gpus));
		gpus[ngpus++] = q;
		gpus[ngpus] = NULL;
	}
}

static double *
parse_factors(const char *arg, size_t *n)
{
	double *factors;
	size_t i;

	if (arg[0] == '\0')
		lrk_usage_error("-c: no factors");
	if (lrk_num_parse_list(arg, &factors, n) != 0)
		lrk_usage_error("-c: \"%s\": not a list of numbers", arg);
	for (i = 0; i < *n; i++)
		if (!(factors[i] > 0))
			lrk_usage_error("-c: %g: a factor must be positive",
			    factors[i]);
	if (*n == 0)
		lrk_usage_error("-c: no factors");
	return factors;
}

/* The options, up to the "--" before the command; the factors. */
static double *
parse_options(int argc, char *argv[], size_t *nfactors)
{
	char shown[LRK_SHOWSIZE];
	double *factors = NULL;
	size_t count = 0, i;
	int ch, dashes;

	for (dashes = 1; dashes < argc; dashes++)
		if (strcmp(argv[dashes], "--") == 0)
			break;
	opterr = 0;	/* lrk_option_error names the option */
	while ((ch = getopt_long(dashes, argv, ":c:g:j:k:m:n:o:qs:y:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(factors);
			factors = parse_factors(optarg, nfactors);
			break;
		case 'g':
			group_spec = optarg;
			break;
		case 'j':
			jobs = (size_t)lrk_opt_long("-j", optarg, 1, 1024);
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
			if (optarg[0] == '\0')
				lrk_usage_error("-o: the folder name is empty");
			out_dir = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 's':
			schedule = optarg;
			break;
		case 'y':
			if (optarg[0] == '\0')
				lrk_usage_error("-y: the column name is empty");
			metric_spec = optarg;
			break;
		case OPT_GPUS:
			parse_gpus(optarg);
			break;
		case OPT_FRACTION:
			fraction = lrk_opt_double("--fraction", optarg, 0, 1, 1);
			break;
		case OPT_GRACE:
			run_opt.grace = lrk_opt_double("--grace", optarg, 0, 1e6,
			    0);
			break;
		case OPT_HIGHER:
			higher = 1;
			break;
		case OPT_LR:
			suggestion = lrk_opt_double("--lr", optarg, 0,
			    INFINITY, 1);
			have_lr = 1;
			break;
		case OPT_RERUN:
			rerun_failed = 1;
			break;
		case OPT_RESUME:
			resume = 1;
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
	if (rerun_failed && !resume)
		lrk_usage_error("--rerun-failed: give it with --resume");
	if (have_lr && (file != NULL || method != NULL || group_spec != NULL))
		lrk_usage_error("--lr: no range test is read: drop %s",
		    file != NULL ? file : method != NULL ? "-m" : "-g");
	if (jobs == 0)
		jobs = ngpus > 0 ? ngpus : 1;
	if (factors == NULL) {
		*nfactors = count ? count : DEFAULT_COUNT;
		factors = lrk_xcalloc(*nfactors, sizeof(*factors));
		for (i = 0; i < *nfactors; i++)
			factors[i] = *nfactors == 1 ? 1 : pow(SPAN,
			    (double)i / (double)(*nfactors - 1) - 0.5);
	}
	return factors;
}

/* The candidates (lrk_rank_candidates), in lr order, and the rounds. */
static void
make_candidates(const double *factors, size_t n)
{
	struct lrk_halving_options ho = { 0 };
	char err[LRK_ERRSIZE];
	double *factor, *lr;
	size_t i, j;

	cands = lrk_xcalloc(n, sizeof(*cands));
	factor = lrk_xcalloc(n + 1, sizeof(*factor));
	lr = lrk_xcalloc(n + 1, sizeof(*lr));
	ncands = n;
	if (lrk_rank_candidates(factors, n, suggestion, factor, lr, err) != 0)
		lrk_usage_error("%s", err);
	for (i = 0; i < n; i++) {
		cands[i].factor = factor[i];
		cands[i].lr = lr[i];
		lrk_num_format(cands[i].text, lr[i]);
		cands[i].runs = lrk_xcalloc(seeds, sizeof(*cands[i].runs));
		for (j = 0; j < seeds; j++) {
			cands[i].runs[j].seed = j + 1;
			cands[i].runs[j].status = LRK_RUN_NONE;
		}
	}
	ho.seeds = seeds;
	ho.higher = higher;
	ho.fractions = &fraction;
	ho.nfractions = 1;
	if ((halving = lrk_halving_new(lr, n, &ho, err)) == NULL)
		lrk_errx(1, "%s", err);
	free(factor);
	free(lr);
}

/* The answer, said and printed; or why there is none. */
static int
finish(size_t train_steps, double range_trainings)
{
	struct lrk_rank_entry *order;
	struct lrk_halving_counts all;
	struct candidate *c;
	double trained;
	long best;

	order = lrk_xcalloc(ncands, sizeof(*order));
	lrk_halving_standings(halving, order);
	write_ranked(order);
	lrk_halving_round_counts(halving, 0, &all);
	trained = (double)all.steps / (double)train_steps;
	if ((best = lrk_halving_answer(halving)) < 0) {
		if (!quiet)
			lrk_warnx("spent %zu runs, %zu steps: %.3g trainings",
			    all.runs, all.steps, trained);
		if (all.no_metric == all.runs)
			lrk_errx(1, "every run ended without a finite %s: "
			    "check -y and what the training prints "
			    "(%s/ranked.csv)", metric_name != NULL ?
			    metric_name : "metric", out_dir);
		lrk_errx(1, "no candidate trained cleanly on %s: every one "
		    "failed, diverged or timed out (%s/ranked.csv says how)",
		    seeds == 1 ? "its seed" : "every seed", out_dir);
	}
	c = &cands[best];
	if (!quiet)
		lrk_warnx("%s, %.4g x the suggestion: median %s %g over %zu "
		    "seeds (%s/ranked.csv)", c->text, c->factor, metric_name,
		    order[0].median, order[0].runs, out_dir);
	if (!quiet && have_lr)
		lrk_warnx("spent %zu runs, %zu steps: %.3g trainings",
		    all.runs, all.steps, trained);
	else if (!quiet)
		lrk_warnx("spent %zu runs, %zu steps: %.3g trainings, %.3g "
		    "with the range test", all.runs, all.steps, trained,
		    trained + range_trainings);
	/* The best at an end of the range: better may lie beyond it. */
	if (ncands > 1 && (best == 0 || (size_t)best == ncands - 1))
		lrk_warnx("%s is the %s candidate: a %s lr may train better "
		    "still (try -c with factors beyond %.4g)", c->text,
		    best == 0 ? "smallest" : "largest", best == 0 ? "smaller" :
		    "larger", c->factor);
	printf("%s\n", c->text);
	free(order);
	return lrk_close_stdout();
}

int
main(int argc, char *argv[])
{
	static const int sigchld = SIGCHLD;
	double *factors, range_trainings = 0;
	size_t nfactors = 0, range_rows = 0, ngroups = 0, train_steps;
	int sigfd;

	lrk_cli_init(argc, argv);
	run_opt.ema.beta = 0.98;	/* sweep-run's divergence rule */
	run_opt.ema.start = LRK_EMA_DEBIAS;
	run_opt.ema.nan = LRK_EMA_SKIP;
	factors = parse_options(argc, argv, &nfactors);
	if (schedule == NULL)
		lrk_usage_error("-s: the training's schedule is needed, as "
		    "-s 'onecycle max={max} n=STEPS'");
	if (!takes("max"))
		lrk_usage_error("-s: \"%s\" has no {max} and the command no "
		    "{max}, $max or ${max}: every candidate would train alike",
		    schedule);
	train_steps = training_steps();
	signal(SIGPIPE, SIG_IGN);
	if (!have_lr)
		suggestion = suggest(file, &range_rows, &ngroups);
	make_candidates(factors, nfactors);
	if (lrk_signals_catch(&sigchld, 1) < 0 ||
	    (sigfd = lrk_signals_catch(lrk_stop_signals,
	    lrk_nstop_signals)) < 0)
		lrk_errx(1, "signals: %s", strerror(errno));
	lrk_outq_init(&errq, 2);
	if (!takes("seed") && !quiet)
		lrk_warnx("neither -s nor the command takes {seed}, $seed or "
		    "${seed}: each seed trains alike, unless the training "
		    "reads seed from its environment");
	range_trainings = (double)range_rows / (double)train_steps;
	if (!quiet && have_lr)
		lrk_warnx("candidates around %g (--lr)", suggestion);
	else if (!quiet)
		lrk_warnx("suggestion %g (lr-suggest%s%s%s%s%s); the range "
		    "test: %zu steps, %.3g trainings of %zu", suggestion,
		    method ? " -m " : "", method ? method : "", group_spec ?
		    " -g " : "", group_spec ? group_spec : "", ngroups > 1 ?
		    ", the median of its answers" : "", range_rows,
		    range_trainings, train_steps);
	claim_folder();
	while (lrk_halving_next(halving, &rd) > 0)
		train_round(sigfd);
	return finish(train_steps, range_trainings);
}
