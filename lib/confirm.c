/*
 * The confirmation (lr-confirm(1)) with its folder: candidates trained by
 * the rounds lib/halving.c decides, each round by the executor
 * (lib/pool.c) into DIR/round-R exactly as sweep-run -o writes a sweep,
 * read back from there on --resume (the joblog is the record), ranked
 * into DIR/ranked.csv.  The tool keeps its options, the suggestion and
 * its messages, which come through the callbacks.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

struct candidate {
	double		 factor;
	double		 lr;
	char		 text[LRK_NUM_BUFSIZE];	/* as the child gets it */
	struct lrk_rank_run *runs;		/* by seed, 1 to seeds */
};

struct lrk_confirm {
	struct lrk_confirm_options o;
	struct lrk_confirm_events ev;
	void			*arg;
	struct candidate	*cands;
	size_t			 n;
	struct lrk_halving	*halving;
	char			*metric;	/* the metric's column, once known */
	int			 lock_fd;
	/* The round being trained: candidate x seed, the seed fastest. */
	struct lrk_halving_round rd;
	char			*dir;
	struct lrk_pool		*pool;
	int			 failed;	/* err holds why */
	char			 err[LRK_ERRSIZE];
};

static size_t
run_cand(const struct lrk_confirm *c, size_t k)
{
	return c->rd.candidates[k / (c->rd.last_seed - c->rd.first_seed + 1)];
}

static size_t
run_seed(const struct lrk_confirm *c, size_t k)
{
	return c->rd.first_seed + k % (c->rd.last_seed - c->rd.first_seed + 1);
}

static struct lrk_rank_run *
run_of(struct lrk_confirm *c, size_t k)
{
	return &c->cands[run_cand(c, k)].runs[run_seed(c, k) - 1];
}

static void
fail(struct lrk_confirm *c, const char *what)
{
	if (!c->failed)
		snprintf(c->err, sizeof(c->err), "%s", what);
	c->failed = 1;
	if (c->pool != NULL)
		lrk_pool_stop(c->pool);
}

struct lrk_confirm *
lrk_confirm_new(const struct lrk_confirm_options *o,
    const struct lrk_confirm_events *ev, void *arg, int *usage, char *err)
{
	struct lrk_halving_options ho = { 0 };
	struct lrk_confirm *c;
	double *factor = NULL, *lr = NULL;
	size_t i, j;

	*usage = 0;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto nomem;
	c->lock_fd = -1;
	if ((c->cands = calloc(o->n, sizeof(*c->cands))) == NULL ||
	    (factor = calloc(o->n + 1, sizeof(*factor))) == NULL ||
	    (lr = calloc(o->n + 1, sizeof(*lr))) == NULL)
		goto nomem;
	/* The user's: the devices, the candidates' factors. */
	if (o->pool.gpus != NULL && lrk_pool_check_gpus(o->pool.jobs,
	    o->pool.ngpus, 0, err) != 0)
		goto usage;
	c->o = *o;
	if (ev != NULL)
		c->ev = *ev;
	c->arg = arg;
	c->n = o->n;
	c->lock_fd = -1;
	if (lrk_rank_candidates(o->factors, o->n, o->suggestion, factor, lr,
	    err) != 0)
		goto usage;
	for (i = 0; i < o->n; i++) {
		c->cands[i].factor = factor[i];
		c->cands[i].lr = lr[i];
		lrk_num_format(c->cands[i].text, lr[i]);
		if ((c->cands[i].runs = calloc(o->seeds,
		    sizeof(*c->cands[i].runs))) == NULL)
			goto nomem;
		for (j = 0; j < o->seeds; j++) {
			c->cands[i].runs[j].seed = j + 1;
			c->cands[i].runs[j].status = LRK_RUN_NONE;
		}
	}
	ho.seeds = o->seeds;
	ho.higher = o->higher;
	ho.fractions = &c->o.fraction;
	ho.nfractions = 1;
	if ((c->halving = lrk_halving_new(lr, o->n, &ho, err)) == NULL)
		goto fail;
	free(factor);
	free(lr);
	return c;
usage:
	*usage = 1;
	goto fail;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
fail:
	free(factor);
	free(lr);
	lrk_confirm_free(c);
	return NULL;
}

void
lrk_confirm_free(struct lrk_confirm *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; c->cands != NULL && i < c->n; i++) {
		for (j = 0; c->cands[i].runs != NULL && j < c->o.seeds; j++) {
			free(c->cands[i].runs[j].why);
			lrk_run_result_free(&c->cands[i].runs[j].result);
		}
		free(c->cands[i].runs);
	}
	free(c->cands);
	lrk_halving_free(c->halving);
	free(c->metric);
	free(c->dir);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c);
}

/* Candidate i: its lr as the command gets it, and its factor. */
const char *
lrk_confirm_text(const struct lrk_confirm *c, size_t i, double *factor)
{
	if (factor != NULL)
		*factor = c->cands[i].factor;
	return c->cands[i].text;
}

size_t
lrk_confirm_count(const struct lrk_confirm *c)
{
	return c->n;
}

/* The metric's column, once a run file said it (NULL before). */
const char *
lrk_confirm_metric(const struct lrk_confirm *c)
{
	return c->metric;
}

/*
 * One folder, one confirmation: DIR/.lock held (flock) while c lives, so
 * that a second confirmation into DIR (a doubled submit, a job array) is
 * refused, and a crash releases it.  A DIR/round-1 there already is
 * refused too, unless resuming.
 */
int
lrk_confirm_claim(struct lrk_confirm *c, char *err)
{
	struct stat st;
	char *path;
	int exists;

	if (mkdir(c->o.dir, 0777) != 0 && errno != EEXIST) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", c->o.dir, strerror(errno));
		return -1;
	}
	if ((path = lrk_path_join(c->o.dir, ".lock")) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	if ((c->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) ==
	    -1 || flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", c->lock_fd == -1 ? path :
		    c->o.dir, errno == EWOULDBLOCK ? "another lr-confirm is "
		    "working in this folder" : strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	if ((path = lrk_path_join(c->o.dir, "round-1")) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	exists = stat(path, &st) == 0;
	if (exists && !c->o.resume)
		snprintf(err, LRK_ERRSIZE, "%s exists: remove it, give another "
		    "-o, or --resume to go on with its runs", path);
	free(path);
	return exists && !c->o.resume ? -1 : 0;
}

/*
 * A run that ended (now, or as the joblog recorded it): its result from
 * its file when it kept one, and into the rounds.
 */
static int
record(struct lrk_confirm *c, size_t k, int status, int exitval, int sig,
    size_t steps, char *err)
{
	struct lrk_rank_run *run = run_of(c, k);
	struct lrk_table *t = NULL;
	char *path = NULL;
	FILE *fp = NULL;
	int r = -1;

	run->status = status;
	run->exitval = exitval;
	run->signal = sig;
	if (status == LRK_RUN_DONE || status == LRK_RUN_DIVERGED) {
		if ((path = lrk_run_path(c->dir, k)) == NULL)
			goto nomem;
		if ((fp = fopen(path, "re")) == NULL) {
			snprintf(err, LRK_ERRSIZE, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if ((t = lrk_table_new(fp, path, NULL)) == NULL)
			goto nomem;
		lrk_run_result_free(&run->result);
		if (lrk_rank_read_run(t, path, c->metric != NULL ? c->metric :
		    c->o.metric, &run->result, err) != 0)
			goto out;
		run->has_file = 1;
		if (c->metric == NULL &&
		    (c->metric = strdup(run->result.column)) == NULL)
			goto nomem;
		steps = run->result.steps;
	}
	r = lrk_halving_record(c->halving, run_cand(c, k), run_seed(c, k),
	    status, run->has_file ? run->result.final : NAN, steps, err);
	goto out;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
out:
	if (t != NULL)
		lrk_table_free(t);
	if (fp != NULL)
		fclose(fp);
	free(path);
	return r;
}

/* The executor's callbacks for the round's runs. */
static void
on_warn(void *arg, size_t k, const char *message)
{
	struct lrk_confirm *c = arg;
	struct lrk_rank_run *run = run_of(c, k);

	if (c->ev.warn != NULL)
		c->ev.warn(c->arg, c->rd.number, c->cands[run_cand(c, k)].text,
		    run_seed(c, k), message);
	free(run->why);
	if ((run->why = strdup(message)) == NULL)
		fail(c, "out of memory");
}

static void
on_log(void *arg, size_t k, const char *line, size_t len)
{
	struct lrk_confirm *c = arg;

	if (c->ev.log != NULL)
		c->ev.log(c->arg, c->cands[run_cand(c, k)].text,
		    run_seed(c, k), lrk_pool_tagged(c->pool), line, len);
}

static void
on_ended(void *arg, const struct lrk_pool_end *e)
{
	struct lrk_confirm *c = arg;
	char err[LRK_ERRSIZE];

	if (e->status != LRK_RUN_STOPPED && record(c, e->run, e->status,
	    e->exitval, e->signal, e->steps, err) != 0)
		fail(c, err);
}

/* Recorded already (on --resume): the executor skips it. */
static int
is_recorded(void *arg, size_t k, char *err)
{
	struct lrk_confirm *c = arg;

	(void)err;
	return lrk_halving_run(c->halving, run_cand(c, k), run_seed(c, k),
	    NULL) != LRK_RUN_NONE;
}

/* A joblog row: this confirmation's run (else an error), as it ended. */
static int
joblog_row(void *arg, const struct lrk_joblog_line *l, char *err)
{
	void **pass = arg;
	struct lrk_confirm *c = pass[0];
	int *last = pass[1];
	const char *want = c->cands[run_cand(c, l->run)].text;
	double seed;

	if (strcmp(l->values[0], want) != 0 ||
	    lrk_num_parse(l->values[1], strlen(l->values[1]), &seed) !=
	    LRK_NUM_OK || seed != (double)run_seed(c, l->run)) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: run %zu is max=%.40s "
		    "seed=%.40s, not max=%s seed=%zu: the folder holds another "
		    "confirmation", l->path, l->line, l->run, l->values[0],
		    l->values[1], want, run_seed(c, l->run));
		return -1;
	}
	last[3 * l->run] = l->status;
	last[3 * l->run + 1] = l->exitval;
	last[3 * l->run + 2] = l->signal;
	return 0;
}

/*
 * What the round's joblog recorded (on --resume): each run as its last
 * row says it ended.  Trained again: a failure, when rerun_failed; a run
 * whose file is gone (the evidence lost); a run not in the joblog.
 */
static int
read_recorded(struct lrk_confirm *c, size_t nruns, char *err)
{
	static const char *const params[] = { "max", "seed" };
	void *pass[2];
	char *path;
	int *last, st, gone, r = -1;
	size_t k;

	if ((path = lrk_path_join(c->dir, "joblog.tsv")) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	gone = access(path, F_OK) != 0;
	free(path);
	if (gone)
		return 0;
	if ((last = calloc(3 * nruns + 1, sizeof(*last))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	for (k = 0; k < nruns; k++)
		last[3 * k] = LRK_RUN_NONE;
	pass[0] = c;
	pass[1] = last;
	if (lrk_joblog_read(c->dir, params, 2, nruns, joblog_row, pass,
	    err) != 0)
		goto out;
	for (k = 0; k < nruns; k++) {
		st = last[3 * k];
		if (st == LRK_RUN_NONE || (c->o.rerun_failed &&
		    (st == LRK_RUN_FAILED || st == LRK_RUN_TIMEOUT)) ||
		    is_recorded(c, k, err))
			continue;
		if (st == LRK_RUN_DONE || st == LRK_RUN_DIVERGED) {
			if ((path = lrk_run_path(c->dir, k)) == NULL) {
				snprintf(err, LRK_ERRSIZE, "out of memory");
				goto out;
			}
			gone = access(path, F_OK) != 0 && errno == ENOENT;
			free(path);
			if (gone)
				continue;
		}
		if (record(c, k, st, last[3 * k + 1], last[3 * k + 2], 0,
		    err) != 0)
			goto out;
	}
	r = 0;
out:
	free(last);
	return r;
}

/* The round's grid: -p max=CANDIDATES -p seed=SEEDS. */
static struct lrk_grid *
round_grid(const struct lrk_confirm *c, char *err)
{
	struct lrk_grid *g;
	struct lrk_buf b = { 0 };
	char num[32];
	size_t i;

	if ((g = lrk_grid_new()) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	lrk_buf_str(&b, "max=");
	for (i = 0; i < c->rd.count; i++) {
		if (i > 0)
			lrk_buf_char(&b, ',');
		lrk_buf_str(&b, c->cands[c->rd.candidates[i]].text);
	}
	lrk_buf_char(&b, '\0');
	if (b.failed || lrk_grid_add(g, b.data, err) != 0)
		goto fail;
	lrk_buf_clear(&b);
	lrk_buf_str(&b, "seed=");
	for (i = c->rd.first_seed; i <= c->rd.last_seed; i++) {
		snprintf(num, sizeof(num), i > c->rd.first_seed ? ",%zu" : "%zu",
		    i);
		lrk_buf_str(&b, num);
	}
	lrk_buf_char(&b, '\0');
	if (b.failed || lrk_grid_add(g, b.data, err) != 0)
		goto fail;
	lrk_buf_free(&b);
	return g;
fail:
	if (b.failed)
		snprintf(err, LRK_ERRSIZE, "out of memory");
	lrk_buf_free(&b);
	lrk_grid_free(g);
	return NULL;
}

/*
 * What round rd trains, as lr-confirm says it: "round 2: 3 candidates,
 * 0.01 to 0.04, on seeds 2 to 3 (DIR)", or "round 4 (in the place of
 * those not clean): 1 candidate, 0.02, on seed 1 (DIR)".  Appended to b;
 * 0, or -1 when out of memory.
 */
static int
round_text(struct lrk_buf *b, const struct lrk_confirm *c,
    const struct lrk_halving_round *rd, const char *dir)
{
	char seeds[64], head[256];

	if (rd->first_seed == rd->last_seed)
		snprintf(seeds, sizeof(seeds), "seed %zu", rd->first_seed);
	else
		snprintf(seeds, sizeof(seeds), "seeds %zu to %zu",
		    rd->first_seed, rd->last_seed);
	snprintf(head, sizeof(head), "round %zu%s: %zu candidate%s, %s",
	    rd->number, rd->refill ? " (in the place of those not clean)" :
	    "", rd->count, rd->count == 1 ? "" : "s",
	    c->cands[rd->candidates[0]].text);
	lrk_buf_str(b, head);
	if (rd->count > 1) {
		lrk_buf_str(b, " to ");
		lrk_buf_str(b, c->cands[rd->candidates[rd->count - 1]].text);
	}
	lrk_buf_str(b, ", on ");
	lrk_buf_str(b, seeds);
	lrk_buf_str(b, " (");
	lrk_buf_str(b, dir);
	lrk_buf_char(b, ')');
	return b->failed ? -1 : 0;
}

/*
 * Train the round c->rd: the executor over candidates x seeds into
 * DIR/round-R, the runs recorded on --resume skipped, the round's
 * schedule shortened to its fraction.  0; 1 on a stop signal (in *sig);
 * -1 with err when lrkit's side failed, the runs that ended recorded; -2
 * when a run file said nothing of the metric.
 */
static int
train_round(struct lrk_confirm *c, int *sig, int *usage, char *err)
{
	struct lrk_pool_options po;
	struct lrk_pool_events ev = { 0 };
	struct lrk_grid *g = NULL;
	struct lrk_buf text = { 0 };
	char name[32], *spec = NULL;
	size_t nruns = c->rd.count * (c->rd.last_seed - c->rd.first_seed + 1);
	int r = -1;

	snprintf(name, sizeof(name), "round-%zu", c->rd.number);
	free(c->dir);
	if ((c->dir = lrk_path_join(c->o.dir, name)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	if (mkdir(c->dir, 0777) != 0 && errno != EEXIST) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", c->dir, strerror(errno));
		return -1;
	}
	if ((g = round_grid(c, err)) == NULL ||
	    read_recorded(c, nruns, err) != 0)
		goto out;
	if (c->ev.round != NULL) {
		if (round_text(&text, c, &c->rd, c->dir) != 0) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			goto out;
		}
		c->ev.round(c->arg, c->rd.number, text.data);
	}
	if (c->rd.fraction < 1 && (spec = lrk_sched_scale(c->o.pool.schedule,
	    c->rd.fraction, err)) == NULL)
		goto out;
	po = c->o.pool;
	po.grid = g;
	if (spec != NULL)
		po.schedule = spec;
	po.table = NULL;
	po.bare = 0;
	po.out_dir = c->dir;
	po.first = 0;
	po.end = nruns;
	po.alone = 0;
	po.resume = 0;
	po.unbuffered = 0;
	po.tag_lines = -1;
	if (po.console != NULL) {
		/* The round on the status line, of those planned. */
		lrk_console_round(po.console, c->rd.number, lrk_halving_plan(
		    c->n, c->o.seeds, NULL, 0));
	}
	ev.skip = is_recorded;
	ev.log = on_log;
	ev.warn = on_warn;
	ev.ended = on_ended;
	if ((c->pool = lrk_pool_new(&po, &ev, c, usage, err)) == NULL)
		goto out;
	if (lrk_pool_run(c->pool, err) != 0 || c->failed) {
		/* A run file that says nothing of the metric: as it is. */
		if (c->failed) {
			snprintf(err, LRK_ERRSIZE, "%s", c->err);
			r = -2;
		}
		goto out;
	}
	*sig = lrk_pool_signal(c->pool);
	r = *sig != 0;
out:
	lrk_pool_free(c->pool);
	c->pool = NULL;
	lrk_grid_free(g);
	free(spec);
	lrk_buf_free(&text);
	return r;
}

/*
 * The confirmation: every round the halving asks for, until it is over.
 * 0; 1 on a stop signal (*sig); -1 with err (*usage: the user's command
 * or schedule), the runs that ended recorded in the folder.
 */
int
lrk_confirm_run(struct lrk_confirm *c, int *sig, int *usage, char *err)
{
	struct lrk_halving_counts counts;
	struct lrk_buf text = { 0 };
	char why[LRK_ERRSIZE], head[64];
	int r;

	*sig = *usage = 0;
	while (lrk_halving_next(c->halving, &c->rd) > 0) {
		if ((r = train_round(c, sig, usage, why)) == -1 && !*usage)
			snprintf(err, LRK_ERRSIZE, "round %zu: %.300s (the runs "
			    "that ended are kept: --resume goes on)",
			    c->rd.number, why);
		else if (r < 0)
			snprintf(err, LRK_ERRSIZE, "%s", why);
		if (r != 0) {
			r = r < 0 ? -1 : r;
			goto out;
		}
		if (c->ev.counts == NULL)
			continue;
		/* "round 2: 3 of 3 candidates clean; runs: 6 done" */
		lrk_halving_round_counts(c->halving, c->rd.number, &counts);
		snprintf(head, sizeof(head), "round %zu: ", c->rd.number);
		lrk_buf_clear(&text);
		lrk_buf_str(&text, head);
		if (lrk_halving_counts_text(&text, &counts) != 0) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			r = -1;
			goto out;
		}
		c->ev.counts(c->arg, c->rd.number, text.data);
	}
	r = 0;
out:
	lrk_buf_free(&text);
	return r;
}


/*
 * What the confirmation found and spent: the answer (-1: none) and its
 * standing, or the best candidate's when there is no answer; every
 * round's runs.  0, or -1 when out of memory.
 */
int
lrk_confirm_result(const struct lrk_confirm *c, struct lrk_confirm_result *r)
{
	struct lrk_halving_counts all;
	struct lrk_rank_entry *order;

	if ((order = calloc(c->n, sizeof(*order))) == NULL)
		return -1;
	lrk_halving_standings(c->halving, order);
	lrk_halving_round_counts(c->halving, 0, &all);
	r->answer = lrk_halving_answer(c->halving);
	r->median = order[0].median;
	r->seeds = order[0].runs;
	r->runs = all.runs;
	r->steps = all.steps;
	r->no_metric = all.no_metric;
	free(order);
	return 0;
}

/*
 * DIR/ranked.csv, best first: written to a temporary file in DIR and
 * renamed, so that it is complete or absent.
 */
int
lrk_confirm_write_ranked(const struct lrk_confirm *c, char *err)
{
	static const char *const head[] = { "rank", "lr", "factor", "round",
	    "seeds", "unfinished", "median", "metric", "runs", "why" };
	struct lrk_rank_entry *order;
	struct lrk_outfile out;
	struct lrk_writer *w;
	const struct candidate *cd;
	struct lrk_buf text;
	char *path, num[LRK_NUM_BUFSIZE];
	size_t i;
	int r = -1, nomem = 0;

	if ((order = calloc(c->n, sizeof(*order))) == NULL ||
	    (path = lrk_path_join(c->o.dir, "ranked.csv")) == NULL) {
		free(order);
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	lrk_halving_standings(c->halving, order);
	if (lrk_outfile_open(&out, path, 0, err) != 0)
		goto out;
	if ((w = lrk_writer_new(lrk_outfile_fp(&out), ',', "\n")) == NULL) {
		lrk_outfile_abort(&out);
		snprintf(err, LRK_ERRSIZE, "out of memory");
		goto out;
	}
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		lrk_write_str(w, head[i]);
	lrk_write_end(w);
	for (i = 0; i < c->n; i++) {
		cd = &c->cands[order[i].index];
		snprintf(num, sizeof(num), "%zu", i + 1);
		lrk_write_str(w, num);
		lrk_write_str(w, cd->text);
		snprintf(num, sizeof(num), "%.4g", cd->factor);
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
		lrk_write_str(w, c->metric != NULL ? c->metric : "");
		memset(&text, 0, sizeof(text));
		if (lrk_rank_runs_text(&text, cd->runs, order[i].runs) != 0)
			nomem = 1;
		lrk_write_str(w, text.data != NULL ? text.data : "");
		lrk_buf_free(&text);
		if (lrk_rank_why_text(&text, cd->runs, order[i].runs) != 0)
			nomem = 1;
		lrk_write_str(w, text.data != NULL ? text.data : "");
		lrk_buf_free(&text);
		lrk_write_end(w);
	}
	lrk_writer_free(w);
	if (nomem) {
		lrk_outfile_abort(&out);
		snprintf(err, LRK_ERRSIZE, "out of memory");
	} else
		r = lrk_outfile_commit(&out, err);
out:
	free(order);
	free(path);
	return r;
}

/* Does the schedule or the command take the parameter (lrk_grid_mentions)? */
static int
takes(const char *schedule, char *const *command, const char *name)
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
 * What the user gave, checked before any work is done: the schedule and
 * the command must take the candidate ({max}, $max or ${max}), and the
 * schedule, with a candidate and seed 1 put in, must be lrsched's words
 * with a length (and a momentum, when required).  The steps of one
 * training, *seeded whether the seed reaches the training; 0 with err.
 */
size_t
lrk_confirm_steps(const char *schedule, char *const *command, int momentum,
    int *seeded, char *err)
{
	struct lrk_grid *g;
	struct lrk_sched *s = NULL;
	char why[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *text = NULL;
	size_t n = 0;

	lrk_show(shown, schedule, strlen(schedule));
	*seeded = takes(schedule, command, "seed");
	if (!takes(schedule, command, "max")) {
		snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\" has no {max} and the "
		    "command no {max}, $max or ${max}: every candidate would "
		    "train alike", shown);
		return 0;
	}
	if ((g = lrk_grid_new()) == NULL || lrk_grid_add(g, "max=1", why) !=
	    0 || lrk_grid_add(g, "seed=1", why) != 0) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		goto out;
	}
	/* The message of -p would send the user to an option lr-confirm
	 * does not have. */
	if ((text = lrk_grid_subst_slot(g, 0, "1", schedule, why)) == NULL)
		snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\": %.*s: only {max}, "
		    "{seed}, {run} and {slot} are put in", shown,
		    (int)strcspn(why, ":"), why);
	else if ((s = lrk_sched_parse_string(text, why)) == NULL ||
	    lrk_sched_ready(s, why) != 0)
		snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\": %.250s", shown, why);
	else if (momentum && lrk_sched_check_momentum(s, why) != 0)
		snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\": --momentum: %.200s",
		    shown, why);
	else if ((n = lrk_sched_steps(s)) == 0)
		snprintf(err, LRK_ERRSIZE, "-s: \"%.200s\": the schedule has no "
		    "steps", shown);
out:
	lrk_sched_free(s);
	free(text);
	lrk_grid_free(g);
	return n;
}

/*
 * The candidates' factors: those of list ("0.5,1,2": positive numbers),
 * or count of them (0: 9) log-spaced from 1/2 to 2 times the suggestion,
 * 2^(1/4) apart for 9 (lr-confirm(1), Candidates and rounds).  An array
 * of *n (free it), or NULL with err.
 */
double *
lrk_confirm_factors(const char *list, size_t count, size_t *n, char *err)
{
	double *f = NULL;
	size_t i;

	if (list != NULL) {
		if (list[0] == '\0' || lrk_num_parse_list(list, &f, n) != 0 ||
		    *n == 0) {
			snprintf(err, LRK_ERRSIZE, list[0] == '\0' || (f !=
			    NULL && *n == 0) ? "no factors" : "\"%.200s\": not "
			    "a list of numbers", list);
			free(f);
			return NULL;
		}
		for (i = 0; i < *n; i++)
			if (!(f[i] > 0)) {
				snprintf(err, LRK_ERRSIZE, "%g: a factor must be "
				    "positive", f[i]);
				free(f);
				return NULL;
			}
		return f;
	}
	*n = count > 0 ? count : 9;
	if ((f = calloc(*n, sizeof(*f))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	for (i = 0; i < *n; i++)
		f[i] = *n == 1 ? 1 : pow(4, (double)i / (double)(*n - 1) - 0.5);
	return f;
}
