/* transform.c: the transform node; its output is the first result of the jq program
 * config.expr run over the context. */
#include "config.h"

#include "expr.h"
#include "jsonh.h"
#include "node.h"

enum node_rc
node_transform_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	return expr_eval_json(jsonh_get_string(c->node->config, "expr"), c->ctx, out, err,
	    errlen) == 0 ? NODE_OK : NODE_ERROR;
}
