/* it_http_node.c: the http_request node. Through the real stack (its allow-list admits only
 * 127.0.0.1/32, where tests/testsrv listens): methods, templated headers, JSON and text
 * bodies, 4xx/5xx, timeout, size cap, and the SSRF guard refusing other private, loopback and
 * link-local destinations however they are written, on redirects too, and non-HTTP schemes.
 * In this process (jobd's own node code on a libevent loop, no allow-list): 127.0.0.1 and
 * names resolving to it are refused, and admitted once allow-listed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "check_run.h"
#include "httpc.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "nitems.h"
#include "nodes/node.h"
#include "sandbox.h"
#include "ssrf.h"
#include "wf.h"

#define N(id, type, conf) "{\"id\":\"" id "\",\"type\":\"" type "\",\"config\":" conf "}"
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"

/* Runs in -> call (config "conf", with PORT replaced) -> out; returns the execution. */
static json_object *
run_call(const char *conf, const char *inputs, const char *status)
{
	char		 c[2048], *p;
	const char	*def;

	snprintf(c, sizeof(c), "%s", conf);
	while ((p = strstr(c, "PORT")) != NULL) {
		char	 rest[2048];

		snprintf(rest, sizeof(rest), "%s", p + 4);
		snprintf(p, sizeof(c) - (size_t)(p - c), "%d%s", eng_srv_port(), rest);
	}
	def = eng_fmt("{\"nodes\":[" N("in", "input", "{}") ",{\"id\":\"call\","
	    "\"type\":\"http_request\",\"config\":%s}," N("out", "output",
	    "{\"value\":\"{{ .call.output }}\"}") "],\"edges\":[" E("in", "call") ","
	    E("call", "out") "]}", c);
	return eng_run(def, inputs, status);
}

/* The echo server's view of the request ("body" of the call's output; borrowed). */
static json_object *
echoed(json_object *ex)
{
	return json_object_object_get(json_object_object_get(json_object_object_get(ex,
	    "results"), "out"), "body");
}

/* Established TCP connections whose remote port is "port": jobd's side of its kept-alive
 * connections to the test server (/proc/net/tcp lists every socket of the host). */
static int
conns_to(int port)
{
	FILE		*f = fopen("/proc/net/tcp", "r");
	char		 line[512];
	unsigned	 rport, st;
	int		 n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " %*d: %*x:%*x %*x:%x %x", &rport, &st) == 2 &&
		    (int)rport == port && st == 1)
			n++;
	fclose(f);
	return n;
}

/* jobd keeps its connections to a server alive between runs, closes them once no run was in
 * flight for FRAGENT_JOBD_HTTP_IDLE_MS (3 s on the test stack), and opens a new one next. */
START_TEST(test_idle_connections_close)
{
	long	 deadline;
	int	 n;

	json_object_put(run_call("{\"url\":\"http://127.0.0.1:PORT/echo\"}", NULL,
	    "succeeded"));
	ck_assert_int_ge(conns_to(eng_srv_port()), 1);
	deadline = eng_now_ms() + 10000;
	while ((n = conns_to(eng_srv_port())) > 0 && eng_now_ms() < deadline)
		usleep(200 * 1000);
	ck_assert_msg(n == 0, "%d connections still open after the idle time", n);
	json_object_put(run_call("{\"url\":\"http://127.0.0.1:PORT/echo\"}", NULL,
	    "succeeded"));
	ck_assert_int_ge(conns_to(eng_srv_port()), 1);
}
END_TEST

static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

START_TEST(test_methods)
{
	char		 conf[256];
	json_object	*ex;

	snprintf(conf, sizeof(conf), "{\"method\":\"%s\",\"url\":\"http://127.0.0.1:PORT/echo\"}",
	    methods[_i]);
	ex = run_call(conf, NULL, "succeeded");
	ck_assert_str_eq(jsonh_get_string(echoed(ex), "method"), methods[_i]);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_object_get(
	    json_object_object_get(ex, "results"), "out"), "status")), 200);
	json_object_put(ex);
}
END_TEST

START_TEST(test_templated_request)
{
	json_object	*ex = run_call("{\"method\":\"POST\",\"url\":\"http://127.0.0.1:PORT/echo/"
	    "{{ .in.path }}?q={{ .in.q }}\",\"headers\":{\"X-Who\":\"{{ .in.who }}\"},"
	    "\"body_type\":\"json\",\"body\":{\"name\":\"{{ .in.who }}\",\"n\":\"{{ .in.n }}\","
	    "\"fixed\":[1,true]}}", "{\"path\":\"p1\",\"q\":\"x\",\"who\":\"Ada\",\"n\":3}",
	    "succeeded");
	json_object	*e = echoed(ex), *h = json_object_object_get(e, "headers"), *sent = NULL;
	char		 err[128];

	ck_assert_str_eq(jsonh_get_string(e, "path"), "/echo/p1");
	ck_assert_str_eq(jsonh_get_string(e, "query"), "q=x");
	ck_assert_str_eq(jsonh_get_string(h, "X-Who"), "Ada");
	ck_assert_str_eq(jsonh_get_string(h, "Content-Type"), "application/json");
	/* a template that is one expression keeps its type: n stays a number */
	ck_assert_int_eq(jsonh_parse(jsonh_get_string(e, "body"), strlen(jsonh_get_string(e,
	    "body")), &sent, err, sizeof(err)), 0);
	ck_assert_str_eq(jsonh_get_string(sent, "name"), "Ada");
	ck_assert(json_object_is_type(json_object_object_get(sent, "n"), json_type_int));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(sent, "n")), 3);
	ck_assert_str_eq(jsonh_str(json_object_object_get(sent, "fixed")), "[1,true]");
	json_object_put(sent);
	json_object_put(ex);
}
END_TEST

START_TEST(test_text_body)
{
	json_object	*ex = run_call("{\"method\":\"PUT\",\"url\":\"http://127.0.0.1:PORT/echo\","
	    "\"headers\":{\"Content-Type\":\"text/plain\"},\"body_type\":\"text\","
	    "\"body\":\"hello {{ .in.who }}\"}", "{\"who\":\"Bob\"}", "succeeded");

	ck_assert_str_eq(jsonh_get_string(echoed(ex), "body"), "hello Bob");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(echoed(ex), "headers"),
	    "Content-Type"), "text/plain");
	json_object_put(ex);
}
END_TEST

/* config, expected execution status, text in the error (NULL: succeeded) */
static const struct { const char *conf, *status, *err; } outcomes[] = {
	{ "{\"url\":\"http://127.0.0.1:PORT/status/404\"}", "failed", "HTTP status 404" },
	{ "{\"url\":\"http://127.0.0.1:PORT/status/500\"}", "failed", "HTTP status 500" },
	{ "{\"url\":\"http://127.0.0.1:PORT/status/503\",\"fail_on_status\":false}", "succeeded",
	    NULL },
	{ "{\"url\":\"http://127.0.0.1:PORT/status/204\"}", "succeeded", NULL },
	{ "{\"url\":\"http://127.0.0.1:PORT/delay/3000\",\"timeout_ms\":300}", "failed",
	    "timed out" },
	{ "{\"url\":\"http://127.0.0.1:PORT/big/200000\",\"max_response_bytes\":1000}", "failed",
	    "larger than 1000 bytes" },
	{ "{\"url\":\"http://127.0.0.1:PORT/big/1000\",\"max_response_bytes\":1000}", "succeeded",
	    NULL },
	{ "{\"url\":\"http://127.0.0.1:PORT/redirect?to=/echo\",\"follow_redirects\":true}",
	    "succeeded", NULL },
	/* refused destinations (the stack allow-lists 127.0.0.1/32 only) */
	{ "{\"url\":\"http://127.0.0.2:PORT/echo\"}", "failed", "127.0.0.2 is loopback" },
	{ "{\"url\":\"http://0x7f000002:PORT/echo\"}", "failed", "SSRF guard" },
	{ "{\"url\":\"http://2130706434:PORT/echo\"}", "failed", "SSRF guard" },
	{ "{\"url\":\"http://10.0.0.1/\"}", "failed", "10.0.0.1 is private" },
	{ "{\"url\":\"http://192.168.1.1/\"}", "failed", "private" },
	{ "{\"url\":\"http://169.254.169.254/latest/meta-data/\"}", "failed", "link-local" },
	{ "{\"url\":\"http://[::1]:PORT/echo\"}", "failed", "::1 is loopback" },
	{ "{\"url\":\"http://[::ffff:127.0.0.2]:PORT/echo\"}", "failed", "SSRF guard" },
	{ "{\"url\":\"http://[fd00::1]/\"}", "failed", "unique-local" },
	{ "{\"url\":\"http://127.0.0.1:PORT/redirect?to=http://127.0.0.2:PORT/echo\","
	    "\"follow_redirects\":true}", "failed", "127.0.0.2 is loopback" },
	{ "{\"url\":\"file:///etc/passwd\"}", "failed", "only http and https" },
	{ "{\"url\":\"gopher://127.0.0.1:PORT/\"}", "failed", "only http and https" },
};

START_TEST(test_outcomes)
{
	json_object	*ex = run_call(outcomes[_i].conf, NULL, outcomes[_i].status);
	const char	*err = jsonh_get_string(ex, "error");

	if (outcomes[_i].err != NULL)
		ck_assert_msg(err != NULL && strstr(err, outcomes[_i].err) != NULL,
		    "%s: want \"%s\" in %s", outcomes[_i].conf, outcomes[_i].err, err);
	json_object_put(ex);
}
END_TEST

/* What a server sends that PostgreSQL cannot store as text or jsonb (NUL, bytes that are not
 * UTF-8) reaches the output as U+FFFD, and the step is recorded: such an answer used to fail
 * the write of the step and send the request again at every lease. */
static const struct { const char *kind, *path, *want; } unstorable[] = {
	{ "nul", "body", "\"a\xef\xbf\xbd" "b\"" },
	{ "latin1", "body", "\"caf\xef\xbf\xbd\"" },
	{ "jsonnul", "body", "{\"a\":\"x\xef\xbf\xbdy\"}" },
	{ "header", "headers", "\"caf\xef\xbf\xbd\"" },
};

START_TEST(test_unstorable_answers)
{
	char		 conf[128];
	json_object	*ex, *out, *got;

	snprintf(conf, sizeof(conf), "{\"url\":\"http://127.0.0.1:PORT/bytes/%s\"}",
	    unstorable[_i].kind);
	ex = run_call(conf, NULL, "succeeded");
	out = json_object_object_get(json_object_object_get(ex, "results"), "out");
	got = json_object_object_get(out, unstorable[_i].path);
	if (strcmp(unstorable[_i].path, "headers") == 0)
		got = json_object_object_get(got, "x-bin");
	ck_assert_str_eq(jsonh_str(got), unstorable[_i].want);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(out, "status")), 200);
	json_object_put(ex);
}
END_TEST

/* ---------------------------------------------------------------- in this process */

struct guard_run {
	struct event_base	*base;
	int			 finished;
	char			 err[256];
	long			 status;
};

static void
guard_done(struct node_call *c, json_object *out, const char *err)
{
	struct guard_run	*g = c->owner;

	g->finished = 1;
	snprintf(g->err, sizeof(g->err), "%s", err ? err : "");
	g->status = out ? json_object_get_int(json_object_object_get(out, "status")) : 0;
	json_object_put(out);
	event_base_loopbreak(g->base);
}

/* host, allow-list, reachable */
static const struct { const char *host, *allow; int ok; } guards[] = {
	{ "127.0.0.1", "", 0 },
	{ "localhost", "", 0 },				/* a name resolving to loopback */
	{ "127.0.0.1", "127.0.0.1/32", 1 },
	{ "localhost", "127.0.0.0/8", 1 },
	{ "127.0.0.1", "10.0.0.0/8", 0 },		/* allow-listing something else */
};

START_TEST(test_guard_in_process)
{
	struct guard_run	 g;
	struct ssrf_allow	*allow = NULL;
	struct httpc		*h;
	struct node_env		 env;
	struct node_call	 call;
	struct wf_node		 n;
	struct sandbox_conf	 sbx = { getenv("SANDBOX_BIN") ? getenv("SANDBOX_BIN") :
				    "jobd/fragent-sandbox", 128, 5000, 4, 50, 0 };
	json_object		*conf, *ctx = json_object_new_object(), *in = json_object_new_object();
	char			 url[256], err[256];
	struct timeval		 limit = { 10, 0 };

	memset(&g, 0, sizeof(g));
	ck_assert_ptr_nonnull(allow = ssrf_allow_new());
	ck_assert_int_eq(ssrf_allow_add(allow, SSRF_USE_HTTP, guards[_i].allow, err,
	    sizeof(err)), 0);
	ck_assert_ptr_nonnull(g.base = event_base_new());
	ck_assert_ptr_nonnull(h = httpc_new(g.base));
	memset(&env, 0, sizeof(env));
	env.base = g.base;
	env.http = h;
	env.allow = allow;
	ck_assert_msg((env.sandbox = sandbox_pool_new(g.base, &sbx, err, sizeof(err))) != NULL,
	    "%s", err);
	snprintf(url, sizeof(url), "http://%s:%d/echo", guards[_i].host, eng_srv_port());
	conf = json_object_new_object();
	json_object_object_add(conf, "url", json_object_new_string(url));
	memset(&n, 0, sizeof(n));
	n.id = "g";
	n.type = WF_NODE_HTTP_REQUEST;
	n.config = conf;
	n.policy.timeout_ms = 5000;
	memset(&call, 0, sizeof(call));
	call.node = &n;
	call.ctx = ctx;
	call.input = in;
	call.env = &env;
	call.timeout_ms = 5000;
	call.done = guard_done;
	call.owner = &g;
	ck_assert_int_eq(node_impls[WF_NODE_HTTP_REQUEST]->run(&call, NULL, err,
	    sizeof(err)), NODE_PENDING);
	event_base_loopexit(g.base, &limit);
	event_base_dispatch(g.base);
	ck_assert_msg(g.finished, "no answer within 10 s");
	if (guards[_i].ok) {
		ck_assert_msg(g.err[0] == '\0', "%s: %s", url, g.err);
		ck_assert_int_eq(g.status, 200);
	} else
		ck_assert_msg(strstr(g.err, "refused by the SSRF guard") != NULL, "%s: %s", url,
		    g.err);
	httpc_free(h);
	sandbox_pool_free(env.sandbox);
	event_base_free(g.base);
	ssrf_allow_free(allow);
	json_object_put(conf);
	json_object_put(ctx);
	json_object_put(in);
}
END_TEST

static void
setup(void)
{
	eng_srv_start();
}

int
main(void)
{
	Suite	*s = suite_create("http_node");
	TCase	*tc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_http_node: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("through_the_stack");
	tcase_set_timeout(tc, 180);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_loop_test(tc, test_methods, 0, NITEMS(methods));
	tcase_add_test(tc, test_templated_request);
	tcase_add_test(tc, test_text_body);
	tcase_add_test(tc, test_idle_connections_close);
	tcase_add_loop_test(tc, test_outcomes, 0, NITEMS(outcomes));
	tcase_add_loop_test(tc, test_unstorable_answers, 0,
	    NITEMS(unstorable));
	suite_add_tcase(s, tc);
	tc = tcase_create("guard_in_process");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_loop_test(tc, test_guard_in_process, 0, NITEMS(guards));
	suite_add_tcase(s, tc);
	return check_run(s);
}
