/* check_utf8.c: unit tests of utf8.c (well-formed UTF-8 without NUL, as PostgreSQL stores it). */
#include "config.h"

#include <string.h>

#include "check_run.h"
#include "nitems.h"
#include "utf8.h"

/* Each input with its length (NUL may be inside), where utf8_check stops, and what
 * utf8_clean makes of it. */
static const struct {
	const char	*in;
	size_t		 len;
	size_t		 stop;
	int		 storable;
	const char	*clean;
} rows[] = {
	{ "", 0, 0, 1, "" },
	{ "plain ascii", 11, 11, 1, "plain ascii" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, 14, 1,
	  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "a\0b", 3, 3, 0, "a\xef\xbf\xbd" "b" },
	{ "\xff", 1, 0, 0, "\xef\xbf\xbd" },
	{ "x\xc0\xaf", 3, 1, 0, "x\xef\xbf\xbd\xef\xbf\xbd" },		/* overlong "/" */
	{ "\xed\xa0\x80", 3, 0, 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },	/* surrogate */
	{ "\xf4\x90\x80\x80", 4, 0, 0,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },		/* past U+10FFFF */
	{ "ab\xc3", 3, 2, 0, "ab\xef\xbf\xbd" },			/* cut short */
	{ "\xe2\x82", 2, 0, 0, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\x80z", 2, 0, 0, "\xef\xbf\xbdz" },				/* stray continuation */
};

START_TEST(test_utf8_check)
{
	ck_assert_uint_eq(utf8_check(rows[_i].in, rows[_i].len), rows[_i].stop);
	ck_assert_int_eq(utf8_storable(rows[_i].in, rows[_i].len), rows[_i].storable);
}
END_TEST

START_TEST(test_utf8_clean)
{
	struct buf	 b;

	buf_init(&b);
	utf8_clean(rows[_i].in, rows[_i].len, &b);
	ck_assert_uint_eq(b.len, strlen(rows[_i].clean));
	ck_assert(memcmp(b.data, rows[_i].clean, b.len) == 0);
	ck_assert(utf8_storable(b.data, b.len));
	buf_clear(&b);
}
END_TEST

/* Cutting "héé" (1 + 2 + 2 bytes) at every length never splits a character. */
static const struct { size_t max, want; } cuts[] = {
	{ 0, 0 }, { 1, 1 }, { 2, 1 }, { 3, 3 }, { 4, 3 }, { 5, 5 }, { 9, 5 },
};

START_TEST(test_utf8_cut)
{
	const char	 s[] = "h\xc3\xa9\xc3\xa9";

	ck_assert_uint_eq(utf8_cut(s, strlen(s), cuts[_i].max), cuts[_i].want);
}
END_TEST

/* Continuation bytes only: nothing well-formed to keep whole, the cut stays where asked. */
START_TEST(test_utf8_cut_garbage)
{
	const char	 s[] = "\x80\x80\x80\x80\x80\x80";

	ck_assert_uint_eq(utf8_cut(s, strlen(s), 5), 5);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("utf8");
	TCase	*tc = tcase_create("check");

	tcase_add_loop_test(tc, test_utf8_check, 0, NITEMS(rows));
	suite_add_tcase(s, tc);
	tc = tcase_create("clean");
	tcase_add_loop_test(tc, test_utf8_clean, 0, NITEMS(rows));
	suite_add_tcase(s, tc);
	tc = tcase_create("cut");
	tcase_add_loop_test(tc, test_utf8_cut, 0, NITEMS(cuts));
	tcase_add_test(tc, test_utf8_cut_garbage);
	suite_add_tcase(s, tc);
	return check_run(s);
}
