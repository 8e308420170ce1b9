/* jsonh.h: small helpers over json-c: strict parsing with limits, typed field access. */
#ifndef FRAGENT_JSONH_H
#define FRAGENT_JSONH_H

#include <stddef.h>

#include <json-c/json.h>

#define JSONH_MAX_DEPTH 64

/* Parses exactly one JSON value from "len" bytes of "text" (trailing whitespace allowed),
 * nesting at most JSONH_MAX_DEPTH. Returns 0 with a new reference in "out" (caller puts it;
 * a JSON null gives NULL), or -1 with a message in "err". */
int		 jsonh_parse(const char *text, size_t len, json_object **out,
		    char *err, size_t errlen);
/* Returns the string at "key" of object "obj" (borrowed), or NULL when absent or not a string. */
const char	*jsonh_get_string(json_object *obj, const char *key);
/* Returns the member "key" of "obj" when it has type "type", else NULL (borrowed). */
json_object	*jsonh_get_typed(json_object *obj, const char *key, json_type type);
/* Compact serialisation of "obj" ("null" for NULL); the string lives as long as "obj". */
const char	*jsonh_str(json_object *obj);
/* jsonh_str, with its length in "*len". */
const char	*jsonh_str_len(json_object *obj, size_t *len);
/* A new reference to a string, or to NULL (JSON null) when "s" is NULL. */
json_object	*jsonh_string_or_null(const char *s);
/* A deep copy of "obj" (NULL for NULL); caller puts it. */
json_object	*jsonh_copy(json_object *obj);

#endif
