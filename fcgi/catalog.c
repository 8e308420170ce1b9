/* catalog.c: GET /node-types (from shared/wf.c's wf_types) and GET /tools (from
 * shared/tools.c): the JSON Schemas the UI renders forms from and the API validates with.
 * Each answer is built once per process: the tables are constant. */
#include "config.h"

#include <string.h>

#include "handlers.h"
#include "jschema.h"
#include "jsonh.h"
#include "tools.h"
#include "wf.h"

/* The handles of node type "t": inputs (none for the input node) and outputs. */
static json_object *
catalog_handles(size_t t)
{
	json_object		*h = json_object_new_object(), *in, *out;
	const char *const	*o;

	in = json_object_new_array();
	if (strcmp(wf_types[t].name, "input") != 0)
		json_object_array_add(in, json_object_new_string("default"));
	out = json_object_new_array();
	for (o = wf_types[t].outputs; o != NULL && *o != NULL; o++)
		json_object_array_add(out, json_object_new_string(*o));
	json_object_object_add(h, "inputs", in);
	json_object_object_add(h, "outputs", out);
	return h;
}

/* Builds the node-type list; caller puts it. */
static json_object *
catalog_node_types(void)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	for (i = 0; i < WF_NODE__MAX; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "type", json_object_new_string(wf_types[i].name));
		json_object_object_add(o, "title", json_object_new_string(wf_types[i].title));
		json_object_object_add(o, "description",
		    json_object_new_string(wf_types[i].description));
		json_object_object_add(o, "category",
		    json_object_new_string(wf_types[i].category));
		json_object_object_add(o, "config_schema",
		    jschema_parse(wf_types[i].config_schema));
		json_object_object_add(o, "handles", catalog_handles(i));
		json_object_object_add(o, "min_count",
		    json_object_new_int64((int64_t)wf_types[i].min_count));
		json_object_object_add(o, "max_count", wf_types[i].max_count == 0 ? NULL :
		    json_object_new_int64((int64_t)wf_types[i].max_count));
		json_object_array_add(a, o);
	}
	return a;
}

/* Builds the tool list; caller puts it. */
static json_object *
catalog_tools(void)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	for (i = 0; i < TOOL__MAX; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(tool_defs[i].name));
		json_object_object_add(o, "title", json_object_new_string(tool_defs[i].title));
		json_object_object_add(o, "description",
		    json_object_new_string(tool_defs[i].description));
		json_object_object_add(o, "input_schema",
		    jschema_parse(tool_defs[i].input_schema));
		json_object_array_add(a, o);
	}
	return a;
}

/* Answers the cached serialisation of "*cache", building it with "build" once. */
static int
catalog_answer(struct req *rq, json_object **cache, json_object *(*build)(void))
{
	const char	*s;

	if (*cache == NULL && (*cache = build()) == NULL)
		return resp_problem(rq, 503, "out of memory", NULL);
	s = jsonh_str(*cache);
	return resp_raw_json(rq, 200, s, strlen(s));
}

int
node_types_get(struct req *rq)
{
	static json_object	*cache;

	return catalog_answer(rq, &cache, catalog_node_types);
}

int
tools_get(struct req *rq)
{
	static json_object	*cache;

	return catalog_answer(rq, &cache, catalog_tools);
}
