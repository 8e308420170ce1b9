/* condition.c: the condition node type; its output is the truth (jq's: anything but false and
 * null) of config.expr over the context, evaluated in the sandbox, and the engine follows the
 * matching handle. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(condition,
	.title = "Condition",
	.description = "Evaluates the jq program `expr`; a truthy result follows the `true` "
	    "handle, anything else `false`. The branch not taken is skipped.",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"expr\":" WF_JQ_STR("jq condition") ",",
	    ",\"required\":[\"expr\"]"),
	.outputs = WF_NAMES("true", "false"),
	.programs = WF_NAMES("expr"));

#ifdef JOBD_BUILD
#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

/* The sandbox answered: the output is the truth of the first result. */
static void
condition_done(void *arg, json_object *results, const char *err)
{
	struct node_call	*c = arg;
	json_object		*v = results != NULL ? json_object_array_get_idx(results, 0) : NULL;
	int			 truth;

	c->priv = NULL;
	truth = v != NULL && !(json_object_is_type(v, json_type_boolean) &&
	    !json_object_get_boolean(v));
	json_object_put(results);
	c->done(c, err == NULL ? jsonh_new_boolean(truth) : NULL, err);
}

static enum node_rc
condition_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)out;
	return node_eval_one(c, SANDBOX_EXPR, jsonh_get_string(c->node->config, "expr"),
	    condition_done, err, errlen);
}

NODE_IMPL(condition, condition_run, node_eval_abort);
#endif
