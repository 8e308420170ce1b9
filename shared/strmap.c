/* strmap.c: chained hash map with string keys, doubling its buckets as it grows (see
 * strmap.h). */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strmap.h"
#include "xalloc.h"

#define STRMAP_MIN_BUCKETS	64

struct strmap_node {
	struct strmap_node	*next;
	void			*val;
	size_t			 hash;
	char			 key[];
};

struct strmap {
	struct strmap_node	**buckets;
	size_t			  nbuckets;	/* a power of two */
	size_t			  len;
};

static size_t
strmap_hash(const char *s)
{
	return hash_fnv1a(s);
}

struct strmap *
strmap_new(void)
{
	struct strmap	*m;

	m = xcalloc(1, sizeof(*m));
	m->buckets = xcalloc(STRMAP_MIN_BUCKETS, sizeof(*m->buckets));
	m->nbuckets = STRMAP_MIN_BUCKETS;
	return m;
}

void
strmap_clear(struct strmap *m, void (*free_val)(void *))
{
	struct strmap_node	*n;
	size_t			 i;

	for (i = 0; i < m->nbuckets; i++)
		while ((n = m->buckets[i]) != NULL) {
			m->buckets[i] = n->next;
			if (free_val != NULL)
				free_val(n->val);
			free(n);
		}
	m->len = 0;
}

void
strmap_free(struct strmap *m, void (*free_val)(void *))
{
	if (m == NULL)
		return;
	strmap_clear(m, free_val);
	free(m->buckets);
	free(m);
}

/* The link pointing at the node of "key" (or at the NULL ending its chain). */
static struct strmap_node **
strmap_find(const struct strmap *m, const char *key, size_t h)
{
	struct strmap_node	**p = &m->buckets[h & (m->nbuckets - 1)];

	while (*p != NULL && ((*p)->hash != h || strcmp((*p)->key, key) != 0))
		p = &(*p)->next;
	return p;
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_node	*n = *strmap_find(m, key, strmap_hash(key));

	return n != NULL ? n->val : NULL;
}

/* Doubles the buckets once the map holds more entries than buckets; on allocation failure
 * the map keeps working with longer chains. */
static void
strmap_grow(struct strmap *m)
{
	struct strmap_node	**nb, *n;
	size_t			  i, nn;

	if (m->len < m->nbuckets || m->nbuckets > SIZE_MAX / 2 / sizeof(*nb))
		return;
	nn = m->nbuckets * 2;
	nb = xcalloc(nn, sizeof(*nb));
	for (i = 0; i < m->nbuckets; i++)
		while ((n = m->buckets[i]) != NULL) {
			m->buckets[i] = n->next;
			n->next = nb[n->hash & (nn - 1)];
			nb[n->hash & (nn - 1)] = n;
		}
	free(m->buckets);
	m->buckets = nb;
	m->nbuckets = nn;
}

void
strmap_put(struct strmap *m, const char *key, void *val, void **old)
{
	size_t			  h = strmap_hash(key), kl = strlen(key);
	struct strmap_node	**p = strmap_find(m, key, h), *n;

	assert(val != NULL);	/* NULL is strmap_get's "absent" */
	if (old != NULL)
		*old = NULL;
	if (*p != NULL) {
		if (old != NULL)
			*old = (*p)->val;
		(*p)->val = val;
		return;
	}
	if (kl > SIZE_MAX - sizeof(*n) - 1)
		xalloc_die(SIZE_MAX);
	n = xmalloc(sizeof(*n) + kl + 1);
	memcpy(n->key, key, kl + 1);
	n->val = val;
	n->hash = h;
	n->next = NULL;
	*p = n;
	m->len++;
	strmap_grow(m);
}

void *
strmap_del(struct strmap *m, const char *key)
{
	struct strmap_node	**p = strmap_find(m, key, strmap_hash(key)), *n = *p;
	void			 *val;

	if (n == NULL)
		return NULL;
	*p = n->next;
	val = n->val;
	free(n);
	m->len--;
	return val;
}

size_t
strmap_len(const struct strmap *m)
{
	return m->len;
}

void
strmap_each(const struct strmap *m, void (*fn)(const char *key, void *val, void *arg),
    void *arg)
{
	struct strmap_node	*n;
	size_t			 i;

	for (i = 0; i < m->nbuckets; i++)
		for (n = m->buckets[i]; n != NULL; n = n->next)
			fn(n->key, n->val, arg);
}
