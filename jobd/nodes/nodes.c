/* nodes.c: the table of node implementations, indexed by node type. */
#include "config.h"

#include "node.h"

const struct node_impl node_impls[WF_NODE__MAX] = {
	[WF_NODE_INPUT] = { node_input_run, NULL },
	[WF_NODE_OUTPUT] = { node_output_run, node_eval_abort },
	[WF_NODE_TEMPLATE] = { node_template_run, node_eval_abort },
	[WF_NODE_TRANSFORM] = { node_transform_run, node_eval_abort },
	[WF_NODE_CONDITION] = { node_condition_run, node_eval_abort },
	[WF_NODE_MERGE] = { node_merge_run, NULL },
	[WF_NODE_DELAY] = { node_delay_run, node_delay_abort },
	[WF_NODE_HTTP_REQUEST] = { node_http_run, node_http_abort },
	[WF_NODE_AGENT] = { node_agent_run, node_agent_abort },
};
