/* Unit tests of lib/outfile.c: all or nothing, modes, cleanup. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extern.h"

static char dir[] = "/tmp/check_outfile.XXXXXX";

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
	strcpy(dir, "/tmp/check_outfile.XXXXXX");
}

static char *
in_dir(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* How many entries the folder has besides . and .. */
static int
entries(void)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void
slurp(const char *path, char *buf, size_t size)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(fp);
	n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

/* The target appears only at commit; the temporary file is beside it. */
START_TEST(test_commit)
{
	struct lrk_outfile o;
	char err[LRK_ERRSIZE], buf[64];
	const char *path = in_dir("run-0.csv");

	ck_assert_int_eq(lrk_outfile_open(&o, path, 0, err), 0);
	ck_assert(strncmp(lrk_outfile_tmp(&o), dir, strlen(dir)) == 0);
	ck_assert(strstr(lrk_outfile_tmp(&o), "/.run-0.") != NULL);
	fputs("a,b\n", lrk_outfile_fp(&o));
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(entries(), 1);
	ck_assert_int_eq(lrk_outfile_commit(&o, err), 0);
	slurp(path, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a,b\n");
	ck_assert_int_eq(entries(), 1);
}
END_TEST

/* In one call: the bytes whole at the target, or an error and nothing. */
START_TEST(test_write)
{
	char err[LRK_ERRSIZE], buf[64];
	const char *path = in_dir("plot.svg");

	ck_assert_int_eq(lrk_outfile_write(path, 0, "<svg/>\n", 7, err), 0);
	slurp(path, buf, sizeof(buf));
	ck_assert_str_eq(buf, "<svg/>\n");
	ck_assert_int_eq(entries(), 1);
	ck_assert_int_eq(lrk_outfile_write(in_dir("no/such/plot.svg"), 0,
	    "x", 1, err), -1);
	ck_assert_msg(strstr(err, "no/such") != NULL, "%s", err);
	ck_assert_int_eq(entries(), 1);
}
END_TEST

/* Abort leaves the old file as it was and no temporary file. */
START_TEST(test_abort)
{
	struct lrk_outfile o;
	char err[LRK_ERRSIZE], buf[64];
	const char *path = in_dir("plot.svg");
	FILE *fp = fopen(path, "w");

	fputs("old\n", fp);
	fclose(fp);
	ck_assert_int_eq(lrk_outfile_open(&o, path, 0, err), 0);
	fputs("new\n", lrk_outfile_fp(&o));
	lrk_outfile_abort(&o);
	slurp(path, buf, sizeof(buf));
	ck_assert_str_eq(buf, "old\n");
	ck_assert_int_eq(entries(), 1);
}
END_TEST

/* A new file: 0666 & ~umask.  A replaced file keeps its mode. */
START_TEST(test_modes)
{
	struct lrk_outfile o;
	char err[LRK_ERRSIZE];
	const char *path = in_dir("new.csv");
	struct stat st;
	mode_t old = umask(022);

	ck_assert_int_eq(lrk_outfile_open(&o, path, 0, err), 0);
	ck_assert_int_eq(lrk_outfile_commit(&o, err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	umask(077);
	unlink(path);
	ck_assert_int_eq(lrk_outfile_open(&o, path, 0, err), 0);
	ck_assert_int_eq(lrk_outfile_commit(&o, err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	/* Replaced under umask 022: a 0600 file stays 0600, 0640 too. */
	umask(022);
	ck_assert_int_eq(lrk_outfile_open(&o, path, 0, err), 0);
	ck_assert_int_eq(lrk_outfile_commit(&o, err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	chmod(path, 0640);
	ck_assert_int_eq(lrk_outfile_open(&o, path, 0, err), 0);
	ck_assert_int_eq(lrk_outfile_commit(&o, err), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	umask(old);
}
END_TEST

/* A symbolic link is followed: the file it names is replaced. */
START_TEST(test_symlink)
{
	struct lrk_outfile o;
	char err[LRK_ERRSIZE], buf[64], target[256];
	struct stat st;

	snprintf(target, sizeof(target), "%s", in_dir("real.svg"));
	fclose(fopen(target, "w"));
	ck_assert_int_eq(symlink("real.svg", in_dir("link.svg")), 0);
	ck_assert_int_eq(lrk_outfile_open(&o, in_dir("link.svg"), 0, err), 0);
	fputs("x\n", lrk_outfile_fp(&o));
	ck_assert_int_eq(lrk_outfile_commit(&o, err), 0);
	ck_assert_int_eq(lstat(in_dir("link.svg"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	slurp(target, buf, sizeof(buf));
	ck_assert_str_eq(buf, "x\n");
}
END_TEST

/* Errors: a folder, a missing folder, a failed write. */
START_TEST(test_errors)
{
	struct lrk_outfile o;
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(lrk_outfile_open(&o, dir, 0, err), -1);
	ck_assert(strstr(err, "Is a directory") != NULL);
	ck_assert_int_eq(lrk_outfile_open(&o, in_dir("no/such.csv"), 0, err),
	    -1);
	ck_assert(strstr(err, "No such file or directory") != NULL);
	/* /dev/full in place: the write error is reported at commit. */
	ck_assert_int_eq(lrk_outfile_open(&o, "/dev/full",
	    LRK_OUTFILE_IN_PLACE, err), 0);
	fputs("x\n", lrk_outfile_fp(&o));
	ck_assert_int_eq(lrk_outfile_commit(&o, err), -1);
	ck_assert_str_eq(err, "/dev/full: No space left on device");
	ck_assert_int_eq(entries(), 0);
}
END_TEST

/* exit() and a signal remove the temporary files in flight. */
START_TEST(test_cleanup)
{
	struct lrk_outfile o[2];
	char err[LRK_ERRSIZE];
	int status;
	pid_t pid;

	if ((pid = fork()) == 0) {
		if (lrk_outfile_open(&o[0], in_dir("a.csv"), 0, err) != 0 ||
		    lrk_outfile_open(&o[1], in_dir("b.csv"), 0, err) != 0)
			_exit(3);
		exit(1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	ck_assert_int_eq(entries(), 0);
	if ((pid = fork()) == 0) {
		lrk_outfile_catch_signals();
		if (lrk_outfile_open(&o[0], in_dir("a.csv"), 0, err) != 0)
			_exit(3);
		raise(SIGTERM);
		_exit(4);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	ck_assert_int_eq(entries(), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("outfile");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(core, test_commit);
	tcase_add_test(core, test_write);
	tcase_add_test(core, test_abort);
	tcase_add_test(core, test_modes);
	tcase_add_test(core, test_symlink);
	tcase_add_test(limits, test_errors);
	tcase_add_test(limits, test_cleanup);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
