/* openapi.c: GET /openapi.json, an OpenAPI 3.1 document generated from the route table
 * (routes.c) and the component schemas (schemas.c), so a route cannot exist undocumented. Built
 * once per process. tests/it_openapi.c walks it against the running stack. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "jschema.h"
#include "jsonh.h"
#include "launch.h"
#include "nitems.h"
#include "routes.h"
#include "schemas.h"
#include "webhook.h"

static const struct {
	int		 status;
	const char	*text;
} status_texts[] = {
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
	{ 400, "Malformed JSON" }, { 401, "Missing or invalid credentials" },
	{ 403, "Not allowed for this role" }, { 404, "No such resource (or not yours)" },
	{ 409, "Conflict (stale version, state, duplicate)" },
	{ 413, "Body too large" }, { 415, "Body is not application/json" },
	{ 422, "Invalid fields (errors lists each)" }, { 503, "A dependency is down" },
};

/* Adds response "status" (schema "schema" for 2xx, Problem otherwise) to "responses". */
static void
openapi_response(json_object *responses, int status, const char *schema)
{
	json_object	*r = jsonh_new_object(), *content, *media;
	const char	*text = "Answer";
	char		 key[8], ref[96];
	size_t		 i;

	for (i = 0; i < NITEMS(status_texts); i++)
		if (status_texts[i].status == status)
			text = status_texts[i].text;
	json_object_object_add(r, "description", jsonh_new_string(text));
	if (status >= 300)
		schema = "Problem";
	if (schema != NULL && status != 204) {
		content = jsonh_new_object();
		media = jsonh_new_object();
		snprintf(ref, sizeof(ref), "#/components/schemas/%s", schema);
		json_object_object_add(media, "schema", jsonh_new_object());
		json_object_object_add(json_object_object_get(media, "schema"), "$ref",
		    jsonh_new_string(ref));
		json_object_object_add(content, status >= 300 ? "application/problem+json" :
		    "application/json", media);
		json_object_object_add(r, "content", content);
	}
	snprintf(key, sizeof(key), "%d", status);
	json_object_object_add(responses, key, r);
}

/* A query or path parameter. */
static json_object *
openapi_param(const char *name, const char *in, const char *schema, int required)
{
	json_object	*p = jsonh_new_object();

	json_object_object_add(p, "name", jsonh_new_string(name));
	json_object_object_add(p, "in", jsonh_new_string(in));
	json_object_object_add(p, "required", jsonh_new_boolean(required));
	json_object_object_add(p, "schema", jschema_parse(schema));
	return p;
}

/* The parameters of route "r". */
static json_object *
openapi_params(const struct route *r)
{
	json_object	*a = jsonh_new_array();

	if (strstr(r->pattern, "{id}") != NULL)
		json_object_array_add(a, openapi_param("id", "path", SCHEMA_UUID, 1));
	if (r->response != NULL && strstr(r->response, "List") != NULL) {
		json_object_array_add(a, openapi_param("limit", "query",
		    "{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":50}", 0));
		json_object_array_add(a, openapi_param("cursor", "query", SCHEMA_STRING(80), 0));
		if (strcmp(r->response, "ExecutionList") != 0)
			json_object_array_add(a, openapi_param("q", "query", SCHEMA_STRING(200), 0));
		else {
			json_object_array_add(a, openapi_param("workflow_id", "query", SCHEMA_UUID,
			    0));
			json_object_array_add(a, openapi_param("status", "query",
			    "{\"enum\":[\"queued\",\"running\",\"waiting\",\"succeeded\","
			    "\"failed\",\"cancelled\"]}", 0));
			json_object_array_add(a, openapi_param("trigger", "query",
			    SCHEMA_TRIGGER, 0));
			json_object_array_add(a, openapi_param("parent", "query",
			    "{\"type\":\"string\",\"description\":\"none: only runs that no "
			    "other run started; an execution id: the runs it started\"}", 0));
			json_object_array_add(a, openapi_param("replay_of", "query",
			    "{\"type\":\"string\",\"format\":\"uuid\",\"description\":"
			    "\"only the replays of this execution\"}", 0));
		}
	}
	if (r->response != NULL && strcmp(r->response, "ExecutionChildren") == 0) {
		json_object_array_add(a, openapi_param("node", "query",
		    "{\"type\":\"string\",\"minLength\":1,\"maxLength\":64}", 1));
		json_object_array_add(a, openapi_param("status", "query",
		    "{\"enum\":[\"queued\",\"running\",\"waiting\",\"succeeded\",\"failed\","
		    "\"cancelled\"]}", 0));
		json_object_array_add(a, openapi_param("after", "query",
		    "{\"type\":\"integer\",\"minimum\":-1,\"description\":\"the last item "
		    "of the page before\"}", 0));
		json_object_array_add(a, openapi_param("limit", "query",
		    "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}",
		    0));
	}
	if (strncmp(r->pattern, "/api/v1/usage/", 14) == 0)
		json_object_array_add(a, openapi_param("range", "query",
		    "{\"enum\":[\"24h\",\"7d\"],\"default\":\"24h\"}", 0));
	if (r->response != NULL && strcmp(r->response, "UsageFailing") == 0)
		json_object_array_add(a, openapi_param("limit", "query",
		    "{\"type\":\"integer\",\"minimum\":1,\"maximum\":50,\"default\":10}", 0));
	/* The routes that start a run: a body in, an execution out. */
	if (r->request != NULL && r->response != NULL && strcmp(r->response, "Execution") == 0)
		json_object_array_add(a, openapi_param("Idempotency-Key", "header",
		    "{\"type\":\"string\",\"minLength\":1,\"maxLength\":"
		    SCHEMA_XSTR(LAUNCH_KEY_MAX) ",\"description\":\"the same key from the same "
		    "owner within " SCHEMA_XSTR(LAUNCH_KEY_TTL_HOURS) " hours answers the first "
		    "request's execution (with Idempotent-Replayed: true) instead of starting "
		    "another; with another body "
		    "or route it is 422\"}", 0));
	return a;
}

/* Every status route "r" can answer, in "out" (at most "cap"). Returns the count. */
static size_t
openapi_statuses(const struct route *r, int *out, size_t cap)
{
	const char	*p = r->statuses;
	size_t		 n = 0;
	int		 v, used;

	while (n < cap && sscanf(p, "%d%n", &v, &used) == 1) {
		out[n++] = v;
		p += used;
	}
	if (r->access != ACCESS_PUBLIC && n < cap)
		out[n++] = 401;
	if (r->access >= ACCESS_EDITOR && n < cap)
		out[n++] = 403;
	if (strstr(r->pattern, "{id}") != NULL && n < cap)
		out[n++] = 404;
	if (r->request != NULL && n + 3 <= cap) {
		out[n++] = 400;
		out[n++] = 413;
		out[n++] = 415;
	}
	return n;
}

/* The operation object of route "r". */
static json_object *
openapi_operation(const struct route *r)
{
	json_object	*op = jsonh_new_object(), *responses, *body, *sec;
	char		 ref[96], media[256];
	int		 st[24];
	size_t		 i, n;

	json_object_object_add(op, "summary", jsonh_new_string(r->summary));
	json_object_object_add(op, "parameters", openapi_params(r));
	if (r->access != ACCESS_PUBLIC) {
		sec = jsonh_new_array();
		json_object_array_add(sec, jschema_parse("{\"bearer\":[]}"));
		json_object_object_add(op, "security", sec);
		json_object_object_add(op, "x-fragent-role", jsonh_new_string(
		    r->access == ACCESS_ADMIN ? "admin" : r->access == ACCESS_EDITOR ?
		    "editor" : "viewer"));
	}
	if (r->request != NULL) {
		snprintf(ref, sizeof(ref), "#/components/schemas/%s", r->request);
		snprintf(media, sizeof(media), "{\"application/json\":{\"schema\":{\"$ref\":"
		    "\"%s\"}}}", ref);
		body = jsonh_new_object();
		json_object_object_add(body, "required",
		    jsonh_new_boolean(!schemas_body_optional(r->request)));
		json_object_object_add(body, "content", jschema_parse(media));
		json_object_object_add(op, "requestBody", body);
	}
	responses = jsonh_new_object();
	n = openapi_statuses(r, st, NITEMS(st));
	for (i = 0; i < n; i++)
		openapi_response(responses, st[i], r->response);
	json_object_object_add(op, "responses", responses);
	return op;
}

/* The events path, served by jobd through nginx (not in the FastCGI route table). */
static const char events_path[] =
	"{\"get\":{\"summary\":\"Follow an execution as Server-Sent Events (Last-Event-ID "
	"resumes)\",\"security\":[{\"bearer\":[]}],\"x-fragent-role\":\"viewer\","
	"\"parameters\":[{\"name\":\"id\",\"in\":\"path\",\"required\":true,\"schema\":"
	SCHEMA_UUID "},{\"name\":\"Last-Event-ID\",\"in\":\"header\",\"required\":false,"
	"\"schema\":{\"type\":\"string\"}}],\"responses\":{"
	"\"200\":{\"description\":\"OK\",\"content\":{\"text/event-stream\":{\"schema\":"
	"{\"type\":\"string\"}}}},"
	"\"401\":{\"description\":\"Missing or invalid credentials\",\"content\":{"
	"\"application/problem+json\":{\"schema\":" SCHEMA_REF("Problem") "}}},"
	"\"404\":{\"description\":\"No such resource (or not yours)\",\"content\":{"
	"\"application/problem+json\":{\"schema\":" SCHEMA_REF("Problem") "}}},"
	"\"429\":{\"description\":\"The user holds FRAGENT_SSE_USER_STREAMS open streams on "
	"the listener process already (Retry-After)\",\"content\":{"
	"\"application/problem+json\":{\"schema\":" SCHEMA_REF("Problem") "}}}}}}";

#define HOOK_PROBLEM(code, text) "\"" #code "\":{\"description\":\"" text "\"," \
	"\"content\":{\"application/problem+json\":{\"schema\":" SCHEMA_REF("Problem") "}}}"
#define HOOK_HEADER(name, text) "{\"name\":\"" name "\",\"in\":\"header\",\"required\":" \
	"false,\"schema\":{\"type\":\"string\"},\"description\":\"" text "\"}"

/* The public webhook path, served by jobd through nginx (docs/API.md), documented with POST,
 * a webhook's default method (its "methods" may list GET, PUT, PATCH and DELETE too). */
static const char hooks_operation[] =
	"{\"summary\":\"Call a webhook: starts a run of its workflow with the request as "
	"input {method, path, query, headers, body}; async: 202, sync: the run's answer\","
	"\"security\":[],\"parameters\":[{\"name\":\"token\",\"in\":\"path\","
	"\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":"
	"\"^[A-Za-z0-9_-]{" WEBHOOK_XSTR(WEBHOOK_TOKEN_LEN) "}$\"}},"
	HOOK_HEADER(WEBHOOK_SECRET_HEADER, "auth_mode secret: the webhook's secret") ","
	HOOK_HEADER(WEBHOOK_TS_HEADER, "auth_mode hmac: Unix seconds, within "
	    "replay_window_s of the server's clock") ","
	HOOK_HEADER(WEBHOOK_SIG_HEADER, "auth_mode hmac: " WEBHOOK_SIG_PREFIX "<hex "
	    "HMAC-SHA256 under the secret of the timestamp, '.', and the raw body>; accepted "
	    "once") ","
	HOOK_HEADER("Idempotency-Key", "1 to " SCHEMA_XSTR(LAUNCH_KEY_MAX) " printable "
	    "characters: the same key and body within " SCHEMA_XSTR(LAUNCH_KEY_TTL_HOURS)
	    " hours answers the first run (Idempotent-Replayed: true)") "],"
	"\"requestBody\":{\"required\":false,\"description\":\"JSON, a form, or UTF-8 "
	"text, at most 1 MiB\",\"content\":{\"*/*\":{\"schema\":{}}}},"
	"\"responses\":{\"200\":{\"description\":\"sync: the run ended within timeout_ms; "
	"the status, headers and body of its respond node, else its results as JSON\","
	"\"content\":{\"*/*\":{\"schema\":{}}}},\"202\":{\"description\":\"async, or a "
	"sync run that outlived timeout_ms\",\"content\":{\"application/json\":{\"schema\":"
	"{\"type\":\"object\",\"required\":[\"execution_id\",\"status\",\"url\"],"
	"\"properties\":{\"execution_id\":" SCHEMA_UUID ",\"status\":{\"type\":\"string\"},"
	"\"url\":{\"type\":\"string\"}}}}}},"
	HOOK_PROBLEM(400, "Malformed JSON, form or query") ","
	HOOK_PROBLEM(401, "Missing or wrong secret or signature, or a timestamp outside the "
	    "window") ","
	HOOK_PROBLEM(404, "No such webhook") ","
	HOOK_PROBLEM(405, "A method the webhook does not accept (Allow lists them)") ","
	HOOK_PROBLEM(409, "A signed request received already (replay)") ","
	HOOK_PROBLEM(410, "The webhook is disabled") ","
	HOOK_PROBLEM(413, "Body too large") ","
	HOOK_PROBLEM(415, "A body that is neither JSON, a form nor UTF-8 text") ","
	HOOK_PROBLEM(422, "The input does not match the input node, or Idempotency-Key") ","
	HOOK_PROBLEM(429, "More calls from one address than FRAGENT_HOOK_RATE allows (nginx)")
	    ","
	HOOK_PROBLEM(500, "sync: the run failed or was cancelled (execution_id, "
	    "execution_status)") ","
	HOOK_PROBLEM(503, "A dependency is down") "}}";

/* Builds the whole document (never NULL); caller puts it. */
static json_object *
openapi_build(void)
{
	json_object	*doc = jsonh_new_object(), *paths, *comp, *item;
	char		 method[16];
	size_t		 i, j;

	json_object_object_add(doc, "openapi", jsonh_new_string("3.1.0"));
	json_object_object_add(doc, "info", jschema_parse("{\"title\":\"Fra-Gent API\","
	    "\"version\":\"1\",\"description\":\"Errors are RFC 9457 problem details. "
	    "Authenticate with Authorization: Bearer <access JWT> or <fgk_ API key>.\"}"));
	paths = jsonh_new_object();
	for (i = 0; i < api_routes_len; i++) {
		item = json_object_object_get(paths, api_routes[i].pattern);
		if (item == NULL) {
			item = jsonh_new_object();
			json_object_object_add(paths, api_routes[i].pattern, item);
		}
		for (j = 0; api_routes[i].method[j] != '\0' && j + 1 < sizeof(method); j++)
			method[j] = (char)(api_routes[i].method[j] | 0x20);
		method[j] = '\0';
		json_object_object_add(item, method, openapi_operation(&api_routes[i]));
	}
	json_object_object_add(paths, "/api/v1/executions/{id}/events",
	    jschema_parse(events_path));
	item = jsonh_new_object();
	json_object_object_add(item, "post", jschema_parse(hooks_operation));
	json_object_object_add(paths, WEBHOOK_PATH_PREFIX "{token}", item);
	json_object_object_add(doc, "paths", paths);
	comp = jsonh_new_object();
	json_object_object_add(comp, "schemas", schemas_components());
	json_object_object_add(comp, "securitySchemes", jschema_parse("{\"bearer\":{"
	    "\"type\":\"http\",\"scheme\":\"bearer\",\"description\":\"an access JWT from "
	    "/auth/login or an API key (fgk_…)\"}}"));
	json_object_object_add(doc, "components", comp);
	return doc;
}

int
openapi_print(FILE *out)
{
	json_object	*doc = openapi_build();
	int		 rc;

	rc = fprintf(out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 || fflush(out) != 0 ?
	    -1 : 0;
	json_object_put(doc);
	return rc;
}

int
openapi_get(struct req *rq)
{
	static json_object	*doc;
	const char		*s;

	if (doc == NULL)
		doc = openapi_build();
	s = jsonh_str(doc);
	return resp_raw_json(rq, 200, s, strlen(s));
}
