/*
 * The child protocol of sweep-run (lrkit(7), sweep-run(1)): the schedule
 * the child reads, the lines it prints, and the tidy rows they become.
 *
 * The schedule comes from lrsched's words or from a table (-S); either
 * way it is kept twice: the text the child reads (CSV "step,lr" with a
 * header, or one lr per line) and "step,lr" of each row for the tidy rows.
 * The child's text has a momentum column when the schedule has one (a
 * policy that cycles it, a table with the column); lrk_schedule_momentum
 * makes it required.  The tidy rows never have it (lrk_schedule_momentum
 * says why).
 *
 * Each line the child prints is a bare number (the next step's loss), a
 * CSV header naming the loss column, a CSV row under such a header, or a
 * log line.  The header's loss column is found by lrk_table_find, as the
 * other tools find a column, so that the same names are ambiguous and the
 * same message says why.
 */
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

/* Add one schedule row: step and lr text, and momentum text or NULL. */
static int
add_row(struct lrk_schedule *s, const char *step, size_t step_len,
    const char *lr, size_t lr_len, const char *mom, size_t mom_len)
{
	size_t *no, ncap;

	if (s->nsteps + 2 > s->off_cap) {
		ncap = s->off_cap ? 2 * s->off_cap : 1024;
		if ((no = realloc(s->row_off, ncap * sizeof(*no))) == NULL)
			return -1;
		s->row_off = no;
		s->off_cap = ncap;
	}
	if (!s->bare) {
		lrk_buf_add(&s->child, step, step_len);
		lrk_buf_char(&s->child, ',');
	}
	lrk_buf_add(&s->child, lr, lr_len);
	if (!s->bare && mom != NULL) {
		lrk_buf_char(&s->child, ',');
		lrk_buf_add(&s->child, mom, mom_len);
	}
	lrk_buf_char(&s->child, '\n');
	s->row_off[s->nsteps] = s->rows.len;
	lrk_buf_add(&s->rows, step, step_len);
	lrk_buf_char(&s->rows, ',');
	lrk_buf_add(&s->rows, lr, lr_len);
	s->nsteps++;
	s->row_off[s->nsteps] = s->rows.len;
	return s->child.failed || s->rows.failed ? -1 : 0;
}

static void
schedule_header(struct lrk_schedule *s, int has_mom)
{
	if (!s->bare)
		lrk_buf_str(&s->child, has_mom ? "step,lr,momentum\n" :
		    "step,lr\n");
}

void
lrk_schedule_init(struct lrk_schedule *s, int bare)
{
	memset(s, 0, sizeof(*s));
	s->bare = bare;
}

/*
 * Require the momentum column (sweep-run --momentum), before
 * lrk_schedule_spec or lrk_schedule_read: a schedule without one is then
 * an error.  -1 when the schedule is bare: one lr a line has no room for
 * it.
 *
 * Without it the child reads the momentum when the schedule has one: a
 * policy that cycles it (onecycle, cyclic, fastai-onecycle: PyTorch's
 * OneCycleLR and CyclicLR cycle it unless told not to, fastai's
 * fit_one_cycle always does), or a table with the column, which is fed as
 * it is.  Asked for, a policy without momentum (range, cosine,
 * constant...) is an error, not a constant column: the momentum the
 * child keeps otherwise is its optimizer's own (SGD's, Adam's beta1),
 * which lrkit does not know, and a constant made up here would replace
 * it without a word.
 *
 * The tidy rows keep "step,lr" either way.  Their columns are what the
 * other tools read, the same with and without the momentum (one header
 * for the runs of a sweep, for --resume's check of a run's file and for
 * lr-confirm's reading of it); the momentum of every step follows from
 * the schedule (lrsched -m prints it again), and a child that wants it
 * beside its loss prints it as a column of its own, which is kept.
 */
int
lrk_schedule_momentum(struct lrk_schedule *s)
{
	if (s->bare)
		return -1;
	s->momentum_asked = 1;
	return 0;
}

void
lrk_schedule_free(struct lrk_schedule *s)
{
	lrk_buf_free(&s->child);
	lrk_buf_free(&s->rows);
	free(s->row_off);
	memset(s, 0, sizeof(*s));
}

/*
 * The schedule from lrsched's words.  0, or -1 with err: what is wrong
 * with the words (the caller names the option and quotes them).
 */
int
lrk_schedule_spec(struct lrk_schedule *s, const char *spec, char *err)
{
	char step[32], lr[LRK_NUM_BUFSIZE], mom[LRK_NUM_BUFSIZE];
	struct lrk_sched *sched;
	size_t k, n, ml = 0;
	int has_mom, r = 0;
	double x, m;

	if ((sched = lrk_sched_parse_string(spec, err)) == NULL)
		return -1;
	if (lrk_sched_ready(sched, err) != 0) {
		lrk_sched_free(sched);
		return -1;
	}
	if ((n = lrk_sched_steps(sched)) == 0) {
		snprintf(err, LRK_ERRSIZE, "the schedule has no steps");
		lrk_sched_free(sched);
		return -1;
	}
	if (s->momentum_asked && lrk_sched_check_momentum(sched, err) != 0) {
		lrk_sched_free(sched);
		return -1;
	}
	has_mom = lrk_sched_has_momentum(sched) && !s->bare;
	s->momentum = has_mom;
	schedule_header(s, has_mom);
	for (k = 0; k < n && r == 0; k++) {
		x = lrk_sched_lr(sched, k);
		if (!isfinite(x)) {
			snprintf(err, LRK_ERRSIZE, "step %zu: the lr is %g", k,
			    x);
			r = -1;
			break;
		}
		if (has_mom) {
			if (!isfinite(m = lrk_sched_momentum(sched, k))) {
				lrk_num_format(mom, m);
				snprintf(err, LRK_ERRSIZE, "step %zu: the "
				    "momentum is %s", k, mom);
				r = -1;
				break;
			}
			ml = lrk_num_format(mom, m);
		}
		if (add_row(s, step, (size_t)snprintf(step, sizeof(step), "%zu",
		    k), lr, lrk_num_format(lr, x), has_mom ? mom : NULL,
		    ml) != 0) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			r = -1;
		}
	}
	lrk_sched_free(sched);
	return r;
}

/* Where a schedule table's columns are. */
struct sched_cols {
	size_t	lr, step, mom;
	int	has_step, has_mom;
};

/* Check one row of a schedule table and add it; -1 with err. */
static int
file_row(struct lrk_schedule *s, const char *name, unsigned long line,
    const struct lrk_cell *h, const struct lrk_cell *cells,
    const struct sched_cols *c, size_t k, char *err)
{
	char step[32], shown[LRK_SHOWSIZE], shown_name[LRK_SHOWSIZE];
	const struct lrk_cell *lr = &cells[c->lr], *st = &cells[c->step];
	const struct lrk_cell *mom = &cells[c->mom];
	double x;

#define NAME(col) lrk_show(shown_name, h[col].data, h[col].len)
	if (lrk_num_parse(lr->data, lr->len, &x) != LRK_NUM_OK ||
	    !isfinite(x)) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: %s: \"%s\" is not a "
		    "finite lr", name, line, NAME(c->lr),
		    lrk_show(shown, lr->data, lr->len));
		return -1;
	}
	/* torch.optim refuses a negative lr; so does the child. */
	if (x < 0) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: %s: %s: a learning rate "
		    "cannot be negative", name, line, NAME(c->lr),
		    lrk_show(shown, lr->data, lr->len));
		return -1;
	}
	if (c->has_step && lrk_num_parse(st->data, st->len, &x) !=
	    LRK_NUM_OK) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: %s: \"%s\" is not a "
		    "number", name, line, NAME(c->step),
		    lrk_show(shown, st->data, st->len));
		return -1;
	}
	if (c->has_mom && (lrk_num_parse(mom->data, mom->len, &x) !=
	    LRK_NUM_OK || !isfinite(x))) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: %s: \"%s\" is not a "
		    "finite number", name, line, NAME(c->mom),
		    lrk_show(shown, mom->data, mom->len));
		return -1;
	}
#undef NAME
	if ((c->has_step ? add_row(s, st->data, st->len, lr->data, lr->len,
	    c->has_mom ? mom->data : NULL, mom->len) :
	    add_row(s, step, (size_t)snprintf(step, sizeof(step), "%zu", k),
	    lr->data, lr->len, c->has_mom ? mom->data : NULL,
	    mom->len)) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
		return -1;
	}
	return 0;
}

/* Is the cell the whole number *first + k, as the k-th of a step count? */
int
lrk_schedule_is_count(const char *s, size_t len, double *first, size_t k)
{
	double x;

	if (lrk_num_parse(s, len, &x) != LRK_NUM_OK || !isfinite(x) ||
	    x != floor(x))
		return 0;
	if (k == 0)
		*first = x;
	return x == *first + (double)k;
}

/*
 * The schedule from a table (-S), started by the caller.  With a header
 * the columns are found by name: the lr by its role, the step by its
 * role when there is one, a column named momentum.  Without one they go
 * by count: "lr"; "lr,momentum" (lrsched -m --bare) or "step,lr";
 * "step,lr,momentum".  Two columns are "step,lr" only when the first one
 * counts up by one from its first value, as steps do; an lr column never
 * does that in practice.  Those rows are held until the end decides.
 * 0, or -1 with err naming the input (and the line).
 */
int
lrk_schedule_read(struct lrk_schedule *s, struct lrk_table *t,
    const char *name, char *err)
{
	const struct lrk_cell *cells, *h;
	struct sched_cols c = { 0 };
	struct lrk_cell pair[2];
	struct lrk_buf held = { 0 };
	unsigned long *lines = NULL, *nl;
	size_t *ends = NULL, *ne, hcap = 0, i, k = 0, ncols;
	double first = 0;
	int r, counting = 1, hold, status = -1;

	if (lrk_table_empty(t)) {
		snprintf(err, LRK_ERRSIZE, "%s: the schedule is empty", name);
		return -1;
	}
	h = lrk_table_header(t);
	ncols = lrk_table_columns(t);
	if (lrk_table_has_header(t)) {
		char why[LRK_ERRSIZE];

		if (lrk_table_find_role(t, LRK_ROLE_LR, &c.lr, why) != 0) {
			snprintf(err, LRK_ERRSIZE, "%s: %.400s", name, why);
			return -1;
		}
		c.has_step = lrk_table_find_role(t, LRK_ROLE_STEP, &c.step,
		    why) == 0;
		for (i = 0; i < ncols; i++)
			if (strcasecmp(h[i].data, "momentum") == 0) {
				c.has_mom = 1;
				c.mom = i;
			}
	} else if (ncols == 1)
		c.lr = 0;
	else if (ncols == 3) {
		c.has_step = c.has_mom = 1;
		c.lr = 1;
		c.mom = 2;
	} else if (ncols != 2) {
		snprintf(err, LRK_ERRSIZE, "%s: a schedule without a header "
		    "has 1 to 3 columns (lr; step,lr or lr,momentum; "
		    "step,lr,momentum), not %zu: give it a header", name,
		    ncols);
		return -1;
	}
	hold = !lrk_table_has_header(t) && ncols == 2;
	if (!hold && s->momentum_asked && !c.has_mom) {
		snprintf(err, LRK_ERRSIZE, "%s: the schedule has no momentum "
		    "column (%s)", name, lrk_table_has_header(t) ?
		    "none is named momentum" : "one column: lr");
		return -1;
	}
	if (!hold) {
		s->momentum = c.has_mom && !s->bare;
		schedule_header(s, c.has_mom);
	}
	while ((r = lrk_table_next(t, &cells)) == 1) {
		if (!hold) {
			if (file_row(s, name, lrk_table_line(t), h, cells, &c,
			    k++, err) != 0)
				goto out;
			continue;
		}
		if (counting && !lrk_schedule_is_count(cells[0].data,
		    cells[0].len, &first, k))
			counting = 0;
		if (k + 1 >= hcap) {
			hcap = hcap ? 2 * hcap : 1024;
			if ((ne = realloc(ends, 2 * hcap *
			    sizeof(*ends))) == NULL)
				goto nomem;
			ends = ne;
			if ((nl = realloc(lines, hcap * sizeof(*lines))) ==
			    NULL)
				goto nomem;
			lines = nl;
		}
		lrk_buf_add(&held, cells[0].data, cells[0].len + 1);
		ends[2 * k] = held.len;
		lrk_buf_add(&held, cells[1].data, cells[1].len + 1);
		ends[2 * k + 1] = held.len;
		if (held.failed)
			goto nomem;
		lines[k++] = lrk_table_line(t);
	}
	if (r < 0) {
		snprintf(err, LRK_ERRSIZE, "%s", lrk_table_error(t));
		goto out;
	}
	if (hold) {
		if (counting) {
			c.has_step = 1;
			c.lr = 1;
		} else {
			c.has_mom = 1;
			c.mom = 1;
		}
		if (s->momentum_asked && !c.has_mom) {
			snprintf(err, LRK_ERRSIZE, "%s: the schedule has no "
			    "momentum column (the first of its two counts up "
			    "by one, as steps do: step,lr)", name);
			goto out;
		}
		s->momentum = c.has_mom && !s->bare;
		schedule_header(s, c.has_mom);
		for (i = 0; i < k; i++) {
			pair[0].data = held.data + (i ? ends[2 * i - 1] : 0);
			pair[0].len = ends[2 * i] - 1 -
			    (i ? ends[2 * i - 1] : 0);
			pair[1].data = held.data + ends[2 * i];
			pair[1].len = ends[2 * i + 1] - 1 - ends[2 * i];
			if (file_row(s, name, lines[i], h, pair, &c, i,
			    err) != 0)
				goto out;
		}
	}
	if (s->nsteps == 0) {
		snprintf(err, LRK_ERRSIZE, "%s: the schedule has no rows",
		    name);
		goto out;
	}
	status = 0;
	goto out;
nomem:
	snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
out:
	lrk_buf_free(&held);
	free(ends);
	free(lines);
	return status;
}

/*
 * The child's output.
 */

void
lrk_child_init(struct lrk_child *c, const char *loss_name)
{
	memset(c, 0, sizeof(*c));
	c->loss_name = loss_name;
}

void
lrk_child_free(struct lrk_child *c)
{
	lrk_buf_free(&c->names);
	lrk_buf_free(&c->pending);
	free(c->name_off);
	free(c->field_off);
	free(c->field_len);
	memset(c, 0, sizeof(*c));
}

/* Trim blanks and one pair of double quotes. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
	if (*len >= 2 && (*s)[0] == '"' && (*s)[*len - 1] == '"') {
		(*s)++;
		*len -= 2;
	}
}

/*
 * Split a line at the commas outside quotes into c->field_off/len, each
 * field trimmed.  Returns the number of fields, or 0 when out of memory.
 */
static size_t
split(struct lrk_child *c, const char *s, size_t len)
{
	size_t i, n = 0, start = 0, flen, ncap, *no, *nl;
	const char *f;
	int quoted = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '"')
			quoted = !quoted;
		if (i < len && (s[i] != ',' || quoted))
			continue;
		if (n == c->field_cap) {
			ncap = c->field_cap ? 2 * c->field_cap : 16;
			if ((no = realloc(c->field_off, ncap *
			    sizeof(*no))) == NULL)
				return 0;
			c->field_off = no;
			if ((nl = realloc(c->field_len, ncap *
			    sizeof(*nl))) == NULL)
				return 0;
			c->field_len = nl;
			c->field_cap = ncap;
		}
		f = s + start;
		flen = i - start;
		trim(&f, &flen);
		c->field_off[n] = (size_t)(f - s);
		c->field_len[n++] = flen;
		start = i + 1;
	}
	return n;
}

/*
 * Look the loss column up in a header line of n fields (split already),
 * through lrk_table_find on the names as one CSV line.  0 with the column,
 * 1 when the header has no such name, -1 with err (ambiguous, or out of
 * memory).
 */
static int
find_loss(struct lrk_child *c, const char *s, size_t n, size_t *column,
    char *err)
{
	struct lrk_table_options topt = { LRK_HEADER_YES, ',' };
	struct lrk_buf line = { 0 };
	struct lrk_table *t = NULL;
	FILE *fp = NULL;
	size_t i;
	int r = -1;

	for (i = 0; i < n; i++) {
		if (i > 0)
			lrk_buf_char(&line, ',');
		lrk_buf_cell(&line, s + c->field_off[i], c->field_len[i]);
	}
	lrk_buf_char(&line, '\n');
	if (line.failed || (fp = fmemopen(line.data, line.len, "r")) == NULL ||
	    (t = lrk_table_new(fp, "child", &topt)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		goto out;
	}
	if (lrk_table_start(t) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s", lrk_table_error(t));
		goto out;
	}
	r = lrk_table_find(t, c->loss_name, "loss", column, err);
	if (r != 0 && strstr(err, "ambiguous") == NULL)
		r = 1;
out:
	if (t != NULL)
		lrk_table_free(t);
	if (fp != NULL)
		fclose(fp);
	lrk_buf_free(&line);
	return r;
}

/* Does a field of the split line have the loss column's name? */
static int
names_loss(const struct lrk_child *c, const char *s, size_t n)
{
	size_t i, m = strlen(c->loss_name);

	for (i = 0; i < n; i++)
		if (c->field_len[i] == m && strncasecmp(s + c->field_off[i],
		    c->loss_name, m) == 0)
			return 1;
	return 0;
}

/* Could the split line be a header: every field a name, not a number? */
static int
looks_like_header(const struct lrk_child *c, const char *s, size_t n)
{
	size_t i;
	double x;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		if (c->field_len[i] == 0 || lrk_num_parse(s + c->field_off[i],
		    c->field_len[i], &x) != LRK_NUM_BAD)
			return 0;
	return 1;
}

/* Is every field of the split line a number or missing, one a number? */
static int
looks_like_row(const struct lrk_child *c, const char *s, size_t n)
{
	size_t i;
	int numbers = 0, k;
	double x;

	for (i = 0; i < n; i++) {
		k = lrk_num_parse(s + c->field_off[i], c->field_len[i], &x);
		if (k == LRK_NUM_BAD)
			return 0;
		numbers += k == LRK_NUM_OK;
	}
	return numbers > 0;
}

/* Keep the names of the header just split, and where the loss is. */
static int
take_header(struct lrk_child *c, const char *s, size_t n, size_t loss)
{
	size_t i;

	if ((c->name_off = calloc(n, sizeof(*c->name_off))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		c->name_off[i] = c->names.len;
		lrk_buf_add(&c->names, s + c->field_off[i], c->field_len[i]);
		lrk_buf_char(&c->names, '\0');
	}
	if (c->names.failed)
		return -1;
	c->has_header = 1;
	c->ncols = n;
	c->loss_col = loss;
	return 0;
}

/*
 * One line of the child's standard output (without its newline; line is
 * its number, for messages).  Returns what it is:
 *
 *	LRK_CHILD_BLANK		blank: nothing to do
 *	LRK_CHILD_LOSS		a bare number, or a CSV row under the header:
 *				out->loss and its text
 *	LRK_CHILD_HEADER	a CSV header with the loss column
 *	LRK_CHILD_NO_LOSS	a CSV row whose loss cell is missing
 *	LRK_CHILD_LOG		anything else: out->line is the log line
 *	LRK_CHILD_ERROR		err says why the run cannot go on: a header
 *				naming the loss column twice, or CSV rows
 *				under a header without it
 *
 * A number, a row and a log line are told apart by their text alone; a
 * CR before the newline is dropped, blanks and one pair of quotes around
 * a field too.  Fields of a row: lrk_child_field, until the next call.
 */
int
lrk_child_line(struct lrk_child *c, const char *s, size_t len,
    unsigned long line, struct lrk_child_line *out, char *err)
{
	char why[LRK_ERRSIZE];
	const char *f = s;
	size_t flen, n, col;
	double x;
	int kind, r;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	memset(out, 0, sizeof(*out));
	out->line = s;
	out->len = len;
	flen = len;
	trim(&f, &flen);
	if (flen == 0)
		return LRK_CHILD_BLANK;
	if (lrk_num_parse(f, flen, &x) == LRK_NUM_OK) {
		out->loss = x;
		out->loss_text = f;
		out->loss_len = flen;
		c->losses++;
		return LRK_CHILD_LOSS;
	}
	if (memchr(s, ',', len) == NULL)
		return LRK_CHILD_LOG;
	if ((n = split(c, s, len)) == 0) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return LRK_CHILD_ERROR;
	}
	if (c->has_header) {
		if (n != c->ncols)
			return LRK_CHILD_LOG;
		c->row = s;
		f = s + c->field_off[c->loss_col];
		flen = c->field_len[c->loss_col];
		kind = lrk_num_parse(f, flen, &x);
		out->csv = kind != LRK_NUM_BAD;
		if (kind == LRK_NUM_MISSING)
			return LRK_CHILD_NO_LOSS;
		if (kind == LRK_NUM_BAD)
			return LRK_CHILD_LOG;
		out->loss = x;
		out->loss_text = f;
		out->loss_len = flen;
		out->csv = 1;
		c->losses++;
		return LRK_CHILD_LOSS;
	}
	if (names_loss(c, s, n)) {
		if ((r = find_loss(c, s, n, &col, why)) < 0) {
			snprintf(err, LRK_ERRSIZE, "line %lu of its output: %.440s",
			    line, why);
			return LRK_CHILD_ERROR;
		}
		if (r == 0) {
			if (take_header(c, s, n, col) != 0) {
				snprintf(err, LRK_ERRSIZE, "out of memory");
				return LRK_CHILD_ERROR;
			}
			return LRK_CHILD_HEADER;
		}
	}
	/*
	 * Before the first loss, a header-like line followed by rows of as
	 * many numbers is a header without the loss column: an error, not
	 * a run that fails later for want of losses.
	 */
	if (c->losses == 0) {
		if (c->pending_cols == n && looks_like_row(c, s, n)) {
			lrk_buf_char(&c->pending, '\0');
			(void)split(c, c->pending.data, c->pending.len - 1);
			(void)find_loss(c, c->pending.data, n, &col, why);
			snprintf(err, LRK_ERRSIZE, "line %lu of its output: %.440s",
			    c->pending_line, why);
			return LRK_CHILD_ERROR;
		}
		c->pending_cols = 0;
		if (looks_like_header(c, s, n)) {
			lrk_buf_clear(&c->pending);
			lrk_buf_add(&c->pending, s, len);
			if (!c->pending.failed) {
				c->pending_cols = n;
				c->pending_line = line;
			}
		}
	}
	return LRK_CHILD_LOG;
}

size_t
lrk_child_columns(const struct lrk_child *c)
{
	return c->ncols;
}

/* The name of column i of the child's header. */
const char *
lrk_child_name(const struct lrk_child *c, size_t i)
{
	return c->names.data + c->name_off[i];
}

/* Field i of the CSV row lrk_child_line returned last. */
const char *
lrk_child_field(const struct lrk_child *c, size_t i, size_t *len)
{
	*len = c->field_len[i];
	return c->row + c->field_off[i];
}

/*
 * Tidy rows: "run,<params>,step,lr,loss[,<the child's other columns>]".
 */

/* "run,<params>": the start of the header of the rows and of --list. */
int
lrk_tidy_header(struct lrk_buf *b, const struct lrk_grid *g)
{
	size_t i;

	lrk_buf_str(b, "run");
	for (i = 0; i < lrk_grid_params(g); i++) {
		lrk_buf_char(b, ',');
		lrk_buf_str(b, lrk_grid_name(g, i));
	}
	return b->failed ? -1 : 0;
}

/* "K,v1,v2,": what every row of run K starts with. */
int
lrk_tidy_prefix(struct lrk_buf *b, const struct lrk_grid *g, size_t run)
{
	char num[32];
	const char *v;
	size_t i;

	snprintf(num, sizeof(num), "%zu", run);
	lrk_buf_str(b, num);
	for (i = 0; i < lrk_grid_params(g); i++) {
		lrk_buf_char(b, ',');
		v = lrk_grid_value(g, run, i);
		lrk_buf_cell(b, v, strlen(v));
	}
	lrk_buf_char(b, ',');
	return b->failed ? -1 : 0;
}

/*
 * Why column i of the child's header is left out of the tidy rows, or
 * NULL when it is kept, after loss.  Every column is kept but the loss
 * column itself (it is the row's loss), those whose names the tidy row
 * has already (run, step, lr, loss and the parameters, in any case: two
 * columns of one name make the other tools' lookups ambiguous), and a
 * *_smooth column, which lr-suggest and lr-plot would read as the
 * smoothed loss (lrk_name_role).
 */
const char *
lrk_child_left_out(const struct lrk_child *c, const struct lrk_grid *g,
    size_t i)
{
	static const char *const own[] = { "run", "step", "lr", "loss" };
	const char *name = lrk_child_name(c, i);
	size_t j;

	if (i == c->loss_col)
		return "it is the loss";
	for (j = 0; j < sizeof(own) / sizeof(own[0]); j++)
		if (strcasecmp(name, own[j]) == 0)
			return "the row has a column of that name";
	for (j = 0; j < lrk_grid_params(g); j++)
		if (strcasecmp(name, lrk_grid_name(g, j)) == 0)
			return "a parameter has that name";
	if (lrk_name_role(name, strlen(name)) == LRK_ROLE_SMOOTH)
		return "the other tools would read it as the smoothed loss";
	return NULL;
}

int
lrk_child_kept(const struct lrk_child *c, const struct lrk_grid *g,
    size_t i)
{
	return lrk_child_left_out(c, g, i) == NULL;
}

/*
 * A cell of the child's CSV row (f, n: trimmed of its blanks and quotes)
 * as CSV again: as the child quoted it, or quoted where it must be.
 */
static void
put_field(struct lrk_buf *b, const char *row, const char *f, size_t n)
{
	if (row != NULL && f > row && f[-1] == '"' && f[n] == '"')
		lrk_buf_add(b, f - 1, n + 2);
	else
		lrk_buf_cell(b, f, n);
}

/*
 * A tidy row: prefix ("K,v1,v2,"), the schedule row ("step,lr", or NULL
 * after the schedule's end: both empty), the loss as printed (empty when
 * missing), then for each of the nmap output columns the child's cell
 * map[j] of this row (SIZE_MAX, or a line that is no CSV row: empty).
 */
int
lrk_tidy_row(struct lrk_buf *b, const char *prefix, size_t prefix_len,
    const char *row, size_t row_len, const struct lrk_child *c,
    const struct lrk_child_line *line, const size_t *map, size_t nmap)
{
	const char *f;
	size_t j, n;

	lrk_buf_add(b, prefix, prefix_len);
	if (row != NULL)
		lrk_buf_add(b, row, row_len);
	else
		lrk_buf_char(b, ',');
	lrk_buf_char(b, ',');
	if (line->loss_text != NULL)
		lrk_buf_cell(b, line->loss_text, line->loss_len);
	for (j = 0; j < nmap; j++) {
		lrk_buf_char(b, ',');
		if (line->csv && map[j] != SIZE_MAX && map[j] < c->ncols) {
			f = lrk_child_field(c, map[j], &n);
			put_field(b, c->row, f, n);
		}
	}
	lrk_buf_char(b, '\n');
	return b->failed ? -1 : 0;
}

/*
 * The output columns of a run's tidy rows after loss: the child's own
 * (names NULL: every column lrk_child_kept keeps), or the given names (a
 * shared output whose columns another run fixed), each mapped to the
 * child's column of that name or SIZE_MAX.  Returns the map (*n
 * entries; free it), NULL when out of memory.  *left_out is the first
 * column of the child kept but not among names, or SIZE_MAX.
 */
size_t *
lrk_tidy_map(const struct lrk_child *c, const struct lrk_grid *g,
    char *const *names, size_t nnames, size_t *n, size_t *left_out)
{
	size_t i, j, nc = lrk_child_columns(c), *map;

	*left_out = SIZE_MAX;
	*n = 0;
	if ((map = calloc((names ? nnames : nc) + 1, sizeof(*map))) == NULL)
		return NULL;
	if (names == NULL) {
		for (i = 0; i < nc; i++)
			if (lrk_child_kept(c, g, i))
				map[(*n)++] = i;
		return map;
	}
	for (j = 0; j < nnames; j++)
		for (map[j] = SIZE_MAX, i = 0; i < nc; i++)
			if (strcmp(lrk_child_name(c, i), names[j]) == 0)
				map[j] = i;
	*n = nnames;
	for (i = 0; i < nc && *left_out == SIZE_MAX; i++) {
		if (!lrk_child_kept(c, g, i))
			continue;
		for (j = 0; j < nnames && map[j] != i; j++)
			;
		if (j == nnames)
			*left_out = i;
	}
	return map;
}

/*
 * sweep-run --list: "run,<params>" and the grid's runs first to end - 1,
 * one a line, to fp.  0, or -1 when out of memory.
 */
int
lrk_grid_list(FILE *fp, const struct lrk_grid *g, size_t first, size_t end)
{
	struct lrk_buf b = { 0 };
	size_t k;
	int failed;

	lrk_tidy_header(&b, g);
	lrk_buf_char(&b, '\n');
	for (k = first; !b.failed; k++) {
		fwrite(b.data, 1, b.len, fp);
		if (k == end || ferror(fp))
			break;
		lrk_buf_clear(&b);
		lrk_tidy_prefix(&b, g, k);	/* "K,<values>," */
		if (!b.failed)
			b.data[b.len - 1] = '\n';
	}
	failed = b.failed;
	lrk_buf_free(&b);
	return failed ? -1 : 0;
}

/* "run,<params>,step,lr,loss[,<names>]\n": the header of tidy rows. */
int
lrk_tidy_header_line(struct lrk_buf *b, const struct lrk_grid *g,
    const char *const *names, size_t n)
{
	size_t j;

	lrk_tidy_header(b, g);
	lrk_buf_str(b, ",step,lr,loss");
	for (j = 0; j < n; j++) {
		lrk_buf_char(b, ',');
		lrk_buf_cell(b, names[j], strlen(names[j]));
	}
	lrk_buf_char(b, '\n');
	return b->failed ? -1 : 0;
}
