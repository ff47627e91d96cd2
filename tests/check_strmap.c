/* Unit tests of lib/strmap.c. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "extern.h"

START_TEST(test_intern)
{
	struct lrk_strmap *m = lrk_strmap_new();
	int added;

	ck_assert_int_eq(lrk_strmap_intern(m, "a", 1, &added), 0);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(lrk_strmap_intern(m, "b", 1, &added), 1);
	ck_assert_int_eq(lrk_strmap_intern(m, "a", 1, &added), 0);
	ck_assert_int_eq(added, 0);
	ck_assert_int_eq(lrk_strmap_intern(m, "", 0, &added), 2);
	ck_assert_str_eq(lrk_strmap_key(m, 1), "b");
	ck_assert_uint_eq(lrk_strmap_count(m), 3);
	lrk_strmap_free(m);
}
END_TEST

START_TEST(test_binary_keys)
{
	struct lrk_strmap *m = lrk_strmap_new();
	int added;

	ck_assert_int_eq(lrk_strmap_intern(m, "a\0b", 3, &added), 0);
	ck_assert_int_eq(lrk_strmap_intern(m, "a\0c", 3, &added), 1);
	ck_assert_int_eq(lrk_strmap_intern(m, "a", 1, &added), 2);
	lrk_strmap_free(m);
}
END_TEST

START_TEST(test_many)
{
	struct lrk_strmap *m = lrk_strmap_new();
	char key[32];
	int i, added;

	for (i = 0; i < 200000; i++) {
		snprintf(key, sizeof(key), "run-%d", i);
		ck_assert_int_eq(lrk_strmap_intern(m, key, strlen(key),
		    &added), i);
	}
	for (i = 0; i < 200000; i += 7) {
		snprintf(key, sizeof(key), "run-%d", i);
		ck_assert_int_eq(lrk_strmap_intern(m, key, strlen(key),
		    &added), i);
		ck_assert_int_eq(added, 0);
	}
	lrk_strmap_free(m);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("strmap");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_intern);
	tcase_add_test(limits, test_binary_keys);
	tcase_add_test(limits, test_many);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
