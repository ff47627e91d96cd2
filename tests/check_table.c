/* Unit tests of lib/table.c: the stream reader and writer. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

static FILE *fp;
static struct lrk_table *t;

static struct lrk_table *
open_str(const char *s, size_t len, int header, int delim)
{
	struct lrk_table_options o = { header, delim };

	fp = fmemopen((void *)s, len, "r");
	ck_assert_ptr_nonnull(fp);
	t = lrk_table_new(fp, "in.csv", &o);
	ck_assert_ptr_nonnull(t);
	return t;
}

static struct lrk_table *
open_text(const char *s)
{
	return open_str(s, strlen(s), LRK_HEADER_AUTO, 0);
}

static void
done(void)
{
	lrk_table_free(t);
	fclose(fp);
}

/* The names the default lookups read as a role, from their own lists. */
START_TEST(test_name_role)
{
	static const struct {
		const char	*name;
		enum lrk_role	 role;
		const char	*text;
	} yes[] = {
		{ "lr", LRK_ROLE_LR, "lr" }, { "LR", LRK_ROLE_LR, "lr" },
		{ "learning_rate", LRK_ROLE_LR, "lr" },
		{ "lr-group0", LRK_ROLE_LR, "lr" },
		{ "loss", LRK_ROLE_LOSS, "loss" },
		{ "Loss", LRK_ROLE_LOSS, "loss" },
		{ "train_loss", LRK_ROLE_LOSS, "loss" },
		{ "train_loss_step", LRK_ROLE_LOSS, "loss" },
		{ "Value", LRK_ROLE_LOSS, "loss" },
		{ "step", LRK_ROLE_STEP, "step" },
		{ "Step", LRK_ROLE_STEP, "step" },
		{ "label_smooth", LRK_ROLE_SMOOTH, "smoothed loss" },
		{ "_smooth", LRK_ROLE_SMOOTH, "smoothed loss" },
		{ "Run", LRK_ROLE_RUN, "run" },
	};
	static const char *const no[] = { "wd", "lr_mult", "lossy", "smooth",
	    "runs", "steps", "_smoot", "" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		ck_assert_int_eq(lrk_name_role(yes[i].name,
		    strlen(yes[i].name)), yes[i].role);
		ck_assert_str_eq(lrk_role_text(yes[i].role), yes[i].text);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_int_eq(lrk_name_role(no[i], strlen(no[i])),
		    LRK_ROLE_NONE);
	ck_assert_str_eq(lrk_role_text(LRK_ROLE_NONE), "");
}
END_TEST

/*
 * lr-suggest(1) and lr-plot(1): "a column whose name ends in _smooth,
 * whatever the case, _smooth itself included" is a smoothed loss.
 */
START_TEST(test_smooth_name)
{
	static const char *const yes[] = { "loss_smooth", "LOSS_SMOOTH",
	    "x_Smooth", "_smooth", "a_smooth_smooth" };
	static const char *const no[] = { "smooth", "loss_smoothed",
	    "loss-smooth", "lossmooth", "_smoot", "", "loss_smooth " };
	char *s;
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(lrk_is_smooth_name(yes[i], strlen(yes[i])),
		    "%s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!lrk_is_smooth_name(no[i], strlen(no[i])),
		    "%s", no[i]);
	/* The length given is the name: a longer string is not read. */
	ck_assert(lrk_is_smooth_name("a_smoothing", 8));
	ck_assert(!lrk_is_smooth_name("a_smooth", 7));
	/* A header name holds every byte its length says, a NUL too. */
	open_str("lr,a\0b_smooth\n1,2\n", 19, LRK_HEADER_AUTO, 0);
	ck_assert_int_eq(lrk_table_start(t), 0);
	ck_assert_uint_eq(lrk_table_header(t)[1].len, 10);
	ck_assert(memcmp(lrk_table_header(t)[1].data, "a\0b_smooth", 11) ==
	    0);
	ck_assert(lrk_is_smooth_name(lrk_table_header(t)[1].data,
	    lrk_table_header(t)[1].len));
	done();
	/* What ema-smooth names a column's smoothed loss is one. */
	ck_assert_ptr_nonnull(s = lrk_smooth_name("Loss", 4));
	ck_assert_str_eq(s, "Loss_smooth");
	ck_assert(lrk_is_smooth_name(s, strlen(s)));
	free(s);
	ck_assert_ptr_nonnull(s = lrk_smooth_name("", 0));
	ck_assert_str_eq(s, "_smooth");
	ck_assert(lrk_is_smooth_name(s, strlen(s)));
	free(s);
}
END_TEST

START_TEST(test_basic)
{
	const struct lrk_cell *c;

	open_text("step,lr,loss\n0,1e-7,2.5\n1,2e-7,2.4\n");
	ck_assert_int_eq(lrk_table_start(t), 0);
	ck_assert_uint_eq(lrk_table_columns(t), 3);
	ck_assert(lrk_table_has_header(t));
	ck_assert_str_eq(lrk_table_header(t)[2].data, "loss");
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[1].data, "1e-7");
	ck_assert_uint_eq(lrk_table_line(t), 2);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[2].data, "2.4");
	ck_assert_uint_eq(lrk_table_line(t), 3);
	ck_assert_int_eq(lrk_table_next(t, &c), 0);
	done();
}
END_TEST

START_TEST(test_delimiters)
{
	const struct lrk_cell *c;

	open_text("a\tb\n1\t2\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_delim(t), '\t');
	done();
	open_text("a;b\n1,5;2\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_delim(t), ';');
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[0].data, "1,5");
	done();
	open_text("  1  2.5   3\n4 5 6\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_delim(t), LRK_DELIM_BLANKS);
	ck_assert(!lrk_table_has_header(t));
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[1].data, "2.5");
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[2].data, "6");
	done();
	open_text("Wall time,Step,Value\n1,2,3\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_delim(t), ',');
	ck_assert_str_eq(lrk_table_header(t)[0].data, "Wall time");
	done();
}
END_TEST

START_TEST(test_line_ends)
{
	const struct lrk_cell *c;

	open_text("\xef\xbb\xbf" "a,b\r\n1,2\r\n3,4");
	ck_assert_int_eq(lrk_table_start(t), 0);
	ck_assert_str_eq(lrk_table_header(t)[0].data, "a");
	ck_assert_str_eq(lrk_table_eol(t), "\r\n");
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[1].data, "2");
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[1].data, "4");
	ck_assert_uint_eq(lrk_table_line(t), 3);
	ck_assert_int_eq(lrk_table_next(t, &c), 0);
	done();
	/* Keras once wrote CR CR LF. */
	open_text("a,b\r\r\n1,2\r\r\n3,4\r\r\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[0].data, "3");
	ck_assert_uint_eq(lrk_table_line(t), 3);
	ck_assert_int_eq(lrk_table_next(t, &c), 0);
	done();
}
END_TEST

START_TEST(test_quotes)
{
	const struct lrk_cell *c;

	open_text("name,loss\n\"a,\"\"b\"\"\nc\",1\nx,2\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[0].data, "a,\"b\"\nc");
	ck_assert_uint_eq(lrk_table_line(t), 2);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_uint_eq(lrk_table_line(t), 4);
	done();
	open_text("a\n\"unterminated\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), -1);
	ck_assert_str_eq(lrk_table_error(t), "in.csv:2: unterminated quoted field");
	done();
	/* The line where the open quoted field began, not its row. */
	open_text("a,b\n\"x\ny\",\"open\n\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), -1);
	ck_assert_str_eq(lrk_table_error(t), "in.csv:3: unterminated quoted field");
	done();
	/* Rows that ended before a quoting error come out first. */
	open_text("a,b\n1,2\n3,4\r\"x\ny\"z,5\n6,7\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[1].data, "4");
	ck_assert_int_eq(lrk_table_next(t, &c), -1);
	ck_assert_str_eq(lrk_table_error(t), "in.csv:4: malformed quoting (a "
	    "quote inside an unquoted field, or text after a closing quote)");
	ck_assert_int_eq(lrk_table_next(t, &c), -1);
	done();
	/* A short row is reported before a quoting error further on. */
	open_text("a,b\n1\n\"x\"y,2\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), -1);
	ck_assert_str_eq(lrk_table_error(t),
	    "in.csv:2: 1 cell where the header has 2");
	ck_assert_int_eq(lrk_table_next(t, &c), -1);
	done();
}
END_TEST

START_TEST(test_header_detection)
{
	const struct lrk_cell *c;

	open_text("1e-7,2.3\n2e-7,2.2\n");
	lrk_table_start(t);
	ck_assert(!lrk_table_has_header(t));
	ck_assert_str_eq(lrk_table_header(t)[1].data, "2");
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_str_eq(c[0].data, "1e-7");
	ck_assert_uint_eq(lrk_table_line(t), 1);
	done();
	open_str("10,20\n1,2\n", 10, LRK_HEADER_YES, 0);
	lrk_table_start(t);
	ck_assert(lrk_table_has_header(t));
	done();
	open_text("");
	ck_assert_int_eq(lrk_table_start(t), 0);
	ck_assert(lrk_table_empty(t));
	ck_assert_int_eq(lrk_table_next(t, &c), 0);
	done();
}
END_TEST

START_TEST(test_ragged)
{
	const struct lrk_cell *c;

	open_text("a,b\n1,2,,\n1,2,3\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_int_eq(lrk_table_next(t, &c), -1);
	ck_assert_str_eq(lrk_table_error(t),
	    "in.csv:3: 3 cells where the header has 2");
	done();
}
END_TEST

START_TEST(test_roles)
{
	char err[LRK_ERRSIZE];
	size_t col;

	open_text("lr-Adam,step,train_loss,epoch\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_LR, &col, err), 0);
	ck_assert_uint_eq(col, 0);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_LOSS, &col, err), 0);
	ck_assert_uint_eq(col, 2);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_STEP, &col, err), 0);
	ck_assert_uint_eq(col, 1);
	done();
	open_text("lr,loss,loss_smooth,x_smooth\n");
	lrk_table_start(t);
	/* ema-smooth's own column over any other *_smooth. */
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_SMOOTH, &col, err), 0);
	ck_assert_uint_eq(col, 2);
	ck_assert_int_eq(lrk_table_find(t, "LOSS", "loss", &col, err), 0);
	ck_assert_uint_eq(col, 1);
	ck_assert_int_eq(lrk_table_find(t, "2", "loss", &col, err), 0);
	ck_assert_uint_eq(col, 1);
	done();
	open_text("lr,label_smooth,train_loss,train_loss_smooth,a_smooth\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_SMOOTH, &col, err), 0);
	ck_assert_uint_eq(col, 3);
	done();
	/* No <loss>_smooth: the last *_smooth, else the loss. */
	open_text("lr,loss,x_smooth,y_smooth,z\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_SMOOTH, &col, err), 0);
	ck_assert_uint_eq(col, 3);
	done();
	open_text("lr,loss,z\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_SMOOTH, &col, err), 0);
	ck_assert_uint_eq(col, 1);
	done();
	/* A column named _smooth alone is a smoothed loss. */
	open_text("lr,_smooth,loss\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_SMOOTH, &col, err), 0);
	ck_assert_uint_eq(col, 1);
	done();
	/* The run column of long format, whatever its case. */
	open_text("RUN,lr,loss\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_RUN, &col, err), 0);
	ck_assert_uint_eq(col, 0);
	done();
	open_text("lr,loss\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_RUN, &col, err), -1);
	ck_assert_str_eq(err, "no run column (looked for run); the header "
	    "is: lr, loss");
	done();
	open_text("1,2,3\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_RUN, &col, err), -1);
	done();
	open_text("lr-Adam,lr-SGD,loss\n");
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_find_role(t, LRK_ROLE_LR, &col, err), -1);
	ck_assert_str_eq(err, "2 columns are named lr-*; choose one; "
	    "the header is: lr-Adam, lr-SGD, loss");
	done();
}
END_TEST

START_TEST(test_long_lines)
{
	const struct lrk_cell *c;
	size_t n = 3 * 65536 + 17, i;
	char *s = malloc(n + 32);

	strcpy(s, "note,loss\n");
	for (i = 0; i < n; i++)
		s[10 + i] = 'x';
	strcpy(s + 10 + n, ",1\n");
	open_str(s, strlen(s), LRK_HEADER_AUTO, 0);
	lrk_table_start(t);
	ck_assert_int_eq(lrk_table_next(t, &c), 1);
	ck_assert_uint_eq(c[0].len, n);
	ck_assert_str_eq(c[1].data, "1");
	done();
	free(s);
}
END_TEST

START_TEST(test_many_rows_across_blocks)
{
	const struct lrk_cell *c;
	size_t n = 100000, i, len = 0;
	char *s = malloc(n * 24 + 16);
	long rows = 0;

	len += (size_t)sprintf(s, "step,loss\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "%zu,%zu.5\n", i, i);
	open_str(s, len, LRK_HEADER_AUTO, 0);
	lrk_table_start(t);
	while (lrk_table_next(t, &c) == 1) {
		ck_assert_uint_eq(strtoul(c[0].data, NULL, 10), (size_t)rows);
		rows++;
	}
	ck_assert_int_eq(rows, (long)n);
	ck_assert_uint_eq(lrk_table_line(t), n + 1);
	done();
	free(s);
}
END_TEST

/*
 * Line numbers over many pieces of input: every 7th row has a quoted
 * field with line feeds (some CR LF), blank lines in between, and the
 * rows are long enough to straddle the reader's blocks.
 */
START_TEST(test_lines_across_blocks)
{
	const struct lrk_cell *c;
	size_t n = 20000, i, len = 0;
	unsigned long *line = malloc(n * sizeof(*line)), at = 2;
	char *s = malloc(n * 64 + 16);
	long rows = 0;

	len += (size_t)sprintf(s, "note,loss\n");
	for (i = 0; i < n; i++) {
		line[i] = at;
		if (i % 7 == 3) {
			len += (size_t)sprintf(s + len,
			    "\"%zu\nsecond\r\nthird\",%zu\n", i, i);
			at += 3;
		} else if (i % 11 == 5) {
			len += (size_t)sprintf(s + len, "x%zu,%zu\n\n\r\n",
			    i, i);
			at += 3;
		} else {
			len += (size_t)sprintf(s + len, "plain %zu,%zu\n", i,
			    i);
			at++;
		}
	}
	open_str(s, len, LRK_HEADER_AUTO, 0);
	lrk_table_start(t);
	while (lrk_table_next(t, &c) == 1) {
		ck_assert_uint_eq(strtoul(c[1].data, NULL, 10), (size_t)rows);
		ck_assert_uint_eq(lrk_table_line(t), line[rows]);
		rows++;
	}
	ck_assert_int_eq(rows, (long)n);
	done();
	/* The same with an unterminated quote at the end. */
	len += (size_t)sprintf(s + len, "\"open\n\n,1\n");
	open_str(s, len, LRK_HEADER_AUTO, 0);
	lrk_table_start(t);
	while (lrk_table_next(t, &c) == 1)
		;
	ck_assert_uint_eq(strtoul(lrk_table_error(t) + strlen("in.csv:"),
	    NULL, 10), at);
	done();
	free(line);
	free(s);
}
END_TEST

START_TEST(test_writer)
{
	struct lrk_writer *w;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	w = lrk_writer_new(out, ';', "\r\n");
	lrk_write_str(w, "plain");
	lrk_write_str(w, "a;b");
	lrk_write_str(w, "say \"hi\"");
	lrk_write_num(w, 0.1);
	lrk_write_end(w);
	fclose(out);
	ck_assert_str_eq(buf, "plain;\"a;b\";\"say \"\"hi\"\"\";0.1\r\n");
	free(buf);
	/* A byte that forces quotes anywhere in cells of 4 to 19 bytes (the
	 * writer checks them a word at a time); a blank or a tab does not. */
	out = open_memstream(&buf, &len);
	lrk_writer_free(w);
	w = lrk_writer_new(out, ',', "\n");
	lrk_write_str(w, "1234567,");
	lrk_write_str(w, "12345678,");
	lrk_write_str(w, "123\n");
	lrk_write_str(w, "1234567890123456789\r");
	lrk_write_str(w, "a b\tc d");
	lrk_write_str(w, "\"123");
	lrk_write_end(w);
	fclose(out);
	ck_assert_str_eq(buf, "\"1234567,\",\"12345678,\",\"123\n\","
	    "\"1234567890123456789\r\",a b\tc d,\"\"\"123\"\n");
	free(buf);
	lrk_writer_free(w);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("table");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_basic);
	tcase_add_test(core, test_delimiters);
	tcase_add_test(core, test_line_ends);
	tcase_add_test(core, test_quotes);
	tcase_add_test(core, test_header_detection);
	tcase_add_test(core, test_roles);
	tcase_add_test(core, test_writer);
	tcase_add_test(limits, test_ragged);
	tcase_add_test(limits, test_long_lines);
	tcase_add_test(limits, test_lines_across_blocks);
	tcase_add_test(limits, test_many_rows_across_blocks);
	tcase_add_test(limits, test_name_role);
	tcase_add_test(limits, test_smooth_name);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
