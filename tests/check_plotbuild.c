/* Unit tests of lib/plotbuild.c: lr-plot's picture from its inputs. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* Read text, named name, into pd; returns lrk_plotdata_read's result. */
static int
read_text(struct lrk_plotdata *pd, const char *name, const char *text,
    struct lrk_curve_counts *counts, char *err)
{
	struct lrk_table_options o = { 0 };
	struct lrk_table *t;
	char note[LRK_ERRSIZE];
	FILE *fp;
	int r;

	fp = fmemopen((void *)text, strlen(text), "r");
	ck_assert_ptr_nonnull(fp);
	t = lrk_table_new(fp, name, &o);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(lrk_table_start(t), 0);
	err[0] = '\0';
	r = lrk_plotdata_read(pd, t, name, counts, note, err);
	lrk_table_free(t);
	fclose(fp);
	return r;
}

/* A curve of n points, lr 10^(i/4 - 6), loss falling then rising. */
static char *
curve_text(const char *head, const char *group, int n)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	int i;

	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "%s\n", head);
	for (i = 0; i < n; i++) {
		double x = (double)i / n, loss = 2 - 4 * x + 5 * x * x;

		fprintf(fp, "%s%s%.17g,%g,%g\n", group ? group : "",
		    group ? "," : "", pow(10, i / 4.0 - 6), loss + 0.01, loss);
	}
	fclose(fp);
	return s;
}

START_TEST(test_smooth_and_raw)
{
	struct lrk_plot_input_options io = { 0 };
	struct lrk_plot_build_options bo = { 0 };
	struct lrk_curve_counts n = { 0 };
	static const char *methods[] = { "valley", "range" };
	struct lrk_plotdata *pd = lrk_plotdata_new(&io);
	struct lrk_plot plot = { 0 };
	const char *const *fail;
	char err[LRK_ERRSIZE], *text = curve_text("lr,loss,loss_smooth",
	    NULL, 40);

	ck_assert_int_eq(read_text(pd, "a.csv", text, &n, err), 0);
	ck_assert_uint_eq(n.rows, 40);
	bo.methods = methods;
	bo.nmethods = 2;
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), 0);
	/* The smoothed loss strong, the raw loss it came from light. */
	ck_assert_uint_eq(plot.nseries, 2);
	ck_assert_str_eq(plot.series[0].column, "loss");
	ck_assert_int_eq(plot.series[0].light, 1);
	ck_assert_str_eq(plot.series[1].column, "loss_smooth");
	ck_assert_int_eq(plot.series[1].light, 0);
	ck_assert_ptr_null(plot.series[0].group);
	ck_assert_str_eq(plot.xlabel, "lr");
	ck_assert_str_eq(plot.ylabel, "loss");
	/* valley, and range as two marks. */
	ck_assert_uint_eq(plot.nmarks, 3);
	ck_assert(strncmp(plot.marks[0].label, "valley ", 7) == 0);
	ck_assert(strncmp(plot.marks[1].label, "range min ", 10) == 0);
	ck_assert(strncmp(plot.marks[2].label, "range max ", 10) == 0);
	ck_assert_uint_eq(lrk_plotdata_failures(pd, &fail), 0);
	lrk_plotdata_free(pd);
	free(text);
}
END_TEST

START_TEST(test_groups)
{
	struct lrk_plot_input_options io = { .group = "run" };
	struct lrk_plot_build_options bo = { .terminal = 1 };
	struct lrk_curve_counts n = { 0 };
	static const char *methods[] = { "valley", "pooled" };
	struct lrk_plotdata *pd = lrk_plotdata_new(&io);
	struct lrk_plot plot = { 0 };
	const char *const *fail;
	char err[LRK_ERRSIZE], *a = curve_text("run,lr,loss,loss_smooth",
	    "10", 40), *b = curve_text("run,lr,loss,loss_smooth", "2", 40);

	/* Two files of one group column: run 10 first, drawn second. */
	ck_assert_int_eq(read_text(pd, "a", a, &n, err), 0);
	ck_assert_int_eq(read_text(pd, "b", b, &n, err), 0);
	bo.methods = methods;
	bo.nmethods = 2;
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), 0);
	ck_assert_uint_eq(plot.nseries, 4);
	ck_assert_str_eq(plot.series[0].group, "run 2");
	ck_assert_str_eq(plot.series[2].group, "run 10");
	ck_assert_int_eq(plot.series[0].colour, 0);
	ck_assert_int_eq(plot.series[2].colour, 1);
	/* valley per group, named under -T; pooled once, for all. */
	ck_assert_uint_eq(plot.nmarks, 3);
	ck_assert(strncmp(plot.marks[0].label, "run 2: valley ", 14) == 0);
	ck_assert(strncmp(plot.marks[1].label, "pooled ", 7) == 0);
	ck_assert(strncmp(plot.marks[2].label, "run 10: valley ", 15) == 0);
	ck_assert_uint_eq(lrk_plotdata_failures(pd, &fail), 0);
	lrk_plotdata_free(pd);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_failures)
{
	struct lrk_plot_input_options io = { .group = "run" };
	struct lrk_plot_build_options bo = { 0 };
	struct lrk_curve_counts n = { 0 };
	static const char *methods[] = { "slide" };
	struct lrk_plotdata *pd = lrk_plotdata_new(&io);
	struct lrk_plot plot = { 0 };
	const char *const *fail;
	char err[LRK_ERRSIZE];

	/* Too few points for slide: a message per group, the rest drawn. */
	ck_assert_int_eq(read_text(pd, "in", "run,lr,loss_smooth\nr1,0.1,2\n"
	    "r1,1,1\nr2,0.1,2\nr2,1,1\n", &n, err), 0);
	bo.methods = methods;
	bo.nmethods = 1;
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), 0);
	ck_assert_uint_eq(plot.nseries, 2);
	ck_assert_uint_eq(plot.nmarks, 0);
	ck_assert_uint_eq(lrk_plotdata_failures(pd, &fail), 2);
	ck_assert(strncmp(fail[0], "r1: ", 4) == 0);
	ck_assert(strncmp(fail[1], "r2: ", 4) == 0);
	lrk_plotdata_free(pd);
}
END_TEST

/*
 * lr-plot(1): "a table with no smoothed column has its loss smoothed as
 * it is read, drawn strong and named as ema-smooth would name it, over
 * the raw loss, light, with a warning".
 */
START_TEST(test_smooth_here)
{
	struct lrk_plot_input_options io = { 0 };
	struct lrk_plot_build_options bo = { 0 };
	struct lrk_curve_counts n = { 0 };
	struct lrk_plotdata *pd = lrk_plotdata_new(&io);
	struct lrk_plot plot = { 0 };
	char err[LRK_ERRSIZE], note[LRK_ERRSIZE];
	struct lrk_table_options o = { 0 };
	struct lrk_table *t;
	const char *text = "lr,Loss\n0.1,4\n0.2,2\n0.3,3\n";
	FILE *fp;

	fp = fmemopen((void *)text, strlen(text), "r");
	t = lrk_table_new(fp, "in", &o);
	ck_assert_int_eq(lrk_table_start(t), 0);
	ck_assert_int_eq(lrk_plotdata_read(pd, t, "in", &n, note, err), 0);
	lrk_table_free(t);
	fclose(fp);
	ck_assert_str_eq(note, "no smoothed column: Loss smoothed here (beta "
	    "0.98, debiased), as ema-smooth does");
	ck_assert_uint_eq(n.points, 3);
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), 0);
	ck_assert_uint_eq(plot.nseries, 2);
	ck_assert_str_eq(plot.series[0].column, "Loss");
	ck_assert_int_eq(plot.series[0].light, 1);
	ck_assert(plot.series[0].y[1] == 2);
	ck_assert_str_eq(plot.series[1].column, "Loss_smooth");
	ck_assert_int_eq(plot.series[1].light, 0);
	ck_assert_double_eq_tol(plot.series[1].y[1], (0.98 * 4 + 2) / 1.98,
	    1e-15);
	lrk_plotdata_free(pd);
}
END_TEST

/*
 * lr-plot(1): a run column without -g is one curve per run; "with
 * several files and no -g, each file is one curve, or with a run column
 * one curve per run of the file, named file: run 3 when the file has
 * several"; the files in the order given.
 */
START_TEST(test_runs_by_file)
{
	struct lrk_plot_input_options io = { .file_groups = 1 };
	struct lrk_plot_build_options bo = { 0 };
	struct lrk_curve_counts n = { 0 };
	struct lrk_plotdata *pd = lrk_plotdata_new(&io);
	struct lrk_plot plot = { 0 };
	char err[LRK_ERRSIZE], *one = curve_text("run,lr,loss,loss_smooth",
	    "7", 20);
	const char *two = "run,lr,loss_smooth\nr2,0.1,2\nr10,0.1,2\n"
	    "r2,1,1\nr10,1,1\n";

	ck_assert_int_eq(read_text(pd, "z.csv", two, &n, err), 0);
	ck_assert_int_eq(read_text(pd, "a.csv", one, &n, err), -1);
	ck_assert_str_eq(err, "a.csv: 2 loss columns where the first file "
	    "has 1");
	ck_assert_int_eq(read_text(pd, "a.csv", "run,lr,loss_smooth\n"
	    "7,0.1,2\n7,1,3\n", &n, err), 0);
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), 0);
	ck_assert_uint_eq(plot.nseries, 3);
	ck_assert_str_eq(plot.series[0].group, "z.csv: run r10");
	ck_assert_str_eq(plot.series[1].group, "z.csv: run r2");
	ck_assert_str_eq(plot.series[2].group, "a.csv");
	lrk_plotdata_free(pd);
	free(one);

	/* One file: its runs, by name. */
	io.file_groups = 0;
	pd = lrk_plotdata_new(&io);
	ck_assert_int_eq(read_text(pd, "in", "RUN,lr,loss_smooth\n"
	    "10,0.1,2\n2,0.1,2\n", &n, err), 0);
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), 0);
	ck_assert_uint_eq(plot.nseries, 2);
	ck_assert_str_eq(plot.series[0].group, "RUN 2");
	ck_assert_str_eq(plot.series[1].group, "RUN 10");
	lrk_plotdata_free(pd);

	/* One run: one curve, named as one. */
	pd = lrk_plotdata_new(&io);
	ck_assert_int_eq(read_text(pd, "in", "run,lr,loss_smooth\n"
	    "0,0.1,2\n0,1,1\n", &n, err), 0);
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), 0);
	ck_assert_uint_eq(plot.nseries, 1);
	ck_assert_ptr_null(plot.series[0].group);
	lrk_plotdata_free(pd);
}
END_TEST

/*
 * lr-plot(1): "that a column is read as it is (-y, or no header) is said
 * only when suggestions are marked".
 */
START_TEST(test_notes)
{
	static const char *const y[] = { "loss" };
	struct lrk_plot_input_options io = { .loss = y, .nloss = 1 };
	struct lrk_curve_counts n = { 0 };
	struct lrk_plotdata *pd;
	char err[LRK_ERRSIZE], note[LRK_ERRSIZE];
	struct lrk_table_options o = { 0 };
	struct lrk_table *t;
	const char *text = "lr,loss\n0.1,4\n0.2,2\n";
	FILE *fp;
	int marks;

	for (marks = 0; marks < 2; marks++) {
		io.marks = marks;
		pd = lrk_plotdata_new(&io);
		fp = fmemopen((void *)text, strlen(text), "r");
		t = lrk_table_new(fp, "in", &o);
		ck_assert_int_eq(lrk_table_start(t), 0);
		ck_assert_int_eq(lrk_plotdata_read(pd, t, "in", &n, note,
		    err), 0);
		ck_assert_str_eq(note, marks ? "loss: read as it is, not "
		    "smoothed (its name does not end in _smooth)" : "");
		lrk_table_free(t);
		fclose(fp);
		lrk_plotdata_free(pd);
	}
}
END_TEST

START_TEST(test_limits)
{
	struct lrk_plot_input_options io = { 0 };
	struct lrk_plot_build_options bo = { 0 };
	struct lrk_curve_counts n = { 0 };
	struct lrk_plotdata *pd;
	struct lrk_plot plot = { 0 };
	char err[LRK_ERRSIZE];

	/* A header alone. */
	pd = lrk_plotdata_new(&io);
	ck_assert_int_eq(read_text(pd, "in", "lr,loss\n", &n, err), 0);
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), -1);
	ck_assert_str_eq(err, "no data to plot: the input has no rows");
	lrk_plotdata_free(pd);

	/* A second file with fewer loss columns than the first. */
	pd = lrk_plotdata_new(&io);
	ck_assert_int_eq(read_text(pd, "a", "lr,loss,loss_smooth\n1,2,2\n",
	    &n, err), 0);
	ck_assert_int_eq(read_text(pd, "b", "lr,loss_smooth\n1,2\n", &n,
	    err), -1);
	ck_assert_str_eq(err, "b: 1 loss column where the first file has 2");
	lrk_plotdata_free(pd);

	/* Nothing left after the skips. */
	pd = lrk_plotdata_new(&io);
	ck_assert_int_eq(read_text(pd, "in", "lr,loss\n1,2\n2,1\n", &n, err),
	    0);
	bo.skip_start = 1;
	bo.skip_end = 1;
	ck_assert_int_eq(lrk_plotdata_build(pd, &bo, &plot, err), -1);
	ck_assert_str_eq(err, "no point left to plot after --skip-start 1 "
	    "and --skip-end 1");
	lrk_plotdata_free(pd);

	/* More -y columns than the picture takes. */
	io.nloss = LRK_PLOT_MAX_COLUMNS + 1;
	ck_assert_ptr_null(lrk_plotdata_new(&io));
}
END_TEST

static Suite *
plotbuild_suite(void)
{
	Suite *s = suite_create("plotbuild");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");

	tcase_add_test(core, test_smooth_and_raw);
	tcase_add_test(core, test_groups);
	tcase_add_test(core, test_smooth_here);
	tcase_add_test(core, test_runs_by_file);
	tcase_add_test(core, test_notes);
	tcase_add_test(core, test_failures);
	tcase_add_test(limits, test_limits);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(plotbuild_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
