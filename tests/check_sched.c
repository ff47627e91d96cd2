/*
 * Unit tests of lib/sched.c: the worked values of tests/golden/README
 * (sections 1 and 2), the spec parser, random access against in-order
 * access, and the limits.
 * The full torch goldens are checked end to end (tests/e2e/lrsched.sh).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

static void
near(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= 1e-9 * fabs(want) + 1e-300,
	    "got %.17g, want %.17g", got, want);
}

static struct lrk_sched *
must_parse(const char *spec)
{
	char err[LRK_ERRSIZE];
	struct lrk_sched *s;

	s = lrk_sched_parse_string(spec, err);
	ck_assert_msg(s != NULL, "%s: %s", spec, err);
	return s;
}

/* The spec is refused with exactly this message. */
static void
refused(const char *spec, const char *want)
{
	char err[LRK_ERRSIZE];
	struct lrk_sched *s;

	s = lrk_sched_parse_string(spec, err);
	ck_assert_msg(s == NULL, "%s: accepted", spec);
	ck_assert_str_eq(err, want);
}

static void
check_values(const char *spec, const double *want, size_t n)
{
	struct lrk_sched *s = must_parse(spec);
	size_t k;

	ck_assert_uint_eq(lrk_sched_steps(s), n);
	for (k = 0; k < n; k++)
		near(lrk_sched_lr(s, k), want[k]);
	lrk_sched_free(s);
}

START_TEST(test_range_conventions)
{
	struct lrk_sched *s;

	s = must_parse("range start=1e-7 end=10 n=100");
	near(lrk_sched_lr(s, 1), 1.2045035402587822e-07);
	near(lrk_sched_lr(s, 99), 10);
	lrk_sched_free(s);
	s = must_parse("range start=1e-7 end=10 n=100 convention=fastai");
	near(lrk_sched_lr(s, 1), 1.2022644346174132e-07);
	near(lrk_sched_lr(s, 99), 8.317637711026709);
	lrk_sched_free(s);
	s = must_parse("range start=1e-8 end=1 n=100 convention=lightning");
	near(lrk_sched_lr(s, 0), 1e-8);
	near(lrk_sched_lr(s, 1), 1.4454397707459274e-08);
	near(lrk_sched_lr(s, 99), 1);
	lrk_sched_free(s);
	s = must_parse("range start=1 end=2 n=5 spacing=linear");
	near(lrk_sched_lr(s, 2), 1.5);
	lrk_sched_free(s);
}
END_TEST

START_TEST(test_onecycle)
{
	static const double cos_lr[] = { .04, .52, 1, .950484632,
	    .8117456539, .6112620219, .3887419781, .1882583461,
	    .04951936799, 4e-06 };
	static const double three[] = { .04, .52, 1, .52, .04, .03618072185,
	    .02618172185, .01382227815, .003823278146, 4e-06 };
	struct lrk_sched *s;

	check_values("onecycle max=1 n=10", cos_lr, 10);
	check_values("onecycle max=1 n=10 three-phase=1", three, 10);
	s = must_parse("onecycle max=1 n=10");
	ck_assert(lrk_sched_has_momentum(s));
	near(lrk_sched_momentum(s, 0), .95);
	near(lrk_sched_momentum(s, 1), .9);
	near(lrk_sched_momentum(s, 2), .85);
	near(lrk_sched_momentum(s, 3), .8549515566);
	near(lrk_sched_momentum(s, 9), .95);
	lrk_sched_free(s);
	s = must_parse("onecycle max=1 n=10 anneal=linear");
	near(lrk_sched_lr(s, 3), .8571434286);
	near(lrk_sched_lr(s, 4), .7142868571);
	lrk_sched_free(s);
}
END_TEST

START_TEST(test_cyclic)
{
	static const double tri[] = { .1, .325, .55, .775, 1, .775, .55, .325,
	    .1 };
	static const double expr[] = { .1, .3025, .4645, .592075, .69049 };
	struct lrk_sched *s;

	check_values("cyclic base=.1 max=1 up=4 n=9", tri, 9);
	check_values("cyclic base=.1 max=1 up=4 mode=exp_range gamma=.9 n=5",
	    expr, 5);
	s = must_parse("cyclic base=.1 max=1 up=4 mode=triangular2 n=16");
	near(lrk_sched_lr(s, 12), .55);
	near(lrk_sched_momentum(s, 4), .8);
	near(lrk_sched_momentum(s, 12), .85);
	lrk_sched_free(s);
}
END_TEST

START_TEST(test_cosine)
{
	static const double restarts[] = { 1, .8681980515, .55, .2318019485,
	    1, .9657457896, .8681980515, .7222075446, .55, .3777924554,
	    .2318019485, .1342542104, 1 };
	struct lrk_sched *s;

	s = must_parse("cosine base=1 T=10 min=.1 n=20");
	near(lrk_sched_lr(s, 10), .1);
	near(lrk_sched_lr(s, 11), .1220245677);
	lrk_sched_free(s);
	check_values("cosine-restarts base=1 T0=4 Tmult=2 min=.1 n=13",
	    restarts, 13);
}
END_TEST

START_TEST(test_chainable)
{
	static const double step[] = { 1, 1, .5, .5, .25 };
	static const double multi[] = { 1, 1, .01, .01, .001 };
	static const double lin[] = { .25, .375, .5, .625, .75, .75 };
	static const double cst[] = { .5, .5, 1, 1 };
	static const double poly[] = { 1, .25, 0, 0 };

	check_values("step base=1 size=2 gamma=.5 n=5", step, 5);
	check_values("multistep base=1 milestones=2,4,2 n=5", multi, 5);
	check_values("linear base=1 start-factor=.25 end-factor=.75 T=4 n=6",
	    lin, 6);
	check_values("constant base=1 factor=.5 T=2 n=4", cst, 4);
	check_values("poly base=1 T=2 power=2 n=4", poly, 4);
}
END_TEST

START_TEST(test_then)
{
	static const double want[] = { .1, .4, .7, 1, .9045084972,
	    .6545084972, .3454915028, .09549150281, 0, .09549150281 };
	char *words[] = { "linear", "base=1", "start-factor=0.1", "T=3", "n=3",
	    "then", "cosine", "base=1", "T=5", "n=7" };
	char err[LRK_ERRSIZE];
	struct lrk_sched *s;
	size_t k;

	check_values("linear base=1 start-factor=0.1 T=3 n=3 then "
	    "cosine base=1 T=5 n=7", want, 10);
	s = lrk_sched_parse(10, words, err);
	ck_assert_ptr_nonnull(s);
	for (k = 0; k < 10; k++)
		near(lrk_sched_lr(s, k), want[k]);
	ck_assert(!lrk_sched_has_momentum(s));
	ck_assert_str_eq(lrk_sched_no_momentum(s), "linear");
	/* lrsched(1) -m: "Every schedule of a chain must have one." */
	ck_assert_int_eq(lrk_sched_check_momentum(s, err), -1);
	ck_assert_str_eq(err, "linear has no momentum (onecycle, cyclic and "
	    "fastai-onecycle have)");
	lrk_sched_free(s);
	s = lrk_sched_parse_string("onecycle max=1 n=3 then cyclic base=1 "
	    "max=2 up=2 n=4", err);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lrk_sched_check_momentum(s, err), 0);
	lrk_sched_free(s);
}
END_TEST

/* Cosine and fastai keep a cache; out-of-order calls must not see it. */
START_TEST(test_random_access)
{
	static const char *specs[] = {
		"cosine base=1 T=7 min=.1 n=1000",
		"fastai-onecycle max=1 n=1000",
		"exp base=1 gamma=.99 n=500 then cosine base=1 T=9 n=500",
	};
	struct lrk_sched *s;
	double *seq;
	size_t i, j, k;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		s = must_parse(specs[i]);
		seq = malloc(1000 * sizeof(*seq));
		ck_assert_ptr_nonnull(seq);
		for (k = 0; k < 1000; k++)
			seq[k] = lrk_sched_lr(s, k);
		for (j = 0; j < 1000; j++) {
			k = (j * 7919) % 1000;
			ck_assert_msg(lrk_sched_lr(s, k) == seq[k],
			    "%s: step %zu", specs[i], k);
		}
		free(seq);
		lrk_sched_free(s);
	}
}
END_TEST

START_TEST(test_epochs)
{
	char err[LRK_ERRSIZE];
	struct lrk_sched *s;

	s = must_parse("onecycle max=1");
	ck_assert_uint_eq(lrk_sched_steps(s), 0);
	ck_assert_int_eq(lrk_sched_ready(s, err), -1);
	ck_assert_str_eq(err,
	    "onecycle: missing n= (or give epochs and steps per epoch)");
	ck_assert_int_eq(lrk_sched_set_epochs(s, 2, 5, err), 0);
	ck_assert_int_eq(lrk_sched_ready(s, err), 0);
	ck_assert_uint_eq(lrk_sched_steps(s), 10);
	near(lrk_sched_lr(s, 2), 1);
	lrk_sched_free(s);

	s = must_parse("linear base=1 n=3 then exp base=1 gamma=.5");
	ck_assert_int_eq(lrk_sched_set_epochs(s, 3, 3, err), 0);
	ck_assert_uint_eq(lrk_sched_steps(s), 9);
	near(lrk_sched_lr(s, 3), 1);
	near(lrk_sched_lr(s, 8), 1.0 / 32);
	lrk_sched_free(s);

	s = must_parse("exp base=1 gamma=.5 n=4");
	ck_assert_int_eq(lrk_sched_set_epochs(s, 3, 3, err), -1);
	ck_assert_str_eq(err, "every schedule has n= already");
	lrk_sched_free(s);
}
END_TEST

START_TEST(test_errors)
{
	refused("", "no schedule given");
	refused("wobble n=3", "unknown policy \"wobble\"");
	refused("cosine base=1 T=3 n=3 foo=1",
	    "cosine: unknown key \"foo\"");
	refused("range start=1 end=2 n=1", "range: n: 1: must be at least 2");
	refused("range start=0 end=2 n=3",
	    "range: start: must be greater than 0 with spacing=exp");
	refused("cosine-restarts base=1 T0=1.5 n=3",
	    "cosine-restarts: T0: \"1.5\" is not a whole number");
	refused("cosine-restarts base=1 T0=2 Tmult=0 n=3",
	    "cosine-restarts: Tmult: 0: must be a positive whole number");
	refused("exp base=1 gamma=x n=3", "exp: gamma: \"x\" is not a number");
	refused("exp base=1 gamma=.5 n=3 then",
	    "\"then\" with no schedule after it");
	refused("onecycle n=10", "onecycle: missing max=");
}
END_TEST

START_TEST(test_limits)
{
	struct lrk_sched *s;
	char err[LRK_ERRSIZE];

	lrk_sched_free(NULL);
	s = must_parse("exp base=1 gamma=.5 n=3");
	ck_assert(isnan(lrk_sched_lr(s, 3)));
	ck_assert(isnan(lrk_sched_lr(s, (size_t)-1)));
	ck_assert(isnan(lrk_sched_momentum(s, 0)));
	ck_assert(!lrk_sched_has_momentum(s));
	lrk_sched_free(s);

	/* The longest schedule (2^53 steps), evaluated far out in O(1). */
	s = must_parse("onecycle max=1 n=9007199254740992");
	ck_assert_uint_eq(lrk_sched_steps(s), 9007199254740992ULL);
	ck_assert(isfinite(lrk_sched_lr(s, 9007199254740991ULL)));
	lrk_sched_free(s);
	refused("onecycle max=1 n=9007199254740993",
	    "onecycle: n: 9007199254740993: must be at most 9007199254740992");
	refused("exp base=1 gamma=.5 n=-1",
	    "exp: n: \"-1\" is not a whole number");
	refused("exp base=1e999 gamma=.5 n=3",
	    "exp: base: \"1e999\" is not a number");
	refused("exp base=nan gamma=.5 n=3",
	    "exp: base: \"nan\" is not a number");

	/* The user's words in a message: control bytes and bytes that are
	 * not UTF-8 as \xNN, cut after LRK_SHOW_BYTES. */
	refused("\033[2Jexp base=1 n=3", "unknown policy \"\\x1b[2Jexp\"");
	refused("exp base=1 gamma=\033]0;x\007 n=3",
	    "exp: gamma: \"\\x1b]0;x\\x07\" is not a number");
	refused("exp b\377se=1 gamma=.5 n=3",
	    "exp: unknown key \"b\\xffse\"");
	refused("cosine base=1 T=3 n=3 mode=\303\251\001",
	    "cosine: unknown key \"mode\"");
	refused("exp base=1 gamma=.5 n=0000000000000000000000000000000000000000"
	    "0000000000000000000000000000x",
	    "exp: n: \"00000000000000000000000000000000000000000000000000"
	    "00000000000000...\" is not a whole number");
	{
		char *const words[] = { "exp", "base=1", "a\tb\nc", "n=3" };

		ck_assert_ptr_null(lrk_sched_parse(4, words, err));
		ck_assert_str_eq(err, "exp: \"a\\x09b\\x0ac\": expected "
		    "key=value");
	}

	/* SGDR with a huge Tmult: no overflow, the first cycle spans it all. */
	s = must_parse("cosine-restarts base=1 T0=2 Tmult=9007199254740992 "
	    "n=100");
	near(lrk_sched_lr(s, 2), 1);
	near(lrk_sched_lr(s, 99), 1);
	lrk_sched_free(s);

	/* A long blank-separated spec with many chained schedules. */
	{
		size_t i, len = 0, cap = 200 * 40;
		char *spec = malloc(cap);

		ck_assert_ptr_nonnull(spec);
		spec[0] = '\0';
		for (i = 0; i < 200; i++)
			len += (size_t)snprintf(spec + len, cap - len,
			    "%sexp base=1 gamma=.5 n=2", i ? " then " : "");
		s = lrk_sched_parse_string(spec, err);
		ck_assert_msg(s != NULL, "%s", err);
		ck_assert_uint_eq(lrk_sched_steps(s), 400);
		near(lrk_sched_lr(s, 399), .5);
		near(lrk_sched_lr(s, 200), 1);
		lrk_sched_free(s);
		free(spec);
	}

	ck_assert_int_eq(lrk_sched_set_epochs(s = must_parse("exp base=1 "
	    "gamma=.5"), 1L << 40, 1L << 40, err), -1);
	ck_assert_str_eq(err, "epochs times steps per epoch is too large");
	lrk_sched_free(s);
}
END_TEST

/*
 * lr-confirm(1), --fraction: "the schedule's words with every step count
 * times the fraction": n, T and the other counts, milestones each.
 */
START_TEST(test_scale)
{
	char err[LRK_ERRSIZE], *s;

	s = lrk_sched_scale("onecycle max={max} n=500", 0.25, err);
	ck_assert_str_eq(s, "onecycle max={max} n=125");
	free(s);
	s = lrk_sched_scale("linear base=0.1 T=10 n=40 then cosine base=0.1 "
	    "T-max=60 n=61  step base=1 size=7 n=3", 0.5, err);
	ck_assert_str_eq(s, "linear base=0.1 T=5 n=20 then cosine base=0.1 "
	    "T-max=30 n=31  step base=1 size=4 n=2");
	free(s);
	s = lrk_sched_scale("multistep base=1 milestones=10,30,50 n=100", 0.1,
	    err);
	ck_assert_str_eq(s, "multistep base=1 milestones=1,3,5 n=10");
	free(s);
	/* Never below a step (n: two). */
	s = lrk_sched_scale("onecycle max=1 n=3 pct=0.3", 0.01, err);
	ck_assert_str_eq(s, "onecycle max=1 n=2 pct=0.3");
	free(s);
	/* What is not a count stays as it is, for the parser to judge. */
	s = lrk_sched_scale("onecycle max=1 n=x", 0.5, err);
	ck_assert_str_eq(s, "onecycle max=1 n=x");
	free(s);
	/* torch's spellings, as lrsched takes them. */
	s = lrk_sched_scale("onecycle max=1 total_steps=10", 0.5, err);
	ck_assert_str_eq(s, "onecycle max=1 total_steps=5");
	free(s);
	s = lrk_sched_scale("onecycle max=1 n=8", 1, err);
	ck_assert_str_eq(s, "onecycle max=1 n=8");
	free(s);
	ck_assert_ptr_null(lrk_sched_scale("onecycle n=8", 0, err));
	ck_assert_ptr_null(lrk_sched_scale("onecycle n=8", 1.5, err));
}
END_TEST

static Suite *
sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");

	tcase_add_test(core, test_scale);
	tcase_add_test(core, test_range_conventions);
	tcase_add_test(core, test_onecycle);
	tcase_add_test(core, test_cyclic);
	tcase_add_test(core, test_cosine);
	tcase_add_test(core, test_chainable);
	tcase_add_test(core, test_then);
	tcase_add_test(core, test_random_access);
	tcase_add_test(core, test_epochs);
	suite_add_tcase(s, core);
	tcase_add_test(limits, test_errors);
	tcase_add_test(limits, test_limits);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sched_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
