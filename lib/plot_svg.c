/*
 * The plot as a self-contained SVG: no fonts, images or scripts from
 * elsewhere, only generic font families, so that a browser and
 * rsvg-convert draw the same picture.
 *
 * The elements carry classes that tests and style sheets can find:
 * rect.frame (the plot area, with data-lr-min, data-lr-max,
 * data-loss-min and data-loss-max: the values at its edges), path.curve,
 * text.xtick and text.ytick, text.xlabel, text.ylabel, text.title,
 * circle.suggestion with text.suggestion-label, and g.legend with
 * text.legend-entry.  Inside the frame an lr maps to
 * x = left + (log10 lr - log10 lr-min) / (log10 lr-max - log10 lr-min) * width
 * and a loss to
 * y = top + (loss-max - loss) / (loss-max - loss-min) * height.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "plot_common.h"

#define FONT_TICK	12.0
#define FONT_AXIS	13.0
#define FONT_TITLE	15.0
#define FONT_MARK	11.0
#define TICK_LEN	5.0
#define INK		"#262626"

/*
 * The width of a text in pixels, estimated from DejaVu Sans' advance
 * widths (the font rsvg-convert and most Linux browsers pick for
 * sans-serif; Helvetica and Arial are narrower).
 */
static double
text_width(const char *s, double size)
{
	const unsigned char *p = (const unsigned char *)s;
	double w = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		if (*p >= '0' && *p <= '9')
			w += 0.636;
		else if (*p == '.' || *p == ',' || *p == ' ' || *p == ':' ||
		    *p == 'i' || *p == 'l' || *p == 'j')
			w += 0.32;
		else if (*p == '-' || *p == '(' || *p == ')' || *p == 'r' ||
		    *p == 't' || *p == 'f')
			w += 0.4;
		else if (*p >= 'A' && *p <= 'Z')
			w += 0.7;
		else if (*p >= 'a' && *p <= 'z')
			w += 0.6;
		else if (*p == 0xe2 || *p == 0xc2)	/* superscripts */
			w += 0.42;
		else
			w += 0.65;
	}
	return w * size;
}

static double
tick_label_width(const char *s, void *arg)
{
	(void)arg;
	return text_width(s, FONT_TICK) + 8;
}

/* Text content or an attribute value, cleaned and escaped for XML. */
static void
xml_text(FILE *fp, const char *s)
{
	char small[256], *clean = small;
	size_t size = 3 * strlen(s) + 1;
	const char *p;

	/* Cleaning can triple the length (each bad byte becomes U+FFFD). */
	if (size <= sizeof(small) || (clean = malloc(size)) == NULL) {
		clean = small;
		size = sizeof(small);
	}
	plot_utf8_clean(clean, size, s);
	for (p = clean; *p != '\0'; p++)
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&apos;", fp);
			break;
		default:
			fputc(*p, fp);
		}
	if (clean != small)
		free(clean);
}

static void
svg_move(void *arg, double x, double y)
{
	fprintf(arg, "M%.2f %.2f", x, y);
}

static void
svg_line(void *arg, double x, double y)
{
	fprintf(arg, "L%.2f %.2f", x, y);
}

static const char *
dash_array(int dash)
{
	switch (dash) {
	case LRK_DASH_DASHED:
		return "7 4";
	case LRK_DASH_DOTTED:
		return "1 3.5";
	default:
		return NULL;
	}
}

static const char *
colour_of(int colour)
{
	if (colour < 0)
		colour = -colour;
	return lrk_plot_palette[colour % LRK_PLOT_COLOURS];
}

/* Line attributes of a series: raw loss thin and pale, the rest strong. */
static void
stroke_attributes(FILE *fp, const char *colour, int light, int dash)
{
	fprintf(fp, " stroke=\"%s\" stroke-width=\"%s\"", colour,
	    light ? "1" : "2");
	if (light)
		fputs(" stroke-opacity=\"0.4\"", fp);
	if (dash_array(dash) != NULL)
		fprintf(fp, " stroke-dasharray=\"%s\"", dash_array(dash));
}

static void
write_series(FILE *fp, const struct lrk_plot_frame *f,
    const struct lrk_plot_series *s)
{
	struct pen pen;
	size_t k;

	fputs("<path class=\"curve", fp);
	fputs(s->light ? " light\"" : "\"", fp);
	if (s->column != NULL) {
		fputs(" data-column=\"", fp);
		xml_text(fp, s->column);
		fputc('"', fp);
	}
	if (s->group != NULL) {
		fputs(" data-group=\"", fp);
		xml_text(fp, s->key != NULL ? s->key : s->group);
		fputc('"', fp);
	}
	stroke_attributes(fp, colour_of(s->colour), s->light, s->dash);
	fputs(" d=\"", fp);
	/* Lines are cut a little outside the frame; the clip path trims. */
	pen.x0 = f->left - 4;
	pen.x1 = f->left + f->width + 4;
	pen.y0 = f->top - 4;
	pen.y1 = f->top + f->height + 4;
	pen.move = svg_move;
	pen.line = svg_line;
	pen.arg = fp;
	pen_start(&pen);
	for (k = 0; k < s->n; k++) {
		if (!plot_point_ok(s->x[k], s->y[k])) {
			pen_break(&pen);
			continue;
		}
		pen_point(&pen, lrk_plot_x(f, s->x[k]), lrk_plot_y(f, s->y[k]));
	}
	pen_break(&pen);
	fputs("\"/>\n", fp);
}

struct legend_entry {
	const char	*text;
	int		 colour;	/* -1: grey */
	int		 light;
	int		 dash;
};

/* The legend: each group by colour, then each column by line style. */
static size_t
legend_entries(const struct lrk_plot *p, struct legend_entry **out)
{
	struct legend_entry *e;
	struct lrk_strmap *groups, *columns;
	size_t i, n = 0, ncolumns = 0, ngroups = 0;
	int added;

	*out = NULL;
	if (p->nseries == 0 ||
	    (e = calloc(2 * p->nseries, sizeof(*e))) == NULL)
		return 0;
	/* Each name once, in the order it first comes: a map, not a scan. */
	groups = lrk_strmap_new();
	columns = lrk_strmap_new();
	if (groups == NULL || columns == NULL) {
		lrk_strmap_free(groups);
		lrk_strmap_free(columns);
		free(e);
		return 0;
	}
	for (i = 0; i < p->nseries; i++) {
		if (p->series[i].group == NULL)
			continue;
		if (lrk_strmap_intern(groups, p->series[i].group,
		    strlen(p->series[i].group), &added) < 0 || !added)
			continue;
		e[n].text = p->series[i].group;
		e[n].colour = p->series[i].colour;
		e[n].light = 0;
		e[n].dash = LRK_DASH_SOLID;
		n++;
		ngroups++;
	}
	for (i = 0; i < p->nseries; i++) {
		if (p->series[i].column == NULL)
			continue;
		if (lrk_strmap_intern(columns, p->series[i].column,
		    strlen(p->series[i].column), &added) < 0 || !added)
			continue;
		e[n].text = p->series[i].column;
		e[n].colour = ngroups ? -1 : p->series[i].colour;
		e[n].light = p->series[i].light;
		e[n].dash = p->series[i].dash;
		n++;
		ncolumns++;
	}
	lrk_strmap_free(groups);
	lrk_strmap_free(columns);
	/* One column and no groups: nothing to tell apart. */
	if (ncolumns < 2) {
		n -= ncolumns;
		if (n == 0) {
			free(e);
			return 0;
		}
	}
	*out = e;
	return n;
}

/* How many points fall inside a box: the legend goes where fewest do. */
static size_t
points_inside(const struct lrk_plot *p, const struct lrk_plot_frame *f,
    double x0, double y0, double x1, double y1)
{
	const struct lrk_plot_series *s;
	size_t i, k, n = 0;
	double x, y;

	for (i = 0; i < p->nseries; i++) {
		s = &p->series[i];
		for (k = 0; k < s->n; k++) {
			if (!plot_point_ok(s->x[k], s->y[k]))
				continue;
			x = lrk_plot_x(f, s->x[k]);
			y = lrk_plot_y(f, s->y[k]);
			if (x >= x0 && x <= x1 && y >= y0 && y <= y1)
				n += s->light ? 1 : 4;
		}
	}
	return n;
}

static void
write_legend(FILE *fp, const struct lrk_plot *p, const struct lrk_plot_frame *f)
{
	struct legend_entry *e;
	double w = 0, h, x, y, bx[4], by[4], row = 18, inset = 10;
	size_t n, i, best = 0, count, best_count = (size_t)-1;
	const char *colour;

	if ((n = legend_entries(p, &e)) == 0)
		return;
	for (i = 0; i < n; i++)
		if (text_width(e[i].text, FONT_TICK) > w)
			w = text_width(e[i].text, FONT_TICK);
	w += 8 + 24 + 6 + 8;
	h = (double)n * row + 10;
	/* Corners by preference: lower left, upper right, lower right, upper left. */
	bx[0] = f->left + inset;
	by[0] = f->top + f->height - inset - h;
	bx[1] = f->left + f->width - inset - w;
	by[1] = f->top + inset;
	bx[2] = bx[1];
	by[2] = by[0];
	bx[3] = bx[0];
	by[3] = by[1];
	for (i = 0; i < 4; i++) {
		count = points_inside(p, f, bx[i], by[i], bx[i] + w,
		    by[i] + h);
		if (count < best_count) {
			best_count = count;
			best = i;
		}
	}
	x = bx[best];
	y = by[best];
	fprintf(fp, "<g class=\"legend\" font-size=\"%g\">\n", FONT_TICK);
	fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
	    "height=\"%.2f\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\" "
	    "stroke=\"#cccccc\"/>\n", x, y, w, h);
	for (i = 0; i < n; i++) {
		colour = e[i].colour < 0 ? "#555555" : colour_of(e[i].colour);
		fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
		    "y2=\"%.2f\"", x + 8, y + 5 + row * ((double)i + 0.5),
		    x + 32, y + 5 + row * ((double)i + 0.5));
		stroke_attributes(fp, colour, e[i].light, e[i].dash);
		fputs("/>\n", fp);
		fprintf(fp, "<text class=\"legend-entry\" x=\"%.2f\" "
		    "y=\"%.2f\" fill=\"%s\">", x + 38,
		    y + 5 + row * ((double)i + 0.5) + FONT_TICK * 0.35, INK);
		xml_text(fp, e[i].text);
		fputs("</text>\n", fp);
	}
	fputs("</g>\n", fp);
	free(e);
}

/* The overlap of two boxes (x0, y0, x1, y1), as an area. */
static double
overlap(const double *a, const double *b)
{
	double w, h;

	w = fmin(a[2], b[2]) - fmax(a[0], b[0]);
	h = fmin(a[3], b[3]) - fmax(a[1], b[1]);
	return w > 0 && h > 0 ? w * h : 0;
}

/*
 * The suggestions: a dot on the curve and a label beside it, put at the
 * first of four places (upper right, lower right, upper left, lower left)
 * that stays in the frame and touches no other label or dot, else the
 * same a line or more further up or down with a leader line; failing
 * that, where it overlaps least.
 */
static void
write_marks(FILE *fp, const struct lrk_plot *p, const struct lrk_plot_frame *f)
{
	const struct lrk_plot_mark *m;
	double *dots, (*boxes)[4], box[4], best_box[4], x, y, w, cost, best;
	char num[LRK_NUM_BUFSIZE];
	size_t i, j, nboxes = 0;
	int side, best_side, ring;

	if (p->nmarks == 0)
		return;
	dots = calloc(2 * p->nmarks, sizeof(*dots));
	boxes = calloc(2 * p->nmarks, sizeof(*boxes));
	if (dots == NULL || boxes == NULL) {
		free(dots);
		free(boxes);
		return;
	}
	for (i = 0; i < p->nmarks; i++) {
		m = &p->marks[i];
		x = plot_point_ok(m->x, m->y) ? lrk_plot_x(f, m->x) : -1e9;
		y = plot_point_ok(m->x, m->y) ? lrk_plot_y(f, m->y) : -1e9;
		/* A mark outside the frame is pinned to its edge. */
		dots[2 * i] = x;
		dots[2 * i + 1] = fmin(fmax(y, f->top), f->top + f->height);
		boxes[nboxes][0] = x - 5;
		boxes[nboxes][1] = dots[2 * i + 1] - 5;
		boxes[nboxes][2] = x + 5;
		boxes[nboxes][3] = dots[2 * i + 1] + 5;
		nboxes++;
	}
	fprintf(fp, "<g class=\"suggestions\" font-size=\"%g\">\n", FONT_MARK);
	for (i = 0; i < p->nmarks; i++) {
		m = &p->marks[i];
		if (!plot_point_ok(m->x, m->y))
			continue;
		fprintf(fp, "<circle class=\"suggestion\" cx=\"%.2f\" "
		    "cy=\"%.2f\" r=\"4.5\" fill=\"%s\" stroke=\"%s\" "
		    "stroke-width=\"0.8\"", dots[2 * i], dots[2 * i + 1],
		    colour_of(m->colour), INK);
		lrk_num_format(num, m->x);
		fprintf(fp, " data-lr=\"%s\"", num);
		lrk_num_format(num, m->y);
		fprintf(fp, " data-loss=\"%s\"/>\n", num);
	}
	for (i = 0; i < p->nmarks; i++) {
		m = &p->marks[i];
		if (!plot_point_ok(m->x, m->y) || m->label == NULL)
			continue;
		x = dots[2 * i];
		y = dots[2 * i + 1];
		w = text_width(m->label, FONT_MARK);
		best = INFINITY;
		best_side = 0;
		/* Beside the dot first, then further up or down. */
		for (side = 0; side < 16; side++) {
			ring = side / 4;
			box[0] = side % 4 < 2 ? x + 7 : x - 7 - w;
			box[2] = box[0] + w;
			if (side % 2 == 0) {
				box[3] = y - 7 - ring * (FONT_MARK + 4);
				box[1] = box[3] - FONT_MARK;
			} else {
				box[1] = y + 7 + ring * (FONT_MARK + 4);
				box[3] = box[1] + FONT_MARK;
			}
			cost = 0;
			if (box[0] < f->left || box[2] > f->left + f->width ||
			    box[1] < f->top || box[3] > f->top + f->height)
				cost += 1e6;
			for (j = 0; j < nboxes; j++)
				if (j != i)
					cost += overlap(box, boxes[j]);
			if (cost < best) {
				best = cost;
				best_side = side;
				memcpy(best_box, box, sizeof(box));
			}
			if (cost == 0)
				break;
		}
		memcpy(boxes[nboxes++], best_box, sizeof(best_box));
		/* A label away from its dot gets a leader line. */
		if (best_side >= 4)
			fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
			    "y2=\"%.2f\" stroke=\"#8c8c8c\" "
			    "stroke-width=\"0.7\"/>\n", x, y,
			    best_side % 4 < 2 ? best_box[0] - 1 : best_box[2] + 1,
			    best_side % 2 == 0 ? best_box[3] - 3 : best_box[1] + 3);
		fprintf(fp, "<text class=\"suggestion-label\" x=\"%.2f\" "
		    "y=\"%.2f\" text-anchor=\"%s\" fill=\"%s\" "
		    "stroke=\"#ffffff\" stroke-width=\"3\" "
		    "stroke-linejoin=\"round\" paint-order=\"stroke\">",
		    best_side % 4 < 2 ? best_box[0] : best_box[2],
		    best_box[3] - FONT_MARK * 0.2,
		    best_side % 4 < 2 ? "start" : "end", INK);
		xml_text(fp, m->label);
		fputs("</text>\n", fp);
	}
	fputs("</g>\n", fp);
	free(dots);
	free(boxes);
}

/*
 * Write the plot as SVG to fp.  Returns 0, or -1 with err when there is
 * nothing to plot, the size leaves no room for the plot, or writing fails.
 */
int
lrk_plot_svg(FILE *fp, const struct lrk_plot *p, char *err)
{
	struct lrk_plot_frame f;
	struct axis_ticks xt, yt;
	double W = p->width, H = p->height, top, bottom, right, left, w;
	double x, y;
	char num[LRK_NUM_BUFSIZE];
	size_t i;

	if (lrk_plot_range(p, &f, err) != 0)
		return -1;
	top = p->title != NULL ? 40 : 16;
	bottom = TICK_LEN + 6 + FONT_TICK + 12 + FONT_AXIS + 10;
	right = 22;
	f.top = top;
	f.height = H - top - bottom;
	if (f.height < 40 || W < 120) {
		snprintf(err, LRK_ERRSIZE, "%gx%g is too small for a plot",
		    W, H);
		return -1;
	}
	plot_y_ticks(&f, (int)fmax(3, fmin(9, f.height / 55)), &yt);
	w = 0;
	for (i = 0; i < yt.n; i++)
		if (text_width(yt.tick[i].label, FONT_TICK) > w)
			w = text_width(yt.tick[i].label, FONT_TICK);
	left = 12 + FONT_AXIS + 10 + w + TICK_LEN + 4;
	f.left = left;
	f.width = W - left - right;
	if (f.width < 60) {
		snprintf(err, LRK_ERRSIZE, "%gx%g is too small for a plot",
		    W, H);
		return -1;
	}
	plot_x_ticks(&f, 40, tick_label_width, NULL, 0, &xt);

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "version=\"1.1\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\" "
	    "font-family=\"'DejaVu Sans', Verdana, Arial, sans-serif\">\n",
	    W, H, W, H);
	fputs("<title>", fp);
	if (p->title != NULL)
		xml_text(fp, p->title);
	else {
		xml_text(fp, p->ylabel ? p->ylabel : "loss");
		fputs(" against ", fp);
		xml_text(fp, p->xlabel ? p->xlabel : "lr");
	}
	fputs("</title>\n", fp);
	fprintf(fp, "<defs><clipPath id=\"lrk-plot-area\"><rect x=\"%.2f\" "
	    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/></clipPath></defs>\n",
	    f.left, f.top, f.width, f.height);
	fprintf(fp, "<rect class=\"background\" width=\"%g\" height=\"%g\" "
	    "fill=\"#ffffff\"/>\n", W, H);

	/* Grid lines at the labelled values, under everything else. */
	fputs("<g class=\"grid\" stroke=\"#e8e8e8\" stroke-width=\"1\">\n", fp);
	for (i = 0; i < xt.n; i++)
		if (xt.tick[i].major) {
			x = lrk_plot_x(&f, xt.tick[i].value);
			fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
			    "y2=\"%.2f\"/>\n", x, f.top, x, f.top + f.height);
		}
	for (i = 0; i < yt.n; i++) {
		y = lrk_plot_y(&f, yt.tick[i].value);
		fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
		    "y2=\"%.2f\"/>\n", f.left, y, f.left + f.width, y);
	}
	fputs("</g>\n", fp);

	/* The curves, clipped to the frame. */
	fputs("<g class=\"curves\" clip-path=\"url(#lrk-plot-area)\" "
	    "fill=\"none\" stroke-linejoin=\"round\" "
	    "stroke-linecap=\"round\">\n", fp);
	for (i = 0; i < p->nseries; i++)
		if (p->series[i].light)
			write_series(fp, &f, &p->series[i]);
	for (i = 0; i < p->nseries; i++)
		if (!p->series[i].light)
			write_series(fp, &f, &p->series[i]);
	fputs("</g>\n", fp);

	/* The frame, with the values at its edges for whoever reads it. */
	fprintf(fp, "<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" "
	    "width=\"%.2f\" height=\"%.2f\" fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"1\"", f.left, f.top, f.width, f.height, INK);
	lrk_num_format(num, pow(10, f.lx0));
	fprintf(fp, " data-lr-min=\"%s\"", num);
	/* 10^log10(DBL_MAX) can round up past DBL_MAX. */
	lrk_num_format(num, fmin(pow(10, f.lx1), DBL_MAX));
	fprintf(fp, " data-lr-max=\"%s\"", num);
	lrk_num_format(num, f.y0);
	fprintf(fp, " data-loss-min=\"%s\"", num);
	lrk_num_format(num, f.y1);
	fprintf(fp, " data-loss-max=\"%s\"/>\n", num);

	/* Ticks outside the frame, labels under and left of it. */
	fprintf(fp, "<g class=\"xaxis\" font-size=\"%g\" fill=\"%s\" "
	    "text-anchor=\"middle\">\n", FONT_TICK, INK);
	for (i = 0; i < xt.n; i++) {
		x = lrk_plot_x(&f, xt.tick[i].value);
		fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
		    "y2=\"%.2f\" stroke=\"%s\" stroke-width=\"%s\"/>\n", x,
		    f.top + f.height, x, f.top + f.height +
		    (xt.tick[i].major ? TICK_LEN : TICK_LEN * 0.6), INK,
		    xt.tick[i].major ? "1" : "0.7");
		if (xt.tick[i].label[0] == '\0')
			continue;
		fprintf(fp, "<text class=\"xtick\" x=\"%.2f\" y=\"%.2f\">", x,
		    f.top + f.height + TICK_LEN + 4 + FONT_TICK);
		xml_text(fp, xt.tick[i].label);
		fputs("</text>\n", fp);
	}
	fputs("</g>\n", fp);
	fprintf(fp, "<g class=\"yaxis\" font-size=\"%g\" fill=\"%s\" "
	    "text-anchor=\"end\">\n", FONT_TICK, INK);
	for (i = 0; i < yt.n; i++) {
		y = lrk_plot_y(&f, yt.tick[i].value);
		fprintf(fp, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
		    "y2=\"%.2f\" stroke=\"%s\"/>\n", f.left - TICK_LEN, y,
		    f.left, y, INK);
		fprintf(fp, "<text class=\"ytick\" x=\"%.2f\" y=\"%.2f\">",
		    f.left - TICK_LEN - 4, y + FONT_TICK * 0.35);
		xml_text(fp, yt.tick[i].label);
		fputs("</text>\n", fp);
	}
	fputs("</g>\n", fp);

	/* Axis titles and the title. */
	fprintf(fp, "<text class=\"xlabel\" x=\"%.2f\" y=\"%.2f\" "
	    "font-size=\"%g\" fill=\"%s\" text-anchor=\"middle\">",
	    f.left + f.width / 2, H - 10, FONT_AXIS, INK);
	xml_text(fp, p->xlabel ? p->xlabel : "lr");
	fputs("</text>\n", fp);
	fprintf(fp, "<text class=\"ylabel\" transform=\"translate(%.2f %.2f) "
	    "rotate(-90)\" font-size=\"%g\" fill=\"%s\" "
	    "text-anchor=\"middle\">", 12 + FONT_AXIS * 0.8,
	    f.top + f.height / 2, FONT_AXIS, INK);
	xml_text(fp, p->ylabel ? p->ylabel : "loss");
	fputs("</text>\n", fp);
	if (p->title != NULL) {
		fprintf(fp, "<text class=\"title\" x=\"%.2f\" y=\"%.2f\" "
		    "font-size=\"%g\" fill=\"%s\" text-anchor=\"middle\">",
		    f.left + f.width / 2, 26.0, FONT_TITLE, INK);
		xml_text(fp, p->title);
		fputs("</text>\n", fp);
	}
	write_marks(fp, p, &f);
	write_legend(fp, p, &f);
	fputs("</svg>\n", fp);
	if (ferror(fp)) {
		snprintf(err, LRK_ERRSIZE, "write error");
		return -1;
	}
	return 0;
}
