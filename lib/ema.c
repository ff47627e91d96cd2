/*
 * The exponential moving average (tests/golden/README, section 3).
 *
 * The debiased and "first" starts use the recurrence pandas uses
 * (pandas/_libs/window/aggregations.pyx, ewm): the old value's weight
 * old_wt decays by beta (or by 0.5^(dt/halflife) over a time column) and
 * the new value comes in with weight 1 (debias) or 1-beta (first):
 *
 *	value = (old_wt * value + new_wt * x) / (old_wt + new_wt)
 *
 * For the debiased start this is exactly a/(1-beta^n) with a the biased EMA
 * from zero (fastai, TensorBoard), computed without the cancellation of
 * 1-beta^n for small n.
 */
#include <math.h>

#include "extern.h"

void
lrk_ema_init(struct lrk_ema *e)
{
	e->value = NAN;
	e->den = 0;
	e->last_time = NAN;
	e->seen = 0;
	e->poisoned = 0;
}

/* The factor by which the old weight decays from the last row to t. */
static double
decay(const struct lrk_ema *e, const struct lrk_ema_options *o, double t)
{
	if (o->halflife > 0)
		return pow(0.5, (t - e->last_time) / o->halflife);
	return o->beta;
}

/*
 * Take in x (at time t, used only with a halflife) and return the smoothed
 * value for this row.  A value that is not finite is handled by o->nan:
 * skip returns x itself and leaves the state alone, hold returns the last
 * smoothed value (NaN before the first one), propagate returns NaN from
 * then on.
 */
double
lrk_ema_push(struct lrk_ema *e, const struct lrk_ema_options *o, double x,
    double t)
{
	double new_weight;

	if (e->poisoned)
		return NAN;
	if (!isfinite(x)) {
		switch (o->nan) {
		case LRK_EMA_SKIP:
			return x;
		case LRK_EMA_PROPAGATE:
			e->poisoned = 1;
			return NAN;
		case LRK_EMA_HOLD:
			if (!e->seen)
				return NAN;
			if (!o->ignore_na && o->start != LRK_EMA_ZERO)
				e->den *= decay(e, o, t);
			e->last_time = t;
			return e->value;
		}
	}
	if (o->start == LRK_EMA_ZERO) {
		if (!e->seen)
			e->value = 0;
		e->value = o->beta * e->value + (1 - o->beta) * x;
		e->seen++;
		return e->value;
	}
	if (!e->seen) {
		e->value = x;
		e->den = 1;	/* the weight of the old value */
		e->seen = 1;
		e->last_time = t;
		return x;
	}
	new_weight = o->start == LRK_EMA_DEBIAS ? 1 :
	    (o->halflife > 0 ? 0.5 : 1 - o->beta);
	e->den *= decay(e, o, t);
	e->last_time = t;
	if (e->value != x)	/* exact on a constant series, as pandas */
		e->value = (e->den * e->value + new_weight * x) /
		    (e->den + new_weight);
	e->den = o->start == LRK_EMA_DEBIAS ? e->den + new_weight : 1;
	e->seen++;
	return e->value;
}

void
lrk_diverge_init(struct lrk_diverge *d)
{
	d->best = INFINITY;
}

/*
 * The divergence rule of ema-smooth --stop-div and sweep-run --stop-div
 * (fastai's): a run has diverged at a step whose loss is NaN or infinite
 * (nonfinite), or whose smoothed loss is above k times the lowest
 * smoothed loss so far.  The ratio test means "k times worse" only while
 * that lowest value is positive: once the smoothed loss has reached 0 or
 * gone below it (a loss minus a constant, a log-likelihood), a ratio says
 * nothing, and only a non-finite loss stops the run.  Returns 1 when the
 * run has diverged.
 */
int
lrk_diverge_push(struct lrk_diverge *d, double k, int nonfinite,
    double smoothed)
{
	if (nonfinite)
		return 1;
	if (smoothed < d->best)
		d->best = smoothed;
	return d->best > 0 && smoothed > k * d->best;
}
