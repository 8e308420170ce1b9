/* check_current_time.c: unit tests of the current_time tool (jobd/tools/current_time.c) and
 * of the TZif reader it uses (shared/tzif.c): offsets across DST, zone-name validation (no
 * path tricks), zones loaded once for many lookups, malformed zone data. Built a second time
 * as check_current_time_nodir with TZIF_DIR a folder that does not exist: there only the
 * built-in UTC is tested. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
#else
	tcase_add_test(tc, test_nodir);
#endif
	suite_add_tcase(s, tc);
	tc = tcase_create("tool_current_time_run");
	tcase_add_test(tc, test_tool);
	suite_add_tcase(s, tc);
	return check_run(s);
}
