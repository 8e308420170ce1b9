/* jsmeta.c: the meta-schema check of authors' JSON Schemas: a table of the keywords
 * jschema.c supports, each with the kind of value it takes (see jsmeta.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fgregex.h"
#include "jschema.h"
#include "jsmeta.h"
#include "jsonh.h"
#include "nitems.h"
#include "wf.h"

#define JSMETA_FIELD	256

/* What a keyword's value must be. */
enum jsmeta_kind {
	JSMETA_TYPE,		/* a type name, or a non-empty array of unique ones */
	JSMETA_SCHEMA,		/* a schema */
	JSMETA_SCHEMA_MAP,	/* an object whose members are schemas */
	JSMETA_SCHEMA_LIST,	/* a non-empty array of schemas */
	JSMETA_NAMES,		/* an array of unique strings */
	JSMETA_VALUES,		/* a non-empty array of anything */
	JSMETA_NUMBER,		/* a finite number */
	JSMETA_COUNT,		/* a non-negative integer */
	JSMETA_PATTERN,		/* a string that compiles as a regex */
	JSMETA_STRING,		/* an annotation string */
	JSMETA_ARRAY,		/* an annotation array */
	JSMETA_ANY,		/* any value */
	JSMETA_KIND__MAX
};

static const struct {
	const char		*name;
	enum jsmeta_kind	 kind;
} jsmeta_keywords[] = {
	{ "type", JSMETA_TYPE },
	{ "properties", JSMETA_SCHEMA_MAP },
	{ "required", JSMETA_NAMES },
	{ "additionalProperties", JSMETA_SCHEMA },
	{ "items", JSMETA_SCHEMA },
	{ "anyOf", JSMETA_SCHEMA_LIST },
	{ "enum", JSMETA_VALUES },
	{ "const", JSMETA_ANY },
	{ "minimum", JSMETA_NUMBER },
	{ "maximum", JSMETA_NUMBER },
	{ "exclusiveMinimum", JSMETA_NUMBER },
	{ "exclusiveMaximum", JSMETA_NUMBER },
	{ "minLength", JSMETA_COUNT },
	{ "maxLength", JSMETA_COUNT },
	{ "minItems", JSMETA_COUNT },
	{ "maxItems", JSMETA_COUNT },
	{ "minProperties", JSMETA_COUNT },
	{ "maxProperties", JSMETA_COUNT },
	{ "pattern", JSMETA_PATTERN },
	{ "title", JSMETA_STRING },
	{ "description", JSMETA_STRING },
	{ "format", JSMETA_STRING },
	{ "$schema", JSMETA_STRING },
	{ "$id", JSMETA_STRING },
	{ "$comment", JSMETA_STRING },
	{ "default", JSMETA_ANY },
	{ "examples", JSMETA_ARRAY },
};

static const char *const jsmeta_types[] = {
	"null", "boolean", "object", "array", "number", "string", "integer",
};


/* One check: where problems go and how many subschemas were seen. */
struct jsmeta {
	json_object	*errors;
	size_t		 before;	/* rows of "errors" before the check */
	size_t		 schemas;
};

static int	jsmeta_schema(struct jsmeta *m, json_object *s, const char *field, int depth);

/* True when the check has listed as many problems as it will. */
static int
jsmeta_full(const struct jsmeta *m)
{
	return json_object_array_length(m->errors) - m->before >= JSMETA_MAX_ERRORS;
}

static int
jsmeta_type_name(const char *n)
{
	size_t	 i;

	for (i = 0; i < NITEMS(jsmeta_types); i++)
		if (strcmp(jsmeta_types[i], n) == 0)
			return 1;
	return 0;
}

/* Checks "v" has the JSON type "t", called "what" in the message. Returns 0 or -1. */
static int
jsmeta_json_type(struct jsmeta *m, json_object *v, json_type t, const char *what,
    const char *field)
{
	if (json_object_is_type(v, t))
		return 0;
	wf_error_add(m->errors, field, "must be %s", what);
	return -1;
}

static int
jsmeta_string(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	return jsmeta_json_type(m, v, json_type_string, "a string", field);
}

static int
jsmeta_array(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	return jsmeta_json_type(m, v, json_type_array, "an array", field);
}

/* Checks an array's length against "min" and JSMETA_MAX_MEMBERS. Returns 0 or -1. */
static int
jsmeta_array_len(struct jsmeta *m, json_object *v, size_t min, const char *field)
{
	size_t	 n;

	if (jsmeta_array(m, v, field, 0) == -1)
		return -1;
	n = json_object_array_length(v);
	if (n < min || n > JSMETA_MAX_MEMBERS) {
		wf_error_add(m->errors, field, "must have %zu to %d entries", min,
		    JSMETA_MAX_MEMBERS);
		return -1;
	}
	return 0;
}

/* Checks "v" is an array of "min" to JSMETA_MAX_MEMBERS entries, and each entry with
 * "entry" (which names it "field[i]"). Returns 0 or -1. */
static int
jsmeta_each(struct jsmeta *m, json_object *v, size_t min, const char *field, int depth,
    int (*entry)(struct jsmeta *, json_object *, size_t, const char *, int))
{
	char	 f[JSMETA_FIELD];
	size_t	 i;
	int	 rc = 0;

	if (jsmeta_array_len(m, v, min, field) == -1)
		return -1;
	for (i = 0; i < json_object_array_length(v) && !jsmeta_full(m); i++) {
		snprintf(f, sizeof(f), "%s[%zu]", field, i);
		if (entry(m, v, i, f, depth) == -1)
			rc = -1;
	}
	return rc;
}

/* Checks entry "i" of array "v" is a string without NUL that no earlier entry repeats. */
static int
jsmeta_unique_string(struct jsmeta *m, json_object *v, size_t i, const char *field,
    int depth)
{
	json_object	*e = json_object_array_get_idx(v, i);
	const char	*s;
	size_t		 j;

	if (!json_object_is_type(e, json_type_string)) {
		wf_error_add(m->errors, field, "must be a string");
		return -1;
	}
	s = json_object_get_string(e);
	if (strlen(s) != (size_t)json_object_get_string_len(e)) {
		wf_error_add(m->errors, field, "must not contain NUL characters");
		return -1;
	}
	for (j = 0; j < i; j++)
		if (json_object_equal(json_object_array_get_idx(v, j), e)) {
			wf_error_add(m->errors, field, "repeats \"%.100s\"", s);
			return -1;
		}
	return 0;
}

/* Appends {field, "must be one of <the type names><tail>"} to the errors. */
static void
jsmeta_type_error(struct jsmeta *m, const char *field, const char *tail)
{
	char	 names[128] = "";
	size_t	 i, used = 0;

	for (i = 0; i < NITEMS(jsmeta_types) &&
	    used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
		    i > 0 ? ", " : "", jsmeta_types[i]);
	wf_error_add(m->errors, field, "must be one of %s%s", names, tail);
}

/* Checks entry "i" of the array of type names "v". */
static int
jsmeta_type_entry(struct jsmeta *m, json_object *v, size_t i, const char *field, int depth)
{
	if (jsmeta_unique_string(m, v, i, field, depth) == -1)
		return -1;
	if (jsmeta_type_name(json_object_get_string(json_object_array_get_idx(v, i))))
		return 0;
	jsmeta_type_error(m, field, "");
	return -1;
}

static int
jsmeta_type(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	if (!json_object_is_type(v, json_type_string))
		return jsmeta_each(m, v, 1, field, depth, jsmeta_type_entry);
	if (jsmeta_type_name(json_object_get_string(v)))
		return 0;
	jsmeta_type_error(m, field, ", or an array of them");
	return -1;
}

/* A keyword whose value is one subschema, one level deeper. */
static int
jsmeta_subschema(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	return jsmeta_schema(m, v, field, depth + 1);
}

/* Checks entry "i" of an array of subschemas. */
static int
jsmeta_subschema_entry(struct jsmeta *m, json_object *v, size_t i, const char *field,
    int depth)
{
	return jsmeta_subschema(m, json_object_array_get_idx(v, i), field, depth);
}

static int
jsmeta_schema_map(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	char	 f[JSMETA_FIELD];
	int	 rc = 0;

	if (!json_object_is_type(v, json_type_object)) {
		wf_error_add(m->errors, field, "must be an object of schemas");
		return -1;
	}
	if (json_object_object_length(v) > JSMETA_MAX_MEMBERS) {
		wf_error_add(m->errors, field, "must have at most %d members", JSMETA_MAX_MEMBERS);
		return -1;
	}
	json_object_object_foreach(v, k, sub) {
		snprintf(f, sizeof(f), "%s.%s", field, k);
		if (jsmeta_schema(m, sub, f, depth + 1) == -1)
			rc = -1;
		if (jsmeta_full(m))
			return -1;
	}
	return rc;
}

static int
jsmeta_schema_list(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	return jsmeta_each(m, v, 1, field, depth, jsmeta_subschema_entry);
}

static int
jsmeta_names(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	return jsmeta_each(m, v, 0, field, depth, jsmeta_unique_string);
}

static int
jsmeta_values(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	return jsmeta_array_len(m, v, 1, field);
}

static int
jsmeta_number(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	if (json_object_is_type(v, json_type_int) || (json_object_is_type(v, json_type_double) &&
	    isfinite(json_object_get_double(v))))
		return 0;
	wf_error_add(m->errors, field, "must be a number");
	return -1;
}

static int
jsmeta_count(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	double	 d;

	if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
		return 0;
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (isfinite(d) && d >= 0 && floor(d) == d)
			return 0;
	}
	wf_error_add(m->errors, field, "must be a non-negative integer");
	return -1;
}

static int
jsmeta_pattern(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	struct regex	*re;
	char		 err[256];

	if (jsmeta_string(m, v, field, depth) == -1)
		return -1;
	if ((re = regex_new(json_object_get_string(v), (size_t)json_object_get_string_len(v),
	    err, sizeof(err))) == NULL) {
		wf_error_add(m->errors, field, "%s", err);
		return -1;
	}
	regex_free(re);
	return 0;
}


static int
jsmeta_any(struct jsmeta *m, json_object *v, const char *field, int depth)
{
	return 0;
}

static int (*const jsmeta_checks[JSMETA_KIND__MAX])(struct jsmeta *, json_object *,
    const char *, int) = {
	[JSMETA_TYPE] = jsmeta_type,
	[JSMETA_SCHEMA] = jsmeta_subschema,
	[JSMETA_SCHEMA_MAP] = jsmeta_schema_map,
	[JSMETA_SCHEMA_LIST] = jsmeta_schema_list,
	[JSMETA_NAMES] = jsmeta_names,
	[JSMETA_VALUES] = jsmeta_values,
	[JSMETA_NUMBER] = jsmeta_number,
	[JSMETA_COUNT] = jsmeta_count,
	[JSMETA_PATTERN] = jsmeta_pattern,
	[JSMETA_STRING] = jsmeta_string,
	[JSMETA_ARRAY] = jsmeta_array,
	[JSMETA_ANY] = jsmeta_any,
};

/* Checks member "key" (value "v") of a schema; "field" names it. */
static int
jsmeta_keyword(struct jsmeta *m, const char *key, json_object *v, const char *field,
    int depth)
{
	size_t	 i;

	if (strncmp(key, "x-", 2) == 0)
		return 0;
	for (i = 0; i < NITEMS(jsmeta_keywords); i++)
		if (strcmp(jsmeta_keywords[i].name, key) == 0)
			return jsmeta_checks[jsmeta_keywords[i].kind](m, v, field, depth);
	wf_error_add(m->errors, field, "is not a keyword of the supported JSON Schema subset");
	return -1;
}

/* Checks one schema (an object or a boolean) nested "depth" levels deep. */
static int
jsmeta_schema(struct jsmeta *m, json_object *s, const char *field, int depth)
{
	char	 f[JSMETA_FIELD];
	int	 rc = 0;

	if (json_object_is_type(s, json_type_boolean))
		return 0;
	if (!json_object_is_type(s, json_type_object)) {
		wf_error_add(m->errors, field, "must be a JSON Schema (an object or a boolean)");
		return -1;
	}
	if (depth > JSCHEMA_MAX_DEPTH) {
		wf_error_add(m->errors, field, "is nested more than %d levels deep",
		    JSCHEMA_MAX_DEPTH);
		return -1;
	}
	if (++m->schemas > JSMETA_MAX_SCHEMAS) {
		if (m->schemas == JSMETA_MAX_SCHEMAS + 1)
			wf_error_add(m->errors, field, "is one subschema too many: a schema has at "
			    "most %d", JSMETA_MAX_SCHEMAS);
		return -1;
	}
	json_object_object_foreach(s, k, v) {
		snprintf(f, sizeof(f), "%s%s%s", field, *field ? "." : "", k);
		if (jsmeta_keyword(m, k, v, f, depth) == -1)
			rc = -1;
		if (jsmeta_full(m))
			return -1;
	}
	return rc;
}

int
jsmeta_check(json_object *schema, const char *path, json_object *errors)
{
	struct jsmeta	 m = { errors, json_object_array_length(errors), 0 };
	if (jsonh_size(schema, JSMETA_MAX_BYTES) > JSMETA_MAX_BYTES) {
		wf_error_add(errors, path, "is over %d bytes as JSON", JSMETA_MAX_BYTES);
		return -1;
	}
	return jsmeta_schema(&m, schema, path, 0);
}
