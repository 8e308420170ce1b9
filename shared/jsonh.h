/* jsonh.h: small helpers over json-c: constructors that abort when memory runs out (the
 * memory policy of xalloc.h; json-c has no allocator hook), strict parsing with limits
 * (UTF-8 only), typed field access, values made storable in PostgreSQL. */
#ifndef FRAGENT_JSONH_H
#define FRAGENT_JSONH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define JSONH_MAX_DEPTH 64

/*
 * Constructors: json-c's json_object_new_*, never NULL (a failed allocation aborts with
 * xalloc.h's message). Each returns a new reference the caller puts (or hands to a
 * container with json_object_object_add/json_object_array_add).
 */
json_object	*jsonh_new_object(void)
		    __attribute__((returns_nonnull));
json_object	*jsonh_new_array(void)
		    __attribute__((returns_nonnull));
/* An array with room for "n" elements (n >= 0). */
json_object	*jsonh_new_array_ext(int n)
		    __attribute__((returns_nonnull));
/* A copy of the NUL-terminated "s" (not NULL: see jsonh_string_or_null). */
json_object	*jsonh_new_string(const char *s)
		    __attribute__((returns_nonnull));
/* A copy of the "len" bytes of "s" (NUL bytes included). */
json_object	*jsonh_new_string_len(const char *s, int len)
		    __attribute__((returns_nonnull));
json_object	*jsonh_new_int(int32_t i)
		    __attribute__((returns_nonnull));
json_object	*jsonh_new_int64(int64_t i)
		    __attribute__((returns_nonnull));
json_object	*jsonh_new_boolean(int b)
		    __attribute__((returns_nonnull));
json_object	*jsonh_new_double(double d)
		    __attribute__((returns_nonnull));

/* Parses exactly one JSON value from "len" bytes of "text" (trailing whitespace allowed),
 * nesting at most JSONH_MAX_DEPTH, its strings well-formed UTF-8. Returns 0 with a new reference in "out" (caller puts it;
 * a JSON null gives NULL), or -1 with a message in "err". */
int		 jsonh_parse(const char *text, size_t len, json_object **out,
		    char *err, size_t errlen);
/* Returns the string at "key" of object "obj" (borrowed), or NULL when absent or not a string. */
const char	*jsonh_get_string(json_object *obj, const char *key);
/* Returns the member "key" of "obj" when it has type "type", else NULL (borrowed). */
json_object	*jsonh_get_typed(json_object *obj, const char *key, json_type type);
/* Compact serialisation of "obj" ("null" for NULL); the string lives as long as "obj". */
const char	*jsonh_str(json_object *obj);
/* The length of "obj" as compact JSON (jsonh_str's form; a double counted as "%.17g"),
 * computed without serialising it (a serialisation stays allocated on the object); the
 * count stops soon after passing "limit", so a result over "limit" is only a lower bound. */
size_t		 jsonh_size(json_object *obj, size_t limit);
/* jsonh_str, with its length in "*len". */
const char	*jsonh_str_len(json_object *obj, size_t *len);
/* A new reference to a string (never NULL for a string), or NULL (JSON null) when "s" is
 * NULL. */
json_object	*jsonh_string_or_null(const char *s);
/* A deep copy of "obj" (NULL for NULL, never NULL otherwise); caller puts it. */
json_object	*jsonh_copy(json_object *obj);
/* True when every string of "o" (member names included) can be stored in PostgreSQL text
 * and jsonb: well-formed UTF-8 without NUL (utf8.h). NULL is. */
bool		 jsonh_storable(json_object *o);
/* Takes the reference "o" and returns a storable value: "o" itself when it is, else a copy
 * in which every NUL and every byte of an ill-formed sequence became U+FFFD ("o" is put).
 * NULL only for NULL. */
json_object	*jsonh_make_storable(json_object *o);
/* Takes the reference "o" and returns it with the members of every object in the order
 * PostgreSQL's jsonb keeps them (shorter names first, then bytewise): "o" itself when they
 * are, else a copy. A value read back from a jsonb column and the value written are then
 * the same, member for member, so that what a run computes from an output does not depend
 * on whether the output was just made or read back (a resume, a replay). */
json_object	*jsonh_stored_order(json_object *o);

#endif
