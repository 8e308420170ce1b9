/* switch.c: the switch node type, a multi-way branch: each case of config.cases is a handle
 * named by the case and a jq condition over the context; all are evaluated in one sandbox
 * request, the first truthy one in order (jq's truth: anything but false and null) wins,
 * and none leaves by `default`. Its output {case, index} names the case taken, from which
 * the engine picks the handle (jobd/scheduler.c). */
#include "config.h"

#include "nodetype.h"

#define SWITCH_STR_(x)	#x
#define SWITCH_STR(x)	SWITCH_STR_(x)

NODE_TYPE_DEF(switch,
	.title = "Switch",
	.description = "Evaluates the jq condition of each case; the first truthy case in order "
	    "follows its own handle (named by the case), none follows `default`. The "
	    "branches not taken are skipped. Output: {case, index} (index null for default).",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"cases\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":"
	    SWITCH_STR(WF_MAX_CASES) ",\"title\":\"Cases (the first that matches wins)\","
	    "\"items\":{\"type\":\"object\",\"additionalProperties\":false,"
	    "\"required\":[\"name\",\"expr\"],\"properties\":{"
	    "\"name\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z_][A-Za-z0-9_]{0,63}$\","
	    "\"title\":\"Handle name\"},"
	    "\"expr\":" WF_JQ_STR("jq condition") "}}},",
	    ",\"required\":[\"cases\"]"),
	.outputs = WF_OUT_DEFAULT,
	.cases = "cases");

#ifdef JOBD_BUILD
#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

/* The sandbox answered with one result per case: the output names the first truthy. */
static void
switch_done(void *arg, json_object *results, const char *err)
{
	struct node_call	*c = arg;
	json_object		*cases, *out = NULL, *v;
	size_t			 k, n;

	c->priv = NULL;
	if (err == NULL) {
		cases = jsonh_get_typed(c->node->config, "cases", json_type_array);
		n = json_object_array_length(results);
		out = jsonh_new_object();
		for (k = 0; k < n; k++) {
			v = json_object_array_get_idx(results, k);
			if (v != NULL && !(json_object_is_type(v, json_type_boolean) &&
			    !json_object_get_boolean(v)))
				break;
		}
		if (k < n) {
			json_object_object_add(out, "case", jsonh_new_string(jsonh_get_string(
			    json_object_array_get_idx(cases, k), "name")));
			json_object_object_add(out, "index", jsonh_new_int64((int64_t)k));
		} else {
			json_object_object_add(out, "case", jsonh_new_string("default"));
			json_object_object_add(out, "index", NULL);
		}
	}
	json_object_put(results);
	c->done(c, out, err);
}

static enum node_rc
switch_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	json_object		*cases;
	struct sandbox_req	*r;
	size_t			 k;

	(void)out;
	cases = jsonh_get_typed(c->node->config, "cases", json_type_array);
	if ((r = node_eval_req(c, err, errlen)) == NULL)
		return NODE_ERROR;
	for (k = 0; k < json_object_array_length(cases); k++)
		if (sandbox_req_add(r, SANDBOX_EXPR, jsonh_get_string(json_object_array_get_idx(
		    cases, k), "expr"), err, errlen) == -1) {
			sandbox_cancel(r);
			return NODE_ERROR;
		}
	return node_eval_submit(c, r, switch_done);
}

NODE_IMPL(switch, switch_run, node_eval_abort);
#endif
