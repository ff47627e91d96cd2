/*
 * A map from strings to dense indices in first-seen order: open addressing
 * with linear probing on an FNV-1a hash, doubled at half load.  Tools keep
 * their per-group state in arrays indexed by it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

struct lrk_strmap {
	char		**keys;		/* by index */
	size_t		 *lens;
	size_t		  count, keys_cap;
	long		 *slots;	/* index + 1, 0 when free */
	size_t		  nslots;
};

static uint64_t
hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct lrk_strmap *
lrk_strmap_new(void)
{
	struct lrk_strmap *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->nslots = 16;
	if ((m->slots = calloc(m->nslots, sizeof(*m->slots))) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
lrk_strmap_free(struct lrk_strmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->count; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->lens);
	free(m->slots);
	free(m);
}

static int
rehash(struct lrk_strmap *m)
{
	size_t i, j, n = m->nslots * 2;
	long *slots;

	if ((slots = calloc(n, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < m->count; i++) {
		j = hash(m->keys[i], m->lens[i]) & (n - 1);
		while (slots[j] != 0)
			j = (j + 1) & (n - 1);
		slots[j] = (long)i + 1;
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
	return 0;
}

/*
 * The index of key, added if it is new (*added says so).  -1 when memory
 * runs out.
 */
long
lrk_strmap_intern(struct lrk_strmap *m, const char *key, size_t len,
    int *added)
{
	size_t j, n;
	void *p;
	long i;

	*added = 0;
	for (j = hash(key, len) & (m->nslots - 1); m->slots[j] != 0;
	    j = (j + 1) & (m->nslots - 1)) {
		i = m->slots[j] - 1;
		if (m->lens[i] == len && memcmp(m->keys[i], key, len) == 0)
			return i;
	}
	if (m->count == m->keys_cap) {
		n = m->keys_cap ? 2 * m->keys_cap : 16;
		if ((p = realloc(m->keys, n * sizeof(*m->keys))) == NULL)
			return -1;
		m->keys = p;
		if ((p = realloc(m->lens, n * sizeof(*m->lens))) == NULL)
			return -1;
		m->lens = p;
		m->keys_cap = n;
	}
	if ((m->keys[m->count] = malloc(len + 1)) == NULL)
		return -1;
	memcpy(m->keys[m->count], key, len);
	m->keys[m->count][len] = '\0';
	m->lens[m->count] = len;
	m->slots[j] = (long)m->count + 1;
	m->count++;
	*added = 1;
	if (2 * m->count > m->nslots && rehash(m) != 0)
		return -1;
	return (long)m->count - 1;
}

const char *
lrk_strmap_key(const struct lrk_strmap *m, size_t index)
{
	return m->keys[index];
}

/* The length of a key, which may hold NUL bytes. */
size_t
lrk_strmap_key_len(const struct lrk_strmap *m, size_t index)
{
	return m->lens[index];
}

size_t
lrk_strmap_count(const struct lrk_strmap *m)
{
	return m->count;
}
