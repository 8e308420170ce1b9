/* validate.c: request body validation against field tables (see validate.h). */
#include "config.h"

#include <string.h>

#include "jsonh.h"
#include "password.h"
#include "validate.h"
#include "wf.h"

static const char *
type_name(json_type t)
{
	switch (t) {
	case json_type_string:	return "a string";
	case json_type_object:	return "an object";
	case json_type_array:	return "an array";
	case json_type_int:	return "an integer";
	case json_type_boolean:	return "a boolean";
	case json_type_double:	return "a number";
	default:		return "null";
	}
}

/* Checks one present member against its spec. */
static void
validate_field(const struct field_spec *fs, json_object *v, json_object *errors)
{
	size_t	 len;

	if (!json_object_is_type(v, fs->type)) {
		wf_error_add(errors, fs->name, "must be %s", type_name(fs->type));
		return;
	}
	if (fs->type != json_type_string)
		return;
	len = (size_t)json_object_get_string_len(v);
	if (fs->max_len && len > fs->max_len)
		wf_error_add(errors, fs->name, "must be at most %zu bytes", fs->max_len);
	else if (len < fs->min_len)
		wf_error_add(errors, fs->name, "must be at least %zu bytes", fs->min_len);
	else if (strlen(json_object_get_string(v)) != len)
		wf_error_add(errors, fs->name, "must not contain NUL characters");
}

int
validate_body(json_object *body, const struct field_spec *specs, size_t n, json_object *errors)
{
	size_t	 before = json_object_array_length(errors), i;
	int	 known;

	if (body == NULL || !json_object_is_type(body, json_type_object)) {
		wf_error_add(errors, "", "the body must be a JSON object");
		return -1;
	}
	json_object_object_foreach(body, key, val) {
		(void)val;
		for (known = 0, i = 0; i < n && !known; i++)
			known = strcmp(specs[i].name, key) == 0;
		if (!known)
			wf_error_add(errors, key, "unknown field");
	}
	for (i = 0; i < n; i++) {
		json_object	*v;

		if (!json_object_object_get_ex(body, specs[i].name, &v)) {
			if (specs[i].required)
				wf_error_add(errors, specs[i].name, "is required");
			continue;
		}
		validate_field(&specs[i], v, errors);
	}
	return json_object_array_length(errors) == before ? 0 : -1;
}

bool
validate_username(const char *s)
{
	size_t	 n = s ? strlen(s) : 0;

	return n >= 1 && n <= 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789_.-") == n;
}

bool
validate_email(const char *s)
{
	const char	*at;
	size_t		 n = s ? strlen(s) : 0, i;

	if (n < 3 || n > 254 || (at = strchr(s, '@')) == NULL || at == s ||
	    at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

const char *
validate_password(json_object *body, const char *field, bool required, json_object *errors)
{
	json_object	*v;

	if (!json_object_object_get_ex(body, field, &v)) {
		if (required)
			wf_error_add(errors, field, "is required");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		wf_error_add(errors, field, "must be a string");
		return NULL;
	}
	if (!password_acceptable(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v))) {
		wf_error_add(errors, field, "must be %d to %d bytes", PASSWORD_MIN, PASSWORD_MAX);
		return NULL;
	}
	return json_object_get_string(v);
}

void
validate_account(json_object *body, json_object *errors)
{
	const char	*s;

	if ((s = jsonh_get_string(body, "username")) != NULL && !validate_username(s))
		wf_error_add(errors, "username", "must be 1-64 of A-Z a-z 0-9 _ . -");
	if ((s = jsonh_get_string(body, "email")) != NULL && !validate_email(s))
		wf_error_add(errors, "email", "must be an e-mail address");
}
