/* Unit tests of lib/sweep.c: what a sweep leaves in its folder. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "extern.h"

static char dir[] = "/tmp/check_sweep.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/check_sweep.XXXXXX");
}

static void
put(const char *name, const char *text)
{
	char *path = lrk_path_join(dir, name);
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	free(path);
}

static void
slurp(const char *name, char *buf, size_t size)
{
	char *path = lrk_path_join(dir, name);
	FILE *fp = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(fp);
	n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	free(path);
}

/* dir/name, valid until the next call. */
static const char *
path_in(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static struct lrk_grid *
grid2(void)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(lrk_grid_add(g, "wd=0,1e-4", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "seed=1,2", err), 0);
	return g;
}

START_TEST(test_paths)
{
	char *p;

	p = lrk_path_join("runs", "a");
	ck_assert_str_eq(p, "runs/a");
	free(p);
	p = lrk_path_join("runs/", "a");
	ck_assert_str_eq(p, "runs/a");
	free(p);
	p = lrk_run_path("runs", 12);
	ck_assert_str_eq(p, "runs/run-12.csv");
	free(p);
}
END_TEST

/* The joblog: made with its header once, then one row a run. */
START_TEST(test_joblog)
{
	struct lrk_grid *g = grid2(), *other = lrk_grid_new();
	char err[LRK_ERRSIZE], buf[1024];
	char *argv[] = { "./train", "--wd", "it's", NULL };
	struct lrk_joblog_entry e = { 0 };
	int fd;

	ck_assert_int_ge(fd = lrk_joblog_open(dir, g, err), 0);
	e.run = 3;
	e.host = ":";
	e.wall_start = 1700000000.5;
	e.runtime = 2.25;
	e.sent = 10;
	e.received = 20;
	e.argv = argv;
	e.status = LRK_RUN_DIVERGED;
	ck_assert_int_eq(lrk_joblog_row(fd, g, &e), 0);
	close(fd);
	/* Opened again: the header is not written twice. */
	ck_assert_int_ge(fd = lrk_joblog_open(dir, g, err), 0);
	close(fd);
	slurp("joblog.tsv", buf, sizeof(buf));
	ck_assert_str_eq(buf, "Seq\tHost\tStarttime\tJobRuntime\tSend\t"
	    "Receive\tExitval\tSignal\tCommand\twd\tseed\tStatus\n"
	    "3\t:\t1700000000.500\t     2.250\t10\t20\t0\t0\t"
	    "./train --wd 'it'\\''s'\t1e-4\t2\tdiverged\n");
	/* A last line cut mid-write is ended before the next row. */
	fd = open(path_in("joblog.tsv"), O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "4\t:\t17", 6), 6);
	close(fd);
	ck_assert_int_ge(fd = lrk_joblog_open(dir, g, err), 0);
	e.run = 0;
	ck_assert_int_eq(lrk_joblog_row(fd, g, &e), 0);
	close(fd);
	slurp("joblog.tsv", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "diverged\n4\t:\t17\n0\t:\t"));
	ck_assert_int_eq(buf[strlen(buf) - 1], '\n');
	/* Another grid's columns: an error. */
	ck_assert_int_eq(lrk_joblog_open(dir, other, err), -1);
	ck_assert(strstr(err, "joblog.tsv: the log of a grid of other "
	    "parameters (this one has no parameters); give another folder")
	    != NULL);
	lrk_grid_free(g);
	lrk_grid_free(other);
}
END_TEST

struct seen {
	size_t	n;
	size_t	run[8];
	int	status[8], exitval[8], signal[8];
	char	max[8][16], seed[8][16];
	int	refuse;		/* run the callback refuses, or -1 */
};

static int
seen_row(void *arg, const struct lrk_joblog_line *l, char *err)
{
	struct seen *s = arg;

	if ((int)l->run == s->refuse) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: refused", l->path,
		    l->line);
		return -1;
	}
	ck_assert_uint_lt(s->n, 8);
	s->run[s->n] = l->run;
	s->status[s->n] = l->status;
	s->exitval[s->n] = l->exitval;
	s->signal[s->n] = l->signal;
	snprintf(s->max[s->n], 16, "%s", l->values[0]);
	snprintf(s->seed[s->n], 16, "%s", l->values[1]);
	s->n++;
	return 0;
}

/* The joblog read back: every row in order, with the parameters asked. */
START_TEST(test_joblog_read)
{
	static const char *const params[] = { "max", "seed" };
	static const char *const other[] = { "max", "wd" };
	struct lrk_grid *g = lrk_grid_new();
	struct lrk_joblog_entry e = { 0 };
	char err[LRK_ERRSIZE], *argv[] = { "./train", NULL };
	struct seen s = { 0 };
	int fd;

	ck_assert_int_eq(lrk_grid_add(g, "max=0.1,0.2", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "seed=1,2", err), 0);
	ck_assert_int_ge(fd = lrk_joblog_open(dir, g, err), 0);
	e.host = ":";
	e.argv = argv;
	e.run = 2;
	e.status = LRK_RUN_FAILED;
	e.exitval = 3;
	ck_assert_int_eq(lrk_joblog_row(fd, g, &e), 0);
	e.run = 1;
	e.status = LRK_RUN_DONE;
	e.exitval = 0;
	e.signal = 9;
	ck_assert_int_eq(lrk_joblog_row(fd, g, &e), 0);
	close(fd);
	s.refuse = -1;
	ck_assert_int_eq(lrk_joblog_read(dir, params, 2, 4, seen_row, &s,
	    err), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(s.run[0], 2);
	ck_assert_int_eq(s.status[0], LRK_RUN_FAILED);
	ck_assert_int_eq(s.exitval[0], 3);
	ck_assert_str_eq(s.max[0], "0.2");
	ck_assert_str_eq(s.seed[0], "1");
	ck_assert_uint_eq(s.run[1], 1);
	ck_assert_int_eq(s.status[1], LRK_RUN_DONE);
	ck_assert_int_eq(s.signal[1], 9);
	ck_assert_str_eq(s.max[1], "0.1");
	ck_assert_str_eq(s.seed[1], "2");

	/* The callback's error, with the file and line it was given. */
	s.n = 0;
	s.refuse = 1;
	ck_assert_int_eq(lrk_joblog_read(dir, params, 2, 4, seen_row, &s,
	    err), -1);
	ck_assert_str_eq(err + strlen(dir), "/joblog.tsv:3: refused");
	s.refuse = -1;
	/* A run outside the round, a column missing, no such file. */
	ck_assert_int_eq(lrk_joblog_read(dir, params, 2, 2, seen_row, &s,
	    err), -1);
	ck_assert_str_eq(err + strlen(dir),
	    "/joblog.tsv:2: Seq: \"2\" is not a run of this round");
	ck_assert_int_eq(lrk_joblog_read(dir, other, 2, 4, seen_row, &s,
	    err), -1);
	ck_assert_str_eq(err + strlen(dir),
	    "/joblog.tsv: not a joblog of sweep-run -p max -p wd");
	/* A row cut in its Status (a full disk mid-write), then the run
	 * again, whole: the cut row is no row. */
	put("joblog.tsv", "Seq\tExitval\tSignal\tmax\tseed\tStatus\n"
	    "0\t0\t0\t0.1\t1\tdo\n0\t0\t0\t0.1\t1\tdone\n");
	s.n = 0;
	ck_assert_int_eq(lrk_joblog_read(dir, params, 2, 4, seen_row, &s,
	    err), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_int_eq(s.status[0], LRK_RUN_DONE);
	/* A status that is no run's end, after the row was seen. */
	put("joblog.tsv", "Seq\tExitval\tSignal\tmax\tseed\tStatus\n"
	    "0\t0\t0\t0.1\t1\tstopped\n");
	s.n = 0;
	ck_assert_int_eq(lrk_joblog_read(dir, params, 2, 4, seen_row, &s,
	    err), -1);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_int_eq(s.status[0], LRK_RUN_NONE);
	ck_assert_str_eq(err + strlen(dir),
	    "/joblog.tsv:2: Status: \"stopped\" is not a run's end");
	unlink(path_in("joblog.tsv"));
	ck_assert_int_eq(lrk_joblog_read(dir, params, 2, 4, seen_row, &s,
	    err), -1);
	ck_assert(strstr(err, "No such file") != NULL);
	lrk_grid_free(g);
}
END_TEST

/* Every row read back: the values of "v" as the reader gives them. */
static int
bytes_row(void *arg, const struct lrk_joblog_line *l, char *err)
{
	char **got = arg;

	(void)err;
	free(got[l->run]);
	got[l->run] = strdup(l->values[0]);
	return 0;
}

/*
 * lrkit(7): "whatever lrkit writes, lrkit reads back": a joblog row for
 * a value holding each byte 1 to 255 (a comma separates values in -p, so
 * it comes alone at the end of a value list of its own), with every byte
 * in the command too, reads back to the same value.
 */
START_TEST(test_joblog_bytes)
{
	static const char *const params[] = { "v" };
	struct lrk_grid *g = lrk_grid_new();
	struct lrk_joblog_entry e = { 0 };
	struct lrk_buf spec = { 0 };
	char err[LRK_ERRSIZE], cmd[256], *argv[] = { "sh", "-c", cmd, NULL };
	char *got[256] = { 0 };
	size_t nruns = 0, i;
	int fd, c;

	lrk_buf_str(&spec, "v=");
	for (c = 1; c < 256; c++) {
		if (c == ',')
			continue;
		if (nruns++ > 0)
			lrk_buf_char(&spec, ',');
		lrk_buf_char(&spec, 'a');
		lrk_buf_char(&spec, (char)c);
		lrk_buf_char(&spec, 'b');
		cmd[c - 1] = (char)c;
	}
	cmd[255] = '\0';
	ck_assert_int_eq(lrk_grid_add(g, spec.data, err), 0);
	unlink(path_in("joblog.tsv"));
	ck_assert_int_ge(fd = lrk_joblog_open(dir, g, err), 0);
	e.host = ":";
	e.argv = argv;
	for (i = 0; i < nruns; i++) {
		e.run = i;
		e.status = LRK_RUN_DONE;
		ck_assert_int_eq(lrk_joblog_row(fd, g, &e), 0);
	}
	close(fd);
	ck_assert_int_eq(lrk_joblog_read(dir, params, 1, nruns, bytes_row,
	    got, err), 0);
	for (i = 0; i < nruns; i++) {
		ck_assert_ptr_nonnull(got[i]);
		ck_assert_str_eq(got[i], lrk_grid_value(g, i, 0));
		free(got[i]);
	}
	unlink(path_in("joblog.tsv"));
	lrk_buf_free(&spec);
	lrk_grid_free(g);
}
END_TEST

static void
add_message(void *arg, size_t k, const char *what, size_t len)
{
	char *b = arg;
	size_t n = strlen(b);

	snprintf(b + n, 256 - n, "%zu=%.*s|", k, (int)len, what);
}

/* sweep-run's messages about runs, picked out of its stderr. */
START_TEST(test_run_messages)
{
	char got[256] = "";

	lrk_run_messages("training...\n"
	    "sweep-run: run 2: timed out after 1 s\n"
	    "[run 1] sweep-run: run 1: not at the start\n"
	    "sweep-run: run x: no number\n"
	    "sweep-run: run 9: beyond the runs\n"
	    "sweep-run: run 3 no colon\n"
	    "sweep-run: run 0: first\n"
	    "sweep-run: run 2: again, unended", 4, add_message, got);
	ck_assert_str_eq(got, "2=timed out after 1 s|0=first|"
	    "2=again, unended|");
	got[0] = '\0';
	lrk_run_messages(NULL, 4, add_message, got);
	lrk_run_messages("", 4, add_message, got);
	ck_assert_str_eq(got, "");
}
END_TEST

/* --resume: a run's file is done when it is this grid's run. */
START_TEST(test_run_file_done)
{
	struct lrk_grid *g = grid2();
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(lrk_run_file_done(dir, g, 1, err), 0);
	put("run-1.csv", "run,wd,seed,step,lr,loss\n1,0,2,0,0.1,1\n");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 1, err), 1);
	/* The child's extra columns may follow loss. */
	put("run-3.csv", "run,wd,seed,step,lr,loss,acc\n3,1e-4,2,0,0.1,1,"
	    "0.5\n");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 3, err), 1);
	put("run-3.csv", "run,wd,seed,step,lr,lossy\n3,1e-4,2,0,0.1,1\n");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 3, err), -1);
	/* Empty, or the header alone: a run to do again. */
	put("run-3.csv", "run,wd,seed,step,lr,loss\n");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 3, err), 0);
	put("run-3.csv", "run,wd,seed,step,lr,loss,acc\n");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 3, err), 0);
	put("run-3.csv", "run,wd,seed,step,lr,loss");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 3, err), 0);
	put("run-3.csv", "");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 3, err), 0);
	put("run-3.csv", "run,wd,seed,step,lr,lossy\n");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 3, err), -1);
	put("run-2.csv", "run,wd,seed,step,lr,loss\n2,0,2,0,0.1,1\n");
	ck_assert_int_eq(lrk_run_file_done(dir, g, 2, err), -1);
	ck_assert(strstr(err, "run-2.csv: --resume: not the file of run 2 of "
	    "this grid (wd=1e-4, seed=1): the grid has changed") != NULL);
	lrk_grid_free(g);
}
END_TEST

/* Stale temporary files go; locked or fresh ones and others stay. */
START_TEST(test_remove_stale)
{
	struct timeval old[2] = { { 1000, 0 }, { 1000, 0 } };
	char *path;
	int fd;

	put(".run-0.AbC123", "x");
	put(".run-1.XyZ789", "x");
	put(".run-2.Fresh1", "x");
	put(".run-x.AbC123", "x");
	put("run-3.csv", "x");
	path = lrk_path_join(dir, ".run-0.AbC123");
	utimes(path, old);
	free(path);
	path = lrk_path_join(dir, ".run-x.AbC123");
	utimes(path, old);
	free(path);
	path = lrk_path_join(dir, ".run-1.XyZ789");
	utimes(path, old);
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	free(path);
	ck_assert_uint_eq(lrk_remove_stale(dir), 1);
	close(fd);
	path = lrk_path_join(dir, ".run-0.AbC123");
	ck_assert_int_eq(access(path, F_OK), -1);
	free(path);
	ck_assert_uint_eq(lrk_remove_stale(dir), 1);	/* now unlocked */
	ck_assert_uint_eq(lrk_remove_stale(dir), 0);
}
END_TEST

/* The environment: the caller's, the parameters, LRKIT_RUN. */
START_TEST(test_env)
{
	struct lrk_grid *g = grid2();
	char *env[] = { "HOME=/h", "wd=9", "LRKIT_RUN=7", "PATH=/bin", NULL };
	char **out;

	out = lrk_run_env(env, g, 2);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out[0], "HOME=/h");
	ck_assert_str_eq(out[1], "PATH=/bin");
	ck_assert_str_eq(out[2], "wd=1e-4");
	ck_assert_str_eq(out[3], "seed=1");
	ck_assert_str_eq(out[4], "LRKIT_RUN=2");
	ck_assert_str_eq(out[5], "PYTHONUNBUFFERED=1");
	ck_assert_str_eq(out[6], "LRKIT_SLOT=1");
	ck_assert_ptr_null(out[7]);
	lrk_run_env_free(out);
	lrk_grid_free(g);
}
END_TEST

/*
 * sweep-run(1): "LRKIT_SLOT, the run's slot"; with --gpus, its entry of
 * the list is CUDA_VISIBLE_DEVICES, whatever the caller's environment
 * said.
 */
START_TEST(test_env_slot)
{
	struct lrk_grid *g = grid2();
	char *env[] = { "CUDA_VISIBLE_DEVICES=0,1", "LRKIT_SLOT=9", NULL };
	char **out;

	out = lrk_run_env_slot(env, g, 0, "3", "2");
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out[0], "wd=0");
	ck_assert_str_eq(out[4], "LRKIT_SLOT=3");
	ck_assert_str_eq(out[5], "CUDA_VISIBLE_DEVICES=2");
	ck_assert_ptr_null(out[6]);
	lrk_run_env_free(out);
	/* No list: the caller's CUDA_VISIBLE_DEVICES stays. */
	out = lrk_run_env_slot(env, g, 0, "1", NULL);
	ck_assert_str_eq(out[0], "CUDA_VISIBLE_DEVICES=0,1");
	ck_assert_str_eq(out[5], "LRKIT_SLOT=1");
	ck_assert_ptr_null(out[6]);
	lrk_run_env_free(out);
	lrk_grid_free(g);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sweep");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(core, test_paths);
	tcase_add_test(core, test_joblog);
	tcase_add_test(core, test_joblog_read);
	tcase_add_test(core, test_run_messages);
	tcase_add_test(core, test_run_file_done);
	tcase_add_test(limits, test_remove_stale);
	tcase_add_test(core, test_env);
	tcase_add_test(core, test_joblog_bytes);
	tcase_add_test(core, test_env_slot);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
