/* Unit tests of lib/rank.c. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

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
entry(double lr, size_t round, size_t runs, size_t unfinished,
    double median)
{
	struct lrk_rank_entry e;

	memset(&e, 0, sizeof(e));
	e.lr = lr;
	e.round = round;
	e.runs = runs;
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
 * lr-confirm(1): "A learning rate that diverges on one seed in three is
 * not one to recommend: a candidate with a run that diverged, failed or
 * timed out, or that has no finite final metric, ranks after every clean
 * candidate, whatever round it reached.  The clean candidates rank by, in
 * this order: the more seeds trained (a later round reached); the better
 * median of their final metrics (the lower, or the higher with --higher
 * ...); the smaller lr, the more cautious of two equal choices.  The
 * others follow, ranked by: the fewer runs that were not clean; the more
 * seeds trained; the better median of their clean runs (none last); the
 * smaller lr."
 */
START_TEST(test_order)
{
	struct lrk_rank_entry e[] = {
		entry(0.1, 1, 1, 0, 0.01),	/* clean, one seed */
		entry(0.2, 2, 3, 1, 0.02),	/* one seed of three diverged */
		entry(0.3, 2, 3, 0, 0.05),
		entry(0.4, 2, 3, 0, 0.04),
		entry(0.5, 2, 3, 3, NAN),	/* all diverged */
		entry(0.25, 2, 3, 0, 0.05),	/* ties 0.3: smaller lr first */
		entry(0.6, 2, 3, 1, NAN),
		entry(0.7, 1, 1, 1, NAN),	/* one bad run of one */
		entry(0.05, 2, 3, 2, 0.01),	/* two bad runs of three */
		entry(0.15, 1, 1, 0, 0.03),
		entry(0.9, 0, 0, 0, NAN),	/* no runs */
	};
	static const double want[] = { 0.4, 0.25, 0.3, 0.1, 0.15, 0.2, 0.6,
	    0.7, 0.05, 0.5, 0.9 };
	static const double want_high[] = { 0.25, 0.3, 0.4, 0.15, 0.1, 0.2,
	    0.6, 0.7, 0.05, 0.5, 0.9 };
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
	/* Equal but for the caller's index: the smaller first. */
	e[1] = e[0];
	e[1].index = 1;
	ck_assert_int_lt(lrk_rank_compare(&e[0], &e[1], 0), 0);
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
	lrk_run_result_free(out);	/* the result read before */
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
	struct lrk_run_result r = { 0 };
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
	/* Without a header, the column's number. */
	ck_assert_int_eq(read_run("0,1,2\n1,1,3\n", "3", &r, err), 0);
	ck_assert_str_eq(r.column, "3");
	ck_assert(r.final == 3);
	lrk_run_result_free(&r);
	ck_assert_ptr_null(r.column);
}
END_TEST

/*
 * lr-confirm(1), -y: "The metric column of the runs' rows, by name or
 * number": a name of any length comes back whole, and finds its column
 * again in the next run's file (a name cut short did not).
 */
START_TEST(test_read_run_long_name)
{
	struct lrk_run_result r = { 0 };
	struct lrk_buf text = { 0 };
	char err[LRK_ERRSIZE], name[4097], *column;
	size_t len, lens[] = { 63, 64, 70, 1000, 4096 }, i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		len = lens[i];
		memset(name, 'm', len);
		name[len] = '\0';
		name[len - 1] = 'Z';
		text.len = 0;
		lrk_buf_str(&text, "run,step,lr,loss,");
		lrk_buf_str(&text, name);
		lrk_buf_str(&text, "\n0,0,1,3,0.5\n");
		ck_assert(!text.failed);
		ck_assert_int_eq(read_run(text.data, name, &r, err), 0);
		ck_assert_uint_eq(strlen(r.column), len);
		ck_assert_str_eq(r.column, name);
		ck_assert(r.final == 0.5);
		/* The name read back finds the column again. */
		column = strdup(r.column);
		ck_assert_ptr_nonnull(column);
		ck_assert_msg(read_run(text.data, column, &r, err) == 0, "%zu: "
		    "%s", len, err);
		ck_assert(r.final == 0.5);
		free(column);
	}
	lrk_run_result_free(&r);
	lrk_buf_free(&text);
}
END_TEST

START_TEST(test_read_run_errors)
{
	struct lrk_run_result r = { 0 };
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
	/* A failed read holds no column. */
	ck_assert_int_eq(read_run("run,step,lr,loss\n0,0,1,x\n", NULL, &r,
	    err), -1);
	ck_assert_ptr_null(r.column);
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
	tcase_add_test(core, test_read_run);
	tcase_add_test(core, test_read_run_long_name);
	tcase_add_test(limits, test_read_run_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
