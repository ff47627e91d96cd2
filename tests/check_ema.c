/* Unit tests of lib/ema.c: the worked values of tests/golden/README, 3. */
#include <check.h>
#include <math.h>

#include "extern.h"

static const double xs[] = { 3, 1, 4, 1, 5, 9, 2, 6 };

static void
near(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= 1e-9 * fabs(want) + 1e-300,
	    "got %.17g, want %.17g", got, want);
}

START_TEST(test_debias)
{
	static const double want[] = { 3, 1.75, 2.897959184, 2.025735294,
	    3.315752949, 5.700725027, 4.177802945, 4.919133269 };
	struct lrk_ema_options o = { .beta = 0.6 };
	struct lrk_ema e;
	size_t i;

	lrk_ema_init(&e);
	for (i = 0; i < 8; i++)
		near(lrk_ema_push(&e, &o, xs[i], 0), want[i]);
}
END_TEST

START_TEST(test_first)
{
	static const double want[] = { 3, 2.2, 2.92, 2.152, 3.2912, 5.57472,
	    4.144832, 4.8868992 };
	struct lrk_ema_options o = { .beta = 0.6, .start = LRK_EMA_FIRST };
	struct lrk_ema e;
	size_t i;

	lrk_ema_init(&e);
	for (i = 0; i < 8; i++)
		near(lrk_ema_push(&e, &o, xs[i], 0), want[i]);
}
END_TEST

START_TEST(test_zero)
{
	struct lrk_ema_options o = { .beta = 0.5, .start = LRK_EMA_ZERO };
	struct lrk_ema e;

	lrk_ema_init(&e);
	near(lrk_ema_push(&e, &o, 2, 0), 1);
	near(lrk_ema_push(&e, &o, 2, 0), 1.5);
}
END_TEST

START_TEST(test_skip)
{
	struct lrk_ema_options o = { .beta = 0.6 };
	struct lrk_ema e;

	lrk_ema_init(&e);
	ck_assert(isinf(lrk_ema_push(&e, &o, -INFINITY, 0)));
	near(lrk_ema_push(&e, &o, 1, 0), 1);
	ck_assert(isnan(lrk_ema_push(&e, &o, NAN, 0)));
	ck_assert(isinf(lrk_ema_push(&e, &o, INFINITY, 0)));
	near(lrk_ema_push(&e, &o, 0.5, 0), 0.6875);
}
END_TEST

START_TEST(test_hold)
{
	struct lrk_ema_options o = { .beta = 0.5, .nan = LRK_EMA_HOLD };
	struct lrk_ema e;

	lrk_ema_init(&e);
	ck_assert(isnan(lrk_ema_push(&e, &o, NAN, 0)));
	near(lrk_ema_push(&e, &o, 1, 0), 1);
	near(lrk_ema_push(&e, &o, 2, 0), 1.666666667);
	near(lrk_ema_push(&e, &o, 3, 0), 2.428571429);
	near(lrk_ema_push(&e, &o, NAN, 0), 2.428571429);
	near(lrk_ema_push(&e, &o, 5, 0), 4.217391304);
	o.ignore_na = 1;
	lrk_ema_init(&e);
	lrk_ema_push(&e, &o, 1, 0);
	lrk_ema_push(&e, &o, 2, 0);
	lrk_ema_push(&e, &o, 3, 0);
	lrk_ema_push(&e, &o, NAN, 0);
	near(lrk_ema_push(&e, &o, 5, 0), 3.8);
}
END_TEST

START_TEST(test_propagate)
{
	struct lrk_ema_options o = { .beta = 0.5, .nan = LRK_EMA_PROPAGATE };
	struct lrk_ema e;

	lrk_ema_init(&e);
	near(lrk_ema_push(&e, &o, 1, 0), 1);
	ck_assert(isnan(lrk_ema_push(&e, &o, NAN, 0)));
	ck_assert(isnan(lrk_ema_push(&e, &o, 1, 0)));
}
END_TEST

START_TEST(test_times)
{
	static const double t[] = { 0, 1, 3, 4 }, want[] = { 1, 1.666666667,
	    2.636363636, 3.444444444 };
	struct lrk_ema_options o = { .halflife = 1 };
	struct lrk_ema e;
	size_t i;

	lrk_ema_init(&e);
	for (i = 0; i < 4; i++)
		near(lrk_ema_push(&e, &o, (double)i + 1, t[i]), want[i]);
}
END_TEST

START_TEST(test_constant_is_exact)
{
	struct lrk_ema_options o = { .beta = 0.98 };
	struct lrk_ema e;
	int i;

	lrk_ema_init(&e);
	for (i = 0; i < 100000; i++)
		ck_assert(lrk_ema_push(&e, &o, 0.1, 0) == 0.1);
}
END_TEST

START_TEST(test_long_run_stable)
{
	struct lrk_ema_options o = { .beta = 0.999 };
	struct lrk_ema e;
	double s = 0;
	int i;

	lrk_ema_init(&e);
	for (i = 0; i < 1000000; i++)
		s = lrk_ema_push(&e, &o, i % 2 ? 1.0 : 3.0, 0);
	ck_assert(isfinite(s) && fabs(s - 2) < 0.01);
}
END_TEST

/* --stop-div: K times the lowest smoothed loss, while that is positive. */
START_TEST(test_diverge_ratio)
{
	struct lrk_diverge d;

	lrk_diverge_init(&d);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 1.0), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 0.5), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 2.0), 0);	/* = 4x */
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 2.0000001), 1);
	lrk_diverge_init(&d);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 3.0), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 12.5), 1);
}
END_TEST

/* A non-finite loss diverges whatever the best, even the first one. */
START_TEST(test_diverge_nonfinite)
{
	struct lrk_diverge d;

	lrk_diverge_init(&d);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 1, NAN), 1);
	lrk_diverge_init(&d);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, -1.0), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 1, INFINITY), 1);
}
END_TEST

/*
 * At a best of 0 or below the ratio says nothing: a loss that goes
 * negative (a log-likelihood), or starts there, is never stopped by it.
 */
START_TEST(test_diverge_not_positive)
{
	struct lrk_diverge d;

	lrk_diverge_init(&d);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 0.5), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, -0.25), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, -0.2), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 100), 0);
	lrk_diverge_init(&d);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 0), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 1e300), 0);
	lrk_diverge_init(&d);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, -3), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, -1), 0);
	ck_assert_int_eq(lrk_diverge_push(&d, 4, 0, 5), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ema");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_debias);
	tcase_add_test(core, test_first);
	tcase_add_test(core, test_zero);
	tcase_add_test(core, test_skip);
	tcase_add_test(core, test_hold);
	tcase_add_test(core, test_propagate);
	tcase_add_test(core, test_times);
	tcase_add_test(core, test_diverge_ratio);
	tcase_add_test(core, test_diverge_nonfinite);
	tcase_add_test(limits, test_diverge_not_positive);
	tcase_add_test(limits, test_constant_is_exact);
	tcase_add_test(limits, test_long_run_stable);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
