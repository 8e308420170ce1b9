/* output.c: the output node; renders config.value into the execution's results. */
#include "config.h"

#include "expr.h"
#include "jsonh.h"
#include "node.h"

enum node_rc
node_output_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	return expr_render_json(jsonh_get_string(c->node->config, "value"), c->ctx, out, err,
	    errlen) == 0 ? NODE_OK : NODE_ERROR;
}
