/*
 * Fuzz lr-import's TensorBoard event file reader: the TFRecord framing,
 * the protobuf decoder (lrk_tfevent_parse) and the import
 * (lrk_tfevents_import).  The first byte chooses the dense stage's
 * options (see fuzz_import.h), --wide (0x20) and the framing (0x40).
 * Without 0x40 the rest is the file as it is, checksums and all, so
 * nearly every mutation stops at a checksum; with 0x40 it is a list of
 * records, each a length byte (255: two more bytes, little-endian) and
 * that many bytes of protobuf, which get their TFRecord lengths and
 * checksums here, so that the mutations reach the decoder.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "fuzz_import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* Frame the records of data as a TFRecord file in *out. */
static size_t
frame(const uint8_t *data, size_t size, unsigned char *out)
{
	struct lrk_tfevent ev = { 0 };
	size_t i = 0, len, n = 0;

	while (i < size) {
		len = data[i++];
		if (len == 255) {
			if (size - i < 2)
				break;
			len = (size_t)data[i] | (size_t)data[i + 1] << 8;
			i += 2;
		}
		if (len > size - i)
			len = size - i;
		put_le(out + n, len, 8);
		put_le(out + n + 8, lrk_crc32c_masked(out + n, 8), 4);
		memcpy(out + n + 12, data + i, len);
		put_le(out + n + 12 + len, lrk_crc32c_masked(data + i, len),
		    4);
		n += len + 16;
		/* The decoder on its own, too. */
		if (lrk_tfevent_parse(data + i, len, &ev) == 0 &&
		    ev.nvalues > ev.cap)
			abort();
		i += len;
	}
	lrk_tfevent_free(&ev);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lrk_dense *d;
	char err[LRK_ERRSIZE];
	unsigned char *file = NULL;
	size_t len;
	FILE *fp;
	int r;

	if (size < 1)
		return 0;
	if (data[0] & 0x40) {
		/* Every record adds 16 bytes and takes at least one. */
		if ((file = malloc(17 * size)) == NULL)
			return 0;
		len = frame(data + 1, size - 1, file);
	} else {
		file = NULL;
		len = size - 1;
	}
	lrk_tfevents_sniff(file ? file : data + 1, len);
	if ((fp = fmemopen(file ? (void *)file : (void *)(data + 1), len,
	    "r")) != NULL) {
		d = fuzz_dense(data[0]);
		err[0] = '\0';
		r = lrk_tfevents_import(fp, "fuzz", data[0] & 0x20, d, err);
		fuzz_dense_end(d, r, err);
		fclose(fp);
	}
	free(file);
	return 0;
}
