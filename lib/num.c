/*
 * Numbers in the stream: parsing and printing in the C locale.
 *
 * The tools never call setlocale(LC_NUMERIC), so strtod and snprintf keep
 * the "C" locale whatever LC_NUMERIC or LANG say: a decimal point is always
 * a point.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

static const char *const missing_words[] = {
	"na", "n/a", "#na#", "null", "none"
};

/*
 * Is s (len bytes, already trimmed) one of the words that mean "no value"?
 */
int
lrk_num_is_missing(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 1;
	for (i = 0; i < sizeof(missing_words) / sizeof(missing_words[0]); i++)
		if (strlen(missing_words[i]) == len &&
		    strncasecmp(s, missing_words[i], len) == 0)
			return 1;
	return 0;
}

/*
 * The common case without strtod: at most 19 significant digits and a
 * power of ten that is exact in a double.  When the integer mantissa is
 * below 2^53 and |exponent| <= 22, m * 10^e (or m / 10^-e) is one
 * correctly rounded IEEE operation on exact operands, so the result is the
 * correctly rounded value strtod would give (Clinger, 1990).  Returns 1 on
 * success, 0 when the text needs the general path.
 */
static int
parse_fast(const char *s, size_t len, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	unsigned long long m = 0;
	size_t i = 0, start, point, digits;
	unsigned d;
	int negative = 0, scale = 0, exp = 0, exp_negative = 0;
	int any, exp_digits = 0;
	double x;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		negative = s[i++] == '-';
	/* Leading zeros are no significant digits.  m may wrap on a long
	 * mantissa: the digit count rejects it below. */
	start = i;
	while (i < len && s[i] == '0')
		i++;
	point = i;
	for (; i < len && (d = (unsigned)(s[i] - '0')) < 10; i++)
		m = m * 10 + d;
	digits = i - point;
	any = i > start;
	if (i < len && s[i] == '.') {
		start = ++i;
		/* In "0.000123" the zeros after the point only scale. */
		if (m == 0)
			while (i < len && s[i] == '0')
				i++;
		point = i;
		for (; i < len && (d = (unsigned)(s[i] - '0')) < 10; i++)
			m = m * 10 + d;
		digits += i - point;
		if (i - start > 64)	/* far beyond an exact power of ten */
			return 0;
		scale = -(int)(i - start);
		any |= i > start;
	}
	if (!any || digits > 19)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			exp_negative = s[i++] == '-';
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++exp_digits > 4)
				return 0;
			exp = exp * 10 + (s[i] - '0');
		}
		if (exp_digits == 0)
			return 0;
	}
	if (i != len || m > (1ULL << 53))
		return 0;
	exp = (exp_negative ? -exp : exp) + scale;
	if (exp < -22 || exp > 22)
		return 0;
	x = (double)m;
	x = exp < 0 ? x / pow10[-exp] : x * pow10[exp];
	*out = negative ? -x : x;
	return 1;
}

/*
 * Parse len bytes at s as a double.  Blanks around the number are allowed;
 * everything strtod accepts in the C locale is a number (nan, inf,
 * Infinity, hexadecimal); an empty cell and the missing-value words give
 * LRK_NUM_MISSING and NaN.  Out-of-range values such as 1e400 are rejected
 * rather than silently turned into infinity.
 */
int
lrk_num_parse(const char *s, size_t len, double *out)
{
	char small[64], *copy, *end;
	double x;
	int saved;

	/* Most cells are a plain number with no blanks around it. */
	if (parse_fast(s, len, out))
		return LRK_NUM_OK;
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	*out = NAN;
	if (parse_fast(s, len, out))
		return LRK_NUM_OK;
	if (lrk_num_is_missing(s, len))
		return LRK_NUM_MISSING;
	/* strtod would stop at a NUL byte: "2\0999" is not 2. */
	if (memchr(s, '\0', len) != NULL)
		return LRK_NUM_BAD;
	if (len < sizeof(small)) {
		memcpy(small, s, len);
		small[len] = '\0';
		copy = small;
	} else if ((copy = strndup(s, len)) == NULL)
		return LRK_NUM_BAD;
	saved = errno;
	errno = 0;
	x = strtod(copy, &end);
	if (end == copy || *end != '\0' ||
	    (errno == ERANGE && isinf(x)) || copy[0] == '(') {
		if (copy != small)
			free(copy);
		errno = saved;
		return LRK_NUM_BAD;
	}
	if (copy != small)
		free(copy);
	errno = saved;
	*out = x;
	return LRK_NUM_OK;
}

/*
 * Print x in the shortest %g form that reads back to the same double
 * ("0.1", "1.3333333333333333", "1e-07"), like Python's repr.  Returns the
 * length; buf must hold LRK_NUM_BUFSIZE bytes.
 */
size_t
lrk_num_format(char *buf, double x)
{
	/* What "%.15g", "%.16g" or "%.17g" printed, the first that read back
	 * with strtod; lib/dtoa.c does it without either. */
	return lrk_dtoa_shortest(buf, x);
}

/*
 * Parse a comma-separated list of numbers ("10,20,30") into a new array.
 * Returns 0, or -1 when an item is not a finite number or memory runs out.
 */
int
lrk_num_parse_list(const char *s, double **values, size_t *count)
{
	const char *p, *comma;
	double *v = NULL, *grown, x;
	size_t n = 0, cap = 0;

	for (p = s;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		if (lrk_num_parse(p, (size_t)(comma - p), &x) != LRK_NUM_OK ||
		    !isfinite(x))
			goto fail;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = grown;
		}
		v[n++] = x;
		if (*comma == '\0')
			break;
	}
	*values = v;
	*count = n;
	return 0;
fail:
	free(v);
	return -1;
}
