/*
 * Unit tests of lib/text.c: the printable-UTF-8 rule, lrk_show, the one
 * routine that quotes input in messages, and lrk_put_text.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

static const char *
show(const char *s, size_t len)
{
	static char buf[LRK_SHOWSIZE];

	return lrk_show(buf, s, len);
}

START_TEST(test_show)
{
	ck_assert_str_eq(show("loss", 4), "loss");
	ck_assert_str_eq(show("", 0), "");
	/* Control bytes, DEL and bytes that are not UTF-8 as \xNN. */
	ck_assert_str_eq(show("\033[2J", 4), "\\x1b[2J");
	ck_assert_str_eq(show("a\tb\177", 4), "a\\x09b\\x7f");
	ck_assert_str_eq(show("\xff\xc3", 2), "\\xff\\xc3");
	/* UTF-8 passes, also when cut short by len. */
	ck_assert_str_eq(show("\xc3\xa9t\xc3\xa9", 5), "\xc3\xa9t\xc3\xa9");
	ck_assert_str_eq(show("\xe2\x82\xac", 2), "\\xe2\\x82");
	ck_assert_str_eq(show("a\0b", 3), "a\\x00b");
}
END_TEST

/* One limit, LRK_SHOW_BYTES bytes of input, whatever they turn into. */
START_TEST(test_show_limit)
{
	char in[3 * LRK_SHOW_BYTES], want[LRK_SHOWSIZE];
	const char *got;

	memset(in, 'x', sizeof(in));
	memcpy(want, in, LRK_SHOW_BYTES);
	strcpy(want + LRK_SHOW_BYTES, "...");
	ck_assert_str_eq(show(in, LRK_SHOW_BYTES), "xxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	ck_assert_str_eq(show(in, LRK_SHOW_BYTES + 1), want);
	/* The worst case fills LRK_SHOWSIZE and no more. */
	memset(in, '\001', sizeof(in));
	got = show(in, sizeof(in));
	ck_assert_uint_eq(strlen(got), 4 * LRK_SHOW_BYTES + 3);
	ck_assert_uint_lt(strlen(got), LRK_SHOWSIZE);
}
END_TEST

/* A column name in lrk_table_find's message is shown the same way. */
START_TEST(test_show_in_table)
{
	char text[200], err[LRK_ERRSIZE], want[LRK_SHOWSIZE];
	struct lrk_table_options o = { 0 };
	struct lrk_table *t;
	size_t col;
	FILE *fp;

	memset(want, 'n', 100);
	snprintf(text, sizeof(text), "lr,%.100s\n1,2\n", want);
	fp = fmemopen(text, strlen(text), "r");
	t = lrk_table_new(fp, "in", &o);
	ck_assert_int_eq(lrk_table_start(t), 0);
	ck_assert_int_eq(lrk_table_find(t, "loss", "loss", &col, err), -1);
	lrk_show(want, want, 100);
	ck_assert_msg(strstr(err, want) != NULL, "%s", err);
	ck_assert_msg(strstr(err, "nnnn...") != NULL, "%s", err);
	lrk_table_free(t);
	fclose(fp);
}
END_TEST

/* UTF-8 by hand, for any value (surrogates and past U+10FFFF too). */
static size_t
encode(unsigned char *b, unsigned long c)
{
	if (c < 0x80) {
		b[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | c >> 12);
		b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	b[0] = (unsigned char)(0xf0 | c >> 18);
	b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	b[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* Every code point and then some: printable and well-formed or not. */
START_TEST(test_utf8_every_code_point)
{
	unsigned char b[4];
	unsigned long c, wrong = 0, first = 0;
	unsigned int cp;
	size_t n, got;
	int ok;

	/* One assertion at the end: Check's are slow a million times. */
	for (c = 0; c < 0x140000; c++) {
		n = encode(b, c);
		ok = c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) &&
		    !(c >= 0xd800 && c <= 0xdfff) && c <= 0x10ffff;
		cp = 0;
		got = lrk_utf8_printable((const char *)b, n, &cp);
		/* Cut short, it is never a character. */
		if (got != (ok ? n : 0) || (ok && cp != c) || (n > 1 &&
		    lrk_utf8_printable((const char *)b, n - 1, &cp) != 0)) {
			if (wrong++ == 0)
				first = c;
		}
	}
	ck_assert_msg(wrong == 0, "%lu code points wrong, the first U+%04lX",
	    wrong, first);
	/* Overlong forms of '/' and of U+0800, a lone continuation. */
	ck_assert_uint_eq(lrk_utf8_printable("\xc0\xaf", 2, &cp), 0);
	ck_assert_uint_eq(lrk_utf8_printable("\xe0\x80\xaf", 3, &cp), 0);
	ck_assert_uint_eq(lrk_utf8_printable("\xf0\x80\xa0\x80", 4, &cp), 0);
	ck_assert_uint_eq(lrk_utf8_printable("\x80", 1, &cp), 0);
	ck_assert_uint_eq(lrk_utf8_printable("\xf8\x88\x80\x80\x80", 5,
	    &cp), 0);
}
END_TEST

/* What lrk_show makes of a surrogate and a C1 control: bytes, escaped. */
START_TEST(test_show_not_characters)
{
	char buf[LRK_SHOWSIZE];

	ck_assert_str_eq(lrk_show(buf, "a\xed\xa0\x80" "b", 5),
	    "a\\xed\\xa0\\x80b");
	ck_assert_str_eq(lrk_show(buf, "\xc2\x9b" "1m", 4), "\\xc2\\x9b1m");
	ck_assert_str_eq(lrk_show(buf, "\xc3\xa9t\xc3\xa9", 5),
	    "\xc3\xa9t\xc3\xa9");
}
END_TEST

/*
 * lrk_put_text: the same escaping as lrk_show, without the cut: a long
 * name is written whole.
 */
START_TEST(test_put_text)
{
	char *out = NULL, in[3 * LRK_SHOW_BYTES];
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(fp);
	lrk_put_text(fp, "a\033[2Jb\xc3\xa9\xff\xc2\x9b\0z", 13);
	fclose(fp);
	ck_assert_str_eq(out, "a\\x1b[2Jb\xc3\xa9\\xff\\xc2\\x9b\\x00z");
	free(out);

	memset(in, 'x', sizeof(in));
	fp = open_memstream(&out, &len);
	lrk_put_text(fp, in, sizeof(in));
	fclose(fp);
	ck_assert_uint_eq(len, sizeof(in));
	ck_assert(memcmp(out, in, sizeof(in)) == 0);
	free(out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("text");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_show);
	tcase_add_test(core, test_put_text);
	tcase_add_test(limits, test_show_limit);
	tcase_add_test(limits, test_show_in_table);
	tcase_add_test(limits, test_utf8_every_code_point);
	tcase_add_test(limits, test_show_not_characters);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
