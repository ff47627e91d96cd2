/*
 * TensorBoard event files (events.out.tfevents.*): the scalar summaries.
 *
 * The file is a sequence of TFRecords:
 *
 *	uint64	length			little-endian
 *	uint32	masked CRC32C of the 8 length bytes
 *	byte	data[length]		one Event protobuf
 *	uint32	masked CRC32C of data
 *
 * where masked(c) = ((c >> 15) | (c << 17)) + 0xa282ead8 (mod 2^32) and
 * CRC32C is the Castagnoli CRC (reflected polynomial 0x82f63b78).  The
 * fields read from the protobufs (tensorflow/core/util/event.proto,
 * framework/summary.proto, tensor.proto, tensor_shape.proto):
 *
 *	Event:	wall_time = 1 (double), step = 2 (int64), summary = 5
 *	Summary: value = 1 (repeated)
 *	Value:	tag = 1 (string), simple_value = 2 (float), tensor = 8,
 *		metadata = 9
 *	SummaryMetadata: plugin_data = 1 { plugin_name = 1 (string) }
 *	TensorProto: dtype = 1, tensor_shape = 2, tensor_content = 4 (bytes),
 *		float_val = 5, double_val = 6, int_val = 7, int64_val = 10,
 *		half_val = 13 (repeated; packed or not)
 *	TensorShapeProto: dim = 2 (repeated) { size = 1 }
 *
 * A scalar is a simple_value (TF1) or a rank-0 numeric tensor (TF2's
 * tf.summary.scalar); tensors of tags whose plugin is not "scalars"
 * (histograms, images, text) are left out.  Every other field is skipped
 * by its wire type.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* Records longer than this are taken as a corrupt length. */
#define MAX_RECORD	(1UL << 30)

/* The first room for a record's data; it doubles as the data comes. */
#define FIRST_CAP	(64 * 1024)

/* TensorFlow's DataType values for the numeric scalars read here. */
enum {
	DT_FLOAT = 1, DT_DOUBLE = 2, DT_INT32 = 3, DT_INT64 = 9,
	DT_BFLOAT16 = 14, DT_HALF = 19
};

static uint32_t crc_table[256];
static int crc_ready;

static void
crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78U : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

/* CRC32C (Castagnoli) of len bytes. */
uint32_t
lrk_crc32c(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t c = 0xffffffffU;

	if (!crc_ready)
		crc_init();
	while (len-- > 0)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffU;
}

/* TFRecord's masked CRC32C. */
uint32_t
lrk_crc32c_masked(const void *data, size_t len)
{
	uint32_t c = lrk_crc32c(data, len);

	return ((c >> 15) | (c << 17)) + 0xa282ead8U;
}

static uint64_t
get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 8) | p[n];
	return v;
}

/* Do the first 12 bytes of a file frame a TFRecord? */
int
lrk_tfevents_sniff(const void *head, size_t len)
{
	if (len < 12)
		return 0;
	return get_le((const unsigned char *)head + 8, 4) ==
	    lrk_crc32c_masked(head, 8);
}

/* A protobuf reader over one buffer. */
struct pb {
	const unsigned char	*p, *end;
};

static int
pb_varint(struct pb *b, uint64_t *v)
{
	int shift;

	*v = 0;
	for (shift = 0; shift < 64; shift += 7) {
		if (b->p >= b->end)
			return -1;
		*v |= (uint64_t)(*b->p & 0x7f) << shift;
		if ((*b->p++ & 0x80) == 0)
			return 0;
	}
	return -1;
}

/*
 * The next field: its number and wire type, and for the length-delimited
 * type the bytes (sub).  Returns 1, 0 at the end, -1 when malformed.
 */
static int
pb_field(struct pb *b, uint32_t *field, int *wire, uint64_t *value,
    struct pb *sub)
{
	uint64_t key, len;

	if (b->p == b->end)
		return 0;
	if (pb_varint(b, &key) != 0 || (key >> 3) == 0 ||
	    (key >> 3) > 0x1fffffff)
		return -1;
	*field = (uint32_t)(key >> 3);
	*wire = (int)(key & 7);
	switch (*wire) {
	case 0:
		return pb_varint(b, value) == 0 ? 1 : -1;
	case 1:
		if (b->end - b->p < 8)
			return -1;
		*value = get_le(b->p, 8);
		b->p += 8;
		return 1;
	case 2:
		if (pb_varint(b, &len) != 0 ||
		    len > (uint64_t)(b->end - b->p))
			return -1;
		sub->p = b->p;
		sub->end = b->p + len;
		b->p += len;
		return 1;
	case 5:
		if (b->end - b->p < 4)
			return -1;
		*value = get_le(b->p, 4);
		b->p += 4;
		return 1;
	default:	/* groups (3, 4) are long gone; 6, 7 do not exist */
		return -1;
	}
}

static double
from_float_bits(uint32_t bits)
{
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

static double
from_double_bits(uint64_t bits)
{
	double x;

	memcpy(&x, &bits, sizeof(x));
	return x;
}

/* IEEE binary16 to double. */
static double
from_half_bits(uint32_t h)
{
	int exponent = (h >> 10) & 0x1f;
	double mantissa = h & 0x3ff, x;

	if (exponent == 0)
		x = ldexp(mantissa, -24);
	else if (exponent == 31)
		x = mantissa ? NAN : INFINITY;
	else
		x = ldexp(mantissa + 1024, exponent - 25);
	return h & 0x8000 ? -x : x;
}

static double
element(int dtype, uint64_t bits)
{
	switch (dtype) {
	case DT_FLOAT:
		return from_float_bits((uint32_t)bits);
	case DT_DOUBLE:
		return from_double_bits(bits);
	case DT_INT32:
		return (double)(int32_t)(uint32_t)bits;
	case DT_INT64:
		return (double)(int64_t)bits;
	case DT_HALF:
		return from_half_bits((uint32_t)bits & 0xffff);
	default:	/* DT_BFLOAT16: the high half of a float */
		return from_float_bits(((uint32_t)bits & 0xffff) << 16);
	}
}

/* Bytes per element in tensor_content. */
static int
element_size(int dtype)
{
	switch (dtype) {
	case DT_DOUBLE:
	case DT_INT64:
		return 8;
	case DT_HALF:
	case DT_BFLOAT16:
		return 2;
	default:
		return 4;
	}
}

/*
 * A TensorProto: is it one number, and which?  Returns 1 (a numeric
 * scalar: *x), 0 (something else: a string, a vector, ...), -1 when
 * malformed.
 */
static int
read_tensor(struct pb b, int *is_rank0, double *x)
{
	struct pb sub, dim, shape;
	uint64_t v, bits = 0;
	int one_element = 1;	/* every dimension is 1 (no wrapping product) */
	uint32_t field, f2;
	int wire, w2, r, dtype = 0, count = 0, rank = 0, content = 0, esize;
	const unsigned char *content_p = NULL;
	size_t content_len = 0;

	while ((r = pb_field(&b, &field, &wire, &v, &sub)) == 1) {
		switch (field) {
		case 1:
			if (wire == 0)
				dtype = (int)v;
			break;
		case 2:
			if (wire != 2)
				break;
			shape = sub;
			while ((r = pb_field(&shape, &f2, &w2, &v,
			    &dim)) == 1) {
				if (f2 != 2 || w2 != 2)
					continue;
				rank++;
				while ((r = pb_field(&dim, &f2, &w2, &v,
				    &sub)) == 1)
					if (f2 == 1 && w2 == 0 && v != 1)
						one_element = 0;
				if (r < 0)
					return -1;
			}
			if (r < 0)
				return -1;
			break;
		case 4:
			if (wire == 2) {
				content = 1;
				content_p = sub.p;
				content_len = (size_t)(sub.end - sub.p);
			}
			break;
		case 5: case 6: case 7: case 10: case 13:
			if (wire == 2) {
				/* packed: count the elements */
				while (sub.p < sub.end) {
					if (field == 5) {
						if (sub.end - sub.p < 4)
							return -1;
						bits = get_le(sub.p, 4);
						sub.p += 4;
					} else if (field == 6) {
						if (sub.end - sub.p < 8)
							return -1;
						bits = get_le(sub.p, 8);
						sub.p += 8;
					} else if (pb_varint(&sub, &bits) != 0)
						return -1;
					count++;
				}
			} else {
				bits = v;
				count++;
			}
			break;
		}
	}
	if (r < 0)
		return -1;
	*is_rank0 = rank == 0;
	if (dtype != DT_FLOAT && dtype != DT_DOUBLE && dtype != DT_INT32 &&
	    dtype != DT_INT64 && dtype != DT_HALF && dtype != DT_BFLOAT16)
		return 0;
	if (rank > 0 && !one_element)
		return 0;
	if (content) {
		esize = element_size(dtype);
		if (content_len != (size_t)esize)
			return content_len % (size_t)esize ? -1 : 0;
		bits = get_le(content_p, esize);
	} else if (count != 1)
		return 0;
	*x = element(dtype, bits);
	return 1;
}

/* SummaryMetadata: its plugin_data.plugin_name, or an empty string. */
static int
read_plugin(struct pb b, const char **name, size_t *len)
{
	struct pb sub, inner;
	uint64_t v;
	uint32_t field;
	int wire, r;

	while ((r = pb_field(&b, &field, &wire, &v, &sub)) == 1) {
		if (field != 1 || wire != 2)
			continue;
		while ((r = pb_field(&sub, &field, &wire, &v, &inner)) == 1)
			if (field == 1 && wire == 2) {
				*name = (const char *)inner.p;
				*len = (size_t)(inner.end - inner.p);
			}
		if (r < 0)
			return -1;
	}
	return r;
}

static int
add_scalar(struct lrk_tfevent *ev, const struct lrk_tfscalar *s)
{
	struct lrk_tfscalar *p;
	size_t ncap;

	if (ev->nvalues == ev->cap) {
		ncap = ev->cap ? 2 * ev->cap : 8;
		if ((p = realloc(ev->values, ncap * sizeof(*p))) == NULL)
			return -1;
		ev->values = p;
		ev->cap = ncap;
	}
	ev->values[ev->nvalues++] = *s;
	return 0;
}

/* Summary.Value: a scalar, or nothing. */
static int
read_value(struct pb b, struct lrk_tfevent *ev)
{
	struct lrk_tfscalar s = { 0 };
	struct pb sub, tensor = { NULL, NULL };
	uint64_t v;
	uint32_t field;
	int wire, r, have = 0, rank0 = 0;

	while ((r = pb_field(&b, &field, &wire, &v, &sub)) == 1) {
		if (field == 1 && wire == 2) {
			s.tag = (const char *)sub.p;
			s.tag_len = (size_t)(sub.end - sub.p);
		} else if (field == 2 && wire == 5) {
			s.value = from_float_bits((uint32_t)v);
			s.is_tensor = 0;
			have = 1;
		} else if (field == 8 && wire == 2)
			tensor = sub;
		else if (field == 9 && wire == 2) {
			if (read_plugin(sub, &s.plugin, &s.plugin_len) < 0)
				return -1;
			s.has_metadata = 1;
		}
	}
	if (r < 0)
		return -1;
	if (!have && tensor.p != NULL) {
		if ((r = read_tensor(tensor, &rank0, &s.value)) < 0)
			return -1;
		if (r == 1 && rank0) {
			s.is_tensor = 1;
			have = 1;
		}
	}
	if (s.tag == NULL)	/* no tag field: the empty tag */
		s.tag = "";
	if (s.plugin == NULL)
		s.plugin = "";
	if (!have) {
		/* Keep the metadata: it tells what the tag is. */
		if (!s.has_metadata)
			return 0;
		s.not_scalar = 1;
	}
	return add_scalar(ev, &s) == 0 ? 0 : -2;
}

/*
 * Parse one Event: its step, wall time and the scalar values of its
 * summary (pointing into data).  Returns 0, -1 when malformed, -2 when
 * out of memory.
 */
int
lrk_tfevent_parse(const void *data, size_t len, struct lrk_tfevent *ev)
{
	struct pb b, sub, value;
	uint64_t v;
	uint32_t field;
	int wire, r, rv;

	/* An empty record has no buffer: NULL + 0 is undefined in C. */
	b.p = data;
	b.end = len != 0 ? b.p + len : b.p;
	ev->wall_time = 0;
	ev->step = 0;
	ev->nvalues = 0;
	while ((r = pb_field(&b, &field, &wire, &v, &sub)) == 1) {
		if (field == 1 && wire == 1)
			ev->wall_time = from_double_bits(v);
		else if (field == 2 && wire == 0)
			ev->step = (long long)v;
		else if (field == 5 && wire == 2) {
			while ((r = pb_field(&sub, &field, &wire, &v,
			    &value)) == 1)
				if (field == 1 && wire == 2 &&
				    (rv = read_value(value, ev)) != 0)
					return rv;
			if (r < 0)
				return -1;
		}
	}
	return r < 0 ? -1 : 0;
}

void
lrk_tfevent_free(struct lrk_tfevent *ev)
{
	free(ev->values);
	memset(ev, 0, sizeof(*ev));
}

/*
 * Read length bytes of fp into *buf, growing it as they come: the length
 * is the record's word, and a corrupt one (with a length checksum that
 * happens to match, or is made to) must not reserve a gigabyte for the
 * few bytes that follow.  The buffer stays within twice the bytes read.
 * Returns the bytes read; fewer than length at the end of the input or
 * on a read error.
 */
static size_t
read_data(FILE *fp, unsigned char **buf, size_t *cap, size_t length)
{
	unsigned char *p;
	size_t got = 0, want, n, ncap;

	while (got < length) {
		if (got == *cap) {
			ncap = *cap < FIRST_CAP ? FIRST_CAP : 2 * *cap;
			if (ncap > length)
				ncap = length;
			if ((p = realloc(*buf, ncap)) == NULL)
				return (size_t)-1;
			*buf = p;
			*cap = ncap;
		}
		want = (*cap < length ? *cap : length) - got;
		n = fread(*buf + got, 1, want, fp);
		got += n;
		if (n < want)
			break;
	}
	return got;
}

/*
 * Read the next record of fp at *offset into *buf.  Returns 1, 0 at the
 * end, -1 with err naming the offset.
 */
static int
read_record(FILE *fp, const char *name, unsigned char **buf, size_t *cap,
    size_t *len, uint64_t *offset, char *err)
{
	unsigned char head[12], tail[4];
	uint64_t length;
	size_t n;

	n = fread(head, 1, sizeof(head), fp);
	if (n == 0 && !ferror(fp))
		return 0;
	if (n < sizeof(head)) {
		if (ferror(fp))
			goto read_error;
		snprintf(err, LRK_ERRSIZE, "%s: offset %llu: truncated "
		    "record (%zu of its 12 header bytes)", name,
		    (unsigned long long)*offset, n);
		return -1;
	}
	if (get_le(head + 8, 4) != lrk_crc32c_masked(head, 8)) {
		snprintf(err, LRK_ERRSIZE, "%s: offset %llu: corrupt record: "
		    "the length's checksum does not match", name,
		    (unsigned long long)*offset);
		return -1;
	}
	length = get_le(head, 8);
	if (length > MAX_RECORD) {
		snprintf(err, LRK_ERRSIZE, "%s: offset %llu: record length "
		    "%llu is too large", name, (unsigned long long)*offset,
		    (unsigned long long)length);
		return -1;
	}
	if ((n = read_data(fp, buf, cap, (size_t)length)) == (size_t)-1) {
		snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
		return -1;
	}
	if (n == length)
		n += fread(tail, 1, sizeof(tail), fp);
	if (n < length + sizeof(tail)) {
		if (ferror(fp))
			goto read_error;
		snprintf(err, LRK_ERRSIZE, "%s: offset %llu: truncated record "
		    "(%zu of %llu bytes)", name, (unsigned long long)*offset,
		    n + sizeof(head), (unsigned long long)length + 16);
		return -1;
	}
	if (get_le(tail, 4) != lrk_crc32c_masked(*buf, (size_t)length)) {
		snprintf(err, LRK_ERRSIZE, "%s: offset %llu: corrupt record: "
		    "the data checksum does not match", name,
		    (unsigned long long)*offset);
		return -1;
	}
	*len = (size_t)length;
	*offset += length + 16;
	return 1;
read_error:
	snprintf(err, LRK_ERRSIZE, "%s: read error: %s", name,
	    strerror(errno));
	return -1;
}

/* What the tags are: the plugin each one's first metadata names. */
struct tags {
	struct lrk_strmap	*map;
	int			*kind;		/* by tag index */
	long			*column;	/* by tag index: wide column */
	size_t			 cap;
	size_t			*scalar_order;	/* tags with scalars */
	size_t			 nscalar, order_cap;
};

enum { TAG_UNKNOWN, TAG_SCALARS, TAG_OTHER };

static long
tag_index(struct tags *t, const char *tag, size_t len, int *added)
{
	size_t ncap;
	long k, *c;
	int *p;

	if ((k = lrk_strmap_intern(t->map, tag, len, added)) < 0)
		return -1;
	if ((size_t)k >= t->cap) {
		ncap = t->cap ? 2 * t->cap : 64;
		if ((p = realloc(t->kind, ncap * sizeof(*p))) == NULL)
			return -1;
		t->kind = p;
		if ((c = realloc(t->column, ncap * sizeof(*c))) == NULL)
			return -1;
		t->column = c;
		t->cap = ncap;
	}
	if (*added) {
		t->kind[k] = TAG_UNKNOWN;
		t->column[k] = -1;
	}
	return k;
}

/* --wide: give the tag a column (in first-seen order) if it has none. */
static int
add_order(struct tags *t, long k)
{
	size_t ncap, *p;

	if (t->column[k] >= 0)
		return 0;
	if (t->nscalar == t->order_cap) {
		ncap = t->order_cap ? 2 * t->order_cap : 32;
		if ((p = realloc(t->scalar_order, ncap * sizeof(*p))) == NULL)
			return -1;
		t->scalar_order = p;
		t->order_cap = ncap;
	}
	t->column[k] = (long)t->nscalar;
	t->scalar_order[t->nscalar++] = (size_t)k;
	return 0;
}

/*
 * Is this value a scalar to write?  simple_value always is; a tensor is
 * when its tag's plugin is "scalars" or no plugin was ever named for it.
 * *k is set to the tag's index.
 */
static int
is_scalar(struct tags *t, const struct lrk_tfscalar *s, long *k)
{
	int added;

	if ((*k = tag_index(t, s->tag, s->tag_len, &added)) < 0)
		return -1;
	if (s->has_metadata && t->kind[*k] == TAG_UNKNOWN && s->plugin_len)
		t->kind[*k] = s->plugin_len == 7 &&
		    memcmp(s->plugin, "scalars", 7) == 0 ? TAG_SCALARS :
		    TAG_OTHER;
	if (s->not_scalar)
		return 0;
	return !s->is_tensor || t->kind[*k] != TAG_OTHER;
}

/*
 * Import an event file: every record is checked (framing, checksums,
 * protobufs) before the first row goes out, so fp must be seekable
 * (lrk_import_seekable).  Long format: step,wall_time,tag,value, one row
 * per scalar; wide: step,wall_time and one column per tag (the caller
 * merges the rows on step).  Returns 0, or -1 with err set.
 */
int
lrk_tfevents_import(FILE *fp, const char *name, int wide,
    struct lrk_dense *d, char *err)
{
	static const char *const long_names[] = { "step", "wall_time", "tag",
	    "value" };
	struct lrk_tfevent ev = { 0 };
	struct tags tags = { 0 };
	struct lrk_cell *cells = NULL;
	unsigned char *buf = NULL;
	char msg[LRK_ERRSIZE], stepbuf[32], timebuf[LRK_NUM_BUFSIZE];
	char valbuf[LRK_NUM_BUFSIZE], *tagcopy = NULL;
	size_t cap = 0, len, i, j, ncols = 0;
	uint64_t offset, record_offset;
	long k;
	int pass, r, status = -1;

	if ((tags.map = lrk_strmap_new()) == NULL)
		goto nomem;
	for (pass = 1; pass <= 2; pass++) {
		offset = 0;
		if (pass == 2) {
			ncols = wide ? 2 + tags.nscalar : 4;
			if ((cells = calloc(ncols + 1,
			    sizeof(*cells))) == NULL)
				goto nomem;
			for (i = 0; i < ncols; i++) {
				cells[i].data = i < 2 || !wide ?
				    long_names[i] : lrk_strmap_key(tags.map,
				    tags.scalar_order[i - 2]);
				cells[i].len = strlen(cells[i].data);
			}
			if (lrk_dense_header(d, cells, ncols, msg) != 0) {
				snprintf(err, LRK_ERRSIZE, "%s: %.400s", name,
				    msg);
				goto out;
			}
			if (fseeko(fp, 0, SEEK_SET) != 0) {
				snprintf(err, LRK_ERRSIZE, "%s: cannot read "
				    "the input twice: %s", name,
				    strerror(errno));
				goto out;
			}
		}
		for (;;) {
			record_offset = offset;
			if ((r = read_record(fp, name, &buf, &cap, &len,
			    &offset, err)) < 0)
				goto out;
			if (r == 0)
				break;
			if ((r = lrk_tfevent_parse(buf, len, &ev)) == -2)
				goto nomem;
			if (r < 0) {
				snprintf(err, LRK_ERRSIZE, "%s: offset %llu: "
				    "the record is not an Event protobuf",
				    name, (unsigned long long)record_offset);
				goto out;
			}
			snprintf(stepbuf, sizeof(stepbuf), "%lld", ev.step);
			lrk_num_format(timebuf, ev.wall_time);
			for (i = 0; i < ev.nvalues; i++) {
				if ((r = is_scalar(&tags, &ev.values[i],
				    &k)) < 0)
					goto nomem;
				if (r == 0)
					continue;
				if (pass == 1) {
					if (wide && add_order(&tags, k) != 0)
						goto nomem;
					continue;
				}
				lrk_num_format(valbuf, ev.values[i].value);
				for (j = 0; j < ncols; j++) {
					cells[j].data = "";
					cells[j].len = 0;
				}
				cells[0].data = stepbuf;
				cells[0].len = strlen(stepbuf);
				cells[1].data = timebuf;
				cells[1].len = strlen(timebuf);
				j = wide ? 2 + (size_t)tags.column[k] :
				    3;
				if (!wide) {
					free(tagcopy);
					if ((tagcopy = strndup(ev.values[i].tag,
					    ev.values[i].tag_len)) == NULL)
						goto nomem;
					cells[2].data = tagcopy;
					cells[2].len = strlen(tagcopy);
				}
				cells[j].data = valbuf;
				cells[j].len = strlen(valbuf);
				if (lrk_dense_row(d, cells, ncols, msg) != 0) {
					snprintf(err, LRK_ERRSIZE, "%s: offset "
					    "%llu: %.400s", name, (unsigned long
					    long)record_offset, msg);
					goto out;
				}
			}
			if (pass == 2 && lrk_dense_write_error(d))
				break;
		}
	}
	status = 0;
	goto out;
nomem:
	snprintf(err, LRK_ERRSIZE, "%s: out of memory", name);
out:
	free(buf);
	free(cells);
	free(tagcopy);
	lrk_tfevent_free(&ev);
	lrk_strmap_free(tags.map);
	free(tags.kind);
	free(tags.scalar_order);
	free(tags.column);
	return status;
}
