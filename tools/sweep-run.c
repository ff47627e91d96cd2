/*
 * sweep-run: run a training command under the child protocol, over a grid
 * of parameters.
 *
 * Each run's child reads the schedule on its stdin and prints one loss per
 * line on its stdout; sweep-run pairs the k-th loss with the k-th schedule
 * row, writes tidy rows, and stops the run when the smoothed loss
 * diverges.  All the children's pipes and the signals sweep-run handles go
 * through one poll() loop, so that no child can block another, or
 * sweep-run, whatever order it reads and writes in.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lrkit.h"

extern char **environ;

static const char usage_line[] =
    "[-qu] [-s spec | -S file] [-p name=v1,v2,... | -p name=@file] ...\n"
    "       [-j jobs] [--gpus list] [-o dir [--resume]] [--bare]"
    " [-y column]\n"
    "       [--stop-div K] [--beta B] [--timeout secs] [--grace secs]\n"
    "       [--index K] [--progress]\n"
    "       -- command [arg ...]\n"
    "       sweep-run --list | --count [-p name=...] ...\n";

static const char help_text[] =
    "Run a training command under the child protocol (it reads the\n"
    "schedule on stdin, prints one loss per line) over a parameter grid;\n"
    "write run,<params>,step,lr,loss[,<its columns>] rows.\n"
    "\n"
    "  -s, --schedule SPEC  lrsched words, {N} replaced as in the command\n"
    "                       (default: range start=1e-7 end=10 n=100)\n"
    "  -S, --schedule-file F  a step,lr table (lrsched output; - for stdin)\n"
    "  -p, --param N=V,...  a grid parameter (or N=@FILE, one value a line);"
    "\n"
    "                       {N} in the command and $N in its environment\n"
    "  -j, --jobs N         runs at once, each in a slot: {slot},"
    " LRKIT_SLOT\n"
    "                       (default 1, or the --gpus list's length)\n"
    "      --gpus LIST      a device a slot: CUDA_VISIBLE_DEVICES, such"
    " as 0,1,2,3\n"
    "  -o, --output DIR     one file per run, DIR/run-K.csv, and"
    " DIR/joblog.tsv\n"
    "      --resume         with -o: skip the runs whose file exists\n"
    "      --bare           give the child one lr per line, no header\n"
    "      --momentum       the child must get the momentum column (1cycle)\n"
    "  -y, --loss COL       the loss column of a child printing CSV"
    " (default loss)\n"
    "      --stop-div K     stop a run once smoothed loss > K x best"
    " (default 4;\n"
    "                       0: never)\n"
    "      --beta B         smoothing for --stop-div (default 0.98)\n"
    "      --timeout SECS   stop a run after SECS seconds (default: none)\n"
    "      --grace SECS     SIGTERM to SIGKILL (default 5)\n"
    "      --index K        run only run K of the grid\n"
    "      --list           print the grid as run,<params> and exit\n"
    "      --count          print the number of runs and exit\n"
    "      --progress       the status line even when stderr is no terminal\n"
    "  -q, --quiet          no status line\n"
    "  -u, --unbuffered     write each row at once\n"
    "      --help, --version\n";

enum {
	OPT_MOMENTUM = 256, OPT_RESUME, OPT_BARE, OPT_STOP_DIV, OPT_BETA,
	OPT_TIMEOUT, OPT_GRACE, OPT_INDEX, OPT_LIST, OPT_COUNT, OPT_HELP,
	OPT_VERSION, OPT_GPUS, OPT_PROGRESS
};

static const struct option longopts[] = {
	{ "bare",		no_argument,		NULL,	OPT_BARE },
	{ "beta",		required_argument,	NULL,	OPT_BETA },
	{ "count",		no_argument,		NULL,	OPT_COUNT },
	{ "gpus",		required_argument,	NULL,	OPT_GPUS },
	{ "grace",		required_argument,	NULL,	OPT_GRACE },
	{ "help",		no_argument,		NULL,	OPT_HELP },
	{ "index",		required_argument,	NULL,	OPT_INDEX },
	{ "jobs",		required_argument,	NULL,	'j' },
	{ "list",		no_argument,		NULL,	OPT_LIST },
	{ "loss",		required_argument,	NULL,	'y' },
	{ "momentum",		no_argument,		NULL,	OPT_MOMENTUM },
	{ "output",		required_argument,	NULL,	'o' },
	{ "param",		required_argument,	NULL,	'p' },
	{ "progress",		no_argument,		NULL,	OPT_PROGRESS },
	{ "quiet",		no_argument,		NULL,	'q' },
	{ "resume",		no_argument,		NULL,	OPT_RESUME },
	{ "schedule",		required_argument,	NULL,	's' },
	{ "schedule-file",	required_argument,	NULL,	'S' },
	{ "stop-div",		required_argument,	NULL,	OPT_STOP_DIV },
	{ "timeout",		required_argument,	NULL,	OPT_TIMEOUT },
	{ "unbuffered",		no_argument,		NULL,	'u' },
	{ "version",		no_argument,		NULL,	OPT_VERSION },
	{ NULL,			0,			NULL,	0 }
};

#define DEFAULT_SCHEDULE	"range start=1e-7 end=10 n=100"

/* Options. */
static const char *sched_spec, *sched_file, *out_dir;
static struct lrk_grid *grid;
static long jobs, only_index = -1;
static char **gpus;		/* --gpus: slot K's device is gpus[K - 1] */
static size_t ngpus;
static int resume, bare, unbuffered, momentum, quiet, progress;
static struct lrk_pool *pool;
static struct lrk_run_options run_opt = { "loss", 4, { LRK_EMA_BETA, 0,
    LRK_EMA_DEBIAS, LRK_EMA_SKIP, 0 }, 5, 0 };	/* --stop-div, --beta */

/*
 * Standard output and standard error go through the executor's queues,
 * written when the descriptor takes them: a reader that does not read
 * never blocks sweep-run, so signals, --timeout and the grace period take
 * effect whatever it is.  Standard error's is the console's, which keeps
 * the status line under the messages.
 */
static struct lrk_console *console;
static int exit_status;

/* A message about run K, in one write so runs never mix within a line. */
static void
on_warn(void *arg, size_t run, const char *message)
{
	char head[256];

	(void)arg;
	snprintf(head, sizeof(head), "%s: run %zu: ", lrk_progname, run);
	if (lrk_console_say(console, head, message, strlen(message)) != 0)
		lrk_errx(1, "out of memory");
}

/* A log line of a child (its stderr, or a stdout line that is no loss). */
static void
on_log(void *arg, size_t run, const char *line, size_t len)
{
	char tag[64];

	(void)arg;
	snprintf(tag, sizeof(tag), "[run %zu] ", run);
	if (lrk_console_say(console, lrk_pool_tagged(pool) ? tag : NULL, line,
	    len) != 0)
		lrk_errx(1, "out of memory");
}

static void
on_ended(void *arg, const struct lrk_pool_end *e)
{
	(void)arg;
	if (e->status == LRK_RUN_FAILED || e->status == LRK_RUN_TIMEOUT)
		exit_status = 1;
}

/* The options; returns 1 for --list, 2 for --count, else 0. */
static int
parse_options(int argc, char *argv[])
{
	char err[LRK_ERRSIZE], shown[LRK_SHOWSIZE];
	int ch, list = 0, count = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:j:o:p:qs:S:uy:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j':
			jobs = lrk_opt_long("-j", optarg, 1, 1024);
			break;
		case 'o':
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the folder name is empty",
				    lrk_opt_given("-o", optarg));
			out_dir = optarg;
			break;
		case 'p':
			if (lrk_grid_add(grid, optarg, err) != 0)
				lrk_usage_error("%s: %s",
				    lrk_opt_given("-p", optarg), err);
			break;
		case 'q':
			quiet = 1;
			break;
		case 's':
			if (sched_file != NULL)
				lrk_usage_error("give -s or -S, not both");
			sched_spec = optarg;
			break;
		case 'S':
			if (sched_spec != NULL)
				lrk_usage_error("give -s or -S, not both");
			sched_file = optarg;
			break;
		case 'u':
			unbuffered = 1;
			break;
		case 'y':
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the column name is empty",
				    lrk_opt_given("-y", optarg));
			run_opt.loss_name = optarg;
			break;
		case OPT_BARE:
			bare = 1;
			break;
		case OPT_BETA:
			run_opt.ema.beta = lrk_opt_double("--beta", optarg, 0,
			    1, 0);
			if (run_opt.ema.beta >= 1)
				lrk_usage_error("%s: %s: must be less "
				    "than 1",
				    lrk_opt_given("--beta", optarg),
				    lrk_show(shown, optarg,
				    strlen(optarg)));
			break;
		case OPT_COUNT:
			count = 1;
			break;
		case OPT_GPUS:
			free(gpus);
			if ((gpus = lrk_gpus_parse(optarg, &ngpus, err)) ==
			    NULL)
				lrk_usage_error("%s: %s",
				    lrk_opt_given("--gpus", optarg), err);
			break;
		case OPT_GRACE:
			run_opt.grace = lrk_opt_double("--grace", optarg, 0, 1e6,
			    0);
			break;
		case OPT_INDEX:
			only_index = lrk_opt_long("--index", optarg, 0,
			    LONG_MAX);
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_MOMENTUM:
			momentum = 1;
			break;
		case OPT_PROGRESS:
			progress = 1;
			break;
		case OPT_RESUME:
			resume = 1;
			break;
		case OPT_STOP_DIV:
			run_opt.stop_div = lrk_opt_double("--stop-div", optarg,
			    0, HUGE_VAL, 0);
			if (run_opt.stop_div > 0 && run_opt.stop_div <= 1)
				lrk_usage_error("%s: %s: must be 0 "
				    "(never) or more than 1",
				    lrk_opt_given("--stop-div", optarg),
				    lrk_show(shown,
				    optarg, strlen(optarg)));
			break;
		case OPT_TIMEOUT:
			run_opt.timeout = lrk_opt_double("--timeout", optarg, 0,
			    1e9, 1);
			break;
		case OPT_HELP:
			lrk_help(usage_line, help_text);
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	if (list && count)
		lrk_usage_error("give --list or --count, not both");
	return list ? 1 : count ? 2 : 0;
}

int
main(int argc, char *argv[])
{
	struct lrk_pool_options po = { 0 };
	struct lrk_pool_events ev = { 0 };
	struct lrk_console_options cons = { 2, 0, 0, -1, NULL, 0 };
	struct lrk_table_options topt = { 0 };
	FILE *sched_fp = NULL;
	char err[LRK_ERRSIZE];
	int mode, usage, sig, r;
	size_t nruns;
	struct stat st;

	lrk_cli_init(argc, argv);
	if ((grid = lrk_grid_new()) == NULL)
		lrk_errx(1, "out of memory");
	mode = parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	nruns = lrk_grid_runs(grid);
	if (only_index >= 0 && (size_t)only_index >= nruns)
		lrk_usage_error("%s: %ld: the grid has %zu run%s (0 to "
		    "%zu)",
		    lrk_opt_given("--index", optarg),
		    only_index, nruns, nruns == 1 ? "" : "s",
		    nruns - 1);
	if (mode == 2) {
		printf("%zu\n", nruns);
		return lrk_close_stdout();
	}
	if (mode == 1) {
		if (lrk_grid_list(stdout, grid, only_index >= 0 ?
		    (size_t)only_index : 0, only_index >= 0 ?
		    (size_t)only_index + 1 : nruns) != 0)
			lrk_errx(1, "out of memory");
		return lrk_close_stdout();
	}
	if (argc == 0)
		lrk_usage_error("no command to run (give it after --)");
	if (resume && out_dir == NULL)
		lrk_usage_error("--resume needs -o");
	if (momentum && bare)
		lrk_usage_error("%s: --bare gives the child the lr "
		    "alone", lrk_opt_given("--momentum", optarg));
	if (jobs == 0)
		jobs = ngpus > 0 ? (long)ngpus : 1;
	/* The status line: off when the rows scroll on its terminal. */
	cons.quiet = quiet;
	cons.force = progress;
	cons.rows_fd = out_dir == NULL ? 1 : -1;
	cons.name = lrk_progname;
	cons.jobs = (size_t)jobs;
	console = lrk_xcheck(lrk_console_new(&cons));
	if (sched_file != NULL) {
		/* -S: the step,lr table every run reads. */
		po.table_name = strcmp(sched_file, "-") == 0 ? "stdin" :
		    sched_file;
		if ((sched_fp = lrk_open_input(sched_file)) == NULL ||
		    (po.table = lrk_open_table(sched_fp, po.table_name,
		    &topt)) == NULL)
			exit(1);
	} else
		po.schedule = sched_spec ? sched_spec : DEFAULT_SCHEDULE;
	po.grid = grid;
	po.command = argv;
	po.bare = bare;
	po.momentum = momentum;
	po.out_dir = out_dir;
	po.first = only_index >= 0 ? (size_t)only_index : 0;
	po.end = only_index >= 0 ? po.first + 1 : nruns;
	po.jobs = (size_t)jobs;
	po.gpus = gpus;
	po.ngpus = ngpus;
	po.alone = only_index >= 0;
	po.run = run_opt;
	po.unbuffered = unbuffered;
	po.rows_fd = 1;
	po.console = console;
	po.resume = resume;
	ev.log = on_log;
	ev.warn = on_warn;
	ev.ended = on_ended;
	po.tag_lines = -1;	/* when several run at once */
	/* From here on a signal is only noted (the pool acts on it), so
	 * that one arriving while the joblog is made leaves no temporary
	 * file. */
	signal(SIGPIPE, SIG_IGN);
	if ((po.sigfd = lrk_signals_catch_runs(lrk_console_on(console))) < 0)
		lrk_errx(1, "signals: %s", strerror(errno));
	if ((pool = lrk_pool_new(&po, &ev, NULL, &usage, err)) == NULL) {
		if (usage)
			lrk_usage_error("%s", err);
		lrk_errx(1, "%s", err);
	}
	lrk_table_free(po.table);	/* read */
	if (sched_fp != NULL)
		lrk_close_input(sched_fp);
	if (out_dir != NULL) {
		if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
			lrk_errx(1, "%s: %s", out_dir, strerror(errno));
		if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
			lrk_errx(1, "%s: not a folder", out_dir);
	}
	r = lrk_pool_run(pool, err);
	/* The line off the screen, before the last words, said directly. */
	(void)lrk_console_end(console, run_opt.grace);
	if (r != 0) {
		lrk_warnx("%s", err);
		exit_status = 1;
	}
	lrk_job_signals_default();	/* no run left */
	if (lrk_pool_rows_failed(pool, err)) {
		lrk_warnx("%s", err);
		exit_status = 1;
	}
	sig = lrk_pool_signal(pool);
	lrk_pool_free(pool);
	free(gpus);
	lrk_console_free(console);
	if (sig != 0) {
		signal(sig, SIG_DFL);
		return 128 + sig;
	}
	return exit_status;
}
