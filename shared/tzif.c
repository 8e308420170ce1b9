/* tzif.c: TZif reader (see tzif.h). Reads the version 1 block to skip it, then uses the
 * 64-bit block of version 2+ files (or the 32-bit one of version 1 files) and, after their
 * last transition, the rule of their footer (a POSIX TZ string, RFC 8536 section 3.3).
 * Every count, index and footer field is checked against the data before use. */
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
#define TZIF_FOOTER_MAX	255	/* bytes of a footer's TZ string */
#define TZIF_ABBR_MAX	31	/* bytes of an abbreviation of a footer */
#define TZIF_OFF_LIMIT	90000	/* UTC offsets are below this, in magnitude */
#define TZIF_DAY	86400
/* The Gregorian calendar, weekdays included, repeats every 400 years (146097 days). */
#define TZIF_CYCLE	(146097LL * TZIF_DAY)

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
	const unsigned char	*foot;		/* the bytes after the 64-bit block */
	size_t			 footlen;	/* 0: none (and always for version 1) */
	int			 wide;		/* 64-bit transition times */
};

/* A date of a footer rule, "Jn" (kind 'J'), "n" ('n') or "Mm.w.d" ('M'), and the local
 * time of the change on it. */
struct tzif_date {
	char	 kind;
	int	 day;			/* J: 1-365; n: 0-365 */
	int	 mon, week, wday;	/* M: 1-12, 1-5 (5: the last), 0-6 (Sunday) */
	long	 time;			/* seconds after local midnight, within +-167 hours */
};

/* A footer's rule: standard time only, or standard and daylight time with the dates daylight
 * time starts and ends. The names are borrowed from the data. */
struct tzif_rule {
	const char		*name[2];	/* standard, daylight */
	size_t			 namelen[2];
	long			 off[2];	/* UTC offsets, seconds east */
	int			 dst;		/* has daylight time */
	struct tzif_date	 date[2];	/* daylight time starts, ends */
};

/* A cursor over a footer's TZ string. */
struct tzif_cur {
	const char	*p, *end;
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
	b->foot = d + TZIF_HEADER + size;
	b->footlen = b->wide ? n - TZIF_HEADER - size : 0;
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
	return *utoff <= -TZIF_OFF_LIMIT || *utoff >= TZIF_OFF_LIMIT ? -1 : 0;
}

/* ---------------------------------------------------------------- footer: parsing */

static int
tzif_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static int
tzif_isalpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Reads 1 to "max" decimal digits at "c" into "v". Returns 0, or -1 when there are none
 * or more. */
static int
tzif_num(struct tzif_cur *c, int max, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; c->p < c->end && tzif_isdigit(*c->p); i++, c->p++) {
		if (i == max)
			return -1;
		*v = *v * 10 + (*c->p - '0');
	}
	return i == 0 ? -1 : 0;
}

/* Reads an abbreviation at "c": three or more letters, or "<" three or more letters,
 * digits, "+" and "-" ">" (the name is what is inside). Returns 0, or -1. */
static int
tzif_name(struct tzif_cur *c, const char **name, size_t *len)
{
	int	 quoted = c->p < c->end && *c->p == '<';

	if (quoted)
		c->p++;
	*name = c->p;
	while (c->p < c->end && (tzif_isalpha(*c->p) || (quoted &&
	    (tzif_isdigit(*c->p) || *c->p == '+' || *c->p == '-'))))
		c->p++;
	*len = (size_t)(c->p - *name);
	if (*len < 3 || *len > TZIF_ABBR_MAX)
		return -1;
	if (quoted) {
		if (c->p == c->end || *c->p != '>')
			return -1;
		c->p++;
	}
	return 0;
}

/* Reads "[+|-]hh[:mm[:ss]]" at "c", hours at most "maxh", into "secs". Returns 0, or -1. */
static int
tzif_hms(struct tzif_cur *c, int maxh, long *secs)
{
	int	 neg = 0, h, m = 0, s = 0;

	if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
		neg = *c->p++ == '-';
	if (tzif_num(c, 3, &h) == -1 || h > maxh)
		return -1;
	if (c->p < c->end && *c->p == ':') {
		c->p++;
		if (c->end - c->p < 2 || !tzif_isdigit(c->p[1]) || tzif_num(c, 2, &m) == -1 ||
		    m > 59)
			return -1;
		if (c->p < c->end && *c->p == ':') {
			c->p++;
			if (c->end - c->p < 2 || !tzif_isdigit(c->p[1]) ||
			    tzif_num(c, 2, &s) == -1 || s > 59)
				return -1;
		}
	}
	*secs = (long)h * 3600 + m * 60 + s;
	if (neg)
		*secs = -*secs;
	return 0;
}

/* Reads a UTC offset at "c" ("hh" 0-24, positive west of Greenwich) as seconds east into
 * "off". Returns 0, or -1. */
static int
tzif_offset(struct tzif_cur *c, long *off)
{
	long	 west;

	if (tzif_hms(c, 24, &west) == -1)
		return -1;
	*off = -west;
	return 0;
}

/* Reads ",date[/time]" at "c" into "dt": "Jn", "n" or "Mm.w.d", the time 02:00 unless
 * given, within +-167 hours (RFC 8536's extension). Returns 0, or -1. */
static int
tzif_date(struct tzif_cur *c, struct tzif_date *dt)
{
	if (c->p == c->end || *c->p++ != ',' || c->p == c->end)
		return -1;
	memset(dt, 0, sizeof(*dt));
	dt->kind = *c->p == 'J' || *c->p == 'M' ? *c->p++ : 'n';
	if (dt->kind == 'M') {
		if (tzif_num(c, 2, &dt->mon) == -1 || dt->mon < 1 || dt->mon > 12 ||
		    c->p == c->end || *c->p++ != '.' ||
		    tzif_num(c, 1, &dt->week) == -1 || dt->week < 1 || dt->week > 5 ||
		    c->p == c->end || *c->p++ != '.' ||
		    tzif_num(c, 1, &dt->wday) == -1 || dt->wday > 6)
			return -1;
	} else if (tzif_num(c, 3, &dt->day) == -1 || dt->day > 365 ||
	    (dt->kind == 'J' && dt->day < 1))
		return -1;
	dt->time = 2 * 3600;
	if (c->p < c->end && *c->p == '/') {
		c->p++;
		return tzif_hms(c, 167, &dt->time);
	}
	return 0;
}

/* Parses the TZ string "s" ("len" bytes): "std offset" or "std offset dst [offset],start
 * [/time],end[/time]", daylight time one hour ahead of standard time unless given. Returns
 * 0, or -1 when malformed (a daylight name without dates included) or an offset reaches
 * 25 hours (as daylight time's default can), which no type may. */
static int
tzif_rule_parse(const char *s, size_t len, struct tzif_rule *r)
{
	struct tzif_cur	 c = { s, s + len };
	int		 i;

	memset(r, 0, sizeof(*r));
	if (tzif_name(&c, &r->name[0], &r->namelen[0]) == -1 ||
	    tzif_offset(&c, &r->off[0]) == -1)
		return -1;
	if (c.p == c.end)
		return 0;
	r->dst = 1;
	if (tzif_name(&c, &r->name[1], &r->namelen[1]) == -1)
		return -1;
	r->off[1] = r->off[0] + 3600;
	if (c.p < c.end && *c.p != ',' && tzif_offset(&c, &r->off[1]) == -1)
		return -1;
	for (i = 0; i < 2; i++)
		if (tzif_date(&c, &r->date[i]) == -1)
			return -1;
	if (c.p != c.end)
		return -1;
	for (i = 0; i < 2; i++)
		if (r->off[i] <= -TZIF_OFF_LIMIT || r->off[i] >= TZIF_OFF_LIMIT)
			return -1;
	return 0;
}

/* Reads the footer of "b" into "r". Returns 1 with a rule, 0 when there is no usable
 * footer (a version 1 file, none, or an empty TZ string: the last type is kept), or -1
 * when it is malformed. */
static int
tzif_footer(const struct tzif_block *b, struct tzif_rule *r)
{
	const unsigned char	*nl;
	size_t			 scan;

	if (b->footlen == 0)
		return 0;
	if (b->foot[0] != '\n')
		return -1;
	scan = b->footlen - 1 < TZIF_FOOTER_MAX + 1 ? b->footlen - 1 : TZIF_FOOTER_MAX + 1;
	if ((nl = memchr(b->foot + 1, '\n', scan)) == NULL)
		return -1;
	if (nl == b->foot + 1)
		return 0;
	if (tzif_rule_parse((const char *)b->foot + 1, (size_t)(nl - b->foot - 1), r) == -1)
		return -1;
	return 1;
}

/* ---------------------------------------------------------------- footer: lookups */

static int64_t
tzif_floor_mod(int64_t a, int64_t m)
{
	int64_t	 r = a % m;

	return r < 0 ? r + m : r;
}

static int
tzif_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to the civil date "y"-"m"-"d" (proleptic Gregorian; H. Hinnant). */
static int64_t
tzif_days(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The day (since 1970-01-01) of date "dt" in year "y". */
static int64_t
tzif_date_day(const struct tzif_date *dt, int64_t y)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t			 first, day;
	int			 len;

	if (dt->kind == 'J')	/* February 29 is never counted */
		return tzif_days(y, 1, 1) + dt->day - 1 + (dt->day >= 60 && tzif_leap(y));
	if (dt->kind == 'n')
		return tzif_days(y, 1, 1) + dt->day;
	first = tzif_days(y, dt->mon, 1);
	len = mdays[dt->mon - 1] + (dt->mon == 2 && tzif_leap(y));
	/* 1970-01-01 was a Thursday (4). */
	day = first + tzif_floor_mod(dt->wday - (first + 4), 7) + (int64_t)(dt->week - 1) * 7;
	return day >= first + len ? day - 7 : day;
}

/* Whether daylight time of "r" is in force at Unix time "t": the state the latest of the
 * rule's changes at or before "t" set. The changes of the (UTC) year of "t", the one after
 * and the two before are enough, since a change falls within 10 days of its year (dates up
 * to day 365, times up to 167 hours, offsets under 25). At equal instants the later change
 * of the sequence wins (an end at a year's last instant and the next year's start at the
 * same instant: daylight time all year). */
static int
tzif_rule_dst(const struct tzif_rule *r, int64_t t)
{
	int64_t	 y, when, best = 0, ty;
	int	 k, dst = 0, found = 0;

	/* The rule is the same every 400 years: reduce "t" to 1970-2369, far from overflow. */
	t = tzif_floor_mod(t, TZIF_CYCLE);
	ty = 1970 + t / TZIF_DAY / 366;
	while (tzif_days(ty + 1, 1, 1) * TZIF_DAY <= t)
		ty++;
	for (y = ty - 2; y <= ty + 1; y++)
		for (k = 0; k < 2; k++) {
			/* A change happens on the local clock of the offset in force before it:
			 * standard time before the start (k 0), daylight time before the end. */
			when = tzif_date_day(&r->date[k], y) * TZIF_DAY + r->date[k].time -
			    r->off[k];
			if (when <= t && (!found || when >= best)) {
				best = when;
				dst = k == 0;
				found = 1;
			}
		}
	return dst;
}

/* Looks "t" up in the rule "r" (tzif_lookup's results). */
static void
tzif_rule_lookup(const struct tzif_rule *r, int64_t t, long *utoff, int *isdst, char *abbr,
    size_t abbrlen)
{
	int	 i = r->dst ? tzif_rule_dst(r, t) : 0;

	*utoff = r->off[i];
	*isdst = i;
	if (abbrlen > 0)
		snprintf(abbr, abbrlen, "%.*s", (int)r->namelen[i], r->name[i]);
}

/* ---------------------------------------------------------------- lookups */

int
tzif_lookup(const unsigned char *d, size_t n, int64_t t, long *utoff, int *isdst, char *abbr,
    size_t abbrlen)
{
	struct tzif_block	 b;
	struct tzif_rule	 r;
	const char		*a;
	size_t			 i, lo, hi;
	unsigned		 type = 0;

	if (tzif_block(d, n, &b) == -1)
		return -1;
	/* After the last transition (or always, without transitions), the footer's rule. */
	if (b.k.time == 0 || tzif_time(&b, b.k.time - 1) < t) {
		switch (tzif_footer(&b, &r)) {
		case -1:
			return -1;
		case 1:
			tzif_rule_lookup(&r, t, utoff, isdst, abbr, abbrlen);
			return 0;
		default:
			break;
		}
	}
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
	struct tzif_rule	 r;
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
	return tzif_footer(&b, &r) == -1 ? -1 : 0;
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
