/*
 * Fuzz the reading of a range test's table as lr-suggest and lr-plot read
 * it (lrk_range_columns: the smoothed column or the raw loss smoothed as
 * it is read, one curve or one per run): the first byte chooses the
 * header mode, the delimiter, -y and -g and the method; the rest is the
 * table, read by lrk_range_suggest and, as two files, by lr-plot's
 * picture.
 *
 * An answer must be a finite lr, not negative, from a group of the table;
 * a refusal must say why.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nothing to print: the messages are only made. */
static void
quiet(void *arg, const char *message)
{
	(void)arg;
	if (message[0] == '\0')
		abort();	/* a message says something */
}

/* lr-plot's picture of the table read twice, as two files. */
static void
picture(const uint8_t *data, size_t size, const struct lrk_range_options *o,
    const char *method)
{
	struct lrk_plot_input_options io = { 0 };
	struct lrk_plot_build_options bo = { 0 };
	struct lrk_curve_counts counts;
	struct lrk_plotdata *pd;
	struct lrk_plot plot = { 0 };
	struct lrk_table *t;
	const char *const *failures;
	char err[LRK_ERRSIZE], note[LRK_ERRSIZE];
	FILE *in;
	int k;

	io.lr = o->columns.lr;
	io.group = o->columns.group;
	io.loss = &o->columns.loss;
	io.nloss = o->columns.loss != NULL;
	io.file_groups = io.group == NULL;
	io.marks = method != NULL;
	if ((pd = lrk_plotdata_new(&io)) == NULL)
		abort();
	for (k = 0; k < 2; k++) {
		if ((in = fmemopen((void *)data, size ? size : 1, "r")) ==
		    NULL)
			break;
		if (size == 0)
			fgetc(in);
		t = lrk_table_new(in, k ? "b" : "a", &o->table);
		memset(&counts, 0, sizeof(counts));
		if (lrk_table_start(t) == 0 && !lrk_table_empty(t) &&
		    lrk_plotdata_read(pd, t, k ? "b" : "a", &counts, note,
		    err) != 0 && err[0] == '\0')
			abort();
		lrk_table_free(t);
		fclose(in);
	}
	bo.methods = &method;
	bo.nmethods = method != NULL;
	if (lrk_plotdata_build(pd, &bo, &plot, err) != 0 && err[0] == '\0')
		abort();
	lrk_plotdata_failures(pd, &failures);
	lrk_plotdata_free(pd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delims[] = { 0, ',', '\t', ';', LRK_DELIM_BLANKS };
	static const char *const methods[] = { NULL, "minimum", "pooled",
	    "valley", "halfway", "steep" };
	static const char *const losses[] = { NULL, "loss", "2" };
	static const char *const groups[] = { NULL, "run", "1" };
	struct lrk_range_options o = { 0 };
	struct lrk_range_answer out;
	char err[LRK_ERRSIZE];
	uint8_t b;
	FILE *in;

	if (size < 2)
		return 0;
	b = data[0];
	o.table.header = b % 3;
	o.table.delim = delims[(b / 3) % 5];
	o.columns.loss = losses[data[1] % 3];
	o.columns.group = groups[(data[1] / 3) % 3];
	o.method = methods[(data[1] / 9) % 6];
	lrk_suggest_defaults(&o.suggest);
	if (data[1] & 0x80)
		o.suggest.skip_start = o.suggest.skip_end = 0;
	data += 2;
	size -= 2;
	if ((in = fmemopen((void *)data, size ? size : 1, "r")) == NULL)
		return 0;
	if (size == 0)
		fgetc(in);
	err[0] = '\0';
	if (lrk_range_suggest(in, "fuzz", &o, &out, quiet, NULL, err) == 0) {
		if (!isfinite(out.lr) || out.lr < 0 || out.answered == 0 ||
		    out.answered > out.groups || out.rows == 0)
			abort();
	} else if (err[0] == '\0')
		abort();
	fclose(in);
	picture(data, size, &o, o.method);
	return 0;
}
