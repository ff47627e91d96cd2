/*
 * dtoa-bench: the time to print 10 million doubles with the old
 * lrk_num_format (snprintf "%.15g", "%.16g", "%.17g" until strtod reads
 * the double back) and with lrk_dtoa_shortest (lib/dtoa.c).
 *
 * Two sets: random bit patterns (every exponent, the hard case for
 * snprintf) and values like a training log's (a uniform mantissa times
 * 10^-8 .. 10^1).  `make bench-dtoa`, or:
 *	cc -O2 -Ilib -o bench/out/dtoa-bench bench/dtoa-bench.c lib/liblrkit.a -lm
 *	bench/out/dtoa-bench [count]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lrkit.h"
#include "extern.h"

static size_t
old_format(char *buf, double x)
{
	int n, precision;

	if (isnan(x))
		return (size_t)snprintf(buf, LRK_NUM_BUFSIZE, "nan");
	if (isinf(x))
		return (size_t)snprintf(buf, LRK_NUM_BUFSIZE, "%s",
		    x < 0 ? "-inf" : "inf");
	for (precision = 15; precision < 17; precision++) {
		n = snprintf(buf, LRK_NUM_BUFSIZE, "%.*g", precision, x);
		if (strtod(buf, NULL) == x)
			return (size_t)n;
	}
	return (size_t)snprintf(buf, LRK_NUM_BUFSIZE, "%.17g", x);
}

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Format every value; returns the seconds taken, adds the lengths to *sum
 * so that the work cannot be optimized away. */
static double
run(size_t (*format)(char *, double), const double *v, size_t n,
    unsigned long *sum)
{
	char buf[LRK_NUM_BUFSIZE];
	double t;
	size_t i;

	t = seconds();
	for (i = 0; i < n; i++)
		*sum += format(buf, v[i]);
	return seconds() - t;
}

int
main(int argc, char *argv[])
{
	static const char *const names[] = { "random bits", "log-like" };
	unsigned long sum = 0;
	size_t n, i;
	double *v, old, new;
	uint64_t u;
	int set;

	n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000000;
	if (n == 0 || (v = malloc(n * sizeof(*v))) == NULL) {
		fprintf(stderr, "dtoa-bench: bad count or out of memory\n");
		return 1;
	}
	for (set = 0; set < 2; set++) {
		for (i = 0; i < n; i++) {
			if (set == 0) {
				do {
					u = rng();
					memcpy(&v[i], &u, sizeof(v[i]));
				} while (!isfinite(v[i]));
			} else
				v[i] = (double)(rng() >> 11) / 9007199254740992.0 *
				    pow(10, (double)(rng() % 10) - 8);
		}
		old = run(old_format, v, n, &sum);
		new = run(lrk_dtoa_shortest, v, n, &sum);
		printf("%-12s %zu values: snprintf+strtod %.3f s (%.0f ns each), "
		    "dtoa %.3f s (%.0f ns each), %.1fx\n", names[set], n, old,
		    old / (double)n * 1e9, new, new / (double)n * 1e9, old / new);
	}
	free(v);
	return sum == 0;
}
