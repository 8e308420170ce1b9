/* check_cron.c: unit tests of cron.c: parsing, zone names, next fire times across DST
 * changes, descriptions. */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"

#include "cron.h"
#include "nitems.h"

/* "c" parsed from "expr", failing the test when it does not parse. */
static struct cron
parsed(const char *expr)
{
	struct cron	 c;
	char		 err[128];

	ck_assert_msg(cron_parse(expr, &c, err, sizeof(err)) == 0, "%s: %s", expr, err);
	return c;
}

/* ---------------------------------------------------------------- cron_parse */

static const char *const good[] = {
	"* * * * *", "0 0 * * *", "*/5 * * * *", "0 9 * * MON-FRI", "0 9 * * mon,Fri",
	"0 0 1 jan,JUL *", "0 0 ? * 1", "0 0 1 * ?", "0 0 * * 7", "0 0 * * 0-7", "0 0 * * 5-7",
	"5/15 * * * *", "1-30/7 * * * *", "*/5 * * * * *", "59 59 23 31 12 7", "00 09 * * *",
	" \t0 9 * * *\t ", "0 0 1,15 * *", "0-59/1 0-23 1-31 1-12 0-6", "* * * * */7",
	"0 0 */31 */12 *", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
	"@midnight", "@hourly", "@HOURLY", "  @daily  ",
};

START_TEST(test_parse_good)
{
	struct cron	 c;
	char		 err[128] = "x";

	ck_assert_msg(cron_parse(good[_i], &c, err, sizeof(err)) == 0, "%s: %s", good[_i],
	    err);
	ck_assert_str_eq(err, "");
}
END_TEST

static const struct { const char *in, *err; } bad[] = {
	{ "", "empty expression" },
	{ " \t ", "empty expression" },
	{ "* * * *", "expected 5 or 6 fields, got 4" },
	{ "* * * * * * *", "expected 5 or 6 fields, got 7" },
	{ "61 * * * *", "minute: 61 is out of range 0-59" },
	{ "* 24 * * *", "hour: 24 is out of range 0-23" },
	{ "* * 0 * *", "day of month: 0 is out of range 1-31" },
	{ "* * 32 * *", "day of month: 32 is out of range 1-31" },
	{ "* * * 13 *", "month: 13 is out of range 1-12" },
	{ "* * * 0 *", "month: 0 is out of range 1-12" },
	{ "* * * * 8", "day of week: 8 is out of range 0-7" },
	{ "60 * * * * *", "second: 60 is out of range 0-59" },
	{ "99999999999999999999 * * * *", "minute: 99999999999999999999 is out of range" },
	{ "*/0 * * * *", "minute: step 0 is out of range 1-59" },
	{ "*/60 * * * *", "minute: step 60 is out of range 1-59" },
	{ "* */24 * * *", "hour: step 24 is out of range 1-23" },
	{ "* * * * 1/0", "day of week: step 0 is out of range 1-7" },
	{ "* * * * */8", "day of week: step 8 is out of range 1-7" },
	{ "*/ * * * *", "minute: a step must be a number" },
	{ "5-3 * * * *", "minute: range 5-3 is reversed" },
	{ "* * * * FRI-SUN", "day of week: range FRI-SUN is reversed" },
	{ "* * * DEC-JAN *", "month: range DEC-JAN is reversed" },
	{ "1,,2 * * * *", "minute: empty list element" },
	{ ",1 * * * *", "minute: empty list element" },
	{ "* 1, * * *", "hour: empty list element" },
	{ "1- * * * *", "minute: a value is missing" },
	{ "1-2-3 * * * *", "minute: unexpected character '-'" },
	{ "-1 * * * *", "minute: unexpected character '-'" },
	{ "*1 * * * *", "minute: unexpected character '1'" },
	{ "** * * * *", "minute: unexpected character '*'" },
	{ "* * * JANUARY *", "month: unknown name \"JANUARY\"" },
	{ "* * * * FOO", "day of week: unknown name \"FOO\"" },
	{ "* * * * JAN", "day of week: unknown name \"JAN\"" },
	{ "JAN * * * *", "minute: \"JAN\" is not a number" },
	{ "? * * * *", "minute: '?' is only allowed in the day fields" },
	{ "* * * ? *", "month: '?' is only allowed in the day fields" },
	{ "* * ?,1 * *", "day of month: '?' must be the whole field" },
	{ "* * * * ?/2", "day of week: '?' must be the whole field" },
	{ "@reboot", "@reboot is not supported" },
	{ "@every 5m", "@every is not supported" },
	{ "@fortnightly", "unknown macro \"@fortnightly\"" },
	{ "@daily *", "@daily takes no fields after it" },
	{ "* * * * *\n", "control character at offset 9" },
	{ "*\r* * * *", "control character at offset 1" },
	{ "* * * * *\x7f", "control character at offset 9" },
	{ "* * * * \xc3\xa9", "non-ASCII byte at offset 8" },
};

START_TEST(test_parse_bad)
{
	struct cron	 c, zero;
	char		 err[128];

	memset(&c, 0xa5, sizeof(c));
	memset(&zero, 0, sizeof(zero));
	ck_assert_int_eq(cron_parse(bad[_i].in, &c, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad[_i].err) != NULL, "%s: \"%s\", not \"%s\"", bad[_i].in,
	    err, bad[_i].err);
	ck_assert(strchr(err, '\n') == NULL);
	ck_assert(memcmp(&c, &zero, sizeof(c)) == 0);
}
END_TEST

/* CRON_EXPR_MAX bytes parse; one more is refused before anything else is looked at. */
START_TEST(test_parse_length)
{
	struct cron	 c;
	char		 s[CRON_EXPR_MAX + 2], err[128];
	size_t		 i;

	memcpy(s, "00", 2);
	for (i = 2; i < CRON_EXPR_MAX - 8; i += 2)
		memcpy(s + i, ",0", 2);
	memcpy(s + i, " 0 * * *", 8);
	i += 8;
	ck_assert_uint_eq(i, CRON_EXPR_MAX);
	s[i] = '\0';
	ck_assert_int_eq(cron_parse(s, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.min, 1);
	memmove(s + 1, s, CRON_EXPR_MAX + 1);
	s[0] = ' ';
	ck_assert_int_eq(cron_parse(s, &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "the expression is longer than 128 bytes");
}
END_TEST

static uint64_t
bits(const int *v, size_t n)
{
	uint64_t	 b = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		b |= 1ULL << v[i];
	return b;
}
#define BITS(...) bits((const int[]){ __VA_ARGS__ }, \
	sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))

START_TEST(test_parse_fields)
{
	struct cron	 c;

	c = parsed("* * * * *");
	ck_assert_uint_eq(c.sec, 1);
	ck_assert_int_eq(c.has_sec, 0);
	ck_assert_uint_eq(c.min, (1ULL << 60) - 1);
	ck_assert_uint_eq(c.hour, (1U << 24) - 1);
	ck_assert_uint_eq(c.dom, 0xfffffffeU);
	ck_assert_uint_eq(c.mon, 0x1ffe);
	ck_assert_uint_eq(c.dow, 0x7f);
	ck_assert(c.dom_any && c.dow_any);

	c = parsed("*/5 * * * * *");
	ck_assert_int_eq(c.has_sec, 1);
	ck_assert_uint_eq(c.sec, BITS(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55));
	ck_assert_uint_eq(parsed("5/15 * * * *").min, BITS(5, 20, 35, 50));
	ck_assert_uint_eq(parsed("1-30/7 * * * *").min, BITS(1, 8, 15, 22, 29));
	ck_assert_uint_eq(parsed("0 1,5-7,23 * * *").hour, BITS(1, 5, 6, 7, 23));
	/* 7 and 0 are Sunday; names in any case. */
	ck_assert_uint_eq(parsed("0 0 * * 7").dow, 1);
	ck_assert_uint_eq(parsed("0 0 * * sun").dow, 1);
	ck_assert_uint_eq(parsed("0 0 * * 5-7").dow, BITS(0, 5, 6));
	ck_assert_uint_eq(parsed("0 0 * * MON-fri").dow, BITS(1, 2, 3, 4, 5));
	ck_assert_uint_eq(parsed("0 0 * * */2").dow, BITS(0, 2, 4, 6));
	ck_assert_uint_eq(parsed("0 0 1 Jan,jul,DEC *").mon, BITS(1, 7, 12));
	ck_assert_uint_eq(parsed("0 0 1 feb-apr *").mon, BITS(2, 3, 4));
	/* Which day fields count as unrestricted ('*', '?', "*" + "/1"). */
	c = parsed("0 0 ? * 1");
	ck_assert(c.dom_any && !c.dow_any);
	ck_assert_uint_eq(c.dom, 0xfffffffeU);
	c = parsed("0 0 1 * ?");
	ck_assert(!c.dom_any && c.dow_any);
	ck_assert_uint_eq(c.dow, 0x7f);
	ck_assert(parsed("0 0 */1 * 1").dom_any);
	ck_assert(!parsed("0 0 */2 * 1").dom_any);
	ck_assert(!parsed("0 0 1-31 * 1").dom_any);
	ck_assert(!parsed("0 0 *,1 * 1").dom_any);
	ck_assert(!parsed("0 0 1 * 0-7").dow_any);
}
END_TEST

static const struct { const char *macro, *expr; } macros[] = {
	{ "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" }, { "@monthly", "0 0 1 * *" },
	{ "@weekly", "0 0 * * 0" }, { "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
	{ "@hourly", "0 * * * *" }, { "@Weekly", "0 0 * * 0" },
};

START_TEST(test_parse_macros)
{
	struct cron	 a = parsed(macros[_i].macro), b = parsed(macros[_i].expr);

	ck_assert(memcmp(&a, &b, sizeof(a)) == 0);
}
END_TEST

/* "err" may be NULL or short; the message is cut, never overflowed. */
START_TEST(test_parse_err_buffers)
{
	struct cron	 c;
	char		 err[8];

	ck_assert_int_eq(cron_parse("61 * * * *", &c, NULL, 0), -1);
	ck_assert_int_eq(cron_parse("61 * * * *", &c, err, 0), -1);
	ck_assert_int_eq(cron_parse("61 * * * *", &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "minute:");
	ck_assert_int_eq(cron_parse(NULL, &c, err, sizeof(err)), -1);
}
END_TEST

/* ---------------------------------------------------------------- cron_zone_check */

static const struct { const char *zone; int ok; } zones[] = {
	{ "UTC", 0 }, { "Etc/UTC", 0 }, { "Europe/Paris", 0 }, { "America/New_York", 0 },
	{ "Australia/Lord_Howe", 0 }, { "Asia/Kolkata", 0 }, { "Asia/Calcutta", 0 },
	{ "US/Eastern", 0 }, { "Etc/GMT+5", 0 }, { "America/Argentina/Buenos_Aires", 0 },
	{ "Etc/Unknown", -1 }, { "", -1 }, { "Foo/Bar", -1 }, { "europe/paris", -1 },
	{ "GMT+05:00", -1 }, { "Europe/Paris ", -1 }, { " UTC", -1 }, { "UTC\n", -1 },
	{ "../../etc/passwd", -1 }, { "Europe/Pari\xc3\xa9", -1 }, { "Europe", -1 },
	{ "Europe/Paris/Europe/Paris/Europe/Paris/Europe/Paris/Europe/Paris", -1 },
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", -1 },
	/* Zones newer than ICU 72's rules (2022e): tzdata 2022g and 2025b. */
	{ "America/Ciudad_Juarez", 0 }, { "America/Coyhaique", 0 },
	/* Entries of the zoneinfo folder that are not zones. */
	{ "localtime", -1 }, { "posixrules", -1 }, { "posix/Europe/Paris", -1 },
	{ "right/Europe/Paris", -1 }, { "zone.tab", -1 }, { "leapseconds", -1 },
	{ "Europe//Paris", -1 }, { "Europe/", -1 },
};

START_TEST(test_zone_check)
{
	ck_assert_msg(cron_zone_check(zones[_i].zone) == zones[_i].ok, "%s", zones[_i].zone);
}
END_TEST

START_TEST(test_zone_check_null)
{
	ck_assert_int_eq(cron_zone_check(NULL), -1);
}
END_TEST

/* ---------------------------------------------------------------- cron_next */

/* The first fire time after "after", checked against an independent reading of the rules
 * (Python's zoneinfo); NULL: none within 10 years. */
static const struct { const char *expr, *zone, *after, *next; } nexts[] = {
	{ "* * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z" },
	{ "* * * * *", "UTC", "2026-01-01T00:00:30Z", "2026-01-01T00:01:00Z" },
	{ "*/5 * * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z" },
	{ "*/5 * * * * *", "UTC", "2026-01-01T00:00:58Z", "2026-01-01T00:01:00Z" },
	{ "* * * * * *", "UTC", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z" },
	{ "30 * * * * *", "UTC", "2026-01-01T00:00:30Z", "2026-01-01T00:01:30Z" },
	{ "0 9 * * 1-5", "UTC", "2026-01-02T09:00:00Z", "2026-01-05T09:00:00Z" },
	/* Both day fields restricted: either matches (Vixie cron). */
	{ "0 0 1 * 1", "UTC", "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z" },
	{ "0 0 13 * 5", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z" },
	{ "0 0 */2 * 1", "UTC", "2026-01-05T00:00:00Z", "2026-01-07T00:00:00Z" },
	/* One day field unrestricted: both must match. */
	{ "0 0 */1 * 1", "UTC", "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z" },
	{ "0 0 ? * 1", "UTC", "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z" },
	{ "0 0 1 * ?", "UTC", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z" },
	{ "0 0 1 * 0-7", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z" },
	/* 0, 7 and SUN are Sunday. */
	{ "0 12 * * 0", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T12:00:00Z" },
	{ "0 12 * * 7", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T12:00:00Z" },
	{ "0 12 * * SUN", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T12:00:00Z" },
	{ "0 12 * * FRI-7", "UTC", "2026-01-04T12:00:00Z", "2026-01-09T12:00:00Z" },
	{ "0 0 1 1 *", "UTC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z" },
	{ "30 8 * jan *", "UTC", "2026-01-31T08:30:00Z", "2027-01-01T08:30:00Z" },
	{ "0 0 1 JUL,Oct *", "UTC", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z" },
	/* Leap days, days that never come. */
	{ "0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z" },
	{ "0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z" },
	{ "0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z", NULL },
	{ "0 0 31 4 *", "UTC", "2026-01-01T00:00:00Z", NULL },
	{ "0 0 31 * *", "UTC", "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z" },
	/* Europe/Paris: 02:00 CET -> 03:00 CEST on 2026-03-29, back on 2026-10-25. */
	{ "0 9 * * 1-5", "Europe/Paris", "2026-03-27T08:00:00Z", "2026-03-30T07:00:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z" },
	{ "0 * * * *", "Europe/Paris", "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z" },
	{ "0 * * * *", "Europe/Paris", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z" },
	{ "0 * * * *", "Europe/Paris", "2026-10-24T23:30:00Z", "2026-10-25T00:00:00Z" },
	{ "0 * * * *", "Europe/Paris", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z" },
	/* America/New_York: 02:00 EST -> 03:00 EDT on 2026-03-08, 02:00 EDT -> 01:00 EST on
	 * 2026-11-01. */
	{ "30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:30:00Z" },
	{ "30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z" },
	{ "30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z" },
	{ "0 * * * *", "America/New_York", "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z" },
	{ "0 * * * *", "America/New_York", "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z" },
	{ "0 * * * *", "America/New_York", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z" },
	{ "0 * * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z" },
	{ "0 0 29 2 *", "America/New_York", "2026-01-01T00:00:00Z", "2028-02-29T05:00:00Z" },
	/* Australia/Lord_Howe: +10:30, +11 in summer, 30-minute changes: 02:00 -> 02:30 on
	 * 2026-10-04, 02:00 -> 01:30 on 2026-04-05. */
	{ "15 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z", "2026-10-03T15:45:00Z" },
	{ "15 2 * * *", "Australia/Lord_Howe", "2026-10-03T15:45:00Z", "2026-10-04T15:15:00Z" },
	{ "45 1 * * *", "Australia/Lord_Howe", "2026-04-04T00:00:00Z", "2026-04-04T14:45:00Z" },
	{ "45 1 * * *", "Australia/Lord_Howe", "2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z" },
	/* 02:30 (after the gap) comes before 02:15 (in it, shifted to 02:45). */
	{ "15,30 2 * * *", "Australia/Lord_Howe", "2026-10-03T15:29:00Z",
	    "2026-10-03T15:30:00Z" },
	{ "15,30 2 * * *", "Australia/Lord_Howe", "2026-10-03T15:30:00Z",
	    "2026-10-03T15:45:00Z" },
	{ "0 * * * *", "Australia/Lord_Howe", "2026-04-04T14:00:00Z", "2026-04-04T15:30:00Z" },
	/* Asia/Kolkata: +05:30 all year. */
	{ "0 9 * * *", "Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-01-01T03:30:00Z" },
	{ "0 0 * * *", "Asia/Kolkata", "2026-01-01T18:30:00Z", "2026-01-02T18:30:00Z" },
	{ "*/45 * * * *", "Asia/Kolkata", "2026-01-01T18:29:00Z", "2026-01-01T18:30:00Z" },
	/* Zones ICU 72 did not know: Ciudad Juarez (-07, US rules since 2022), Coyhaique (-03
	 * all year since 2025; Santiago is -04 in July). */
	{ "0 9 * * *", "America/Ciudad_Juarez", "2026-01-15T00:00:00Z", "2026-01-15T16:00:00Z" },
	{ "0 9 * * *", "America/Ciudad_Juarez", "2026-07-01T00:00:00Z", "2026-07-01T15:00:00Z" },
	{ "0 9 * * *", "America/Coyhaique", "2026-07-01T00:00:00Z", "2026-07-01T12:00:00Z" },
	/* After 2037, the last transition of the system's files: the rule of their footers.
	 * Europe/Paris: 02:00 CET -> 03:00 CEST on 2040-03-25, back on 2040-10-28. */
	{ "30 2 * * *", "Europe/Paris", "2040-03-24T12:00:00Z", "2040-03-25T01:30:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2040-03-25T01:30:00Z", "2040-03-26T00:30:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2040-10-27T12:00:00Z", "2040-10-28T00:30:00Z" },
	{ "30 2 * * *", "Europe/Paris", "2040-10-28T00:30:00Z", "2040-10-29T01:30:00Z" },
	{ "0 12 1 7 *", "Europe/Paris", "2039-01-01T00:00:00Z", "2039-07-01T10:00:00Z" },
	/* Australia/Sydney: 03:00 AEDT -> 02:00 AEST on 2040-04-01, 02:00 -> 03:00 AEDT on
	 * 2040-10-07; summer across New Year. */
	{ "30 2 * * *", "Australia/Sydney", "2040-03-31T15:30:00Z", "2040-04-01T16:30:00Z" },
	{ "30 2 * * *", "Australia/Sydney", "2040-10-05T16:30:00Z", "2040-10-06T16:30:00Z" },
	{ "0 9 29 2 *", "Australia/Sydney", "2036-03-01T00:00:00Z", "2040-02-28T22:00:00Z" },
	{ "0 0 1 1 *", "Australia/Sydney", "2045-06-01T00:00:00Z", "2045-12-31T13:00:00Z" },
	/* America/Santiago: -04 -> -03 at 24:00 on Saturday 2041-09-07 (midnight skipped). */
	{ "0 0 * * *", "America/Santiago", "2041-09-07T03:00:00Z", "2041-09-07T04:00:00Z" },
	{ "0 0 * * *", "America/Santiago", "2041-09-07T04:00:00Z", "2041-09-08T04:00:00Z" },
	{ "0 0 * * *", "America/Santiago", "2041-09-08T04:00:00Z", "2041-09-09T03:00:00Z" },
};

START_TEST(test_next)
{
	struct cron	 c = parsed(nexts[_i].expr);
	int64_t		 next = -42;
	int		 rc;

	rc = cron_next(&c, nexts[_i].zone, check_utc(nexts[_i].after), &next);
	if (nexts[_i].next == NULL) {
		ck_assert_msg(rc == -1, "%s after %s: %lld", nexts[_i].expr, nexts[_i].after,
		    (long long)next);
		ck_assert_int_eq(next, -42);
		return;
	}
	ck_assert_msg(rc == 0, "%s in %s after %s: none", nexts[_i].expr, nexts[_i].zone,
	    nexts[_i].after);
	ck_assert_msg(next == check_utc(nexts[_i].next), "%s in %s after %s: %lld, not %s",
	    nexts[_i].expr, nexts[_i].zone, nexts[_i].after, (long long)next, nexts[_i].next);
}
END_TEST

/* The fire times of a schedule across a change of offset, each fed back as "after". */
static const struct { const char *expr, *zone, *from, *times[6]; } chains[] = {
	/* Skipped 02:30 fires once, at 03:30 CEST. */
	{ "30 2 * * *", "Europe/Paris", "2026-03-27T12:00:00Z", { "2026-03-28T01:30:00Z",
	    "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z", NULL } },
	/* Repeated 02:30 fires once, the first time. */
	{ "30 2 * * *", "Europe/Paris", "2026-10-23T12:00:00Z", { "2026-10-24T00:30:00Z",
	    "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", NULL } },
	/* Hourly: 02:00 (skipped) and 03:00 are one instant; the second 02:00 is not fired. */
	{ "0 * * * *", "Europe/Paris", "2026-03-28T23:30:00Z", { "2026-03-29T00:00:00Z",
	    "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", NULL } },
	{ "0 * * * *", "Europe/Paris", "2026-10-24T23:30:00Z", { "2026-10-25T00:00:00Z",
	    "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z", NULL } },
	/* Hourly in New York: 01:00 EDT fires, 01:00 EST does not. */
	{ "0 * * * *", "America/New_York", "2026-11-01T03:30:00Z", { "2026-11-01T04:00:00Z",
	    "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z", NULL } },
	{ "30 1 * * *", "America/New_York", "2026-10-31T00:00:00Z", { "2026-10-31T05:30:00Z",
	    "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", NULL } },
	/* Every 30 minutes over Lord Howe's 30-minute gap and repeat. */
	{ "*/30 * * * *", "Australia/Lord_Howe", "2026-10-03T14:45:00Z", {
	    "2026-10-03T15:00:00Z", "2026-10-03T15:30:00Z", "2026-10-03T16:00:00Z", NULL } },
	{ "*/30 * * * *", "Australia/Lord_Howe", "2026-04-04T13:45:00Z", {
	    "2026-04-04T14:00:00Z", "2026-04-04T14:30:00Z", "2026-04-04T15:30:00Z",
	    "2026-04-04T16:00:00Z", NULL } },
	/* The same after 2037 (footers' rules): Paris in 2040, Sydney's repeated 02:30 on
	 * 2040-04-01 and skipped one on 2040-10-07. */
	{ "30 2 * * *", "Europe/Paris", "2040-03-23T12:00:00Z", { "2040-03-24T01:30:00Z",
	    "2040-03-25T01:30:00Z", "2040-03-26T00:30:00Z", NULL } },
	{ "0 * * * *", "Europe/Paris", "2040-10-27T23:30:00Z", { "2040-10-28T00:00:00Z",
	    "2040-10-28T02:00:00Z", "2040-10-28T03:00:00Z", NULL } },
	{ "30 2 * * *", "Australia/Sydney", "2040-03-30T12:00:00Z", { "2040-03-30T15:30:00Z",
	    "2040-03-31T15:30:00Z", "2040-04-01T16:30:00Z", NULL } },
	{ "30 2 * * *", "Australia/Sydney", "2040-10-05T12:00:00Z", { "2040-10-05T16:30:00Z",
	    "2040-10-06T16:30:00Z", "2040-10-07T15:30:00Z", NULL } },
};

START_TEST(test_next_chain)
{
	struct cron	 c = parsed(chains[_i].expr);
	int64_t		 t = check_utc(chains[_i].from), next;
	size_t		 k;

	for (k = 0; chains[_i].times[k] != NULL; k++) {
		ck_assert_int_eq(cron_next(&c, chains[_i].zone, t, &next), 0);
		ck_assert_msg(next == check_utc(chains[_i].times[k]), "%s in %s, #%zu: %lld, not %s",
		    chains[_i].expr, chains[_i].zone, k, (long long)next, chains[_i].times[k]);
		t = next;
	}
}
END_TEST

/* A whole year of fire times fed back: strictly increasing, never repeated, as many as the
 * local calendar has (minus the repeated local times), gaps within bounds. */
static const struct {
	const char	*expr, *zone;
	int		 count;
	int64_t		 mingap, maxgap;
} years[] = {
	{ "*/30 * * * *", "Europe/Paris", 17520 - 2, 1800, 5400 },
	{ "30 2 * * *", "Europe/Paris", 365, 82800, 90000 },
	{ "0 * * * *", "Europe/Paris", 8760 - 1, 3600, 7200 },
	{ "*/30 * * * *", "Australia/Lord_Howe", 17520 - 1, 1800, 3600 },
	{ "0 * * * *", "America/New_York", 8760 - 1, 3600, 7200 },
	{ "0 9 * * 1-5", "Asia/Kolkata", 261, 86400, 3 * 86400 },
};

START_TEST(test_next_year)
{
	struct cron	 c = parsed(years[_i].expr);
	int64_t		 end = check_utc("2027-01-01T00:00:00Z"), t = check_utc("2026-01-01T00:00:00Z") - 1;
	int64_t		 next, gap, mingap = INT64_MAX, maxgap = 0;
	int		 n = 0;

	for (;;) {
		ck_assert_int_eq(cron_next(&c, years[_i].zone, t, &next), 0);
		ck_assert_int_gt(next, t);
		if (next >= end)
			break;
		if (n++ > 0) {
			gap = next - t;
			mingap = gap < mingap ? gap : mingap;
			maxgap = gap > maxgap ? gap : maxgap;
		}
		t = next;
	}
	ck_assert_int_eq(n, years[_i].count);
	ck_assert_int_eq(mingap, years[_i].mingap);
	ck_assert_int_eq(maxgap, years[_i].maxgap);
}
END_TEST

/* Every second for an hour: each call one second on, without walking the day. */
START_TEST(test_next_seconds)
{
	struct cron	 c = parsed("* * * * * *");
	int64_t		 t = check_utc("2026-03-29T00:30:00Z"), next;
	int		 i;

	for (i = 0; i < 3600; i++) {
		ck_assert_int_eq(cron_next(&c, "Europe/Paris", t, &next), 0);
		ck_assert_int_eq(next, t + 1);
		t = next;
	}
}
END_TEST

START_TEST(test_next_refusals)
{
	struct cron	 c = parsed("* * * * *"), empty;
	int64_t		 next = -42;

	memset(&empty, 0, sizeof(empty));
	ck_assert_int_eq(cron_next(&c, "Etc/Unknown", 0, &next), -1);
	ck_assert_int_eq(cron_next(&c, "Mars/Olympus_Mons", 0, &next), -1);
	ck_assert_int_eq(cron_next(&c, "", 0, &next), -1);
	ck_assert_int_eq(cron_next(&c, NULL, 0, &next), -1);
	ck_assert_int_eq(cron_next(&c, "UTC", INT64_MAX, &next), -1);
	ck_assert_int_eq(cron_next(&c, "UTC", INT64_MIN, &next), -1);
	ck_assert_int_eq(cron_next(&empty, "UTC", 0, &next), -1);
	ck_assert_int_eq(cron_next(NULL, "UTC", 0, &next), -1);
	ck_assert_int_eq(cron_next(&c, "UTC", 0, NULL), -1);
	ck_assert_int_eq(next, -42);
	/* The ends of the range of "after". */
	ck_assert_int_eq(cron_next(&c, "UTC", check_utc("9999-12-31T23:59:00Z"), &next), 0);
	ck_assert_int_eq(next, check_utc("9999-12-31T23:59:00Z") + 60);
	ck_assert_int_eq(cron_next(&c, "UTC", -62135596800LL, &next), 0);
	ck_assert_int_eq(next, -62135596800LL + 60);
	ck_assert_int_eq(cron_next(&c, "UTC", -1, &next), 0);
	ck_assert_int_eq(next, 0);
}
END_TEST

/* cron_next from several threads at once gives what one thread gets. */
struct job {
	const char	*expr, *zone;
	int64_t		 times[200];
};

static void *
job_run(void *arg)
{
	struct job	*j = arg;
	struct cron	 c;
	int64_t		 t = 1767225600;	/* 2026-01-01 */
	size_t		 i;

	if (cron_parse(j->expr, &c, NULL, 0) == -1)
		return NULL;
	for (i = 0; i < NITEMS(j->times); i++) {
		if (cron_next(&c, j->zone, t, &j->times[i]) == -1)
			return NULL;
		t = j->times[i];
	}
	return j;
}

START_TEST(test_next_threads)
{
	struct job	 jobs[8], alone;
	pthread_t	 th[NITEMS(jobs)];
	static const char *const z[] = { "Europe/Paris", "America/New_York",
	    "Australia/Lord_Howe", "Asia/Kolkata" };
	size_t		 i;
	void		*r;

	for (i = 0; i < NITEMS(jobs); i++) {
		jobs[i].expr = i % 2 ? "0 */3 * * *" : "30 2 * * *";
		jobs[i].zone = z[i % NITEMS(z)];
		ck_assert_int_eq(pthread_create(&th[i], NULL, job_run, &jobs[i]), 0);
	}
	for (i = 0; i < NITEMS(jobs); i++) {
		ck_assert_int_eq(pthread_join(th[i], &r), 0);
		ck_assert_ptr_eq(r, &jobs[i]);
		alone.expr = jobs[i].expr;
		alone.zone = jobs[i].zone;
		ck_assert_ptr_eq(job_run(&alone), &alone);
		ck_assert(memcmp(alone.times, jobs[i].times, sizeof(alone.times)) == 0);
	}
}
END_TEST

/* ---------------------------------------------------------------- cron_describe */

static const struct { const char *expr, *desc; } descs[] = {
	{ "* * * * *", "every minute" },
	{ "*/5 * * * *", "every 5 minutes" },
	{ "*/10 * * * * *", "every 10 seconds" },
	{ "* * * * * *", "every second" },
	{ "0 * * * *", "every hour" },
	{ "@hourly", "every hour" },
	{ "30 * * * *", "every hour at minute 30" },
	{ "0 */6 * * *", "every 6 hours" },
	{ "30 */2 * * *", "every 2 hours at minute 30" },
	{ "0 9 * * *", "every day at 09:00" },
	{ "@daily", "every day at 00:00" },
	{ "0 9,17 * * *", "every day at 09:00 and 17:00" },
	{ "30 0 9 * * *", "every day at 09:00:30" },
	{ "0 9 * * 1-5", "every weekday at 09:00" },
	{ "0 9 * * MON,FRI", "at 09:00 on Monday and Friday" },
	{ "0 0 * * 0,6", "at 00:00 on Saturday and Sunday" },
	{ "0 12 * * 0-5", "at 12:00 on Monday to Friday and Sunday" },
	{ "@weekly", "at 00:00 on Sunday" },
	{ "0 0 1 * *", "at 00:00 on day 1 of every month" },
	{ "@monthly", "at 00:00 on day 1 of every month" },
	{ "0 0 1,15 * *", "at 00:00 on days 1 and 15 of every month" },
	{ "0 0 31 * *", "at 00:00 on day 31 of the month" },
	{ "@yearly", "at 00:00 on day 1 of January" },
	{ "30 8 * JAN *", "at 08:30 in January" },
	{ "30 8 * 1-3,7 *", "at 08:30 in January to March and July" },
	{ "0 9 * * 1-5 ", "every weekday at 09:00" },
	{ "0 9 * 6-8 1-5", "every weekday at 09:00 in June to August" },
	{ "* * * 12 *", "every minute in December" },
	{ "*/15 9-17 * * 1-5", "every 15 minutes of hours 9 to 17 on weekdays" },
	{ "*/7 * * * *", "at every 7th minute from 0 through 56 of every hour" },
	{ "0 9-17 * * *", "at minute 0 of hours 9 to 17" },
	{ "0,45 9-17 * * *", "at minutes 0 and 45 of hours 9 to 17" },
	{ "5 * * * * *", "at second 5 of every minute" },
	{ "1,2,5 * 3 * * *", "at seconds 1, 2 and 5 of every minute of hour 3" },
	/* Both day fields restricted: either. */
	{ "0 0 1 * 1", "at 00:00 on day 1 of the month or on Monday" },
	{ "0 0 1-7 * MON,FRI", "at 00:00 on days 1 to 7 of the month or on Monday or Friday" },
	{ "0 0 9 4 5", "at 00:00 on day 9 of the month or on Friday, in April" },
	{ "*/5 * 2 * 5", "every 5 minutes on day 2 of the month or on Friday" },
	{ "0 0 1 * 0-7", "every day at 00:00" },
	{ "* * * * 1-7", "every minute" },
	{ "0 0 */2 * *", "at 00:00 on every 2nd day from 1 through 31 of the month" },
	{ "0 0 29 2 *", "at 00:00 on day 29 of February (in leap years only)" },
	{ "0 0 30 2 *", "at 00:00 on day 30 of February (never: no such date)" },
};

START_TEST(test_describe)
{
	struct cron	 c = parsed(descs[_i].expr);
	char		 buf[CRON_DESC_MAX];

	cron_describe(&c, buf, sizeof(buf));
	ck_assert_str_eq(buf, descs[_i].desc);
}
END_TEST

/* Random sets in every field: the text fits CRON_DESC_MAX, is printable, and a short
 * buffer gets a NUL-terminated prefix. */
START_TEST(test_describe_bounds)
{
	struct cron	 c;
	char		 buf[CRON_DESC_MAX + 1], small[16];
	uint64_t	 x = 0x9e3779b97f4a7c15ULL;
	size_t		 n, i;
	int		 round;

	for (round = 0; round < 2000; round++) {
		memset(&c, 0, sizeof(c));
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		c.sec = round % 3 ? x : 0x5555555555555555ULL;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		c.min = round % 4 ? x : 0x6db6db6db6db6db6ULL;
		c.hour = (uint32_t)(x >> 40) | 1;
		c.dom = (uint32_t)x << 1 | 2;
		c.mon = (uint16_t)(x >> 17) << 1 | 2;
		c.dow = (uint8_t)(x >> 29) | 1;
		c.has_sec = round % 2;
		c.dom_any = round % 5 == 0;
		c.dow_any = round % 7 == 0;
		memset(buf, 'x', sizeof(buf));
		cron_describe(&c, buf, CRON_DESC_MAX);
		n = strlen(buf);
		ck_assert_uint_lt(n, CRON_DESC_MAX - 1);
		for (i = 0; i < n; i++)
			ck_assert(buf[i] >= 0x20 && buf[i] < 0x7f);
		cron_describe(&c, small, sizeof(small));
		ck_assert_uint_eq(strlen(small), n < sizeof(small) ? n : sizeof(small) - 1);
		ck_assert(strncmp(small, buf, strlen(small)) == 0);
	}
	memset(&c, 0, sizeof(c));
	cron_describe(&c, buf, sizeof(buf));
	ck_assert_str_eq(buf, "never");
	cron_describe(NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "never");
	cron_describe(&c, buf, 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("cron");
	TCase	*tc = tcase_create("cron_parse");

	tcase_add_loop_test(tc, test_parse_good, 0, NITEMS(good));
	tcase_add_loop_test(tc, test_parse_bad, 0, NITEMS(bad));
	tcase_add_test(tc, test_parse_length);
	tcase_add_test(tc, test_parse_fields);
	tcase_add_loop_test(tc, test_parse_macros, 0, NITEMS(macros));
	tcase_add_test(tc, test_parse_err_buffers);
	suite_add_tcase(s, tc);
	tc = tcase_create("cron_zone_check");
	tcase_add_loop_test(tc, test_zone_check, 0, NITEMS(zones));
	tcase_add_test(tc, test_zone_check_null);
	suite_add_tcase(s, tc);
	tc = tcase_create("cron_next");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_next, 0, NITEMS(nexts));
	tcase_add_loop_test(tc, test_next_chain, 0, NITEMS(chains));
	tcase_add_loop_test(tc, test_next_year, 0, NITEMS(years));
	tcase_add_test(tc, test_next_seconds);
	tcase_add_test(tc, test_next_refusals);
	tcase_add_test(tc, test_next_threads);
	suite_add_tcase(s, tc);
	tc = tcase_create("cron_describe");
	tcase_add_loop_test(tc, test_describe, 0, NITEMS(descs));
	tcase_add_test(tc, test_describe_bounds);
	suite_add_tcase(s, tc);
	return check_run(s);
}
