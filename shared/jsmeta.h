/* jsmeta.h: the meta-schema check every schema an author supplies passes before the
 * validator (jschema.h) sees it: the keyword subset it supports, each with a value of the
 * right kind, within size and depth caps. */
#ifndef FRAGENT_JSMETA_H
#define FRAGENT_JSMETA_H

#include <json-c/json.h>

#define JSMETA_MAX_BYTES	65536	/* the schema as compact JSON */
#define JSMETA_MAX_SCHEMAS	1024	/* subschemas, the schema itself included */
#define JSMETA_MAX_MEMBERS	256	/* entries of properties, required, enum, anyOf, type */
#define JSMETA_MAX_ERRORS	32	/* problems listed before the check gives up */

/* Checks that "schema" is a schema of the subset jschema_validate supports: an object or a
 * boolean; known keywords only (x-* extensions allowed); "type" a type name or a non-empty
 * array of unique names; "properties" an object of schemas; "required" an array of unique
 * strings; "items" and "additionalProperties" schemas; "anyOf" a non-empty array of
 * schemas; "enum" a non-empty array; numbers where numbers are expected and non-negative
 * integers for the length and count keywords; "pattern" a string that compiles
 * (fgregex.h); annotations of their types. Caps: JSMETA_MAX_BYTES, JSMETA_MAX_SCHEMAS,
 * JSMETA_MAX_MEMBERS per keyword, nesting at most JSCHEMA_MAX_DEPTH. Each problem is
 * appended to the JSON array "errors" as {field, message}, the field being "path" followed
 * by the keyword and index (e.g. "configuration.output_schema.required[0]"). Returns 0 when
 * the schema is acceptable, -1 otherwise. */
int	jsmeta_check(json_object *schema, const char *path, json_object *errors);

#endif
