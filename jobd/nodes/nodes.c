/* nodes.c: the table of node implementations, indexed by node type. */
#include "config.h"

#include "node.h"

const node_run_fn node_runners[WF_NODE__MAX] = {
	[WF_NODE_INPUT] = node_input_run,
	[WF_NODE_OUTPUT] = node_output_run,
	[WF_NODE_TEMPLATE] = node_template_run,
};
