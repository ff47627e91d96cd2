/*
 * lr-import: training logs of other frameworks into the stream.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-H] [-d delim] [-f format] [--eval] [--ffill column]\n"
    "       [--merge column] [--mlflow] [--rename old=new]"
    " [--select columns]\n"
    "       [--split-restarts column] [--wide] [file ...]\n";

static const char help_text[] =
    "Write a log of another framework as the stream: CSV with a header.\n"
    "\n"
    "  -d, --delimiter C       CSV input: field delimiter\n"
    "      --eval              trainer_state.json: the evaluation entries\n"
    "  -f, --format F          csv, hf, jsonl, mlflow or tfevents\n"
    "                          (default: told from the content)\n"
    "      --ffill COL         carry COL's last value into rows without one\n"
    "  -H, --no-header         CSV input: no header line\n"
    "      --merge COL         join rows that share COL's value\n"
    "      --mlflow            join the MLflow metric files and folders\n"
    "                          given on step\n"
    "      --rename OLD=NEW    rename a column\n"
    "      --select A,B,...    write only these columns, in this order\n"
    "      --split-restarts COL\n"
    "                          add run, +1 whenever COL goes back\n"
    "      --wide              event files: one column per tag\n"
    "      --help, --version\n";

enum {
	OPT_EVAL = 256, OPT_FFILL, OPT_HELP, OPT_MERGE, OPT_MLFLOW,
	OPT_RENAME, OPT_SELECT, OPT_SPLIT, OPT_VERSION, OPT_WIDE
};

static const struct option longopts[] = {
	{ "delimiter",		required_argument,	NULL,	'd' },
	{ "eval",		no_argument,		NULL,	OPT_EVAL },
	{ "ffill",		required_argument,	NULL,	OPT_FFILL },
	{ "format",		required_argument,	NULL,	'f' },
	{ "help",		no_argument,		NULL,	OPT_HELP },
	{ "merge",		required_argument,	NULL,	OPT_MERGE },
	{ "mlflow",		no_argument,		NULL,	OPT_MLFLOW },
	{ "no-header",		no_argument,		NULL,	'H' },
	{ "rename",		required_argument,	NULL,	OPT_RENAME },
	{ "select",		required_argument,	NULL,	OPT_SELECT },
	{ "split-restarts",	required_argument,	NULL,	OPT_SPLIT },
	{ "version",		no_argument,		NULL,	OPT_VERSION },
	{ "wide",		no_argument,		NULL,	OPT_WIDE },
	{ NULL,			0,			NULL,	0 }
};

static struct lrk_import_options import_opt;	/* -f, --eval, --wide, -d, -H */

/* Options given many times (--ffill, --rename) collected in order. */
struct list {
	const char	**items;
	size_t		  n;
};

static void
list_add(struct list *l, const char *s)
{
	l->items = lrk_xreallocarray(l->items, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = s;
}

/* Where the rows of every input go (lrk_inputs_each's reader). */
static struct lrk_dense *dense;

/*
 * Import one input.  Returns 0, or 1 after reporting an error; an option
 * its format does not take is a usage error.
 */
static int
import_one(FILE *fp, const char *name)
{
	char err[LRK_ERRSIZE];
	int r;

	if ((r = lrk_import(fp, name, &import_opt, dense, err)) == -2)
		lrk_usage_error("%s", err);
	if (r != 0)
		lrk_warnx("%s", err);
	return r != 0;
}

int
main(int argc, char *argv[])
{
	struct lrk_dense_options opt = { 0 };
	struct list ffill = { 0 }, rename = { 0 };
	struct lrk_writer *w;
	struct lrk_dense *d;
	char err[LRK_ERRSIZE];
	char shown[LRK_SHOWSIZE];
	int ch, status = 0, mlflow = 0;

	lrk_cli_init(argc, argv);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:f:H", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			import_opt.table.delim = lrk_opt_delim("-d", optarg);
			break;
		case 'f':
			if ((import_opt.format = lrk_import_format(optarg)) < 0)
				lrk_usage_error("%s: \"%s\": must be csv, hf, "
				    "jsonl, mlflow or tfevents",
				    lrk_opt_given("-f", optarg),
				    lrk_show(shown, optarg, strlen(optarg)));
			break;
		case 'H':
			import_opt.table.header = LRK_HEADER_NO;
			break;
		case OPT_EVAL:
			import_opt.eval = 1;
			break;
		case OPT_FFILL:
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the column name is "
				    "empty", lrk_opt_given("--ffill", optarg));
			list_add(&ffill, optarg);
			break;
		case OPT_MERGE:
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the column name is "
				    "empty", lrk_opt_given("--merge", optarg));
			opt.merge = optarg;
			break;
		case OPT_MLFLOW:
			mlflow = 1;
			break;
		case OPT_RENAME:
			if (strchr(optarg, '=') == NULL ||
			    optarg[0] == '=' ||
			    strchr(optarg, '=')[1] == '\0')
				lrk_usage_error("%s: \"%s\": give "
				    "old=new",
				    lrk_opt_given("--rename", optarg),
				    lrk_show(shown, optarg, strlen(optarg)));
			list_add(&rename, optarg);
			break;
		case OPT_SELECT:
			if (optarg[0] == '\0' || strstr(optarg, ",,") ||
			    optarg[0] == ',' ||
			    optarg[strlen(optarg) - 1] == ',')
				lrk_usage_error("%s: \"%s\": give "
				    "column names separated by commas",
				    lrk_opt_given("--select", optarg),
				    lrk_show(shown, optarg, strlen(optarg)));
			opt.select = optarg;
			break;
		case OPT_SPLIT:
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the column "
				    "name is empty",
				    lrk_opt_given("--split-restarts", optarg));
			opt.split = optarg;
			break;
		case OPT_WIDE:
			import_opt.wide = 1;
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
	if (mlflow) {
		if (import_opt.format != LRK_FORMAT_AUTO &&
		    import_opt.format != LRK_FORMAT_MLFLOW)
			lrk_usage_error("--mlflow goes with -f mlflow only");
		if (argc == 0)
			lrk_usage_error("--mlflow: name the metric files or "
			    "run folders");
		import_opt.format = LRK_FORMAT_MLFLOW;
	}
	if (import_opt.eval && import_opt.format != LRK_FORMAT_AUTO &&
	    import_opt.format != LRK_FORMAT_HF)
		lrk_usage_error("--eval goes with -f hf only");
	if (import_opt.wide && import_opt.format != LRK_FORMAT_AUTO &&
	    import_opt.format != LRK_FORMAT_TFEVENTS)
		lrk_usage_error("--wide goes with -f tfevents only");
	/* --wide is a join on step, unless another join was asked for. */
	if (import_opt.wide && opt.merge == NULL)
		opt.merge = "step";
	opt.ffill = ffill.items;
	opt.nffill = ffill.n;
	opt.rename = rename.items;
	opt.nrename = rename.n;

	w = lrk_xcheck(lrk_writer_new(stdout, ',', "\n"));
	d = lrk_xcheck(lrk_dense_new(&opt, w));
	if (mlflow) {
		if (lrk_import_mlflow_runs(argv, (size_t)argc, d, err) != 0) {
			lrk_warnx("%s", err);
			status = 1;
		}
	} else {
		dense = d;
		status = lrk_inputs_each(argc, argv, "--mlflow reads MLflow "
		    "run folders", import_one);
	}
	if (lrk_dense_finish(d, err) != 0) {
		lrk_warnx("%s", err);
		status = 1;
	}
	lrk_dense_free(d);
	lrk_writer_free(w);
	free(ffill.items);
	free(rename.items);
	if (lrk_close_stdout() != 0)
		status = 1;
	return status;
}
