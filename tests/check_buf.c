/* check_buf.c: unit tests of buf.c. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "buf.h"

START_TEST(test_buf_grow)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(buf_printf(&b, "%zu,", i % 10), 0);
	ck_assert_uint_eq(b.len, 2000);
	ck_assert_uint_eq(strlen(b.data), 2000);
	ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.data, "");
	buf_clear(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(test_buf_binary)
{
	struct buf	 b;

	buf_init(&b);
	buf_append(&b, "a\0b", 3);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(b.data[1], '\0');
	ck_assert_int_eq(b.data[3], '\0');
	buf_clear(&b);
	buf_clear(NULL);
}
END_TEST

START_TEST(test_buf_take)
{
	struct buf	 b;
	char		*s;

	buf_init(&b);
	s = buf_take(&b);
	ck_assert_str_eq(s, "");
	free(s);
	buf_puts(&b, "hello");
	s = buf_take(&b);
	ck_assert_str_eq(s, "hello");
	ck_assert_ptr_null(b.data);
	free(s);
}
END_TEST

START_TEST(test_buf_overflow)
{
	struct buf	 b;

	/* A size past SIZE_MAX is refused the way a failed allocation is: abort (xalloc.h),
	 * never a wrapped size and a short buffer. */
	buf_init(&b);
	buf_puts(&b, "x");
	ck_assert_str_eq(b.data, "x");
	buf_append(&b, "y", (size_t)-1);
	ck_abort_msg("buf_append grew past SIZE_MAX");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("buf");
	TCase	*tc = tcase_create("buf");

	tcase_add_test(tc, test_buf_grow);
	tcase_add_test(tc, test_buf_binary);
	tcase_add_test(tc, test_buf_take);
	tcase_add_test_raise_signal(tc, test_buf_overflow, SIGABRT);
	suite_add_tcase(s, tc);
	return check_run(s);
}
