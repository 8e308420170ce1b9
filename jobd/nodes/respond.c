/* respond.c: the respond node type: what a sync webhook answers. Its output is
 * {status, headers, body}: the fixed status and headers of its config and the body rendered
 * from its template in the sandbox. jobd/hooks.c answers a sync caller with the output of the
 * respond node that ran (the first in the definition's order), or with the results. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(respond,
	.title = "Respond to webhook",
	.description = "Sets the answer of a sync webhook: `status`, `headers` and `body` (a "
	    "template; a single `{{ expr }}` keeps its JSON type and is sent as JSON, text is "
	    "sent as text/plain). Its output is {status, headers, body}.",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"status\":{\"type\":\"integer\",\"minimum\":100,"
	    "\"maximum\":599,\"default\":200,\"title\":\"HTTP status\"},"
	    "\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\","
	    "\"maxLength\":1024},\"maxProperties\":32,\"title\":\"Headers\"},"
	    "\"body\":" WF_TEMPLATE_STR("Body (template)") ",", ""),
	.outputs = WF_OUT_DEFAULT,
	.result = true,
	.templates = WF_NAMES("body"));

#ifdef JOBD_BUILD
#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

/* The rendered body "results" (its first item; owned) wrapped with the config's status and headers. */
static void
respond_done(void *arg, json_object *results, const char *err)
{
	struct node_call	*c = arg;
	json_object		*cfg = c->node->config, *out, *st, *hd;

	c->priv = NULL;
	if (err != NULL) {
		json_object_put(results);
		c->done(c, NULL, err);
		return;
	}
	out = jsonh_new_object();
	st = jsonh_get_typed(cfg, "status", json_type_int);
	hd = jsonh_get_typed(cfg, "headers", json_type_object);
	json_object_object_add(out, "status", jsonh_new_int(st != NULL ?
	    json_object_get_int(st) : 200));
	json_object_object_add(out, "headers", hd != NULL ? json_object_get(hd) :
	    jsonh_new_object());
	json_object_object_add(out, "body", json_object_get(results != NULL &&
	    json_object_array_length(results) > 0 ? json_object_array_get_idx(results, 0) :
	    NULL));
	json_object_put(results);
	c->done(c, out, NULL);
}

static enum node_rc
respond_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	const char	*body = jsonh_get_string(c->node->config, "body");

	(void)out;
	return node_eval_one(c, SANDBOX_TEMPLATE, body != NULL ? body : "", respond_done, err,
	    errlen);
}

NODE_IMPL(respond, respond_run, node_eval_abort);
#endif
