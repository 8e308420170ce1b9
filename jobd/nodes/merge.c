/* merge.c: the merge node type; the engine starts it once every incoming branch is resolved,
 * and its output maps each predecessor that was not skipped to that predecessor's output. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(merge,
	.title = "Merge",
	.description = "Waits for every incoming branch that was not skipped; its output maps "
	    "each such predecessor's id to its output.",
	.category = "flow",
	.config_schema = WF_SCHEMA("", ""),
	.outputs = WF_OUT_DEFAULT);

#ifdef JOBD_BUILD
#include "jsonh.h"
#include "node.h"

static enum node_rc
merge_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	*out = jsonh_copy(c->input);
	return NODE_OK;
}

NODE_IMPL(merge, merge_run, NULL);
#endif
