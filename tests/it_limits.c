/* it_limits.c: the validation caps through the real stack: every cap of a definition
 * answered 413 (the whole) or 422 (a named field) by create, update, import, validate and
 * execution start, with nothing written; validate needs the editor role; the hostile
 * schemas of tests/hostile/schemas.json, each a clean 4xx at save time (input node schema,
 * agent output_schema), at execution start (the inputs) or a failed step at run time (the
 * answer of the scripted model, tests/llmsrv), in bounded time. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"

#include "buf.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"
#include "nitems.h"
#include "rows.h"
#include "wf.h"
#include "wfgen.h"

#define HOSTILE_FILE	"tests/hostile/schemas.json"

/* Everything a rejected request must leave alone. */
static const char SQL_FINGERPRINT[] =
	"SELECT md5(concat("
	"(SELECT string_agg(concat(id, version, updated_at), $$,$$ ORDER BY id) FROM agents),"
	"(SELECT string_agg(concat(id, version, updated_at), $$,$$ ORDER BY id) FROM workflows),"
	"(SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM executions)))";

static struct llmsrv	 srv;
static char		 cred_id[UUID_STRLEN + 1];
static char		 wf_id[UUID_STRLEN + 1];	/* a valid workflow, for PUT */
static json_object	*hostile;			/* HOSTILE_FILE */

/* Shapes at and past each cap (wfgen.h), the status every route answers and a field the
 * errors name. */
static const struct {
	struct wfgen	 g;
	long		 status;
	const char	*field;
} shapes[] = {
	{ { WF_MAX_NODES, WF_MAX_EDGES, 2, 262, 0, false }, 0, NULL },
	{ { WF_MAX_NODES + 1, WF_MAX_NODES, 0, 16, 0, false }, 413, "definition.nodes" },
	{ { WF_MAX_NODES, WF_MAX_EDGES + 1, 0, 16, 0, false }, 413, "definition.edges" },
	{ { 18, 17, 59, 16, 0, false }, 413, "definition" },
	{ { 102, 101, 10, 262, 0, false }, 413, "definition" },
	{ { 100, 99, 1, 16, 5300, false }, 413, "definition" },
	{ { 3, 2, WF_MAX_NODE_EXPRS + 1, 16, 0, false }, 422, "nodes[1].config" },
	{ { 3, 2, 1, 4097, 0, false }, 422, "nodes[1].config.template" },
	{ { 3, 2, 1, 16, WF_MAX_NODE_BYTES, false }, 422, "nodes[1].config" },
};

/* The routes that take a definition: method, path ("%s": the workflow), body format ("%s":
 * the definition) and the status of a valid one. */
static const struct {
	const char	*method, *path, *body;
	long		 ok;
} routes[] = {
	{ "POST", "/api/v1/workflows", "{\"name\":\"it-limits\",\"definition\":%s}", 201 },
	{ "PUT", "/api/v1/workflows/%s", "{\"name\":\"it-limits\",\"definition\":%s,"
	    "\"version\":1}", 200 },
	{ "POST", "/api/v1/workflows/import", "{\"fragent_export\":1,\"name\":\"it-limits\","
	    "\"definition\":%s}", 201 },
	{ "POST", "/api/v1/workflows/validate", "{\"definition\":%s}", 200 },
};

/* Sends "method" "path" with "body" and checks the answer: "status", and for a 4xx a
 * problem naming "field" (and "part" in a message), with the database unchanged. */
static void
expect(const char *method, const char *path, const char *body, long status,
    const char *field, const char *part)
{
	struct http_resp	 r;
	char			 before[64];

	snprintf(before, sizeof(before), "%s", it_sql(SQL_FINGERPRINT));
	it_req(method, path, body, it_token(), &r);
	if (status >= 400) {
		it_assert_problem(&r, status);
		ck_assert_msg(rows_have(json_object_object_get(r.json, "errors"), field, part),
		    "%s %s: want %s (%s) in %.600s", method, path, field ? field : "-",
		    part ? part : "-", r.body.data);
		http_resp_clear(&r);
		ck_assert_msg(strcmp(before, it_sql(SQL_FINGERPRINT)) == 0,
		    "%s %s changed the database", method, path);
		return;
	}
	ck_assert_msg(r.status == status, "%s %s: want %ld, got %ld: %.600s", method, path,
	    status, r.status, r.body.data);
	http_resp_clear(&r);
}

/* "tpl" with its "%s" (if any) replaced by "arg", into "out" (initialised here). The
 * definitions are far longer than eng_fmt's buffer. */
static void
fill(const char *tpl, const char *arg, struct buf *out)
{
	const char	*p = strstr(tpl, "%s");

	buf_init(out);
	if (p == NULL) {
		buf_puts(out, tpl);
		return;
	}
	buf_append(out, tpl, (size_t)(p - tpl));
	buf_puts(out, arg);
	buf_puts(out, p + 2);
}

START_TEST(test_caps_every_route)
{
	char		*def = wfgen_definition(&shapes[_i].g);
	struct buf	 body, path;
	size_t		 k;

	ck_assert_ptr_nonnull(def);
	for (k = 0; k < NITEMS(routes); k++) {
		fill(routes[k].body, def, &body);
		fill(routes[k].path, wf_id, &path);
		expect(routes[k].method, path.data, body.data, shapes[_i].status != 0 ?
		    shapes[_i].status : routes[k].ok, shapes[_i].field, NULL);
		if (shapes[_i].status == 0 && strcmp(routes[k].method, "PUT") == 0)
			/* Put the valid workflow back at version 1 for the next rows. */
			it_sql(eng_fmt("UPDATE workflows SET version = 1 WHERE id = $$%s$$", wf_id));
		buf_clear(&body);
		buf_clear(&path);
	}
	free(def);
}
END_TEST

/* Replaces the stored definition of "wf" by the result of the SQL expression "expr". */
static void
store_definition(const char *wf, const char *expr)
{
	char	 sql[2048];

	snprintf(sql, sizeof(sql), "UPDATE workflows SET definition = %s WHERE id = $$%s$$",
	    expr, wf);
	it_sql(sql);
}

START_TEST(test_caps_execution_start)
{
	char	 wf[UUID_STRLEN + 1];

	/* Stored before the caps existed (written here in SQL): refused when it would run. */
	eng_workflow(IT_DEF, wf);
	store_definition(wf, eng_fmt("jsonb_build_object($$nodes$$, (SELECT jsonb_agg("
	    "jsonb_build_object($$id$$, $$n$$ || g, $$type$$, $$merge$$, $$config$$, "
	    "$${}$$::jsonb))"
	    " FROM generate_series(1, %d) g), $$edges$$, $$[]$$::jsonb)", WF_MAX_NODES + 1));
	expect("POST", eng_fmt("/api/v1/workflows/%s/executions", wf), "{\"inputs\":{}}", 413,
	    "definition.nodes", NULL);
	/* An input schema stored before the meta-schema existed: checked before the inputs. */
	store_definition(wf, "jsonb_build_object($$nodes$$, jsonb_build_array(jsonb_build_object("
	    "$$id$$, $$in$$, $$type$$, $$input$$, $$config$$, jsonb_build_object($$schema$$, "
	    "jsonb_build_object($$required$$, jsonb_build_array(1, null), $$c$$, 4))), "
	    "jsonb_build_object($$id$$, $$out$$, $$type$$, $$output$$, $$config$$, "
	    "jsonb_build_object($$value$$, $$x$$))), $$edges$$, $$[]$$::jsonb)");
	expect("POST", eng_fmt("/api/v1/workflows/%s/executions", wf), "{\"inputs\":{\"a\":1}}",
	    422, "definition.nodes[0].config.schema.required[0]", NULL);
	expect("POST", eng_fmt("/api/v1/workflows/%s/executions", wf), NULL, 422,
	    "definition.nodes[0].config.schema.c", NULL);
}
END_TEST

START_TEST(test_validate_needs_editor)
{
	char	*viewer = it_login_as("it-limits-viewer", "viewer");
	char	*editor = it_login_as("it-limits-editor", "editor");
	const char *body = "{\"definition\":" IT_DEF "}";

	ck_assert_ptr_nonnull(viewer);
	ck_assert_ptr_nonnull(editor);
	ck_assert_int_eq(it_status("POST", "/api/v1/workflows/validate", body, viewer), 403);
	ck_assert_int_eq(it_status("POST", "/api/v1/workflows/validate", body, editor), 200);
	ck_assert_int_eq(it_status("POST", "/api/v1/workflows/validate", body, NULL), 401);
	free(viewer);
	free(editor);
}
END_TEST

START_TEST(test_agent_output_schema)
{
	/* Issue 17: answered 201 before; the validator would then meet it in jobd. */
	const char	*conf = "{\"provider\":\"openai\",\"model\":\"m\",\"output_schema\":"
	    "{\"type\":\"object\",\"required\":[1,null]}}";
	char		 agent[UUID_STRLEN + 1], path[128];

	expect("POST", "/api/v1/agents", eng_fmt("{\"name\":\"it-limits\",\"configuration\":%s}",
	    conf), 422, "configuration.output_schema.required[0]", "must be a string");
	it_create("/api/v1/agents", "{\"name\":\"it-limits\",\"configuration\":" IT_AGENT_CONF
	    "}", it_token(), agent);
	snprintf(path, sizeof(path), "/api/v1/agents/%s", agent);
	expect("PUT", path, eng_fmt("{\"name\":\"it-limits\","
	    "\"configuration\":%s,\"version\":1}", conf), 422,
	    "configuration.output_schema.required[1]", NULL);
}
END_TEST

/* ------------------------------------------------------------------ hostile schemas */

/* A copy of "v" with every {"$repeat": x, "times": n[, "join": true, "then": s]} expanded
 * (see HOSTILE_FILE's "about"). The caller puts it. */
static json_object *
expand(json_object *v)
{
	json_object	*x, *out, *then;
	struct buf	 b;
	int		 n, i;

	if (json_object_is_type(v, json_type_array)) {
		out = json_object_new_array();
		for (i = 0; i < (int)json_object_array_length(v); i++)
			json_object_array_add(out, expand(json_object_array_get_idx(v, i)));
		return out;
	}
	if (!json_object_is_type(v, json_type_object))
		return jsonh_copy(v);
	if (!json_object_object_get_ex(v, "$repeat", &x)) {
		out = json_object_new_object();
		json_object_object_foreach(v, k, m)
			json_object_object_add(out, k, expand(m));
		return out;
	}
	n = json_object_get_int(json_object_object_get(v, "times"));
	if (!json_object_get_boolean(json_object_object_get(v, "join"))) {
		out = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(out, expand(x));
		return out;
	}
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_puts(&b, json_object_get_string(x));
	if ((then = json_object_object_get(v, "then")) != NULL) {
		then = expand(then);
		buf_puts(&b, json_object_get_string(then));
		json_object_put(then);
	}
	out = json_object_new_string_len(b.data ? b.data : "", (int)b.len);
	buf_clear(&b);
	return out;
}

/* Saves "schema" where the case puts it; checks the answer against "save" (absent: saved).
 * Copies the new workflow's or agent's id into "id". Returns 1 when it was saved. */
static int
hostile_save(const char *name, const char *where, json_object *schema, json_object *save,
    char id[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	struct buf		 body;
	long			 want = save ? json_object_get_int(json_object_object_get(save,
				    "status")) : 201;

	buf_init(&body);
	if (strcmp(where, "input") == 0)
		buf_printf(&body, "{\"name\":\"it-hostile\",\"definition\":{\"nodes\":["
		    "{\"id\":\"in\",\"type\":\"input\",\"config\":{\"schema\":%s}},{\"id\":\"out\","
		    "\"type\":\"output\",\"config\":{\"value\":\"{{ .in }}\"}}],\"edges\":["
		    "{\"source\":\"in\",\"target\":\"out\"}]}}", jsonh_str(schema));
	else
		buf_printf(&body, "{\"name\":\"it-hostile\",\"configuration\":{\"provider\":"
		    "\"openai\",\"base_url\":\"%s/v1\",\"model\":\"hostile\",\"credential_id\":"
		    "\"%s\",\"output_schema\":%s}}", srv.base, cred_id, jsonh_str(schema));
	if (want != 201) {
		expect("POST", strcmp(where, "input") == 0 ? "/api/v1/workflows" :
		    "/api/v1/agents", body.data, want, jsonh_get_string(save, "field"),
		    jsonh_get_string(save, "message"));
		buf_clear(&body);
		return 0;
	}
	it_req("POST", strcmp(where, "input") == 0 ? "/api/v1/workflows" : "/api/v1/agents",
	    body.data, it_token(), &r);
	ck_assert_msg(r.status == 201, "%s: %ld %.400s", name, r.status, r.body.data);
	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	buf_clear(&body);
	return 1;
}

/* Starts workflow "wf" with the case's "input" (JSON null: no inputs) and checks "run". */
static void
hostile_start(const char *name, const char *wf, json_object *input, json_object *run)
{
	struct http_resp	 r;
	json_object		*in = expand(input);
	char			*body = NULL, path[128];
	long			 t0, ms, max = json_object_get_int(json_object_object_get(run,
				    "max_ms"));

	if (in != NULL && asprintf(&body, "{\"inputs\":%s}", jsonh_str(in)) == -1)
		ck_abort_msg("out of memory");
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	t0 = eng_now_ms();
	it_req("POST", path, body, it_token(), &r);
	ms = eng_now_ms() - t0;
	it_assert_problem(&r, json_object_get_int(json_object_object_get(run, "status")));
	ck_assert_msg(rows_have(json_object_object_get(r.json, "errors"),
	    jsonh_get_string(run, "field"), jsonh_get_string(run, "message")), "%s: %.600s",
	    name, r.body.data);
	ck_assert_msg(max == 0 || ms < max, "%s: took %ld ms", name, ms);
	http_resp_clear(&r);
	free(body);
	json_object_put(in);
}

/* Chats with agent "agent" whose scripted model answers "answer" (as JSON, twice: the
 * answer and the repair); checks the step failed with "run"'s message. */
static void
hostile_chat(const char *name, const char *agent, json_object *answer, json_object *run)
{
	json_object	*ans = expand(answer), *script, *resp, *texts, *ex;
	struct http_resp r;
	const char	*err;
	char		 path[128];

	resp = json_object_new_object();
	json_object_object_add(resp, "text", json_object_new_string(jsonh_str(ans)));
	json_object_object_add(resp, "chunk_size", json_object_new_int(4096));
	texts = json_object_new_array();
	json_object_array_add(texts, resp);
	script = json_object_new_object();
	json_object_object_add(script, "responses", texts);
	ck_assert_int_eq(llmsrv_upload(&srv, "hostile", jsonh_str(script)), 0);
	snprintf(path, sizeof(path), "/api/v1/agents/%s/chat", agent);
	ck_assert_int_eq(it_req("POST", path, "{\"message\":\"answer\"}", it_token(), &r), 202);
	ex = eng_wait(jsonh_get_string(r.json, "id"), NULL, 30000);
	http_resp_clear(&r);
	ck_assert_msg(ex != NULL, "%s: the chat did not end", name);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), jsonh_get_string(run, "status"));
	err = jsonh_get_string(eng_step(ex, "agent"), "error");
	ck_assert_msg(err != NULL && strstr(err, jsonh_get_string(run, "message")) != NULL,
	    "%s: %.600s", name, jsonh_str(ex));
	json_object_put(ex);
	json_object_put(script);
	json_object_put(ans);
}

START_TEST(test_hostile_schemas)
{
	json_object	*c = json_object_array_get_idx(json_object_object_get(hostile, "cases"),
			    (size_t)_i), *schema, *input;
	const char	*name = jsonh_get_string(c, "name"), *where = jsonh_get_string(c, "where");
	char		 id[UUID_STRLEN + 1];

	schema = expand(json_object_object_get(c, "schema"));
	if (hostile_save(name, where, schema, json_object_object_get(c, "save"), id)) {
		ck_assert_msg(json_object_object_get(c, "run") != NULL, "%s saved", name);
		if (strcmp(where, "input") == 0) {
			json_object_object_get_ex(c, "input", &input);
			hostile_start(name, id, input, json_object_object_get(c, "run"));
		} else
			hostile_chat(name, id, json_object_object_get(c, "answer"),
			    json_object_object_get(c, "run"));
	}
	json_object_put(schema);
}
END_TEST

/* Reads HOSTILE_FILE (its schemas nest deeper than json-c's default depth). Returns its
 * document (caller puts it), or NULL. */
static json_object *
hostile_load(void)
{
	json_object	*o;
	int		 fd;

	if ((fd = open(HOSTILE_FILE, O_RDONLY)) == -1)
		return NULL;
	o = json_object_from_fd_ex(fd, JSONH_MAX_DEPTH * 2);
	close(fd);
	return o;
}

static void
setup(void)
{
	ck_assert_int_eq(llmsrv_start(&srv), 0);
	it_create("/api/v1/credentials", "{\"name\":\"it-limits\",\"provider\":\"openai\","
	    "\"secret\":\"sk-it-limits-0123456789\"}", it_token(), cred_id);
	eng_workflow(IT_DEF, wf_id);
}

static void
teardown(void)
{
	llmsrv_stop(&srv);
}

int
main(void)
{
	Suite	*s = suite_create("limits");
	TCase	*tc = tcase_create("limits");
	int	 rc;

	if (it_login_admin() == NULL) {
		fprintf(stderr, "cannot sign in\n");
		return EXIT_FAILURE;
	}
	if ((hostile = hostile_load()) == NULL) {
		fprintf(stderr, "cannot read %s\n", HOSTILE_FILE);
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_caps_every_route, 0, NITEMS(shapes));
	tcase_add_test(tc, test_caps_execution_start);
	tcase_add_test(tc, test_validate_needs_editor);
	tcase_add_test(tc, test_agent_output_schema);
	tcase_add_loop_test(tc, test_hostile_schemas, 0,
	    (int)json_object_array_length(json_object_object_get(hostile, "cases")));
	suite_add_tcase(s, tc);
	rc = check_run(s);
	json_object_put(hostile);
	return rc;
}
