/*
 * lr-plot's picture, from its inputs to what the renderers draw: the
 * columns of a table that are drawn (the -y columns, or the smoothed loss
 * with the raw loss it came from, both read by lrk_range_columns's rule
 * as lr-suggest reads them), the curves read from every input, and from
 * them the series with their colours and legend names, and the
 * suggestions marked on them.  plot.c, plot_svg.c and plot_text.c draw
 * it; lr-plot only chooses and reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

struct lrk_plotdata {
	struct lrk_plot_input_options	 in;
	struct lrk_curves		*curves;	/* per group, per slot */
	unsigned long			 rows;		/* data rows read */

	/* The tables read: each one's name, and which made each group. */
	char		**tables;
	size_t		  ntables;
	size_t		 *group_table;	/* per group */
	size_t		  group_cap;
	int		  by_file;	/* several files: each its groups */

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
	for (i = 0; i < pd->ntables; i++)
		free(pd->tables[i]);
	free(pd->tables);
	free(pd->group_table);
	lrk_curves_free(pd->curves);
	free(pd);
}

/*
 * The columns to draw in a table, by lrk_range_columns's rule (*rc):
 * the -y columns, or the smoothed loss (strong) with the raw loss it was
 * made from (light), which is the loss column itself, smoothed as it is
 * read into the strong slot, when the table has no smoothed column.  The
 * first table names the slots; later ones must give as many columns.
 */
static int
find_columns(struct lrk_plotdata *pd, struct lrk_table *t,
    struct lrk_range_columns *rc, size_t *ycols, char *err)
{
	const struct lrk_plot_input_options *o = &pd->in;
	const struct lrk_cell *h = lrk_table_header(t);
	struct lrk_range_spec spec = { o->lr, NULL, o->group };
	size_t i, n = 1;
	int header = lrk_table_has_header(t);

	if (o->nloss > 0)
		spec.loss = o->loss[o->nloss - 1];
	if (lrk_range_columns(t, &spec, rc, err) != 0)
		return -1;
	if (o->nloss > 0) {
		for (i = 0; i < o->nloss; i++)
			if (lrk_table_find(t, o->loss[i], "loss", &ycols[i],
			    err) != 0)
				return -1;
		n = o->nloss;
	} else if (rc->raw != LRK_SUGGEST_NONE) {
		ycols[0] = rc->raw;
		ycols[1] = rc->loss;
		n = 2;
	} else
		ycols[0] = rc->loss;
	if (pd->nslots == 0) {
		for (i = 0; i < n; i++) {
			if ((pd->slot_name[i] = !header ? strdup(i == 0 ?
			    "loss" : "y") : o->nloss == 0 && i == 1 &&
			    rc->reading == LRK_LOSS_SMOOTH_HERE ?
			    lrk_smooth_name(h[ycols[i]].data,
			    h[ycols[i]].len) : strdup(h[ycols[i]].data)) ==
			    NULL)
				return out_of_memory(err);
			pd->nslots = i + 1;
			pd->slot_light[i] = o->nloss == 0 && n == 2 && i == 0;
		}
		pd->suggest_slot = n - 1;
		if ((pd->x_name = strdup(header ? h[rc->lr].data : "lr")) ==
		    NULL || (pd->y_name = strdup(pd->slot_name[0])) == NULL)
			return out_of_memory(err);
	} else if (n != pd->nslots) {
		snprintf(err, LRK_ERRSIZE, "%zu loss column%s where the first "
		    "file has %zu", n, n == 1 ? "" : "s", pd->nslots);
		return -1;
	}
	return 0;
}

/*
 * What lr-plot says about how a table is read (lrk_range_note): always
 * that it smoothed a raw loss, since it draws that line; that a column
 * is read as it is only when suggestions are read off it.
 */
static void
note_reading(const struct lrk_plotdata *pd, const struct lrk_table *t,
    const struct lrk_range_columns *rc, char *note)
{
	note[0] = '\0';
	if ((rc->reading == LRK_LOSS_SMOOTH_HERE && pd->in.nloss == 0) ||
	    (rc->reading == LRK_LOSS_AS_IS && pd->in.marks))
		lrk_range_note(t, rc, note);
}

/* Note which table made groups first to last (the last one read). */
static int
note_tables(struct lrk_plotdata *pd, const char *name, size_t first)
{
	size_t last = lrk_curves_groups(pd->curves), cap;
	char **grown;
	size_t *more;

	if ((grown = reallocarray(pd->tables, pd->ntables + 1,
	    sizeof(*grown))) == NULL)
		return -1;
	pd->tables = grown;
	if ((pd->tables[pd->ntables] = strdup(name)) == NULL)
		return -1;
	if (last > pd->group_cap) {
		cap = pd->group_cap ? 2 * pd->group_cap : 16;
		if (cap < last)
			cap = last;
		if ((more = reallocarray(pd->group_table, cap,
		    sizeof(*more))) == NULL)
			return -1;
		pd->group_table = more;
		pd->group_cap = cap;
	}
	for (; first < last; first++)
		pd->group_table[first] = pd->ntables;
	pd->ntables++;
	return 0;
}

/* "name: why" into err, cut to fit. */
static int
named_error(char *err, const char *name, const char *why)
{
	size_t n;
	int r;

	r = snprintf(err, LRK_ERRSIZE, "%s: ", name);
	if (r > 0 && r < LRK_ERRSIZE) {
		n = strnlen(why, LRK_ERRSIZE - (size_t)r - 1);
		memcpy(err + r, why, n);
		err[(size_t)r + n] = '\0';
	}
	return -1;
}

/*
 * Read the rest of a started table, named name, into the curves
 * (lrk_curves_read, not strict: rows with no lr or no loss are passed
 * over; a loss that is not finite, or an lr that cannot go on a log axis,
 * is kept for the suggestions but not drawn, and counted in counts).
 * The groups: -g's, across the files; without -g, a table with a run
 * column is one curve per run, of its own when there are several files;
 * else each file is one.  note (LRK_ERRSIZE) gets what lr-plot says
 * about the reading (note_reading), or is empty.  Returns 0, or -1 with
 * err: a column that is not there or does not match the first table's
 * ("name: what"), or lrk_curves_read's error.
 */
int
lrk_plotdata_read(struct lrk_plotdata *pd, struct lrk_table *t,
    const char *name, struct lrk_curve_counts *counts, char *note,
    char *err)
{
	struct lrk_curve_columns cols = { 0 };
	struct lrk_range_columns rc;
	const struct lrk_cell *h = lrk_table_header(t);
	char why[LRK_ERRSIZE], *prefix = NULL;
	size_t ycols[LRK_PLOT_MAX_COLUMNS], *label = NULL, first;
	int r;

	note[0] = '\0';
	/* Several files, each of runs ("a.csv: run 3"): by --label only. */
	pd->by_file = pd->in.file_groups && pd->in.group == NULL;
	if (find_columns(pd, t, &rc, ycols, why) != 0 || (rc.grouped &&
	    (!pd->by_file || pd->in.label != NULL) &&
	    lrk_curve_label_columns(t, pd->in.label, rc.group, &label,
	    &cols.nlabel, why) != 0))
		return named_error(err, name, why);
	if (pd->in.label != NULL && !rc.grouped)
		return named_error(err, name, "--label: the table has no run "
		    "column: give -g");
	if (pd->curves == NULL &&
	    (pd->curves = lrk_curves_new(pd->nslots)) == NULL)
		return out_of_memory(err);
	cols.lr = rc.lr;
	cols.loss = ycols;
	cols.nloss = pd->nslots;
	cols.smooth = pd->in.nloss == 0 &&
	    rc.reading == LRK_LOSS_SMOOTH_HERE;
	cols.grouped = rc.grouped;
	cols.group = rc.group;
	cols.file_group = pd->in.file_groups ? name : NULL;
	if (rc.grouped && pd->by_file) {
		if (asprintf(&prefix, "%s: %s ", name, h[rc.group].data) < 0)
			return out_of_memory(err);
		cols.group_prefix = prefix;
	}
	cols.label = label;
	first = lrk_curves_groups(pd->curves);
	r = lrk_curves_read(pd->curves, t, &cols, counts, err);
	free(label);
	free(prefix);
	pd->rows += counts->rows;
	/* Said of a table something is drawn from. */
	if (r == 0 && counts->points > 0)
		note_reading(pd, t, &rc, note);
	if (rc.grouped && pd->g_name == NULL &&
	    lrk_curves_groups(pd->curves) > 0 && (pd->g_name =
	    strdup(lrk_table_has_header(t) ? h[rc.group].data : "group")) ==
	    NULL)
		return out_of_memory(err);
	if (note_tables(pd, name, first) != 0)
		return out_of_memory(err);
	return r;
}

/*
 * A group's name by its value: the value, or "run 3" when it is a bare
 * number that would say little alone; of several files, the file's name
 * when it is the file's only group, else "a.csv: run 3".  The legend's
 * unless the group has a label (lrk_curves_labels); always its
 * data-group in an SVG.  ntable[t] counts the groups of table t.  NULL
 * when out of memory.
 */
static char *
group_label(const struct lrk_plotdata *pd, size_t g, const size_t *ntable)
{
	const char *key = lrk_curves_name(pd->curves, g);
	double v;
	char *s;

	if (pd->by_file)
		return strdup(ntable[pd->group_table[g]] == 1 ?
		    pd->tables[pd->group_table[g]] : key);
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
 * The order the groups are drawn, coloured and listed in: by name
 * (lrk_curves_order) when the groups are the values of a column; the
 * files in the order given, each file's groups by name.  ntable[t]
 * gets the number of groups of table t.  -1 when out of memory.
 */
static int
order_groups(const struct lrk_plotdata *pd, size_t *order, size_t *ntable)
{
	size_t ngroups = lrk_curves_groups(pd->curves), g, t, *by_name,
	    *start;

	for (g = 0; g < ngroups; g++) {
		order[g] = g;
		ntable[pd->group_table[g]]++;
	}
	if (!pd->in.file_groups && pd->g_name != NULL)
		lrk_curves_order(pd->curves, order);
	if (!pd->by_file || pd->g_name == NULL)
		return 0;
	/* By file (a stable counting sort), by name within a file. */
	if ((by_name = calloc(ngroups + 1, sizeof(*by_name))) == NULL ||
	    (start = calloc(pd->ntables + 1, sizeof(*start))) == NULL) {
		free(by_name);
		return -1;
	}
	lrk_curves_order(pd->curves, by_name);
	for (t = 1; t <= pd->ntables; t++)
		start[t] = start[t - 1] + ntable[t - 1];
	for (g = 0; g < ngroups; g++)
		order[start[pd->group_table[by_name[g]]]++] = by_name[g];
	free(by_name);
	free(start);
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
	size_t ngroups, nseries = 0, g, pos, *order, *ntable;
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
	ntable = calloc(pd->ntables + 1, sizeof(*ntable));
	pd->nlabels = ngroups;
	if (pd->series == NULL || pd->labels == NULL || pd->marks == NULL ||
	    order == NULL || ntable == NULL || lrk_curves_labels(pd->curves,
	    pd->g_name != NULL ? pd->g_name : "group", &pd->legend) != 0 ||
	    order_groups(pd, order, ntable) != 0) {
		free(order);
		free(ntable);
		return out_of_memory(err);
	}
	lrk_suggest_defaults(&sopt);
	for (pos = 0; pos < ngroups; pos++) {
		g = order[pos];
		if (named && (pd->labels[g] = group_label(pd, g, ntable)) ==
		    NULL)
			break;
		add_series(pd, o, g, pos, named, &nseries);
		if (add_marks(pd, o, &sopt, g, pos, named) != 0)
			break;
	}
	free(order);
	free(ntable);
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

/*
 * Read table t, named name, into the picture (lrk_plotdata_read) and tell
 * warn what lr-plot says of it: the note on its reading, then the points
 * left out for a non-finite loss or an lr the log axis cannot place.  0,
 * or -1 with err.
 */
int
lrk_plotdata_add(struct lrk_plotdata *pd, struct lrk_table *t,
    const char *name, void (*warn)(void *arg, const char *message),
    void *arg, char *err)
{
	struct lrk_curve_counts counts = { 0 };
	char note[LRK_ERRSIZE], msg[LRK_ERRSIZE];

	if (lrk_plotdata_read(pd, t, name, &counts, note, err) != 0)
		return -1;
	if (note[0] != '\0')
		warn(arg, note);
	if (counts.nonfinite > 0) {
		snprintf(msg, sizeof(msg), "%lu point%s with a non-finite loss "
		    "left out", counts.nonfinite, counts.nonfinite == 1 ? "" :
		    "s");
		warn(arg, msg);
	}
	if (counts.bad_lr > 0) {
		snprintf(msg, sizeof(msg), "%lu point%s with lr <= 0 or not "
		    "finite left out (the lr axis is logarithmic)",
		    counts.bad_lr, counts.bad_lr == 1 ? "" : "s");
		warn(arg, msg);
	}
	return 0;
}

/*
 * The picture built (lrk_plotdata_build) and drawn to fp with its look:
 * text with options->terminal, else SVG.  A terminal plot asked to grow
 * is made taller by the suggestions listed under it, so that they leave
 * it 8 rows at least.  0, or -1 with err.
 */
int
lrk_plotdata_render(struct lrk_plotdata *pd,
    const struct lrk_plot_build_options *options,
    const struct lrk_plot_look *look, FILE *fp, char *err)
{
	struct lrk_plot plot;
	double least;

	memset(&plot, 0, sizeof(plot));
	if (lrk_plotdata_build(pd, options, &plot, err) != 0)
		return -1;
	plot.title = look->title;
	plot.width = look->width;
	plot.height = look->height;
	least = (double)((look->title != NULL) + 4 + plot.nmarks + 8);
	if (options->terminal && look->grow && plot.height < least)
		plot.height = least;
	plot.ylim_set = look->ylim_set;
	plot.ylim[0] = look->ylim[0];
	plot.ylim[1] = look->ylim[1];
	plot.ascii = look->ascii;
	plot.ansi = look->ansi;
	return options->terminal ? lrk_plot_text(fp, &plot, err) :
	    lrk_plot_svg(fp, &plot, err);
}
