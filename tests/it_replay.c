/* it_replay.c: deterministic replay through the real stack, against tests/llmsrv (the
 * scripted LLM vendor) and tests/testsrv (an HTTP server that counts its calls): a run of an
 * agent with tools (one of them the clock), an HTTP request and a second agent, replayed with
 * the vendor and the HTTP server stopped, gives the same outputs byte for byte, node by node;
 * a replay from a step with a changed prompt calls the vendor only for the step whose request
 * changed, and not for a later step whose request stayed the same; an offline replay of a
 * changed definition fails the changed step and says why; a replay leaves the agent's memory
 * as it was; and the API refuses what it cannot replay with problem+json naming the field. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"

#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"

static struct llmsrv	 srv;
static char		 cred_id[UUID_STRLEN + 1];

/* Creates an agent answering from scenario "model" with extra configuration "extra". */
static void
make_agent(const char *model, const char *extra, char id[UUID_STRLEN + 1])
{
	static int	 n;

	/* Each test runs in a process of its own: the pid keeps the names apart. */
	it_create("/api/v1/agents", eng_fmt("{\"name\":\"it-replay-%s-%ld-%d\",\"configuration\":"
	    "{\"provider\":\"openai\",\"base_url\":\"%s/v1\",\"model\":\"%s\",\"credential_id\":"
	    "\"%s\"%s}}", model, (long)getpid(), n++, srv.base, model, cred_id, extra), it_token(),
	    id);
}

/* How many requests the vendor received for "scenario". */
static size_t
vendor_calls(const char *scenario)
{
	json_object	*reqs = llmsrv_requests(&srv, scenario);
	size_t		 n = reqs != NULL ? json_object_array_length(reqs) : 0;

	json_object_put(reqs);
	return n;
}

/* Asks for a replay of "exec" with "body"; copies the new execution's id. Returns the
 * answer's status. */
static long
replay(const char *exec, const char *body, char id[UUID_STRLEN + 1], struct http_resp *r)
{
	char	 path[128];
	long	 st;

	snprintf(path, sizeof(path), "/api/v1/executions/%s/replay", exec);
	st = it_req("POST", path, body, it_token(), r);
	if (st == 202 && id != NULL)
		snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r->json, "id"));
	return st;
}

static json_object *
wait_end(const char *exec, const char *status)
{
	json_object	*ex = eng_wait(exec, NULL, 30000);

	ck_assert_msg(ex != NULL, "execution %s did not end", exec);
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), status) == 0, "want %s: %s",
	    status, jsonh_str(ex));
	return ex;
}

/* The replay-diff of "exec" (caller puts it). */
static json_object *
diff_of(const char *exec)
{
	struct http_resp	 r;
	json_object		*d;

	ck_assert_int_eq(it_req("GET", eng_fmt("/api/v1/executions/%s/replay-diff", exec), NULL,
	    it_token(), &r), 200);
	d = json_object_get(r.json);
	http_resp_clear(&r);
	return d;
}

/* The diff's entry of node "id" (borrowed). */
static json_object *
diff_node(json_object *d, const char *id)
{
	json_object	*nodes = json_object_object_get(d, "nodes"), *n;
	size_t		 i;

	for (i = 0; i < json_object_array_length(nodes); i++) {
		n = json_object_array_get_idx(nodes, i);
		if (strcmp(jsonh_get_string(n, "node_id"), id) == 0)
			return n;
	}
	ck_abort_msg("node %s not in the diff %s", id, jsonh_str(d));
	return NULL;
}

static void
assert_source(json_object *d, const char *id, const char *source, int same)
{
	json_object	*n = diff_node(d, id);

	ck_assert_msg(jsonh_get_string(n, "replay_source") != NULL &&
	    strcmp(jsonh_get_string(n, "replay_source"), source) == 0, "%s: want %s: %s", id,
	    source, jsonh_str(n));
	ck_assert_msg(json_object_get_boolean(json_object_object_get(n, "same_output")) == same,
	    "%s: same_output should be %d: %s", id, same, jsonh_str(n));
}

/* The definition: in → think (agent with the calculator and the clock) → fetch (HTTP) →
 * sum (a second agent over both) → out. "think_prompt" is the first agent's prompt. */
static const char *
definition(const char *think, const char *sum, const char *think_prompt)
{
	return eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"think\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\",\"prompt\":"
	    "\"%s\"}},{\"id\":\"fetch\",\"type\":\"http_request\",\"config\":{\"method\":\"POST\","
	    "\"url\":\"http://127.0.0.1:%d/count/replay-http\",\"body_type\":\"json\",\"body\":"
	    "{\"q\":\"{{ .in.q }}\"}}},{\"id\":\"sum\",\"type\":\"agent\",\"config\":"
	    "{\"agent_id\":\"%s\",\"prompt\":\"Sum up: {{ .think.output }} / "
	    "{{ .fetch.output.body.count }}\"}},{\"id\":\"out\",\"type\":\"output\",\"config\":"
	    "{\"value\":\"{{ {answer: .sum.output, think: .think.output} }}\"}}],"
	    "\"edges\":[{\"source\":\"in\",\"target\":\"think\"},{\"source\":\"think\","
	    "\"target\":\"fetch\"},{\"source\":\"fetch\",\"target\":\"sum\"},{\"source\":\"sum\","
	    "\"target\":\"out\"}]}", think, think_prompt, eng_srv_port(), sum);
}

static char	 think_agent[UUID_STRLEN + 1], sum_agent[UUID_STRLEN + 1];

/* Runs the workflow once; copies its execution and workflow ids. */
static json_object *
run_original(char exec[UUID_STRLEN + 1], char wf[UUID_STRLEN + 1])
{
	eng_workflow(definition(think_agent, sum_agent, "What is 6*7? {{ .in.q }}"), wf);
	eng_start(wf, "{\"q\":\"now\"}", exec);
	return wait_end(exec, "succeeded");
}

/* Every node's last output in "a" and "b" is the same JSON text. */
static void
assert_same_outputs(json_object *a, json_object *b)
{
	json_object	*steps = json_object_object_get(a, "steps"), *sa, *sb;
	const char	*id;
	size_t		 i;

	for (i = 0; i < json_object_array_length(steps); i++) {
		id = jsonh_get_string(json_object_array_get_idx(steps, i), "node_id");
		sa = eng_step(a, id);
		ck_assert_ptr_nonnull(sb = eng_step(b, id));
		ck_assert_str_eq(jsonh_get_string(sb, "status"), jsonh_get_string(sa, "status"));
		ck_assert_msg(strcmp(json_object_to_json_string(json_object_object_get(sa,
		    "output")), json_object_to_json_string(json_object_object_get(sb, "output")))
		    == 0, "node %s: %s / %s", id, json_object_to_json_string(
		    json_object_object_get(sa, "output")), json_object_to_json_string(
		    json_object_object_get(sb, "output")));
	}
	ck_assert_str_eq(json_object_to_json_string(json_object_object_get(a, "results")),
	    json_object_to_json_string(json_object_object_get(b, "results")));
}

START_TEST(test_exact_replay_offline)
{
	char		 exec[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], rid[UUID_STRLEN + 1];
	struct http_resp r;
	json_object	*orig, *rep, *d, *st;
	long		 http_calls;
	size_t		 react;

	orig = run_original(exec, wf);
	react = vendor_calls("react");
	ck_assert_uint_ge(react, 2);
	http_calls = eng_srv_count("replay-http");
	ck_assert_int_ge(http_calls, 1);
	/* Every outbound call is recorded with its step. */
	ck_assert_int_ge(json_object_get_int(json_object_object_get(eng_step(orig, "think"),
	    "calls")), 4);	/* two model calls, two tools */
	ck_assert_int_eq(json_object_get_int(json_object_object_get(eng_step(orig, "fetch"),
	    "calls")), 1);

	/* Nothing to call: the vendor and the HTTP server are stopped. */
	llmsrv_stop(&srv);
	eng_srv_stop();
	ck_assert_int_eq(replay(exec, NULL, rid, &r), 202);
	ck_assert_str_eq(jsonh_get_string(r.json, "trigger"), "replay");
	ck_assert_str_eq(jsonh_get_string(r.json, "replay_of"), exec);
	ck_assert(json_object_get_boolean(json_object_object_get(json_object_object_get(r.json,
	    "replay"), "offline")));
	http_resp_clear(&r);
	rep = wait_end(rid, "succeeded");
	assert_same_outputs(orig, rep);
	/* Same transcript: the clock's answer came from the recording too. */
	ck_assert_str_eq(json_object_to_json_string(json_object_object_get(json_object_object_get(
	    eng_step(orig, "think"), "usage"), "transcript")), json_object_to_json_string(
	    json_object_object_get(json_object_object_get(eng_step(rep, "think"), "usage"),
	    "transcript")));
	d = diff_of(rid);
	ck_assert_str_eq(jsonh_get_string(d, "original_id"), exec);
	assert_source(d, "think", "recording", 1);
	assert_source(d, "fetch", "recording", 1);
	assert_source(d, "sum", "recording", 1);
	assert_source(d, "out", "computed", 1);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(diff_node(d, "think"),
	    "calls_live")), 0);
	st = eng_step(rep, "think");
	ck_assert_str_eq(jsonh_get_string(st, "replay_source"), "recording");
	json_object_put(d);

	/* The servers stay stopped: this test runs last. */
	json_object_put(orig);
	json_object_put(rep);
}
END_TEST

START_TEST(test_replay_from_step)
{
	char		 exec[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], rid[UUID_STRLEN + 1];
	char		 body[8192];
	struct http_resp r;
	json_object	*orig, *rep, *d;
	size_t		 react, seq;
	long		 http_calls;

	/* "sum" answers from a sequence: a second call gets another answer. */
	ck_assert_int_eq(llmsrv_upload(&srv, "replay_seq", "{\"responses\":["
	    "{\"text\":\"Summary one.\"},{\"text\":\"Summary two.\"}]}"), 0);
	make_agent("replay_seq", "", sum_agent);
	orig = run_original(exec, wf);
	react = vendor_calls("react");
	seq = vendor_calls("replay_seq");
	http_calls = eng_srv_count("replay-http");

	/* From "sum" with its prompt changed: only "sum" calls out; think and fetch are the
	 * original's. */
	snprintf(body, sizeof(body), "{\"from_node\":\"sum\",\"definition\":%s}",
	    definition(think_agent, sum_agent, "What is 6*7? {{ .in.q }}"));
	{
		char *p = strstr(body, "Sum up:");

		ck_assert_ptr_nonnull(p);
		memcpy(p, "Sum UP:", 7);
	}
	ck_assert_int_eq(replay(exec, body, rid, &r), 202);
	ck_assert(!json_object_get_boolean(json_object_object_get(json_object_object_get(r.json,
	    "replay"), "offline")));
	http_resp_clear(&r);
	rep = wait_end(rid, "succeeded");
	ck_assert_uint_eq(vendor_calls("react"), react);
	ck_assert_uint_eq(vendor_calls("replay_seq"), seq + 1);
	ck_assert_int_eq(eng_srv_count("replay-http"), http_calls);
	d = diff_of(rid);
	assert_source(d, "think", "reused", 1);
	assert_source(d, "fetch", "reused", 1);
	assert_source(d, "sum", "live", 0);
	assert_source(d, "out", "computed", 0);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(diff_node(d, "sum"),
	    "calls_live")), 1);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(json_object_object_get(rep,
	    "results"), "out"), "answer"), "Summary two.");
	json_object_put(d);
	json_object_put(rep);

	/* From "think" with its prompt changed: "think" calls out (its request differs) and
	 * answers as before, so the requests of "fetch" and "sum" are the recorded ones: they
	 * are answered from the recording. */
	react = vendor_calls("react");
	seq = vendor_calls("replay_seq");
	snprintf(body, sizeof(body), "{\"from_node\":\"think\",\"definition\":%s}",
	    definition(think_agent, sum_agent, "Please: what is 6*7? {{ .in.q }}"));
	ck_assert_int_eq(replay(exec, body, rid, &r), 202);
	http_resp_clear(&r);
	rep = wait_end(rid, "succeeded");
	ck_assert_uint_eq(vendor_calls("react"), react + 2);
	ck_assert_uint_eq(vendor_calls("replay_seq"), seq);
	ck_assert_int_eq(eng_srv_count("replay-http"), http_calls);
	d = diff_of(rid);
	assert_source(d, "in", "reused", 1);
	assert_source(d, "think", "live", 1);
	assert_source(d, "fetch", "recording", 1);
	assert_source(d, "sum", "recording", 1);
	json_object_put(d);
	assert_same_outputs(orig, rep);
	json_object_put(rep);

	/* The same change offline: the changed step may not call out, and says why. */
	snprintf(body, sizeof(body), "{\"from_node\":\"think\",\"offline\":true,"
	    "\"definition\":%s}", definition(think_agent, sum_agent,
	    "Please: what is 6*7? {{ .in.q }}"));
	react = vendor_calls("react");
	ck_assert_int_eq(replay(exec, body, rid, &r), 202);
	http_resp_clear(&r);
	rep = wait_end(rid, "failed");
	ck_assert_msg(strstr(jsonh_get_string(eng_step(rep, "think"), "error"),
	    "offline replay: this model call is not in the recording") != NULL, "%s",
	    jsonh_str(eng_step(rep, "think")));
	ck_assert_uint_eq(vendor_calls("react"), react);
	json_object_put(rep);
	json_object_put(orig);
}
END_TEST

START_TEST(test_replay_new_input)
{
	char		 exec[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], rid[UUID_STRLEN + 1];
	struct http_resp r;
	json_object	*orig, *rep, *d;
	long		 http_calls;

	orig = run_original(exec, wf);
	http_calls = eng_srv_count("replay-http");
	/* New inputs change the HTTP request's body: it goes out again. */
	ck_assert_int_eq(replay(exec, "{\"input\":{\"q\":\"later\"}}", rid, &r), 202);
	ck_assert(json_object_get_boolean(json_object_object_get(json_object_object_get(r.json,
	    "replay"), "input_changed")));
	http_resp_clear(&r);
	rep = wait_end(rid, "succeeded");
	ck_assert_int_eq(eng_srv_count("replay-http"), http_calls + 1);
	d = diff_of(rid);
	assert_source(d, "think", "live", 1);
	assert_source(d, "fetch", "live", 0);	/* another count */
	json_object_put(d);
	json_object_put(rep);
	json_object_put(orig);
}
END_TEST

START_TEST(test_memory_untouched)
{
	char		 agent[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	char		 rid[UUID_STRLEN + 1], sql[256];
	struct http_resp r;
	json_object	*orig, *rep, *reqs;
	const char	*before;
	char		 saved[32];

	make_agent("echo", ",\"memory\":{\"type\":\"buffer\",\"window\":10}", agent);
	eng_workflow(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"a\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\",\"prompt\":"
	    "\"Hi {{ .in.n }}\",\"session_id\":\"replay-mem\"}},{\"id\":\"out\",\"type\":"
	    "\"output\",\"config\":{\"value\":\"{{ .a.output }}\"}}],\"edges\":[{\"source\":"
	    "\"in\",\"target\":\"a\"},{\"source\":\"a\",\"target\":\"out\"}]}", agent), wf);
	eng_start(wf, "{\"n\":1}", exec);
	json_object_put(wait_end(exec, "succeeded"));
	eng_start(wf, "{\"n\":2}", exec);
	orig = wait_end(exec, "succeeded");
	/* No other test of this suite uses memory. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM agent_messages");
	before = it_sql(sql);
	snprintf(saved, sizeof(saved), "%s", before);
	llmsrv_reset(&srv);
	/* Another run since: the replay must read memory as the original did. */
	ck_assert_int_eq(replay(exec, NULL, rid, &r), 202);
	http_resp_clear(&r);
	rep = wait_end(rid, "succeeded");
	assert_same_outputs(orig, rep);
	ck_assert_str_eq(it_sql(sql), saved);
	reqs = llmsrv_requests(&srv, "echo");
	ck_assert_uint_eq(reqs != NULL ? json_object_array_length(reqs) : 0, 0);
	json_object_put(reqs);
	json_object_put(rep);
	json_object_put(orig);
}
END_TEST

START_TEST(test_refused)
{
	char		 exec[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], rid[UUID_STRLEN + 1];
	char		 slow[UUID_STRLEN + 1];
	struct http_resp r;
	json_object	*orig;

	orig = run_original(exec, wf);
	ck_assert_int_eq(replay(exec, "{\"from_node\":\"nope\"}", NULL, &r), 422);
	it_assert_problem_at(&r, 422, "from_node");
	http_resp_clear(&r);
	ck_assert_int_eq(replay(exec, "{\"offline\":\"yes\"}", NULL, &r), 422);
	it_assert_problem_at(&r, 422, "offline");
	http_resp_clear(&r);
	ck_assert_int_eq(replay(exec, "{\"definition\":{\"nodes\":[]}}", NULL, &r), 422);
	it_assert_problem(&r, 422);
	http_resp_clear(&r);
	ck_assert_int_eq(replay("00000000-0000-4000-8000-000000000000", NULL, NULL, &r), 404);
	it_assert_problem(&r, 404);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("GET", eng_fmt("/api/v1/executions/%s/replay-diff", exec),
	    NULL, it_token(), &r), 404);
	it_assert_problem(&r, 404);
	http_resp_clear(&r);
	/* Not ended yet: a run waiting on a slow answer. */
	eng_workflow(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"slow\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"http://127.0.0.1:%d/count/replay-slow?delay_ms=3000\"}},{\"id\":\"out\","
	    "\"type\":\"output\",\"config\":{\"value\":\"{{ .slow.output.status }}\"}}],"
	    "\"edges\":[{\"source\":\"in\",\"target\":\"slow\"},{\"source\":\"slow\","
	    "\"target\":\"out\"}]}", eng_srv_port()), wf);
	eng_start(wf, NULL, slow);
	ck_assert_int_eq(replay(slow, NULL, rid, &r), 409);
	it_assert_problem(&r, 409);
	http_resp_clear(&r);
	json_object_put(wait_end(slow, "succeeded"));
	/* Nothing was stored by the refusals. */
	ck_assert_int_eq(it_req("GET", eng_fmt("/api/v1/executions?replay_of=%s", exec), NULL,
	    it_token(), &r), 200);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(r.json, "items")), 0);
	http_resp_clear(&r);
	json_object_put(orig);
}
END_TEST

static void
setup(void)
{
	ck_assert_int_eq(llmsrv_start(&srv), 0);
	eng_srv_start();
	it_create("/api/v1/credentials", "{\"name\":\"it-replay\",\"provider\":\"openai\","
	    "\"secret\":\"sk-replay\"}", it_token(), cred_id);
	make_agent("react", ",\"tools\":[\"calculator\",\"current_time\"]", think_agent);
	make_agent("echo", "", sum_agent);
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
	Suite	*s = suite_create("replay");
	TCase	*tc = tcase_create("replay");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_replay: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_replay_from_step);
	tcase_add_test(tc, test_replay_new_input);
	tcase_add_test(tc, test_memory_untouched);
	tcase_add_test(tc, test_refused);
	/* Last: it stops the vendor and the HTTP server. */
	tcase_add_test(tc, test_exact_replay_offline);
	suite_add_tcase(s, tc);
	return check_run(s);
}
