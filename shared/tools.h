/* tools.h: the catalogue of tools an agent may call: names, titles, descriptions and the
 * JSON Schema of each tool's input (what the model must pass). The API serves it as
 * GET /tools and checks agents' tool lists against it; jobd's runtime implements them. */
#ifndef FRAGENT_TOOLS_H
#define FRAGENT_TOOLS_H

#include <stdbool.h>

enum tool_kind {
	TOOL_HTTP_REQUEST,
	TOOL_CALCULATOR,
	TOOL_JSON_QUERY,
	TOOL_CURRENT_TIME,
	TOOL_RUN_WORKFLOW,
	TOOL_ASK_AGENT,
	TOOL__MAX
};

struct tool_def {
	const char	*name;
	const char	*title;
	const char	*description;
	const char	*input_schema;	/* JSON Schema (text) of the call's arguments */
};

extern const struct tool_def tool_defs[TOOL__MAX];

/* Looks up a tool by name. Returns 0 with "out" set, or -1 when unknown. */
int	tool_lookup(const char *name, enum tool_kind *out);

#endif
