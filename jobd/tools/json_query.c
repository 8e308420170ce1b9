/* json_query.c: the json_query tool: runs a jq program over a document in the worker's
 * sandbox (the model chooses the program: it is author code like any other) and returns
 * {results}, the list of every output. */
#include "config.h"

#include "tools.h"

TOOL_DEF(json_query,
	.title = "JSON query",
	.description = "Runs a jq program over a JSON document and returns {results}, the "
	    "list of its outputs.",
	.input_schema =
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"query\","
	    "\"document\"],\"properties\":{"
	    "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096,"
	    "\"title\":\"jq program\",\"examples\":[\".items | length\"]},"
	    "\"document\":{\"title\":\"JSON document\"}}}");

#ifdef JOBD_BUILD
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "env.h"
#include "jsonh.h"
#include "sandbox.h"
#include "tool.h"

#define JQ_MAX_DOCUMENT	(1L << 20)	/* bytes of the document as JSON */

/* The sandbox answered: {results: [every output]}. */
static void
tool_json_query_done(void *arg, json_object *res, const char *err)
{
	struct tool_call	*t = arg;
	json_object		*out = NULL, *all;

	t->priv = NULL;
	if (err == NULL) {
		all = json_object_get(json_object_array_get_idx(res, 0));
		out = jsonh_new_object();
		json_object_object_add(out, "results", all != NULL ? all :
		    jsonh_new_array());
	}
	json_object_put(res);
	t->done(t, out, err);
}

/* The document to query: models often pass it as JSON text; use what that encodes. */
static json_object *
tool_json_query_doc(json_object *args)
{
	json_object	*doc = json_object_object_get(args, "document"), *parsed = NULL;
	const char	*s;
	char		 err[64];

	if (json_object_is_type(doc, json_type_string)) {
		s = json_object_get_string(doc);
		if (jsonh_parse(s, strlen(s), &parsed, err, sizeof(err)) == 0 &&
		    (json_object_is_type(parsed, json_type_object) ||
		    json_object_is_type(parsed, json_type_array)))
			return parsed;
		json_object_put(parsed);
	}
	return json_object_get(doc);
}

static enum tool_rc
json_query_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	const char		*q = jsonh_get_string(t->args, "query");
	json_object		*doc = NULL;
	struct sandbox_req	*r = NULL;
	struct buf		 prog;
	enum tool_rc		 rc = TOOL_ERROR;

	(void)result;
	buf_init(&prog);
	if (q == NULL || *q == '\0') {
		snprintf(err, errlen, "\"query\" (a jq program) is required");
		goto out;
	}
	doc = tool_json_query_doc(t->args);
	if (strlen(jsonh_str(doc)) > (size_t)JQ_MAX_DOCUMENT) {
		snprintf(err, errlen, "the document is larger than %ld bytes", JQ_MAX_DOCUMENT);
		goto out;
	}
	/* Collect every output: [ program ] (the newline ends a trailing # comment). */
	buf_puts(&prog, "[");
	buf_puts(&prog, q);
	buf_puts(&prog, "\n]");
	if ((r = sandbox_req_new(t->env->sandbox, doc, err, errlen)) == NULL ||
	    sandbox_req_add(r, SANDBOX_EXPR, prog.data, err, errlen) == -1)
		goto out;
	t->priv = r;
	sandbox_req_submit(r, t->timeout_ms, tool_json_query_done, t);
	r = NULL;
	rc = TOOL_PENDING;
out:
	sandbox_cancel(r);
	json_object_put(doc);
	buf_clear(&prog);
	return rc;
}

static void
json_query_abort(struct tool_call *t)
{
	sandbox_cancel(t->priv);
	t->priv = NULL;
}

TOOL_IMPL(json_query, json_query_run, json_query_abort);
#endif
