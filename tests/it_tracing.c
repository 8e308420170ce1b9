/* it_tracing.c: distributed tracing through the real stack, whose jobd exports to
 * FRAGENT_OTLP_ENDPOINT (tests/integration.sh points it at a port of its own): tests/testsrv
 * serves there as the OTLP/HTTP collector (and /echo for the HTTP node), tests/llmsrv as the
 * model vendor. A run started with a client's traceparent is one trace: the API's SERVER span
 * (child of the client's span) → the execution's span → one span per step → the model call's
 * and the HTTP request's CLIENT spans, whose traceparent the vendor and the server received;
 * the execution's JSON names the trace. An agent's tool calls are spans too (the http_request
 * tool sends its span on; a child run lives under its tool call). An invalid traceparent starts a new trace; the API's
 * spans do not pile up in Redis; a webhook call starts a trace of its own. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"

#include "buf.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"
#include "redisconn.h"
#include "trace.h"

#define CLIENT_TRACE	"0af7651916cd43dd8448eb211c80319c"
#define CLIENT_SPAN	"b7ad6b7169203331"
#define HOOK_TRACE	"5e3a7c00d1f94b7d8c1d2b3a4f5e6a7b"

static struct llmsrv	 llm;
static int		 port;		/* testsrv: the collector and the HTTP node's server */
static char		 cred_id[UUID_STRLEN + 1];

/* GET "url" (absolute) and its JSON (caller puts), or NULL. */
static json_object *
get_json(const char *url)
{
	json_object	*o = NULL;
	char		 err[64], *data = NULL;
	size_t		 len = 0;
	CURL		*c = curl_easy_init();
	FILE		*f;

	f = open_memstream(&data, &len);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	if (curl_easy_perform(c) == CURLE_OK) {
		fflush(f);
		jsonh_parse(data, len, &o, err, sizeof(err));
	}
	fclose(f);
	curl_easy_cleanup(c);
	free(data);
	return o;
}

/* The span of "spans" named "name" whose parent is "parent" (NULL: any; "": none), or NULL. */
static json_object *
span_find(json_object *spans, const char *name, const char *parent)
{
	json_object	*s;
	const char	*p;
	size_t		 i;

	for (i = 0; i < json_object_array_length(spans); i++) {
		s = json_object_array_get_idx(spans, i);
		p = jsonh_get_string(s, "parentSpanId");
		if (strcmp(jsonh_get_string(s, "name"), name) != 0)
			continue;
		if (parent == NULL || (parent[0] == '\0' ? p == NULL || p[0] == '\0' :
		    p != NULL && strcmp(p, parent) == 0))
			return s;
	}
	return NULL;
}

/* The last span of "spans" named "name" whose parent is "parent", or NULL. */
static json_object *
span_last(json_object *spans, const char *name, const char *parent)
{
	json_object	*s, *found = NULL;
	const char	*p;
	size_t		 i;

	for (i = 0; i < json_object_array_length(spans); i++) {
		s = json_object_array_get_idx(spans, i);
		p = jsonh_get_string(s, "parentSpanId");
		if (strcmp(jsonh_get_string(s, "name"), name) == 0 && p != NULL &&
		    strcmp(p, parent) == 0)
			found = s;
	}
	return found;
}

/* The last span named "name" whose parent is an "execution" span under "api": a step try of
 * one of the run's claims; NULL when none. */
static json_object *
in_run(json_object *spans, const char *name, const char *api)
{
	json_object	*s, *found = NULL, *run;
	size_t		 i;

	for (i = 0; i < json_object_array_length(spans); i++) {
		run = json_object_array_get_idx(spans, i);
		if (strcmp(jsonh_get_string(run, "name"), "execution") != 0 ||
		    jsonh_get_string(run, "parentSpanId") == NULL ||
		    strcmp(jsonh_get_string(run, "parentSpanId"), api) != 0)
			continue;
		if ((s = span_last(spans, name, jsonh_get_string(run, "spanId"))) != NULL)
			found = s;
	}
	return found;
}

/* Waits (15 s at most) until the collector holds "n" spans of trace "trace"; returns them
 * (caller puts). */
static json_object *
spans_wait(const char *trace, size_t n)
{
	json_object	*o = NULL, *a;
	char		 url[160];
	long		 t0 = eng_now_ms();

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/spans?trace_id=%s", port, trace);
	for (;;) {
		json_object_put(o);
		o = get_json(url);
		a = jsonh_get_typed(o, "spans", json_type_array);
		if ((a != NULL && json_object_array_length(a) >= n) || eng_now_ms() - t0 > 15000)
			break;
		usleep(100 * 1000);
	}
	ck_assert_msg(a != NULL && json_object_array_length(a) >= n, "%zu spans of %s wanted: %s",
	    n, trace, jsonh_str(o));
	json_object_get(a);
	json_object_put(o);
	return a;
}

/* The length of the API's span list in the stack's Redis, or -1. */
static long long
spans_listed(void)
{
	const char		*url = getenv("FRAGENT_REDIS_URL");
	const char		*argv[] = { "LLEN", TRACE_SPANS_KEY };
	struct redis_url	 ru;
	struct redis_conn	*rc;
	redisReply		*r;
	long long		 n = -1;

	ck_assert_ptr_nonnull(url);
	ck_assert_int_eq(redis_url_parse(url, &ru), 0);
	rc = redis_conn_new(&ru);
	if ((r = redis_conn_cmd(rc, 2, argv, NULL)) != NULL && r->type == REDIS_REPLY_INTEGER)
		n = r->integer;
	freeReplyObject(r);
	redis_conn_free(rc);
	return n;
}

/* The traceresponse header of "r" parsed into "c". */
static void
traceresponse(const struct http_resp *r, struct trace_ctx *c)
{
	const char	*h = strstr(r->headers, "traceresponse: ");
	char		 v[TRACE_PARENT_SIZE];

	ck_assert_msg(h != NULL, "no traceresponse header: %s", r->headers);
	snprintf(v, sizeof(v), "%s", h + strlen("traceresponse: "));
	ck_assert_int_eq(trace_parse(v, c), 0);
}

/* Starts workflow "wf" with the traceparent header "tp" (NULL: none); fills "api" from the
 * traceresponse and copies the execution id. */
static void
start_traced(const char *wf, const char *tp, struct trace_ctx *api,
    char exec[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	char			 hdr[128], path[128];
	const char		*hdrs[] = { hdr, NULL };

	snprintf(hdr, sizeof(hdr), "traceparent: %s", tp != NULL ? tp : "");
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	ck_assert_int_eq(http_do("POST", path, "application/json", "{\"inputs\":{}}",
	    tp != NULL ? hdrs : NULL, &r), 0);
	ck_assert_int_eq(r.status, 202);
	traceresponse(&r, api);
	ck_assert_str_eq(jsonh_get_string(r.json, "trace_id"), api->trace_id);
	snprintf(exec, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
}

/* The API span → execution → steps → model and HTTP client spans, with the right parents;
 * the vendor and the server got the client spans as traceparent. */
START_TEST(test_trace_through_a_run)
{
	char			 agent[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	char			 want[TRACE_PARENT_SIZE];
	struct trace_ctx	 api;
	json_object		*spans, *s, *run, *step, *chat, *get, *ex, *reqs, *last;
	int			 i;

	llmsrv_reset(&llm);
	it_create("/api/v1/agents", eng_fmt("{\"name\":\"it-trace\",\"configuration\":{"
	    "\"provider\":\"openai\",\"base_url\":\"%s/v1\",\"model\":\"echo\","
	    "\"credential_id\":\"%s\"}}", llm.base, cred_id), it_token(), agent);
	eng_workflow(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"ask\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\",\"prompt\":"
	    "\"hello\"}},{\"id\":\"fetch\",\"type\":\"http_request\",\"config\":{\"method\":"
	    "\"GET\",\"url\":\"http://127.0.0.1:%d/echo/traced\"}},{\"id\":\"out\",\"type\":"
	    "\"output\",\"config\":{\"value\":\"{{ .fetch.output.status }}\"}}],\"edges\":["
	    "{\"source\":\"in\",\"target\":\"ask\"},{\"source\":\"ask\",\"target\":\"fetch\"},"
	    "{\"source\":\"fetch\",\"target\":\"out\"}]}", agent, port), wf);
	start_traced(wf, "00-" CLIENT_TRACE "-" CLIENT_SPAN "-01", &api, exec);
	ck_assert_str_eq(api.trace_id, CLIENT_TRACE);
	ck_assert_str_ne(api.span_id, CLIENT_SPAN);
	ck_assert_uint_eq(api.flags, 1);
	ex = eng_wait(exec, NULL, 30000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "succeeded");
	ck_assert_str_eq(jsonh_get_string(ex, "trace_id"), CLIENT_TRACE);

	/* API, execution, 4 steps, the model call, the HTTP request: at least 8, and the last
	 * step's span (a claim that changed hands adds spans). */
	spans = spans_wait(CLIENT_TRACE, 8);
	for (i = 0; i < 150 && in_run(spans, "output out", api.span_id) == NULL; i++) {
		json_object_put(spans);
		usleep(100 * 1000);
		spans = spans_wait(CLIENT_TRACE, 8);
	}
	s = span_find(spans, "POST /api/v1/workflows/{id}/executions", CLIENT_SPAN);
	ck_assert_msg(s != NULL, "no API span under the client's: %s", jsonh_str(spans));
	ck_assert_str_eq(jsonh_get_string(s, "service"), "fragent-api");
	ck_assert_str_eq(jsonh_get_string(s, "spanId"), api.span_id);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(s, "kind")), 2);
	ck_assert_ptr_nonnull(run = span_find(spans, "execution", api.span_id));
	ck_assert_str_eq(jsonh_get_string(run, "service"), "fragent-jobd");
	/* Each claim of the run has its execution span under the API's, and each step try a
	 * span under its claim's (a claim can change hands, e.g. after a database restart). */
	ck_assert_msg(in_run(spans, "input in", api.span_id) != NULL, "no input span: %s",
	    jsonh_str(spans));
	ck_assert_ptr_nonnull(in_run(spans, "output out", api.span_id));
	ck_assert_ptr_nonnull(step = in_run(spans, "agent ask", api.span_id));
	ck_assert_ptr_nonnull(chat = span_last(spans, "chat echo",
	    jsonh_get_string(step, "spanId")));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(chat, "kind")), 3);
	ck_assert_ptr_nonnull(step = in_run(spans, "http_request fetch", api.span_id));
	ck_assert_ptr_nonnull(get = span_last(spans, "GET", jsonh_get_string(step, "spanId")));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(get, "kind")), 3);
	/* Every span of the trace has one of these parents: no stray root. */
	ck_assert_ptr_null(span_find(spans, "execution", ""));

	/* The vendor and the server saw the client spans as their parents. */
	snprintf(want, sizeof(want), "00-%s-%s-01", CLIENT_TRACE, jsonh_get_string(chat, "spanId"));
	reqs = llmsrv_requests(&llm, "echo");
	ck_assert_ptr_nonnull(reqs);
	ck_assert_uint_ge(json_object_array_length(reqs), 1);
	last = json_object_array_get_idx(reqs, json_object_array_length(reqs) - 1);
	ck_assert_str_eq(jsonh_get_string(last, "traceparent"), want);
	snprintf(want, sizeof(want), "00-%s-%s-01", CLIENT_TRACE, jsonh_get_string(get, "spanId"));
	ck_assert_str_eq(jsonh_get_string(jsonh_get_typed(jsonh_get_typed(jsonh_get_typed(
	    eng_step(ex, "fetch"), "output", json_type_object), "body", json_type_object),
	    "headers", json_type_object), "traceparent"), want);
	json_object_put(reqs);
	json_object_put(spans);
	json_object_put(ex);
}
END_TEST

/* An agent's tool calls: a span each under the step's; the http_request tool sends its span
 * as traceparent, and a run_workflow child run's spans are children of its span, in the
 * same trace. */
START_TEST(test_trace_through_tools)
{
	char			 agent[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], child[UUID_STRLEN + 1];
	char			 exec[UUID_STRLEN + 1], script[2048], want[TRACE_PARENT_SIZE];
	struct trace_ctx	 api;
	json_object		*spans, *run, *step, *http, *rw, *ex;

	llmsrv_reset(&llm);
	eng_workflow(IT_DEF, child);
	snprintf(script, sizeof(script), "{\"select\":\"turn\",\"responses\":["
	    "{\"tool_calls\":[{\"id\":\"c1\",\"name\":\"http_request\",\"arguments\":"
	    "{\"url\":\"http://127.0.0.1:%d/echo/tool\"}},{\"id\":\"c2\",\"name\":"
	    "\"run_workflow\",\"arguments\":{\"workflow_id\":\"%s\",\"inputs\":{\"x\":1},"
	    "\"timeout_s\":30}}]},{\"text\":\"Done.\"}]}", port, child);
	ck_assert_int_eq(llmsrv_upload(&llm, "trace_tools", script), 0);
	it_create("/api/v1/agents", eng_fmt("{\"name\":\"it-trace-tools\",\"configuration\":{"
	    "\"provider\":\"openai\",\"base_url\":\"%s/v1\",\"model\":\"trace_tools\","
	    "\"credential_id\":\"%s\",\"tools\":[\"http_request\",\"run_workflow\"]}}",
	    llm.base, cred_id), it_token(), agent);
	eng_workflow(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"ask\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\",\"prompt\":"
	    "\"go\"}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":"
	    "\"{{ .ask.output }}\"}}],\"edges\":[{\"source\":\"in\",\"target\":\"ask\"},"
	    "{\"source\":\"ask\",\"target\":\"out\"}]}", agent), wf);
	start_traced(wf, NULL, &api, exec);
	ex = eng_wait(exec, NULL, 30000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "succeeded");
	/* API, execution, 3 steps, 2 model calls, 2 tool calls, the child's execution and its
	 * 2 steps. */
	spans = spans_wait(api.trace_id, 12);
	ck_assert_ptr_nonnull(run = span_find(spans, "execution", api.span_id));
	ck_assert_ptr_nonnull(step = span_find(spans, "agent ask",
	    jsonh_get_string(run, "spanId")));
	ck_assert_ptr_nonnull(http = span_find(spans, "execute_tool http_request",
	    jsonh_get_string(step, "spanId")));
	ck_assert_ptr_nonnull(rw = span_find(spans, "execute_tool run_workflow",
	    jsonh_get_string(step, "spanId")));
	ck_assert_msg(span_find(spans, "execution", jsonh_get_string(rw, "spanId")) != NULL,
	    "the child run is not under its tool call: %s", jsonh_str(spans));
	/* The echo of the tool's request, in the transcript, carries the tool call's span. */
	snprintf(want, sizeof(want), "00-%s-%s-01", api.trace_id, jsonh_get_string(http, "spanId"));
	ck_assert_msg(strstr(jsonh_str(eng_step(ex, "ask")), want) != NULL, "%s not sent: %s",
	    want, jsonh_str(eng_step(ex, "ask")));
	json_object_put(spans);
	json_object_put(ex);
}
END_TEST

/* Hostile or malformed traceparent headers are ignored: each request starts a new trace,
 * whose API span has no parent. */
START_TEST(test_invalid_traceparent)
{
	static const char *const bad[] = {
		"00-00000000000000000000000000000000-" CLIENT_SPAN "-01",
		"00-" CLIENT_TRACE "-0000000000000000-01",
		"00-0AF7651916CD43DD8448EB211C80319C-" CLIENT_SPAN "-01",
		"ff-" CLIENT_TRACE "-" CLIENT_SPAN "-01",
		"00-" CLIENT_TRACE "-" CLIENT_SPAN "-01-extra",
		"garbage",
	};
	char			 wf[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	struct trace_ctx	 api;
	json_object		*spans, *s;
	size_t			 i;

	eng_workflow(IT_DEF, wf);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		start_traced(wf, bad[i], &api, exec);
		ck_assert_str_ne(api.trace_id, CLIENT_TRACE);
		spans = spans_wait(api.trace_id, 1);
		s = span_find(spans, "POST /api/v1/workflows/{id}/executions", "");
		ck_assert_msg(s != NULL, "%s: the API span has a parent: %s", bad[i],
		    jsonh_str(spans));
		json_object_put(spans);
	}
	/* No header at all: a new trace too, and the run belongs to it. */
	start_traced(wf, NULL, &api, exec);
	json_object_put(eng_wait(exec, NULL, 30000));
	spans = spans_wait(api.trace_id, 3);
	ck_assert_ptr_nonnull(span_find(spans, "execution", api.span_id));
	json_object_put(spans);
}
END_TEST

/* Any route answers with traceresponse and gets a span named after its template; a 404
 * without a route is named by its method alone. The API's list in Redis is drained. */
START_TEST(test_every_request_and_the_redis_list)
{
	struct http_resp	 r;
	struct trace_ctx	 c;
	json_object		*spans, *s;
	long long		 n;
	long			 t0;

	ck_assert_int_eq(http_get("/api/v1/workflows?limit=1", &r), 0);
	ck_assert_int_eq(r.status, 200);
	traceresponse(&r, &c);
	http_resp_clear(&r);
	spans = spans_wait(c.trace_id, 1);
	ck_assert_ptr_nonnull(s = span_find(spans, "GET /api/v1/workflows", ""));
	json_object_put(spans);
	ck_assert_int_eq(http_get("/api/v1/no-such-route", &r), 0);
	ck_assert_int_eq(r.status, 404);
	traceresponse(&r, &c);
	http_resp_clear(&r);
	spans = spans_wait(c.trace_id, 1);
	ck_assert_ptr_nonnull(span_find(spans, "GET", ""));
	json_object_put(spans);
	/* jobd takes the API's spans out of Redis every second. */
	t0 = eng_now_ms();
	while ((n = spans_listed()) != 0 && eng_now_ms() - t0 < 5000)
		usleep(100 * 1000);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* A webhook call with a traceparent: its SERVER span (jobd's) is the parent of the run's. */
START_TEST(test_webhook_trace)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], path[256];
	const char		*hdrs[] = { "Authorization:",
				    "traceparent: 00-" HOOK_TRACE "-00000000000000aa-01", NULL };
	json_object		*spans, *s;

	eng_workflow(IT_DEF, wf);
	ck_assert_int_eq(it_req("POST", eng_fmt("/api/v1/workflows/%s/webhooks", wf),
	    "{\"name\":\"traced\"}", it_token(), &r), 201);
	snprintf(path, sizeof(path), "%s", jsonh_get_string(r.json, "path"));
	http_resp_clear(&r);
	ck_assert_int_eq(http_do("POST", path, "application/json", "{}", hdrs, &r), 0);
	ck_assert_int_eq(r.status, 202);
	http_resp_clear(&r);
	/* The call's span, the execution's and its two steps'. */
	spans = spans_wait(HOOK_TRACE, 4);
	ck_assert_ptr_nonnull(s = span_find(spans, "POST /hooks/{token}", "00000000000000aa"));
	ck_assert_str_eq(jsonh_get_string(s, "service"), "fragent-jobd");
	ck_assert_ptr_nonnull(span_find(spans, "execution", jsonh_get_string(s, "spanId")));
	json_object_put(spans);
}
END_TEST

static void
setup(void)
{
	eng_srv_start_on(port);
	ck_assert_int_eq(llmsrv_start(&llm), 0);
	it_create("/api/v1/credentials", "{\"name\":\"it-trace\",\"provider\":\"openai\","
	    "\"secret\":\"sk-it-trace\"}", it_token(), cred_id);
}

static void
teardown(void)
{
	llmsrv_stop(&llm);
	eng_srv_stop();
}

int
main(void)
{
	Suite		*s = suite_create("tracing");
	TCase		*tc = tcase_create("tracing");
	const char	*ep = getenv("FRAGENT_OTLP_ENDPOINT"), *colon;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (ep == NULL || (colon = strrchr(ep, ':')) == NULL || (port = atoi(colon + 1)) <= 0) {
		fprintf(stderr, "it_tracing: FRAGENT_OTLP_ENDPOINT names no collector port\n");
		return 1;
	}
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_tracing: cannot sign in as the test administrator\n");
		return 1;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_trace_through_a_run);
	tcase_add_test(tc, test_trace_through_tools);
	tcase_add_test(tc, test_invalid_traceparent);
	tcase_add_test(tc, test_every_request_and_the_redis_list);
	tcase_add_test(tc, test_webhook_trace);
	suite_add_tcase(s, tc);
	return check_run(s);
}
