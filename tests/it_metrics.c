/* it_metrics.c: integration suite of GET /metrics against the real stack: the exposition's
 * form, request counts that add up over the several API processes, unmatched paths, runs and
 * steps counted by jobd (started, ended by trigger and status, durations by node type), model
 * requests and tokens from the scripted vendor, the queue and process gauges, and nginx's
 * address rule. tests/check_metrics.sh checks the same scrape with promtool and a real
 * Prometheus server. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "check_run.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"

#define WAIT_MS		10000	/* jobd publishes every second */

/* A scrape of /metrics (heap text the caller frees). */
static char *
scrape(void)
{
	struct http_resp	 r;
	char			*text;

	ck_assert_int_eq(http_do("GET", "/metrics", NULL, NULL, NULL, &r), 0);
	ck_assert_msg(r.status == 200, "GET /metrics: %ld %s", r.status, r.body.data);
	ck_assert_str_eq(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
	text = strdup(r.body.data != NULL ? r.body.data : "");
	http_resp_clear(&r);
	return text;
}

/* The sum of the samples of series "name" (exactly; "_bucket" etc. are other names) whose
 * labels contain every one of the NULL-terminated "want" (e.g. "status=\"200\""); -1 when
 * no sample matches. */
static double
sum_of(const char *text, const char *name, const char *const *want)
{
	const char	*p, *eol, *sp;
	char		 line[2048];
	double		 sum = 0;
	size_t		 n = strlen(name), len, i;
	int		 found = 0;

	for (p = text; *p != '\0'; p = *eol == '\0' ? eol : eol + 1) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		len = (size_t)(eol - p);
		if (len >= sizeof(line) || strncmp(p, name, n) != 0 ||
		    (p[n] != '{' && p[n] != ' '))
			continue;
		memcpy(line, p, len);
		line[len] = '\0';
		for (i = 0; want != NULL && want[i] != NULL && strstr(line, want[i]) != NULL; i++)
			continue;
		if (want != NULL && want[i] != NULL)
			continue;
		ck_assert_ptr_nonnull(sp = strrchr(line, ' '));
		sum += strtod(sp + 1, NULL);
		found = 1;
	}
	return found ? sum : -1;
}

#define LABELS(...)	((const char *const []){ __VA_ARGS__, NULL })

/* Scrapes until series "name" with "want" sums to at least "min" (jobd's figures arrive
 * with its next snapshot); returns the last sum. */
static double
wait_sum(const char *name, const char *const *want, double min)
{
	long	 deadline = eng_now_ms() + WAIT_MS;
	double	 v;
	char	*text;

	for (;;) {
		text = scrape();
		v = sum_of(text, name, want);
		free(text);
		if (v >= min || eng_now_ms() > deadline)
			return v;
		usleep(100 * 1000);
	}
}

START_TEST(test_form)
{
	char	*text = scrape();

	/* one HELP and TYPE per family, before its samples */
	ck_assert_ptr_nonnull(strstr(text, "# HELP fragent_http_requests_total "));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE fragent_http_requests_total counter\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE fragent_http_request_duration_seconds "
	    "histogram\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE fragent_executions_in_flight gauge\n"));
	ck_assert_ptr_null(strstr(strstr(text, "# TYPE fragent_queue_length gauge\n") + 1,
	    "# TYPE fragent_queue_length gauge\n"));
	/* the queue's gauges, at least one jobd, each API process's memory and CPU */
	ck_assert(sum_of(text, "fragent_queue_length", NULL) >= 0);
	ck_assert(sum_of(text, "fragent_queue_pending", NULL) >= 0);
	ck_assert(sum_of(text, "fragent_jobd_instances", NULL) >= 1);
	ck_assert(sum_of(text, "fragent_process_resident_memory_bytes",
	    LABELS("program=\"api\",process=\"")) > 1e6);
	ck_assert(sum_of(text, "fragent_process_resident_memory_bytes",
	    LABELS("program=\"jobd\"")) > 1e6);
	ck_assert(sum_of(text, "fragent_process_cpu_seconds_total", LABELS("program=\"jobd\""))
	    > 0);
	free(text);
}
END_TEST

/* 200 requests over fresh connections land on every API process; the shared counters add
 * them all, and the histogram's count agrees. */
START_TEST(test_requests_add_up)
{
	const char *const	 ok[] = { "route=\"/api/v1/health\"", "method=\"GET\"",
	    "status=\"200\"", NULL };
	const char *const	 hist[] = { "route=\"/api/v1/health\"", "method=\"GET\"", NULL };
	struct http_resp	 r;
	double			 before, after, hbefore, hafter, inf;
	char			*text;
	int			 i;

	text = scrape();
	before = sum_of(text, "fragent_http_requests_total", ok);
	hbefore = sum_of(text, "fragent_http_request_duration_seconds_count", hist);
	free(text);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(http_get("/api/v1/health", &r), 0);
		ck_assert_int_eq(r.status, 200);
		http_resp_clear(&r);
	}
	text = scrape();
	after = sum_of(text, "fragent_http_requests_total", ok);
	hafter = sum_of(text, "fragent_http_request_duration_seconds_count", hist);
	inf = sum_of(text, "fragent_http_request_duration_seconds_bucket",
	    LABELS("route=\"/api/v1/health\"", "le=\"+Inf\""));
	ck_assert_double_eq(after - (before < 0 ? 0 : before), 200);
	ck_assert_double_eq(hafter - (hbefore < 0 ? 0 : hbefore), 200);
	ck_assert_double_eq(inf, hafter);
	ck_assert(sum_of(text, "fragent_http_request_duration_seconds_sum", hist) > 0);
	free(text);
}
END_TEST

/* Restarting API processes resets nothing: the counts live in the file they share. */
START_TEST(test_restart_keeps_counts)
{
	const char *const	 ok[] = { "route=\"/api/v1/health\"", "status=\"200\"", NULL };
	const char		*sv = getenv("FRAGENT_TEST_SUPERVISORCTL");
	struct http_resp	 r;
	char			 cmd[1024], *text;
	double			 before, after;
	int			 i;

	ck_assert_ptr_nonnull(sv);
	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(http_get("/api/v1/health", &r), 0);
		http_resp_clear(&r);
	}
	text = scrape();
	before = sum_of(text, "fragent_http_requests_total", ok);
	free(text);
	snprintf(cmd, sizeof(cmd), "%s restart 'api:*' >/dev/null", sv);
	ck_assert_int_eq(it_sh(cmd), 0);
	for (i = 0; i < 50 && (http_get("/api/v1/health", &r) != 0 || r.status != 200); i++) {
		http_resp_clear(&r);
		usleep(100 * 1000);
	}
	http_resp_clear(&r);
	text = scrape();
	after = sum_of(text, "fragent_http_requests_total", ok);
	free(text);
	ck_assert_msg(after >= before + 1, "health requests counted %f before the restart, %f "
	    "after", before, after);
}
END_TEST

/* An unknown path counts as "unmatched", and a problem answer by its status. */
START_TEST(test_unmatched_and_errors)
{
	const char *const	 unmatched[] = { "route=\"unmatched\"", "status=\"404\"", NULL };
	const char *const	 unauth[] = { "route=\"/api/v1/agents\"", "method=\"GET\"",
	    "status=\"401\"", NULL };
	double			 u0, a0;
	char			*text = scrape();

	u0 = sum_of(text, "fragent_http_requests_total", unmatched);
	a0 = sum_of(text, "fragent_http_requests_total", unauth);
	free(text);
	ck_assert_int_eq(it_status("GET", "/api/v1/no-such-route", NULL, NULL), 404);
	ck_assert_int_eq(it_status("GET", "/api/v1/agents", NULL, NULL), 401);
	text = scrape();
	ck_assert_double_eq(sum_of(text, "fragent_http_requests_total", unmatched) -
	    (u0 < 0 ? 0 : u0), 1);
	ck_assert_double_eq(sum_of(text, "fragent_http_requests_total", unauth) -
	    (a0 < 0 ? 0 : a0), 1);
	free(text);
}
END_TEST

/* Runs counted by jobd: started and ended by trigger and status, their durations, steps by
 * node type. */
START_TEST(test_runs)
{
	const char *const	 ok[] = { "trigger=\"manual\"", "status=\"succeeded\"", NULL };
	const char *const	 bad[] = { "trigger=\"manual\"", "status=\"failed\"", NULL };
	const char *const	 started[] = { "trigger=\"manual\"", NULL };
	const char *const	 step[] = { "node_type=\"output\"", "status=\"succeeded\"", NULL };
	const char		*fail_def = "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\","
	    "\"config\":{}},{\"id\":\"t\",\"type\":\"transform\",\"config\":{\"expr\":"
	    "\"error(\\\"boom\\\")\"}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"x\"}}],"
	    "\"edges\":[{\"source\":\"in\",\"target\":\"t\"},{\"source\":\"t\","
	    "\"target\":\"out\"}]}";
	double			 s0, e0, f0, d0, st0;
	char			*text = scrape();
	int			 i;

	s0 = sum_of(text, "fragent_executions_started_total", started);
	e0 = sum_of(text, "fragent_executions_ended_total", ok);
	f0 = sum_of(text, "fragent_executions_ended_total", bad);
	d0 = sum_of(text, "fragent_execution_duration_seconds_count",
	    LABELS("status=\"succeeded\""));
	st0 = sum_of(text, "fragent_step_duration_seconds_count", step);
	free(text);
	s0 = s0 < 0 ? 0 : s0;
	e0 = e0 < 0 ? 0 : e0;
	f0 = f0 < 0 ? 0 : f0;
	d0 = d0 < 0 ? 0 : d0;
	st0 = st0 < 0 ? 0 : st0;
	for (i = 0; i < 5; i++)
		json_object_put(eng_run(IT_DEF, "{\"x\":1}", "succeeded"));
	json_object_put(eng_run(fail_def, "{\"x\":1}", "failed"));
	ck_assert_double_eq(wait_sum("fragent_executions_ended_total", ok, e0 + 5), e0 + 5);
	ck_assert_double_eq(wait_sum("fragent_executions_ended_total", bad, f0 + 1), f0 + 1);
	ck_assert_double_eq(wait_sum("fragent_executions_started_total", started, s0 + 6),
	    s0 + 6);
	ck_assert(wait_sum("fragent_execution_duration_seconds_count",
	    LABELS("status=\"succeeded\""), d0 + 5) >= d0 + 5);
	ck_assert(wait_sum("fragent_step_duration_seconds_count", step, st0 + 5) >= st0 + 5);
	ck_assert(wait_sum("fragent_step_duration_seconds_count",
	    LABELS("node_type=\"transform\"", "status=\"failed\""), 1) >= 1);
	/* nothing is left running */
	ck_assert_double_eq(wait_sum("fragent_executions_in_flight", NULL, 0), 0);
}
END_TEST

/* A chat with the scripted vendor: one request, its tokens (10 prompt, 5 completion). */
START_TEST(test_models)
{
	const char *const	 req[] = { "provider=\"openai\"", "model=\"echo\"", NULL };
	const char *const	 prompt[] = { "model=\"echo\"", "kind=\"prompt\"", NULL };
	const char *const	 done[] = { "model=\"echo\"", "kind=\"completion\"", NULL };
	struct llmsrv		 srv;
	struct http_resp	 r;
	char			 cred[UUID_STRLEN + 1], agent[UUID_STRLEN + 1], path[128];
	double			 r0, p0, c0;
	char			*text;
	json_object		*ex;

	ck_assert_int_eq(llmsrv_start(&srv), 0);
	it_create("/api/v1/credentials", "{\"name\":\"it-metrics\",\"provider\":\"openai\","
	    "\"secret\":\"sk-metrics\"}", it_token(), cred);
	it_create("/api/v1/agents", eng_fmt("{\"name\":\"it-metrics\",\"configuration\":{"
	    "\"provider\":\"openai\",\"base_url\":\"%s/v1\",\"model\":\"echo\","
	    "\"credential_id\":\"%s\"}}", srv.base, cred), it_token(), agent);
	text = scrape();
	r0 = sum_of(text, "fragent_llm_requests_total", req);
	p0 = sum_of(text, "fragent_llm_tokens_total", prompt);
	c0 = sum_of(text, "fragent_llm_tokens_total", done);
	free(text);
	r0 = r0 < 0 ? 0 : r0;
	p0 = p0 < 0 ? 0 : p0;
	c0 = c0 < 0 ? 0 : c0;
	snprintf(path, sizeof(path), "/api/v1/agents/%s/chat", agent);
	ck_assert_int_eq(it_req("POST", path, "{\"message\":\"hi\"}", it_token(), &r), 202);
	ex = eng_wait(jsonh_get_string(r.json, "id"), NULL, 30000);
	http_resp_clear(&r);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "succeeded");
	json_object_put(ex);
	ck_assert_double_eq(wait_sum("fragent_llm_requests_total", req, r0 + 1), r0 + 1);
	ck_assert_double_eq(wait_sum("fragent_llm_tokens_total", prompt, p0 + 10), p0 + 10);
	ck_assert_double_eq(wait_sum("fragent_llm_tokens_total", done, c0 + 5), c0 + 5);
	llmsrv_stop(&srv);
}
END_TEST

/* nginx answers /metrics only to FRAGENT_METRICS_ALLOW (loopback here): another source
 * address gets 403; the API's own prefix does not serve it. */
START_TEST(test_access)
{
	CURL	*c = curl_easy_init();
	char	 url[256];
	long	 status = 0;

	ck_assert_ptr_nonnull(c);
	snprintf(url, sizeof(url), "%s/metrics", it_base_url());
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_INTERFACE, "host!127.0.0.3");
	curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	ck_assert_int_eq(status, 403);
	ck_assert_int_eq(it_status("GET", "/api/v1/metrics", NULL, NULL), 404);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("metrics");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_metrics: cannot sign in as the test administrator\n");
		return 1;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_form);
	tcase_add_test(tc, test_requests_add_up);
	tcase_add_test(tc, test_unmatched_and_errors);
	tcase_add_test(tc, test_restart_keeps_counts);
	tcase_add_test(tc, test_runs);
	tcase_add_test(tc, test_models);
	tcase_add_test(tc, test_access);
	suite_add_tcase(s, tc);
	return check_run(s);
}
