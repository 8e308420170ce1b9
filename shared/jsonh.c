/* jsonh.c: json-c helpers (see jsonh.h). */
#include "config.h"

#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonh.h"
#include "utf8.h"
#include "xalloc.h"

/* "o", a json-c constructor's answer, which is NULL only when memory ran out. */
static json_object *
jsonh_made(json_object *o, size_t size)
{
	if (o == NULL)
		xalloc_die(size);
	return o;
}

json_object *
jsonh_new_object(void)
{
	return jsonh_made(json_object_new_object(), 0);
}

json_object *
jsonh_new_array(void)
{
	return jsonh_made(json_object_new_array(), 0);
}

json_object *
jsonh_new_array_ext(int n)
{
	assert(n >= 0);
	return jsonh_made(json_object_new_array_ext(n), (size_t)n * sizeof(void *));
}

json_object *
jsonh_new_string(const char *s)
{
	assert(s != NULL);
	return jsonh_made(json_object_new_string(s), strlen(s) + 1);
}

json_object *
jsonh_new_string_len(const char *s, int len)
{
	assert(len >= 0);
	return jsonh_made(json_object_new_string_len(s, len), (size_t)len + 1);
}

json_object *
jsonh_new_int(int32_t i)
{
	return jsonh_made(json_object_new_int(i), 0);
}

json_object *
jsonh_new_int64(int64_t i)
{
	return jsonh_made(json_object_new_int64(i), 0);
}

json_object *
jsonh_new_boolean(int b)
{
	return jsonh_made(json_object_new_boolean(b), 0);
}

json_object *
jsonh_new_double(double d)
{
	return jsonh_made(json_object_new_double(d), 0);
}

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
	/* RFC 8259 §8.1: JSON exchanged between systems is UTF-8. PostgreSQL stores nothing
	 * else, and json-c's own check lets overlong forms and surrogates through. */
	if ((used = utf8_check(text, len)) < len) {
		snprintf(err, errlen, "invalid JSON at offset %zu: not UTF-8", used);
		return -1;
	}
	if ((tok = json_tokener_new_ex(JSONH_MAX_DEPTH)) == NULL)
		xalloc_die(sizeof(*tok));
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

/* The length of the "n" bytes of "s" as a JSON string in jsonh_str's form, quotes
 * included. */
static size_t
jsonh_string_size(const char *s, size_t n)
{
	size_t	 i, len = 2;

	for (i = 0; i < n; i++)
		if (strchr("\"\\\b\f\n\r\t", s[i]) != NULL && s[i] != '\0')
			len += 2;
		else if ((unsigned char)s[i] < 0x20)
			len += 6;
		else
			len++;
	return len;
}

/* The length of a number as printf prints it (a double's own text may differ a little). */
static size_t
jsonh_number_size(json_object *obj)
{
	char	 buf[64];
	int	 n;

	if (json_object_is_type(obj, json_type_int))
		n = snprintf(buf, sizeof(buf), "%lld", (long long)json_object_get_int64(obj));
	else
		n = snprintf(buf, sizeof(buf), "%.17g", json_object_get_double(obj));
	return n > 0 ? (size_t)n : 0;
}

size_t
jsonh_size(json_object *obj, size_t limit)
{
	size_t	 n = 2, i, len;

	switch (obj == NULL ? json_type_null : json_object_get_type(obj)) {
	case json_type_boolean:
		return json_object_get_boolean(obj) ? 4 : 5;
	case json_type_int:
	case json_type_double:
		return jsonh_number_size(obj);
	case json_type_string:
		return jsonh_string_size(json_object_get_string(obj),
		    (size_t)json_object_get_string_len(obj));
	case json_type_array:
		len = json_object_array_length(obj);
		for (i = 0; i < len && n <= limit; i++)
			n += (i > 0) + jsonh_size(json_object_array_get_idx(obj, i), limit - n);
		return n;
	case json_type_object:
		i = 0;
		json_object_object_foreach(obj, k, v) {
			if (n > limit)
				break;
			n += (i++ > 0) + jsonh_string_size(k, strlen(k)) + 1;
			n += n <= limit ? jsonh_size(v, limit - n) : 0;
		}
		return n;
	default:
		return 4;	/* null */
	}
}

json_object *
jsonh_string_or_null(const char *s)
{
	return s == NULL ? NULL : jsonh_new_string(s);
}

json_object *
jsonh_copy(json_object *obj)
{
	json_object	*dst = NULL;

	if (obj == NULL)
		return NULL;
	/* With a NULL "dst" and no serializer hook, only allocation can fail. */
	if (json_object_deep_copy(obj, &dst, NULL) != 0)
		xalloc_die(0);
	return dst;
}

bool
jsonh_storable(json_object *o)
{
	size_t	 i;

	switch (json_object_get_type(o)) {
	case json_type_string:
		return utf8_storable(json_object_get_string(o),
		    (size_t)json_object_get_string_len(o));
	case json_type_array:
		for (i = 0; i < json_object_array_length(o); i++)
			if (!jsonh_storable(json_object_array_get_idx(o, i)))
				return false;
		return true;
	case json_type_object: {
		json_object_object_foreach(o, k, v)
			if (!utf8_storable(k, strlen(k)) || !jsonh_storable(v))
				return false;
		return true;
	}
	default:
		return true;
	}
}

/* A new string of the "len" bytes of "s" made storable, or NULL when it would be longer
 * than a json-c string can be. */
static json_object *
jsonh_clean_string(const char *s, size_t len)
{
	json_object	*o = NULL;
	struct buf	 b;

	buf_init(&b);
	utf8_clean(s, len, &b);
	if (b.len <= (size_t)INT32_MAX)
		o = jsonh_new_string_len(b.data, (int)b.len);
	buf_clear(&b);
	return o;
}

/* A storable copy of "o" (a new reference; scalars other than strings are shared). */
static json_object *
jsonh_clean_copy(json_object *o)
{
	json_object	*c, *k2;
	size_t		 i;

	switch (json_object_get_type(o)) {
	case json_type_string:
		return jsonh_clean_string(json_object_get_string(o),
		    (size_t)json_object_get_string_len(o));
	case json_type_array:
		c = jsonh_new_array_ext((int)json_object_array_length(o));
		for (i = 0; i < json_object_array_length(o); i++)
			json_object_array_add(c, jsonh_clean_copy(json_object_array_get_idx(o, i)));
		return c;
	case json_type_object:
		c = jsonh_new_object();
		json_object_object_foreach(o, k, v) {
			if ((k2 = jsonh_clean_string(k, strlen(k))) == NULL)
				continue;
			json_object_object_add(c, json_object_get_string(k2), jsonh_clean_copy(v));
			json_object_put(k2);
		}
		return c;
	default:
		return json_object_get(o);
	}
}

json_object *
jsonh_make_storable(json_object *o)
{
	json_object	*c;

	if (jsonh_storable(o))
		return o;
	c = jsonh_clean_copy(o);
	json_object_put(o);
	return c;
}

/* One member of an object being put in stored order. */
struct jsonh_member {
	const char	*name;
	json_object	*value;
};

/* jsonb's order of member names: shorter first, then bytewise. */
static int
jsonh_name_cmp(const char *x, const char *y)
{
	size_t	 lx = strlen(x), ly = strlen(y);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return memcmp(x, y, lx);
}

static int
jsonh_member_cmp(const void *a, const void *b)
{
	return jsonh_name_cmp(((const struct jsonh_member *)a)->name,
	    ((const struct jsonh_member *)b)->name);
}

/* "o" in stored order: a new reference ("o" itself, with a reference taken, when it already
 * is). */
static json_object *
jsonh_stored_copy(json_object *o)
{
	struct jsonh_member	*m;
	json_object		*c, *v, **vals;
	size_t			 n, i, k = 0;
	bool			 changed = false;

	if (json_object_is_type(o, json_type_array)) {
		n = json_object_array_length(o);
		vals = xcalloc(n + 1, sizeof(*vals));
		for (i = 0; i < n; i++) {
			v = json_object_array_get_idx(o, i);
			vals[i] = jsonh_stored_copy(v);
			changed |= vals[i] != v;
		}
		c = changed ? json_object_new_array_ext((int)n) : json_object_get(o);
		for (i = 0; i < n; i++) {
			if (changed)
				json_object_array_add(c, vals[i]);
			else
				json_object_put(vals[i]);
		}
		free(vals);
		return c;
	}
	if (!json_object_is_type(o, json_type_object))
		return json_object_get(o);
	n = (size_t)json_object_object_length(o);
	m = xcalloc(n + 1, sizeof(*m));
	{
		json_object_object_foreach(o, name, val) {
			m[k].name = name;
			m[k].value = jsonh_stored_copy(val);
			changed |= m[k].value != val;
			if (k > 0 && jsonh_name_cmp(m[k - 1].name, name) > 0)
				changed = true;
			k++;
		}
	}
	if (!changed) {
		for (i = 0; i < k; i++)
			json_object_put(m[i].value);
		free(m);
		return json_object_get(o);
	}
	qsort(m, k, sizeof(*m), jsonh_member_cmp);
	c = json_object_new_object();
	for (i = 0; i < k; i++)
		json_object_object_add(c, m[i].name, m[i].value);
	free(m);
	return c;
}

json_object *
jsonh_stored_order(json_object *o)
{
	json_object	*c;

	if (o == NULL)
		return NULL;
	c = jsonh_stored_copy(o);
	json_object_put(o);
	return c;
}
