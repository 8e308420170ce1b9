/* check_llm_client.c: the LLM client (jobd/llm/client.c) on a real libevent loop and curl
 * multi handle (jobd/httpc.c) against tests/llmsrv, the scripted vendor: streamed answers
 * with tool calls (OpenAI and Anthropic), the key sent and nowhere else, retries after 429
 * and 503 honouring Retry-After, malformed and non-JSON answers, a dropped connection, 500
 * after the retries, cancellation in the middle of a stream, and the SSRF guard: the model
 * allow-list, a pooled connection judged again for a call under a narrower list, redirects
 * not followed, and error messages that quote no credential. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "check_run.h"

#include "buf.h"
#include "httpc.h"
#include "jsonh.h"
#include "llm/client.h"
#include "llm_vendor.h"
#include "llmsrv_ctl.h"
#include "nitems.h"
#include "ssrf.h"

static struct llmsrv	 srv;
static struct ssrf_allow *allow;	/* the model list admits llmsrv's address and port */

struct outcome {
	int		 called;
	int		 rc;
	char		 err[512];
	char		 text[1024];
	size_t		 ncalls;
	char		 call0[LLM_MAX_ID], call1[LLM_MAX_ID];
	long		 prompt, completion;
	struct buf	 deltas;
};

static void
on_delta(void *arg, const char *text, size_t len)
{
	buf_append(&((struct outcome *)arg)->deltas, text, len);
}

static void
on_done(void *arg, struct llm_reply *r, int rc, const char *err)
{
	struct outcome	*o = arg;

	o->called++;
	o->rc = rc;
	snprintf(o->err, sizeof(o->err), "%s", err ? err : "");
	if (rc == 0) {
		snprintf(o->text, sizeof(o->text), "%s", r->text.len ? r->text.data : "");
		o->ncalls = r->ncalls;
		if (r->ncalls > 0)
			snprintf(o->call0, sizeof(o->call0), "%s", r->calls[0].name);
		if (r->ncalls > 1)
			snprintf(o->call1, sizeof(o->call1), "%s", r->calls[1].name);
		o->prompt = r->usage.prompt_tokens;
		o->completion = r->usage.completion_tokens;
	}
}

static long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Runs one call of "scenario" on "base" and "http" under allow-lists "a" to completion (or
 * until "cancel_ms" when > 0, then cancels). Returns the attempts made when cancelled. */
static int
call_on(struct event_base *base, struct httpc *http, const struct ssrf_allow *a,
    const struct llm_provider *p, const char *scenario, bool stream, int retries,
    long cancel_ms, struct outcome *o)
{
	struct llm_request	 lr;
	struct llmc_req		 rq;
	struct llmc		*c;
	struct buf		 body;
	struct timeval		 tv;
	json_object		*msgs;
	char			 url[256], err[256];
	int			 attempts;

	memset(o, 0, sizeof(*o));
	buf_init(&o->deltas);
	buf_init(&body);
	msgs = json_object_new_array();
	json_object_array_add(msgs, json_object_new_object());
	json_object_object_add(json_object_array_get_idx(msgs, 0), "role",
	    json_object_new_string("user"));
	json_object_object_add(json_object_array_get_idx(msgs, 0), "content",
	    json_object_new_string("What is 6*7?"));
	memset(&lr, 0, sizeof(lr));
	lr.model = scenario;
	lr.messages = msgs;
	lr.stream = stream;
	ck_assert_int_eq(p->build(&lr, &body, err, sizeof(err)), 0);
	ck_assert_int_eq(p->url(srv.base, url, sizeof(url)), 0);
	memset(&rq, 0, sizeof(rq));
	rq.provider = p;
	rq.url = url;
	rq.api_key = "sk-test-SECRET";
	rq.allow = a;
	rq.body = body.data;
	rq.stream = stream;
	rq.opts.max_retries = retries;
	rq.opts.backoff_ms = 50;
	rq.on_delta = on_delta;
	rq.done = on_done;
	rq.arg = o;
	c = llmc_start(base, http, &rq, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	buf_clear(&body);
	json_object_put(msgs);
	if (cancel_ms > 0) {
		tv.tv_sec = cancel_ms / 1000;
		tv.tv_usec = cancel_ms % 1000 * 1000;
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
		ck_assert_int_eq(o->called, 0);
		attempts = llmc_attempts(c);
		llmc_cancel(c);
		tv.tv_sec = 0;
		tv.tv_usec = 200000;		/* let the server notice */
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
	} else {
		while (o->called == 0)
			event_base_loop(base, EVLOOP_ONCE);
		attempts = 0;
	}
	ck_assert_int_le(o->called, 1);
	return attempts;
}

/* call_on with a loop and an HTTP client of its own, under allow-lists "a". */
static int
call_under(const struct ssrf_allow *a, const struct llm_provider *p, const char *scenario,
    bool stream, int retries, long cancel_ms, struct outcome *o)
{
	struct event_base	*base = event_base_new();
	struct httpc		*http = httpc_new(base);
	int			 attempts;

	attempts = call_on(base, http, a, p, scenario, stream, retries, cancel_ms, o);
	httpc_free(http);
	event_base_free(base);
	return attempts;
}

/* call_under the suite's allow-lists. */
static int
call(const struct llm_provider *p, const char *scenario, bool stream, int retries,
    long cancel_ms, struct outcome *o)
{
	return call_under(allow, p, scenario, stream, retries, cancel_ms, o);
}

/* The last request llmsrv recorded for "scenario" (a new reference). */
static json_object *
last_request(const char *scenario, size_t *count)
{
	json_object	*reqs = llmsrv_requests(&srv, scenario), *r;

	ck_assert_ptr_nonnull(reqs);
	*count = json_object_array_length(reqs);
	ck_assert_uint_gt(*count, 0);
	r = json_object_get(json_object_array_get_idx(reqs, *count - 1));
	json_object_put(reqs);
	return r;
}

START_TEST(test_openai_stream_tools)
{
	struct outcome	 o;
	json_object	*r;
	size_t		 n;

	llmsrv_reset(&srv);
	call(&llm_openai, "react", true, 0, 0, &o);
	ck_assert_msg(o.rc == 0, "%s", o.err);
	ck_assert_str_eq(o.text, "I will compute and check the time.");
	ck_assert_uint_eq(o.deltas.len, strlen(o.text));
	ck_assert_uint_eq(o.ncalls, 2);
	ck_assert_str_eq(o.call0, "calculator");
	ck_assert_str_eq(o.call1, "current_time");
	ck_assert_int_eq(o.prompt, 50);
	ck_assert_int_eq(o.completion, 20);
	r = last_request("react", &n);
	ck_assert_str_eq(jsonh_get_string(r, "authorization"), "Bearer sk-test-SECRET");
	ck_assert(json_object_get_boolean(json_object_object_get(json_object_object_get(r,
	    "body"), "stream")));
	json_object_put(r);
	buf_clear(&o.deltas);
}
END_TEST

START_TEST(test_anthropic_stream_tools)
{
	struct outcome	 o;
	json_object	*r;
	size_t		 n;

	llmsrv_reset(&srv);
	call(&llm_anthropic, "react_anthropic", true, 0, 0, &o);
	ck_assert_msg(o.rc == 0, "%s", o.err);
	ck_assert_str_eq(o.text, "I will compute and check the time.");
	ck_assert_uint_eq(o.ncalls, 2);
	ck_assert_str_eq(o.call1, "current_time");
	ck_assert_int_eq(o.prompt, 50);
	ck_assert_int_eq(o.completion, 20);
	r = last_request("react_anthropic", &n);
	ck_assert_str_eq(jsonh_get_string(r, "x_api_key"), "sk-test-SECRET");
	ck_assert_ptr_null(json_object_object_get(r, "authorization") ?
	    jsonh_get_string(r, "authorization") : NULL);
	json_object_put(r);
	buf_clear(&o.deltas);
}
END_TEST

START_TEST(test_non_stream)
{
	struct outcome	 o;

	llmsrv_reset(&srv);
	call(&llm_openai, "echo", false, 0, 0, &o);
	ck_assert_msg(o.rc == 0, "%s", o.err);
	ck_assert_str_eq(o.text, "Hello from the scripted model.");
	ck_assert_uint_eq(o.deltas.len, strlen(o.text));	/* one delta: the whole text */
	buf_clear(&o.deltas);
}
END_TEST

/* 429 with Retry-After: 1, then 503, then an answer: three requests, ≥ 1 s of waiting. */
START_TEST(test_retry_429_503)
{
	struct outcome	 o;
	json_object	*r;
	long		 t0 = now_ms();
	size_t		 n;

	llmsrv_reset(&srv);
	call(&llm_openai, "retry429", true, 0, 0, &o);
	ck_assert_msg(o.rc == 0, "%s", o.err);
	ck_assert_str_eq(o.text, "Done after retrying.");
	ck_assert_int_ge(now_ms() - t0, 1000);
	r = last_request("retry429", &n);
	ck_assert_uint_eq(n, 3);
	json_object_put(r);
	buf_clear(&o.deltas);
}
END_TEST

static const struct {
	const char	*scenario;
	bool		 stream;
	int		 retries;
	const char	*want;
	size_t		 requests;
} failures[] = {
	{ "malformed", true, 0, "provider stream: a stream chunk is not JSON", 1 },
	{ "malformed", false, 0, "provider answered 200 with an unusable body", 1 },
	{ "not_json", false, 0, "upstream says hello", 1 },
	{ "drop", true, -1, "provider request failed", 1 },
	{ "drop", true, 2, "provider request failed", 3 },
	{ "error500", true, 1, "provider answered 500 (after retries): scripted failure", 2 },
};

START_TEST(test_failures)
{
	struct outcome	 o;
	json_object	*r;
	size_t		 n;

	llmsrv_reset(&srv);
	call(&llm_openai, failures[_i].scenario, failures[_i].stream, failures[_i].retries, 0,
	    &o);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_msg(strstr(o.err, failures[_i].want) != NULL, "%s", o.err);
	ck_assert(strstr(o.err, "SECRET") == NULL);
	r = last_request(failures[_i].scenario, &n);
	ck_assert_uint_eq(n, failures[_i].requests);
	json_object_put(r);
	buf_clear(&o.deltas);
}
END_TEST

/* Cancelling in the middle of a slow stream closes the connection at once. */
START_TEST(test_cancel_mid_stream)
{
	struct outcome	 o;
	json_object	*r;
	size_t		 n;

	llmsrv_reset(&srv);
	ck_assert_int_eq(call(&llm_openai, "slow_stream", true, 0, 450, &o), 1);
	ck_assert_int_eq(o.called, 0);
	ck_assert_uint_gt(o.deltas.len, 0);	/* some tokens came before the cancel */
	ck_assert_uint_lt(o.deltas.len, 40);
	r = last_request("slow_stream", &n);
	ck_assert(json_object_get_boolean(json_object_object_get(r, "client_closed")));
	json_object_put(r);
	buf_clear(&o.deltas);
}
END_TEST

static const struct { const char *v; long want; } retry_after[] = {
	{ "1", 1000 }, { " 30", 30000 }, { "0", 0 }, { "Wed, 21 Oct 2015 07:28:00 GMT", 0 },
	{ "soon", -1 }, { "", -1 },
};

START_TEST(test_retry_after)
{
	ck_assert_int_eq(llmc_retry_after(retry_after[_i].v, 1700000000), retry_after[_i].want);
}
END_TEST

START_TEST(test_retry_after_date)
{
	/* 2015-10-21 07:28:00 UTC = 1445412480 */
	ck_assert_int_eq(llmc_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470), 10000);
}
END_TEST

/* Without an allow-list entry, a loopback model server is refused before any byte is sent,
 * with no retry, and the message names the setting that admits it. */
START_TEST(test_guard_refuses)
{
	struct outcome		 o;
	json_object		*reqs;

	llmsrv_reset(&srv);
	call_under(NULL, &llm_openai, "echo", false, 2, 0, &o);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_msg(strstr(o.err, "model endpoint refused by the SSRF guard: ") != NULL &&
	    strstr(o.err, " is loopback") != NULL &&
	    strstr(o.err, "FRAGENT_MODEL_ALLOWLIST") != NULL, "%s", o.err);
	reqs = llmsrv_requests(&srv, "echo");
	ck_assert_uint_eq(json_object_array_length(reqs), 0);
	json_object_put(reqs);
	buf_clear(&o.deltas);
}
END_TEST

/* A call the model list admits leaves its connection in the pool; the next call to the same
 * host and port under an empty list would reuse it without opening a socket, and is refused
 * all the same (the peer of every connection is judged before each request). A third call
 * under the admitting list still works. */
START_TEST(test_guard_reused_connection)
{
	struct event_base	*base = event_base_new();
	struct httpc		*http = httpc_new(base);
	struct outcome		 o;
	json_object		*reqs;

	llmsrv_reset(&srv);
	call_on(base, http, allow, &llm_openai, "echo", false, 0, 0, &o);
	ck_assert_msg(o.rc == 0, "%s", o.err);
	buf_clear(&o.deltas);
	call_on(base, http, NULL, &llm_openai, "echo", false, 0, 0, &o);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_msg(strstr(o.err, "refused by the SSRF guard") != NULL, "%s", o.err);
	buf_clear(&o.deltas);
	call_on(base, http, allow, &llm_openai, "echo", false, 0, 0, &o);
	ck_assert_msg(o.rc == 0, "%s", o.err);
	buf_clear(&o.deltas);
	reqs = llmsrv_requests(&srv, "echo");
	ck_assert_uint_eq(json_object_array_length(reqs), 2);
	json_object_put(reqs);
	httpc_free(http);
	event_base_free(base);
}
END_TEST

/* A redirect is not followed (it could lead to an internal address) and its body, whatever
 * it holds, is not quoted. */
START_TEST(test_redirect_not_followed)
{
	struct outcome	 o;
	json_object	*r;
	size_t		 n;

	llmsrv_reset(&srv);
	call(&llm_openai, "redirect", false, 0, 0, &o);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_msg(strstr(o.err, "provider answered 302, a redirect") != NULL, "%s", o.err);
	ck_assert_msg(strstr(o.err, "BODYMARK") == NULL && strstr(o.err, "169.254") == NULL,
	    "%s", o.err);
	r = last_request("redirect", &n);
	ck_assert_uint_eq(n, 1);
	json_object_put(r);
	buf_clear(&o.deltas);
}
END_TEST

/* A vendor that echoes the request's credentials in its error gets them redacted: the key
 * (whole or cut), the Authorization header; and only printable ASCII of its body remains. */
START_TEST(test_error_redacted)
{
	struct outcome	 o;
	const char	*p;

	llmsrv_reset(&srv);
	call(&llm_openai, "echo_key", false, -1, 0, &o);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_msg(strstr(o.err, "provider answered 401") != NULL, "%s", o.err);
	ck_assert_msg(strstr(o.err, "SECRET") == NULL && strstr(o.err, "sk-test") == NULL &&
	    strstr(o.err, "test-SEC") == NULL, "%s", o.err);
	ck_assert_msg(strstr(o.err, "[redacted]") != NULL, "%s", o.err);
	for (p = o.err; *p != '\0'; p++)
		ck_assert_msg(*p >= 0x20 && *p <= 0x7e, "byte %d in %s", *p, o.err);
	buf_clear(&o.deltas);
}
END_TEST

static void
setup(void)
{
	llm_vendor_up(&srv, &allow);
}

static void
teardown(void)
{
	llm_vendor_down(&srv, allow);
}

int
main(void)
{
	Suite	*s = suite_create("llm_client");
	TCase	*tc = tcase_create("llmc");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_openai_stream_tools);
	tcase_add_test(tc, test_anthropic_stream_tools);
	tcase_add_test(tc, test_non_stream);
	tcase_add_test(tc, test_guard_refuses);
	tcase_add_test(tc, test_guard_reused_connection);
	tcase_add_test(tc, test_redirect_not_followed);
	tcase_add_test(tc, test_error_redacted);
	tcase_add_test(tc, test_retry_429_503);
	tcase_add_loop_test(tc, test_failures, 0, NITEMS(failures));
	tcase_add_test(tc, test_cancel_mid_stream);
	suite_add_tcase(s, tc);
	tc = tcase_create("retry_after");
	tcase_add_loop_test(tc, test_retry_after, 0, NITEMS(retry_after));
	tcase_add_test(tc, test_retry_after_date);
	suite_add_tcase(s, tc);
	return check_run(s);
}
