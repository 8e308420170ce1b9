/* cron.h: cron expressions of workflow schedules: parsing, English descriptions and the
 * next fire time in an IANA time zone (the system's tzdata read by tzif.c, never TZ or
 * localtime, so safe in threaded programs). */
#ifndef FRAGENT_CRON_H
#define FRAGENT_CRON_H

#include <stddef.h>
#include <stdint.h>

#define CRON_EXPR_MAX	128	/* bytes of an expression, its NUL not counted */
#define CRON_ZONE_MAX	64	/* bytes of an IANA zone name, its NUL not counted */
#define CRON_DESC_MAX	1024	/* room that always holds a cron_describe text and its NUL */

/* A parsed expression: bit n of a set stands for the value n. */
struct cron {
	uint64_t	 sec;		/* seconds 0-59 ({0} without a seconds field) */
	uint64_t	 min;		/* minutes 0-59 */
	uint32_t	 hour;		/* hours 0-23 */
	uint32_t	 dom;		/* days of the month 1-31 */
	uint16_t	 mon;		/* months 1-12 */
	uint8_t		 dow;		/* days of the week 0-6, Sunday 0 (7 is folded into 0) */
	int		 dom_any;	/* the day of month was '*' or '?' (or "*" + "/1") */
	int		 dow_any;	/* the day of week was '*' or '?' (or "*" + "/1") */
	int		 has_sec;	/* the expression had a leading seconds field */
};

/*
 * Parses "expr" into "c": 5 fields (minute hour day-of-month month day-of-week) or 6 (a
 * leading seconds field) separated by spaces or tabs, or one of @yearly @annually @monthly
 * @weekly @daily @midnight @hourly. A field is a comma list of '*', numbers, ranges "a-b",
 * steps "x/n" (x being '*', "a-b" or "a", which means a to the field's maximum); months
 * JAN-DEC and days SUN-SAT by name (any case); day of week 0-7, 0 and 7 both Sunday; '?' as
 * '*' in the two day fields. When both day fields are restricted (neither '*' nor '?'), a
 * day matches when either matches (Vixie cron); otherwise both must. Refuses expressions
 * over CRON_EXPR_MAX bytes, control characters other than tab, non-ASCII bytes, empty list
 * elements, steps of 0 or past the field's maximum, values out of range and reversed ranges.
 * Returns 0, or -1 with "c" zeroed and a one-line English message in "err" (at most
 * "errlen" bytes with its NUL; "err" may be NULL) naming the field, e.g. "minute: 61 is out
 * of range 0-59", "expected 5 or 6 fields, got 4", "@reboot is not supported".
 */
int	cron_parse(const char *expr, struct cron *c, char *err, size_t errlen);

/*
 * Returns 0 when "zone" names a zone of the system's tzdata (/usr/share/zoneinfo) whose
 * file reads as well-formed TZif, links such as "US/Eastern" included ("UTC", "Europe/Paris";
 * "UTC" and "Etc/UTC" even without the files), -1 otherwise: NULL, empty, over CRON_ZONE_MAX
 * bytes, characters outside [A-Za-z0-9/_+-], empty parts ("Europe//Paris"), unknown names,
 * "Etc/Unknown", folders ("Europe"), files that are not zones ("zone.tab", "localtime",
 * "posixrules", the "posix/" and "right/" copies), custom offsets such as "GMT+05:00". Names
 * are case-sensitive.
 */
int	cron_zone_check(const char *zone);

/*
 * The first fire time of "c" strictly after "after" (Unix seconds, between years 1 and
 * 9999) in "zone", into "next". A local time repeated when clocks go back fires once, at
 * its earlier instant; a local time skipped when clocks go forward fires once, at the wall
 * time shifted forward by the gap (02:30 on a day 02:00 jumps to 03:00 fires at 03:30, as
 * mktime does); two local times that fall on one instant fire once. Returns 0, or -1 with
 * "next" untouched when nothing fires within the 10 years after "after" (e.g. "0 0 30 2 *"),
 * "zone" fails cron_zone_check or "after" is out of range. Reentrant: no shared state.
 * Offsets come from the system's zone files (shared/tzif.c: their transitions, then the
 * POSIX TZ rule at their end for later times).
 */
int	cron_next(const struct cron *c, const char *zone, int64_t after, int64_t *next);

/*
 * Writes an English description of "c" into "buf" (at most "len" bytes with its NUL;
 * CRON_DESC_MAX is always enough, less truncates): "every 5 minutes", "every day at 09:00",
 * "every weekday at 09:00", "at 09:00 on Monday and Friday", "at 00:00 on day 1 of every
 * month", and for irregular expressions a field-by-field account ("at minutes 0 and 45 of
 * hours 9 to 17"). It states only what "c" does.
 */
void	cron_describe(const struct cron *c, char *buf, size_t len);

#endif
