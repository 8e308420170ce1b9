/* json_query.c: the json_query tool: runs a jq program (shared/expr.c, with its limits and
 * per-thread cache of compiled programs) over a document and returns {results}, the list of
 * every output. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expr.h"
#include "jsonh.h"
#include "tool.h"

#define JQ_MAX_DOCUMENT	(1L << 20)	/* bytes of the document as JSON */

enum tool_rc
tool_json_query_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	const char	*q = jsonh_get_string(t->args, "query");
	json_object	*doc = json_object_object_get(t->args, "document"), *parsed = NULL;
	json_object	*all = NULL;
	struct buf	 prog;
	enum tool_rc	 rc = TOOL_ERROR;
	const char	*s;

	buf_init(&prog);
	if (q == NULL || *q == '\0') {
		snprintf(err, errlen, "\"query\" (a jq program) is required");
		goto out;
	}
	/* Models often pass the document as JSON text: use what it encodes. */
	if (json_object_is_type(doc, json_type_string)) {
		s = json_object_get_string(doc);
		if (jsonh_parse(s, strlen(s), &parsed, err, errlen) == 0 &&
		    (json_object_is_type(parsed, json_type_object) ||
		    json_object_is_type(parsed, json_type_array)))
			doc = parsed;
	}
	if (strlen(jsonh_str(doc)) > (size_t)JQ_MAX_DOCUMENT) {
		snprintf(err, errlen, "the document is larger than %ld bytes", JQ_MAX_DOCUMENT);
		goto out;
	}
	/* Collect every output: [ program ] (the newline ends a trailing # comment). */
	if (buf_printf(&prog, "[%s\n]", q) == -1) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (expr_eval_json(prog.data, doc, &all, err, errlen) == -1)
		goto out;
	*result = json_object_new_object();
	json_object_object_add(*result, "results", all != NULL ? all : json_object_new_array());
	all = NULL;
	rc = TOOL_OK;
out:
	json_object_put(all);
	json_object_put(parsed);
	buf_clear(&prog);
	return rc;
}
