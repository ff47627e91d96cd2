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
    "                     lightning, range, halfway, plateau, pooled), or\n"
    "                     default (lr-suggest's)\n"
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

static struct lrk_table_options table_opt;
static const char *x_spec, *g_spec, *out_path, *title;
static const char *y_specs[MAX_COLUMNS];
static size_t ny_specs;
static const char **methods;
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

static struct lrk_curves *curves;	/* per -g value or file, per slot */
static unsigned long rows_read;

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
 * Read one input into the curves (lrk_curves_read, not strict: rows with
 * no lr or no loss are passed over; a loss that is not finite, or an lr
 * that cannot go on a log axis, is kept for the suggestions but not
 * drawn, and counted).  Returns 0, or 1 after a reported error.
 */
static int
read_input(FILE *fp, const char *name, int file_groups)
{
	struct lrk_curve_columns cols = { 0 };
	struct lrk_curve_counts counts = { 0 };
	struct lrk_table *t;
	char err[LRK_ERRSIZE];
	size_t ycols[MAX_COLUMNS];
	int status = 0;

	if ((t = lrk_open_table(fp, name, &table_opt)) == NULL)
		return 1;
	if (lrk_table_empty(t)) {
		lrk_table_free(t);
		return 0;
	}
	if (find_columns(t, &cols.lr, ycols, &cols.group, err) != 0) {
		lrk_warnx("%s: %s", name, err);
		lrk_table_free(t);
		return 1;
	}
	if (curves == NULL && (curves = lrk_curves_new(nslots)) == NULL)
		lrk_errx(1, "out of memory");
	cols.loss = ycols;
	cols.nloss = nslots;
	cols.grouped = g_spec != NULL;
	cols.file_group = file_groups ? name : NULL;
	if (lrk_curves_read(curves, t, &cols, &counts, err) != 0) {
		lrk_warnx("%s", err);
		status = 1;
	}
	rows_read += counts.rows;
	if (g_spec != NULL && g_name == NULL && lrk_curves_groups(curves) > 0)
		g_name = xstrdup(lrk_table_has_header(t) ?
		    lrk_table_header(t)[cols.group].data : "group");
	if (status == 0 && counts.nonfinite > 0)
		lrk_warnx("%s: %lu point%s with a non-finite loss left out",
		    name, counts.nonfinite, counts.nonfinite == 1 ? "" : "s");
	if (status == 0 && counts.bad_lr > 0)
		lrk_warnx("%s: %lu point%s with lr <= 0 or not finite left out "
		    "(the lr axis is logarithmic)", name, counts.bad_lr,
		    counts.bad_lr == 1 ? "" : "s");
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
 * The legend's name of a group: its value, or "run 3" when the value is a
 * bare number that would say little alone.
 */
static char *
group_label(size_t g)
{
	const char *key = lrk_curves_name(curves, g);
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

int
main(int argc, char *argv[])
{
	struct lrk_inputs in;
	struct lrk_plot plot;
	struct lrk_plot_series *series = NULL, *s;
	struct lrk_plot_mark *marks = NULL;
	struct lrk_suggest_options sopt;
	struct lrk_suggestion sug;
	const struct lrk_curve *c;
	const char *size_arg = NULL, *name, *mgroup;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], *buf = NULL, **labels;
	size_t ngroups, nseries = 0, nmarks = 0, g, i, k, m, len = 0, pos;
	size_t *order, bad, bad_step;
	size_t total = 0, plottable = 0, drawn = 0;
	FILE *mem;
	int ch, status = 0, file_groups, colour, pooled;

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
			free(methods);
			if (lrk_suggest_parse_methods(optarg, &methods,
			    &nmethods, err) != 0)
				lrk_usage_error("-s: %s", err);
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

	file_groups = argc > 1 && g_spec == NULL;
	lrk_inputs_init(&in, argc, argv);
	while (lrk_inputs_next(&in))
		if (read_input(in.fp, in.name, file_groups) != 0)
			in.status = 1;
	if (lrk_inputs_end(&in) != 0)
		return 1;

	/* The series: one per group and column, in first-seen order. */
	if (nslots == 0 || rows_read == 0)
		lrk_errx(1, "no data to plot: the input has no rows");
	ngroups = lrk_curves_groups(curves);
	/* -s default: lr-suggest's default for these runs. */
	for (m = 0; m < nmethods; m++)
		if (strcmp(methods[m], "default") == 0)
			methods[m] = lrk_suggest_default(ngroups);
	for (g = 0; g < ngroups; g++)
		for (k = 0; k < nslots; k++) {
			c = lrk_curves_get(curves, g, k);
			total += c->n;
			plottable += lrk_curve_drawable(c, 0, c->n);
			if ((size_t)skip_start + (size_t)skip_end < c->n)
				drawn += lrk_curve_drawable(c,
				    (size_t)skip_start, c->n - (size_t)skip_end);
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
		lrk_curves_order(curves, order);
	for (pos = 0; pos < ngroups; pos++) {
		g = order[pos];
		for (k = 0; k < nslots; k++) {
			c = lrk_curves_get(curves, g, k);
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
				s->x = c->lr + skip_start;
				s->y = c->loss + skip_start;
				s->n = c->n - (size_t)skip_start -
				    (size_t)skip_end;
			} else {
				s->x = s->y = NULL;
				s->n = 0;
			}
		}
		/* Suggestions on the strong curve, as lr-suggest finds them. */
		c = lrk_curves_get(curves, g, suggest_slot);
		for (m = 0; m < nmethods; m++) {
			name = ngroups > 1 || g_spec != NULL ?
			    lrk_curves_name(curves, g) : NULL;
			/* pooled: one answer for all the groups, marked once
			 * on the first group's curve. */
			pooled = lrk_curves_pooled(curves, methods[m]);
			if (pooled && pos > 0)
				continue;
			if (pooled)
				name = NULL;
			if (lrk_curves_suggest(curves, g, suggest_slot,
			    methods[m], &sopt, &sug, &bad, &bad_step,
			    err) != 0) {
				lrk_warnx("%s%s%s", pooled ? "pooled" : name ?
				    lrk_show(shown, name, strlen(name)) : "",
				    pooled || name ? ": " : "", err);
				status = 1;
				continue;
			}
			/* A group's colour, or the first no curve uses. */
			colour = name != NULL ? (int)(pos % LRK_PLOT_COLOURS) :
			    (int)(((ny_specs > 1 ? ny_specs : 1) + m) %
			    LRK_PLOT_COLOURS);
			marks[nmarks].x = sug.lr;
			marks[nmarks].y = lrk_curve_loss_at(c, sug.lr,
			    sug.index, sug.loss);
			marks[nmarks].colour = colour;
			mgroup = terminal && name != NULL ? labels[g] : NULL;
			if (sug.index2 != LRK_SUGGEST_NONE) {
				marks[nmarks++].label = mark_label(mgroup,
				    sug.method, " min", sug.lr);
				marks[nmarks].x = sug.lr2;
				marks[nmarks].y = lrk_curve_loss_at(c,
				    sug.lr2, sug.index2, sug.loss2);
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
	lrk_curves_free(curves);
	for (i = 0; i < nslots; i++)
		free(slot_name[i]);
	free(methods);
	free(x_name);
	free(y_name);
	if (lrk_close_stdout() != 0)
		status = 1;
	return status;
}
