/*
 * lr-suggest's answers as it prints them: one lr a line (plain), a CSV
 * table or a JSON array, and the --summary of each method's spread
 * across groups.  Beside plot.c, which draws lr-plot's picture: the
 * tool chooses, the library writes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lrkit.h"
#include "extern.h"

/* A JSON string, with the escapes RFC 8259 requires. */
static void
json_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	putc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\r')
			fputs("\\r", fp);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p < 0x20)
			fprintf(fp, "\\u%04x", *p);
		else
			putc(*p, fp);
	}
	putc('"', fp);
}

/* A JSON number; JSON has no NaN or infinity, so those are null. */
static void
json_number(FILE *fp, double x)
{
	char buf[LRK_NUM_BUFSIZE];

	if (!isfinite(x))
		fputs("null", fp);
	else {
		lrk_num_format(buf, x);
		fputs(buf, fp);
	}
}

static void
print_number(FILE *fp, double x)
{
	char buf[LRK_NUM_BUFSIZE];

	lrk_num_format(buf, x);
	fputs(buf, fp);
}

/*
 * The answers, one per group and method (range as range_base then
 * range_max), to fp in format; group_title is the group column's name,
 * or NULL without groups.  Returns 0, or -1 when out of memory.
 */
int
lrk_answers_write(FILE *fp, enum lrk_answer_format format,
    const char *group_title, const struct lrk_answer *a, size_t n)
{
	const struct lrk_answer *r;
	const char *label;
	struct lrk_writer *w;
	char index[32];
	size_t i;

	if ((w = lrk_writer_new(fp, ',', "\n")) == NULL)
		return -1;
	if (format == LRK_ANSWER_CSV) {
		if (group_title != NULL)
			lrk_write_str(w, group_title);
		lrk_write_str(w, "method");
		lrk_write_str(w, "lr");
		lrk_write_str(w, "loss");
		lrk_write_str(w, "index");
		lrk_write_end(w);
	} else if (format == LRK_ANSWER_JSON)
		fputs("[", fp);
	for (i = 0; i < n; i++) {
		r = &a[i];
		switch (format) {
		case LRK_ANSWER_PLAIN:
			if (group_title != NULL) {
				label = r->label != NULL ? r->label : r->group;
				lrk_put_text(fp, label, strlen(label));
				putc(' ', fp);
			}
			print_number(fp, r->lr);
			/* range: both bounds on one line */
			if (i + 1 < n && strcmp(r->method, "range_base") == 0) {
				putc(' ', fp);
				print_number(fp, a[++i].lr);
			}
			putc('\n', fp);
			break;
		case LRK_ANSWER_CSV:
			if (group_title != NULL)
				lrk_write_str(w, r->group);
			lrk_write_str(w, r->method);
			lrk_write_num(w, r->lr);
			lrk_write_num(w, r->loss);
			snprintf(index, sizeof(index), "%zu", r->row);
			lrk_write_str(w, index);
			lrk_write_end(w);
			break;
		case LRK_ANSWER_JSON:
			fputs(i ? ",\n {" : "\n {", fp);
			if (group_title != NULL) {
				json_string(fp, group_title);
				fputs(": ", fp);
				json_string(fp, r->group);
				fputs(", ", fp);
			}
			fputs("\"method\": ", fp);
			json_string(fp, r->method);
			fputs(", \"lr\": ", fp);
			json_number(fp, r->lr);
			fputs(", \"loss\": ", fp);
			json_number(fp, r->loss);
			fprintf(fp, ", \"index\": %zu}", r->row);
			break;
		}
	}
	if (format == LRK_ANSWER_JSON)
		fputs(n ? "\n]\n" : "]\n", fp);
	lrk_writer_free(w);
	return 0;
}

/*
 * The methods that have answers, each once, in the order of their first
 * answer (each bound of range apart); returns how many, at most max.
 */
size_t
lrk_answers_methods(const struct lrk_answer *a, size_t n, const char **names,
    size_t max)
{
	size_t i, j, count = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < count; j++)
			if (strcmp(names[j], a[i].method) == 0)
				break;
		if (j == count && count < max)
			names[count++] = a[i].method;
	}
	return count;
}

/*
 * How far the lr of one method's answers moves across groups
 * (lrk_spread); values has room for n.
 */
void
lrk_answers_spread(const struct lrk_answer *a, size_t n, const char *method,
    double *values, struct lrk_spread *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].method, method) == 0)
			values[k++] = a[i].lr;
	lrk_spread(values, k, out);
}

/*
 * --summary: per method (each bound of range apart), how far the
 * suggestion moves across groups: median, min, max and max/min; the
 * plain table aligned for reading, with four digits.  Returns 0, or -1
 * when out of memory.
 */
int
lrk_answers_summary(FILE *fp, enum lrk_answer_format format,
    const struct lrk_answer *a, size_t n)
{
	static const char *const head[] = { "method", "groups", "median",
	    "min", "max", "ratio" };
	char cell[6][LRK_NUM_BUFSIZE + 16];
	const char *names[64];
	struct lrk_writer *w;
	struct lrk_spread sp;
	double stat[4], *v;
	size_t nnames, j, k, width[6];
	int pass;

	nnames = lrk_answers_methods(a, n, names,
	    sizeof(names) / sizeof(names[0]));
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return -1;
	if ((w = lrk_writer_new(fp, ',', "\n")) == NULL) {
		free(v);
		return -1;
	}
	for (k = 0; k < 6; k++)
		width[k] = strlen(head[k]);
	if (format == LRK_ANSWER_JSON)
		fputs("[", fp);
	/* Plain aligns its columns: one pass to measure, one to print. */
	for (pass = format == LRK_ANSWER_PLAIN ? 0 : 1; pass < 2; pass++) {
		if (pass == 1 && format != LRK_ANSWER_JSON) {
			for (k = 0; k < 6; k++) {
				if (format == LRK_ANSWER_CSV)
					lrk_write_str(w, head[k]);
				else
					fprintf(fp, "%s%-*s", k ? "  " : "",
					    k == 5 ? 0 : (int)width[k],
					    head[k]);
			}
			if (format == LRK_ANSWER_CSV)
				lrk_write_end(w);
			else
				putc('\n', fp);
		}
		for (j = 0; j < nnames; j++) {
			lrk_answers_spread(a, n, names[j], v, &sp);
			stat[0] = sp.median;
			stat[1] = sp.min;
			stat[2] = sp.max;
			stat[3] = sp.ratio;
			snprintf(cell[0], sizeof(cell[0]), "%s", names[j]);
			snprintf(cell[1], sizeof(cell[1]), "%zu", sp.n);
			for (k = 0; k < 4; k++)
				if (format == LRK_ANSWER_PLAIN)
					snprintf(cell[k + 2], sizeof(cell[0]),
					    "%.4g", stat[k]);
				else
					lrk_num_format(cell[k + 2], stat[k]);
			if (pass == 0) {
				for (k = 0; k < 6; k++)
					if (strlen(cell[k]) > width[k])
						width[k] = strlen(cell[k]);
				continue;
			}
			if (format == LRK_ANSWER_JSON) {
				fputs(j ? ",\n {\"method\": " : "\n {"
				    "\"method\": ", fp);
				json_string(fp, names[j]);
				fprintf(fp, ", \"groups\": %zu", sp.n);
				for (k = 0; k < 4; k++) {
					fprintf(fp, ", \"%s\": ", head[k + 2]);
					json_number(fp, stat[k]);
				}
				putc('}', fp);
			} else if (format == LRK_ANSWER_CSV) {
				for (k = 0; k < 6; k++)
					lrk_write_str(w, cell[k]);
				lrk_write_end(w);
			} else {
				for (k = 0; k < 6; k++)
					fprintf(fp, "%s%-*s", k ? "  " : "",
					    k == 5 ? 0 : (int)width[k],
					    cell[k]);
				putc('\n', fp);
			}
		}
	}
	if (format == LRK_ANSWER_JSON)
		fputs(nnames ? "\n]\n" : "]\n", fp);
	lrk_writer_free(w);
	free(v);
	return 0;
}
