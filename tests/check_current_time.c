/* check_current_time.c: unit tests of the current_time tool (jobd/tools/current_time.c) and
 * of the TZif reader it uses (jobd/tools/tzif.c): offsets across DST, zone-name validation
 * (no path tricks) and malformed zone data. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "jsonh.h"
#include "nitems.h"
#include "tools/tool.h"
#include "tools/tzif.h"

static const struct { const char *zone; int64_t t; long off; const char *abbr; } zones[] = {
	{ "Europe/Paris", 1705312800, 3600, "CET" },		/* 2024-01-15 */
	{ "Europe/Paris", 1721037600, 7200, "CEST" },		/* 2024-07-15 */
	{ "America/New_York", 1705312800, -18000, "EST" },
	{ "America/New_York", 1721037600, -14400, "EDT" },
	{ "Asia/Kolkata", 1721037600, 19800, "IST" },
	{ "UTC", 1721037600, 0, "UTC" },
	{ "Europe/Paris", -5000000000LL, 561, "LMT" },		/* before the first transition */
};

START_TEST(test_zone)
{
	char	 abbr[16], err[128];
	long	 off = -1;

	ck_assert_msg(tzif_zone(zones[_i].zone, zones[_i].t, &off, abbr, sizeof(abbr), err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(off, zones[_i].off);
	ck_assert_str_eq(abbr, zones[_i].abbr);
}
END_TEST

static const char *const bad_names[] = {
	"../../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "Europe", "Nope/Zone",
	"Europe//Paris", "Europe/Paris/", "", "Europe/Paris\n", "zone.tab", "a b",
};

START_TEST(test_bad_name)
{
	char	 abbr[16], err[128] = "";
	long	 off;

	ck_assert_int_eq(tzif_zone(bad_names[_i], 0, &off, abbr, sizeof(abbr), err,
	    sizeof(err)), -1);
	ck_assert(err[0] != '\0');
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

/* Every truncation of a real file and a few corruptions are refused or read safely. */
START_TEST(test_malformed)
{
	static unsigned char	 d[8192];
	size_t			 n = slurp("/usr/share/zoneinfo/Europe/Paris", d, sizeof(d)), k;
	char			 abbr[16];
	long			 off;
	int			 dst;

	ck_assert_int_eq(tzif_lookup(d, n, 1705312800, &off, &dst, abbr, sizeof(abbr)), 0);
	for (k = 0; k < 44 + 100; k++)
		ck_assert_int_eq(tzif_lookup(d, k, 1705312800, &off, &dst, abbr, sizeof(abbr)),
		    -1);
	for (k = 44; k < n; k += 7)
		(void)tzif_lookup(d, k, 1705312800, &off, &dst, abbr, sizeof(abbr));
	d[0] = 'X';
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, abbr, sizeof(abbr)), -1);
	d[0] = 'T';
	d[36] = d[37] = 0xff;		/* typecnt huge */
	ck_assert_int_eq(tzif_lookup(d, n, 0, &off, &dst, abbr, sizeof(abbr)), -1);
}
END_TEST

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
	r = run("{\"timezone\":\"Asia/Tokyo\"}", TOOL_OK);
	ck_assert_str_eq(jsonh_get_string(r, "utc_offset"), "+09:00");
	ck_assert_str_eq(jsonh_get_string(r, "iso") + 19, "+09:00");
	json_object_put(r);
	ck_assert_ptr_null(run("{\"timezone\":\"Mars/Olympus\"}", TOOL_ERROR));
	ck_assert_ptr_null(run("{\"timezone\":42}", TOOL_ERROR));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("current_time");
	TCase	*tc = tcase_create("tzif");

	tcase_add_loop_test(tc, test_zone, 0, NITEMS(zones));
	tcase_add_loop_test(tc, test_bad_name, 0, NITEMS(bad_names));
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);
	tc = tcase_create("tool_current_time_run");
	tcase_add_test(tc, test_tool);
	suite_add_tcase(s, tc);
	return check_run(s);
}
