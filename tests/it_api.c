/* it_api.c: integration suite of the walking skeleton, run against the real stack (nginx →
 * fragent-api → PostgreSQL/Redis → fragent-jobd → SSE) started by tests/integration.sh. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "it_http.h"
#include "jschema.h"
#include "jsonh.h"
#include "nitems.h"
#include "uuid.h"

#define SAMPLE_DEF \
	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"greet\",\"type\":\"template\",\"config\":{\"template\":\"Hello, {{ .in.name }}!\"}}," \
	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .greet.output }}\"}}]," \
	"\"edges\":[{\"source\":\"in\",\"target\":\"greet\"},{\"source\":\"greet\",\"target\":\"out\"}]}"

/* Creates a workflow named "name" with definition "def"; copies its id into "id". */
static void
create_workflow(const char *name, const char *def, char id[UUID_STRLEN + 1])
{
	char	 body[8192];

	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"description\":\"it\",\"definition\":%s}",
	    name, def);
	it_create("/api/v1/workflows", body, it_token(), id);
}

/* Starts an execution of workflow "wf" with "body"; copies its id into "id". */
static void
start_execution(const char *wf, const char *body, char id[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	char			 path[128];

	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	ck_assert_int_eq(http_post_json(path, body, &r), 0);
	ck_assert_msg(r.status == 202, "start: %ld %s", r.status, r.body.data);
	ck_assert_str_eq(jsonh_get_string(r.json, "status"), "queued");
	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
}

/* Polls the execution until it leaves queued/running (at most 15 s); returns its JSON. */
static json_object *
wait_execution(const char *id)
{
	struct http_resp	 r;
	json_object		*o = NULL;
	const char		*st;
	char			 path[128];
	int			 i;

	snprintf(path, sizeof(path), "/api/v1/executions/%s", id);
	for (i = 0; i < 300; i++) {
		ck_assert_int_eq(http_get(path, &r), 0);
		ck_assert_int_eq(r.status, 200);
		st = jsonh_get_string(r.json, "status");
		if (strcmp(st, "queued") != 0 && strcmp(st, "running") != 0) {
			o = json_object_get(r.json);
			http_resp_clear(&r);
			return o;
		}
		http_resp_clear(&r);
		usleep(50 * 1000);
	}
	ck_abort_msg("execution %s did not finish", id);
	return NULL;
}

/* Counts the workflows the list shows (first page of 100). */
static size_t
count_workflows(void)
{
	struct http_resp	 r;
	size_t			 n;

	ck_assert_int_eq(http_get("/api/v1/workflows?limit=100", &r), 0);
	ck_assert_int_eq(r.status, 200);
	n = json_object_array_length(jsonh_get_typed(r.json, "items", json_type_array));
	http_resp_clear(&r);
	return n;
}

START_TEST(test_health)
{
	struct http_resp	 r;

	ck_assert_int_eq(http_get("/api/v1/health", &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jsonh_get_string(r.json, "status"), "ok");
	ck_assert(r.request_id[0] != '\0');
	http_resp_clear(&r);
	ck_assert_int_eq(http_get("/api/v1/ready", &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jsonh_get_string(r.json, "status"), "ready");
	http_resp_clear(&r);
}
END_TEST

START_TEST(test_routes)
{
	struct http_resp	 r;

	ck_assert_int_eq(http_get("/api/v1/nothing-here", &r), 0);
	it_assert_problem_at(&r, 404, NULL);
	http_resp_clear(&r);
	ck_assert_int_eq(http_do("DELETE", "/api/v1/health", NULL, NULL, NULL, &r), 0);
	it_assert_problem_at(&r, 405, NULL);
	ck_assert_str_eq(r.allow, "GET");
	http_resp_clear(&r);
	ck_assert_int_eq(http_do("PATCH", "/api/v1/workflows", NULL, NULL, NULL, &r), 0);
	it_assert_problem_at(&r, 405, NULL);
	ck_assert_str_eq(r.allow, "GET, POST");
	http_resp_clear(&r);
}
END_TEST

/* CORS from the allow-list (FRAGENT_CORS_ORIGINS=http://app.example.test): an allowed
 * origin gets its preflight and the header on real answers; another gets neither. */
START_TEST(test_cors)
{
	struct http_resp	 r;
	const char *const	 good[] = { "Origin: http://app.example.test",
		"Access-Control-Request-Method: POST", NULL };
	const char *const	 evil[] = { "Origin: http://evil.example.test",
		"Access-Control-Request-Method: POST", NULL };

	ck_assert_int_eq(http_do("OPTIONS", "/api/v1/workflows", NULL, NULL, good, &r), 0);
	ck_assert_int_eq(r.status, 204);
	ck_assert_str_eq(r.allow_origin, "http://app.example.test");
	ck_assert_str_eq(r.allow_methods, "GET, POST");
	ck_assert_ptr_nonnull(strstr(r.allow_headers, "Authorization"));
	http_resp_clear(&r);

	ck_assert_int_eq(http_do("GET", "/api/v1/workflows", NULL, NULL, good, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.allow_origin, "http://app.example.test");
	http_resp_clear(&r);

	ck_assert_int_eq(http_do("OPTIONS", "/api/v1/workflows", NULL, NULL, evil, &r), 0);
	it_assert_problem_at(&r, 403, NULL);
	ck_assert_str_eq(r.allow_origin, "");
	http_resp_clear(&r);

	ck_assert_int_eq(http_do("GET", "/api/v1/workflows", NULL, NULL, evil, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.allow_origin, "");
	http_resp_clear(&r);
}
END_TEST

START_TEST(test_workflow_create_get)
{
	struct http_resp	 r;
	char			 id[UUID_STRLEN + 1], path[128];
	json_object		*want = NULL;
	char			 err[128];

	create_workflow("it: create ' OR 1=1 --", SAMPLE_DEF, id);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s", id);
	ck_assert_int_eq(http_get(path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jsonh_get_string(r.json, "name"), "it: create ' OR 1=1 --");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(r.json, "version")), 1);
	ck_assert_int_eq(jsonh_parse(SAMPLE_DEF, strlen(SAMPLE_DEF), &want, err, sizeof(err)), 0);
	ck_assert(json_object_equal(want, json_object_object_get(r.json, "definition")));
	ck_assert_ptr_nonnull(jsonh_get_string(r.json, "created_at"));
	json_object_put(want);
	http_resp_clear(&r);
}
END_TEST

/* body, content type, expected status, field named in errors */
static const struct {
	const char	*body, *ctype;
	long		 status;
	const char	*field;
} bad_workflows[] = {
	{ "{\"name\":", "application/json", 400, NULL },
	{ "{\"name\":\"x\"} trailing", "application/json", 400, NULL },
	{ "{\"name\":\"x\",\"definition\":" SAMPLE_DEF "}", "text/plain", 415, NULL },
	{ "{\"name\":\"x\",\"definition\":" SAMPLE_DEF "}", NULL, 415, NULL },
	{ "{\"definition\":" SAMPLE_DEF "}", "application/json", 422, "name" },
	{ "{\"name\":7,\"definition\":" SAMPLE_DEF "}", "application/json", 422, "name" },
	{ "{\"name\":\"\",\"definition\":" SAMPLE_DEF "}", "application/json", 422, "name" },
	{ "{\"name\":\"x\",\"definition\":" SAMPLE_DEF ",\"owner\":\"me\"}", "application/json",
	    422, "owner" },
	{ "{\"name\":\"x\"}", "application/json", 422, "definition" },
	{ "{\"name\":\"x\",\"definition\":[]}", "application/json", 422, "definition" },
	{ "[1,2]", "application/json", 422, "" },
	{ "{\"name\":\"x\",\"definition\":{\"nodes\":[{\"id\":\"in\",\"type\":\"input\","
	    "\"config\":{}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .x | }}\"}}]}}",
	    "application/json", 422, "nodes[1].config.value" },
	{ "{\"name\":\"x\",\"definition\":{\"nodes\":[{\"id\":\"in\",\"type\":\"input\","
	    "\"config\":{}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"v\"}}],"
	    "\"edges\":[{\"source\":\"out\",\"target\":\"zz\"}]}}",
	    "application/json", 422, "edges[0].target" },
};

START_TEST(test_workflow_create_bad)
{
	struct http_resp	 r;
	size_t			 before = count_workflows();

	ck_assert_int_eq(http_do("POST", "/api/v1/workflows", bad_workflows[_i].ctype,
	    bad_workflows[_i].body, NULL, &r), 0);
	it_assert_problem_at(&r, bad_workflows[_i].status, bad_workflows[_i].field);
	http_resp_clear(&r);
	ck_assert_uint_eq(count_workflows(), before);
}
END_TEST

START_TEST(test_workflow_body_too_large)
{
	struct http_resp	 r;
	size_t			 n = 2 * 1024 * 1024;
	char			*big = malloc(n + 64);

	snprintf(big, n + 64, "{\"name\":\"");
	memset(big + strlen(big), 'a', n);
	big[n] = '\0';
	ck_assert_int_eq(http_post_json("/api/v1/workflows", big, &r), 0);
	ck_assert_int_eq(r.status, 413);
	http_resp_clear(&r);
	free(big);
}
END_TEST

static const char *const bad_ids[] = {
	"/api/v1/workflows/not-a-uuid", "/api/v1/workflows/00000000-0000-4000-8000-000000000000",
	"/api/v1/workflows/'%20OR%201=1", "/api/v1/executions/123",
	"/api/v1/executions/00000000-0000-4000-8000-000000000000",
};

START_TEST(test_not_found)
{
	struct http_resp	 r;

	ck_assert_int_eq(http_get(bad_ids[_i], &r), 0);
	it_assert_problem_at(&r, 404, NULL);
	http_resp_clear(&r);
}
END_TEST

START_TEST(test_list_pages)
{
	struct http_resp	 r;
	char			 id[UUID_STRLEN + 1], path[256];
	const char		*cursor;

	create_workflow("it: page a", SAMPLE_DEF, id);
	create_workflow("it: page b", SAMPLE_DEF, id);
	ck_assert_int_eq(http_get("/api/v1/workflows?limit=1", &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(r.json, "items")), 1);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(
	    json_object_object_get(r.json, "items"), 0), "name"), "it: page b");
	cursor = jsonh_get_string(r.json, "next_cursor");
	ck_assert_ptr_nonnull(cursor);
	snprintf(path, sizeof(path), "/api/v1/workflows?limit=1&cursor=%s", cursor);
	http_resp_clear(&r);
	ck_assert_int_eq(http_get(path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(
	    json_object_object_get(r.json, "items"), 0), "name"), "it: page a");
	http_resp_clear(&r);
	ck_assert_int_eq(http_get("/api/v1/workflows?limit=0", &r), 0);
	it_assert_problem_at(&r, 422, "limit");
	http_resp_clear(&r);
	ck_assert_int_eq(http_get("/api/v1/workflows?limit=101", &r), 0);
	it_assert_problem_at(&r, 422, "limit");
	http_resp_clear(&r);
	ck_assert_int_eq(http_get("/api/v1/workflows?cursor=1.x", &r), 0);
	it_assert_problem_at(&r, 422, "cursor");
	http_resp_clear(&r);
}
END_TEST

/* The step of node "id" in an execution's steps (steps started together have no set order). */
static json_object *
step_of(json_object *steps, const char *id)
{
	size_t	 i;

	for (i = 0; i < json_object_array_length(steps); i++)
		if (strcmp(jsonh_get_string(json_object_array_get_idx(steps, i), "node_id"), id) == 0)
			return json_object_array_get_idx(steps, i);
	ck_abort_msg("no step for node %s", id);
	return NULL;
}

START_TEST(test_run_succeeds)
{
	char		 wf[UUID_STRLEN + 1], ex[UUID_STRLEN + 1];
	json_object	*o, *steps;
	size_t		 i;

	create_workflow("it: run", SAMPLE_DEF, wf);
	start_execution(wf, "{\"inputs\":{\"name\":\"Ada\"}}", ex);
	o = wait_execution(ex);
	ck_assert_str_eq(jsonh_get_string(o, "status"), "succeeded");
	ck_assert_str_eq(jsonh_str(json_object_object_get(o, "results")),
	    "{\"out\":\"Hello, Ada!\"}");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o, "attempt")), 1);
	steps = json_object_object_get(o, "steps");
	ck_assert_uint_eq(json_object_array_length(steps), 3);
	for (i = 0; i < 3; i++)
		ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(steps, i), "status"),
		    "succeeded");
	ck_assert_str_eq(jsonh_str(json_object_object_get(step_of(steps, "greet"), "output")),
	    "\"Hello, Ada!\"");
	json_object_put(o);
}
END_TEST

/* Starts workflow "wf" with "body" under Idempotency-Key "key" (a header line, e.g.
 * "Idempotency-Key: k"); returns the status, the execution's id in "id" on 202. */
static long
start_keyed(const char *wf, const char *body, const char *key, char id[UUID_STRLEN + 1],
    struct http_resp *r)
{
	const char	*hdrs[] = { key, NULL };
	char		 path[128];

	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	ck_assert_int_eq(http_do("POST", path, "application/json", body, hdrs, r), 0);
	if (r->status == 202)
		snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r->json, "id"));
	return r->status;
}

struct keyed_start {
	const char	*wf;
	char		 id[UUID_STRLEN + 1];
	long		 status;
};

static void *
keyed_start_thread(void *arg)
{
	struct keyed_start	*k = arg;
	struct http_resp	 r;

	k->status = start_keyed(k->wf, "{\"inputs\":{\"name\":\"Bo\"}}",
	    "Idempotency-Key: it-key-race", k->id, &r);
	http_resp_clear(&r);
	return NULL;
}

/* The same key and body from the same owner answer the first execution (marked replayed)
 * without starting another, at once or concurrently; another body is 422; a key older than
 * a day starts anew and is cleared by the sweeper; a malformed key is 422. */
START_TEST(test_idempotency_keys)
{
	struct http_resp	 r;
	struct keyed_start	 race[8];
	pthread_t		 t[8];
	char			 wf[UUID_STRLEN + 1], first[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	char			 sql[256], longkey[320];
	const char		*ada = "{\"inputs\":{\"name\":\"Ada\"}}";
	int			 i;

	create_workflow("it: keyed", SAMPLE_DEF, wf);
	ck_assert_int_eq(start_keyed(wf, ada, "Idempotency-Key: it-key-1", first, &r), 202);
	ck_assert_str_eq(r.replayed, "");
	http_resp_clear(&r);
	ck_assert_int_eq(start_keyed(wf, ada, "Idempotency-Key: it-key-1", id, &r), 202);
	ck_assert_str_eq(id, first);
	ck_assert_str_eq(r.replayed, "true");
	http_resp_clear(&r);
	ck_assert_int_eq(start_keyed(wf, "{\"inputs\":{\"name\":\"Eve\"}}",
	    "Idempotency-Key: it-key-1", id, &r), 422);
	it_assert_problem_at(&r, 422, "Idempotency-Key");
	http_resp_clear(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM executions WHERE workflow_id = $$%s$$", wf);
	ck_assert_str_eq(it_sql(sql), "1");
	/* Concurrent duplicates: exactly one run. */
	for (i = 0; i < 8; i++) {
		race[i].wf = wf;
		ck_assert_int_eq(pthread_create(&t[i], NULL, keyed_start_thread, &race[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(race[i].status, 202);
		ck_assert_str_eq(race[i].id, race[0].id);
	}
	ck_assert_str_eq(it_sql(sql), "2");
	/* A day later the key is free again, and the sweeper clears it. */
	snprintf(sql, sizeof(sql), "UPDATE executions SET created_at = now() - interval "
	    "$$25 hours$$ WHERE id = $$%s$$", race[0].id);
	it_sql(sql);
	ck_assert_int_eq(start_keyed(wf, ada, "Idempotency-Key: it-key-1", id, &r), 202);
	ck_assert_str_eq(id, first);		/* it-key-1 is still a day young */
	http_resp_clear(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM executions WHERE id = $$%s$$ AND "
	    "idempotency_key IS NULL", race[0].id);
	for (i = 0; i < 100 && strcmp(it_sql(sql), "1") != 0; i++)
		usleep(100 * 1000);
	ck_assert_str_eq(it_sql(sql), "1");
	ck_assert_int_eq(start_keyed(wf, "{\"inputs\":{\"name\":\"Bo\"}}",
	    "Idempotency-Key: it-key-race", id, &r), 202);
	ck_assert_str_ne(id, race[0].id);
	ck_assert_str_eq(r.replayed, "");
	http_resp_clear(&r);
	/* Malformed keys. */
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	memcpy(longkey, "Idempotency-Key: ", 17);
	ck_assert_int_eq(start_keyed(wf, ada, longkey, id, &r), 422);
	it_assert_problem_at(&r, 422, "Idempotency-Key");
	http_resp_clear(&r);
	ck_assert_int_eq(start_keyed(wf, ada, "Idempotency-Key;", id, &r), 422);
	it_assert_problem_at(&r, 422, "Idempotency-Key");
	http_resp_clear(&r);
}
END_TEST

START_TEST(test_run_bad_requests)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], path[128];

	create_workflow("it: bad run", SAMPLE_DEF, wf);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	ck_assert_int_eq(http_post_json(path, "{\"inputs\":\"Ada\"}", &r), 0);
	it_assert_problem_at(&r, 422, "inputs");
	http_resp_clear(&r);
	ck_assert_int_eq(http_post_json(path, "{\"inputs\":{},\"x\":1}", &r), 0);
	it_assert_problem_at(&r, 422, "x");
	http_resp_clear(&r);
	ck_assert_int_eq(http_post_json(path, "{", &r), 0);
	it_assert_problem_at(&r, 400, NULL);
	http_resp_clear(&r);
	ck_assert_int_eq(http_post_json("/api/v1/workflows/00000000-0000-4000-8000-000000000000"
	    "/executions", "{}", &r), 0);
	it_assert_problem_at(&r, 404, NULL);
	http_resp_clear(&r);
	/* no body at all is allowed: inputs default to {} */
	ck_assert_int_eq(http_do("POST", path, NULL, NULL, NULL, &r), 0);
	ck_assert_int_eq(r.status, 202);
	http_resp_clear(&r);
}
END_TEST

START_TEST(test_run_node_fails)
{
	char		 wf[UUID_STRLEN + 1], ex[UUID_STRLEN + 1];
	json_object	*o, *steps;

	create_workflow("it: failing", "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"boom\",\"type\":\"template\",\"config\":{\"template\":\"{{ error(\\\"kaput\\\") }}\"}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .boom.output }}\"}}],"
	    "\"edges\":[{\"source\":\"in\",\"target\":\"boom\"},{\"source\":\"boom\",\"target\":\"out\"}]}",
	    wf);
	start_execution(wf, "{}", ex);
	o = wait_execution(ex);
	ck_assert_str_eq(jsonh_get_string(o, "status"), "failed");
	ck_assert(strstr(jsonh_get_string(o, "error"), "boom") != NULL);
	ck_assert(strstr(jsonh_get_string(o, "error"), "kaput") != NULL);
	ck_assert_ptr_null(json_object_object_get(o, "results"));
	steps = json_object_object_get(o, "steps");
	ck_assert_uint_eq(json_object_array_length(steps), 2);
	ck_assert_str_eq(jsonh_get_string(step_of(steps, "boom"), "status"), "failed");
	ck_assert_str_eq(jsonh_get_string(step_of(steps, "in"), "status"), "succeeded");
	json_object_put(o);
}
END_TEST

/* Parses an SSE body into "ids" and "types" (at most "max"). Returns the number of events. */
static size_t
parse_sse(const char *body, char ids[][48], char types[][48], size_t max)
{
	const char	*p = body;
	size_t		 n = 0;

	ids[0][0] = types[0][0] = '\0';
	while (*p != '\0' && n < max) {
		const char	*eol = strchr(p, '\n');
		size_t		 len = eol ? (size_t)(eol - p) : strlen(p);

		if (len == 0) {
			if (types[n][0] != '\0' && ++n < max)
				ids[n][0] = types[n][0] = '\0';
		} else if (strncmp(p, "id: ", 4) == 0)
			snprintf(ids[n], 48, "%.*s", (int)(len - 4), p + 4);
		else if (strncmp(p, "event: ", 7) == 0)
			snprintf(types[n], 48, "%.*s", (int)(len - 7), p + 7);
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	return n;
}

START_TEST(test_sse_order_and_resume)
{
	static const char *const want[] = { "execution.started", "node.started",
	    "node.completed", "node.started", "node.completed", "node.started",
	    "node.completed", "execution.completed" };
	struct http_resp	 r, r2;
	char			 wf[UUID_STRLEN + 1], ex[UUID_STRLEN + 1], path[128];
	char			 ids[16][48], types[16][48], ids2[16][48], types2[16][48];
	size_t			 n, n2, i;

	create_workflow("it: sse", SAMPLE_DEF, wf);
	start_execution(wf, "{\"inputs\":{\"name\":\"Grace\"}}", ex);
	snprintf(path, sizeof(path), "/api/v1/executions/%s/events", ex);
	ck_assert_int_eq(http_sse(path, NULL, 20, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "text/event-stream");
	n = parse_sse(r.body.data, ids, types, 16);
	ck_assert_msg(n == 8, "got %zu events: %s", n, r.body.data);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(types[i], want[i]);
		ck_assert(ids[i][0] != '\0');
	}
	ck_assert(strstr(r.body.data, "Hello, Grace!") != NULL);
	/* Resuming after the third event gives exactly the rest. */
	ck_assert_int_eq(http_sse(path, ids[2], 20, &r2), 0);
	n2 = parse_sse(r2.body.data, ids2, types2, 16);
	ck_assert_uint_eq(n2, n - 3);
	for (i = 0; i < n2; i++) {
		ck_assert_str_eq(ids2[i], ids[i + 3]);
		ck_assert_str_eq(types2[i], types[i + 3]);
	}
	http_resp_clear(&r);
	http_resp_clear(&r2);
	ck_assert_int_eq(http_sse("/api/v1/executions/00000000-0000-4000-8000-000000000000/events",
	    NULL, 5, &r), 0);
	it_assert_problem_at(&r, 404, NULL);
	http_resp_clear(&r);
	ck_assert_int_eq(http_sse("/api/v1/executions/nope/events", NULL, 5, &r), 0);
	ck_assert_int_eq(r.status, 404);
	http_resp_clear(&r);
}
END_TEST

/* supervisorctl of the stack under test, with "args". */
static int
supervisorctl(const char *args)
{
	const char	*ctl = getenv("FRAGENT_TEST_SUPERVISORCTL");
	char		 cmd[1024];

	ck_assert_msg(ctl != NULL, "FRAGENT_TEST_SUPERVISORCTL is not set");
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null", ctl, args);
	return it_sh(cmd);
}

START_TEST(test_ready_follows_redis)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], ex[UUID_STRLEN + 1], path[128];
	char			 lost[UUID_STRLEN + 1], retried[UUID_STRLEN + 1];
	char			 ids[16][48], types[16][48];
	json_object		*o;
	int			 i;

	create_workflow("it: redis down", SAMPLE_DEF, wf);
	ck_assert_int_eq(supervisorctl("stop redis"), 0);
	ck_assert_int_eq(http_get("/api/v1/ready", &r), 0);
	it_assert_problem_at(&r, 503, "redis");
	http_resp_clear(&r);
	/* Without a queue a run still starts: stored as queued, for the sweeper to queue (one
	 * policy for every way a run starts, shared/launch.h). A retry too: cancel one of them,
	 * then retry it, all while Redis is away. */
	start_execution(wf, "{\"inputs\":{\"name\":\"x\"}}", lost);
	start_execution(wf, "{\"inputs\":{\"name\":\"y\"}}", retried);
	snprintf(path, sizeof(path), "/api/v1/executions/%s/cancel", retried);
	ck_assert_int_eq(http_post_json(path, "{}", &r), 0);
	ck_assert_int_eq(r.status, 202);
	http_resp_clear(&r);
	snprintf(path, sizeof(path), "/api/v1/executions/%s/retry", retried);
	ck_assert_int_eq(http_post_json(path, "{}", &r), 0);
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(jsonh_get_string(r.json, "status"), "queued");
	http_resp_clear(&r);
	ck_assert_int_eq(supervisorctl("start redis"), 0);
	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(http_get("/api/v1/ready", &r), 0);
		if (r.status == 200)
			break;
		http_resp_clear(&r);
		usleep(100 * 1000);
	}
	ck_assert_int_eq(r.status, 200);
	http_resp_clear(&r);
	/* The sweeper queued what was stored while Redis was away. */
	o = wait_execution(lost);
	ck_assert_str_eq(jsonh_get_string(o, "status"), "succeeded");
	json_object_put(o);
	o = wait_execution(retried);
	ck_assert_str_eq(jsonh_get_string(o, "status"), "succeeded");
	json_object_put(o);
	/* jobd reconnected to the queue: a new run completes and publishes every event. */
	start_execution(wf, "{\"inputs\":{\"name\":\"again\"}}", ex);
	o = wait_execution(ex);
	ck_assert_str_eq(jsonh_get_string(o, "status"), "succeeded");
	json_object_put(o);
	snprintf(path, sizeof(path), "/api/v1/executions/%s/events", ex);
	ck_assert_int_eq(http_sse(path, NULL, 20, &r), 0);
	ck_assert_uint_eq(parse_sse(r.body.data, ids, types, 16), 8);
	ck_assert_str_eq(types[0], "execution.started");
	http_resp_clear(&r);
}
END_TEST

/* GET /providers serialises the provider descriptors (one file each in jobd/llm/): the answer
 * matches the document's Providers schema, every provider has a default base URL and says
 * what its credential holds, and an agent may name exactly the providers listed. */
START_TEST(test_providers)
{
	struct http_resp	 r, doc;
	json_object		*schema, *errors = json_object_new_array(), *p;
	const char		*name, *base;
	char			 body[512], id[UUID_STRLEN + 1];
	size_t			 i, n;
	int			 openai = 0, anthropic = 0;

	ck_assert_int_eq(http_get("/api/v1/providers", &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(http_get("/api/v1/openapi.json", &doc), 0);
	ck_assert_int_eq(doc.status, 200);
	schema = jsonh_get_typed(jsonh_get_typed(jsonh_get_typed(doc.json, "components",
	    json_type_object), "schemas", json_type_object), "Providers", json_type_object);
	ck_assert_ptr_nonnull(schema);
	ck_assert_msg(jschema_validate(schema, r.json, "", errors) == 0, "%s",
	    jsonh_str(errors));
	n = json_object_array_length(r.json);
	for (i = 0; i < n; i++) {
		p = json_object_array_get_idx(r.json, i);
		name = jsonh_get_string(p, "name");
		base = jsonh_get_string(p, "default_base_url");
		ck_assert_msg(strncmp(base, "https://", 8) == 0, "%s: %s", name, base);
		ck_assert_uint_ge(json_object_array_length(jsonh_get_typed(p, "credential",
		    json_type_array)), 1);
		openai += strcmp(name, "openai") == 0;
		anthropic += strcmp(name, "anthropic") == 0;
		snprintf(body, sizeof(body), "{\"name\":\"it-provider-%s\",\"configuration\":"
		    "{\"provider\":\"%s\",\"model\":\"m\"}}", name, name);
		it_create("/api/v1/agents", body, it_token(), id);
	}
	ck_assert_int_eq(openai, 1);
	ck_assert_int_eq(anthropic, 1);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("POST", "/api/v1/agents", "{\"name\":\"it-provider-none\","
	    "\"configuration\":{\"provider\":\"gemini\",\"model\":\"m\"}}", it_token(), &r),
	    422);
	it_assert_problem_at(&r, 422, "configuration.provider");
	http_resp_clear(&r);
	http_resp_clear(&doc);
	json_object_put(errors);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("api");
	TCase	*tc;
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* Every request of this suite is the administrator's (forked tests inherit it). */
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_api: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("basics");
	tcase_add_test(tc, test_health);
	tcase_add_test(tc, test_routes);
	tcase_add_test(tc, test_cors);
	suite_add_tcase(s, tc);
	tc = tcase_create("workflows");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_workflow_create_get);
	tcase_add_loop_test(tc, test_workflow_create_bad, 0,
	    NITEMS(bad_workflows));
	tcase_add_test(tc, test_workflow_body_too_large);
	tcase_add_loop_test(tc, test_not_found, 0, NITEMS(bad_ids));
	tcase_add_test(tc, test_list_pages);
	suite_add_tcase(s, tc);
	tc = tcase_create("executions");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_run_succeeds);
	tcase_add_test(tc, test_run_bad_requests);
	tcase_add_test(tc, test_run_node_fails);
	tcase_add_test(tc, test_sse_order_and_resume);
	suite_add_tcase(s, tc);
	tc = tcase_create("catalogues");
	tcase_add_test(tc, test_providers);
	tcase_add_test(tc, test_idempotency_keys);
	suite_add_tcase(s, tc);
	tc = tcase_create("readiness");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ready_follows_redis);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
