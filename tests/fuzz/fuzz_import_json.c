/*
 * Fuzz lr-import's trainer_state.json reader (lrk_import_hf) and the
 * format detection: the first byte chooses the dense stage's options (see
 * fuzz_import.h) and, with 0x20, the evaluation entries; the rest is the
 * file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "extern.h"
#include "fuzz_import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lrk_dense *d;
	char err[LRK_ERRSIZE];
	FILE *fp;
	int r;

	if (size < 1)
		return 0;
	if ((fp = fmemopen((void *)(data + 1), size - 1, "r")) == NULL)
		return 0;
	err[0] = '\0';
	if (lrk_import_detect(fp, "fuzz", err) < 0 && err[0] == '\0')
		abort();
	lrk_import_json_line_kind((const char *)data + 1, size - 1);
	rewind(fp);
	d = fuzz_dense(data[0]);
	err[0] = '\0';
	r = lrk_import_hf(fp, "fuzz", data[0] & 0x20, d, err);
	fuzz_dense_end(d, r, err);
	fclose(fp);
	return 0;
}
