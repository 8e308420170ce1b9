/* tzif.c: TZif reader (see tzif.h). Reads the version 1 block to skip it, then uses the
 * 64-bit block of version 2+ files (or the 32-bit one of version 1 files). Every count and
 * index is checked against the data before use. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tzif.h"
#include "xalloc.h"

#ifndef TZIF_DIR
#define TZIF_DIR	"/usr/share/zoneinfo"
#endif
#define TZIF_HEADER	44

/* UTC as zic compiles it (the bytes of Debian's Etc/UTC): a version 2 file of one type,
 * offset 0, "UTC", no transitions, in both blocks, then the footer "UTC0". */
#define TZIF_UTC_HEAD	"TZif2" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" \
	"\0\0\0\0" "\0\0\0\0" "\0\0\0\0" "\0\0\0\0" "\0\0\0\1" "\0\0\0\4"
#define TZIF_UTC_DATA	"\0\0\0\0\0\0" "UTC\0"
static const unsigned char tzif_utc[] =
    TZIF_UTC_HEAD TZIF_UTC_DATA TZIF_UTC_HEAD TZIF_UTC_DATA "\nUTC0\n";
#define TZIF_UTC_LEN	(sizeof(tzif_utc) - 1)	/* the literal's NUL is not part of it */

struct tzif_counts {
	uint32_t	 isut, isstd, leap, time, type, chars;
};

/* The data block lookups read, its counts checked against the data. */
struct tzif_block {
	struct tzif_counts	 k;
	const unsigned char	*times, *idx, *types, *chars;
	int			 wide;		/* 64-bit transition times */
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Reads a header at "d" ("n" bytes left). Returns the data block's size, or 0 when bad. */
static size_t
tzif_header(const unsigned char *d, size_t n, int wide, struct tzif_counts *k)
{
	uint64_t	 size;

	if (n < TZIF_HEADER || memcmp(d, "TZif", 4) != 0)
		return 0;
	k->isut = be32(d + 20);
	k->isstd = be32(d + 24);
	k->leap = be32(d + 28);
	k->time = be32(d + 32);
	k->type = be32(d + 36);
	k->chars = be32(d + 40);
	if (k->type == 0 || k->type > 256 || k->chars == 0 || k->chars > 1024 ||
	    k->time > 100000 || k->leap > 10000 || k->isut > k->type || k->isstd > k->type)
		return 0;
	size = (uint64_t)k->time * (wide ? 9 : 5) + (uint64_t)k->type * 6 + k->chars +
	    (uint64_t)k->leap * (wide ? 12 : 8) + k->isstd + k->isut;
	if (size > n - TZIF_HEADER)
		return 0;
	return (size_t)size;
}

/* Finds the block of "d" ("n" bytes) that lookups read, into "b". Returns 0 or -1. */
static int
tzif_block(const unsigned char *d, size_t n, struct tzif_block *b)
{
	size_t	 size;

	if ((size = tzif_header(d, n, 0, &b->k)) == 0)
		return -1;
	b->wide = 0;
	if (d[4] >= '2') {		/* skip to the 64-bit block */
		d += TZIF_HEADER + size;
		n -= TZIF_HEADER + size;
		b->wide = 1;
		if ((size = tzif_header(d, n, 1, &b->k)) == 0)
			return -1;
	}
	b->times = d + TZIF_HEADER;
	b->idx = b->times + (size_t)b->k.time * (b->wide ? 8 : 4);
	b->types = b->idx + b->k.time;
	b->chars = b->types + (size_t)b->k.type * 6;
	return 0;
}

/* Transition "i" of "b" (below its count). */
static int64_t
tzif_time(const struct tzif_block *b, size_t i)
{
	return b->wide ? be64(b->times + i * 8) : (int32_t)be32(b->times + i * 4);
}

/* Reads local-time type "type" of "b": its offset, DST flag and abbreviation (borrowed from
 * the data). Returns 0, or -1 when the type is out of range or malformed. */
static int
tzif_type(const struct tzif_block *b, unsigned type, long *utoff, int *isdst,
    const char **abbr)
{
	const unsigned char	*tt;
	unsigned		 desig;

	if (type >= b->k.type)
		return -1;
	tt = b->types + (size_t)type * 6;
	desig = tt[5];
	if (desig >= b->k.chars || memchr(b->chars + desig, '\0', b->k.chars - desig) == NULL)
		return -1;
	*utoff = (long)(int32_t)be32(tt);
	*isdst = tt[4] != 0;
	*abbr = (const char *)b->chars + desig;
	return *utoff <= -90000 || *utoff >= 90000 ? -1 : 0;
}

int
tzif_lookup(const unsigned char *d, size_t n, int64_t t, long *utoff, int *isdst, char *abbr,
    size_t abbrlen)
{
	struct tzif_block	 b;
	const char		*a;
	size_t			 i, lo, hi;
	unsigned		 type = 0;

	if (tzif_block(d, n, &b) == -1)
		return -1;
	/* Binary search for the last transition at or before t. */
	lo = 0;
	hi = b.k.time;
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if (tzif_time(&b, i) <= t)
			lo = i + 1;
		else
			hi = i;
	}
	if (lo > 0)
		type = b.idx[lo - 1];
	if (tzif_type(&b, type, utoff, isdst, &a) == -1)
		return -1;
	if (abbrlen > 0)
		snprintf(abbr, abbrlen, "%s", a);
	return 0;
}

int
tzif_check(const unsigned char *d, size_t n)
{
	struct tzif_block	 b;
	const char		*abbr;
	size_t			 i;
	long			 off;
	int			 dst;

	if (tzif_block(d, n, &b) == -1)
		return -1;
	for (i = 0; i < b.k.time; i++)
		if (b.idx[i] >= b.k.type || (i > 0 && tzif_time(&b, i) <= tzif_time(&b, i - 1)))
			return -1;
	for (i = 0; i < b.k.type; i++)
		if (tzif_type(&b, (unsigned)i, &off, &dst, &abbr) == -1)
			return -1;
	return 0;
}

int
tzif_name_ok(const char *name)
{
	size_t	 i, part = 0;

	if (name == NULL || *name == '\0' || strnlen(name, TZIF_NAME_MAX + 1) > TZIF_NAME_MAX)
		return 0;
	for (i = 0; name[i] != '\0'; i++) {
		if (name[i] == '/') {
			if (part == 0)
				return 0;
			part = 0;
			continue;
		}
		if (!((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || strchr("_+-", name[i]) != NULL))
			return 0;
		part++;
	}
	return part > 0;
}

/* Reads the regular file "path" (at most TZIF_MAX_FILE bytes) into "*d" ("*n" bytes), to be
 * released with free(3). Returns 0, or -1 with "*d" NULL and nothing open. */
static int
tzif_read(const char *path, unsigned char **d, size_t *n)
{
	unsigned char	*buf = NULL;
	struct stat	 st;
	ssize_t		 got;
	size_t		 len = 0;
	int		 fd, rc = -1;

	*d = NULL;
	*n = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > TZIF_MAX_FILE)
		goto out;
	buf = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		got = read(fd, buf + len, (size_t)st.st_size - len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			goto out;
		len += (size_t)got;
	}
	*d = buf;
	*n = len;
	buf = NULL;
	rc = 0;
out:
	close(fd);
	free(buf);
	return rc;
}

int
tzif_load(const char *name, unsigned char **d, size_t *n, char *err, size_t errlen)
{
	char	 path[sizeof(TZIF_DIR) + TZIF_NAME_MAX + 1];
	int	 len;

	*d = NULL;
	*n = 0;
	if (!tzif_name_ok(name)) {
		snprintf(err, errlen, "invalid time zone name (expected e.g. \"Europe/Paris\")");
		return -1;
	}
	/* UTC needs no rules: built in, it works without the tzdata package. */
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
		*d = xmalloc(TZIF_UTC_LEN);
		memcpy(*d, tzif_utc, TZIF_UTC_LEN);
		*n = TZIF_UTC_LEN;
		return 0;
	}
	len = snprintf(path, sizeof(path), "%s/%s", TZIF_DIR, name);
	if (len < 0 || (size_t)len >= sizeof(path) || tzif_read(path, d, n) == -1 ||
	    tzif_check(*d, *n) == -1) {
		free(*d);
		*d = NULL;
		*n = 0;
		snprintf(err, errlen, "unknown time zone \"%s\"", name);
		return -1;
	}
	return 0;
}

int
tzif_zone(const char *name, int64_t t, long *utoff, char *abbr, size_t abbrlen, char *err,
    size_t errlen)
{
	unsigned char	*d;
	size_t		 n;
	int		 dst, rc;

	if (tzif_load(name, &d, &n, err, errlen) == -1)
		return -1;
	if ((rc = tzif_lookup(d, n, t, utoff, &dst, abbr, abbrlen)) == -1)
		snprintf(err, errlen, "unknown time zone \"%s\"", name);
	free(d);
	return rc;
}
