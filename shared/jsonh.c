/* jsonh.c: json-c helpers (see jsonh.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "jsonh.h"

int
jsonh_parse(const char *text, size_t len, json_object **out, char *err, size_t errlen)
{
	struct json_tokener	*tok;
	json_object		*obj;
	enum json_tokener_error	 jerr;
	size_t			 used;
	int			 flushed = 0;
	int			 rc = -1;

	*out = NULL;
	if (len > (size_t)INT32_MAX) {
		snprintf(err, errlen, "document too large");
		return -1;
	}
	if ((tok = json_tokener_new_ex(JSONH_MAX_DEPTH)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue) {
		/* A number at the very end may still be growing: a NUL ends it. */
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		flushed = 1;
	}
	if (jerr == json_tokener_continue) {
		snprintf(err, errlen, "unexpected end of JSON");
		goto out;
	}
	if (jerr != json_tokener_success) {
		snprintf(err, errlen, "invalid JSON at offset %zu: %s",
		    json_tokener_get_parse_end(tok), json_tokener_error_desc(jerr));
		goto out;
	}
	/* After a flush, the whole input was consumed. */
	used = flushed ? len : json_tokener_get_parse_end(tok);
	for (; used < len; used++)
		if (!isspace((unsigned char)text[used])) {
			snprintf(err, errlen, "trailing data after JSON at offset %zu", used);
			json_object_put(obj);
			goto out;
		}
	*out = obj;
	rc = 0;
out:
	json_tokener_free(tok);
	return rc;
}

json_object *
jsonh_get_typed(json_object *obj, const char *key, json_type type)
{
	json_object	*v;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

const char *
jsonh_get_string(json_object *obj, const char *key)
{
	json_object	*v = jsonh_get_typed(obj, key, json_type_string);

	return v == NULL ? NULL : json_object_get_string(v);
}

const char *
jsonh_str(json_object *obj)
{
	size_t	 len;

	return jsonh_str_len(obj, &len);
}

const char *
jsonh_str_len(json_object *obj, size_t *len)
{
	if (obj == NULL) {
		*len = 4;
		return "null";
	}
	return json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

json_object *
jsonh_string_or_null(const char *s)
{
	return s == NULL ? NULL : json_object_new_string(s);
}

json_object *
jsonh_copy(json_object *obj)
{
	json_object	*dst = NULL;

	if (obj == NULL)
		return NULL;
	if (json_object_deep_copy(obj, &dst, NULL) != 0)
		return NULL;
	return dst;
}
