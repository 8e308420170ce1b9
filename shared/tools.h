/* tools.h: the catalogue of tools an agent may call: names, titles, descriptions and the
 * JSON Schema of each tool's input (what the model must pass). A tool is one file in
 * jobd/tools/ holding its descriptor (TOOL_DEF) and, under #ifdef JOBD_BUILD, its
 * implementation (TOOL_IMPL, jobd/tools/tool.h); Makefile.am's TOOL_SRCS lists the files,
 * in the catalogue's order. The API serves the descriptors as GET /tools and checks agents'
 * tool lists against them; jobd's runtime implements them. */
#ifndef FRAGENT_TOOLS_H
#define FRAGENT_TOOLS_H

#include <stdbool.h>

#include "desclist.h"

/* One per file of TOOL_SRCS (desclist.h): TOOL_HTTP_REQUEST, TOOL_CALCULATOR, … */
enum tool_kind {
#define TOOL_ENUM(n, N)	TOOL_##N,
	DESC_TOOLS(TOOL_ENUM)
#undef TOOL_ENUM
	TOOL__MAX
};

struct tool_def {
	const char	*name;		/* the file's name, which models call */
	const char	*title;
	const char	*description;
	const char	*input_schema;	/* JSON Schema (text) of the call's arguments */
};

#define TOOL_DEF_DECL(n, N)	extern const struct tool_def tool_def_##n;
DESC_TOOLS(TOOL_DEF_DECL)
#undef TOOL_DEF_DECL

/* Defines the descriptor of tool "n" (the file's name) with the designated initializers
 * that follow (struct tool_def, without .name). In jobd's build (JOBD_BUILD) it only
 * declares it: libfragent's catalogue holds the one definition. */
#ifdef JOBD_BUILD
#define TOOL_DEF(n, ...)	extern const struct tool_def tool_def_##n
#else
#define TOOL_DEF(n, ...) \
	const struct tool_def tool_def_##n = { .name = #n, __VA_ARGS__ }
#endif

/* Every tool's descriptor, indexed by enum tool_kind. */
extern const struct tool_def *const tool_defs[TOOL__MAX];

/* Looks up a tool by name ("name" may be NULL). Returns 0 with "out" set, or -1 when
 * unknown. */
int	tool_lookup(const char *name, enum tool_kind *out);

#endif
