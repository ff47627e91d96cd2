/*
 * A growable byte string.  The bytes are kept NUL-terminated, so that
 * data is a C string whenever no NUL was added; a failed allocation is
 * remembered (failed), so that a caller building a long text can check
 * once at the end instead of after every piece.  And bytes written out
 * whole to a descriptor.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

/* Room for len more bytes and the NUL.  0, or -1 when out of memory. */
int
lrk_buf_reserve(struct lrk_buf *b, size_t len)
{
	size_t ncap;
	char *nd;

	if (b->failed)
		return -1;
	if (len < b->cap - b->len && b->data != NULL)
		return 0;
	if (len > (size_t)-1 / 2 - b->len - 1) {
		b->failed = 1;
		return -1;
	}
	ncap = b->cap ? b->cap : 256;
	while (ncap < b->len + len + 1)
		ncap *= 2;
	if ((nd = realloc(b->data, ncap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = nd;
	b->cap = ncap;
	return 0;
}

/* Append len bytes.  0, or -1 when out of memory (b is unchanged). */
int
lrk_buf_add(struct lrk_buf *b, const void *s, size_t len)
{
	if (lrk_buf_reserve(b, len) != 0)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
lrk_buf_str(struct lrk_buf *b, const char *s)
{
	return lrk_buf_add(b, s, strlen(s));
}

int
lrk_buf_char(struct lrk_buf *b, int c)
{
	char ch = (char)c;

	return lrk_buf_add(b, &ch, 1);
}

/*
 * A CSV cell (RFC 4180, comma-separated): in double quotes, its quotes
 * doubled, only when it holds a comma, a quote or a line end.
 */
int
lrk_buf_cell(struct lrk_buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (i == len)
		return lrk_buf_add(b, s, len);
	lrk_buf_char(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			lrk_buf_char(b, '"');
		lrk_buf_char(b, s[i]);
	}
	return lrk_buf_char(b, '"');
}

/* Forget the bytes, keep the room. */
void
lrk_buf_clear(struct lrk_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
lrk_buf_free(struct lrk_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* Write all of len bytes to fd; -1 with errno on error. */
int
lrk_write_all(int fd, const void *data, size_t len)
{
	const char *s = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}
