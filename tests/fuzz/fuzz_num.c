/*
 * Fuzz the number parser and printer: any text parses without a crash and
 * agrees with strtod when accepted; any 8 bytes, taken as a double, print
 * to text that reads back to the same double.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[LRK_NUM_BUFSIZE], *copy;
	double x, y;

	if (lrk_num_parse((const char *)data, size, &x) == LRK_NUM_OK &&
	    memchr(data, '\0', size) == NULL) {
		copy = malloc(size + 1);
		memcpy(copy, data, size);
		copy[size] = '\0';
		y = strtod(copy, NULL);
		if (!(x == y || (isnan(x) && isnan(y))))
			abort();
		free(copy);
	}
	if (size >= 8) {
		memcpy(&x, data, 8);
		lrk_num_format(buf, x);
		y = strtod(buf, NULL);
		if (!(x == y || (isnan(x) && isnan(y))))
			abort();
	}
	return 0;
}
