/*
 * Private to plot.c, plot_svg.c and plot_text.c: what the two renderers
 * share.  Not part of the public interface (lrkit.h).
 */
#ifndef PLOT_COMMON_H
#define PLOT_COMMON_H

#include "extern.h"

/* The most ticks an axis gets. */
#define TICKS_MAX	160

struct tick {
	double	value;		/* lr (x axis) or loss (y axis) */
	int	major;		/* drawn long; a grid line */
	char	label[40];	/* empty: no label */
};

struct axis_ticks {
	struct tick	tick[TICKS_MAX];
	size_t		n;
};

/*
 * A polyline cut to a rectangle: every piece of a series inside
 * [x0, x1] x [y0, y1] (output units) goes to a callback as move/line
 * commands.
 */
struct pen_bucket {
	long	column;		/* the unit-wide column it holds */
	int	count;
	double	x[4], y[4];	/* first, lowest, highest, last */
	size_t	order[4];	/* when each came */
	size_t	serial;
};

struct pen {
	double	x0, y0, x1, y1;	/* the clip rectangle */
	int	down;		/* the last point emitted is the pen's */
	double	px, py;		/* the last point seen (unclipped) */
	int	have_prev;
	double	lastx, lasty;	/* the last point emitted */
	void	(*move)(void *, double, double);
	void	(*line)(void *, double, double);
	void	*arg;
	struct pen_bucket bucket;
};

void	plot_x_ticks(const struct lrk_plot_frame *f, double minor_room,
	    double (*label_width)(const char *, void *), void *arg,
	    int ascii, struct axis_ticks *t);
void	plot_y_ticks(const struct lrk_plot_frame *f, int target,
	    struct axis_ticks *t);
void	pen_start(struct pen *pen);
void	pen_point(struct pen *pen, double x, double y);
void	pen_break(struct pen *pen);
int	plot_point_ok(double x, double y);
int	plot_has_strong(const struct lrk_plot *p);
size_t	plot_utf8_clean(char *out, size_t size, const char *s);
size_t	plot_utf8_length(const char *s);

#endif
