/*
 * Fuzz the plot renderers (SVG and text) on arbitrary curves.  Bytes 0-5:
 * byte 0 picks SVG or text (0x01), ASCII (0x02), ANSI colours (0x04),
 * loss limits (0x08, from bytes 4 and 5), a title (0x10), light raw
 * series (0x20) and 1 to 4 series (top bits); bytes 1 and 2 the size,
 * within lr-plot's limits or a little below them; byte 3 the number of
 * suggestion marks (0 to 3).  The rest: marks, then points, 2 bytes each
 * (lr, loss) decoded as in fuzz_suggest.c, dealt to the series in turn.
 * Names and labels hold XML's special characters, control characters and
 * bytes that are not UTF-8.
 *
 * A refusal must say why; an SVG must not hold a control character (XML
 * forbids them) or a NaN or infinite number.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

#define MAXSERIES	4
#define MAXMARKS	3

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const columns[MAXSERIES] = { "loss",
	    "loss_smooth <&>\"'", "\x01\x1b[31m\xff\xfe", "" };
	static const char *const groups[MAXSERIES] = { NULL, "run=\"1\"",
	    "\xc3\x28\xed\xa0\x80", "a&b" };
	static const char *const labels[MAXMARKS] = { "valley 0.003",
	    "<minimum> & \"steep\"", "\x7f\x80\xc0\xaf\xf4\x90\x80\x80" };
	struct lrk_plot_series series[MAXSERIES];
	struct lrk_plot_mark marks[MAXMARKS];
	struct lrk_plot plot = { 0 };
	double *x, *y;
	char err[LRK_ERRSIZE], *out = NULL;
	size_t outlen = 0, npoints, i, k, nseries, nmarks;
	FILE *fp;
	int svg, r;

	if (size < 6)
		return 0;
	svg = !(data[0] & 1);
	plot.ascii = (data[0] & 2) != 0;
	plot.ansi = (data[0] & 4) != 0;
	plot.ylim_set = (data[0] & 8) != 0;
	plot.ylim[0] = decode(data[4], 0);
	plot.ylim[1] = decode(data[5], 0);
	plot.title = data[0] & 0x10 ? "lr <range> & \"test\"\t\x02\xff" :
	    NULL;
	plot.xlabel = "learning rate";
	plot.ylabel = "loss";
	if (svg) {
		plot.width = 100 + 80 * (double)data[1];
		plot.height = 100 + 80 * (double)data[2];
	} else {
		plot.width = 16 + 4 * (double)data[1];
		plot.height = 4 + 2 * (double)data[2];
	}
	nseries = 1 + (data[0] >> 6);
	nmarks = data[3] % (MAXMARKS + 1);
	data += 6;
	size -= 6;
	for (i = 0; i < nmarks && size >= 2; i++) {
		marks[i].label = labels[i];
		marks[i].x = decode(data[0], 1);
		marks[i].y = decode(data[1], 0);
		marks[i].colour = i;
		data += 2;
		size -= 2;
	}
	nmarks = i;
	npoints = size / 2;
	if ((x = malloc((npoints + 1) * sizeof(*x))) == NULL ||
	    (y = malloc((npoints + 1) * sizeof(*y))) == NULL) {
		free(x);
		return 0;
	}
	/* Series i takes points i, i + nseries, ...: stored one after another. */
	for (i = 0, k = 0; i < nseries; i++) {
		series[i].column = columns[i];
		series[i].group = groups[i];
		series[i].x = x + k;
		series[i].y = y + k;
		series[i].colour = (int)i;
		series[i].dash = (int)i % 3;
		series[i].light = (plot.ascii ^ (plot.title != NULL)) && i == 0;
		for (series[i].n = 0; i + nseries * series[i].n < npoints;
		    series[i].n++, k++) {
			x[k] = decode(data[2 * (i + nseries * series[i].n)], 1);
			y[k] = decode(data[2 * (i + nseries * series[i].n) + 1],
			    0);
		}
	}
	plot.series = series;
	plot.nseries = nseries;
	plot.marks = marks;
	plot.nmarks = nmarks;
	if ((fp = open_memstream(&out, &outlen)) == NULL)
		abort();
	err[0] = '\0';
	r = svg ? lrk_plot_svg(fp, &plot, err) : lrk_plot_text(fp, &plot, err);
	fclose(fp);
	if (r != 0 && err[0] == '\0')
		abort();
	if (r == 0 && svg) {
		for (i = 0; i < outlen; i++)
			if ((unsigned char)out[i] < 0x20 && out[i] != '\n' &&
			    out[i] != '\t' && out[i] != '\r')
				abort();
		if (strstr(out, "nan") != NULL || strstr(out, "inf") != NULL)
			abort();
	}
	free(out);
	free(x);
	free(y);
	return 0;
}
