/*
 * Unit tests of lib/halving.c: each rule lr-confirm(1) states about the
 * rounds, the survivors and the answer, the sentence quoted above its
 * test.
 *
 * The trainings are simulated: n candidates 2^(1/4) apart with 0.04 in
 * the middle (for 9, the default candidates around 0.04), and the run of
 * one on seed s ends done with the final metric 1 + ln(lr/0.05)^2 +
 * s/1000, a bowl whose bottom is at 0.05, unless the test's table of
 * outcomes says otherwise.  0.05 is 1.29 candidates above the middle one:
 * of 9, from the bottom, 5 (0.0476), 6 (0.0566), 4 (0.04), 7 (0.0673),
 * 3 (0.0336), 8 (0.08), 2 (0.0283), 1 (0.0238), 0 (0.02); of 27, 14, 15,
 * 13, 16, 12, 17, 11, 18, 10, then 19 and 9.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define MAXCANDS	64
#define MAXROUNDS	200

/* An outcome that is not the bowl's: candidate, seed (0: every seed). */
struct outcome {
	size_t			cand, seed;
	enum lrk_run_status	status;
	double			metric;
};

/* A round as the object gave it. */
struct seen {
	size_t	number, count, first_seed, last_seed, level;
	size_t	cand[MAXCANDS];
	double	fraction;
	int	refill;
};

struct trace {
	struct seen	round[MAXROUNDS];
	size_t		nrounds;
	size_t		trained;	/* runs recorded */
};

static double lrs[MAXCANDS];

static const struct outcome *outcomes;
static size_t noutcomes;

static double
bowl(size_t cand, size_t seed)
{
	double x = log(lrs[cand] / 0.05);

	return 1 + x * x + (double)seed / 1000;
}

/* n candidates 2^(1/4) apart, 0.04 in the middle. */
static void
make_lrs(size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		lrs[i] = 0.04 * pow(2, ((double)i - (double)(n - 1) / 2) / 4);
}

static void
outcome_of(size_t cand, size_t seed, enum lrk_run_status *status,
    double *metric)
{
	size_t i;

	*status = LRK_RUN_DONE;
	*metric = bowl(cand, seed);
	for (i = 0; i < noutcomes; i++)
		if (outcomes[i].cand == cand && (outcomes[i].seed == 0 ||
		    outcomes[i].seed == seed)) {
			*status = outcomes[i].status;
			*metric = outcomes[i].metric;
		}
}

/* Record round rd's runs as outcome_of says. */
static void
train(struct lrk_halving *h, const struct lrk_halving_round *rd,
    struct trace *t)
{
	enum lrk_run_status st;
	char err[LRK_ERRSIZE];
	double m;
	size_t i, s;

	for (i = 0; i < rd->count; i++)
		for (s = rd->first_seed; s <= rd->last_seed; s++) {
			outcome_of(rd->candidates[i], s, &st, &m);
			ck_assert_msg(lrk_halving_record(h, rd->candidates[i],
			    s, st, m, 10, err) == 0, "%s", err);
			t->trained++;
		}
}

static void
remember(const struct lrk_halving_round *rd, struct trace *t)
{
	struct seen *r;

	ck_assert_uint_lt(t->nrounds, MAXROUNDS);
	ck_assert_uint_le(rd->count, MAXCANDS);
	r = &t->round[t->nrounds++];
	r->number = rd->number;
	r->count = rd->count;
	r->first_seed = rd->first_seed;
	r->last_seed = rd->last_seed;
	r->level = rd->level;
	r->fraction = rd->fraction;
	r->refill = rd->refill;
	memcpy(r->cand, rd->candidates, rd->count * sizeof(size_t));
}

/*
 * Every round trains clean candidates only, on seeds none of them has
 * trained on yet, in lr order.
 */
static void
check_clean_before(const struct lrk_halving *h,
    const struct lrk_halving_round *rd)
{
	size_t i, s;
	double m;

	for (i = 0; i < rd->count; i++) {
		ck_assert(i == 0 || rd->candidates[i - 1] < rd->candidates[i]);
		for (s = 1; s < rd->first_seed; s++)
			ck_assert_msg(lrk_halving_run(h, rd->candidates[i], s,
			    &m) == LRK_RUN_DONE && isfinite(m), "round %zu: "
			    "candidate %zu is not clean on seed %zu", rd->number,
			    rd->candidates[i], s);
		for (s = rd->first_seed; s <= rd->last_seed; s++)
			ck_assert(lrk_halving_run(h, rd->candidates[i], s,
			    NULL) == LRK_RUN_NONE);
	}
}

/*
 * The whole confirmation of n candidates on k seeds with the table of
 * outcomes: every round into t.  Returns the object, over.
 */
static struct lrk_halving *
confirm_with(size_t n, const struct lrk_halving_options *o,
    const struct outcome *table, size_t ntable, struct trace *t)
{
	struct lrk_halving_round rd;
	struct lrk_halving *h;
	char err[LRK_ERRSIZE];

	make_lrs(n);
	outcomes = table;
	noutcomes = ntable;
	memset(t, 0, sizeof(*t));
	h = lrk_halving_new(lrs, n, o, err);
	ck_assert_msg(h != NULL, "%s", err);
	while (lrk_halving_next(h, &rd) > 0) {
		ck_assert_uint_eq(rd.number, t->nrounds + 1);
		check_clean_before(h, &rd);
		remember(&rd, t);
		train(h, &rd, t);
	}
	/* Over stays over. */
	ck_assert_uint_eq(lrk_halving_next(h, &rd), 0);
	return h;
}

static struct lrk_halving *
confirm(size_t n, size_t k, const struct outcome *table, size_t ntable,
    struct trace *t)
{
	struct lrk_halving_options o;

	memset(&o, 0, sizeof(o));
	o.seeds = k;
	return confirm_with(n, &o, table, ntable, t);
}

/* Round r (from 1) of t is these candidates on these seeds. */
static void
check_round(const struct trace *t, size_t r, const size_t *cand,
    size_t count, size_t first, size_t last, int refill)
{
	const struct seen *s;
	size_t i;

	ck_assert_msg(r <= t->nrounds, "round %zu of %zu", r, t->nrounds);
	s = &t->round[r - 1];
	ck_assert_msg(s->count == count, "round %zu: %zu candidates, want %zu",
	    r, s->count, count);
	for (i = 0; i < count; i++)
		ck_assert_msg(s->cand[i] == cand[i], "round %zu: candidate "
		    "%zu is %zu, want %zu", r, i, s->cand[i], cand[i]);
	ck_assert_msg(s->first_seed == first && s->last_seed == last,
	    "round %zu: seeds %zu to %zu, want %zu to %zu", r, s->first_seed,
	    s->last_seed, first, last);
	ck_assert_msg(s->refill == refill, "round %zu: refill %d", r,
	    s->refill);
}

static void
check_plan(size_t n, size_t k, const size_t *want, size_t nwant,
    size_t trainings)
{
	struct lrk_halving_level r[16];
	size_t i, got;

	got = lrk_halving_plan(n, k, r, 16);
	ck_assert_msg(got == nwant, "%zu candidates, %zu seeds: %zu rounds, "
	    "want %zu", n, k, got, nwant);
	for (i = 0; i < got; i++)
		ck_assert_msg(r[i].candidates == want[2 * i] &&
		    r[i].seeds == want[2 * i + 1], "%zu candidates, %zu seeds: "
		    "round %zu is %zu x %zu, want %zu x %zu", n, k, i + 1,
		    r[i].candidates, r[i].seeds, want[2 * i], want[2 * i + 1]);
	ck_assert_uint_eq(lrk_halving_plan_trainings(r, got), trainings);
}

/*
 * lr-confirm(1): "In general, the plan: round 1 trains every candidate on
 * one seed (on -k seeds when there are 3 or fewer); each later round keeps
 * a third of the round before (rounded up) and brings it to three times
 * the seeds, capped at -k, or to -k at once when 3 or fewer are left; the
 * rounds end with the one on -k seeds."  And its costs: "The default
 * therefore costs 9 + 3 x 2 = 15 trainings", "-n 5 (5 + 2 x 2 = 9
 * trainings", "-k 5, 9 + 3 x 4 = 21 trainings; -n 27 -k 9, 27 + 9 x 2 +
 * 3 x 6 = 63".
 */
START_TEST(test_plan)
{
	static const size_t d9[] = { 9, 1, 3, 3 };
	static const size_t d9k5[] = { 9, 1, 3, 5 };
	static const size_t d27k9[] = { 27, 1, 9, 3, 3, 9 };
	static const size_t d27k3[] = { 27, 1, 9, 3 };
	static const size_t d5[] = { 5, 1, 2, 3 };
	static const size_t d3[] = { 3, 3 };
	static const size_t d1[] = { 1, 3 };
	static const size_t d9k1[] = { 9, 1 };
	static const size_t d100k10[] = { 100, 1, 34, 3, 12, 9, 4, 10 };

	check_plan(9, 3, d9, 2, 9 + 3 * 2);
	check_plan(9, 5, d9k5, 2, 9 + 3 * 4);
	check_plan(27, 9, d27k9, 3, 27 + 9 * 2 + 3 * 6);
	check_plan(27, 3, d27k3, 2, 27 + 18);
	check_plan(5, 3, d5, 2, 5 + 2 * 2);
	check_plan(3, 3, d3, 1, 9);
	check_plan(1, 3, d1, 1, 3);
	check_plan(9, 1, d9k1, 1, 9);
	check_plan(100, 10, d100k10, 4, 100 + 68 + 72 + 4);
	ck_assert_uint_eq(lrk_halving_plan(0, 3, NULL, 0), 0);
	ck_assert_uint_eq(lrk_halving_plan(9, 0, NULL, 0), 0);
	/* The count comes back even when max is too small. */
	ck_assert_uint_eq(lrk_halving_plan(27, 9, NULL, 0), 3);
	/* The old names the plan had, for callers not moved yet. */
	ck_assert_uint_eq(lrk_halving_plan(27, 9, NULL, 0), 3);
}
END_TEST

/*
 * lr-confirm(1): "Round 1 trains every candidate on seed 1 (on every seed
 * when there are 3 or fewer)."  With every run clean, the rounds are the
 * plan's and cost what it says.
 */
START_TEST(test_round_one)
{
	static const size_t all9[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const size_t best3[] = { 4, 5, 6 };
	struct lrk_halving *h;
	struct trace t;

	h = confirm(9, 3, NULL, 0, &t);
	ck_assert_uint_eq(t.nrounds, 2);
	check_round(&t, 1, all9, 9, 1, 1, 0);
	check_round(&t, 2, best3, 3, 2, 3, 0);
	ck_assert_uint_eq(t.trained, 15);
	lrk_halving_free(h);

	h = confirm(3, 3, NULL, 0, &t);
	ck_assert_uint_eq(t.nrounds, 1);
	check_round(&t, 1, all9, 3, 1, 3, 0);
	lrk_halving_free(h);

	h = confirm(3, 5, NULL, 0, &t);
	check_round(&t, 1, all9, 3, 1, 5, 0);
	ck_assert_uint_eq(t.nrounds, 1);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): "Each later round trains the best clean candidates of
 * the round before on the next seeds, as many as the plan (Candidates and
 * rounds) keeps ...; the last round brings them to -k seeds."  The best
 * by final metric is 0.0476 (5) but it diverged, and 0.0566 (6) failed:
 * the next best three clean ones go on.  With 27 candidates on 9 seeds,
 * three rounds: 9 of 27 on seeds 2 to 3, 3 of those on 4 to 9.
 */
START_TEST(test_survivors)
{
	static const struct outcome bad[] = {
		{ 5, 1, LRK_RUN_DIVERGED, INFINITY },
		{ 6, 1, LRK_RUN_FAILED, NAN },
	};
	static const size_t next3[] = { 3, 4, 7 };
	static const size_t best9[] = { 10, 11, 12, 13, 14, 15, 16, 17, 18 };
	static const size_t best3[] = { 13, 14, 15 };
	struct lrk_halving *h;
	struct trace t;

	h = confirm(9, 3, bad, 2, &t);
	ck_assert_uint_eq(t.nrounds, 2);
	check_round(&t, 2, next3, 3, 2, 3, 0);
	ck_assert_int_eq(lrk_halving_answer(h), 4);
	lrk_halving_free(h);

	h = confirm(27, 9, NULL, 0, &t);
	ck_assert_uint_eq(t.nrounds, 3);
	check_round(&t, 2, best9, 9, 2, 3, 0);
	check_round(&t, 3, best3, 3, 4, 9, 0);
	ck_assert_uint_eq(t.trained, 27 + 9 * 2 + 3 * 6);
	ck_assert_int_eq(lrk_halving_answer(h), 14);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): "... as many as the plan keeps, or as many as are clean
 * when fewer are".  Only 4 and 8 are clean after round 1.
 */
START_TEST(test_fewer_clean)
{
	static const struct outcome bad[] = {
		{ 0, 0, LRK_RUN_FAILED, NAN },
		{ 1, 0, LRK_RUN_FAILED, NAN },
		{ 2, 0, LRK_RUN_TIMEOUT, NAN },
		{ 3, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 5, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 6, 0, LRK_RUN_DONE, NAN },
		{ 7, 0, LRK_RUN_DONE, INFINITY },
	};
	static const size_t two[] = { 4, 8 };
	struct lrk_halving *h;
	struct trace t;

	h = confirm(9, 3, bad, 7, &t);
	ck_assert_uint_eq(t.nrounds, 2);
	check_round(&t, 2, two, 2, 2, 3, 0);
	ck_assert_int_eq(lrk_halving_answer(h), 4);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): "A lone clean candidate trains on alone: no candidate is
 * printed before it trained on all -k seeds."  Only 8 is clean after
 * round 1; there is no answer until it has trained on seeds 2 and 3.
 */
START_TEST(test_lone)
{
	static const struct outcome bad[] = {
		{ 0, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 1, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 2, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 3, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 4, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 5, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 6, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 7, 0, LRK_RUN_FAILED, NAN },
	};
	static const size_t lone[] = { 8 };
	struct lrk_halving_options o;
	struct lrk_halving_round rd;
	struct lrk_halving *h;
	struct trace t;
	char err[LRK_ERRSIZE];

	h = confirm(9, 3, bad, 8, &t);
	ck_assert_uint_eq(t.nrounds, 2);
	check_round(&t, 2, lone, 1, 2, 3, 0);
	ck_assert_int_eq(lrk_halving_answer(h), 8);
	lrk_halving_free(h);

	/* Step by step: no answer after round 1, nor during round 2. */
	memset(&o, 0, sizeof(o));
	o.seeds = 3;
	memset(&t, 0, sizeof(t));
	h = lrk_halving_new(lrs, 9, &o, err);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(lrk_halving_answer(h), -1);
	ck_assert_uint_eq(lrk_halving_next(h, &rd), 9);
	train(h, &rd, &t);
	ck_assert_int_eq(lrk_halving_answer(h), -1);
	ck_assert_uint_eq(lrk_halving_next(h, &rd), 1);
	ck_assert_int_eq(lrk_halving_record(h, 8, 2, LRK_RUN_DONE, 1, 10,
	    err), 0);
	ck_assert_int_eq(lrk_halving_answer(h), -1);
	ck_assert_int_eq(lrk_halving_record(h, 8, 3, LRK_RUN_DONE, 1, 10,
	    err), 0);
	ck_assert_int_eq(lrk_halving_answer(h), 8);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): "a candidate with a run that diverged, failed or timed
 * out, or that has no finite final metric, ranks after every clean
 * candidate, whatever round it reached."  5 and 6 reach round 2 and
 * diverge there on seeds 2 and 3: every candidate of round 1 ranks before
 * them, and 4, clean on three seeds, is the answer.  Each way of not
 * being clean does it alike.
 */
START_TEST(test_unclean_last)
{
	static const enum lrk_run_status how[] = { LRK_RUN_DIVERGED,
	    LRK_RUN_FAILED, LRK_RUN_TIMEOUT, LRK_RUN_DONE, LRK_RUN_DONE };
	static const double metric[] = { INFINITY, NAN, NAN, NAN, -INFINITY };
	struct outcome bad[4];
	struct lrk_rank_entry e[9];
	struct lrk_halving *h;
	struct trace t;
	size_t i, w;

	for (w = 0; w < sizeof(how) / sizeof(how[0]); w++) {
		bad[0] = (struct outcome){ 5, 2, how[w], metric[w] };
		bad[1] = (struct outcome){ 5, 3, how[w], metric[w] };
		bad[2] = (struct outcome){ 6, 2, how[w], metric[w] };
		bad[3] = (struct outcome){ 6, 3, how[w], metric[w] };
		h = confirm(9, 3, bad, 4, &t);
		ck_assert_uint_eq(t.nrounds, 2);
		ck_assert_int_eq(lrk_halving_answer(h), 4);
		lrk_halving_standings(h, e);
		ck_assert_uint_eq(e[0].index, 4);
		ck_assert_uint_eq(e[0].runs, 3);
		for (i = 0; i < 7; i++)
			ck_assert_msg(e[i].unfinished == 0, "%zu: %zu", i,
			    e[i].index);
		ck_assert_uint_eq(e[7].index, 5);
		ck_assert_uint_eq(e[7].round, 2);
		ck_assert_uint_eq(e[7].unfinished, 2);
		ck_assert(e[7].median == bowl(5, 1));
		ck_assert_uint_eq(e[8].index, 6);
		lrk_halving_free(h);
	}
}
END_TEST

/*
 * lr-confirm(1): "The clean candidates rank by, in this order: the more
 * seeds trained (a later round reached); the better median of their final
 * metrics (the lower, or the higher with --higher ...); the smaller lr".
 * The standings after the default confirmation: the three of round 2 by
 * median, then round 1's by metric.  With --higher, the worst of the bowl
 * is the best: 0, 1 and 2, the farthest from its bottom, go on.
 */
START_TEST(test_standings)
{
	static const size_t want[] = { 5, 6, 4, 7, 3, 8, 2, 1, 0 };
	static const size_t high3[] = { 0, 1, 2 };
	struct lrk_halving_options o;
	struct lrk_rank_entry e[9];
	struct lrk_halving *h;
	struct trace t;
	size_t i;

	h = confirm(9, 3, NULL, 0, &t);
	lrk_halving_standings(h, e);
	for (i = 0; i < 9; i++) {
		ck_assert_msg(e[i].index == want[i], "%zu: %zu, want %zu", i,
		    e[i].index, want[i]);
		ck_assert(e[i].lr == lrs[want[i]]);
		ck_assert_uint_eq(e[i].runs, i < 3 ? 3 : 1);
		ck_assert_uint_eq(e[i].round, i < 3 ? 2 : 1);
	}
	/* The median of seeds 1 to 3 is seed 2's. */
	ck_assert(e[0].median == bowl(5, 2));
	lrk_halving_free(h);

	memset(&o, 0, sizeof(o));
	o.seeds = 3;
	o.higher = 1;
	h = confirm_with(9, &o, NULL, 0, &t);
	check_round(&t, 2, high3, 3, 2, 3, 0);
	ck_assert_int_eq(lrk_halving_answer(h), 0);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): "... the smaller lr, the more cautious of two equal
 * choices."  Every run gives the same metric: the smallest lrs go on, and
 * the smallest is the answer.
 */
START_TEST(test_ties)
{
	static struct outcome flat[9];
	static const size_t first3[] = { 0, 1, 2 };
	struct lrk_halving *h;
	struct trace t;
	size_t i;

	for (i = 0; i < 9; i++)
		flat[i] = (struct outcome){ i, 0, LRK_RUN_DONE, 2 };
	h = confirm(9, 3, flat, 9, &t);
	check_round(&t, 2, first3, 3, 2, 3, 0);
	ck_assert_int_eq(lrk_halving_answer(h), 0);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): "When no candidate of the latest round is clean any
 * more, the best clean candidate left (the most seeds, then the best
 * median) takes their place: it trains alone on the next seeds of the
 * plan (a refill round), round after round, until a candidate is clean on
 * all -k seeds or none is clean".  Round 2's three fail on seed 2: 7,
 * the next best of round 1, trains on seeds 2 and 3 alone; it diverges on
 * seed 3, and 3 takes its place; clean, it is the answer.
 */
START_TEST(test_refill)
{
	static const struct outcome bad[] = {
		{ 4, 2, LRK_RUN_FAILED, NAN },
		{ 5, 2, LRK_RUN_FAILED, NAN },
		{ 6, 2, LRK_RUN_FAILED, NAN },
		{ 7, 3, LRK_RUN_DIVERGED, INFINITY },
	};
	static const size_t best3[] = { 4, 5, 6 }, seven[] = { 7 };
	static const size_t three[] = { 3 };
	struct lrk_halving_counts c;
	struct lrk_rank_entry e[9];
	struct lrk_halving *h;
	struct trace t;

	h = confirm(9, 3, bad, 4, &t);
	ck_assert_uint_eq(t.nrounds, 4);
	check_round(&t, 2, best3, 3, 2, 3, 0);
	check_round(&t, 3, seven, 1, 2, 3, 1);
	check_round(&t, 4, three, 1, 2, 3, 1);
	ck_assert_uint_eq(t.round[3].level, 2);
	ck_assert_int_eq(lrk_halving_answer(h), 3);
	ck_assert_uint_eq(t.trained, 9 + 6 + 2 + 2);
	lrk_halving_standings(h, e);
	ck_assert_uint_eq(e[0].index, 3);
	ck_assert_uint_eq(e[0].round, 4);
	lrk_halving_round_counts(h, 3, &c);
	ck_assert_uint_eq(c.candidates, 1);
	ck_assert_uint_eq(c.clean, 0);
	ck_assert_uint_eq(c.done, 1);
	ck_assert_uint_eq(c.diverged, 1);
	lrk_halving_free(h);
}
END_TEST

/*
 * The same rule over three rounds of the plan: the last round's three
 * diverge on seed 5; the best clean candidate left, 16 of round 2 (on 3
 * seeds), trains on seeds 4 to 9 alone.  Then every candidate of rounds 2
 * and 3 fails on seed 4: those of round 2 take the place of the others
 * one by one and fail too; the best clean candidate left is then 19, of
 * round 1, which climbs alone: seeds 2 to 3, then 4 to 9.
 */
START_TEST(test_refill_levels)
{
	static struct outcome bad[16];
	static const size_t best3[] = { 13, 14, 15 }, sixteen[] = { 16 };
	static const size_t left[] = { 12, 17, 11, 18, 10 };
	static const size_t nineteen[] = { 19 };
	struct lrk_halving *h;
	struct trace t;
	size_t i;

	for (i = 0; i < 3; i++)
		bad[i] = (struct outcome){ best3[i], 5, LRK_RUN_DIVERGED,
		    INFINITY };
	h = confirm(27, 9, bad, 3, &t);
	ck_assert_uint_eq(t.nrounds, 4);
	check_round(&t, 3, best3, 3, 4, 9, 0);
	check_round(&t, 4, sixteen, 1, 4, 9, 1);
	ck_assert_int_eq(lrk_halving_answer(h), 16);
	lrk_halving_free(h);

	for (i = 0; i < 9; i++)
		bad[i] = (struct outcome){ 10 + i, 4, LRK_RUN_FAILED, NAN };
	h = confirm(27, 9, bad, 9, &t);
	ck_assert_uint_eq(t.nrounds, 11);
	check_round(&t, 3, best3, 3, 4, 9, 0);
	check_round(&t, 4, sixteen, 1, 4, 9, 1);
	for (i = 0; i < 5; i++)
		check_round(&t, 5 + i, left + i, 1, 4, 9, 1);
	check_round(&t, 10, nineteen, 1, 2, 3, 1);
	check_round(&t, 11, nineteen, 1, 4, 9, 1);
	ck_assert_int_eq(lrk_halving_answer(h), 19);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): "... until a candidate is clean on all -k seeds or none
 * is clean, and then no lr is printed."  And EXIT STATUS 1: "No candidate
 * was clean on all -k seeds".  Every run of 4 candidates diverges; and 9
 * candidates whose every run after round 1 fails, refill after refill.
 */
START_TEST(test_none_clean)
{
	static struct outcome bad[9];
	struct lrk_halving_counts c;
	struct lrk_halving *h;
	struct trace t;
	size_t i;

	for (i = 0; i < 4; i++)
		bad[i] = (struct outcome){ i, 0, LRK_RUN_DIVERGED, INFINITY };
	h = confirm(4, 3, bad, 4, &t);
	ck_assert_uint_eq(t.nrounds, 1);
	ck_assert_int_eq(lrk_halving_answer(h), -1);
	lrk_halving_free(h);

	for (i = 0; i < 9; i++)
		bad[i] = (struct outcome){ i, 2, LRK_RUN_FAILED, NAN };
	h = confirm(9, 3, bad, 9, &t);
	/* Round 2's three, then the six others one by one. */
	ck_assert_uint_eq(t.nrounds, 2 + 6);
	ck_assert_uint_eq(t.trained, 9 + 9 * 2);
	ck_assert_int_eq(lrk_halving_answer(h), -1);
	lrk_halving_round_counts(h, 0, &c);
	ck_assert_uint_eq(c.candidates, 9);
	ck_assert_uint_eq(c.clean, 0);
	ck_assert_uint_eq(c.failed, 9);
	ck_assert_uint_eq(c.done, 18);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1): the summary gives, for each round, "its candidates and
 * seeds, then how many candidates stayed clean and how its runs ended
 * (clean, diverged, failed, timed out, or done without a finite metric)".
 * Round 2's three runs all diverge on seed 2 and 3: none of them is
 * clean.  Runs that end done with no finite metric are told apart from
 * failed ones.
 */
START_TEST(test_counts)
{
	static const struct outcome bad[] = {
		{ 4, 2, LRK_RUN_DIVERGED, INFINITY },
		{ 4, 3, LRK_RUN_TIMEOUT, NAN },
		{ 5, 0, LRK_RUN_DIVERGED, INFINITY },
		{ 6, 3, LRK_RUN_DONE, NAN },
		{ 0, 0, LRK_RUN_FAILED, NAN },
	};
	static struct outcome nometric[3];
	struct lrk_halving_counts c;
	struct lrk_halving *h;
	struct trace t;
	size_t i;

	h = confirm(9, 3, bad, 5, &t);
	lrk_halving_round_counts(h, 1, &c);
	ck_assert_uint_eq(c.candidates, 9);
	ck_assert_uint_eq(c.clean, 7);
	ck_assert_uint_eq(c.runs, 9);
	ck_assert_uint_eq(c.done, 7);
	ck_assert_uint_eq(c.diverged, 1);
	ck_assert_uint_eq(c.failed, 1);
	ck_assert_uint_eq(c.missing, 0);
	ck_assert_uint_eq(c.steps, 90);
	/* Round 2: 4, 6, 7 (5 diverged on seed 1). */
	lrk_halving_round_counts(h, 2, &c);
	ck_assert_uint_eq(c.candidates, 3);
	ck_assert_uint_eq(c.clean, 1);
	ck_assert_uint_eq(c.runs, 6);
	ck_assert_uint_eq(c.done, 3);
	ck_assert_uint_eq(c.diverged, 1);
	ck_assert_uint_eq(c.timeout, 1);
	ck_assert_uint_eq(c.no_metric, 1);
	ck_assert_uint_eq(c.failed, 0);
	lrk_halving_round_counts(h, 0, &c);
	ck_assert_uint_eq(c.runs, 15);
	ck_assert_uint_eq(c.candidates, 9);
	lrk_halving_round_counts(h, 3, &c);
	ck_assert_uint_eq(c.candidates, 0);
	ck_assert_uint_eq(c.runs, 0);
	lrk_halving_free(h);

	/* Every run done, none with a finite metric: no answer, and the
	 * counts say why. */
	for (i = 0; i < 3; i++)
		nometric[i] = (struct outcome){ i, 0, LRK_RUN_DONE, NAN };
	h = confirm(3, 3, nometric, 3, &t);
	ck_assert_int_eq(lrk_halving_answer(h), -1);
	lrk_halving_round_counts(h, 0, &c);
	ck_assert_uint_eq(c.no_metric, 9);
	ck_assert_uint_eq(c.runs, 9);
	ck_assert_uint_eq(c.done + c.diverged + c.failed + c.timeout, 0);
	lrk_halving_free(h);
}
END_TEST

/*
 * lr-confirm(1), --resume: "The runs recorded in the folder count as they
 * ended, failed ones included, and decide the rounds as they did the
 * first time: only the runs not yet recorded are trained".  A
 * confirmation with a refill, stopped in its third round, is fed back its
 * records in a new object: it gives the same rounds and asks only for
 * the runs left.  A failed run the caller leaves out is asked for again.
 */
START_TEST(test_resume)
{
	static const struct outcome bad[] = {
		{ 4, 2, LRK_RUN_FAILED, NAN },
		{ 5, 3, LRK_RUN_FAILED, NAN },
		{ 6, 2, LRK_RUN_DIVERGED, INFINITY },
		{ 2, 1, LRK_RUN_FAILED, NAN },
	};
	struct lrk_halving_options o;
	struct lrk_halving_round rd;
	struct lrk_halving *h;
	struct trace first, again;
	enum lrk_run_status st;
	char err[LRK_ERRSIZE];
	double m;
	size_t i, s, r, recorded, asked;

	h = confirm(9, 3, bad, 4, &first);
	ck_assert_uint_eq(first.nrounds, 3);
	ck_assert(first.round[2].refill);
	lrk_halving_free(h);

	/* Again, from the records: rounds 1 and 2 whole, then round 3 with
	 * its first run only. */
	memset(&o, 0, sizeof(o));
	o.seeds = 3;
	memset(&again, 0, sizeof(again));
	h = lrk_halving_new(lrs, 9, &o, err);
	ck_assert_ptr_nonnull(h);
	for (r = 0; lrk_halving_next(h, &rd) > 0; r++) {
		ck_assert_uint_lt(r, first.nrounds);
		remember(&rd, &again);
		if (r < 2) {
			train(h, &rd, &again);
			continue;
		}
		outcome_of(rd.candidates[0], rd.first_seed, &st, &m);
		ck_assert_int_eq(lrk_halving_record(h, rd.candidates[0],
		    rd.first_seed, st, m, 10, err), 0);
		break;
	}
	ck_assert_uint_eq(again.nrounds, 3);
	for (r = 0; r < 3; r++)
		check_round(&again, r + 1, first.round[r].cand,
		    first.round[r].count, first.round[r].first_seed,
		    first.round[r].last_seed, first.round[r].refill);
	/* The interrupted round again, with what it lacks. */
	ck_assert_uint_eq(lrk_halving_next(h, &rd), first.round[2].count);
	ck_assert_uint_eq(rd.number, 3);
	recorded = asked = 0;
	for (i = 0; i < rd.count; i++)
		for (s = rd.first_seed; s <= rd.last_seed; s++) {
			if (lrk_halving_run(h, rd.candidates[i], s, NULL) !=
			    LRK_RUN_NONE) {
				recorded++;
				continue;
			}
			asked++;
			outcome_of(rd.candidates[i], s, &st, &m);
			ck_assert_int_eq(lrk_halving_record(h, rd.candidates[i],
			    s, st, m, 10, err), 0);
		}
	ck_assert_uint_eq(recorded, 1);
	ck_assert_uint_eq(asked, rd.count * (rd.last_seed - rd.first_seed +
	    1) - 1);
	ck_assert_uint_eq(lrk_halving_next(h, &rd), 0);
	ck_assert_int_eq(lrk_halving_answer(h), first.round[2].cand[0]);
	lrk_halving_free(h);

	/* Round 1 with candidate 2's failed run left out: the round is
	 * not over, and that run is the one asked for. */
	h = lrk_halving_new(lrs, 9, &o, err);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(lrk_halving_next(h, &rd), 9);
	for (i = 0; i < 9; i++)
		if (i != 2)
			ck_assert_int_eq(lrk_halving_record(h, i, 1,
			    LRK_RUN_DONE, bowl(i, 1), 10, err), 0);
	ck_assert_uint_eq(lrk_halving_next(h, &rd), 9);
	ck_assert_uint_eq(rd.number, 1);
	ck_assert_int_eq(lrk_halving_run(h, 2, 1, &m), LRK_RUN_NONE);
	ck_assert(isnan(m));
	ck_assert_int_eq(lrk_halving_run(h, 3, 1, &m), LRK_RUN_DONE);
	ck_assert(m == bowl(3, 1));
	lrk_halving_free(h);
}
END_TEST

/*
 * The fraction of the schedule each round of the plan trains with is the
 * caller's, carried to the rounds; 1 by default and past the ones given;
 * a refill round has that of the plan's round it trains the seeds of.
 */
START_TEST(test_fraction)
{
	static const double f[] = { 0.25 };
	static const double f3[] = { 0.25, 0.5, 1 };
	static const struct outcome bad[] = {
		{ 4, 2, LRK_RUN_FAILED, NAN },
		{ 5, 2, LRK_RUN_FAILED, NAN },
		{ 6, 2, LRK_RUN_FAILED, NAN },
	};
	struct lrk_halving_options o;
	struct lrk_halving *h;
	struct trace t;

	h = confirm(9, 3, NULL, 0, &t);
	ck_assert(t.round[0].fraction == 1 && t.round[1].fraction == 1);
	lrk_halving_free(h);

	memset(&o, 0, sizeof(o));
	o.seeds = 3;
	o.fractions = f;
	o.nfractions = 1;
	h = confirm_with(9, &o, bad, 3, &t);
	ck_assert_uint_eq(t.nrounds, 3);
	ck_assert(t.round[0].fraction == 0.25);
	ck_assert(t.round[1].fraction == 1);
	ck_assert(t.round[2].fraction == 1);
	ck_assert_uint_eq(t.round[0].level, 1);
	ck_assert_uint_eq(t.round[2].level, 2);
	lrk_halving_free(h);

	o.seeds = 9;
	o.fractions = f3;
	o.nfractions = 3;
	h = confirm_with(27, &o, NULL, 0, &t);
	ck_assert(t.round[0].fraction == 0.25);
	ck_assert(t.round[1].fraction == 0.5);
	ck_assert(t.round[2].fraction == 1);
	lrk_halving_free(h);
}
END_TEST

/* What the object refuses: bad candidates, options, records. */
START_TEST(test_errors)
{
	static const double down[] = { 0.1, 0.05 }, same[] = { 0.1, 0.1 };
	static const double zero[] = { 0, 0.1 }, one[] = { 0.1 };
	static const double nan_lr[] = { NAN }, bad_f[] = { 1, 0 };
	static const double big_f[] = { 1.5 };
	struct lrk_halving_options o;
	struct lrk_halving_round rd;
	struct lrk_halving *h;
	char err[LRK_ERRSIZE];

	memset(&o, 0, sizeof(o));
	o.seeds = 3;
	ck_assert_ptr_null(lrk_halving_new(down, 2, &o, err));
	ck_assert_str_eq(err, "candidate 1: 0.05 is not a positive lr above "
	    "the one before");
	ck_assert_ptr_null(lrk_halving_new(same, 2, &o, err));
	ck_assert_ptr_null(lrk_halving_new(zero, 2, &o, err));
	ck_assert_ptr_null(lrk_halving_new(nan_lr, 1, &o, err));
	ck_assert_ptr_null(lrk_halving_new(one, 0, &o, err));
	ck_assert_str_eq(err, "no candidate to train");
	o.fractions = bad_f;
	o.nfractions = 2;
	ck_assert_ptr_null(lrk_halving_new(one, 1, &o, err));
	ck_assert_str_eq(err, "round 2: the fraction of the schedule, 0, is "
	    "not in (0, 1]");
	o.fractions = big_f;
	o.nfractions = 1;
	ck_assert_ptr_null(lrk_halving_new(one, 1, &o, err));
	o.fractions = NULL;
	o.seeds = 0;
	ck_assert_ptr_null(lrk_halving_new(one, 1, &o, err));
	ck_assert_str_eq(err, "no seed to train");

	o.seeds = 3;
	make_lrs(9);
	h = lrk_halving_new(lrs, 9, &o, err);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(lrk_halving_record(h, 0, 1, LRK_RUN_DONE, 1, 1,
	    err), -1);
	ck_assert_str_eq(err, "no round is under way");
	ck_assert_uint_eq(lrk_halving_next(h, &rd), 9);
	ck_assert_int_eq(lrk_halving_record(h, 0, 2, LRK_RUN_DONE, 1, 1,
	    err), -1);
	ck_assert_str_eq(err, "candidate 0, seed 2: not a run of round 1");
	ck_assert_int_eq(lrk_halving_record(h, 9, 1, LRK_RUN_DONE, 1, 1,
	    err), -1);
	ck_assert_int_eq(lrk_halving_record(h, 0, 0, LRK_RUN_DONE, 1, 1,
	    err), -1);
	ck_assert_int_eq(lrk_halving_record(h, 0, 1, LRK_RUN_STOPPED, 1, 1,
	    err), -1);
	ck_assert_str_eq(err, "candidate 0, seed 1: a run that was stopped is "
	    "no result");
	ck_assert_int_eq(lrk_halving_record(h, 0, 1, LRK_RUN_NONE, 1, 1,
	    err), -1);
	ck_assert_int_eq(lrk_halving_record(h, 0, 1, LRK_RUN_DONE, 1, 1,
	    err), 0);
	ck_assert_int_eq(lrk_halving_record(h, 0, 1, LRK_RUN_DONE, 1, 1,
	    err), -1);
	ck_assert_str_eq(err, "candidate 0, seed 1: recorded already");
	ck_assert_int_eq(lrk_halving_run(h, 9, 1, NULL), LRK_RUN_NONE);
	ck_assert_int_eq(lrk_halving_run(h, 0, 4, NULL), LRK_RUN_NONE);
	lrk_halving_free(h);
	lrk_halving_free(NULL);
}
END_TEST

/*
 * Many candidates on many seeds, with runs failing here and there: the
 * rounds always end, every run is recorded once, and an answer is clean
 * on every seed.
 */
START_TEST(test_many)
{
	static struct outcome bad[MAXCANDS];
	struct lrk_rank_entry e[MAXCANDS];
	struct lrk_halving *h;
	struct trace t;
	long a;
	size_t i, nbad, trial;

	for (trial = 0; trial < 40; trial++) {
		nbad = 0;
		for (i = 0; i < 40; i++)
			if ((i * 7 + trial * 13) % 5 < 2)
				bad[nbad++] = (struct outcome){ i,
				    1 + (i + trial) % 9, (i + trial) % 2 ?
				    LRK_RUN_FAILED : LRK_RUN_DIVERGED, NAN };
		h = confirm(40, 9, bad, nbad, &t);
		ck_assert_uint_le(t.trained, 40 * 9);
		a = lrk_halving_answer(h);
		lrk_halving_standings(h, e);
		if (a >= 0) {
			ck_assert_uint_eq(e[0].index, (size_t)a);
			ck_assert_uint_eq(e[0].runs, 9);
			ck_assert_uint_eq(e[0].unfinished, 0);
		} else
			ck_assert(e[0].unfinished > 0);
		lrk_halving_free(h);
	}
}
END_TEST

/*
 * lr-confirm(1), the summary: "how many candidates stayed clean and how
 * its runs ended (clean, diverged, failed, timed out, or done without a
 * finite metric)": the states with no run are left out.
 */
START_TEST(test_counts_text)
{
	struct lrk_halving_counts c = { 0 };
	struct lrk_buf b = { 0 };

	c.candidates = 3;
	c.clean = 1;
	c.done = 4;
	c.diverged = 1;
	c.no_metric = 1;
	ck_assert_int_eq(lrk_halving_counts_text(&b, &c), 0);
	ck_assert_str_eq(b.data, "1 of 3 candidates clean; runs: 4 done, 1 "
	    "diverged, 1 without a final metric");
	lrk_buf_free(&b);
	memset(&c, 0, sizeof(c));
	c.candidates = 1;
	c.failed = 2;
	c.timeout = 1;
	ck_assert_int_eq(lrk_halving_counts_text(&b, &c), 0);
	ck_assert_str_eq(b.data, "0 of 1 candidate clean; runs: 0 done, 2 "
	    "failed, 1 timed out");
	lrk_buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("halving");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_plan);
	tcase_add_test(core, test_counts_text);
	tcase_add_test(core, test_round_one);
	tcase_add_test(core, test_survivors);
	tcase_add_test(core, test_fewer_clean);
	tcase_add_test(core, test_lone);
	tcase_add_test(core, test_unclean_last);
	tcase_add_test(core, test_standings);
	tcase_add_test(core, test_ties);
	tcase_add_test(core, test_refill);
	tcase_add_test(core, test_refill_levels);
	tcase_add_test(core, test_none_clean);
	tcase_add_test(core, test_counts);
	tcase_add_test(core, test_resume);
	tcase_add_test(core, test_fraction);
	tcase_add_test(limits, test_errors);
	tcase_add_test(limits, test_many);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
