/* it_model_guard.c: agents' model endpoints behind the SSRF guard, through the real stack
 * (nginx, fragent-api, jobd) with tests/llmsrv on the one loopback address the stack's model
 * allow-list admits (LLMSRV_ADDR, FRAGENT_MODEL_ALLOWLIST; tests/integration.sh): base_urls
 * that can never work are 422 at save time; loopback in every spelling, 0.0.0.0, link-local,
 * private ranges, a name resolving to loopback and a vendor's redirect end as a failed step
 * whose error quotes no answer bytes and no credential; the admitted vendor works; a
 * connection the HTTP node opened is not reused by a model call it may not make, nor the
 * reverse; GET /settings shows the allow-lists to admins only. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "check_run.h"

#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"
#include "nitems.h"

#define SECRET	"sk-guard-SECRET-5e1d0b77"

static struct llmsrv	 srv;
static char		 cred_id[UUID_STRLEN + 1];

/* The port of the stack's nginx (the API itself is a loopback target). */
static const char *
api_port(void)
{
	const char	*p = getenv("FRAGENT_HTTP_PORT");

	return p != NULL ? p : "18080";
}

/* Copies "tpl" into "out" with "PORT" replaced by the API's port. */
static void
with_port(const char *tpl, char *out, size_t len)
{
	const char	*p = strstr(tpl, "PORT");

	ck_assert_ptr_nonnull(p);
	snprintf(out, len, "%.*s%s%s", (int)(p - tpl), tpl, api_port(), p + 4);
}

/* The agent configuration for "base_url" and "model". */
static const char *
agent_body(const char *base_url, const char *model)
{
	return eng_fmt("{\"name\":\"guard\",\"configuration\":{\"provider\":\"openai\","
	    "\"base_url\":\"%s\",\"model\":\"%s\",\"credential_id\":\"%s\"}}", base_url, model,
	    cred_id);
}

/* base_url ("PORT": the API's port), and what the 422 says of it */
static const struct { const char *url, *want; } bad_urls[] = {
	{ "http://127.0.0.1:PORT/api/v1/health#", "fragment" },
	{ "http://127.0.0.1:PORT/api/v1/health?x=1", "query" },
	{ "http://user:pw@127.0.0.2:PORT/v1", "user name or password" },
	{ "http://@127.0.0.2:PORT/v1", "user name or password" },
	{ "file:///etc/passwd#PORT", "" },
	{ "gopher://127.0.0.1:PORT/_INFO", "" },
	{ "http://exa mple.com:PORT/", "spaces" },
	{ "http://example.com:PORT\\\\@127.0.0.1/", "backslashes" },
	{ "http://[::1:PORT/v1", "not a URL" },
	{ "http://127.0.0.1:PORT0000000/v1", "not a URL" },
};

START_TEST(test_base_url_save_time)
{
	struct http_resp	 r;
	json_object		*e;
	char			 url[256];

	with_port(bad_urls[_i].url, url, sizeof(url));
	ck_assert_int_eq(it_req("POST", "/api/v1/agents", agent_body(url, "echo"), it_token(),
	    &r), 422);
	it_assert_problem(&r, 422);
	e = json_object_array_get_idx(json_object_object_get(r.json, "errors"), 0);
	ck_assert_msg(e != NULL && strcmp(jsonh_get_string(e, "field"),
	    "configuration.base_url") == 0 && strstr(jsonh_get_string(e, "message"),
	    bad_urls[_i].want) != NULL, "%s: %s", url, r.body.data);
	http_resp_clear(&r);
}
END_TEST

/* Runs a chat with a new agent of "base_url" and "model"; returns the ended execution. */
static json_object *
chat_run(const char *base_url, const char *model)
{
	struct http_resp	 r;
	json_object		*ex;
	char			 agent[UUID_STRLEN + 1], path[128];

	it_create("/api/v1/agents", agent_body(base_url, model), it_token(), agent);
	snprintf(path, sizeof(path), "/api/v1/agents/%s/chat", agent);
	ck_assert_int_eq(it_req("POST", path, "{\"message\":\"hi\"}", it_token(), &r), 202);
	ex = eng_wait(jsonh_get_string(r.json, "id"), NULL, 30000);
	http_resp_clear(&r);
	ck_assert_ptr_nonnull(ex);
	return ex;
}

/* Asserts that "err" (a step's error) says "want", and quotes no answer and no secret. */
static void
assert_clean_error(const char *err, const char *want)
{
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, want) != NULL, "want \"%s\": %s", want, err);
	ck_assert_msg(strstr(err, "SECRET") == NULL && strstr(err, "BODYMARK") == NULL &&
	    strstr(err, "\"ok\"") == NULL && strstr(err, "status") == NULL, "%s", err);
}

/* base_url ("PORT": the API's port), what the step error says */
static const struct { const char *url, *want; } refused[] = {
	{ "http://127.0.0.1:PORT/api/v1", "127.0.0.1 is loopback" },	/* the API itself */
	{ "http://2130706433:PORT/api/v1", "127.0.0.1 is loopback" },
	{ "http://0177.0.0.1:PORT/api/v1", "127.0.0.1 is loopback" },
	{ "http://0x7f000001:PORT/api/v1", "127.0.0.1 is loopback" },
	{ "http://[::1]:PORT/v1", "::1 is loopback" },
	{ "http://[::ffff:127.0.0.1]:PORT/v1", "127.0.0.1 is loopback" },
	{ "http://0.0.0.0:PORT/v1", "0.0.0.0 is a \"this network\" address" },
	{ "http://169.254.169.254:PORT/latest", "169.254.169.254 is link-local" },
	{ "http://10.0.0.1:PORT/v1", "10.0.0.1 is private" },
	{ "http://192.168.1.1:PORT/v1", "192.168.1.1 is private" },
	{ "http://172.16.0.1:PORT/v1", "172.16.0.1 is private" },
	{ "http://localhost:PORT/api/v1", "is loopback" },		/* a name for loopback */
};

START_TEST(test_base_url_refused)
{
	json_object	*ex;
	char		 url[256];

	with_port(refused[_i].url, url, sizeof(url));
	ex = chat_run(url, "echo");
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "failed");
	assert_clean_error(jsonh_get_string(eng_step(ex, "agent"), "error"),
	    "model endpoint refused by the SSRF guard");
	assert_clean_error(jsonh_get_string(eng_step(ex, "agent"), "error"), refused[_i].want);
	assert_clean_error(jsonh_get_string(eng_step(ex, "agent"), "error"),
	    "FRAGENT_MODEL_ALLOWLIST");
	json_object_put(ex);
}
END_TEST

/* The allow-listed local vendor works; its redirect to the metadata address is not followed
 * and its body is not quoted; an error body echoing the key is redacted. */
START_TEST(test_local_vendor)
{
	json_object	*ex, *reqs;
	char		 url[128];

	llmsrv_reset(&srv);
	snprintf(url, sizeof(url), "%s/v1", srv.base);
	ex = chat_run(url, "echo");
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), "succeeded") == 0, "%s",
	    jsonh_str(ex));
	json_object_put(ex);
	ex = chat_run(url, "redirect");
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "failed");
	assert_clean_error(jsonh_get_string(eng_step(ex, "agent"), "error"), "a redirect");
	json_object_put(ex);
	ex = chat_run(url, "echo_key");
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "failed");
	assert_clean_error(jsonh_get_string(eng_step(ex, "agent"), "error"), "[redacted]");
	json_object_put(ex);
	reqs = llmsrv_requests(&srv, "redirect");
	ck_assert_uint_eq(json_object_array_length(reqs), 1);
	json_object_put(reqs);
}
END_TEST

/* An output node after node "n", and its edge. */
#define OUT_NODE(n)	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":" \
	"\"{{ ." n ".output }}\"}}"
#define OUT_EDGE(n)	"{\"source\":\"" n "\",\"target\":\"out\"}"

/* One workflow, so one worker: node "a" fetches "first" with the HTTP node, then agent "m"
 * calls a model at "model_base". */
static json_object *
run_http_then_agent(const char *first, const char *model_base, const char *model)
{
	char	 agent[UUID_STRLEN + 1];

	it_create("/api/v1/agents", agent_body(model_base, model), it_token(), agent);
	return eng_run(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"a\",\"type\":\"http_request\",\"config\":{\"url\":\"%s\","
	    "\"fail_on_status\":false}},{\"id\":\"m\",\"type\":\"agent\",\"config\":"
	    "{\"agent_id\":\"%s\",\"prompt\":\"hi\"}}," OUT_NODE("m") "],\"edges\":["
	    "{\"source\":\"in\",\"target\":\"a\"},{\"source\":\"a\",\"target\":\"m\"},"
	    OUT_EDGE("m") "]}", first, agent), NULL, "failed");
}

/* A connection to tests/testsrv that the HTTP node opened (its list admits 127.0.0.1) is not
 * taken by a model call to the same host and port (the model list does not admit it): the
 * call is refused, and the server never sees a model request (nor the key). */
START_TEST(test_pool_http_then_model)
{
	json_object	*ex;
	char		 first[128], base[128];
	long		 before = eng_srv_count("guard-pool");

	snprintf(first, sizeof(first), "http://127.0.0.1:%d/count/guard-pool", eng_srv_port());
	snprintf(base, sizeof(base), "http://127.0.0.1:%d/echo", eng_srv_port());
	ex = run_http_then_agent(first, base, "echo");
	ck_assert_str_eq(jsonh_get_string(eng_step(ex, "a"), "status"), "succeeded");
	assert_clean_error(jsonh_get_string(eng_step(ex, "m"), "error"),
	    "model endpoint refused by the SSRF guard: 127.0.0.1 is loopback");
	ck_assert_int_eq(eng_srv_count("guard-pool"), before + 1);
	json_object_put(ex);
}
END_TEST

/* The reverse: after a model call to llmsrv (admitted for models), the HTTP node may not
 * reach the same host and port (its list admits 127.0.0.1 only). */
START_TEST(test_pool_model_then_http)
{
	json_object	*ex, *reqs;
	char		 agent[UUID_STRLEN + 1], base[128];

	llmsrv_reset(&srv);
	snprintf(base, sizeof(base), "%s/v1", srv.base);
	it_create("/api/v1/agents", agent_body(base, "echo"), it_token(), agent);
	ex = eng_run(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"m\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\",\"prompt\":\"hi\"}},"
	    "{\"id\":\"b\",\"type\":\"http_request\",\"config\":{\"url\":\"%s/_health\"}},"
	    OUT_NODE("b") "],\"edges\":[{\"source\":\"in\",\"target\":\"m\"},{\"source\":"
	    "\"m\",\"target\":\"b\"}," OUT_EDGE("b") "]}", agent, srv.base), NULL, "failed");
	ck_assert_str_eq(jsonh_get_string(eng_step(ex, "m"), "status"), "succeeded");
	assert_clean_error(jsonh_get_string(eng_step(ex, "b"), "error"),
	    "refused by the SSRF guard");
	assert_clean_error(jsonh_get_string(eng_step(ex, "b"), "error"),
	    "FRAGENT_HTTP_ALLOWLIST");
	reqs = llmsrv_requests(&srv, "echo");
	ck_assert_uint_eq(json_object_array_length(reqs), 1);
	json_object_put(reqs);
	json_object_put(ex);
}
END_TEST

/* GET /settings: the allow-lists for admins, 403 for the others, never a secret. */
START_TEST(test_settings_route)
{
	struct http_resp	 r;
	json_object		*a, *o;
	char			*editor = it_login_as("guard-editor", "editor");
	size_t			 i;
	int			 seen = 0;

	ck_assert_int_eq(it_req("GET", "/api/v1/settings", NULL, it_token(), &r), 200);
	a = json_object_object_get(r.json, "settings");
	for (i = 0; i < json_object_array_length(a); i++) {
		o = json_object_array_get_idx(a, i);
		if (strcmp(jsonh_get_string(o, "name"), "FRAGENT_MODEL_ALLOWLIST") == 0) {
			ck_assert_str_eq(jsonh_get_string(o, "value"), getenv(
			    "FRAGENT_MODEL_ALLOWLIST"));
			seen++;
		}
		if (strcmp(jsonh_get_string(o, "name"), "FRAGENT_HTTP_ALLOWLIST") == 0)
			seen++;
		/* The engine's limits are shown too (2 in the test stack). */
		if (strcmp(jsonh_get_string(o, "name"), "FRAGENT_JOBD_MAX_ABANDONS") == 0) {
			ck_assert_str_eq(jsonh_get_string(o, "value"), getenv(
			    "FRAGENT_JOBD_MAX_ABANDONS"));
			seen++;
		}
		if (strcmp(jsonh_get_string(o, "name"), "FRAGENT_SANDBOX_LIMIT_MS") == 0)
			seen++;
	}
	ck_assert_int_eq(seen, 4);
	ck_assert(strstr(r.body.data, "postgresql://") == NULL &&
	    strstr(r.body.data, "redis://") == NULL && strstr(r.body.data, "_KEY\"") == NULL);
	http_resp_clear(&r);
	ck_assert_ptr_nonnull(editor);
	ck_assert_int_eq(it_status("GET", "/api/v1/settings", NULL, editor), 403);
	ck_assert_int_eq(it_status("GET", "/api/v1/settings", NULL, NULL), 401);
	free(editor);
}
END_TEST

static void
setup(void)
{
	ck_assert_int_eq(llmsrv_start(&srv), 0);
	ck_assert_int_gt(eng_srv_start(), 0);
	it_create("/api/v1/credentials", "{\"name\":\"it-guard\",\"provider\":\"openai\","
	    "\"secret\":\"" SECRET "\"}", it_token(), cred_id);
}

static void
teardown(void)
{
	llmsrv_stop(&srv);
	eng_srv_stop();
}

int
main(void)
{
	Suite	*s = suite_create("model_guard");
	TCase	*tc = tcase_create("model_guard");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_model_guard: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_base_url_save_time, 0, sizeof(bad_urls) /
	    sizeof(bad_urls[0]));
	tcase_add_loop_test(tc, test_base_url_refused, 0, NITEMS(refused));
	tcase_add_test(tc, test_local_vendor);
	tcase_add_test(tc, test_pool_http_then_model);
	tcase_add_test(tc, test_pool_model_then_http);
	tcase_add_test(tc, test_settings_route);
	suite_add_tcase(s, tc);
	return check_run(s);
}
