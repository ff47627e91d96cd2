/*
 * lr-import's common parts: inputs made seekable, the format told from the
 * content, and CSV logs passed to the dense stage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extern.h"

/*
 * The importers read their input twice (check, then write).  A regular
 * file can be; anything else (a pipe, a terminal) is first copied to a
 * temporary file.  Returns fp itself or the copy (rewound), NULL with err
 * set.
 */
FILE *
lrk_import_seekable(FILE *fp, const char *name, char *err)
{
	char buf[64 * 1024];
	struct stat st;
	FILE *tmp;
	size_t n;

	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    fseeko(fp, 0, SEEK_CUR) == 0)
		return fp;
	if ((tmp = tmpfile()) == NULL) {
		snprintf(err, LRK_ERRSIZE, "%s: cannot make a temporary copy: "
		    "%s", name, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (fwrite(buf, 1, n, tmp) != n) {
			snprintf(err, LRK_ERRSIZE, "%s: cannot make a "
			    "temporary copy: %s", name, strerror(errno));
			fclose(tmp);
			return NULL;
		}
	if (ferror(fp)) {
		snprintf(err, LRK_ERRSIZE, "%s: read error: %s", name,
		    strerror(errno));
		fclose(tmp);
		return NULL;
	}
	if (fflush(tmp) != 0 || fseeko(tmp, 0, SEEK_SET) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: cannot make a temporary copy: "
		    "%s", name, strerror(errno));
		fclose(tmp);
		return NULL;
	}
	return tmp;
}

static const char *const format_names[] = {
	[LRK_FORMAT_CSV] = "csv",
	[LRK_FORMAT_HF] = "hf",
	[LRK_FORMAT_JSONL] = "jsonl",
	[LRK_FORMAT_MLFLOW] = "mlflow",
	[LRK_FORMAT_TFEVENTS] = "tfevents"
};

/* The format called name, or -1. */
int
lrk_import_format(const char *name)
{
	size_t i;

	for (i = 1; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(name, format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
lrk_import_format_name(int format)
{
	return format_names[format];
}

/*
 * Tell the format of a seekable input from its first bytes, and rewind
 * it: TFRecord framing whose first length checksum holds; a first line
 * that is a whole JSON object (JSON Lines, unless it has a log_history:
 * a one-line trainer_state.json); any other text starting with "{" (a
 * trainer_state.json spread over lines); "timestamp value step" lines
 * (MLflow); else CSV.  Returns the format, or -1 with err set.
 */
int
lrk_import_detect(FILE *fp, const char *name, char *err)
{
	unsigned char head[12];
	char *line = NULL;
	size_t cap = 0, n, skip;
	ssize_t len;
	int format = LRK_FORMAT_CSV, kind;

	n = fread(head, 1, sizeof(head), fp);
	if (!ferror(fp) && lrk_tfevents_sniff(head, n))
		format = LRK_FORMAT_TFEVENTS;
	else if (!ferror(fp) && fseeko(fp, 0, SEEK_SET) == 0 &&
	    (len = getline(&line, &cap, fp)) > 0) {
		skip = 0;
		if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			skip = 3;
		skip += strspn(line + skip, " \t\r\n");
		if (line[skip] == '{') {
			kind = lrk_import_json_line_kind(line + skip,
			    (size_t)len - skip);
			format = kind == 1 ? LRK_FORMAT_JSONL : LRK_FORMAT_HF;
		} else if (lrk_import_mlflow_line(line, (size_t)len))
			format = LRK_FORMAT_MLFLOW;
	}
	free(line);
	if (ferror(fp)) {
		snprintf(err, LRK_ERRSIZE, "%s: read error: %s", name,
		    strerror(errno));
		return -1;
	}
	if (fseeko(fp, 0, SEEK_SET) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", name, strerror(errno));
		return -1;
	}
	return format;
}

/*
 * A CSV log: every cell passes through as it is.  Streams, like the
 * other tools.  Returns 0, or -1 with err set.
 */
int
lrk_import_csv(FILE *fp, const char *name,
    const struct lrk_table_options *options, struct lrk_dense *d, char *err)
{
	const struct lrk_cell *cells;
	struct lrk_table *t;
	char msg[LRK_ERRSIZE];
	int r, status = -1;

	if ((t = lrk_table_new(fp, name, options)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
		return -1;
	}
	if (lrk_table_start(t) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s", lrk_table_error(t));
		goto out;
	}
	if (lrk_table_empty(t)) {
		status = 0;
		goto out;
	}
	if (lrk_dense_header(d, lrk_table_header(t), lrk_table_columns(t),
	    msg) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: %.400s", name, msg);
		goto out;
	}
	while ((r = lrk_table_next(t, &cells)) == 1) {
		if (lrk_dense_row(d, cells, lrk_table_columns(t), msg) != 0) {
			snprintf(err, LRK_ERRSIZE, "%s:%lu: %.400s", name,
			    lrk_table_line(t), msg);
			goto out;
		}
		if (lrk_dense_write_error(d))
			break;
	}
	if (r < 0) {
		snprintf(err, LRK_ERRSIZE, "%s", lrk_table_error(t));
		goto out;
	}
	status = 0;
out:
	lrk_table_free(t);
	return status;
}

/*
 * One foreign log into d: fp named name, in o->format (detected when
 * LRK_FORMAT_AUTO; read through a seekable copy unless it is CSV).  An
 * option of o that the format does not take (--eval, --wide, -d, -H) is
 * the user's error.  Returns 0; -1 with err; -2 with err for that error.
 */
int
lrk_import(FILE *fp, const char *name, const struct lrk_import_options *o,
    struct lrk_dense *d, char *err)
{
	const char *metric, *not = NULL;
	FILE *in = fp;
	int format = o->format, r = -1;

	if (format != LRK_FORMAT_CSV &&
	    (in = lrk_import_seekable(fp, name, err)) == NULL)
		return -1;
	if (format == LRK_FORMAT_AUTO &&
	    (format = lrk_import_detect(in, name, err)) < 0)
		goto out;
	if (o->eval && format != LRK_FORMAT_HF)
		not = "--eval: %s is %s, not a trainer_state.json";
	else if (o->wide && format != LRK_FORMAT_TFEVENTS)
		not = "--wide: %s is %s, not a TensorBoard event file";
	else if ((o->table.delim || o->table.header) &&
	    format != LRK_FORMAT_CSV)
		not = "-d and -H: %s is %s, not CSV";
	if (not != NULL) {
		snprintf(err, LRK_ERRSIZE, not, name,
		    lrk_import_format_name(format));
		r = -2;
		goto out;
	}
	switch (format) {
	case LRK_FORMAT_HF:
		r = lrk_import_hf(in, name, o->eval, d, err);
		break;
	case LRK_FORMAT_JSONL:
		r = lrk_import_jsonl(in, name, d, err);
		break;
	case LRK_FORMAT_MLFLOW:
		/* The metric is the file's name, as in a run folder. */
		metric = strrchr(name, '/');
		metric = strcmp(name, "stdin") == 0 ? "value" :
		    metric != NULL ? metric + 1 : name;
		r = lrk_import_mlflow(&in, &name, &metric, 1, d, err);
		break;
	case LRK_FORMAT_TFEVENTS:
		r = lrk_tfevents_import(in, name, o->wide, d, err);
		break;
	default:
		r = lrk_import_csv(in, name, &o->table, d, err);
		break;
	}
out:
	if (in != fp)
		fclose(in);
	return r;
}
