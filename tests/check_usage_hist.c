/* check_usage_hist.c: unit tests of fcgi/usage_hist.c: parsing PostgreSQL's array text,
 * what each bucket stands for, percentiles from the buckets. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "nitems.h"
#include "usage_hist.h"

/* The bucket (0-based) SQL's usage_bucket gives "ms" (sql/085_usage.sql), minus one. */
static int
sql_bucket(double ms)
{
	int	 b;

	if (ms < 1)
		return 0;
	b = (int)floor(4 * log2(ms)) + 1;
	return b > USAGE_BUCKETS - 1 ? USAGE_BUCKETS - 1 : b;
}

static const struct {
	const char	*text;
	int64_t		 first, second, last, sum;
} texts[] = {
	{ "{1,2,3}", 1, 2, 0, 6 },
	{ "{0,0}", 0, 0, 0, 0 },
	{ "{}", 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0 },
	{ "{7,x,9}", 7, 0, 0, 7 },		/* stops at the first non-number */
	{ "{40000000000,1}", 40000000000LL, 1, 0, 40000000001LL },
};

START_TEST(test_hist_add)
{
	int64_t	 h[USAGE_BUCKETS] = { 0 }, sum = 0;
	int	 b;

	usage_hist_add(h, texts[_i].text);
	usage_hist_add(h, "{}");
	for (b = 0; b < USAGE_BUCKETS; b++)
		sum += h[b];
	ck_assert_int_eq(h[0], texts[_i].first);
	ck_assert_int_eq(h[1], texts[_i].second);
	ck_assert_int_eq(h[USAGE_BUCKETS - 1], texts[_i].last);
	ck_assert_int_eq(sum, texts[_i].sum);
}
END_TEST

/* 128 counts, and one more past them that is ignored. */
START_TEST(test_hist_add_full)
{
	int64_t	 h[USAGE_BUCKETS] = { 0 };
	char	 text[1024];
	size_t	 n = 0;
	int	 b;

	text[n++] = '{';
	for (b = 0; b <= USAGE_BUCKETS; b++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s1", b ? "," : "");
	snprintf(text + n, sizeof(text) - n, "}");
	usage_hist_add(h, text);
	usage_hist_add(h, text);
	for (b = 0; b < USAGE_BUCKETS; b++)
		ck_assert_int_eq(h[b], 2);
}
END_TEST

/* A duration's bucket stands for it within the bucket's half width (about 9 %). */
static const double durations[] = { 1, 1.5, 10, 99, 100, 420, 1000, 2000, 3000, 65535,
	1e6, 3.6e6, 8.64e7 };

START_TEST(test_bucket_ms)
{
	double	 ms = durations[_i], got = usage_hist_bucket_ms(sql_bucket(ms));

	ck_assert_msg(fabs(got - ms) <= 0.095 * ms, "%g ms stands as %g", ms, got);
}
END_TEST

START_TEST(test_bucket_ms_ends)
{
	ck_assert(usage_hist_bucket_ms(0) == 0.5);
	ck_assert(usage_hist_bucket_ms(USAGE_BUCKETS - 1) == exp2(126 / 4.0));
	ck_assert_int_eq(sql_bucket(1e12), USAGE_BUCKETS - 1);
}
END_TEST

/* 100…1000 ms (10 runs), 2000 ms (6), 3000 ms (3): the values tests/it_usage seeds. */
static void
seeded(int64_t h[USAGE_BUCKETS])
{
	int	 i;

	memset(h, 0, USAGE_BUCKETS * sizeof(h[0]));
	for (i = 1; i <= 10; i++)
		h[sql_bucket(100.0 * i)]++;
	h[sql_bucket(2000)] += 6;
	h[sql_bucket(3000)] += 3;
}

static const struct { double p, want; } pcts[] = {
	{ 0.01, 100 }, { 0.25, 500 }, { 0.50, 1000 }, { 0.52, 1000 }, { 0.53, 2000 },
	{ 0.84, 2000 }, { 0.95, 3000 }, { 1.0, 3000 },
};

START_TEST(test_percentile)
{
	int64_t	 h[USAGE_BUCKETS], got;

	seeded(h);
	got = usage_hist_percentile(h, 19, pcts[_i].p);
	ck_assert_msg(fabs((double)got - pcts[_i].want) <= 0.095 * pcts[_i].want,
	    "p%g: %lld, want about %g", pcts[_i].p * 100, (long long)got, pcts[_i].want);
}
END_TEST

START_TEST(test_percentile_empty)
{
	int64_t	 h[USAGE_BUCKETS] = { 0 };

	ck_assert_int_eq(usage_hist_percentile(h, 0, 0.5), -1);
	h[0] = 3;
	ck_assert_int_eq(usage_hist_percentile(h, 3, 0.95), 1);	/* 0.5 ms, rounded */
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("usage_hist");
	TCase	*tc;

	tc = tcase_create("usage_hist_add");
	tcase_add_loop_test(tc, test_hist_add, 0, NITEMS(texts));
	tcase_add_test(tc, test_hist_add_full);
	suite_add_tcase(s, tc);
	tc = tcase_create("usage_hist_bucket_ms");
	tcase_add_loop_test(tc, test_bucket_ms, 0, NITEMS(durations));
	tcase_add_test(tc, test_bucket_ms_ends);
	suite_add_tcase(s, tc);
	tc = tcase_create("usage_hist_percentile");
	tcase_add_loop_test(tc, test_percentile, 0, NITEMS(pcts));
	tcase_add_test(tc, test_percentile_empty);
	suite_add_tcase(s, tc);
	return check_run(s);
}
