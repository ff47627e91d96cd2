/* Unit tests of lib/rank.c. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrkit.h"

/* The median sorts in place; an even count takes the mean of the middle. */
START_TEST(test_median)
{
	double odd[] = { 3, 1, 2 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };

	ck_assert(lrk_rank_median(odd, 3) == 2);
	ck_assert(odd[0] == 1 && odd[1] == 2 && odd[2] == 3);
	ck_assert(lrk_rank_median(even, 4) == 2.5);
	ck_assert(lrk_rank_median(one, 1) == 7);
	ck_assert(isnan(lrk_rank_median(NULL, 0)));
}
END_TEST

/* Unfinished runs (not done, or no finite metric) are left out. */
START_TEST(test_summarize)
{
	struct lrk_rank_entry e;
	double m[] = { 0.5, 0.1, NAN, 0.3, INFINITY };
	int fin[] = { 1, 0, 1, 1, 1 };

	ck_assert_int_eq(lrk_rank_summarize(&e, m, fin, 5), 0);
	ck_assert_uint_eq(e.runs, 5);
	ck_assert_uint_eq(e.unfinished, 3);
	ck_assert(e.median == 0.4);
	/* The diverged run's lower loss did not count: */
	ck_assert(m[1] == 0.1);
	ck_assert_int_eq(lrk_rank_summarize(&e, m, fin, 0), 0);
	ck_assert(isnan(e.median));
	fin[0] = fin[3] = 0;
	ck_assert_int_eq(lrk_rank_summarize(&e, m, fin, 5), 0);
	ck_assert_uint_eq(e.unfinished, 5);
	ck_assert(isnan(e.median));
}
END_TEST

static struct lrk_rank_entry
entry(double lr, size_t round, size_t unfinished, double median)
{
	struct lrk_rank_entry e;

	memset(&e, 0, sizeof(e));
	e.lr = lr;
	e.round = round;
	e.runs = 3;
	e.unfinished = unfinished;
	e.median = median;
	return e;
}

/* Candidates: rounded to three digits, in lr order; clashes are errors. */
START_TEST(test_candidates)
{
	double f[] = { 2, 0.5, 1, 1.189 }, factor[4], lr[4];
	double same[] = { 1, 1.001 }, zero[] = { 0 };
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(lrk_rank_candidates(f, 4, 0.04, factor, lr, err), 0);
	ck_assert(lr[0] == 0.02 && factor[0] == 0.5);
	ck_assert(lr[1] == 0.04 && factor[1] == 1);
	ck_assert(lr[2] == 0.0476 && factor[2] == 1.189);
	ck_assert(lr[3] == 0.08 && factor[3] == 2);
	ck_assert_int_eq(lrk_rank_candidates(same, 2, 0.04, factor, lr, err),
	    -1);
	ck_assert_str_eq(err, "-c: the factors 1 and 1.001 give the same lr, "
	    "0.04");
	ck_assert_int_eq(lrk_rank_candidates(zero, 1, 0.04, factor, lr, err),
	    -1);
	ck_assert_str_eq(err, "the candidate 0 x 0.04 is not a positive "
	    "finite lr");
}
END_TEST

/*
 * A candidate's runs: its standing (a run counts when done), and the
 * runs and why columns of the ranked table.
 */
START_TEST(test_runs_text)
{
	struct lrk_rank_run runs[5];
	struct lrk_rank_entry e;
	struct lrk_buf b = { 0 };
	char why[] = "run 3: timed out after 2 s";
	size_t i;

	memset(runs, 0, sizeof(runs));
	for (i = 0; i < 5; i++) {
		runs[i].seed = i + 1;
		runs[i].has_file = 1;
	}
	runs[0].status = LRK_RUN_DONE;
	runs[0].result.final = 0.0512;
	runs[1].status = LRK_RUN_DIVERGED;
	runs[1].result.final = NAN;
	runs[2].status = LRK_RUN_TIMEOUT;
	runs[2].has_file = 0;
	runs[2].why = why;
	runs[3].status = LRK_RUN_FAILED;
	runs[3].has_file = 0;
	runs[3].signal = 9;
	runs[4].status = LRK_RUN_DONE;
	runs[4].result.final = 0.25;

	ck_assert_int_eq(lrk_rank_summarize_runs(&e, runs, 5), 0);
	ck_assert_uint_eq(e.runs, 5);
	ck_assert_uint_eq(e.unfinished, 3);
	ck_assert(fabs(e.median - (0.0512 + 0.25) / 2) < 1e-15);

	ck_assert_int_eq(lrk_rank_runs_text(&b, runs, 5), 0);
	ck_assert_str_eq(b.data, "1:done:0.0512 2:diverged:nan 3:timeout "
	    "4:failed 5:done:0.25");
	lrk_buf_free(&b);
	ck_assert_int_eq(lrk_rank_why_text(&b, runs, 5), 0);
	ck_assert_str_eq(b.data, "seed 3: run 3: timed out after 2 s; "
	    "seed 4: signal 9");
	lrk_buf_free(&b);
	runs[3].signal = 0;
	runs[3].exitval = 2;
	ck_assert_int_eq(lrk_rank_why_text(&b, runs + 3, 1), 0);
	ck_assert_str_eq(b.data, "seed 4: exit status 2");
	lrk_buf_free(&b);
	ck_assert_int_eq(lrk_rank_why_text(&b, runs, 2), 0);
	ck_assert_uint_eq(b.len, 0);		/* none failed */
	lrk_buf_free(&b);
}
END_TEST

/*
 * Later round first, then fewer unfinished runs, then the better median
 * (none last), then the smaller lr.
 */
START_TEST(test_order)
{
	struct lrk_rank_entry e[] = {
		entry(0.1, 1, 0, 0.01),		/* dropped after round 1 */
		entry(0.2, 2, 1, 0.02),		/* one seed diverged */
		entry(0.3, 2, 0, 0.05),
		entry(0.4, 2, 0, 0.04),
		entry(0.5, 2, 3, NAN),		/* all diverged */
		entry(0.25, 2, 0, 0.05),	/* ties 0.3: smaller lr first */
		entry(0.6, 2, 1, NAN),
	};
	static const double want[] = { 0.4, 0.25, 0.3, 0.2, 0.6, 0.5, 0.1 };
	static const double want_high[] = { 0.25, 0.3, 0.4, 0.2, 0.6, 0.5,
	    0.1 };
	size_t i, n = sizeof(e) / sizeof(e[0]);

	lrk_rank_sort(e, n, 0);
	for (i = 0; i < n; i++)
		ck_assert_msg(e[i].lr == want[i], "%zu: %g, want %g", i,
		    e[i].lr, want[i]);
	lrk_rank_sort(e, n, 1);
	for (i = 0; i < n; i++)
		ck_assert_msg(e[i].lr == want_high[i], "%zu: %g, want %g", i,
		    e[i].lr, want_high[i]);
	ck_assert_int_eq(lrk_rank_compare(&e[0], &e[0], 0), 0);
}
END_TEST

static void
check_rounds(size_t n, size_t k, const size_t *want, size_t nwant,
    size_t trainings)
{
	struct lrk_rank_round r[16];
	size_t i, got;

	got = lrk_rank_rounds(n, k, r, 16);
	ck_assert_msg(got == nwant, "%zu candidates, %zu seeds: %zu rounds, "
	    "want %zu", n, k, got, nwant);
	for (i = 0; i < got; i++) {
		ck_assert_msg(r[i].candidates == want[2 * i] &&
		    r[i].seeds == want[2 * i + 1], "%zu candidates, %zu seeds: "
		    "round %zu is %zu x %zu, want %zu x %zu", n, k, i + 1,
		    r[i].candidates, r[i].seeds, want[2 * i], want[2 * i + 1]);
	}
	ck_assert_uint_eq(lrk_rank_trainings(r, got), trainings);
}

/* A third kept each round, seeds tripled up to k. */
START_TEST(test_rounds)
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

	check_rounds(9, 3, d9, 2, 15);
	check_rounds(9, 5, d9k5, 2, 21);
	check_rounds(27, 9, d27k9, 3, 27 + 18 + 18);
	check_rounds(27, 3, d27k3, 2, 27 + 18);
	check_rounds(5, 3, d5, 2, 9);
	check_rounds(3, 3, d3, 1, 9);
	check_rounds(1, 3, d1, 1, 3);
	check_rounds(9, 1, d9k1, 1, 9);
	check_rounds(100, 10, d100k10, 4, 100 + 68 + 72 + 4);
	ck_assert_uint_eq(lrk_rank_rounds(0, 3, NULL, 0), 0);
	ck_assert_uint_eq(lrk_rank_rounds(9, 0, NULL, 0), 0);
	/* The count comes back even when max is too small. */
	ck_assert_uint_eq(lrk_rank_rounds(27, 9, NULL, 0), 3);
}
END_TEST

static int
read_run(const char *text, const char *metric, struct lrk_run_result *out,
    char *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct lrk_table *t = lrk_table_new(fp, "run-0.csv", NULL);
	int r;

	ck_assert_ptr_nonnull(t);
	r = lrk_rank_read_run(t, "run-0.csv", metric, out, err);
	lrk_table_free(t);
	fclose(fp);
	return r;
}

/*
 * The final metric is the last value that is not missing; val_loss by
 * default when there is one; the evaluation row after the schedule has
 * no step and is no step.
 */
START_TEST(test_read_run)
{
	struct lrk_run_result r;
	char err[LRK_ERRSIZE];
	static const char *const tidy =
	    "run,max,seed,step,lr,loss,val_loss,acc\n"
	    "0,0.1,1,0,0.01,2.3,,\n"
	    "0,0.1,1,1,0.1,1.5,0.9,0.5\n"
	    "0,0.1,1,2,0.01,1.2,,\n"
	    "0,0.1,1,,,,0.25,0.93\n";

	ck_assert_int_eq(read_run(tidy, NULL, &r, err), 0);
	ck_assert(r.final == 0.25);
	ck_assert_str_eq(r.column, "val_loss");
	ck_assert_uint_eq(r.steps, 3);
	ck_assert_uint_eq(r.rows, 4);
	ck_assert_int_eq(read_run(tidy, "loss", &r, err), 0);
	ck_assert(r.final == 1.2);
	ck_assert_int_eq(read_run(tidy, "ACC", &r, err), 0);
	ck_assert(r.final == 0.93);
	ck_assert_str_eq(r.column, "acc");
	ck_assert_int_eq(read_run(tidy, "6", &r, err), 0);
	ck_assert(r.final == 1.2);
	/* Without val_loss, loss. */
	ck_assert_int_eq(read_run("run,step,lr,loss\n0,0,1,3\n0,1,1,2\n",
	    NULL, &r, err), 0);
	ck_assert(r.final == 2);
	ck_assert_str_eq(r.column, "loss");
	ck_assert_uint_eq(r.steps, 2);
	/* A nan the child printed is the final value, not a missing one. */
	ck_assert_int_eq(read_run("run,step,lr,loss\n0,0,1,3\n0,1,1,nan\n",
	    NULL, &r, err), 0);
	ck_assert(isnan(r.final));
	/* Every cell missing: no final value. */
	ck_assert_int_eq(read_run("run,step,lr,loss,val_loss\n0,0,1,3,\n",
	    NULL, &r, err), 0);
	ck_assert(isnan(r.final));
}
END_TEST

START_TEST(test_read_run_errors)
{
	struct lrk_run_result r;
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(read_run("run,step,lr,loss\n0,0,1,3\n", "acc", &r,
	    err), -1);
	ck_assert_msg(strstr(err, "run-0.csv: no metric column \"acc\"") ==
	    err, "%s", err);
	ck_assert_int_eq(read_run("run,step,lr,los\n0,0,1,3\n", NULL, &r,
	    err), -1);
	ck_assert_msg(strstr(err, "run-0.csv: no metric column \"loss\"") ==
	    err, "%s", err);
	ck_assert_int_eq(read_run("run,step,lr,loss\n0,0,1,3\n0,1,1,x\n",
	    NULL, &r, err), -1);
	ck_assert_str_eq(err, "run-0.csv:3: loss: \"x\" is not a number");
	/* Two val_loss columns: ambiguous, not a quiet fall back to loss. */
	ck_assert_int_eq(read_run("step,loss,val_loss,val_loss\n0,1,2,3\n",
	    NULL, &r, err), -1);
	ck_assert_msg(strstr(err, "ambiguous") != NULL, "%s", err);
	ck_assert_int_eq(read_run("", NULL, &r, err), -1);
	ck_assert_str_eq(err, "run-0.csv: no rows");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rank");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_median);
	tcase_add_test(core, test_summarize);
	tcase_add_test(core, test_runs_text);
	tcase_add_test(core, test_candidates);
	tcase_add_test(core, test_order);
	tcase_add_test(core, test_rounds);
	tcase_add_test(core, test_read_run);
	tcase_add_test(limits, test_read_run_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
