/*
 * JSON logs into the stream, parsed with jansson: Hugging Face
 * trainer_state.json (one document, its log_history array) and JSON Lines
 * (one object per line: W&B history exports, custom loggers).
 *
 * Python's json module writes the non-finite floats as the bare words NaN,
 * Infinity and -Infinity, which are not JSON; a diverged run's log is full
 * of them.  Before jansson sees a text, those words (outside strings) are
 * replaced by marker strings that no logger writes, and turned back into
 * nan/inf cells here.  Error columns are corrected for the longer text.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/*
 * What a non-finite word becomes: a string starting with U+0001; an
 * integer too big for jansson's json_int_t becomes one starting with
 * U+0002 (Python's json reads both).
 */
#define MARK		"\"\\u0001"
#define MARK_BIG	"\"\\u0002"
#define MARK_GROWTH	8	/* "\u0001 and the closing quote */
#define BOM		"\xef\xbb\xbf"

static const char *const nonfinite_words[] = { "NaN", "Infinity",
    "-Infinity" };
static const char *const nonfinite_cells[] = { "nan", "inf", "-inf" };

/* A text with its non-finite words replaced, and where that happened. */
struct jtext {
	struct lrk_buf	 text;
	size_t		*sub_end;	/* offset just past each replacement */
	unsigned long	*sub_line;
	size_t		 nsub, sub_cap;
};

static int
jtext_put(struct jtext *t, const char *s, size_t n)
{
	return lrk_buf_add(&t->text, s, n);
}

static void
jtext_free(struct jtext *t)
{
	lrk_buf_free(&t->text);
	free(t->sub_end);
	free(t->sub_line);
	memset(t, 0, sizeof(*t));
}

static int
is_word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	    c == '+';
}

/*
 * The length of the integer (an optional minus, digits, no fraction or
 * exponent) at in[i] that jansson cannot hold in a json_int_t, or 0.
 */
static size_t
big_integer(const char *in, size_t len, size_t i)
{
	size_t j = i, digits;

	if (j < len && in[j] == '-')
		j++;
	digits = j;
	while (j < len && in[j] >= '0' && in[j] <= '9')
		j++;
	digits = j - digits;
	if (digits == 0 || (j < len && (in[j] == '.' || in[j] == 'e' ||
	    in[j] == 'E')))
		return 0;
	/* LLONG_MAX has 19 digits; jansson refuses what strtoll does. */
	if (digits < 19 || (digits == 19 && memcmp(in + j - 19,
	    in[i] == '-' ? "9223372036854775808" : "9223372036854775807",
	    19) <= 0))
		return 0;
	return j - i;
}

/* Note that a replacement ends at t's end, on line. */
static int
jtext_mark(struct jtext *t, unsigned long line)
{
	unsigned long *nl;
	size_t *ne, ncap;

	if (t->nsub == t->sub_cap) {
		ncap = t->sub_cap ? 2 * t->sub_cap : 16;
		if ((ne = realloc(t->sub_end, ncap * sizeof(*ne))) == NULL)
			return -1;
		t->sub_end = ne;
		if ((nl = realloc(t->sub_line, ncap * sizeof(*nl))) == NULL)
			return -1;
		t->sub_line = nl;
		t->sub_cap = ncap;
	}
	t->sub_end[t->nsub] = t->text.len;
	t->sub_line[t->nsub] = line;
	t->nsub++;
	return 0;
}

/*
 * Copy in[len] to t (from empty), replacing NaN, Infinity, -Infinity and
 * integers too big for jansson outside strings, and drop a byte order
 * mark that starts the text (line 1).  line is the line number of the
 * first byte.
 */
static int
rewrite(struct jtext *t, const char *in, size_t len, unsigned long line)
{
	size_t i = 0, start = 0, w, n;
	int in_string = 0;

	lrk_buf_clear(&t->text);
	t->nsub = 0;
	if (jtext_put(t, "", 0) != 0)
		return -1;
	/* Editors do not show the mark: columns count from after it. */
	if (line == 1 && len >= 3 && memcmp(in, BOM, 3) == 0)
		i = start = 3;
	while (i < len) {
		if (in_string) {
			if (in[i] == '\\')
				i++;
			else if (in[i] == '"')
				in_string = 0;
			else if (in[i] == '\n')
				line++;
			i++;
			continue;
		}
		if (in[i] == '"') {
			in_string = 1;
			i++;
			continue;
		}
		if (in[i] == '\n')
			line++;
		if ((in[i] == '-' || (in[i] >= '0' && in[i] <= '9')) &&
		    (i == 0 || !is_word_char((unsigned char)in[i - 1])) &&
		    (n = big_integer(in, len, i)) > 0) {
			if (jtext_put(t, in + start, i - start) != 0 ||
			    jtext_put(t, MARK_BIG, strlen(MARK_BIG)) != 0 ||
			    jtext_put(t, in + i, n) != 0 ||
			    jtext_put(t, "\"", 1) != 0 ||
			    jtext_mark(t, line) != 0)
				return -1;
			i += n;
			start = i;
			continue;
		}
		if (in[i] != 'N' && in[i] != 'I' && in[i] != '-') {
			i++;
			continue;
		}
		for (w = 0; w < 3; w++) {
			n = strlen(nonfinite_words[w]);
			if (len - i >= n &&
			    memcmp(in + i, nonfinite_words[w], n) == 0 &&
			    (i == 0 || !is_word_char((unsigned char)in[i - 1])) &&
			    (i + n == len ||
			    !is_word_char((unsigned char)in[i + n])))
				break;
		}
		if (w == 3) {
			i++;
			continue;
		}
		if (jtext_put(t, in + start, i - start) != 0 ||
		    jtext_put(t, MARK, strlen(MARK)) != 0 ||
		    jtext_put(t, in + i, n) != 0 ||
		    jtext_put(t, "\"", 1) != 0 || jtext_mark(t, line) != 0)
			return -1;
		i += n;
		start = i;
	}
	return jtext_put(t, in + start, len - start);
}

/* Report a jansson error at its line and (corrected) column. */
static void
json_fail(const struct jtext *t, const char *name, unsigned long first_line,
    const json_error_t *je, char *err)
{
	unsigned long line;
	long column;
	size_t i;

	line = first_line + (unsigned long)(je->line > 0 ? je->line - 1 : 0);
	column = je->column;
	/* At the end of a text that ends with a line end: the last line. */
	if (column <= 0 && line > first_line && je->position > 0 &&
	    (size_t)je->position >= t->text.len)
		line--;
	for (i = 0; i < t->nsub; i++)
		if (t->sub_line[i] == line &&
		    t->sub_end[i] <= (size_t)je->position)
			column -= MARK_GROWTH;
	if (column > 0)
		snprintf(err, LRK_ERRSIZE, "%s:%lu: invalid JSON at column "
		    "%ld: %s", name, line, column, je->text);
	else
		snprintf(err, LRK_ERRSIZE, "%s:%lu: invalid JSON: %s", name,
		    line, je->text);
}

enum cellkind { CELL_NUMBER, CELL_MISSING, CELL_OTHER };

/*
 * A JSON value as a cell: a number (buf holds its text), a missing value
 * (null: an empty cell), or something else.  buf: LRK_NUM_BUFSIZE bytes.
 */
static enum cellkind
json_cell(const json_t *v, char *buf)
{
	const char *s;
	size_t w;

	buf[0] = '\0';
	switch (json_typeof(v)) {
	case JSON_INTEGER:
		snprintf(buf, LRK_NUM_BUFSIZE, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return CELL_NUMBER;
	case JSON_REAL:
		lrk_num_format(buf, json_real_value(v));
		return CELL_NUMBER;
	case JSON_NULL:
		return CELL_MISSING;
	case JSON_STRING:
		s = json_string_value(v);
		if (s[0] == '\002') {
			/* Its digits, or as the tools will read them. */
			if (strlen(s + 1) < LRK_NUM_BUFSIZE)
				snprintf(buf, LRK_NUM_BUFSIZE, "%s", s + 1);
			else
				lrk_num_format(buf, strtod(s + 1, NULL));
			return CELL_NUMBER;
		}
		if (s[0] != '\001')
			return CELL_OTHER;
		for (w = 0; w < 3; w++)
			if (strcmp(s + 1, nonfinite_words[w]) == 0) {
				snprintf(buf, LRK_NUM_BUFSIZE, "%s",
				    nonfinite_cells[w]);
				return CELL_NUMBER;
			}
		return CELL_OTHER;
	default:
		return CELL_OTHER;
	}
}

static const char *
json_kind_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "a number";
	}
}

/* Columns: names in first-seen order, with an index for lookups. */
struct columns {
	struct lrk_strmap	*map;
	size_t			*order;		/* column -> key index */
	size_t			 n, cap;
	long			*column_of;	/* key index -> column or -1 */
	unsigned long		*bad_line;	/* key index -> first bad line */
	size_t			*bad_entry;
	const char		**bad_kind;
	size_t			 keys_cap;
};

static int
columns_init(struct columns *c)
{
	memset(c, 0, sizeof(*c));
	return (c->map = lrk_strmap_new()) == NULL ? -1 : 0;
}

static void
columns_free(struct columns *c)
{
	lrk_strmap_free(c->map);
	free(c->order);
	free(c->column_of);
	free(c->bad_line);
	free(c->bad_entry);
	free(c->bad_kind);
}

/* The key's index, its per-key arrays grown as needed; -1: no memory. */
static long
columns_key(struct columns *c, const char *key)
{
	size_t ncap;
	long k;
	int added;
	void *p;

	if ((k = lrk_strmap_intern(c->map, key, strlen(key), &added)) < 0)
		return -1;
	if ((size_t)k >= c->keys_cap) {
		ncap = c->keys_cap ? 2 * c->keys_cap : 64;
		if ((p = realloc(c->column_of, ncap *
		    sizeof(*c->column_of))) == NULL)
			return -1;
		c->column_of = p;
		if ((p = realloc(c->bad_line, ncap *
		    sizeof(*c->bad_line))) == NULL)
			return -1;
		c->bad_line = p;
		if ((p = realloc(c->bad_entry, ncap *
		    sizeof(*c->bad_entry))) == NULL)
			return -1;
		c->bad_entry = p;
		if ((p = realloc(c->bad_kind, ncap *
		    sizeof(*c->bad_kind))) == NULL)
			return -1;
		c->bad_kind = p;
		c->keys_cap = ncap;
	}
	if (added) {
		c->column_of[k] = -1;
		c->bad_line[k] = 0;
		c->bad_entry[k] = 0;
		c->bad_kind[k] = NULL;
	}
	return k;
}

/* Make key a column (if it is not one yet).  -1: no memory. */
static int
columns_add(struct columns *c, const char *key)
{
	size_t ncap;
	long k;
	void *p;

	if ((k = columns_key(c, key)) < 0)
		return -1;
	if (c->column_of[k] >= 0)
		return 0;
	if (c->n == c->cap) {
		ncap = c->cap ? 2 * c->cap : 32;
		if ((p = realloc(c->order, ncap * sizeof(*c->order))) == NULL)
			return -1;
		c->order = p;
		c->cap = ncap;
	}
	c->column_of[k] = (long)c->n;
	c->order[c->n++] = (size_t)k;
	return 0;
}

/*
 * Take in one object's members: numeric keys become columns, the first
 * non-numeric value of every key is remembered with its line.
 */
static int
columns_scan(struct columns *c, json_t *obj, unsigned long line,
    size_t entry)
{
	const char *key;
	json_t *v;
	char buf[LRK_NUM_BUFSIZE];
	long k;

	json_object_foreach(obj, key, v) {
		switch (json_cell(v, buf)) {
		case CELL_NUMBER:
			if (columns_add(c, key) != 0)
				return -1;
			break;
		case CELL_MISSING:
			break;
		case CELL_OTHER:
			if ((k = columns_key(c, key)) < 0)
				return -1;
			if (c->bad_line[k] == 0) {
				c->bad_line[k] = line;
				c->bad_entry[k] = entry;
				c->bad_kind[k] = json_kind_name(v);
			}
			break;
		}
	}
	return 0;
}

/* The first key that is a column and has a non-numeric value, or -1. */
static long
columns_first_bad(const struct columns *c)
{
	size_t i, k;
	long best = -1;

	for (i = 0; i < c->n; i++) {
		k = c->order[i];
		if (c->bad_line[k] == 0)
			continue;
		if (best < 0 || c->bad_line[k] < c->bad_line[best] ||
		    (c->bad_line[k] == c->bad_line[best] &&
		    c->bad_entry[k] < c->bad_entry[best]))
			best = (long)k;
	}
	return best;
}

/* Send the header: the columns' names. */
static int
columns_header(const struct columns *c, struct lrk_dense *d, const char *name,
    char *err)
{
	struct lrk_cell *h;
	char msg[LRK_ERRSIZE];
	size_t i;
	int r;

	if ((h = calloc(c->n + 1, sizeof(*h))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		h[i].data = lrk_strmap_key(c->map, c->order[i]);
		h[i].len = strlen(h[i].data);
	}
	if ((r = lrk_dense_header(d, h, c->n, msg)) != 0)
		snprintf(err, LRK_ERRSIZE, "%s: %.400s", name, msg);
	free(h);
	return r;
}

/* Send one object as a row: cells is c->n cells, bufs c->n buffers. */
static int
columns_row(const struct columns *c, json_t *obj, struct lrk_cell *cells,
    char (*bufs)[LRK_NUM_BUFSIZE], struct lrk_dense *d, char *msg)
{
	json_t *v;
	size_t i;

	for (i = 0; i < c->n; i++) {
		v = json_object_get(obj, lrk_strmap_key(c->map, c->order[i]));
		bufs[i][0] = '\0';
		if (v != NULL)
			json_cell(v, bufs[i]);
		cells[i].data = bufs[i];
		cells[i].len = strlen(bufs[i]);
	}
	return lrk_dense_row(d, cells, c->n, msg);
}

/*
 * Where the entries of the top-level "log_history" array start: a light
 * scan of the text (strings and nesting only; jansson has already checked
 * the syntax) that records the line of the key and of every element, so
 * that errors found in the parsed tree can name a line.
 */
struct hist_lines {
	unsigned long	 key_line;
	unsigned long	*entry;
	size_t		 n, cap;
};

static int
scan_history(const char *s, size_t len, struct hist_lines *h)
{
	static const char key[] = "\"log_history\"";
	size_t i, ncap, key_start = 0;
	unsigned long line = 1, *p;
	int depth = 0, in_string = 0, expect_value = 0, in_array = 0;
	int expect_element = 0, last_was_key = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"') {
				in_string = 0;
				last_was_key = depth == 1 &&
				    i + 1 - key_start == sizeof(key) - 1 &&
				    memcmp(s + key_start, key,
				    sizeof(key) - 1) == 0;
			}
			continue;
		}
		if (s[i] == '\n') {
			line++;
			continue;
		}
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')
			continue;
		if (s[i] == ':') {
			expect_value = last_was_key;
			last_was_key = 0;
			continue;
		}
		if (expect_value) {
			expect_value = 0;
			h->key_line = line;
			if (s[i] == '[') {
				in_array = 1;
				expect_element = 1;
				depth++;
				continue;
			}
		}
		if (in_array && depth == 2 && expect_element && s[i] != ']') {
			expect_element = 0;
			if (h->n == h->cap) {
				ncap = h->cap ? 2 * h->cap : 256;
				if ((p = realloc(h->entry, ncap *
				    sizeof(*p))) == NULL)
					return -1;
				h->entry = p;
				h->cap = ncap;
			}
			h->entry[h->n++] = line;
		}
		last_was_key = 0;
		switch (s[i]) {
		case '"':
			in_string = 1;
			key_start = i;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 1)
				in_array = 0;
			break;
		case ',':
			if (in_array && depth == 2)
				expect_element = 1;
			break;
		}
	}
	return 0;
}

/* Read all of fp into a new buffer. */
static int
slurp(FILE *fp, char **buf, size_t *len, const char *name, char *err)
{
	size_t cap = 64 * 1024, n;
	char *p;

	*len = 0;
	if ((*buf = malloc(cap)) == NULL)
		goto nomem;
	for (;;) {
		if (*len == cap) {
			if ((p = realloc(*buf, 2 * cap)) == NULL)
				goto nomem;
			*buf = p;
			cap *= 2;
		}
		n = fread(*buf + *len, 1, cap - *len, fp);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		snprintf(err, LRK_ERRSIZE, "%s: read error: %s", name,
		    strerror(errno));
		return -1;
	}
	return 0;
nomem:
	snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
	return -1;
}

static int
is_eval_entry(json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
		if (strncmp(key, "eval_", 5) == 0)
			return 1;
	return 0;
}

/*
 * Hugging Face trainer_state.json: the rows of its log_history.  The
 * document is read whole (it is one JSON value) and checked completely
 * before the first row goes out, so a bad file gives no rows at all.
 * Training entries (those with "loss") become rows by default; with eval,
 * the evaluation entries (with "eval_*" keys) do.  Returns 0 or -1.
 */
int
lrk_import_hf(FILE *fp, const char *name, int eval, struct lrk_dense *d,
    char *err)
{
	static const char *const train_first[] = { "step", "epoch", "loss",
	    "learning_rate", "grad_norm", NULL };
	static const char *const eval_first[] = { "step", "epoch", NULL };
	const char *const *first = eval ? eval_first : train_first;
	struct jtext t = { 0 };
	struct hist_lines lines = { 0 };
	struct columns cols;
	struct lrk_cell *cells = NULL;
	char (*bufs)[LRK_NUM_BUFSIZE] = NULL, msg[LRK_ERRSIZE];
	json_error_t je;
	json_t *root = NULL, *hist, *e, *v;
	char *src = NULL;
	size_t len, i, j, nsel = 0;
	unsigned long line;
	long bad;
	int status = -1;

	if (columns_init(&cols) != 0)
		goto nomem;
	if (slurp(fp, &src, &len, name, err) != 0)
		goto out;
	if (rewrite(&t, src, len, 1) != 0)
		goto nomem;
	free(src);
	src = NULL;
	if ((root = json_loadb(t.text.data, t.text.len, 0, &je)) == NULL) {
		json_fail(&t, name, 1, &je, err);
		goto out;
	}
	if (scan_history(t.text.data, t.text.len, &lines) != 0)
		goto nomem;
	if (!json_is_object(root)) {
		snprintf(err, LRK_ERRSIZE, "%s: the document is %s, not a "
		    "trainer_state.json object", name, json_kind_name(root));
		goto out;
	}
	if ((hist = json_object_get(root, "log_history")) == NULL) {
		snprintf(err, LRK_ERRSIZE, "%s: no \"log_history\": not a "
		    "Hugging Face trainer_state.json", name);
		goto out;
	}
	if (!json_is_array(hist)) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: \"log_history\" is %s, "
		    "expected an array", name, lines.key_line,
		    json_kind_name(hist));
		goto out;
	}
	/*
	 * The fixed columns first, when any chosen entry has them.  A value
	 * that is not a number still makes the column, so that it is
	 * reported below rather than the column silently left out.
	 */
	for (j = 0; first[j] != NULL; j++)
		json_array_foreach(hist, i, e)
			if (json_is_object(e) && (eval ? is_eval_entry(e) :
			    json_object_get(e, "loss") != NULL) &&
			    (v = json_object_get(e, first[j])) != NULL &&
			    json_cell(v, msg) != CELL_MISSING) {
				if (columns_add(&cols, first[j]) != 0)
					goto nomem;
				break;
			}
	json_array_foreach(hist, i, e) {
		line = i < lines.n ? lines.entry[i] : lines.key_line;
		if (!json_is_object(e)) {
			snprintf(err, LRK_ERRSIZE, "%s:%lu: log_history[%zu] "
			    "is %s, expected an object", name, line, i,
			    json_kind_name(e));
			goto out;
		}
		if (eval ? !is_eval_entry(e) :
		    json_object_get(e, "loss") == NULL)
			continue;
		nsel++;
		if (columns_scan(&cols, e, line, i) != 0)
			goto nomem;
	}
	if ((bad = columns_first_bad(&cols)) >= 0) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: log_history[%zu]: \"%s\" "
		    "is %s, expected a number", name, cols.bad_line[bad],
		    cols.bad_entry[bad], lrk_strmap_key(cols.map, (size_t)bad),
		    cols.bad_kind[bad]);
		goto out;
	}
	if (nsel == 0) {
		snprintf(err, LRK_ERRSIZE, "%s: log_history has no %s", name,
		    eval ? "evaluation entries (with \"eval_*\" keys)" :
		    "training entries (with \"loss\")");
		goto out;
	}
	if (columns_header(&cols, d, name, err) != 0)
		goto out;
	if ((cells = calloc(cols.n + 1, sizeof(*cells))) == NULL ||
	    (bufs = calloc(cols.n + 1, sizeof(*bufs))) == NULL)
		goto nomem;
	json_array_foreach(hist, i, e) {
		if (eval ? !is_eval_entry(e) :
		    json_object_get(e, "loss") == NULL)
			continue;
		if (columns_row(&cols, e, cells, bufs, d, msg) != 0) {
			snprintf(err, LRK_ERRSIZE, "%s:%lu: %.400s", name,
			    i < lines.n ? lines.entry[i] : 0, msg);
			goto out;
		}
	}
	status = 0;
	goto out;
nomem:
	snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
out:
	free(src);
	free(cells);
	free(bufs);
	free(lines.entry);
	json_decref(root);
	columns_free(&cols);
	jtext_free(&t);
	return status;
}

/* Is the line only blanks? */
static int
blank_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 0;
	return 1;
}

/* Parse one line of JSON Lines into an object; NULL with err set. */
static json_t *
parse_line(struct jtext *t, const char *s, size_t n, const char *name,
    unsigned long line, char *err)
{
	json_error_t je;
	json_t *obj;

	/* Without its line end, an error at the end of the line is on it. */
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (rewrite(t, s, n, line) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: out of memory", name,
		    line);
		return NULL;
	}
	if ((obj = json_loadb(t->text.data, t->text.len, 0, &je)) == NULL) {
		json_fail(t, name, line, &je, err);
		return NULL;
	}
	if (!json_is_object(obj)) {
		snprintf(err, LRK_ERRSIZE, "%s:%lu: %s, expected a JSON "
		    "object on every line", name, line, json_kind_name(obj));
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/*
 * JSON Lines: one object per line; the columns are the numeric keys in
 * the order they first appear, a missing key is an empty cell.  The
 * columns are known only at the end, so the input is read twice (fp must
 * be seekable: see lrk_import_seekable): the first pass checks every line
 * and collects the keys, the second writes the rows.  Memory holds one
 * line and the keys, whatever the length of the input.  Returns 0 or -1.
 */
int
lrk_import_jsonl(FILE *fp, const char *name, struct lrk_dense *d, char *err)
{
	struct jtext t = { 0 };
	struct columns cols;
	struct lrk_cell *cells = NULL;
	char (*bufs)[LRK_NUM_BUFSIZE] = NULL, msg[LRK_ERRSIZE];
	char *s = NULL;
	size_t cap = 0, nrows = 0;
	ssize_t n;
	unsigned long line;
	json_t *obj;
	long bad;
	int status = -1, pass;

	if (columns_init(&cols) != 0)
		goto nomem;
	for (pass = 1; pass <= 2; pass++) {
		if (pass == 2) {
			if (nrows == 0) {
				status = 0;
				goto out;
			}
			if ((bad = columns_first_bad(&cols)) >= 0) {
				snprintf(err, LRK_ERRSIZE, "%s:%lu: \"%s\" is "
				    "%s, expected a number", name,
				    cols.bad_line[bad],
				    lrk_strmap_key(cols.map, (size_t)bad),
				    cols.bad_kind[bad]);
				goto out;
			}
			if (cols.n == 0) {
				snprintf(err, LRK_ERRSIZE, "%s: no numeric "
				    "values in any object", name);
				goto out;
			}
			if (columns_header(&cols, d, name, err) != 0)
				goto out;
			if ((cells = calloc(cols.n + 1,
			    sizeof(*cells))) == NULL ||
			    (bufs = calloc(cols.n + 1, sizeof(*bufs))) == NULL)
				goto nomem;
			if (fseeko(fp, 0, SEEK_SET) != 0) {
				snprintf(err, LRK_ERRSIZE, "%s: cannot read "
				    "the input twice: %s", name,
				    strerror(errno));
				goto out;
			}
		}
		line = 0;
		while ((n = getline(&s, &cap, fp)) >= 0) {
			line++;
			if (blank_line(s, (size_t)n))
				continue;
			if ((obj = parse_line(&t, s, (size_t)n, name, line,
			    err)) == NULL)
				goto out;
			if (pass == 1) {
				nrows++;
				if (columns_scan(&cols, obj, line, 0) != 0) {
					json_decref(obj);
					goto nomem;
				}
			} else if (columns_row(&cols, obj, cells, bufs, d,
			    msg) != 0) {
				snprintf(err, LRK_ERRSIZE, "%s:%lu: %.400s", name,
				    line, msg);
				json_decref(obj);
				goto out;
			}
			json_decref(obj);
			if (pass == 2 && lrk_dense_write_error(d))
				break;
		}
		if (ferror(fp)) {
			snprintf(err, LRK_ERRSIZE, "%s: read error: %s", name,
			    strerror(errno));
			goto out;
		}
	}
	status = 0;
	goto out;
nomem:
	snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
out:
	free(s);
	free(cells);
	free(bufs);
	columns_free(&cols);
	jtext_free(&t);
	return status;
}

/*
 * Is this first line of an input (len bytes) a complete JSON object, and
 * does it have a "log_history" key?  Returns 1 (a JSON Lines object), 2
 * (a one-line trainer_state.json), 0 (neither).
 */
int
lrk_import_json_line_kind(const char *s, size_t len)
{
	struct jtext t = { 0 };
	json_error_t je;
	json_t *obj;
	int kind = 0;

	if (rewrite(&t, s, len, 1) == 0 &&
	    (obj = json_loadb(t.text.data, t.text.len, 0, &je)) != NULL) {
		if (json_is_object(obj))
			kind = json_object_get(obj, "log_history") ? 2 : 1;
		json_decref(obj);
	}
	jtext_free(&t);
	return kind;
}
