/* template.c: the template node; renders config.template ({{ jq }} tags) over the context. */
#include "config.h"

#include "expr.h"
#include "jsonh.h"
#include "node.h"

enum node_rc
node_template_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	return expr_render_json(jsonh_get_string(c->node->config, "template"), c->ctx, out, err,
	    errlen) == 0 ? NODE_OK : NODE_ERROR;
}
