/*
 * Fuzz lr-import's MLflow metric reader (lrk_import_mlflow), one file or
 * several joined on step.  The first byte chooses the dense stage's
 * options (see fuzz_import.h) and, in its top bits, how many files (1 to
 * 4); the rest is the files, separated by NUL bytes (the last one takes
 * whatever is left, NULs included).  Each line of the first file also
 * goes through the format detection's lrk_import_mlflow_line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "fuzz_import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXFILES 4

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[MAXFILES] = { "run/metrics/loss",
	    "run/metrics/lr", "run/metrics/train/loss", "run/metrics/loss" };
	static const char *const metrics[MAXFILES] = { "loss", "lr",
	    "train/loss", "loss" };
	const uint8_t *p, *end, *nul, *line, *eol;
	struct lrk_dense *d;
	char err[LRK_ERRSIZE];
	FILE *fps[MAXFILES];
	size_t n, i, want;
	int r;

	if (size < 1)
		return 0;
	want = 1 + (data[0] >> 6);
	p = data + 1;
	end = data + size;
	for (n = 0; n < want; n++) {
		nul = n + 1 < want ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		if (nul == NULL)
			nul = end;
		if ((fps[n] = fmemopen((void *)p, (size_t)(nul - p),
		    "r")) == NULL)
			break;
		for (line = p; n == 0 && line < nul; line = eol + 1) {
			if ((eol = memchr(line, '\n', (size_t)(nul -
			    line))) == NULL)
				eol = nul;
			lrk_import_mlflow_line((const char *)line,
			    (size_t)(eol - line));
		}
		p = nul < end ? nul + 1 : end;
	}
	if (n == want) {
		d = fuzz_dense(data[0]);
		err[0] = '\0';
		r = lrk_import_mlflow(fps, names, metrics, n, d, err);
		fuzz_dense_end(d, r, err);
	}
	for (i = 0; i < n; i++)
		fclose(fps[i]);
	return 0;
}
