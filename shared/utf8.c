/* utf8.c: well-formed UTF-8 without NUL (see utf8.h). */
#include "config.h"

#include <string.h>

#include "utf8.h"

size_t
utf8_seq(const unsigned char *s, size_t len)
{
	size_t	 n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

size_t
utf8_check(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, k;

	for (i = 0; i < len; i += k) {
		while (i < len && u[i] < 0x80)
			i++;		/* ASCII, the common case */
		if (i == len || (k = utf8_seq(u + i, len - i)) == 0)
			break;
	}
	return i;
}

bool
utf8_storable(const char *s, size_t len)
{
	return memchr(s, '\0', len) == NULL && utf8_check(s, len) == len;
}

void
utf8_clean(const char *s, size_t len, struct buf *out)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, start = 0, k;

	while (i < len) {
		if (u[i] != 0 && (k = utf8_seq(u + i, len - i)) > 0) {
			i += k;
			continue;
		}
		buf_append(out, s + start, i - start);
		buf_append(out, "\xef\xbf\xbd", 3);
		start = ++i;
	}
	buf_append(out, s + start, len - start);
}

size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	size_t	 at, k;

	if (len <= max)
		return len;
	/* A sequence has at most three continuation bytes after its first. */
	for (at = max, k = 0; k < 3 && at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80; k++)
		at--;
	return ((unsigned char)s[at] & 0xc0) == 0x80 ? max : at;
}
