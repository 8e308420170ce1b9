/* utf8.h: UTF-8 as PostgreSQL stores it: well-formed sequences (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF) and no NUL, which text and jsonb cannot hold. */
#ifndef FRAGENT_UTF8_H
#define FRAGENT_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The length (1-4) of the well-formed UTF-8 sequence at "s" ("len" > 0 bytes left), or 0
 * when the bytes there are not one. NUL counts as a sequence of 1. */
size_t	utf8_seq(const unsigned char *s, size_t len);
/* The offset of the first of the "len" bytes of "s" that starts no well-formed sequence,
 * or "len" when there is none. */
size_t	utf8_check(const char *s, size_t len);
/* True when the "len" bytes of "s" are well-formed UTF-8 without NUL. */
bool	utf8_storable(const char *s, size_t len);
/* Appends the "len" bytes of "s" to "out" with every NUL and every byte that starts no
 * well-formed sequence replaced by U+FFFD. */
void	utf8_clean(const char *s, size_t len, struct buf *out);
/* The largest length <= "max" at which the "len" bytes of "s" can be cut without splitting
 * a sequence. */
size_t	utf8_cut(const char *s, size_t len, size_t max);

#endif
