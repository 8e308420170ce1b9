/* jschema.h: validation of JSON documents against a subset of JSON Schema (2020-12), the
 * language the node-type, tool and agent catalogues are written in. */
#ifndef FRAGENT_JSCHEMA_H
#define FRAGENT_JSCHEMA_H

#include <json-c/json.h>

/* Checks "doc" against "schema". Supported keywords: type (a name or an array of names),
 * properties, required, additionalProperties (boolean or schema), enum, const, minimum,
 * maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength (in code points),
 * pattern (POSIX extended regex), items, minItems, maxItems, anyOf; annotations (title,
 * description, default, examples, format, x-*) are ignored. Each problem is appended to the
 * JSON array "errors" as {field, message}, the field being "path" followed by the member
 * (".name") or index ("[3]"); "path" may be "". Returns 0 when valid, -1 otherwise. */
int	jschema_validate(json_object *schema, json_object *doc, const char *path,
	    json_object *errors);

/* Parses a schema written as a C string constant. Returns a new reference, or NULL when the
 * text is not JSON (a programming error the unit tests catch). */
json_object	*jschema_parse(const char *text);

#endif
