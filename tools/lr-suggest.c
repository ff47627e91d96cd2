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
    "[-H] [-d delim] [-f plain|csv|json] [-g column [--summary]]\n"
    "       [-m method[,method...] | -m all] [--skip-start N]"
    " [--skip-end N]\n"
    "       [--lr-diff N] [--thresh T] [--adjust A] [-x column]"
    " [-y column] [file]\n";

/* The help text, around the list of methods (from the library). */
static const char help_head[] =
    "Print the suggested learning rate of an lr-vs-loss curve.\n"
    "\n"
    "  -m, --method LIST  the methods, or all (default " LRK_SUGGEST_DEFAULT
    "; with -g over\n"
    "                     several runs, one line: " LRK_SUGGEST_DEFAULT_RUNS
    "):\n"
    "                     %s\n";

static const char help_text[] =
    "  -f, --format F     plain (default: the first method's lr), csv or "
    "json\n"
    "  -g, --group COL    one suggestion per value of COL (per run)\n"
    "      --summary      with -g: median, min, max and max/min per method\n"
    "      --skip-start N points to skip at the start (default: rows/10;\n"
    "                     10 for mingrad and lightning)\n"
    "      --skip-end N   points to skip at the end (default 5; 1 for\n"
    "                     lightning)\n"
    "      --lr-diff N    slide: the distance between the points (15)\n"
    "      --thresh T     slide: the gradient difference to stop at (0.005)\n"
    "      --adjust A     slide: factor on the lr found (1)\n"
    "  -x, --lr COL       the lr column (default: lr, learning_rate, lr-*)\n"
    "  -y, --loss COL     the loss column (default: the last *_smooth, else\n"
    "                     loss)\n"
    "  -d, --delimiter C  field delimiter (default: from the first line)\n"
    "  -H, --no-header    the input has no header line\n"
    "      --help, --version\n";

enum {
	OPT_SKIP_START = 256, OPT_SKIP_END, OPT_LR_DIFF, OPT_THRESH,
	OPT_ADJUST, OPT_SUMMARY, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "adjust",	required_argument,	NULL,	OPT_ADJUST },
	{ "delimiter",	required_argument,	NULL,	'd' },
	{ "format",	required_argument,	NULL,	'f' },
	{ "group",	required_argument,	NULL,	'g' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
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

enum format { FORMAT_PLAIN, FORMAT_CSV, FORMAT_JSON };

/* One curve: the points of a group in input order. */
struct curve {
	double		*lr;
	double		*loss;
	size_t		*row;	/* 0-based data row of the input */
	unsigned long	*line;	/* its line, for messages */
	size_t		 n, cap;
};

/* One line of output: a suggested point. */
struct result {
	size_t		 group;
	const char	*name;	/* the method, or range_base, range_max */
	double		 lr;
	double		 loss;
	size_t		 row;
};

static struct lrk_table_options table_opt;
static struct lrk_suggest_options suggest_opt;
static const char *x_spec, *y_spec, *g_spec;
static enum format format = FORMAT_PLAIN;
static int summary;
static int method_given;	/* -m */
static int one_answer;		/* the default over runs: one line */

static const char **methods;
static size_t nmethods;

static struct lrk_strmap *groups_map;
static struct curve *curves;
static size_t ncurves;
static char *group_title;	/* the group column's name */
static char group_title_shown[LRK_SHOWSIZE];	/* that, for messages */

static struct result *results;
static size_t nresults, results_cap;

/* "valley, slide, ..., range": the library's methods, for messages. */
static const char *
method_list(void)
{
	static char buf[512];
	size_t i, used = 0;

	for (i = 0; lrk_suggest_methods[i] != NULL && used < sizeof(buf);
	    i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
		    "%s%s", i == 0 ? "" : ", ", lrk_suggest_methods[i]);
	return buf;
}

static _Noreturn void
help(void)
{
	static char text[sizeof(help_head) + sizeof(help_text) + 512];
	char list[512];
	const char *p, *comma;
	size_t used = 0, column = 21;

	/* The method list, wrapped at 78 columns under its option. */
	for (p = method_list(); *p != '\0' && used + 32 < sizeof(list);
	    p = comma) {
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

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > (size_t)-1 / size)
		lrk_errx(1, "out of memory");
	if ((p = realloc(p, n * size)) == NULL)
		lrk_errx(1, "out of memory");
	return p;
}

/* -m: a comma-separated list of methods, or "all". */
static void
parse_methods(const char *arg)
{
	char shown[LRK_SHOWSIZE], *copy, *item, *next;
	size_t i;

	free(methods);
	methods = NULL;
	nmethods = 0;
	if (strcmp(arg, "all") == 0) {
		for (i = 0; lrk_suggest_methods[i] != NULL; i++)
			;
		methods = xreallocarray(NULL, i, sizeof(*methods));
		for (i = 0; lrk_suggest_methods[i] != NULL; i++)
			methods[nmethods++] = lrk_suggest_methods[i];
		return;
	}
	if ((copy = strdup(arg)) == NULL)
		lrk_errx(1, "out of memory");
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		for (i = 0; lrk_suggest_methods[i] != NULL; i++)
			if (strcmp(lrk_suggest_methods[i], item) == 0)
				break;
		if (lrk_suggest_methods[i] == NULL)
			lrk_usage_error("-m: \"%s\": no such method (%s or "
			    "all)", lrk_show(shown, item, strlen(item)),
			    method_list());
		methods = xreallocarray(methods, nmethods + 1,
		    sizeof(*methods));
		methods[nmethods++] = lrk_suggest_methods[i];
	}
	free(copy);
}

static struct curve *
curve_of(const struct lrk_cell *key)
{
	long i;
	int added;

	if (key == NULL) {
		if (ncurves == 0) {
			curves = xreallocarray(NULL, 1, sizeof(*curves));
			memset(curves, 0, sizeof(*curves));
			ncurves = 1;
		}
		return &curves[0];
	}
	if (groups_map == NULL && (groups_map = lrk_strmap_new()) == NULL)
		lrk_errx(1, "out of memory");
	if ((i = lrk_strmap_intern(groups_map, key->data, key->len,
	    &added)) < 0)
		lrk_errx(1, "out of memory");
	if (added) {
		curves = xreallocarray(curves, ncurves + 1, sizeof(*curves));
		memset(&curves[ncurves], 0, sizeof(*curves));
		ncurves++;
	}
	return &curves[i];
}

static void
curve_push(struct curve *c, double lr, double loss, size_t row,
    unsigned long line)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->lr = xreallocarray(c->lr, c->cap, sizeof(*c->lr));
		c->loss = xreallocarray(c->loss, c->cap, sizeof(*c->loss));
		c->row = xreallocarray(c->row, c->cap, sizeof(*c->row));
		c->line = xreallocarray(c->line, c->cap, sizeof(*c->line));
	}
	c->lr[c->n] = lr;
	c->loss[c->n] = loss;
	c->row[c->n] = row;
	c->line[c->n] = line;
	c->n++;
}

/*
 * Read the whole table into one curve per group.  Rows whose lr or loss
 * is missing (an empty cell, NA) are left out; a NaN loss stays, to end
 * the window there.  Returns 0, or 1 after a reported error.
 */
static int
read_input(FILE *fp, const char *name)
{
	const struct lrk_cell *cells, *h;
	struct lrk_table *t;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE], shown_name[LRK_SHOWSIZE];
	size_t xcol, ycol, gcol = 0, row = 0, col, with_lr = 0, with_loss = 0;
	size_t paired = 0;
	double lr, loss;
	int r, klr, kloss, status = 0;

	if ((t = lrk_open_table(fp, name, &table_opt)) == NULL)
		return 1;
	if (lrk_table_empty(t)) {
		lrk_warnx("%s: the input is empty", name);
		lrk_table_free(t);
		return 1;
	}
	if (lrk_table_column(t, x_spec, LRK_ROLE_LR, "lr", &xcol, err) ||
	    lrk_table_column(t, y_spec, LRK_ROLE_SMOOTH, "loss", &ycol,
	    err) ||
	    (g_spec && lrk_table_find(t, g_spec, "group", &gcol, err))) {
		lrk_warnx("%s: %s", name, err);
		lrk_table_free(t);
		return 1;
	}
	h = lrk_table_header(t);
	if (g_spec != NULL && (group_title = strdup(h[gcol].data)) == NULL)
		lrk_errx(1, "out of memory");
	if (g_spec != NULL)
		lrk_show(group_title_shown, h[gcol].data, h[gcol].len);
	if (g_spec == NULL)
		(void)curve_of(NULL);
	while ((r = lrk_table_next(t, &cells)) == 1) {
		klr = lrk_num_parse(cells[xcol].data, cells[xcol].len, &lr);
		kloss = lrk_num_parse(cells[ycol].data, cells[ycol].len,
		    &loss);
		if (klr == LRK_NUM_BAD || kloss == LRK_NUM_BAD) {
			col = klr == LRK_NUM_BAD ? xcol : ycol;
			lrk_warnx("%s:%lu: %s: \"%s\" is not a number", name,
			    lrk_table_line(t), lrk_show(shown_name,
			    h[col].data, h[col].len), lrk_show(shown,
			    cells[col].data, cells[col].len));
			status = 1;
			break;
		}
		if (klr == LRK_NUM_OK && !isfinite(lr)) {
			lrk_warnx("%s:%lu: %s: %s is not a finite learning "
			    "rate", name, lrk_table_line(t),
			    lrk_show(shown_name, h[xcol].data, h[xcol].len),
			    lrk_show(shown, cells[xcol].data, cells[xcol].len));
			status = 1;
			break;
		}
		/* valley or minimum would suggest it as it is. */
		if (klr == LRK_NUM_OK && lr < 0) {
			lrk_warnx("%s:%lu: %s: %s: a learning rate cannot be "
			    "negative", name, lrk_table_line(t),
			    lrk_show(shown_name, h[xcol].data, h[xcol].len),
			    lrk_show(shown, cells[xcol].data, cells[xcol].len));
			status = 1;
			break;
		}
		with_lr += klr == LRK_NUM_OK;
		with_loss += kloss == LRK_NUM_OK;
		if (klr == LRK_NUM_OK && kloss == LRK_NUM_OK) {
			curve_push(curve_of(g_spec ? &cells[gcol] : NULL), lr,
			    loss, row, lrk_table_line(t));
			paired++;
		}
		row++;
	}
	if (r < 0) {
		lrk_warnx("%s", lrk_table_error(t));
		status = 1;
	} else if (status == 0 && row == 0) {
		/* A header alone: no curve, whatever the method. */
		lrk_warnx("%s: the input has no rows", name);
		status = 1;
	} else if (status == 0 && paired == 0 && with_lr > 0 &&
	    with_loss > 0) {
		/* Lightning's CSVLogger writes the lr and the loss of a step
		 * on separate rows. */
		lrk_warnx("%s: no row has both an lr (%s) and a loss (%s): a "
		    "sparse log? join its rows first: lr-import --merge step",
		    name, lrk_show(shown_name, h[xcol].data, h[xcol].len),
		    lrk_show(shown, h[ycol].data, h[ycol].len));
		status = 1;
	} else if (status == 0 && paired == 0) {
		lrk_warnx("%s: no row has both an lr (%s) and a loss (%s)",
		    name, lrk_show(shown_name, h[xcol].data, h[xcol].len),
		    lrk_show(shown, h[ycol].data, h[ycol].len));
		status = 1;
	}
	lrk_table_free(t);
	return status;
}

static void
add_result(size_t group, const char *method, double lr, double loss,
    size_t row)
{
	if (nresults == results_cap) {
		results_cap = results_cap ? 2 * results_cap : 16;
		results = xreallocarray(results, results_cap,
		    sizeof(*results));
	}
	results[nresults].group = group;
	results[nresults].name = method;
	results[nresults].lr = lr;
	results[nresults].loss = loss;
	results[nresults].row = row;
	nresults++;
}

static const char *
group_name(size_t g)
{
	return g_spec ? lrk_strmap_key(groups_map, g) : NULL;
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
 * them all (lrk_suggest_pool), into *s: every group's answer, with that
 * group's row at the step s->index and the mean loss there.  Returns 1 if
 * it failed (and said why).
 */
static int
suggest_pooled(const char *name, struct lrk_suggestion *s)
{
	const double **lr, **loss;
	double *mlr, *mloss;
	size_t *n, g, mn, bad;
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	int status = 1;

	lr = xreallocarray(NULL, ncurves, sizeof(*lr));
	loss = xreallocarray(NULL, ncurves, sizeof(*loss));
	n = xreallocarray(NULL, ncurves, sizeof(*n));
	for (g = 0; g < ncurves; g++) {
		lr[g] = curves[g].lr;
		loss[g] = curves[g].loss;
		n[g] = curves[g].n;
	}
	mlr = xreallocarray(NULL, curves[0].n + 1, sizeof(*mlr));
	mloss = xreallocarray(NULL, curves[0].n + 1, sizeof(*mloss));
	if (lrk_suggest_pool(lr, loss, n, ncurves, mlr, mloss, &mn, &bad,
	    err) != 0) {
		if (bad != LRK_SUGGEST_NONE)
			lrk_warnx("%s:%lu: %s %s: %s", name,
			    curves[bad].line[mn], group_title_shown,
			    group_shown(shown, bad), err);
		else
			lrk_warnx("%s: %s", name, err);
		goto done;
	}
	if (lrk_suggest("pooled", mlr, mloss, mn, &suggest_opt, s,
	    err) != 0) {
		if (s->index != LRK_SUGGEST_NONE)
			lrk_warnx("%s: the mean of the %zu groups of %s, at "
			    "the step of line %lu of %s %s: %s", name, ncurves,
			    group_title_shown, curves[0].line[s->index],
			    group_title_shown, group_shown(shown, 0), err);
		else
			lrk_warnx("%s: the mean of the %zu groups of %s: %s",
			    name, ncurves, group_title_shown, err);
		goto done;
	}
	status = 0;
done:
	free(lr);
	free(loss);
	free(n);
	free(mlr);
	free(mloss);
	return status;
}

/*
 * A range test's lr only goes up.  Where it goes back, the curve is two
 * tests run one after the other (a log appended to, a restart) or not a
 * range test at all (a cyclic schedule): every method would still answer,
 * from a curve that folds back on itself, so say so.
 */
static void
warn_lr_back(const char *name, size_t g)
{
	const struct curve *c = &curves[g];
	char shown[LRK_SHOWSIZE], a[LRK_NUM_BUFSIZE], b[LRK_NUM_BUFSIZE];
	size_t i, last = 0;

	/* An lr of 0 is no point of the log-lr curve: steep refuses it. */
	for (i = 0; i < c->n; i++) {
		if (c->lr[i] == 0)
			continue;
		if (c->lr[last] != 0 && c->lr[i] < c->lr[last])
			break;
		last = i;
	}
	if (i >= c->n)
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
	struct lrk_suggestion s;
	struct curve *c;
	char err[LRK_ERRSIZE], where[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	struct lrk_suggestion pooled;
	size_t g, m, count;
	int status = 0, pooled_status = 1;

	count = format == FORMAT_PLAIN && !summary ? 1 : nmethods;
	for (g = 0; g < ncurves; g++) {
		c = &curves[g];
		warn_lr_back(name, g);
		for (m = 0; m < count; m++) {
			if (strcmp(methods[m], "pooled") == 0 && ncurves > 1) {
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

/* A JSON string, with the escapes RFC 8259 requires. */
static void
json_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\r')
			fputs("\\r", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* A JSON number; JSON has no NaN or infinity, so those are null. */
static void
json_number(double x)
{
	char buf[LRK_NUM_BUFSIZE];

	if (!isfinite(x))
		fputs("null", stdout);
	else {
		lrk_num_format(buf, x);
		fputs(buf, stdout);
	}
}

static void
print_number(double x)
{
	char buf[LRK_NUM_BUFSIZE];

	lrk_num_format(buf, x);
	fputs(buf, stdout);
}

static void
print_results(void)
{
	struct lrk_writer w;
	struct result *r;
	char index[32];
	size_t i;

	lrk_writer_init(&w, stdout, ',', "\n");
	if (format == FORMAT_CSV) {
		if (g_spec)
			lrk_write_str(&w, group_title);
		lrk_write_str(&w, "method");
		lrk_write_str(&w, "lr");
		lrk_write_str(&w, "loss");
		lrk_write_str(&w, "index");
		lrk_write_end(&w);
	} else if (format == FORMAT_JSON)
		fputs("[", stdout);
	for (i = 0; i < nresults; i++) {
		r = &results[i];
		switch (format) {
		case FORMAT_PLAIN:
			if (one_answer && i > 0)
				break;
			if (g_spec && !one_answer)
				printf("%s ", group_name(r->group));
			print_number(r->lr);
			/* range: both bounds on one line */
			if (i + 1 < nresults &&
			    strcmp(r->name, "range_base") == 0) {
				putchar(' ');
				print_number(results[++i].lr);
			}
			putchar('\n');
			break;
		case FORMAT_CSV:
			if (g_spec)
				lrk_write_str(&w, group_name(r->group));
			lrk_write_str(&w, r->name);
			lrk_write_num(&w, r->lr);
			lrk_write_num(&w, r->loss);
			snprintf(index, sizeof(index), "%zu", r->row);
			lrk_write_str(&w, index);
			lrk_write_end(&w);
			break;
		case FORMAT_JSON:
			fputs(i ? ",\n {" : "\n {", stdout);
			if (g_spec) {
				json_string(group_title);
				fputs(": ", stdout);
				json_string(group_name(r->group));
				fputs(", ", stdout);
			}
			fputs("\"method\": ", stdout);
			json_string(r->name);
			fputs(", \"lr\": ", stdout);
			json_number(r->lr);
			fputs(", \"loss\": ", stdout);
			json_number(r->loss);
			printf(", \"index\": %zu}", r->row);
			break;
		}
	}
	if (format == FORMAT_JSON)
		fputs(nresults ? "\n]\n" : "]\n", stdout);
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * With groups, a suggestion that moves more than 3x between them is worth
 * a warning: when the runs differ only in their seed, the curve is too
 * noisy for the method to be trusted.  Per method (each bound of range
 * apart); the exit status stays as it is.
 */
static void
warn_spread(const char *name)
{
	char lo[LRK_NUM_BUFSIZE], hi[LRK_NUM_BUFSIZE];
	double min, max;
	size_t i, j, n;

	for (i = 0; i < nresults; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(results[j].name, results[i].name) == 0)
				break;
		if (j < i)
			continue;	/* done at its first result */
		min = max = results[i].lr;
		for (j = i + 1, n = 1; j < nresults; j++)
			if (strcmp(results[j].name, results[i].name) == 0) {
				n++;
				if (results[j].lr < min)
					min = results[j].lr;
				if (results[j].lr > max)
					max = results[j].lr;
			}
		if (n < 2 || !(min > 0) || !(max > 3 * min))
			continue;
		lrk_num_format(lo, min);
		lrk_num_format(hi, max);
		lrk_warnx("%s: %s moves %.3gx across the %zu groups of %s "
		    "(from %s to %s): if they differ only in their seed, the "
		    "curve is too noisy to trust (more steps, a bigger batch "
		    "or more smoothing)", name, results[i].name, max / min, n,
		    group_title_shown, lo, hi);
	}
}

/*
 * --summary: per method (each bound of range apart), how far the
 * suggestion moves across groups: median (numpy's: the mean of the two
 * middle values of an even count), min, max and max/min.
 */
static void
print_summary(void)
{
	static const char *const head[] = { "method", "groups", "median",
	    "min", "max", "ratio" };
	char cell[6][LRK_NUM_BUFSIZE + 16];
	const char *names[64];
	struct lrk_writer w;
	double *v, stat[4];
	size_t nnames = 0, i, j, k, n, width[6];
	int pass;

	for (i = 0; i < nresults; i++) {
		for (j = 0; j < nnames; j++)
			if (strcmp(names[j], results[i].name) == 0)
				break;
		if (j == nnames && nnames < sizeof(names) / sizeof(names[0]))
			names[nnames++] = results[i].name;
	}
	v = xreallocarray(NULL, ncurves ? ncurves : 1, sizeof(*v));
	lrk_writer_init(&w, stdout, ',', "\n");
	for (k = 0; k < 6; k++)
		width[k] = strlen(head[k]);
	if (format == FORMAT_JSON)
		fputs("[", stdout);
	/* Plain aligns its columns: one pass to measure, one to print. */
	for (pass = format == FORMAT_PLAIN ? 0 : 1; pass < 2; pass++) {
		if (pass == 1 && format != FORMAT_JSON) {
			for (k = 0; k < 6; k++) {
				if (format == FORMAT_CSV)
					lrk_write_str(&w, head[k]);
				else
					printf("%s%-*s", k ? "  " : "",
					    k == 5 ? 0 : (int)width[k],
					    head[k]);
			}
			if (format == FORMAT_CSV)
				lrk_write_end(&w);
			else
				putchar('\n');
		}
		for (j = 0; j < nnames; j++) {
			for (i = n = 0; i < nresults; i++)
				if (strcmp(results[i].name, names[j]) == 0)
					v[n++] = results[i].lr;
			qsort(v, n, sizeof(*v), compare_double);
			stat[0] = n % 2 ? v[n / 2] :
			    (v[n / 2 - 1] + v[n / 2]) / 2;
			stat[1] = v[0];
			stat[2] = v[n - 1];
			stat[3] = v[n - 1] / v[0];
			snprintf(cell[0], sizeof(cell[0]), "%s", names[j]);
			snprintf(cell[1], sizeof(cell[1]), "%zu", n);
			/* The plain table is for reading: four digits. */
			for (k = 0; k < 4; k++)
				if (format == FORMAT_PLAIN)
					snprintf(cell[k + 2], sizeof(cell[0]),
					    "%.4g", stat[k]);
				else
					lrk_num_format(cell[k + 2], stat[k]);
			if (pass == 0) {
				for (k = 0; k < 6; k++)
					if (strlen(cell[k]) > width[k])
						width[k] = strlen(cell[k]);
				continue;
			}
			if (format == FORMAT_JSON) {
				fputs(j ? ",\n {\"method\": " : "\n {"
				    "\"method\": ", stdout);
				json_string(names[j]);
				printf(", \"groups\": %zu", n);
				for (k = 0; k < 4; k++) {
					printf(", \"%s\": ", head[k + 2]);
					json_number(stat[k]);
				}
				putchar('}');
			} else if (format == FORMAT_CSV) {
				for (k = 0; k < 6; k++)
					lrk_write_str(&w, cell[k]);
				lrk_write_end(&w);
			} else {
				for (k = 0; k < 6; k++)
					printf("%s%-*s", k ? "  " : "",
					    k == 5 ? 0 : (int)width[k],
					    cell[k]);
				putchar('\n');
			}
		}
	}
	if (format == FORMAT_JSON)
		fputs(nnames ? "\n]\n" : "]\n", stdout);
	free(v);
}

int
main(int argc, char *argv[])
{
	const char *path, *name;
	char shown[LRK_SHOWSIZE];
	FILE *fp;
	size_t i;
	int ch, status;

	lrk_cli_init(argc, argv);
	lrk_suggest_defaults(&suggest_opt);
	parse_methods(LRK_SUGGEST_DEFAULT);
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
				format = FORMAT_PLAIN;
			else if (strcmp(optarg, "csv") == 0)
				format = FORMAT_CSV;
			else if (strcmp(optarg, "json") == 0)
				format = FORMAT_JSON;
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
		case OPT_LR_DIFF:
			suggest_opt.lr_diff = lrk_opt_long("--lr-diff", optarg,
			    1, 1000000000L);
			break;
		case 'm':
			parse_methods(optarg);
			method_given = 1;
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

	path = argc == 1 ? argv[0] : "-";
	name = strcmp(path, "-") == 0 ? "stdin" : path;
	if ((fp = lrk_open_input(path)) == NULL)
		return 1;
	status = read_input(fp, name);
	lrk_close_input(fp);
	/* Over several runs the default is their pooled answer, one line. */
	if (status == 0 && !method_given && !summary && ncurves > 1) {
		parse_methods(LRK_SUGGEST_DEFAULT_RUNS);
		one_answer = format == FORMAT_PLAIN;
	}
	if (status == 0) {
		status = suggest_all(name);
		if (g_spec != NULL)
			warn_spread(name);
		if (summary)
			print_summary();
		else
			print_results();
	}
	if (lrk_close_stdout() != 0)
		status = 1;

	for (i = 0; i < ncurves; i++) {
		free(curves[i].lr);
		free(curves[i].loss);
		free(curves[i].row);
		free(curves[i].line);
	}
	free(curves);
	free(results);
	free(methods);
	free(group_title);
	lrk_strmap_free(groups_map);
	return status;
}
