/* nodes.c: the table of node implementations, indexed by node type. Its rows come from
 * Makefile.am's NODE_TYPE_SRCS (desclist.h): adding a node type never touches this file. */
#include "config.h"

#include "node.h"

const struct node_impl *const node_impls[WF_NODE__MAX] = {
#define NODE_IMPL_ROW(n, N)	[WF_NODE_##N] = &node_impl_##n,
	DESC_NODE_TYPES(NODE_IMPL_ROW)
#undef NODE_IMPL_ROW
};
