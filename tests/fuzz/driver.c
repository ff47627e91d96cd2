/*
 * driver: run a fuzz target's LLVMFuzzerTestOneInput over files, without
 * libFuzzer, so that the corpus of interesting inputs found by `make fuzz`
 * is replayed as a regression test by `make check` (under SAN=1 too).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char *argv[])
{
	unsigned char *buf;
	size_t n, cap;
	FILE *fp;
	int i;

	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return 1;
		}
		buf = NULL;
		n = cap = 0;
		for (;;) {
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				if ((buf = realloc(buf, cap)) == NULL)
					return 1;
			}
			size_t r = fread(buf + n, 1, cap - n, fp);
			if (r == 0)
				break;
			n += r;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	printf("%s: %d inputs replayed\n", argv[0], argc - 1);
	return 0;
}
