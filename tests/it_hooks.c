/* it_hooks.c: webhook triggers and the API's wait, against the real stack (nginx → jobd's
 * listener for /hooks/{token}, the API for the webhooks' rows): each response mode and auth
 * mode (good and bad secret and signature, stale timestamp, replay; a secret checked by every
 * process on jobd's listener port), body types and the size
 * cap, a sync answer with the respond node's status and headers (refused headers dropped),
 * a sync run that outlives its limit (202), a failing run (problem+json), unknown, disabled
 * and rotated tokens, 200 concurrent callers with one Idempotency-Key (one execution), the
 * same key with another body (422), the webhooks' API (scopes and roles), POST …/executions
 * with wait, and the executions' trigger filter; and nginx's limit of calls per address
 * (FRAGENT_HOOK_RATE, FRAGENT_HOOK_BURST): a burst beyond it gets 429s, the rest through,
 * and behind a trusted load balancer (FRAGENT_TRUSTED_PROXIES) the limit is per client. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "jsonh.h"
#include "nitems.h"
#include "webhook.h"

#define N(id, type, cfg) "{\"id\":\"" id "\",\"type\":\"" type "\",\"config\":" cfg "}"
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"

/* Echoes the request's body and query through a respond node with a custom status. */
#define DEF_RESPOND "{\"nodes\":[" N("in", "input", "{}") "," N("r", "respond", \
	"{\"status\":201,\"headers\":{\"X-Custom\":\"yes\",\"Set-Cookie\":\"a=b\"," \
	"\"Content-Security-Policy\":\"default-src *\"},\"body\":\"{{ {b: .in.body, " \
	"q: .in.query, m: .in.method, h: .in.headers} }}\"}") "],\"edges\":[" E("in", "r") "]}"
/* Results only: {out: <body.x>}. */
#define DEF_PLAIN "{\"nodes\":[" N("in", "input", "{}") "," N("out", "output", \
	"{\"value\":\"{{ .in.body.x }}\"}") "],\"edges\":[" E("in", "out") "]}"
#define DEF_SLOW "{\"nodes\":[" N("in", "input", "{}") "," N("d", "delay", \
	"{\"ms\":3000}") "," N("out", "output", "{\"value\":\"done\"}") "],\"edges\":[" \
	E("in", "d") "," E("d", "out") "]}"
#define DEF_FAIL "{\"nodes\":[" N("in", "input", "{}") "," N("boom", "transform", \
	"{\"expr\":\"error(\\\"kaput\\\")\"}") "," N("out", "output", "{\"value\":\"x\"}") \
	"],\"edges\":[" E("in", "boom") "," E("boom", "out") "]}"

#define CONCURRENT	200

/* A workflow of "def" and a webhook on it with "hook" (JSON members); the webhook's JSON is
 * left in "*out" (put it). */
static void
make_hook(const char *def, const char *hook, char wf[UUID_STRLEN + 1], json_object **out)
{
	struct http_resp	 r;

	eng_workflow(def, wf);
	ck_assert_int_eq(it_req("POST", eng_fmt("/api/v1/workflows/%s/webhooks", wf), hook,
	    it_token(), &r), 201);
	*out = json_object_get(r.json);
	http_resp_clear(&r);
}

/* Calls hook "h" with "method", content type "ctype", "body" and extra "headers". */
static long
call_hook(json_object *h, const char *method, const char *query, const char *ctype,
    const char *body, const char *const *headers, struct http_resp *r)
{
	const char	*none[] = { "Authorization:", NULL };

	ck_assert_int_eq(http_do(method, eng_fmt("%s%s", jsonh_get_string(h, "path"),
	    query != NULL ? query : ""), ctype, body, headers != NULL ? headers : none, r), 0);
	return r->status;
}

START_TEST(test_async_none)
{
	json_object		*h, *ex;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1];
	const char		*id, *hdr[] = { "Authorization: Bearer not-for-the-run",
				    "X-Trace: t1", NULL };

	make_hook(DEF_PLAIN, "{\"name\":\"a\"}", wf, &h);
	ck_assert_str_eq(jsonh_get_string(h, "auth_mode"), "none");
	ck_assert_str_eq(jsonh_get_string(h, "response_mode"), "async");
	ck_assert_ptr_null(json_object_object_get(h, "secret"));
	ck_assert_int_eq(call_hook(h, "POST", "?a=1&b=two", "application/json",
	    "{\"x\":42}", hdr, &r), 202);
	id = jsonh_get_string(r.json, "execution_id");
	ck_assert(uuid_valid(id));
	ck_assert_str_eq(jsonh_get_string(r.json, "url"), eng_fmt("/api/v1/executions/%s", id));
	ck_assert_ptr_nonnull(strcasestr(r.headers, "Location: /api/v1/executions/"));
	ex = eng_wait(id, "succeeded", 15000);
	ck_assert_str_eq(jsonh_get_string(ex, "trigger"), "webhook");
	ck_assert_str_eq(jsonh_get_string(ex, "trigger_id"), jsonh_get_string(h, "id"));
	ck_assert_str_eq(jsonh_str(json_object_object_get(ex, "results")), "{\"out\":42}");
	/* The input: method, query, headers without the credentials, the parsed body. */
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "inputs"), "method"),
	    "POST");
	ck_assert_str_eq(jsonh_str(jsonh_get_typed(json_object_object_get(ex, "inputs"),
	    "query", json_type_object)), "{\"a\":\"1\",\"b\":\"two\"}");
	ck_assert_str_eq(jsonh_get_string(jsonh_get_typed(json_object_object_get(ex,
	    "inputs"), "headers", json_type_object), "x-trace"), "t1");
	ck_assert_ptr_null(jsonh_get_string(jsonh_get_typed(json_object_object_get(ex,
	    "inputs"), "headers", json_type_object), "authorization"));
	json_object_put(ex);
	http_resp_clear(&r);
	/* The filter by trigger. */
	ck_assert_int_eq(it_req("GET", eng_fmt("/api/v1/executions?trigger=webhook&"
	    "workflow_id=%s", wf), NULL, it_token(), &r), 200);
	ck_assert_int_eq((int)json_object_array_length(json_object_object_get(r.json,
	    "items")), 1);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("GET", eng_fmt("/api/v1/executions?trigger=manual&"
	    "workflow_id=%s", wf), NULL, it_token(), &r), 200);
	ck_assert_int_eq((int)json_object_array_length(json_object_object_get(r.json,
	    "items")), 0);
	http_resp_clear(&r);
	it_req("GET", "/api/v1/executions?trigger=bogus", NULL, it_token(), &r);
	it_assert_problem_at(&r, 422, "trigger");
	http_resp_clear(&r);
	json_object_put(h);
}
END_TEST

START_TEST(test_sync_respond)
{
	json_object		*h, *b;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1];

	make_hook(DEF_RESPOND, "{\"response_mode\":\"sync\",\"methods\":[\"POST\",\"GET\"]}",
	    wf, &h);
	ck_assert_int_eq(call_hook(h, "POST", "?q=1", "application/json", "{\"k\":[1,2]}",
	    NULL, &r), 201);
	ck_assert_ptr_nonnull(strcasestr(r.headers, "X-Custom: yes"));
	ck_assert_ptr_null(strcasestr(r.headers, "Set-Cookie"));
	ck_assert_ptr_null(strcasestr(r.headers, "default-src *"));
	ck_assert_ptr_nonnull(strcasestr(r.headers, "sandbox"));
	ck_assert_ptr_nonnull(strcasestr(r.content_type, "application/json"));
	ck_assert_ptr_nonnull(b = r.json);
	ck_assert_str_eq(jsonh_str(json_object_object_get(b, "b")), "{\"k\":[1,2]}");
	ck_assert_str_eq(jsonh_get_string(b, "m"), "POST");
	http_resp_clear(&r);
	/* A form body is an object, a text body a string, GET has none. */
	ck_assert_int_eq(call_hook(h, "POST", NULL, "application/x-www-form-urlencoded",
	    "a=1&b=x+y", NULL, &r), 201);
	ck_assert_str_eq(jsonh_str(json_object_object_get(r.json, "b")),
	    "{\"a\":\"1\",\"b\":\"x y\"}");
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, "text/plain", "hello", NULL, &r), 201);
	ck_assert_str_eq(jsonh_get_string(r.json, "b"), "hello");
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "GET", NULL, NULL, NULL, NULL, &r), 201);
	ck_assert_ptr_null(json_object_object_get(r.json, "b"));
	http_resp_clear(&r);
	/* PUT is not among its methods. */
	ck_assert_int_eq(call_hook(h, "PUT", NULL, "text/plain", "x", NULL, &r), 405);
	it_assert_problem(&r, 405);
	ck_assert_str_eq(r.allow, "GET,POST");
	http_resp_clear(&r);
	json_object_put(h);
}
END_TEST

START_TEST(test_sync_results_slow_fail)
{
	json_object		*h;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1];
	const char		*id;

	make_hook(DEF_PLAIN, "{\"response_mode\":\"sync\"}", wf, &h);
	ck_assert_int_eq(call_hook(h, "POST", NULL, "application/json", "{\"x\":\"v\"}", NULL,
	    &r), 200);
	ck_assert_str_eq(r.body.data, "{\"out\":\"v\"}");
	ck_assert_ptr_nonnull(strcasestr(r.headers, "X-Fragent-Execution-Id: "));
	http_resp_clear(&r);
	json_object_put(h);
	/* Longer than the limit: 202 with the execution, which goes on. */
	make_hook(DEF_SLOW, "{\"response_mode\":\"sync\",\"timeout_ms\":500}", wf, &h);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, NULL, &r), 202);
	id = jsonh_get_string(r.json, "execution_id");
	ck_assert(uuid_valid(id));
	json_object_put(eng_wait(id, "succeeded", 15000));
	http_resp_clear(&r);
	json_object_put(h);
	/* A failing run: problem+json naming the execution and the error. */
	make_hook(DEF_FAIL, "{\"response_mode\":\"sync\"}", wf, &h);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, NULL, &r), 500);
	it_assert_problem(&r, 500);
	ck_assert(uuid_valid(jsonh_get_string(r.json, "execution_id")));
	ck_assert_str_eq(jsonh_get_string(r.json, "execution_status"), "failed");
	ck_assert_ptr_nonnull(strstr(jsonh_get_string(r.json, "detail"), "kaput"));
	http_resp_clear(&r);
	json_object_put(h);
}
END_TEST

START_TEST(test_auth_secret)
{
	json_object		*h;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], good[256];
	const char		*secret, *bad[] = { "X-Fragent-Secret: whs_nope", NULL };
	const char		*ok[] = { good, NULL };

	make_hook(DEF_PLAIN, "{\"auth_mode\":\"secret\"}", wf, &h);
	ck_assert_ptr_nonnull(secret = jsonh_get_string(h, "secret"));
	ck_assert_int_eq((int)strlen(secret), WEBHOOK_SECRET_LEN);
	snprintf(good, sizeof(good), WEBHOOK_SECRET_HEADER ": %s", secret);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, NULL, &r), 401);
	it_assert_problem(&r, 401);
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, bad, &r), 401);
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, ok, &r), 202);
	http_resp_clear(&r);
	/* The secret is never shown again, and never reaches the run. */
	ck_assert_int_eq(it_req("GET", eng_fmt("/api/v1/webhooks/%s", jsonh_get_string(h,
	    "id")), NULL, it_token(), &r), 200);
	ck_assert_ptr_null(json_object_object_get(r.json, "secret"));
	http_resp_clear(&r);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE "
	    "inputs::text LIKE $$%%%s%%$$", secret)), "0");
	/* Rotating the secret: the old one fails. */
	ck_assert_int_eq(it_req("POST", eng_fmt("/api/v1/webhooks/%s/rotate",
	    jsonh_get_string(h, "id")), "{\"secret\":true,\"token\":false}", it_token(), &r),
	    200);
	ck_assert_str_ne(jsonh_get_string(r.json, "secret"), secret);
	ck_assert_str_eq(jsonh_get_string(r.json, "token"), jsonh_get_string(h, "token"));
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, ok, &r), 401);
	http_resp_clear(&r);
	json_object_put(h);
}
END_TEST

/* A curl write callback that drops the answer's body. */
static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* With several processes on jobd's listener port (tests/integration.sh runs two), a webhook
 * with a secret is answered by each of them: every one opens the secret with the master key.
 * Each call is a new connection to the port itself, which the kernel hands to any of them. */
START_TEST(test_secret_through_every_listener)
{
	enum { CALLS = 24 };
	json_object		*h;
	struct curl_slist	*hdr;
	const char		*port = getenv("FRAGENT_SSE_PORT");
	char			 wf[UUID_STRLEN + 1], good[256], url[512];
	long			 status;
	int			 i;

	ck_assert_ptr_nonnull(port);
	make_hook(DEF_PLAIN, "{\"auth_mode\":\"secret\"}", wf, &h);
	snprintf(good, sizeof(good), WEBHOOK_SECRET_HEADER ": %s", jsonh_get_string(h, "secret"));
	snprintf(url, sizeof(url), "http://127.0.0.1:%s%s", port, jsonh_get_string(h, "path"));
	hdr = curl_slist_append(curl_slist_append(NULL, good), "Content-Type: application/json");
	for (i = 0; i < CALLS; i++) {
		CURL	*c = curl_easy_init();

		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"x\":1}");
		curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
		ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
		status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(c);
		ck_assert_msg(status == 202, "call %d answered %ld", i, status);
	}
	curl_slist_free_all(hdr);
	json_object_put(h);
}
END_TEST

/* Sends "body" to "h" signed at "ts" with "secret" (or a wrong signature, "tamper"). */
static long
call_signed(json_object *h, const char *secret, long ts, const char *body, int tamper,
    struct http_resp *r)
{
	char		 sig[WEBHOOK_SIG_LEN + 1], tss[24], hs[160], ht[64];
	const char	*hdr[] = { hs, ht, "Authorization:", NULL };

	snprintf(tss, sizeof(tss), "%ld", ts);
	webhook_sign(secret, tss, body, strlen(body), sig);
	if (tamper)
		sig[WEBHOOK_SIG_LEN - 1] = sig[WEBHOOK_SIG_LEN - 1] == '0' ? '1' : '0';
	snprintf(hs, sizeof(hs), WEBHOOK_SIG_HEADER ": %s", sig);
	snprintf(ht, sizeof(ht), WEBHOOK_TS_HEADER ": %s", tss);
	return call_hook(h, "POST", NULL, "application/json", body, hdr, r);
}

START_TEST(test_auth_hmac)
{
	json_object		*h;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], secret[WEBHOOK_SECRET_LEN + 1];
	long			 now = (long)time(NULL);

	make_hook(DEF_PLAIN, "{\"auth_mode\":\"hmac\",\"replay_window_s\":60}", wf, &h);
	snprintf(secret, sizeof(secret), "%s", jsonh_get_string(h, "secret"));
	ck_assert_int_eq(call_signed(h, secret, now, "{\"x\":1}", 0, &r), 202);
	http_resp_clear(&r);
	/* The same signed request again: a replay. */
	ck_assert_int_eq(call_signed(h, secret, now, "{\"x\":1}", 0, &r), 409);
	it_assert_problem(&r, 409);
	http_resp_clear(&r);
	ck_assert_int_eq(call_signed(h, secret, now, "{\"x\":2}", 1, &r), 401);
	http_resp_clear(&r);
	ck_assert_int_eq(call_signed(h, secret, now - 3600, "{\"x\":3}", 0, &r), 401);
	ck_assert_ptr_nonnull(strstr(jsonh_get_string(r.json, "detail"), "window"));
	http_resp_clear(&r);
	ck_assert_int_eq(call_signed(h, "whs_other", now, "{\"x\":4}", 0, &r), 401);
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, "application/json", "{}", NULL, &r), 401);
	http_resp_clear(&r);
	json_object_put(h);
}
END_TEST

START_TEST(test_bad_requests)
{
	json_object		*h, *rotated;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], *big;
	size_t			 n = WEBHOOK_BODY_MAX + 16;

	make_hook(DEF_PLAIN, "{}", wf, &h);
	ck_assert_int_eq(call_hook(h, "POST", NULL, "application/json", "{\"x\":", NULL, &r),
	    400);
	it_assert_problem(&r, 400);
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, "application/octet-stream", "\xff\xfe",
	    NULL, &r), 415);
	it_assert_problem(&r, 415);
	http_resp_clear(&r);
	big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	big[n] = '\0';
	ck_assert_int_eq(call_hook(h, "POST", NULL, "text/plain", big, NULL, &r), 413);
	it_assert_problem(&r, 413);
	free(big);
	http_resp_clear(&r);
	/* A query name that is not UTF-8 is stored cleaned, not refused by the database. */
	ck_assert_int_eq(call_hook(h, "POST", "?%FF=1", NULL, NULL, NULL, &r), 202);
	json_object_put(eng_wait(jsonh_get_string(r.json, "execution_id"), "succeeded",
	    15000));
	http_resp_clear(&r);
	/* Unknown, malformed and disabled tokens run nothing. */
	ck_assert_int_eq(http_do("POST", "/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL, NULL, NULL, &r), 0);
	ck_assert_int_eq(r.status, 404);
	it_assert_problem(&r, 404);
	http_resp_clear(&r);
	ck_assert_int_eq(http_do("POST", "/hooks/short", NULL, NULL, NULL, &r), 0);
	ck_assert_int_eq(r.status, 404);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("PATCH", eng_fmt("/api/v1/webhooks/%s", jsonh_get_string(h,
	    "id")), "{\"enabled\":false}", it_token(), &r), 200);
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, NULL, &r), 410);
	it_assert_problem(&r, 410);
	http_resp_clear(&r);
	/* A rotated token: the old path is gone, the new one works. */
	ck_assert_int_eq(it_req("POST", eng_fmt("/api/v1/webhooks/%s/rotate",
	    jsonh_get_string(h, "id")), NULL, it_token(), &r), 200);
	ck_assert_str_ne(jsonh_get_string(r.json, "token"), jsonh_get_string(h, "token"));
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("PATCH", eng_fmt("/api/v1/webhooks/%s", jsonh_get_string(h,
	    "id")), "{\"enabled\":true}", it_token(), &r), 200);
	rotated = json_object_get(r.json);
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(rotated, "POST", NULL, NULL, NULL, NULL, &r), 202);
	json_object_put(rotated);
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, NULL, &r), 404);
	http_resp_clear(&r);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE workflow_id = "
	    "$$%s$$", wf)), "2");
	json_object_put(h);
}
END_TEST

/* Sends CONCURRENT identical keyed requests at once; returns how many were answered 202. */
static int
call_many(const char *url, const char *body, const char *key)
{
	CURLM			*m = curl_multi_init();
	CURL			*e[CONCURRENT];
	struct curl_slist	*hd = NULL;
	char			 kh[300];
	int			 running = 0, i, ok = 0;
	long			 st;

	snprintf(kh, sizeof(kh), "Idempotency-Key: %s", key);
	hd = curl_slist_append(hd, kh);
	hd = curl_slist_append(hd, "Content-Type: application/json");
	for (i = 0; i < CONCURRENT; i++) {
		e[i] = curl_easy_init();
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, discard);
		curl_multi_add_handle(m, e[i]);
	}
	do {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 100, NULL);
	} while (running > 0);
	for (i = 0; i < CONCURRENT; i++) {
		st = 0;
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &st);
		ok += st == 202;
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
	}
	curl_slist_free_all(hd);
	curl_multi_cleanup(m);
	return ok;
}

START_TEST(test_idempotency)
{
	json_object		*h;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], url[512];
	const char		*k1[] = { "Idempotency-Key: order-77", NULL };

	make_hook(DEF_PLAIN, "{}", wf, &h);
	snprintf(url, sizeof(url), "%s%s", it_base_url(), jsonh_get_string(h, "path"));
	ck_assert_int_eq(call_many(url, "{\"x\":1}", "order-77"), CONCURRENT);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE workflow_id = "
	    "$$%s$$", wf)), "1");
	/* Again later: the first execution, marked replayed; another body is 422. */
	ck_assert_int_eq(call_hook(h, "POST", NULL, "application/json", "{\"x\":1}", k1, &r),
	    202);
	ck_assert_str_eq(r.replayed, "true");
	http_resp_clear(&r);
	ck_assert_int_eq(call_hook(h, "POST", NULL, "application/json", "{\"x\":2}", k1, &r),
	    422);
	it_assert_problem(&r, 422);
	ck_assert_ptr_nonnull(strstr(jsonh_get_string(r.json, "detail"), "Idempotency-Key"));
	http_resp_clear(&r);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE workflow_id = "
	    "$$%s$$", wf)), "1");
	json_object_put(h);
}
END_TEST

START_TEST(test_api_scopes)
{
	json_object		*h;
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], *viewer, *other, path[128];

	make_hook(DEF_PLAIN, "{\"name\":\"scoped\"}", wf, &h);
	ck_assert_ptr_nonnull(viewer = it_login_as("it-hooks-viewer", "viewer"));
	ck_assert_ptr_nonnull(other = it_login_as("it-hooks-editor", "editor"));
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/webhooks", wf);
	ck_assert_int_eq(it_status("POST", path, "{}", viewer), 403);
	ck_assert_int_eq(it_status("POST", path, "{}", other), 404);
	ck_assert_int_eq(it_status("GET", eng_fmt("/api/v1/webhooks/%s", jsonh_get_string(h,
	    "id")), NULL, other), 404);
	ck_assert_int_eq(it_status("DELETE", eng_fmt("/api/v1/webhooks/%s",
	    jsonh_get_string(h, "id")), NULL, other), 404);
	it_req("POST", path, "{\"timeout_ms\":5,\"methods\":[\"TRACE\"],\"auth_mode\":"
	    "\"basic\"}", it_token(), &r);
	it_assert_problem_at(&r, 422, "timeout_ms");
	it_assert_problem_at(&r, 422, "methods[0]");
	it_assert_problem_at(&r, 422, "auth_mode");
	http_resp_clear(&r);
	it_req("POST", eng_fmt("/api/v1/webhooks/%s/rotate", jsonh_get_string(h, "id")),
	    "{\"secret\":true}", it_token(), &r);
	it_assert_problem_at(&r, 422, "secret");
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("GET", path, NULL, it_token(), &r), 200);
	ck_assert_int_eq((int)json_object_array_length(json_object_object_get(r.json,
	    "items")), 1);
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("DELETE", eng_fmt("/api/v1/webhooks/%s",
	    jsonh_get_string(h, "id")), NULL, it_token()), 204);
	ck_assert_int_eq(call_hook(h, "POST", NULL, NULL, NULL, NULL, &r), 404);
	http_resp_clear(&r);
	free(viewer);
	free(other);
	json_object_put(h);
}
END_TEST

START_TEST(test_api_wait)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], path[128];

	eng_workflow(DEF_PLAIN, wf);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	ck_assert_int_eq(it_req("POST", path, "{\"inputs\":{\"body\":{\"x\":5}},\"wait\":10}",
	    it_token(), &r), 200);
	ck_assert_str_eq(jsonh_get_string(r.json, "status"), "succeeded");
	ck_assert_str_eq(jsonh_get_string(r.json, "trigger"), "manual");
	ck_assert_str_eq(jsonh_str(json_object_object_get(r.json, "results")), "{\"out\":5}");
	http_resp_clear(&r);
	eng_workflow(DEF_SLOW, wf);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	ck_assert_int_eq(it_req("POST", path, "{\"wait\":1}", it_token(), &r), 202);
	ck_assert_str_ne(jsonh_get_string(r.json, "status"), "succeeded");
	http_resp_clear(&r);
	it_req("POST", path, "{\"wait\":31}", it_token(), &r);
	it_assert_problem_at(&r, 422, "wait");
	http_resp_clear(&r);
}
END_TEST

/* One address calls more webhooks at once than FRAGENT_HOOK_BURST allows (an unknown token:
 * a flood that runs nothing yet costs lookups): the burst goes through to jobd (404 each),
 * the rest get nginx's 429 as problem+json, nothing else; once the rate refills the bucket,
 * calls go through again. Last of the suite: it spends the bucket. */
START_TEST(test_rate_limit_per_address)
{
	const char	*burst = getenv("FRAGENT_HOOK_BURST");
	size_t		 through, refused;

	ck_assert_ptr_nonnull(burst);
	it_hook_flood(NULL, &through, &refused);
	printf("it_hooks: %zu calls at once from one address: %zu through, %zu refused\n",
	    through + refused, through, refused);
	ck_assert_uint_ge(through, (size_t)atol(burst));
	ck_assert_uint_gt(refused, 0);
}
END_TEST

/* Behind a load balancer (FRAGENT_TRUSTED_PROXIES: 127.0.0.5 in the suites' stack) nginx
 * limits each client the balancer names in X-Forwarded-For, not the balancer: a flood from
 * as many clients goes through whole; from one client it is cut as from one address, whatever
 * the client forged before the address the balancer appended; and from any other address the
 * header is not believed, so its many "clients" are one. */
START_TEST(test_rate_limit_behind_proxy)
{
	const char	*trusted = getenv("FRAGENT_TRUSTED_PROXIES");
	size_t		 n = it_hook_flood_size(), i, through, refused;
	char		 balancer[32], (*clients)[32], (*forged)[64];
	const char	**many, **one;

	ck_assert_ptr_nonnull(trusted);
	snprintf(balancer, sizeof(balancer), "%.*s", (int)strcspn(trusted, "/ "), trusted);
	ck_assert_ptr_nonnull(clients = calloc(n, sizeof(*clients)));
	ck_assert_ptr_nonnull(forged = calloc(n, sizeof(*forged)));
	ck_assert_ptr_nonnull(many = calloc(n, sizeof(*many)));
	ck_assert_ptr_nonnull(one = calloc(n, sizeof(*one)));
	for (i = 0; i < n; i++) {
		snprintf(clients[i], sizeof(clients[i]), "198.51.%zu.%zu", i / 250, 1 + i % 250);
		snprintf(forged[i], sizeof(forged[i]), "%s, 203.0.113.9", clients[i]);
		many[i] = clients[i];
		one[i] = forged[i];
	}

	it_hook_flood(&(struct http_origin){ balancer, many }, &through, &refused);
	ck_assert_uint_eq(refused, 0);
	ck_assert_uint_eq(through, n);
	it_hook_flood(&(struct http_origin){ balancer, one }, &through, &refused);
	printf("it_hooks: %zu calls of one client through the balancer: %zu refused\n", n,
	    refused);
	ck_assert_uint_gt(refused, 0);
	it_hook_flood(&(struct http_origin){ "127.0.0.6", many }, &through, &refused);
	printf("it_hooks: %zu calls of as many forwarded clients from elsewhere: %zu refused\n",
	    n, refused);
	ck_assert_uint_gt(refused, 0);
	free(clients);
	free(forged);
	free(many);
	free(one);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("hooks");
	TCase	*tc;
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_hooks: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("hooks");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_async_none);
	tcase_add_test(tc, test_sync_respond);
	tcase_add_test(tc, test_sync_results_slow_fail);
	tcase_add_test(tc, test_auth_secret);
	tcase_add_test(tc, test_secret_through_every_listener);
	tcase_add_test(tc, test_auth_hmac);
	tcase_add_test(tc, test_bad_requests);
	tcase_add_test(tc, test_idempotency);
	tcase_add_test(tc, test_api_scopes);
	tcase_add_test(tc, test_api_wait);
	tcase_add_test(tc, test_rate_limit_per_address);
	tcase_add_test(tc, test_rate_limit_behind_proxy);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
