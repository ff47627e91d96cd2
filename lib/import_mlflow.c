/*
 * MLflow file-store metrics into the stream.
 *
 * MLflow's file store keeps one file per metric, mlruns/<experiment>/
 * <run>/metrics/<name>, each line "<timestamp ms> <value> <step>" (files
 * from MLflow before 1.0 have no step: it is 0, as MLflow reads them).  A
 * metric name with slashes is a path under metrics/.  One file gives the
 * table step,timestamp,<name>; several are joined on step by a merge of
 * the files, each in step order, so memory does not grow with their
 * length.  The k-th entry of a step in one file meets the k-th entry of
 * that step in the others.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extern.h"

struct source {
	FILE		*fp;
	const char	*name;
	char		*line;
	size_t		 cap;
	unsigned long	 lineno;
	int		 have;		/* an entry is loaded */
	long long	 timestamp, step, last_step;
	int		 any;		/* an entry was read before */
	const char	*ts_text;	/* into line */
	const char	*value;
	size_t		 value_len;
};

static int
whole_number(const char *s, size_t len, long long *out)
{
	char buf[32], *end;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoll(buf, &end, 10);
	return (*end != '\0' || errno == ERANGE) ? -1 : 0;
}

/*
 * Parse one metric line (NUL-terminated, its line end removed) into the
 * source's entry.  Returns 0, or -1 with err set.
 */
static int
parse_entry(struct source *s, char *text, char *err)
{
	char *field[4];
	size_t flen[4], nf = 0, i = 0;
	double x;

	for (;;) {
		while (text[i] == ' ' || text[i] == '\t')
			i++;
		if (text[i] == '\0')
			break;
		if (nf == 4) {
			nf++;
			break;
		}
		field[nf] = text + i;
		while (text[i] != '\0' && text[i] != ' ' && text[i] != '\t')
			i++;
		flen[nf] = (size_t)(text + i - field[nf]);
		nf++;
	}
	if (nf != 2 && nf != 3) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: expected \"timestamp "
		    "value step\", found %s%zu field%s", s->name, s->lineno,
		    nf > 4 ? "more than " : "", nf > 4 ? (size_t)4 : nf,
		    nf == 1 ? "" : "s");
		return -1;
	}
	if (whole_number(field[0], flen[0], &s->timestamp) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: timestamp \"%.*s\" is not "
		    "a whole number", s->name, s->lineno, (int)flen[0],
		    field[0]);
		return -1;
	}
	if (lrk_num_parse(field[1], flen[1], &x) != LRK_NUM_OK) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: value \"%.*s\" is not a "
		    "number", s->name, s->lineno, (int)flen[1], field[1]);
		return -1;
	}
	s->step = 0;
	if (nf == 3 && whole_number(field[2], flen[2], &s->step) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: step \"%.*s\" is not a "
		    "whole number", s->name, s->lineno, (int)flen[2],
		    field[2]);
		return -1;
	}
	field[0][flen[0]] = '\0';
	field[1][flen[1]] = '\0';
	s->ts_text = field[0];
	s->value = field[1];
	s->value_len = flen[1];
	return 0;
}

/*
 * Load the next entry of a source: 1, 0 at its end, -1 on error.  With
 * ordered, a step smaller than the one before is an error.
 */
static int
next_entry(struct source *s, int ordered, char *err)
{
	ssize_t n;

	s->have = 0;
	for (;;) {
		if ((n = getline(&s->line, &s->cap, s->fp)) < 0) {
			if (ferror(s->fp)) {
				snprintf(err, LRK_ERRSIZE, "%s: read error: "
				    "%s", s->name, strerror(errno));
				return -1;
			}
			return 0;
		}
		s->lineno++;
		while (n > 0 && (s->line[n - 1] == '\n' ||
		    s->line[n - 1] == '\r'))
			s->line[--n] = '\0';
		if (strlen(s->line) != (size_t)n) {
			snprintf(err, LRK_ERRSIZE, "%s:%lu: a NUL byte: not "
			    "an MLflow metric file", s->name, s->lineno);
			return -1;
		}
		if (strspn(s->line, " \t") != (size_t)n)
			break;
	}
	if (parse_entry(s, s->line, err) != 0)
		return -1;
	if (ordered && s->any && s->step < s->last_step) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: step %lld comes after "
		    "step %lld; joining metrics on step needs every file in "
		    "step order (import this metric alone)", s->name,
		    s->lineno, s->step, s->last_step);
		return -1;
	}
	s->any = 1;
	s->last_step = s->step;
	s->have = 1;
	return 1;
}

/*
 * Import n metric files, fps[i] named names[i], holding the metric
 * metrics[i].  Every file is checked before the first row goes out (so
 * they must be seekable: lrk_import_seekable), then they are joined on
 * step.  Returns 0, or -1 with err set.
 */
int
lrk_import_mlflow(FILE *const *fps, const char *const *names,
    const char *const *metrics, size_t n, struct lrk_dense *d, char *err)
{
	struct source *src;
	struct lrk_cell *cells = NULL;
	char msg[LRK_ERRSIZE], stepbuf[32], tsbuf[32];
	long long step, ts;
	size_t i;
	int r, status = -1, any;

	if (n == 0)
		return 0;
	if ((src = calloc(n, sizeof(*src))) == NULL ||
	    (cells = calloc(n + 2, sizeof(*cells))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		src[i].fp = fps[i];
		src[i].name = names[i];
		while ((r = next_entry(&src[i], n > 1, err)) == 1)
			;
		if (r < 0)
			goto out;
		if (fseeko(fps[i], 0, SEEK_SET) != 0) {
			snprintf(err, LRK_ERRSIZE, "%s: cannot read the input "
			    "twice: %s", names[i], strerror(errno));
			goto out;
		}
		src[i].lineno = 0;
		src[i].any = 0;
	}
	cells[0].data = "step";
	cells[1].data = "timestamp";
	for (i = 0; i < n; i++)
		cells[i + 2].data = metrics[i];
	for (i = 0; i < n + 2; i++)
		cells[i].len = strlen(cells[i].data);
	if (lrk_dense_header(d, cells, n + 2, msg) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: %.400s", names[0], msg);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (next_entry(&src[i], n > 1, err) < 0)
			goto out;
	for (;;) {
		any = 0;
		step = ts = 0;
		for (i = 0; i < n; i++)
			if (src[i].have && (!any || src[i].step < step)) {
				step = src[i].step;
				any = 1;
			}
		if (!any)
			break;
		any = 0;
		for (i = 0; i < n; i++) {
			cells[i + 2].data = "";
			cells[i + 2].len = 0;
			if (!src[i].have || src[i].step != step)
				continue;
			if (!any || src[i].timestamp < ts)
				ts = src[i].timestamp;
			any = 1;
			cells[i + 2].data = src[i].value;
			cells[i + 2].len = src[i].value_len;
		}
		snprintf(stepbuf, sizeof(stepbuf), "%lld", step);
		snprintf(tsbuf, sizeof(tsbuf), "%lld", ts);
		cells[0].data = stepbuf;
		cells[0].len = strlen(stepbuf);
		cells[1].data = tsbuf;
		cells[1].len = strlen(tsbuf);
		if (lrk_dense_row(d, cells, n + 2, msg) != 0) {
			for (i = 0; i < n && !(src[i].have &&
			    src[i].step == step); i++)
				;
			snprintf(err, LRK_ERRSIZE, "%s:%lu: %.400s", src[i].name,
			    src[i].lineno, msg);
			goto out;
		}
		if (lrk_dense_write_error(d))
			break;
		for (i = 0; i < n; i++)
			if (src[i].have && src[i].step == step &&
			    next_entry(&src[i], n > 1, err) < 0)
				goto out;
	}
	status = 0;
	goto out;
nomem:
	snprintf(err, LRK_ERRSIZE, "out of memory");
out:
	if (src != NULL)
		for (i = 0; i < n; i++)
			free(src[i].line);
	free(src);
	free(cells);
	return status;
}

/*
 * Does this first line look like an MLflow metric line: a whole number,
 * a number and maybe a whole number, separated by blanks?
 */
int
lrk_import_mlflow_line(const char *s, size_t len)
{
	struct source src = { .name = "" };
	char err[LRK_ERRSIZE], *copy;
	int ok;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len == 0 || memchr(s, '\0', len) != NULL ||
	    (copy = strndup(s, len)) == NULL)
		return 0;
	ok = parse_entry(&src, copy, err) == 0;
	free(copy);
	return ok;
}

/* The list of metric files found under the operands. */
static int
list_add(struct lrk_mlflow_list *list, const char *path, const char *metric)
{
	size_t ncap;
	char **p;

	if (list->n == list->cap) {
		ncap = list->cap ? 2 * list->cap : 16;
		if ((p = realloc(list->paths, ncap * sizeof(*p))) == NULL)
			return -1;
		list->paths = p;
		if ((p = realloc(list->metrics, ncap * sizeof(*p))) == NULL)
			return -1;
		list->metrics = p;
		list->cap = ncap;
	}
	if ((list->paths[list->n] = strdup(path)) == NULL)
		return -1;
	if ((list->metrics[list->n] = strdup(metric)) == NULL) {
		free(list->paths[list->n]);
		return -1;
	}
	list->n++;
	return 0;
}

/* Walk dir (the metric name so far: prefix) in name order. */
static int
walk(struct lrk_mlflow_list *list, const char *dir, const char *prefix,
    int depth, char *err)
{
	struct dirent **entries;
	struct stat st;
	char *path = NULL, *metric = NULL;
	int i, n, status = 0;

	if (depth > 32) {
		snprintf(err, LRK_ERRSIZE, "%s: folders nested too deep",
		    dir);
		return -1;
	}
	if ((n = scandir(dir, &entries, NULL, alphasort)) < 0) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (status != 0 || entries[i]->d_name[0] == '.') {
			free(entries[i]);
			continue;
		}
		if (asprintf(&path, "%s/%s", dir, entries[i]->d_name) < 0 ||
		    asprintf(&metric, "%s%s", prefix,
		    entries[i]->d_name) < 0) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			status = -1;
		} else if (stat(path, &st) != 0) {
			snprintf(err, LRK_ERRSIZE, "%s: %s", path,
			    strerror(errno));
			status = -1;
		} else if (S_ISDIR(st.st_mode)) {
			free(metric);
			if (asprintf(&metric, "%s%s/", prefix,
			    entries[i]->d_name) < 0) {
				metric = NULL;
				snprintf(err, LRK_ERRSIZE, "out of memory");
				status = -1;
			} else
				status = walk(list, path, metric, depth + 1,
				    err);
		} else if (list_add(list, path, metric) != 0) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			status = -1;
		}
		free(path);
		free(metric);
		path = metric = NULL;
		free(entries[i]);
	}
	free(entries);
	return status;
}

/*
 * Add the metric files an operand names: a metric file (its name is the
 * metric), a run folder (its metrics/ folder) or a metrics folder (every
 * file under it, the metric named by its path there).  Returns 0 or -1.
 */
int
lrk_mlflow_list_add(struct lrk_mlflow_list *list, const char *path,
    char *err)
{
	struct stat st;
	const char *base;
	char *metrics_dir;
	size_t before = list->n;
	int r;

	if (stat(path, &st) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		base = strrchr(path, '/');
		base = base != NULL && base[1] != '\0' ? base + 1 : path;
		if (list_add(list, path, base) != 0) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			return -1;
		}
		return 0;
	}
	if (asprintf(&metrics_dir, "%s/metrics", path) < 0) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	if (stat(metrics_dir, &st) == 0 && S_ISDIR(st.st_mode))
		r = walk(list, metrics_dir, "", 0, err);
	else
		r = walk(list, path, "", 0, err);
	free(metrics_dir);
	if (r == 0 && list->n == before) {
		snprintf(err, LRK_ERRSIZE, "%s: no metric files in this "
		    "folder", path);
		return -1;
	}
	return r;
}

void
lrk_mlflow_list_free(struct lrk_mlflow_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		free(list->paths[i]);
		free(list->metrics[i]);
	}
	free(list->paths);
	free(list->metrics);
	memset(list, 0, sizeof(*list));
}

/*
 * --mlflow: the metric files every operand names (lrk_mlflow_list_add),
 * opened and joined on step (lrk_import_mlflow).  0, or -1 with err.
 */
int
lrk_import_mlflow_runs(char *const *operands, size_t n, struct lrk_dense *d,
    char *err)
{
	struct lrk_mlflow_list list = { 0 };
	FILE **fps = NULL;
	size_t i;
	int r = -1;

	for (i = 0; i < n; i++)
		if (lrk_mlflow_list_add(&list, operands[i], err) != 0)
			goto out;
	if ((fps = calloc(list.n + 1, sizeof(*fps))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		goto out;
	}
	for (i = 0; i < list.n; i++)
		if ((fps[i] = fopen(list.paths[i], "re")) == NULL) {
			snprintf(err, LRK_ERRSIZE, "%s: %s", list.paths[i],
			    strerror(errno));
			goto out;
		}
	r = lrk_import_mlflow(fps, (const char *const *)list.paths,
	    (const char *const *)list.metrics, list.n, d, err);
out:
	for (i = 0; fps != NULL && i < list.n; i++)
		if (fps[i] != NULL)
			fclose(fps[i]);
	free(fps);
	lrk_mlflow_list_free(&list);
	return r;
}
