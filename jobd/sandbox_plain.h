/* sandbox_plain.h: the items of a sandbox request that only read a plain path of their
 * context (the program ".input.message", the template "Hello {{ .user.name }}", a template
 * without tags), answered in jobd without a helper: looking a path up runs no author code.
 * An item is answered here only when the helper's answer would be the same value: what jq
 * renders differently from json-c (numbers other than integers of at most 2^53, objects,
 * arrays, text that is not UTF-8), what jq fails on (indexing a value that is neither an
 * object nor null) and results near the size limits all go to the helper. */
#ifndef FRAGENT_SANDBOX_PLAIN_H
#define FRAGENT_SANDBOX_PLAIN_H

#include <json-c/json.h>

#include "sandbox.h"

/* Answers item "text" of kind "kind" against "ctx" (borrowed) when it only reads a plain
 * path. Returns 0 with a new value in "*out" (NULL for JSON null), or -1 when the helper
 * must evaluate it. */
int	sandbox_plain(json_object *ctx, enum sandbox_kind kind, const char *text,
	    json_object **out);

#endif
