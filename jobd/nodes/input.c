/* input.c: the input node; its output is the execution's inputs. */
#include "config.h"

#include "jsonh.h"
#include "node.h"

int
node_input_run(const struct wf_node *n, json_object *ctx, json_object **out, char *err,
    size_t errlen)
{
	json_object	*in = NULL;

	(void)n;
	(void)err;
	(void)errlen;
	json_object_object_get_ex(ctx, "input", &in);
	*out = json_object_get(in);
	return 0;
}
