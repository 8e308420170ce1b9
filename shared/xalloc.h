/* xalloc.h: the memory policy. Allocation failure is not an error a caller handles: these
 * wrappers write one line "fragent: out of memory (N bytes)" on standard error and abort(),
 * as Redis's zmalloc and SQLite's default allocator do. Code that uses them (and the
 * aborting json-c constructors of jsonh.h) has no out-of-memory branches. */
#ifndef FRAGENT_XALLOC_H
#define FRAGENT_XALLOC_H

#include <stddef.h>

/* malloc("size"), never NULL (a "size" of 0 gives a unique pointer). Caller frees with free(). */
void	*xmalloc(size_t size)
	    __attribute__((malloc, returns_nonnull));
/* calloc("nmemb", "size") with the product checked, never NULL. Caller frees with free(). */
void	*xcalloc(size_t nmemb, size_t size)
	    __attribute__((malloc, returns_nonnull));
/* realloc("p", "size"), never NULL; "p" is then no longer valid. */
void	*xrealloc(void *p, size_t size)
	    __attribute__((returns_nonnull));
/* realloc("p", "nmemb" × "size") with the product checked, never NULL. */
void	*xreallocarray(void *p, size_t nmemb, size_t size)
	    __attribute__((returns_nonnull));
/* A heap copy of the NUL-terminated "s". Caller frees with free(). */
char	*xstrdup(const char *s)
	    __attribute__((malloc, returns_nonnull));
/* A heap copy of at most "n" bytes of "s" (shorter at a NUL), NUL-terminated. Caller frees. */
char	*xstrndup(const char *s, size_t n)
	    __attribute__((malloc, returns_nonnull));
/* Writes the out-of-memory line for a request of "size" bytes (0: unknown, the line then
 * names no size) and aborts. For allocators that are not ours (json-c's constructors,
 * PCRE2, libevent, libcurl) where a NULL means nothing but that. */
void	 xalloc_die(size_t size)
	    __attribute__((noreturn, cold));

#endif
