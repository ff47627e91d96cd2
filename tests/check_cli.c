/*
 * Unit tests of lib/cli.c: lrk_show, the one routine that echoes input in
 * messages, and the loop over a tool's input files.
 */
#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lrkit.h"
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

/*
 * The loop over input files: one that does not open is passed over and
 * makes the status 1; one that does is given with its name.
 */
START_TEST(test_inputs)
{
	char dir[] = "/tmp/check_cli.XXXXXX", path[64], folder[64];
	char *argv[4];
	struct lrk_inputs in;
	FILE *fp;
	int n = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.csv", dir);
	snprintf(folder, sizeof(folder), "%s/sub", dir);
	fp = fopen(path, "w");
	fputs("loss\n1\n", fp);
	fclose(fp);
	ck_assert_int_eq(mkdir(folder, 0700), 0);
	argv[0] = path;
	argv[1] = "/nonexistent/b.csv";
	argv[2] = path;
	argv[3] = NULL;
	lrk_inputs_init(&in, 3, argv);
	while (lrk_inputs_next(&in)) {
		ck_assert_str_eq(in.name, path);
		ck_assert_int_eq(fgetc(in.fp), 'l');
		n++;
	}
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(lrk_inputs_end(&in), 1);

	/* All good: status 0; a tool's own failure counts too. */
	lrk_inputs_init(&in, 1, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_int_eq(lrk_inputs_next(&in), 0);
	ck_assert_int_eq(lrk_inputs_end(&in), 0);
	lrk_inputs_init(&in, 1, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	in.status = 1;
	ck_assert_int_eq(lrk_inputs_end(&in), 1);

	/* A folder: read as a file, or refused when the tool asks. */
	argv[0] = folder;
	argv[1] = path;
	lrk_inputs_init(&in, 2, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_str_eq(in.name, folder);
	ck_assert_int_eq(lrk_inputs_end(&in), 0);
	lrk_inputs_init(&in, 2, argv);
	in.folder_hint = "a hint";
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_str_eq(in.name, path);
	ck_assert_int_eq(lrk_inputs_end(&in), 1);

	/* No file: standard input, called stdin. */
	lrk_inputs_init(&in, 0, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_ptr_eq(in.fp, stdin);
	ck_assert_str_eq(in.name, "stdin");
	ck_assert_int_eq(lrk_inputs_next(&in), 0);
	ck_assert_int_eq(lrk_inputs_end(&in), 0);

	rmdir(folder);
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cli");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_show);
	tcase_add_test(core, test_inputs);
	tcase_add_test(limits, test_show_limit);
	tcase_add_test(limits, test_show_in_table);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
