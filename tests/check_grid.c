/* Unit tests of lib/grid.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

/* Run order: nested loops in the order given, the last one innermost. */
START_TEST(test_product_order)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE];
	static const char *const want[][2] = {
		{ "0", "1" }, { "0", "2" }, { "0", "3" },
		{ "1e-4", "1" }, { "1e-4", "2" }, { "1e-4", "3" }
	};
	size_t k;

	ck_assert_uint_eq(lrk_grid_runs(g), 1);
	ck_assert_int_eq(lrk_grid_add(g, "wd=0,1e-4", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "seed=1,2,3", err), 0);
	ck_assert_uint_eq(lrk_grid_params(g), 2);
	ck_assert_uint_eq(lrk_grid_runs(g), 6);
	ck_assert_str_eq(lrk_grid_name(g, 0), "wd");
	ck_assert_str_eq(lrk_grid_name(g, 1), "seed");
	ck_assert_uint_eq(lrk_grid_values(g, 1), 3);
	for (k = 0; k < 6; k++) {
		ck_assert_str_eq(lrk_grid_value(g, k, 0), want[k][0]);
		ck_assert_str_eq(lrk_grid_value(g, k, 1), want[k][1]);
	}
	lrk_grid_free(g);
}
END_TEST

START_TEST(test_subst)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE], *s;

	ck_assert_int_eq(lrk_grid_add(g, "wd=0,0.01", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "bs=32,64", err), 0);
	s = lrk_grid_subst(g, 3, "--wd={wd} --bs {bs} run{run}{bs}", err);
	ck_assert_str_eq(s, "--wd=0.01 --bs 64 run364");
	free(s);
	/* Braces around anything but a name are left alone. */
	s = lrk_grid_subst(g, 0, "{} {\"a\": {wd}} { wd} {", err);
	ck_assert_str_eq(s, "{} {\"a\": 0} { wd} {");
	free(s);
	s = lrk_grid_subst(g, 0, "", err);
	ck_assert_str_eq(s, "");
	free(s);
	/* ${NAME} is the shell's: "$0.01" would expand $0. */
	s = lrk_grid_subst(g, 1, "x=${wd} ${HOME} $wd a{wd}${bs}{bs}", err);
	ck_assert_str_eq(s, "x=${wd} ${HOME} $wd a0${bs}64");
	free(s);
	s = lrk_grid_subst(g, 1, "${wd", err);
	ck_assert_str_eq(s, "${wd");
	free(s);
	ck_assert_ptr_null(lrk_grid_subst(g, 0, "--lr {lr_max}", err));
	ck_assert_str_eq(err, "{lr_max}: no such parameter (give it with "
	    "-p lr_max=...)");
	lrk_grid_free(g);
}
END_TEST

START_TEST(test_values_file)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE], path[] = "/tmp/check_grid.XXXXXX", spec[64];
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("a,b\r\n\n\"q\"\nlast", fp);
	fclose(fp);
	snprintf(spec, sizeof(spec), "opt=@%s", path);
	ck_assert_int_eq(lrk_grid_add(g, spec, err), 0);
	ck_assert_uint_eq(lrk_grid_runs(g), 3);
	ck_assert_str_eq(lrk_grid_value(g, 0, 0), "a,b");
	ck_assert_str_eq(lrk_grid_value(g, 1, 0), "\"q\"");
	ck_assert_str_eq(lrk_grid_value(g, 2, 0), "last");
	fp = fopen(path, "w");
	fputs("\n\n", fp);
	fclose(fp);
	snprintf(spec, sizeof(spec), "empty=@%s", path);
	ck_assert_int_eq(lrk_grid_add(g, spec, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no values in the file"));
	unlink(path);
	ck_assert_int_eq(lrk_grid_add(g, spec, err), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	lrk_grid_free(g);
}
END_TEST

START_TEST(test_bad_specs)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE];

	ck_assert_int_eq(lrk_grid_add(g, "seed", err), -1);
	ck_assert_str_eq(err, "\"seed\": give NAME=V1,V2,... or NAME=@FILE");
	ck_assert_int_eq(lrk_grid_add(g, "1x=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "a-b=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "lr=1", err), -1);
	ck_assert_str_eq(err, "\"lr\": lr-suggest and lr-plot would read a "
	    "column of that name as the lr (see lrkit(7)); choose another "
	    "name");
	/* Whatever the tools' default lookups take for a role, any case. */
	ck_assert_int_eq(lrk_grid_add(g, "label_smooth=0,0.1", err), -1);
	ck_assert_str_eq(err, "\"label_smooth\": lr-suggest and lr-plot "
	    "would read a column of that name as the smoothed loss (see "
	    "lrkit(7)); choose another name");
	ck_assert_int_eq(lrk_grid_add(g, "LR=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "Loss=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "Run=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "STEP=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "Learning_Rate=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "value=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "train_loss_step=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "x_SMOOTH=1", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "lr_mult=1", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "smooth=1", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "runs=1", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "x=1,,2", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "x=", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "x=1,", err), -1);
	ck_assert_int_eq(lrk_grid_add(g, "x=1", err), 0);
	ck_assert_int_eq(lrk_grid_add(g, "x=2", err), -1);
	ck_assert_str_eq(err, "\"x\": the parameter is given twice");
	/* The user's text in a message: control bytes and bytes that are
	 * not UTF-8 as \xNN. */
	ck_assert_int_eq(lrk_grid_add(g, "\033[2J", err), -1);
	ck_assert_str_eq(err, "\"\\x1b[2J\": give NAME=V1,V2,... or "
	    "NAME=@FILE");
	ck_assert_int_eq(lrk_grid_add(g, "a\377\033=1", err), -1);
	ck_assert_str_eq(err, "\"a\\xff\\x1b\": a parameter name is letters, "
	    "digits and _, not starting with a digit");
	ck_assert_int_eq(lrk_grid_add(g, "y=@no\033such", err), -1);
	ck_assert_str_eq(err, "no\\x1bsuch: No such file or directory");
	ck_assert_uint_eq(lrk_grid_runs(g), 1);
	lrk_grid_free(g);
}
END_TEST

/* The product must not overflow: a grid too large is an error. */
START_TEST(test_too_many_runs)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE], spec[4096], name[16];
	size_t i, len;
	int r = 0, p;

	for (p = 0; p < 40 && r == 0; p++) {
		len = (size_t)snprintf(spec, sizeof(spec), "p%d=", p);
		for (i = 0; i < 1000; i++)
			len += (size_t)snprintf(spec + len, sizeof(spec) - len,
			    "%s%zu", i ? "," : "", i);
		r = lrk_grid_add(g, spec, err);
	}
	ck_assert_int_eq(r, -1);
	ck_assert_str_eq(err, "the grid has too many runs");
	ck_assert_uint_gt(lrk_grid_runs(g), 1000000);
	/* The last run's values are the last ones of each list. */
	for (i = 0; i < lrk_grid_params(g); i++)
		ck_assert_str_eq(lrk_grid_value(g, lrk_grid_runs(g) - 1, i),
		    "999");
	snprintf(name, sizeof(name), "%s", lrk_grid_name(g, 0));
	ck_assert_str_eq(name, "p0");
	lrk_grid_free(g);
}
END_TEST

START_TEST(test_long_values)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE], *spec, *s;
	size_t n = 100000;

	spec = malloc(n + 3);
	memcpy(spec, "v=", 2);
	memset(spec + 2, 'x', n);
	spec[n + 2] = '\0';
	ck_assert_int_eq(lrk_grid_add(g, spec, err), 0);
	s = lrk_grid_subst(g, 0, "{v}{v}", err);
	ck_assert_uint_eq(strlen(s), 2 * n);
	free(s);
	free(spec);
	lrk_grid_free(g);
}
END_TEST

/*
 * lr-confirm(1): "-s or the command must take {max} (as {max}, $max or
 * ${max})": an exact parse, not a substring.
 */
START_TEST(test_mentions)
{
	ck_assert_int_eq(lrk_grid_mentions("onecycle max={max} n=5", "max"), 1);
	ck_assert_int_eq(lrk_grid_mentions("exec ./t \"$max\"", "max"), 1);
	ck_assert_int_eq(lrk_grid_mentions("x=${max}", "max"), 1);
	ck_assert_int_eq(lrk_grid_mentions("$max", "max"), 1);
	ck_assert_int_eq(lrk_grid_mentions("$max-1", "max"), 1);
	ck_assert_int_eq(lrk_grid_mentions("$max_steps", "max"), 0);
	ck_assert_int_eq(lrk_grid_mentions("${max_steps}", "max"), 0);
	ck_assert_int_eq(lrk_grid_mentions("{max_lr}", "max"), 0);
	ck_assert_int_eq(lrk_grid_mentions("{maxi}{ max}{max", "max"), 0);
	ck_assert_int_eq(lrk_grid_mentions("$$max", "max"), 1);
	ck_assert_int_eq(lrk_grid_mentions("max", "max"), 0);
	ck_assert_int_eq(lrk_grid_mentions("{seed}", "seed"), 1);
	ck_assert_int_eq(lrk_grid_mentions("$seeds", "seed"), 0);
	ck_assert_int_eq(lrk_grid_mentions("", "seed"), 0);
}
END_TEST

/*
 * sweep-run(1): "{slot} in the command's arguments and in the schedule's
 * words becomes the number of the run's slot"; "A run started alone
 * (--index) holds no slot: {slot} is an error there".
 */
START_TEST(test_slot)
{
	struct lrk_grid *g = lrk_grid_new();
	char err[LRK_ERRSIZE], *s;

	ck_assert_int_eq(lrk_grid_add(g, "seed=1,2", err), 0);
	s = lrk_grid_subst_slot(g, 1, "3", "--seed {seed} --gpu {slot} "
	    "${slot} {run}", err);
	ck_assert_str_eq(s, "--seed 2 --gpu 3 ${slot} 1");
	free(s);
	ck_assert_ptr_null(lrk_grid_subst_slot(g, 1, NULL, "--gpu {slot}",
	    err));
	ck_assert_str_eq(err, "{slot}: a run started alone (--index) holds "
	    "no slot (its devices are the scheduler's to give)");
	/* Without {slot}, no slot is needed. */
	s = lrk_grid_subst_slot(g, 0, NULL, "{seed}", err);
	ck_assert_str_eq(s, "1");
	free(s);
	ck_assert_ptr_null(lrk_grid_subst(g, 0, "{slot}", err));
	lrk_grid_free(g);
}
END_TEST

/*
 * sweep-run(1), --gpus: "a comma-separated list of device names, as
 * CUDA_VISIBLE_DEVICES takes them (numbers, GPU-... and MIG-...
 * UUIDs)"; "A device given twice runs two runs on it at once"; "An empty
 * list or entry, an entry that is no device name ... are errors".
 */
START_TEST(test_gpus)
{
	static const char *const bad[] = { "", ",", "0,", ",0", "0,,1",
	    "0 1", "0, 1", " 0", "0;1", "'0'", "\"0\"", "$(x)", "0\n1",
	    "0\t", "GPU-1*", "a=b", "0.5" };
	char err[LRK_ERRSIZE], **d;
	size_t n, i;

	ck_assert_ptr_nonnull(d = lrk_gpus_parse("0,1,2,3", &n, err));
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(d[0], "0");
	ck_assert_str_eq(d[3], "3");
	ck_assert_ptr_null(d[4]);
	free(d);
	ck_assert_ptr_nonnull(d = lrk_gpus_parse("7", &n, err));
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(d[0], "7");
	ck_assert_ptr_null(d[1]);
	free(d);
	ck_assert_ptr_nonnull(d = lrk_gpus_parse("0,0,1,1", &n, err));
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(d[1], "0");
	ck_assert_str_eq(d[2], "1");
	free(d);
	ck_assert_ptr_nonnull(d = lrk_gpus_parse("GPU-8932f937-d72c-4106-"
	    "c12f-20bd9faed9f6,MIG-GPU-8932f937/1/0,MIG-5c89852c_x:1", &n,
	    err));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(d[1], "MIG-GPU-8932f937/1/0");
	free(d);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 99;
		ck_assert_msg(lrk_gpus_parse(bad[i], &n, err) == NULL,
		    "\"%s\" taken", bad[i]);
		ck_assert_uint_eq(n, 0);
	}
	ck_assert_ptr_null(lrk_gpus_parse("", &n, err));
	ck_assert_str_eq(err, "the list of devices is empty (give them as "
	    "0,1,2,3)");
	ck_assert_ptr_null(lrk_gpus_parse("0,,1", &n, err));
	ck_assert_str_eq(err, "\"0,,1\": entry 2 is empty");
	ck_assert_ptr_null(lrk_gpus_parse("0,1,\033[2J", &n, err));
	ck_assert_str_eq(err, "\"0,1,\\x1b[2J\": entry 3 is not a device "
	    "name (a number, or letters, digits, -, _, : and /, as "
	    "CUDA_VISIBLE_DEVICES takes them)");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("grid");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_product_order);
	tcase_add_test(core, test_subst);
	tcase_add_test(core, test_mentions);
	tcase_add_test(core, test_slot);
	tcase_add_test(limits, test_gpus);
	tcase_add_test(core, test_values_file);
	tcase_add_test(limits, test_bad_specs);
	tcase_add_test(limits, test_too_many_runs);
	tcase_add_test(limits, test_long_values);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
