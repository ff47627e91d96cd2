/*
 * lr-plot: draw the loss against the learning rate (log scale) as an SVG
 * file or in the terminal, with suggested learning rates marked and one
 * curve per run.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-HT] [--ascii] [-d delim] [-g column] [-o file] [-s methods]\n"
    "       [--size WxH] [--skip-end N] [--skip-start N] [--title text]\n"
    "       [-x column] [-y column ...] [--ylim lo:hi] [file ...]\n";

static const char help_text[] =
    "Plot the loss against the learning rate (log axis) as SVG, or as text\n"
    "with -T.  By default the raw loss is a light line and the last\n"
    "*_smooth column a strong one.\n"
    "\n"
    "      --ascii        with -T: ASCII instead of Unicode braille\n"
    "  -d, --delimiter C  field delimiter (default: from the first line)\n"
    "  -g, --group COL    one curve per value of COL (several files: one\n"
    "                     curve per file)\n"
    "  -H, --no-header    the input has no header line\n"
    "  -o, --output FILE  write to FILE (replaced only when complete)\n"
    "  -s, --suggest M    mark suggestions: methods separated by commas, or\n"
    "                     all (valley, slide, minimum, steep, mingrad,\n"
    "                     lightning, range, halfway, pooled)\n"
    "      --size WxH     SVG: pixels (default 640x480); -T: characters\n"
    "                     (default: the terminal's width)\n"
    "      --skip-end N   leave out the last N points of each curve\n"
    "      --skip-start N leave out the first N points of each curve\n"
    "  -T, --terminal     plot as text for the terminal\n"
    "      --title TEXT   a title above the plot\n"
    "  -x, --lr COL       the lr column (default: lr, learning_rate, lr-*)\n"
    "  -y, --loss COL     a loss column to plot; repeat for more\n"
    "      --ylim LO:HI   the loss axis' limits (default: clipped to the\n"
    "                     valley, up to the starting loss)\n"
    "      --help, --version\n";

enum {
	OPT_ASCII = 256, OPT_SIZE, OPT_SKIP_END, OPT_SKIP_START, OPT_TITLE,
	OPT_YLIM, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "ascii",	no_argument,		NULL,	OPT_ASCII },
	{ "delimiter",	required_argument,	NULL,	'd' },
	{ "group",	required_argument,	NULL,	'g' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "loss",	required_argument,	NULL,	'y' },
	{ "lr",		required_argument,	NULL,	'x' },
	{ "no-header",	no_argument,		NULL,	'H' },
	{ "output",	required_argument,	NULL,	'o' },
	{ "size",	required_argument,	NULL,	OPT_SIZE },
	{ "skip-end",	required_argument,	NULL,	OPT_SKIP_END },
	{ "skip-start",	required_argument,	NULL,	OPT_SKIP_START },
	{ "suggest",	required_argument,	NULL,	's' },
	{ "terminal",	no_argument,		NULL,	'T' },
	{ "title",	required_argument,	NULL,	OPT_TITLE },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ "ylim",	required_argument,	NULL,	OPT_YLIM },
	{ NULL,		0,			NULL,	0 }
};

#define MAX_COLUMNS 16

/* One line of the plot: the points of a column in a group. */
struct curve {
	double	*x, *y;
	size_t	 n, cap;
};

static struct lrk_table_options table_opt;
static const char *x_spec, *g_spec, *out_path, *title;
static const char *y_specs[MAX_COLUMNS];
static size_t ny_specs;
static char **methods;
static size_t nmethods;
static long skip_start, skip_end;
static int terminal, ascii, ylim_set;
static double ylim[2], size_w, size_h;

/* What the first file decided: the columns drawn and their names. */
static size_t nslots;
static char *slot_name[MAX_COLUMNS];
static int slot_light[MAX_COLUMNS];
static size_t suggest_slot;
static char *x_name, *y_name, *g_name;

static struct lrk_strmap *groups;	/* -g values or file names */
static unsigned long rows_read;
static struct curve *curves;		/* group * nslots + slot */
static size_t curves_cap;

static void *
xrealloc(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		lrk_errx(1, "out of memory");
	if ((p = realloc(p, n * size)) == NULL && n != 0)
		lrk_errx(1, "out of memory");
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		lrk_errx(1, "out of memory");
	return p;
}

/* The curve of a group and slot, created (empty) when first asked for. */
static struct curve *
curve_of(size_t group, size_t slot)
{
	size_t need = (group + 1) * nslots, n;

	if (need > curves_cap) {
		n = curves_cap ? 2 * curves_cap : 16;
		while (n < need)
			n *= 2;
		curves = xrealloc(curves, n, sizeof(*curves));
		memset(curves + curves_cap, 0,
		    (n - curves_cap) * sizeof(*curves));
		curves_cap = n;
	}
	return &curves[group * nslots + slot];
}

static void
append(struct curve *c, double x, double y)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->x = xrealloc(c->x, c->cap, sizeof(*c->x));
		c->y = xrealloc(c->y, c->cap, sizeof(*c->y));
	}
	c->x[c->n] = x;
	c->y[c->n] = y;
	c->n++;
}

static int
ends_with_smooth(const char *s)
{
	size_t n = strlen(s);

	return n > 7 && strcasecmp(s + n - 7, "_smooth") == 0;
}

/*
 * The columns to draw in a table: the -y columns, or the smoothed loss
 * (strong) with the raw loss it came from (light).  The first file names
 * the slots; later files must give the same number of columns.
 */
static int
find_columns(struct lrk_table *t, size_t *xcol, size_t *ycols, size_t *gcol,
    char *err)
{
	const struct lrk_cell *h = lrk_table_header(t);
	char stem[256];
	size_t i, n, smooth, raw;
	int have_raw = 0;

	if (lrk_table_column(t, x_spec, LRK_ROLE_LR, "lr", xcol, err) != 0)
		return -1;
	if (g_spec != NULL && lrk_table_find(t, g_spec, "group", gcol,
	    err) != 0)
		return -1;
	if (ny_specs > 0) {
		for (i = 0; i < ny_specs; i++)
			if (lrk_table_find(t, y_specs[i], "loss", &ycols[i],
			    err) != 0)
				return -1;
		n = ny_specs;
	} else {
		if (lrk_table_find_role(t, LRK_ROLE_SMOOTH, &smooth, err) != 0)
			return -1;
		/* The raw loss: the column the smoothed one was made from. */
		if (lrk_table_has_header(t) && ends_with_smooth(h[smooth].data) &&
		    strlen(h[smooth].data) - 7 < sizeof(stem)) {
			snprintf(stem, sizeof(stem), "%.*s",
			    (int)(strlen(h[smooth].data) - 7), h[smooth].data);
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
	if (nslots == 0) {
		nslots = n;
		for (i = 0; i < n; i++) {
			slot_name[i] = xstrdup(lrk_table_has_header(t) ?
			    h[ycols[i]].data : (i == 0 ? "loss" : "y"));
			slot_light[i] = ny_specs == 0 && n == 2 && i == 0;
		}
		suggest_slot = n - 1;
		x_name = xstrdup(lrk_table_has_header(t) ? h[*xcol].data :
		    "lr");
		y_name = xstrdup(slot_name[0]);
	} else if (n != nslots) {
		snprintf(err, LRK_ERRSIZE, "%zu loss column%s where the first "
		    "file has %zu", n, n == 1 ? "" : "s", nslots);
		return -1;
	}
	return 0;
}

/*
 * Read one input into the curves.  Rows with no lr or no loss (sparse
 * logs) are passed over; a loss that is not finite, or an lr that cannot
 * go on a log axis, is kept for the suggestions but not drawn, and
 * counted.  Returns 0, or 1 after a reported error.
 */
static int
read_input(FILE *fp, const char *name, int file_groups)
{
	const struct lrk_cell *cells, *h;
	struct lrk_table *t;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], shown_name[LRK_SHOWSIZE];
	size_t xcol, ycols[MAX_COLUMNS], gcol = 0, i, group = 0;
	unsigned long nonfinite = 0, badlr = 0, points = 0;
	double x, y;
	long g;
	int r, kind, added, status = 0;

	if ((t = lrk_open_table(fp, name, &table_opt)) == NULL)
		return 1;
	if (lrk_table_empty(t)) {
		lrk_table_free(t);
		return 0;
	}
	if (find_columns(t, &xcol, ycols, &gcol, err) != 0) {
		lrk_warnx("%s: %s", name, err);
		lrk_table_free(t);
		return 1;
	}
	h = lrk_table_header(t);
	if (file_groups) {
		if ((g = lrk_strmap_intern(groups, name, strlen(name),
		    &added)) < 0)
			lrk_errx(1, "out of memory");
		group = (size_t)g;
	}
	while ((r = lrk_table_next(t, &cells)) == 1) {
		rows_read++;
		kind = lrk_num_parse(cells[xcol].data, cells[xcol].len, &x);
		if (kind == LRK_NUM_MISSING)
			continue;
		if (kind == LRK_NUM_BAD) {
			lrk_warnx("%s:%lu: %s: \"%s\" is not a number", name,
			    lrk_table_line(t), lrk_show(shown_name,
			    h[xcol].data, h[xcol].len), lrk_show(shown,
			    cells[xcol].data, cells[xcol].len));
			status = 1;
			break;
		}
		if (g_spec != NULL) {
			if ((g = lrk_strmap_intern(groups, cells[gcol].data,
			    cells[gcol].len, &added)) < 0)
				lrk_errx(1, "out of memory");
			group = (size_t)g;
			if (added && g_name == NULL)
				g_name = xstrdup(lrk_table_has_header(t) ?
				    h[gcol].data : "group");
		}
		for (i = 0; i < nslots; i++) {
			kind = lrk_num_parse(cells[ycols[i]].data,
			    cells[ycols[i]].len, &y);
			if (kind == LRK_NUM_MISSING)
				continue;
			if (kind == LRK_NUM_BAD) {
				lrk_warnx("%s:%lu: %s: \"%s\" is not a number",
				    name, lrk_table_line(t),
				    lrk_show(shown_name, h[ycols[i]].data,
				    h[ycols[i]].len), lrk_show(shown,
				    cells[ycols[i]].data, cells[ycols[i]].len));
				status = 1;
				goto out;
			}
			append(curve_of(group, i), x, y);
			if (!isfinite(x) || x <= 0)
				badlr++;
			else if (!isfinite(y))
				nonfinite++;
			else
				points++;
		}
	}
out:
	if (r < 0) {
		lrk_warnx("%s", lrk_table_error(t));
		status = 1;
	}
	if (status == 0 && nonfinite > 0)
		lrk_warnx("%s: %lu point%s with a non-finite loss left out",
		    name, nonfinite, nonfinite == 1 ? "" : "s");
	if (status == 0 && badlr > 0)
		lrk_warnx("%s: %lu point%s with lr <= 0 or not finite left out "
		    "(the lr axis is logarithmic)", name, badlr,
		    badlr == 1 ? "" : "s");
	lrk_table_free(t);
	return status;
}

/* --size WxH: two whole numbers within the limits of the output kind. */
static void
parse_size(const char *arg)
{
	const char *x = strchr(arg, 'x');
	char *end;
	long w, h;

	if (x == NULL)
		lrk_usage_error("--size: \"%s\": give WIDTHxHEIGHT", arg);
	errno = 0;
	w = strtol(arg, &end, 10);
	if (end != x || errno != 0 || end == arg)
		lrk_usage_error("--size: \"%s\": give WIDTHxHEIGHT", arg);
	h = strtol(x + 1, &end, 10);
	if (*end != '\0' || errno != 0 || end == x + 1)
		lrk_usage_error("--size: \"%s\": give WIDTHxHEIGHT", arg);
	size_w = (double)w;
	size_h = (double)h;
}

static void
check_size(const char *arg)
{
	if (terminal) {
		if (size_w < 24 || size_w > 1000 || size_h < 8 ||
		    size_h > 500)
			lrk_usage_error("--size: %s: a terminal plot takes "
			    "24x8 to 1000x500 characters", arg);
	} else if (size_w < 200 || size_w > 20000 || size_h < 150 ||
	    size_h > 20000)
		lrk_usage_error("--size: %s: an SVG plot takes 200x150 to "
		    "20000x20000 pixels", arg);
}

static void
parse_ylim(const char *arg)
{
	const char *colon = strchr(arg, ':');

	if (colon == NULL ||
	    lrk_num_parse(arg, (size_t)(colon - arg), &ylim[0]) !=
	    LRK_NUM_OK || !isfinite(ylim[0]) ||
	    lrk_num_parse(colon + 1, strlen(colon + 1), &ylim[1]) !=
	    LRK_NUM_OK || !isfinite(ylim[1]))
		lrk_usage_error("--ylim: \"%s\": give LOW:HIGH, two numbers",
		    arg);
	if (!(ylim[0] < ylim[1]))
		lrk_usage_error("--ylim: %s: LOW must be less than HIGH", arg);
	if (!isfinite(ylim[1] - ylim[0]))
		lrk_usage_error("--ylim: %s: HIGH - LOW overflows a double",
		    arg);
	ylim_set = 1;
}

/* -s valley,steep or -s all: the methods, checked. */
static void
parse_methods(const char *arg)
{
	const char *p, *comma;
	char *name;
	size_t i, len;

	if (strcmp(arg, "all") == 0) {
		for (i = 0; lrk_suggest_methods[i] != NULL; i++) {
			methods = xrealloc(methods, nmethods + 1,
			    sizeof(*methods));
			methods[nmethods++] = xstrdup(lrk_suggest_methods[i]);
		}
		return;
	}
	for (p = arg;; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if ((name = strndup(p, len)) == NULL)
			lrk_errx(1, "out of memory");
		if (!lrk_suggest_known(name))
			lrk_usage_error("-s: \"%s\": unknown method (valley, "
			    "slide, minimum, steep, mingrad, lightning, "
			    "range or all)", name);
		methods = xrealloc(methods, nmethods + 1, sizeof(*methods));
		methods[nmethods++] = name;
		if (comma == NULL)
			break;
	}
}

/* The width of the terminal: the tty's, else $COLUMNS, else 80. */
static void
terminal_size(void)
{
	struct winsize ws;
	const char *env;
	long cols = 0, rows = 0;

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		cols = ws.ws_col;
		rows = ws.ws_row;
	}
	if (cols <= 0 && (env = getenv("COLUMNS")) != NULL)
		cols = strtol(env, NULL, 10);
	if (cols < 24 || cols > 1000)
		cols = 80;
	size_w = (double)cols;
	size_h = fmax(12, fmin(32, (double)cols * 0.3));
	if (rows >= 12 && size_h > (double)rows - 1)
		size_h = (double)rows - 1;
}

/*
 * The loss of a curve at an lr, so that a suggestion's dot sits on the
 * line even when the suggested lr is not one of the points (minimum is a
 * tenth of the best lr, slide scales it): the point itself when index
 * names it, else the first segment that spans lr, interpolated in
 * log lr.  fallback when no segment does.
 */
static double
loss_at(const struct curve *c, double lr, size_t index, double fallback)
{
	double a, b, t;
	size_t i;

	if (index < c->n && c->x[index] == lr && isfinite(c->y[index]))
		return c->y[index];
	if (!isfinite(lr) || lr <= 0)
		return fallback;
	for (i = 0; i + 1 < c->n; i++) {
		a = c->x[i];
		b = c->x[i + 1];
		if (!(a > 0) || !(b > 0) || !isfinite(a) || !isfinite(b) ||
		    !isfinite(c->y[i]) || !isfinite(c->y[i + 1]))
			continue;
		if ((lr < a && lr < b) || (lr > a && lr > b))
			continue;
		if (a == b)
			return c->y[i];
		t = (log(lr) - log(a)) / (log(b) - log(a));
		return c->y[i] + t * (c->y[i + 1] - c->y[i]);
	}
	return fallback;
}

/*
 * The legend's name of a group: its value, or "run 3" when the value is a
 * bare number that would say little alone.
 */
static char *
group_label(size_t g)
{
	const char *key = lrk_strmap_key(groups, g);
	double v;
	char *s;

	if (g_name != NULL &&
	    lrk_num_parse(key, strlen(key), &v) == LRK_NUM_OK) {
		if (asprintf(&s, "%s %s", g_name, key) < 0)
			lrk_errx(1, "out of memory");
		return s;
	}
	return xstrdup(key);
}

/*
 * The order of the groups in the picture and the legend: by value, as
 * numbers when both are numbers (run 2 before run 10), so that colours do
 * not depend on which run's rows came first (sweep-run -j interleaves).
 */
static int
compare_groups(const void *a, const void *b)
{
	const char *ka = lrk_strmap_key(groups, *(const size_t *)a);
	const char *kb = lrk_strmap_key(groups, *(const size_t *)b);
	double va, vb;

	if (lrk_num_parse(ka, strlen(ka), &va) == LRK_NUM_OK &&
	    lrk_num_parse(kb, strlen(kb), &vb) == LRK_NUM_OK && va != vb)
		return va < vb ? -1 : 1;
	return strcmp(ka, kb);
}

/*
 * A label for a suggestion: "valley 0.00302".  Under a terminal plot, where
 * nothing else tells the groups apart without colour, it names the group
 * first: "r2: valley 0.00302".
 */
static char *
mark_label(const char *group, const char *method, const char *which,
    double lr)
{
	char *s;

	if (asprintf(&s, "%s%s%s%s %.3g", group ? group : "",
	    group ? ": " : "", method, which, lr) < 0)
		lrk_errx(1, "out of memory");
	return s;
}

/*
 * Write the rendered plot: to standard output, or through lib/outfile.c
 * to -o's file, replaced only once complete (something that is not a
 * file, /dev/null or a FIFO, is written as it is).  Returns the status.
 */
static int
write_output(const char *data, size_t len)
{
	struct lrk_outfile o;
	char err[LRK_ERRSIZE];

	if (out_path == NULL) {
		fwrite(data, 1, len, stdout);
		return 0;
	}
	if (lrk_outfile_open(&o, out_path, LRK_OUTFILE_IN_PLACE |
	    LRK_OUTFILE_SIGNALS, err) != 0) {
		lrk_warnx("%s", err);
		return 1;
	}
	fwrite(data, 1, len, lrk_outfile_fp(&o));
	if (lrk_outfile_commit(&o, err) != 0) {
		lrk_warnx("%s", err);
		return 1;
	}
	return 0;
}

/*
 * -s pooled with several groups: one answer from the mean curve of all the
 * groups' strong curves (lrk_suggest_pool), as lr-suggest -g gives it.
 * Returns 0, or -1 with err.
 */
static int
suggest_pooled(size_t ngroups, size_t slot, const struct lrk_suggest_options
    *o, struct lrk_suggestion *out, char *err)
{
	const double **lr, **loss;
	double *mean_lr, *mean_loss;
	size_t *n, g, mean_n, bad, most = 0;
	int r = -1;

	lr = xrealloc(NULL, ngroups, sizeof(*lr));
	loss = xrealloc(NULL, ngroups, sizeof(*loss));
	n = xrealloc(NULL, ngroups, sizeof(*n));
	for (g = 0; g < ngroups; g++) {
		lr[g] = curve_of(g, slot)->x;
		loss[g] = curve_of(g, slot)->y;
		n[g] = curve_of(g, slot)->n;
		if (n[g] > most)
			most = n[g];
	}
	mean_lr = xrealloc(NULL, most + 1, sizeof(*mean_lr));
	mean_loss = xrealloc(NULL, most + 1, sizeof(*mean_loss));
	if (lrk_suggest_pool(lr, loss, n, ngroups, mean_lr, mean_loss,
	    &mean_n, &bad, err) == 0)
		r = lrk_suggest("pooled", mean_lr, mean_loss, mean_n, o, out,
		    err);
	free(lr);
	free(loss);
	free(n);
	free(mean_lr);
	free(mean_loss);
	return r;
}

int
main(int argc, char *argv[])
{
	static char *stdin_only[] = { "-", NULL };
	struct lrk_plot plot;
	struct lrk_plot_series *series = NULL, *s;
	struct lrk_plot_mark *marks = NULL;
	struct lrk_suggest_options sopt;
	struct lrk_suggestion sug;
	struct curve *c;
	const char *size_arg = NULL, *name, *mgroup;
	char err[LRK_ERRSIZE], *buf = NULL, **labels;
	size_t ngroups, nseries = 0, nmarks = 0, g, i, k, m, len = 0, pos;
	size_t *order;
	size_t total = 0, plottable = 0, drawn = 0;
	FILE *fp, *mem;
	int ch, status = 0, file_groups, colour;

	lrk_cli_init(argc, argv);
	opterr = 0;	/* our own messages, named after the program */
	while ((ch = getopt_long(argc, argv, ":d:g:Ho:s:Tx:y:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ASCII:
			ascii = 1;
			break;
		case 'd':
			table_opt.delim = lrk_opt_delim("-d", optarg);
			break;
		case 'g':
			g_spec = optarg;
			break;
		case 'H':
			table_opt.header = LRK_HEADER_NO;
			break;
		case 'o':
			if (optarg[0] == '\0')
				lrk_usage_error("-o: the file name is empty");
			out_path = optarg;
			break;
		case 's':
			parse_methods(optarg);
			break;
		case OPT_SIZE:
			size_arg = optarg;
			parse_size(optarg);
			break;
		case OPT_SKIP_END:
			skip_end = lrk_opt_long("--skip-end", optarg, 0,
			    LONG_MAX);
			break;
		case OPT_SKIP_START:
			skip_start = lrk_opt_long("--skip-start", optarg, 0,
			    LONG_MAX);
			break;
		case 'T':
			terminal = 1;
			break;
		case OPT_TITLE:
			title = optarg;
			break;
		case 'x':
			x_spec = optarg;
			break;
		case 'y':
			if (ny_specs == MAX_COLUMNS)
				lrk_usage_error("-y: at most %d loss columns",
				    MAX_COLUMNS);
			y_specs[ny_specs++] = optarg;
			break;
		case OPT_YLIM:
			parse_ylim(optarg);
			break;
		case OPT_HELP:
			lrk_help(usage_line, help_text);
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	argc -= optind;
	argv += optind;
	if (ascii && !terminal)
		lrk_usage_error("--ascii goes with -T");
	if (size_arg != NULL)
		check_size(size_arg);
	else if (terminal)
		terminal_size();
	else {
		size_w = 640;
		size_h = 480;
	}

	if ((groups = lrk_strmap_new()) == NULL)
		lrk_errx(1, "out of memory");
	if (argc == 0) {
		argv = stdin_only;
		argc = 1;
	}
	file_groups = argc > 1 && g_spec == NULL;
	for (i = 0; i < (size_t)argc; i++) {
		if ((fp = lrk_open_input(argv[i])) == NULL) {
			status = 1;
			continue;
		}
		name = strcmp(argv[i], "-") == 0 ? "stdin" : argv[i];
		if (read_input(fp, name, file_groups) != 0)
			status = 1;
		lrk_close_input(fp);
	}
	if (status != 0)
		return 1;

	/* The series: one per group and column, in first-seen order. */
	ngroups = g_spec != NULL || file_groups ? lrk_strmap_count(groups) : 1;
	if (nslots == 0 || rows_read == 0)
		lrk_errx(1, "no data to plot: the input has no rows");
	for (g = 0; g < ngroups; g++)
		for (k = 0; k < nslots; k++) {
			c = curve_of(g, k);
			for (i = 0; i < c->n; i++) {
				total++;
				if (!isfinite(c->y[i]) || !isfinite(c->x[i]) ||
				    c->x[i] <= 0)
					continue;
				plottable++;
				if (i >= (size_t)skip_start &&
				    i + (size_t)skip_end < c->n)
					drawn++;
			}
		}
	if (total == 0)
		lrk_errx(1, "no data to plot: no row has both an lr and a loss");
	if (plottable == 0)
		lrk_errx(1, "no point to plot: every point has a non-finite "
		    "loss or an lr <= 0");
	if (drawn == 0)
		lrk_errx(1, "no point left to plot after --skip-start %ld and "
		    "--skip-end %ld", skip_start, skip_end);
	series = xrealloc(NULL, ngroups * nslots + 1, sizeof(*series));
	labels = xrealloc(NULL, ngroups, sizeof(*labels));
	memset(labels, 0, ngroups * sizeof(*labels));
	marks = xrealloc(NULL, ngroups * (2 * nmethods + 1), sizeof(*marks));
	lrk_suggest_defaults(&sopt);
	order = xrealloc(NULL, ngroups, sizeof(*order));
	for (g = 0; g < ngroups; g++)
		order[g] = g;
	if (g_spec != NULL)	/* files stay in the order given */
		qsort(order, ngroups, sizeof(*order), compare_groups);
	for (pos = 0; pos < ngroups; pos++) {
		g = order[pos];
		for (k = 0; k < nslots; k++) {
			c = curve_of(g, k);
			s = &series[nseries++];
			memset(s, 0, sizeof(*s));
			s->column = nslots > 1 ? slot_name[k] : NULL;
			s->group = NULL;
			if (ngroups > 1 || g_spec != NULL) {
				if (k == 0)
					labels[g] = group_label(g);
				s->group = labels[g];
			}
			s->light = slot_light[k];
			if (ngroups > 1 || g_spec != NULL) {
				s->colour = (int)(pos % LRK_PLOT_COLOURS);
				s->dash = ny_specs > 1 ? (int)(k % 3) :
				    LRK_DASH_SOLID;
			} else
				s->colour = ny_specs > 1 ?
				    (int)(k % LRK_PLOT_COLOURS) : 0;
			if ((size_t)skip_start + (size_t)skip_end < c->n) {
				s->x = c->x + skip_start;
				s->y = c->y + skip_start;
				s->n = c->n - (size_t)skip_start -
				    (size_t)skip_end;
			} else {
				s->x = s->y = NULL;
				s->n = 0;
			}
		}
		/* Suggestions on the strong curve, as lr-suggest finds them. */
		c = curve_of(g, suggest_slot);
		for (m = 0; m < nmethods; m++) {
			name = ngroups > 1 || g_spec != NULL ?
			    lrk_strmap_key(groups, g) : NULL;
			if (ngroups > 1 && strcmp(methods[m], "pooled") == 0) {
				/* One answer for all the groups, marked once
				 * on the first group's curve. */
				if (pos > 0)
					continue;
				name = NULL;
				if (suggest_pooled(ngroups, suggest_slot,
				    &sopt, &sug, err) != 0) {
					lrk_warnx("pooled: %s", err);
					status = 1;
					continue;
				}
			} else if (lrk_suggest(methods[m], c->x, c->y, c->n,
			    &sopt, &sug, err) != 0) {
				lrk_warnx("%s%s%s", name ? name : "",
				    name ? ": " : "", err);
				status = 1;
				continue;
			}
			/* A group's colour, or the first no curve uses. */
			colour = name != NULL ? (int)(pos % LRK_PLOT_COLOURS) :
			    (int)(((ny_specs > 1 ? ny_specs : 1) + m) %
			    LRK_PLOT_COLOURS);
			marks[nmarks].x = sug.lr;
			marks[nmarks].y = loss_at(c, sug.lr, sug.index,
			    sug.loss);
			marks[nmarks].colour = colour;
			mgroup = terminal && name != NULL ? labels[g] : NULL;
			if (sug.index2 != LRK_SUGGEST_NONE) {
				marks[nmarks++].label = mark_label(mgroup,
				    sug.method, " min", sug.lr);
				marks[nmarks].x = sug.lr2;
				marks[nmarks].y = loss_at(c, sug.lr2,
				    sug.index2, sug.loss2);
				marks[nmarks].colour = colour;
				marks[nmarks++].label = mark_label(mgroup,
				    sug.method, " max", sug.lr2);
			} else
				marks[nmarks++].label = mark_label(mgroup,
				    sug.method, "", sug.lr);
		}
	}

	/*
	 * A terminal plot of the default size grows by the suggestions
	 * listed under it, so that they leave it 8 rows at least.
	 */
	if (terminal && size_arg == NULL &&
	    size_h < (double)((title != NULL) + 4 + nmarks + 8))
		size_h = (double)((title != NULL) + 4 + nmarks + 8);

	memset(&plot, 0, sizeof(plot));
	plot.title = title;
	plot.xlabel = x_name;
	plot.ylabel = y_name;
	plot.width = size_w;
	plot.height = size_h;
	plot.ylim_set = ylim_set;
	plot.ylim[0] = ylim[0];
	plot.ylim[1] = ylim[1];
	plot.series = series;
	plot.nseries = nseries;
	plot.marks = marks;
	plot.nmarks = nmarks;
	plot.ascii = ascii;
	plot.ansi = terminal && out_path == NULL && isatty(STDOUT_FILENO) &&
	    getenv("NO_COLOR") == NULL && (getenv("TERM") == NULL ||
	    strcmp(getenv("TERM"), "dumb") != 0);

	/* Rendered in memory first: the output is whole or absent. */
	if ((mem = open_memstream(&buf, &len)) == NULL)
		lrk_errx(1, "out of memory");
	if ((terminal ? lrk_plot_text(mem, &plot, err) :
	    lrk_plot_svg(mem, &plot, err)) != 0) {
		fclose(mem);
		free(buf);
		lrk_errx(1, "%s", err);
	}
	if (fclose(mem) != 0)
		lrk_errx(1, "out of memory");
	if (write_output(buf, len) != 0)
		status = 1;
	free(buf);
	for (i = 0; i < nmarks; i++)
		free((char *)marks[i].label);
	free(marks);
	free(order);
	free(series);
	for (g = 0; g < ngroups; g++)
		free(labels[g]);
	free(labels);
	free(g_name);
	for (i = 0; i < curves_cap; i++) {
		free(curves[i].x);
		free(curves[i].y);
	}
	free(curves);
	for (i = 0; i < nslots; i++)
		free(slot_name[i]);
	for (i = 0; i < nmethods; i++)
		free(methods[i]);
	free(methods);
	free(x_name);
	free(y_name);
	lrk_strmap_free(groups);
	if (lrk_close_stdout() != 0)
		status = 1;
	return status;
}
