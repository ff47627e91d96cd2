/*
 * lr-plot's picture, from its inputs to what the renderers draw: the
 * columns of a table that are drawn (the -y columns, or the smoothed loss
 * with the raw loss it came from), the curves read from every input, and
 * from them the series with their colours and legend names, and the
 * suggestions marked on them.  plot.c, plot_svg.c and plot_text.c draw
 * it; lr-plot only chooses and reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lrkit.h"
#include "extern.h"

struct lrk_plotdata {
	struct lrk_plot_input_options	 in;
	struct lrk_curves		*curves;	/* per group, per slot */
	unsigned long			 rows;		/* data rows read */

	/* What the first table decided: the columns drawn and names. */
	size_t		 nslots;
	char		*slot_name[LRK_PLOT_MAX_COLUMNS];
	int		 slot_light[LRK_PLOT_MAX_COLUMNS];
	size_t		 suggest_slot;
	char		*x_name, *y_name, *g_name;

	/* What lrk_plotdata_build made. */
	struct lrk_plot_series	*series;
	struct lrk_plot_mark	*marks;
	size_t			 nmarks;
	char			**labels;	/* per group: its value */
	char			**legend;	/* per group: by --label */
	size_t			 nlabels;
	char			**failures;	/* per-group messages */
	size_t			 nfailures;
};

static int
out_of_memory(char *err)
{
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

struct lrk_plotdata *
lrk_plotdata_new(const struct lrk_plot_input_options *o)
{
	struct lrk_plotdata *pd;

	if (o->nloss > LRK_PLOT_MAX_COLUMNS ||
	    (pd = calloc(1, sizeof(*pd))) == NULL)
		return NULL;
	pd->in = *o;
	return pd;
}

void
lrk_plotdata_free(struct lrk_plotdata *pd)
{
	size_t i;

	if (pd == NULL)
		return;
	for (i = 0; i < pd->nmarks; i++)
		free((char *)pd->marks[i].label);
	free(pd->marks);
	free(pd->series);
	for (i = 0; i < pd->nlabels; i++)
		free(pd->labels[i]);
	free(pd->labels);
	lrk_curves_labels_free(pd->legend, pd->nlabels);
	for (i = 0; i < pd->nfailures; i++)
		free(pd->failures[i]);
	free(pd->failures);
	for (i = 0; i < pd->nslots; i++)
		free(pd->slot_name[i]);
	free(pd->x_name);
	free(pd->y_name);
	free(pd->g_name);
	lrk_curves_free(pd->curves);
	free(pd);
}

/*
 * The columns to draw in a table: the -y columns, or the smoothed loss
 * (strong) with the raw loss it came from (light).  The first table names
 * the slots; later ones must give the same number of columns.
 */
static int
find_columns(struct lrk_plotdata *pd, struct lrk_table *t, size_t *xcol,
    size_t *ycols, size_t *gcol, char *err)
{
	const struct lrk_plot_input_options *o = &pd->in;
	const struct lrk_cell *h = lrk_table_header(t);
	char stem[256];
	size_t i, n, smooth, raw;
	int have_raw = 0;

	if (lrk_table_column(t, o->lr, LRK_ROLE_LR, "lr", xcol, err) != 0)
		return -1;
	if (o->group != NULL && lrk_table_find(t, o->group, "group", gcol,
	    err) != 0)
		return -1;
	if (o->nloss > 0) {
		for (i = 0; i < o->nloss; i++)
			if (lrk_table_find(t, o->loss[i], "loss", &ycols[i],
			    err) != 0)
				return -1;
		n = o->nloss;
	} else {
		if (lrk_table_find_role(t, LRK_ROLE_SMOOTH, &smooth, err) != 0)
			return -1;
		/* The raw loss: the column the smoothed one was made from. */
		if (lrk_table_has_header(t) && lrk_is_smooth_name(
		    h[smooth].data, h[smooth].len) && h[smooth].len -
		    sizeof(LRK_SMOOTH_SUFFIX) + 1 < sizeof(stem)) {
			snprintf(stem, sizeof(stem), "%.*s",
			    (int)(h[smooth].len - sizeof(LRK_SMOOTH_SUFFIX) +
			    1), h[smooth].data);
			have_raw = lrk_table_find(t, stem, "loss", &raw,
			    err) == 0;
		}
		if (have_raw && raw != smooth) {
			ycols[0] = raw;
			ycols[1] = smooth;
			n = 2;
		} else {
			ycols[0] = smooth;
			n = 1;
		}
	}
	if (pd->nslots == 0) {
		for (i = 0; i < n; i++) {
			if ((pd->slot_name[i] = strdup(lrk_table_has_header(t) ?
			    h[ycols[i]].data : (i == 0 ? "loss" : "y"))) ==
			    NULL)
				return out_of_memory(err);
			pd->nslots = i + 1;
			pd->slot_light[i] = o->nloss == 0 && n == 2 && i == 0;
		}
		pd->suggest_slot = n - 1;
		if ((pd->x_name = strdup(lrk_table_has_header(t) ?
		    h[*xcol].data : "lr")) == NULL ||
		    (pd->y_name = strdup(pd->slot_name[0])) == NULL)
			return out_of_memory(err);
	} else if (n != pd->nslots) {
		snprintf(err, LRK_ERRSIZE, "%zu loss column%s where the first "
		    "file has %zu", n, n == 1 ? "" : "s", pd->nslots);
		return -1;
	}
	return 0;
}

/*
 * Read the rest of a started table, named name, into the curves
 * (lrk_curves_read, not strict: rows with no lr or no loss are passed
 * over; a loss that is not finite, or an lr that cannot go on a log axis,
 * is kept for the suggestions but not drawn, and counted in counts).
 * Returns 0, or -1 with err: a column that is not there or does not
 * match the first table's ("name: what"), or lrk_curves_read's error.
 */
int
lrk_plotdata_read(struct lrk_plotdata *pd, struct lrk_table *t,
    const char *name, struct lrk_curve_counts *counts, char *err)
{
	struct lrk_curve_columns cols = { 0 };
	char why[LRK_ERRSIZE];
	size_t ycols[LRK_PLOT_MAX_COLUMNS], *label = NULL, n;
	int r;

	if (find_columns(pd, t, &cols.lr, ycols, &cols.group, why) != 0 ||
	    (pd->in.group != NULL && lrk_curve_label_columns(t,
	    pd->in.label, cols.group, &label, &cols.nlabel, why) != 0)) {
		/* "name: why", cut to fit */
		r = snprintf(err, LRK_ERRSIZE, "%s: ", name);
		if (r > 0 && r < LRK_ERRSIZE) {
			n = strnlen(why, LRK_ERRSIZE - (size_t)r - 1);
			memcpy(err + r, why, n);
			err[(size_t)r + n] = '\0';
		}
		return -1;
	}
	if (pd->curves == NULL &&
	    (pd->curves = lrk_curves_new(pd->nslots)) == NULL)
		return out_of_memory(err);
	cols.loss = ycols;
	cols.nloss = pd->nslots;
	cols.grouped = pd->in.group != NULL;
	cols.file_group = pd->in.file_groups ? name : NULL;
	cols.label = label;
	r = lrk_curves_read(pd->curves, t, &cols, counts, err);
	free(label);
	pd->rows += counts->rows;
	if (pd->in.group != NULL && pd->g_name == NULL &&
	    lrk_curves_groups(pd->curves) > 0 &&
	    (pd->g_name = strdup(lrk_table_has_header(t) ?
	    lrk_table_header(t)[cols.group].data : "group")) == NULL)
		return out_of_memory(err);
	return r;
}

/*
 * A group's name by its value: the value, or "run 3" when it is a bare
 * number that would say little alone.  The legend's unless the group has
 * a label (lrk_curves_labels); always its data-group in an SVG.  NULL
 * when out of memory.
 */
static char *
group_label(const struct lrk_plotdata *pd, size_t g)
{
	const char *key = lrk_curves_name(pd->curves, g);
	double v;
	char *s;

	if (pd->g_name != NULL &&
	    lrk_num_parse(key, strlen(key), &v) == LRK_NUM_OK)
		return asprintf(&s, "%s %s", pd->g_name, key) < 0 ? NULL : s;
	return strdup(key);
}

/*
 * A label for a suggestion: "valley 0.00302".  Under a terminal plot, where
 * nothing else tells the groups apart without colour, it names the group
 * first: "r2: valley 0.00302".  NULL when out of memory.
 */
static char *
mark_label(const char *group, const char *method, const char *which,
    double lr)
{
	char *s;

	if (asprintf(&s, "%s%s%s%s %.3g", group ? group : "",
	    group ? ": " : "", method, which, lr) < 0)
		return NULL;
	return s;
}

/* A message about one group's suggestion, kept for the tool to print. */
static int
add_failure(struct lrk_plotdata *pd, const char *who, const char *why)
{
	char **grown, *s;

	if (asprintf(&s, "%s%s%s", who, who[0] != '\0' ? ": " : "", why) < 0)
		return -1;
	if ((grown = realloc(pd->failures, (pd->nfailures + 1) *
	    sizeof(*grown))) == NULL) {
		free(s);
		return -1;
	}
	pd->failures = grown;
	pd->failures[pd->nfailures++] = s;
	return 0;
}

/*
 * Are there points to draw?  Every curve counted, before and after the
 * points --skip-start and --skip-end leave out.  -1 with err when not.
 */
static int
check_points(const struct lrk_plotdata *pd,
    const struct lrk_plot_build_options *o, char *err)
{
	const struct lrk_curve *c;
	size_t g, k, total = 0, plottable = 0, drawn = 0;

	if (pd->nslots == 0 || pd->rows == 0) {
		snprintf(err, LRK_ERRSIZE, "no data to plot: the input has no "
		    "rows");
		return -1;
	}
	for (g = 0; g < lrk_curves_groups(pd->curves); g++)
		for (k = 0; k < pd->nslots; k++) {
			c = lrk_curves_get(pd->curves, g, k);
			total += c->n;
			plottable += lrk_curve_drawable(c, 0, c->n);
			if (o->skip_start + o->skip_end < c->n)
				drawn += lrk_curve_drawable(c, o->skip_start,
				    c->n - o->skip_end);
		}
	if (total == 0)
		snprintf(err, LRK_ERRSIZE, "no data to plot: no row has both "
		    "an lr and a loss");
	else if (plottable == 0)
		snprintf(err, LRK_ERRSIZE, "no point to plot: every point has "
		    "a non-finite loss or an lr <= 0");
	else if (drawn == 0)
		snprintf(err, LRK_ERRSIZE, "no point left to plot after "
		    "--skip-start %zu and --skip-end %zu", o->skip_start,
		    o->skip_end);
	return total == 0 || plottable == 0 || drawn == 0 ? -1 : 0;
}

/* A group's series, one per slot, from position pos in the legend. */
static void
add_series(struct lrk_plotdata *pd, const struct lrk_plot_build_options *o,
    size_t g, size_t pos, int named, size_t *nseries)
{
	const struct lrk_curve *c;
	struct lrk_plot_series *s;
	size_t k;

	for (k = 0; k < pd->nslots; k++) {
		c = lrk_curves_get(pd->curves, g, k);
		s = &pd->series[(*nseries)++];
		memset(s, 0, sizeof(*s));
		s->column = pd->nslots > 1 ? pd->slot_name[k] : NULL;
		if (named) {
			s->group = pd->legend[g] != NULL ? pd->legend[g] :
			    pd->labels[g];
			s->key = pd->legend[g] != NULL ? pd->labels[g] : NULL;
		}
		s->light = pd->slot_light[k];
		if (named) {
			s->colour = (int)(pos % LRK_PLOT_COLOURS);
			s->dash = pd->in.nloss > 1 ? (int)(k % 3) :
			    LRK_DASH_SOLID;
		} else
			s->colour = pd->in.nloss > 1 ?
			    (int)(k % LRK_PLOT_COLOURS) : 0;
		if (o->skip_start + o->skip_end < c->n) {
			s->x = c->lr + o->skip_start;
			s->y = c->loss + o->skip_start;
			s->n = c->n - o->skip_start - o->skip_end;
		}
	}
}

/*
 * A group's suggestions, marked on its strong curve as lr-suggest finds
 * them; pooled, one answer for all the groups, is marked once, on the
 * first group's curve.  A method without an answer adds a failure.
 */
static int
add_marks(struct lrk_plotdata *pd, const struct lrk_plot_build_options *o,
    const struct lrk_suggest_options *sopt, size_t g, size_t pos, int named)
{
	const struct lrk_curve *c = lrk_curves_get(pd->curves, g,
	    pd->suggest_slot);
	struct lrk_plot_mark *mk;
	struct lrk_suggestion sug;
	const char *name, *mgroup, *method;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	size_t m, bad, bad_step;
	int colour, pooled;

	for (m = 0; m < o->nmethods; m++) {
		/* -s default: lr-suggest's default for these runs. */
		method = strcmp(o->methods[m], "default") == 0 ?
		    lrk_suggest_default(lrk_curves_groups(pd->curves)) :
		    o->methods[m];
		name = named ? lrk_curves_name(pd->curves, g) : NULL;
		pooled = lrk_curves_pooled(pd->curves, method);
		if (pooled && pos > 0)
			continue;
		if (pooled)
			name = NULL;
		if (lrk_curves_suggest(pd->curves, g, pd->suggest_slot,
		    method, sopt, &sug, &bad, &bad_step, err) != 0) {
			if (add_failure(pd, pooled ? "pooled" : name ?
			    lrk_show(shown, name, strlen(name)) : "",
			    err) != 0)
				return -1;
			continue;
		}
		/* A group's colour, or the first no curve uses. */
		colour = name != NULL ? (int)(pos % LRK_PLOT_COLOURS) :
		    (int)(((pd->in.nloss > 1 ? pd->in.nloss : 1) + m) %
		    LRK_PLOT_COLOURS);
		mgroup = o->terminal && name != NULL ? (pd->legend[g] !=
		    NULL ? pd->legend[g] : pd->labels[g]) : NULL;
		mk = &pd->marks[pd->nmarks];
		mk->x = sug.lr;
		mk->y = lrk_curve_loss_at(c, sug.lr, sug.index, sug.loss);
		mk->colour = colour;
		if (sug.index2 == LRK_SUGGEST_NONE) {
			if ((mk->label = mark_label(mgroup, sug.method, "",
			    sug.lr)) == NULL)
				return -1;
			pd->nmarks++;
			continue;
		}
		if ((mk->label = mark_label(mgroup, sug.method, " min",
		    sug.lr)) == NULL)
			return -1;
		pd->nmarks++;
		mk++;
		mk->x = sug.lr2;
		mk->y = lrk_curve_loss_at(c, sug.lr2, sug.index2, sug.loss2);
		mk->colour = colour;
		if ((mk->label = mark_label(mgroup, sug.method, " max",
		    sug.lr2)) == NULL)
			return -1;
		pd->nmarks++;
	}
	return 0;
}

/*
 * The picture of what was read: plot's axis names, series (one per group
 * and column; groups of -g by their values, files in the order given)
 * and marks.  plot points into pd, valid until lrk_plotdata_free.
 * Returns 0; -1 with err when there is nothing to draw or memory ran out.
 * A method that has no answer for a group is no error here: its message
 * is kept (lrk_plotdata_failures) and the rest is drawn.  Call once.
 */
int
lrk_plotdata_build(struct lrk_plotdata *pd,
    const struct lrk_plot_build_options *o, struct lrk_plot *plot, char *err)
{
	struct lrk_suggest_options sopt;
	size_t ngroups, nseries = 0, g, pos, *order;
	int named;

	if (check_points(pd, o, err) != 0)
		return -1;
	ngroups = lrk_curves_groups(pd->curves);
	named = ngroups > 1 || pd->in.group != NULL;
	pd->series = calloc(ngroups * pd->nslots + 1, sizeof(*pd->series));
	pd->labels = calloc(ngroups + 1, sizeof(*pd->labels));
	pd->marks = calloc(ngroups * (2 * o->nmethods + 1),
	    sizeof(*pd->marks));
	order = calloc(ngroups + 1, sizeof(*order));
	if (pd->series == NULL || pd->labels == NULL || pd->marks == NULL ||
	    order == NULL) {
		free(order);
		return out_of_memory(err);
	}
	pd->nlabels = ngroups;
	if (lrk_curves_labels(pd->curves, pd->g_name != NULL ? pd->g_name :
	    "group", &pd->legend) != 0) {
		free(order);
		return out_of_memory(err);
	}
	for (g = 0; g < ngroups; g++)
		order[g] = g;
	if (pd->in.group != NULL)	/* files stay in the order given */
		lrk_curves_order(pd->curves, order);
	lrk_suggest_defaults(&sopt);
	for (pos = 0; pos < ngroups; pos++) {
		g = order[pos];
		if (named && (pd->labels[g] = group_label(pd, g)) == NULL)
			break;
		add_series(pd, o, g, pos, named, &nseries);
		if (add_marks(pd, o, &sopt, g, pos, named) != 0)
			break;
	}
	free(order);
	if (pos < ngroups)
		return out_of_memory(err);
	plot->xlabel = pd->x_name;
	plot->ylabel = pd->y_name;
	plot->series = pd->series;
	plot->nseries = nseries;
	plot->marks = pd->marks;
	plot->nmarks = pd->nmarks;
	return 0;
}

/* The messages of the methods that had no answer, in order. */
size_t
lrk_plotdata_failures(const struct lrk_plotdata *pd,
    const char *const **messages)
{
	*messages = (const char *const *)pd->failures;
	return pd->nfailures;
}
