/*
 * Dense rows from sparse logs: the last stage of lr-import.
 *
 * Rows come in as cells under a header; the stage renames columns, adds a
 * run column that counts restarts (--split-restarts), joins rows that share
 * a key (--merge), carries values forward (--ffill), keeps the selected
 * columns (--select) and writes the result.  Everything but --merge
 * streams: a row goes out as soon as it comes in.  --merge must see every
 * row before it can write any, so it keeps one row per key in memory.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

struct lrk_dense {
	struct lrk_dense_options opt;
	struct lrk_writer	*writer;

	char			**names;	/* working columns, run last */
	char			**in_names;	/* the first input's header */
	size_t			 nin;		/* columns of an input row */
	size_t			 nwork;		/* nin, + 1 with a run column */
	int			 started;	/* the header was seen */
	size_t			*out;		/* selected working columns */
	size_t			 nout;

	/* --split-restarts */
	size_t			 split_col;
	double			 split_last;
	int			 split_seen;
	unsigned long		 run;
	char			 run_text[24];

	/* --ffill, applied as rows go out */
	size_t			*ffill_cols;
	char			**ffill_last;
	unsigned long		 ffill_run;

	/* --merge */
	size_t			 merge_col;
	struct lrk_strmap	*keys;
	long			*key_row;	/* key index -> row, or -1 */
	size_t			 key_cap;
	char			***rows;	/* kept rows, nwork cells each */
	size_t			 nrows, rows_cap;
	char			*keybuf;
	size_t			 keybuf_cap;

	/* one output row, as cells */
	struct lrk_cell		*cells;
};

struct lrk_dense *
lrk_dense_new(const struct lrk_dense_options *options,
    struct lrk_writer *writer)
{
	struct lrk_dense *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if (options != NULL)
		d->opt = *options;
	d->writer = writer;
	d->run = 1;
	return d;
}

static void
free_row(char **row, size_t n)
{
	size_t i;

	if (row == NULL)
		return;
	for (i = 0; i < n; i++)
		free(row[i]);
	free(row);
}

void
lrk_dense_free(struct lrk_dense *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; d->names != NULL && i < d->nwork; i++)
		free(d->names[i]);
	free(d->names);
	for (i = 0; d->in_names != NULL && i < d->nin; i++)
		free(d->in_names[i]);
	free(d->in_names);
	free(d->out);
	free(d->ffill_cols);
	if (d->ffill_last != NULL)
		for (i = 0; i < d->opt.nffill; i++)
			free(d->ffill_last[i]);
	free(d->ffill_last);
	lrk_strmap_free(d->keys);
	free(d->key_row);
	for (i = 0; i < d->nrows; i++)
		free_row(d->rows[i], d->nwork);
	free(d->rows);
	free(d->keybuf);
	free(d->cells);
	free(d);
}

/* "; the columns are: a, b, c" appended to err. */
static void
list_columns(const struct lrk_dense *d, char *err)
{
	size_t i, used = strlen(err);

	used += (size_t)snprintf(err + used, LRK_ERRSIZE - used,
	    "; the columns are: ");
	for (i = 0; i < d->nwork && used < LRK_ERRSIZE; i++) {
		if (i == 16) {
			snprintf(err + used, LRK_ERRSIZE - used,
			    ", ... (%zu columns)", d->nwork);
			return;
		}
		used += (size_t)snprintf(err + used, LRK_ERRSIZE - used,
		    "%s%s", i ? ", " : "", d->names[i]);
	}
}

/*
 * The working column called name (len bytes): the one exact match, else
 * the one column that matches ignoring case.  Two columns of the same
 * name are ambiguous, as in the other tools.  Returns 0, or -1 with err
 * set.
 */
static int
find(const struct lrk_dense *d, const char *option, const char *name,
    size_t len, size_t *col, char *err)
{
	size_t i, found = 0;

	for (i = 0; i < d->nwork; i++)
		if (strlen(d->names[i]) == len &&
		    memcmp(d->names[i], name, len) == 0) {
			*col = i;
			found++;
		}
	if (found == 1)
		return 0;
	if (found == 0)
		for (i = 0; i < d->nwork; i++)
			if (strlen(d->names[i]) == len &&
			    strncasecmp(d->names[i], name, len) == 0) {
				*col = i;
				found++;
			}
	if (found == 1)
		return 0;
	snprintf(err, LRK_ERRSIZE, "%s: %s column \"%.*s\"", option,
	    found ? "ambiguous" : "no", (int)len, name);
	list_columns(d, err);
	return -1;
}

/* Apply --rename to the input names. */
static int
rename_columns(struct lrk_dense *d, char *err)
{
	const char *spec, *eq;
	size_t i, col;
	char *s;

	for (i = 0; i < d->opt.nrename; i++) {
		spec = d->opt.rename[i];
		if ((eq = strchr(spec, '=')) == NULL || eq == spec ||
		    eq[1] == '\0') {
			snprintf(err, LRK_ERRSIZE, "--rename: \"%s\": give "
			    "old=new", spec);
			return -1;
		}
		if (find(d, "--rename", spec, (size_t)(eq - spec), &col,
		    err) != 0)
			return -1;
		if ((s = strdup(eq + 1)) == NULL) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			return -1;
		}
		free(d->names[col]);
		d->names[col] = s;
	}
	return 0;
}

/* Resolve --select into the output columns (all of them without it). */
static int
select_columns(struct lrk_dense *d, char *err)
{
	const char *p, *comma;
	size_t n = 1, i, col;

	if (d->opt.select == NULL) {
		if ((d->out = calloc(d->nwork, sizeof(*d->out))) == NULL)
			goto nomem;
		for (i = 0; i < d->nwork; i++)
			d->out[i] = i;
		d->nout = d->nwork;
		return 0;
	}
	for (p = d->opt.select; *p != '\0'; p++)
		n += *p == ',';
	if ((d->out = calloc(n, sizeof(*d->out))) == NULL)
		goto nomem;
	for (p = d->opt.select;; p = comma + 1) {
		if ((comma = strchr(p, ',')) == NULL)
			comma = p + strlen(p);
		if (comma == p) {
			snprintf(err, LRK_ERRSIZE, "--select: \"%s\": an "
			    "empty column name", d->opt.select);
			return -1;
		}
		if (find(d, "--select", p, (size_t)(comma - p), &col, err))
			return -1;
		d->out[d->nout++] = col;
		if (*comma == '\0')
			break;
	}
	return 0;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

/* The first input fixes the columns; the others must have the same. */
static int
same_header(const struct lrk_dense *d, const struct lrk_cell *names,
    size_t n, char *err)
{
	size_t i;

	if (n == d->nin) {
		for (i = 0; i < n; i++)
			if (strcmp(names[i].data, d->in_names[i]) != 0)
				break;
		if (i == n)
			return 0;
	}
	snprintf(err, LRK_ERRSIZE, "its columns differ from the first "
	    "input's");
	return -1;
}

/*
 * The input's header: names[n].  Returns 0, or -1 with err saying what
 * is wrong (a column an option names is missing, say).
 */
int
lrk_dense_header(struct lrk_dense *d, const struct lrk_cell *names,
    size_t n, char *err)
{
	size_t i, col;

	if (d->started)
		return same_header(d, names, n, err);
	d->started = 1;
	d->nin = n;
	d->nwork = n + (d->opt.split != NULL);
	if ((d->names = calloc(d->nwork + 1, sizeof(*d->names))) == NULL ||
	    (d->in_names = calloc(n + 1, sizeof(*d->in_names))) == NULL ||
	    (d->cells = calloc(d->nwork + 1, sizeof(*d->cells))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if ((d->names[i] = strdup(names[i].data)) == NULL ||
		    (d->in_names[i] = strdup(names[i].data)) == NULL)
			goto nomem;
	if (d->opt.split != NULL && (d->names[n] = strdup("run")) == NULL)
		goto nomem;
	if (rename_columns(d, err) != 0)
		return -1;
	if (d->opt.split != NULL && find(d, "--split-restarts",
	    d->opt.split, strlen(d->opt.split), &d->split_col, err) != 0)
		return -1;
	if (d->opt.merge != NULL) {
		if (find(d, "--merge", d->opt.merge, strlen(d->opt.merge),
		    &d->merge_col, err) != 0)
			return -1;
		if ((d->keys = lrk_strmap_new()) == NULL)
			goto nomem;
	}
	if (d->opt.nffill > 0) {
		if ((d->ffill_cols = calloc(d->opt.nffill,
		    sizeof(*d->ffill_cols))) == NULL ||
		    (d->ffill_last = calloc(d->opt.nffill,
		    sizeof(*d->ffill_last))) == NULL)
			goto nomem;
		for (i = 0; i < d->opt.nffill; i++) {
			if (find(d, "--ffill", d->opt.ffill[i],
			    strlen(d->opt.ffill[i]), &col, err) != 0)
				return -1;
			d->ffill_cols[i] = col;
		}
	}
	if (select_columns(d, err) != 0)
		return -1;
	for (i = 0; i < d->nout; i++)
		lrk_write_str(d->writer, d->names[d->out[i]]);
	lrk_write_end(d->writer);
	return 0;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

/*
 * Write one working row (cells[nwork], empty = missing), after --ffill.
 * The run column of the row says when to forget the carried values.
 */
static int
emit(struct lrk_dense *d, struct lrk_cell *cells, char *err)
{
	size_t i, col;
	unsigned long run = 0;
	char *copy;

	if (d->opt.nffill > 0) {
		if (d->opt.split != NULL)
			run = strtoul(cells[d->nin].data, NULL, 10);
		if (run != d->ffill_run) {
			for (i = 0; i < d->opt.nffill; i++) {
				free(d->ffill_last[i]);
				d->ffill_last[i] = NULL;
			}
			d->ffill_run = run;
		}
		for (i = 0; i < d->opt.nffill; i++) {
			col = d->ffill_cols[i];
			if (cells[col].len == 0 ||
			    lrk_num_is_missing(cells[col].data,
			    cells[col].len)) {
				if (d->ffill_last[i] != NULL) {
					cells[col].data = d->ffill_last[i];
					cells[col].len =
					    strlen(d->ffill_last[i]);
				}
				continue;
			}
			if (d->ffill_last[i] != NULL &&
			    strcmp(d->ffill_last[i], cells[col].data) == 0)
				continue;
			if ((copy = strdup(cells[col].data)) == NULL) {
				snprintf(err, LRK_ERRSIZE, "out of memory");
				return -1;
			}
			free(d->ffill_last[i]);
			d->ffill_last[i] = copy;
			/* the cell may point into the freed copy */
			cells[col].data = copy;
		}
	}
	for (i = 0; i < d->nout; i++)
		lrk_write_cell(d->writer, cells[d->out[i]].data,
		    cells[d->out[i]].len);
	lrk_write_end(d->writer);
	return 0;
}

/* --merge: join the row into the kept row of its key. */
static int
merge_row(struct lrk_dense *d, const struct lrk_cell *cells, char *err)
{
	const struct lrk_cell *key = &cells[d->merge_col];
	char **row;
	size_t i, need, ncap;
	long k, *grown_keys;
	char ***grown_rows;
	int added;

	row = NULL;
	k = -1;
	if (!lrk_num_is_missing(key->data, key->len)) {
		/* With a run column the key is (run, value). */
		need = key->len + 1;
		if (d->opt.split != NULL)
			need += strlen(d->run_text) + 1;
		if (need > d->keybuf_cap) {
			free(d->keybuf);
			if ((d->keybuf = malloc(need)) == NULL) {
				d->keybuf_cap = 0;
				goto nomem;
			}
			d->keybuf_cap = need;
		}
		need = 0;
		if (d->opt.split != NULL) {
			need = strlen(d->run_text) + 1;
			memcpy(d->keybuf, d->run_text, need);
		}
		memcpy(d->keybuf + need, key->data, key->len);
		need += key->len;
		if ((k = lrk_strmap_intern(d->keys, d->keybuf, need,
		    &added)) < 0)
			goto nomem;
		if ((size_t)k >= d->key_cap) {
			ncap = d->key_cap ? 2 * d->key_cap : 256;
			if ((grown_keys = realloc(d->key_row,
			    ncap * sizeof(*grown_keys))) == NULL)
				goto nomem;
			d->key_row = grown_keys;
			d->key_cap = ncap;
		}
		if (added)
			d->key_row[k] = -1;
		else
			row = d->rows[d->key_row[k]];
	}
	if (row == NULL) {
		if (d->nrows == d->rows_cap) {
			ncap = d->rows_cap ? 2 * d->rows_cap : 256;
			if ((grown_rows = realloc(d->rows,
			    ncap * sizeof(*grown_rows))) == NULL)
				goto nomem;
			d->rows = grown_rows;
			d->rows_cap = ncap;
		}
		if ((row = calloc(d->nwork, sizeof(*row))) == NULL)
			goto nomem;
		d->rows[d->nrows] = row;
		if (k >= 0)
			d->key_row[k] = (long)d->nrows;
		d->nrows++;
	}
	/* Later non-missing cells win. */
	for (i = 0; i < d->nwork; i++) {
		if (lrk_num_is_missing(cells[i].data, cells[i].len))
			continue;
		free(row[i]);
		if ((row[i] = strdup(cells[i].data)) == NULL)
			goto nomem;
	}
	return 0;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

/*
 * One input row: cells[n], n as in the header, each NUL-terminated; an
 * empty cell is a missing value.  Returns 0, or -1 with err set (the
 * caller adds where the row came from).
 */
int
lrk_dense_row(struct lrk_dense *d, const struct lrk_cell *cells, size_t n,
    char *err)
{
	const struct lrk_cell *c;
	double x;
	size_t i;
	int kind;

	if (n != d->nin) {
		snprintf(err, LRK_ERRSIZE, "%zu cells where the header has "
		    "%zu", n, d->nin);
		return -1;
	}
	for (i = 0; i < n; i++)
		d->cells[i] = cells[i];
	if (d->opt.split != NULL) {
		c = &cells[d->split_col];
		if (d->split_col < n && c->len > 0) {
			/* nan says nothing about order: like a missing cell */
			kind = lrk_num_parse(c->data, c->len, &x);
			if (kind == LRK_NUM_BAD) {
				snprintf(err, LRK_ERRSIZE, "%s: \"%s\" is not "
				    "a number", d->names[d->split_col],
				    c->data);
				return -1;
			}
			if (kind == LRK_NUM_OK && !isnan(x)) {
				if (d->split_seen && x < d->split_last)
					d->run++;
				d->split_last = x;
				d->split_seen = 1;
			}
		}
		snprintf(d->run_text, sizeof(d->run_text), "%lu", d->run);
		d->cells[n].data = d->run_text;
		d->cells[n].len = strlen(d->run_text);
	}
	if (d->opt.merge != NULL)
		return merge_row(d, d->cells, err);
	return emit(d, d->cells, err);
}

/* The end of the input: write the joined rows.  Returns 0 or -1. */
int
lrk_dense_finish(struct lrk_dense *d, char *err)
{
	size_t i, j;
	char **row;

	if (d->opt.merge == NULL)
		return 0;
	for (i = 0; i < d->nrows; i++) {
		row = d->rows[i];
		for (j = 0; j < d->nwork; j++) {
			d->cells[j].data = row[j] ? row[j] : "";
			d->cells[j].len = row[j] ? strlen(row[j]) : 0;
		}
		if (emit(d, d->cells, err) != 0)
			return -1;
		if (lrk_dense_write_error(d))
			return 0;
	}
	return 0;
}

/* Did writing fail (a full disk, a closed pipe)?  Readers stop early. */
int
lrk_dense_write_error(const struct lrk_dense *d)
{
	return lrk_writer_failed(d->writer);
}
