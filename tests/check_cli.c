/*
 * Unit tests of lib/cli.c: the loop over a tool's input files.
 */
#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lrkit.h"
#include "extern.h"

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

/* Several inputs, one output dialect: the first table's. */
START_TEST(test_inputs_writer)
{
	static const char *const texts[] = { "a;b\r\n1;x,y\r\n",
	    "a,b\n2,3\n", "a\tb\n4\t5\n" };
	struct lrk_table_options opt = { 0 };
	const struct lrk_cell *cells;
	struct lrk_inputs in = { 0 };
	struct lrk_table *t;
	struct lrk_writer *w;
	char *out = NULL;
	size_t len = 0, i;
	FILE *fp, *outfp;

	outfp = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(outfp);
	for (i = 0; i < 3; i++) {
		fp = fmemopen((void *)texts[i], strlen(texts[i]), "r");
		ck_assert_ptr_nonnull(t = lrk_open_table(fp, "t", &opt));
		ck_assert_ptr_nonnull(w = lrk_inputs_writer(&in, outfp, t));
		while (lrk_table_next(t, &cells) == 1) {
			lrk_write_cells(w, cells, lrk_table_columns(t));
			lrk_write_end(w);
		}
		lrk_writer_free(w);
		lrk_table_free(t);
		fclose(fp);
	}
	fclose(outfp);
	ck_assert_str_eq(out, "1;x,y\r\n2;3\r\n4;5\r\n");
	free(out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cli");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_inputs);
	tcase_add_test(core, test_inputs_writer);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
