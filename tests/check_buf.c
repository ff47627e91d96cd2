/* Unit tests of lib/buf.c. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

START_TEST(test_grow)
{
	struct lrk_buf b = { 0 };
	size_t i;

	ck_assert_int_eq(lrk_buf_str(&b, ""), 0);
	ck_assert_str_eq(b.data, "");
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(lrk_buf_char(&b, 'a' + (int)(i % 26)), 0);
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_uint_eq(strlen(b.data), 100000);
	ck_assert_int_eq(b.data[26], 'a');
	lrk_buf_clear(&b);
	ck_assert_str_eq(b.data, "");
	ck_assert_int_eq(lrk_buf_add(&b, "x\0y", 3), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert(memcmp(b.data, "x\0y", 4) == 0);
	lrk_buf_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len + b.cap, 0);
}
END_TEST

/* CSV cells are quoted only when they must be. */
START_TEST(test_cell)
{
	struct lrk_buf b = { 0 };

	lrk_buf_cell(&b, "plain 1", 7);
	lrk_buf_char(&b, '|');
	lrk_buf_cell(&b, "a,b", 3);
	lrk_buf_char(&b, '|');
	lrk_buf_cell(&b, "say \"hi\"", 8);
	lrk_buf_char(&b, '|');
	lrk_buf_cell(&b, "two\nlines\r", 10);
	lrk_buf_char(&b, '|');
	lrk_buf_cell(&b, "", 0);
	ck_assert_str_eq(b.data, "plain 1|\"a,b\"|\"say \"\"hi\"\"\"|"
	    "\"two\nlines\r\"|");
	lrk_buf_free(&b);
}
END_TEST

/* An allocation that cannot succeed sets failed; later calls do nothing. */
START_TEST(test_failed)
{
	struct lrk_buf b = { 0 };

	ck_assert_int_eq(lrk_buf_str(&b, "ab"), 0);
	ck_assert_int_eq(lrk_buf_reserve(&b, (size_t)-1 / 2), -1);
	ck_assert(b.failed);
	ck_assert_int_eq(lrk_buf_str(&b, "c"), -1);
	ck_assert_str_eq(b.data, "ab");
	lrk_buf_free(&b);
	ck_assert(!b.failed);
}
END_TEST

/* Every byte reaches the descriptor; a bad one is -1 with errno. */
START_TEST(test_write_all)
{
	static char data[1 << 20], back[sizeof(data)];
	size_t i;
	FILE *fp;
	int fd;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 251);
	ck_assert_ptr_nonnull(fp = tmpfile());
	fd = fileno(fp);
	ck_assert_int_eq(lrk_write_all(fd, data, sizeof(data)), 0);
	ck_assert_int_eq(lrk_write_all(fd, data, 0), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(read(fd, back, sizeof(back)), sizeof(back));
	ck_assert(memcmp(data, back, sizeof(data)) == 0);
	fclose(fp);
	errno = 0;
	ck_assert_int_eq(lrk_write_all(-1, data, 1), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("buf");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_grow);
	tcase_add_test(core, test_cell);
	tcase_add_test(core, test_write_all);
	tcase_add_test(limits, test_failed);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
