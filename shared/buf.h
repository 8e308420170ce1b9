/* buf.h: a growable byte buffer for building strings and bodies without fixed limits.
 * Growing never fails: memory running out, or a size past SIZE_MAX, aborts (xalloc.h). */
#ifndef FRAGENT_BUF_H
#define FRAGENT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;	/* always NUL-terminated once anything was appended */
	size_t	 len;
	size_t	 cap;
};

/* Prepares "b" as an empty buffer; no allocation happens until an append. */
void	buf_init(struct buf *b);
/* Frees the storage of "b" (NULL-safe) and leaves it empty. */
void	buf_clear(struct buf *b);
/* Empties "b" but keeps its storage. */
void	buf_reset(struct buf *b);
/* Appends "n" bytes of "p" ("p" may be NULL when "n" is 0). */
void	buf_append(struct buf *b, const void *p, size_t n);
/* Appends the NUL-terminated "s". */
void	buf_puts(struct buf *b, const char *s);
/* Appends printf-formatted text. Returns 0, or -1 when the format fails (vsnprintf's
 * encoding error; nothing appended). */
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The same with a va_list (which it uses up). */
int	buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Hands the heap string over to the caller, who frees it with free(); "b" is left empty.
 * Returns an empty heap string when nothing was appended; never NULL. */
char	*buf_take(struct buf *b);

#endif
