/* Unit tests of lib/curve.c: curves read from the stream, and pooled. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* A started table on text, named "in". */
static struct lrk_table *
table_of(const char *text, FILE **fp)
{
	struct lrk_table_options o = { 0 };
	struct lrk_table *t;

	*fp = fmemopen((void *)text, strlen(text), "r");
	ck_assert_ptr_nonnull(*fp);
	t = lrk_table_new(*fp, "in", &o);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(lrk_table_start(t), 0);
	return t;
}

/*
 * Read text into curves of nslots slots: lr in column 0, the losses in
 * columns 1.., grouped by column group when it is not -1.  Returns what
 * lrk_curves_read returned; err gets its message.
 */
static int
read_text(struct lrk_curves *c, const char *text, int strict, long group,
    struct lrk_curve_counts *counts, char *err)
{
	static const size_t loss[] = { 1, 2, 3 };
	struct lrk_curve_columns cols = { 0 };
	struct lrk_table *t;
	FILE *fp;
	int r;

	t = table_of(text, &fp);
	cols.lr = 0;
	cols.loss = loss;
	cols.nloss = strict ? 1 : 2;
	cols.strict = strict;
	cols.grouped = group >= 0;
	cols.group = group >= 0 ? (size_t)group : 0;
	err[0] = '\0';
	r = lrk_curves_read(c, t, &cols, counts, err);
	lrk_table_free(t);
	fclose(fp);
	return r;
}

START_TEST(test_strict)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	const struct lrk_curve *k;
	char err[LRK_ERRSIZE];

	/* Rows without an lr or a loss are left out, a NaN loss stays. */
	ck_assert_int_eq(read_text(c, "lr,loss\n1,5\n,4\n2,NA\n3,nan\n4,2\n",
	    1, -1, &n, err), 0);
	ck_assert_uint_eq(lrk_curves_groups(c), 1);
	k = lrk_curves_get(c, 0, 0);
	ck_assert_uint_eq(k->n, 3);
	ck_assert(k->lr[0] == 1 && k->loss[0] == 5);
	ck_assert(k->lr[1] == 3 && isnan(k->loss[1]));
	ck_assert_uint_eq(k->row[2], 4);
	ck_assert_uint_eq(k->line[2], 6);
	ck_assert_uint_eq(n.rows, 5);
	ck_assert_uint_eq(n.with_lr, 4);
	ck_assert_uint_eq(n.with_loss, 4);
	ck_assert_uint_eq(n.paired, 3);
	lrk_curves_free(c);
}
END_TEST

START_TEST(test_strict_errors)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(read_text(c, "lr,loss\n1,5\n2,abc\n", 1, -1, &n, err),
	    -1);
	ck_assert_str_eq(err, "in:3: loss: \"abc\" is not a number");
	ck_assert_int_eq(read_text(c, "lr,loss\ninf,5\n", 1, -1, &n, err),
	    -1);
	ck_assert_str_eq(err, "in:2: lr: inf is not a finite learning rate");
	ck_assert_int_eq(read_text(c, "lr,loss\n-1,5\n", 1, -1, &n, err), -1);
	ck_assert_str_eq(err, "in:2: lr: -1: a learning rate cannot be "
	    "negative");
	/* A bad lr is named before a bad loss on the same row. */
	ck_assert_int_eq(read_text(c, "lr,loss\nx,y\n", 1, -1, &n, err), -1);
	ck_assert_str_eq(err, "in:2: lr: \"x\" is not a number");
	/* The table's own errors come through. */
	ck_assert_int_eq(read_text(c, "lr,loss\n1,\"5\n", 1, -1, &n, err), -1);
	ck_assert_msg(strncmp(err, "in:", 3) == 0, "%s", err);
	lrk_curves_free(c);
}
END_TEST

START_TEST(test_loose)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(2);
	const struct lrk_curve *raw, *smooth;
	char err[LRK_ERRSIZE];

	/* Each slot takes the rows that have its value; any lr is kept. */
	ck_assert_int_eq(read_text(c, "lr,loss,loss_smooth\n1,5,\n0,4,4\n"
	    ",3,3\n2,inf,2\n", 0, -1, &n, err), 0);
	raw = lrk_curves_get(c, 0, 0);
	smooth = lrk_curves_get(c, 0, 1);
	ck_assert_uint_eq(raw->n, 3);
	ck_assert_uint_eq(smooth->n, 2);
	ck_assert(raw->lr[1] == 0 && isinf(raw->loss[2]));
	ck_assert_uint_eq(n.rows, 4);
	ck_assert_uint_eq(n.bad_lr, 2);
	ck_assert_uint_eq(n.nonfinite, 1);
	ck_assert_uint_eq(n.points, 2);
	ck_assert_int_eq(read_text(c, "lr,loss,loss_smooth\n1,2,x\n", 0, -1,
	    &n, err), -1);
	ck_assert_str_eq(err, "in:2: loss_smooth: \"x\" is not a number");
	lrk_curves_free(c);
}
END_TEST

START_TEST(test_groups)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	char err[LRK_ERRSIZE];

	/* Rows of three runs interleaved; groups in first-seen order. */
	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,5,b\n1,6,a\n2,4,b\n"
	    "2,5,a\n1,9,c\n", 1, 2, &n, err), 0);
	ck_assert_uint_eq(lrk_curves_groups(c), 3);
	ck_assert_str_eq(lrk_curves_name(c, 0), "b");
	ck_assert_str_eq(lrk_curves_name(c, 1), "a");
	ck_assert_uint_eq(lrk_curves_get(c, 0, 0)->n, 2);
	ck_assert(lrk_curves_get(c, 1, 0)->loss[1] == 5);
	ck_assert_uint_eq(lrk_curves_get(c, 2, 0)->row[0], 4);
	lrk_curves_free(c);

	/* Strict: a group is made by its first point, loose by its lr. */
	c = lrk_curves_new(1);
	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,,x\n1,2,y\n", 1, 2, &n,
	    err), 0);
	ck_assert_uint_eq(lrk_curves_groups(c), 1);
	ck_assert_str_eq(lrk_curves_name(c, 0), "y");
	lrk_curves_free(c);
}
END_TEST

START_TEST(test_order)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	char err[LRK_ERRSIZE];
	size_t order[4];

	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,1,10\n1,1,2\n1,1,b\n"
	    "1,1,a\n", 1, 2, &n, err), 0);
	lrk_curves_order(c, order);
	/* Numbers as numbers (2 before 10), then the others by bytes. */
	ck_assert_str_eq(lrk_curves_name(c, order[0]), "2");
	ck_assert_str_eq(lrk_curves_name(c, order[1]), "10");
	ck_assert_str_eq(lrk_curves_name(c, order[2]), "a");
	ck_assert_str_eq(lrk_curves_name(c, order[3]), "b");
	lrk_curves_free(c);
}
END_TEST

/*
 * lr-plot(1): the groups "are ordered by name: numbers by value, then
 * the names that read as NaN, then the others, by their bytes" -- one
 * order whatever order the rows come in, nan, inf and the empty name
 * included.
 */
START_TEST(test_order_total)
{
	static const char *const names[] = { "word", "nan", "10", "", "inf",
	    "NaN", "-inf", "1.0", "NA", "1", "-1e-3" };
	static const char *const want[] = { "-inf", "-1e-3", "1", "1.0",
	    "10", "inf", "NaN", "nan", "", "NA", "word" };
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c;
	char err[LRK_ERRSIZE], text[1024];
	size_t order[N], i, k, start, len;
	int reverse;

	/* Every rotation of the rows, forwards and backwards. */
	for (reverse = 0; reverse < 2; reverse++)
		for (start = 0; start < N; start++) {
			len = (size_t)snprintf(text, sizeof(text),
			    "lr,loss,run\n");
			for (k = 0; k < N; k++) {
				i = (start + (reverse ? N - k : k)) % N;
				len += (size_t)snprintf(text + len,
				    sizeof(text) - len, "1,1,%s\n", names[i]);
			}
			c = lrk_curves_new(1);
			ck_assert_int_eq(read_text(c, text, 1, 2, &n, err), 0);
			ck_assert_uint_eq(lrk_curves_groups(c), N);
			lrk_curves_order(c, order);
			for (k = 0; k < N; k++)
				ck_assert_str_eq(lrk_curves_name(c, order[k]),
				    want[k]);
			lrk_curves_free(c);
		}
	/* Names that differ after a NUL byte are two names, in one order. */
	ck_assert_int_lt(lrk_curves_compare_names("a\0b", 3, "a\0c", 3), 0);
	ck_assert_int_gt(lrk_curves_compare_names("a\0c", 3, "a\0b", 3), 0);
	ck_assert_int_lt(lrk_curves_compare_names("a", 1, "a\0", 2), 0);
	ck_assert_int_eq(lrk_curves_compare_names("nan", 3, "nan", 3), 0);
	/* Antisymmetric on every pair (the old order said nan > 1 > nan). */
	for (i = 0; i < N; i++)
		for (k = 0; k < N; k++)
			ck_assert_int_eq(lrk_curves_compare_names(names[i],
			    strlen(names[i]), names[k], strlen(names[k])),
			    -lrk_curves_compare_names(names[k],
			    strlen(names[k]), names[i], strlen(names[i])));
}
END_TEST

/*
 * The columns lrk_range_columns decides for text read with -x, -y and -g
 * as spec gives them; returns its result, *rc and err filled.
 */
static int
range_of(const char *text, const char *lr, const char *loss,
    const char *group, struct lrk_range_columns *rc, char *err)
{
	struct lrk_range_spec spec = { lr, loss, group };
	struct lrk_table *t;
	FILE *fp;
	int r;

	t = table_of(text, &fp);
	err[0] = '\0';
	r = lrk_range_columns(t, &spec, rc, err);
	lrk_table_free(t);
	fclose(fp);
	return r;
}

/* lr-suggest(1), "The loss column and the runs": each rule. */
START_TEST(test_range_columns)
{
	struct lrk_range_columns rc;
	char err[LRK_ERRSIZE];

	/*
	 * "The loss is the smoothed loss: the column ema-smooth appended to
	 * the loss column (loss_smooth) when there is one, else the last
	 * column whose name ends in _smooth."  Its raw loss is the column of
	 * its name less the suffix.
	 */
	ck_assert_int_eq(range_of("lr,loss,x_smooth,loss_smooth,y_smooth\n",
	    NULL, NULL, NULL, &rc, err), 0);
	ck_assert_uint_eq(rc.lr, 0);
	ck_assert_uint_eq(rc.loss, 3);
	ck_assert_int_eq(rc.reading, LRK_LOSS_SMOOTHED);
	ck_assert_uint_eq(rc.raw, 1);
	ck_assert_int_eq(rc.grouped, 0);
	ck_assert_int_eq(range_of("lr,a_smooth,b_smooth,a\n", NULL, NULL,
	    NULL, &rc, err), 0);
	ck_assert_uint_eq(rc.loss, 2);
	ck_assert_uint_eq(rc.raw, LRK_SUGGEST_NONE);
	ck_assert_int_eq(range_of("lr,A,a_SMOOTH\n", NULL, NULL, NULL, &rc,
	    err), 0);
	ck_assert_uint_eq(rc.loss, 2);
	ck_assert_uint_eq(rc.raw, 1);
	/* "_smooth itself included": a raw loss of an empty name. */
	ck_assert_int_eq(range_of("lr,,_smooth\n", NULL, NULL, NULL, &rc,
	    err), 0);
	ck_assert_uint_eq(rc.loss, 2);
	ck_assert_int_eq(rc.reading, LRK_LOSS_SMOOTHED);
	ck_assert_uint_eq(rc.raw, 1);
	/* A digit stem is a name, not a column number. */
	ck_assert_int_eq(range_of("lr,loss,1_smooth\n", NULL, NULL, NULL,
	    &rc, err), 0);
	ck_assert_uint_eq(rc.loss, 2);
	ck_assert_uint_eq(rc.raw, LRK_SUGGEST_NONE);

	/*
	 * "A table with no smoothed column has its raw loss (loss,
	 * train_loss, train_loss_step or Value) smoothed as it is read."
	 */
	ck_assert_int_eq(range_of("step,lr,train_loss\n", NULL, NULL, NULL,
	    &rc, err), 0);
	ck_assert_uint_eq(rc.loss, 2);
	ck_assert_int_eq(rc.reading, LRK_LOSS_SMOOTH_HERE);
	ck_assert_uint_eq(rc.raw, 2);

	/*
	 * "-y names the column read, as it is"; "Without a header, the
	 * last column is read as it is."
	 */
	ck_assert_int_eq(range_of("lr,loss,loss_smooth\n", NULL, "loss",
	    NULL, &rc, err), 0);
	ck_assert_uint_eq(rc.loss, 1);
	ck_assert_int_eq(rc.reading, LRK_LOSS_AS_IS);
	ck_assert_int_eq(range_of("lr,loss,loss_smooth\n", NULL, "3", NULL,
	    &rc, err), 0);
	ck_assert_int_eq(rc.reading, LRK_LOSS_SMOOTHED);
	ck_assert_int_eq(range_of("1,2,3\n", NULL, NULL, NULL, &rc, err), 0);
	ck_assert_uint_eq(rc.lr, 1);
	ck_assert_uint_eq(rc.loss, 2);
	ck_assert_int_eq(rc.reading, LRK_LOSS_AS_IS);
	ck_assert_int_eq(rc.grouped, 0);

	/*
	 * "A table with a column named run (whatever the case) is read one
	 * curve per run, as with -g run; -g names another column, which
	 * wins."
	 */
	ck_assert_int_eq(range_of("RUN,seed,step,lr,loss_smooth\n", NULL,
	    NULL, NULL, &rc, err), 0);
	ck_assert_int_eq(rc.grouped, 1);
	ck_assert_int_eq(rc.group_given, 0);
	ck_assert_uint_eq(rc.group, 0);
	ck_assert_int_eq(range_of("run,seed,step,lr,loss_smooth\n", NULL,
	    NULL, "seed", &rc, err), 0);
	ck_assert_int_eq(rc.grouped, 1);
	ck_assert_int_eq(rc.group_given, 1);
	ck_assert_uint_eq(rc.group, 1);
	ck_assert_int_eq(range_of("runs,lr,loss\n", NULL, NULL, NULL, &rc,
	    err), 0);
	ck_assert_int_eq(rc.grouped, 0);
	ck_assert_int_eq(range_of("run,Run,lr,loss\n", NULL, NULL, NULL, &rc,
	    err), -1);
	ck_assert_str_eq(err, "run column \"run\" is ambiguous: columns 1 "
	    "and 2 have that name; the header is: run, Run, lr, loss");
	ck_assert_int_eq(range_of("lr,loss\n", NULL, NULL, "seed", &rc, err),
	    -1);
	ck_assert_str_eq(err, "no group column \"seed\"; the header is: lr, "
	    "loss");
}
END_TEST

/* "A warning says so": the notes, one sentence each. */
START_TEST(test_range_note)
{
	struct lrk_range_spec spec = { 0 };
	struct lrk_range_columns rc;
	struct lrk_table *t;
	char err[LRK_ERRSIZE], note[LRK_ERRSIZE];
	FILE *fp;

	t = table_of("lr,train_loss\n", &fp);
	ck_assert_int_eq(lrk_range_columns(t, &spec, &rc, err), 0);
	ck_assert_int_eq(lrk_range_note(t, &rc, note), 1);
	ck_assert_str_eq(note, "no smoothed column: train_loss smoothed here "
	    "(beta 0.98, debiased), as ema-smooth does");
	spec.loss = "train_loss";
	ck_assert_int_eq(lrk_range_columns(t, &spec, &rc, err), 0);
	ck_assert_int_eq(lrk_range_note(t, &rc, note), 1);
	ck_assert_str_eq(note, "train_loss: read as it is, not smoothed (its "
	    "name does not end in _smooth)");
	lrk_table_free(t);
	fclose(fp);
	t = table_of("lr,loss,Loss_Smooth\n", &fp);
	spec.loss = NULL;
	ck_assert_int_eq(lrk_range_columns(t, &spec, &rc, err), 0);
	ck_assert_int_eq(lrk_range_note(t, &rc, note), 0);
	ck_assert_str_eq(note, "");
	lrk_table_free(t);
	fclose(fp);
	t = table_of("1 2\n", &fp);
	ck_assert_int_eq(lrk_range_columns(t, &spec, &rc, err), 0);
	ck_assert_int_eq(lrk_range_note(t, &rc, note), 1);
	ck_assert_str_eq(note, "no header: the last column is read as it is, "
	    "not smoothed");
	lrk_table_free(t);
	fclose(fp);
}
END_TEST

/*
 * The debiased EMA of beta 0.98 of x[0..n-1] at its last value, as its
 * definition writes it: sum beta^(n-1-i) x[i] / sum beta^(n-1-i).
 */
static double
debiased(const double *x, size_t n)
{
	double num = 0, den = 0, w = 1;
	size_t i;

	for (i = n; i-- > 0; w *= 0.98) {
		num += w * x[i];
		den += w;
	}
	return num / den;
}

/*
 * "smoothed as it is read, as ema-smooth smooths it by default: the
 * debiased exponential moving average of beta 0.98, per run, over every
 * row of the run that has a loss, a loss that is not finite passed
 * through."
 */
START_TEST(test_smooth_read)
{
	static const size_t loss[] = { 1, 1 };
	struct lrk_curve_columns cols = { .lr = 0, .loss = loss, .nloss = 1,
	    .strict = 1, .smooth = 1, .grouped = 1, .group = 2 };
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	const struct lrk_curve *a, *b;
	struct lrk_table *t;
	char err[LRK_ERRSIZE];
	FILE *fp;
	/* Run a: 4, (no lr) 2, 3, inf, (missing), 1; run b: 10, 20. */
	const double a_in[] = { 4, 2, 3, 1 }, b_in[] = { 10, 20 };

	t = table_of("lr,loss,run\n1,4,a\n2,10,b\n,2,a\n2,3,a\n3,20,b\n"
	    "3,inf,a\n4,,a\n5,1,a\n", &fp);
	ck_assert_int_eq(lrk_curves_read(c, t, &cols, &n, err), 0);
	lrk_table_free(t);
	fclose(fp);
	a = lrk_curves_get(c, 0, 0);
	b = lrk_curves_get(c, 1, 0);
	ck_assert_uint_eq(a->n, 4);
	ck_assert_double_eq_tol(a->loss[0], 4, 1e-15);
	/* The row without an lr is no point, but it is smoothed in. */
	ck_assert_double_eq_tol(a->loss[1], debiased(a_in, 3), 1e-14);
	ck_assert(isinf(a->loss[2]));
	ck_assert_double_eq_tol(a->loss[3], debiased(a_in, 4), 1e-14);
	ck_assert_uint_eq(b->n, 2);
	ck_assert_double_eq_tol(b->loss[1], debiased(b_in, 2), 1e-14);
	ck_assert(debiased(a_in, 4) != 1);
	lrk_curves_free(c);

	/* The loose reading too, the raw loss beside it; counted once. */
	c = lrk_curves_new(2);
	cols.nloss = 2;
	cols.strict = 0;
	cols.grouped = 0;
	memset(&n, 0, sizeof(n));
	t = table_of("lr,loss\n1,4\n,2\n2,3\n", &fp);
	ck_assert_int_eq(lrk_curves_read(c, t, &cols, &n, err), 0);
	lrk_table_free(t);
	fclose(fp);
	a = lrk_curves_get(c, 0, 0);
	b = lrk_curves_get(c, 0, 1);
	ck_assert_uint_eq(a->n, 2);
	ck_assert(a->loss[1] == 3);
	ck_assert_uint_eq(b->n, 2);
	ck_assert_double_eq_tol(b->loss[1], debiased(a_in, 3), 1e-14);
	ck_assert_uint_eq(n.points, 2);
	lrk_curves_free(c);
}
END_TEST

/*
 * Label the groups of text (grouped by column 0, lr and loss in the
 * columns named so) by spec; *cols as lrk_curve_label_columns gave them.
 */
static char **
labels_of(const char *text, const char *spec, int strict, size_t *ngroups)
{
	struct lrk_curve_columns cols = { 0 };
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	struct lrk_table *t;
	char err[LRK_ERRSIZE], **labels;
	size_t loss, *label;
	FILE *fp;

	t = table_of(text, &fp);
	ck_assert_int_eq(lrk_table_find(t, "lr", "lr", &cols.lr, err), 0);
	ck_assert_int_eq(lrk_table_find(t, "loss", "loss", &loss, err), 0);
	cols.loss = &loss;
	cols.nloss = 1;
	cols.strict = strict;
	cols.grouped = 1;
	cols.group = 0;
	ck_assert_int_eq(lrk_curve_label_columns(t, spec, 0, &label,
	    &cols.nlabel, err), 0);
	cols.label = label;
	ck_assert_int_eq(lrk_curves_read(c, t, &cols, &n, err), 0);
	ck_assert_int_eq(lrk_curves_labels(c, "run", &labels), 0);
	*ngroups = lrk_curves_groups(c);
	free(label);
	lrk_table_free(t);
	fclose(fp);
	lrk_curves_free(c);
	return labels;
}

/* Which columns name a run: sweep-run's parameters, or the ones asked. */
START_TEST(test_label_columns)
{
	struct lrk_table *t;
	char err[LRK_ERRSIZE];
	size_t *cols, n;
	FILE *fp;

	/* run,<params>,step: the parameters, in their order. */
	t = table_of("run,seed,wd,step,lr,loss,loss_smooth\n0,1,0,0,1,1,1\n",
	    &fp);
	ck_assert_int_eq(lrk_curve_label_columns(t, NULL, 0, &cols, &n, err),
	    0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(cols[0], 1);
	ck_assert_uint_eq(cols[1], 2);
	free(cols);
	/* Grouped by another column: none. */
	ck_assert_int_eq(lrk_curve_label_columns(t, NULL, 1, &cols, &n, err),
	    0);
	ck_assert_uint_eq(n, 0);
	free(cols);
	/* Asked for: by name or number, once each, in the order given. */
	ck_assert_int_eq(lrk_curve_label_columns(t, "wd,2,WD", 0, &cols, &n,
	    err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(cols[0], 2);
	ck_assert_uint_eq(cols[1], 1);
	free(cols);
	/* The group column alone: the group's own name. */
	ck_assert_int_eq(lrk_curve_label_columns(t, "run", 0, &cols, &n, err),
	    0);
	ck_assert_uint_eq(n, 0);
	free(cols);
	ck_assert_int_eq(lrk_curve_label_columns(t, "run,seed", 0, &cols, &n,
	    err), 0);
	ck_assert_uint_eq(n, 2);
	free(cols);
	/* Errors: a column that is not there, an empty name. */
	ck_assert_int_eq(lrk_curve_label_columns(t, "seed,x", 0, &cols, &n,
	    err), -1);
	ck_assert_ptr_null(cols);
	ck_assert_ptr_nonnull(strstr(err, "\"x\""));
	ck_assert_int_eq(lrk_curve_label_columns(t, "seed,", 0, &cols, &n,
	    err), -1);
	ck_assert_str_eq(err, "label: an empty column name");
	lrk_table_free(t);
	fclose(fp);

	/* No parameters, no step after run, or no header: none. */
	t = table_of("run,step,lr,loss\n0,0,1,1\n", &fp);
	ck_assert_int_eq(lrk_curve_label_columns(t, NULL, 0, &cols, &n, err),
	    0);
	ck_assert_uint_eq(n, 0);
	free(cols);
	lrk_table_free(t);
	fclose(fp);
	t = table_of("run,seed,lr,loss\n0,1,1,1\n", &fp);
	ck_assert_int_eq(lrk_curve_label_columns(t, NULL, 0, &cols, &n, err),
	    0);
	ck_assert_uint_eq(n, 0);
	free(cols);
	lrk_table_free(t);
	fclose(fp);
	t = table_of("0,1,0,1,1\n1,1,0,2,1\n", &fp);
	ck_assert_int_eq(lrk_curve_label_columns(t, NULL, 0, &cols, &n, err),
	    0);
	ck_assert_uint_eq(n, 0);
	free(cols);
	lrk_table_free(t);
	fclose(fp);
}
END_TEST

/* A run's label: what is one within it, name=value, told apart. */
START_TEST(test_labels)
{
	char **l;
	size_t n;

	l = labels_of("run,seed,wd,step,lr,loss\n0,1,0,0,1,2\n1,1,1e-4,0,1,2\n"
	    "0,1,0,1,2,1\n1,1,1e-4,1,2,1\n", NULL, 1, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(l[0], "seed=1, wd=0");
	ck_assert_str_eq(l[1], "seed=1, wd=1e-4");
	lrk_curves_labels_free(l, n);
	/* A column that varies within a run is left out of its label. */
	l = labels_of("run,seed,wd,step,lr,loss\n0,1,0,0,1,2\n0,2,0,1,2,1\n"
	    "1,1,1,0,1,2\n", NULL, 0, &n);
	ck_assert_str_eq(l[0], "wd=0");
	ck_assert_str_eq(l[1], "seed=1, wd=1");
	lrk_curves_labels_free(l, n);
	/* Every one varies: no label, the tool names the run. */
	l = labels_of("run,seed,step,lr,loss\n0,1,0,1,2\n0,2,1,2,1\n", NULL, 1,
	    &n);
	ck_assert_ptr_null(l[0]);
	lrk_curves_labels_free(l, n);
	/* Two runs with one label: each with its own name after it. */
	l = labels_of("run,seed,wd,step,lr,loss\n0,1,0,0,1,2\n1,2,0,0,1,2\n"
	    "2,3,1,0,1,2\n", "wd", 1, &n);
	ck_assert_str_eq(l[0], "wd=0, run=0");
	ck_assert_str_eq(l[1], "wd=0, run=1");
	ck_assert_str_eq(l[2], "wd=1");
	lrk_curves_labels_free(l, n);
	/* No label columns: none. */
	l = labels_of("run,step,lr,loss\n0,0,1,2\n", NULL, 1, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_null(l[0]);
	lrk_curves_labels_free(l, n);
}
END_TEST

/* Several tables: the first names the columns, later ones by name. */
START_TEST(test_labels_files)
{
	static const char *texts[] = {
		"run,seed,wd,step,lr,loss\n0,1,0,0,1,2\n",
		"run,wd,seed,step,lr,loss\n0,0,1,1,2,1\n1,0,2,0,1,1\n",
		"run,wd,step,lr,loss\n1,0,1,2,1\n"
	};
	struct lrk_curve_columns cols = { 0 };
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	struct lrk_table *t;
	char err[LRK_ERRSIZE], **l;
	size_t loss, *label, i;
	FILE *fp;

	for (i = 0; i < 3; i++) {
		t = table_of(texts[i], &fp);
		lrk_table_find(t, "lr", "lr", &cols.lr, err);
		lrk_table_find(t, "loss", "loss", &loss, err);
		cols.loss = &loss;
		cols.nloss = 1;
		cols.strict = 1;
		cols.grouped = 1;
		ck_assert_int_eq(lrk_curve_label_columns(t, NULL, 0, &label,
		    &cols.nlabel, err), 0);
		cols.label = label;
		ck_assert_int_eq(lrk_curves_read(c, t, &cols, &n, err), 0);
		free(label);
		lrk_table_free(t);
		fclose(fp);
	}
	ck_assert_int_eq(lrk_curves_labels(c, "run", &l), 0);
	/* Run 0's columns found by name in the second file; run 1's
	 * seed is missing from the third, so it is not one value. */
	ck_assert_str_eq(l[0], "seed=1, wd=0");
	ck_assert_str_eq(l[1], "wd=0");
	lrk_curves_labels_free(l, 2);
	lrk_curves_free(c);
}
END_TEST

/* Three runs of one sweep: halfway on their mean curve. */
START_TEST(test_pool)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_suggest_options o;
	struct lrk_suggestion s, direct;
	struct lrk_curves *c = lrk_curves_new(1);
	double lr[40], mean[40];
	char err[LRK_ERRSIZE], *text = NULL;
	size_t len = 0, i, bad, step;
	FILE *fp = open_memstream(&text, &len);
	int g;

	lrk_suggest_defaults(&o);
	fputs("lr,loss,run\n", fp);
	for (i = 0; i < 40; i++) {
		lr[i] = pow(10, -4 + (double)i / 10);
		mean[i] = 0;
		for (g = 0; g < 3; g++) {
			double loss = 3 - 2 * tanh((double)i / 8 - 2) +
			    0.1 * g + (i > 30 ? (double)(i - 30) : 0);

			fprintf(fp, "%.17g,%.17g,%d\n", lr[i], loss, g);
			mean[i] += loss / 3;
		}
	}
	fclose(fp);
	ck_assert_int_eq(read_text(c, text, 1, 2, &n, err), 0);
	ck_assert_int_eq(lrk_curves_pool(c, 0, &o, &s, &bad, &step, err), 0);
	ck_assert_int_eq(lrk_suggest("pooled", lr, mean, 40, &o, &direct,
	    err), 0);
	ck_assert_uint_eq(s.index, direct.index);
	ck_assert(s.lr == direct.lr);
	lrk_curves_free(c);
	free(text);

	/* Runs whose lr differ are not one sweep: the run and the step. */
	c = lrk_curves_new(1);
	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,1,a\n1,1,b\n2,1,a\n"
	    "3,1,b\n", 1, 2, &n, err), 0);
	ck_assert_int_eq(lrk_curves_pool(c, 0, &o, &s, &bad, &step, err), -1);
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(step, 1);
	ck_assert_msg(strstr(err, "not the same as the first run's") != NULL,
	    "%s", err);
	lrk_curves_free(c);

	/* One sweep, too short for an answer: the mean curve has none. */
	c = lrk_curves_new(1);
	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,1,a\n1,1,b\n", 1, 2, &n,
	    err), 0);
	ck_assert_int_eq(lrk_curves_pool(c, 0, &o, &s, &bad, &step, err), -2);
	ck_assert_uint_eq(bad, LRK_SUGGEST_NONE);
	lrk_curves_free(c);
}
END_TEST

/* pooled is one answer for several groups, halfway on a lone one. */
START_TEST(test_suggest)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_suggest_options o;
	struct lrk_suggestion s, t;
	struct lrk_curves *c = lrk_curves_new(1);
	char err[LRK_ERRSIZE];
	size_t bad, step;

	lrk_suggest_defaults(&o);
	o.skip_start = o.skip_end = 0;
	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,5,a\n2,4,a\n3,1,a\n"
	    "4,3,a\n", 1, 2, &n, err), 0);
	ck_assert_int_eq(lrk_curves_pooled(c, "pooled"), 0);
	ck_assert_int_eq(lrk_curves_suggest(c, 0, 0, "pooled", &o, &s, &bad,
	    &step, err), 0);
	ck_assert_int_eq(lrk_curves_suggest(c, 0, 0, "halfway", &o, &t, &bad,
	    &step, err), 0);
	ck_assert(s.lr == t.lr);
	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,7,b\n2,6,b\n3,1,b\n"
	    "4,5,b\n", 1, 2, &n, err), 0);
	ck_assert_int_eq(lrk_curves_pooled(c, "pooled"), 1);
	ck_assert_int_eq(lrk_curves_pooled(c, "halfway"), 0);
	ck_assert_int_eq(lrk_curves_suggest(c, 1, 0, "pooled", &o, &t, &bad,
	    &step, err), 0);
	ck_assert_int_eq(lrk_curves_suggest(c, 0, 0, "pooled", &o, &s, &bad,
	    &step, err), 0);
	ck_assert(s.lr == t.lr && s.index == t.index);
	/* The curve's own error: -1, the point named. */
	ck_assert_int_eq(lrk_curves_suggest(c, 0, 0, "nosuch", &o, &s, &bad,
	    &step, err), -1);
	lrk_curves_free(c);
	/* Runs that do not pool: -2, the run and step named. */
	c = lrk_curves_new(1);
	ck_assert_int_eq(read_text(c, "lr,loss,run\n1,1,a\n2,1,b\n", 1, 2,
	    &n, err), 0);
	ck_assert_int_eq(lrk_curves_suggest(c, 0, 0, "pooled", &o, &s, &bad,
	    &step, err), -2);
	ck_assert_uint_eq(bad, 1);
	ck_assert_uint_eq(step, 0);
	lrk_curves_free(c);
}
END_TEST

START_TEST(test_drawable)
{
	double lr[] = { 1, 0, -1, INFINITY, 2, 3 };
	double loss[] = { 1, 1, 1, 1, NAN, 2 };
	struct lrk_curve k = { lr, loss, NULL, NULL, 6, 6 };

	ck_assert_uint_eq(lrk_curve_drawable(&k, 0, 6), 2);
	ck_assert_uint_eq(lrk_curve_drawable(&k, 1, 5), 0);
	ck_assert_uint_eq(lrk_curve_drawable(&k, 5, 99), 1);
	ck_assert_uint_eq(lrk_curve_drawable(&k, 4, 2), 0);
}
END_TEST

START_TEST(test_lr_back)
{
	double lr[] = { 0, 1, 2, 0, 3, 2.5, 4 }, loss[7] = { 0 };
	struct lrk_curve k = { lr, loss, NULL, NULL, 7, 7 };
	size_t from;

	/* An lr of 0 is passed over, on either side. */
	ck_assert_uint_eq(lrk_curve_lr_back(&k, &from), 5);
	ck_assert_uint_eq(from, 4);
	k.n = 5;
	ck_assert_uint_eq(lrk_curve_lr_back(&k, &from), 5);
	/* Equal lr is not going back. */
	lr[2] = 1;
	ck_assert_uint_eq(lrk_curve_lr_back(&k, &from), 5);
}
END_TEST

START_TEST(test_loss_at)
{
	double lr[] = { 1, 10, 100, 0 }, loss[] = { 4, 2, NAN, 1 };
	struct lrk_curve k = { lr, loss, NULL, NULL, 4, 4 };

	ck_assert(lrk_curve_loss_at(&k, 10, 1, -1) == 2);
	/* Interpolated in log lr: halfway between 1 and 10 is 3.16. */
	ck_assert(fabs(lrk_curve_loss_at(&k, sqrt(10), 9, -1) - 3) < 1e-12);
	/* A segment with a NaN end, or a point off the curve: fallback. */
	ck_assert(lrk_curve_loss_at(&k, 50, 9, -1) == -1);
	ck_assert(lrk_curve_loss_at(&k, 0, 9, -1) == -1);
	ck_assert(lrk_curve_loss_at(&k, 1000, 9, -7) == -7);
}
END_TEST

START_TEST(test_spread)
{
	double odd[] = { 3, 1, 2 }, even[] = { 4, 1, 8, 2 }, one[] = { 5 };
	double same[] = { 1, 3 };
	struct lrk_spread sp;

	lrk_spread(odd, 3, &sp);
	ck_assert(sp.median == 2 && sp.min == 1 && sp.max == 3);
	ck_assert(sp.ratio == 3);
	ck_assert_int_eq(sp.noisy, 0);	/* more than 3x, not 3x */
	/* numpy's median of an even count: the mean of the middle two. */
	lrk_spread(even, 4, &sp);
	ck_assert(sp.median == 3 && sp.ratio == 8);
	ck_assert_int_eq(sp.noisy, 1);
	ck_assert_uint_eq(sp.n, 4);
	lrk_spread(one, 1, &sp);
	ck_assert(sp.median == 5 && sp.ratio == 1);
	ck_assert_int_eq(sp.noisy, 0);
	lrk_spread(same, 2, &sp);
	ck_assert_int_eq(sp.noisy, 0);
}
END_TEST

/*
 * Ten thousand runs whose rows interleave, as sweep-run -j writes them:
 * every row goes to its own run's curve (the groups are hashed, not
 * searched; bench/ measures the time).
 */
START_TEST(test_many_groups)
{
	struct lrk_curve_counts n = { 0 };
	struct lrk_curves *c = lrk_curves_new(1);
	char err[LRK_ERRSIZE], *text = NULL;
	size_t len = 0, g;
	FILE *fp = open_memstream(&text, &len);
	int step;

	fputs("lr,loss,run\n", fp);
	for (step = 1; step <= 5; step++)
		for (g = 0; g < 10000; g++)
			fprintf(fp, "%d,%zu,r%zu\n", step, g, g);
	fclose(fp);
	ck_assert_int_eq(read_text(c, text, 1, 2, &n, err), 0);
	ck_assert_uint_eq(lrk_curves_groups(c), 10000);
	for (g = 0; g < 10000; g++) {
		ck_assert_uint_eq(lrk_curves_get(c, g, 0)->n, 5);
		ck_assert(lrk_curves_get(c, g, 0)->loss[4] == (double)g);
	}
	ck_assert_str_eq(lrk_curves_name(c, 9999), "r9999");
	lrk_curves_free(c);
	free(text);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("curve");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_strict);
	tcase_add_test(core, test_loose);
	tcase_add_test(core, test_groups);
	tcase_add_test(core, test_order);
	tcase_add_test(core, test_order_total);
	tcase_add_test(core, test_range_columns);
	tcase_add_test(core, test_range_note);
	tcase_add_test(core, test_smooth_read);
	tcase_add_test(core, test_label_columns);
	tcase_add_test(core, test_labels);
	tcase_add_test(core, test_labels_files);
	tcase_add_test(core, test_pool);
	tcase_add_test(core, test_suggest);
	tcase_add_test(core, test_drawable);
	tcase_add_test(core, test_lr_back);
	tcase_add_test(core, test_loss_at);
	tcase_add_test(core, test_spread);
	tcase_add_test(limits, test_strict_errors);
	tcase_add_test(limits, test_many_groups);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
