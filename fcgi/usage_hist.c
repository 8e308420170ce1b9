/* usage_hist.c: the duration histograms of the usage rollups (see usage_hist.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "usage_hist.h"

void
usage_hist_add(int64_t h[USAGE_BUCKETS], const char *s)
{
	char	*end;
	int	 b;

	if (*s == '{')
		s++;
	for (b = 0; b < USAGE_BUCKETS && *s != '\0' && *s != '}'; b++) {
		h[b] += strtoll(s, &end, 10);
		if (end == s)
			break;
		s = *end == ',' ? end + 1 : end;
	}
}

double
usage_hist_bucket_ms(int b)
{
	if (b <= 0)
		return 0.5;
	if (b >= USAGE_BUCKETS - 1)
		return exp2((USAGE_BUCKETS - 2) / 4.0);
	return exp2((b - 0.5) / 4.0);
}

int64_t
usage_hist_percentile(const int64_t h[USAGE_BUCKETS], int64_t n, double p)
{
	int64_t	 rank, seen = 0;
	int	 b;

	if (n <= 0)
		return -1;
	rank = (int64_t)ceil(p * (double)n);
	if (rank < 1)
		rank = 1;
	for (b = 0; b < USAGE_BUCKETS - 1; b++)
		if ((seen += h[b]) >= rank)
			break;
	return (int64_t)(usage_hist_bucket_ms(b) + 0.5);
}
