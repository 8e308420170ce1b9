/* input.c: the input node type: the workflow's start; its output is the execution's inputs,
 * which must match config.schema (checked against the meta-schema when saved). */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(input,
	.title = "Input",
	.description = "Starts the workflow; its output is the execution's inputs.",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"schema\":{\"type\":\"object\","
	    "\"title\":\"Inputs (JSON Schema)\","
	    "\"description\":\"the inputs of an execution must match it\"},", ""),
	.outputs = WF_OUT_DEFAULT,
	.min_count = 1,
	.max_count = 1,
	.entry = true,
	.schemas = WF_NAMES("schema"));

#ifdef JOBD_BUILD
#include "node.h"

static enum node_rc
input_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	json_object	*in = NULL;

	(void)err;
	(void)errlen;
	json_object_object_get_ex(c->ctx, "input", &in);
	*out = json_object_get(in);
	return NODE_OK;
}

NODE_IMPL(input, input_run, NULL);
#endif
