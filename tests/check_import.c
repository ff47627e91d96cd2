/* Unit tests of lib/dense.c, lib/import.c, lib/import_json.c and
 * lib/import_mlflow.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* What one import of text (as a seekable file) writes, or NULL. */
struct run {
	char	*out;
	size_t	 len;
	char	 err[LRK_ERRSIZE];
	int	 status;
};

static FILE *
file_of(const char *text)
{
	FILE *fp = tmpfile();

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	rewind(fp);
	return fp;
}

static void
import(struct run *r, int format, const char *text,
    const struct lrk_dense_options *opt)
{
	struct lrk_writer *w;
	struct lrk_dense *d;
	FILE *in = file_of(text), *out = open_memstream(&r->out, &r->len);
	const char *name = "in", *metric = "m";

	w = lrk_writer_new(out, ',', "\n");
	d = lrk_dense_new(opt, w);
	r->err[0] = '\0';
	switch (format) {
	case LRK_FORMAT_HF:
		r->status = lrk_import_hf(in, name, 0, d, r->err);
		break;
	case LRK_FORMAT_JSONL:
		r->status = lrk_import_jsonl(in, name, d, r->err);
		break;
	case LRK_FORMAT_MLFLOW:
		r->status = lrk_import_mlflow(&in, &name, &metric, 1, d,
		    r->err);
		break;
	default:
		r->status = lrk_import_csv(in, name, NULL, d, r->err);
		break;
	}
	if (r->status == 0)
		r->status = lrk_dense_finish(d, r->err);
	lrk_dense_free(d);
	lrk_writer_free(w);
	fclose(out);
	fclose(in);
}

static void
expect(int format, const char *text, const struct lrk_dense_options *opt,
    const char *want)
{
	struct run r;

	import(&r, format, text, opt);
	ck_assert_msg(r.status == 0, "error: %s", r.err);
	ck_assert_str_eq(r.out, want);
	free(r.out);
}

static void
expect_error(int format, const char *text,
    const struct lrk_dense_options *opt, const char *want)
{
	struct run r;

	import(&r, format, text, opt);
	ck_assert_int_eq(r.status, -1);
	ck_assert_str_eq(r.err, want);
	ck_assert_str_eq(r.out, "");
	free(r.out);
}

START_TEST(test_hf)
{
	expect(LRK_FORMAT_HF,
	    "{\"log_history\": [\n"
	    " {\"epoch\": 0.5, \"learning_rate\": 1e-05, \"loss\": 2.5,"
	    " \"step\": 10, \"extra\": \"text\"},\n"
	    " {\"eval_loss\": 2.0, \"step\": 10},\n"
	    " {\"epoch\": 1.0, \"learning_rate\": 5e-06, \"loss\": NaN,"
	    " \"step\": 20, \"tokens\": 640},\n"
	    " {\"train_loss\": 2.2, \"train_runtime\": 9.5, \"step\": 20}\n"
	    "]}\n", NULL,
	    "step,epoch,loss,learning_rate,tokens\n"
	    "10,0.5,2.5,1e-05,\n"
	    "20,1,nan,5e-06,640\n");
}
END_TEST

START_TEST(test_jsonl)
{
	expect(LRK_FORMAT_JSONL,
	    "{\"b\": 1, \"a\": -Infinity}\n"
	    "\n"
	    "{\"c\": null, \"a\": 2.5, \"h\": {\"x\": 1}}\n"
	    "{\"c\": 3, \"s\": \"NaN inside a string\"}\n", NULL,
	    "b,a,c\n1,-inf,\n,2.5,\n,,3\n");
	expect(LRK_FORMAT_JSONL, "", NULL, "");
}
END_TEST

START_TEST(test_mlflow)
{
	expect(LRK_FORMAT_MLFLOW, "1000 0.5 0\n1001 nan 1\r\n\n1002 2\n",
	    NULL, "step,timestamp,m\n0,1000,0.5\n1,1001,nan\n0,1002,2\n");
	ck_assert(lrk_import_mlflow_line("1628697792090 332.68 0\n", 23));
	ck_assert(!lrk_import_mlflow_line("step lr loss\n", 13));
	ck_assert(!lrk_import_mlflow_line("1 2 3 4\n", 8));
}
END_TEST

START_TEST(test_dense)
{
	static const char *const ffill[] = { "lr" };
	static const char *const rename[] = { "lr-Adam=lr" };
	struct lrk_dense_options opt = { .merge = "step", .ffill = ffill,
	    .nffill = 1, .rename = rename, .nrename = 1,
	    .select = "step,lr,LOSS" };
	struct lrk_dense_options split = { .split = "epoch" };
	struct lrk_dense_options both = { .split = "epoch", .merge = "step" };

	expect(LRK_FORMAT_CSV,
	    "lr-Adam,step,loss\n0.1,1,\n,1,5\n,2,4\nNA,3,\n0.2,3,3\n",
	    &opt, "step,lr,loss\n1,0.1,5\n2,0.1,4\n3,0.2,3\n");
	expect(LRK_FORMAT_CSV, "epoch,x\n0,a\n1,b\n,c\n0,d\nnan,e\n1,f\n",
	    &split, "epoch,x,run\n0,a,1\n1,b,1\n,c,1\n0,d,2\nnan,e,2\n"
	    "1,f,2\n");
	expect(LRK_FORMAT_CSV, "epoch,step,v\n0,1,a\n0,1,b\n0,0,c\n0,1,d\n",
	    &both, "epoch,step,v,run\n0,1,d,1\n0,0,c,1\n");
	expect(LRK_FORMAT_CSV, "step,epoch,v\n1,0,a\n2,0,b\n1,1,c\n"
	    "1,0,d\n", &both, "step,epoch,v,run\n1,1,c,1\n2,0,b,1\n"
	    "1,0,d,2\n");
}
END_TEST

START_TEST(test_detect)
{
	static const struct {
		const char	*text;
		int		 format;
	} cases[] = {
		{ "{\n  \"log_history\": []\n}\n", LRK_FORMAT_HF },
		{ "{\"log_history\": [], \"x\": 1}\n", LRK_FORMAT_HF },
		{ "\xef\xbb\xbf{\"loss\": 1}\n{\"loss\": 2}\n",
		    LRK_FORMAT_JSONL },
		{ "{\"loss\": NaN}\n", LRK_FORMAT_JSONL },
		{ "1628697792090 332.6 0\n", LRK_FORMAT_MLFLOW },
		{ "1628697792090 332.6\n", LRK_FORMAT_MLFLOW },
		{ "step,loss\n1,2\n", LRK_FORMAT_CSV },
		{ "1 2 3 4\n", LRK_FORMAT_CSV },
		{ "", LRK_FORMAT_CSV },
	};
	char err[LRK_ERRSIZE];
	size_t i;
	FILE *fp;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fp = file_of(cases[i].text);
		ck_assert_int_eq(lrk_import_detect(fp, "in", err),
		    cases[i].format);
		ck_assert_int_eq(ftell(fp), 0);
		fclose(fp);
	}
	ck_assert_int_eq(lrk_import_format("jsonl"), LRK_FORMAT_JSONL);
	ck_assert_int_eq(lrk_import_format("json"), -1);
	ck_assert_str_eq(lrk_import_format_name(LRK_FORMAT_TFEVENTS),
	    "tfevents");
}
END_TEST

/*
 * lr-import(1): the format is detected unless -f says it; "--eval reads
 * the evaluation entries of a trainer_state.json", "--wide ... event
 * files", -d and -H are CSV's: with another format each is the user's
 * error (-2), said with the input's name and its format.
 */
static int
import_as(const struct lrk_import_options *o, const char *text, char *out,
    size_t size, char *err)
{
	struct lrk_writer *w;
	struct lrk_dense *d;
	struct lrk_dense_options dopt = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *in = file_of(text), *mem = open_memstream(&buf, &len);
	int r;

	w = lrk_writer_new(mem, ',', "\n");
	d = lrk_dense_new(&dopt, w);
	r = lrk_import(in, "in", o, d, err);
	if (r == 0)
		r = lrk_dense_finish(d, err);
	lrk_dense_free(d);
	lrk_writer_free(w);
	fclose(mem);
	fclose(in);
	snprintf(out, size, "%s", buf);
	free(buf);
	return r;
}

START_TEST(test_import)
{
	struct lrk_import_options o = { 0 };
	char out[256], err[LRK_ERRSIZE];

	ck_assert_int_eq(import_as(&o, "{\"loss\": 1}\n", out, sizeof(out),
	    err), 0);
	ck_assert_str_eq(out, "loss\n1\n");
	ck_assert_int_eq(import_as(&o, "a;b\n1;2\n", out, sizeof(out), err),
	    0);
	ck_assert_str_eq(out, "a,b\n1,2\n");
	o.eval = 1;
	ck_assert_int_eq(import_as(&o, "a,b\n1,2\n", out, sizeof(out), err),
	    -2);
	ck_assert_str_eq(err, "--eval: in is csv, not a trainer_state.json");
	o.eval = 0;
	o.wide = 1;
	ck_assert_int_eq(import_as(&o, "{\"loss\": 1}\n", out, sizeof(out),
	    err), -2);
	ck_assert_str_eq(err, "--wide: in is jsonl, not a TensorBoard event "
	    "file");
	o.wide = 0;
	o.table.delim = ';';
	ck_assert_int_eq(import_as(&o, "{\"loss\": 1}\n", out, sizeof(out),
	    err), -2);
	ck_assert_str_eq(err, "-d and -H: in is jsonl, not CSV");
	o.format = LRK_FORMAT_CSV;
	ck_assert_int_eq(import_as(&o, "a;b\n1;2\n", out, sizeof(out), err),
	    0);
	ck_assert_str_eq(out, "a,b\n1,2\n");
	/* -f says the format: no detection. */
	o.format = LRK_FORMAT_JSONL;
	o.table.delim = 0;
	ck_assert_int_eq(import_as(&o, "a,b\n1,2\n", out, sizeof(out), err),
	    -1);
}
END_TEST

START_TEST(test_errors)
{
	static const char *const bad_rename[] = { "nope=x" };
	struct lrk_dense_options opt = { .rename = bad_rename, .nrename = 1 };

	expect_error(LRK_FORMAT_HF, "{\"log_history\": [\n{\"loss\": 1,\n",
	    NULL, "in:2: invalid JSON: string or '}' expected near end of "
	    "file");
	expect_error(LRK_FORMAT_HF, "{\"log_history\": 1}", NULL,
	    "in:1: \"log_history\" is a number, expected an array");
	expect_error(LRK_FORMAT_HF,
	    "{\"log_history\": [{\"loss\": 1},\n {\"loss\": [2]}]}", NULL,
	    "in:2: log_history[1]: \"loss\" is an array, expected a number");
	/* The column of an error after a NaN is the column in the file. */
	expect_error(LRK_FORMAT_JSONL, "{\"a\": NaN, \"b\": Infinity x}\n",
	    NULL, "in:1: invalid JSON at column 26: '}' expected near 'x'");
	expect_error(LRK_FORMAT_JSONL, "{\"a\": 1}\n{\"a\": {}}\n", NULL,
	    "in:2: \"a\" is an object, expected a number");
	expect_error(LRK_FORMAT_JSONL, "{\"a\": 1}\n[1]\n", NULL,
	    "in:2: an array, expected a JSON object on every line");
	expect_error(LRK_FORMAT_MLFLOW, "1 2 3\n1 2 3 4 5 6\n", NULL,
	    "in:2: expected \"timestamp value step\", found more than 4 "
	    "fields");
	expect_error(LRK_FORMAT_MLFLOW, "1 2 99999999999999999999\n", NULL,
	    "in:1: step \"99999999999999999999\" is not a whole number");
	expect_error(LRK_FORMAT_CSV, "a,b\n1,2\n", &opt,
	    "in: --rename: no column \"nope\"; the columns are: a, b");
}
END_TEST

/* Not quadratic: many distinct merge keys and many JSON Lines keys. */
START_TEST(test_many)
{
	struct lrk_dense_options opt = { .merge = "k" };
	struct run r;
	char *text, *want, *p, *q;
	size_t i, n = 100000;

	text = malloc(n * 24 + 16);
	want = malloc(n * 24 + 16);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(want);
	p = text + sprintf(text, "k,v\n");
	q = want + sprintf(want, "k,v\n");
	for (i = 0; i < n; i++) {
		p += sprintf(p, "%zu,%zu\n", i, i);
		q += sprintf(q, "%zu,%zu\n", i, i);
	}
	for (i = n; i-- > 0;)
		p += sprintf(p, "%zu,\n", i);
	import(&r, LRK_FORMAT_CSV, text, &opt);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, want);
	free(r.out);
	free(want);
	p = text;
	for (i = 0; i < 2000; i++)
		p += sprintf(p, "{\"k%zu\": %zu}\n", i, i);
	import(&r, LRK_FORMAT_JSONL, text, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert(strncmp(r.out, "k0,k1,k2,", 9) == 0);
	ck_assert(strstr(r.out, "\n,1,,") != NULL);
	free(r.out);
	free(text);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("import");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_hf);
	tcase_add_test(core, test_jsonl);
	tcase_add_test(core, test_mlflow);
	tcase_add_test(core, test_dense);
	tcase_add_test(core, test_detect);
	tcase_add_test(core, test_import);
	tcase_add_test(limits, test_errors);
	tcase_add_test(limits, test_many);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
