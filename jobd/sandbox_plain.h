/* sandbox_plain.h: the items of a sandbox request that only read a plain path of their
 * context (the program ".input.message", the template "Hello {{ .user.name }}", a template
 * without tags), answered in jobd without a helper: looking a path up runs no author code.
 * An item is answered here only when the helper's answer would be the same value: what jq
 * renders differently from json-c (numbers other than integers of at most 2^53, objects,
 * arrays, text that is not UTF-8), what jq fails on (indexing a value that is neither an
 * object nor null) and answers near the size limits all go to the helper. */
#ifndef FRAGENT_SANDBOX_PLAIN_H
#define FRAGENT_SANDBOX_PLAIN_H

#include <stddef.h>

#include <json-c/json.h>

#include "sandbox.h"
#include "sandbox/proto.h"

/* What the answers of one request may hold at most, in bytes of text: the helper's limit on
 * a whole answer, a byte written as JSON taking up to 6. */
#define SANDBOX_PLAIN_ROOM	(SBX_MAX_ANSWER / 6)

/* Answers item "text" of kind "kind" against "ctx" (borrowed) when it only reads a plain
 * path and its answer fits in "*room" bytes (a string's length; 32 for another value), which
 * it then takes from "*room". Returns 0 with a new value in "*out" (NULL for JSON null), or
 * -1 when the helper must evaluate it. */
int	sandbox_plain(json_object *ctx, enum sandbox_kind kind, const char *text,
	    size_t *room, json_object **out);

#endif
