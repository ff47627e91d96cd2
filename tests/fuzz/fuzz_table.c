/*
 * Fuzz the stream reader and writer: the first byte chooses the header mode
 * and the delimiter, the rest is the input.  Every row is read, every role
 * looked up and every cell written back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delims[] = { 0, ',', '\t', ';', LRK_DELIM_BLANKS };
	struct lrk_table_options o = { 0 };
	const struct lrk_cell *cells;
	struct lrk_table *t;
	struct lrk_writer *w;
	char err[LRK_ERRSIZE], *out = NULL;
	size_t outlen = 0, col, n;
	FILE *in, *sink;
	double x;
	int r;

	if (size < 1)
		return 0;
	o.header = data[0] % 3;
	o.delim = delims[(data[0] / 3) % 5];
	if ((in = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1,
	    "r")) == NULL)
		return 0;
	if (size == 1)
		fgetc(in);
	sink = open_memstream(&out, &outlen);
	t = lrk_table_new(in, "fuzz", &o);
	if (lrk_table_start(t) == 0 && !lrk_table_empty(t)) {
		lrk_table_find_role(t, LRK_ROLE_LR, &col, err);
		lrk_table_find_role(t, LRK_ROLE_SMOOTH, &col, err);
		lrk_table_find_role(t, LRK_ROLE_STEP, &col, err);
		lrk_table_find(t, "2", "x", &col, err);
		lrk_table_find(t, "loss", "x", &col, err);
		if ((w = lrk_writer_like(sink, t)) == NULL)
			abort();
		n = lrk_table_columns(t);
		while ((r = lrk_table_next(t, &cells)) == 1) {
			lrk_write_cells(w, cells, n);
			lrk_num_parse(cells[0].data, cells[0].len, &x);
			lrk_write_num(w, x);
			lrk_write_end(w);
		}
		if (r < 0 && strlen(lrk_table_error(t)) == 0)
			abort();	/* an error must say what is wrong */
		lrk_writer_free(w);
	}
	lrk_table_free(t);
	fclose(sink);
	free(out);
	fclose(in);
	return 0;
}
