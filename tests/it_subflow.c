/* it_subflow.c: integration suite of the nodes that run other workflows, against the real
 * stack: sub_workflow (inputs in, results out, the child's link to its parent, the child's
 * failure, cancel from the parent and from the child, another owner's workflow, nesting too
 * deep, an invalid config refused) and map (results in item order, a concurrency bound that
 * holds, on_error stop and collect, items that are not an array, the children listed by
 * item, and 10,000 items at a concurrency of 50). */
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

#define V1	"/api/v1"
#define N(id, type, conf) "{\"id\":\"" id "\",\"type\":\"" type "\",\"config\":" conf "}"
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"
#define IN		N("in", "input", "{}")
#define OUT(id, v)	N(id, "output", "{\"value\":\"" v "\"}")

/* A child: its output "out" is "<x>-child". */
#define CHILD_ECHO "{\"nodes\":[" IN "," OUT("out", "{{ .in.x }}-child") "]," \
	"\"edges\":[" E("in", "out") "]}"
/* A child that waits "ms" (a %d) before its output. */
#define CHILD_SLOW "{\"nodes\":[" IN "," N("wait", "delay", "{\"ms\":%d}") "," \
	OUT("out", "done") "],\"edges\":[" E("in", "wait") "," E("wait", "out") "]}"
/* A child whose transform fails unless .in.x is a number's text. */
#define CHILD_NUMBER "{\"nodes\":[" IN "," N("num", "transform", \
	"{\"expr\":\".in.x | tonumber\"}") "," OUT("out", "{{ .num.output }}") "]," \
	"\"edges\":[" E("in", "num") "," E("num", "out") "]}"
/* A map item: the item times ten (jq), failing on a zero divisor (10 / item). */
#define CHILD_ITEM "{\"nodes\":[" IN "," N("calc", "transform", \
	"{\"expr\":\"10 / .in.item\"}") "," N("out", "output", \
	"{\"value\":\"{{ .calc.output }}#{{ .in.index }}\"}") "]," \
	"\"edges\":[" E("in", "calc") "," E("calc", "out") "]}"

/* A parent running workflow "%s" through node "sub" with inputs {x: .in.v}. */
#define PARENT_SUB "{\"nodes\":[" IN "," N("sub", "sub_workflow", \
	"{\"workflow_id\":\"%s\",\"inputs\":{\"x\":\"{{ .in.v }}\"}}") "," \
	OUT("out", "{{ .sub.output.results.out }}") "]," \
	"\"edges\":[" E("in", "sub") "," E("sub", "out") "]}"
/* A parent mapping workflow "%s" over items "%s" (a jq program) at concurrency %d, on_error
 * "%s". */
#define PARENT_MAP "{\"nodes\":[" IN "," N("each", "map", \
	"{\"workflow_id\":\"%s\",\"items\":\"%s\",\"concurrency\":%d,\"on_error\":\"%s\"," \
	"\"timeout_ms\":900000}") "," OUT("out", "{{ .each.output.succeeded }}") "]," \
	"\"edges\":[" E("in", "each") "," E("each", "out") "]}"

/* Creates workflow "def" and copies its id into "id". */
static void
workflow(const char *def, char id[UUID_STRLEN + 1])
{
	eng_workflow(def, id);
}

/* Starts workflow "wf" with "inputs" and waits "ms" for its end, asserting "status". */
static json_object *
run_wait(const char *wf, const char *inputs, const char *status, long ms, char
    id[UUID_STRLEN + 1])
{
	json_object	*ex;

	eng_start(wf, inputs, id);
	ex = eng_wait(id, NULL, ms);
	ck_assert_msg(ex != NULL, "execution %s did not end in %ld ms", id, ms);
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), status) == 0, "want %s: %s",
	    status, jsonh_str(ex));
	return ex;
}

/* GET the children of node "node" of execution "id" (with "extra" query), asserting 200. */
static json_object *
children(const char *id, const char *node, const char *extra)
{
	struct http_resp	 r;
	json_object		*o;

	ck_assert_int_eq(it_req("GET", eng_fmt(V1 "/executions/%s/children?node=%s%s", id, node,
	    extra != NULL ? extra : ""), NULL, it_token(), &r), 200);
	o = json_object_get(r.json);
	http_resp_clear(&r);
	return o;
}

/* The ids of a page of GET "path" (a list), joined by spaces, in a static buffer. */
static const char *
list_ids(const char *path)
{
	static char		 ids[8192];
	struct http_resp	 r;
	json_object		*items;
	size_t			 i, n = 0;

	ids[0] = '\0';
	ck_assert_int_eq(it_req("GET", path, NULL, it_token(), &r), 200);
	items = json_object_object_get(r.json, "items");
	for (i = 0; i < json_object_array_length(items); i++)
		n += (size_t)snprintf(ids + n, sizeof(ids) - n, "%s%s", i > 0 ? " " : "",
		    jsonh_get_string(json_object_array_get_idx(items, i), "id"));
	http_resp_clear(&r);
	return ids;
}

/* The count of "status" in a children answer. */
static long
count_of(json_object *ch, const char *status)
{
	json_object	*n = json_object_object_get(json_object_object_get(ch, "counts"), status);

	return n != NULL ? (long)json_object_get_int64(n) : 0;
}

/* Waits until node "node" of "id" has a child in "status"; copies the child's id. */
static void
wait_child(const char *id, const char *node, const char *status, char child[UUID_STRLEN + 1])
{
	long		 end = eng_now_ms() + 20000;
	json_object	*ch, *it;

	for (;;) {
		ch = children(id, node, NULL);
		it = json_object_array_get_idx(json_object_object_get(ch, "items"), 0);
		if (it != NULL && strcmp(jsonh_get_string(it, "status"), status) == 0) {
			snprintf(child, UUID_STRLEN + 1, "%s", jsonh_get_string(it, "id"));
			json_object_put(ch);
			return;
		}
		json_object_put(ch);
		ck_assert_msg(eng_now_ms() < end, "no %s child of %s", status, node);
		usleep(50000);
	}
}

START_TEST(test_sub_workflow)
{
	char		 child_wf[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	json_object	*ex, *out, *ch, *it, *child;

	workflow(CHILD_ECHO, child_wf);
	workflow(eng_fmt(PARENT_SUB, child_wf), wf);
	ex = run_wait(wf, "{\"v\":\"abc\"}", "succeeded", 30000, id);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "out"),
	    "abc-child");
	out = json_object_object_get(eng_step(ex, "sub"), "output");
	ck_assert_ptr_nonnull(jsonh_get_string(out, "execution_id"));
	/* the child: linked to its parent and node, started by a workflow, pinned version */
	child = eng_wait(jsonh_get_string(out, "execution_id"), NULL, 5000);
	ck_assert_ptr_nonnull(child);
	ck_assert_str_eq(jsonh_get_string(child, "parent_execution_id"), id);
	ck_assert_str_eq(jsonh_get_string(child, "parent_node"), "sub");
	ck_assert_str_eq(jsonh_get_string(child, "trigger"), "workflow");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(child, "workflow_version")),
	    1);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(child, "inputs"), "x"), "abc");
	/* listed as the node's one child */
	ch = children(id, "sub", NULL);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(ch, "total")), 1);
	it = json_object_array_get_idx(json_object_object_get(ch, "items"), 0);
	ck_assert_str_eq(jsonh_get_string(it, "id"), jsonh_get_string(out, "execution_id"));
	ck_assert_ptr_null(json_object_object_get(it, "item"));
	ck_assert_int_eq(count_of(ch, "succeeded"), 1);
	json_object_put(ch);
	/* the list: without runs started by runs on asking, with the run's own on asking */
	ck_assert_ptr_null(strstr(list_ids(V1 "/executions?parent=none&limit=100"),
	    jsonh_get_string(out, "execution_id")));
	ck_assert_ptr_nonnull(strstr(list_ids(V1 "/executions?parent=none&limit=100"), id));
	ck_assert_str_eq(list_ids(eng_fmt(V1 "/executions?parent=%s", id)),
	    jsonh_get_string(out, "execution_id"));
	ck_assert_int_eq(it_status("GET", V1 "/executions?parent=nobody", NULL, it_token()),
	    422);
	json_object_put(child);
	json_object_put(ex);
}
END_TEST

START_TEST(test_sub_failure)
{
	char		 child_wf[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	json_object	*ex;
	const char	*err;

	workflow(CHILD_NUMBER, child_wf);
	workflow(eng_fmt(PARENT_SUB, child_wf), wf);
	ex = run_wait(wf, "{\"v\":\"not a number\"}", "failed", 30000, id);
	err = jsonh_get_string(eng_step(ex, "sub"), "error");
	ck_assert_msg(err != NULL && strstr(err, "sub-workflow's run") != NULL &&
	    strstr(err, "failed") != NULL, "%s", jsonh_str(ex));
	ck_assert_int_eq(eng_steps(ex, "out", "succeeded"), 0);
	json_object_put(ex);
	/* the same child succeeds with a number */
	ex = run_wait(wf, "{\"v\":\"42\"}", "succeeded", 30000, id);
	ck_assert_str_eq(jsonh_str(json_object_object_get(json_object_object_get(ex, "results"),
	    "out")), "42");
	json_object_put(ex);
}
END_TEST

/* Starts a parent whose sub_workflow node runs a child that waits a minute; copies both ids
 * once the child runs. */
static void
start_with_slow_child(char id[UUID_STRLEN + 1], char child[UUID_STRLEN + 1])
{
	char	 child_wf[UUID_STRLEN + 1], wf[UUID_STRLEN + 1];

	workflow(eng_fmt(CHILD_SLOW, 60000), child_wf);
	workflow(eng_fmt(PARENT_SUB, child_wf), wf);
	eng_start(wf, "{\"v\":\"x\"}", id);
	wait_child(id, "sub", "running", child);
}

START_TEST(test_sub_cancel_parent)
{
	char		 id[UUID_STRLEN + 1], child[UUID_STRLEN + 1];
	json_object	*ex;

	start_with_slow_child(id, child);
	ck_assert_int_eq(it_status("POST", eng_fmt(V1 "/executions/%s/cancel", id), NULL,
	    it_token()), 202);
	ex = eng_wait(child, NULL, 15000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "cancelled");
	json_object_put(ex);
	ex = eng_wait(id, NULL, 15000);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "cancelled");
	json_object_put(ex);
}
END_TEST

START_TEST(test_sub_cancel_child)
{
	char		 id[UUID_STRLEN + 1], child[UUID_STRLEN + 1];
	json_object	*ex;
	long		 end;

	start_with_slow_child(id, child);
	ck_assert_int_eq(it_status("POST", eng_fmt(V1 "/executions/%s/cancel", child), NULL,
	    it_token()), 202);
	ex = eng_wait(id, NULL, 15000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), "cancelled") == 0, "%s",
	    jsonh_str(ex));
	/* The row is cancelled first (the truth); the worker running the parent then stops the
	 * step and records it cancelled. */
	for (end = eng_now_ms() + 15000; eng_steps(ex, "sub", "cancelled") != 1 &&
	    eng_now_ms() < end; usleep(100000)) {
		json_object_put(ex);
		ex = eng_wait(id, NULL, 1000);
		ck_assert_ptr_nonnull(ex);
	}
	ck_assert_msg(eng_steps(ex, "sub", "cancelled") == 1, "%s", jsonh_str(ex));
	json_object_put(ex);
}
END_TEST

START_TEST(test_sub_refused)
{
	char		 other_wf[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	char		*editor;
	struct http_resp r;
	json_object	*ex;
	const char	*err;

	/* another user's workflow is not found from this owner's run */
	editor = it_login_as("it-subflow-editor", "editor");
	ck_assert_ptr_nonnull(editor);
	it_create(V1 "/workflows", eng_fmt("{\"name\":\"theirs\",\"definition\":%s}",
	    CHILD_ECHO), editor, other_wf);
	free(editor);
	workflow(eng_fmt(PARENT_SUB, other_wf), wf);
	ex = run_wait(wf, "{\"v\":\"x\"}", "failed", 30000, id);
	err = jsonh_get_string(eng_step(ex, "sub"), "error");
	ck_assert_msg(err != NULL && strstr(err, "not found") != NULL, "%s", jsonh_str(ex));
	json_object_put(ex);
	/* an id that is not a UUID, and a map without items, refused on save, naming the field */
	it_req("POST", V1 "/workflows", "{\"name\":\"bad\",\"definition\":{\"nodes\":[" IN ","
	    N("sub", "sub_workflow", "{\"workflow_id\":\"nope\"}") "," OUT("out", "x") "],"
	    "\"edges\":[" E("in", "sub") "," E("sub", "out") "]}}", it_token(), &r);
	it_assert_problem_at(&r, 422, "nodes[1].config.workflow_id");
	http_resp_clear(&r);
	it_req("POST", V1 "/workflows", "{\"name\":\"bad\",\"definition\":{\"nodes\":[" IN ","
	    N("each", "map", "{\"workflow_id\":\"0190c1d2-0000-7000-8000-000000000000\","
	    "\"concurrency\":0}") "," OUT("out", "x") "],"
	    "\"edges\":[" E("in", "each") "," E("each", "out") "]}}", it_token(), &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(jsonh_str(r.json), "nodes[1].config.concurrency"));
	http_resp_clear(&r);
}
END_TEST

/* A workflow that runs itself nests until the guard stops it; every level then fails. */
START_TEST(test_sub_depth)
{
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], path[128];
	json_object	*ex;

	workflow(CHILD_ECHO, wf);
	snprintf(path, sizeof(path), V1 "/workflows/%s", wf);
	ck_assert_int_eq(it_status("PUT", path, eng_fmt("{\"name\":\"self\",\"version\":1,"
	    "\"definition\":" PARENT_SUB "}", wf), it_token()), 200);
	ex = run_wait(wf, "{\"v\":\"x\"}", "failed", 60000, id);
	ck_assert_msg(strstr(jsonh_str(ex), "failed") != NULL, "%s", jsonh_str(ex));
	json_object_put(ex);
	/* four levels ran; the deepest was refused its child, and each level failed */
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FILTER (WHERE error LIKE "
	    "$$node \"sub\" failed: runs may nest at most%%$$) || $$/$$ || count(*) FILTER "
	    "(WHERE status = $$failed$$) || $$/$$ || count(*) FROM executions WHERE "
	    "workflow_id = $$%s$$", wf)), "1/4/4");
}
END_TEST

START_TEST(test_map_order)
{
	char		 child_wf[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	json_object	*ex, *out, *res, *ch, *items;
	size_t		 i;

	workflow(CHILD_ITEM, child_wf);
	workflow(eng_fmt(PARENT_MAP, child_wf, "[1, 2, 5, 10, 4, 20, 25]", 3, "stop"), wf);
	ex = run_wait(wf, NULL, "succeeded", 60000, id);
	out = json_object_object_get(eng_step(ex, "each"), "output");
	res = json_object_object_get(out, "results");
	ck_assert_uint_eq(json_object_array_length(res), 7);
	{
		static const char *const want[] = { "10#0", "5#1", "2#2", "1#3", "2.5#4",
			"0.5#5", "0.4#6" };

		for (i = 0; i < 7; i++)
			ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(res, i),
			    "out"), want[i]);
	}
	ck_assert_int_eq(json_object_get_int(json_object_object_get(out, "succeeded")), 7);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(out, "errors")), 0);
	/* the children by item, in pages */
	ch = children(id, "each", "&limit=4");
	items = json_object_object_get(ch, "items");
	ck_assert_uint_eq(json_object_array_length(items), 4);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(json_object_get_int(json_object_object_get(
		    json_object_array_get_idx(items, i), "item")), (int)i);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(ch, "next_after")), 3);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(ch, "total")), 7);
	json_object_put(ch);
	ch = children(id, "each", "&after=3&limit=4");
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(ch, "items")), 3);
	ck_assert_ptr_null(json_object_object_get(ch, "next_after"));
	json_object_put(ch);
	json_object_put(ex);
}
END_TEST

START_TEST(test_map_errors)
{
	char		 child_wf[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	json_object	*ex, *out, *res, *errs, *ch;
	const char	*err;

	workflow(CHILD_ITEM, child_wf);
	/* collect: the failed item is null in the results and listed in errors */
	workflow(eng_fmt(PARENT_MAP, child_wf, "[1, 0, 2]", 2, "collect"), wf);
	ex = run_wait(wf, NULL, "succeeded", 60000, id);
	out = json_object_object_get(eng_step(ex, "each"), "output");
	res = json_object_object_get(out, "results");
	errs = json_object_object_get(out, "errors");
	ck_assert_ptr_null(json_object_array_get_idx(res, 1));
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(res, 2), "out"), "5#2");
	ck_assert_uint_eq(json_object_array_length(errs), 1);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_array_get_idx(
	    errs, 0), "index")), 1);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(out, "failed")), 1);
	ch = children(id, "each", "&status=failed");
	ck_assert_int_eq(count_of(ch, "failed"), 1);
	ck_assert_int_eq(count_of(ch, "succeeded"), 2);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(ch, "items")), 1);
	json_object_put(ch);
	json_object_put(ex);
	/* stop: the node fails naming the item */
	workflow(eng_fmt(PARENT_MAP, child_wf, "[0, 1, 2, 3, 4, 5]", 1, "stop"), wf);
	ex = run_wait(wf, NULL, "failed", 60000, id);
	err = jsonh_get_string(eng_step(ex, "each"), "error");
	ck_assert_msg(err != NULL && strncmp(err, "item 0 failed", 13) == 0, "%s",
	    jsonh_str(ex));
	json_object_put(ex);
	/* items that are not an array */
	workflow(eng_fmt(PARENT_MAP, child_wf, ".in", 1, "stop"), wf);
	ex = run_wait(wf, "{\"a\":1}", "failed", 30000, id);
	err = jsonh_get_string(eng_step(ex, "each"), "error");
	ck_assert_msg(err != NULL && strstr(err, "must give an array, not object") != NULL,
	    "%s", jsonh_str(ex));
	json_object_put(ex);
}
END_TEST

/* 10,000 items at a concurrency of 50: all succeed in order, and no sample of the children
 * ever sees more than 50 unfinished. */
START_TEST(test_map_10000)
{
	char		 child_wf[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	json_object	*ex = NULL, *out, *res, *ch;
	long		 open, most = 0, end = eng_now_ms() + 480000;
	size_t		 i;

	workflow(CHILD_ECHO, child_wf);
	ck_assert_int_eq(it_status("PUT", eng_fmt(V1 "/workflows/%s", child_wf),
	    "{\"name\":\"item\",\"version\":1,\"definition\":{\"nodes\":[" IN ","
	    OUT("out", "{{ .in.index }}") "],\"edges\":[" E("in", "out") "]}}", it_token()), 200);
	workflow(eng_fmt(PARENT_MAP, child_wf, "[range(10000)]", 50, "stop"), wf);
	eng_start(wf, NULL, id);
	for (;;) {
		ch = children(id, "each", "&limit=1");
		open = count_of(ch, "queued") + count_of(ch, "running");
		most = open > most ? open : most;
		json_object_put(ch);
		ex = eng_wait(id, NULL, 500);
		if (ex != NULL)
			break;
		ck_assert_msg(eng_now_ms() < end, "the map did not end in 8 minutes");
	}
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), "succeeded") == 0, "%.2000s",
	    jsonh_str(ex));
	ck_assert_msg(most > 0 && most <= 50, "%ld children unfinished at once", most);
	out = json_object_object_get(eng_step(ex, "each"), "output");
	res = json_object_object_get(out, "results");
	ck_assert_uint_eq(json_object_array_length(res), 10000);
	for (i = 0; i < 10000; i += 997)
		ck_assert_str_eq(jsonh_str(json_object_object_get(json_object_array_get_idx(res, i),
		    "out")), eng_fmt("%zu", i));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(out, "succeeded")), 10000);
	ch = children(id, "each", "&after=9997");
	ck_assert_int_eq(count_of(ch, "succeeded"), 10000);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(ch, "items")), 2);
	json_object_put(ch);
	json_object_put(ex);
}
END_TEST

START_TEST(test_children_params)
{
	struct http_resp r;
	char		 id[UUID_STRLEN + 1], *editor;

	it_req("GET", V1 "/executions/0190c1d2-0000-7000-8000-000000000000/children", NULL,
	    it_token(), &r);
	it_assert_problem_at(&r, 422, "node");
	http_resp_clear(&r);
	it_req("GET", V1 "/executions/0190c1d2-0000-7000-8000-000000000000/children?node=a"
	    "&limit=0", NULL, it_token(), &r);
	it_assert_problem_at(&r, 422, "limit");
	http_resp_clear(&r);
	it_req("GET", V1 "/executions/0190c1d2-0000-7000-8000-000000000000/children?node=a"
	    "&status=lost", NULL, it_token(), &r);
	it_assert_problem_at(&r, 422, "status");
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("GET", V1 "/executions/0190c1d2-0000-7000-8000-"
	    "000000000000/children?node=a", NULL, it_token()), 404);
	/* another user's execution is not found */
	json_object_put(eng_run(CHILD_ECHO, "{\"x\":\"y\"}", "succeeded"));
	snprintf(id, sizeof(id), "%s", it_sql("SELECT id FROM executions ORDER BY created_at DESC "
	    "LIMIT 1"));
	editor = it_login_as("it-subflow-other", "editor");
	ck_assert_ptr_nonnull(editor);
	ck_assert_int_eq(it_status("GET", eng_fmt(V1 "/executions/%s/children?node=in", id),
	    NULL, editor), 404);
	ck_assert_int_eq(it_status("GET", eng_fmt(V1 "/executions/%s/children?node=in", id),
	    NULL, it_token()), 200);
	free(editor);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("subflow");
	TCase	*tc = tcase_create("subflow");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_subflow: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sub_workflow);
	tcase_add_test(tc, test_sub_failure);
	tcase_add_test(tc, test_sub_cancel_parent);
	tcase_add_test(tc, test_sub_cancel_child);
	tcase_add_test(tc, test_sub_refused);
	tcase_add_test(tc, test_sub_depth);
	tcase_add_test(tc, test_map_order);
	tcase_add_test(tc, test_map_errors);
	tcase_add_test(tc, test_children_params);
	suite_add_tcase(s, tc);
	tc = tcase_create("map10000");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_map_10000);
	suite_add_tcase(s, tc);
	return check_run(s);
}
