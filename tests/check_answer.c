/* Unit tests of lib/answer.c: lr-suggest's answers as it prints them. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

static const struct lrk_answer two_runs[] = {
	{ "a", "valley", 0.001, 2.5, 10 },
	{ "a", "range_base", 1e-4, 3, 4 },
	{ "a", "range_max", 0.01, 2, 20 },
	{ "b\"q", "valley", 0.004, NAN, 11 },
	{ "b\"q", "range_base", 2e-4, 3, 5 },
	{ "b\"q", "range_max", 0.02, 2, 21 },
};

/* What a writer gave, as a string to compare (free it). */
static char *
written(int summary, enum lrk_answer_format format, const char *title,
    size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (summary)
		ck_assert_int_eq(lrk_answers_summary(fp, format, two_runs, n),
		    0);
	else
		ck_assert_int_eq(lrk_answers_write(fp, format, title, two_runs,
		    n), 0);
	fclose(fp);
	return buf;
}

/* A group's label: the plain table's name for it, not the programs'. */
START_TEST(test_label)
{
	static const struct lrk_answer labelled[] = {
		{ "0", "valley", 0.001, 2.5, 10, "seed=1, wd=0" },
		{ "1", "valley", 0.004, 2, 11, NULL },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_int_eq(lrk_answers_write(fp, LRK_ANSWER_PLAIN, "run",
	    labelled, 2), 0);
	fflush(fp);
	ck_assert_str_eq(buf, "seed=1, wd=0 0.001\n1 0.004\n");
	rewind(fp);
	ck_assert_int_eq(lrk_answers_write(fp, LRK_ANSWER_CSV, "run",
	    labelled, 2), 0);
	fclose(fp);
	ck_assert_str_eq(buf, "run,method,lr,loss,index\n0,valley,0.001,2.5,"
	    "10\n1,valley,0.004,2,11\n");
	free(buf);
}
END_TEST

START_TEST(test_write)
{
	char *s;

	/* Plain: one line a group, range's bounds on one line. */
	s = written(0, LRK_ANSWER_PLAIN, "run", 6);
	ck_assert_str_eq(s, "a 0.001\na 0.0001 0.01\nb\"q 0.004\n"
	    "b\"q 0.0002 0.02\n");
	free(s);
	s = written(0, LRK_ANSWER_PLAIN, NULL, 1);
	ck_assert_str_eq(s, "0.001\n");
	free(s);
	s = written(0, LRK_ANSWER_CSV, "run", 2);
	ck_assert_str_eq(s, "run,method,lr,loss,index\na,valley,0.001,2.5,10\n"
	    "a,range_base,0.0001,3,4\n");
	free(s);
	s = written(0, LRK_ANSWER_CSV, NULL, 1);
	ck_assert_str_eq(s, "method,lr,loss,index\nvalley,0.001,2.5,10\n");
	free(s);
	/* JSON: strings escaped, a NaN is null. */
	s = written(0, LRK_ANSWER_JSON, "run", 6);
	ck_assert_msg(strstr(s, "\n {\"run\": \"b\\\"q\", \"method\": "
	    "\"valley\", \"lr\": 0.004, \"loss\": null, \"index\": 11},\n")
	    != NULL, "%s", s);
	ck_assert_msg(s[0] == '[' && strcmp(s + strlen(s) - 4, "}\n]\n") == 0,
	    "%s", s);
	free(s);
	s = written(0, LRK_ANSWER_JSON, NULL, 0);
	ck_assert_str_eq(s, "[]\n");
	free(s);
}
END_TEST

START_TEST(test_summary)
{
	const char *names[8];
	struct lrk_spread sp;
	double v[6];
	char *s;

	ck_assert_uint_eq(lrk_answers_methods(two_runs, 6, names, 8), 3);
	ck_assert_str_eq(names[1], "range_base");
	ck_assert_uint_eq(lrk_answers_methods(two_runs, 6, names, 2), 2);
	lrk_answers_spread(two_runs, 6, "valley", v, &sp);
	ck_assert_uint_eq(sp.n, 2);
	ck_assert(sp.min == 0.001 && sp.max == 0.004 && sp.noisy);
	s = written(1, LRK_ANSWER_CSV, NULL, 6);
	ck_assert_str_eq(s, "method,groups,median,min,max,ratio\n"
	    "valley,2,0.0025,0.001,0.004,4\n"
	    "range_base,2,0.00015000000000000001,0.0001,0.0002,2\n"
	    "range_max,2,0.015,0.01,0.02,2\n");
	free(s);
	/* Plain: aligned, four digits. */
	s = written(1, LRK_ANSWER_PLAIN, NULL, 3);
	ck_assert_str_eq(s, "method      groups  median  min     max     "
	    "ratio\nvalley      1       0.001   0.001   0.001   1\n"
	    "range_base  1       0.0001  0.0001  0.0001  1\n"
	    "range_max   1       0.01    0.01    0.01    1\n");
	free(s);
	s = written(1, LRK_ANSWER_JSON, NULL, 1);
	ck_assert_str_eq(s, "[\n {\"method\": \"valley\", \"groups\": 1, "
	    "\"median\": 0.001, \"min\": 0.001, \"max\": 0.001, \"ratio\": "
	    "1}\n]\n");
	free(s);
}
END_TEST

/* The messages a reading or answering gave, one per line. */
static char said[4096];

static void
note(void *arg, const char *message)
{
	(void)arg;
	strncat(said, message, sizeof(said) - strlen(said) - 2);
	strcat(said, "\n");
}

/*
 * A range test of n steps for each of runs "a", "b", ... (k of them, or
 * no run column when k is 0): lr 10^(i/10 - 6), a raw loss that falls
 * and rises with a wiggle per run; with smooth, the loss is given as
 * loss_smooth, its debiased EMA of beta 0.98 (worked out here, run by
 * run).  malloc'd.
 */
static char *
range_text(int k, int n, int smooth)
{
	double num[8] = { 0 }, den[8] = { 0 }, x;
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	int i, r;

	fprintf(fp, "%slr,%s\n", k ? "run," : "", smooth ? "loss_smooth" :
	    "loss");
	for (i = 0; i < n; i++)
		for (r = 0; r < (k ? k : 1); r++) {
			x = 3 - 2 * sin(i * 3.0 / n) + (i > n / 2) * 0.2 *
			    (i - n / 2) + 0.05 * ((i * 7 + r * 3) % 5);
			num[r] = 0.98 * num[r] + x;
			den[r] = 0.98 * den[r] + 1;
			if (k)
				fprintf(fp, "%c,", 'a' + r);
			fprintf(fp, "%.17g,%.17g\n", pow(10, i / 10.0 - 6),
			    smooth ? num[r] / den[r] : x);
		}
	fclose(fp);
	return s;
}

/* lrk_range_suggest on text, with o; the result, *out and err filled. */
static int
suggest_text(const char *text, const struct lrk_range_options *o,
    struct lrk_range_answer *out, char *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int r;

	ck_assert_ptr_nonnull(fp);
	said[0] = '\0';
	r = lrk_range_suggest(fp, "in", o, out, note, NULL, err);
	fclose(fp);
	return r;
}

/*
 * lr-suggest(1): "One rule decides what is read, the same in lr-suggest,
 * lr-plot and lr-confirm": a raw loss gets the answer of its smoothed
 * curve, and a note.
 */
START_TEST(test_range_raw)
{
	struct lrk_range_options o = { 0 };
	struct lrk_range_answer raw, smooth;
	char err[LRK_ERRSIZE], *a = range_text(0, 60, 0),
	    *b = range_text(0, 60, 1);

	lrk_suggest_defaults(&o.suggest);
	ck_assert_int_eq(suggest_text(b, &o, &smooth, err), 0);
	ck_assert_str_eq(said, "");
	ck_assert_int_eq(smooth.smoothed_here, 0);
	ck_assert_int_eq(suggest_text(a, &o, &raw, err), 0);
	ck_assert_str_eq(said, "in: no smoothed column: loss smoothed here "
	    "(beta 0.98, debiased), as ema-smooth does\n");
	ck_assert_int_eq(raw.smoothed_here, 1);
	ck_assert_double_eq_tol(raw.lr, smooth.lr, smooth.lr * 1e-12);
	ck_assert_uint_eq(raw.groups, 1);
	ck_assert_uint_eq(raw.answered, 1);
	ck_assert_uint_eq(raw.rows, 60);
	/* -y names the raw loss: read as it is, another answer. */
	o.columns.loss = "loss";
	ck_assert_int_eq(suggest_text(a, &o, &raw, err), 0);
	ck_assert_str_eq(said, "in: loss: read as it is, not smoothed (its "
	    "name does not end in _smooth)\n");
	ck_assert(raw.lr != smooth.lr);
	free(a);
	free(b);
}
END_TEST

/*
 * "A table with a column named run (whatever the case) is read one curve
 * per run, as with -g run"; lr-suggest's default over several runs is
 * their pooled answer, with a method the median of the runs' answers.
 */
START_TEST(test_range_runs)
{
	struct lrk_range_options o = { 0 };
	struct lrk_range_answer out, given;
	const struct lrk_answer *ans;
	const char *minimum = "minimum";
	struct lrk_range *r;
	struct lrk_spread sp;
	double v[3];
	size_t n, i;
	char err[LRK_ERRSIZE], *text = range_text(3, 50, 1);
	FILE *fp;

	lrk_suggest_defaults(&o.suggest);
	ck_assert_int_eq(suggest_text(text, &o, &out, err), 0);
	ck_assert_uint_eq(out.groups, 3);
	ck_assert_uint_eq(out.answered, 3);
	ck_assert_uint_eq(out.rows, 150);
	o.columns.group = "run";
	o.method = "pooled";
	ck_assert_int_eq(suggest_text(text, &o, &given, err), 0);
	ck_assert(given.lr == out.lr);
	/* A method: the median of the runs' answers. */
	o.method = "minimum";
	ck_assert_int_eq(suggest_text(text, &o, &out, err), 0);
	fp = fmemopen(text, strlen(text), "r");
	ck_assert_ptr_nonnull(r = lrk_range_read(fp, "in", &o, note, NULL,
	    err));
	fclose(fp);
	ck_assert_int_eq(lrk_range_answer(r, &minimum, 1, &ans, &n), 0);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++)
		v[i] = ans[i].lr;
	lrk_spread(v, n, &sp);
	ck_assert(out.lr == sp.median);
	ck_assert_str_eq(ans[1].group, "b");
	ck_assert_str_eq(lrk_range_group_title(r), "run");
	lrk_range_free(r);
	free(text);
}
END_TEST

/*
 * "A table of one run without -g is answered as one curve": no group
 * named; with -g, the group is named.
 */
START_TEST(test_range_one_run)
{
	struct lrk_range_options o = { 0 };
	const struct lrk_answer *ans;
	const char *minimum = "minimum";
	struct lrk_range *r;
	size_t n;
	char err[LRK_ERRSIZE], *text = range_text(1, 40, 1);
	FILE *fp;

	lrk_suggest_defaults(&o.suggest);
	fp = fmemopen(text, strlen(text), "r");
	ck_assert_ptr_nonnull(r = lrk_range_read(fp, "in", &o, note, NULL,
	    err));
	fclose(fp);
	ck_assert_int_eq(lrk_range_grouped(r), 1);
	ck_assert_ptr_null(lrk_range_group_title(r));
	ck_assert_int_eq(lrk_range_answer(r, &minimum, 1, &ans, &n), 0);
	ck_assert_ptr_null(ans[0].group);
	lrk_range_free(r);
	o.columns.group = "run";
	fp = fmemopen(text, strlen(text), "r");
	ck_assert_ptr_nonnull(r = lrk_range_read(fp, "in", &o, note, NULL,
	    err));
	fclose(fp);
	ck_assert_str_eq(lrk_range_group_title(r), "run");
	ck_assert_int_eq(lrk_range_answer(r, &minimum, 1, &ans, &n), 0);
	ck_assert_str_eq(ans[0].group, "a");
	lrk_range_free(r);
	free(text);
}
END_TEST

/* What lrk_range_suggest refuses, and a run without an answer. */
START_TEST(test_range_errors)
{
	struct lrk_range_options o = { 0 };
	struct lrk_range_answer out;
	char err[LRK_ERRSIZE];

	lrk_suggest_defaults(&o.suggest);
	ck_assert_int_eq(suggest_text("", &o, &out, err), -1);
	ck_assert_str_eq(err, "in: the input is empty");
	ck_assert_int_eq(suggest_text("lr,loss\n", &o, &out, err), -1);
	ck_assert_str_eq(err, "in: the input has no rows");
	ck_assert_int_eq(suggest_text("lr,loss\n1,\n", &o, &out, err), -1);
	ck_assert_str_eq(err, "in: no row has both an lr (lr) and a loss "
	    "(loss)");
	ck_assert_int_eq(suggest_text("lr,loss\n1,x\n", &o, &out, err), -1);
	ck_assert_str_eq(err, "in:2: loss: \"x\" is not a number");
	/* Run b has too few points: a the answer, b said, and that only
	 * some runs answered (lr-confirm(1): the others' answer is a
	 * starting point, said so). */
	o.method = "steep";
	o.suggest.skip_end = 0;
	ck_assert_int_eq(suggest_text("run,lr,loss_smooth\na,1,3\na,2,2\n"
	    "b,1,1\n", &o, &out, err), 0);
	ck_assert_uint_eq(out.groups, 2);
	ck_assert_uint_eq(out.answered, 1);
	ck_assert(out.lr == 1);
	ck_assert_str_eq(said, "in: run b: steep needs at least 2 points and "
	    "has 1 (of 1, after skipping 0 at the start and 0 at the end)\n"
	    "in: an answer for 1 of its 2 runs only\n");
	ck_assert_int_eq(suggest_text("lr,loss_smooth\n1,1\n", &o, &out,
	    err), -1);
	ck_assert_str_eq(err, "in: no suggestion: steep had no answer");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("answer");
	TCase *core = tcase_create("Core");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_write);
	tcase_add_test(core, test_label);
	tcase_add_test(core, test_summary);
	tcase_add_test(core, test_range_raw);
	tcase_add_test(core, test_range_runs);
	tcase_add_test(core, test_range_one_run);
	tcase_add_test(core, test_range_errors);
	suite_add_tcase(s, core);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
