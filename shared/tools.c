/* tools.c: the table of the tool catalogue (see tools.h) and lookup by name. Each tool's
 * descriptor lives in its file of jobd/tools/; the rows come from Makefile.am's TOOL_SRCS
 * (desclist.h), so adding a tool never touches this file. The schemas are JSON Schema
 * 2020-12 within the subset shared/jschema.c validates; tests/check_jschema.c checks every
 * one against the meta-schema. */
#include "config.h"

#include <string.h>

#include "tools.h"

const struct tool_def *const tool_defs[TOOL__MAX] = {
#define TOOL_DEF_ROW(n, N)	[TOOL_##N] = &tool_def_##n,
	DESC_TOOLS(TOOL_DEF_ROW)
#undef TOOL_DEF_ROW
};

int
tool_lookup(const char *name, enum tool_kind *out)
{
	size_t	 i;

	for (i = 0; name != NULL && i < TOOL__MAX; i++)
		if (strcmp(tool_defs[i]->name, name) == 0) {
			*out = (enum tool_kind)i;
			return 0;
		}
	return -1;
}
