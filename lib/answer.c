/*
 * lr-suggest's answers as it prints them: one lr a line (plain), a CSV
 * table or a JSON array, and the --summary of each method's spread
 * across groups.  Beside plot.c, which draws lr-plot's picture: the
 * tool chooses, the library writes.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* A JSON string, with the escapes RFC 8259 requires. */
static void
json_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	putc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\r')
			fputs("\\r", fp);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p < 0x20)
			fprintf(fp, "\\u%04x", *p);
		else
			putc(*p, fp);
	}
	putc('"', fp);
}

/* A JSON number; JSON has no NaN or infinity, so those are null. */
static void
json_number(FILE *fp, double x)
{
	char buf[LRK_NUM_BUFSIZE];

	if (!isfinite(x))
		fputs("null", fp);
	else {
		lrk_num_format(buf, x);
		fputs(buf, fp);
	}
}

static void
print_number(FILE *fp, double x)
{
	char buf[LRK_NUM_BUFSIZE];

	lrk_num_format(buf, x);
	fputs(buf, fp);
}

/*
 * The answers, one per group and method (range as range_base then
 * range_max), to fp in format; group_title is the group column's name,
 * or NULL without groups.  Returns 0, or -1 when out of memory.
 */
int
lrk_answers_write(FILE *fp, enum lrk_answer_format format,
    const char *group_title, const struct lrk_answer *a, size_t n)
{
	const struct lrk_answer *r;
	const char *label;
	struct lrk_writer *w;
	char index[32];
	size_t i;

	if ((w = lrk_writer_new(fp, ',', "\n")) == NULL)
		return -1;
	if (format == LRK_ANSWER_CSV) {
		if (group_title != NULL)
			lrk_write_str(w, group_title);
		lrk_write_str(w, "method");
		lrk_write_str(w, "lr");
		lrk_write_str(w, "loss");
		lrk_write_str(w, "index");
		lrk_write_end(w);
	} else if (format == LRK_ANSWER_JSON)
		fputs("[", fp);
	for (i = 0; i < n; i++) {
		r = &a[i];
		switch (format) {
		case LRK_ANSWER_PLAIN:
			if (group_title != NULL) {
				label = r->label != NULL ? r->label : r->group;
				lrk_put_text(fp, label, strlen(label));
				putc(' ', fp);
			}
			print_number(fp, r->lr);
			/* range: both bounds on one line */
			if (i + 1 < n && strcmp(r->method, "range_base") == 0) {
				putc(' ', fp);
				print_number(fp, a[++i].lr);
			}
			putc('\n', fp);
			break;
		case LRK_ANSWER_CSV:
			if (group_title != NULL)
				lrk_write_str(w, r->group);
			lrk_write_str(w, r->method);
			lrk_write_num(w, r->lr);
			lrk_write_num(w, r->loss);
			snprintf(index, sizeof(index), "%zu", r->row);
			lrk_write_str(w, index);
			lrk_write_end(w);
			break;
		case LRK_ANSWER_JSON:
			fputs(i ? ",\n {" : "\n {", fp);
			if (group_title != NULL) {
				json_string(fp, group_title);
				fputs(": ", fp);
				json_string(fp, r->group);
				fputs(", ", fp);
			}
			fputs("\"method\": ", fp);
			json_string(fp, r->method);
			fputs(", \"lr\": ", fp);
			json_number(fp, r->lr);
			fputs(", \"loss\": ", fp);
			json_number(fp, r->loss);
			fprintf(fp, ", \"index\": %zu}", r->row);
			break;
		}
	}
	if (format == LRK_ANSWER_JSON)
		fputs(n ? "\n]\n" : "]\n", fp);
	lrk_writer_free(w);
	return 0;
}

/*
 * The methods that have answers, each once, in the order of their first
 * answer (each bound of range apart); returns how many, at most max.
 */
size_t
lrk_answers_methods(const struct lrk_answer *a, size_t n, const char **names,
    size_t max)
{
	size_t i, j, count = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < count; j++)
			if (strcmp(names[j], a[i].method) == 0)
				break;
		if (j == count && count < max)
			names[count++] = a[i].method;
	}
	return count;
}

/*
 * How far the lr of one method's answers moves across groups
 * (lrk_spread); values has room for n.
 */
void
lrk_answers_spread(const struct lrk_answer *a, size_t n, const char *method,
    double *values, struct lrk_spread *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].method, method) == 0)
			values[k++] = a[i].lr;
	lrk_spread(values, k, out);
}

/*
 * --summary: per method (each bound of range apart), how far the
 * suggestion moves across groups: median, min, max and max/min; the
 * plain table aligned for reading, with four digits.  Returns 0, or -1
 * when out of memory.
 */
int
lrk_answers_summary(FILE *fp, enum lrk_answer_format format,
    const struct lrk_answer *a, size_t n)
{
	static const char *const head[] = { "method", "groups", "median",
	    "min", "max", "ratio" };
	char cell[6][LRK_NUM_BUFSIZE + 16];
	const char *names[64];
	struct lrk_writer *w;
	struct lrk_spread sp;
	double stat[4], *v;
	size_t nnames, j, k, width[6];
	int pass;

	nnames = lrk_answers_methods(a, n, names,
	    sizeof(names) / sizeof(names[0]));
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return -1;
	if ((w = lrk_writer_new(fp, ',', "\n")) == NULL) {
		free(v);
		return -1;
	}
	for (k = 0; k < 6; k++)
		width[k] = strlen(head[k]);
	if (format == LRK_ANSWER_JSON)
		fputs("[", fp);
	/* Plain aligns its columns: one pass to measure, one to print. */
	for (pass = format == LRK_ANSWER_PLAIN ? 0 : 1; pass < 2; pass++) {
		if (pass == 1 && format != LRK_ANSWER_JSON) {
			for (k = 0; k < 6; k++) {
				if (format == LRK_ANSWER_CSV)
					lrk_write_str(w, head[k]);
				else
					fprintf(fp, "%s%-*s", k ? "  " : "",
					    k == 5 ? 0 : (int)width[k],
					    head[k]);
			}
			if (format == LRK_ANSWER_CSV)
				lrk_write_end(w);
			else
				putc('\n', fp);
		}
		for (j = 0; j < nnames; j++) {
			lrk_answers_spread(a, n, names[j], v, &sp);
			stat[0] = sp.median;
			stat[1] = sp.min;
			stat[2] = sp.max;
			stat[3] = sp.ratio;
			snprintf(cell[0], sizeof(cell[0]), "%s", names[j]);
			snprintf(cell[1], sizeof(cell[1]), "%zu", sp.n);
			for (k = 0; k < 4; k++)
				if (format == LRK_ANSWER_PLAIN)
					snprintf(cell[k + 2], sizeof(cell[0]),
					    "%.4g", stat[k]);
				else
					lrk_num_format(cell[k + 2], stat[k]);
			if (pass == 0) {
				for (k = 0; k < 6; k++)
					if (strlen(cell[k]) > width[k])
						width[k] = strlen(cell[k]);
				continue;
			}
			if (format == LRK_ANSWER_JSON) {
				fputs(j ? ",\n {\"method\": " : "\n {"
				    "\"method\": ", fp);
				json_string(fp, names[j]);
				fprintf(fp, ", \"groups\": %zu", sp.n);
				for (k = 0; k < 4; k++) {
					fprintf(fp, ", \"%s\": ", head[k + 2]);
					json_number(fp, stat[k]);
				}
				putc('}', fp);
			} else if (format == LRK_ANSWER_CSV) {
				for (k = 0; k < 6; k++)
					lrk_write_str(w, cell[k]);
				lrk_write_end(w);
			} else {
				for (k = 0; k < 6; k++)
					fprintf(fp, "%s%-*s", k ? "  " : "",
					    k == 5 ? 0 : (int)width[k],
					    cell[k]);
				putc('\n', fp);
			}
		}
	}
	if (format == LRK_ANSWER_JSON)
		fputs(nnames ? "\n]\n" : "]\n", fp);
	lrk_writer_free(w);
	free(v);
	return 0;
}

/*
 * A range test's table read and answered as lr-suggest answers it, for
 * lr-suggest and for lr-confirm, which starts from that answer: the
 * columns and curves by lrk_range_columns's rule, the checks that the
 * table has points, the methods per group or pooled, and the messages
 * about what is answered (a raw loss smoothed here, an lr that goes
 * back, a method with no answer, an answer that moves across groups).
 */
struct lrk_range {
	struct lrk_curves		*curves;
	struct lrk_range_columns	 columns;
	struct lrk_suggest_options	 suggest;
	char				*name;		/* for messages */
	char				*group_title;	/* grouped: its column */
	char				 group_shown[LRK_SHOWSIZE];
	char				**labels;	/* per group, or NULL */
	size_t				 ngroups;
	int				 named;		/* answers name groups */
	unsigned long			 rows;
	struct lrk_answer		*answers;
	size_t				 nanswers, cap;
	void				(*warn)(void *, const char *);
	void				*arg;
};

/* A message for the tool, formatted. */
static void
say(const struct lrk_range *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(const struct lrk_range *r, const char *fmt, ...)
{
	char buf[4 * LRK_ERRSIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (r->warn != NULL)
		r->warn(r->arg, buf);
}

/* An error message, formatted, cut to fit err (LRK_ERRSIZE). */
static int
set_err(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
set_err(char *err, const char *fmt, ...)
{
	char buf[4 * LRK_ERRSIZE];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strnlen(buf, LRK_ERRSIZE - 1);
	memcpy(err, buf, n);
	err[n] = '\0';
	return -1;
}

void
lrk_range_free(struct lrk_range *r)
{
	if (r == NULL)
		return;
	lrk_curves_labels_free(r->labels, r->ngroups);
	lrk_curves_free(r->curves);
	free(r->name);
	free(r->group_title);
	free(r->answers);
	free(r);
}

/*
 * Whether the table has points to answer from, as lrk_curves_read
 * counted them; -1 with err when not.
 */
static int
check_counts(const struct lrk_range *r, const struct lrk_table *t,
    const struct lrk_curve_counts *n, char *err)
{
	const struct lrk_cell *h = lrk_table_header(t);
	char lr[LRK_SHOWSIZE], loss[LRK_SHOWSIZE];

	lrk_show(lr, h[r->columns.lr].data, h[r->columns.lr].len);
	lrk_show(loss, h[r->columns.loss].data, h[r->columns.loss].len);
	if (n->rows == 0)
		/* A header alone: no curve, whatever the method. */
		set_err(err, "%s: the input has no rows", r->name);
	else if (n->paired == 0 && n->with_lr > 0 && n->with_loss > 0)
		/* Lightning's CSVLogger writes the lr and the loss of a
		 * step on separate rows. */
		set_err(err, "%s: no row has both an lr (%s) and a loss (%s): "
		    "a sparse log? join its rows first: lr-import --merge "
		    "step", r->name, lr, loss);
	else if (n->paired == 0)
		set_err(err, "%s: no row has both an lr (%s) and a loss (%s)",
		    r->name, lr, loss);
	return n->paired == 0 ? -1 : 0;
}

/*
 * Read the rest of a started table into r: its columns, its note, its
 * curves and the groups' labels.  0, or -1 with err.
 */
static int
read_table(struct lrk_range *r, struct lrk_table *t,
    const struct lrk_range_options *o, char *err)
{
	struct lrk_curve_columns cols = { .strict = 1, .nloss = 1 };
	struct lrk_curve_counts counts = { 0 };
	const struct lrk_cell *h = lrk_table_header(t);
	char why[LRK_ERRSIZE], note[LRK_ERRSIZE];
	size_t *label = NULL;
	int status = -1;

	if (lrk_range_columns(t, &o->columns, &r->columns, why) != 0 ||
	    (r->columns.grouped && lrk_curve_label_columns(t, o->label,
	    r->columns.group, &label, &cols.nlabel, why) != 0)) {
		return set_err(err, "%s: %s", r->name, why);
	}
	if (o->label != NULL && !r->columns.grouped) {
		return set_err(err, "%s: --label: the table has no run column: "
		    "give -g", r->name);
	}
	if (r->columns.grouped) {
		if ((r->group_title = strdup(h[r->columns.group].data)) ==
		    NULL)
			goto nomem;
		lrk_show(r->group_shown, h[r->columns.group].data,
		    h[r->columns.group].len);
	}
	cols.lr = r->columns.lr;
	cols.loss = &r->columns.loss;
	cols.smooth = r->columns.reading == LRK_LOSS_SMOOTH_HERE;
	cols.grouped = r->columns.grouped;
	cols.group = r->columns.group;
	cols.label = label;
	if (lrk_curves_read(r->curves, t, &cols, &counts, err) != 0 ||
	    check_counts(r, t, &counts, err) != 0)
		goto done;
	/* Said once the table has points to answer from. */
	if (lrk_range_note(t, &r->columns, note))
		say(r, "%s: %s", r->name, note);
	r->rows = counts.rows;
	r->ngroups = lrk_curves_groups(r->curves);
	/* A table of one run without -g is one curve, and named as one. */
	r->named = r->columns.grouped && (r->columns.group_given ||
	    r->ngroups > 1);
	if (r->named && lrk_curves_labels(r->curves, r->group_title,
	    &r->labels) != 0)
		goto nomem;
	status = 0;
	goto done;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
done:
	free(label);
	return status;
}

/*
 * Read a range test's table from fp, named name in messages, as
 * lr-suggest reads it (lrk_range_columns; a row needs an lr and a loss
 * to be a point).  warn(arg, message) gets what the tool says about the
 * reading: a raw loss smoothed here.  The range, or NULL with err: the
 * input is empty or has no point, a column is missing, a bad number,
 * out of memory.
 */
struct lrk_range *
lrk_range_read(FILE *fp, const char *name, const struct lrk_range_options *o,
    void (*warn)(void *, const char *), void *arg, char *err)
{
	struct lrk_range *r;
	struct lrk_table *t;
	int status = -1;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->name = strdup(name)) == NULL ||
	    (r->curves = lrk_curves_new(1)) == NULL ||
	    (t = lrk_table_new(fp, name, &o->table)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		lrk_range_free(r);
		return NULL;
	}
	r->suggest = o->suggest;
	r->warn = warn;
	r->arg = arg;
	if (lrk_table_start(t) != 0)
		set_err(err, "%s", lrk_table_error(t));
	else if (lrk_table_empty(t))
		set_err(err, "%s: the input is empty", name);
	else
		status = read_table(r, t, o, err);
	lrk_table_free(t);
	if (status == 0)
		return r;
	lrk_range_free(r);
	return NULL;
}

/* The groups (curves) read: 1 without groups. */
size_t
lrk_range_groups(const struct lrk_range *r)
{
	return r->ngroups;
}

/*
 * The group column's name, or NULL when the answers name no group: the
 * table is one curve, or one run without -g.
 */
const char *
lrk_range_group_title(const struct lrk_range *r)
{
	return r->named ? r->group_title : NULL;
}

/* Is the table read per group (-g, or its run column)? */
int
lrk_range_grouped(const struct lrk_range *r)
{
	return r->columns.grouped;
}

/* The table's data rows: the range test's steps, over every run. */
unsigned long
lrk_range_rows(const struct lrk_range *r)
{
	return r->rows;
}

static int
add_answer(struct lrk_range *r, size_t g, const char *method, double lr,
    double loss, size_t row)
{
	struct lrk_answer *a;
	size_t cap;

	if (r->nanswers == r->cap) {
		cap = r->cap ? 2 * r->cap : 16;
		if ((a = reallocarray(r->answers, cap, sizeof(*a))) == NULL)
			return -1;
		r->answers = a;
		r->cap = cap;
	}
	a = &r->answers[r->nanswers++];
	a->group = r->named ? lrk_curves_name(r->curves, g) : NULL;
	a->label = r->labels != NULL ? r->labels[g] : NULL;
	a->method = method;
	a->lr = lr;
	a->loss = loss;
	a->row = row;
	return 0;
}

/* A group's name made fit for a message (lrk_show). */
static const char *
group_shown(const struct lrk_range *r, char *buf, size_t g)
{
	const char *key = lrk_curves_name(r->curves, g);

	return lrk_show(buf, key, strlen(key));
}

/*
 * -m pooled over several groups: one answer from the mean curve of them
 * all (lrk_curves_pool) into *s.  Returns 1 if it failed (and said why).
 */
static int
answer_pooled(const struct lrk_range *r, struct lrk_suggestion *s)
{
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	size_t bad, step;
	int k;

	k = lrk_curves_pool(r->curves, 0, &r->suggest, s, &bad, &step, err);
	if (k == -1 && bad != LRK_SUGGEST_NONE)
		say(r, "%s:%lu: %s %s: %s", r->name,
		    lrk_curves_get(r->curves, bad, 0)->line[step],
		    r->group_shown, group_shown(r, shown, bad), err);
	else if (k == -1)
		say(r, "%s: %s", r->name, err);
	else if (k == -2 && s->index != LRK_SUGGEST_NONE)
		say(r, "%s: the mean of the %zu groups of %s, at the step of "
		    "line %lu of %s %s: %s", r->name, r->ngroups,
		    r->group_shown,
		    lrk_curves_get(r->curves, 0, 0)->line[s->index],
		    r->group_shown, group_shown(r, shown, 0), err);
	else if (k == -2)
		say(r, "%s: the mean of the %zu groups of %s: %s", r->name,
		    r->ngroups, r->group_shown, err);
	return k != 0;
}

/*
 * Where the lr goes back (lrk_curve_lr_back), every method would still
 * answer, from a curve that folds back on itself: say so.
 */
static void
warn_lr_back(const struct lrk_range *r, size_t g)
{
	const struct lrk_curve *c = lrk_curves_get(r->curves, g, 0);
	char shown[LRK_SHOWSIZE], a[LRK_NUM_BUFSIZE], b[LRK_NUM_BUFSIZE];
	size_t i, last;

	if ((i = lrk_curve_lr_back(c, &last)) >= c->n)
		return;
	lrk_num_format(a, c->lr[i]);
	lrk_num_format(b, c->lr[last]);
	if (r->columns.grouped)
		say(r, "%s:%lu: %s %s: the lr goes back, from %s to %s: the "
		    "suggestions are of a curve that folds back on itself "
		    "(several runs? give each its own value of %s)", r->name,
		    c->line[i], r->group_shown, group_shown(r, shown, g), b,
		    a, r->group_shown);
	else
		say(r, "%s:%lu: the lr goes back, from %s to %s: the "
		    "suggestions are of a curve that folds back on itself "
		    "(several runs? lr-import --split-restarts COLUMN numbers "
		    "them, then give -g run)", r->name, c->line[i], b, a);
}

/* A method's answer for group g into r->answers; 1 when it had none. */
static int
answer_one(struct lrk_range *r, size_t g, const char *method)
{
	const struct lrk_curve *c = lrk_curves_get(r->curves, g, 0);
	struct lrk_suggestion s;
	char err[LRK_ERRSIZE], where[LRK_ERRSIZE], shown[LRK_SHOWSIZE];

	if (lrk_suggest(method, c->lr, c->loss, c->n, &r->suggest, &s,
	    err) != 0) {
		if (s.index != LRK_SUGGEST_NONE)
			snprintf(where, sizeof(where), "%s:%lu", r->name,
			    c->line[s.index]);
		else
			snprintf(where, sizeof(where), "%s", r->name);
		if (r->columns.grouped)
			say(r, "%s: %s %s: %s", where, r->group_shown,
			    group_shown(r, shown, g), err);
		else
			say(r, "%s: %s", where, err);
		return 1;
	}
	if (strcmp(method, "range") == 0)
		return add_answer(r, g, "range_base", s.lr, s.loss,
		    c->row[s.index]) != 0 || add_answer(r, g, "range_max",
		    s.lr2, s.loss2, c->row[s.index2]) != 0 ? -1 : 0;
	return add_answer(r, g, method, s.lr, s.loss, c->row[s.index]) != 0 ?
	    -1 : 0;
}

/*
 * The answers of methods[0..n-1] for every group, in the order the
 * groups first came, each group's methods in the order given (range as
 * range_base and range_max; pooled over several groups, one answer, the
 * same on every group's row: its own row at the step picked).  A method
 * with no answer for a group, and a curve whose lr goes back, are said
 * (warn).  *answers, valid until lrk_range_free, gets *count of them.
 * Returns 0 when every method answered, 1 when some did not, -1 when
 * memory ran out.
 */
int
lrk_range_answer(struct lrk_range *r, const char *const *methods, size_t n,
    const struct lrk_answer **answers, size_t *count)
{
	const struct lrk_curve *c;
	struct lrk_suggestion pooled;
	size_t g, m;
	int status = 0, pooled_status = 1, k;

	r->nanswers = 0;
	for (g = 0; g < r->ngroups; g++) {
		warn_lr_back(r, g);
		c = lrk_curves_get(r->curves, g, 0);
		for (m = 0; m < n; m++) {
			if (!lrk_curves_pooled(r->curves, methods[m]))
				k = answer_one(r, g, methods[m]);
			else {
				if (g == 0)
					pooled_status = answer_pooled(r,
					    &pooled);
				k = pooled_status != 0 ? 1 : add_answer(r, g,
				    "pooled", pooled.lr, pooled.loss,
				    c->row[pooled.index]);
			}
			if (k < 0)
				return -1;
			if (k > 0)
				status = 1;
		}
	}
	*answers = r->answers;
	*count = r->nanswers;
	return status;
}

/*
 * With groups, a suggestion that moves more than LRK_SPREAD_NOISY times
 * between them is worth a warning (lrk_spread's noisy): when the runs
 * differ only in their seed, the curve is too noisy for the method to be
 * trusted.  Per method of the last lrk_range_answer (each bound of range
 * apart).  -1 when out of memory.
 */
int
lrk_range_warn_spread(const struct lrk_range *r)
{
	char lo[LRK_NUM_BUFSIZE], hi[LRK_NUM_BUFSIZE];
	const char *names[64];
	struct lrk_spread sp;
	double *v;
	size_t i, n;

	if ((v = calloc(r->nanswers + 1, sizeof(*v))) == NULL)
		return -1;
	n = lrk_answers_methods(r->answers, r->nanswers, names,
	    sizeof(names) / sizeof(names[0]));
	for (i = 0; i < n; i++) {
		lrk_answers_spread(r->answers, r->nanswers, names[i], v, &sp);
		if (!sp.noisy)
			continue;
		lrk_num_format(lo, sp.min);
		lrk_num_format(hi, sp.max);
		say(r, "%s: %s moves %.3gx across the %zu groups of %s (from "
		    "%s to %s): if they differ only in their seed, the curve "
		    "is too noisy to trust (more steps, a bigger batch or more "
		    "smoothing)", r->name, names[i], sp.max / sp.min, sp.n,
		    r->group_shown, lo, hi);
	}
	free(v);
	return 0;
}

/*
 * The answer lr-suggest prints for a whole table, in one call, for a
 * program that starts from it (lr-confirm): the table read from fp as
 * lrk_range_read reads it, then without a method (o->method NULL or
 * "default") lr-suggest's default, one answer: minimum on one curve, and
 * over several groups their pooled answer; with a method, the median of
 * the groups' answers (the mean of the middle two of an even count)
 * over the groups that have one.  Messages go to warn as lr-suggest
 * prints them, and one more when some groups have no answer.  *out gets the lr, the groups read and answered, and the
 * table's rows (the range test's steps over every run).  Returns 0; -1
 * with err when the table cannot be read or no group has an answer.
 */
int
lrk_range_suggest(FILE *fp, const char *name, const struct lrk_range_options *o,
    struct lrk_range_answer *out, void (*warn)(void *, const char *),
    void *arg, char *err)
{
	const struct lrk_answer *a;
	struct lrk_range *r;
	struct lrk_spread sp;
	const char *method;
	char msg[LRK_ERRSIZE];
	double *v;
	size_t n, i, k = 0;
	int status;

	memset(out, 0, sizeof(*out));
	if ((r = lrk_range_read(fp, name, o, warn, arg, err)) == NULL)
		return -1;
	method = o->method;
	if (method == NULL || strcmp(method, "default") == 0)
		method = lrk_suggest_default(r->ngroups);
	if ((status = lrk_range_answer(r, &method, 1, &a, &n)) < 0 ||
	    (v = calloc(n + 1, sizeof(*v))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		lrk_range_free(r);
		return -1;
	}
	/* range's two rows a group: only a one-answer method is asked. */
	for (i = 0; i < n; i++)
		if (strcmp(a[i].method, "range_max") != 0)
			v[k++] = a[i].lr;
	out->groups = r->ngroups;
	out->answered = k;
	out->rows = r->rows;
	out->smoothed_here = r->columns.reading == LRK_LOSS_SMOOTH_HERE;
	if (k > 0 && k < r->ngroups && warn != NULL) {
		snprintf(msg, sizeof(msg), "%s: an answer for %zu of its %zu "
		    "runs only", name, k, r->ngroups);
		warn(arg, msg);
	}
	if (k > 0) {
		lrk_spread(v, k, &sp);
		out->lr = sp.median;
	} else
		set_err(err, "%s: no suggestion: %s had no answer%s", name,
		    method, r->ngroups > 1 ? " for any group" : "");
	free(v);
	lrk_range_free(r);
	return k > 0 ? 0 : -1;
}
