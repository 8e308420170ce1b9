/* strmap.h: a hash map from NUL-terminated string keys (copied) to caller-owned pointers,
 * for the per-process lookups of users, pending queries and open streams. */
#ifndef FRAGENT_STRMAP_H
#define FRAGENT_STRMAP_H

#include <stddef.h>

struct strmap;

/* Makes an empty map (never NULL). */
struct strmap	*strmap_new(void);
/* Frees the map and its copies of the keys, calling "free_val" (may be NULL) on every value
 * still in it; NULL-safe. */
void		 strmap_free(struct strmap *m, void (*free_val)(void *));
/* The value of "key", or NULL when absent. */
void		*strmap_get(const struct strmap *m, const char *key);
/* Sets "key" to "val" (non-NULL), replacing and returning through "old" (may be NULL) the
 * value it had, NULL when it was absent. */
void		 strmap_put(struct strmap *m, const char *key, void *val, void **old);
/* Removes "key". Returns its value, or NULL when it was absent. */
void		*strmap_del(struct strmap *m, const char *key);
/* Removes every entry, calling "free_val" (may be NULL) on each value. */
void		 strmap_clear(struct strmap *m, void (*free_val)(void *));
/* Number of entries. */
size_t		 strmap_len(const struct strmap *m);
/* Calls "fn" on every entry, in no particular order. "fn" must not change the map. */
void		 strmap_each(const struct strmap *m, void (*fn)(const char *key, void *val,
		    void *arg), void *arg);

#endif
