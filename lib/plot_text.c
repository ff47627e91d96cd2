/*
 * The plot as text for a terminal.  Each character cell of the plot area
 * holds 2x4 dots drawn with the Unicode braille patterns (U+2800..U+28FF),
 * or, in ASCII, 2x3 dots shown as one of ' - . / \\ |.
 * The raw loss is left out when a smoothed curve is drawn (at this
 * resolution it only blurs the picture); suggestions are symbols on the
 * curve, explained under the plot.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "plot_common.h"

struct canvas {
	size_t		 cols, rows;	/* character cells */
	int		 dcols, drows;	/* dots per cell */
	unsigned char	*bits;
	signed char	*colour;	/* palette index, -1: none */
	const char	**symbol;	/* a mark drawn over the dots */
	int		 pen_colour;
	double		 cx, cy;	/* the pen's position, in dots */
};

static const char *const mark_symbols[] = { "\xe2\x97\x8f",
    "\xe2\x97\x86", "\xe2\x96\xb2", "\xe2\x96\xa0" };	/* ● ◆ ▲ ■ */
static const char *const mark_ascii[] = { "O", "X", "#", "@" };
static const int ansi_colours[LRK_PLOT_COLOURS] = {
	34, 31, 32, 35, 33, 36, 39, 33
};

static void
set_dot(struct canvas *c, long x, long y)
{
	size_t col, row, i;
	int dx, dy, bit;

	if (x < 0 || y < 0 || x >= (long)c->cols * c->dcols ||
	    y >= (long)c->rows * c->drows)
		return;
	col = (size_t)x / (size_t)c->dcols;
	row = (size_t)y / (size_t)c->drows;
	dx = (int)(x % c->dcols);
	dy = (int)(y % c->drows);
	/* Braille: dots 1-2-3-7 left, 4-5-6-8 right; ASCII: 3 rows of 2. */
	bit = dy == 3 ? 6 + dx : dy + 3 * dx;
	i = row * c->cols + col;
	c->bits[i] |= (unsigned char)(1 << bit);
	c->colour[i] = (signed char)c->pen_colour;
}

static void
text_move(void *arg, double x, double y)
{
	struct canvas *c = arg;

	c->cx = x;
	c->cy = y;
}

/* A straight line of dots from the pen to (x, y). */
static void
text_line(void *arg, double x, double y)
{
	struct canvas *c = arg;
	double dx = x - c->cx, dy = y - c->cy, steps;
	long i, n;

	steps = fmax(fabs(dx), fabs(dy));
	n = (long)ceil(steps);
	for (i = 0; i <= n; i++)
		set_dot(c, lround(c->cx + (n ? dx * (double)i / (double)n : 0)),
		    lround(c->cy + (n ? dy * (double)i / (double)n : 0)));
	c->cx = x;
	c->cy = y;
}

/*
 * The ASCII character of a cell of 2x3 dots: a line's slope from its left
 * half to its right half, or its height when flat.
 */
static char
ascii_cell(unsigned int bits)
{
	static const char flat[3] = { '\'', '-', '.' };
	double rows[2];
	int col, row, n, lo, hi;

	for (col = 0; col < 2; col++) {
		rows[col] = 0;
		n = 0;
		lo = 3;
		hi = -1;
		for (row = 0; row < 3; row++)
			if (bits & (1u << (row + 3 * col))) {
				rows[col] += row;
				n++;
				if (row < lo)
					lo = row;
				hi = row;
			}
		if (hi - lo >= 2)
			return '|';
		rows[col] = n ? rows[col] / n : -1;
	}
	if (rows[0] < 0)
		rows[0] = rows[1];
	if (rows[1] < 0)
		rows[1] = rows[0];
	if (rows[0] < 0)
		return ' ';
	if (rows[0] < rows[1])
		return '\\';
	if (rows[0] > rows[1])
		return '/';
	return flat[(int)rows[0]];
}

/* The character of a cell. */
static void
cell_text(const struct canvas *c, size_t i, char *out)
{
	unsigned int code;

	if (c->symbol[i] != NULL) {
		snprintf(out, 8, "%s", c->symbol[i]);
		return;
	}
	if (c->drows == 3) {
		out[0] = ascii_cell(c->bits[i]);
		out[1] = '\0';
		return;
	}
	if (c->bits[i] == 0) {
		snprintf(out, 8, " ");
		return;
	}
	code = 0x2800 + c->bits[i];
	out[0] = (char)(0xe0 | (code >> 12));
	out[1] = (char)(0x80 | ((code >> 6) & 0x3f));
	out[2] = (char)(0x80 | (code & 0x3f));
	out[3] = '\0';
}

static double
label_dots(const char *s, void *arg)
{
	const struct canvas *c = arg;

	return (double)(plot_utf8_length(s) + 1) * c->dcols;
}

/* A line of text: built in a buffer, trailing blanks cut when written. */
struct line {
	char	*s;
	size_t	 len, cap;
	size_t	 width;		/* in characters */
};

static int
put(struct line *l, const char *s)
{
	size_t n = strlen(s);
	char *p;

	if (l->len + n + 1 > l->cap) {
		l->cap = 2 * (l->len + n + 1);
		if ((p = realloc(l->s, l->cap)) == NULL)
			return -1;
		l->s = p;
	}
	memcpy(l->s + l->len, s, n + 1);
	l->len += n;
	l->width += plot_utf8_length(s);
	return 0;
}

static int
pad_to(struct line *l, size_t width)
{
	while (l->width < width)
		if (put(l, " ") != 0)
			return -1;
	return 0;
}

static void
emit(FILE *fp, struct line *l)
{
	while (l->len > 0 && l->s[l->len - 1] == ' ')
		l->len--;
	fwrite(l->s, 1, l->len, fp);
	fputc('\n', fp);
	l->len = 0;
	l->width = 0;
	if (l->s != NULL)
		l->s[0] = '\0';
}

/* A text cleaned of control characters, for the terminal. */
static int
put_clean(struct line *l, const char *s)
{
	char *clean;
	size_t need = 3 * strlen(s) + 1;
	int r;

	if ((clean = malloc(need)) == NULL)
		return -1;
	plot_utf8_clean(clean, need, s);
	r = put(l, clean);
	free(clean);
	return r;
}

static size_t
clean_length(const char *s)
{
	char *clean;
	size_t need = 3 * strlen(s) + 1, n;

	if ((clean = malloc(need)) == NULL)
		return strlen(s);
	plot_utf8_clean(clean, need, s);
	n = plot_utf8_length(clean);
	free(clean);
	return n;
}

static int
put_colour(struct line *l, int colour, int on)
{
	char esc[16];

	if (!on)
		return put(l, "\033[0m");
	snprintf(esc, sizeof(esc), "\033[%dm",
	    ansi_colours[(colour < 0 ? -colour : colour) % LRK_PLOT_COLOURS]);
	return put(l, esc);
}

/*
 * Write the plot as text, p->width columns by p->height rows in all.
 * Returns 0, or -1 with err when there is nothing to plot or no room.
 */
int
lrk_plot_text(FILE *fp, const struct lrk_plot *p, char *err)
{
	struct lrk_plot_frame f;
	struct axis_ticks xt, yt;
	struct canvas c;
	struct line l = { NULL, 0, 0, 0 };
	struct pen pen;
	const struct lrk_plot_series *s;
	struct lrk_plot_series *kept = NULL;
	struct lrk_plot drawn;
	size_t W, H, fixed, nmarks = 0, wl = 0, i, k, row, col, at, n;
	size_t *tick_row = NULL, last_end;
	long x, y;
	char cell[8];
	int strong, status = -1, current;
	const char *label;

	W = p->width > 0 ? (size_t)p->width : 80;
	H = p->height > 0 ? (size_t)p->height : 24;
	memset(&c, 0, sizeof(c));

	/* The ranges of what is drawn: no light lines beside strong ones. */
	strong = plot_has_strong(p);
	drawn = *p;
	if (strong) {
		if ((kept = calloc(p->nseries, sizeof(*kept))) == NULL) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			return -1;
		}
		for (i = n = 0; i < p->nseries; i++)
			if (!p->series[i].light)
				kept[n++] = p->series[i];
		drawn.series = kept;
		drawn.nseries = n;
	}
	if (lrk_plot_range(&drawn, &f, err) != 0) {
		free(kept);
		return -1;
	}
	free(kept);
	for (i = 0; i < p->nmarks; i++)
		if (plot_point_ok(p->marks[i].x, p->marks[i].y))
			nmarks++;
	fixed = (p->title != NULL) + 1 + 3 + nmarks;
	if (H < fixed + 4 || W < 24) {
		if (nmarks > 0 && W >= 24)
			snprintf(err, LRK_ERRSIZE, "%zux%zu is too small for "
			    "a plot and the %zu suggestion%s listed under it: "
			    "it takes %zu rows", W, H, nmarks,
			    nmarks == 1 ? "" : "s", fixed + 4);
		else
			snprintf(err, LRK_ERRSIZE, "%zux%zu is too small for "
			    "a plot", W, H);
		return -1;
	}
	c.rows = H - fixed;
	c.dcols = 2;
	c.drows = p->ascii ? 3 : 4;

	/* The loss axis first: its labels decide the plot's width. */
	f.top = 0;
	f.height = (double)(c.rows * (size_t)c.drows - 1);
	plot_y_ticks(&f, (int)fmax(3, fmin(8, (double)c.rows / 2.5)), &yt);
	for (i = 0; i < yt.n; i++)
		if (strlen(yt.tick[i].label) > wl)
			wl = strlen(yt.tick[i].label);
	if (W < wl + 2 + 12) {
		snprintf(err, LRK_ERRSIZE, "%zux%zu is too small for a plot",
		    W, H);
		return -1;
	}
	c.cols = W - wl - 2 - 1;
	f.left = 0;
	f.width = (double)(c.cols * (size_t)c.dcols - 1);
	plot_x_ticks(&f, 1e9, label_dots, &c, p->ascii, &xt);

	n = c.rows * c.cols;
	if ((c.bits = calloc(n, 1)) == NULL ||
	    (c.colour = malloc(n)) == NULL ||
	    (c.symbol = calloc(n, sizeof(*c.symbol))) == NULL ||
	    (tick_row = calloc(c.rows, sizeof(*tick_row))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		goto done;
	}
	memset(c.colour, -1, n);

	/* The curves: the strong ones when there are, light ones otherwise. */
	pen.x0 = 0;
	pen.y0 = 0;
	pen.x1 = f.width;
	pen.y1 = f.height;
	pen.move = text_move;
	pen.line = text_line;
	pen.arg = &c;
	for (i = 0; i < p->nseries; i++) {
		s = &p->series[i];
		if (s->light && strong)
			continue;
		c.pen_colour = s->colour;
		pen_start(&pen);
		for (k = 0; k < s->n; k++) {
			if (!plot_point_ok(s->x[k], s->y[k])) {
				pen_break(&pen);
				continue;
			}
			pen_point(&pen, lrk_plot_x(&f, s->x[k]),
			    lrk_plot_y(&f, s->y[k]));
		}
		pen_break(&pen);
	}
	for (i = k = 0; i < p->nmarks; i++) {
		if (!plot_point_ok(p->marks[i].x, p->marks[i].y))
			continue;
		x = lround(lrk_plot_x(&f, p->marks[i].x));
		y = lround(fmax(0, fmin(f.height,
		    lrk_plot_y(&f, p->marks[i].y))));
		if (x >= 0 && x <= (long)f.width) {
			at = (size_t)y / (size_t)c.drows * c.cols +
			    (size_t)x / (size_t)c.dcols;
			c.symbol[at] = p->ascii ? mark_ascii[k % 4] :
			    mark_symbols[k % 4];
			c.colour[at] = (signed char)p->marks[i].colour;
		}
		k++;
	}

	/* Title and the loss axis' name. */
	if (p->title != NULL) {
		n = clean_length(p->title);
		if (pad_to(&l, n < W ? (W - n) / 2 : 0) != 0 ||
		    put_clean(&l, p->title) != 0)
			goto nomem;
		emit(fp, &l);
	}
	if (put_clean(&l, p->ylabel ? p->ylabel : "loss") != 0)
		goto nomem;
	emit(fp, &l);

	/* The plot rows, with the loss ticks on the left. */
	for (row = 0; row < c.rows; row++)
		tick_row[row] = (size_t)-1;
	for (i = 0; i < yt.n; i++) {
		y = lround(lrk_plot_y(&f, yt.tick[i].value));
		if (y >= 0 && (size_t)y / (size_t)c.drows < c.rows)
			tick_row[(size_t)y / (size_t)c.drows] = i;
	}
	for (row = 0; row < c.rows; row++) {
		label = tick_row[row] != (size_t)-1 ?
		    yt.tick[tick_row[row]].label : "";
		if (pad_to(&l, wl - strlen(label)) != 0 ||
		    put(&l, label) != 0 || put(&l, " ") != 0)
			goto nomem;
		if (put(&l, tick_row[row] != (size_t)-1 ?
		    (p->ascii ? "+" : "\xe2\x94\xa4") :
		    (p->ascii ? "|" : "\xe2\x94\x82")) != 0)
			goto nomem;
		/* Up to the last cell drawn: no colour on trailing blanks. */
		for (n = c.cols; n > 0; n--)
			if (c.bits[row * c.cols + n - 1] != 0 ||
			    c.symbol[row * c.cols + n - 1] != NULL)
				break;
		current = -1;
		for (col = 0; col < n; col++) {
			at = row * c.cols + col;
			if (p->ansi && c.colour[at] != current &&
			    (c.bits[at] != 0 || c.symbol[at] != NULL)) {
				if (put_colour(&l, c.colour[at], 1) != 0)
					goto nomem;
				current = c.colour[at];
			}
			cell_text(&c, at, cell);
			if (put(&l, cell) != 0)
				goto nomem;
		}
		if (p->ansi && current != -1 && put_colour(&l, 0, 0) != 0)
			goto nomem;
		emit(fp, &l);
	}

	/* The lr axis, its tick labels and its name. */
	if (pad_to(&l, wl + 1) != 0 ||
	    put(&l, p->ascii ? "+" : "\xe2\x94\x94") != 0)
		goto nomem;
	for (col = 0; col < c.cols; col++) {
		for (i = 0; i < xt.n; i++)
			if ((xt.tick[i].major || xt.tick[i].label[0] != '\0') &&
			    lround(lrk_plot_x(&f, xt.tick[i].value)) /
			    c.dcols == (long)col)
				break;
		if (put(&l, i < xt.n ? (p->ascii ? "+" : "\xe2\x94\xac") :
		    (p->ascii ? "-" : "\xe2\x94\x80")) != 0)
			goto nomem;
	}
	emit(fp, &l);
	last_end = 0;
	for (i = 0; i < xt.n; i++) {
		if (xt.tick[i].label[0] == '\0')
			continue;
		n = plot_utf8_length(xt.tick[i].label);
		col = wl + 2 + (size_t)(lround(lrk_plot_x(&f,
		    xt.tick[i].value)) / c.dcols);
		col = col >= n / 2 ? col - n / 2 : 0;
		if (col + n > W)
			col = W - n;
		if (l.width > 0 && col < last_end + 1)
			continue;
		if (pad_to(&l, col) != 0 || put(&l, xt.tick[i].label) != 0)
			goto nomem;
		last_end = col + n;
	}
	emit(fp, &l);
	label = p->xlabel ? p->xlabel : "lr";
	n = clean_length(label);
	if (pad_to(&l, wl + 2 + (c.cols > n ? (c.cols - n) / 2 : 0)) != 0 ||
	    put_clean(&l, label) != 0)
		goto nomem;
	emit(fp, &l);

	/* What the symbols mean. */
	for (i = k = 0; i < p->nmarks; i++) {
		if (!plot_point_ok(p->marks[i].x, p->marks[i].y))
			continue;
		if (pad_to(&l, wl + 2) != 0 ||
		    (p->ansi && put_colour(&l, p->marks[i].colour, 1) != 0) ||
		    put(&l, p->ascii ? mark_ascii[k % 4] :
		    mark_symbols[k % 4]) != 0 ||
		    (p->ansi && put_colour(&l, 0, 0) != 0) ||
		    put(&l, " ") != 0 ||
		    put_clean(&l, p->marks[i].label ? p->marks[i].label : "") !=
		    0)
			goto nomem;
		emit(fp, &l);
		k++;
	}
	if (ferror(fp)) {
		snprintf(err, LRK_ERRSIZE, "write error");
		goto done;
	}
	status = 0;
	goto done;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
done:
	free(l.s);
	free(c.bits);
	free(c.colour);
	free(c.symbol);
	free(tick_row);
	return status;
}
