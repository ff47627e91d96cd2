/*
 * lr-suggest: the learning rate to use, from a whole lr-vs-loss table.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-H] [-d delim] [-f plain|csv|json]\n"
    "       [-g column [--label columns] [--summary]]\n"
    "       [-m method[,method...] | -m all] [--skip-start N]"
    " [--skip-end N]\n"
    "       [--lr-diff N] [--thresh T] [--adjust A] [-x column]"
    " [-y column] [file]\n";

/* The help text, around the list of methods (from the library). */
static const char help_head[] =
    "Print the suggested learning rate of an lr-vs-loss curve.\n"
    "\n"
    "  -m, --method LIST  the methods, or all (default: " LRK_SUGGEST_DEFAULT
    ", and with -g over\n"
    "                     several runs their " LRK_SUGGEST_DEFAULT_RUNS
    " answer on one line):\n"
    "                     %s\n";

static const char help_text[] =
    "  -f, --format F     plain (default: the first method's lr), csv or "
    "json\n"
    "  -g, --group COL    one suggestion per value of COL (per run)\n"
    "      --label COLS   with -g: the columns that name a group (default: the\n"
    "                     parameters in sweep-run's output; -g's: its value)\n"
    "      --summary      with -g: median, min, max and max/min per method\n"
    "      --skip-start N points to skip at the start (default: rows/10;\n"
    "                     10 for mingrad and lightning)\n"
    "      --skip-end N   points to skip at the end (default 5; 1 for\n"
    "                     lightning)\n"
    "      --lr-diff N    slide: the distance between the points (15)\n"
    "      --thresh T     slide: the gradient difference to stop at (0.005)\n"
    "      --adjust A     slide: factor on the lr found (1)\n"
    "  -x, --lr COL       the lr column (default: lr, learning_rate, lr-*)\n"
    "  -y, --loss COL     the loss column (default: <loss>_smooth, else the\n"
    "                     last *_smooth, else loss)\n"
    "  -d, --delimiter C  field delimiter (default: from the first line)\n"
    "  -H, --no-header    the input has no header line\n"
    "      --help, --version\n";

enum {
	OPT_SKIP_START = 256, OPT_SKIP_END, OPT_LR_DIFF, OPT_THRESH,
	OPT_ADJUST, OPT_SUMMARY, OPT_LABEL, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "adjust",	required_argument,	NULL,	OPT_ADJUST },
	{ "delimiter",	required_argument,	NULL,	'd' },
	{ "format",	required_argument,	NULL,	'f' },
	{ "group",	required_argument,	NULL,	'g' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "label",	required_argument,	NULL,	OPT_LABEL },
	{ "loss",	required_argument,	NULL,	'y' },
	{ "lr",		required_argument,	NULL,	'x' },
	{ "lr-diff",	required_argument,	NULL,	OPT_LR_DIFF },
	{ "method",	required_argument,	NULL,	'm' },
	{ "no-header",	no_argument,		NULL,	'H' },
	{ "skip-end",	required_argument,	NULL,	OPT_SKIP_END },
	{ "skip-start",	required_argument,	NULL,	OPT_SKIP_START },
	{ "summary",	no_argument,		NULL,	OPT_SUMMARY },
	{ "thresh",	required_argument,	NULL,	OPT_THRESH },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ NULL,		0,			NULL,	0 }
};


static struct lrk_table_options table_opt;
static struct lrk_suggest_options suggest_opt;
static const char *x_spec, *y_spec, *g_spec, *label_spec;
static enum lrk_answer_format format = LRK_ANSWER_PLAIN;
static int summary;
static int method_given;	/* -m other than "default" */
static int one_answer;		/* the default over several runs */

static const char **methods;
static size_t nmethods;

static struct lrk_curves *curves;
static size_t ncurves;
static char *group_title;	/* the group column's name */
static char **labels;		/* per group, by --label, or NULL */
static char group_title_shown[LRK_SHOWSIZE];	/* that, for messages */

static struct lrk_answer *results;
static size_t nresults, results_cap;

static _Noreturn void
help(void)
{
	static char text[sizeof(help_head) + sizeof(help_text) + 512];
	char names[512], list[512];
	const char *p, *comma;
	size_t used = 0, column = 21;

	/* The method list, wrapped at 78 columns under its option. */
	lrk_suggest_method_list(names, sizeof(names));
	for (p = names; *p != '\0' && used + 32 < sizeof(list); p = comma) {
		if ((comma = strchr(p, ' ')) == NULL)
			comma = p + strlen(p);
		else
			comma++;
		if (column + (size_t)(comma - p) > 78 && used > 0) {
			if (list[used - 1] == ' ')
				used--;
			used += (size_t)snprintf(list + used, sizeof(list) -
			    used, "\n%21s", "");
			column = 21;
		}
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%.*s", (int)(comma - p), p);
		column += (size_t)(comma - p);
	}
	snprintf(text, sizeof(text), help_head, list);
	strncat(text, help_text, sizeof(text) - strlen(text) - 1);
	lrk_help(usage_line, text);
}

/* -m: a comma-separated list of methods, or "all". */
static void
parse_methods(const char *arg)
{
	char err[LRK_ERRSIZE];

	free(methods);
	if (lrk_suggest_parse_methods(arg, &methods, &nmethods, err) != 0)
		lrk_usage_error("-m: %s", err);
}

/* "default" in -m: the default method for nruns runs. */
static void
resolve_default(size_t nruns)
{
	size_t m;

	for (m = 0; m < nmethods; m++)
		if (strcmp(methods[m], "default") == 0)
			methods[m] = lrk_suggest_default(nruns);
}

/*
 * Read the whole table into one curve per group (lrk_curves_read,
 * strict: rows whose lr or loss is missing are left out, a NaN loss
 * stays to end the window there).  Returns 0, or 1 after a reported
 * error.
 */
static int
read_input(FILE *fp, const char *name)
{
	struct lrk_curve_columns cols = { .strict = 1, .nloss = 1 };
	struct lrk_curve_counts counts = { 0 };
	const struct lrk_cell *h;
	struct lrk_table *t;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], shown_name[LRK_SHOWSIZE];
	size_t ycol, *label = NULL;
	int status = 0;

	if ((t = lrk_open_table(fp, name, &table_opt)) == NULL)
		return 1;
	if (lrk_table_empty(t)) {
		lrk_warnx("%s: the input is empty", name);
		lrk_table_free(t);
		return 1;
	}
	cols.loss = &ycol;
	cols.grouped = g_spec != NULL;
	if (lrk_table_column(t, x_spec, LRK_ROLE_LR, "lr", &cols.lr, err) ||
	    lrk_table_column(t, y_spec, LRK_ROLE_SMOOTH, "loss", &ycol,
	    err) ||
	    (g_spec && lrk_table_find(t, g_spec, "group", &cols.group, err)) ||
	    (g_spec && lrk_curve_label_columns(t, label_spec, cols.group,
	    &label, &cols.nlabel, err))) {
		lrk_warnx("%s: %s", name, err);
		lrk_table_free(t);
		return 1;
	}
	cols.label = label;
	h = lrk_table_header(t);
	if (g_spec != NULL) {
		if ((group_title = strdup(h[cols.group].data)) == NULL)
			lrk_errx(1, "out of memory");
		lrk_show(group_title_shown, h[cols.group].data,
		    h[cols.group].len);
	}
	lrk_show(shown_name, h[cols.lr].data, h[cols.lr].len);
	lrk_show(shown, h[ycol].data, h[ycol].len);
	if (lrk_curves_read(curves, t, &cols, &counts, err) != 0) {
		lrk_warnx("%s", err);
		status = 1;
	} else if (counts.rows == 0) {
		/* A header alone: no curve, whatever the method. */
		lrk_warnx("%s: the input has no rows", name);
		status = 1;
	} else if (counts.paired == 0 && counts.with_lr > 0 &&
	    counts.with_loss > 0) {
		/* Lightning's CSVLogger writes the lr and the loss of a step
		 * on separate rows. */
		lrk_warnx("%s: no row has both an lr (%s) and a loss (%s): a "
		    "sparse log? join its rows first: lr-import --merge step",
		    name, shown_name, shown);
		status = 1;
	} else if (counts.paired == 0) {
		lrk_warnx("%s: no row has both an lr (%s) and a loss (%s)",
		    name, shown_name, shown);
		status = 1;
	}
	ncurves = lrk_curves_groups(curves);
	free(label);
	if (g_spec != NULL && lrk_curves_labels(curves, group_title,
	    &labels) != 0)
		lrk_errx(1, "out of memory");
	lrk_table_free(t);
	return status;
}

static const char *
group_name(size_t g)
{
	return g_spec ? lrk_curves_name(curves, g) : NULL;
}

static void
add_result(size_t group, const char *method, double lr, double loss,
    size_t row)
{
	if (nresults == results_cap) {
		results_cap = results_cap ? 2 * results_cap : 16;
		if ((results = reallocarray(results, results_cap,
		    sizeof(*results))) == NULL)
			lrk_errx(1, "out of memory");
	}
	results[nresults].group = group_name(group);
	results[nresults].label = labels != NULL ? labels[group] : NULL;
	results[nresults].method = method;
	results[nresults].lr = lr;
	results[nresults].loss = loss;
	results[nresults].row = row;
	nresults++;
}

/* A group's name made fit for a message (lrk_show). */
static const char *
group_shown(char *buf, size_t g)
{
	const char *key = group_name(g);

	return lrk_show(buf, key, strlen(key));
}

/*
 * -m pooled over several groups: one suggestion from the mean curve of
 * them all (lrk_curves_pool), into *s: every group's answer, with that
 * group's row at the step s->index and the mean loss there.  Returns 1 if
 * it failed (and said why).
 */
static int
suggest_pooled(const char *name, struct lrk_suggestion *s)
{
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	size_t bad, step;
	int r;

	r = lrk_curves_pool(curves, 0, &suggest_opt, s, &bad, &step, err);
	if (r == -1 && bad != LRK_SUGGEST_NONE)
		lrk_warnx("%s:%lu: %s %s: %s", name,
		    lrk_curves_get(curves, bad, 0)->line[step],
		    group_title_shown, group_shown(shown, bad), err);
	else if (r == -1)
		lrk_warnx("%s: %s", name, err);
	else if (r == -2 && s->index != LRK_SUGGEST_NONE)
		lrk_warnx("%s: the mean of the %zu groups of %s, at the step "
		    "of line %lu of %s %s: %s", name, ncurves,
		    group_title_shown,
		    lrk_curves_get(curves, 0, 0)->line[s->index],
		    group_title_shown, group_shown(shown, 0), err);
	else if (r == -2)
		lrk_warnx("%s: the mean of the %zu groups of %s: %s", name,
		    ncurves, group_title_shown, err);
	return r != 0;
}

/*
 * Where the lr goes back (lrk_curve_lr_back), every method would still
 * answer, from a curve that folds back on itself: say so.
 */
static void
warn_lr_back(const char *name, size_t g)
{
	const struct lrk_curve *c = lrk_curves_get(curves, g, 0);
	char shown[LRK_SHOWSIZE], a[LRK_NUM_BUFSIZE], b[LRK_NUM_BUFSIZE];
	size_t i, last;

	if ((i = lrk_curve_lr_back(c, &last)) >= c->n)
		return;
	lrk_num_format(a, c->lr[i]);
	lrk_num_format(b, c->lr[last]);
	if (g_spec)
		lrk_warnx("%s:%lu: %s %s: the lr goes back, from %s to %s: "
		    "the suggestions are of a curve that folds back on "
		    "itself (several runs? give each its own value of %s)",
		    name, c->line[i], group_title_shown, group_shown(shown, g),
		    b, a, group_title_shown);
	else
		lrk_warnx("%s:%lu: the lr goes back, from %s to %s: the "
		    "suggestions are of a curve that folds back on itself "
		    "(several runs? lr-import --split-restarts COLUMN "
		    "numbers them, then give -g run)", name, c->line[i], b,
		    a);
}

/* Run the methods over every curve; returns 1 if any failed. */
static int
suggest_all(const char *name)
{
	const struct lrk_curve *c;
	struct lrk_suggestion s, pooled;
	char err[LRK_ERRSIZE], where[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	size_t g, m, count;
	int status = 0, pooled_status = 1;

	count = format == LRK_ANSWER_PLAIN && !summary ? 1 : nmethods;
	for (g = 0; g < ncurves; g++) {
		c = lrk_curves_get(curves, g, 0);
		warn_lr_back(name, g);
		for (m = 0; m < count; m++) {
			if (lrk_curves_pooled(curves, methods[m])) {
				if (g == 0)
					pooled_status = suggest_pooled(name,
					    &pooled);
				if (pooled_status != 0)
					status = 1;
				else
					add_result(g, "pooled", pooled.lr,
					    pooled.loss, c->row[pooled.index]);
				continue;
			}
			if (lrk_suggest(methods[m], c->lr, c->loss, c->n,
			    &suggest_opt, &s, err) != 0) {
				if (s.index != LRK_SUGGEST_NONE)
					snprintf(where, sizeof(where), "%s:%lu",
					    name, c->line[s.index]);
				else
					snprintf(where, sizeof(where), "%s",
					    name);
				if (g_spec)
					lrk_warnx("%s: %s %s: %s", where,
					    group_title_shown,
					    group_shown(shown, g), err);
				else
					lrk_warnx("%s: %s", where, err);
				status = 1;
				continue;
			}
			if (strcmp(methods[m], "range") == 0) {
				add_result(g, "range_base", s.lr, s.loss,
				    c->row[s.index]);
				add_result(g, "range_max", s.lr2, s.loss2,
				    c->row[s.index2]);
			} else
				add_result(g, methods[m], s.lr, s.loss,
				    c->row[s.index]);
		}
	}
	return status;
}

/*
 * With groups, a suggestion that moves more than 3x between them is worth
 * a warning (lrk_spread's noisy): when the runs differ only in their
 * seed, the curve is too noisy for the method to be trusted.  Per method
 * (each bound of range apart); the exit status stays as it is.
 */
static void
warn_spread(const char *name)
{
	char lo[LRK_NUM_BUFSIZE], hi[LRK_NUM_BUFSIZE];
	const char *names[64];
	struct lrk_spread sp;
	double *v;
	size_t i, n;

	if ((v = calloc(nresults + 1, sizeof(*v))) == NULL)
		lrk_errx(1, "out of memory");
	n = lrk_answers_methods(results, nresults, names,
	    sizeof(names) / sizeof(names[0]));
	for (i = 0; i < n; i++) {
		lrk_answers_spread(results, nresults, names[i], v, &sp);
		if (!sp.noisy)
			continue;
		lrk_num_format(lo, sp.min);
		lrk_num_format(hi, sp.max);
		lrk_warnx("%s: %s moves %.3gx across the %zu groups of %s "
		    "(from %s to %s): if they differ only in their seed, the "
		    "curve is too noisy to trust (more steps, a bigger batch "
		    "or more smoothing)", name, names[i], sp.max / sp.min,
		    sp.n, group_title_shown, lo, hi);
	}
	free(v);
}

int
main(int argc, char *argv[])
{
	const char *path, *name;
	char shown[LRK_SHOWSIZE];
	FILE *fp;
	int ch, status;

	lrk_cli_init(argc, argv);
	lrk_suggest_defaults(&suggest_opt);
	parse_methods("default");
	opterr = 0;	/* the messages below name the option */
	while ((ch = getopt_long(argc, argv, ":d:f:g:Hm:x:y:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ADJUST:
			suggest_opt.adjust = lrk_opt_double("--adjust", optarg,
			    0, HUGE_VAL, 1);
			break;
		case 'd':
			table_opt.delim = lrk_opt_delim("-d", optarg);
			break;
		case 'f':
			if (strcmp(optarg, "plain") == 0)
				format = LRK_ANSWER_PLAIN;
			else if (strcmp(optarg, "csv") == 0)
				format = LRK_ANSWER_CSV;
			else if (strcmp(optarg, "json") == 0)
				format = LRK_ANSWER_JSON;
			else
				lrk_usage_error("-f: \"%s\": must be plain, "
				    "csv or json", lrk_show(shown, optarg,
				    strlen(optarg)));
			break;
		case 'g':
			g_spec = optarg;
			break;
		case 'H':
			table_opt.header = LRK_HEADER_NO;
			break;
		case OPT_LABEL:
			label_spec = optarg;
			break;
		case OPT_LR_DIFF:
			suggest_opt.lr_diff = lrk_opt_long("--lr-diff", optarg,
			    1, 1000000000L);
			break;
		case 'm':
			parse_methods(optarg);
			method_given = strcmp(optarg, "default") != 0;
			break;
		case OPT_SKIP_END:
			suggest_opt.skip_end = lrk_opt_long("--skip-end",
			    optarg, 0, 1000000000000L);
			break;
		case OPT_SKIP_START:
			suggest_opt.skip_start = lrk_opt_long("--skip-start",
			    optarg, 0, 1000000000000L);
			break;
		case OPT_SUMMARY:
			summary = 1;
			break;
		case OPT_THRESH:
			suggest_opt.thresh = lrk_opt_double("--thresh", optarg,
			    0, HUGE_VAL, 0);
			break;
		case 'x':
			x_spec = optarg;
			break;
		case 'y':
			y_spec = optarg;
			break;
		case OPT_HELP:
			help();
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		lrk_usage_error("give at most one file");
	if (summary && g_spec == NULL)
		lrk_usage_error("--summary needs -g");
	if (label_spec != NULL && g_spec == NULL)
		lrk_usage_error("--label goes with -g");

	path = argc == 1 ? argv[0] : "-";
	name = strcmp(path, "-") == 0 ? "stdin" : path;
	if ((curves = lrk_curves_new(1)) == NULL)
		lrk_errx(1, "out of memory");
	if ((fp = lrk_open_input(path)) == NULL)
		return 1;
	status = read_input(fp, name);
	lrk_close_input(fp);
	/*
	 * The default over several runs (not --summary, which is about the
	 * runs' spread) is their pooled answer, the same for every run: one
	 * line in plain form.
	 */
	one_answer = status == 0 && !method_given && !summary && ncurves > 1;
	resolve_default(one_answer ? ncurves : 1);
	if (status == 0) {
		status = suggest_all(name);
		if (g_spec != NULL && !one_answer)
			warn_spread(name);
		if ((summary ? lrk_answers_summary(stdout, format, results,
		    nresults) : one_answer && format == LRK_ANSWER_PLAIN ?
		    lrk_answers_write(stdout, format, NULL, results,
		    nresults > 0 ? 1 : 0) : lrk_answers_write(stdout, format,
		    g_spec ? group_title : NULL, results, nresults)) != 0)
			lrk_errx(1, "out of memory");
	}
	if (lrk_close_stdout() != 0)
		status = 1;

	lrk_curves_free(curves);
	free(results);
	free(methods);
	lrk_curves_labels_free(labels, ncurves);
	free(group_title);
	return status;
}
