/*
 * Unit tests of lib/run.c and lib/pool.c: a run from start to end, driven
 * by the executor as sweep-run and lr-confirm drive it.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"

struct seen {
	double	losses[16];
	size_t	nloss;
	char	log[256];
	char	warn[LRK_ERRSIZE];
	size_t	slots[16];
	size_t	nstarted;
	enum lrk_run_status status;
	size_t	ended;
	int	active[8];	/* slots held now */
	int	clash;		/* a slot taken twice at once */
	size_t	most;		/* the highest slot */
};

static void
on_log(void *arg, size_t run, const char *line, size_t len)
{
	struct seen *s = arg;

	(void)run;
	snprintf(s->log + strlen(s->log), sizeof(s->log) - strlen(s->log),
	    "%.*s|", (int)len, line);
}

/* The last message; lrk_run_end's reason, when there is one, comes last. */
static void
on_warn(void *arg, size_t run, const char *message)
{
	struct seen *s = arg;

	(void)run;
	snprintf(s->warn, sizeof(s->warn), "%s", message);
}

static void
on_started(void *arg, size_t run, size_t slot)
{
	struct seen *s = arg;

	if (s->nstarted < 16)
		s->slots[s->nstarted++] = slot;
	if (slot < 8 && s->active[slot]++)
		s->clash = 1;
	if (slot > s->most)
		s->most = slot;
	(void)run;
}

static void
on_ended(void *arg, const struct lrk_pool_end *e)
{
	struct seen *s = arg;

	s->status = e->status;
	s->ended++;
	if (e->slot < 8)
		s->active[e->slot]--;
}

/*
 * Run sh -c script under the pool, fed nsteps rows of a schedule, its
 * rows to a file: the status of its one run, *what the pool's last
 * message about it ("" when none), the losses of its rows in *seen.
 */
static enum lrk_run_status
run_script(const char *script, size_t nsteps, struct lrk_run_options *opt,
    struct seen *seen, char *what)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	static const int sigs[] = { SIGCHLD, SIGTERM };
	struct lrk_pool_options po = { 0 };
	struct lrk_pool_events ev = { 0 };
	struct lrk_pool *pool;
	char err[LRK_ERRSIZE], spec[64], line[256], path[] =
	    "/tmp/check_run.XXXXXX";
	int fd, usage;
	FILE *fp;

	memset(seen, 0, sizeof(*seen));
	seen->status = LRK_RUN_NONE;
	snprintf(spec, sizeof(spec), "constant base=1 factor=1 n=%zu", nsteps);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	po.grid = lrk_grid_new();
	po.command = argv;
	po.schedule = spec;
	po.first = 0;
	po.end = 1;
	po.jobs = 1;
	po.run = *opt;
	po.tag_lines = 1;
	po.sigfd = lrk_signals_catch(sigs, 2);
	po.rows_fd = fd;
	ev.log = on_log;
	ev.warn = on_warn;
	ev.started = on_started;
	ev.ended = on_ended;
	pool = lrk_pool_new(&po, &ev, seen, &usage, err);
	ck_assert_msg(pool != NULL, "%s", err);
	ck_assert_int_eq(lrk_pool_run(pool, err), 0);
	ck_assert_uint_eq(seen->ended, 1);
	lrk_pool_free(pool);
	lrk_grid_free((struct lrk_grid *)po.grid);
	/* "run,step,lr,loss": the losses. */
	ck_assert_ptr_nonnull(fp = fdopen(fd, "r"));
	rewind(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	ck_assert_str_eq(line, "run,step,lr,loss\n");
	while (fgets(line, sizeof(line), fp) != NULL && seen->nloss < 16)
		seen->losses[seen->nloss++] = atof(strrchr(line, ',') + 1);
	fclose(fp);
	unlink(path);
	snprintf(what, LRK_ERRSIZE, "%s", seen->warn);
	return seen->status;
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
	    "while read r; do echo 1.5; done; echo bye >&2", 2, &o, &s, what),
	    LRK_RUN_DONE);
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

	ck_assert_int_eq(run_script("cat > /dev/null; echo 1", 3, &o, &s,
	    what), LRK_RUN_FAILED);
	ck_assert_str_eq(what, "sh: ended after 1 of 3 steps (exit status "
	    "0)");
	ck_assert_int_eq(run_script("cat > /dev/null; exit 3", 1, &o, &s,
	    what), LRK_RUN_FAILED);
	ck_assert_str_eq(what, "sh: exit status 3 after 0 of 1 steps");
	/* A header naming the loss twice fails the run. */
	ck_assert_int_eq(run_script("echo loss,LOSS; sleep 5", 1, &o, &s,
	    what), LRK_RUN_FAILED);
	ck_assert(strstr(s.log, "is ambiguous") != NULL ||
	    strstr(s.warn, "ambiguous") != NULL);
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
	    10, &o, &s, what), LRK_RUN_DIVERGED);
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
	ck_assert_int_eq(run_script("trap '' TERM; sleep 30", 1, &o, &s,
	    what), LRK_RUN_TIMEOUT);
	ck_assert(strstr(what, "timed out after 0.2 s") != NULL);
	ck_assert(lrk_now() - t0 < 10);
}
END_TEST

/*
 * sweep-run(1): "The time the job is stopped is not counted by --timeout
 * nor by the grace period": the deadlines that are set move on by the
 * time stopped, and nothing else does.
 */
START_TEST(test_shift)
{
	struct lrk_run_options o = options();
	struct lrk_run_events ev = { 0 };
	struct lrk_run r;
	double kill_at;

	o.timeout = 2;
	o.grace = 5;
	lrk_run_init(&r, &o, &ev, NULL);
	r.start = 100;		/* as lrk_run_start sets them */
	r.timeout_at = 102;
	lrk_run_shift(&r, 3);
	ck_assert(lrk_run_deadline(&r) == 105);
	lrk_run_tick(&r, 104.5);
	ck_assert_int_eq(r.stopping, 0);
	lrk_run_tick(&r, 105);
	ck_assert_int_eq(r.stopping, 1);
	ck_assert_int_eq(r.status, LRK_RUN_TIMEOUT);
	/* Stopped during the grace period: SIGKILL comes later. */
	kill_at = lrk_run_deadline(&r);
	lrk_run_shift(&r, 2.5);
	ck_assert(lrk_run_deadline(&r) == kill_at + 2.5);
	lrk_run_tick(&r, kill_at + 2.4);
	ck_assert_int_eq(r.killed, 0);
	/* No time stopped, or none that makes sense: nothing moves. */
	lrk_run_shift(&r, 0);
	lrk_run_shift(&r, -1);
	lrk_run_shift(&r, NAN);
	lrk_run_shift(&r, INFINITY);
	ck_assert(lrk_run_deadline(&r) == kill_at + 2.5);
	lrk_run_tick(&r, kill_at + 2.5);
	ck_assert_int_eq(r.killed, 1);
	ck_assert(isinf(lrk_run_deadline(&r)));
	lrk_run_free(&r);

	/* Without --timeout there is no deadline to move. */
	o.timeout = 0;
	lrk_run_init(&r, &o, &ev, NULL);
	r.start = 100;
	lrk_run_shift(&r, 3);
	ck_assert(isinf(lrk_run_deadline(&r)));
	lrk_run_tick(&r, 1e9);
	ck_assert_int_eq(r.stopping, 0);
	lrk_run_free(&r);
}
END_TEST

static void
ignore_line(void *arg, const struct lrk_child_line *line)
{
	(void)arg;
	(void)line;
}

static void
ignore_log(void *arg, const char *line, size_t len)
{
	(void)arg;
	(void)line;
	(void)len;
}

static void
ignore_warn(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * Start `sh -c 'read x'` as a run, put a process of this one's (which
 * stays a zombie until it is waited for) into its group, end the child and
 * reap it: the run's state then, the member's pid in *member.
 */
static void
run_with_member(struct lrk_run *r, const struct lrk_run_options *o,
    const struct lrk_run_events *ev, pid_t *member)
{
	char *argv[] = { "sh", "-c", "read x", NULL };
	struct timespec ms10 = { 0, 10 * 1000 * 1000 };
	char err[LRK_ERRSIZE];
	int fd, i;

	lrk_run_init(r, o, ev, NULL);
	ck_assert_int_eq(lrk_run_start(r, argv, NULL, LRK_PROC_STDERR, err), 0);
	ck_assert_int_ge(*member = fork(), 0);
	if (*member == 0) {
		for (fd = 3; fd < 1024; fd++)
			close(fd);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(setpgid(*member, r->proc.pid), 0);
	lrk_proc_close_in(&r->proc);
	for (i = 0; i < 500 && !r->proc.reaped; i++) {
		nanosleep(&ms10, NULL);
		lrk_run_reap(r);
	}
	ck_assert_int_eq(r->proc.reaped, 1);
}

/*
 * sweep-run(1): "A run holds its slot from its start until its process
 * group is gone (a process of it that SIGKILL does not end is waited for
 * the grace period at most)": not over while a member of its group is
 * there (killed, not yet waited for), over once it is gone, or once the
 * grace period has passed.
 */
START_TEST(test_group_gone)
{
	struct lrk_run_options o = options();
	struct lrk_run_events ev = { ignore_line, ignore_line, ignore_log,
	    ignore_warn };
	struct timespec pause = { 0, 300 * 1000 * 1000 };
	struct lrk_run r;
	pid_t member;
	int status;

	o.grace = 30;
	run_with_member(&r, &o, &ev, &member);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(lrk_run_over(&r), 0);
	ck_assert(lrk_run_deadline(&r) > lrk_now() + 20);
	ck_assert_int_eq(waitpid(member, &status, 0), member);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_int_eq(lrk_run_over(&r), 1);
	lrk_run_free(&r);

	o.grace = 0.2;
	run_with_member(&r, &o, &ev, &member);
	ck_assert_int_eq(lrk_run_over(&r), 0);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(lrk_run_over(&r), 1);
	ck_assert_int_eq(waitpid(member, &status, 0), member);
	lrk_run_free(&r);
}
END_TEST

/*
 * sweep-run(1): "no two runs that run at the same time hold the same
 * slot": 6 runs of random length, 3 at once.
 */
START_TEST(test_slots)
{
	char *argv[] = { "sh", "-c", "read h; while read r; do echo 1; done; "
	    "sleep 0.0$((LRKIT_RUN * 7 % 10))", NULL };
	static const int sigs[] = { SIGCHLD, SIGTERM };
	struct lrk_pool_options po = { 0 };
	struct lrk_pool_events ev = { 0 };
	int rows_fd;
	struct lrk_pool *pool;
	struct lrk_grid *g = lrk_grid_new();
	struct seen s;
	char err[LRK_ERRSIZE];
	int usage;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(lrk_grid_add(g, "k=1,2,3,4,5,6", err), 0);
	ck_assert_int_ge(rows_fd = open("/dev/null", O_WRONLY), 0);
	po.grid = g;
	po.command = argv;
	po.schedule = "constant base=1 factor=1 n=3";
	po.end = 6;
	po.jobs = 3;
	po.run = options();
	po.sigfd = lrk_signals_catch(sigs, 2);
	po.rows_fd = rows_fd;
	ev.started = on_started;
	ev.ended = on_ended;
	ck_assert_ptr_nonnull(pool = lrk_pool_new(&po, &ev, &s, &usage, err));
	ck_assert_int_eq(lrk_pool_run(pool, err), 0);
	ck_assert_uint_eq(s.ended, 6);
	ck_assert_uint_eq(s.nstarted, 6);
	ck_assert_int_eq(s.clash, 0);
	ck_assert_uint_eq(s.most, 3);
	ck_assert_int_eq(s.status, LRK_RUN_DONE);
	lrk_pool_free(pool);
	close(rows_fd);
	lrk_grid_free(g);
}
END_TEST

/*
 * sweep-run(1): "With --gpus, each slot has a device of its own, its
 * entry of the list, as CUDA_VISIBLE_DEVICES", and {slot} is the slot, as
 * LRKIT_SLOT: each run prints (CUDA_VISIBLE_DEVICES - LRKIT_SLOT) * 10 +
 * ({slot} = LRKIT_SLOT) as its loss, 61 for every run with the devices 7,
 * 8, 9.  "a larger -j is an error, a smaller one uses the first devices";
 * "--gpus with --index" is an error, and so is {slot} there.
 */
START_TEST(test_gpus)
{
	char *argv[] = { "sh", "-c", "read h; while read r; do echo $(( "
	    "(CUDA_VISIBLE_DEVICES - LRKIT_SLOT) * 10 + ($1 == LRKIT_SLOT) "
	    ")); done", "sh", "{slot}", NULL };
	char *gpus[] = { "7", "8", "9", NULL };
	static const int sigs[] = { SIGCHLD, SIGTERM };
	struct lrk_pool_options po = { 0 };
	struct lrk_pool_events ev = { 0 };
	struct lrk_pool *pool;
	struct lrk_grid *g = lrk_grid_new();
	struct seen s;
	char err[LRK_ERRSIZE], line[256], path[] = "/tmp/check_run.XXXXXX";
	size_t nrows = 0;
	int usage, fd;
	FILE *fp;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(lrk_grid_add(g, "k=1,2,3,4,5,6", err), 0);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	po.grid = g;
	po.command = argv;
	po.schedule = "constant base=1 factor=1 n=2";
	po.end = 6;
	po.jobs = 3;
	po.gpus = gpus;
	po.ngpus = 3;
	po.run = options();
	po.sigfd = lrk_signals_catch(sigs, 2);
	po.rows_fd = fd;
	ev.started = on_started;
	ev.ended = on_ended;
	ck_assert_ptr_nonnull(pool = lrk_pool_new(&po, &ev, &s, &usage, err));
	ck_assert_int_eq(lrk_pool_run(pool, err), 0);
	ck_assert_uint_eq(s.ended, 6);
	ck_assert_int_eq(s.clash, 0);
	ck_assert_int_eq(s.status, LRK_RUN_DONE);
	lrk_pool_free(pool);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "r"));
	rewind(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	while (fgets(line, sizeof(line), fp) != NULL) {
		ck_assert_str_eq(strrchr(line, ','), ",61\n");
		nrows++;
	}
	ck_assert_uint_eq(nrows, 12);
	fclose(fp);
	unlink(path);

	/* More runs at once than devices: refused, none started. */
	po.jobs = 4;
	ck_assert_ptr_null(lrk_pool_new(&po, &ev, &s, &usage, err));
	ck_assert_int_eq(usage, 1);
	ck_assert_str_eq(err, "-j 4: more runs at once than the 3 devices of "
	    "--gpus (give a device twice to run two on it, as 0,0,1,1)");
	/* Fewer: the first ones. */
	po.jobs = 2;
	ck_assert_ptr_nonnull(pool = lrk_pool_new(&po, &ev, &s, &usage, err));
	lrk_pool_free(pool);
	/* A run started alone holds no slot and no device of a list. */
	po.jobs = 1;
	po.first = 2;
	po.end = 3;
	po.alone = 1;
	ck_assert_ptr_null(lrk_pool_new(&po, &ev, &s, &usage, err));
	ck_assert_int_eq(usage, 1);
	ck_assert_str_eq(err, "--gpus: a run started alone (--index) holds no "
	    "slot (its devices are the scheduler's to give)");
	po.gpus = NULL;
	po.ngpus = 0;
	ck_assert_ptr_null(lrk_pool_new(&po, &ev, &s, &usage, err));
	ck_assert_int_eq(usage, 1);
	ck_assert_str_eq(err, "{slot}: {slot}: a run started alone (--index) "
	    "holds no slot (its devices are the scheduler's to give)");
	/* {slot} in the schedule's words too. */
	argv[4] = "1";
	po.schedule = "constant base={slot} factor=1 n=2";
	ck_assert_ptr_null(lrk_pool_new(&po, &ev, &s, &usage, err));
	ck_assert_int_eq(usage, 1);
	ck_assert_ptr_nonnull(strstr(err, "{slot}: a run started alone"));
	lrk_grid_free(g);
}
END_TEST

/*
 * A run file that cannot be made is lrkit's failure: lrk_pool_run says
 * why, and the run is not logged as the child's failure.
 */
START_TEST(test_lrkit_fails)
{
	char *argv[] = { "sh", "-c", "cat >/dev/null; echo 1", NULL };
	static const int sigs[] = { SIGCHLD, SIGTERM };
	struct lrk_pool_options po = { 0 };
	struct lrk_pool_events ev = { 0 };
	struct lrk_pool *pool;
	struct seen s;
	char err[LRK_ERRSIZE], dir[] = "/tmp/check_run.XXXXXX", path[64];
	int usage;

	memset(&s, 0, sizeof(s));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	po.grid = lrk_grid_new();
	po.command = argv;
	po.schedule = "constant base=1 factor=1 n=1";
	po.out_dir = dir;
	po.end = 1;
	po.jobs = 1;
	po.run = options();
	po.sigfd = lrk_signals_catch(sigs, 2);
	ev.ended = on_ended;
	ck_assert_ptr_nonnull(pool = lrk_pool_new(&po, &ev, &s, &usage, err));
	/* The joblog made, then the folder closed to writing. */
	snprintf(path, sizeof(path), "%s/joblog.tsv", dir);
	ck_assert_int_ge(lrk_joblog_open(dir, po.grid, err), 0);
	if (geteuid() == 0) {
		/* root writes anyway: a file in the place of the folder's
		 * temporary file cannot be made by another name either, so
		 * take the folder away instead. */
		ck_assert_int_eq(unlink(path), 0);
		ck_assert_int_eq(rmdir(dir), 0);
		ck_assert_int_eq(lrk_pool_run(pool, err), -1);
	} else {
		ck_assert_int_eq(chmod(dir, 0500), 0);
		ck_assert_int_eq(lrk_pool_run(pool, err), -1);
		chmod(dir, 0700);
	}
	ck_assert(strstr(err, dir) != NULL);
	ck_assert_uint_eq(s.ended, 0);
	lrk_pool_free(pool);
	lrk_grid_free((struct lrk_grid *)po.grid);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

/*
 * sweep-run(1): "while the line is drawn, a child's standard error goes
 * through a pipe even with -j 1", so that its lines come whole above the
 * line: the child's two pieces are one log line, untagged.  The line is
 * redrawn while the child is quiet ("at least once a second"), and counts
 * the run when it ends.
 */
START_TEST(test_console)
{
	char *argv[] = { "sh", "-c", "read h; printf piece- >&2; sleep 0.3; "
	    "echo whole >&2; sleep 2; while read r; do echo 1; done", NULL };
	static const int sigs[] = { SIGCHLD, SIGTERM };
	struct lrk_console_options co = { 0 };
	struct lrk_pool_options po = { 0 };
	struct lrk_pool_events ev = { 0 };
	struct lrk_console *console;
	int rows_fd;
	struct lrk_pool *pool;
	struct seen s;
	char err[LRK_ERRSIZE], out[8192];
	int usage, fds[2];
	ssize_t n;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	setenv("COLUMNS", "200", 1);
	co.fd = fds[1];
	co.force = 1;
	co.rows_fd = -1;
	co.name = "t";
	co.jobs = 1;
	ck_assert_ptr_nonnull(console = lrk_console_new(&co));
	unsetenv("COLUMNS");
	ck_assert_int_ge(rows_fd = open("/dev/null", O_WRONLY), 0);
	po.grid = lrk_grid_new();
	po.command = argv;
	po.schedule = "constant base=1 factor=1 n=2";
	po.end = 1;
	po.jobs = 1;
	po.run = options();
	po.tag_lines = -1;
	po.sigfd = lrk_signals_catch(sigs, 2);
	po.rows_fd = rows_fd;
	po.console = console;
	ev.log = on_log;
	ev.ended = on_ended;
	ck_assert_ptr_nonnull(pool = lrk_pool_new(&po, &ev, &s, &usage, err));
	ck_assert_int_eq(lrk_pool_run(pool, err), 0);
	ck_assert_int_eq(s.status, LRK_RUN_DONE);
	ck_assert_str_eq(s.log, "piece-whole|");
	ck_assert_int_eq(lrk_pool_tagged(pool), 0);
	n = read(fds[0], out, sizeof(out) - 1);
	ck_assert_int_gt(n, 0);
	out[n] = '\0';
	ck_assert_msg(strstr(out, "\rt: 0/1 finished, 0 failed, 1 running, "
	    "0:01 elapsed\033[K") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\rt: 1/1 finished, 0 failed, 0 running, ")
	    != NULL, "%s", out);
	lrk_pool_free(pool);
	lrk_console_free(console);
	lrk_grid_free((struct lrk_grid *)po.grid);
	close(rows_fd);
	close(fds[0]);
	close(fds[1]);
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
	tcase_add_test(limits, test_shift);
	tcase_add_test(core, test_slots);
	tcase_add_test(core, test_gpus);
	tcase_add_test(limits, test_group_gone);
	tcase_add_test(limits, test_lrkit_fails);
	tcase_add_test(core, test_console);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
