/*
 * lrsched: print a learning-rate schedule, one row per optimizer step.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-m] [--bare] [--epochs E --steps-per-epoch S]\n"
    "       policy key=value ... [then policy key=value ...]\n";

static const char help_text[] =
    "Print the learning rate of every optimizer step: step,lr (CSV).\n"
    "\n"
    "  -m, --momentum          add the momentum column (onecycle, cyclic,\n"
    "                          fastai-onecycle)\n"
    "      --bare              one lr per line, no header, no step\n"
    "      --epochs E          with --steps-per-epoch: E*S steps in all,\n"
    "      --steps-per-epoch S for the schedule given without n=\n"
    "      --help, --version\n"
    "\n"
    "Policies and keys (defaults in brackets):\n"
    "  range start= end= n= [spacing=exp|linear]\n"
    "        [convention=endpoint|fastai|lightning]\n"
    "  onecycle max= n= [pct=0.3] [anneal=cos|linear] [div=25]\n"
    "        [final-div=1e4] [three-phase=0] [base-mom=0.85] [max-mom=0.95]\n"
    "  fastai-onecycle max= n= [pct=0.25] [div=25] [final-div=1e5]\n"
    "        [base-mom=0.85] [max-mom=0.95]\n"
    "  cyclic base= max= up= [down=up] [mode=triangular|triangular2|"
    "exp_range]\n"
    "        [gamma=1] [base-mom=0.8] [max-mom=0.9] n=\n"
    "  cosine base= T= [min=0] n=\n"
    "  cosine-restarts base= T0= [Tmult=1] [min=0] n=\n"
    "  step base= size= [gamma=0.1] n=\n"
    "  multistep base= milestones=a,b,... [gamma=0.1] n=\n"
    "  exp base= gamma= n=\n"
    "  linear base= [start-factor=1/3] [end-factor=1] [T=5] n=\n"
    "  constant base= [factor=1/3] [T=5] n=\n"
    "  poly base= [T=5] [power=1] n=\n"
    "\"then\" chains schedules as torch's SequentialLR does.\n";

enum {
	OPT_BARE = 256, OPT_EPOCHS, OPT_STEPS_PER_EPOCH, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "bare",		no_argument,		NULL,	OPT_BARE },
	{ "epochs",		required_argument,	NULL,	OPT_EPOCHS },
	{ "help",		no_argument,		NULL,	OPT_HELP },
	{ "momentum",		no_argument,		NULL,	'm' },
	{ "steps-per-epoch",	required_argument,	NULL,
	    OPT_STEPS_PER_EPOCH },
	{ "version",		no_argument,		NULL,	OPT_VERSION },
	{ NULL,			0,			NULL,	0 }
};

/* Append the decimal digits of v at p; returns the new end. */
static char *
put_count(char *p, size_t v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = digits[--n];
	return p;
}

/*
 * Write every row.  Each row is built in a small buffer and handed to
 * stdio's large one.  Returns 0, -1 at the first write error with errno
 * saying why, or 1 at the first value that is not finite (exp base=1e300
 * gamma=1e10 overflows at once), with *bad its step.
 */
static int
print_rows(const struct lrk_sched *s, int momentum, int bare, size_t *bad)
{
	char line[3 * LRK_NUM_BUFSIZE + 8], *p;
	size_t k, n = lrk_sched_steps(s);
	double lr, mom = 0;

	if (!bare)
		fputs(momentum ? "step,lr,momentum\n" : "step,lr\n", stdout);
	for (k = 0; k < n; k++) {
		p = line;
		if (!bare) {
			p = put_count(p, k);
			*p++ = ',';
		}
		lr = lrk_sched_lr(s, k);
		if (momentum)
			mom = lrk_sched_momentum(s, k);
		if (!isfinite(lr) || !isfinite(mom)) {
			*bad = k;
			return 1;
		}
		p += lrk_num_format(p, lr);
		if (momentum) {
			*p++ = ',';
			p += lrk_num_format(p, mom);
		}
		*p++ = '\n';
		if (fwrite(line, 1, (size_t)(p - line), stdout) !=
		    (size_t)(p - line))
			return -1;
	}
	return fflush(stdout) == 0 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	struct lrk_sched *s;
	char err[LRK_ERRSIZE];
	long epochs = 0, steps_per_epoch = 0;
	char num[LRK_NUM_BUFSIZE];
	const char *what;
	size_t bad = 0;
	double x;
	int ch, momentum = 0, bare = 0, status;

	lrk_cli_init(argc, argv);
	/* A reader that goes away is EPIPE, and exit 0 as the manual says. */
	signal(SIGPIPE, SIG_IGN);
	opterr = 0;	/* the messages below name the option */
	while ((ch = getopt_long(argc, argv, ":m", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			momentum = 1;
			break;
		case OPT_BARE:
			bare = 1;
			break;
		case OPT_EPOCHS:
			epochs = lrk_opt_long("--epochs", optarg, 1, LONG_MAX);
			break;
		case OPT_STEPS_PER_EPOCH:
			steps_per_epoch = lrk_opt_long("--steps-per-epoch",
			    optarg, 1, LONG_MAX);
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
	if (argc == 0)
		lrk_usage_error("no schedule given");
	if ((epochs != 0) != (steps_per_epoch != 0))
		lrk_usage_error("--epochs and --steps-per-epoch go together");

	/* The whole spec in one argument, as sweep-run takes it. */
	if (argc == 1 && strpbrk(argv[0], " \t\n") != NULL)
		s = lrk_sched_parse_string(argv[0], err);
	else
		s = lrk_sched_parse(argc, argv, err);
	if (s == NULL)
		lrk_usage_error("%s", err);
	if (epochs != 0 && lrk_sched_set_epochs(s, epochs, steps_per_epoch,
	    err) != 0)
		lrk_usage_error("--epochs: %s", err);
	if (lrk_sched_ready(s, err) != 0)
		lrk_usage_error("%s", err);
	if (momentum && lrk_sched_check_momentum(s, err) != 0)
		lrk_usage_error("-m: %s", err);

	if ((status = print_rows(s, momentum, bare, &bad)) < 0) {
		/* A reader that went away (| head) ends us quietly. */
		if (errno == EPIPE) {
			lrk_sched_free(s);
			return 0;
		}
		lrk_errx(1, "write error: %s", strerror(errno));
	}
	if (status > 0) {
		what = "lr";
		if (isfinite(x = lrk_sched_lr(s, bad))) {
			what = "momentum";
			x = lrk_sched_momentum(s, bad);
		}
		lrk_num_format(num, x);
		fflush(stdout);
		lrk_errx(2, "step %zu: the %s is %s: the schedule overflows "
		    "a double", bad, what, num);
	}
	lrk_sched_free(s);
	status = lrk_close_stdout();
	return status;
}
