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

/*
 * The loop over input files: one that does not open is passed over and
 * makes the status 1; one that does is given with its name.
 */
START_TEST(test_inputs)
{
	char dir[] = "/tmp/check_cli.XXXXXX", path[64], folder[64];
	char *argv[4];
	struct lrk_inputs in;
	FILE *fp;
	int n = 0;

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
	lrk_inputs_init(&in, 3, argv);
	while (lrk_inputs_next(&in)) {
		ck_assert_str_eq(in.name, path);
		ck_assert_int_eq(fgetc(in.fp), 'l');
		n++;
	}
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(lrk_inputs_end(&in), 1);

	/* All good: status 0; a tool's own failure counts too. */
	lrk_inputs_init(&in, 1, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_int_eq(lrk_inputs_next(&in), 0);
	ck_assert_int_eq(lrk_inputs_end(&in), 0);
	lrk_inputs_init(&in, 1, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	in.status = 1;
	ck_assert_int_eq(lrk_inputs_end(&in), 1);

	/* A folder: read as a file, or refused when the tool asks. */
	argv[0] = folder;
	argv[1] = path;
	lrk_inputs_init(&in, 2, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_str_eq(in.name, folder);
	ck_assert_int_eq(lrk_inputs_end(&in), 0);
	lrk_inputs_init(&in, 2, argv);
	in.folder_hint = "a hint";
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_str_eq(in.name, path);
	ck_assert_int_eq(lrk_inputs_end(&in), 1);

	/* No file: standard input, called stdin. */
	lrk_inputs_init(&in, 0, argv);
	ck_assert_int_eq(lrk_inputs_next(&in), 1);
	ck_assert_ptr_eq(in.fp, stdin);
	ck_assert_str_eq(in.name, "stdin");
	ck_assert_int_eq(lrk_inputs_next(&in), 0);
	ck_assert_int_eq(lrk_inputs_end(&in), 0);

	rmdir(folder);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Several inputs, one output dialect: the first table's. */
START_TEST(test_inputs_writer)
{
	static const char *const texts[] = { "a;b\r\n1;x,y\r\n",
	    "a,b\n2,3\n", "a\tb\n4\t5\n" };
	struct lrk_table_options opt = { 0 };
	const struct lrk_cell *cells;
	struct lrk_inputs in = { 0 };
	struct lrk_table *t;
	struct lrk_writer *w;
	char *out = NULL;
	size_t len = 0, i;
	FILE *fp, *outfp;

	outfp = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(outfp);
	for (i = 0; i < 3; i++) {
		fp = fmemopen((void *)texts[i], strlen(texts[i]), "r");
		ck_assert_ptr_nonnull(t = lrk_open_table(fp, "t", &opt));
		ck_assert_ptr_nonnull(w = lrk_inputs_writer(&in, outfp, t));
		while (lrk_table_next(t, &cells) == 1) {
			lrk_write_cells(w, cells, lrk_table_columns(t));
			lrk_write_end(w);
		}
		lrk_writer_free(w);
		lrk_table_free(t);
		fclose(fp);
	}
	fclose(outfp);
	ck_assert_str_eq(out, "1;x,y\r\n2;3\r\n4;5\r\n");
	free(out);
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
calloc_overflow(void)
{
	lrk_xcalloc(SIZE_MAX / 2, 4);
}

static void
malloc_too_big(void)
{
	lrk_xmalloc((size_t)PTRDIFF_MAX + 1);
}

static void
reallocarray_overflow(void)
{
	lrk_xreallocarray(lrk_xmalloc(8), SIZE_MAX / 8 + 2, 8);
}

static void
check_null(void)
{
	lrk_xcheck(NULL);
}

static void
buf_failed(void)
{
	struct lrk_buf b = { 0 };

	lrk_buf_str(&b, "ab");
	lrk_buf_reserve(&b, (size_t)-1 / 2);
	lrk_xbuf_check(&b);
}

static void
all_well(void)
{
	struct lrk_buf b = { 0 };
	char *s;

	lrk_buf_str(&b, "ab");
	lrk_xbuf_check(&b);
	lrk_buf_free(&b);
	s = lrk_xcheck(lrk_xstrdup("x"));
	free(s);
}

/*
 * The allocation wrappers: what they give is usable, and running out
 * (a size that overflows or is past PTRDIFF_MAX, a NULL from an
 * allocating call, a lrk_buf that failed) is "out of memory", status 1.
 */
START_TEST(test_alloc)
{
	static void (*const dies[])(void) = { calloc_overflow,
	    malloc_too_big, reallocarray_overflow, check_null, buf_failed };
	char msg[256], *s;
	unsigned char *p;
	size_t i;

	p = lrk_xcalloc(1000, 3);
	for (i = 0; i < 3000; i++)
		ck_assert_uint_eq(p[i], 0);
	p[2999] = 7;
	p = lrk_xreallocarray(p, 4000, 3);
	ck_assert_uint_eq(p[2999], 7);
	p = lrk_xreallocarray(p, 0, 3);
	ck_assert_ptr_nonnull(p);
	free(p);
	ck_assert_ptr_nonnull(p = lrk_xmalloc(0));
	free(p);
	s = lrk_xstrdup("loss");
	ck_assert_str_eq(s, "loss");
	free(s);

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
