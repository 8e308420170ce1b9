/* check_strmap.c: unit tests of strmap.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "strmap.h"

static int	 freed;

static void
count_free(void *v)
{
	freed++;
	free(v);
}

START_TEST(test_put_get_del)
{
	struct strmap	*m = strmap_new();
	void		*old;
	int		 a, b;

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(strmap_get(m, "x"));
	strmap_put(m, "x", &a, &old);
	ck_assert_ptr_null(old);
	ck_assert_ptr_eq(strmap_get(m, "x"), &a);
	strmap_put(m, "x", &b, &old);	/* replaces */
	ck_assert_ptr_eq(old, &a);
	ck_assert_ptr_eq(strmap_get(m, "x"), &b);
	ck_assert_uint_eq(strmap_len(m), 1);
	strmap_put(m, "", &a, NULL);	/* the empty key is a key */
	ck_assert_ptr_eq(strmap_get(m, ""), &a);
	ck_assert_ptr_eq(strmap_del(m, "x"), &b);
	ck_assert_ptr_null(strmap_del(m, "x"));
	ck_assert_ptr_null(strmap_get(m, "x"));
	ck_assert_uint_eq(strmap_len(m), 1);
	strmap_free(m, NULL);
	strmap_free(NULL, NULL);
}
END_TEST

static void
sum_each(const char *key, void *val, void *arg)
{
	(void)key;
	*(long *)arg += *(int *)val;
}

START_TEST(test_grow_each_clear)
{
	struct strmap	*m = strmap_new();
	char		 k[32];
	long		 sum = 0;
	int		 i, *v;

	for (i = 0; i < 20000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		v = malloc(sizeof(*v));
		*v = i;
		strmap_put(m, k, v, NULL);
	}
	ck_assert_uint_eq(strmap_len(m), 20000);
	for (i = 0; i < 20000; i += 997) {
		snprintf(k, sizeof(k), "key-%d", i);
		ck_assert_int_eq(*(int *)strmap_get(m, k), i);
	}
	strmap_each(m, sum_each, &sum);
	ck_assert_int_eq(sum, 19999L * 20000 / 2);
	freed = 0;
	strmap_clear(m, count_free);
	ck_assert_int_eq(freed, 20000);
	ck_assert_uint_eq(strmap_len(m), 0);
	ck_assert_ptr_null(strmap_get(m, "key-1"));
	v = malloc(sizeof(*v));
	strmap_put(m, "again", v, NULL);
	freed = 0;
	strmap_free(m, count_free);
	ck_assert_int_eq(freed, 1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("strmap");
	TCase	*tc = tcase_create("strmap");

	tcase_add_test(tc, test_put_get_del);
	tcase_add_test(tc, test_grow_each_clear);
	suite_add_tcase(s, tc);
	return check_run(s);
}
