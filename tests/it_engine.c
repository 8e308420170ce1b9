/* it_engine.c: integration suite of the workflow engine against the real stack (nginx → API →
 * Postgres/Redis → jobd): branching and skipping, fan-out/fan-in and merge, templates and jq,
 * failures with and without retries, continue_on_error, timeouts, cancel, retry from the
 * failed step. HTTP-calling nodes talk to tests/testsrv. */
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
#include "nitems.h"

#define N(id, type, conf) "{\"id\":\"" id "\",\"type\":\"" type "\",\"config\":" conf "}"
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"
#define EH(a, h, b)	"{\"source\":\"" a "\",\"source_handle\":\"" h "\",\"target\":\"" b "\"}"
#define IN		N("in", "input", "{}")
#define OUT(id, v)	N(id, "output", "{\"value\":\"" v "\"}")

/* The results object of "ex" (borrowed). */
static json_object *
results(json_object *ex)
{
	return json_object_object_get(ex, "results");
}

/* ---------------------------------------------------------------- branching */

#define BRANCH_DEF "{\"nodes\":[" IN "," \
	N("big", "condition", "{\"expr\":\".in.n > 5\"}") "," \
	N("yes", "template", "{\"template\":\"big {{ .in.n }}\"}") "," \
	N("no", "template", "{\"template\":\"small {{ .in.n }}\"}") "," \
	OUT("out_yes", "{{ .yes.output }}") "," OUT("out_no", "{{ .no.output }}") "," \
	N("join", "merge", "{}") "," OUT("out_join", "{{ .join.output }}") "]," \
	"\"edges\":[" E("in", "big") "," EH("big", "true", "yes") "," EH("big", "false", "no") "," \
	E("yes", "out_yes") "," E("no", "out_no") "," E("yes", "join") "," E("no", "join") "," \
	E("join", "out_join") "]}"

/* inputs, taken branch, skipped branch */
static const struct { const char *inputs, *taken, *skipped, *text; } branches[] = {
	{ "{\"n\":7}", "yes", "no", "big 7" },
	{ "{\"n\":1}", "no", "yes", "small 1" },
	{ "{\"n\":5}", "no", "yes", "small 5" },		/* boundary: 5 > 5 is false */
};

START_TEST(test_branching)
{
	json_object	*ex = eng_run(BRANCH_DEF, branches[_i].inputs, "succeeded"), *r = results(ex);
	char		 out_taken[32], out_skipped[32];

	snprintf(out_taken, sizeof(out_taken), "out_%s", branches[_i].taken);
	snprintf(out_skipped, sizeof(out_skipped), "out_%s", branches[_i].skipped);
	ck_assert_int_eq(eng_steps(ex, branches[_i].taken, "succeeded"), 1);
	ck_assert_int_eq(eng_steps(ex, branches[_i].skipped, "skipped"), 1);
	ck_assert_int_eq(eng_steps(ex, out_skipped, "skipped"), 1);
	ck_assert_int_eq(eng_steps(ex, branches[_i].skipped, "succeeded"), 0);
	ck_assert_str_eq(jsonh_get_string(r, out_taken), branches[_i].text);
	ck_assert(!json_object_object_get_ex(r, out_skipped, NULL));
	/* merge ran with the branch that was not skipped only */
	ck_assert_int_eq(eng_steps(ex, "join", "succeeded"), 1);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(r, "out_join"),
	    branches[_i].taken), branches[_i].text);
	ck_assert_int_eq(json_object_object_length(json_object_object_get(r, "out_join")), 1);
	json_object_put(ex);
}
END_TEST

/* ---------------------------------------------------------------- fan-out / fan-in */

START_TEST(test_fan_out_in)
{
	const char	 def[] = "{\"nodes\":[" IN ","
	    N("a", "delay", "{\"ms\":600}") "," N("b", "delay", "{\"ms\":600}") ","
	    N("c", "delay", "{\"ms\":600}") "," N("all", "merge", "{}") ","
	    OUT("out", "{{ .all.output | keys | join(\\\",\\\") }}") "],"
	    "\"edges\":[" E("in", "a") "," E("in", "b") "," E("in", "c") "," E("a", "all") ","
	    E("b", "all") "," E("c", "all") "," E("all", "out") "]}";
	long		 t0 = eng_now_ms(), took;
	json_object	*ex = eng_run(def, "{}", "succeeded");

	took = eng_now_ms() - t0;
	/* Three 600 ms waits in parallel, not 1.8 s in a row. */
	ck_assert_msg(took < 1700, "took %ld ms", took);
	ck_assert_str_eq(jsonh_get_string(results(ex), "out"), "a,b,c");
	ck_assert_int_eq(eng_steps(ex, "all", "succeeded"), 1);
	json_object_put(ex);
}
END_TEST

/* ---------------------------------------------------------------- templates and jq */

START_TEST(test_transform_template)
{
	const char	 def[] = "{\"nodes\":[" IN ","
	    N("double", "transform", "{\"expr\":\".in.items | map(. * 2)\"}") ","
	    N("stats", "transform", "{\"expr\":\"{sum: (.double.output | add), n: "
	    "(.double.output | length)}\"}") ","
	    N("text", "template", "{\"template\":\"{{ .in.name }}: {{ .stats.output.sum }} "
	    "over {{ .stats.output.n }}\"}") ","
	    OUT("out", "{{ .text.output }}") "," OUT("raw", "{{ .stats.output }}") "],"
	    "\"edges\":[" E("in", "double") "," E("double", "stats") "," E("stats", "text") ","
	    E("text", "out") "," E("stats", "raw") "]}";
	json_object	*ex = eng_run(def, "{\"name\":\"Ada\",\"items\":[1,2,3]}", "succeeded");
	json_object	*raw = json_object_object_get(results(ex), "raw");

	ck_assert_str_eq(jsonh_get_string(results(ex), "out"), "Ada: 12 over 3");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(raw, "sum")), 12);
	ck_assert_str_eq(jsonh_str(json_object_object_get(eng_step(ex, "double"), "output")),
	    "[2,4,6]");
	json_object_put(ex);
}
END_TEST

/* ---------------------------------------------------------------- failures */

START_TEST(test_fail_no_retry)
{
	const char	 def[] = "{\"nodes\":[" IN ","
	    N("boom", "transform", "{\"expr\":\"error(\\\"kaput\\\")\"}") ","
	    OUT("out", "never") "],\"edges\":[" E("in", "boom") "," E("boom", "out") "]}";
	json_object	*ex = eng_run(def, "{}", "failed");
	const char	*err = jsonh_get_string(ex, "error");

	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "boom") != NULL && strstr(err, "kaput") != NULL, "%s", err);
	ck_assert_int_eq(eng_steps(ex, "boom", "failed"), 1);
	ck_assert_int_eq(eng_steps(ex, "boom", NULL), 1);
	ck_assert_int_eq(eng_steps(ex, "out", "succeeded"), 0);
	json_object_put(ex);
}
END_TEST

/* retries, calls that fail first, final status, failed attempts recorded, calls made */
static const struct { int retries, fail_first; const char *status; int failed, calls; } retry_rows[] = {
	{ 0, 1, "failed", 1, 1 },
	{ 2, 2, "succeeded", 2, 3 },	/* two failures, then success on the third try */
	{ 2, 5, "failed", 3, 3 },	/* out of retries */
	{ 3, 0, "succeeded", 0, 1 },
};

START_TEST(test_retries)
{
	char		 key[64];
	json_object	*ex;
	const char	*def;

	snprintf(key, sizeof(key), "retry-%d-%ld", _i, (long)getpid());
	def = eng_fmt("{\"nodes\":[" IN ",{\"id\":\"call\",\"type\":\"http_request\",\"config\":"
	    "{\"url\":\"http://127.0.0.1:%d/count/%s?fail_first=%d\",\"retries\":%d,"
	    "\"retry_backoff_ms\":50}}," OUT("out", "{{ .call.output.status }}") "],"
	    "\"edges\":[" E("in", "call") "," E("call", "out") "]}", eng_srv_port(), key,
	    retry_rows[_i].fail_first, retry_rows[_i].retries);
	ex = eng_run(def, "{}", retry_rows[_i].status);
	ck_assert_int_eq(eng_steps(ex, "call", "failed"), retry_rows[_i].failed);
	ck_assert_int_eq(eng_steps(ex, "call", NULL), retry_rows[_i].calls);
	ck_assert_int_eq(eng_srv_count(key), retry_rows[_i].calls);
	if (strcmp(retry_rows[_i].status, "succeeded") == 0)
		ck_assert_int_eq(json_object_get_int(json_object_object_get(results(ex), "out")),
		    200);
	json_object_put(ex);
}
END_TEST

START_TEST(test_continue_on_error)
{
	const char	*def = eng_fmt("{\"nodes\":[" IN ",{\"id\":\"call\",\"type\":"
	    "\"http_request\",\"config\":{\"url\":\"http://127.0.0.1:%d/status/404\","
	    "\"continue_on_error\":true}}," OUT("out", "{{ .call.output.error }}") "],"
	    "\"edges\":[" E("in", "call") "," E("call", "out") "]}", eng_srv_port());
	json_object	*ex = eng_run(def, "{}", "succeeded");

	ck_assert_str_eq(jsonh_get_string(results(ex), "out"), "HTTP status 404");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_object_get(
	    json_object_object_get(eng_step(ex, "call"), "output"), "output"), "status")), 404);
	json_object_put(ex);
}
END_TEST

/* An http_request node "id" calling the test server's /count/<key>-<id>?<q> (takes the
 * server's port and the key as printf arguments). */
#define COUNT_CALL(id, q) "{\"id\":\"" id "\",\"type\":\"http_request\",\"config\":" \
	"{\"url\":\"http://127.0.0.1:%d/count/%s-" id "?" q "\"}}"

/* Three calls answered together, one of them an error: their ends are written in one
 * statement, then each execution goes on; the failure stops the execution while its
 * siblings' answers wait in the same batch (each freed exactly once, recorded once). */
START_TEST(test_answers_of_one_turn)
{
	char		 key[48];
	json_object	*ex;
	const char	*def, *err;
	int		 port = eng_srv_port();

	snprintf(key, sizeof(key), "turn-%ld", (long)getpid());
	def = eng_fmt("{\"nodes\":[" IN "," COUNT_CALL("a", "delay_ms=300") ","
	    COUNT_CALL("b", "delay_ms=300") "," COUNT_CALL("bad", "delay_ms=300&status=500") ","
	    N("all", "merge", "{}") "," OUT("out", "{{ .all.output }}") "],"
	    "\"edges\":[" E("in", "a") "," E("in", "b") "," E("in", "bad") "," E("a", "all") ","
	    E("b", "all") "," E("bad", "all") "," E("all", "out") "]}",
	    port, key, port, key, port, key);
	ex = eng_run(def, "{}", "failed");
	err = jsonh_get_string(ex, "error");
	ck_assert_msg(err != NULL && strstr(err, "\"bad\"") != NULL, "%s", err);
	ck_assert_int_eq(eng_steps(ex, "bad", "failed"), 1);
	ck_assert_int_eq(eng_steps(ex, "bad", NULL), 1);
	ck_assert_int_eq(eng_steps(ex, "a", NULL), 1);
	ck_assert_int_eq(eng_steps(ex, "b", NULL), 1);
	ck_assert_int_eq(eng_steps(ex, "out", "succeeded"), 0);
	ck_assert_int_eq(eng_srv_count(eng_fmt("%s-a", key)), 1);
	ck_assert_int_eq(eng_srv_count(eng_fmt("%s-bad", key)), 1);
	json_object_put(ex);
	/* The same without the error: both answers written together, both used. */
	snprintf(key, sizeof(key), "turn-ok-%ld", (long)getpid());
	def = eng_fmt("{\"nodes\":[" IN "," COUNT_CALL("a", "delay_ms=300") ","
	    COUNT_CALL("b", "delay_ms=300") "," N("all", "merge", "{}") ","
	    OUT("out", "{{ .a.output.status + .b.output.status }}") "],"
	    "\"edges\":[" E("in", "a") "," E("in", "b") "," E("a", "all") "," E("b", "all") ","
	    E("all", "out") "]}", port, key, port, key);
	ex = eng_run(def, "{}", "succeeded");
	ck_assert_int_eq(eng_steps(ex, "a", "succeeded"), 1);
	ck_assert_int_eq(eng_steps(ex, "b", "succeeded"), 1);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(results(ex), "out")), 400);
	json_object_put(ex);
}
END_TEST

/* node type, config fragment (the test server's address is added to http nodes), error */
static const struct { const char *type, *conf, *want; } timeouts[] = {
	{ "delay", "\"ms\":5000,\"timeout_ms\":200", "timed out after 200 ms" },
	{ "http_request", "\"url\":\"http://127.0.0.1:PORT/delay/5000\",\"timeout_ms\":300",
	    "timed out" },
};

START_TEST(test_timeouts)
{
	char		 conf[256], *p;
	const char	*def;
	json_object	*ex;
	long		 t0 = eng_now_ms();

	snprintf(conf, sizeof(conf), "%s", timeouts[_i].conf);
	if ((p = strstr(conf, "PORT")) != NULL) {
		char	 rest[256];

		snprintf(rest, sizeof(rest), "%s", p + 4);
		snprintf(p, sizeof(conf) - (size_t)(p - conf), "%d%s", eng_srv_port(), rest);
	}
	def = eng_fmt("{\"nodes\":[" IN ",{\"id\":\"slow\",\"type\":\"%s\",\"config\":{%s}},"
	    OUT("out", "x") "],\"edges\":[" E("in", "slow") "," E("slow", "out") "]}",
	    timeouts[_i].type, conf);
	ex = eng_run(def, "{}", "failed");
	ck_assert_msg(eng_now_ms() - t0 < 4000, "the timeout did not cut the wait");
	ck_assert_msg(strstr(jsonh_get_string(ex, "error"), timeouts[_i].want) != NULL, "%s",
	    jsonh_get_string(ex, "error"));
	ck_assert_int_eq(eng_steps(ex, "slow", "failed"), 1);
	json_object_put(ex);
}
END_TEST

/* ---------------------------------------------------------------- cancel and retry */

/* POSTs /executions/{id}/<what>; returns the status. */
static long
control(const char *id, const char *what)
{
	struct http_resp	 r;
	char			 path[128];
	long			 st;

	snprintf(path, sizeof(path), "/api/v1/executions/%s/%s", id, what);
	ck_assert_int_eq(http_post_json(path, "{}", &r), 0);
	st = r.status;
	http_resp_clear(&r);
	return st;
}

/* Waits until node "node" of execution "id" has a running step. */
static void
wait_running(const char *id, const char *node)
{
	long		 end = eng_now_ms() + 10000;
	json_object	*ex;
	int		 found = 0;

	while (!found && eng_now_ms() < end) {
		ex = eng_wait(id, "running", 5000);
		found = ex != NULL && eng_steps(ex, node, "running") == 1;
		json_object_put(ex);
		if (!found)
			usleep(50000);
	}
	ck_assert_msg(found, "node %s never ran", node);
}

START_TEST(test_cancel)
{
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	const char	*def = eng_fmt("{\"nodes\":[" IN ",{\"id\":\"slow\",\"type\":"
	    "\"http_request\",\"config\":{\"url\":\"http://127.0.0.1:%d/delay/20000\"}},"
	    N("after", "template", "{\"template\":\"x\"}") "," OUT("out", "x") "],"
	    "\"edges\":[" E("in", "slow") "," E("slow", "after") "," E("after", "out") "]}",
	    eng_srv_port());
	json_object	*ex;
	long		 t0;

	eng_workflow(def, wf);
	eng_start(wf, "{}", id);
	wait_running(id, "slow");
	t0 = eng_now_ms();
	ck_assert_int_eq(control(id, "cancel"), 202);
	/* The in-flight request is aborted at once: its step is cancelled within a second. */
	for (ex = NULL; eng_now_ms() - t0 < 3000; usleep(50000)) {
		json_object_put(ex);
		ex = eng_wait(id, NULL, 1000);
		if (ex != NULL && eng_steps(ex, "slow", "cancelled") == 1)
			break;
	}
	ck_assert_ptr_nonnull(ex);
	ck_assert_msg(eng_now_ms() - t0 < 2000, "cancel took %ld ms", eng_now_ms() - t0);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "cancelled");
	ck_assert_int_eq(eng_steps(ex, "slow", "cancelled"), 1);
	ck_assert_int_eq(eng_steps(ex, "after", "cancelled"), 1);
	ck_assert_int_eq(eng_steps(ex, "out", "cancelled"), 1);
	ck_assert_int_eq(eng_steps(ex, "after", "succeeded"), 0);
	/* A finished execution cannot be cancelled again. */
	ck_assert_int_eq(control(id, "cancel"), 409);
	json_object_put(ex);
}
END_TEST

START_TEST(test_retry_from_failed_step)
{
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], ka[64], kb[64];
	const char	*def;
	json_object	*ex;

	snprintf(ka, sizeof(ka), "rfa-%ld", (long)getpid());
	snprintf(kb, sizeof(kb), "rfb-%ld", (long)getpid());
	/* b fails on its first call only; no retries: the execution fails at b. */
	def = eng_fmt("{\"nodes\":[" IN ","
	    "{\"id\":\"a\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"http://127.0.0.1:%d/count/%s\"}},"
	    "{\"id\":\"b\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"http://127.0.0.1:%d/count/%s?fail_first=1\"}},"
	    OUT("out", "{{ .a.output.body.count }}-{{ .b.output.body.count }}") "],"
	    "\"edges\":[" E("in", "a") "," E("a", "b") "," E("b", "out") "]}",
	    eng_srv_port(), ka, eng_srv_port(), kb);
	eng_workflow(def, wf);
	eng_start(wf, "{}", id);
	ex = eng_wait(id, NULL, 20000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "failed");
	json_object_put(ex);
	ck_assert_int_eq(control(id, "retry"), 202);
	ex = eng_wait(id, "succeeded", 20000);
	ck_assert_msg(ex != NULL, "the retried execution did not succeed");
	/* a kept its output and ran once; b ran again from its failure. */
	ck_assert_int_eq(eng_srv_count(ka), 1);
	ck_assert_int_eq(eng_srv_count(kb), 2);
	ck_assert_int_eq(eng_steps(ex, "a", NULL), 1);
	ck_assert_int_eq(eng_steps(ex, "b", "failed"), 1);
	ck_assert_int_eq(eng_steps(ex, "b", "succeeded"), 1);
	ck_assert_str_eq(jsonh_get_string(results(ex), "out"), "1-2");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(ex, "attempt")), 2);
	json_object_put(ex);
}
END_TEST

/* The sum of the attempt numbers recorded for "node_id". */
static int
attempt_sum(json_object *ex, const char *node_id)
{
	json_object	*steps = json_object_object_get(ex, "steps");
	size_t		 i;
	int		 sum = 0;

	for (i = 0; steps != NULL && i < json_object_array_length(steps); i++) {
		json_object *s = json_object_array_get_idx(steps, i);

		if (strcmp(jsonh_get_string(s, "node_id"), node_id) == 0)
			sum += json_object_get_int(json_object_object_get(s, "attempt"));
	}
	return sum;
}

/* CPU-only steps are written in batches with attempt numbers kept in memory: retries within
 * a run and a retry of the whole execution number the attempts 1, 2, 3, 4 and lose none. */
START_TEST(test_cpu_attempts_across_retry)
{
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	const char	 def[] = "{\"nodes\":[" IN ","
	    N("prep", "transform", "{\"expr\":\"{n: 1}\"}") ","
	    N("bad", "transform", "{\"expr\":\"error(\\\"nope\\\")\",\"retries\":1,"
	    "\"retry_backoff_ms\":20}") ","
	    OUT("out", "never") "],"
	    "\"edges\":[" E("in", "prep") "," E("prep", "bad") "," E("bad", "out") "]}";
	json_object	*ex;

	eng_workflow(def, wf);
	eng_start(wf, "{}", id);
	ex = eng_wait(id, "failed", 20000);
	ck_assert_msg(ex != NULL, "the execution did not fail");
	ck_assert_int_eq(eng_steps(ex, "prep", "succeeded"), 1);
	ck_assert_int_eq(eng_steps(ex, "bad", "failed"), 2);
	ck_assert_int_eq(attempt_sum(ex, "bad"), 1 + 2);
	json_object_put(ex);

	ck_assert_int_eq(control(id, "retry"), 202);
	ex = eng_wait(id, "failed", 20000);
	ck_assert_msg(ex != NULL, "the retried execution did not fail again");
	ck_assert_int_eq(eng_steps(ex, "prep", NULL), 1);	/* kept, not run again */
	ck_assert_int_eq(eng_steps(ex, "bad", "failed"), 4);
	ck_assert_int_eq(attempt_sum(ex, "bad"), 1 + 2 + 3 + 4);
	ck_assert_int_eq(eng_steps(ex, "out", NULL), 0);
	json_object_put(ex);
}
END_TEST

static void
setup(void)
{
	eng_srv_start();
}

/* ---------------------------------------------------------------- schema */

/* jobd claims and settles executions by id with a status guard. An index with status in its
 * key or predicate drew the planner away from the primary key, onto a walk over every entry
 * that status had left since the last vacuum, so each claim and settle slowed down as runs
 * piled up (030_open_executions.sql); execution_steps needs its primary key only. */
START_TEST(test_status_guarded_updates_by_primary_key)
{
	ck_assert_str_eq(it_sql("SELECT count(*) FROM pg_indexes WHERE tablename = "
	    "$$executions$$ AND indexdef LIKE $$%status%$$"), "0");
	ck_assert_str_eq(it_sql("SELECT string_agg(indexname, $$,$$) FROM pg_indexes WHERE "
	    "tablename = $$execution_steps$$"), "execution_steps_pkey");
	ck_assert_str_eq(it_sql("SELECT indexdef LIKE $$%WHERE (end_time IS NULL)$$ FROM "
	    "pg_indexes WHERE indexname = $$executions_open$$"), "t");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("engine");
	TCase	*tc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_engine: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("dag");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_loop_test(tc, test_branching, 0, NITEMS(branches));
	tcase_add_test(tc, test_fan_out_in);
	tcase_add_test(tc, test_transform_template);
	suite_add_tcase(s, tc);
	tc = tcase_create("policy");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_test(tc, test_fail_no_retry);
	tcase_add_loop_test(tc, test_retries, 0, NITEMS(retry_rows));
	tcase_add_test(tc, test_continue_on_error);
	tcase_add_test(tc, test_answers_of_one_turn);
	tcase_add_loop_test(tc, test_timeouts, 0, NITEMS(timeouts));
	suite_add_tcase(s, tc);
	tc = tcase_create("control");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_retry_from_failed_step);
	tcase_add_test(tc, test_cpu_attempts_across_retry);
	suite_add_tcase(s, tc);
	tc = tcase_create("schema");
	tcase_add_test(tc, test_status_guarded_updates_by_primary_key);
	suite_add_tcase(s, tc);
	return check_run(s);
}
