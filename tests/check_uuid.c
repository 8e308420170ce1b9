/* check_uuid.c: unit tests of uuid.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"

#include "nitems.h"
#include "uuid.h"

static const struct { const char *in; int ok; } ids[] = {
	{ "8d0e8f4e-2f6b-4d6e-9a43-0c4d6a1f9b10", 1 },
	{ "8D0E8F4E-2F6B-4D6E-9A43-0C4D6A1F9B10", 1 },
	{ "00000000-0000-0000-0000-000000000000", 1 },
	{ "8d0e8f4e2f6b4d6e9a430c4d6a1f9b10", 0 },
	{ "8d0e8f4e-2f6b-4d6e-9a43-0c4d6a1f9b1", 0 },
	{ "8d0e8f4e-2f6b-4d6e-9a43-0c4d6a1f9b100", 0 },
	{ "8d0e8f4e-2f6b-4d6e-9a43_0c4d6a1f9b10", 0 },
	{ "g d0e8f4e-2f6b-4d6e-9a43-0c4d6a1f9b1", 0 },
	{ "", 0 }, { "' OR 1=1 --", 0 },
};

START_TEST(test_uuid_valid)
{
	ck_assert_int_eq(uuid_valid(ids[_i].in), ids[_i].ok);
}
END_TEST

START_TEST(test_uuid_valid_null)
{
	ck_assert(!uuid_valid(NULL));
}
END_TEST

START_TEST(test_uuid_new)
{
	char	 a[UUID_STRLEN + 1], b[UUID_STRLEN + 1];

	ck_assert_int_eq(uuid_new(a), 0);
	ck_assert_int_eq(uuid_new(b), 0);
	ck_assert(uuid_valid(a));
	ck_assert(uuid_valid(b));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(a[14], '7');		/* version 7 */
	ck_assert(strchr("89ab", a[19]) != NULL);	/* RFC 9562 variant */
}
END_TEST

/* The first 48 bits are the Unix time in milliseconds: the clock read around the call
 * brackets them, and an id made later sorts after an earlier one. */
START_TEST(test_uuid_new_time_ordered)
{
	char		 a[UUID_STRLEN + 1], b[UUID_STRLEN + 1], hex[13];
	struct timespec	 before, after, pause = { 0, 3 * 1000 * 1000 };
	unsigned long long lo, hi, ms;

	clock_gettime(CLOCK_REALTIME, &before);
	ck_assert_int_eq(uuid_new(a), 0);
	clock_gettime(CLOCK_REALTIME, &after);
	memcpy(hex, a, 8);
	memcpy(hex + 8, a + 9, 4);
	hex[12] = '\0';
	ms = strtoull(hex, NULL, 16);
	lo = (unsigned long long)before.tv_sec * 1000 + (unsigned long long)before.tv_nsec / 1000000;
	hi = (unsigned long long)after.tv_sec * 1000 + (unsigned long long)after.tv_nsec / 1000000;
	ck_assert_uint_ge(ms, lo);
	ck_assert_uint_le(ms, hi);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(uuid_new(b), 0);
	ck_assert_int_lt(strcmp(a, b), 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("uuid");
	TCase	*tc = tcase_create("uuid_valid");

	tcase_add_loop_test(tc, test_uuid_valid, 0, NITEMS(ids));
	tcase_add_test(tc, test_uuid_valid_null);
	suite_add_tcase(s, tc);
	tc = tcase_create("uuid_new");
	tcase_add_test(tc, test_uuid_new);
	tcase_add_test(tc, test_uuid_new_time_ordered);
	suite_add_tcase(s, tc);
	return check_run(s);
}
