/* check_current_time.c: unit tests of the current_time tool (jobd/tools/current_time.c) and
 * of the TZif reader it uses (shared/tzif.c): offsets across DST, after the files' last
 * transitions (their footers' rules, to 2060), footers of every form built in memory,
 * malformed footers, zone-name validation (no path tricks), zones loaded once for many
 * lookups, malformed zone data. Built a second time as check_current_time_nodir with
 * TZIF_DIR a folder that does not exist: there only the built-in UTC is tested. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"

#include "cron.h"
#include "jsonh.h"
#include "nitems.h"
#include "tools/tool.h"
#include "tzif.h"

#ifndef TZIF_DIR		/* the system's zoneinfo folder */
static const struct { const char *zone; int64_t t; long off; const char *abbr; } zones[] = {
	{ "Europe/Paris", 1705312800, 3600, "CET" },		/* 2024-01-15 */
	{ "Europe/Paris", 1721037600, 7200, "CEST" },		/* 2024-07-15 */
	{ "America/New_York", 1705312800, -18000, "EST" },
	{ "America/New_York", 1721037600, -14400, "EDT" },
	{ "Asia/Kolkata", 1721037600, 19800, "IST" },
	{ "UTC", 1721037600, 0, "UTC" },
	{ "Europe/Paris", -5000000000LL, 561, "LMT" },		/* before the first transition */
	{ "US/Eastern", 1721037600, -14400, "EDT" },		/* a link */
	{ "America/Ciudad_Juarez", 1721037600, -21600, "MDT" },	/* tzdata 2022g */
	{ "Etc/UTC", INT64_MAX, 0, "UTC" },
	{ "Etc/UTC", INT64_MIN, 0, "UTC" },
};

/* Each row through tzif_zone, and through tzif_load then tzif_lookup. */
START_TEST(test_zone)
{
	unsigned char	*d = NULL;
	size_t		 n = 0;
	char		 abbr[16], err[128];
	long		 off = -1;
	int		 dst;

	ck_assert_msg(tzif_zone(zones[_i].zone, zones[_i].t, &off, abbr, sizeof(abbr), err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(off, zones[_i].off);
	ck_assert_str_eq(abbr, zones[_i].abbr);
	ck_assert_msg(tzif_load(zones[_i].zone, &d, &n, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(tzif_check(d, n), 0);
	off = -1;
	ck_assert_int_eq(tzif_lookup(d, n, zones[_i].t, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_int_eq(off, zones[_i].off);
	ck_assert_str_eq(abbr, zones[_i].abbr);
	ck_assert_int_eq(tzif_lookup(d, n, zones[_i].t, &off, &dst, NULL, 0), 0);
	free(d);
}
END_TEST

static const char *const bad_names[] = {
	"../../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "Europe", "Nope/Zone",
	"Europe//Paris", "Europe/Paris/", "", "Europe/Paris\n", "zone.tab", "a b",
	"leapseconds",		/* a file of the folder that is not TZif */
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
};

START_TEST(test_bad_name)
{
	unsigned char	*d = (unsigned char *)"x";
	size_t		 n = 1;
	char		 abbr[16], err[128] = "";
	long		 off;

	ck_assert_int_eq(tzif_zone(bad_names[_i], 0, &off, abbr, sizeof(abbr), err,
	    sizeof(err)), -1);
	ck_assert(err[0] != '\0');
	err[0] = '\0';
	ck_assert_int_eq(tzif_load(bad_names[_i], &d, &n, err, sizeof(err)), -1);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(n, 0);
	ck_assert(err[0] != '\0');
	ck_assert_int_eq(tzif_load(bad_names[_i], &d, &n, NULL, 0), -1);
}
END_TEST

/* Reads a zone file into "buf"; returns its length. */
static size_t
slurp(const char *path, unsigned char *buf, size_t cap)
{
	FILE	*f = fopen(path, "rb");
	size_t	 n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* The built-in UTC is byte for byte the system's Etc/UTC, under both names. */
START_TEST(test_load_utc)
{
	static const char *const names[] = { "UTC", "Etc/UTC" };
	unsigned char		 f[512], *d;
	size_t			 fn = slurp("/usr/share/zoneinfo/Etc/UTC", f, sizeof(f)), n, i;
	char			 err[128];

	for (i = 0; i < NITEMS(names); i++) {
		ck_assert_int_eq(tzif_load(names[i], &d, &n, err, sizeof(err)), 0);
		ck_assert_uint_eq(n, fn);
		ck_assert(memcmp(d, f, n) == 0);
		free(d);
	}
}
END_TEST

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Every truncation of a real file and a few corruptions are refused or read safely. */
START_TEST(test_malformed)
{
	static unsigned char	 d[8192], c[8192];
	size_t			 n = slurp("/usr/share/zoneinfo/Europe/Paris", d, sizeof(d)), k;
	size_t			 v2, times, idx, types;
	uint32_t		 timecnt, typecnt;
	char			 abbr[16];
	long			 off;
	int			 dst;

	ck_assert_int_eq(tzif_lookup(d, n, 1705312800, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_int_eq(tzif_check(d, n), 0);
	for (k = 0; k < 44 + 100; k++) {
		ck_assert_int_eq(tzif_lookup(d, k, 1705312800, &off, &dst, abbr, sizeof(abbr)),
		    -1);
		ck_assert_int_eq(tzif_check(d, k), -1);
	}
	for (k = 44; k < n; k += 7) {
		(void)tzif_lookup(d, k, 1705312800, &off, &dst, abbr, sizeof(abbr));
		(void)tzif_check(d, k);
	}
	/* The 64-bit block: its transitions, their type indexes, the types. */
	v2 = 44 + (size_t)be32(d + 32) * 5 + (size_t)be32(d + 36) * 6 + be32(d + 40) +
	    (size_t)be32(d + 28) * 8 + be32(d + 24) + be32(d + 20);
	timecnt = be32(d + v2 + 32);
	typecnt = be32(d + v2 + 36);
	ck_assert_uint_gt(timecnt, 2);
	times = v2 + 44;
	idx = times + (size_t)timecnt * 8;
	types = idx + timecnt;
	memcpy(c, d, n);	/* transitions out of order */
	memcpy(c + times, d + times + 8, 8);
	memcpy(c + times + 8, d + times, 8);
	ck_assert_int_eq(tzif_check(c, n), -1);
	memcpy(c, d, n);	/* a type index past the types */
	c[idx] = (unsigned char)typecnt;
	ck_assert_int_eq(tzif_check(c, n), -1);
	memcpy(c, d, n);	/* an abbreviation index past the abbreviations */
	c[types + (size_t)(typecnt - 1) * 6 + 5] = 0xff;
	ck_assert_int_eq(tzif_check(c, n), -1);
	memcpy(c, d, n);	/* an offset of a day or more */
	c[types + (size_t)(typecnt - 1) * 6] = 0x7f;
	ck_assert_int_eq(tzif_check(c, n), -1);
	d[0] = 'X';
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, abbr, sizeof(abbr)), -1);
	ck_assert_int_eq(tzif_check(d, n), -1);
	d[0] = 'T';
	d[36] = d[37] = 0xff;		/* typecnt huge */
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, abbr, sizeof(abbr)), -1);
	ck_assert_int_eq(tzif_check(d, n), -1);
}
END_TEST

/*
 * Offsets from 2030 to 2060, mostly after the last transition of the system's files (2037
 * for zones with daylight time): from their footers. Written from Python's zoneinfo, which
 * reads the same files, and checked against zdump -v (glibc) at every transition:
 *   ZoneInfo(zone) and datetime.fromtimestamp(t, tz): utcoffset(), dst() != 0, tzname(),
 * on January 15 and July 15 at 12:00Z of every year, and one second before and at each
 * change of 2037-2041 and 2060. Casablanca's file lists its changes (Ramadan) to 2087, its
 * footer is +01 all year.
 */
static const struct {
	const char	*zone, *when;
	long		 off;
	int		 dst;
	const char	*abbr;
} futures[] = {
	/* Europe/Paris */
	{ "Europe/Paris", "2030-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2030-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2031-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2031-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2032-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2032-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2033-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2033-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2034-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2034-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2035-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2035-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2036-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2036-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2037-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2037-03-29T00:59:59Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2037-03-29T01:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2037-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2037-10-25T00:59:59Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2037-10-25T01:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2038-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2038-03-28T00:59:59Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2038-03-28T01:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2038-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2038-10-31T00:59:59Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2038-10-31T01:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2039-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2039-03-27T00:59:59Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2039-03-27T01:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2039-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2039-10-30T00:59:59Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2039-10-30T01:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2040-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2040-03-25T00:59:59Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2040-03-25T01:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2040-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2040-10-28T00:59:59Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2040-10-28T01:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2041-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2041-03-31T00:59:59Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2041-03-31T01:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2041-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2041-10-27T00:59:59Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2041-10-27T01:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2042-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2042-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2043-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2043-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2044-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2044-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2045-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2045-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2046-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2046-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2047-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2047-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2048-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2048-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2049-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2049-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2050-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2050-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2051-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2051-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2052-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2052-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2053-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2053-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2054-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2054-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2055-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2055-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2056-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2056-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2057-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2057-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2058-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2058-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2059-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2059-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2060-01-15T12:00:00Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2060-03-28T00:59:59Z", 3600, 0, "CET" },
	{ "Europe/Paris", "2060-03-28T01:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2060-07-15T12:00:00Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2060-10-31T00:59:59Z", 7200, 1, "CEST" },
	{ "Europe/Paris", "2060-10-31T01:00:00Z", 3600, 0, "CET" },
	/* America/New_York */
	{ "America/New_York", "2030-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2030-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2031-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2031-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2032-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2032-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2033-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2033-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2034-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2034-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2035-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2035-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2036-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2036-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2037-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2037-03-08T06:59:59Z", -18000, 0, "EST" },
	{ "America/New_York", "2037-03-08T07:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2037-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2037-11-01T05:59:59Z", -14400, 1, "EDT" },
	{ "America/New_York", "2037-11-01T06:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2038-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2038-03-14T06:59:59Z", -18000, 0, "EST" },
	{ "America/New_York", "2038-03-14T07:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2038-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2038-11-07T05:59:59Z", -14400, 1, "EDT" },
	{ "America/New_York", "2038-11-07T06:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2039-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2039-03-13T06:59:59Z", -18000, 0, "EST" },
	{ "America/New_York", "2039-03-13T07:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2039-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2039-11-06T05:59:59Z", -14400, 1, "EDT" },
	{ "America/New_York", "2039-11-06T06:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2040-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2040-03-11T06:59:59Z", -18000, 0, "EST" },
	{ "America/New_York", "2040-03-11T07:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2040-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2040-11-04T05:59:59Z", -14400, 1, "EDT" },
	{ "America/New_York", "2040-11-04T06:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2041-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2041-03-10T06:59:59Z", -18000, 0, "EST" },
	{ "America/New_York", "2041-03-10T07:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2041-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2041-11-03T05:59:59Z", -14400, 1, "EDT" },
	{ "America/New_York", "2041-11-03T06:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2042-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2042-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2043-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2043-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2044-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2044-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2045-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2045-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2046-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2046-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2047-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2047-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2048-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2048-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2049-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2049-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2050-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2050-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2051-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2051-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2052-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2052-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2053-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2053-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2054-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2054-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2055-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2055-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2056-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2056-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2057-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2057-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2058-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2058-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2059-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2059-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2060-01-15T12:00:00Z", -18000, 0, "EST" },
	{ "America/New_York", "2060-03-14T06:59:59Z", -18000, 0, "EST" },
	{ "America/New_York", "2060-03-14T07:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2060-07-15T12:00:00Z", -14400, 1, "EDT" },
	{ "America/New_York", "2060-11-07T05:59:59Z", -14400, 1, "EDT" },
	{ "America/New_York", "2060-11-07T06:00:00Z", -18000, 0, "EST" },
	/* Australia/Sydney */
	{ "Australia/Sydney", "2030-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2030-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2031-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2031-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2032-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2032-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2033-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2033-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2034-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2034-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2035-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2035-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2036-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2036-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2037-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2037-04-04T15:59:59Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2037-04-04T16:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2037-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2037-10-03T15:59:59Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2037-10-03T16:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2038-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2038-04-03T15:59:59Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2038-04-03T16:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2038-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2038-10-02T15:59:59Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2038-10-02T16:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2039-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2039-04-02T15:59:59Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2039-04-02T16:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2039-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2039-10-01T15:59:59Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2039-10-01T16:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2040-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2040-03-31T15:59:59Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2040-03-31T16:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2040-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2040-10-06T15:59:59Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2040-10-06T16:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2041-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2041-04-06T15:59:59Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2041-04-06T16:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2041-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2041-10-05T15:59:59Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2041-10-05T16:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2042-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2042-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2043-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2043-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2044-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2044-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2045-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2045-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2046-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2046-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2047-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2047-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2048-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2048-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2049-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2049-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2050-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2050-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2051-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2051-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2052-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2052-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2053-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2053-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2054-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2054-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2055-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2055-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2056-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2056-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2057-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2057-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2058-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2058-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2059-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2059-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2060-01-15T12:00:00Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2060-04-03T15:59:59Z", 39600, 1, "AEDT" },
	{ "Australia/Sydney", "2060-04-03T16:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2060-07-15T12:00:00Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2060-10-02T15:59:59Z", 36000, 0, "AEST" },
	{ "Australia/Sydney", "2060-10-02T16:00:00Z", 39600, 1, "AEDT" },
	/* Australia/Lord_Howe */
	{ "Australia/Lord_Howe", "2030-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2030-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2031-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2031-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2032-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2032-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2033-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2033-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2034-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2034-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2035-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2035-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2036-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2036-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2037-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2037-04-04T14:59:59Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2037-04-04T15:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2037-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2037-10-03T15:29:59Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2037-10-03T15:30:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2038-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2038-04-03T14:59:59Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2038-04-03T15:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2038-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2038-10-02T15:29:59Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2038-10-02T15:30:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2039-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2039-04-02T14:59:59Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2039-04-02T15:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2039-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2039-10-01T15:29:59Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2039-10-01T15:30:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2040-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2040-03-31T14:59:59Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2040-03-31T15:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2040-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2040-10-06T15:29:59Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2040-10-06T15:30:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2041-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2041-04-06T14:59:59Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2041-04-06T15:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2041-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2041-10-05T15:29:59Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2041-10-05T15:30:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2042-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2042-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2043-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2043-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2044-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2044-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2045-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2045-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2046-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2046-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2047-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2047-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2048-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2048-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2049-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2049-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2050-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2050-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2051-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2051-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2052-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2052-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2053-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2053-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2054-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2054-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2055-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2055-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2056-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2056-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2057-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2057-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2058-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2058-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2059-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2059-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2060-01-15T12:00:00Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2060-04-03T14:59:59Z", 39600, 1, "+11" },
	{ "Australia/Lord_Howe", "2060-04-03T15:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2060-07-15T12:00:00Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2060-10-02T15:29:59Z", 37800, 0, "+1030" },
	{ "Australia/Lord_Howe", "2060-10-02T15:30:00Z", 39600, 1, "+11" },
	/* America/Santiago */
	{ "America/Santiago", "2030-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2030-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2031-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2031-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2032-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2032-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2033-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2033-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2034-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2034-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2035-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2035-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2036-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2036-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2037-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2037-04-05T02:59:59Z", -10800, 1, "-03" },
	{ "America/Santiago", "2037-04-05T03:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2037-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2037-09-06T03:59:59Z", -14400, 0, "-04" },
	{ "America/Santiago", "2037-09-06T04:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2038-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2038-04-04T02:59:59Z", -10800, 1, "-03" },
	{ "America/Santiago", "2038-04-04T03:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2038-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2038-09-05T03:59:59Z", -14400, 0, "-04" },
	{ "America/Santiago", "2038-09-05T04:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2039-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2039-04-03T02:59:59Z", -10800, 1, "-03" },
	{ "America/Santiago", "2039-04-03T03:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2039-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2039-09-04T03:59:59Z", -14400, 0, "-04" },
	{ "America/Santiago", "2039-09-04T04:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2040-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2040-04-08T02:59:59Z", -10800, 1, "-03" },
	{ "America/Santiago", "2040-04-08T03:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2040-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2040-09-02T03:59:59Z", -14400, 0, "-04" },
	{ "America/Santiago", "2040-09-02T04:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2041-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2041-04-07T02:59:59Z", -10800, 1, "-03" },
	{ "America/Santiago", "2041-04-07T03:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2041-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2041-09-08T03:59:59Z", -14400, 0, "-04" },
	{ "America/Santiago", "2041-09-08T04:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2042-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2042-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2043-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2043-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2044-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2044-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2045-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2045-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2046-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2046-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2047-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2047-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2048-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2048-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2049-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2049-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2050-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2050-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2051-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2051-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2052-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2052-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2053-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2053-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2054-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2054-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2055-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2055-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2056-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2056-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2057-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2057-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2058-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2058-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2059-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2059-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2060-01-15T12:00:00Z", -10800, 1, "-03" },
	{ "America/Santiago", "2060-04-04T02:59:59Z", -10800, 1, "-03" },
	{ "America/Santiago", "2060-04-04T03:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2060-07-15T12:00:00Z", -14400, 0, "-04" },
	{ "America/Santiago", "2060-09-05T03:59:59Z", -14400, 0, "-04" },
	{ "America/Santiago", "2060-09-05T04:00:00Z", -10800, 1, "-03" },
	/* Asia/Kolkata */
	{ "Asia/Kolkata", "2030-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2030-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2031-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2031-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2032-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2032-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2033-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2033-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2034-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2034-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2035-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2035-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2036-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2036-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2037-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2037-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2038-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2038-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2039-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2039-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2040-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2040-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2041-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2041-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2042-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2042-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2043-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2043-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2044-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2044-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2045-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2045-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2046-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2046-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2047-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2047-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2048-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2048-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2049-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2049-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2050-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2050-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2051-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2051-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2052-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2052-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2053-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2053-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2054-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2054-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2055-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2055-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2056-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2056-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2057-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2057-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2058-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2058-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2059-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2059-07-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2060-01-15T12:00:00Z", 19800, 0, "IST" },
	{ "Asia/Kolkata", "2060-07-15T12:00:00Z", 19800, 0, "IST" },
	/* Africa/Casablanca */
	{ "Africa/Casablanca", "2030-01-15T12:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2030-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2031-01-15T12:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2031-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2032-01-15T12:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2032-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2033-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2033-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2034-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2034-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2035-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2035-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2036-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2036-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2037-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2037-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2037-10-04T01:59:59Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2037-10-04T02:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2037-11-15T01:59:59Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2037-11-15T02:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2038-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2038-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2038-09-26T01:59:59Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2038-09-26T02:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2038-10-31T01:59:59Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2038-10-31T02:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2039-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2039-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2039-09-18T01:59:59Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2039-09-18T02:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2039-10-23T01:59:59Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2039-10-23T02:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2040-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2040-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2040-09-02T01:59:59Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2040-09-02T02:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2040-10-14T01:59:59Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2040-10-14T02:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2041-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2041-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2041-08-25T01:59:59Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2041-08-25T02:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2041-09-29T01:59:59Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2041-09-29T02:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2042-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2042-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2043-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2043-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2044-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2044-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2045-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2045-07-15T12:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2046-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2046-07-15T12:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2047-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2047-07-15T12:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2048-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2048-07-15T12:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2049-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2049-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2050-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2050-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2051-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2051-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2052-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2052-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2053-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2053-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2054-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2054-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2055-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2055-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2056-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2056-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2057-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2057-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2058-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2058-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2059-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2059-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2060-01-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2060-02-01T01:59:59Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2060-02-01T02:00:00Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2060-03-07T01:59:59Z", 0, 1, "+00" },
	{ "Africa/Casablanca", "2060-03-07T02:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2060-07-15T12:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2090-04-01T00:00:00Z", 3600, 0, "+01" },
	{ "Africa/Casablanca", "2090-10-01T00:00:00Z", 3600, 0, "+01" },
	/* Pacific/Chatham */
	{ "Pacific/Chatham", "2030-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2030-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2031-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2031-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2032-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2032-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2033-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2033-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2034-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2034-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2035-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2035-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2036-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2036-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2037-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2037-04-04T13:59:59Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2037-04-04T14:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2037-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2037-09-26T13:59:59Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2037-09-26T14:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2038-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2038-04-03T13:59:59Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2038-04-03T14:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2038-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2038-09-25T13:59:59Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2038-09-25T14:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2039-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2039-04-02T13:59:59Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2039-04-02T14:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2039-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2039-09-24T13:59:59Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2039-09-24T14:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2040-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2040-03-31T13:59:59Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2040-03-31T14:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2040-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2040-09-29T13:59:59Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2040-09-29T14:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2041-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2041-04-06T13:59:59Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2041-04-06T14:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2041-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2041-09-28T13:59:59Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2041-09-28T14:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2042-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2042-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2043-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2043-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2044-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2044-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2045-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2045-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2046-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2046-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2047-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2047-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2048-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2048-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2049-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2049-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2050-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2050-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2051-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2051-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2052-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2052-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2053-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2053-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2054-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2054-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2055-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2055-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2056-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2056-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2057-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2057-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2058-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2058-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2059-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2059-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2060-01-15T12:00:00Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2060-04-03T13:59:59Z", 49500, 1, "+1345" },
	{ "Pacific/Chatham", "2060-04-03T14:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2060-07-15T12:00:00Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2060-09-25T13:59:59Z", 45900, 0, "+1245" },
	{ "Pacific/Chatham", "2060-09-25T14:00:00Z", 49500, 1, "+1345" },
};

/* Each row through tzif_zone, and through tzif_load then tzif_lookup with its DST flag. */
START_TEST(test_future)
{
	unsigned char	*d = NULL;
	size_t		 n = 0;
	char		 abbr[16], err[128];
	int64_t		 t = check_utc(futures[_i].when);
	long		 off = -1;
	int		 dst = -1;

	ck_assert_msg(tzif_zone(futures[_i].zone, t, &off, abbr, sizeof(abbr), err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_msg(off == futures[_i].off && strcmp(abbr, futures[_i].abbr) == 0,
	    "%s at %s: %ld %s, not %ld %s", futures[_i].zone, futures[_i].when, off, abbr,
	    futures[_i].off, futures[_i].abbr);
	ck_assert_msg(tzif_load(futures[_i].zone, &d, &n, err, sizeof(err)) == 0, "%s", err);
	off = -1;
	ck_assert_int_eq(tzif_lookup(d, n, t, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_int_eq(off, futures[_i].off);
	ck_assert_msg(dst == futures[_i].dst, "%s at %s: isdst %d", futures[_i].zone,
	    futures[_i].when, dst);
	ck_assert_str_eq(abbr, futures[_i].abbr);
	free(d);
}
END_TEST

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

#define ZONE_BUF	1024

/*
 * Builds in "buf" (ZONE_BUF bytes) a TZif version 2 file of two types, LMT (+00:01:40)
 * and AAA (UTC), with one transition to AAA at "when" when "ntime" is 1 (none when 0), in
 * both blocks, then the "len" bytes of "tail" (a footer is "\n" TZ "\n"). Returns its
 * length.
 */
static size_t
mkzone(unsigned char *buf, int ntime, int64_t when, const char *tail, size_t len)
{
	static const unsigned char	 types[] = { 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 4 };
	size_t				 n = 0;
	int				 wide;

	ck_assert_uint_le(len, ZONE_BUF - 200);
	for (wide = 0; wide < 2; wide++) {
		memset(buf + n, 0, 44);
		memcpy(buf + n, "TZif2", 5);
		put32(buf + n + 32, (uint32_t)ntime);
		put32(buf + n + 36, 2);
		put32(buf + n + 40, 8);
		n += 44;
		if (ntime == 1) {
			if (wide) {
				put32(buf + n, (uint32_t)((uint64_t)when >> 32));
				n += 4;
			}
			put32(buf + n, (uint32_t)when);
			n += 4;
			buf[n++] = 1;
		}
		memcpy(buf + n, types, sizeof(types));
		n += sizeof(types);
		memcpy(buf + n, "LMT\0AAA\0", 8);
		n += 8;
	}
	memcpy(buf + n, tail, len);
	return n + len;
}

/* A zone of mkzone without transitions, "tz" its footer. Returns its length. */
static size_t
mkfooter(unsigned char *buf, const char *tz)
{
	char	 tail[512];
	int	 len = snprintf(tail, sizeof(tail), "\n%s\n", tz);

	ck_assert(len > 0 && (size_t)len < sizeof(tail));
	return mkzone(buf, 0, 0, tail, (size_t)len);
}

/*
 * Footers of every form, in files without transitions (so the footer rules at every
 * instant): standard time only, M dates (week 5: the last), J and zero-based n days in a
 * leap and a common year, times of day negative or beyond 24 hours, offsets and times with
 * minutes and seconds, quoted names, daylight time behind standard time (Dublin). Read
 * from `zdump -v -c 2040,2042 'TZ'` (glibc's reading of the same TZ string; Python's
 * zoneinfo counts the n days one too few), one second before and at each change.
 */
static const struct {
	const char	*tz;
	struct {
		const char	*when;
		long		 off;
		int		 dst;
		const char	*abbr;
	} at[8];
} rules[] = {
	{ "CET-1CEST,M3.5.0,M10.5.0/3", {
	    { "2040-03-25T00:59:59Z", 3600, 0, "CET" },
	    { "2040-03-25T01:00:00Z", 7200, 1, "CEST" },
	    { "2040-10-28T00:59:59Z", 7200, 1, "CEST" },
	    { "2040-10-28T01:00:00Z", 3600, 0, "CET" },
	    { "2041-03-31T00:59:59Z", 3600, 0, "CET" },
	    { "2041-03-31T01:00:00Z", 7200, 1, "CEST" },
	    { "2041-10-27T00:59:59Z", 7200, 1, "CEST" },
	    { "2041-10-27T01:00:00Z", 3600, 0, "CET" },
	} },
	{ "EST5EDT,M3.2.0,M11.1.0", {
	    { "2041-03-10T06:59:59Z", -18000, 0, "EST" },
	    { "2041-03-10T07:00:00Z", -14400, 1, "EDT" },
	    { "2041-11-03T05:59:59Z", -14400, 1, "EDT" },
	    { "2041-11-03T06:00:00Z", -18000, 0, "EST" },
	} },
	{ "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", {
	    { "2041-04-06T14:59:59Z", 39600, 1, "+11" },
	    { "2041-04-06T15:00:00Z", 37800, 0, "+1030" },
	    { "2041-10-05T15:29:59Z", 37800, 0, "+1030" },
	    { "2041-10-05T15:30:00Z", 39600, 1, "+11" },
	} },
	{ "<-03>3", {
	    { "2041-06-01T00:00:00Z", -10800, 0, "-03" },
	} },
	{ "IST-5:30", {
	    { "2041-06-01T00:00:00Z", 19800, 0, "IST" },
	} },
	{ "XST3XDT,J60/2,J300/2", {
	    { "2040-03-01T04:59:59Z", -10800, 0, "XST" },
	    { "2040-03-01T05:00:00Z", -7200, 1, "XDT" },
	    { "2040-10-27T03:59:59Z", -7200, 1, "XDT" },
	    { "2040-10-27T04:00:00Z", -10800, 0, "XST" },
	    { "2041-03-01T04:59:59Z", -10800, 0, "XST" },
	    { "2041-03-01T05:00:00Z", -7200, 1, "XDT" },
	    { "2041-10-27T03:59:59Z", -7200, 1, "XDT" },
	    { "2041-10-27T04:00:00Z", -10800, 0, "XST" },
	} },
	{ "XST3XDT,59/2,300/2", {
	    { "2040-02-29T04:59:59Z", -10800, 0, "XST" },
	    { "2040-02-29T05:00:00Z", -7200, 1, "XDT" },
	    { "2040-10-27T03:59:59Z", -7200, 1, "XDT" },
	    { "2040-10-27T04:00:00Z", -10800, 0, "XST" },
	    { "2041-03-01T04:59:59Z", -10800, 0, "XST" },
	    { "2041-03-01T05:00:00Z", -7200, 1, "XDT" },
	    { "2041-10-28T03:59:59Z", -7200, 1, "XDT" },
	    { "2041-10-28T04:00:00Z", -10800, 0, "XST" },
	} },
	{ "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", {
	    { "2041-03-31T00:59:59Z", -7200, 0, "-02" },
	    { "2041-03-31T01:00:00Z", -3600, 1, "-01" },
	    { "2041-10-27T00:59:59Z", -3600, 1, "-01" },
	    { "2041-10-27T01:00:00Z", -7200, 0, "-02" },
	} },
	{ "IST-2IDT,M3.4.4/26,M10.5.0", {
	    { "2041-03-28T23:59:59Z", 7200, 0, "IST" },
	    { "2041-03-29T00:00:00Z", 10800, 1, "IDT" },
	    { "2041-10-26T22:59:59Z", 10800, 1, "IDT" },
	    { "2041-10-26T23:00:00Z", 7200, 0, "IST" },
	} },
	{ "EET-2EEST,M3.4.4/50,M10.4.4/50", {
	    { "2041-03-29T23:59:59Z", 7200, 0, "EET" },
	    { "2041-03-30T00:00:00Z", 10800, 1, "EEST" },
	    { "2041-10-25T22:59:59Z", 10800, 1, "EEST" },
	    { "2041-10-25T23:00:00Z", 7200, 0, "EET" },
	} },
	{ "<-04>4<-03>,M9.1.6/24,M4.1.6/24", {
	    { "2041-04-07T02:59:59Z", -10800, 1, "-03" },
	    { "2041-04-07T03:00:00Z", -14400, 0, "-04" },
	    { "2041-09-08T03:59:59Z", -14400, 0, "-04" },
	    { "2041-09-08T04:00:00Z", -10800, 1, "-03" },
	} },
	{ "IST-1GMT0,M10.5.0,M3.5.0/1", {
	    { "2041-03-31T00:59:59Z", 0, 1, "GMT" },
	    { "2041-03-31T01:00:00Z", 3600, 0, "IST" },
	    { "2041-10-27T00:59:59Z", 3600, 0, "IST" },
	    { "2041-10-27T01:00:00Z", 0, 1, "GMT" },
	} },
	{ "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", {
	    { "2041-04-06T13:59:59Z", 49500, 1, "+1345" },
	    { "2041-04-06T14:00:00Z", 45900, 0, "+1245" },
	    { "2041-09-28T13:59:59Z", 45900, 0, "+1245" },
	    { "2041-09-28T14:00:00Z", 49500, 1, "+1345" },
	} },
	{ "<+0019>-0:19:32<+0120>-1:20,M5.1.0/-1:30:15,M9.3.6/167", {
	    { "2041-05-04T22:10:12Z", 1172, 0, "+0019" },
	    { "2041-05-04T22:10:13Z", 4800, 1, "+0120" },
	    { "2041-09-27T21:39:59Z", 4800, 1, "+0120" },
	    { "2041-09-27T21:40:00Z", 1172, 0, "+0019" },
	} },
	{ "ABC+3DEF+2,M3.5.5/-167,J1/0", {
	    { "2041-01-01T01:59:59Z", -7200, 1, "DEF" },
	    { "2041-01-01T02:00:00Z", -10800, 0, "ABC" },
	    { "2041-03-22T03:59:59Z", -10800, 0, "ABC" },
	    { "2041-03-22T04:00:00Z", -7200, 1, "DEF" },
	} },
	{ "XST3XDT,M2.5.3,M11.5.3", {
	    { "2040-02-29T04:59:59Z", -10800, 0, "XST" },
	    { "2040-02-29T05:00:00Z", -7200, 1, "XDT" },
	    { "2040-11-28T03:59:59Z", -7200, 1, "XDT" },
	    { "2040-11-28T04:00:00Z", -10800, 0, "XST" },
	    { "2041-02-27T04:59:59Z", -10800, 0, "XST" },
	    { "2041-02-27T05:00:00Z", -7200, 1, "XDT" },
	    { "2041-11-27T03:59:59Z", -7200, 1, "XDT" },
	    { "2041-11-27T04:00:00Z", -10800, 0, "XST" },
	} },
	/* Not from zdump: glibc takes the changes of the instant's UTC year only, so it
	 * misses those that fall in the next year. By RFC 8536: daylight time all year
	 * (3.3.1's example), day 365 of a common year (January 1 of the next), and a change
	 * at December 31 24:00 (an hour of standard time each New Year). */
	{ "EST5EDT4,0/0,J365/25", {
	    { "2039-12-31T23:59:59Z", -14400, 1, "EDT" },
	    { "2040-01-01T04:59:59Z", -14400, 1, "EDT" },
	    { "2040-01-01T05:00:00Z", -14400, 1, "EDT" },
	    { "2040-07-01T00:00:00Z", -14400, 1, "EDT" },
	    { "2040-12-31T23:59:59Z", -14400, 1, "EDT" },
	    { "2041-01-01T05:00:00Z", -14400, 1, "EDT" },
	} },
	{ "XST3XDT,100,365", {
	    { "2040-04-10T04:59:59Z", -10800, 0, "XST" },
	    { "2040-04-10T05:00:00Z", -7200, 1, "XDT" },
	    { "2040-12-31T03:59:59Z", -7200, 1, "XDT" },
	    { "2040-12-31T04:00:00Z", -10800, 0, "XST" },
	    { "2041-04-11T05:00:00Z", -7200, 1, "XDT" },
	    { "2042-01-01T03:59:59Z", -7200, 1, "XDT" },
	    { "2042-01-01T04:00:00Z", -10800, 0, "XST" },
	} },
	{ "XST3XDT,J1/0,J365/24", {
	    { "2040-01-01T01:59:59Z", -7200, 1, "XDT" },
	    { "2040-01-01T02:00:00Z", -10800, 0, "XST" },
	    { "2040-01-01T02:59:59Z", -10800, 0, "XST" },
	    { "2040-01-01T03:00:00Z", -7200, 1, "XDT" },
	    { "2041-12-31T23:59:59Z", -7200, 1, "XDT" },
	    { "2042-01-01T01:59:59Z", -7200, 1, "XDT" },
	    { "2042-01-01T02:00:00Z", -10800, 0, "XST" },
	} },
};

START_TEST(test_footer)
{
	static unsigned char	 d[ZONE_BUF];
	size_t			 n = mkfooter(d, rules[_i].tz), k;
	char			 abbr[16];
	long			 off;
	int			 dst;

	ck_assert_msg(tzif_check(d, n) == 0, "%s refused", rules[_i].tz);
	for (k = 0; k < NITEMS(rules[_i].at) && rules[_i].at[k].when != NULL; k++) {
		ck_assert_int_eq(tzif_lookup(d, n, check_utc(rules[_i].at[k].when), &off, &dst, abbr,
		    sizeof(abbr)), 0);
		ck_assert_msg(off == rules[_i].at[k].off && dst == rules[_i].at[k].dst &&
		    strcmp(abbr, rules[_i].at[k].abbr) == 0,
		    "%s at %s: %ld %d %s, not %ld %d %s", rules[_i].tz, rules[_i].at[k].when, off,
		    dst, abbr, rules[_i].at[k].off, rules[_i].at[k].dst, rules[_i].at[k].abbr);
	}
}
END_TEST

#define TAIL(s)	{ s, sizeof(s) - 1 }

/* Malformed footers: the file is refused, and lookups that need the footer fail. */
static const struct { const char *tail; size_t len; } bad_footers[] = {
	TAIL("\nCET\n"), TAIL("\nCET-1CEST\n"), TAIL("\nCET-1CEST,M3.5.0\n"),
	TAIL("\nCET-1CEST,M3.5.0,M10.5.0,M1.1.0\n"), TAIL("\nCET-1,M3.5.0,M10.5.0\n"),
	TAIL("\nCET-1CEST,M13.5.0,M10.5.0\n"), TAIL("\nCET-1CEST,M0.5.0,M10.5.0\n"),
	TAIL("\nCET-1CEST,M3.6.0,M10.5.0\n"), TAIL("\nCET-1CEST,M3.0.0,M10.5.0\n"),
	TAIL("\nCET-1CEST,M3.5.7,M10.5.0\n"), TAIL("\nCET-1CEST,M3.5,M10.5.0\n"),
	TAIL("\nCET-1CEST,M3.5.0/,M10.5.0\n"), TAIL("\nCET-1CEST,M003.5.0,M10.5.0\n"),
	TAIL("\nCET-1CEST,,M10.5.0\n"), TAIL("\nCET-1CEST,M3.5.0,\n"),
	TAIL("\nXST3XDT,J0,J300\n"), TAIL("\nXST3XDT,J366,J300\n"), TAIL("\nXST3XDT,366,300\n"),
	TAIL("\nXST3XDT,J60/168,J300\n"), TAIL("\nXST3XDT,J60/-168,J300\n"),
	TAIL("\nXST3XDT,J60/2:60,J300\n"), TAIL("\nXST3XDT,J60/2:5,J300\n"),
	TAIL("\nXST3XDT,J60/0002,J300\n"), TAIL("\nXST3XDT,J60/+-2,J300\n"),
	TAIL("\nXST3XDT,K60,J300\n"), TAIL("\nCE-1\n"), TAIL("\n<AB>-1\n"), TAIL("\n<A B>-1\n"),
	TAIL("\n<ABC-1\n"), TAIL("\n<>-1\n"), TAIL("\nA1B-1\n"), TAIL("\nCET25\n"),
	TAIL("\nCET-24:60\n"), TAIL("\nCET-1:2\n"), TAIL("\nCET-1:00:\n"), TAIL("\nCET-1 \n"),
	TAIL("\n CET-1\n"), TAIL("\nCET-1\r\n"), TAIL("\nC\xc3\xa9T-1\n"), TAIL("\nCET-\n"),
	TAIL("\nCET-1\0\n"), TAIL("\nCET-1CEST-2-3,M3.5.0,M10.5.0\n"),
	TAIL("\n<+01>-24:59:59<+02>,M3.5.0,M10.5.0\n"),	/* daylight time a day ahead */
	TAIL("\n<AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA>-1\n"),	/* 32 bytes */
	TAIL("\nCET-1"), TAIL("\n"), TAIL("CET-1\n"), TAIL("x"), TAIL("\0"),
};

START_TEST(test_footer_bad)
{
	static unsigned char	 d[ZONE_BUF];
	size_t			 n = mkzone(d, 0, 0, bad_footers[_i].tail, bad_footers[_i].len);
	char			 abbr[16];
	long			 off;
	int			 dst;

	ck_assert_msg(tzif_check(d, n) == -1, "footer %zu accepted", (size_t)_i);
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, abbr, sizeof(abbr)), -1);
	/* With a transition, times up to it do not need the footer. */
	n = mkzone(d, 1, 2000000000, bad_footers[_i].tail, bad_footers[_i].len);
	ck_assert_int_eq(tzif_check(d, n), -1);
	ck_assert_int_eq(tzif_lookup(d, n, 2000000000, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_int_eq(tzif_lookup(d, n, 2000000001, &off, &dst, abbr, sizeof(abbr)), -1);
}
END_TEST

/*
 * Files without a usable footer (none, or an empty TZ string) keep the last type; a footer
 * rules only after the last transition; bytes after the footer are ignored; a TZ string
 * longer than any rule is refused; names of 31 bytes are accepted and abbreviations cut to
 * the caller's buffer.
 */
START_TEST(test_footer_edges)
{
	static unsigned char	 d[ZONE_BUF];
	static const char	 name31[] = "\n<AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA>-1\n";
	char			 abbr[16], tail[400];
	size_t			 n;
	long			 off;
	int			 dst;

	n = mkzone(d, 0, 0, "", 0);
	ck_assert_int_eq(tzif_check(d, n), 0);
	ck_assert_int_eq(tzif_lookup(d, n, 2200000000, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_int_eq(off, 100);
	ck_assert_str_eq(abbr, "LMT");
	n = mkzone(d, 1, 2000000000, "\n\n", 2);
	ck_assert_int_eq(tzif_check(d, n), 0);
	ck_assert_int_eq(tzif_lookup(d, n, INT64_MAX, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_int_eq(off, 0);
	ck_assert_str_eq(abbr, "AAA");

	n = mkzone(d, 1, 2000000000, "\n<+05>-5\n", 9);
	ck_assert_int_eq(tzif_check(d, n), 0);
	ck_assert_int_eq(tzif_lookup(d, n, 1999999999, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_str_eq(abbr, "LMT");
	ck_assert_int_eq(tzif_lookup(d, n, 2000000000, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_str_eq(abbr, "AAA");
	ck_assert_int_eq(tzif_lookup(d, n, 2000000001, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_int_eq(off, 18000);
	ck_assert_int_eq(dst, 0);
	ck_assert_str_eq(abbr, "+05");

	n = mkzone(d, 0, 0, "\nCET-1\nJUNK", 11);
	ck_assert_int_eq(tzif_check(d, n), 0);
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_str_eq(abbr, "CET");

	memset(tail, 'A', sizeof(tail));
	tail[0] = '\n';
	memcpy(tail + 300, "-1\n", 3);
	ck_assert_int_eq(tzif_check(d, mkzone(d, 0, 0, tail, 303)), -1);

	n = mkzone(d, 0, 0, name31, sizeof(name31) - 1);
	ck_assert_int_eq(tzif_check(d, n), 0);
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_str_eq(abbr, "AAAAAAAAAAAAAAA");	/* cut to 15 bytes and the NUL */
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, NULL, 0), 0);
	ck_assert_int_eq(off, 3600);
}
END_TEST

/*
 * The whole range of int64_t: a rule's year is found for any instant (INT64_MAX is
 * 292277026596-12-04T15:30:07Z, INT64_MIN -292277022657-01-27T08:29:52Z: southern summer
 * both), and the rule repeats every 400 years.
 */
START_TEST(test_footer_range)
{
	static unsigned char	 d[ZONE_BUF];
	static const int64_t	 cycle = 146097LL * 86400;
	size_t			 n = mkfooter(d, "AEST-10AEDT,M10.1.0,M4.1.0/3"), i;
	char			 abbr[16], abbr2[16];
	int64_t			 t;
	long			 off, off2;
	int			 dst, dst2;

	ck_assert_int_eq(tzif_lookup(d, n, INT64_MAX, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_str_eq(abbr, "AEDT");
	ck_assert_int_eq(tzif_lookup(d, n, INT64_MIN, &off, &dst, abbr, sizeof(abbr)), 0);
	ck_assert_str_eq(abbr, "AEDT");
	ck_assert_int_eq(off, 39600);
	ck_assert_int_eq(tzif_lookup(d, n, check_utc("2040-03-31T15:59:59Z"), &off, &dst, abbr,
	    sizeof(abbr)), 0);
	ck_assert_str_eq(abbr, "AEDT");
	for (i = 0; i < 2000; i++) {
		t = check_utc("2040-01-01T00:00:00Z") + (int64_t)i * 15787 * 13;
		ck_assert_int_eq(tzif_lookup(d, n, t, &off, &dst, abbr, sizeof(abbr)), 0);
		ck_assert_int_eq(tzif_lookup(d, n, t + 7 * cycle, &off2, &dst2, abbr2,
		    sizeof(abbr2)), 0);
		ck_assert(off == off2 && dst == dst2 && strcmp(abbr, abbr2) == 0);
		ck_assert_int_eq(tzif_lookup(d, n, t - 9 * cycle, &off2, &dst2, abbr2,
		    sizeof(abbr2)), 0);
		ck_assert(off == off2 && dst == dst2 && strcmp(abbr, abbr2) == 0);
	}
}
END_TEST

#else			/* TZIF_DIR: a folder that does not exist */
/* UTC and Etc/UTC still load, for lookups, the tool and cron; every other name is unknown. */
START_TEST(test_nodir)
{
	static const char *const utc[] = { "UTC", "Etc/UTC" };
	struct cron	 c;
	unsigned char	*d;
	size_t		 n, i;
	char		 abbr[16], err[128];
	long		 off;
	int64_t		 next;

	for (i = 0; i < NITEMS(utc); i++) {
		ck_assert_msg(tzif_zone(utc[i], 1721037600, &off, abbr, sizeof(abbr), err,
		    sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(off, 0);
		ck_assert_str_eq(abbr, "UTC");
		ck_assert_int_eq(tzif_load(utc[i], &d, &n, err, sizeof(err)), 0);
		ck_assert_int_eq(tzif_check(d, n), 0);
		free(d);
		ck_assert_int_eq(cron_zone_check(utc[i]), 0);
		ck_assert_int_eq(cron_parse("0 9 * * *", &c, NULL, 0), 0);
		ck_assert_int_eq(cron_next(&c, utc[i], 1767225600, &next), 0);
		ck_assert_int_eq(next, 1767225600 + 9 * 3600);		/* 2026-01-01T09:00Z */
	}
	ck_assert_int_eq(tzif_zone("Europe/Paris", 0, &off, abbr, sizeof(abbr), err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown time zone \"Europe/Paris\"");
	ck_assert_int_eq(cron_zone_check("Europe/Paris"), -1);
	ck_assert_int_eq(cron_next(&c, "Europe/Paris", 1767225600, &next), -1);
}
END_TEST

#endif

static json_object *
run(const char *args, enum tool_rc want)
{
	struct tool_call t;
	json_object	*res = NULL;
	char		 err[128] = "";

	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(jsonh_parse(args, strlen(args), &t.args, err, sizeof(err)), 0);
	ck_assert_int_eq(tool_impls[TOOL_CURRENT_TIME]->run(&t, &res, err, sizeof(err)),
	    want);
	if (want == TOOL_ERROR)
		ck_assert(err[0] != '\0');
	json_object_put(t.args);
	return res;
}

START_TEST(test_tool)
{
	json_object	*r;
	const char	*iso;

	r = run("{}", TOOL_OK);
	iso = jsonh_get_string(r, "iso");
	ck_assert_uint_eq(strlen(iso), 20);
	ck_assert_int_eq(iso[19], 'Z');
	ck_assert_str_eq(jsonh_get_string(r, "timezone"), "UTC");
	ck_assert(json_object_get_int64(json_object_object_get(r, "unix")) > 1700000000);
	json_object_put(r);
	r = run("{\"timezone\":\"Etc/UTC\"}", TOOL_OK);
	ck_assert_str_eq(jsonh_get_string(r, "utc_offset"), "+00:00");
	ck_assert_str_eq(jsonh_get_string(r, "abbreviation"), "UTC");
	json_object_put(r);
#ifndef TZIF_DIR
	r = run("{\"timezone\":\"Asia/Tokyo\"}", TOOL_OK);
	ck_assert_str_eq(jsonh_get_string(r, "utc_offset"), "+09:00");
	ck_assert_str_eq(jsonh_get_string(r, "iso") + 19, "+09:00");
	json_object_put(r);
#else
	ck_assert_ptr_null(run("{\"timezone\":\"Asia/Tokyo\"}", TOOL_ERROR));
#endif
	ck_assert_ptr_null(run("{\"timezone\":\"Mars/Olympus\"}", TOOL_ERROR));
	ck_assert_ptr_null(run("{\"timezone\":42}", TOOL_ERROR));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("current_time");
	TCase	*tc = tcase_create("tzif");

#ifndef TZIF_DIR
	tcase_add_loop_test(tc, test_zone, 0, NITEMS(zones));
	tcase_add_loop_test(tc, test_bad_name, 0, NITEMS(bad_names));
	tcase_add_test(tc, test_load_utc);
	tcase_add_test(tc, test_malformed);
	tcase_add_loop_test(tc, test_future, 0, NITEMS(futures));
	tcase_add_loop_test(tc, test_footer, 0, NITEMS(rules));
	tcase_add_loop_test(tc, test_footer_bad, 0, NITEMS(bad_footers));
	tcase_add_test(tc, test_footer_edges);
	tcase_add_test(tc, test_footer_range);
#else
	tcase_add_test(tc, test_nodir);
#endif
	suite_add_tcase(s, tc);
	tc = tcase_create("tool_current_time_run");
	tcase_add_test(tc, test_tool);
	suite_add_tcase(s, tc);
	return check_run(s);
}
