/* condition.c: the condition node; its output is the truth (jq's: anything but false and
 * null) of config.expr over the context, and the engine follows the matching handle. */
#include "config.h"

#include "expr.h"
#include "jsonh.h"
#include "node.h"

enum node_rc
node_condition_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	json_object	*v = NULL;
	int		 truth;

	if (expr_eval_json(jsonh_get_string(c->node->config, "expr"), c->ctx, &v, err, errlen) == -1)
		return NODE_ERROR;
	truth = v != NULL && !(json_object_is_type(v, json_type_boolean) &&
	    !json_object_get_boolean(v));
	json_object_put(v);
	*out = json_object_new_boolean(truth);
	return NODE_OK;
}
