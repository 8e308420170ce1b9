/* jschema.h: validation of JSON documents against a subset of JSON Schema (2020-12), the
 * language the node-type, tool and agent catalogues are written in, with bounded cost. */
#ifndef FRAGENT_JSCHEMA_H
#define FRAGENT_JSCHEMA_H

#include <json-c/json.h>

#define JSCHEMA_MAX_DEPTH	32	/* nesting of subschemas the validator follows */
#define JSCHEMA_MAX_STEPS	1000000	/* subschema checks and enum comparisons per validation */
#define JSCHEMA_MAX_REGEX_MS	100	/* CPU time of the pattern matches of one validation */
#define JSCHEMA_MAX_ERRORS	100	/* problems listed by one validation */

/* Checks "doc" against "schema". Supported keywords: type (a name or an array of names),
 * properties, required, additionalProperties (boolean or schema), enum, const, minimum,
 * maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength (in code points),
 * pattern (fgregex.h: PCRE2 with ECMA-262-like syntax and match limits), items, minItems,
 * maxItems, minProperties, maxProperties, anyOf; true and false as schemas; annotations
 * (title, description, default, examples, format, $schema, $id, $comment, x-*) are
 * ignored. A malformed keyword (see jsmeta.h, which authors' schemas pass first) never
 * crashes: it is ignored, except a pattern that does not compile, which fails. Each problem
 * is appended to the JSON array "errors" as {field, message}, the field being "path"
 * followed by the member (".name") or index ("[3]"); "path" may be "". Rows are added
 * while "errors" holds fewer than JSCHEMA_MAX_ERRORS (then one says more were found).
 * The cost is bounded: past JSCHEMA_MAX_STEPS checks or JSCHEMA_MAX_REGEX_MS of pattern
 * matching, or when one match reaches its limit, the document is reported invalid with a
 * message saying so (that row is added whatever the count). Returns 0 when valid, -1
 * otherwise. */
int	jschema_validate(json_object *schema, json_object *doc, const char *path,
	    json_object *errors);

/* Parses a schema written as a C string constant. Returns a new reference, or NULL when the
 * text is not JSON (a programming error the unit tests catch). */
json_object	*jschema_parse(const char *text);

#endif
