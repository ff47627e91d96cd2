/* Unit tests of lib/suggest.c: tests/golden/README, section 4, and more. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

static struct lrk_suggest_options whole;	/* no points skipped */

static void
setup(void)
{
	lrk_suggest_defaults(&whole);
	whole.skip_start = 0;
	whole.skip_end = 0;
}

/* lr = 1, 2, 3, ... */
static double lr_seq[1000];

static void
fill_lr(void)
{
	size_t i;

	for (i = 0; i < 1000; i++)
		lr_seq[i] = (double)(i + 1);
}

/* Run a method that must succeed; returns the index it picks. */
static size_t
pick(const char *method, const double *lr, const double *loss, size_t n,
    const struct lrk_suggest_options *o, struct lrk_suggestion *s)
{
	char err[LRK_ERRSIZE] = "";
	int r;

	r = lrk_suggest(method, lr, loss, n, o, s, err);
	ck_assert_msg(r == 0, "%s: %s", method, err);
	ck_assert_str_eq(s->method, method);
	return s->index;
}

/* Run a method that must fail; err must contain want. */
static void
refuse(const char *method, const double *lr, const double *loss, size_t n,
    const struct lrk_suggest_options *o, const char *want, size_t index)
{
	struct lrk_suggestion s;
	char err[LRK_ERRSIZE] = "";

	ck_assert_int_eq(lrk_suggest(method, lr, loss, n, o, &s, err), -1);
	ck_assert_msg(strstr(err, want) != NULL, "%s: \"%s\" lacks \"%s\"",
	    method, err, want);
	ck_assert_msg(s.index == index, "%s: index %zu, want %zu", method,
	    s.index, index);
}

START_TEST(test_defaults)
{
	struct lrk_suggest_options o;
	const char *const *m;
	size_t count = 0;

	lrk_suggest_defaults(&o);
	ck_assert_int_eq(o.skip_start, -1);
	ck_assert_int_eq(o.skip_end, -1);
	ck_assert_int_eq(o.lr_diff, 15);
	ck_assert(o.thresh == 0.005);
	ck_assert(o.adjust == 1);
	for (m = lrk_suggest_methods; *m != NULL; m++, count++)
		ck_assert(lrk_suggest_known(*m));
	ck_assert_uint_eq(count, 10);
	ck_assert_str_eq(lrk_suggest_methods[0], "valley");
	ck_assert(!lrk_suggest_known("valleys"));
	ck_assert_uint_eq(lrk_suggest_min_points("slide", &o), 16);
	ck_assert_uint_eq(lrk_suggest_min_points("valley", &o), 1);
	ck_assert_uint_eq(lrk_suggest_min_points("steep", &o), 2);
	ck_assert_uint_eq(lrk_suggest_min_points("halfway", &o), 2);
	ck_assert_uint_eq(lrk_suggest_min_points("plateau", &o), 2);
	ck_assert_uint_eq(lrk_suggest_min_points("pooled", &o), 2);
	ck_assert_uint_eq(lrk_suggest_min_points("nosuch", &o), 0);
}
END_TEST

/*
 * The one parser of method lists (lr-suggest -m, lr-plot -s), from the
 * method table: names in the order given, "all" for the table, and an
 * unknown name refused with the whole table listed.
 */
START_TEST(test_parse_methods)
{
	const char **list;
	char err[LRK_ERRSIZE], names[512];
	size_t n, i;

	ck_assert_int_eq(lrk_suggest_parse_methods("steep,valley,steep", &list,
	    &n, err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(list[0], "steep");
	ck_assert_str_eq(list[1], "valley");
	free(list);
	ck_assert_int_eq(lrk_suggest_parse_methods("all", &list, &n, err), 0);
	ck_assert_uint_eq(n, 10);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(list[i], lrk_suggest_methods[i]);
	ck_assert_ptr_null(lrk_suggest_methods[n]);
	free(list);
	ck_assert_uint_eq(lrk_suggest_method_list(names, sizeof(names)),
	    strlen("valley, slide, minimum, steep, mingrad, lightning, range, "
	    "halfway, plateau, pooled"));
	ck_assert_str_eq(names, "valley, slide, minimum, steep, mingrad, "
	    "lightning, range, halfway, plateau, pooled");
	ck_assert_int_eq(lrk_suggest_parse_methods("valley,best", &list, &n,
	    err), -1);
	ck_assert_ptr_null(list);
	ck_assert_str_eq(err, "\"best\": no such method (valley, slide, "
	    "minimum, steep, mingrad, lightning, range, halfway, plateau, "
	    "pooled, default or all)");
	/* "default" stays for the caller, who knows the runs. */
	ck_assert_int_eq(lrk_suggest_parse_methods("valley,default", &list,
	    &n, err), 0);
	ck_assert_str_eq(list[1], "default");
	free(list);
	ck_assert_str_eq(lrk_suggest_default(1), LRK_SUGGEST_DEFAULT);
	ck_assert_str_eq(lrk_suggest_default(3), LRK_SUGGEST_DEFAULT_RUNS);
	/* Empty names, "all" among others, prefixes, escapes. */
	ck_assert_int_eq(lrk_suggest_parse_methods("valley,", &list, &n, err),
	    -1);
	ck_assert_msg(strncmp(err, "\"\": no such", 11) == 0, "%s", err);
	ck_assert_int_eq(lrk_suggest_parse_methods("", &list, &n, err), -1);
	ck_assert_int_eq(lrk_suggest_parse_methods("valley,all", &list, &n,
	    err), -1);
	ck_assert_int_eq(lrk_suggest_parse_methods("val", &list, &n, err),
	    -1);
	ck_assert_int_eq(lrk_suggest_parse_methods("\033[2J", &list, &n,
	    err), -1);
	ck_assert_msg(strncmp(err, "\"\\x1b[2J\"", 9) == 0, "%s", err);
	/* A short buffer gets what fits, and the length it would need. */
	ck_assert_uint_eq(lrk_suggest_method_list(names, 8),
	    strlen("valley, slide, minimum, steep, mingrad, lightning, range, "
	    "halfway, plateau, pooled"));
	ck_assert_str_eq(names, "valley,");
}
END_TEST

START_TEST(test_valley)
{
	static const double fall[] = { 5, 4, 3, 2, 1, 2, 3 };
	static const double later[] = { 3, 9, 8, 7, 6, 5, 4, 10 };
	struct lrk_suggestion s;

	fill_lr();
	/* L = 5 ends at 4: start = -1, idx = -1 + 1 + 0 = 0 */
	ck_assert_uint_eq(pick("valley", lr_seq, fall, 7, &whole, &s), 0);
	ck_assert(s.lr == 1 && s.loss == 5);
	/* L = 6 ends at 6: start 0, sections 2, idx = 0 + 2 + 1 */
	ck_assert_uint_eq(pick("valley", lr_seq, later, 8, &whole, &s), 3);
	ck_assert(s.lr == 4 && s.loss == 7);
}
END_TEST

START_TEST(test_valley_quirks)
{
	static const double rising[] = { 1, 2, 3 };
	static const double two[] = { 2, 1, 3, 4 };
	static const double first[] = { 3, 2, 5, 4 };
	struct lrk_suggestion s;

	fill_lr();
	/* no valley: fastai never moves start from 0 */
	ck_assert_uint_eq(pick("valley", lr_seq, rising, 3, &whole, &s), 0);
	/* L = 2 ends at 1: start -1, idx -1, the last point */
	ck_assert_uint_eq(pick("valley", lr_seq, two, 4, &whole, &s), 3);
	/* two valleys of 2: the FIRST end counts (1, so idx -1 again) */
	ck_assert_uint_eq(pick("valley", lr_seq, first, 4, &whole, &s), 3);
}
END_TEST

START_TEST(test_slide)
{
	static const double y[] = { 0, 0, 0, 0, 1, 3 };
	static const double curved[] = { 0, 1, 3, 6, 10 };
	struct lrk_suggest_options o = whole;
	struct lrk_suggestion s;

	fill_lr();
	/* g = 0 0 0 .5 1.5 2: the pairs (5,3) (4,2) (3,1) differ, (2,0) not */
	o.lr_diff = 2;
	o.thresh = 0.1;
	ck_assert_uint_eq(pick("slide", lr_seq, y, 6, &o, &s), 1);
	ck_assert(s.lr == 2);
	o.adjust = 0.5;
	pick("slide", lr_seq, y, 6, &o, &s);
	ck_assert(s.lr == 1);
	/* every pair differs: the answer is the first point */
	o.lr_diff = 1;
	o.adjust = 1;
	ck_assert_uint_eq(pick("slide", lr_seq, curved, 5, &o, &s), 0);
	/* too few: needs lr_diff + 1 */
	o.lr_diff = 5;
	refuse("slide", lr_seq, curved, 5, &o, "slide needs at least 6 points "
	    "(--lr-diff 5, plus one) and has 5", LRK_SUGGEST_NONE);
}
END_TEST

START_TEST(test_minimum)
{
	static const double y[] = { 3, 1, 2, 1 };
	struct lrk_suggestion s;

	fill_lr();
	/* the first of two equal minima */
	ck_assert_uint_eq(pick("minimum", lr_seq, y, 4, &whole, &s), 1);
	ck_assert(s.lr == 2.0 / 10 && s.loss == 1);
}
END_TEST

START_TEST(test_steep)
{
	static const double lr[] = { 1, 10, 11, 100 };
	static const double y[] = { 3, 2, 1.5, 0 };
	struct lrk_suggestion s;

	/* slopes in ln lr: -0.43, -5.2, -0.68: the step from 10 to 11 */
	ck_assert_uint_eq(pick("steep", lr, y, 4, &whole, &s), 1);
	ck_assert(s.lr == 10);
}
END_TEST

START_TEST(test_mingrad)
{
	static const double y[] = { 3, 2, 0, -0.5, -0.6 };
	struct lrk_suggestion s;

	fill_lr();
	/* g = -1 -1.5 -1.25 -0.3 -0.1 */
	ck_assert_uint_eq(pick("mingrad", lr_seq, y, 5, &whole, &s), 1);
}
END_TEST

/* The gradient of tests/golden/README, in its own form, at point i. */
static double
reference_gradient(const double *x, const double *y, size_t i)
{
	double hl = x[i] - x[i - 1], hr = x[i + 1] - x[i];

	return (hl * hl * y[i + 1] - hr * hr * y[i - 1] +
	    (hr * hr - hl * hl) * y[i]) / (hl * hr * (hl + hr));
}

START_TEST(test_lightning)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6 };
	static const double y[] = { 5, NAN, 4, 1, 0.9, 0.8 };
	double rx[50], ry[50], g, best;
	struct lrk_suggestion s;
	size_t i, want;
	int round;

	/* NaN dropped: x 1 3 4 5 6; g = -.5 -2.17 -1.55 -.1 -.1 */
	ck_assert_uint_eq(pick("lightning", x, y, 6, &whole, &s), 2);
	ck_assert(s.lr == 3 && s.loss == 4);

	/* random non-uniform spacing: the argmin of the reference formula */
	srand(7);
	for (round = 0; round < 200; round++) {
		rx[0] = 0.01;
		ry[0] = 3;
		for (i = 1; i < 50; i++) {
			rx[i] = rx[i - 1] * (1.05 + (double)rand() / RAND_MAX);
			ry[i] = ry[i - 1] + (double)rand() / RAND_MAX - 0.6;
		}
		want = 0;
		best = (ry[1] - ry[0]) / (rx[1] - rx[0]);
		for (i = 1; i < 49; i++)
			if ((g = reference_gradient(rx, ry, i)) < best) {
				best = g;
				want = i;
			}
		if ((ry[49] - ry[48]) / (rx[49] - rx[48]) < best)
			want = 49;
		ck_assert_uint_eq(pick("lightning", rx, ry, 50, &whole, &s),
		    want);
	}
}
END_TEST

START_TEST(test_range)
{
	static const double y[] = { 1, 5, 4, 6, 3, 2, 7 };
	static const double two[] = { 5, 9, 4, 3 };
	struct lrk_suggestion s;

	fill_lr();
	/* 5 4 3 2: from point 1 to point 5 */
	pick("range", lr_seq, y, 7, &whole, &s);
	ck_assert_uint_eq(s.index, 1);
	ck_assert_uint_eq(s.index2, 5);
	ck_assert(s.lr == 2 && s.lr2 == 6 && s.loss == 5 && s.loss2 == 2);
	/* 5 4 3 and 9 4 3: the later start */
	pick("range", lr_seq, two, 4, &whole, &s);
	ck_assert_uint_eq(s.index, 1);
	ck_assert_uint_eq(s.index2, 3);
}
END_TEST

START_TEST(test_halfway)
{
	static const double fall[] = { 5, 4, 3, 2, 1, 2, 3 };
	static const double bump[] = { 2, 6, 5, 4, 3, 1, 9 };
	static const double ties[] = { 4, 4, 2, 0, 0, 3 };
	static const double back_up[] = { 8, 7, 3, 6, 5, 0 };
	static const double steps[] = { 10, 10, 10, 9, 1, 1, 1, 0.5, 2 };
	struct lrk_suggestion s;

	fill_lr();
	/* top 5, bottom 1: the level is 3, reached (at or below) at 2 */
	ck_assert_uint_eq(pick("halfway", lr_seq, fall, 7, &whole, &s), 2);
	ck_assert(s.lr == 3 && s.loss == 3);
	/* the top is the highest point before the bottom, not the first */
	ck_assert_uint_eq(pick("halfway", lr_seq, bump, 7, &whole, &s), 4);
	ck_assert(s.lr == 5 && s.loss == 3);
	/* equal tops and bottoms: the first of each; level 2 */
	ck_assert_uint_eq(pick("halfway", lr_seq, ties, 6, &whole, &s), 2);
	/* the first crossing of level 4, though the loss rises again */
	ck_assert_uint_eq(pick("halfway", lr_seq, back_up, 6, &whole, &s), 2);
	/* a long flat start moves nothing: level 5.25 is crossed at 4 */
	ck_assert_uint_eq(pick("halfway", lr_seq, steps, 9, &whole, &s), 4);
	ck_assert(s.lr == 5 && s.loss == 1);
}
END_TEST

START_TEST(test_halfway_limits)
{
	static const double rising[] = { 1, 2, 3 };
	static const double flat[] = { 2, 2 };
	static const double y_inf[] = { 4, 3, INFINITY, 1 };
	static const double y_nan[] = { 5, 1, NAN, 0 };
	static const double huge[] = { 1.5e308, -1.5e308 };
	struct lrk_suggestion s;

	fill_lr();
	refuse("halfway", lr_seq, rising, 3, &whole, "halfway: the loss never "
	    "falls in the window (3 points)", LRK_SUGGEST_NONE);
	refuse("halfway", lr_seq, flat, 2, &whole, "never falls in the window "
	    "(2 points)", LRK_SUGGEST_NONE);
	refuse("halfway", lr_seq, flat, 1, &whole, "halfway needs at least 2 "
	    "points and has 1 (of 1, after skipping 0 at the start and 0 at "
	    "the end)", LRK_SUGGEST_NONE);
	refuse("halfway", lr_seq, y_inf, 4, &whole, "loss: inf: halfway needs "
	    "finite losses", 2);
	/* the window ends at the first NaN: top 5, bottom 1, level 3 */
	ck_assert_uint_eq(pick("halfway", lr_seq, y_nan, 4, &whole, &s), 1);
	/* the level of two huge losses does not overflow */
	ck_assert_uint_eq(pick("halfway", lr_seq, huge, 2, &whole, &s), 1);
}
END_TEST

START_TEST(test_plateau)
{
	static const double noisy_start[] = { 9, 5, 5.2, 4.9, 5.1, 5, 3, 1, 2 };
	static const double fall[] = { 5, 4, 3, 2, 1, 2, 3 };
	static const double steps[] = { 10, 10, 10, 9, 1, 1, 1, 0.5, 2 };
	static const double ties[] = { 3, 3, 1 };
	struct lrk_suggestion s;

	fill_lr();
	/*
	 * halfway takes the 9 at the start for the top: level 5, reached
	 * at once.  plateau: the median of 0..6 is 5, last reached at 5;
	 * of 0..5 it is (5 + 5.1) / 2, last reached at 4; of 0..4 it is
	 * 5.1, reached at 4 again: the plateau.  Level (5.1 + 1) / 2.
	 */
	ck_assert_uint_eq(pick("halfway", lr_seq, noisy_start, 9, &whole, &s),
	    1);
	ck_assert_uint_eq(pick("plateau", lr_seq, noisy_start, 9, &whole, &s),
	    6);
	ck_assert(s.lr == 7 && s.loss == 3);
	/* a curve that falls from its start has no plateau: halfway's answer */
	ck_assert_uint_eq(pick("plateau", lr_seq, fall, 7, &whole, &s), 2);
	ck_assert_uint_eq(pick("plateau", lr_seq, steps, 9, &whole, &s), 4);
	/* the plateau 3, the level 2 */
	ck_assert_uint_eq(pick("plateau", lr_seq, ties, 3, &whole, &s), 2);
}
END_TEST

START_TEST(test_plateau_limits)
{
	static const double rising[] = { 1, 2, 3 };
	static const double flat[] = { 2, 2 };
	static const double y_inf[] = { 4, 3, INFINITY, 1 };
	static const double huge[] = { 1.5e308, -1.5e308 };
	struct lrk_suggestion s;

	fill_lr();
	refuse("plateau", lr_seq, rising, 3, &whole, "plateau: the loss never "
	    "falls in the window (3 points)", LRK_SUGGEST_NONE);
	refuse("plateau", lr_seq, flat, 2, &whole, "never falls in the window "
	    "(2 points)", LRK_SUGGEST_NONE);
	refuse("plateau", lr_seq, flat, 1, &whole, "plateau needs at least 2 "
	    "points", LRK_SUGGEST_NONE);
	refuse("plateau", lr_seq, y_inf, 4, &whole, "loss: inf: plateau needs "
	    "finite losses", 2);
	/* the level of two huge losses does not overflow */
	ck_assert_uint_eq(pick("plateau", lr_seq, huge, 2, &whole, &s), 1);
}
END_TEST

/* pooled: halfway on the step-by-step mean of runs of one sweep. */
START_TEST(test_pooled)
{
	/* two noisy runs whose mean is 5 4 3 2 1 2 3 (halfway: 2) */
	static const double a[] = { 6, 3, 4, 1, 2, 1, 3, 99 };
	static const double b[] = { 4, 5, 2, 3, 0, 3, 3 };
	static const double *const lr[] = { lr_seq, lr_seq };
	static const double *const loss[] = { a, b };
	static const size_t n[] = { 8, 7 };
	static const double one_a[] = { 6, 3, 4, 1, 2, 1, 3 };
	struct lrk_suggestion s, h;
	double mlr[8], mloss[8];
	size_t mn, bad, i;
	char err[LRK_ERRSIZE] = "";

	fill_lr();
	ck_assert_int_eq(lrk_suggest_pool(lr, loss, n, 2, mlr, mloss, &mn,
	    &bad, err), 0);
	/* the steps both runs have: a's eighth point is left out */
	ck_assert_uint_eq(mn, 7);
	ck_assert_uint_eq(bad, LRK_SUGGEST_NONE);
	for (i = 0; i < mn; i++) {
		ck_assert(mlr[i] == lr_seq[i]);
		ck_assert(mloss[i] == (double)(i < 4 ? 5 - i : i - 3));
	}
	/* each run alone: halfway at 1 (a: top 6, bottom 1, level 3.5) */
	ck_assert_uint_eq(pick("halfway", lr_seq, a, 7, &whole, &h), 1);
	ck_assert_uint_eq(pick("pooled", mlr, mloss, mn, &whole, &s), 2);
	ck_assert(s.lr == 3 && s.loss == 3);
	/* on one curve it is halfway */
	ck_assert_uint_eq(pick("pooled", lr_seq, one_a, 7, &whole, &s),
	    h.index);
	ck_assert(s.lr == h.lr);
	/* one run: its own curve */
	ck_assert_int_eq(lrk_suggest_pool(lr, loss, n + 1, 1, mlr, mloss,
	    &mn, &bad, err), 0);
	ck_assert_uint_eq(mn, 7);
	ck_assert(mloss[3] == a[3] && mlr[3] == 4);
}
END_TEST

START_TEST(test_pooled_limits)
{
	static const double lr_b[] = { 1, 2, 3.5, 4 };
	static const double a[] = { 3, 2, 1, 0 };
	static const double b[] = { 3, 2, 1, INFINITY };
	static const double *const lr[] = { lr_seq, lr_b };
	static const double *const same[] = { lr_seq, lr_seq };
	static const double *const loss[] = { a, b };
	static const size_t n[] = { 4, 4 };
	static const size_t short_n[] = { 4, 1 };
	double mlr[4], mloss[4];
	size_t mn, bad;
	char err[LRK_ERRSIZE] = "";

	fill_lr();
	ck_assert_int_eq(lrk_suggest_pool(lr, loss, n, 0, mlr, mloss, &mn,
	    &bad, err), -1);
	ck_assert_str_eq(err, "pooled: no runs");
	ck_assert_uint_eq(bad, LRK_SUGGEST_NONE);
	/* the second run's third lr is not the first's */
	ck_assert_int_eq(lrk_suggest_pool(lr, loss, n, 2, mlr, mloss, &mn,
	    &bad, err), -1);
	ck_assert_str_eq(err, "lr: not the same as the first run's at step 2, "
	    "so the runs are not one sweep to pool");
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(mn, 2);
	/* an infinite loss makes the mean infinite: halfway refuses it */
	ck_assert_int_eq(lrk_suggest_pool(same, loss, n, 2, mlr, mloss, &mn,
	    &bad, err), 0);
	ck_assert(isinf(mloss[3]));
	refuse("pooled", mlr, mloss, mn, &whole, "loss: inf: pooled needs "
	    "finite losses", 3);
	/* a run of one point leaves one step: too few */
	ck_assert_int_eq(lrk_suggest_pool(same, loss, short_n, 2, mlr, mloss,
	    &mn, &bad, err), 0);
	ck_assert_uint_eq(mn, 1);
	refuse("pooled", mlr, mloss, mn, &whole, "pooled needs at least 2 "
	    "points and has 1", LRK_SUGGEST_NONE);
}
END_TEST

START_TEST(test_windows)
{
	double y[100];
	struct lrk_suggest_options o;
	struct lrk_suggestion s;
	size_t i;

	fill_lr();
	lrk_suggest_defaults(&o);
	for (i = 0; i < 100; i++)
		y[i] = (double)i;
	/* fastai: [n/10 : -5]; no valley, so its first point */
	ck_assert_uint_eq(pick("valley", lr_seq, y, 100, &o, &s), 10);
	/* minimum: the lowest in the window */
	o.skip_start = 3;
	ck_assert_uint_eq(pick("minimum", lr_seq, y, 100, &o, &s), 3);
	/* a NaN ends fastai's window; too few points left */
	y[4] = NAN;
	refuse("steep", lr_seq, y, 100, &o, "steep needs at least 2 points and "
	    "has 1 (of 100, after skipping 3 at the start and 5 at the end, "
	    "and 91 from the first NaN loss on)", LRK_SUGGEST_NONE);
	/* lightning: [10 : -1] by default */
	lrk_suggest_defaults(&o);
	for (i = 0; i < 100; i++)
		y[i] = -(double)i * (double)i;
	ck_assert_uint_eq(pick("lightning", lr_seq, y, 100, &o, &s), 98);
	ck_assert_uint_eq(pick("mingrad", lr_seq, y, 100, &o, &s), 94);
}
END_TEST

/* fastai's valley, its O(n^2) loop as written, for comparison. */
static long
fastai_valley(const double *loss, size_t n)
{
	size_t *lds, i, j, max_end = 0;
	long start, idx;
	int moved = 0;
	double sections;

	lds = calloc(n, sizeof(*lds));
	ck_assert_ptr_nonnull(lds);
	for (i = 0; i < n; i++)
		lds[i] = 1;
	start = 0;
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++) {
			if (loss[i] < loss[j] && lds[i] < lds[j] + 1)
				lds[i] = lds[j] + 1;
			if (lds[max_end] < lds[i]) {
				max_end = i;
				start = (long)max_end - (long)lds[max_end];
				moved = 1;
			}
		}
	if (!moved)
		start = 0;
	sections = (double)((long)max_end - start) / 3;
	idx = start + (long)sections + (long)(sections / 2);
	free(lds);
	return idx < 0 ? idx + (long)n : idx;
}

START_TEST(test_valley_against_fastai)
{
	double y[300];
	struct lrk_suggestion s;
	size_t n, i;
	int round;

	fill_lr();
	srand(1);
	for (round = 0; round < 2000; round++) {
		n = 1 + (size_t)rand() % 300;
		for (i = 0; i < n; i++)	/* few values: many ties */
			y[i] = (double)(rand() % (round % 2 ? 8 : 1000));
		ck_assert_uint_eq(pick("valley", lr_seq, y, n, &whole, &s),
		    (size_t)fastai_valley(y, n));
	}
}
END_TEST

/*
 * run[a][b]: the longest strictly decreasing run that starts at a and
 * ends at b (0 if none), by a plain dynamic programme from each a.
 */
static size_t run[80][80];

static void
runs(const double *y, size_t n)
{
	size_t a, i, k;

	memset(run, 0, sizeof(run));
	for (a = 0; a < n; a++) {
		run[a][a] = 1;
		for (i = a + 1; i < n; i++)
			for (k = a; k < i; k++)
				if (run[a][k] && y[k] > y[i] &&
				    run[a][k] + 1 > run[a][i])
					run[a][i] = run[a][k] + 1;
	}
}

START_TEST(test_range_against_definition)
{
	double y[80];
	struct lrk_suggestion s;
	char err[LRK_ERRSIZE];
	size_t n, i, j, length, end, base;
	int round;

	fill_lr();
	srand(2);
	for (round = 0; round < 500; round++) {
		n = 2 + (size_t)rand() % 78;
		for (i = 0; i < n; i++)
			y[i] = (double)(rand() % 12);
		runs(y, n);
		length = 0;
		end = 0;
		for (j = 0; j < n; j++)
			for (i = 0; i <= j; i++)
				if (run[i][j] > length) {
					length = run[i][j];
					end = j;
				}
		if (length < 2) {
			ck_assert_int_eq(lrk_suggest("range", lr_seq, y, n,
			    &whole, &s, err), -1);
			continue;
		}
		for (base = end; base-- > 0;)
			if (run[base][end] == length)
				break;
		pick("range", lr_seq, y, n, &whole, &s);
		ck_assert_uint_eq(s.index, base);
		ck_assert_uint_eq(s.index2, end);
	}
}
END_TEST

START_TEST(test_too_few)
{
	static const double one[] = { 1 };
	struct lrk_suggest_options o;
	const char *const *m;

	fill_lr();
	for (m = lrk_suggest_methods; *m != NULL; m++)
		refuse(*m, lr_seq, one, 0, &whole, "needs at least",
		    LRK_SUGGEST_NONE);
	refuse("steep", lr_seq, one, 1, &whole, "steep needs at least 2 "
	    "points and has 1 (of 1, after skipping 0 at the start and 0 at "
	    "the end)", LRK_SUGGEST_NONE);
	lrk_suggest_defaults(&o);
	o.skip_start = 1000000;
	refuse("valley", lr_seq, one, 1, &o, "has 0 (of 1, after skipping "
	    "1000000 at the start and 5 at the end)", LRK_SUGGEST_NONE);
	refuse("nosuch", lr_seq, one, 1, &whole, "unknown method \"nosuch\"",
	    LRK_SUGGEST_NONE);
	/* A curve of no points may have no arrays at all (lr-plot's group
	 * whose rows have an lr and no loss): refused, nothing read. */
	for (m = lrk_suggest_methods; *m != NULL; m++)
		refuse(*m, NULL, NULL, 0, &whole, "needs at least",
		    LRK_SUGGEST_NONE);
}
END_TEST

START_TEST(test_bad_values)
{
	static const double lr[] = { 1, 2, 0, 4 };
	static const double lr_nan[] = { 1, NAN, 3, 4 };
	static const double lr_same[] = { 1, 2, 2, 4 };
	static const double y[] = { 4, 3, 2, 1 };
	static const double y_inf[] = { 4, INFINITY, 2, 1 };
	static const double y_nonfinite[] = { NAN, INFINITY, -INFINITY, 1 };
	struct lrk_suggest_options o = whole;

	refuse("steep", lr, y, 4, &whole, "lr: 0: steep takes its log", 2);
	refuse("valley", lr_nan, y, 4, &whole, "lr: nan: not a finite", 1);
	refuse("steep", lr_same, y, 4, &whole, "steep's slope is undefined", 2);
	refuse("lightning", lr_same, y, 4, &whole, "slope is undefined", 2);
	refuse("mingrad", lr, y_inf, 4, &whole, "loss: inf: mingrad needs "
	    "finite losses", 1);
	o.lr_diff = 1;
	refuse("slide", lr, y_inf, 4, &o, "slide needs finite", 1);
	refuse("lightning", lr, y_nonfinite, 4, &whole, "lightning needs at "
	    "least 2 points and has 1 (of 4, after skipping 0 at the start "
	    "and 0 at the end, and 3 with a non-finite loss)",
	    LRK_SUGGEST_NONE);
}
END_TEST

START_TEST(test_large)
{
	struct lrk_suggest_options o;
	struct lrk_suggestion s;
	const char *const *m;
	double *lr, *y;
	size_t n = 1000000, i;

	lr = malloc(n * sizeof(*lr));
	y = malloc(n * sizeof(*y));
	ck_assert_ptr_nonnull(lr);
	ck_assert_ptr_nonnull(y);
	for (i = 0; i < n; i++) {
		lr[i] = 1e-7 * exp((double)i * 1.8e-5);
		y[i] = 10 - (double)i * 1e-5;	/* one long valley */
	}
	lrk_suggest_defaults(&o);
	for (m = lrk_suggest_methods; *m != NULL; m++)
		pick(*m, lr, y, n, &o, &s);
	/*
	 * valley: the window [100000, 999995) is one valley, L = 899995:
	 * start -1, idx = -1 + int(L/3) + int(L/6).
	 */
	ck_assert_uint_eq(pick("valley", lr, y, n, &o, &s),
	    100000 - 1 + 299998 + 149999);
	/*
	 * halfway: top 10 - 1, bottom 10 - 9.99994, level 4.50003, first
	 * reached at 549997.
	 */
	ck_assert_uint_eq(pick("halfway", lr, y, n, &o, &s), 549997);
	/* a fall from the start has no plateau: the same answer */
	ck_assert_uint_eq(pick("plateau", lr, y, n, &o, &s), 549997);
	free(lr);
	free(y);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("suggest");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(core, setup, NULL);
	tcase_add_checked_fixture(limits, setup, NULL);
	tcase_add_test(core, test_defaults);
	tcase_add_test(core, test_valley);
	tcase_add_test(core, test_valley_quirks);
	tcase_add_test(core, test_slide);
	tcase_add_test(core, test_minimum);
	tcase_add_test(core, test_steep);
	tcase_add_test(core, test_mingrad);
	tcase_add_test(core, test_lightning);
	tcase_add_test(core, test_range);
	tcase_add_test(core, test_halfway);
	tcase_add_test(core, test_plateau);
	tcase_add_test(core, test_pooled);
	tcase_add_test(core, test_windows);
	tcase_add_test(core, test_parse_methods);
	tcase_add_test(limits, test_valley_against_fastai);
	tcase_add_test(limits, test_range_against_definition);
	tcase_add_test(limits, test_halfway_limits);
	tcase_add_test(limits, test_plateau_limits);
	tcase_add_test(limits, test_pooled_limits);
	tcase_add_test(limits, test_too_few);
	tcase_add_test(limits, test_bad_values);
	tcase_add_test(limits, test_large);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
