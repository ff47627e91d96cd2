/* Unit tests of lib/protocol.c: every rule sweep-run(1) states about the
 * child protocol. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* The schedule read from a table given as text, its momentum asked for. */
static int
read_asked(struct lrk_schedule *s, const char *text, int bare, int momentum,
    char *err)
{
	struct lrk_table_options topt = { 0 };
	struct lrk_table *t;
	FILE *fp;
	int r;

	lrk_schedule_init(s, bare);
	if (momentum)
		ck_assert_int_eq(lrk_schedule_momentum(s), 0);
	fp = fmemopen((void *)text, strlen(text), "r");
	ck_assert_ptr_nonnull(fp);
	t = lrk_table_new(fp, "sched.csv", &topt);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(lrk_table_start(t), 0);
	r = lrk_schedule_read(s, t, "sched.csv", err);
	lrk_table_free(t);
	fclose(fp);
	return r;
}

/* The schedule read from a table given as text. */
static int
read_text(struct lrk_schedule *s, const char *text, int bare, char *err)
{
	return read_asked(s, text, bare, 0, err);
}

static void
ck_row(const struct lrk_schedule *s, size_t k, const char *want)
{
	size_t len = s->row_off[k + 1] - s->row_off[k];

	ck_assert_uint_eq(len, strlen(want));
	ck_assert(memcmp(s->rows.data + s->row_off[k], want, len) == 0);
}

/* -s: lrsched's words; the child reads step,lr with a header. */
START_TEST(test_schedule_spec)
{
	struct lrk_schedule s;
	char err[LRK_ERRSIZE];

	lrk_schedule_init(&s, 0);
	ck_assert_int_eq(lrk_schedule_spec(&s, "range start=1 end=100 n=3",
	    err), 0);
	ck_assert_uint_eq(s.nsteps, 3);
	ck_assert_str_eq(s.child.data, "step,lr\n0,1\n1,10\n2,100\n");
	ck_row(&s, 0, "0,1");
	ck_row(&s, 2, "2,100");
	lrk_schedule_free(&s);
	/* --bare: one lr a line, no header; the rows keep their step. */
	lrk_schedule_init(&s, 1);
	ck_assert_int_eq(lrk_schedule_spec(&s, "range start=1 end=100 n=3",
	    err), 0);
	ck_assert_str_eq(s.child.data, "1\n10\n100\n");
	ck_row(&s, 1, "1,10");
	lrk_schedule_free(&s);
	/* A cycling momentum reaches the child, asked for or not. */
	lrk_schedule_init(&s, 0);
	ck_assert_int_eq(lrk_schedule_spec(&s, "onecycle max=1 n=3", err), 0);
	ck_assert(strncmp(s.child.data, "step,lr,momentum\n", 17) == 0);
	ck_assert_int_eq(s.momentum, 1);
	lrk_schedule_free(&s);
	/* But not to a bare child. */
	lrk_schedule_init(&s, 1);
	ck_assert_int_eq(lrk_schedule_spec(&s, "onecycle max=1 n=3", err), 0);
	ck_assert(strchr(s.child.data, ',') == NULL);
	ck_assert_int_eq(s.momentum, 0);
	lrk_schedule_free(&s);
	/* A policy without one: step,lr. */
	lrk_schedule_init(&s, 0);
	ck_assert_int_eq(lrk_schedule_spec(&s, "cosine base=1 T=3 n=3", err),
	    0);
	ck_assert(strncmp(s.child.data, "step,lr\n", 8) == 0);
	ck_assert_int_eq(s.momentum, 0);
	lrk_schedule_free(&s);
	lrk_schedule_init(&s, 0);
	ck_assert_int_eq(lrk_schedule_spec(&s, "bogus n=3", err), -1);
	lrk_schedule_free(&s);
}
END_TEST

/* -S with a header: the columns by name, momentum when there is one. */
START_TEST(test_schedule_header)
{
	struct lrk_schedule s;
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(read_text(&s, "lr,step\n0.5,7\n1,8\n", 0, err), 0);
	ck_assert_str_eq(s.child.data, "step,lr\n7,0.5\n8,1\n");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "lr,momentum\n0.5,0.9\n1,0.8\n", 0,
	    err), 0);
	ck_assert_str_eq(s.child.data, "step,lr,momentum\n0,0.5,0.9\n"
	    "1,1,0.8\n");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "step,rate\n0,1\n", 0, err), -1);
	ck_assert(strstr(err, "sched.csv: no lr column") == err);
	lrk_schedule_free(&s);
}
END_TEST

/*
 * Without a header the columns go by count: lr; lr,momentum or step,lr
 * (step,lr when the first column counts up by one); step,lr,momentum.
 */
START_TEST(test_schedule_headerless)
{
	struct lrk_schedule s;
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(read_text(&s, "0.1\n0.2\n", 0, err), 0);
	ck_assert_str_eq(s.child.data, "step,lr\n0,0.1\n1,0.2\n");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "5,0.1\n6,0.2\n7,0.3\n", 0, err), 0);
	ck_assert_str_eq(s.child.data, "step,lr\n5,0.1\n6,0.2\n7,0.3\n");
	lrk_schedule_free(&s);
	/* Not counting up by one: lr,momentum. */
	ck_assert_int_eq(read_text(&s, "0.1,0.95\n0.2,0.9\n", 0, err), 0);
	ck_assert_str_eq(s.child.data, "step,lr,momentum\n0,0.1,0.95\n"
	    "1,0.2,0.9\n");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "5,0.1\n7,0.2\n", 0, err), 0);
	ck_assert_str_eq(s.child.data, "step,lr,momentum\n0,5,0.1\n1,7,0.2\n");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "0,0.1,0.9\n1,0.2,0.8\n", 0, err), 0);
	ck_assert_str_eq(s.child.data, "step,lr,momentum\n0,0.1,0.9\n"
	    "1,0.2,0.8\n");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "0,0.1,0.9,1\n", 0, err), -1);
	ck_assert(strstr(err, "has 1 to 3 columns") != NULL);
	lrk_schedule_free(&s);
}
END_TEST

/* The text lrsched -m prints for words, built from lib/sched.c. */
static void
momentum_text(struct lrk_buf *b, const char *words)
{
	char num[LRK_NUM_BUFSIZE], step[32];
	struct lrk_sched *sched;
	char err[LRK_ERRSIZE];
	size_t k;

	sched = lrk_sched_parse_string(words, err);
	ck_assert_ptr_nonnull(sched);
	lrk_buf_str(b, "step,lr,momentum\n");
	for (k = 0; k < lrk_sched_steps(sched); k++) {
		snprintf(step, sizeof(step), "%zu,", k);
		lrk_buf_str(b, step);
		lrk_num_format(num, lrk_sched_lr(sched, k));
		lrk_buf_str(b, num);
		lrk_buf_char(b, ',');
		lrk_num_format(num, lrk_sched_momentum(sched, k));
		lrk_buf_str(b, num);
		lrk_buf_char(b, '\n');
	}
	lrk_sched_free(sched);
	ck_assert(!b->failed);
}

/* Step k's lr of words. */
static double
lr_at(const char *words, size_t k)
{
	struct lrk_sched *sched;
	char err[LRK_ERRSIZE];
	double x;

	sched = lrk_sched_parse_string(words, err);
	ck_assert_ptr_nonnull(sched);
	x = lrk_sched_lr(sched, k);
	lrk_sched_free(sched);
	return x;
}

/*
 * sweep-run(1) --momentum: the child reads step,lr,momentum as lrsched -m
 * prints it, for every policy that cycles the momentum and for a chain
 * of them; a table is fed as it is, its momentum column with it, required
 * or not.  The tidy rows keep step,lr.
 */
START_TEST(test_schedule_momentum)
{
	static const char *const words[] = {
		"onecycle max=1 n=7",
		"fastai-onecycle max=0.1 n=5",
		"cyclic base=0.1 max=1 up=2 n=6",
		"onecycle max=1 n=4 then fastai-onecycle max=0.5 n=3",
	};
	struct lrk_buf want = { 0 };
	struct lrk_schedule s;
	char err[LRK_ERRSIZE], lr[LRK_NUM_BUFSIZE + 8];
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		lrk_schedule_init(&s, 0);
		ck_assert_int_eq(lrk_schedule_momentum(&s), 0);
		ck_assert_int_eq(lrk_schedule_spec(&s, words[i], err), 0);
		lrk_buf_clear(&want);
		momentum_text(&want, words[i]);
		ck_assert_str_eq(s.child.data, want.data);
		ck_assert_int_eq(s.momentum, 1);
		/* The tidy rows: "step,lr", the lr the child reads. */
		strcpy(lr, "1,");
		lrk_num_format(lr + 2, lr_at(words[i], 1));
		ck_row(&s, 1, lr);
		lrk_schedule_free(&s);
	}
	lrk_buf_free(&want);

	ck_assert_int_eq(read_asked(&s, "lr,momentum\n0.5,0.9\n1,0.8\n", 0, 1,
	    err), 0);
	ck_assert_str_eq(s.child.data, "step,lr,momentum\n0,0.5,0.9\n"
	    "1,1,0.8\n");
	ck_row(&s, 1, "1,1");
	ck_assert_int_eq(s.momentum, 1);
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_asked(&s, "0.1,0.95\n0.2,0.9\n", 0, 1, err), 0);
	ck_assert_str_eq(s.child.data, "step,lr,momentum\n0,0.1,0.95\n"
	    "1,0.2,0.9\n");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_asked(&s, "3,0.1,0.9\n4,0.2,0.8\n", 0, 1, err),
	    0);
	ck_assert_str_eq(s.child.data, "step,lr,momentum\n3,0.1,0.9\n"
	    "4,0.2,0.8\n");
	ck_row(&s, 0, "3,0.1");
	lrk_schedule_free(&s);
	/* Not required: the table's column is fed all the same. */
	ck_assert_int_eq(read_asked(&s, "lr,momentum\n0.5,0.9\n", 0, 0, err),
	    0);
	ck_assert_int_eq(s.momentum, 1);
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_asked(&s, "lr\n0.5\n", 0, 0, err), 0);
	ck_assert_int_eq(s.momentum, 0);
	lrk_schedule_free(&s);
}
END_TEST

/*
 * --momentum: not with --bare (one lr a line); a policy without momentum,
 * alone or in a chain, is an error, as is a momentum that is not finite
 * and a table without the column.
 */
START_TEST(test_schedule_momentum_bad)
{
	struct lrk_schedule s;
	char err[LRK_ERRSIZE];

	lrk_schedule_init(&s, 1);
	ck_assert_int_eq(lrk_schedule_momentum(&s), -1);
	ck_assert_int_eq(s.momentum_asked, 0);
	lrk_schedule_free(&s);

	lrk_schedule_init(&s, 0);
	ck_assert_int_eq(lrk_schedule_momentum(&s), 0);
	ck_assert_int_eq(lrk_schedule_spec(&s, "cosine base=1 T=3 n=3", err),
	    -1);
	ck_assert_str_eq(err, "cosine has no momentum (onecycle, cyclic and "
	    "fastai-onecycle have)");
	ck_assert_uint_eq(s.nsteps, 0);
	lrk_schedule_free(&s);
	lrk_schedule_init(&s, 0);
	ck_assert_int_eq(lrk_schedule_momentum(&s), 0);
	ck_assert_int_eq(lrk_schedule_spec(&s, "onecycle max=1 n=10 then "
	    "range start=1 end=2 n=3", err), -1);
	ck_assert_str_eq(err, "range has no momentum (onecycle, cyclic and "
	    "fastai-onecycle have)");
	lrk_schedule_free(&s);
	lrk_schedule_init(&s, 0);
	ck_assert_int_eq(lrk_schedule_momentum(&s), 0);
	ck_assert_int_eq(lrk_schedule_spec(&s, "cyclic base=0.1 max=1 up=2 "
	    "base-mom=-1e308 max-mom=1e308 n=3", err), -1);
	ck_assert_str_eq(err, "step 0: the momentum is nan");
	lrk_schedule_free(&s);

	ck_assert_int_eq(read_asked(&s, "step,lr\n0,1\n", 0, 1, err), -1);
	ck_assert_str_eq(err, "sched.csv: the schedule has no momentum column "
	    "(none is named momentum)");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_asked(&s, "0.1\n0.2\n", 0, 1, err), -1);
	ck_assert_str_eq(err, "sched.csv: the schedule has no momentum column "
	    "(one column: lr)");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_asked(&s, "5,0.1\n6,0.2\n", 0, 1, err), -1);
	ck_assert_str_eq(err, "sched.csv: the schedule has no momentum column "
	    "(the first of its two counts up by one, as steps do: step,lr)");
	lrk_schedule_free(&s);
}
END_TEST

/* Every lr finite and not negative, every momentum finite. */
START_TEST(test_schedule_bad)
{
	struct lrk_schedule s;
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(read_text(&s, "step,lr\n0,1\n1,-0.5\n", 0, err), -1);
	ck_assert_str_eq(err, "sched.csv:3: lr: -0.5: a learning rate cannot "
	    "be negative");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "step,lr\n0,inf\n", 0, err), -1);
	ck_assert_str_eq(err, "sched.csv:2: lr: \"inf\" is not a finite lr");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "lr,momentum\n1,nan\n", 0, err), -1);
	ck_assert_str_eq(err, "sched.csv:2: momentum: \"nan\" is not a finite "
	    "number");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "step,lr\n", 0, err), -1);
	ck_assert_str_eq(err, "sched.csv: the schedule has no rows");
	lrk_schedule_free(&s);
	ck_assert_int_eq(read_text(&s, "", 0, err), -1);
	ck_assert_str_eq(err, "sched.csv: the schedule is empty");
	lrk_schedule_free(&s);
}
END_TEST

static int
line(struct lrk_child *c, const char *s, struct lrk_child_line *out,
    char *err)
{
	static unsigned long n;

	return lrk_child_line(c, s, strlen(s), ++n, out, err);
}

/* A number is the next loss, nan and inf included; blanks are trimmed. */
START_TEST(test_child_numbers)
{
	struct lrk_child c;
	struct lrk_child_line l;
	char err[LRK_ERRSIZE];

	lrk_child_init(&c, "loss");
	ck_assert_int_eq(line(&c, " 2.5 ", &l, err), LRK_CHILD_LOSS);
	ck_assert(l.loss == 2.5);
	ck_assert_uint_eq(l.loss_len, 3);
	ck_assert(memcmp(l.loss_text, "2.5", 3) == 0);
	ck_assert_int_eq(line(&c, "nan", &l, err), LRK_CHILD_LOSS);
	ck_assert(isnan(l.loss));
	ck_assert_int_eq(line(&c, "inf\r", &l, err), LRK_CHILD_LOSS);
	ck_assert(isinf(l.loss));
	ck_assert_int_eq(line(&c, "", &l, err), LRK_CHILD_BLANK);
	ck_assert_int_eq(line(&c, " \t", &l, err), LRK_CHILD_BLANK);
	ck_assert_int_eq(line(&c, "epoch 1 starting\r", &l, err),
	    LRK_CHILD_LOG);
	ck_assert_uint_eq(l.len, 16);
	ck_assert_int_eq(line(&c, "NA", &l, err), LRK_CHILD_LOG);
	lrk_child_free(&c);
}
END_TEST

/*
 * A header with the loss column; then that column of each row is the
 * loss, a row with it missing is skipped, anything else is a log line.
 */
START_TEST(test_child_csv)
{
	struct lrk_child c;
	struct lrk_child_line l;
	char err[LRK_ERRSIZE];
	const char *f;
	size_t n;

	lrk_child_init(&c, "loss");
	ck_assert_int_eq(line(&c, "abc,0.8", &l, err), LRK_CHILD_LOG);
	ck_assert_int_eq(line(&c, "acc, \"Loss\"", &l, err),
	    LRK_CHILD_HEADER);
	ck_assert_uint_eq(lrk_child_columns(&c), 2);
	ck_assert_str_eq(lrk_child_name(&c, 1), "Loss");
	ck_assert_int_eq(line(&c, "0.5,2.25", &l, err), LRK_CHILD_LOSS);
	ck_assert(l.loss == 2.25 && l.csv);
	f = lrk_child_field(&c, 0, &n);
	ck_assert(n == 3 && memcmp(f, "0.5", 3) == 0);
	ck_assert_int_eq(line(&c, "0.6,", &l, err), LRK_CHILD_NO_LOSS);
	ck_assert_int_eq(line(&c, "0.7,NA", &l, err), LRK_CHILD_NO_LOSS);
	ck_assert_int_eq(line(&c, "0.8,abc", &l, err), LRK_CHILD_LOG);
	ck_assert_int_eq(line(&c, "0.9,\"2\"", &l, err), LRK_CHILD_LOSS);
	ck_assert(l.loss == 2);
	/* Another number of fields: a log line. */
	ck_assert_int_eq(line(&c, "1,2,3", &l, err), LRK_CHILD_LOG);
	/* A bare number is still a loss. */
	ck_assert_int_eq(line(&c, "1e0", &l, err), LRK_CHILD_LOSS);
	/* A comma inside quotes does not split. */
	ck_assert_int_eq(line(&c, "\"a,b\",3", &l, err), LRK_CHILD_LOSS);
	ck_assert(l.loss == 3);
	lrk_child_free(&c);
}
END_TEST

/* -y names another column; the header is matched in any case. */
START_TEST(test_child_other_loss)
{
	struct lrk_child c;
	struct lrk_child_line l;
	char err[LRK_ERRSIZE];

	lrk_child_init(&c, "val");
	ck_assert_int_eq(line(&c, "a,a,VAL", &l, err), LRK_CHILD_HEADER);
	ck_assert_int_eq(line(&c, "1,2,0.5", &l, err), LRK_CHILD_LOSS);
	ck_assert(l.loss == 0.5);
	lrk_child_free(&c);
}
END_TEST

/* Two columns with the loss's name: an error, as in the other tools. */
START_TEST(test_child_ambiguous)
{
	struct lrk_child c;
	struct lrk_child_line l;
	char err[LRK_ERRSIZE];

	lrk_child_init(&c, "loss");
	ck_assert_int_eq(lrk_child_line(&c, "step,loss,LOSS", 14, 2, &l, err),
	    LRK_CHILD_ERROR);
	ck_assert_str_eq(err, "line 2 of its output: loss column \"loss\" is "
	    "ambiguous: columns 2 and 3 have that name; the header is: step, "
	    "loss, LOSS");
	lrk_child_free(&c);
}
END_TEST

/* A header without the loss column: an error once rows of numbers come. */
START_TEST(test_child_no_loss_header)
{
	struct lrk_child c;
	struct lrk_child_line l;
	char err[LRK_ERRSIZE];

	lrk_child_init(&c, "loss");
	ck_assert_int_eq(lrk_child_line(&c, "val_loss,acc", 12, 1, &l, err),
	    LRK_CHILD_LOG);
	ck_assert_int_eq(lrk_child_line(&c, "1,2", 3, 2, &l, err),
	    LRK_CHILD_ERROR);
	ck_assert_str_eq(err, "line 1 of its output: no loss column \"loss\"; "
	    "the header is: val_loss, acc");
	lrk_child_free(&c);
	/* A log line with commas, not followed by such rows, is a log line. */
	lrk_child_init(&c, "loss");
	ck_assert_int_eq(lrk_child_line(&c, "epoch 1, batch 2", 16, 1, &l,
	    err), LRK_CHILD_LOG);
	ck_assert_int_eq(lrk_child_line(&c, "1,2,3", 5, 2, &l, err),
	    LRK_CHILD_LOG);
	ck_assert_int_eq(lrk_child_line(&c, "0.5", 3, 3, &l, err),
	    LRK_CHILD_LOSS);
	lrk_child_free(&c);
}
END_TEST

/*
 * Tidy rows keep the child's other columns after loss, but not those the
 * row has already (run, step, lr, loss, a parameter, in any case); a row
 * after the schedule has step and lr empty; a missing cell is empty.
 */
START_TEST(test_tidy_row)
{
	struct lrk_grid *g = lrk_grid_new();
	struct lrk_child c;
	struct lrk_child_line l;
	struct lrk_buf b = { 0 };
	char err[LRK_ERRSIZE];
	size_t map[8], n = 0, i;

	ck_assert_int_eq(lrk_grid_add(g, "seed=1", err), 0);
	lrk_child_init(&c, "val");
	ck_assert_int_eq(line(&c, "Step,val,acc,SEED,loss,f1", &l, err),
	    LRK_CHILD_HEADER);
	for (i = 0; i < lrk_child_columns(&c); i++)
		if (lrk_child_kept(&c, g, i))
			map[n++] = i;
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(lrk_child_name(&c, map[0]), "acc");
	ck_assert_str_eq(lrk_child_name(&c, map[1]), "f1");
	ck_assert_int_eq(line(&c, "3,0.5,0.9,1,2,", &l, err), LRK_CHILD_LOSS);
	lrk_tidy_row(&b, "0,1,", 4, "3,0.01", 6, &c, &l, map, n);
	ck_assert_str_eq(b.data, "0,1,3,0.01,0.5,0.9,\n");
	/* The final evaluation: no loss, no step, no lr. */
	ck_assert_int_eq(line(&c, ",,0.95,,,0.7", &l, err),
	    LRK_CHILD_NO_LOSS);
	lrk_buf_clear(&b);
	lrk_tidy_row(&b, "0,1,", 4, NULL, 0, &c, &l, map, n);
	ck_assert_str_eq(b.data, "0,1,,,,0.95,0.7\n");
	/* A bare number: the other columns empty. */
	ck_assert_int_eq(line(&c, "4", &l, err), LRK_CHILD_LOSS);
	lrk_buf_clear(&b);
	lrk_tidy_row(&b, "0,1,", 4, "4,0.1", 5, &c, &l, map, n);
	ck_assert_str_eq(b.data, "0,1,4,0.1,4,,\n");
	lrk_buf_free(&b);
	lrk_child_free(&c);
	lrk_grid_free(g);
}
END_TEST

/*
 * The child's cells stay CSV: a quoted cell as the child quoted it, a
 * cell that needs quotes gets them; a *_smooth column is left out, since
 * the other tools would read it as the smoothed loss.
 */
START_TEST(test_tidy_row_quotes)
{
	struct lrk_grid *g = lrk_grid_new();
	struct lrk_child c;
	struct lrk_child_line l;
	struct lrk_buf b = { 0 };
	char err[LRK_ERRSIZE];
	size_t map[8], n = 0, i;

	lrk_child_init(&c, "loss");
	ck_assert_int_eq(line(&c, "loss,note,label_smooth,b", &l, err),
	    LRK_CHILD_HEADER);
	for (i = 0; i < lrk_child_columns(&c); i++)
		if (lrk_child_kept(&c, g, i))
			map[n++] = i;
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(lrk_child_left_out(&c, g, 2),
	    "the other tools would read it as the smoothed loss");
	ck_assert_ptr_null(lrk_child_left_out(&c, g, 1));
	ck_assert_int_eq(line(&c, "1.5,\"a,b\",0.1,a\"b", &l, err),
	    LRK_CHILD_LOSS);
	lrk_tidy_row(&b, "0,", 2, "3,0.01", 6, &c, &l, map, n);
	ck_assert_str_eq(b.data, "0,3,0.01,1.5,\"a,b\",\"a\"\"b\"\n");
	ck_assert_int_eq(line(&c, ",\"x\"\"y\",,", &l, err),
	    LRK_CHILD_NO_LOSS);
	lrk_buf_clear(&b);
	lrk_tidy_row(&b, "0,", 2, NULL, 0, &c, &l, map, n);
	ck_assert_str_eq(b.data, "0,,,,\"x\"\"y\",\n");
	lrk_buf_free(&b);
	lrk_child_free(&c);
	lrk_grid_free(g);
}
END_TEST

/*
 * The output columns: a run's own (those lrk_child_kept keeps), or the
 * names another run fixed, mapped by name, the first of its own that
 * has no place named.
 */
START_TEST(test_tidy_map)
{
	struct lrk_grid *g = lrk_grid_new();
	struct lrk_child c;
	struct lrk_child_line l;
	struct lrk_buf b = { 0 };
	char err[LRK_ERRSIZE], *fixed[] = { "acc", "f1" };
	const char *names[] = { "acc", "a,b" };
	size_t *map, n, out;

	lrk_child_init(&c, "loss");
	ck_assert_int_eq(line(&c, "step,loss,top5,acc", &l, err),
	    LRK_CHILD_HEADER);
	map = lrk_tidy_map(&c, g, NULL, 0, &n, &out);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(map[0], 2);
	ck_assert_uint_eq(map[1], 3);
	ck_assert_uint_eq(out, SIZE_MAX);
	free(map);
	map = lrk_tidy_map(&c, g, fixed, 2, &n, &out);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(map[0], 3);
	ck_assert_uint_eq(map[1], SIZE_MAX);
	ck_assert_uint_eq(out, 2);	/* top5 has no place */
	free(map);
	ck_assert_int_eq(lrk_tidy_header_line(&b, g, names, 2), 0);
	ck_assert_str_eq(b.data, "run,step,lr,loss,acc,\"a,b\"\n");
	lrk_buf_free(&b);
	lrk_child_free(&c);
	lrk_grid_free(g);
}
END_TEST

/* Tidy rows: "run,<params>" and "K,v1,v2,", values quoted as CSV. */
START_TEST(test_tidy)
{
	struct lrk_grid *g = lrk_grid_new();
	struct lrk_buf b = { 0 };
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(lrk_tidy_header(&b, g), 0);
	ck_assert_str_eq(b.data, "run");
	lrk_buf_clear(&b);
	ck_assert_int_eq(lrk_tidy_prefix(&b, g, 0), 0);
	ck_assert_str_eq(b.data, "0,");
	ck_assert_int_eq(lrk_grid_add(g, "wd=0,1e-4", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "tag=a\"b,c d", err), 0);
	lrk_buf_clear(&b);
	lrk_tidy_header(&b, g);
	ck_assert_str_eq(b.data, "run,wd,tag");
	lrk_buf_clear(&b);
	lrk_tidy_prefix(&b, g, 2);
	ck_assert_str_eq(b.data, "2,1e-4,\"a\"\"b\",");
	lrk_buf_clear(&b);
	lrk_tidy_prefix(&b, g, 3);
	ck_assert_str_eq(b.data, "3,1e-4,c d,");
	lrk_buf_free(&b);
	lrk_grid_free(g);
}
END_TEST

/* sweep-run(1), --list: "run,<params>" then the runs, one a line. */
START_TEST(test_grid_list)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	ck_assert_int_eq(lrk_grid_add(g, "wd=0,1e-4", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "tag=a\"b,c d", err), 0);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_int_eq(lrk_grid_list(fp, g, 0, 4), 0);
	ck_assert_int_eq(lrk_grid_list(fp, g, 2, 3), 0);
	ck_assert_int_eq(lrk_grid_list(fp, g, 1, 1), 0);
	fclose(fp);
	ck_assert_str_eq(buf, "run,wd,tag\n0,0,\"a\"\"b\"\n1,0,c d\n"
	    "2,1e-4,\"a\"\"b\"\n3,1e-4,c d\n"
	    "run,wd,tag\n2,1e-4,\"a\"\"b\"\n"
	    "run,wd,tag\n");
	free(buf);
	lrk_grid_free(g);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("protocol");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_schedule_spec);
	tcase_add_test(core, test_schedule_header);
	tcase_add_test(core, test_schedule_headerless);
	tcase_add_test(limits, test_schedule_bad);
	tcase_add_test(core, test_schedule_momentum);
	tcase_add_test(limits, test_schedule_momentum_bad);
	tcase_add_test(core, test_child_numbers);
	tcase_add_test(core, test_child_csv);
	tcase_add_test(core, test_child_other_loss);
	tcase_add_test(limits, test_child_ambiguous);
	tcase_add_test(core, test_tidy);
	tcase_add_test(core, test_grid_list);
	tcase_add_test(limits, test_child_no_loss_header);
	tcase_add_test(core, test_tidy_row);
	tcase_add_test(core, test_tidy_row_quotes);
	tcase_add_test(core, test_tidy_map);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
