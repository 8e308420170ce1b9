/* it_branch.c: integration suite of the switch node and the error branch against the real
 * stack (nginx → API → Postgres/Redis → jobd): the first matching case wins, default when
 * none does, handles a node does not have are refused with a 422 naming the edge, a failing
 * http_request (tests/testsrv) takes its error branch after its retries and the run succeeds
 * with the error as that branch's input, a node without error edges still fails the run,
 * and an error branch joins a merge. */
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
#define CASE(n, e)	"{\"name\":\"" n "\",\"expr\":\"" e "\"}"

/* The results object of "ex" (borrowed). */
static json_object *
results(json_object *ex)
{
	return json_object_object_get(ex, "results");
}

static void
setup(void)
{
	eng_srv_start();
}

/* ---------------------------------------------------------------- switch */

/* Three branches and a default; "big" and "mid" both hold for n > 10. */
#define SWITCH_DEF "{\"nodes\":[" IN "," \
	N("size", "switch", "{\"cases\":[" CASE("big", ".in.n > 10") "," \
	CASE("mid", ".in.n > 5") "," CASE("neg", ".in.n < 0") "]}") "," \
	N("b", "template", "{\"template\":\"big {{ .in.n }}\"}") "," \
	N("m", "template", "{\"template\":\"mid {{ .in.n }}\"}") "," \
	N("g", "template", "{\"template\":\"neg {{ .in.n }}\"}") "," \
	N("d", "template", "{\"template\":\"other {{ .in.n }}\"}") "," \
	N("all", "merge", "{}") "," OUT("out", "{{ .all.output | to_entries | .[0].value }}") \
	"],\"edges\":[" E("in", "size") "," EH("size", "big", "b") "," EH("size", "mid", "m") "," \
	EH("size", "neg", "g") "," EH("size", "default", "d") "," E("b", "all") "," \
	E("m", "all") "," E("g", "all") "," E("d", "all") "," E("all", "out") "]}"

/* inputs, the node that runs, the text, the case named in the switch's output, its index
 * (-1: null) */
static const struct { const char *inputs, *taken, *text, *name; int index; } cases[] = {
	{ "{\"n\":20}", "b", "big 20", "big", 0 },	/* mid holds too: the first wins */
	{ "{\"n\":7}", "m", "mid 7", "mid", 1 },
	{ "{\"n\":-3}", "g", "neg -3", "neg", 2 },
	{ "{\"n\":3}", "d", "other 3", "default", -1 },
};

START_TEST(test_switch)
{
	static const char *const branch[] = { "b", "m", "g", "d" };
	json_object	*ex = eng_run(SWITCH_DEF, cases[_i].inputs, "succeeded"), *out, *idx;
	size_t		 k;

	ck_assert_str_eq(jsonh_get_string(results(ex), "out"), cases[_i].text);
	for (k = 0; k < NITEMS(branch); k++)
		ck_assert_int_eq(eng_steps(ex, branch[k], strcmp(branch[k], cases[_i].taken) == 0 ?
		    "succeeded" : "skipped"), 1);
	out = json_object_object_get(eng_step(ex, "size"), "output");
	ck_assert_str_eq(jsonh_get_string(out, "case"), cases[_i].name);
	ck_assert(json_object_object_get_ex(out, "index", &idx));
	if (cases[_i].index < 0)
		ck_assert_ptr_null(idx);
	else
		ck_assert_int_eq(json_object_get_int(idx), cases[_i].index);
	ck_assert_int_eq(eng_steps(ex, "all", "succeeded"), 1);
	json_object_put(ex);
}
END_TEST

/* definition, the field a 422 names, a part of its message */
static const struct { const char *def, *field, *part; } bad[] = {
	/* a handle the switch does not have */
	{ "{\"nodes\":[" IN "," N("s", "switch", "{\"cases\":[" CASE("a", "true") "]}") ","
	    OUT("o", "x") "],\"edges\":[" E("in", "s") "," EH("s", "b", "o") "]}",
	    "edges[1].source_handle", "a, error" },
	/* a condition's handle on a switch, a case's on a template */
	{ "{\"nodes\":[" IN "," N("s", "switch", "{\"cases\":[" CASE("a", "true") "]}") ","
	    OUT("o", "x") "],\"edges\":[" E("in", "s") "," EH("s", "true", "o") "]}",
	    "edges[1].source_handle", "no such handle" },
	{ "{\"nodes\":[" IN "," N("t", "template", "{\"template\":\"x\"}") "," OUT("o", "x")
	    "],\"edges\":[" E("in", "t") "," EH("t", "a", "o") "]}",
	    "edges[1].source_handle", "default, error" },
	/* case names: unique, and none a handle every node may have */
	{ "{\"nodes\":[" IN "," N("s", "switch", "{\"cases\":[" CASE("a", "true") ","
	    CASE("a", "false") "]}") "," OUT("o", "x") "]}",
	    "nodes[1].config.cases[1].name", "duplicate" },
	{ "{\"nodes\":[" IN "," N("s", "switch", "{\"cases\":[" CASE("error", "true") "]}") ","
	    OUT("o", "x") "]}", "nodes[1].config.cases[0].name", "error" },
	/* a case's condition must compile */
	{ "{\"nodes\":[" IN "," N("s", "switch", "{\"cases\":[" CASE("a", ".x | |") "]}") ","
	    OUT("o", "x") "]}", "nodes[1].config.cases[0].expr", NULL },
	{ "{\"nodes\":[" IN "," N("s", "switch", "{\"cases\":[]}") "," OUT("o", "x") "]}",
	    "nodes[1].config.cases", NULL },
};

START_TEST(test_bad_handles)
{
	struct http_resp	 r;
	char			 body[2048];

	snprintf(body, sizeof(body), "{\"name\":\"it-branch-bad\",\"definition\":%s}",
	    bad[_i].def);
	it_req("POST", "/api/v1/workflows", body, it_token(), &r);
	it_assert_problem_at(&r, 422, bad[_i].field);
	if (bad[_i].part != NULL)
		ck_assert_msg(strstr(r.body.data, bad[_i].part) != NULL, "want %s in %s",
		    bad[_i].part, r.body.data);
	http_resp_clear(&r);
}
END_TEST

/* ---------------------------------------------------------------- error branch */

/* A call that fails "fail_first" times (503), with 2 retries; its default edge leads to
 * "ok", its error edge (when "error_edge") to "fallback" (which otherwise has no incoming
 * edge); both join "all". */
static const char *
call_def(const char *key, int fail_first, int error_edge, int continue_on_error)
{
	return eng_fmt("{\"nodes\":[" IN ",{\"id\":\"call\",\"type\":\"http_request\","
	    "\"config\":{\"url\":\"http://127.0.0.1:%d/count/%s?fail_first=%d\",\"retries\":2,"
	    "\"retry_backoff_ms\":50%s}},"
	    N("ok", "transform", "{\"expr\":\"{ok: .call.output.status}\"}") ","
	    N("fallback", "transform", "{\"expr\":\"{fallback: .call.output.error}\"}") ","
	    N("all", "merge", "{}") "," OUT("out", "{{ .all.output }}") "],\"edges\":["
	    E("in", "call") "," E("call", "ok") "%s," E("ok", "all") "," E("fallback", "all") ","
	    E("all", "out") "]}", eng_srv_port(), key, fail_first,
	    continue_on_error ? ",\"continue_on_error\":true" : "",
	    error_edge ? "," EH("call", "error", "fallback") : "");
}

START_TEST(test_error_branch)
{
	char		 key[64];
	json_object	*ex, *in, *err, *out;

	snprintf(key, sizeof(key), "branch-err-%ld", (long)getpid());
	ex = eng_run(call_def(key, 99, 1, 0), "{}", "succeeded");
	/* Three tries, all recorded failed; the run went on by the error edge only. */
	ck_assert_int_eq(eng_srv_count(key), 3);
	ck_assert_int_eq(eng_steps(ex, "call", "failed"), 3);
	ck_assert_int_eq(eng_steps(ex, "call", NULL), 3);
	ck_assert_int_eq(eng_steps(ex, "ok", "skipped"), 1);
	ck_assert_int_eq(eng_steps(ex, "fallback", "succeeded"), 1);
	ck_assert_int_eq(eng_steps(ex, "all", "succeeded"), 1);
	/* The branch's input is the error. */
	in = json_object_object_get(eng_step(ex, "fallback"), "input");
	err = json_object_object_get(in, "call");
	ck_assert_msg(strstr(jsonh_get_string(err, "error"), "503") != NULL, "%s",
	    jsonh_str(err));
	ck_assert_str_eq(jsonh_get_string(err, "node"), "call");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(err, "attempt")), 3);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(err, "tries")), 3);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_object_get(err,
	    "output"), "status")), 503);
	/* The merge saw the fallback only; the failed step keeps the error as its output. */
	out = json_object_object_get(results(ex), "out");
	ck_assert_int_eq(json_object_object_length(out), 1);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(out, "fallback"), "fallback"),
	    jsonh_get_string(err, "error"));
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(eng_step(ex, "call"), "output"),
	    "node"), "call");
	ck_assert_ptr_nonnull(jsonh_get_string(eng_step(ex, "call"), "error"));
	json_object_put(ex);
}
END_TEST

/* A retry that succeeds takes the default edge: the error branch is skipped. */
START_TEST(test_error_branch_not_taken)
{
	char		 key[64];
	json_object	*ex, *out;

	snprintf(key, sizeof(key), "branch-ok-%ld", (long)getpid());
	ex = eng_run(call_def(key, 1, 1, 0), "{}", "succeeded");
	ck_assert_int_eq(eng_srv_count(key), 2);
	ck_assert_int_eq(eng_steps(ex, "call", "failed"), 1);
	ck_assert_int_eq(eng_steps(ex, "call", "succeeded"), 1);
	ck_assert_int_eq(eng_steps(ex, "fallback", "skipped"), 1);
	ck_assert_int_eq(eng_steps(ex, "ok", "succeeded"), 1);
	out = json_object_object_get(results(ex), "out");
	ck_assert_int_eq(json_object_object_length(out), 1);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_object_get(out,
	    "ok"), "ok")), 200);
	json_object_put(ex);
}
END_TEST

/* Without error edges the failure still fails the run; the rest never runs. */
START_TEST(test_no_error_edge_fails)
{
	char		 key[64];
	json_object	*ex;
	const char	*err;

	snprintf(key, sizeof(key), "branch-fail-%ld", (long)getpid());
	ex = eng_run(call_def(key, 99, 0, 0), "{}", "failed");
	err = jsonh_get_string(ex, "error");
	ck_assert_msg(err != NULL && strstr(err, "\"call\"") != NULL, "%s", err);
	ck_assert_int_eq(eng_steps(ex, "call", "failed"), 3);
	ck_assert_int_eq(eng_steps(ex, "ok", "succeeded"), 0);
	ck_assert_int_eq(eng_steps(ex, "all", "succeeded"), 0);
	ck_assert_int_eq(eng_steps(ex, "out", "succeeded"), 0);
	json_object_put(ex);
}
END_TEST

/* With error edges, continue_on_error does not apply: the failure takes the error branch. */
START_TEST(test_error_branch_before_continue)
{
	char		 key[64];
	json_object	*ex;

	snprintf(key, sizeof(key), "branch-coe-%ld", (long)getpid());
	ex = eng_run(call_def(key, 99, 1, 1), "{}", "succeeded");
	ck_assert_int_eq(eng_steps(ex, "call", "failed"), 3);
	ck_assert_int_eq(eng_steps(ex, "ok", "skipped"), 1);
	ck_assert_int_eq(eng_steps(ex, "fallback", "succeeded"), 1);
	json_object_put(ex);
	/* Without them, it goes on by the default edge as before. */
	snprintf(key, sizeof(key), "branch-coe2-%ld", (long)getpid());
	ex = eng_run(call_def(key, 99, 0, 1), "{}", "succeeded");
	ck_assert_int_eq(eng_steps(ex, "call", "succeeded"), 1);
	ck_assert_int_eq(eng_steps(ex, "ok", "succeeded"), 1);
	json_object_put(ex);
}
END_TEST

/* A CPU-only node's error branch: a switch whose case raises an error. */
START_TEST(test_switch_error_branch)
{
	const char	 def[] = "{\"nodes\":[" IN ","
	    N("s", "switch", "{\"cases\":[" CASE("a", "error(\\\"no way\\\")") "]}") ","
	    N("t", "template", "{\"template\":\"a\"}") ","
	    N("e", "template", "{\"template\":\"caught: {{ .s.output.error }}\"}") ","
	    OUT("out_t", "{{ .t.output }}") "," OUT("out_e", "{{ .e.output }}") "],"
	    "\"edges\":[" E("in", "s") "," EH("s", "a", "t") "," EH("s", "error", "e") ","
	    E("t", "out_t") "," E("e", "out_e") "]}";
	json_object	*ex = eng_run(def, "{}", "succeeded");

	ck_assert_int_eq(eng_steps(ex, "s", "failed"), 1);
	ck_assert_int_eq(eng_steps(ex, "t", "skipped"), 1);
	ck_assert_int_eq(eng_steps(ex, "out_t", "skipped"), 1);
	ck_assert_msg(strstr(jsonh_get_string(results(ex), "out_e"), "caught: ") != NULL &&
	    strstr(jsonh_get_string(results(ex), "out_e"), "no way") != NULL, "%s",
	    jsonh_str(results(ex)));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_object_get(
	    eng_step(ex, "s"), "output"), "attempt")), 1);
	json_object_put(ex);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("branch");
	TCase	*tc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_branch: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("switch");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_switch, 0, NITEMS(cases));
	tcase_add_loop_test(tc, test_bad_handles, 0, NITEMS(bad));
	suite_add_tcase(s, tc);
	tc = tcase_create("error");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_test(tc, test_error_branch);
	tcase_add_test(tc, test_error_branch_not_taken);
	tcase_add_test(tc, test_no_error_edge_fails);
	tcase_add_test(tc, test_error_branch_before_continue);
	tcase_add_test(tc, test_switch_error_branch);
	suite_add_tcase(s, tc);
	return check_run(s);
}
