/* transform.c: the transform node; its output is the first result of the jq program
 * config.expr run over the context, in the sandbox. */
#include "config.h"

#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

enum node_rc
node_transform_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)out;
	return node_eval_one(c, SANDBOX_EXPR, jsonh_get_string(c->node->config, "expr"), NULL,
	    err, errlen);
}
