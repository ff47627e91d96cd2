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

static struct lrk_table_options table_opt;
static int forced_format, eval, wide;

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

/* Options that only make sense for one format, checked once it is known. */
static void
check_format_options(int format, const char *name)
{
	if (eval && format != LRK_FORMAT_HF)
		lrk_usage_error("--eval: %s is %s, not a trainer_state.json",
		    name, lrk_import_format_name(format));
	if (wide && format != LRK_FORMAT_TFEVENTS)
		lrk_usage_error("--wide: %s is %s, not a TensorBoard event "
		    "file", name, lrk_import_format_name(format));
	if ((table_opt.delim || table_opt.header) &&
	    format != LRK_FORMAT_CSV)
		lrk_usage_error("-d and -H: %s is %s, not CSV", name,
		    lrk_import_format_name(format));
}

/* Import one input.  Returns 0, or 1 after reporting an error. */
static int
import_one(FILE *fp, const char *name, struct lrk_dense *d)
{
	char err[LRK_ERRSIZE];
	const char *metric;
	FILE *in;
	int format, r;

	format = forced_format;
	in = fp;
	if (format != LRK_FORMAT_CSV) {
		if ((in = lrk_import_seekable(fp, name, err)) == NULL) {
			lrk_warnx("%s", err);
			return 1;
		}
	}
	if (format == LRK_FORMAT_AUTO &&
	    (format = lrk_import_detect(in, name, err)) < 0) {
		lrk_warnx("%s", err);
		r = -1;
		goto out;
	}
	check_format_options(format, name);
	switch (format) {
	case LRK_FORMAT_HF:
		r = lrk_import_hf(in, name, eval, d, err);
		break;
	case LRK_FORMAT_JSONL:
		r = lrk_import_jsonl(in, name, d, err);
		break;
	case LRK_FORMAT_MLFLOW:
		metric = strrchr(name, '/');
		metric = strcmp(name, "stdin") == 0 ? "value" :
		    metric != NULL ? metric + 1 : name;
		r = lrk_import_mlflow(&in, &name, &metric, 1, d, err);
		break;
	case LRK_FORMAT_TFEVENTS:
		r = lrk_tfevents_import(in, name, wide, d, err);
		break;
	default:
		r = lrk_import_csv(in, name, &table_opt, d, err);
		break;
	}
	if (r != 0)
		lrk_warnx("%s", err);
out:
	if (in != fp)
		fclose(in);
	return r != 0;
}

/* --mlflow: every operand's metric files, joined on step. */
static int
import_mlflow_runs(char **paths, int n, struct lrk_dense *d)
{
	struct lrk_mlflow_list list = { 0 };
	char err[LRK_ERRSIZE];
	FILE **fps;
	size_t i;
	int status = 0, r;

	for (i = 0; i < (size_t)n; i++)
		if (lrk_mlflow_list_add(&list, paths[i], err) != 0) {
			lrk_warnx("%s", err);
			lrk_mlflow_list_free(&list);
			return 1;
		}
	fps = lrk_xcalloc(list.n + 1, sizeof(*fps));
	for (i = 0; i < list.n; i++)
		if ((fps[i] = lrk_open_input(list.paths[i])) == NULL)
			status = 1;
	if (status == 0) {
		r = lrk_import_mlflow(fps, (const char *const *)list.paths,
		    (const char *const *)list.metrics, list.n, d, err);
		if (r != 0) {
			lrk_warnx("%s", err);
			status = 1;
		}
	}
	for (i = 0; i < list.n; i++)
		lrk_close_input(fps[i]);
	free(fps);
	lrk_mlflow_list_free(&list);
	return status;
}

int
main(int argc, char *argv[])
{
	struct lrk_dense_options opt = { 0 };
	struct list ffill = { 0 }, rename = { 0 };
	struct lrk_writer *w;
	struct lrk_inputs in;
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
			table_opt.delim = lrk_opt_delim("-d", optarg);
			break;
		case 'f':
			if ((forced_format = lrk_import_format(optarg)) < 0)
				lrk_usage_error("%s: \"%s\": must be csv, hf, "
				    "jsonl, mlflow or tfevents",
				    lrk_opt_given("-f", optarg),
				    lrk_show(shown, optarg, strlen(optarg)));
			break;
		case 'H':
			table_opt.header = LRK_HEADER_NO;
			break;
		case OPT_EVAL:
			eval = 1;
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
			wide = 1;
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
		if (forced_format != LRK_FORMAT_AUTO &&
		    forced_format != LRK_FORMAT_MLFLOW)
			lrk_usage_error("--mlflow goes with -f mlflow only");
		if (argc == 0)
			lrk_usage_error("--mlflow: name the metric files or "
			    "run folders");
		forced_format = LRK_FORMAT_MLFLOW;
	}
	if (eval && forced_format != LRK_FORMAT_AUTO &&
	    forced_format != LRK_FORMAT_HF)
		lrk_usage_error("--eval goes with -f hf only");
	if (wide && forced_format != LRK_FORMAT_AUTO &&
	    forced_format != LRK_FORMAT_TFEVENTS)
		lrk_usage_error("--wide goes with -f tfevents only");
	/* --wide is a join on step, unless another join was asked for. */
	if (wide && opt.merge == NULL)
		opt.merge = "step";
	opt.ffill = ffill.items;
	opt.nffill = ffill.n;
	opt.rename = rename.items;
	opt.nrename = rename.n;

	w = lrk_xcheck(lrk_writer_new(stdout, ',', "\n"));
	d = lrk_xcheck(lrk_dense_new(&opt, w));
	if (mlflow)
		status = import_mlflow_runs(argv, argc, d);
	else {
		lrk_inputs_init(&in, argc, argv);
		in.folder_hint = "--mlflow reads MLflow run folders";
		while (lrk_inputs_next(&in))
			if (import_one(in.fp, in.name, d) != 0)
				in.status = 1;
		status = lrk_inputs_end(&in);
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
