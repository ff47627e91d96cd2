/*
 * lr-confirm: from a range test's suggestion to a verified learning rate.
 *
 * The suggestion is the library's reading of the range test (as
 * lr-suggest answers); the confirmation is lib/confirm.c: the candidates,
 * the rounds lib/halving.c decides, each trained by the executor
 * (lib/pool.c) into DIR/round-R exactly as sweep-run -o writes a sweep.
 * What is left here is the options, the messages and the answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-q] [-c factors | -n count] [-g column] [-j jobs] [-k seeds]"
    " [--fraction F]\n"
    "       [-m method | --lr lr] [-o dir [--resume [--rerun-failed]]]"
    " [-y column]\n"
    "       [--higher] [--momentum] [--gpus list] [--timeout secs]"
    " [--grace secs]\n"
    "       [--progress]\n"
    "       -s schedule [range.csv] -- command [arg ...]\n";

static const char help_text[] =
    "Train candidate max lrs around the range test's suggestion with the\n"
    "command, by successive halving, and print the one that trained best.\n"
    "\n"
    "  -c, --factors F,...  candidates as multiples of the suggestion\n"
    "      --fraction F     round 1 trains on F of the schedule's steps\n"
    "  -g, --group COL      the range test's run column (default: run, if any)\n"
    "      --gpus LIST      one device a slot: CUDA_VISIBLE_DEVICES (-j: its"
    " length)\n"
    "      --grace SECS     SIGTERM to SIGKILL (default 5)\n"
    "      --higher         the metric is better when higher (accuracy)\n"
    "  -j, --jobs N         trainings at once (default 1)\n"
    "  -k, --seeds K        seeds of the last round (default 3)\n"
    "      --lr LR          the suggestion itself; no range test is read\n"
    "  -m, --method M       lr-suggest's method (default: lr-suggest's)\n"
    "      --momentum       the training must get the momentum column\n"
    "  -n, --count N        N candidates log-spaced from 1/2 to 2 times the\n"
    "                       suggestion (default 9: 2^(1/4) apart)\n"
    "  -o, --output DIR     the evidence: rounds and ranked.csv (default\n"
    "                       confirm)\n"
    "      --progress       the status line even when stderr is no terminal\n"
    "  -q, --quiet          no summary and no status line on stderr\n"
    "      --rerun-failed   with --resume: train failed runs again\n"
    "      --resume         go on with the runs already in DIR\n"
    "  -s, --schedule SPEC  the training's schedule in lrsched's words, with\n"
    "                       {max} for the candidate: 'onecycle max={max} n=500'\n"
    "      --timeout SECS   stop a training after SECS seconds (default: none)\n"
    "  -y, --metric COL     the metric (default: val_loss if the runs have\n"
    "                       it, else loss)\n"
    "      --help, --version\n";

enum {
	OPT_HELP = 256, OPT_VERSION, OPT_LR, OPT_RESUME, OPT_HIGHER,
	OPT_GPUS, OPT_GRACE, OPT_TIMEOUT, OPT_RERUN, OPT_FRACTION,
	OPT_MOMENTUM, OPT_PROGRESS
};

static const struct option longopts[] = {
	{ "count",	required_argument,	NULL,	'n' },
	{ "factors",	required_argument,	NULL,	'c' },
	{ "fraction",	required_argument,	NULL,	OPT_FRACTION },
	{ "gpus",	required_argument,	NULL,	OPT_GPUS },
	{ "grace",	required_argument,	NULL,	OPT_GRACE },
	{ "group",	required_argument,	NULL,	'g' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "higher",	no_argument,		NULL,	OPT_HIGHER },
	{ "jobs",	required_argument,	NULL,	'j' },
	{ "lr",		required_argument,	NULL,	OPT_LR },
	{ "method",	required_argument,	NULL,	'm' },
	{ "metric",	required_argument,	NULL,	'y' },
	{ "momentum",	no_argument,		NULL,	OPT_MOMENTUM },
	{ "output",	required_argument,	NULL,	'o' },
	{ "progress",	no_argument,		NULL,	OPT_PROGRESS },
	{ "quiet",	no_argument,		NULL,	'q' },
	{ "rerun-failed", no_argument,		NULL,	OPT_RERUN },
	{ "resume",	no_argument,		NULL,	OPT_RESUME },
	{ "schedule",	required_argument,	NULL,	's' },
	{ "seeds",	required_argument,	NULL,	'k' },
	{ "timeout",	required_argument,	NULL,	OPT_TIMEOUT },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ NULL,		0,			NULL,	0 }
};

/* Options: those of the confirmation (-k 3), and the tool's own. */
static struct lrk_confirm_options co = { .seeds = 3,
    .fraction = 1, .dir = "confirm", .suggestion = NAN,
    .pool.run = { "loss", 4, { LRK_EMA_BETA, 0, LRK_EMA_DEBIAS, LRK_EMA_SKIP,
    0 }, 5, 0 } };	/* sweep-run's divergence rule */
static const char *group_spec, *method, *file;
static char **gpus;
static int quiet, have_lr, progress;

static struct lrk_confirm *confirm;
static struct lrk_console *console;	/* the standard error's */

/* A message of the reading of the range test, as lr-suggest says it. */
static void
on_range_warn(void *arg, const char *message)
{
	(void)arg;
	lrk_warnx("%s", message);
}

/*
 * The suggestion: lr-suggest's default answer for the range test (or the
 * median of the runs' answers by -m), read as lr-suggest reads a table
 * (lrk_range_suggest): the smoothed column, else the raw loss smoothed
 * here, a curve per run when the table has a run column.
 */
static double
suggest(const char *path, size_t *rows, size_t *ngroups)
{
	const char *name = path != NULL ? path : "stdin";
	struct lrk_range_options ro = { 0 };
	struct lrk_range_answer a;
	char err[LRK_ERRSIZE];
	FILE *fp;

	if ((fp = lrk_open_input(path != NULL ? path : "-")) == NULL)
		exit(1);
	ro.columns.group = group_spec;
	ro.method = method;
	lrk_suggest_defaults(&ro.suggest);
	if (lrk_range_suggest(fp, name, &ro, &a, on_range_warn, NULL,
	    err) != 0)
		lrk_errx(1, "%s", err);
	lrk_close_input(fp);
	*rows = a.rows;
	*ngroups = a.groups;
	return a.lr;
}

/*
 * A line on standard error, in the order of those the executor queued,
 * above the status line: head (when not NULL), then text.
 */
static void
say(const char *head, const char *text, size_t len)
{
	if (lrk_console_say(console, head, text, len) != 0)
		lrk_errx(1, "out of memory");
}

/* A message about a training of a round. */
static void
on_warn(void *arg, size_t round, const char *max, size_t seed,
    const char *message)
{
	char head[128 + LRK_NUM_BUFSIZE];

	(void)arg;
	snprintf(head, sizeof(head), "%s: round %zu: max=%s seed=%zu: ",
	    lrk_progname, round, max, seed);
	say(head, message, strlen(message));
}

/* A log line of a training, tagged when several train at once. */
static void
on_log(void *arg, const char *max, size_t seed, int tagged, const char *line,
    size_t len)
{
	char tag[32 + LRK_NUM_BUFSIZE];

	(void)arg;
	snprintf(tag, sizeof(tag), "[max=%s seed=%zu] ", max, seed);
	say(tagged ? tag : NULL, line, len);
}

/*
 * A round begins, "round 2: 3 candidates, 0.01 to 0.04, on seeds 2 to 3
 * (confirm/round-2)", or ends, "round 2: 3 of 3 candidates clean; runs:
 * 6 done".
 */
static void
on_round(void *arg, size_t round, const char *text)
{
	char head[128];

	(void)arg;
	(void)round;
	if (quiet)
		return;
	snprintf(head, sizeof(head), "%s: ", lrk_progname);
	say(head, text, strlen(text));
}

/* The options, up to the "--" before the command; the factors. */
static double *
parse_options(int argc, char *argv[], size_t *nfactors)
{
	char shown[LRK_SHOWSIZE], err[LRK_ERRSIZE];
	double *factors = NULL;
	size_t count = 0;
	int ch, dashes;

	for (dashes = 1; dashes < argc; dashes++)
		if (strcmp(argv[dashes], "--") == 0)
			break;
	opterr = 0;	/* lrk_option_error names the option */
	while ((ch = getopt_long(dashes, argv, ":c:g:j:k:m:n:o:qs:y:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(factors);
			if ((factors = lrk_confirm_factors(optarg, 0, nfactors,
			    err)) == NULL)
				lrk_usage_error("%s: %s",
				    lrk_opt_given("-c", optarg), err);
			break;
		case 'g':
			group_spec = optarg;
			break;
		case 'j':
			co.pool.jobs = (size_t)lrk_opt_long("-j", optarg, 1,
			    1024);
			break;
		case 'k':
			co.seeds = (size_t)lrk_opt_long("-k", optarg, 1, 1000);
			break;
		case 'm':
			if (strchr(optarg, ',') != NULL ||
			    strcmp(optarg, "all") == 0)
				lrk_usage_error("%s: \"%s\": one method",
				    lrk_opt_given("-m", optarg),
				    lrk_show(shown, optarg, strlen(optarg)));
			/* range answers two lrs, a bound and a max. */
			if (strcmp(optarg, "range") == 0)
				lrk_usage_error("%s: \"range\": it answers a "
				    "range, not one lr to train around",
				    lrk_opt_given("-m", optarg));
			method = optarg;
			break;
		case 'n':
			count = (size_t)lrk_opt_long("-n", optarg, 1, 1000);
			break;
		case 'o':
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the folder name is empty",
				    lrk_opt_given("-o", optarg));
			co.dir = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 's':
			co.pool.schedule = optarg;
			break;
		case 'y':
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the column name is empty",
				    lrk_opt_given("-y", optarg));
			co.metric = optarg;
			break;
		case OPT_GPUS:
			free(gpus);
			if ((gpus = lrk_gpus_parse(optarg, &co.pool.ngpus,
			    err)) == NULL)
				lrk_usage_error("%s: %s",
				    lrk_opt_given("--gpus", optarg), err);
			co.pool.gpus = gpus;
			break;
		case OPT_FRACTION:
			co.fraction = lrk_opt_double("--fraction", optarg, 0, 1, 1);
			break;
		case OPT_GRACE:
			co.pool.run.grace = lrk_opt_double("--grace", optarg,
			    0, 1e6, 0);
			break;
		case OPT_HIGHER:
			co.higher = 1;
			break;
		case OPT_LR:
			co.suggestion = lrk_opt_double("--lr", optarg, 0,
			    INFINITY, 1);
			have_lr = 1;
			break;
		case OPT_MOMENTUM:
			co.pool.momentum = 1;
			break;
		case OPT_PROGRESS:
			progress = 1;
			break;
		case OPT_RERUN:
			co.rerun_failed = 1;
			break;
		case OPT_RESUME:
			co.resume = 1;
			break;
		case OPT_TIMEOUT:
			co.pool.run.timeout = lrk_opt_double("--timeout",
			    optarg, 0, 1e9, 1);
			break;
		case OPT_HELP:
			lrk_help(usage_line, help_text);
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	if (dashes == argc)
		lrk_usage_error("the training command goes after --");
	if (optind + 1 < dashes)
		lrk_usage_error("%s: one range test only (several runs go in "
		    "one table, with -g)", argv[optind + 1]);
	if (optind < dashes)
		file = argv[optind];
	co.pool.command = argv + dashes + 1;
	if (co.pool.command[0] == NULL)
		lrk_usage_error("no training command after --");
	if (factors != NULL && count != 0)
		lrk_usage_error("-c and -n: give one of them");
	if (co.rerun_failed && !co.resume)
		lrk_usage_error("--rerun-failed: give it with --resume");
	if (have_lr && (file != NULL || method != NULL || group_spec != NULL))
		lrk_usage_error("--lr: no range test is read: drop %s",
		    file != NULL ? file : method != NULL ? "-m" : "-g");
	if (co.pool.jobs == 0)
		co.pool.jobs = co.pool.ngpus > 0 ? co.pool.ngpus : 1;
	if (factors == NULL)
		factors = lrk_xcheck(lrk_confirm_factors(NULL, count, nfactors,
		    err));
	return factors;
}

/* The answer, said and printed; or why there is none. */
static int
finish(size_t train_steps, double range_trainings)
{
	struct lrk_confirm_result res;
	const char *text, *metric = lrk_confirm_metric(confirm);
	char err[LRK_ERRSIZE];
	double trained, factor;
	long i;

	if (lrk_confirm_write_ranked(confirm, err) != 0)
		lrk_errx(1, "%s", err);
	if (lrk_confirm_result(confirm, &res) != 0)
		lrk_errx(1, "out of memory");
	trained = (double)res.steps / (double)train_steps;
	if ((i = res.answer) < 0) {
		if (!quiet)
			lrk_warnx("spent %zu runs, %zu steps: %.3g trainings",
			    res.runs, res.steps, trained);
		if (res.no_metric == res.runs)
			lrk_errx(1, "every run ended without a finite %s: "
			    "check -y and what the training prints "
			    "(%s/ranked.csv)", metric != NULL ? metric :
			    "metric", co.dir);
		lrk_errx(1, "no candidate trained cleanly on %s: every one "
		    "failed, diverged or timed out (%s/ranked.csv says how)",
		    co.seeds == 1 ? "its seed" : "every seed", co.dir);
	}
	text = lrk_confirm_text(confirm, (size_t)i, &factor);
	if (!quiet)
		lrk_warnx("%s, %.4g x the suggestion: median %s %g over %zu "
		    "seeds (%s/ranked.csv)", text, factor, metric, res.median,
		    res.seeds, co.dir);
	if (!quiet && have_lr)
		lrk_warnx("spent %zu runs, %zu steps: %.3g trainings",
		    res.runs, res.steps, trained);
	else if (!quiet)
		lrk_warnx("spent %zu runs, %zu steps: %.3g trainings, %.3g "
		    "with the range test", res.runs, res.steps, trained,
		    trained + range_trainings);
	/* The best at an end of the range: better may lie beyond it. */
	if (lrk_confirm_count(confirm) > 1 && (i == 0 ||
	    (size_t)i == lrk_confirm_count(confirm) - 1))
		lrk_warnx("%s is the %s candidate: a %s lr may train better "
		    "still (try -c with factors beyond %.4g)", text, i == 0 ?
		    "smallest" : "largest", i == 0 ? "smaller" : "larger",
		    factor);
	printf("%s\n", text);
	lrk_confirm_free(confirm);
	return lrk_close_stdout();
}

int
main(int argc, char *argv[])
{
	struct lrk_console_options cons = { 2, 0, 0, -1, NULL, 0 };
	static const struct lrk_confirm_events ev = { on_round, on_round,
	    on_warn, on_log };
	double range_trainings;
	size_t range_rows = 0, ngroups = 0, train_steps;
	char err[LRK_ERRSIZE];
	int sig, usage, seeded, r;

	lrk_cli_init(argc, argv);
	co.factors = parse_options(argc, argv, &co.n);
	if (co.pool.schedule == NULL)
		lrk_usage_error("-s: the training's schedule is needed, as "
		    "-s 'onecycle max={max} n=STEPS'");
	if ((train_steps = lrk_confirm_steps(co.pool.schedule,
	    co.pool.command, co.pool.momentum, &seeded, err)) == 0)
		lrk_usage_error("%s", err);
	signal(SIGPIPE, SIG_IGN);
	if (!have_lr)
		co.suggestion = suggest(file, &range_rows, &ngroups);
	/* The status line: the answer goes to stdout once it is cleared. */
	cons.quiet = quiet;
	cons.force = progress;
	cons.name = lrk_progname;
	cons.jobs = co.pool.jobs;
	co.pool.console = console = lrk_xcheck(lrk_console_new(&cons));
	/* Before the confirmation takes its copy of co. */
	co.pool.sigfd = lrk_signals_catch_runs(lrk_console_on(console));
	if (co.pool.sigfd < 0)
		lrk_errx(1, "signals: %s", strerror(errno));
	if ((confirm = lrk_confirm_new(&co, &ev, NULL, &usage, err)) == NULL &&
	    usage)
		lrk_usage_error("%s", err);
	if (confirm == NULL)
		lrk_errx(1, "%s", err);
	range_trainings = (double)range_rows / (double)train_steps;
	if (!seeded && !quiet)
		lrk_warnx("neither -s nor the command takes {seed}, $seed or "
		    "${seed}: each seed trains alike, unless the training "
		    "reads seed from its environment");
	if (!quiet && have_lr)
		lrk_warnx("candidates around %g (--lr)", co.suggestion);
	else if (!quiet)
		lrk_warnx("suggestion %g (%s%s%s); the range test: %zu steps, "
		    "%.3g trainings of %zu", co.suggestion, method ? "-m " :
		    "lr-suggest's default", method ? method : "", ngroups > 1 ?
		    (method ? ", the median over its runs" : ", pooled over "
		    "its runs") : "", range_rows, range_trainings, train_steps);
	if (lrk_confirm_claim(confirm, err) != 0)
		lrk_errx(1, "%s", err);
	r = lrk_confirm_run(confirm, &sig, &usage, err);
	/* The line off the screen, before the last words, said directly. */
	(void)lrk_console_end(console, co.pool.run.grace);
	lrk_console_free(console);
	lrk_job_signals_default();	/* no run left */
	if (r < 0)
		lrk_errx(usage ? 2 : 1, "%s", err);
	if (sig > 0) {
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	return finish(train_steps, range_trainings);
}
