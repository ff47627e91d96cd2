/*
 * Input shown to a reader: the printable-UTF-8 rule, and the escaping of
 * what breaks it.  A cell, a column name or an argument quoted in a
 * message, or a name a tool prints as data, can hold anything: control
 * bytes that drive a terminal, bytes that are not UTF-8, megabytes.  What
 * reaches a reader is the printable, well-formed UTF-8 of it, every other
 * byte as \xNN, and in a message at most LRK_SHOW_BYTES of it.  Nothing
 * here prints to a stream of its own choice or exits, so every layer of
 * the library uses it.
 */
#include <stdio.h>
#include <string.h>

#include "extern.h"

/*
 * The length of the printable, well-formed UTF-8 character at s (at most
 * len bytes), or 0: a control byte, a stray continuation byte, a sequence
 * cut short, an overlong form, a surrogate, a code point past U+10FFFF or
 * a C1 control.  *cp is the code point.
 */
size_t
lrk_utf8_printable(const char *s, size_t len, unsigned int *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int c, min;
	size_t need, i;

	if (len == 0)
		return 0;
	c = p[0];
	if (c < 0x20 || c == 0x7f)
		return 0;
	if (c < 0x80)
		need = 0, min = 0;
	else if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, min = 0x800, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, c &= 0x07;
	else
		return 0;
	if (need >= len)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    (c >= 0x80 && c < 0xa0))
		return 0;
	*cp = c;
	return need + 1;
}

/*
 * A cell, a column name or an argument (len bytes at s) made fit for a
 * message: at most LRK_SHOW_BYTES of it, then "..."; control bytes and
 * bytes that are not printable UTF-8 as \xNN (lrk_utf8_printable).  A 5 MB
 * cell or one full of escape sequences then neither floods nor drives the
 * terminal, and the message stays valid UTF-8.  buf holds LRK_SHOWSIZE
 * bytes.  The one routine that echoes input: it prints nothing, so the
 * rest of the library calls it too.
 */
const char *
lrk_show(char *buf, const char *s, size_t len)
{
	size_t i, n, used = 0;
	unsigned int cp;

	for (i = 0; i < len; i += n) {
		if (i >= LRK_SHOW_BYTES) {
			memcpy(buf + used, "...", 3);
			used += 3;
			break;
		}
		if ((n = lrk_utf8_printable(s + i, len - i, &cp)) == 0) {
			used += (size_t)snprintf(buf + used, 5, "\\x%02x",
			    (unsigned char)s[i]);
			n = 1;
		} else {
			memcpy(buf + used, s + i, n);
			used += n;
		}
	}
	buf[used] = '\0';
	return buf;
}

/*
 * Print s (len bytes) for a reader at a terminal, whole: as lrk_show
 * quotes input in a message (bytes that are no printable UTF-8 as \xNN),
 * without its cut.  For names a tool prints as its data in plain text.
 */
void
lrk_put_text(FILE *fp, const char *s, size_t len)
{
	size_t i, n;
	unsigned int cp;

	for (i = 0; i < len; i += n)
		if ((n = lrk_utf8_printable(s + i, len - i, &cp)) == 0) {
			fprintf(fp, "\\x%02x", (unsigned char)s[i]);
			n = 1;
		} else
			fwrite(s + i, 1, n, fp);
}
