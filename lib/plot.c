/*
 * The lr-vs-loss picture: what the SVG and the terminal renderers share.
 * The data ranges (the loss axis clipped so that a divergence tail does
 * not flatten the valley), the ticks of a log lr axis and a linear loss
 * axis, and a pen that thins and clips a polyline to the plot area.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "plot_common.h"

/*
 * Okabe and Ito's palette, safe for the common kinds of colour blindness,
 * in an order that keeps the first colours far apart; yellow, hard to
 * see on white, comes last.
 */
const char *const lrk_plot_palette[LRK_PLOT_COLOURS] = {
	"#0072B2",	/* blue */
	"#D55E00",	/* vermillion */
	"#009E73",	/* bluish green */
	"#CC79A7",	/* reddish purple */
	"#E69F00",	/* orange */
	"#56B4E9",	/* sky blue */
	"#000000",	/* black */
	"#F0E442"	/* yellow */
};

/* Can (x, y) go on a log-x plot? */
int
plot_point_ok(double x, double y)
{
	return isfinite(x) && x > 0 && isfinite(y);
}

/* Is any series drawn as a strong line? */
int
plot_has_strong(const struct lrk_plot *p)
{
	size_t i;

	for (i = 0; i < p->nseries; i++)
		if (!p->series[i].light)
			return 1;
	return 0;
}

/*
 * The data ranges of a plot.  The lr axis spans the plotted lr, widened by
 * 3% of the span on each side.  The loss axis is --ylim when given;
 * otherwise it runs from the lowest loss of the strong lines to the
 * highest loss a strong line reaches before its minimum (normally the
 * starting loss), widened by 5% on each side: the part past the minimum,
 * where the loss diverges, is cut at the top instead of squeezing the
 * valley flat.  A curve with no descent (its first point is its lowest) is
 * shown whole.  Light lines (the raw loss beside its smoothed curve) do not
 * move the loss axis: they are context, cut where they leave the frame.
 * Returns 0, or -1 with err when there is nothing to plot.
 */
int
lrk_plot_range(const struct lrk_plot *p, struct lrk_plot_frame *f,
    char *err)
{
	const struct lrk_plot_series *s;
	double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY;
	double ymax = -INFINITY, top = -INFINITY, best, descent, runmax;
	double span, pad;
	size_t i, k, npoints = 0;
	int strong;

	memset(f, 0, sizeof(*f));
	strong = plot_has_strong(p);
	for (i = 0; i < p->nseries; i++) {
		s = &p->series[i];
		runmax = descent = -INFINITY;
		best = INFINITY;
		for (k = 0; k < s->n; k++) {
			if (!plot_point_ok(s->x[k], s->y[k]))
				continue;
			npoints++;
			if (s->x[k] < xmin)
				xmin = s->x[k];
			if (s->x[k] > xmax)
				xmax = s->x[k];
			if (s->light && strong)
				continue;
			if (s->y[k] < ymin)
				ymin = s->y[k];
			if (s->y[k] > ymax)
				ymax = s->y[k];
			/* The highest point up to the lowest one. */
			if (s->y[k] > runmax)
				runmax = s->y[k];
			if (s->y[k] < best) {
				best = s->y[k];
				descent = runmax;
			}
		}
		if (descent > top)
			top = descent;
	}
	if (npoints == 0) {
		snprintf(err, LRK_ERRSIZE, "no points to plot");
		return -1;
	}
	f->lx0 = log10(xmin);
	f->lx1 = log10(xmax);
	span = f->lx1 - f->lx0;
	pad = span > 0 ? 0.03 * span : 0.5;
	/* The margins stay within the doubles (10^308 and 10^-307). */
	f->lx0 = fmax(f->lx0 - pad, fmin(f->lx0, -307));
	f->lx1 = fmin(f->lx1 + pad, fmax(f->lx1, 308));

	if (p->ylim_set) {
		if (!(p->ylim[0] < p->ylim[1]) ||
		    !isfinite(p->ylim[1] - p->ylim[0])) {
			snprintf(err, LRK_ERRSIZE, "the loss limits must be "
			    "finite and increasing, and their difference too");
			return -1;
		}
		f->y0 = p->ylim[0];
		f->y1 = p->ylim[1];
		return 0;
	}
	if (!(top > ymin))
		top = ymax;
	span = top - ymin;
	if (span > 0)
		pad = 0.05 * span;
	else
		pad = fabs(ymin) > 0 ? 0.05 * fabs(ymin) : 0.5;
	f->y0 = ymin - pad;
	f->y1 = top + pad;
	/* Losses near the largest double: the axis span would overflow. */
	if (!isfinite(f->y1 - f->y0)) {
		snprintf(err, LRK_ERRSIZE, "the losses from %g to %g are too "
		    "far apart to draw (the span overflows a double); give "
		    "--ylim", ymin, top);
		return -1;
	}
	return 0;
}

/* Map an lr to the horizontal position in the plot area. */
double
lrk_plot_x(const struct lrk_plot_frame *f, double lr)
{
	return f->left + (log10(lr) - f->lx0) / (f->lx1 - f->lx0) * f->width;
}

/* Map a loss to the vertical position (downwards, as SVG and text go). */
double
lrk_plot_y(const struct lrk_plot_frame *f, double loss)
{
	return f->top + (f->y1 - loss) / (f->y1 - f->y0) * f->height;
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving about target ticks. */
static double
nice_step(double lo, double hi, int target)
{
	double raw, mag, norm;

	raw = (hi - lo) / (target > 1 ? target - 1 : 1);
	if (!(raw > 0) || !isfinite(raw))
		return 1;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	if (norm < 1.5)
		return mag;
	if (norm < 2.25)
		return 2 * mag;
	if (norm < 3.5)
		return 2.5 * mag;
	if (norm < 7.5)
		return 5 * mag;
	return 10 * mag;
}

/*
 * Nice tick values inside [lo, hi]: multiples of 1, 2, 2.5 or 5 times a
 * power of ten, about target of them.  Returns how many were stored (at
 * most max).
 */
size_t
lrk_plot_nice_ticks(double lo, double hi, int target, double *ticks,
    size_t max)
{
	double step, first, v;
	size_t n = 0;
	long k;

	if (!(hi > lo) || !isfinite(lo) || !isfinite(hi))
		return 0;
	step = nice_step(lo, hi, target);
	first = ceil(lo / step - 1e-9);
	for (k = 0; n < max; k++) {
		v = (first + (double)k) * step;
		/* Near DBL_MAX, hi + step * 1e-9 and v can overflow. */
		if (!isfinite(v) || v > hi + step * 1e-9)
			break;
		if (fabs(v) < step * 1e-9)
			v = 0;
		ticks[n++] = v;
	}
	return n;
}

/*
 * The label of a decade, 10 to the power exponent: "10⁻⁷" with Unicode
 * superscripts, or "1e-7" in ASCII.  Returns the length in bytes.
 */
size_t
lrk_plot_decade(char *buf, size_t size, int exponent, int ascii)
{
	static const char *const sup[10] = {
		"\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3",
		"\xe2\x81\xb4", "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7",
		"\xe2\x81\xb8", "\xe2\x81\xb9"
	};
	char digits[16];
	size_t len, i;
	int n;

	if (ascii) {
		n = snprintf(buf, size, "1e%d", exponent);
		return n < 0 ? 0 : (size_t)n;
	}
	snprintf(digits, sizeof(digits), "%d", exponent);
	len = (size_t)snprintf(buf, size, "10");
	for (i = 0; digits[i] != '\0' && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s",
		    digits[i] == '-' ? "\xe2\x81\xbb" :
		    sup[digits[i] - '0']);
	return len < size ? len : size - 1;
}

/* Does [a, b] overlap one of the n placed intervals (with gaps)? */
static int
collides(const double (*placed)[2], size_t n, double a, double b)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a < placed[i][1] && b > placed[i][0])
			return 1;
	return 0;
}

static void
add_tick(struct axis_ticks *t, double value, int major, const char *label)
{
	struct tick *k;

	if (t->n >= TICKS_MAX)
		return;
	k = &t->tick[t->n++];
	k->value = value;
	k->major = major;
	snprintf(k->label, sizeof(k->label), "%s", label ? label : "");
}

/*
 * The ticks of the log lr axis.  A major tick at each decade, labelled
 * 10ⁿ (every second, fifth... decade when labels would touch), minor ticks
 * at 2..9 times a decade when there is room.  A window narrower than two
 * decades also labels its minor ticks ("0.002"), and one with no tick at
 * 1..9 times a power of ten gets linear ticks.  label_width gives a
 * label's width (with its margin) in output units; minor ticks need
 * minor_room units per decade.
 */
void
plot_x_ticks(const struct lrk_plot_frame *f, double minor_room,
    double (*label_width)(const char *, void *), void *arg, int ascii,
    struct axis_ticks *t)
{
	double placed[TICKS_MAX][2], per_decade, w, pos, v, lin[16];
	static const int steps[] = { 1, 2, 3, 4, 5, 10, 20, 50, 100, 200,
	    500 };
	char label[40];
	size_t nplaced = 0, nlabels = 0, i, nl;
	long k, k0, k1, step = 1;
	int m;

	t->n = 0;
	k0 = (long)ceil(f->lx0 - 1e-9);
	k1 = (long)floor(f->lx1 + 1e-9);
	per_decade = f->width / (f->lx1 - f->lx0);

	/* The decades: find a stride at which the labels fit. */
	w = 0;
	for (k = k0; k <= k1; k++) {
		lrk_plot_decade(label, sizeof(label), (int)k, ascii);
		if (label_width(label, arg) > w)
			w = label_width(label, arg);
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step = steps[i];
		if ((double)step * per_decade >= w)
			break;
	}
	/* Unlabelled decades ticked too, at a tenth of a wide stride. */
	for (k = k0; k <= k1 && t->n < TICKS_MAX; k++) {
		if (step > 10 && k % (step / 10) != 0)
			continue;
		label[0] = '\0';
		if (k % step == 0) {
			lrk_plot_decade(label, sizeof(label), (int)k, ascii);
			pos = lrk_plot_x(f, pow(10, (double)k));
			w = label_width(label, arg);
			placed[nplaced][0] = pos - w / 2;
			placed[nplaced][1] = pos + w / 2;
			nplaced++;
			nlabels++;
		}
		add_tick(t, pow(10, (double)k), 1, label);
	}

	/* Minor ticks, labelled when the decades alone are too few. */
	if (per_decade >= minor_room || nlabels < 2) {
		for (k = k0 - 1; k <= k1 && t->n < TICKS_MAX; k++)
			for (m = 2; m <= 9 && t->n < TICKS_MAX; m++) {
				v = m * pow(10, (double)k);
				if (log10(v) < f->lx0 || log10(v) > f->lx1)
					continue;
				label[0] = '\0';
				if (nlabels < 2) {
					snprintf(label, sizeof(label), "%g", v);
					pos = lrk_plot_x(f, v);
					w = label_width(label, arg);
					if (nplaced < TICKS_MAX &&
					    !collides((const double (*)[2])
					    placed, nplaced, pos - w / 2,
					    pos + w / 2)) {
						placed[nplaced][0] = pos - w / 2;
						placed[nplaced][1] = pos + w / 2;
						nplaced++;
					} else
						label[0] = '\0';
				}
				add_tick(t, v, 0, label);
			}
	}
	for (i = 0, nlabels = 0; i < t->n; i++)
		if (t->tick[i].label[0] != '\0')
			nlabels++;
	if (nlabels >= 2)
		return;

	/* A narrow window: linear ticks in lr. */
	t->n = 0;
	nplaced = 0;
	nl = lrk_plot_nice_ticks(pow(10, f->lx0), pow(10, f->lx1), 4, lin,
	    sizeof(lin) / sizeof(lin[0]));
	for (i = 0; i < nl; i++) {
		/* Subnormal edges can round a tick to 0, off a log axis. */
		if (!(lin[i] > 0) || !isfinite(lrk_plot_x(f, lin[i])))
			continue;
		snprintf(label, sizeof(label), "%.4g", lin[i]);
		pos = lrk_plot_x(f, lin[i]);
		w = label_width(label, arg);
		if (collides((const double (*)[2])placed, nplaced,
		    pos - w / 2, pos + w / 2))
			label[0] = '\0';
		else {
			placed[nplaced][0] = pos - w / 2;
			placed[nplaced][1] = pos + w / 2;
			nplaced++;
		}
		add_tick(t, lin[i], 1, label);
	}
}

/*
 * The ticks of the linear loss axis, labelled with the decimals the step
 * needs (0.5 1.0 1.5, or 0.25 0.50 0.75).
 */
void
plot_y_ticks(const struct lrk_plot_frame *f, int target,
    struct axis_ticks *t)
{
	double ticks[TICKS_MAX], step, mantissa, big = 0;
	char label[40];
	size_t n, i;
	int e, decimals;

	t->n = 0;
	/* At least two labelled values, however short the axis. */
	for (;; target++) {
		n = lrk_plot_nice_ticks(f->y0, f->y1, target, ticks,
		    TICKS_MAX);
		if (n >= 2 || target >= 20)
			break;
	}
	step = nice_step(f->y0, f->y1, target);
	e = (int)floor(log10(step));
	mantissa = step / pow(10, e);
	decimals = -e + (fabs(mantissa - 2.5) < 1e-6);
	if (decimals < 0)
		decimals = 0;
	for (i = 0; i < n; i++)
		if (fabs(ticks[i]) > big)
			big = fabs(ticks[i]);
	for (i = 0; i < n; i++) {
		if (decimals > 8 || big >= 1e7)
			snprintf(label, sizeof(label), "%.4g", ticks[i]);
		else
			snprintf(label, sizeof(label), "%.*f", decimals,
			    ticks[i]);
		add_tick(t, ticks[i], 1, label);
	}
}

/*
 * The pen: a series goes in as points in output units; out come move and
 * line commands for the pieces inside the clip rectangle.  Points that
 * fall in the same unit-wide column are thinned to the first, lowest,
 * highest and last of them (the picture is the same, the output much
 * smaller for long logs).
 */
/*
 * Cut the segment a-b to the rectangle (Liang and Barsky); returns 0 when
 * nothing is left, else the parameters t0 <= t1 of the part inside.
 */
static int
clip(const struct pen *pen, double ax, double ay, double bx, double by,
    double *t0, double *t1)
{
	double p[4], q[4], r;
	int i;

	p[0] = -(bx - ax);
	q[0] = ax - pen->x0;
	p[1] = bx - ax;
	q[1] = pen->x1 - ax;
	p[2] = -(by - ay);
	q[2] = ay - pen->y0;
	p[3] = by - ay;
	q[3] = pen->y1 - ay;
	*t0 = 0;
	*t1 = 1;
	for (i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		r = q[i] / p[i];
		if (p[i] < 0) {
			if (r > *t1)
				return 0;
			if (r > *t0)
				*t0 = r;
		} else {
			if (r < *t0)
				return 0;
			if (r < *t1)
				*t1 = r;
		}
	}
	return 1;
}

void
pen_start(struct pen *pen)
{
	pen->down = 0;
	pen->have_prev = 0;
	pen->bucket.count = 0;
	pen->bucket.serial = 0;
}

/* A point of the thinned line: draw the segment from the previous one. */
static void
pen_emit(struct pen *pen, double x, double y)
{
	double t0, t1, ax, ay, bx, by;

	if (!pen->have_prev) {
		pen->have_prev = 1;
		pen->px = x;
		pen->py = y;
		return;
	}
	if (x == pen->px && y == pen->py)
		return;
	if (clip(pen, pen->px, pen->py, x, y, &t0, &t1)) {
		ax = t0 == 0 ? pen->px : pen->px + t0 * (x - pen->px);
		ay = t0 == 0 ? pen->py : pen->py + t0 * (y - pen->py);
		bx = t1 == 1 ? x : pen->px + t1 * (x - pen->px);
		by = t1 == 1 ? y : pen->py + t1 * (y - pen->py);
		if (!pen->down || t0 > 0 || ax != pen->lastx ||
		    ay != pen->lasty)
			pen->move(pen->arg, ax, ay);
		pen->line(pen->arg, bx, by);
		pen->lastx = bx;
		pen->lasty = by;
		pen->down = t1 == 1;
	} else
		pen->down = 0;
	pen->px = x;
	pen->py = y;
}

/*
 * Points go through a one-column bucket; the bucket keeps its first and
 * last point and its extremes, in their order.
 */
static void
bucket_flush(struct pen *pen)
{
	struct pen_bucket *b = &pen->bucket;
	size_t idx[4], i, j, tmp;
	int k;

	if (b->count == 0)
		return;
	for (k = 0; k < 4; k++)
		idx[k] = (size_t)k;
	/* Slots: 0 first, 1 lowest, 2 highest, 3 last; emit by order. */
	for (i = 1; i < 4; i++)
		for (j = i; j > 0 && b->order[idx[j]] < b->order[idx[j - 1]];
		    j--) {
			tmp = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = tmp;
		}
	for (k = 0; k < 4; k++) {
		if (k > 0 && b->order[idx[k]] == b->order[idx[k - 1]])
			continue;
		pen_emit(pen, b->x[idx[k]], b->y[idx[k]]);
	}
	b->count = 0;
}

void
pen_point(struct pen *pen, double x, double y)
{
	struct pen_bucket *b = &pen->bucket;
	long column;
	int k;

	/*
	 * Far-away points are brought within 1e9 units: the clipped line
	 * moves by less than a millionth of a unit, and the clipping keeps
	 * its precision (50 - 1e300 would lose the 50).
	 */
	x = fmax(fmin(x, 1e9), -1e9);
	y = fmax(fmin(y, 1e9), -1e9);
	column = (long)floor(x);
	if (b->count > 0 && column != b->column)
		bucket_flush(pen);
	b->serial++;
	if (b->count == 0) {
		b->column = column;
		for (k = 0; k < 4; k++) {
			b->x[k] = x;
			b->y[k] = y;
			b->order[k] = b->serial;
		}
		b->count = 1;
		return;
	}
	b->count++;
	if (y < b->y[1]) {
		b->x[1] = x;
		b->y[1] = y;
		b->order[1] = b->serial;
	}
	if (y > b->y[2]) {
		b->x[2] = x;
		b->y[2] = y;
		b->order[2] = b->serial;
	}
	b->x[3] = x;
	b->y[3] = y;
	b->order[3] = b->serial;
}

/* End the current piece of line (a gap in the data, or the series' end). */
void
pen_break(struct pen *pen)
{
	bucket_flush(pen);
	pen->have_prev = 0;
	pen->down = 0;
}

/*
 * Copy s to out (size bytes) with invalid UTF-8 and control characters
 * replaced by U+FFFD, so that the text is safe in XML and on a terminal.
 * Returns the length.
 */
size_t
plot_utf8_clean(char *out, size_t size, const char *s)
{
	size_t len = 0, left = strlen(s), n;
	unsigned int c;

	if (size == 0)
		return 0;
	for (; left > 0; s += n, left -= n) {
		/* XML 1.0 has no U+FFFE or U+FFFF either. */
		if ((n = lrk_utf8_printable(s, left, &c)) > 0 &&
		    c != 0xfffe && c != 0xffff) {
			if (len + n >= size)
				break;
			memcpy(out + len, s, n);
			len += n;
		} else {
			if (len + 3 >= size)
				break;
			memcpy(out + len, "\xef\xbf\xbd", 3);
			len += 3;
			n = n > 0 ? n : 1;
		}
	}
	out[len] = '\0';
	return len;
}

/* The number of characters (code points) of a valid UTF-8 string. */
size_t
plot_utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if ((*s & 0xc0) != 0x80)
			n++;
	return n;
}
