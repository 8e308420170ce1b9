/* registry.c: the table of tool implementations (indexed like the catalogue in
 * shared/tools.h; its rows come from Makefile.am's TOOL_SRCS, so adding a tool never touches
 * this file), argument checking against each tool's JSON Schema, the declarations an
 * agent sends to its model, and the text of a result as the model sees it. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jschema.h"
#include "jsonh.h"
#include "tool.h"
#include "xalloc.h"

const struct tool_impl *const tool_impls[TOOL__MAX] = {
#define TOOL_IMPL_ROW(n, N)	[TOOL_##N] = &tool_impl_##n,
	DESC_TOOLS(TOOL_IMPL_ROW)
#undef TOOL_IMPL_ROW
};

int
tool_args_check(enum tool_kind k, json_object *args, char *err, size_t errlen)
{
	json_object	*schema = jschema_parse(tool_defs[k]->input_schema);
	json_object	*errors = jsonh_new_array(), *e;
	size_t		 i, n = 0;
	int		 rc;

	if (schema == NULL) {
		snprintf(err, errlen, "the tool's schema is broken");
		json_object_put(errors);
		return -1;
	}
	rc = jschema_validate(schema, args, "", errors);
	if (rc == -1) {
		err[0] = '\0';
		for (i = 0; i < json_object_array_length(errors) && n + 1 < errlen; i++) {
			e = json_object_array_get_idx(errors, i);
			n += (size_t)snprintf(err + n, errlen - n, "%s%s: %s", i ? "; " : "",
			    *jsonh_get_string(e, "field") ? jsonh_get_string(e, "field") :
			    "arguments", jsonh_get_string(e, "message"));
			if (n >= errlen)
				n = errlen - 1;
		}
	}
	json_object_put(schema);
	json_object_put(errors);
	return rc;
}

json_object *
tool_declarations(json_object *names, char *err, size_t errlen)
{
	json_object	*out = jsonh_new_array(), *d;
	enum tool_kind	 k;
	const char	*name;
	size_t		 i;

	for (i = 0; json_object_is_type(names, json_type_array) &&
	    i < json_object_array_length(names); i++) {
		name = json_object_get_string(json_object_array_get_idx(names, i));
		if (tool_lookup(name, &k) == -1 || tool_impls[k] == NULL ||
		    tool_impls[k]->run == NULL) {
			snprintf(err, errlen, "tools[%zu]: \"%s\" is not an available tool", i,
			    name ? name : "");
			json_object_put(out);
			return NULL;
		}
		d = jsonh_new_object();
		json_object_object_add(d, "name", jsonh_new_string(tool_defs[k]->name));
		json_object_object_add(d, "description",
		    jsonh_new_string(tool_defs[k]->description));
		json_object_object_add(d, "input_schema",
		    jschema_parse(tool_defs[k]->input_schema));
		json_object_array_add(out, d);
	}
	return out;
}

char *
tool_result_text(json_object *result, const char *err, int *is_error)
{
	json_object	*o = NULL;
	const char	*s;
	char		*text;

	*is_error = err != NULL;
	if (err != NULL) {
		o = jsonh_new_object();
		json_object_object_add(o, "error", jsonh_new_string(err));
		s = jsonh_str(o);
	} else
		s = jsonh_str(result);
	if (strlen(s) > (size_t)TOOL_MAX_RESULT) {
		json_object_put(o);
		*is_error = 1;
		return xstrdup("{\"error\":\"the tool's result is larger than 64 KiB; ask for "
		    "less\"}");
	}
	text = xstrdup(s);
	json_object_put(o);
	return text;
}
