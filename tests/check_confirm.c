/*
 * Unit tests of lib/confirm.c: a confirmation with its folder, trained by
 * the executor with tests/children/bowl.sh, whose final loss is
 * 1 + ln(max/0.05)^2 + seed/1000 + 1/steps (least at max 0.05).
 */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

static char dir[] = "/tmp/check_confirm.XXXXXX";
static char *bowl[] = { "tests/children/bowl.sh", "{max}", "{seed}", NULL };
static char *never[] = { "false", "{max}", "{seed}", NULL };

static struct lrk_confirm_options
options(char **command, int resume)
{
	static const int sigs[] = { SIGCHLD, SIGTERM };
	static const double factors[] = { 0.5, 0.5946, 0.7071, 0.8409, 1,
	    1.1892, 1.4142, 1.6818, 2 };
	struct lrk_confirm_options o = { 0 };

	o.factors = factors;
	o.n = 9;
	o.suggestion = 0.04;
	o.seeds = 3;
	o.fraction = 1;
	o.dir = dir;
	o.pool.command = command;
	o.pool.schedule = "constant base=1 n=3";
	o.pool.jobs = 2;
	o.pool.run.loss_name = "loss";
	o.pool.run.grace = 5;
	o.pool.run.ema.beta = 0.98;
	o.resume = resume;
	o.pool.sigfd = lrk_signals_catch(sigs, 2);
	return o;
}

/* The status line at the end of each round, one a line. */
static char lines[512];

static void
on_counts(void *arg, size_t round, const char *text)
{
	(void)round;
	(void)text;
	snprintf(lines + strlen(lines), sizeof(lines) - strlen(lines), "%s\n",
	    lrk_console_line(arg));
}

static long
confirm(char **command, int resume, struct lrk_console *console,
    struct lrk_confirm_result *res)
{
	struct lrk_confirm_events ev = { 0 };
	struct lrk_confirm_options o = options(command, resume);
	struct lrk_confirm *c;
	char err[LRK_ERRSIZE];
	int sig, usage;
	long answer;

	o.pool.console = console;
	ev.counts = on_counts;
	c = lrk_confirm_new(&o, console != NULL ? &ev : NULL, console, &usage,
	    err);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_msg(lrk_confirm_claim(c, err) == 0, "%s", err);
	ck_assert_msg(lrk_confirm_run(c, &sig, &usage, err) == 0, "%s", err);
	ck_assert_int_eq(lrk_confirm_write_ranked(c, err), 0);
	ck_assert_int_eq(lrk_confirm_result(c, res), 0);
	answer = res->answer;
	lrk_confirm_free(c);
	return answer;
}

/*
 * lr-confirm(1): "It prints the best candidate that trained cleanly on
 * every seed"; "9 candidates on seed 1, then the best 3 on seeds 2 and 3
 * too": 15 runs, the answer the candidate nearest 0.05 (0.0476).
 */
START_TEST(test_confirm)
{
	struct lrk_confirm_result res;
	struct stat st;
	char path[128];

	ck_assert_int_eq(confirm(bowl, 0, NULL, &res), 5);
	ck_assert_uint_eq(res.seeds, 3);
	ck_assert_uint_eq(res.runs, 15);
	snprintf(path, sizeof(path), "%s/round-2/joblog.tsv", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/ranked.csv", dir);
	ck_assert_int_eq(stat(path, &st), 0);
}
END_TEST

/*
 * lr-confirm(1), --resume: "The joblog of each round is the record ...
 * only the runs not yet recorded ... are trained": with every run
 * recorded, a command that would fail trains nothing and the answer
 * stands.  The status line: "The round is one of those the plan counts",
 * "the runs counted are the round's", and (sweep-run(1)) "with --resume,
 * the runs found done count as finished".
 */
START_TEST(test_resume)
{
	struct lrk_console_options co = { 0 };
	struct lrk_console *console;
	struct lrk_confirm_result res;
	int fd;

	ck_assert_int_ge(fd = open("/dev/null", O_WRONLY), 0);
	setenv("COLUMNS", "200", 1);
	co.fd = fd;
	co.force = 1;
	co.rows_fd = -1;
	co.jobs = 2;
	ck_assert_ptr_nonnull(console = lrk_console_new(&co));
	unsetenv("COLUMNS");
	ck_assert_int_eq(confirm(never, 1, console, &res), 5);
	ck_assert_uint_eq(res.seeds, 3);
	ck_assert_msg(strstr(lines, "round 1/2, 9/9 finished, 0 failed, 0 "
	    "running, ") == lines, "%s", lines);
	ck_assert_msg(strstr(lines, "\nround 2/2, 6/6 finished, 0 failed, 0 "
	    "running, ") != NULL, "%s", lines);
	ck_assert_msg(strstr(lines, "round 3") == NULL, "%s", lines);
	lrk_console_free(console);
	close(fd);
}
END_TEST

/*
 * lr-confirm(1): "a second lr-confirm into the same folder ... is
 * refused before it trains anything"; a folder of a finished
 * confirmation without --resume is refused too.
 */
START_TEST(test_claim)
{
	struct lrk_confirm_options o = options(bowl, 1);
	struct lrk_confirm *a, *b;
	char err[LRK_ERRSIZE];
	int usage;

	a = lrk_confirm_new(&o, NULL, NULL, &usage, err);
	b = lrk_confirm_new(&o, NULL, NULL, &usage, err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(lrk_confirm_claim(a, err), 0);
	ck_assert_int_eq(lrk_confirm_claim(b, err), -1);
	ck_assert(strstr(err, "another lr-confirm is working") != NULL);
	lrk_confirm_free(a);	/* the lock goes with it */
	ck_assert_int_eq(lrk_confirm_claim(b, err), 0);
	lrk_confirm_free(b);
	o.resume = 0;
	a = lrk_confirm_new(&o, NULL, NULL, &usage, err);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(lrk_confirm_claim(a, err), -1);
	ck_assert(strstr(err, "round-1 exists") != NULL);
	lrk_confirm_free(a);
}
END_TEST

/*
 * What the user gave is the user's error (exit 2 in lr-confirm): more
 * jobs than --gpus devices, a factor that is no positive number.
 */
START_TEST(test_new_usage)
{
	static const double bad[] = { 0.5, -1, 2 };
	char *gpus[] = { "0", NULL };
	struct lrk_confirm_options o = options(bowl, 0);
	char err[LRK_ERRSIZE];
	int usage = 0;

	o.pool.gpus = gpus;
	o.pool.ngpus = 1;
	ck_assert_ptr_null(lrk_confirm_new(&o, NULL, NULL, &usage, err));
	ck_assert_int_eq(usage, 1);
	o.pool.gpus = NULL;
	o.factors = bad;
	o.n = 3;
	usage = 0;
	ck_assert_ptr_null(lrk_confirm_new(&o, NULL, NULL, &usage, err));
	ck_assert_int_eq(usage, 1);
}
END_TEST

/*
 * lr-confirm(1), -n: "count candidates log-spaced from 1/2 to 2 times
 * the suggestion (default 9, 2^(1/4) apart; 1 is the suggestion alone)";
 * -c: "each must be a positive number".
 */
START_TEST(test_factors)
{
	char err[LRK_ERRSIZE];
	double *f;
	size_t n, i;

	ck_assert_ptr_nonnull(f = lrk_confirm_factors(NULL, 0, &n, err));
	ck_assert_uint_eq(n, 9);
	ck_assert(fabs(f[0] - 0.5) < 1e-15 && fabs(f[8] - 2) < 1e-15);
	for (i = 1; i < n; i++)
		ck_assert(fabs(f[i] / f[i - 1] - pow(2, 0.25)) < 1e-12);
	free(f);
	ck_assert_ptr_nonnull(f = lrk_confirm_factors(NULL, 1, &n, err));
	ck_assert(n == 1 && f[0] == 1);
	free(f);
	ck_assert_ptr_nonnull(f = lrk_confirm_factors("0.5,3", 0, &n, err));
	ck_assert(n == 2 && f[1] == 3);
	free(f);
	ck_assert_ptr_null(lrk_confirm_factors("1,-2", 0, &n, err));
	ck_assert_str_eq(err, "-2: a factor must be positive");
	ck_assert_ptr_null(lrk_confirm_factors("", 0, &n, err));
	ck_assert_str_eq(err, "no factors");
	ck_assert_ptr_null(lrk_confirm_factors("x", 0, &n, err));
	ck_assert_str_eq(err, "\"x\": not a list of numbers");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("confirm");
	TCase *core = tcase_create("Core");
	SRunner *sr;
	char cmd[64];
	int failed;

	if (mkdtemp(dir) == NULL)
		return 1;
	tcase_set_timeout(core, 60);
	tcase_add_test(core, test_confirm);
	tcase_add_test(core, test_resume);
	tcase_add_test(core, test_claim);
	tcase_add_test(core, test_new_usage);
	tcase_add_test(core, test_factors);
	suite_add_tcase(s, core);
	sr = srunner_create(s);
	/* The tests share the folder, in order. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? 1 : 0;
}
