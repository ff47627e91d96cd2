/*
 * Unit tests of lib/dtoa.c against the code it replaced in lrk_num_format:
 * snprintf("%.15g"), "%.16g", "%.17g", the first that strtod reads back to
 * the same double.  Every output must read back to its double and be
 * byte-identical to that reference, except for the denormals that need
 * fewer than 15 digits (see lib/dtoa.c), where it must be shorter than
 * "%.15g".
 *
 * LRK_DTOA_RANDOM sets the number of random bit patterns: 10 million,
 * about 20 s, or 1 million under the sanitizers (make check SAN=1).
 */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#if defined(__SANITIZE_ADDRESS__)
#define RANDOM_COUNT 1000000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RANDOM_COUNT 1000000
#endif
#endif
#ifndef RANDOM_COUNT
#define RANDOM_COUNT 10000000
#endif

/* How many outputs had 1..17 significant digits. */
static unsigned long digit_histogram[18];

static size_t
reference(char *buf, double x)
{
	int n, precision;

	if (isnan(x))
		return (size_t)snprintf(buf, LRK_NUM_BUFSIZE, "nan");
	if (isinf(x))
		return (size_t)snprintf(buf, LRK_NUM_BUFSIZE, "%s",
		    x < 0 ? "-inf" : "inf");
	for (precision = 15; precision < 17; precision++) {
		n = snprintf(buf, LRK_NUM_BUFSIZE, "%.*g", precision, x);
		if (strtod(buf, NULL) == x)
			return (size_t)n;
	}
	return (size_t)snprintf(buf, LRK_NUM_BUFSIZE, "%.17g", x);
}

/* Significant digits of a %g string: leading zeros do not count. */
static int
significant_digits(const char *s)
{
	int n = 0, started = 0;

	for (; *s != '\0' && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s != '0')
			started = 1;
		if (started)
			n++;
	}
	return n;
}

static uint64_t
bits_of(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

static double
double_of(uint64_t u)
{
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/*
 * Check one double against the reference.  Plain tests with ck_abort_msg
 * on failure: every ck_assert costs Check a write(2), which would dominate
 * millions of calls.
 */
static void
check_one(double x)
{
	char got[LRK_NUM_BUFSIZE + 8], want[LRK_NUM_BUFSIZE];
	size_t n, wn;
	double back;
	int digits;

	memset(got, '#', sizeof(got));
	n = lrk_dtoa_shortest(got, x);
	if (n >= LRK_NUM_BUFSIZE || got[n] != '\0' || strlen(got) != n)
		ck_abort_msg("%a: length %zu", x, n);
	if (got[n + 1] != '#')
		ck_abort_msg("%a: wrote past the NUL", x);
	wn = reference(want, x);
	if (isnan(x)) {
		if (strcmp(got, "nan") != 0)
			ck_abort_msg("NaN: \"%s\"", got);
		return;
	}
	back = strtod(got, NULL);
	if (bits_of(back) != bits_of(x))
		ck_abort_msg("%a: \"%s\" reads back as %a", x, got, back);
	digits = significant_digits(got);
	if (digits >= 1 && digits <= 17)
		digit_histogram[digits]++;
	if (n == wn && memcmp(got, want, n) == 0)
		return;
	/* Only a denormal printed with %.15g may differ, being shorter. */
	if (!(fabs(x) < DBL_MIN && significant_digits(want) <= 15 &&
	    digits < significant_digits(want)))
		ck_abort_msg("%a (%016llx): \"%s\", want \"%s\"", x,
		    (unsigned long long)bits_of(x), got, want);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: a fixed sequence, so a failure can be reproduced. */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void
check_neighbours(double x)
{
	check_one(x);
	check_one(-x);
	check_one(nextafter(x, INFINITY));
	check_one(nextafter(x, -INFINITY));
}

START_TEST(test_examples)
{
	static const struct {
		double		 x;
		const char	*text;
	} examples[] = {
		{ 0.1, "0.1" }, { 1, "1" }, { -2.5, "-2.5" },
		{ 1e-7, "1e-07" }, { 1.5e20, "1.5e+20" }, { 1e-4, "0.0001" },
		{ 1.25e-5, "1.25e-05" }, { 123456, "123456" },
		{ 1e15, "1e+15" }, { 1e14, "100000000000000" },
		{ 0.1 + 0.2, "0.30000000000000004" },
		{ 2.0 / 3, "0.6666666666666666" },
		{ 1e100, "1e+100" }, { 1.7976931348623157e308,
		    "1.7976931348623157e+308" },
		{ 2.2250738585072014e-308, "2.2250738585072014e-308" },
		{ 9007199254740993.0, "9007199254740992" },
		{ 5e-324, "5e-324" }, { -0.0, "-0" }, { 0.0, "0" },
		{ INFINITY, "inf" }, { -INFINITY, "-inf" }, { NAN, "nan" },
		{ -NAN, "nan" }
	};
	char buf[LRK_NUM_BUFSIZE];
	size_t i, n;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		n = lrk_dtoa_shortest(buf, examples[i].x);
		ck_assert_str_eq(buf, examples[i].text);
		ck_assert_uint_eq(n, strlen(examples[i].text));
		if (!isnan(examples[i].x))
			check_one(examples[i].x);
	}
	/* lrk_num_format is this function. */
	lrk_num_format(buf, 0.1 + 0.2);
	ck_assert_str_eq(buf, "0.30000000000000004");
}
END_TEST

START_TEST(test_random_bits)
{
	const char *env = getenv("LRK_DTOA_RANDOM");
	unsigned long i, count = env ? strtoul(env, NULL, 10) : RANDOM_COUNT;

	memset(digit_histogram, 0, sizeof(digit_histogram));
	for (i = 0; i < count; i++)
		check_one(double_of(rng()));
	/* Every length must have been seen, 15, 16 and 17 most of all. */
	if (count >= 1000000) {
		ck_assert_uint_gt(digit_histogram[15], count / 10000);
		ck_assert_uint_gt(digit_histogram[16], count / 10);
		ck_assert_uint_gt(digit_histogram[17], count / 10);
	}
}
END_TEST

START_TEST(test_decimal_looking)
{
	char text[64];
	unsigned long i;
	uint64_t mantissa, limit;
	int exponent, digits;

	/* k 10^j with k of 1 to 17 digits, as a parser would make them. */
	memset(digit_histogram, 0, sizeof(digit_histogram));
	for (i = 0; i < 1000000; i++) {
		for (digits = 1 + (int)(rng() % 17), limit = 1; digits > 0;
		    digits--)
			limit *= 10;
		mantissa = rng() % limit;
		exponent = (int)(rng() % 650) - 340;
		snprintf(text, sizeof(text), "%llue%d",
		    (unsigned long long)mantissa, exponent);
		check_one(strtod(text, NULL));
	}
	for (digits = 1; digits <= 17; digits++)
		ck_assert_msg(digit_histogram[digits] > 1000, "%d digits: %lu",
		    digits, digit_histogram[digits]);
	/* Shortest of exactly 15, 16 and 17 digits. */
	ck_assert_int_eq(significant_digits("1.23456789012345"), 15);
	check_one(1.23456789012345);
	check_one(1.234567890123456);
	check_one(1.2345678901234567);
	check_one(0.1 + 0.7);
	check_one(1.0 / 3);
}
END_TEST

START_TEST(test_powers)
{
	double x;
	int e;

	for (e = -1074; e <= 1023; e++)
		check_neighbours(ldexp(1, e));
	for (e = -323; e <= 308; e++) {
		char text[16];

		snprintf(text, sizeof(text), "1e%d", e);
		x = strtod(text, NULL);
		check_neighbours(x);
		check_neighbours(x * 3);
	}
}
END_TEST

START_TEST(test_boundaries)
{
	static const double values[] = {
		DBL_MIN, DBL_MAX, DBL_TRUE_MIN, DBL_MIN - DBL_TRUE_MIN,
		DBL_EPSILON, 9007199254740992.0, 9007199254740991.0,
		9007199254740994.0, 1e15, 1e16, 1e17, 1e22, 1e23,
		999999999999999.0, 9999999999999998.0, 99999999999999990.0,
		0.0001, 0.00009999999999999999, 1e-5, 123456789012345.0,
		1234567890123456.0, 12345678901234567.0
	};
	size_t i;
	uint64_t u;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		check_neighbours(values[i]);
	/* The integers, and the small denormals and their neighbours. */
	for (u = 0; u < 100000; u++) {
		check_one((double)u);
		check_one(double_of(u));
		check_one(double_of(0x0010000000000000ULL + u));
		check_one(double_of(0x7fefffffffffffffULL - u));
	}
	for (u = 0; u < 100000; u++)
		check_one((double)u / 1000);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dtoa");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_examples);
	tcase_add_test(core, test_decimal_looking);
	tcase_add_test(core, test_powers);
	tcase_add_test(limits, test_random_bits);
	tcase_add_test(limits, test_boundaries);
	tcase_set_timeout(core, 120);
	tcase_set_timeout(limits, 300);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
