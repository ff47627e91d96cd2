/* Unit tests of lib/num.c: parsing and shortest printing. */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

static int
parse(const char *s, double *x)
{
	return lrk_num_parse(s, strlen(s), x);
}

START_TEST(test_parse_plain)
{
	double x;

	ck_assert_int_eq(parse("0.1", &x), LRK_NUM_OK);
	ck_assert(x == 0.1);
	ck_assert_int_eq(parse("  -2.5e-3 ", &x), LRK_NUM_OK);
	ck_assert(x == -2.5e-3);
	ck_assert_int_eq(parse("1.63386334336055e-05", &x), LRK_NUM_OK);
	ck_assert(x == 1.63386334336055e-05);
	ck_assert_int_eq(parse("0x1p-2", &x), LRK_NUM_OK);
	ck_assert(x == 0.25);
}
END_TEST

START_TEST(test_parse_special)
{
	double x;

	ck_assert_int_eq(parse("nan", &x), LRK_NUM_OK);
	ck_assert(isnan(x));
	ck_assert_int_eq(parse("inf", &x), LRK_NUM_OK);
	ck_assert(isinf(x) && x > 0);
	ck_assert_int_eq(parse("-Infinity", &x), LRK_NUM_OK);
	ck_assert(isinf(x) && x < 0);
	ck_assert_int_eq(parse("", &x), LRK_NUM_MISSING);
	ck_assert(isnan(x));
	ck_assert_int_eq(parse("NA", &x), LRK_NUM_MISSING);
	ck_assert_int_eq(parse("#na#", &x), LRK_NUM_MISSING);
	ck_assert_int_eq(parse("  ", &x), LRK_NUM_MISSING);
}
END_TEST

START_TEST(test_parse_bad)
{
	double x;

	ck_assert_int_eq(parse("abc", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("1.5x", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("1,5", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("True", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("1e400", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("-1e400", &x), LRK_NUM_BAD);
}
END_TEST

START_TEST(test_parse_not_nul_terminated)
{
	double x;

	ck_assert_int_eq(lrk_num_parse("12345", 2, &x), LRK_NUM_OK);
	ck_assert(x == 12);
}
END_TEST

static void
check_format(double x, const char *want)
{
	char buf[LRK_NUM_BUFSIZE];
	size_t n;

	n = lrk_num_format(buf, x);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));
}

START_TEST(test_format_shortest)
{
	check_format(0.1, "0.1");
	check_format(1.0 / 3 * 4, "1.3333333333333333");
	check_format(1e-07, "1e-07");
	check_format(10, "10");
	check_format(0.3, "0.3");
	check_format(0.1 + 0.2, "0.30000000000000004");
	check_format(NAN, "nan");
	check_format(-INFINITY, "-inf");
	check_format(2.2250738585072014e-308, "2.2250738585072014e-308");
	check_format(1.7976931348623157e308, "1.7976931348623157e+308");
}
END_TEST

START_TEST(test_format_round_trip)
{
	char buf[LRK_NUM_BUFSIZE];
	double x;
	int i;

	srand(1);
	for (i = 0; i < 100000; i++) {
		x = ((double)rand() / RAND_MAX - 0.5) *
		    pow(10, rand() % 40 - 20);
		lrk_num_format(buf, x);
		ck_assert(strtod(buf, NULL) == x);
	}
}
END_TEST

/* The fast path must agree with strtod on everything it accepts. */
START_TEST(test_parse_matches_strtod)
{
	char buf[64];
	double x;
	int i, digits;

	srand(2);
	for (i = 0; i < 300000; i++) {
		digits = 1 + rand() % 19;
		snprintf(buf, sizeof(buf), "%s%.*e", rand() % 2 ? "-" : "",
		    digits - 1, (double)rand() / RAND_MAX *
		    pow(10, rand() % 60 - 30));
		ck_assert_int_eq(parse(buf, &x), LRK_NUM_OK);
		ck_assert_msg(x == strtod(buf, NULL), "%s", buf);
		snprintf(buf, sizeof(buf), "%.*f", rand() % 12,
		    (double)rand() / 1000);
		ck_assert_int_eq(parse(buf, &x), LRK_NUM_OK);
		ck_assert_msg(x == strtod(buf, NULL), "%s", buf);
	}
	ck_assert_int_eq(parse("9007199254740993", &x), LRK_NUM_OK);
	ck_assert(x == strtod("9007199254740993", NULL));
	ck_assert_int_eq(parse("1e22", &x), LRK_NUM_OK);
	ck_assert(x == 1e22);
	ck_assert_int_eq(parse("1e23", &x), LRK_NUM_OK);
	ck_assert(x == strtod("1e23", NULL));
	ck_assert_int_eq(parse("-0", &x), LRK_NUM_OK);
	ck_assert(x == 0 && signbit(x));
	ck_assert_int_eq(parse(".5", &x), LRK_NUM_OK);
	ck_assert(x == 0.5);
	ck_assert_int_eq(parse("5.", &x), LRK_NUM_OK);
	ck_assert(x == 5);
	ck_assert_int_eq(parse(".", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("1e", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("-", &x), LRK_NUM_BAD);
	ck_assert_int_eq(parse("1e+", &x), LRK_NUM_BAD);
	/* Zeros that only scale, and the 19-digit limit either side. */
	ck_assert_int_eq(parse("0.000123", &x), LRK_NUM_OK);
	ck_assert(x == strtod("0.000123", NULL));
	ck_assert_int_eq(parse("-000.0000000000000000000001e5", &x),
	    LRK_NUM_OK);
	ck_assert(x == strtod("-000.0000000000000000000001e5", NULL));
	ck_assert_int_eq(parse("1234567890.123456789", &x), LRK_NUM_OK);
	ck_assert(x == strtod("1234567890.123456789", NULL));
	ck_assert_int_eq(parse("12345678901234567890.5", &x), LRK_NUM_OK);
	ck_assert(x == strtod("12345678901234567890.5", NULL));
	ck_assert_int_eq(parse("0.1000000000000000055511151231257827", &x),
	    LRK_NUM_OK);
	ck_assert(x == 0.1);
	ck_assert_int_eq(parse("1.5 ", &x), LRK_NUM_OK);
	ck_assert(x == 1.5);
}
END_TEST

START_TEST(test_locale)
{
	char buf[LRK_NUM_BUFSIZE];
	double x;

	/* The tools never set LC_NUMERIC; if a locale with a decimal comma
	 * is present, show that even then nothing changes. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL)
		return;
	setlocale(LC_NUMERIC, "C");
	ck_assert_int_eq(parse("0.5", &x), LRK_NUM_OK);
	lrk_num_format(buf, 0.5);
	ck_assert_str_eq(buf, "0.5");
}
END_TEST

START_TEST(test_list)
{
	double *v;
	size_t n;

	ck_assert_int_eq(lrk_num_parse_list("10,20,20", &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(v[0] == 10 && v[2] == 20);
	free(v);
	ck_assert_int_eq(lrk_num_parse_list("10,,20", &v, &n), -1);
	ck_assert_int_eq(lrk_num_parse_list("10,inf", &v, &n), -1);
	ck_assert_int_eq(lrk_num_parse_list("", &v, &n), -1);
}
END_TEST

START_TEST(test_long_number)
{
	char *s;
	double x;

	s = malloc(1001);
	memset(s, '0', 1000);
	s[999] = '1';
	s[1000] = '\0';
	ck_assert_int_eq(parse(s, &x), LRK_NUM_OK);
	ck_assert(x == 1);
	free(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("num");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_parse_plain);
	tcase_add_test(core, test_parse_special);
	tcase_add_test(core, test_format_shortest);
	tcase_add_test(core, test_list);
	tcase_add_test(limits, test_parse_bad);
	tcase_add_test(limits, test_parse_not_nul_terminated);
	tcase_add_test(limits, test_format_round_trip);
	tcase_add_test(limits, test_locale);
	tcase_add_test(limits, test_parse_matches_strtod);
	tcase_add_test(limits, test_long_number);
	tcase_set_timeout(limits, 120);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
