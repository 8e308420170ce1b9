/* output.c: the output node type; renders config.value into the execution's results, in the
 * sandbox. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(output,
	.title = "Output",
	.description = "Renders `value` (a template) into the execution's results under the "
	    "node id.",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"value\":" WF_TEMPLATE_STR("Value (template)") ",",
	    ",\"required\":[\"value\"]"),
	.outputs = WF_OUT_DEFAULT,
	.result = true,
	.templates = WF_NAMES("value"));

#ifdef JOBD_BUILD
#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

static enum node_rc
output_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)out;
	return node_eval_one(c, SANDBOX_TEMPLATE, jsonh_get_string(c->node->config, "value"),
	    NULL, err, errlen);
}

NODE_IMPL(output, output_run, node_eval_abort);
#endif
