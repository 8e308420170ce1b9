/* template.c: the template node type; renders config.template ({{ jq }} tags) over the
 * context, in the sandbox. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(template,
	.title = "Template",
	.description = "Renders `template`, text with {{ jq }} expressions over the context.",
	.category = "data",
	.config_schema = WF_SCHEMA("\"template\":" WF_TEMPLATE_STR("Template") ",",
	    ",\"required\":[\"template\"]"),
	.outputs = WF_OUT_DEFAULT,
	.templates = WF_NAMES("template"));

#ifdef JOBD_BUILD
#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

static enum node_rc
template_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)out;
	return node_eval_one(c, SANDBOX_TEMPLATE, jsonh_get_string(c->node->config, "template"),
	    NULL, err, errlen);
}

NODE_IMPL(template, template_run, node_eval_abort);
#endif
