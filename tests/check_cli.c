/*
 * Unit tests of lib/cli.c: the loop over a tool's input files.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

/* What lrk_inputs_each gave the reader, and what the reader answers. */
static char	 seen[256];
static int	 answer;

static int
reader(FILE *fp, const char *name)
{
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s:%c",
	    seen[0] != '\0' ? " " : "", strrchr(name, '/') != NULL ?
	    strrchr(name, '/') + 1 : name, fp == stdin ? '-' : fgetc(fp));
	return answer;
}

static int
each(int argc, char *argv[], const char *hint, int with)
{
	seen[0] = '\0';
	answer = with;
	return lrk_inputs_each(argc, argv, hint, reader);
}

/*
 * The loop over input files: one that does not open is passed over and
 * makes the status 1; one that does is given with its name; the reader's
 * 1 is a failed input, its 2 ends the loop.
 */
START_TEST(test_inputs)
{
	char dir[] = "/tmp/check_cli.XXXXXX", path[64], folder[64];
	char *argv[4];
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.csv", dir);
	snprintf(folder, sizeof(folder), "%s/sub", dir);
	fp = fopen(path, "w");
	fputs("loss\n1\n", fp);
	fclose(fp);
	ck_assert_int_eq(mkdir(folder, 0700), 0);
	argv[0] = path;
	argv[1] = "/nonexistent/b.csv";
	argv[2] = path;
	argv[3] = NULL;
	ck_assert_int_eq(each(3, argv, NULL, 0), 1);
	ck_assert_str_eq(seen, "a.csv:l a.csv:l");

	/* All good: status 0; a reader's failure counts too; 2 ends it. */
	ck_assert_int_eq(each(1, argv, NULL, 0), 0);
	ck_assert_int_eq(each(1, argv, NULL, 1), 1);
	argv[1] = path;
	ck_assert_int_eq(each(2, argv, NULL, 1), 1);
	ck_assert_str_eq(seen, "a.csv:l a.csv:l");
	ck_assert_int_eq(each(2, argv, NULL, 2), 0);
	ck_assert_str_eq(seen, "a.csv:l");

	/* A folder: read as a file, or refused when the tool asks. */
	argv[0] = folder;
	argv[1] = path;
	ck_assert_int_eq(each(2, argv, NULL, 0), 0);
	ck_assert_msg(strncmp(seen, "sub:", 4) == 0, "%s", seen);
	ck_assert_int_eq(each(2, argv, "a hint", 0), 1);
	ck_assert_str_eq(seen, "a.csv:l");

	/* No file: standard input, called stdin. */
	ck_assert_int_eq(each(0, argv, NULL, 0), 0);
	ck_assert_str_eq(seen, "stdin:-");

	rmdir(folder);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Several inputs, one output dialect: the first table's. */
static FILE *dialect_out;

static int
copy_rows(FILE *fp, const char *name)
{
	struct lrk_table_options opt = { 0 };
	const struct lrk_cell *cells;
	struct lrk_table *t;
	struct lrk_writer *w;

	ck_assert_ptr_nonnull(t = lrk_open_table(fp, name, &opt));
	ck_assert_ptr_nonnull(w = lrk_inputs_writer(dialect_out, t));
	while (lrk_table_next(t, &cells) == 1) {
		lrk_write_cells(w, cells, lrk_table_columns(t));
		lrk_write_end(w);
	}
	lrk_writer_free(w);
	lrk_table_free(t);
	return 0;
}

START_TEST(test_inputs_writer)
{
	static const char *const texts[] = { "a;b\r\n1;x,y\r\n",
	    "a,b\n2,3\n", "a\tb\n4\t5\n" };
	char dir[] = "/tmp/check_cli.XXXXXX", path[3][64], *argv[3];
	char *out = NULL;
	size_t len = 0, i;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; i < 3; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/%zu.csv", dir, i);
		ck_assert_ptr_nonnull(fp = fopen(path[i], "w"));
		fputs(texts[i], fp);
		fclose(fp);
		argv[i] = path[i];
	}
	dialect_out = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(dialect_out);
	ck_assert_int_eq(lrk_inputs_each(3, argv, NULL, copy_rows), 0);
	fclose(dialect_out);
	ck_assert_str_eq(out, "1;x,y\r\n2;3\r\n4;5\r\n");
	free(out);
	/* Each loop is an output of its own: the first table's again. */
	dialect_out = open_memstream(&out, &len);
	ck_assert_int_eq(lrk_inputs_each(2, argv + 1, NULL, copy_rows), 0);
	fclose(dialect_out);
	ck_assert_str_eq(out, "2,3\n4,5\n");
	free(out);
	for (i = 0; i < 3; i++)
		unlink(path[i]);
	rmdir(dir);
}
END_TEST

/*
 * Run fn in a child with its standard error in a pipe: its exit status
 * (or -1 when it did not exit) and what it wrote, in buf.
 */
static int
in_child(void (*fn)(void), char *buf, size_t size)
{
	int pfd[2], status;
	ssize_t n;
	size_t len = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(pfd), 0);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pfd[1], 2);
		close(pfd[0]);
		fn();
		_exit(0);
	}
	close(pfd[1]);
	while (len < size - 1 && (n = read(pfd[0], buf + len,
	    size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
too_big(void)
{
	lrk_xreallocarray(NULL, (size_t)PTRDIFF_MAX + 1, 1);
}

/* n * size overflows: refused before realloc is called. */
static void
reallocarray_overflow(void)
{
	lrk_xreallocarray(NULL, SIZE_MAX / 8 + 2, 8);
}

static void
check_null(void)
{
	lrk_xcheck(NULL);
}

static void
all_well(void)
{
	char *s;

	s = lrk_xcheck(strdup("x"));
	free(s);
}

/*
 * The allocation wrappers: what they give is usable, and running out
 * (a size that overflows or is past PTRDIFF_MAX, a NULL from an
 * allocating call) is "out of memory", status 1.
 */
START_TEST(test_alloc)
{
	static void (*const dies[])(void) = { too_big,
	    reallocarray_overflow, check_null };
	char msg[256];
	unsigned char *p;
	size_t i;

	p = lrk_xreallocarray(NULL, 1000, 3);
	p[2999] = 7;
	p = lrk_xreallocarray(p, 4000, 3);
	ck_assert_uint_eq(p[2999], 7);
	p = lrk_xreallocarray(p, 0, 3);
	ck_assert_ptr_nonnull(p);
	free(p);

	lrk_progname = "check_cli";
	for (i = 0; i < sizeof(dies) / sizeof(dies[0]); i++) {
		ck_assert_int_eq(in_child(dies[i], msg, sizeof(msg)), 1);
		ck_assert_str_eq(msg, "check_cli: out of memory\n");
	}
	ck_assert_int_eq(in_child(all_well, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cli");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_inputs);
	tcase_add_test(core, test_inputs_writer);
	tcase_add_test(limits, test_alloc);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
