/*
 * The confirmation of lr-confirm(1) as an object: which candidates train
 * on which seeds, round after round, and which one is the answer.  It
 * does no I/O: the caller trains the runs a round asks for (or reads
 * them back from a folder on resume) and records how each ended.
 *
 * The rules, in the words of lr-confirm(1):
 *
 * - A run is clean when it ended done with a finite final metric; a
 *   candidate is clean when every run it has is.  The order of the
 *   candidates is lrk_rank_compare's: the clean ones first.
 * - The plan (lrk_halving_plan) says how many candidates each round
 *   keeps and on how many seeds they have trained by its end.  Round 1
 *   trains every candidate; each later round trains the best clean
 *   candidates of the round before on the next seeds, as many as the
 *   plan keeps or as are clean, whichever is fewer.
 * - When the candidates of the latest round are all unclean, the best
 *   clean candidate left (the most seeds, then the best median) trains
 *   on the next round's seeds in their place, alone: a refill round.
 * - The answer is the best candidate once it is clean on all K seeds;
 *   there is none when no candidate is clean.
 *
 * The next round is decided from the records alone, once every run of
 * the current round is recorded, so a caller that records the same runs
 * gets the same rounds: that is what resuming a confirmation needs.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* A run of a candidate on a seed. */
struct halving_run {
	int	 status;	/* LRK_RUN_NONE: not recorded */
	double	 metric;
	size_t	 steps;
	size_t	 round;		/* the round that trains it, from 1; 0 none */
};

/* A round decided: its level of the plan, seeds and candidates. */
struct halving_round {
	size_t	 level;		/* the plan's round it brings them to, from 0 */
	size_t	 first_seed, last_seed;
	size_t	 count;
	int	 refill;
};

struct lrk_halving {
	size_t			  n;		/* candidates */
	size_t			  seeds;	/* K */
	int			  higher;
	struct lrk_rank_entry	 *entry;	/* by candidate */
	size_t			 *reached;	/* seeds given, by candidate */
	struct halving_run	 *run;		/* n x K, by candidate */
	double			 *clean;	/* K: a candidate's metrics */
	struct lrk_halving_level *plan;
	size_t			  nlevels;
	double			 *fraction;	/* by level */
	struct halving_round	 *round;
	size_t			  nrounds, maxrounds;
	size_t			 *current;	/* the last round's candidates */
	size_t			  missing;	/* its runs not recorded */
	struct lrk_rank_entry	 *order;	/* for the next round's choice */
	int			  over;
};

/*
 * The rounds of successive halving with a third kept each round
 * (lr-confirm(1), "Candidates and rounds"): round 1 trains every
 * candidate on one seed, or on all `seeds` when there are 3 or fewer;
 * each later round keeps a third (rounded up) and brings them to three
 * times the seeds, capped at `seeds`, or to `seeds` at once when 3 or
 * fewer are left; the plan ends with the round on `seeds` seeds.
 * level[r] gets the candidates of round r + 1 and the seeds they have
 * trained on by its end.  Returns the number of rounds (at most max are
 * filled), or 0 when candidates or seeds is 0.
 */
size_t
lrk_halving_plan(size_t candidates, size_t seeds,
    struct lrk_halving_level *level, size_t max)
{
	size_t r = 0, n = candidates, s;

	if (candidates == 0 || seeds == 0)
		return 0;
	s = n <= 3 ? seeds : 1;
	for (;;) {
		if (r < max) {
			level[r].candidates = n;
			level[r].seeds = s;
		}
		r++;
		if (s >= seeds)
			break;
		n = (n + 2) / 3;
		s = n <= 3 || s > seeds / 3 ? seeds : 3 * s;
	}
	return r;
}

/*
 * The trainings the plan costs when every run is clean: each candidate
 * of a round trains on the seeds it has not trained on yet.
 */
size_t
lrk_halving_plan_trainings(const struct lrk_halving_level *level,
    size_t nlevels)
{
	size_t r, total = 0, before = 0;

	for (r = 0; r < nlevels; r++) {
		total += level[r].candidates * (level[r].seeds - before);
		before = level[r].seeds;
	}
	return total;
}

/*
 * A confirmation of the candidates lrs[0..n-1] (positive, finite and
 * increasing: lrk_rank_candidates gives them so) on o->seeds seeds.
 * Returns NULL with err: no candidate or seed, candidates out of order, a
 * fraction outside (0, 1], out of memory.
 */
struct lrk_halving *
lrk_halving_new(const double *lrs, size_t n,
    const struct lrk_halving_options *o, char *err)
{
	struct lrk_halving *h;
	size_t i, k = o->seeds;

	if (n == 0 || k == 0) {
		snprintf(err, LRK_ERRSIZE, "no %s to train",
		    n == 0 ? "candidate" : "seed");
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (!isfinite(lrs[i]) || lrs[i] <= 0 ||
		    (i > 0 && !(lrs[i] > lrs[i - 1]))) {
			snprintf(err, LRK_ERRSIZE, "candidate %zu: %g is not a "
			    "positive lr above the one before", i, lrs[i]);
			return NULL;
		}
	for (i = 0; i < o->nfractions && o->fractions != NULL; i++)
		if (!(o->fractions[i] > 0 && o->fractions[i] <= 1)) {
			snprintf(err, LRK_ERRSIZE, "round %zu: the fraction of "
			    "the schedule, %g, is not in (0, 1]", i + 1,
			    o->fractions[i]);
			return NULL;
		}
	if (n > SIZE_MAX / k / sizeof(struct halving_run)) {
		snprintf(err, LRK_ERRSIZE, "%zu candidates on %zu seeds: "
		    "too many runs", n, k);
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		goto nomem;
	h->n = n;
	h->seeds = k;
	h->higher = o->higher;
	h->nlevels = lrk_halving_plan(n, k, NULL, 0);
	/* Each round brings at least one candidate one level up. */
	h->maxrounds = n * h->nlevels;
	h->entry = calloc(n, sizeof(*h->entry));
	h->order = calloc(n, sizeof(*h->order));
	h->reached = calloc(n, sizeof(*h->reached));
	h->current = calloc(n, sizeof(*h->current));
	h->run = calloc(n * k, sizeof(*h->run));
	h->clean = calloc(k, sizeof(*h->clean));
	h->plan = calloc(h->nlevels, sizeof(*h->plan));
	h->fraction = calloc(h->nlevels, sizeof(*h->fraction));
	h->round = calloc(h->maxrounds, sizeof(*h->round));
	if (h->entry == NULL || h->order == NULL || h->reached == NULL ||
	    h->current == NULL || h->run == NULL || h->clean == NULL ||
	    h->plan == NULL || h->fraction == NULL || h->round == NULL)
		goto nomem;
	lrk_halving_plan(n, k, h->plan, h->nlevels);
	for (i = 0; i < h->nlevels; i++)
		h->fraction[i] = o->fractions != NULL && i < o->nfractions ?
		    o->fractions[i] : 1;
	for (i = 0; i < n; i++) {
		h->entry[i].lr = lrs[i];
		h->entry[i].median = NAN;
		h->entry[i].index = i;
	}
	for (i = 0; i < n * k; i++)
		h->run[i].status = LRK_RUN_NONE;
	return h;
nomem:
	lrk_halving_free(h);
	snprintf(err, LRK_ERRSIZE, "%s", strerror(ENOMEM));
	return NULL;
}

void
lrk_halving_free(struct lrk_halving *h)
{
	if (h == NULL)
		return;
	free(h->entry);
	free(h->order);
	free(h->reached);
	free(h->current);
	free(h->run);
	free(h->clean);
	free(h->plan);
	free(h->fraction);
	free(h->round);
	free(h);
}

static struct halving_run *
run_of(const struct lrk_halving *h, size_t cand, size_t seed)
{
	return &h->run[cand * h->seeds + seed - 1];
}

/* The round h->round[r] as the caller sees it. */
static size_t
show_round(const struct lrk_halving *h, size_t r,
    struct lrk_halving_round *out)
{
	const struct halving_round *rd = &h->round[r];

	out->number = r + 1;
	out->candidates = h->current;
	out->count = rd->count;
	out->first_seed = rd->first_seed;
	out->last_seed = rd->last_seed;
	out->level = rd->level + 1;
	out->fraction = h->fraction[rd->level];
	out->refill = rd->refill;
	return rd->count;
}

/*
 * The candidates of the next round into h->current, in lr order, and its
 * level into *level: the best clean candidates of the latest round, as
 * many as the plan keeps (at least one while one is clean); when the
 * latest round has no clean candidate left, the best clean one of an
 * earlier round, alone (*refill).  Returns their count, 0 when it is
 * over: the best candidate is clean on every seed, or none is clean.
 */
static size_t
choose(struct lrk_halving *h, size_t *level, int *refill)
{
	const struct lrk_rank_entry *best;
	size_t i, j, x, m, latest = 0, keep, count;

	memcpy(h->order, h->entry, h->n * sizeof(*h->order));
	lrk_rank_sort(h->order, h->n, h->higher);
	best = &h->order[0];
	if (best->runs == 0 || best->unfinished != 0 ||
	    best->runs >= h->seeds)
		return 0;
	m = best->runs;		/* the most seeds of a clean candidate */
	for (i = 0; i < h->n; i++)
		if (h->reached[i] > latest)
			latest = h->reached[i];
	for (*level = 0; *level + 1 < h->nlevels &&
	    h->plan[*level].seeds < m; (*level)++)
		;
	(*level)++;
	if (m == latest) {
		/* The clean candidates on m seeds lead the order. */
		keep = h->plan[*level].candidates;
		for (count = 0; count < keep && count < h->n &&
		    h->order[count].runs == m &&
		    h->order[count].unfinished == 0; count++)
			h->current[count] = h->order[count].index;
		*refill = 0;
	} else {
		h->current[0] = best->index;
		count = 1;
		*refill = 1;
	}
	for (i = 1; i < count; i++)
		for (j = i; j > 0 && h->current[j - 1] > h->current[j]; j--) {
			x = h->current[j];
			h->current[j] = h->current[j - 1];
			h->current[j - 1] = x;
		}
	return count;
}

/*
 * The round to train: the current one while any of its runs is not
 * recorded yet (the caller trains those, lrk_halving_run says which),
 * else the next one, decided from the records.  out->candidates points
 * into h until the next call.  Returns the round's number of candidates,
 * or 0 when the confirmation is over (lrk_halving_answer says how).
 */
size_t
lrk_halving_next(struct lrk_halving *h, struct lrk_halving_round *out)
{
	struct halving_round *rd;
	size_t i, level, count, s;
	int refill = 0;

	memset(out, 0, sizeof(*out));
	if (h->nrounds > 0 && h->missing > 0)
		return show_round(h, h->nrounds - 1, out);
	if (h->over)
		return 0;
	if (h->nrounds == 0) {
		for (i = 0; i < h->n; i++)
			h->current[i] = i;
		count = h->n;
		level = 0;
	} else if ((count = choose(h, &level, &refill)) == 0 ||
	    h->nrounds == h->maxrounds) {
		h->over = 1;
		return 0;
	}
	rd = &h->round[h->nrounds];
	rd->level = level;
	rd->first_seed = level == 0 ? 1 : h->plan[level - 1].seeds + 1;
	rd->last_seed = h->plan[level].seeds;
	rd->count = count;
	rd->refill = refill;
	h->nrounds++;
	for (i = 0; i < count; i++) {
		h->reached[h->current[i]] = rd->last_seed;
		h->entry[h->current[i]].round = h->nrounds;
		for (s = rd->first_seed; s <= rd->last_seed; s++)
			run_of(h, h->current[i], s)->round = h->nrounds;
	}
	h->missing = count * (rd->last_seed - rd->first_seed + 1);
	return show_round(h, h->nrounds - 1, out);
}

static int
run_clean(const struct halving_run *run)
{
	return run->status == LRK_RUN_DONE && isfinite(run->metric);
}

/*
 * How the run of candidate cand on seed seed of the current round ended:
 * status (done, diverged, failed or timeout), its final metric (NaN when
 * it has none) and the optimizer steps it took, which the round's counts
 * add up.  A run stopped by a signal to lrkit is no result: the caller
 * leaves it out, and trains it again.  Returns 0, or -1 with err: no
 * round under way, a run that is not the current round's or is recorded
 * already, a status that is no result.
 */
int
lrk_halving_record(struct lrk_halving *h, size_t cand, size_t seed,
    enum lrk_run_status status, double metric, size_t steps, char *err)
{
	struct lrk_rank_entry *e;
	struct halving_run *run;
	size_t s, k;

	if (h->nrounds == 0) {
		snprintf(err, LRK_ERRSIZE, "no round is under way");
		return -1;
	}
	if (cand >= h->n || seed == 0 || seed > h->seeds ||
	    run_of(h, cand, seed)->round != h->nrounds) {
		snprintf(err, LRK_ERRSIZE, "candidate %zu, seed %zu: not a "
		    "run of round %zu", cand, seed, h->nrounds);
		return -1;
	}
	run = run_of(h, cand, seed);
	if (run->status != LRK_RUN_NONE) {
		snprintf(err, LRK_ERRSIZE, "candidate %zu, seed %zu: recorded "
		    "already", cand, seed);
		return -1;
	}
	if (status != LRK_RUN_DONE && status != LRK_RUN_DIVERGED &&
	    status != LRK_RUN_FAILED && status != LRK_RUN_TIMEOUT) {
		snprintf(err, LRK_ERRSIZE, "candidate %zu, seed %zu: a run "
		    "that was stopped is no result", cand, seed);
		return -1;
	}
	run->status = status;
	run->metric = metric;
	run->steps = steps;
	h->missing--;

	e = &h->entry[cand];
	e->runs++;
	if (!run_clean(run))
		e->unfinished++;
	for (s = 1, k = 0; s <= h->seeds; s++)
		if (run_clean(run_of(h, cand, s)))
			h->clean[k++] = run_of(h, cand, s)->metric;
	e->median = lrk_rank_median(h->clean, k);
	return 0;
}

/*
 * How the run of cand on seed ended: its status, LRK_RUN_NONE when it is
 * not recorded (or not a run there is); *metric, when metric is not
 * NULL, its final metric.
 */
enum lrk_run_status
lrk_halving_run(const struct lrk_halving *h, size_t cand, size_t seed,
    double *metric)
{
	const struct halving_run *run;

	if (cand >= h->n || seed == 0 || seed > h->seeds)
		return LRK_RUN_NONE;
	run = run_of(h, cand, seed);
	if (metric != NULL)
		*metric = run->status == LRK_RUN_NONE ? NAN : run->metric;
	return run->status;
}

/*
 * Every candidate's standing into out[0..n-1], best first
 * (lrk_rank_compare): its last round, its recorded runs, how many of
 * them are not clean, the median of the clean ones; index is the
 * candidate's.
 */
void
lrk_halving_standings(const struct lrk_halving *h,
    struct lrk_rank_entry *out)
{
	memcpy(out, h->entry, h->n * sizeof(*out));
	lrk_rank_sort(out, h->n, h->higher);
}

/*
 * The answer: the index of the best candidate once the current round is
 * recorded and that candidate is clean on all K seeds; -1 before, and
 * when no candidate is clean.
 */
long
lrk_halving_answer(const struct lrk_halving *h)
{
	const struct lrk_rank_entry *best = NULL;
	size_t i;

	if (h->nrounds == 0 || h->missing > 0)
		return -1;
	for (i = 0; i < h->n; i++)
		if (best == NULL || lrk_rank_compare(&h->entry[i], best,
		    h->higher) < 0)
			best = &h->entry[i];
	if (best->unfinished != 0 || best->runs < h->seeds)
		return -1;
	return (long)best->index;
}

/*
 * How the runs of round `round` (from 1; 0 for every round) ended, into
 * c: its candidates and how many of them stayed clean in it, its runs by
 * state, those not recorded yet and the steps recorded.  A round not
 * started counts nothing.
 */
void
lrk_halving_round_counts(const struct lrk_halving *h, size_t round,
    struct lrk_halving_counts *c)
{
	const struct halving_run *run;
	size_t i, s;
	int in, clean;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < h->n; i++) {
		in = 0;
		clean = 1;
		for (s = 1; s <= h->seeds; s++) {
			run = run_of(h, i, s);
			if (run->round == 0 || (round != 0 &&
			    run->round != round))
				continue;
			in = 1;
			if (!run_clean(run))
				clean = 0;
			switch (run->status) {
			case LRK_RUN_NONE:
				c->missing++;
				continue;
			case LRK_RUN_DONE:
				if (run_clean(run))
					c->done++;
				else
					c->no_metric++;
				break;
			case LRK_RUN_DIVERGED:
				c->diverged++;
				break;
			case LRK_RUN_FAILED:
				c->failed++;
				break;
			default:
				c->timeout++;
				break;
			}
			c->runs++;
			c->steps += run->steps;
		}
		if (in) {
			c->candidates++;
			if (clean)
				c->clean++;
		}
	}
}

/*
 * A round's counts as lr-confirm's summary says them: "3 of 3 candidates
 * clean; runs: 5 done, 1 diverged" (the states with no run left out).
 * 0, or -1 (out of memory).
 */
int
lrk_halving_counts_text(struct lrk_buf *b, const struct lrk_halving_counts *c)
{
	const size_t n[] = { c->diverged, c->failed, c->timeout, c->no_metric };
	static const char *const what[] = { "diverged", "failed", "timed out",
	    "without a final metric" };
	char part[128];
	size_t i;

	snprintf(part, sizeof(part), "%zu of %zu candidate%s clean; runs: %zu "
	    "done", c->clean, c->candidates, c->candidates == 1 ? "" : "s",
	    c->done);
	lrk_buf_str(b, part);
	for (i = 0; i < 4; i++)
		if (n[i] > 0) {
			snprintf(part, sizeof(part), ", %zu %s", n[i], what[i]);
			lrk_buf_str(b, part);
		}
	return b->failed ? -1 : 0;
}
