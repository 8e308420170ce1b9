/* hook_callers.c: N callers of one webhook at once, each one request (POST of a JSON body),
 * all open together on one libcurl multi handle; prints how many got each status, how long
 * the slowest waited and the latency percentiles. Used by bench/hooks.sh:
 *   hook_callers URL N BODY TIMEOUT_S */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	CURLM			*m;
	CURL			**e;
	struct curl_slist	*hd = NULL;
	double			*lat, t0;
	long			 st, counts[6] = { 0 }, timeout;
	int			 n, i, running = 0, failed = 0;

	if (argc != 5 || (n = atoi(argv[2])) <= 0 || (timeout = atol(argv[4])) <= 0) {
		fprintf(stderr, "usage: hook_callers URL N BODY TIMEOUT_S\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)n);
	e = calloc((size_t)n, sizeof(*e));
	lat = calloc((size_t)n, sizeof(*lat));
	if (m == NULL || e == NULL || lat == NULL)
		return 1;
	hd = curl_slist_append(hd, "Content-Type: application/json");
	for (i = 0; i < n; i++) {
		e[i] = curl_easy_init();
		curl_easy_setopt(e[i], CURLOPT_URL, argv[1]);
		curl_easy_setopt(e[i], CURLOPT_POSTFIELDS, argv[3]);
		curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(e[i], CURLOPT_TIMEOUT, timeout);
		curl_easy_setopt(e[i], CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, discard);
		curl_multi_add_handle(m, e[i]);
	}
	t0 = now_s();
	do {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 100, NULL);
	} while (running > 0);
	printf("%d callers answered in %.2f s\n", n, now_s() - t0);
	for (i = 0; i < n; i++) {
		st = 0;
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &st);
		curl_easy_getinfo(e[i], CURLINFO_TOTAL_TIME, &lat[i]);
		if (st >= 100 && st < 600)
			counts[st / 100]++;
		else
			failed++;
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	printf("status 2xx %ld (of which the sync answers: see below), 4xx %ld, 5xx %ld, "
	    "no answer %d\n", counts[2], counts[4], counts[5], failed);
	printf("latency p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", 1000 * lat[n / 2],
	    1000 * lat[n * 99 / 100], 1000 * lat[n - 1]);
	curl_slist_free_all(hd);
	curl_multi_cleanup(m);
	free(e);
	free(lat);
	curl_global_cleanup();
	return failed > 0 || counts[4] + counts[5] > 0;
}
