/*
 * The stream: a table read row by row through libcsv, and written back with
 * the input's delimiter and line ending.
 *
 * The reader hands csv_parse pieces of up to PARSE_SIZE bytes, and libcsv
 * does the quoting.  The fields it reports are copied into an arena that
 * holds the rows parsed but not yet returned; each piece first makes room
 * for everything it can produce, so that the callbacks never allocate.
 * Memory is bounded by the piece size plus the longest row, never by the
 * size of the input.
 *
 * Line numbers are counted, not looked for: with CSV_REPALL_NL libcsv
 * reports every unquoted CR and LF through the row callback, even on an
 * empty row, and a line feed inside a quoted field is in that field's
 * bytes.  The line is one more than the line feeds before; a CR alone ends
 * a row but not a line.
 */
#include <ctype.h>
#include <csv.h>
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

#define READ_SIZE	(64 * 1024)
#define PARSE_SIZE	(16 * 1024)	/* the most handed to csv_parse at once */

struct rowrec {
	size_t		first;	/* index of its first cell in cells */
	size_t		count;
	unsigned long	line;
};

struct lrk_table {
	FILE			*fp;
	char			*name;
	struct lrk_table_options opt;
	struct csv_parser	 parser;
	int			 parser_ready;

	char			*in;	/* input not yet parsed */
	size_t			 in_cap, in_len, in_pos;
	int			 in_eof;	/* fread said end of file */
	int			 done;	/* nothing more to parse */
	unsigned long		 line;	/* the line the parser is on */
	int			 scan_fields;	/* fields may hold line feeds */

	char			*bytes;	/* the arena of cell contents */
	size_t			 bytes_len, bytes_cap;
	struct lrk_cell		*cells;	/* pointing into bytes */
	size_t			 ncells, cells_cap;
	struct rowrec		*rows;	/* complete rows not yet returned */
	size_t			 nrows, rows_cap, rows_head;
	size_t			 partial_first;	/* first cell of the open row */
	int			 in_row;
	unsigned long		 partial_line;
	char			*blank_line;	/* blanks mode: the open line */
	size_t			 blank_len, blank_cap;

	struct lrk_cell		*header;
	size_t			 ncols;
	int			 has_header;
	int			 pending_first;	/* headerless: row 1 is data */
	unsigned long		 row_line;
	int			 delim;
	const char		*eol;
	int			 empty;
	int			 failed;	/* err is set; rows queued before
						 * the error are still returned */
	char			 err[LRK_ERRSIZE];
};

static void
fail(struct lrk_table *t, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	t->failed = 1;
	if (line > 0)
		n = snprintf(t->err, sizeof(t->err), "%s:%lu: ", t->name,
		    line);
	else
		n = snprintf(t->err, sizeof(t->err), "%s: ", t->name);
	if (n < 0 || (size_t)n >= sizeof(t->err))
		return;
	va_start(ap, fmt);
	vsnprintf(t->err + n, sizeof(t->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

/*
 * libcsv's realloc.  It grows a field's buffer by a fixed block (128
 * bytes) at a time, so a 5 MB field took 40 000 reallocations, each a copy
 * of the field under an allocator that cannot grow a block in place
 * (ASan's, valgrind's, many outside glibc): quadratic time.  This one
 * doubles the real capacity behind libcsv's back, so that most of its
 * calls find the room already there.
 */
static void *
csv_realloc(void *p, size_t size)
{
	size_t have = p != NULL ? malloc_usable_size(p) : 0;

	if (size <= have)
		return p;
	if (have < SIZE_MAX / 2 && size < 2 * have)
		size = 2 * have;
	return realloc(p, size);
}

/* The capacity, doubled from 64, that holds need items. */
static size_t
capacity_for(size_t cap, size_t need)
{
	if (cap == 0)
		cap = 64;
	while (cap < need)
		cap *= 2;
	return cap;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = capacity_for(*cap, need);
	if ((np = realloc(*p, ncap * size)) == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

/*
 * Make room for `bytes' more bytes of cell contents in up to `fields' more
 * cells and rows (each cell also takes its NUL).  The cells of the open
 * row point into the arena, so a move of the arena moves them along.
 * Returns 0, or -1 when memory runs out.
 */
static int
reserve(struct lrk_table *t, size_t bytes, size_t fields)
{
	size_t need = t->bytes_len + bytes + fields, cap, i;
	char *nb;

	if (need > t->bytes_cap) {
		cap = capacity_for(t->bytes_cap, need);
		if ((nb = malloc(cap)) == NULL)
			return -1;
		if (t->bytes_len > 0)
			memcpy(nb, t->bytes, t->bytes_len);
		for (i = 0; i < t->ncells; i++)
			t->cells[i].data = nb + (t->cells[i].data - t->bytes);
		free(t->bytes);
		t->bytes = nb;
		t->bytes_cap = cap;
	}
	if (grow((void **)&t->cells, &t->cells_cap, t->ncells + fields,
	    sizeof(*t->cells)) ||
	    grow((void **)&t->rows, &t->rows_cap, t->nrows + fields,
	    sizeof(*t->rows)))
		return -1;
	return 0;
}

/* Open a row that begins on the given line. */
static void
begin_row(struct lrk_table *t, unsigned long line)
{
	t->in_row = 1;
	t->partial_first = t->ncells;
	t->partial_line = line;
}

/* Append one field to the open row; reserve() made the room. */
static void
add_field(struct lrk_table *t, const char *data, size_t len)
{
	char *dst = t->bytes + t->bytes_len;

	memcpy(dst, data, len);
	dst[len] = '\0';
	t->cells[t->ncells].data = dst;
	t->cells[t->ncells].len = len;
	t->ncells++;
	t->bytes_len += len + 1;
}

/* Close the open row and queue it. */
static void
end_row(struct lrk_table *t)
{
	t->rows[t->nrows].first = t->partial_first;
	t->rows[t->nrows].count = t->ncells - t->partial_first;
	t->rows[t->nrows].line = t->partial_line;
	t->nrows++;
	t->in_row = 0;
}

static unsigned long __attribute__((noinline))
count_newlines(const char *s, size_t len)
{
	const char *end = s + len;
	unsigned long n = 0;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/*
 * A field ends on the line where it began unless it is quoted and holds
 * line feeds; those are counted only in pieces where a quoted field can
 * be (scan_fields), which spares the common file a scan of every field.
 */
static void
field_cb(void *data, size_t len, void *arg)
{
	struct lrk_table *t = arg;
	const char *s = data == NULL ? "" : data;

	if (!t->in_row)
		begin_row(t, t->line);
	add_field(t, s, len);
	if (t->scan_fields)
		t->line += count_newlines(s, len);
}

/*
 * Every unquoted CR and LF ends up here (CSV_REPALL_NL); c is -1 at the
 * end of a file without a final line break.  Only an LF starts a new line,
 * so "\r\n" and the "\r\r\n" some loggers wrote count one line each.
 */
static void
row_cb(int c, void *arg)
{
	struct lrk_table *t = arg;

	if (t->in_row)		/* a blank line or a lone CR is no row */
		end_row(t);
	if (c == '\n')
		t->line++;
}

/* libcsv must not trim anything: cells pass through byte for byte. */
static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Blanks mode: split a whole line at runs of blanks. */
static void
split_blanks(struct lrk_table *t, const char *s, size_t len)
{
	size_t i = 0, start;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		if (!t->in_row)
			begin_row(t, t->line);
		add_field(t, s + start, i - start);
	}
	if (t->in_row)
		end_row(t);
}

/* Read more input; returns the bytes now available, 0 at end of file. */
static size_t
fill(struct lrk_table *t)
{
	size_t n;

	if (t->in_pos > 0 && t->in_pos == t->in_len)
		t->in_pos = t->in_len = 0;
	if (t->in_eof)
		return t->in_len - t->in_pos;
	if (grow((void **)&t->in, &t->in_cap, t->in_len + READ_SIZE, 1)) {
		fail(t, t->line, "out of memory");
		return 0;
	}
	n = fread(t->in + t->in_len, 1, READ_SIZE, t->fp);
	if (n < READ_SIZE) {
		if (ferror(t->fp)) {
			fail(t, 0, "read error: %s", strerror(errno));
			return 0;
		}
		t->in_eof = 1;
	}
	t->in_len += n;
	return t->in_len - t->in_pos;
}

/* Blanks mode: gather the input up to the end of the next line. */
static void
feed_blanks(struct lrk_table *t)
{
	const char *p = t->in + t->in_pos, *nl;
	size_t len;

	nl = memchr(p, '\n', t->in_len - t->in_pos);
	len = nl ? (size_t)(nl - p) + 1 : t->in_len - t->in_pos;
	if (grow((void **)&t->blank_line, &t->blank_cap, t->blank_len + len,
	    1)) {
		fail(t, t->line, "out of memory");
		return;
	}
	memcpy(t->blank_line + t->blank_len, p, len);
	t->blank_len += len;
	t->in_pos += len;
	if (nl) {
		if (reserve(t, t->blank_len, t->blank_len + 1)) {
			fail(t, t->line, "out of memory");
			return;
		}
		split_blanks(t, t->blank_line, t->blank_len);
		t->blank_len = 0;
		t->line++;
	}
}

/* The end of the input: the last row, or the error of an open quote. */
static void
finish(struct lrk_table *t)
{
	t->done = 1;
	if (t->delim == LRK_DELIM_BLANKS) {
		if (t->blank_len > 0) {
			if (reserve(t, t->blank_len, t->blank_len + 1)) {
				fail(t, t->line, "out of memory");
				return;
			}
			split_blanks(t, t->blank_line, t->blank_len);
		}
		return;
	}
	/* The last field may be a quoted one begun in an earlier piece. */
	t->scan_fields = 1;
	if (reserve(t, t->parser.entry_pos, 1)) {
		fail(t, t->line, "out of memory");
		return;
	}
	/* The open field's line feeds are not counted yet: t->line is the
	 * line where it began. */
	if (csv_fini(&t->parser, field_cb, row_cb, t) != 0)
		fail(t, t->line, "unterminated quoted field");
}

/*
 * Parse the next piece of input.  A piece of n bytes makes at most n + 1
 * cells and rows (each but the last at the end of the input ends at a
 * delimiter or line break it consumes), and their contents are at most
 * the n bytes plus the field libcsv holds from earlier pieces.
 */
static void
feed(struct lrk_table *t)
{
	const char *p;
	size_t len;

	if (t->in_pos == t->in_len && fill(t) == 0) {
		if (t->failed)
			t->done = 1;
		else
			finish(t);
		return;
	}
	if (t->delim == LRK_DELIM_BLANKS) {
		feed_blanks(t);
		return;
	}
	p = t->in + t->in_pos;
	len = t->in_len - t->in_pos;
	if (len > PARSE_SIZE)
		len = PARSE_SIZE;
	if (reserve(t, t->parser.entry_pos + len, len + 1)) {
		fail(t, t->line, "out of memory");
		return;
	}
	/* A field can hold a line feed only if it is quoted: one continued
	 * from the last piece, or one whose quote is in this piece. */
	t->scan_fields = t->parser.quoted || memchr(p, '"', len) != NULL;
	if (csv_parse(&t->parser, p, len, field_cb, row_cb, t) != len) {
		/* The error is in the open field, after its line feeds. */
		fail(t, t->line + count_newlines((char *)t->parser.entry_buf,
		    t->parser.entry_pos), "%s",
		    csv_error(&t->parser) == CSV_EPARSE ?
		    "malformed quoting (a quote inside an unquoted field, or "
		    "text after a closing quote)" :
		    csv_strerror(csv_error(&t->parser)));
		return;
	}
	t->in_pos += len;
}

/*
 * Every queued row was returned: move the open row, if any, to the front
 * of the arena and forget the rest.
 */
static void
drop_returned(struct lrk_table *t)
{
	size_t keep, i, base;

	t->nrows = t->rows_head = 0;
	if (!t->in_row) {
		t->ncells = t->bytes_len = 0;
		return;
	}
	if (t->partial_first == 0)
		return;
	base = (size_t)(t->cells[t->partial_first].data - t->bytes);
	keep = t->ncells - t->partial_first;
	memmove(t->bytes, t->bytes + base, t->bytes_len - base);
	for (i = 0; i < keep; i++) {
		t->cells[i].data = t->cells[t->partial_first + i].data - base;
		t->cells[i].len = t->cells[t->partial_first + i].len;
	}
	t->bytes_len -= base;
	t->ncells = keep;
	t->partial_first = 0;
}

/*
 * Return the next raw row (before any check against the header): 1, or 0
 * at the end of the input, -1 on error.  The rows parsed before an error
 * come out first, as they would have from a line-by-line reader.
 */
static int
next_raw(struct lrk_table *t, struct rowrec *row)
{
	while (t->rows_head == t->nrows) {
		if (t->failed)
			return -1;
		if (t->done)
			return 0;
		drop_returned(t);
		feed(t);
	}
	*row = t->rows[t->rows_head++];
	return 1;
}

/*
 * Choose the delimiter from the first line: the most frequent of comma, tab
 * and semicolon outside quotes; runs of blanks when there is none of them
 * but blanks between words; a comma for a one-column table.
 */
static int
detect_delim(const char *s, size_t len)
{
	size_t comma = 0, tab = 0, semi = 0, i;
	int quoted = 0, blanks = 0, seen_word = 0;

	for (i = 0; i < len && s[i] != '\n' && s[i] != '\r'; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == ',')
			comma++;
		else if (s[i] == '\t')
			tab++;
		else if (s[i] == ';')
			semi++;
		if (s[i] == ' ' || s[i] == '\t') {
			if (seen_word)
				blanks = 1;
		} else if (s[i] != '"')
			seen_word = 1;
	}
	if (comma == 0 && semi == 0 && tab == 0)
		return blanks ? LRK_DELIM_BLANKS : ',';
	if (tab > 0 && tab >= comma && tab >= semi) {
		/* "a<TAB>b c" is tab-separated; blank runs only without tabs */
		return '\t';
	}
	return comma >= semi ? ',' : ';';
}

struct lrk_table *
lrk_table_new(FILE *fp, const char *name,
    const struct lrk_table_options *options)
{
	struct lrk_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->name = strdup(name)) == NULL) {
		free(t);
		return NULL;
	}
	t->fp = fp;
	if (options != NULL)
		t->opt = *options;
	t->line = 1;
	t->eol = "\n";
	return t;
}

void
lrk_table_free(struct lrk_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	if (t->parser_ready)
		csv_free(&t->parser);
	if (t->header != NULL)
		for (i = 0; i < t->ncols; i++)
			free((char *)t->header[i].data);
	free(t->header);
	free(t->in);
	free(t->bytes);
	free(t->cells);
	free(t->rows);
	free(t->blank_line);
	free(t->name);
	free(t);
}

static int
all_numeric(const struct lrk_cell *cells, size_t n)
{
	double x;
	size_t i;

	for (i = 0; i < n; i++)
		if (lrk_num_parse(cells[i].data, cells[i].len, &x) !=
		    LRK_NUM_OK)
			return 0;
	return n > 0;
}

/*
 * Read the first line: delimiter, line ending, byte-order mark, and the
 * header (or the lack of one).  Returns 0, or -1 with the error set.  An
 * input with no row at all is not an error: lrk_table_empty() says so.
 */
int
lrk_table_start(struct lrk_table *t)
{
	const struct lrk_cell *cells;
	struct rowrec row;
	const char *nl;
	char buf[32];
	size_t i;
	int r;

	/* Make sure the whole first line is in the buffer. */
	for (;;) {
		if (t->in_len > 0 &&
		    memchr(t->in, '\n', t->in_len) != NULL)
			break;
		if (t->in_eof || t->failed)
			break;
		fill(t);
	}
	if (t->failed)
		return -1;
	if (t->in_len >= 3 && memcmp(t->in, "\xef\xbb\xbf", 3) == 0)
		t->in_pos = 3;
	nl = memchr(t->in + t->in_pos, '\n', t->in_len - t->in_pos);
	if (nl != NULL && nl > t->in + t->in_pos && nl[-1] == '\r')
		t->eol = "\r\n";
	t->delim = t->opt.delim ? t->opt.delim :
	    detect_delim(t->in + t->in_pos, t->in_len - t->in_pos);
	if (t->delim != LRK_DELIM_BLANKS) {
		if (csv_init(&t->parser, CSV_STRICT | CSV_STRICT_FINI |
		    CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
			fail(t, 0, "out of memory");
			return -1;
		}
		t->parser_ready = 1;
		csv_set_delim(&t->parser, (unsigned char)t->delim);
		csv_set_space_func(&t->parser, never_space);
		csv_set_realloc_func(&t->parser, csv_realloc);
	}
	if ((r = next_raw(t, &row)) <= 0) {
		t->empty = r == 0;
		return r;
	}
	cells = t->cells + row.first;
	t->ncols = row.count;
	if ((t->header = calloc(t->ncols + 1, sizeof(*t->header))) == NULL) {
		fail(t, 0, "out of memory");
		return -1;
	}
	t->has_header = t->opt.header == LRK_HEADER_YES ||
	    (t->opt.header == LRK_HEADER_AUTO && !all_numeric(cells, row.count));
	for (i = 0; i < t->ncols; i++) {
		if (t->has_header) {
			/* Every byte, a NUL too: len says how many. */
			if ((t->header[i].data = malloc(cells[i].len + 1)) !=
			    NULL)
				memcpy((char *)t->header[i].data,
				    cells[i].data, cells[i].len + 1);
			t->header[i].len = cells[i].len;
		} else {
			t->header[i].len = (size_t)snprintf(buf, sizeof(buf),
			    "%zu", i + 1);
			t->header[i].data = strdup(buf);
		}
		if (t->header[i].data == NULL) {
			fail(t, 0, "out of memory");
			return -1;
		}
	}
	if (!t->has_header) {
		t->rows_head--;		/* hand the first row out again */
		t->pending_first = 1;
	}
	return 0;
}

/*
 * An error in the row just returned.  It comes before any error the
 * reader met further on in the same piece, so it replaces that one, and
 * no row after it is handed out.
 */
static void
row_error(struct lrk_table *t, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	int n;

	t->failed = 1;
	t->rows_head = t->nrows;
	t->done = 1;
	n = snprintf(t->err, sizeof(t->err), "%s:%lu: ", t->name, line);
	if (n < 0 || (size_t)n >= sizeof(t->err))
		return;
	va_start(ap, fmt);
	vsnprintf(t->err + n, sizeof(t->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

/*
 * The next data row: 1 with *cells set (t->ncols cells, valid until the
 * next call), 0 at the end of the input, -1 on error.  A row with more
 * cells than the header is accepted when the extra cells are empty.
 */
int
lrk_table_next(struct lrk_table *t, const struct lrk_cell **cellsp)
{
	const struct lrk_cell *cells;
	struct rowrec row;
	size_t i;
	int r;

	if (t->empty)
		return 0;
	if ((r = next_raw(t, &row)) <= 0)
		return r;
	t->pending_first = 0;
	t->row_line = row.line;
	cells = t->cells + row.first;
	if (row.count > t->ncols) {
		for (i = t->ncols; i < row.count; i++)
			if (cells[i].len > 0)
				break;
		if (i < row.count) {
			row_error(t, row.line, "%zu cells where the header "
			    "has %zu", row.count, t->ncols);
			return -1;
		}
	} else if (row.count < t->ncols) {
		row_error(t, row.line, "%zu cell%s where the header has %zu",
		    row.count, row.count == 1 ? "" : "s", t->ncols);
		return -1;
	}
	*cellsp = cells;
	return 1;
}

const char *
lrk_table_error(const struct lrk_table *t)
{
	return t->err;
}

/* The input's name, as messages give it. */
const char *
lrk_table_name(const struct lrk_table *t)
{
	return t->name;
}

unsigned long
lrk_table_line(const struct lrk_table *t)
{
	return t->row_line;
}

size_t
lrk_table_columns(const struct lrk_table *t)
{
	return t->ncols;
}

const struct lrk_cell *
lrk_table_header(const struct lrk_table *t)
{
	return t->header;
}

int
lrk_table_has_header(const struct lrk_table *t)
{
	return t->has_header;
}

int
lrk_table_delim(const struct lrk_table *t)
{
	return t->delim ? t->delim : ',';
}

const char *
lrk_table_eol(const struct lrk_table *t)
{
	return t->eol;
}

int
lrk_table_empty(const struct lrk_table *t)
{
	return t->empty;
}

/*
 * Append a column name to a message as lrk_show shows it, so that a
 * garbage header can neither flood nor drive the terminal.
 */
static size_t
append_name(char *err, size_t used, size_t size, const char *name)
{
	char shown[LRK_SHOWSIZE];

	if (used + 1 >= size)
		return used;
	lrk_show(shown, name, strlen(name));
	used += (size_t)snprintf(err + used, size - used, "%s", shown);
	return used < size ? used : size - 1;
}

/* "the header is: a, b, c" (the first few names of a wide header). */
static void
describe_header(const struct lrk_table *t, char *err, size_t size)
{
	size_t i, used;

	used = strlen(err);
	if (!t->has_header) {
		snprintf(err + used, size - used,
		    "; the input has no header and %zu column%s", t->ncols,
		    t->ncols == 1 ? "" : "s");
		return;
	}
	used += (size_t)snprintf(err + used, size - used, "; the header is: ");
	for (i = 0; i < t->ncols && used < size; i++) {
		if (i == 12) {
			snprintf(err + used, size - used, ", ... (%zu columns)",
			    t->ncols);
			return;
		}
		if (i > 0)
			used += (size_t)snprintf(err + used, size - used, ", ");
		if (used + 1 < size)
			used = append_name(err, used, size, t->header[i].data);
	}
}

/*
 * Find the column a user named: a header name (case-insensitive) or a
 * 1-based number.  Returns 0, or -1 with err (LRK_ERRSIZE bytes) saying
 * what is wrong and listing the header.
 */
int
lrk_table_find(const struct lrk_table *t, const char *spec, const char *what,
    size_t *column, char *err)
{
	size_t i, found = 0, first = 0, second = 0, used;
	char *end;
	unsigned long n;

	if (spec[0] != '\0' && strspn(spec, "0123456789") == strlen(spec)) {
		errno = 0;
		n = strtoul(spec, &end, 10);
		if (errno == 0 && n >= 1 && n <= t->ncols) {
			*column = n - 1;
			return 0;
		}
		snprintf(err, LRK_ERRSIZE, "%s column %s: there %s only %zu",
		    what, spec, t->ncols == 1 ? "is" : "are", t->ncols);
		describe_header(t, err, LRK_ERRSIZE);
		return -1;
	}
	for (i = 0; i < t->ncols; i++)
		if (t->has_header && strcasecmp(t->header[i].data, spec) == 0) {
			if (found++ == 0)
				first = i;
			else if (found == 2)
				second = i;
		}
	if (found == 1) {
		*column = first;
		return 0;
	}
	used = (size_t)snprintf(err, LRK_ERRSIZE, "%s%s column \"",
	    found ? "" : "no ", what);
	used = append_name(err, used, LRK_ERRSIZE, spec);
	if (found == 0)
		snprintf(err + used, LRK_ERRSIZE - used, "\"");
	else
		snprintf(err + used, LRK_ERRSIZE - used, "\" is ambiguous: "
		    "columns %zu and %zu have that name", first + 1,
		    second + 1);
	describe_header(t, err, LRK_ERRSIZE);
	return -1;
}

/*
 * Is a column of this name a smoothed loss?  Its name ends in _smooth,
 * whatever the case, the suffix ema-smooth appends to the column it
 * smooths (LRK_SMOOTH_SUFFIX).  A name that is the suffix alone is one
 * too: it is what ema-smooth names the smoothed loss of a column whose
 * name is empty, and the pattern *_smooth matches it.  The one rule for
 * every lookup, message and check of lrkit.
 */
int
lrk_is_smooth_name(const char *name, size_t len)
{
	size_t n = sizeof(LRK_SMOOTH_SUFFIX) - 1;

	return len >= n && strncasecmp(name + len - n, LRK_SMOOTH_SUFFIX,
	    n) == 0;
}

/*
 * The name ema-smooth gives the smoothed loss of a column named by len
 * bytes at name: name then LRK_SMOOTH_SUFFIX; malloc'd, NULL when out of
 * memory.
 */
char *
lrk_smooth_name(const char *name, size_t len)
{
	char *s;

	if (len > (size_t)-1 - sizeof(LRK_SMOOTH_SUFFIX) ||
	    (s = malloc(len + sizeof(LRK_SMOOTH_SUFFIX))) == NULL)
		return NULL;
	memcpy(s, name, len);
	memcpy(s + len, LRK_SMOOTH_SUFFIX, sizeof(LRK_SMOOTH_SUFFIX));
	return s;
}

static const char *const lr_names[] = { "lr", "learning_rate",
    "learning-rate", NULL };
static const char *const loss_names[] = { "loss", "train_loss",
    "train_loss_step", "value", NULL };
static const char *const step_names[] = { "step", "global_step",
    "iteration", "iter", "epoch", NULL };
static const char *const run_names[] = { "run", NULL };

/*
 * Would the tools' default lookups read a column of this name as one of
 * the roles: the lr, the loss, the step, the smoothed loss (a *_smooth
 * column, lrk_is_smooth_name), or the run of long format?  Case does not
 * matter, as in the lookups.  The role, or LRK_ROLE_NONE;
 * lrk_role_text words it for a message.
 */
enum lrk_role
lrk_name_role(const char *name, size_t len)
{
	static const struct {
		const char *const	*names;
		const char		*prefix;
		enum lrk_role		 role;
	} lists[] = {
		{ lr_names, "lr-", LRK_ROLE_LR },
		{ loss_names, NULL, LRK_ROLE_LOSS },
		{ step_names, NULL, LRK_ROLE_STEP },
		{ run_names, NULL, LRK_ROLE_RUN },
	};
	size_t i, j;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		for (j = 0; lists[i].names[j] != NULL; j++)
			if (strlen(lists[i].names[j]) == len &&
			    strncasecmp(name, lists[i].names[j], len) == 0)
				return lists[i].role;
		if (lists[i].prefix != NULL &&
		    len >= strlen(lists[i].prefix) && strncasecmp(name,
		    lists[i].prefix, strlen(lists[i].prefix)) == 0)
			return lists[i].role;
	}
	if (lrk_is_smooth_name(name, len))
		return LRK_ROLE_SMOOTH;
	return LRK_ROLE_NONE;
}

/* A role in words, for messages: "lr", "smoothed loss"; "" for none. */
const char *
lrk_role_text(enum lrk_role role)
{
	switch (role) {
	case LRK_ROLE_LR:
		return "lr";
	case LRK_ROLE_LOSS:
		return "loss";
	case LRK_ROLE_SMOOTH:
		return "smoothed loss";
	case LRK_ROLE_STEP:
		return "step";
	case LRK_ROLE_RUN:
		return "run";
	case LRK_ROLE_NONE:
		break;
	}
	return "";
}

/*
 * Look for the first name of a list that the header has; a name that two
 * columns share is an error, as is a missing column.
 */
static int
find_listed(const struct lrk_table *t, const char *const *names,
    const char *prefix, const char *what, size_t *column, char *err)
{
	size_t i, j, found, first = 0;

	for (j = 0; names[j] != NULL; j++) {
		for (i = found = 0; i < t->ncols; i++)
			if (strcasecmp(t->header[i].data, names[j]) == 0 &&
			    found++ == 0)
				first = i;
		if (found == 1) {
			*column = first;
			return 0;
		}
		if (found > 1)
			return lrk_table_find(t, names[j], what, column, err);
	}
	if (prefix != NULL) {
		for (i = found = 0; i < t->ncols; i++)
			if (strncasecmp(t->header[i].data, prefix,
			    strlen(prefix)) == 0 && found++ == 0)
				first = i;
		if (found == 1) {
			*column = first;
			return 0;
		}
		if (found > 1) {
			snprintf(err, LRK_ERRSIZE, "%zu columns are named "
			    "%s*; choose one", found, prefix);
			describe_header(t, err, LRK_ERRSIZE);
			return -1;
		}
	}
	snprintf(err, LRK_ERRSIZE, "no %s column (looked for ", what);
	for (j = 0; names[j] != NULL; j++)
		snprintf(err + strlen(err), LRK_ERRSIZE - strlen(err), "%s%s",
		    j ? ", " : "", names[j]);
	if (prefix != NULL)
		snprintf(err + strlen(err), LRK_ERRSIZE - strlen(err),
		    ", %s*", prefix);
	snprintf(err + strlen(err), LRK_ERRSIZE - strlen(err), ")");
	describe_header(t, err, LRK_ERRSIZE);
	return -1;
}

/*
 * The default column for a role.  Without a header, the loss is the last
 * column and the lr the one before it (a bare "lr loss" or
 * "step lr loss" log), and there is no run column.  The smoothed loss
 * is the column ema-smooth appended to the loss column (<loss>_smooth),
 * else the last *_smooth column, else the loss.
 */
int
lrk_table_find_role(const struct lrk_table *t, enum lrk_role role,
    size_t *column, char *err)
{
	char scratch[LRK_ERRSIZE];
	size_t i, n, loss;

	if (role == LRK_ROLE_NONE) {
		snprintf(err, LRK_ERRSIZE, "no role to look up");
		return -1;
	}
	if (!t->has_header && role == LRK_ROLE_RUN) {
		snprintf(err, LRK_ERRSIZE, "the input has no header: name the "
		    "run column");
		return -1;
	}
	if (!t->has_header) {
		if (t->ncols == 0 || (role == LRK_ROLE_LR && t->ncols < 2) ||
		    (role == LRK_ROLE_STEP && t->ncols < 3)) {
			snprintf(err, LRK_ERRSIZE, "the input has no header "
			    "and %zu column%s: name the %s column", t->ncols,
			    t->ncols == 1 ? "" : "s", role == LRK_ROLE_LR ?
			    "lr" : role == LRK_ROLE_STEP ? "step" : "loss");
			return -1;
		}
		*column = role == LRK_ROLE_LR ? t->ncols - 2 :
		    role == LRK_ROLE_STEP ? t->ncols - 3 : t->ncols - 1;
		return 0;
	}
	switch (role) {
	case LRK_ROLE_LR:
		return find_listed(t, lr_names, "lr-", "lr", column, err);
	case LRK_ROLE_STEP:
		return find_listed(t, step_names, NULL, "step", column, err);
	case LRK_ROLE_RUN:
		return find_listed(t, run_names, NULL, "run", column, err);
	case LRK_ROLE_SMOOTH:
		/* The column ema-smooth appended to the loss column first. */
		if (find_listed(t, loss_names, NULL, "loss", &loss,
		    scratch) == 0) {
			n = strlen(t->header[loss].data);
			for (i = t->ncols; i-- > 0;)
				if (t->header[i].len == n +
				    sizeof(LRK_SMOOTH_SUFFIX) - 1 &&
				    strncasecmp(t->header[i].data,
				    t->header[loss].data, n) == 0 &&
				    lrk_is_smooth_name(t->header[i].data,
				    t->header[i].len)) {
					*column = i;
					return 0;
				}
		}
		for (i = t->ncols; i-- > 0;)
			if (lrk_is_smooth_name(t->header[i].data,
			    t->header[i].len)) {
				*column = i;
				return 0;
			}
		/* FALLTHROUGH */
	case LRK_ROLE_LOSS:
	case LRK_ROLE_NONE:
		break;
	}
	return find_listed(t, loss_names, NULL, "loss", column, err);
}

/* The column a user named with an option, or the role's default. */
int
lrk_table_column(const struct lrk_table *t, const char *spec,
    enum lrk_role role, const char *what, size_t *column, char *err)
{
	if (spec != NULL)
		return lrk_table_find(t, spec, what, column, err);
	return lrk_table_find_role(t, role, column, err);
}

/*
 * The writer.  A cell is quoted only when it must be (it holds the
 * delimiter, a quote or a line break); otherwise its bytes go out as they
 * came in.  A row is gathered in buf and goes to fp in one fwrite at
 * lrk_write_end (or earlier when it outgrows buf).
 */
struct lrk_writer {
	FILE		*fp;
	int		 delim;
	const char	*eol;
	int		 ncells;	/* cells written in the current row */
	size_t		 len;		/* bytes of the row in buf */
	char		 buf[8192];
};

struct lrk_writer *
lrk_writer_new(FILE *fp, int delim, const char *eol)
{
	struct lrk_writer *w;

	if ((w = malloc(sizeof(*w))) == NULL)
		return NULL;
	w->fp = fp;
	w->delim = delim;
	w->eol = eol;
	w->ncells = 0;
	w->len = 0;
	return w;
}

void
lrk_writer_free(struct lrk_writer *w)
{
	free(w);
}

/* Has the stream a writer sends to failed? */
int
lrk_writer_failed(const struct lrk_writer *w)
{
	return ferror(w->fp) != 0;
}

/* Send the gathered bytes to the stream. */
static void
flush_row(struct lrk_writer *w)
{
	if (w->len > 0)
		fwrite_unlocked(w->buf, 1, w->len, w->fp);
	w->len = 0;
}

static void
put(struct lrk_writer *w, const char *data, size_t len)
{
	if (w->len + len > sizeof(w->buf)) {
		flush_row(w);
		if (len > sizeof(w->buf)) {
			fwrite_unlocked(data, 1, len, w->fp);
			return;
		}
	}
	memcpy(w->buf + w->len, data, len);
	w->len += len;
}

/* A writer with the delimiter and line ending of an input table. */
struct lrk_writer *
lrk_writer_like(FILE *fp, const struct lrk_table *t)
{
	return lrk_writer_new(fp, lrk_table_delim(t), lrk_table_eol(t));
}

/* Does this byte force the cell into quotes? */
static int
must_quote(const struct lrk_writer *w, unsigned char c)
{
	return c == (unsigned char)w->delim || c == '"' || c == '\n' ||
	    c == '\r' || (w->delim == LRK_DELIM_BLANKS && c == '\t');
}

/*
 * Is there a byte in the word x that may force quotes: one below '"' + 1,
 * or the delimiter?  ones has 0x01 in each byte of the word (four or
 * eight), seps the delimiter.  These are the classic "has a byte less
 * than n" and "has a zero byte" tests, exact about whether there is one
 * though not about which.
 */
static uint64_t
maybe_special(uint64_t x, uint64_t ones, uint64_t seps)
{
	uint64_t highs = ones << 7, y = x ^ seps;

	return ((x - ones * ('"' + 1)) & ~x & highs) |
	    ((y - ones) & ~y & highs);
}

/*
 * Copy len >= 4 bytes a word at a time, the last word overlapping the one
 * before; 0 as soon as a word may hold a byte that forces quotes.
 */
static int
copy_words(char *dst, const char *data, size_t len, unsigned char sep)
{
	const uint64_t ones8 = 0x0101010101010101ULL, ones4 = 0x01010101;
	uint64_t x;
	uint32_t h, t;
	size_t i;

	if (len < 8) {
		memcpy(&h, data, 4);
		memcpy(&t, data + len - 4, 4);
		if (maybe_special(h, ones4, ones4 * sep) ||
		    maybe_special(t, ones4, ones4 * sep))
			return 0;
		memcpy(dst, &h, 4);
		memcpy(dst + len - 4, &t, 4);
		return 1;
	}
	for (i = 0;; i += 8) {
		if (i + 8 > len)
			i = len - 8;
		memcpy(&x, data + i, 8);
		if (maybe_special(x, ones8, ones8 * sep))
			return 0;
		memcpy(dst + i, &x, 8);
		if (i + 8 == len)
			return 1;
	}
}

/*
 * Copy a cell that needs no quotes into the row; the cell must fit.
 * Returns 0, having written nothing that counts, when the cell needs
 * quotes.  Every byte that can force quotes is the delimiter or at most
 * '"', so a cell goes a word at a time when no word has such a byte, and
 * is otherwise checked byte by byte.
 */
static int
copy_plain(struct lrk_writer *w, const char *data, size_t len)
{
	unsigned char c, sep = (unsigned char)w->delim;
	char *dst = w->buf + w->len;
	size_t i;

	if (len < 4 || !copy_words(dst, data, len, sep)) {
		for (i = 0; i < len; i++) {
			c = (unsigned char)data[i];
			if ((c <= '"' || c == sep) && must_quote(w, c))
				return 0;
			dst[i] = (char)c;
		}
	}
	w->len += len;
	return 1;
}

static inline void
write_cell(struct lrk_writer *w, const char *data, size_t len)
{
	size_t i;

	if (w->ncells++ > 0) {
		if (w->len == sizeof(w->buf))
			flush_row(w);
		w->buf[w->len++] = (char)w->delim;
	}
	if (len <= sizeof(w->buf) - w->len && copy_plain(w, data, len))
		return;
	for (i = 0; i < len; i++)
		if (must_quote(w, (unsigned char)data[i]))
			break;
	if (i == len) {
		put(w, data, len);	/* longer than the room left */
		return;
	}
	flush_row(w);
	csv_fwrite(w->fp, data, len);
}

void
lrk_write_cell(struct lrk_writer *w, const char *data, size_t len)
{
	write_cell(w, data, len);
}

void
lrk_write_str(struct lrk_writer *w, const char *s)
{
	lrk_write_cell(w, s, strlen(s));
}

void
lrk_write_num(struct lrk_writer *w, double x)
{
	char sep = (char)w->delim;

	/* A number never needs quoting: print it straight into the row. */
	if (w->ncells++ > 0)
		put(w, &sep, 1);
	if (w->len + LRK_NUM_BUFSIZE > sizeof(w->buf))
		flush_row(w);
	w->len += lrk_num_format(w->buf + w->len, x);
}

void
lrk_write_cells(struct lrk_writer *w, const struct lrk_cell *cells,
    size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		write_cell(w, cells[i].data, cells[i].len);
}

void
lrk_write_end(struct lrk_writer *w)
{
	const char *p;

	for (p = w->eol; *p != '\0'; p++) {
		if (w->len == sizeof(w->buf))
			flush_row(w);
		w->buf[w->len++] = *p;
	}
	flush_row(w);
	w->ncells = 0;
}
