/* xalloc.c: allocation that aborts on failure (the memory policy, see xalloc.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

/* Not through log.c: its lines are built with json-c, which needs memory. One write(2) of a
 * line formatted on the stack; nothing here allocates. */
void
xalloc_die(size_t size)
{
	char	 line[80];
	int	 n;

	if (size != 0)
		n = snprintf(line, sizeof(line), "fragent: out of memory (%zu bytes)\n", size);
	else
		n = snprintf(line, sizeof(line), "fragent: out of memory\n");
	if (n > 0)
		(void)!write(STDERR_FILENO, line,
		    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	abort();
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size != 0 ? size : 1)) == NULL)
		xalloc_die(size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		xalloc_die(SIZE_MAX);
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		xalloc_die(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t size)
{
	void	*q;

	if ((q = realloc(p, size != 0 ? size : 1)) == NULL)
		xalloc_die(size);
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xalloc_die(SIZE_MAX);
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, SIZE_MAX);
}

char *
xstrndup(const char *s, size_t n)
{
	size_t	 len;
	char	*p;

	len = strnlen(s, n);
	if (len == SIZE_MAX)
		xalloc_die(SIZE_MAX);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
