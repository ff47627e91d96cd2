/*
 * ema-smooth: append the exponential moving average of a column.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-Hu] [-a alpha | -b beta | --com C | --span S | --halflife H]\n"
    "       [-d delim] [-g column] [-m debias|first|zero]"
    " [--nan skip|hold|propagate]\n"
    "       [--ignore-na] [-o name] [--stop-div K] [-t column]"
    " [-y column] [file ...]\n";

static const char help_text[] =
    "Append <y>_smooth, the exponential moving average of the loss column.\n"
    "\n"
    "  -a, --alpha A      weight of the new value (0 < A <= 1)\n"
    "  -b, --beta B       weight of the old value, 1 - alpha (default 0.98)\n"
    "      --com C        centre of mass: alpha = 1/(1+C)\n"
    "      --span S       span: alpha = 2/(S+1)\n"
    "      --halflife H   half-life in rows, or in units of -t\n"
    "  -d, --delimiter C  field delimiter (default: from the first line)\n"
    "  -g, --group COL    separate state per value of COL\n"
    "  -H, --no-header    the input has no header line\n"
    "      --ignore-na    with --nan hold: no decay across missing values\n"
    "  -m, --mode M       debias (default), first or zero\n"
    "      --nan R        skip (default), hold or propagate\n"
    "  -o, --output NAME  name of the new column (default <y>_smooth)\n"
    "      --stop-div K   end a group once smoothed > K x its best\n"
    "  -t, --time COL     time or step column for --halflife\n"
    "  -u, --unbuffered   flush every row\n"
    "  -y, --loss COL     the column to smooth (default: loss)\n"
    "      --help, --version\n";

enum {
	OPT_COM = 256, OPT_SPAN, OPT_HALFLIFE, OPT_NAN, OPT_IGNORE_NA,
	OPT_STOP_DIV, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "alpha",	required_argument,	NULL,	'a' },
	{ "beta",	required_argument,	NULL,	'b' },
	{ "com",	required_argument,	NULL,	OPT_COM },
	{ "delimiter",	required_argument,	NULL,	'd' },
	{ "group",	required_argument,	NULL,	'g' },
	{ "halflife",	required_argument,	NULL,	OPT_HALFLIFE },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "ignore-na",	no_argument,		NULL,	OPT_IGNORE_NA },
	{ "loss",	required_argument,	NULL,	'y' },
	{ "mode",	required_argument,	NULL,	'm' },
	{ "nan",	required_argument,	NULL,	OPT_NAN },
	{ "no-header",	no_argument,		NULL,	'H' },
	{ "output",	required_argument,	NULL,	'o' },
	{ "span",	required_argument,	NULL,	OPT_SPAN },
	{ "stop-div",	required_argument,	NULL,	OPT_STOP_DIV },
	{ "time",	required_argument,	NULL,	't' },
	{ "unbuffered",	no_argument,		NULL,	'u' },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ NULL,		0,			NULL,	0 }
};

struct group {
	struct lrk_ema	ema;
	struct lrk_diverge div;
	int		stopped;
};

static struct lrk_ema_options ema_opt = { .beta = LRK_EMA_BETA };
static struct lrk_table_options table_opt;
static const char *y_spec, *g_spec, *t_spec, *out_name;
static double stop_div;
static int unbuffered;

static struct lrk_strmap *groups_map;
static struct group *groups;
static size_t groups_cap;

/* Output state across files: the first file's header is the one written. */
static struct lrk_cell *first_header;
static size_t first_ncols;
static int header_done;

/* The state of a group, created at its first row; NULL when out of memory. */
static struct group *
group_of(const struct lrk_cell *key)
{
	struct group *g;
	size_t n;
	long i;
	int added;

	if (groups_map == NULL && (groups_map = lrk_strmap_new()) == NULL)
		return NULL;
	if ((i = lrk_strmap_intern(groups_map, key->data, key->len,
	    &added)) < 0)
		return NULL;
	if ((size_t)i >= groups_cap) {
		n = groups_cap ? 2 * groups_cap : 16;
		if ((g = realloc(groups, n * sizeof(*g))) == NULL)
			return NULL;
		groups = g;
		groups_cap = n;
	}
	if (added) {
		lrk_ema_init(&groups[i].ema);
		lrk_diverge_init(&groups[i].div);
		groups[i].stopped = 0;
	}
	return &groups[i];
}

/* Files after the first must have the same header; it is written once. */
static int
same_header(const struct lrk_table *t)
{
	const struct lrk_cell *h = lrk_table_header(t);
	size_t i;

	if (lrk_table_columns(t) != first_ncols)
		return 0;
	for (i = 0; i < first_ncols; i++)
		if (h[i].len != first_header[i].len ||
		    memcmp(h[i].data, first_header[i].data, h[i].len) != 0)
			return 0;
	return 1;
}

static int
write_header(struct lrk_writer *w, const struct lrk_table *t, size_t ycol)
{
	const struct lrk_cell *h = lrk_table_header(t);
	char *name;
	size_t i;

	first_ncols = lrk_table_columns(t);
	if ((first_header = calloc(first_ncols + 1, sizeof(*h))) == NULL)
		return -1;
	for (i = 0; i < first_ncols; i++) {
		first_header[i].len = h[i].len;
		if ((first_header[i].data = strdup(h[i].data)) == NULL)
			return -1;
	}
	header_done = 1;
	if (!lrk_table_has_header(t))
		return 0;
	lrk_write_cells(w, h, first_ncols);
	if (out_name != NULL)
		lrk_write_str(w, out_name);
	else {
		if ((name = lrk_smooth_name(h[ycol].data, h[ycol].len)) ==
		    NULL)
			return -1;
		lrk_write_str(w, name);
		free(name);
	}
	lrk_write_end(w);
	return 0;
}

/*
 * Whether the header has a column of the new column's name (-o's, or
 * lrk_smooth_name's), as the tools look names up, whatever the case;
 * its name is then put in shown.
 */
static int
taken_name(const struct lrk_table *t, size_t ycol, char *shown)
{
	const struct lrk_cell *h = lrk_table_header(t);
	char *name;
	size_t i;
	int taken = 0;

	if (!lrk_table_has_header(t))
		return 0;
	if ((name = out_name != NULL ? strdup(out_name) :
	    lrk_smooth_name(h[ycol].data, h[ycol].len)) == NULL)
		lrk_errx(1, "out of memory");
	for (i = 0; i < lrk_table_columns(t) && !taken; i++)
		if (h[i].len == strlen(name) &&
		    strncasecmp(h[i].data, name, h[i].len) == 0) {
			lrk_show(shown, h[i].data, h[i].len);
			taken = 1;
		}
	free(name);
	return taken;
}

/*
 * Smooth one input.  Returns 0, 1 after a data error (reported), or 2 when
 * the run stopped on divergence and the tool should end.
 */
static int
smooth(FILE *fp, const char *name)
{
	const struct lrk_cell *cells;
	struct lrk_table *t;
	struct lrk_writer *w;
	struct group single, *g;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], shown_name[LRK_SHOWSIZE];
	size_t ycol, gcol = 0, tcol = 0;
	double x, time = 0, s;
	int r, status = 0, kind;

	if ((t = lrk_open_table(fp, name, &table_opt)) == NULL)
		return 1;
	if (lrk_table_empty(t)) {
		lrk_table_free(t);
		return 0;
	}
	if (lrk_table_column(t, y_spec, LRK_ROLE_LOSS, "loss", &ycol, err) ||
	    (g_spec && lrk_table_find(t, g_spec, "group", &gcol, err)) ||
	    (t_spec && lrk_table_find(t, t_spec, "time", &tcol, err))) {
		lrk_warnx("%s: %s", name, err);
		lrk_table_free(t);
		return 1;
	}
	/* Every file's rows in the first one's dialect. */
	if ((w = lrk_inputs_writer(stdout, t)) == NULL)
		lrk_errx(1, "out of memory");
	if (!header_done && taken_name(t, ycol, shown)) {
		/* Two columns of one name: -y NAME would be ambiguous. */
		lrk_warnx("%s: the input has a column \"%s\" already: name the "
		    "new one with -o", name, shown);
		lrk_writer_free(w);
		lrk_table_free(t);
		return 1;
	}
	if (!header_done) {
		if (write_header(w, t, ycol) != 0)
			lrk_errx(1, "out of memory");
	} else if (!same_header(t)) {
		lrk_warnx("%s: the header differs from the first file's",
		    name);
		lrk_writer_free(w);
		lrk_table_free(t);
		return 1;
	}
	lrk_ema_init(&single.ema);
	lrk_diverge_init(&single.div);
	single.stopped = 0;
	while ((r = lrk_table_next(t, &cells)) == 1) {
		if (g_spec == NULL)
			g = &single;
		else if ((g = group_of(&cells[gcol])) == NULL)
			lrk_errx(1, "out of memory");
		if (g->stopped)
			continue;
		kind = lrk_num_parse(cells[ycol].data, cells[ycol].len, &x);
		if (kind == LRK_NUM_BAD) {
			lrk_warnx("%s:%lu: %s: \"%s\" is not a number", name,
			    lrk_table_line(t), lrk_show(shown_name,
			    lrk_table_header(t)[ycol].data,
			    lrk_table_header(t)[ycol].len), lrk_show(shown,
			    cells[ycol].data, cells[ycol].len));
			status = 1;
			break;
		}
		if (t_spec != NULL) {
			if (lrk_num_parse(cells[tcol].data, cells[tcol].len,
			    &time) != LRK_NUM_OK || !isfinite(time)) {
				lrk_warnx("%s:%lu: %s: \"%s\" is not a finite "
				    "time", name, lrk_table_line(t),
				    lrk_show(shown_name,
				    lrk_table_header(t)[tcol].data,
				    lrk_table_header(t)[tcol].len),
				    lrk_show(shown, cells[tcol].data,
				    cells[tcol].len));
				status = 1;
				break;
			}
			if (g->ema.seen && time < g->ema.last_time) {
				lrk_warnx("%s:%lu: %s: %s comes before the "
				    "previous row's time", name,
				    lrk_table_line(t),
				    lrk_table_header(t)[tcol].data,
				    cells[tcol].data);
				status = 1;
				break;
			}
		}
		s = lrk_ema_push(&g->ema, &ema_opt, x, time);
		lrk_write_cells(w, cells, lrk_table_columns(t));
		if (!isfinite(x) && ema_opt.nan == LRK_EMA_SKIP)
			lrk_write_cell(w, cells[ycol].data, cells[ycol].len);
		else
			lrk_write_num(w, s);
		lrk_write_end(w);
		if (unbuffered)
			fflush(stdout);
		if (lrk_stdout_failed())
			break;
		if (stop_div > 0) {
			if (lrk_diverge_push(&g->div, stop_div,
			    kind == LRK_NUM_OK && !isfinite(x), s)) {
				g->stopped = 1;
				if (g_spec == NULL) {
					status = 2;
					break;
				}
			}
		}
	}
	if (r < 0) {
		lrk_warnx("%s", lrk_table_error(t));
		status = 1;
	}
	lrk_writer_free(w);
	lrk_table_free(t);
	return status;
}

static void
set_alpha(double alpha, int *weights)
{
	if ((*weights)++ > 0)
		lrk_usage_error("give only one of -a, -b, --com, --span, "
		    "--halflife");
	ema_opt.beta = 1 - alpha;
}

/* -m: debias, first or zero. */
static enum lrk_ema_start
parse_mode(const char *arg)
{
	char shown[LRK_SHOWSIZE];

	if (strcmp(arg, "debias") == 0)
		return LRK_EMA_DEBIAS;
	if (strcmp(arg, "first") == 0)
		return LRK_EMA_FIRST;
	if (strcmp(arg, "zero") == 0)
		return LRK_EMA_ZERO;
	lrk_usage_error("%s: \"%s\": must be debias, first or zero",
	    lrk_opt_given("-m", arg),
	    lrk_show(shown, arg, strlen(arg)));
}

/* --nan: skip, hold or propagate. */
static enum lrk_ema_nan
parse_nan(const char *arg)
{
	char shown[LRK_SHOWSIZE];

	if (strcmp(arg, "skip") == 0)
		return LRK_EMA_SKIP;
	if (strcmp(arg, "hold") == 0)
		return LRK_EMA_HOLD;
	if (strcmp(arg, "propagate") == 0)
		return LRK_EMA_PROPAGATE;
	lrk_usage_error("%s: \"%s\": must be skip, hold or propagate",
	    lrk_opt_given("--nan", arg),
	    lrk_show(shown, arg, strlen(arg)));
}

/* The options, into the statics above; returns optind. */
static int
parse_options(int argc, char *argv[])
{
	char shown[LRK_SHOWSIZE];
	double v, halflife = 0;
	int ch, weights = 0;

	opterr = 0;	/* lrk_option_error names the option */
	while ((ch = getopt_long(argc, argv, ":a:b:d:g:Hm:o:t:uy:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			set_alpha(lrk_opt_double("-a", optarg, 0, 1, 1),
			    &weights);
			break;
		case 'b':
			v = lrk_opt_double("-b", optarg, 0, 1, 0);
			if (v >= 1)
				lrk_usage_error("%s: %s: must be less than 1",
				    lrk_opt_given("-b", optarg),
				    lrk_show(shown, optarg, strlen(optarg)));
			set_alpha(1 - v, &weights);
			ema_opt.beta = v;
			break;
		case OPT_COM:
			v = lrk_opt_double("--com", optarg, 0, HUGE_VAL, 0);
			set_alpha(1 / (1 + v), &weights);
			break;
		case OPT_SPAN:
			v = lrk_opt_double("--span", optarg, 1, HUGE_VAL, 0);
			set_alpha(2 / (v + 1), &weights);
			break;
		case OPT_HALFLIFE:
			halflife = lrk_opt_double("--halflife", optarg, 0,
			    HUGE_VAL, 1);
			set_alpha(1 - exp(-log(2) / halflife), &weights);
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
		case OPT_IGNORE_NA:
			ema_opt.ignore_na = 1;
			break;
		case 'm':
			ema_opt.start = parse_mode(optarg);
			break;
		case OPT_NAN:
			ema_opt.nan = parse_nan(optarg);
			break;
		case 'o':
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the name is empty",
				    lrk_opt_given("-o", optarg));
			out_name = optarg;
			break;
		case OPT_STOP_DIV:
			stop_div = lrk_opt_double("--stop-div", optarg, 1,
			    HUGE_VAL, 1);
			break;
		case 't':
			t_spec = optarg;
			break;
		case 'u':
			unbuffered = 1;
			break;
		case 'y':
			y_spec = optarg;
			break;
		case OPT_HELP:
			lrk_help(usage_line, help_text);
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	if (t_spec != NULL) {
		if (halflife == 0)
			lrk_usage_error("-t needs --halflife");
		ema_opt.halflife = halflife;
	}
	if (ema_opt.ignore_na && ema_opt.nan != LRK_EMA_HOLD)
		lrk_usage_error("--ignore-na goes with --nan hold");
	return optind;
}

int
main(int argc, char *argv[])
{
	int status;

	lrk_cli_init(argc, argv);
	argc -= parse_options(argc, argv);
	argv += optind;

	status = lrk_inputs_each(argc, argv, NULL, smooth);
	if (lrk_close_stdout() != 0)
		status = 1;
	return status;
}
