/*
 * Fuzz the suggestion methods: every method on a curve decoded from the
 * bytes, with NaN, infinities, negatives, zeros, ties and tiny curves.
 *
 * Bytes 0-3 set the options (byte 0 says which differ from the defaults
 * and whether the points are raw doubles); the rest are the points: 16
 * bytes (lr, loss) each when raw, else 2 bytes, each byte an lr on a
 * log scale, a loss on a linear one, or (0xe0 and up) a special value.
 *
 * A success must name a point of the curve, with its loss, and suggest
 * its lr (a tenth of it for minimum, times adjust for slide; range's
 * upper bound a later or the same point); a failure must say why and
 * name a point of the curve or none.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const double special[32] = {
	NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, 1.0, -1.0,
	DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, 4.9406564584124654e-324,
	-4.9406564584124654e-324, 1e308, 1e-308, 0.1, 10, 1e-300, 1e300,
	1.0000000000000002, 0.99999999999999989, 2, 3, 1e-7, 10, 0.5, 0.25,
	1e15, -1e15, 0.005, 15
};

static double
decode(uint8_t v, int is_lr)
{
	if (v >= 0xe0)
		return special[v - 0xe0];
	if (is_lr)
		return pow(10, ((double)v - 112) / 16);
	return (double)v / 16 - 2;
}

static int
same(double x, double y)
{
	return x == y || (isnan(x) && isnan(y));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lrk_suggest_options o;
	struct lrk_suggestion out;
	const char *const *m;
	char err[LRK_ERRSIZE];
	double *lr, *loss, want;
	size_t n, i;
	int raw;

	if (size < 4)
		return 0;
	lrk_suggest_defaults(&o);
	if (data[0] & 1)
		o.skip_start = data[1] % 16;
	if (data[0] & 2)
		o.skip_end = data[2] % 16;
	if (data[0] & 4)
		o.lr_diff = data[3] == 0xff ? -1 : data[3] % 24;
	if (data[0] & 8)
		o.thresh = special[data[1] % 32];
	if (data[0] & 16)
		o.adjust = special[data[2] % 32];
	raw = data[0] & 32;
	data += 4;
	size -= 4;
	n = raw ? size / 16 : size / 2;
	if ((lr = malloc((n + 1) * sizeof(*lr))) == NULL ||
	    (loss = malloc((n + 1) * sizeof(*loss))) == NULL) {
		free(lr);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (raw) {
			memcpy(&lr[i], data + 16 * i, 8);
			memcpy(&loss[i], data + 16 * i + 8, 8);
		} else {
			lr[i] = decode(data[2 * i], 1);
			loss[i] = decode(data[2 * i + 1], 0);
		}

	for (m = lrk_suggest_methods; *m != NULL; m++) {
		if (!lrk_suggest_known(*m) || lrk_suggest_min_points(*m, &o) == 0)
			abort();
		err[0] = '\0';
		if (lrk_suggest(*m, lr, loss, n, &o, &out, err) != 0) {
			if (err[0] == '\0')
				abort();	/* a failure must say why */
			if (out.index != LRK_SUGGEST_NONE && out.index >= n)
				abort();
			continue;
		}
		if (out.method == NULL || strcmp(out.method, *m) != 0)
			abort();
		if (out.index >= n || !same(out.loss, loss[out.index]))
			abort();
		if (strcmp(*m, "minimum") == 0)
			want = lr[out.index] / 10;
		else if (strcmp(*m, "slide") == 0)
			want = lr[out.index] * o.adjust;
		else
			want = lr[out.index];
		if (!same(out.lr, want))
			abort();
		if (strcmp(*m, "range") == 0) {
			if (out.index2 >= n || out.index2 < out.index ||
			    out.lr2 != lr[out.index2] ||
			    !same(out.loss2, loss[out.index2]))
				abort();
		} else if (out.index2 != LRK_SUGGEST_NONE)
			abort();
	}
	err[0] = '\0';
	if (lrk_suggest("no-such-method", lr, loss, n, &o, &out, err) == 0 ||
	    err[0] == '\0')
		abort();
	free(lr);
	free(loss);
	return 0;
}
