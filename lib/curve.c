/*
 * Curves read from the stream: the lr and loss of every point, per group
 * (run) and per loss column, with the row and line each came from.  What
 * lr-suggest and lr-plot share: reading them, pooling several runs into
 * one answer, the check that the lr only goes up, the loss at an lr
 * between points, the order of the groups and the spread of an answer
 * across groups.
 *
 * Groups are found through a string map, so a table of ten thousand runs
 * whose rows interleave is read in time linear in its size.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

/* A label column's value in one group: the first seen, or it varies. */
struct label_value {
	char	*data;		/* NULL: not seen yet */
	size_t	 len;
	int	 varies;	/* not one value in the group */
};

/* The smoothing of a raw loss as it is read: one EMA per group. */
struct smoothing {
	struct lrk_strmap	*groups;	/* grouped: by the group's key */
	struct lrk_ema		*ema;		/* per group */
	size_t			 cap;
	struct lrk_ema		 single;	/* not grouped: this table's */
};

struct lrk_curves {
	struct lrk_strmap	*groups;
	struct lrk_curve	*curves;	/* group * nslots + slot */
	size_t			 nslots;
	size_t			 ngroups;	/* groups with curves */
	size_t			 cap;		/* groups there is room for */
	char			**label_names;	/* the first table's */
	size_t			 nlabels;
	int			 labels_decided;
	struct label_value	*labels;	/* group * nlabels + label */
	struct smoothing	 smooth;
	struct lrk_buf		 key;		/* a group's key being made */
};

struct lrk_curves *
lrk_curves_new(size_t nslots)
{
	struct lrk_curves *c;

	if (nslots == 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->nslots = nslots;
	if ((c->groups = lrk_strmap_new()) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
lrk_curves_free(struct lrk_curves *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ngroups * c->nslots; i++) {
		free(c->curves[i].lr);
		free(c->curves[i].loss);
		free(c->curves[i].row);
		free(c->curves[i].line);
	}
	free(c->curves);
	for (i = 0; i < c->ngroups * c->nlabels; i++)
		free(c->labels[i].data);
	free(c->labels);
	for (i = 0; i < c->nlabels; i++)
		free(c->label_names[i]);
	free(c->label_names);
	lrk_strmap_free(c->groups);
	lrk_strmap_free(c->smooth.groups);
	free(c->smooth.ema);
	lrk_buf_free(&c->key);
	free(c);
}

/* The group named by len bytes at key, made if new; -1: out of memory. */
static long
group_of(struct lrk_curves *c, const char *key, size_t len)
{
	struct lrk_curve *grown;
	struct label_value *more;
	size_t cap;
	long g;
	int added;

	if ((g = lrk_strmap_intern(c->groups, key, len, &added)) < 0)
		return -1;
	if (!added)
		return g;
	if (c->ngroups == c->cap) {
		cap = c->cap ? 2 * c->cap : 16;
		if (cap > (size_t)-1 / c->nslots / sizeof(*grown) ||
		    (grown = realloc(c->curves, cap * c->nslots *
		    sizeof(*grown))) == NULL)
			return -1;
		c->curves = grown;
		if (c->nlabels > 0) {
			if (cap > (size_t)-1 / c->nlabels / sizeof(*more) ||
			    (more = realloc(c->labels, cap * c->nlabels *
			    sizeof(*more))) == NULL)
				return -1;
			c->labels = more;
		}
		c->cap = cap;
	}
	memset(&c->curves[c->ngroups * c->nslots], 0,
	    c->nslots * sizeof(*c->curves));
	if (c->nlabels > 0)
		memset(&c->labels[c->ngroups * c->nlabels], 0,
		    c->nlabels * sizeof(*c->labels));
	c->ngroups++;
	return g;
}

/*
 * Add a point; with where, its row and line too (the strict reading's
 * messages and output name them; lr-plot has no use for them, and a
 * million points then take half the memory).  A curve's arrays start
 * small and double: a table of a million two-row runs takes memory in
 * proportion to its points, not a slab per run.
 */
static int
push(struct lrk_curve *k, double lr, double loss, int where, size_t row,
    unsigned long line)
{
	size_t cap;
	void *p;

	if (k->n == k->cap) {
		cap = k->cap ? 2 * k->cap : 2;
		if (cap > (size_t)-1 / sizeof(double))
			return -1;
		if ((p = realloc(k->lr, cap * sizeof(*k->lr))) == NULL)
			return -1;
		k->lr = p;
		if ((p = realloc(k->loss, cap * sizeof(*k->loss))) == NULL)
			return -1;
		k->loss = p;
		if (where && (p = realloc(k->row, cap * sizeof(*k->row))) ==
		    NULL)
			return -1;
		if (where)
			k->row = p;
		if (where && (p = realloc(k->line, cap * sizeof(*k->line))) ==
		    NULL)
			return -1;
		if (where)
			k->line = p;
		k->cap = cap;
	}
	k->lr[k->n] = lr;
	k->loss[k->n] = loss;
	if (where) {
		k->row[k->n] = row;
		k->line[k->n] = line;
	}
	k->n++;
	return 0;
}

/* "name:line: column: "cell" is not a number", into err. */
static int
not_a_number(struct lrk_table *t, const struct lrk_cell *cells, size_t col,
    const char *what, char *err)
{
	const struct lrk_cell *h = lrk_table_header(t);
	char shown[LRK_SHOWSIZE], shown_name[LRK_SHOWSIZE];

	if (what == NULL)
		snprintf(err, LRK_ERRSIZE, "%s:%lu: %s: \"%s\" is not a number",
		    lrk_table_name(t), lrk_table_line(t),
		    lrk_show(shown_name, h[col].data, h[col].len),
		    lrk_show(shown, cells[col].data, cells[col].len));
	else
		snprintf(err, LRK_ERRSIZE, "%s:%lu: %s: %s%s",
		    lrk_table_name(t), lrk_table_line(t),
		    lrk_show(shown_name, h[col].data, h[col].len),
		    lrk_show(shown, cells[col].data, cells[col].len), what);
	return -1;
}

static int
out_of_memory(char *err)
{
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

/*
 * A row of group g: each label column's cell (map: its column in this
 * table, or LRK_SUGGEST_NONE when the table has none) is the group's
 * value if the first, else must equal it, or the column varies there.
 */
static int
note_labels(struct lrk_curves *c, size_t g, const struct lrk_cell *cells,
    const size_t *map)
{
	struct label_value *v = &c->labels[g * c->nlabels];
	const struct lrk_cell *cell;
	size_t i;

	for (i = 0; i < c->nlabels; i++, v++) {
		if (v->varies)
			continue;
		if (map[i] == LRK_SUGGEST_NONE) {
			v->varies = 1;
			continue;
		}
		cell = &cells[map[i]];
		if (v->data == NULL) {
			if ((v->data = malloc(cell->len + 1)) == NULL)
				return -1;
			memcpy(v->data, cell->data, cell->len + 1);
			v->len = cell->len;
		} else if (v->len != cell->len ||
		    memcmp(v->data, cell->data, cell->len) != 0)
			v->varies = 1;
	}
	return 0;
}

/*
 * The key of a row's group: the group cell, after cols->group_prefix when
 * there is one (several files, each grouped by its runs).  Points into
 * the row or into c->key; NULL when out of memory.
 */
static const char *
group_key(struct lrk_curves *c, const struct lrk_curve_columns *cols,
    const struct lrk_cell *cells, size_t *len)
{
	const struct lrk_cell *cell = &cells[cols->group];

	if (cols->group_prefix == NULL) {
		*len = cell->len;
		return cell->data;
	}
	lrk_buf_clear(&c->key);
	if (lrk_buf_str(&c->key, cols->group_prefix) != 0 ||
	    lrk_buf_add(&c->key, cell->data, cell->len) != 0)
		return NULL;
	*len = c->key.len;
	return c->key.data;
}

/* The group named by a row (group_key); -1: out of memory. */
static long
row_group(struct lrk_curves *c, const struct lrk_curve_columns *cols,
    const struct lrk_cell *cells)
{
	const char *key;
	size_t len;

	if ((key = group_key(c, cols, cells, &len)) == NULL)
		return -1;
	return group_of(c, key, len);
}

/*
 * The smoothed value of a raw loss x of a row (cols->smooth): the row's
 * group's EMA, made at its first loss, takes it in, as ema-smooth's
 * defaults do (lrk_curve_columns).  0, or -1 when out of memory.
 */
static int
smooth_loss(struct lrk_curves *c, const struct lrk_curve_columns *cols,
    const struct lrk_cell *cells, double *x)
{
	static const struct lrk_ema_options opt = { .beta = LRK_EMA_BETA,
	    .start = LRK_EMA_DEBIAS, .nan = LRK_EMA_SKIP };
	struct smoothing *sm = &c->smooth;
	struct lrk_ema *e = &sm->single, *grown;
	const char *key;
	size_t len, cap;
	long g;
	int added;

	if (cols->grouped) {
		if ((sm->groups == NULL && (sm->groups = lrk_strmap_new()) ==
		    NULL) || (key = group_key(c, cols, cells, &len)) == NULL ||
		    (g = lrk_strmap_intern(sm->groups, key, len, &added)) < 0)
			return -1;
		if ((size_t)g == sm->cap) {
			cap = sm->cap ? 2 * sm->cap : 16;
			if ((grown = reallocarray(sm->ema, cap,
			    sizeof(*grown))) == NULL)
				return -1;
			sm->ema = grown;
			sm->cap = cap;
		}
		e = &sm->ema[g];
		if (added)
			lrk_ema_init(e);
	}
	*x = lrk_ema_push(e, &opt, *x, 0);
	return 0;
}

/*
 * The strict reading (lr-suggest): a row needs an lr and a loss to be a
 * point; a missing one leaves it out, a bad number, an lr that is not
 * finite or is negative is an error.  A NaN loss stays, to end a method's
 * window there.  A group is made by its first point.
 */
static int
read_strict(struct lrk_curves *c, struct lrk_table *t,
    const struct lrk_curve_columns *cols, const size_t *map,
    struct lrk_curve_counts *counts, char *err)
{
	const struct lrk_cell *cells;
	size_t x = cols->lr, y = cols->loss[0], row = 0;
	double lr, loss;
	long g = 0;
	int r, klr, kloss;

	while ((r = lrk_table_next(t, &cells)) == 1) {
		klr = lrk_num_parse(cells[x].data, cells[x].len, &lr);
		kloss = lrk_num_parse(cells[y].data, cells[y].len, &loss);
		if (klr == LRK_NUM_BAD || kloss == LRK_NUM_BAD)
			return not_a_number(t, cells, klr == LRK_NUM_BAD ? x : y,
			    NULL, err);
		if (cols->smooth && kloss == LRK_NUM_OK &&
		    smooth_loss(c, cols, cells, &loss) != 0)
			return out_of_memory(err);
		if (klr == LRK_NUM_OK && !isfinite(lr))
			return not_a_number(t, cells, x, " is not a finite "
			    "learning rate", err);
		/* valley or minimum would suggest it as it is. */
		if (klr == LRK_NUM_OK && lr < 0)
			return not_a_number(t, cells, x, ": a learning rate "
			    "cannot be negative", err);
		counts->with_lr += klr == LRK_NUM_OK;
		counts->with_loss += kloss == LRK_NUM_OK;
		if (klr == LRK_NUM_OK && kloss == LRK_NUM_OK) {
			if (cols->grouped && (g = row_group(c, cols,
			    cells)) < 0)
				return out_of_memory(err);
			if (map != NULL && note_labels(c, (size_t)g, cells,
			    map) != 0)
				return out_of_memory(err);
			if (push(&c->curves[(size_t)g * c->nslots], lr, loss,
			    1, row, lrk_table_line(t)) != 0)
				return out_of_memory(err);
			counts->paired++;
			counts->points++;
		}
		counts->rows++;
		row++;
	}
	return r < 0 ? -2 : 0;
}

/* Does a slot before slot read the same column as slot? */
static int
slot_read(const struct lrk_curve_columns *cols, size_t slot)
{
	size_t i;

	for (i = 0; i < slot; i++)
		if (cols->loss[i] == cols->loss[slot])
			return 1;
	return 0;
}

/*
 * The loose reading (lr-plot): a row without an lr is passed over; with
 * one, each loss column that has a value adds a point to its curve.  Any
 * lr or loss is kept (not drawable ones counted), a bad number is an
 * error.  A group is made by its first row with an lr.  A loss smoothed
 * as it is read (cols->smooth) takes in the rows without an lr too, as
 * ema-smooth does; when another slot reads its column, its points are
 * that slot's, counted once.
 */
static int
read_loose(struct lrk_curves *c, struct lrk_table *t, long g,
    const struct lrk_curve_columns *cols, const size_t *map,
    struct lrk_curve_counts *counts, char *err)
{
	const struct lrk_cell *cells;
	size_t x = cols->lr, y, i, last = c->nslots - 1;
	double lr, loss, smoothed = 0;
	int r, kind, ksmooth = LRK_NUM_MISSING, counted;

	while ((r = lrk_table_next(t, &cells)) == 1) {
		counts->rows++;
		if (cols->smooth) {
			y = cols->loss[last];
			ksmooth = lrk_num_parse(cells[y].data, cells[y].len,
			    &smoothed);
			if (ksmooth == LRK_NUM_BAD)
				return not_a_number(t, cells, y, NULL, err);
			if (ksmooth == LRK_NUM_OK && smooth_loss(c, cols,
			    cells, &smoothed) != 0)
				return out_of_memory(err);
		}
		kind = lrk_num_parse(cells[x].data, cells[x].len, &lr);
		if (kind == LRK_NUM_MISSING)
			continue;
		if (kind == LRK_NUM_BAD)
			return not_a_number(t, cells, x, NULL, err);
		counts->with_lr++;
		if (cols->grouped && (g = row_group(c, cols, cells)) < 0)
			return out_of_memory(err);
		if (map != NULL && note_labels(c, (size_t)g, cells, map) != 0)
			return out_of_memory(err);
		for (i = 0; i < c->nslots; i++) {
			y = cols->loss[i];
			if (cols->smooth && i == last) {
				kind = ksmooth;
				loss = smoothed;
			} else
				kind = lrk_num_parse(cells[y].data,
				    cells[y].len, &loss);
			if (kind == LRK_NUM_MISSING)
				continue;
			if (kind == LRK_NUM_BAD)
				return not_a_number(t, cells, y, NULL, err);
			if (push(&c->curves[(size_t)g * c->nslots + i], lr,
			    loss, 0, 0, 0) != 0)
				return out_of_memory(err);
			counted = !(cols->smooth && i == last &&
			    slot_read(cols, last));
			if (!counted)
				continue;
			counts->with_loss++;
			if (!isfinite(lr) || lr <= 0)
				counts->bad_lr++;
			else if (!isfinite(loss))
				counts->nonfinite++;
			else
				counts->points++;
		}
	}
	return r < 0 ? -2 : 0;
}

/*
 * The label columns, decided by the first table read: their names, kept
 * to find them in later tables.  Only with groups, before the first.
 */
static int
decide_labels(struct lrk_curves *c, struct lrk_table *t,
    const struct lrk_curve_columns *cols)
{
	const struct lrk_cell *h = lrk_table_header(t);
	size_t i;

	c->labels_decided = 1;
	if (!cols->grouped || cols->nlabel == 0 || c->ngroups > 0)
		return 0;
	if ((c->label_names = calloc(cols->nlabel,
	    sizeof(*c->label_names))) == NULL)
		return -1;
	for (i = 0; i < cols->nlabel; i++) {
		if ((c->label_names[i] = strdup(h[cols->label[i]].data)) ==
		    NULL)
			return -1;
		c->nlabels = i + 1;
	}
	return 0;
}

/*
 * Read the rest of a started table into the curves, by the columns and
 * rules of cols (lrkit.h).  counts are added to, not reset.  Returns 0,
 * or -1 with err: a bad number or lr (file:line: column: what), the
 * table's own read error, or out of memory.
 */
int
lrk_curves_read(struct lrk_curves *c, struct lrk_table *t,
    const struct lrk_curve_columns *cols, struct lrk_curve_counts *counts,
    char *err)
{
	const struct lrk_cell *h = lrk_table_header(t);
	const char *key = cols->file_group != NULL ? cols->file_group : "";
	size_t *map = NULL, i, j;
	long g = 0;
	int r;

	if (cols->nloss != c->nslots || (cols->strict && cols->nloss != 1)) {
		snprintf(err, LRK_ERRSIZE, "%zu loss columns for %zu curves",
		    cols->nloss, c->nslots);
		return -1;
	}
	if (!c->labels_decided && decide_labels(c, t, cols) != 0)
		return out_of_memory(err);
	/* Each label column in this table, by its name. */
	if (cols->grouped && c->nlabels > 0) {
		if ((map = calloc(c->nlabels, sizeof(*map))) == NULL)
			return out_of_memory(err);
		for (i = 0; i < c->nlabels; i++) {
			map[i] = LRK_SUGGEST_NONE;
			for (j = 0; j < cols->nlabel; j++)
				if (strcmp(h[cols->label[j]].data,
				    c->label_names[i]) == 0)
					map[i] = cols->label[j];
		}
	}
	/* Without a group column, the input is one group, smoothed alone. */
	if (!cols->grouped && (g = group_of(c, key, strlen(key))) < 0) {
		free(map);
		return out_of_memory(err);
	}
	lrk_ema_init(&c->smooth.single);
	r = cols->strict ? read_strict(c, t, cols, map, counts, err) :
	    read_loose(c, t, g, cols, map, counts, err);
	if (r == -2)
		snprintf(err, LRK_ERRSIZE, "%s", lrk_table_error(t));
	free(map);
	return r == 0 ? 0 : -1;
}

/*
 * How a range test's table is read: the one rule of every tool that
 * answers from it (lr-suggest(1), "The loss column and the runs").
 *
 * The loss: -y's column as it is (LRK_LOSS_SMOOTHED when its name marks
 * it smoothed, LRK_LOSS_AS_IS otherwise); without -y the smoothed loss
 * (<loss>_smooth, else the last *_smooth column: LRK_LOSS_SMOOTHED, with
 * raw the column of its name less the suffix when there is one), else
 * the raw loss (loss, train_loss, ...), smoothed as it is read with
 * ema-smooth's defaults (LRK_LOSS_SMOOTH_HERE, raw the same column).
 * Without a header nothing names a column smoothed: the last one is read
 * as it is.
 *
 * The curves: one per value of -g's column; without -g, one per run when
 * the header has a column named run (whatever the case), else one.
 * Returns 0, or -1 with err: a column that is not there, or ambiguous.
 */
int
lrk_range_columns(const struct lrk_table *t, const struct lrk_range_spec *spec,
    struct lrk_range_columns *out, char *err)
{
	const struct lrk_cell *h = lrk_table_header(t);
	int header = lrk_table_has_header(t);
	size_t i, nrun = 0, nraw = 0, stem;

	memset(out, 0, sizeof(*out));
	out->raw = LRK_SUGGEST_NONE;
	if (lrk_table_column(t, spec->lr, LRK_ROLE_LR, "lr", &out->lr,
	    err) != 0 || lrk_table_column(t, spec->loss, LRK_ROLE_SMOOTH,
	    "loss", &out->loss, err) != 0)
		return -1;
	if (!header)
		out->reading = LRK_LOSS_AS_IS;
	else if (lrk_is_smooth_name(h[out->loss].data, h[out->loss].len)) {
		/* The raw loss: the one column named as the stem. */
		out->reading = LRK_LOSS_SMOOTHED;
		stem = h[out->loss].len - (sizeof(LRK_SMOOTH_SUFFIX) - 1);
		for (i = 0; i < lrk_table_columns(t); i++)
			if (h[i].len == stem && strncasecmp(h[i].data,
			    h[out->loss].data, stem) == 0)
				out->raw = nraw++ == 0 ? i : LRK_SUGGEST_NONE;
	} else if (spec->loss != NULL)
		out->reading = LRK_LOSS_AS_IS;
	else {
		out->reading = LRK_LOSS_SMOOTH_HERE;
		out->raw = out->loss;
	}
	if (spec->group != NULL) {
		out->grouped = out->group_given = 1;
		return lrk_table_find(t, spec->group, "group", &out->group,
		    err);
	}
	for (i = 0; header && i < lrk_table_columns(t); i++)
		if (lrk_name_role(h[i].data, h[i].len) == LRK_ROLE_RUN &&
		    nrun++ == 0)
			out->group = i;
	if (nrun > 1)
		return lrk_table_find_role(t, LRK_ROLE_RUN, &out->group, err);
	out->grouped = nrun == 1;
	return 0;
}

/*
 * What a tool that reads the table as lrk_range_columns decided says
 * about it, into message (LRK_ERRSIZE): that a raw loss was smoothed
 * here, or that a column not named smoothed is read as it is.  Returns 1
 * when there is something to say, else 0 (message empty).
 */
int
lrk_range_note(const struct lrk_table *t, const struct lrk_range_columns *rc,
    char *message)
{
	const struct lrk_cell *h = lrk_table_header(t);
	char shown[LRK_SHOWSIZE];

	message[0] = '\0';
	switch (rc->reading) {
	case LRK_LOSS_SMOOTHED:
		return 0;
	case LRK_LOSS_SMOOTH_HERE:
		snprintf(message, LRK_ERRSIZE, "no smoothed column: %s "
		    "smoothed here (beta %g, debiased), as ema-smooth does",
		    lrk_show(shown, h[rc->loss].data, h[rc->loss].len),
		    LRK_EMA_BETA);
		break;
	case LRK_LOSS_AS_IS:
		if (lrk_table_has_header(t))
			snprintf(message, LRK_ERRSIZE, "%s: read as it is, "
			    "not smoothed (its name does not end in %s)",
			    lrk_show(shown, h[rc->loss].data,
			    h[rc->loss].len), LRK_SMOOTH_SUFFIX);
		else
			snprintf(message, LRK_ERRSIZE, "no header: the last "
			    "column is read as it is, not smoothed");
		break;
	}
	return 1;
}

size_t
lrk_curves_groups(const struct lrk_curves *c)
{
	return c->ngroups;
}

const char *
lrk_curves_name(const struct lrk_curves *c, size_t group)
{
	return lrk_strmap_key(c->groups, group);
}

const struct lrk_curve *
lrk_curves_get(const struct lrk_curves *c, size_t group, size_t slot)
{
	return &c->curves[group * c->nslots + slot];
}

/*
 * -m pooled over every group: one answer from the mean curve of the
 * groups' curves in slot (lrk_suggest_pool), into *out; out->index is a
 * step of the mean curve, which is also an index into every group's
 * curve.  Returns 0; -1 when the runs do not pool (*bad_group, *bad_step
 * say where, or are LRK_SUGGEST_NONE); -2 when the mean curve has no
 * answer (out->index says where, or is LRK_SUGGEST_NONE).  err says why.
 */
int
lrk_curves_pool(const struct lrk_curves *c, size_t slot,
    const struct lrk_suggest_options *o, struct lrk_suggestion *out,
    size_t *bad_group, size_t *bad_step, char *err)
{
	const double **lr, **loss;
	double *mean_lr = NULL, *mean_loss = NULL;
	size_t *n, g, mean_n = 0, most = 0;
	int r = -1;

	*bad_group = *bad_step = LRK_SUGGEST_NONE;
	out->index = out->index2 = LRK_SUGGEST_NONE;
	lr = calloc(c->ngroups + 1, sizeof(*lr));
	loss = calloc(c->ngroups + 1, sizeof(*loss));
	n = calloc(c->ngroups + 1, sizeof(*n));
	for (g = 0; n != NULL && g < c->ngroups; g++) {
		lr[g] = c->curves[g * c->nslots + slot].lr;
		loss[g] = c->curves[g * c->nslots + slot].loss;
		n[g] = c->curves[g * c->nslots + slot].n;
		if (n[g] > most)
			most = n[g];
	}
	if (lr == NULL || loss == NULL || n == NULL ||
	    (mean_lr = calloc(most + 1, sizeof(*mean_lr))) == NULL ||
	    (mean_loss = calloc(most + 1, sizeof(*mean_loss))) == NULL)
		out_of_memory(err);
	else if (lrk_suggest_pool(lr, loss, n, c->ngroups, mean_lr, mean_loss,
	    &mean_n, bad_group, err) != 0) {
		if (*bad_group != LRK_SUGGEST_NONE)
			*bad_step = mean_n;
	} else if (lrk_suggest("pooled", mean_lr, mean_loss, mean_n, o, out,
	    err) != 0)
		r = -2;
	else
		r = 0;
	free(lr);
	free(loss);
	free(n);
	free(mean_lr);
	free(mean_loss);
	return r;
}

/*
 * A method's answer for one group, as lr-suggest and lr-plot ask for it:
 * pooled, when there are several groups, is one answer for them all
 * (lrk_curves_pool, the same whatever the group); any other method, and
 * pooled on a lone group, works on that group's curve in slot.  Returns
 * 0; -1 when the curve has no answer (out->index, into the group's
 * curve, says where or is LRK_SUGGEST_NONE); -2 or -3 as
 * lrk_curves_pool's -1 and -2.
 */
int
lrk_curves_suggest(const struct lrk_curves *c, size_t group, size_t slot,
    const char *method, const struct lrk_suggest_options *o,
    struct lrk_suggestion *out, size_t *bad_group, size_t *bad_step,
    char *err)
{
	const struct lrk_curve *k = lrk_curves_get(c, group, slot);
	int r;

	*bad_group = *bad_step = LRK_SUGGEST_NONE;
	if (lrk_curves_pooled(c, method)) {
		r = lrk_curves_pool(c, slot, o, out, bad_group, bad_step, err);
		return r == 0 ? 0 : r - 1;
	}
	return lrk_suggest(method, k->lr, k->loss, k->n, o, out, err);
}

/* Is method one answer for all the groups (pooled over several)? */
int
lrk_curves_pooled(const struct lrk_curves *c, const char *method)
{
	return c->ngroups > 1 && strcmp(method, "pooled") == 0;
}

/*
 * How many points of a curve between from and to (0-based, to excluded)
 * can be drawn: a finite loss at a finite lr > 0, on the log lr axis.
 */
size_t
lrk_curve_drawable(const struct lrk_curve *c, size_t from, size_t to)
{
	size_t i, n = 0;

	for (i = from; i < to && i < c->n; i++)
		n += isfinite(c->loss[i]) && isfinite(c->lr[i]) &&
		    c->lr[i] > 0;
	return n;
}

/*
 * A range test's lr only goes up.  Where it goes back, the curve is two
 * tests one after the other (a log appended to, a restart) or not a range
 * test (a cyclic schedule).  Returns the index of the first point whose
 * lr is below the one before it (*from: that one), or c->n when none is.
 * An lr of 0 is no point of the log-lr curve and is passed over.
 */
size_t
lrk_curve_lr_back(const struct lrk_curve *c, size_t *from)
{
	size_t i, last = 0;

	for (i = 0; i < c->n; i++) {
		if (c->lr[i] == 0)
			continue;
		if (c->lr[last] != 0 && c->lr[i] < c->lr[last])
			break;
		last = i;
	}
	*from = last;
	return i;
}

/*
 * The loss of a curve at an lr, so that a suggestion's dot sits on the
 * line even when the suggested lr is not one of the points (minimum is a
 * tenth of the best lr, slide scales it): the point itself when index
 * names it, else the first segment that spans lr, interpolated in log lr.
 * fallback when no segment does.
 */
double
lrk_curve_loss_at(const struct lrk_curve *c, double lr, size_t index,
    double fallback)
{
	double a, b, t;
	size_t i;

	if (index < c->n && c->lr[index] == lr && isfinite(c->loss[index]))
		return c->loss[index];
	if (!isfinite(lr) || lr <= 0)
		return fallback;
	for (i = 0; i + 1 < c->n; i++) {
		a = c->lr[i];
		b = c->lr[i + 1];
		if (!(a > 0) || !(b > 0) || !isfinite(a) || !isfinite(b) ||
		    !isfinite(c->loss[i]) || !isfinite(c->loss[i + 1]))
			continue;
		if ((lr < a && lr < b) || (lr > a && lr > b))
			continue;
		if (a == b)
			return c->loss[i];
		t = (log(lr) - log(a)) / (log(b) - log(a));
		return c->loss[i] + t * (c->loss[i + 1] - c->loss[i]);
	}
	return fallback;
}

/*
 * The class of a group's name in the order of the groups: a number that
 * is not NaN (0), a name that reads as NaN (1), any other name (2: words,
 * the empty name, a missing-value mark such as NA).
 */
static int
name_class(const char *s, size_t len, double *v)
{
	if (lrk_num_parse(s, len, v) != LRK_NUM_OK)
		return 2;
	return isnan(*v) ? 1 : 0;
}

/*
 * The order of group names, a total order whatever the names: numbers
 * by value (run 2 before run 10, -inf first, inf last), then the names
 * that read as NaN, then the others; names of one class and value by
 * their bytes (so "1" before "1.0", "NaN" before "nan"), a shorter name
 * before a longer one it begins.  No two names compare equal, so the
 * order does not depend on which came first.
 */
int
lrk_curves_compare_names(const char *a, size_t alen, const char *b,
    size_t blen)
{
	double va = 0, vb = 0;
	int ca, cb, r;

	ca = name_class(a, alen, &va);
	cb = name_class(b, blen, &vb);
	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (ca == 0 && va != vb)
		return va < vb ? -1 : 1;
	if ((r = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return r < 0 ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

static const struct lrk_curves *sorting;

static int
compare_groups(const void *a, const void *b)
{
	size_t ga = *(const size_t *)a, gb = *(const size_t *)b;

	return lrk_curves_compare_names(lrk_curves_name(sorting, ga),
	    lrk_strmap_key_len(sorting->groups, ga),
	    lrk_curves_name(sorting, gb),
	    lrk_strmap_key_len(sorting->groups, gb));
}

/*
 * order[0..groups-1]: the groups by name (lrk_curves_compare_names), so
 * that what depends on the order (a plot's colours and legend) does not
 * depend on which run's rows came first (sweep-run -j interleaves).
 */
void
lrk_curves_order(const struct lrk_curves *c, size_t *order)
{
	size_t g;

	for (g = 0; g < c->ngroups; g++)
		order[g] = g;
	sorting = c;
	qsort(order, c->ngroups, sizeof(*order), compare_groups);
	sorting = NULL;
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * How far one method's answer moves across groups: the median (numpy's:
 * the mean of the two middle values of an even count), min, max and
 * max/min of values[0..n-1], which are sorted in place.  n > 0.
 */
void
lrk_spread(double *values, size_t n, struct lrk_spread *out)
{
	qsort(values, n, sizeof(*values), compare_double);
	out->n = n;
	out->median = n % 2 ? values[n / 2] :
	    (values[n / 2 - 1] + values[n / 2]) / 2;
	out->min = values[0];
	out->max = values[n - 1];
	out->ratio = values[n - 1] / values[0];
	out->noisy = n >= 2 && out->min > 0 &&
	    out->max > LRK_SPREAD_NOISY * out->min;
}

/*
 * The columns that name a group (a run) in a legend or a table, for the
 * group column group of t: the columns spec lists (COL[,COL...], by
 * name or 1-based number), or, without spec, the parameters sweep-run
 * wrote: the columns between a group column named run and the first
 * column named step after it (sweep-run's run,<params>,step,lr,loss).
 * spec naming the group column alone, or a table without such columns,
 * gives none: the group's own value names it.  *cols (malloc'd, free
 * it) gets *n columns.  Returns 0, or -1 with err: a column that is not
 * there, an empty name, out of memory.
 */
int
lrk_curve_label_columns(const struct lrk_table *t, const char *spec,
    size_t group, size_t **cols, size_t *n, char *err)
{
	const struct lrk_cell *h = lrk_table_header(t);
	size_t ncols = lrk_table_columns(t), i, step, len;
	const char *p, *comma;
	char *name;
	size_t k;
	int r;

	*n = 0;
	if ((*cols = calloc(ncols + 1, sizeof(**cols))) == NULL)
		return out_of_memory(err);
	if (spec == NULL) {
		if (!lrk_table_has_header(t) || group >= ncols ||
		    strcasecmp(h[group].data, "run") != 0)
			return 0;
		for (step = group + 1; step < ncols; step++)
			if (strcasecmp(h[step].data, "step") == 0)
				break;
		if (step == ncols)
			return 0;
		for (i = group + 1; i < step; i++)
			(*cols)[(*n)++] = i;
		return 0;
	}
	for (p = spec; ; p = comma + 1) {
		if ((comma = strchr(p, ',')) == NULL)
			comma = p + strlen(p);
		len = (size_t)(comma - p);
		if (len == 0) {
			snprintf(err, LRK_ERRSIZE, "label: an empty column name");
			break;
		}
		if ((name = strndup(p, len)) == NULL) {
			out_of_memory(err);
			break;
		}
		r = lrk_table_find(t, name, "label", &i, err);
		free(name);
		if (r != 0)
			break;
		/* A column named twice counts once: *n stays <= ncols. */
		for (k = 0; k < *n && (*cols)[k] != i; k++)
			;
		if (k == *n)
			(*cols)[(*n)++] = i;
		if (*comma == '\0') {
			/* The group column alone: the group's own name. */
			if (*n == 1 && (*cols)[0] == group)
				*n = 0;
			return 0;
		}
	}
	free(*cols);
	*cols = NULL;
	*n = 0;
	return -1;
}

/*
 * The label of every group, as a legend or a table names it: the label
 * columns (lrk_curve_label_columns) whose value is one within the group,
 * "name=value" joined by ", " ("seed=1, wd=1e-4"); NULL for a group
 * where every one varies, and for all without label columns: the tool
 * names those by the group's value.  A label that several groups share
 * gets the group's own value after it ("seed=1, run=3", group_title the
 * group column's name), so that no two groups look alike.  *labels gets
 * one malloc'd string (or NULL) per group (lrk_curves_labels_free).  Returns
 * 0, or -1 when out of memory.
 */
int
lrk_curves_labels(const struct lrk_curves *c, const char *group_title,
    char ***labels)
{
	const struct label_value *v;
	struct lrk_strmap *seen = NULL;
	size_t g, i, *count = NULL;
	char *s, **out;
	FILE *fp;
	size_t len;
	long k;
	int added, failed = 0;

	if ((out = calloc(c->ngroups + 1, sizeof(*out))) == NULL)
		return -1;
	*labels = out;
	if (c->nlabels == 0)
		return 0;
	for (g = 0; g < c->ngroups && !failed; g++) {
		v = &c->labels[g * c->nlabels];
		s = NULL;
		if ((fp = open_memstream(&s, &len)) == NULL) {
			failed = 1;
			break;
		}
		for (i = 0, k = 0; i < c->nlabels; i++)
			if (v[i].data != NULL && !v[i].varies)
				fprintf(fp, "%s%s=%s", k++ ? ", " : "",
				    c->label_names[i], v[i].data);
		if (fclose(fp) != 0 || s == NULL)
			failed = 1;
		else if (k > 0)
			out[g] = s;
		else
			free(s);
	}
	/* Labels that several groups share: each count of them. */
	if (!failed && ((seen = lrk_strmap_new()) == NULL ||
	    (count = calloc(c->ngroups + 1, sizeof(*count))) == NULL))
		failed = 1;
	for (g = 0; g < c->ngroups && !failed; g++)
		if (out[g] != NULL) {
			if ((k = lrk_strmap_intern(seen, out[g],
			    strlen(out[g]), &added)) < 0)
				failed = 1;
			else
				count[k]++;
		}
	for (g = 0; g < c->ngroups && !failed; g++) {
		if (out[g] == NULL || count[lrk_strmap_intern(seen, out[g],
		    strlen(out[g]), &added)] < 2)
			continue;
		if (asprintf(&s, "%s, %s=%s", out[g], group_title,
		    lrk_curves_name(c, g)) < 0)
			failed = 1;
		else {
			free(out[g]);
			out[g] = s;
		}
	}
	lrk_strmap_free(seen);
	free(count);
	if (!failed)
		return 0;
	lrk_curves_labels_free(out, c->ngroups);
	*labels = NULL;
	return -1;
}

/* Free what lrk_curves_labels gave for n groups (NULL: nothing). */
void
lrk_curves_labels_free(char **labels, size_t n)
{
	size_t i;

	for (i = 0; labels != NULL && i < n; i++)
		free(labels[i]);
	free(labels);
}
