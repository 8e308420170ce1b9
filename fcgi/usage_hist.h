/* usage_hist.h: the duration histograms of usage_runs (sql/085_usage.sql): 128 buckets on a
 * fixed log scale, bucket 1 (index 0 here) below 1 ms, bucket k >= 2 from 2^((k-2)/4) ms up
 * to 2^((k-1)/4) ms, the last open-ended; parsed from PostgreSQL's array text and turned
 * into percentiles. */
#ifndef FRAGENT_USAGE_HIST_H
#define FRAGENT_USAGE_HIST_H

#include <stdint.h>

#define USAGE_BUCKETS	128

/* Adds the counts of histogram text "s" ("{1,2,…}", at most USAGE_BUCKETS of them) to "h";
 * text past the last number or a malformed tail is ignored. */
void	usage_hist_add(int64_t h[USAGE_BUCKETS], const char *s);
/* The duration in ms that bucket index "b" (0-based) stands for: the geometric middle of
 * its bounds; 0.5 for the first, the lower bound for the open-ended last. */
double	usage_hist_bucket_ms(int b);
/* The "p"-th percentile (0 < p <= 1) of the "n" durations counted in "h", in ms rounded, or
 * -1 when "n" is 0. */
int64_t	usage_hist_percentile(const int64_t h[USAGE_BUCKETS], int64_t n, double p);

#endif
