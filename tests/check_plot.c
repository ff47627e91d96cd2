/* Unit tests of lib/plot.c, lib/plot_svg.c and lib/plot_text.c. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "plot_common.h"

/* Render p into a new string (SVG, or text when text is set). */
static char *
render(const struct lrk_plot *p, int text, int *status, char *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	*status = text ? lrk_plot_text(fp, p, err) : lrk_plot_svg(fp, p, err);
	fclose(fp);
	return buf;
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void
one_series(struct lrk_plot *p, struct lrk_plot_series *s, const double *x,
    const double *y, size_t n)
{
	memset(p, 0, sizeof(*p));
	memset(s, 0, sizeof(*s));
	s->x = x;
	s->y = y;
	s->n = n;
	p->series = s;
	p->nseries = 1;
	p->width = 640;
	p->height = 480;
	p->xlabel = "lr";
	p->ylabel = "loss";
}

START_TEST(test_nice_ticks)
{
	double t[32];
	size_t n;

	n = lrk_plot_nice_ticks(0, 1, 6, t, 32);
	ck_assert_uint_eq(n, 6);
	ck_assert_double_eq_tol(t[1], 0.2, 1e-12);
	ck_assert_double_eq_tol(t[5], 1, 1e-12);
	/* 8.8 / 6 = 1.47: a step of 1. */
	n = lrk_plot_nice_ticks(0.6, 9.4, 7, t, 32);
	ck_assert_uint_eq(n, 9);
	ck_assert_double_eq(t[0], 1);
	ck_assert_double_eq(t[8], 9);
	/* Zero is zero, not -0 or 1e-17. */
	n = lrk_plot_nice_ticks(-1, 1, 5, t, 32);
	ck_assert_uint_eq(n, 5);
	ck_assert_double_eq(t[2], 0);
	ck_assert(!signbit(t[2]));
	/* 2.5 steps: 0 2.5 5 7.5 10 for 0..10 in about 5. */
	n = lrk_plot_nice_ticks(0, 10, 4, t, 32);
	ck_assert_double_eq(t[1] - t[0], 2.5);
	ck_assert_uint_eq(lrk_plot_nice_ticks(1, 1, 5, t, 32), 0);
	ck_assert_uint_eq(lrk_plot_nice_ticks(0, 1, 6, t, 3), 3);
}
END_TEST

START_TEST(test_decade)
{
	char buf[40];

	ck_assert_uint_eq(lrk_plot_decade(buf, sizeof(buf), -7, 0),
	    strlen("10⁻⁷"));
	ck_assert_str_eq(buf, "10⁻⁷");
	lrk_plot_decade(buf, sizeof(buf), 0, 0);
	ck_assert_str_eq(buf, "10⁰");
	lrk_plot_decade(buf, sizeof(buf), 1, 0);
	ck_assert_str_eq(buf, "10¹");
	lrk_plot_decade(buf, sizeof(buf), 23, 0);
	ck_assert_str_eq(buf, "10²³");
	lrk_plot_decade(buf, sizeof(buf), -7, 1);
	ck_assert_str_eq(buf, "1e-7");
	lrk_plot_decade(buf, sizeof(buf), 0, 1);
	ck_assert_str_eq(buf, "1e0");
	/* Cut to the buffer, still terminated. */
	ck_assert_uint_lt(lrk_plot_decade(buf, 4, -7, 0), 4);
	ck_assert_uint_lt(strlen(buf), 4);
}
END_TEST

/*
 * The y window: the lowest loss (1) to the highest before it (3), 5% of
 * the 2 on each side; the tail (100) does not count.
 */
START_TEST(test_range_clip)
{
	static const double x[] = { 1e-5, 1e-4, 1e-3, 1e-2, 1e-1 };
	static const double y[] = { 3, 2.5, 1, 2, 100 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	struct lrk_plot_frame f;
	char err[LRK_ERRSIZE];

	one_series(&p, &s, x, y, 5);
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), 0);
	ck_assert_double_eq_tol(f.y0, 0.9, 1e-12);
	ck_assert_double_eq_tol(f.y1, 3.1, 1e-12);
	/* Four decades, 3% of them on each side. */
	ck_assert_double_eq_tol(f.lx0, -5.12, 1e-12);
	ck_assert_double_eq_tol(f.lx1, -0.88, 1e-12);

	p.ylim_set = 1;
	p.ylim[0] = -1;
	p.ylim[1] = 7;
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), 0);
	ck_assert_double_eq(f.y0, -1);
	ck_assert_double_eq(f.y1, 7);
	p.ylim[0] = 7;
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), -1);
}
END_TEST

/* A light (raw) line beside a strong one does not move the loss axis. */
START_TEST(test_range_light)
{
	static const double x[] = { 1e-3, 1e-2, 1e-1 };
	static const double smooth[] = { 2, 1, 3 };
	static const double raw[] = { 5, 0.5, 4 };
	struct lrk_plot p;
	struct lrk_plot_series s[2];
	struct lrk_plot_frame f;
	char err[LRK_ERRSIZE];

	one_series(&p, &s[0], x, raw, 3);
	s[0].light = 1;
	s[1] = s[0];
	s[1].y = smooth;
	s[1].light = 0;
	p.series = s;
	p.nseries = 2;
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), 0);
	ck_assert_double_eq_tol(f.y0, 1 - 0.05, 1e-12);
	ck_assert_double_eq_tol(f.y1, 2 + 0.05, 1e-12);
	/* Alone, the raw line is the strong one. */
	p.nseries = 1;
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), 0);
	ck_assert_double_eq_tol(f.y1, 5 + 0.225, 1e-12);
}
END_TEST

START_TEST(test_mapping)
{
	struct lrk_plot_frame f = { -7, 1, 0, 2, 50, 10, 500, 400 };

	ck_assert_double_eq_tol(lrk_plot_x(&f, 1e-7), 50, 1e-9);
	ck_assert_double_eq_tol(lrk_plot_x(&f, 10), 550, 1e-9);
	ck_assert_double_eq_tol(lrk_plot_x(&f, 1e-3), 300, 1e-9);
	ck_assert_double_eq_tol(lrk_plot_y(&f, 2), 10, 1e-9);
	ck_assert_double_eq_tol(lrk_plot_y(&f, 0), 410, 1e-9);
	ck_assert_double_eq_tol(lrk_plot_y(&f, 0.5), 310, 1e-9);
}
END_TEST

START_TEST(test_svg)
{
	static const double x[] = { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2 };
	static const double y[] = { 2, 1.9, 1.2, 1, 3 };
	struct lrk_plot p;
	struct lrk_plot_series s[2];
	struct lrk_plot_mark m = { "valley 0.0001", 1e-4, 1.2, 1 };
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s[0], x, y, 5);
	s[0].column = "loss";
	s[1] = s[0];
	s[1].column = "loss_smooth";
	s[0].light = 1;
	p.series = s;
	p.nseries = 2;
	p.marks = &m;
	p.nmarks = 1;
	p.title = "a <b> & c";
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, 0);
	ck_assert(strncmp(out, "<?xml", 5) == 0);
	ck_assert_uint_eq(count(out, "<svg "), 1);
	ck_assert_uint_eq(count(out, "</svg>\n"), 1);
	ck_assert_uint_eq(count(out, "<path class=\"curve"), 2);
	ck_assert_uint_eq(count(out, "class=\"curve light\""), 1);
	ck_assert_uint_eq(count(out, "class=\"frame\""), 1);
	ck_assert_uint_eq(count(out, "class=\"suggestion\""), 1);
	ck_assert_uint_eq(count(out, ">valley 0.0001</text>"), 1);
	ck_assert_uint_eq(count(out, "class=\"legend-entry\""), 2);
	ck_assert_uint_eq(count(out, ">a &lt;b&gt; &amp; c</text>"), 1);
	ck_assert_uint_eq(count(out, ">10⁻⁴</text>"), 1);
	ck_assert_ptr_null(strstr(out, "nan"));
	ck_assert_ptr_null(strstr(out, "inf"));
	free(out);
}
END_TEST

START_TEST(test_text)
{
	static const double x[] = { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2 };
	static const double y[] = { 2, 1.9, 1.2, 1, 3 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	struct lrk_plot_mark m = { "valley 0.0001", 1e-4, 1.2, 1 };
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s, x, y, 5);
	p.width = 60;
	p.height = 20;
	p.marks = &m;
	p.nmarks = 1;
	out = render(&p, 1, &st, err);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_eq(count(out, "\n"), 20);
	ck_assert(strncmp(out, "loss\n", 5) == 0);
	ck_assert_uint_eq(count(out, "●"), 2);
	ck_assert_uint_eq(count(out, "10⁻⁴"), 1);
	ck_assert_uint_eq(count(out, "● valley 0.0001\n"), 1);
	free(out);

	p.ascii = 1;
	p.title = "t";
	out = render(&p, 1, &st, err);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_eq(count(out, "\n"), 20);
	ck_assert_uint_eq(count(out, "1e-4"), 1);
	ck_assert_uint_eq(count(out, "O valley"), 1);
	/* Nothing but ASCII. */
	for (char *c = out; *c; c++)
		ck_assert_int_lt((unsigned char)*c, 0x80);
	free(out);
}
END_TEST

/* The pen cuts a segment leaving the rectangle at the edge, exactly. */
static double pen_log[64][3];
static size_t pen_n;

static void
log_move(void *arg, double x, double y)
{
	(void)arg;
	pen_log[pen_n][0] = 0;
	pen_log[pen_n][1] = x;
	pen_log[pen_n++][2] = y;
}

static void
log_line(void *arg, double x, double y)
{
	(void)arg;
	pen_log[pen_n][0] = 1;
	pen_log[pen_n][1] = x;
	pen_log[pen_n++][2] = y;
}

START_TEST(test_pen_clip)
{
	struct pen pen = { .x0 = 0, .y0 = 0, .x1 = 100, .y1 = 100 };

	pen.move = log_move;
	pen.line = log_line;
	pen_n = 0;
	pen_start(&pen);
	pen_point(&pen, 10, 50);
	pen_point(&pen, 20, 50);
	pen_point(&pen, 30, -1e300);	/* far above: cut at y = 0 */
	pen_point(&pen, 40, 50);
	pen_break(&pen);
	ck_assert_uint_eq(pen_n, 5);
	ck_assert(pen_log[0][0] == 0 && pen_log[0][1] == 10);
	ck_assert(pen_log[1][0] == 1 && pen_log[1][1] == 20);
	ck_assert(pen_log[2][0] == 1);
	/* Within a millionth of a unit (far points are brought to 1e9). */
	ck_assert_double_eq_tol(pen_log[2][1], 20, 1e-6);
	ck_assert_double_eq_tol(pen_log[2][2], 0, 1e-6);
	ck_assert(pen_log[3][0] == 0);	/* back in: a new piece */
	ck_assert_double_eq_tol(pen_log[3][1], 40, 1e-6);
	ck_assert_double_eq_tol(pen_log[3][2], 0, 1e-6);
	ck_assert(pen_log[4][0] == 1 && pen_log[4][1] == 40 &&
	    pen_log[4][2] == 50);
}
END_TEST

/* Many points in one column: first, lowest, highest, last. */
START_TEST(test_pen_thin)
{
	struct pen pen = { .x0 = -1000, .y0 = -1000, .x1 = 1000,
	    .y1 = 1000 };
	int i;

	pen.move = log_move;
	pen.line = log_line;
	pen_n = 0;
	pen_start(&pen);
	for (i = 0; i < 1000; i++)
		pen_point(&pen, 5 + i / 1000.0, i == 500 ? -7 : i == 700 ?
		    9 : (double)(i % 3));
	pen_point(&pen, 6.5, 1);
	pen_break(&pen);
	/* M first, L lowest, L highest, L last of the column, L next. */
	ck_assert_uint_eq(pen_n, 5);
	ck_assert_double_eq(pen_log[0][2], 0);
	ck_assert_double_eq(pen_log[1][2], -7);
	ck_assert_double_eq(pen_log[2][2], 9);
	ck_assert_double_eq(pen_log[3][2], 999 % 3);
	ck_assert_double_eq(pen_log[4][1], 6.5);
}
END_TEST

START_TEST(test_utf8_clean)
{
	char out[64];

	plot_utf8_clean(out, sizeof(out), "ok é 10⁻⁷");
	ck_assert_str_eq(out, "ok é 10⁻⁷");
	plot_utf8_clean(out, sizeof(out), "a\001b\377c\xc3");
	ck_assert_str_eq(out, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd");
	plot_utf8_clean(out, 4, "abcdef");
	ck_assert_str_eq(out, "abc");
	ck_assert_uint_eq(plot_utf8_length("10⁻⁷"), 4);
}
END_TEST

START_TEST(test_no_points)
{
	static const double x[] = { 0, -1, 1e-3, NAN };
	static const double y[] = { 1, 2, NAN, 1 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	struct lrk_plot_frame f;
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s, x, y, 4);
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), -1);
	ck_assert_str_eq(err, "no points to plot");
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, -1);
	free(out);
	out = render(&p, 1, &st, err);
	ck_assert_int_eq(st, -1);
	free(out);
	p.nseries = 0;
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), -1);
}
END_TEST

/* One point, or a flat line at zero: a window around it. */
START_TEST(test_degenerate)
{
	static const double x[] = { 1e-3, 1e-3 };
	static const double y[] = { 0, 0 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	struct lrk_plot_frame f;
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s, x, y, 2);
	ck_assert_int_eq(lrk_plot_range(&p, &f, err), 0);
	ck_assert_double_eq_tol(f.lx0, -3.5, 1e-12);
	ck_assert_double_eq_tol(f.lx1, -2.5, 1e-12);
	ck_assert_double_eq(f.y0, -0.5);
	ck_assert_double_eq(f.y1, 0.5);
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, 0);
	free(out);
	out = render(&p, 1, &st, err);
	ck_assert_int_eq(st, 0);
	free(out);
}
END_TEST

/* Values near the ends of the doubles: finite coordinates only. */
START_TEST(test_huge)
{
	static const double x[] = { 1e-300, 1e-10, 1e300 };
	static const double y[] = { 1e300, -1e300, 1e300 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s, x, y, 3);
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, 0);
	ck_assert_ptr_null(strstr(out, "nan"));
	ck_assert_ptr_null(strstr(out, "inf"));
	free(out);
	out = render(&p, 1, &st, err);
	ck_assert_int_eq(st, 0);
	free(out);
}
END_TEST

/* A window narrower than a decade still gets labelled ticks. */
START_TEST(test_narrow)
{
	static const double x[] = { 1.001e-3, 1.004e-3 };
	static const double y[] = { 1, 2 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s, x, y, 2);
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_ge(count(out, "class=\"xtick\""), 2);
	free(out);
}
END_TEST

/* Sixty decades: every fifth or tenth labelled, none overlapping. */
START_TEST(test_wide)
{
	static const double x[] = { 1e-30, 1e30 };
	static const double y[] = { 1, 2 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s, x, y, 2);
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_ge(count(out, "class=\"xtick\""), 4);
	ck_assert_uint_le(count(out, "class=\"xtick\""), 13);
	ck_assert_uint_eq(count(out, ">10⁰</text>"), 1);
	free(out);
}
END_TEST

START_TEST(test_too_small)
{
	static const double x[] = { 1e-3, 1e-2 };
	static const double y[] = { 1, 2 };
	struct lrk_plot p;
	struct lrk_plot_series s;
	char err[LRK_ERRSIZE], *out;
	int st;

	one_series(&p, &s, x, y, 2);
	p.width = 100;
	p.height = 60;
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, "100x60 is too small for a plot");
	free(out);
	p.width = 20;
	p.height = 6;
	out = render(&p, 1, &st, err);
	ck_assert_int_eq(st, -1);
	ck_assert_str_eq(err, "20x6 is too small for a plot");
	free(out);
}
END_TEST

/* A million points: the SVG stays the size of the picture. */
START_TEST(test_long)
{
	struct lrk_plot p;
	struct lrk_plot_series s;
	char err[LRK_ERRSIZE], *out;
	double *x, *y;
	size_t n = 1000000, i;
	int st;

	x = malloc(n * sizeof(*x));
	y = malloc(n * sizeof(*y));
	ck_assert(x != NULL && y != NULL);
	for (i = 0; i < n; i++) {
		x[i] = 1e-7 * pow(1e8, (double)i / (double)(n - 1));
		y[i] = 2 + sin((double)i) * 0.1 - (double)i / (double)n;
	}
	one_series(&p, &s, x, y, n);
	out = render(&p, 0, &st, err);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_lt(strlen(out), 200000);
	free(out);
	free(x);
	free(y);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("plot");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_nice_ticks);
	tcase_add_test(core, test_decade);
	tcase_add_test(core, test_range_clip);
	tcase_add_test(core, test_range_light);
	tcase_add_test(core, test_mapping);
	tcase_add_test(core, test_svg);
	tcase_add_test(core, test_text);
	tcase_add_test(core, test_pen_clip);
	tcase_add_test(core, test_pen_thin);
	tcase_add_test(core, test_utf8_clean);
	tcase_add_test(limits, test_no_points);
	tcase_add_test(limits, test_degenerate);
	tcase_add_test(limits, test_huge);
	tcase_add_test(limits, test_narrow);
	tcase_add_test(limits, test_wide);
	tcase_add_test(limits, test_too_small);
	tcase_add_test(limits, test_long);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
