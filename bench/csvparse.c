/*
 * csvparse: the speed of libcsv itself, the floor for any lrkit filter.
 * Parses standard input with csv_parse in 64 KiB blocks, counts fields and
 * rows, and converts the last field of each row with strtod, which is the
 * least any filter that reads a loss must do.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct count {
	unsigned long	fields, rows;
	double		sum;
	char		last[64];
};

static void
field(void *s, size_t len, void *arg)
{
	struct count *c = arg;

	c->fields++;
	if (len >= sizeof(c->last))
		len = sizeof(c->last) - 1;
	for (size_t i = 0; i < len; i++)
		c->last[i] = ((char *)s)[i];
	c->last[len] = '\0';
}

static void
row(int ch, void *arg)
{
	struct count *c = arg;

	(void)ch;
	c->rows++;
	c->sum += strtod(c->last, NULL);
}

int
main(void)
{
	static char buf[1 << 16];
	struct csv_parser p;
	struct count c = { 0 };
	size_t n;

	csv_init(&p, CSV_APPEND_NULL);
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (csv_parse(&p, buf, n, field, row, &c) != n)
			return 1;
	csv_fini(&p, field, row, &c);
	csv_free(&p);
	printf("%lu rows, %lu fields, sum %g\n", c.rows, c.fields, c.sum);
	return 0;
}
