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
    "       [-g column] [--label columns] [--summary]\n"
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
    "  -g, --group COL    one suggestion per value of COL (default: run, when\n"
    "                     the table has that column)\n"
    "      --label COLS   the columns that name a group (default: the\n"
    "                     parameters in sweep-run's output; -g's: its value)\n"
    "      --summary      with groups: median, min, max and max/min per method\n"
    "      --skip-start N points to skip at the start (default: rows/10;\n"
    "                     10 for mingrad and lightning)\n"
    "      --skip-end N   points to skip at the end (default 5; 1 for\n"
    "                     lightning)\n"
    "      --lr-diff N    slide: the distance between the points (15)\n"
    "      --thresh T     slide: the gradient difference to stop at (0.005)\n"
    "      --adjust A     slide: factor on the lr found (1)\n"
    "  -x, --lr COL       the lr column (default: lr, learning_rate, lr-*)\n"
    "  -y, --loss COL     the loss column, read as it is (default: <loss>_smooth,\n"
    "                     else the last *_smooth, else loss smoothed here as\n"
    "                     ema-smooth does)\n"
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


static struct lrk_range_options range_opt;
static enum lrk_answer_format format = LRK_ANSWER_PLAIN;
static int summary;
static int method_given;	/* -m other than "default" */

static const char **methods;
static size_t nmethods;

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
		lrk_usage_error("%s: %s", lrk_opt_given("-m", arg), err);
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

/* -f: plain, csv or json. */
static enum lrk_answer_format
parse_format(const char *arg)
{
	char shown[LRK_SHOWSIZE];

	if (strcmp(arg, "plain") == 0)
		return LRK_ANSWER_PLAIN;
	if (strcmp(arg, "csv") == 0)
		return LRK_ANSWER_CSV;
	if (strcmp(arg, "json") == 0)
		return LRK_ANSWER_JSON;
	lrk_usage_error("%s: \"%s\": must be plain, csv or json",
	    lrk_opt_given("-f", arg),
	    lrk_show(shown, arg, strlen(arg)));
}

/* The options, into the statics above; returns optind. */
static int
parse_options(int argc, char *argv[])
{
	struct lrk_suggest_options *so = &range_opt.suggest;
	int ch;

	lrk_suggest_defaults(so);
	parse_methods("default");
	opterr = 0;	/* the messages below name the option */
	while ((ch = getopt_long(argc, argv, ":d:f:g:Hm:x:y:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ADJUST:
			so->adjust = lrk_opt_double("--adjust", optarg, 0,
			    HUGE_VAL, 1);
			break;
		case 'd':
			range_opt.table.delim = lrk_opt_delim("-d", optarg);
			break;
		case 'f':
			format = parse_format(optarg);
			break;
		case 'g':
			range_opt.columns.group = optarg;
			break;
		case 'H':
			range_opt.table.header = LRK_HEADER_NO;
			break;
		case OPT_LABEL:
			range_opt.label = optarg;
			break;
		case OPT_LR_DIFF:
			so->lr_diff = lrk_opt_long("--lr-diff", optarg, 1,
			    1000000000L);
			break;
		case 'm':
			parse_methods(optarg);
			method_given = strcmp(optarg, "default") != 0;
			break;
		case OPT_SKIP_END:
			so->skip_end = lrk_opt_long("--skip-end", optarg, 0,
			    1000000000000L);
			break;
		case OPT_SKIP_START:
			so->skip_start = lrk_opt_long("--skip-start", optarg,
			    0, 1000000000000L);
			break;
		case OPT_SUMMARY:
			summary = 1;
			break;
		case OPT_THRESH:
			so->thresh = lrk_opt_double("--thresh", optarg, 0,
			    HUGE_VAL, 0);
			break;
		case 'x':
			range_opt.columns.lr = optarg;
			break;
		case 'y':
			range_opt.columns.loss = optarg;
			break;
		case OPT_HELP:
			help();
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	return optind;
}

/* The library's messages, as this tool's warnings. */
static void
warn(void *arg, const char *message)
{
	(void)arg;
	lrk_warnx("%s", message);
}

/*
 * Answer for a table read (lrk_range_read) and print the answers.
 * Returns the exit status.
 */
static int
answer(struct lrk_range *r, const char *name)
{
	const struct lrk_answer *a;
	const char *title = lrk_range_group_title(r);
	size_t n, count;
	int status, one_answer;

	/*
	 * Without -m (and not --summary, which is about the runs' spread)
	 * the answer is one, the default for the table: minimum on one
	 * curve, over several runs their pooled answer, the same for every
	 * run: one number in plain form.
	 */
	one_answer = !method_given && !summary;
	resolve_default(one_answer ? lrk_range_groups(r) : 1);
	if (summary && !lrk_range_grouped(r)) {
		lrk_warnx("%s: --summary: the table has no run column: give -g",
		    name);
		return 1;
	}
	count = format == LRK_ANSWER_PLAIN && !summary ? 1 : nmethods;
	if ((status = lrk_range_answer(r, methods, count, &a, &n)) < 0 ||
	    (title != NULL && !one_answer && lrk_range_warn_spread(r) != 0))
		lrk_errx(1, "out of memory");
	if ((summary ? lrk_answers_summary(stdout, format, a, n) :
	    one_answer && format == LRK_ANSWER_PLAIN ?
	    lrk_answers_write(stdout, format, NULL, a, n > 0 ? 1 : 0) :
	    lrk_answers_write(stdout, format, title, a, n)) != 0)
		lrk_errx(1, "out of memory");
	return status;
}

int
main(int argc, char *argv[])
{
	struct lrk_range *r;
	const char *path, *name;
	char err[LRK_ERRSIZE];
	FILE *fp;
	int status = 1;

	lrk_cli_init(argc, argv);
	argc -= parse_options(argc, argv);
	argv += optind;
	if (argc > 1)
		lrk_usage_error("give at most one file");

	path = argc == 1 ? argv[0] : "-";
	name = strcmp(path, "-") == 0 ? "stdin" : path;
	if ((fp = lrk_open_input(path)) == NULL)
		return 1;
	r = lrk_range_read(fp, name, &range_opt, warn, NULL, err);
	lrk_close_input(fp);
	if (r == NULL)
		lrk_warnx("%s", err);
	else
		status = answer(r, name);
	if (lrk_close_stdout() != 0)
		status = 1;
	lrk_range_free(r);
	free(methods);
	return status;
}
