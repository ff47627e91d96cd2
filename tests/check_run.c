/* Unit tests of lib/run.c: a run from start to end, driven as sweep-run
 * drives it. */
#include <check.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrkit.h"

extern char **environ;

struct seen {
	double	losses[16];
	size_t	nloss;
	char	log[256];
	char	warn[LRK_ERRSIZE];
	struct lrk_run *run;
};

static void
on_loss(void *arg, const struct lrk_child_line *l)
{
	struct seen *s = arg;

	if (s->nloss < 16)
		s->losses[s->nloss++] = l->loss;
	lrk_run_loss(s->run, l->loss);
}

static void
on_log(void *arg, const char *line, size_t len)
{
	struct seen *s = arg;

	snprintf(s->log + strlen(s->log), sizeof(s->log) - strlen(s->log),
	    "%.*s|", (int)len, line);
}

static void
on_warn(void *arg, const char *message)
{
	struct seen *s = arg;

	snprintf(s->warn, sizeof(s->warn), "%s", message);
}

static void
on_row(void *arg, const struct lrk_child_line *l)
{
	(void)l;
	on_log(arg, "(row)", 5);
}

static const struct lrk_run_events events = { on_loss, on_row, on_log,
    on_warn };

/* Run sh -c script on input until it is over, as sweep-run's loop does
 * (without the signal pipe: the child is reaped when its pipes close). */
static enum lrk_run_status
run_script(const char *script, const char *input, size_t nsteps,
    struct lrk_run_options *opt, struct seen *seen, char *what)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	struct lrk_run r;
	struct pollfd pfd[3];
	char err[LRK_ERRSIZE];
	int which[3], exitval, sig;
	size_t n, i, sent = 0, len = strlen(input);
	double next, now;
	enum lrk_run_status st;

	memset(seen, 0, sizeof(*seen));
	seen->run = &r;
	lrk_run_init(&r, opt, &events, seen);
	ck_assert_int_eq(lrk_run_start(&r, argv, environ, LRK_PROC_STDERR,
	    err), 0);
	while (!lrk_run_over(&r)) {
		n = lrk_run_pollfds(&r, len - sent, pfd, which);
		next = lrk_run_deadline(&r);
		now = lrk_now();
		poll(pfd, n, n == 0 ? 10 : isinf(next) ? 1000 :
		    next <= now ? 0 : (int)ceil((next - now) * 1000));
		for (i = 0; i < n; i++)
			if (pfd[i].revents != 0)
				sent += lrk_run_ready(&r, pfd[i].fd, which[i],
				    input + sent, len - sent);
		lrk_run_tick(&r, lrk_now());
		lrk_run_reap(&r);
	}
	st = lrk_run_end(&r, "sh", nsteps, &exitval, &sig, what);
	lrk_run_free(&r);
	return st;
}

static struct lrk_run_options
options(void)
{
	struct lrk_run_options o = { "loss", 4, { 0.98, 0, 0, 0, 0 }, 5, 0 };

	return o;
}

/* Losses and log lines told apart; all rows: done. */
START_TEST(test_done)
{
	struct lrk_run_options o = options();
	struct seen s;
	char what[LRK_ERRSIZE];

	ck_assert_int_eq(run_script("read h; echo starting; "
	    "while read r; do echo 1.5; done; echo bye >&2", "step,lr\n0,1\n"
	    "1,2\n", 2, &o, &s, what), LRK_RUN_DONE);
	ck_assert_uint_eq(s.nloss, 2);
	ck_assert(s.losses[1] == 1.5);
	ck_assert_str_eq(s.log, "starting|bye|");
	ck_assert_str_eq(what, "");
}
END_TEST

/* Too few losses, or a non-zero exit: failed, and what says why. */
START_TEST(test_failed)
{
	struct lrk_run_options o = options();
	struct seen s;
	char what[LRK_ERRSIZE];

	ck_assert_int_eq(run_script("cat > /dev/null; echo 1", "a\nb\n", 3,
	    &o, &s, what), LRK_RUN_FAILED);
	ck_assert_str_eq(what, "sh: ended after 1 of 3 steps (exit status "
	    "0)");
	ck_assert_int_eq(run_script("cat > /dev/null; exit 3", "a\n", 1,
	    &o, &s, what), LRK_RUN_FAILED);
	ck_assert_str_eq(what, "sh: exit status 3 after 0 of 1 steps");
	/* A header naming the loss twice fails the run. */
	ck_assert_int_eq(run_script("echo loss,LOSS; sleep 5", "", 1, &o, &s,
	    what), LRK_RUN_FAILED);
	ck_assert(strstr(s.warn, "is ambiguous") != NULL);
}
END_TEST

/* The divergence rule stops the run; it is killed, not waited for. */
START_TEST(test_diverged)
{
	struct lrk_run_options o = options();
	struct seen s;
	char what[LRK_ERRSIZE];
	double t0 = lrk_now();

	o.ema.beta = 0;
	ck_assert_int_eq(run_script("echo 1; echo 5; echo 1; exec sleep 30",
	    "", 10, &o, &s, what), LRK_RUN_DIVERGED);
	ck_assert_uint_eq(s.nloss, 2);
	ck_assert(lrk_now() - t0 < 10);
}
END_TEST

/* --timeout: the run is stopped, SIGKILL after the grace period. */
START_TEST(test_timeout)
{
	struct lrk_run_options o = options();
	struct seen s;
	char what[LRK_ERRSIZE];
	double t0 = lrk_now();

	o.timeout = 0.2;
	o.grace = 0.2;
	ck_assert_int_eq(run_script("trap '' TERM; sleep 30", "", 1, &o, &s,
	    what), LRK_RUN_TIMEOUT);
	ck_assert(strstr(what, "timed out after 0.2 s") != NULL);
	ck_assert(lrk_now() - t0 < 10);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("run");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_set_timeout(core, 30);
	tcase_set_timeout(limits, 30);
	tcase_add_test(core, test_done);
	tcase_add_test(core, test_failed);
	tcase_add_test(core, test_diverged);
	tcase_add_test(limits, test_timeout);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
