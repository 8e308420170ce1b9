/* cron.c: cron expressions of workflow schedules: the parser, the next fire time in an IANA
 * zone (UTC offsets from the system's tzdata through tzif.c; never TZ or localtime) and
 * English descriptions. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cron.h"
#include "nitems.h"
#include "tzif.h"

#define DAY_SECS	86400
/* Fire times are searched over the 10 years after "after" (3653 days), from the civil day
 * before the one of "after". */
#define HORIZON_DAYS	(3653 + 2)
/* "after" must lie within 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
#define TIME_MIN	(-62135596800LL)
#define TIME_MAX	253402300799LL

/* ---------------------------------------------------------------- fields */

enum cron_field { CF_SEC, CF_MIN, CF_HOUR, CF_DOM, CF_MON, CF_DOW, CF__MAX };

static const char *const month_abbr[] = {
	"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
};
static const char *const dow_abbr[] = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

static const struct field_spec {
	const char		*name;
	int			 lo, hi;
	const char *const	*abbr;	/* names of lo, lo+1, ... or NULL */
	size_t			 nabbr;
	int			 day;	/* '?' allowed, '*' recorded */
} specs[CF__MAX] = {
	[CF_SEC] = { "second", 0, 59, NULL, 0, 0 },
	[CF_MIN] = { "minute", 0, 59, NULL, 0, 0 },
	[CF_HOUR] = { "hour", 0, 23, NULL, 0, 0 },
	[CF_DOM] = { "day of month", 1, 31, NULL, 0, 1 },
	[CF_MON] = { "month", 1, 12, month_abbr, NITEMS(month_abbr), 0 },
	[CF_DOW] = { "day of week", 0, 7, dow_abbr, NITEMS(dow_abbr), 1 },
};

/* The expansions of the @ forms. */
static const struct { const char *name, *expr; } macros[] = {
	{ "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" },
	{ "@monthly", "0 0 1 * *" }, { "@weekly", "0 0 * * 0" },
	{ "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
	{ "@hourly", "0 * * * *" },
};

/* A slice of the expression. */
struct tok {
	const char	*p;
	size_t		 n;
};

/* Writes the printf-formatted message into "err" (when there is room) and returns -1. */
static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(err, errlen, fmt, ap);	/* truncation keeps a prefix */
		va_end(ap);
	}
	return -1;
}

/* The bits lo..hi of a 64-bit set. */
static uint64_t
bits_range(int lo, int hi)
{
	return (hi >= 63 ? ~0ULL : (1ULL << (hi + 1)) - 1) & ~((1ULL << lo) - 1);
}

/*
 * Reads one value (digits, or a name when "f" has names) of "f" at "*pp" (before "end"),
 * into "v", advancing "*pp". Returns 0, or -1 with the message in "err".
 */
static int
value_parse(const struct field_spec *f, const char **pp, const char *end, int *v, char *err,
    size_t errlen)
{
	const char	*p = *pp, *q = *pp;
	size_t		 i;
	int		 n = 0;

	if (q < end && *q >= '0' && *q <= '9') {
		while (q < end && *q >= '0' && *q <= '9') {
			if (n <= 9999)
				n = n * 10 + (*q - '0');
			q++;
		}
		if (n < f->lo || n > f->hi)
			return fail(err, errlen, "%s: %.*s is out of range %d-%d", f->name,
			    (int)(q - p), p, f->lo, f->hi);
		*v = n;
		*pp = q;
		return 0;
	}
	while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
		q++;
	if (q == p) {
		if (p == end)
			return fail(err, errlen, "%s: a value is missing", f->name);
		return fail(err, errlen, "%s: unexpected character '%c'", f->name, *p);
	}
	if (f->abbr == NULL)
		return fail(err, errlen, "%s: \"%.*s\" is not a number", f->name, (int)(q - p), p);
	for (i = 0; q - p == 3 && i < f->nabbr; i++)
		if (strncasecmp(p, f->abbr[i], 3) == 0) {
			*v = f->lo + (int)i;
			*pp = q;
			return 0;
		}
	return fail(err, errlen, "%s: unknown name \"%.*s\"", f->name, (int)(q - p), p);
}

/*
 * Parses one list element "e" of field "f" ('*', a, a-b, each optionally /step) and adds its
 * values to "*set"; "*star" says whether it was '*' or "*" + "/1". Returns 0 or -1.
 */
static int
elem_parse(const struct field_spec *f, struct tok e, uint64_t *set, int *star, char *err,
    size_t errlen)
{
	const char	*p = e.p, *end = e.p + e.n, *s;
	int		 lo, hi, step = 1, range = 0, any = 0, v;

	if (*p == '*') {
		lo = f->lo;
		hi = f->hi;
		any = 1;
		p++;
	} else {
		if (value_parse(f, &p, end, &lo, err, errlen) == -1)
			return -1;
		hi = lo;
		if (p < end && *p == '-') {
			p++;
			if (value_parse(f, &p, end, &hi, err, errlen) == -1)
				return -1;
			if (hi < lo)
				return fail(err, errlen, "%s: range %.*s is reversed", f->name,
				    (int)e.n, e.p);
			range = 1;
		}
	}
	if (p < end && *p == '/') {
		s = ++p;
		step = 0;
		while (p < end && *p >= '0' && *p <= '9') {
			if (step <= 9999)
				step = step * 10 + (*p - '0');
			p++;
		}
		if (p == s)
			return fail(err, errlen, "%s: a step must be a number", f->name);
		if (step < 1 || step > f->hi)
			return fail(err, errlen, "%s: step %.*s is out of range 1-%d", f->name,
			    (int)(p - s), s, f->hi);
		if (!any && !range)
			hi = f->hi;
	}
	if (p != end)
		return fail(err, errlen, "%s: unexpected character '%c'", f->name, *p);
	for (v = lo; v <= hi; v += step)
		*set |= 1ULL << v;
	*star = any && step == 1;
	return 0;
}

/*
 * Parses field "t" of kind "f" into "*set" (and "*star": it was '*', '?' or "*" + "/1").
 * Returns 0 or -1.
 */
static int
field_parse(const struct field_spec *f, struct tok t, uint64_t *set, int *star, char *err,
    size_t errlen)
{
	struct tok	 e;
	const char	*p = t.p, *end = t.p + t.n, *c;
	int		 elems = 0, estar = 0;

	*set = 0;
	*star = 0;
	if (memchr(t.p, '?', t.n) != NULL) {
		if (!f->day)
			return fail(err, errlen, "%s: '?' is only allowed in the day fields", f->name);
		if (t.n != 1)
			return fail(err, errlen, "%s: '?' must be the whole field", f->name);
		*set = bits_range(f->lo, f->hi);
		*star = 1;
		return 0;
	}
	for (;;) {
		c = memchr(p, ',', (size_t)(end - p));
		e.p = p;
		e.n = (size_t)((c != NULL ? c : end) - p);
		if (e.n == 0)
			return fail(err, errlen, "%s: empty list element", f->name);
		if (elem_parse(f, e, set, &estar, err, errlen) == -1)
			return -1;
		elems++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	*star = elems == 1 && estar;
	return 0;
}

/* Splits "s" at spaces and tabs into at most "max" slices; returns the number of fields
 * (which may exceed "max"). */
static size_t
split(const char *s, struct tok *t, size_t max)
{
	size_t	 n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return n;
		if (n < max)
			t[n].p = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		if (n < max)
			t[n].n = (size_t)(s - t[n].p);
		n++;
	}
}

/* Parses the @ form "t" (the only field) into "c". */
static int
macro_parse(struct tok t, size_t nfields, struct cron *c, char *err, size_t errlen)
{
	size_t	 i;

	if (t.n == 7 && strncasecmp(t.p, "@reboot", 7) == 0)
		return fail(err, errlen, "@reboot is not supported");
	if (t.n == 6 && strncasecmp(t.p, "@every", 6) == 0)
		return fail(err, errlen, "@every is not supported");
	for (i = 0; i < NITEMS(macros); i++)
		if (t.n == strlen(macros[i].name) &&
		    strncasecmp(t.p, macros[i].name, t.n) == 0)
			break;
	if (i == NITEMS(macros))
		return fail(err, errlen, "unknown macro \"%.*s\"", t.n > 32 ? 32 : (int)t.n, t.p);
	if (nfields != 1)
		return fail(err, errlen, "%s takes no fields after it", macros[i].name);
	return cron_parse(macros[i].expr, c, err, errlen);
}

int
cron_parse(const char *expr, struct cron *c, char *err, size_t errlen)
{
	struct tok	 t[CF__MAX];
	uint64_t	 set[CF__MAX];
	int		 star[CF__MAX];
	size_t		 n, i, first;
	unsigned char	 ch;

	memset(c, 0, sizeof(*c));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (expr == NULL)
		return fail(err, errlen, "no expression");
	if ((n = strnlen(expr, CRON_EXPR_MAX + 1)) > CRON_EXPR_MAX)
		return fail(err, errlen, "the expression is longer than %d bytes", CRON_EXPR_MAX);
	for (i = 0; i < n; i++) {
		ch = (unsigned char)expr[i];
		if (ch >= 0x80)
			return fail(err, errlen, "non-ASCII byte at offset %zu", i);
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return fail(err, errlen, "control character at offset %zu", i);
	}
	if ((n = split(expr, t, NITEMS(t))) == 0)
		return fail(err, errlen, "empty expression");
	if (t[0].p[0] == '@')
		return macro_parse(t[0], n, c, err, errlen);
	if (n != 5 && n != 6)
		return fail(err, errlen, "expected 5 or 6 fields, got %zu", n);
	first = n == 6 ? CF_SEC : CF_MIN;
	set[CF_SEC] = 1;	/* second 0 without a seconds field */
	for (i = first; i < CF__MAX; i++)
		if (field_parse(&specs[i], t[i - first], &set[i], &star[i], err, errlen) == -1)
			return -1;
	if (set[CF_DOW] & (1ULL << 7))
		set[CF_DOW] = (set[CF_DOW] & ~(1ULL << 7)) | 1;
	c->sec = set[CF_SEC];
	c->min = set[CF_MIN];
	c->hour = (uint32_t)set[CF_HOUR];
	c->dom = (uint32_t)set[CF_DOM];
	c->mon = (uint16_t)set[CF_MON];
	c->dow = (uint8_t)set[CF_DOW];
	c->dom_any = star[CF_DOM];
	c->dow_any = star[CF_DOW];
	c->has_sec = n == 6;
	return 0;
}

/* ---------------------------------------------------------------- zones */

/* Entries of the zoneinfo folder that hold TZif data but are no zone a schedule may name:
 * the host's own zone (it changes with the host's settings), zic's default rules, and the
 * copies of the tree with POSIX names or with leap seconds (whose times are not Unix times).
 * The names tzdata lists (zone1970.tab, the links of "backward") are all accepted. */
static const char *const zone_refused[] = { "localtime", "posixrules" };
static const char *const zone_refused_dirs[] = { "posix/", "right/" };

/* Reads the zone "zone" into "*d" ("*n" bytes; free(3) it) after checking its name. Returns
 * 0, or -1 with "*d" NULL: a name cron_zone_check refuses, or a file missing or malformed. */
static int
zone_load(const char *zone, unsigned char **d, size_t *n)
{
	size_t	 i;

	*d = NULL;
	*n = 0;
	if (!tzif_name_ok(zone) || strlen(zone) > CRON_ZONE_MAX)
		return -1;
	for (i = 0; i < NITEMS(zone_refused); i++)
		if (strcmp(zone, zone_refused[i]) == 0)
			return -1;
	for (i = 0; i < NITEMS(zone_refused_dirs); i++)
		if (strncmp(zone, zone_refused_dirs[i], strlen(zone_refused_dirs[i])) == 0)
			return -1;
	return tzif_load(zone, d, n, NULL, 0);
}

int
cron_zone_check(const char *zone)
{
	unsigned char	*d;
	size_t		 n;

	if (zone_load(zone, &d, &n) == -1)
		return -1;
	free(d);
	return 0;
}

/* One cron_next call's zone: its TZif data, read once and looked up in memory. */
struct zdata {
	unsigned char	*d;
	size_t		 n;
};

/* The UTC offset (seconds east) of "z"'s zone at the instant "t", into "off". */
static int
zone_offset(const struct zdata *z, int64_t t, int32_t *off)
{
	long	 utoff;
	int	 dst;

	if (tzif_lookup(z->d, z->n, t, &utoff, &dst, NULL, 0) == -1 ||
	    utoff < -DAY_SECS || utoff > DAY_SECS)
		return -1;
	*off = (int32_t)utoff;
	return 0;
}

/* ---------------------------------------------------------------- next fire time */

/* Copies "c" into "m" without bits outside the fields' ranges. Returns 0, or -1 when a
 * field is left empty (nothing ever fires). */
static int
cron_masked(const struct cron *c, struct cron *m)
{
	*m = *c;
	m->sec &= bits_range(0, 59);
	m->min &= bits_range(0, 59);
	m->hour &= (uint32_t)bits_range(0, 23);
	m->dom &= (uint32_t)bits_range(1, 31);
	m->mon &= (uint16_t)bits_range(1, 12);
	m->dow &= (uint8_t)bits_range(0, 6);
	return m->sec == 0 || m->min == 0 || m->hour == 0 || m->dom == 0 || m->mon == 0 ||
	    m->dow == 0 ? -1 : 0;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The civil date of day "days" since 1970-01-01 (proleptic Gregorian; H. Hinnant). */
static void
civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t	 z = days + 719468, era, doe, yoe, doy, mp;

	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Whether "c" fires on the civil day "days" since 1970-01-01. */
static int
day_matches(const struct cron *c, int64_t days)
{
	int64_t	 y;
	int	 m, d, wd, in_dom, in_dow;

	civil_from_days(days, &y, &m, &d);
	if (!(c->mon & (1U << m)))
		return 0;
	wd = (int)(days + 4 - floor_div(days + 4, 7) * 7);	/* 1970-01-01 was a Thursday */
	in_dom = (c->dom >> d) & 1;
	in_dow = (c->dow >> wd) & 1;
	if (c->dom_any || c->dow_any)
		return in_dom && in_dow;
	return in_dom || in_dow;
}

/* The lowest member of "set" at or above "from" and at most "max", or -1. */
static int
next_bit(uint64_t set, int from, int max)
{
	if (from > max)
		return -1;
	set = (set >> from) & ((2ULL << (max - from)) - 1);
	return set == 0 ? -1 : from + __builtin_ctzll(set);
}

/* The first second of the day at or after second "sod" at which "c"'s hour, minute and
 * second match, or -1: a few bit scans, never a walk over the seconds. */
static int
next_second_of_day(const struct cron *c, int sod)
{
	int	 h = sod / 3600, m = sod / 60 % 60, s = sod % 60, v;

	for (;;) {
		if ((v = next_bit(c->hour, h, 23)) == -1)
			return -1;
		if (v != h) {
			h = v;
			m = s = 0;
		}
		if ((v = next_bit(c->min, m, 59)) == -1) {
			h++;
			m = s = 0;
			continue;
		}
		if (v != m) {
			m = v;
			s = 0;
		}
		if ((v = next_bit(c->sec, s, 59)) == -1) {
			s = 0;
			if (++m > 59) {
				m = 0;
				h++;
			}
			continue;
		}
		return h * 3600 + m * 60 + v;
	}
}

/* A run of local times [lo, hi] of one civil day starting at local "ds" that all map to
 * instants with the same offset "off". */
struct piece {
	int64_t	 lo, hi;
	int32_t	 off;
};

/* The first instant after "after" of "c" within piece "pc", into "t". Returns 1 or 0. */
static int
piece_first(const struct cron *c, int64_t ds, const struct piece *pc, int64_t after,
    int64_t *t)
{
	int64_t	 from = after + pc->off + 1;	/* L - off > after */
	int	 s;

	if (from < pc->lo)
		from = pc->lo;
	if (from > pc->hi || (s = next_second_of_day(c, (int)(from - ds))) == -1 ||
	    ds + s > pc->hi)
		return 0;
	*t = ds + s - pc->off;
	return 1;
}

/*
 * Splits the civil day starting at local "ds" into at most two pieces with one offset each,
 * into "pc". The offsets come from the instants a day before the day to a day after it; an
 * offset change there (at most one is assumed) is found by bisection to the second, at T,
 * from offset A to B. Local times before the change keep A: when clocks go back (B < A) the
 * repeated hour fires at its earlier instant, and when they go forward the skipped local
 * times map with A, the offset before the gap (mktime's shift); later local times take B.
 * Returns the number of pieces, or -1 when a lookup fails.
 */
static int
day_pieces(const struct zdata *z, int64_t ds, struct piece pc[2])
{
	int32_t	 o[4], oa, ob, om;
	int64_t	 lo, hi, mid, lb, de = ds + DAY_SECS - 1;
	int	 i;

	for (i = 0; i < 4; i++)
		if (zone_offset(z, ds + (i - 1) * (int64_t)DAY_SECS, &o[i]) == -1)
			return -1;
	for (i = 0; i < 3 && o[i] == o[i + 1]; i++)
		continue;
	if (i == 3) {
		pc[0] = (struct piece){ ds, de, o[0] };
		return 1;
	}
	lo = ds + (i - 1) * (int64_t)DAY_SECS;	/* offset oa at lo, another at hi */
	hi = lo + DAY_SECS;
	oa = o[i];
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (zone_offset(z, mid, &om) == -1)
			return -1;
		if (om == oa)
			lo = mid;
		else
			hi = mid;
	}
	if (zone_offset(z, hi, &ob) == -1)
		return -1;
	lb = hi + (ob < oa ? oa : ob);	/* the first local time that takes ob */
	i = 0;
	if (lb > ds)
		pc[i++] = (struct piece){ ds, lb - 1 < de ? lb - 1 : de, oa };
	if (lb <= de)
		pc[i++] = (struct piece){ lb > ds ? lb : ds, de, ob };
	return i;
}

/* The earliest instant after "after" at which "c" fires on local day "days", into "t".
 * Returns 1 (found), 0 (none) or -1 (a lookup failed). */
static int
day_first(const struct cron *c, const struct zdata *z, int64_t days, int64_t after,
    int64_t *t)
{
	struct piece	 pc[2];
	int64_t		 ds = days * DAY_SECS, u = 0, best = 0;
	int		 n, i, found = 0;

	if ((n = day_pieces(z, ds, pc)) == -1)
		return -1;
	/* Across a gap the instants of later local times can come first: take the least. */
	for (i = 0; i < n; i++)
		if (piece_first(c, ds, &pc[i], after, &u) && (!found || u < best)) {
			best = u;
			found = 1;
		}
	if (found)
		*t = best;
	return found;
}

int
cron_next(const struct cron *c, const char *zone, int64_t after, int64_t *next)
{
	struct cron	 m;
	struct zdata	 z = { NULL, 0 };
	int64_t		 d, last, t = 0, best = 0;
	int32_t		 off;
	int		 rc = -1, found = 0, r;

	if (c == NULL || next == NULL || after < TIME_MIN || after > TIME_MAX ||
	    cron_masked(c, &m) == -1 || zone_load(zone, &z.d, &z.n) == -1)
		return -1;
	if (zone_offset(&z, after, &off) == -1)
		goto out;
	d = floor_div(after + off, DAY_SECS) - 1;
	for (last = d + HORIZON_DAYS; d <= last; d++) {
		if (!day_matches(&m, d))
			continue;
		if ((r = day_first(&m, &z, d, after, &t)) == -1)
			goto out;
		if (r == 1 && (!found || t < best)) {
			best = t;
			/* The next day's local times right after a gap may come first. */
			if (!found)
				last = d + 1;
			found = 1;
		}
	}
	if (found) {
		*next = best;
		rc = 0;
	}
out:
	free(z.d);
	return rc;
}

/* ---------------------------------------------------------------- descriptions */

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};
static const char *const dow_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

/* The caller's buffer, filled as far as it goes (always NUL-terminated). */
struct out {
	char	*p;
	size_t	 len, off;
};

static void __attribute__((format(printf, 2, 3)))
out_printf(struct out *o, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (o->off + 1 >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (n < 0)
		o->p[o->off] = '\0';
	else if ((size_t)n >= o->len - o->off)
		o->off = o->len - 1;	/* truncated */
	else
		o->off += (size_t)n;
}

/* A set to describe: its members as display positions 0..n-1 (weekdays Monday first). */
struct dset {
	uint64_t		 pos;
	int			 n;
	int			 first;		/* the value of position 0 */
	const char		*one, *many;	/* "minute", "minutes" */
	const char *const	*names;		/* value - "first" ... indexes it, or NULL */
};

static int
dset_value(const struct dset *s, int pos)
{
	return s->names == dow_names ? (pos + 1) % 7 : s->first + pos;
}

static void
dset_item(struct out *o, const struct dset *s, int pos)
{
	int	 v = dset_value(s, pos);

	if (s->names == dow_names)
		out_printf(o, "%s", dow_names[v]);
	else if (s->names != NULL)
		out_printf(o, "%s", s->names[v - s->first]);
	else
		out_printf(o, "%d", v);
}

/* Writes the members of "s": runs of three or more as "a to b", the last joined with
 * "conj" ("and", "or"). */
static void
dset_list(struct out *o, const struct dset *s, const char *conj)
{
	int	 run[64][2], nrun = 0, i, j, k;

	for (i = 0; i < s->n; i = j) {
		if (!((s->pos >> i) & 1)) {
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < s->n && ((s->pos >> j) & 1); j++)
			continue;
		if (j - i >= 3) {
			run[nrun][0] = i;
			run[nrun++][1] = j - 1;
		} else
			for (k = i; k < j; k++) {
				run[nrun][0] = run[nrun][1] = k;
				nrun++;
			}
	}
	for (i = 0; i < nrun; i++) {
		if (i > 0 && i == nrun - 1)
			out_printf(o, " %s ", conj);
		else if (i > 0)
			out_printf(o, ", ");
		dset_item(o, s, run[i][0]);
		if (run[i][1] != run[i][0]) {
			out_printf(o, " to ");
			dset_item(o, s, run[i][1]);
		}
	}
}

static const char *
ordinal(int n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

/* The step of "s" when its members (five or more) are evenly spaced by two or more, else 0. */
static int
dset_progression(const struct dset *s)
{
	int	 i, prev = -1, step = 0, count = 0;

	if (s->names != NULL)
		return 0;
	for (i = 0; i < s->n; i++) {
		if (!((s->pos >> i) & 1))
			continue;
		if (prev >= 0) {
			if (step == 0)
				step = i - prev;
			else if (i - prev != step)
				return 0;
		}
		prev = i;
		count++;
	}
	return count >= 5 && step >= 2 ? step : 0;
}

/* "minute 5", "minutes 0 and 45", "hours 9 to 17", "every 7th minute from 0 through 56". */
static void
dset_phrase(struct out *o, const struct dset *s, const char *conj)
{
	int	 step, lo, hi;

	if (__builtin_popcountll(s->pos) == 1) {
		out_printf(o, "%s ", s->one);
		dset_item(o, s, __builtin_ctzll(s->pos));
	} else if ((step = dset_progression(s)) != 0) {
		lo = __builtin_ctzll(s->pos);
		hi = 63 - __builtin_clzll(s->pos);
		out_printf(o, "every %d%s %s from %d through %d", step, ordinal(step), s->one,
		    dset_value(s, lo), dset_value(s, hi));
	} else {
		out_printf(o, "%s ", s->many);
		dset_list(o, s, conj);
	}
}

static struct dset
dset_make(uint64_t bits, int lo, int hi, const char *one, const char *many,
    const char *const *names)
{
	struct dset	 s = { 0, hi - lo + 1, lo, one, many, names };
	int		 v;

	for (v = lo; v <= hi; v++)
		if ((bits >> v) & 1)
			s.pos |= 1ULL << (names == dow_names ? (v + 6) % 7 : v - lo);
	return s;
}

/* The step n when "bits" is exactly 0, n, 2n, ... and n (2 or more) divides "count", so
 * that the gap is n also across the wrap (every 15 minutes; not every 7). Else 0. */
static int
cycle_step(uint64_t bits, int count)
{
	uint64_t	 want;
	int		 n, v;

	for (n = 2; n < count; n++) {
		if (count % n != 0)
			continue;
		for (want = 0, v = 0; v < count; v += n)
			want |= 1ULL << v;
		if (want == bits)
			return n;
	}
	return 0;
}

enum tkind { TK_AT, TK_EVERY };

/* A single value of "bits", or -1. */
static int
single(uint64_t bits)
{
	return __builtin_popcountll(bits) == 1 ? __builtin_ctzll(bits) : -1;
}

/* The clock times of "c" when there are at most six and one second each: "at 09:00 and
 * 17:00". Returns 0, or -1 when the times are not so few. */
static int
time_at(struct out *o, const struct cron *c, int secs)
{
	int	 h, m, i = 0, n, s = single(c->sec);

	n = __builtin_popcountll(c->min) * __builtin_popcount(c->hour);
	if (s == -1 || n > 6)
		return -1;
	out_printf(o, "at ");
	for (h = 0; h < 24; h++)
		for (m = 0; m < 60; m++) {
			if (!((c->hour >> h) & 1) || !((c->min >> m) & 1))
				continue;
			if (i > 0)
				out_printf(o, "%s", i == n - 1 ? " and " : ", ");
			out_printf(o, "%02d:%02d", h, m);
			if (secs)
				out_printf(o, ":%02d", s);
			i++;
		}
	return 0;
}

/* The time of day part, field by field, for what the regular forms do not cover. */
static void
time_fields(struct out *o, const struct cron *c, int secs)
{
	struct dset	 ss = dset_make(c->sec, 0, 59, "second", "seconds", NULL);
	struct dset	 ms = dset_make(c->min, 0, 59, "minute", "minutes", NULL);
	struct dset	 hs = dset_make(c->hour, 0, 23, "hour", "hours", NULL);
	int		 allm = c->min == bits_range(0, 59), allh = c->hour == bits_range(0, 23);
	int		 n;

	if (secs) {
		if (c->sec == bits_range(0, 59))
			out_printf(o, "every second");
		else if ((n = cycle_step(c->sec, 60)) != 0)
			out_printf(o, "every %d seconds", n);
		else {
			out_printf(o, "at ");
			dset_phrase(o, &ss, "and");
		}
		if (allm)
			out_printf(o, " of every minute");
		else {
			out_printf(o, " of ");
			dset_phrase(o, &ms, "and");
		}
	} else if (allm)
		out_printf(o, "every minute");
	else if ((n = cycle_step(c->min, 60)) != 0)
		out_printf(o, "every %d minutes", n);
	else {
		out_printf(o, "at ");
		dset_phrase(o, &ms, "and");
	}
	if (!allh) {
		out_printf(o, " of ");
		dset_phrase(o, &hs, "and");
	} else if (!allm)
		out_printf(o, " of every hour");
}

/* Writes the time of day part of "c"; returns whether it is a list of clock times. */
static enum tkind
time_part(struct out *o, const struct cron *c)
{
	int	 secs = c->has_sec && c->sec != 1, allm = c->min == bits_range(0, 59);
	int	 allh = c->hour == bits_range(0, 23), m = single(c->min), n;

	if (secs && allm && allh && c->sec == bits_range(0, 59))
		out_printf(o, "every second");
	else if (secs && allm && allh && (n = cycle_step(c->sec, 60)) != 0)
		out_printf(o, "every %d seconds", n);
	else if (!secs && allm && allh)
		out_printf(o, "every minute");
	else if (!secs && allh && (n = cycle_step(c->min, 60)) != 0)
		out_printf(o, "every %d minutes", n);
	else if (!secs && m != -1 && (allh || (n = cycle_step(c->hour, 24)) != 0)) {
		if (allh)
			out_printf(o, "every hour");
		else
			out_printf(o, "every %d hours", n);
		if (m != 0)
			out_printf(o, " at minute %d", m);
	} else if (time_at(o, c, secs) == 0)
		return TK_AT;
	else
		time_fields(o, c, secs);
	return TK_EVERY;
}

/* Days in month "m" (February 29). */
static int
month_days(int m)
{
	return m == 2 ? 29 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

/* A note for days of month that never or rarely exist in the months of "c", or "". */
static const char *
dom_note(const struct cron *c)
{
	int	 m, d, any = 0, feb29_only = 1;

	for (m = 1; m <= 12; m++)
		for (d = 1; d <= month_days(m); d++)
			if (((c->mon >> m) & 1) && ((c->dom >> d) & 1)) {
				any = 1;
				if (m != 2 || d != 29)
					feb29_only = 0;
			}
	if (!any)
		return " (never: no such date)";
	return feb29_only ? " (in leap years only)" : "";
}

void
cron_describe(const struct cron *c, char *buf, size_t len)
{
	struct out	 o = { buf, len, 0 }, to;
	struct cron	 m;
	struct dset	 ds, ws, mos;
	char		 tb[CRON_DESC_MAX];
	int		 allmon, dom_r, dow_r, both, weekdays;
	enum tkind	 k;

	if (buf == NULL || len == 0)
		return;
	buf[0] = '\0';
	if (c == NULL || cron_masked(c, &m) == -1) {
		out_printf(&o, "never");
		return;
	}
	ds = dset_make(m.dom, 1, 31, "day", "days", NULL);
	ws = dset_make(m.dow, 0, 6, "", "", dow_names);
	mos = dset_make(m.mon, 1, 12, "", "", month_names);
	allmon = m.mon == bits_range(1, 12);
	dom_r = !m.dom_any && m.dom != bits_range(1, 31);
	dow_r = !m.dow_any && m.dow != bits_range(0, 6);
	if (!m.dom_any && !m.dow_any && (!dom_r || !dow_r))
		dom_r = dow_r = 0;	/* either day rule alone matches every day */
	both = dom_r && dow_r;
	weekdays = dow_r && !both && m.dow == bits_range(1, 5);

	to = (struct out){ tb, sizeof(tb), 0 };
	tb[0] = '\0';
	k = time_part(&to, &m);
	if (k == TK_AT && weekdays)
		out_printf(&o, "every weekday %s", tb);
	else if (k == TK_AT && !dom_r && !dow_r && allmon) {
		out_printf(&o, "every day %s", tb);
		return;
	} else {
		out_printf(&o, "%s", tb);
		if (dom_r) {
			out_printf(&o, " on ");
			dset_phrase(&o, &ds, "and");
			if (!both && !allmon) {
				out_printf(&o, " of ");
				dset_list(&o, &mos, "and");
				out_printf(&o, "%s", dom_note(&m));
				return;
			}
			out_printf(&o, "%s", both || (m.dom & bits_range(29, 31)) ?
			    " of the month" : " of every month");
			if (!both)
				return;
		}
		if (dow_r && weekdays)
			out_printf(&o, " on weekdays");
		else if (dow_r) {
			out_printf(&o, "%s", both ? " or on " : " on ");
			dset_list(&o, &ws, both ? "or" : "and");
		}
	}
	if (!allmon) {
		out_printf(&o, "%s", both ? ", in " : " in ");	/* the months bound both rules */
		dset_list(&o, &mos, "and");
	}
}
