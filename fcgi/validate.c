/* validate.c: the body checks beyond the request schemas (see validate.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jsonh.h"
#include "password.h"
#include "validate.h"
#include "wf.h"

/* validate_no_nul's walk: "*left" rows may still be added. */
static void
validate_nul_walk(json_object *v, const char *path, json_object *errors, int *left)
{
	char	 p[256];
	size_t	 i;

	if (*left <= 0)
		return;
	switch (json_object_get_type(v)) {
	case json_type_string:
		if (strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v)) {
			wf_error_add(errors, path, "must not contain NUL characters");
			(*left)--;
		}
		break;
	case json_type_array:
		for (i = 0; i < json_object_array_length(v); i++) {
			snprintf(p, sizeof(p), "%s[%zu]", path, i);
			validate_nul_walk(json_object_array_get_idx(v, i), p, errors, left);
		}
		break;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
			validate_nul_walk(val, p, errors, left);
		}
		break;
	}
	default:
		break;
	}
}

void
validate_no_nul(json_object *doc, const char *path, json_object *errors)
{
	int	 left = VALIDATE_MAX_NUL_ERRORS;

	/* The parser bounds the depth (JSONH_MAX_DEPTH), so the recursion is bounded too. */
	validate_nul_walk(doc, path, errors, &left);
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
validate_account(json_object *body, json_object *errors)
{
	json_object	*pw;
	const char	*s;

	if ((s = jsonh_get_string(body, "email")) != NULL && !validate_email(s))
		wf_error_add(errors, "email", "must be an e-mail address");
	if ((pw = jsonh_get_typed(body, "password", json_type_string)) == NULL)
		return NULL;
	/* The schema counts characters; the hash's cost follows bytes. */
	if (!password_acceptable(json_object_get_string(pw),
	    (size_t)json_object_get_string_len(pw))) {
		wf_error_add(errors, "password", "must be %d to %d bytes", PASSWORD_MIN,
		    PASSWORD_MAX);
		return NULL;
	}
	return json_object_get_string(pw);
}
