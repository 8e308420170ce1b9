/* catalog.c: GET /node-types, GET /tools and GET /providers, each serialised from its
 * descriptors (one file per node type in jobd/nodes/, per tool in jobd/tools/, per provider
 * in jobd/llm/; tables in shared/wf.c, shared/tools.c, shared/providers.c): the JSON Schemas
 * and choices the UI renders forms from and the API validates with. Each answer is built
 * once per process: the tables are constant. */
#include "config.h"

#include <string.h>

#include "handlers.h"
#include "jschema.h"
#include "jsonh.h"
#include "providers.h"
#include "tools.h"
#include "wf.h"

/* The handles of node type "t": inputs (none for an entry node), outputs, the handle every
 * node has for its failure ("error") and, for a type with case handles, the config member
 * naming them ("cases"). */
static json_object *
catalog_handles(const struct wf_type_def *t)
{
	json_object		*h = jsonh_new_object(), *in, *out;
	const char *const	*o;

	in = jsonh_new_array();
	if (!t->entry)
		json_object_array_add(in, jsonh_new_string("default"));
	out = jsonh_new_array();
	for (o = t->outputs; o != NULL && *o != NULL; o++)
		json_object_array_add(out, jsonh_new_string(*o));
	json_object_object_add(h, "inputs", in);
	json_object_object_add(h, "outputs", out);
	json_object_object_add(h, "error", jsonh_new_string(wf_handle_names[WF_HANDLE_ERROR]));
	if (t->cases != NULL)
		json_object_object_add(h, "cases", jsonh_new_string(t->cases));
	return h;
}

/* Builds the node-type list; caller puts it. */
static json_object *
catalog_node_types(void)
{
	json_object			*a = jsonh_new_array(), *o;
	const struct wf_type_def	*t;
	size_t				 i;

	for (i = 0; i < WF_NODE__MAX; i++) {
		t = wf_types[i];
		o = jsonh_new_object();
		json_object_object_add(o, "type", jsonh_new_string(t->name));
		json_object_object_add(o, "title", jsonh_new_string(t->title));
		json_object_object_add(o, "description", jsonh_new_string(t->description));
		json_object_object_add(o, "category", jsonh_new_string(t->category));
		json_object_object_add(o, "config_schema", jschema_parse(t->config_schema));
		json_object_object_add(o, "handles", catalog_handles(t));
		json_object_object_add(o, "min_count", jsonh_new_int64((int64_t)t->min_count));
		json_object_object_add(o, "result", jsonh_new_boolean(t->result));
		json_object_object_add(o, "max_count", t->max_count == 0 ? NULL :
		    jsonh_new_int64((int64_t)t->max_count));
		json_object_array_add(a, o);
	}
	return a;
}

/* Builds the tool list; caller puts it. */
static json_object *
catalog_tools(void)
{
	json_object	*a = jsonh_new_array(), *o;
	size_t		 i;

	for (i = 0; i < TOOL__MAX; i++) {
		o = jsonh_new_object();
		json_object_object_add(o, "name", jsonh_new_string(tool_defs[i]->name));
		json_object_object_add(o, "title", jsonh_new_string(tool_defs[i]->title));
		json_object_object_add(o, "description",
		    jsonh_new_string(tool_defs[i]->description));
		json_object_object_add(o, "input_schema",
		    jschema_parse(tool_defs[i]->input_schema));
		json_object_array_add(a, o);
	}
	return a;
}

/* The credential members provider "p" uses, as [{name, title, description, required}]. */
static json_object *
catalog_credential(const struct provider_def *p)
{
	const struct provider_field	*f;
	json_object			*a = jsonh_new_array(), *o;

	for (f = p->credential; f != NULL && f->name != NULL; f++) {
		o = jsonh_new_object();
		json_object_object_add(o, "name", jsonh_new_string(f->name));
		json_object_object_add(o, "title", jsonh_new_string(f->title));
		json_object_object_add(o, "description", jsonh_new_string(f->description));
		json_object_object_add(o, "required", jsonh_new_boolean(f->required));
		json_object_array_add(a, o);
	}
	return a;
}

/* Builds the provider list; caller puts it. */
static json_object *
catalog_providers(void)
{
	const struct provider_def	*p;
	json_object			*a = jsonh_new_array(), *o;
	size_t				 i;

	for (i = 0; i < PROVIDER__MAX; i++) {
		p = provider_defs[i];
		o = jsonh_new_object();
		json_object_object_add(o, "name", jsonh_new_string(p->name));
		json_object_object_add(o, "title", jsonh_new_string(p->title));
		json_object_object_add(o, "description", jsonh_new_string(p->description));
		json_object_object_add(o, "default_base_url",
		    jsonh_new_string(p->default_base_url));
		json_object_object_add(o, "credential", catalog_credential(p));
		json_object_array_add(a, o);
	}
	return a;
}

/* Answers the cached serialisation of "*cache", building it with "build" once. */
static int
catalog_answer(struct req *rq, json_object **cache, json_object *(*build)(void))
{
	const char	*s;

	if (*cache == NULL)
		*cache = build();
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

int
providers_get(struct req *rq)
{
	static json_object	*cache;

	return catalog_answer(rq, &cache, catalog_providers);
}
