/* Unit tests of lib/answer.c: lr-suggest's answers as it prints them. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrkit.h"
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
	suite_add_tcase(s, core);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
