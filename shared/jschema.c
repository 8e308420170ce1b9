/* jschema.c: a JSON Schema subset validator over json-c (see jschema.h). */
#include "config.h"

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "jschema.h"
#include "jsonh.h"
#include "wf.h"

#define JSCHEMA_MAX_DEPTH	32
#define JSCHEMA_PATH		256

static int	jschema_check(json_object *s, json_object *d, const char *path,
		    json_object *errors, int depth);

/* True when "d" has the JSON Schema type called "t". */
static int
jschema_is_type(json_object *d, const char *t)
{
	double	 v;

	if (strcmp(t, "null") == 0)
		return d == NULL;
	if (d == NULL)
		return 0;
	if (strcmp(t, "object") == 0)
		return json_object_is_type(d, json_type_object);
	if (strcmp(t, "array") == 0)
		return json_object_is_type(d, json_type_array);
	if (strcmp(t, "string") == 0)
		return json_object_is_type(d, json_type_string);
	if (strcmp(t, "boolean") == 0)
		return json_object_is_type(d, json_type_boolean);
	if (strcmp(t, "number") == 0)
		return json_object_is_type(d, json_type_int) ||
		    json_object_is_type(d, json_type_double);
	if (strcmp(t, "integer") == 0) {
		if (json_object_is_type(d, json_type_int))
			return 1;
		if (!json_object_is_type(d, json_type_double))
			return 0;
		v = json_object_get_double(d);
		return isfinite(v) && floor(v) == v;
	}
	return 0;
}

/* Checks "type"; returns 0 when it matches (or is absent). */
static int
jschema_type(json_object *s, json_object *d, const char *path, json_object *errors)
{
	json_object	*t;
	char		 names[128] = "";
	size_t		 i;

	if (!json_object_object_get_ex(s, "type", &t))
		return 0;
	if (json_object_is_type(t, json_type_string)) {
		if (jschema_is_type(d, json_object_get_string(t)))
			return 0;
		snprintf(names, sizeof(names), "%s", json_object_get_string(t));
	} else if (json_object_is_type(t, json_type_array)) {
		for (i = 0; i < json_object_array_length(t); i++) {
			const char *n = json_object_get_string(json_object_array_get_idx(t, i));

			if (jschema_is_type(d, n))
				return 0;
			if (i > 0)
				strncat(names, " or ", sizeof(names) - strlen(names) - 1);
			strncat(names, n, sizeof(names) - strlen(names) - 1);
		}
	} else
		return 0;
	wf_error_add(errors, path, "must be of type %s", names);
	return -1;
}

/* The number of UTF-8 code points of "s" ("n" bytes). */
static size_t
jschema_codepoints(const char *s, size_t n)
{
	size_t	 i, cp = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cp++;
	return cp;
}

/* Reads numeric keyword "k" of "s" into "out". Returns 1 when present. */
static int
jschema_num(json_object *s, const char *k, double *out)
{
	json_object	*v;

	if (!json_object_object_get_ex(s, k, &v) || v == NULL ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return 0;
	*out = json_object_get_double(v);
	return 1;
}

static void
jschema_string(json_object *s, json_object *d, const char *path, json_object *errors)
{
	const char	*str = json_object_get_string(d);
	size_t		 cp = jschema_codepoints(str, (size_t)json_object_get_string_len(d));
	const char	*pat;
	regex_t		 re;
	double		 lim;

	if (jschema_num(s, "minLength", &lim) && (double)cp < lim)
		wf_error_add(errors, path, "must be at least %.0f characters", lim);
	if (jschema_num(s, "maxLength", &lim) && (double)cp > lim)
		wf_error_add(errors, path, "must be at most %.0f characters", lim);
	if ((pat = jsonh_get_string(s, "pattern")) != NULL &&
	    regcomp(&re, pat, REG_EXTENDED | REG_NOSUB) == 0) {
		if (regexec(&re, str, 0, NULL, 0) != 0)
			wf_error_add(errors, path, "must match the pattern %s", pat);
		regfree(&re);
	}
}

static void
jschema_number(json_object *s, json_object *d, const char *path, json_object *errors)
{
	double	 v = json_object_get_double(d), lim;

	if (jschema_num(s, "minimum", &lim) && v < lim)
		wf_error_add(errors, path, "must be at least %g", lim);
	if (jschema_num(s, "maximum", &lim) && v > lim)
		wf_error_add(errors, path, "must be at most %g", lim);
	if (jschema_num(s, "exclusiveMinimum", &lim) && v <= lim)
		wf_error_add(errors, path, "must be greater than %g", lim);
	if (jschema_num(s, "exclusiveMaximum", &lim) && v >= lim)
		wf_error_add(errors, path, "must be less than %g", lim);
}

static void
jschema_object(json_object *s, json_object *d, const char *path, json_object *errors,
    int depth)
{
	json_object	*props = jsonh_get_typed(s, "properties", json_type_object);
	json_object	*req = jsonh_get_typed(s, "required", json_type_array);
	json_object	*addl = NULL, *sub;
	char		 p[JSCHEMA_PATH];
	size_t		 i;

	json_object_object_get_ex(s, "additionalProperties", &addl);
	for (i = 0; req != NULL && i < json_object_array_length(req); i++) {
		const char *k = json_object_get_string(json_object_array_get_idx(req, i));

		if (!json_object_object_get_ex(d, k, NULL)) {
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", k);
			wf_error_add(errors, p, "is required");
		}
	}
	json_object_object_foreach(d, k, v) {
		snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", k);
		if (props != NULL && json_object_object_get_ex(props, k, &sub))
			jschema_check(sub, v, p, errors, depth + 1);
		else if (addl != NULL && json_object_is_type(addl, json_type_boolean) &&
		    !json_object_get_boolean(addl))
			wf_error_add(errors, p, "unknown field");
		else if (addl != NULL && json_object_is_type(addl, json_type_object))
			jschema_check(addl, v, p, errors, depth + 1);
	}
}

static void
jschema_array(json_object *s, json_object *d, const char *path, json_object *errors, int depth)
{
	json_object	*items = jsonh_get_typed(s, "items", json_type_object);
	size_t		 n = json_object_array_length(d), i;
	char		 p[JSCHEMA_PATH];
	double		 lim;

	if (jschema_num(s, "minItems", &lim) && (double)n < lim)
		wf_error_add(errors, path, "must have at least %.0f items", lim);
	if (jschema_num(s, "maxItems", &lim) && (double)n > lim)
		wf_error_add(errors, path, "must have at most %.0f items", lim);
	for (i = 0; items != NULL && i < n; i++) {
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		jschema_check(items, json_object_array_get_idx(d, i), p, errors, depth + 1);
	}
}

/* Checks "enum" and "const". */
static void
jschema_values(json_object *s, json_object *d, const char *path, json_object *errors)
{
	json_object	*e, *c;
	size_t		 i;
	int		 found = 0;

	if (json_object_object_get_ex(s, "const", &c) && !json_object_equal(c, d))
		wf_error_add(errors, path, "must be %s", jsonh_str(c));
	if ((e = jsonh_get_typed(s, "enum", json_type_array)) == NULL)
		return;
	for (i = 0; i < json_object_array_length(e) && !found; i++)
		found = json_object_equal(json_object_array_get_idx(e, i), d);
	if (!found)
		wf_error_add(errors, path, "must be one of %s", jsonh_str(e));
}

/* Checks "anyOf": at least one branch must accept "d". */
static void
jschema_any_of(json_object *s, json_object *d, const char *path, json_object *errors,
    int depth)
{
	json_object	*any = jsonh_get_typed(s, "anyOf", json_type_array), *scratch;
	size_t		 i;
	int		 ok = 0;

	if (any == NULL)
		return;
	for (i = 0; i < json_object_array_length(any) && !ok; i++) {
		scratch = json_object_new_array();
		ok = jschema_check(json_object_array_get_idx(any, i), d, path, scratch,
		    depth + 1) == 0;
		json_object_put(scratch);
	}
	if (!ok)
		wf_error_add(errors, path, "matches none of the allowed forms");
}

static int
jschema_check(json_object *s, json_object *d, const char *path, json_object *errors,
    int depth)
{
	size_t	 before = json_object_array_length(errors);

	if (s == NULL || !json_object_is_type(s, json_type_object))
		return 0;	/* true or {}: anything goes */
	if (depth > JSCHEMA_MAX_DEPTH) {
		wf_error_add(errors, path, "nested too deeply");
		return -1;
	}
	if (jschema_type(s, d, path, errors) == -1)
		return -1;
	jschema_values(s, d, path, errors);
	jschema_any_of(s, d, path, errors, depth);
	if (d != NULL && json_object_is_type(d, json_type_string))
		jschema_string(s, d, path, errors);
	else if (d != NULL && (json_object_is_type(d, json_type_int) ||
	    json_object_is_type(d, json_type_double)))
		jschema_number(s, d, path, errors);
	else if (d != NULL && json_object_is_type(d, json_type_object))
		jschema_object(s, d, path, errors, depth);
	else if (d != NULL && json_object_is_type(d, json_type_array))
		jschema_array(s, d, path, errors, depth);
	return json_object_array_length(errors) == before ? 0 : -1;
}

int
jschema_validate(json_object *schema, json_object *doc, const char *path, json_object *errors)
{
	return jschema_check(schema, doc, path, errors, 0);
}

json_object *
jschema_parse(const char *text)
{
	json_object	*o = NULL;
	char		 err[128];

	if (jsonh_parse(text, strlen(text), &o, err, sizeof(err)) == -1)
		return NULL;
	return o;
}
