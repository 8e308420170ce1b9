/* transform.c: the transform node type; its output is the first result of the jq program
 * config.expr run over the context, in the sandbox. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(transform,
	.title = "Transform",
	.description = "Runs the jq program `expr` over the context; its first result is the "
	    "output.",
	.category = "data",
	.config_schema = WF_SCHEMA("\"expr\":" WF_JQ_STR("jq program") ",",
	    ",\"required\":[\"expr\"]"),
	.outputs = WF_OUT_DEFAULT,
	.programs = WF_NAMES("expr"));

#ifdef JOBD_BUILD
#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

static enum node_rc
transform_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)out;
	return node_eval_one(c, SANDBOX_EXPR, jsonh_get_string(c->node->config, "expr"), NULL,
	    err, errlen);
}

NODE_IMPL(transform, transform_run, node_eval_abort);
#endif
