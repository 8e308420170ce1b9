/* check_metrics.c: unit tests of shared/metrics.c: counting, histograms, the exposition
 * (families once, labels, escaping, zero series left out), model slots, routes, jobd's
 * snapshot round trip and the snapshots it refuses. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check_run.h"
#include "metrics.h"
#include "nitems.h"

static const char *const patterns[] = { "/api/v1/health", "/api/v1/agents/{id}" };
static const char *const methods[] = { "GET", "PUT" };

static const char *
route(size_t i, const char **method)
{
	*method = methods[i];
	return patterns[i];
}

static void
setup(void)
{
	metrics_routes(NITEMS(patterns), route);
}

/* The exposition of "m" as source kind "kind" with "labels" (a heap string). */
static char *
render(const struct metrics *m, enum metrics_source_kind kind, const char *labels)
{
	struct metrics_source	 src = { kind, m, labels };
	struct buf		 b;

	buf_init(&b);
	metrics_render(&b, &src, 1);
	return buf_take(&b);
}

static int
count_of(const char *text, const char *needle)
{
	int	 n = 0;

	for (; (text = strstr(text, needle)) != NULL; text++)
		n++;
	return n;
}

START_TEST(test_counting)
{
	struct metrics	*m = metrics_new(0);
	char		*text;

	metrics_use(m);
	metrics_inc(M_HTTP_REQUESTS, 1, metrics_http_status(404));
	metrics_inc(M_HTTP_REQUESTS, 1, metrics_http_status(404));
	metrics_inc(M_HTTP_REQUESTS, 2, metrics_http_status(299));	/* unmatched, other */
	metrics_add(M_DB_ERRORS, 0, 0, 3);
	metrics_inc(M_HTTP_REQUESTS, 99, 0);	/* out of range: ignored */
	ck_assert_uint_eq(metrics_value(m, M_HTTP_REQUESTS, 1, metrics_http_status(404)), 2);
	text = render(m, MS_API, "program=\"api\"");
	ck_assert_ptr_nonnull(strstr(text, "fragent_http_requests_total{program=\"api\","
	    "route=\"/api/v1/agents/{id}\",method=\"PUT\",status=\"404\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "fragent_http_requests_total{program=\"api\","
	    "route=\"unmatched\",method=\"other\",status=\"other\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "fragent_db_errors_total{program=\"api\"} 3\n"));
	/* an unlabelled family always, labelled series only once counted */
	ck_assert_ptr_nonnull(strstr(text, "fragent_redis_errors_total{program=\"api\"} 0\n"));
	ck_assert_int_eq(count_of(text, "fragent_http_requests_total{"), 2);
	/* every family once, jobd's families without samples from an API source */
	ck_assert_int_eq(count_of(text, "# TYPE fragent_http_requests_total counter\n"), 1);
	ck_assert_int_eq(count_of(text, "fragent_executions_in_flight{"), 0);
	free(text);
	metrics_use(NULL);
	metrics_inc(M_DB_ERRORS, 0, 0);		/* no set: nothing */
	ck_assert_uint_eq(metrics_value(m, M_DB_ERRORS, 0, 0), 3);
	metrics_free(m);
}
END_TEST

START_TEST(test_histogram)
{
	struct metrics	*m = metrics_new(0);
	char		*text;

	metrics_use(m);
	metrics_observe(M_HTTP_DURATION, 0, 0, 400);		/* 0.4 ms: first bucket */
	metrics_observe(M_HTTP_DURATION, 0, 0, 1000);		/* 1 ms: le 0.001 exactly */
	metrics_observe(M_HTTP_DURATION, 0, 0, 20000000);	/* 20 s: +Inf only */
	text = render(m, MS_API, "program=\"api\"");
	ck_assert_ptr_nonnull(strstr(text, "fragent_http_request_duration_seconds_bucket{"
	    "program=\"api\",route=\"/api/v1/health\",method=\"GET\",le=\"0.0005\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "le=\"0.001\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "le=\"10\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "le=\"+Inf\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(text, "fragent_http_request_duration_seconds_sum{"
	    "program=\"api\",route=\"/api/v1/health\",method=\"GET\"} 20.001400\n"));
	ck_assert_ptr_nonnull(strstr(text, "fragent_http_request_duration_seconds_count{"
	    "program=\"api\",route=\"/api/v1/health\",method=\"GET\"} 3\n"));
	/* the route never observed has no series */
	ck_assert_ptr_null(strstr(text, "duration_seconds_count{program=\"api\",route=\""
	    "/api/v1/agents/{id}\""));
	free(text);
	metrics_use(NULL);
	metrics_free(m);
}
END_TEST

START_TEST(test_gauges_and_scale)
{
	struct metrics	*m = metrics_new(1);
	char		*text;

	metrics_use(m);
	metrics_add(M_EXEC_INFLIGHT, 0, 0, 2);
	metrics_add(M_EXEC_INFLIGHT, 0, 0, -1);
	metrics_set(M_PROCESS_CPU, 0, 0, 2500000);
	text = render(m, MS_JOBD, "program=\"jobd\",jobd=\"a\"");
	ck_assert_ptr_nonnull(strstr(text, "fragent_executions_in_flight{program=\"jobd\","
	    "jobd=\"a\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "fragent_process_cpu_seconds_total{program="
	    "\"jobd\",jobd=\"a\"} 2.500000\n"));
	/* the API's families have no samples from a jobd */
	ck_assert_int_eq(count_of(text, "fragent_http_requests_total{"), 0);
	free(text);
	metrics_use(NULL);
	metrics_free(m);
}
END_TEST

START_TEST(test_models)
{
	struct metrics	*m = metrics_new(1);
	char		 name[32], *text;
	size_t		 i, a, b;

	metrics_use(m);
	a = metrics_model("openai", "gpt-\"4\"\n");
	b = metrics_model("openai", "gpt-\"4\"\n");
	ck_assert_uint_eq(a, b);
	ck_assert_uint_eq(metrics_model("anthropic", "gpt-\"4\"\n") == a, 0);
	metrics_add(M_LLM_TOKENS, a, 1, 7);
	for (i = 0; i < METRICS_MODELS + 5; i++) {
		snprintf(name, sizeof(name), "m%zu", i);
		b = metrics_model("openai", name);
	}
	ck_assert_uint_eq(b, METRICS_MODELS - 1);	/* the slots ran out: "other" */
	metrics_inc(M_LLM_REQUESTS, b, 0);
	text = render(m, MS_JOBD, "program=\"jobd\",jobd=\"a\"");
	/* a newline became '?', the quotes are escaped */
	ck_assert_ptr_nonnull(strstr(text, "fragent_llm_tokens_total{program=\"jobd\",jobd=\"a\","
	    "provider=\"openai\",model=\"gpt-\\\"4\\\"?\",kind=\"completion\"} 7\n"));
	ck_assert_ptr_nonnull(strstr(text, "fragent_llm_requests_total{program=\"jobd\","
	    "jobd=\"a\",provider=\"other\",model=\"other\"} 1\n"));
	free(text);
	metrics_use(NULL);
	metrics_free(m);
}
END_TEST

START_TEST(test_snapshot_round_trip)
{
	struct metrics	*m = metrics_new(1), *back = metrics_new(1);
	struct buf	 b;
	char		*t1, *t2;
	size_t		 model;

	metrics_use(m);
	model = metrics_model("openai", "gpt 4o mini");
	metrics_add(M_LLM_TOKENS, model, 0, 1234);
	metrics_inc(M_EXEC_ENDED, metrics_trigger("webhook"), metrics_run_status("failed"));
	metrics_observe(M_STEP_DURATION, 1, 0, 1500000);
	metrics_inc(M_HTTP_REQUESTS, 0, 0);	/* the API's: not in a jobd snapshot */
	metrics_use(NULL);
	buf_init(&b);
	metrics_snapshot(&b, m, 1700000000);
	ck_assert_int_eq(metrics_snapshot_read(back, b.data), 1700000000);
	ck_assert_uint_eq(metrics_value(back, M_HTTP_REQUESTS, 0, 0), 0);
	t1 = render(m, MS_JOBD, "jobd=\"x\"");
	t2 = render(back, MS_JOBD, "jobd=\"x\"");
	ck_assert_str_eq(t1, t2);
	ck_assert_ptr_nonnull(strstr(t2, "model=\"gpt 4o mini\",kind=\"prompt\"} 1234\n"));
	ck_assert_ptr_nonnull(strstr(t2, "trigger=\"webhook\",status=\"failed\"} 1\n"));
	free(t1);
	free(t2);
	buf_clear(&b);
	metrics_free(m);
	metrics_free(back);
}
END_TEST

START_TEST(test_snapshot_refused)
{
	static const char *const bad[] = {
		"",
		"fragent-metrics 1 0000000000000000 1\n",		/* another layout */
		"something else\n",
		"@H 1\nc 9999 0 1\n",				/* no such family */
		"@H 1\nc 0 0 1\n",				/* the API's family */
		"@H 1\nc @E 999999 1\n",			/* cell out of range */
		"@H 1\nc @E\n",					/* short */
		"@H 1\nm 63 openai x\n",			/* the "other" slot */
		"@H 1\nm 1 openai-with-a-provider-name-far-too-long-to-keep x\n",
	};
	struct metrics	*m;
	char		 text[512], hash[32], fam[16];
	const char	*s;
	struct buf	 b;
	size_t		 i, j;

	buf_init(&b);
	m = metrics_new(1);
	metrics_snapshot(&b, m, 1);	/* "fragent-metrics 1 HASH 1" */
	metrics_free(m);
	ck_assert_int_eq(sscanf(b.data, "fragent-metrics 1 %16s", hash), 1);
	snprintf(fam, sizeof(fam), "%d", (int)M_EXEC_ENDED);
	for (i = 0; i < NITEMS(bad); i++) {
		/* @H: "fragent-metrics 1 <this layout>", @E: a jobd family */
		text[0] = '\0';
		for (s = bad[i], j = 0; *s != '\0' && j + 40 < sizeof(text); s++) {
			if (strncmp(s, "@H", 2) == 0) {
				j += (size_t)snprintf(text + j, sizeof(text) - j,
				    "fragent-metrics 1 %s", hash);
				s++;
			} else if (strncmp(s, "@E", 2) == 0) {
				j += (size_t)snprintf(text + j, sizeof(text) - j, "%s", fam);
				s++;
			} else {
				text[j++] = *s;
				text[j] = '\0';
			}
		}
		m = metrics_new(1);
		ck_assert_msg(metrics_snapshot_read(m, text) == -1, "accepted: %s", text);
		metrics_free(m);
	}
	buf_clear(&b);
}
END_TEST

START_TEST(test_layout_hash)
{
	uint64_t	 api = metrics_layout_hash(MS_API), jobd = metrics_layout_hash(MS_JOBD);

	ck_assert_uint_ne(api, jobd);
	/* another route table is another API layout; jobd's does not depend on it */
	metrics_routes(1, route);
	ck_assert_uint_ne(metrics_layout_hash(MS_API), api);
	ck_assert_uint_eq(metrics_layout_hash(MS_JOBD), jobd);
	metrics_routes(NITEMS(patterns), route);
	ck_assert_uint_eq(metrics_layout_hash(MS_API), api);
}
END_TEST

START_TEST(test_proc)
{
	uint64_t	 rss = 0, cpu = 0;

	ck_assert_int_eq(metrics_proc_read(0, &rss, &cpu), 0);
	ck_assert_uint_gt(rss, 1024 * 1024);
	ck_assert_int_eq(metrics_proc_read(-5, &rss, &cpu), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("metrics");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_counting);
	tcase_add_test(tc, test_histogram);
	tcase_add_test(tc, test_gauges_and_scale);
	tcase_add_test(tc, test_models);
	tcase_add_test(tc, test_snapshot_round_trip);
	tcase_add_test(tc, test_snapshot_refused);
	tcase_add_test(tc, test_layout_hash);
	tcase_add_test(tc, test_proc);
	suite_add_tcase(s, tc);
	return check_run(s);
}
