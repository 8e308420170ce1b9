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

struct tzif_counts {
	uint32_t	 isut, isstd, leap, time, type, chars;
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

int
tzif_lookup(const unsigned char *d, size_t n, int64_t t, long *utoff, int *isdst, char *abbr,
    size_t abbrlen)
{
	struct tzif_counts	 k;
	const unsigned char	*times, *idx, *types, *chars, *tt;
	size_t			 size, i, lo, hi;
	int			 wide = 0;
	unsigned		 type = 0, desig;
	int64_t			 ti;

	if ((size = tzif_header(d, n, 0, &k)) == 0)
		return -1;
	if (d[4] >= '2') {		/* skip to the 64-bit block */
		d += TZIF_HEADER + size;
		n -= TZIF_HEADER + size;
		wide = 1;
		if ((size = tzif_header(d, n, 1, &k)) == 0)
			return -1;
	}
	times = d + TZIF_HEADER;
	idx = times + (size_t)k.time * (wide ? 8 : 4);
	types = idx + k.time;
	chars = types + (size_t)k.type * 6;
	/* Binary search for the last transition at or before t. */
	lo = 0;
	hi = k.time;
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		ti = wide ? be64(times + i * 8) : (int32_t)be32(times + i * 4);
		if (ti <= t)
			lo = i + 1;
		else
			hi = i;
	}
	if (lo > 0)
		type = idx[lo - 1];
	if (type >= k.type)
		return -1;
	tt = types + (size_t)type * 6;
	desig = tt[5];
	if (desig >= k.chars || memchr(chars + desig, '\0', k.chars - desig) == NULL)
		return -1;
	*utoff = (long)(int32_t)be32(tt);
	*isdst = tt[4] != 0;
	snprintf(abbr, abbrlen, "%s", (const char *)chars + desig);
	if (*utoff <= -90000 || *utoff >= 90000)
		return -1;
	return 0;
}

/* True when "name" is a plausible zone name: parts of [A-Za-z0-9_+-] joined by "/". */
static int
tzif_name_ok(const char *name)
{
	size_t	 i, part = 0;

	if (name == NULL || *name == '\0' || strlen(name) > 64)
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

int
tzif_zone(const char *name, int64_t t, long *utoff, char *abbr, size_t abbrlen, char *err,
    size_t errlen)
{
	unsigned char	*d = NULL;
	char		 path[128];
	struct stat	 st;
	ssize_t		 got;
	size_t		 n = 0;
	int		 fd = -1, dst, rc = -1;

	if (!tzif_name_ok(name)) {
		snprintf(err, errlen, "invalid time zone name (expected e.g. \"Europe/Paris\")");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", TZIF_DIR, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode) || st.st_size > TZIF_MAX_FILE)
		goto out;
	d = xmalloc((size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		got = read(fd, d + n, (size_t)st.st_size - n);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			goto out;
		n += (size_t)got;
	}
	rc = tzif_lookup(d, n, t, utoff, &dst, abbr, abbrlen);
out:
	if (rc == -1)
		snprintf(err, errlen, "unknown time zone \"%s\"", name);
	if (fd != -1)
		close(fd);
	free(d);
	return rc;
}
