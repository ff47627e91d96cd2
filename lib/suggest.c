/*
 * The suggested learning rate: the methods of tests/golden/README section
 * 4, each giving the point its anchor gives, quirks included.
 *
 *   valley, slide, minimum, steep	fastai v2 (fastai/callback/schedule.py)
 *   mingrad				pytorch-lr-finder, fastai v1,
 *					Lightning < 2.5.3
 *   lightning				Lightning >= 2.5.3
 *   range				Smith's two bounds, from valley's
 *					longest valley
 *   halfway				lrkit's own: halfway down the fall
 *					of the loss, measured in loss
 *   plateau				lrkit's own: halfway from the
 *					plateau's median to the bottom
 *   pooled				halfway on the mean curve of several
 *					runs of one sweep (lrk_suggest_pool)
 *
 * A method is a row of the table at the bottom: its name, the fewest
 * points it can work with, how it takes its window, and its function.
 * The function sees only the window and says which point (0-based in
 * the window) it picks; lrk_suggest maps that back to the caller's index.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* How a method cuts its window out of the curve. */
enum window_rule {
	WINDOW_FASTAI,		/* [n/10 : -5], then up to the first NaN */
	WINDOW_TORCH_LR_FINDER,	/* [10 : -5], then up to the first NaN */
	WINDOW_LIGHTNING	/* [10 : -1], non-finite losses dropped */
};

/* The points a method sees. */
struct curve {
	const double	*lr;
	const double	*loss;
	size_t		 n;
	const char	*method;	/* the name asked for, for messages */
};

/* What a method picks: window positions, and the lr it suggests. */
struct pick {
	size_t	at, at2;
	double	lr, lr2;
	size_t	bad;		/* on error: the window position at fault */
};

typedef int (*method_fn)(const struct curve *,
    const struct lrk_suggest_options *, struct pick *, char *);

struct method {
	const char		*name;
	size_t			 min_points;
	int			 plus_lr_diff;	/* needs lr_diff + 1 points */
	enum window_rule	 window;
	method_fn		 fn;
};

void
lrk_suggest_defaults(struct lrk_suggest_options *o)
{
	o->skip_start = -1;
	o->skip_end = -1;
	o->lr_diff = 15;
	o->thresh = 0.005;
	o->adjust = 1;
}

/*
 * numpy.gradient with unit spacing at position i: central differences
 * inside, one-sided at the ends (edge_order 1); n >= 2.
 */
static double
unit_gradient(const double *y, size_t n, size_t i)
{
	if (i == 0)
		return (y[1] - y[0]) / 1.0;
	if (i == n - 1)
		return (y[n - 1] - y[n - 2]) / 1.0;
	return (y[i + 1] - y[i - 1]) / 2.0;
}

/* The gradient methods need finite losses: an infinity makes them pick
 * the point next to it whatever the curve looks like. */
static int
finite_losses(const struct curve *c, const char *name, struct pick *p,
    char *err)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!isfinite(c->loss[i])) {
			p->bad = i;
			snprintf(err, LRK_ERRSIZE, "loss: %s: %s needs finite "
			    "losses (end the window before it with "
			    "--skip-end)", c->loss[i] > 0 ? "inf" : "-inf",
			    name);
			return -1;
		}
	return 0;
}

/*
 * The longest strictly decreasing subsequence by patience sorting:
 * tails[k] is the position of the largest last loss of a decreasing
 * subsequence of length k + 1 seen so far (ties: the latest), so the
 * tails' losses decrease strictly and a binary search finds how long a
 * subsequence a new point ends.  Sets *length and *end, the FIRST position
 * whose subsequence has the greatest length, as fastai's O(n^2) loop
 * finds them.  Returns -1 when out of memory.
 */
static int
longest_valley(const struct curve *c, size_t *length, size_t *end)
{
	size_t *tails, len = 0, lo, hi, mid, i, best = 0;

	if ((tails = malloc(c->n * sizeof(*tails))) == NULL)
		return -1;
	*end = 0;
	for (i = 0; i < c->n; i++) {
		lo = 0;
		hi = len;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (c->loss[tails[mid]] > c->loss[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		tails[lo] = i;
		if (lo == len)
			len++;
		if (lo + 1 > best) {
			best = lo + 1;
			*end = i;
		}
	}
	free(tails);
	*length = best;
	return 0;
}

/*
 * valley (fastai): the longest valley runs from start = end - L to end;
 * the answer is a third plus a sixth of the way down it.  fastai only
 * moves start when a longer valley is found, so with no valley at all
 * (L = 1) start stays 0; otherwise start can be -1, and a negative
 * position counts from the end, as in Python.
 */
static int
valley(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	size_t length, end;
	double sections;
	long start, idx;

	(void)o;
	if (longest_valley(c, &length, &end) != 0) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	start = length > 1 ? (long)end - (long)length : 0;
	if (length == 1)
		end = 0;
	sections = (double)((long)end - start) / 3;
	idx = start + (long)sections + (long)(sections / 2);
	if (idx < 0)
		idx += (long)c->n;
	p->at = (size_t)idx;
	p->lr = c->lr[p->at];
	return 0;
}

/*
 * slide (fastai): slide a pair of points lr_diff apart from the right end
 * towards the left while the unit-spacing gradients at the two differ by
 * more than thresh; the answer is the left point where it stops (or the
 * first point), times adjust.
 */
static int
slide(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	long n = (long)c->n, r, l, ans;

	if (finite_losses(c, "slide", p, err) != 0)
		return -1;
	r = n - 1;
	l = r - o->lr_diff;
	ans = l;
	while (l >= 0 && fabs(unit_gradient(c->loss, c->n, (size_t)r) -
	    unit_gradient(c->loss, c->n, (size_t)l)) > o->thresh) {
		ans = l;
		r--;
		l--;
	}
	p->at = (size_t)ans;
	p->lr = c->lr[p->at] * o->adjust;
	return 0;
}

/* The first position of the least value (numpy/torch argmin). */
static size_t
argmin(const double *v, size_t n)
{
	size_t i, best = 0;

	for (i = 1; i < n; i++)
		if (v[i] < v[best])
			best = i;
	return best;
}

/* minimum (fastai): a tenth of the lr at the least loss. */
static int
minimum(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	(void)o;
	(void)err;
	p->at = argmin(c->loss, c->n);
	p->lr = c->lr[p->at] / 10;
	return 0;
}

/* Consecutive points at the same lr leave a slope undefined. */
static int
distinct_lrs(const struct curve *c, const char *name, struct pick *p,
    char *err)
{
	size_t i;

	for (i = 1; i < c->n; i++)
		if (c->lr[i] == c->lr[i - 1]) {
			p->bad = i;
			snprintf(err, LRK_ERRSIZE, "lr: the same as the point "
			    "before, so %s's slope is undefined", name);
			return -1;
		}
	return 0;
}

/*
 * steep (fastai): the steepest descent in ln(lr), forward differences
 * (y[i+1] - y[i]) / (ln lr[i+1] - ln lr[i]); the answer is the left point
 * of the steepest step.
 */
static int
steep(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	char num[LRK_NUM_BUFSIZE];
	double g, best = 0, left, right;
	size_t i;

	(void)o;
	for (i = 0; i < c->n; i++)
		if (!(c->lr[i] > 0)) {
			p->bad = i;
			lrk_num_format(num, c->lr[i]);
			snprintf(err, LRK_ERRSIZE, "lr: %s: steep takes its "
			    "log, so it must be positive", num);
			return -1;
		}
	if (finite_losses(c, "steep", p, err) != 0 ||
	    distinct_lrs(c, "steep", p, err) != 0)
		return -1;
	p->at = 0;
	right = log(c->lr[0]);
	for (i = 0; i + 1 < c->n; i++) {
		left = right;
		right = log(c->lr[i + 1]);
		g = (c->loss[i + 1] - c->loss[i]) / (right - left);
		if (i == 0 || g < best) {
			best = g;
			p->at = i;
		}
	}
	p->lr = c->lr[p->at];
	return 0;
}

/* mingrad (pytorch-lr-finder): argmin of numpy.gradient(losses). */
static int
mingrad(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	double g, best = 0;
	size_t i;

	(void)o;
	if (finite_losses(c, "mingrad", p, err) != 0)
		return -1;
	p->at = 0;
	for (i = 0; i < c->n; i++) {
		g = unit_gradient(c->loss, c->n, i);
		if (i == 0 || g < best) {
			best = g;
			p->at = i;
		}
	}
	p->lr = c->lr[p->at];
	return 0;
}

/*
 * lightning (Lightning >= 2.5.3): argmin of torch.gradient(losses,
 * spacing=[lrs]), the gradient in the linear lr, with torch's (and
 * numpy's) non-uniform central differences
 *   a y[i-1] + b y[i] + c y[i+1],  a = -dx2 / (dx1 (dx1 + dx2)),
 *   b = (dx2 - dx1) / (dx1 dx2),  c = dx1 / (dx2 (dx1 + dx2)),
 * dx1 = x[i] - x[i-1], dx2 = x[i+1] - x[i]; one-sided at the ends.
 */
static int
lightning(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	const double *x = c->lr, *y = c->loss;
	double g, best = 0, dx1, dx2, a, b, cc;
	size_t i, n = c->n;

	(void)o;
	if (distinct_lrs(c, "lightning", p, err) != 0)
		return -1;
	p->at = 0;
	for (i = 0; i < n; i++) {
		if (i == 0)
			g = (y[1] - y[0]) / (x[1] - x[0]);
		else if (i == n - 1)
			g = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
		else {
			dx1 = x[i] - x[i - 1];
			dx2 = x[i + 1] - x[i];
			a = -dx2 / (dx1 * (dx1 + dx2));
			b = (dx2 - dx1) / (dx1 * dx2);
			cc = dx1 / (dx2 * (dx1 + dx2));
			g = a * y[i - 1] + b * y[i] + cc * y[i + 1];
		}
		if (i == 0 || g < best) {
			best = g;
			p->at = i;
		}
	}
	p->lr = c->lr[p->at];
	return 0;
}

/*
 * range: Smith's base and maximum lr from the longest valley (the longest
 * strictly decreasing run of losses, not necessarily adjacent).  The
 * maximum is its lowest point: the first point that ends a longest valley,
 * as valley finds it.  The base is where the loss starts to fall: the
 * LATEST point that starts a valley of that length ending there.  A
 * second patience pass from the right over the points above the lowest
 * loss gives, for each, the longest valley it starts.
 */
static int
range(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	size_t length, end, *tails, len = 0, lo, hi, mid;
	long i;

	(void)o;
	if (longest_valley(c, &length, &end) != 0)
		goto nomem;
	if (length < 2) {
		snprintf(err, LRK_ERRSIZE, "range: the loss never falls in "
		    "the window (%zu point%s)", c->n, c->n == 1 ? "" : "s");
		return -1;
	}
	if ((tails = malloc(c->n * sizeof(*tails))) == NULL)
		goto nomem;
	/*
	 * Read from the right, a valley is a strictly increasing run:
	 * tails[k] holds the smallest first loss of one with k + 1 points
	 * before the lowest point.
	 */
	p->at = end;
	for (i = (long)end - 1; i >= 0; i--) {
		if (!(c->loss[i] > c->loss[end]))
			continue;
		lo = 0;
		hi = len;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (c->loss[tails[mid]] < c->loss[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		tails[lo] = (size_t)i;
		if (lo == len)
			len++;
		if (lo + 2 == length) {
			p->at = (size_t)i;
			break;
		}
	}
	free(tails);
	p->at2 = end;
	p->lr = c->lr[p->at];
	p->lr2 = c->lr[p->at2];
	return 0;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

/*
 * halfway: the lr halfway down the fall of the loss.  The fall runs from
 * its top, the highest loss before the lowest (the first of equal ones),
 * to its bottom, the lowest loss (the first of equal ones); the answer is
 * the first point after the top whose loss is at or below the level
 * halfway between the two.  It is valley's "halfway down the valley"
 * measured in loss instead of in points, so a long flat start does not
 * pull it towards the small lrs; and being a level crossed where the
 * curve falls steeply, the noise of the curve moves it little.
 */
static int
halfway(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	size_t bottom, top, i;
	double level;

	(void)o;
	if (finite_losses(c, c->method, p, err) != 0)
		return -1;
	bottom = argmin(c->loss, c->n);
	for (top = 0, i = 1; i < bottom; i++)
		if (c->loss[i] > c->loss[top])
			top = i;
	if (!(c->loss[top] > c->loss[bottom])) {
		snprintf(err, LRK_ERRSIZE, "%s: the loss never falls in "
		    "the window (%zu point%s)", c->method, c->n,
		    c->n == 1 ? "" : "s");
		return -1;
	}
	level = c->loss[bottom] / 2 + c->loss[top] / 2;
	for (i = top + 1; c->loss[i] > level; i++)
		;
	p->at = i;
	p->lr = c->lr[i];
	return 0;
}

/* A loss and its position, to rank the losses before the bottom. */
struct ranked {
	double	loss;
	size_t	at;
};

static int
compare_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->loss != y->loss)
		return x->loss < y->loss ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * A Fenwick tree over the ranks 1..n of the losses: which of them are
 * still in the prefix, the k-th smallest of those in O(log n).
 */
static void
fenwick_add(size_t *tree, size_t n, size_t rank, int delta)
{
	for (; rank <= n; rank += rank & -rank)
		tree[rank] += (size_t)delta;
}

static size_t
fenwick_kth(const size_t *tree, size_t n, size_t k)
{
	size_t pos = 0, step = 1;

	while (step * 2 <= n)
		step *= 2;
	for (; step > 0; step /= 2)
		if (pos + step <= n && tree[pos + step] < k) {
			pos += step;
			k -= tree[pos];
		}
	return pos + 1;
}

/*
 * plateau: halfway down the fall caused by the lr.  A range test's loss
 * holds a level (the plateau) while the lr is too small to matter, then
 * falls to its bottom, the lowest loss.  The plateau is the median of the
 * curve from the window's start up to where the fall starts, and the fall
 * starts at the last point before the bottom still at the plateau's
 * level: a fixed point, reached by starting from the whole curve before
 * the bottom and cutting it at the last point at or above the median
 * until the cut no longer moves (a cut only drops points below the median,
 * so the median only rises and the cut only moves left).  The answer is the
 * first point from there at or below the level halfway between the plateau
 * and the bottom.
 *
 * halfway measures the fall from the single highest point before the
 * bottom.  On a small batch the first points of the window are that
 * point by noise: the debiased EMA there is the mean of only a few
 * batches' losses, so it scatters several times as much as later on the
 * plateau, and a scatter larger than the real fall puts halfway's level
 * above the plateau and its answer at the start of the curve.  A median is
 * not moved by a few points, wherever they are.  O(n log n).
 */
static int
plateau(const struct curve *c, const struct lrk_suggest_options *o,
    struct pick *p, char *err)
{
	struct ranked *sorted;
	size_t bottom, *rank, *tree, i, cut, next, count;
	double level, lo_mid, hi_mid;

	(void)o;
	if (finite_losses(c, c->method, p, err) != 0)
		return -1;
	bottom = argmin(c->loss, c->n);
	if (bottom == 0)
		goto nofall;
	sorted = malloc(bottom * sizeof(*sorted));
	rank = malloc(bottom * sizeof(*rank));
	tree = calloc(bottom + 1, sizeof(*tree));
	if (sorted == NULL || rank == NULL || tree == NULL) {
		free(sorted);
		free(rank);
		free(tree);
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	for (i = 0; i < bottom; i++) {
		sorted[i].loss = c->loss[i];
		sorted[i].at = i;
	}
	qsort(sorted, bottom, sizeof(*sorted), compare_ranked);
	for (i = 0; i < bottom; i++) {
		rank[sorted[i].at] = i + 1;
		fenwick_add(tree, bottom, i + 1, 1);
	}
	cut = bottom - 1;
	count = bottom;
	for (;;) {
		lo_mid = sorted[fenwick_kth(tree, bottom, (count + 1) / 2) -
		    1].loss;
		hi_mid = sorted[fenwick_kth(tree, bottom, count / 2 + 1) -
		    1].loss;
		level = lo_mid / 2 + hi_mid / 2;
		/* Some point of the prefix is at or above its median. */
		for (next = cut; c->loss[next] < level; next--)
			;
		if (next == cut)
			break;
		for (; cut > next; cut--, count--)
			fenwick_add(tree, bottom, rank[cut], -1);
	}
	free(sorted);
	free(rank);
	free(tree);
	if (!(level > c->loss[bottom]))
		goto nofall;
	level = level / 2 + c->loss[bottom] / 2;
	for (i = cut; c->loss[i] > level; i++)
		;
	p->at = i;
	p->lr = c->lr[i];
	return 0;
nofall:
	snprintf(err, LRK_ERRSIZE, "%s: the loss never falls in the window "
	    "(%zu point%s)", c->method, c->n, c->n == 1 ? "" : "s");
	return -1;
}

/*
 * pooled: several runs of one sweep (the same lr at each step, different
 * seeds) measure the same curve with independent batch noise; their mean,
 * step by step, has the noise of one run divided by the square root of
 * their number, and halfway is read once off it.  The EMA is linear, so
 * the mean of the runs' smoothed curves is the smoothed mean of their raw
 * losses.  The mean runs over the steps every run reached (a run that
 * stopped on divergence ends it); a NaN or infinite loss makes the mean
 * NaN or infinite there, and halfway then treats it as its own.
 */
int
lrk_suggest_pool(const double *const *lr, const double *const *loss,
    const size_t *n, size_t k, double *mean_lr, double *mean_loss,
    size_t *mean_n, size_t *bad_run, char *err)
{
	size_t i, j, m;
	double sum;

	*mean_n = 0;
	*bad_run = LRK_SUGGEST_NONE;
	if (k == 0) {
		snprintf(err, LRK_ERRSIZE, "pooled: no runs");
		return -1;
	}
	for (m = n[0], j = 1; j < k; j++)
		if (n[j] < m)
			m = n[j];
	for (i = 0; i < m; i++) {
		sum = 0;
		for (j = 0; j < k; j++) {
			if (lr[j][i] != lr[0][i] &&
			    !(isnan(lr[j][i]) && isnan(lr[0][i]))) {
				*mean_n = i;
				*bad_run = j;
				snprintf(err, LRK_ERRSIZE, "lr: not the same as "
				    "the first run's at step %zu, so the runs "
				    "are not one sweep to pool", i);
				return -1;
			}
			sum += loss[j][i] / (double)k;
		}
		mean_lr[i] = lr[0][i];
		mean_loss[i] = sum;
	}
	*mean_n = m;
	return 0;
}

/*
 * The methods.  A new one is a function of the method_fn shape, a row
 * here (name, fewest points, whether slide's lr_diff raises that, window
 * rule) and its name in lrk_suggest_methods, whose order is -m all's.
 */
static const struct method methods[] = {
	{ "valley",	1, 0, WINDOW_FASTAI,		valley },
	{ "slide",	2, 1, WINDOW_FASTAI,		slide },
	{ "minimum",	1, 0, WINDOW_FASTAI,		minimum },
	{ "steep",	2, 0, WINDOW_FASTAI,		steep },
	{ "mingrad",	2, 0, WINDOW_TORCH_LR_FINDER,	mingrad },
	{ "lightning",	2, 0, WINDOW_LIGHTNING,		lightning },
	{ "range",	2, 0, WINDOW_FASTAI,		range },
	{ "halfway",	2, 0, WINDOW_FASTAI,		halfway },
	{ "plateau",	2, 0, WINDOW_FASTAI,		plateau },
	{ "pooled",	2, 0, WINDOW_FASTAI,		halfway },
};

#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

const char *const lrk_suggest_methods[] = {
	"valley", "slide", "minimum", "steep", "mingrad", "lightning", "range",
	"halfway", "plateau", "pooled", NULL
};

static const struct method *
find_method(const char *name)
{
	size_t i;

	for (i = 0; i < NMETHODS; i++)
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

int
lrk_suggest_known(const char *method)
{
	return find_method(method) != NULL;
}

/*
 * "valley, slide, ..., pooled": the names of the method table in order,
 * for messages and --help.  Returns the length it would have (snprintf).
 */
size_t
lrk_suggest_method_list(char *buf, size_t size)
{
	size_t i, used = 0;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < NMETHODS; i++)
		used += (size_t)snprintf(used < size ? buf + used : NULL,
		    used < size ? size - used : 0, "%s%s", i == 0 ? "" : ", ",
		    methods[i].name);
	return used;
}

/*
 * The default method: the one that trains best in make quality
 * (lr-suggest(1), DEFAULT), on one run, and over several runs of one
 * configuration (their pooled answer).
 */
const char *
lrk_suggest_default(size_t nruns)
{
	return nruns > 1 ? LRK_SUGGEST_DEFAULT_RUNS : LRK_SUGGEST_DEFAULT;
}

/*
 * A list of methods as lr-suggest -m and lr-plot -s take it: names of the
 * method table separated by commas, "default" (kept as it is, for the
 * caller to resolve with lrk_suggest_default once it knows the runs), or
 * "all" for the whole table in its order.  *list (free it) gets the
 * names, pointers into the table, and *count how many.  Returns 0, or -1
 * with err: "\"best\": no such method (valley, ..., pooled, default or
 * all)" or "out of memory".
 */
int
lrk_suggest_parse_methods(const char *arg, const char ***list,
    size_t *count, char *err)
{
	const struct method *m;
	const char **names, *p, *comma;
	char shown[LRK_SHOWSIZE];
	size_t i, n = 0, len, used, most = 1;

	*list = NULL;
	*count = 0;
	for (p = arg; (p = strchr(p, ',')) != NULL; p++)
		most++;
	if (strcmp(arg, "all") == 0)
		most = NMETHODS;
	if ((names = calloc(most, sizeof(*names))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	if (strcmp(arg, "all") == 0) {
		for (i = 0; i < NMETHODS; i++)
			names[n++] = methods[i].name;
		*list = names;
		*count = n;
		return 0;
	}
	for (p = arg;; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		for (m = NULL, i = 0; i < NMETHODS && m == NULL; i++)
			if (strlen(methods[i].name) == len &&
			    memcmp(methods[i].name, p, len) == 0)
				m = &methods[i];
		if (m == NULL && len == 7 && memcmp(p, "default", 7) == 0) {
			names[n++] = "default";
		} else if (m == NULL) {
			used = (size_t)snprintf(err, LRK_ERRSIZE, "\"%s\": no "
			    "such method (", lrk_show(shown, p, len));
			if (used < LRK_ERRSIZE)
				used += lrk_suggest_method_list(err + used,
				    LRK_ERRSIZE - used);
			if (used < LRK_ERRSIZE)
				snprintf(err + used, LRK_ERRSIZE - used,
				    ", default or all)");
			free(names);
			return -1;
		} else
			names[n++] = m->name;
		if (comma == NULL)
			break;
	}
	*list = names;
	*count = n;
	return 0;
}

static size_t
need_points(const struct method *m, const struct lrk_suggest_options *o)
{
	size_t need = m->min_points;

	if (m->plus_lr_diff && o->lr_diff >= 0 &&
	    (size_t)o->lr_diff + 1 > need)
		need = (size_t)o->lr_diff + 1;
	return need;
}

/* The fewest points the method needs in its window; 0 if unknown. */
size_t
lrk_suggest_min_points(const char *method, const struct lrk_suggest_options *o)
{
	const struct method *m;

	if ((m = find_method(method)) == NULL)
		return 0;
	return need_points(m, o);
}

int
lrk_suggest(const char *name, const double *lr, const double *loss, size_t n,
    const struct lrk_suggest_options *o, struct lrk_suggestion *out,
    char *err)
{
	const struct method *m;
	struct curve c;
	struct pick p;
	double *copy = NULL;
	size_t skip_start, skip_end, lo, hi, i, k, *map = NULL, need, cut;
	char num[LRK_NUM_BUFSIZE];
	int status = -1, lightning_rule;

	memset(out, 0, sizeof(*out));
	out->index = out->index2 = LRK_SUGGEST_NONE;
	if ((m = find_method(name)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "unknown method \"%s\"", name);
		return -1;
	}
	out->method = m->name;
	if (m->plus_lr_diff && o->lr_diff < 0) {
		snprintf(err, LRK_ERRSIZE, "%s: lr_diff is negative", name);
		return -1;
	}
	lightning_rule = m->window == WINDOW_LIGHTNING;
	if (o->skip_start >= 0)
		skip_start = (size_t)o->skip_start;
	else
		skip_start = m->window == WINDOW_FASTAI ? n / 10 : 10;
	if (o->skip_end >= 0)
		skip_end = (size_t)o->skip_end;
	else
		skip_end = lightning_rule ? 1 : 5;
	lo = skip_start < n ? skip_start : n;
	hi = skip_end < n ? n - skip_end : 0;
	if (hi < lo)
		hi = lo;
	cut = hi;
	if (!lightning_rule) {
		for (i = lo; i < hi; i++)
			if (isnan(loss[i]))
				break;
		cut = i;
	}

	/*
	 * Lightning drops the non-finite losses; the rest use [lo, cut).  A
	 * curve of no points may have no arrays (a group of lr-plot whose
	 * rows have no loss).
	 */
	c.lr = n > 0 ? lr + lo : lr;
	c.loss = n > 0 ? loss + lo : loss;
	c.n = cut - lo;
	c.method = m->name;
	if (lightning_rule) {
		if ((copy = malloc(2 * (hi - lo + 1) * sizeof(*copy))) ==
		    NULL || (map = malloc((hi - lo + 1) * sizeof(*map))) ==
		    NULL) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			goto done;
		}
		for (i = lo, k = 0; i < hi; i++)
			if (isfinite(loss[i])) {
				copy[k] = lr[i];
				copy[(hi - lo + 1) + k] = loss[i];
				map[k++] = i;
			}
		c.lr = copy;
		c.loss = copy + (hi - lo + 1);
		c.n = k;
	}

	need = need_points(m, o);
	if (c.n < need) {
		k = (size_t)snprintf(err, LRK_ERRSIZE, "%s needs at least %zu "
		    "point%s", m->name, need, need == 1 ? "" : "s");
		if (m->plus_lr_diff)
			k += (size_t)snprintf(err + k, LRK_ERRSIZE - k,
			    " (--lr-diff %ld, plus one)", o->lr_diff);
		k += (size_t)snprintf(err + k, LRK_ERRSIZE - k, " and has %zu "
		    "(of %zu, after skipping %zu at the start and %zu at the "
		    "end", c.n, n, skip_start, skip_end);
		if (lightning_rule && c.n < hi - lo)
			k += (size_t)snprintf(err + k, LRK_ERRSIZE - k,
			    ", and %zu with a non-finite loss", hi - lo - c.n);
		else if (!lightning_rule && cut < hi)
			k += (size_t)snprintf(err + k, LRK_ERRSIZE - k,
			    ", and %zu from the first NaN loss on", hi - cut);
		snprintf(err + k, LRK_ERRSIZE - k, ")");
		goto done;
	}
	for (i = 0; i < c.n; i++)
		if (!isfinite(c.lr[i])) {
			out->index = map ? map[i] : lo + i;
			lrk_num_format(num, c.lr[i]);
			snprintf(err, LRK_ERRSIZE, "lr: %s: not a finite "
			    "learning rate", num);
			goto done;
		}

	p.bad = LRK_SUGGEST_NONE;
	p.at2 = LRK_SUGGEST_NONE;
	p.lr2 = NAN;
	if (m->fn(&c, o, &p, err) != 0) {
		if (p.bad != LRK_SUGGEST_NONE)
			out->index = map ? map[p.bad] : lo + p.bad;
		goto done;
	}
	out->lr = p.lr;
	out->loss = c.loss[p.at];
	out->index = map ? map[p.at] : lo + p.at;
	out->lr2 = p.lr2;
	out->loss2 = NAN;
	if (p.at2 != LRK_SUGGEST_NONE) {
		out->loss2 = c.loss[p.at2];
		out->index2 = map ? map[p.at2] : lo + p.at2;
	}
	status = 0;
done:
	free(copy);
	free(map);
	return status;
}
