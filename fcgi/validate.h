/* validate.h: declarative checks of JSON request bodies (field table → {field, message} rows). */
#ifndef FRAGENT_VALIDATE_H
#define FRAGENT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

struct field_spec {
	const char	*name;
	json_type	 type;
	bool		 required;
	size_t		 max_len;	/* strings: bytes; 0 means no limit */
	size_t		 min_len;	/* strings */
};

/* Checks "body" is an object whose members all appear in "specs" ("n" rows) with the declared
 * types and bounds; appends a {field, message} row to "errors" for each problem.
 * Returns 0 when valid, -1 otherwise. */
int	validate_body(json_object *body, const struct field_spec *specs, size_t n,
	    json_object *errors);

/* True when "s" is 1-64 of [A-Za-z0-9_.-]. */
bool	validate_username(const char *s);
/* True when "s" looks like an e-mail address: 3-254 bytes, one "@" with text on both sides,
 * no spaces or control characters. */
bool	validate_email(const char *s);
/* Checks the "username" and "email" members of an account body when present; appends
 * error rows. */
void	validate_account(json_object *body, json_object *errors);
/* Checks the password member "field" of "body" (8-1024 bytes, no NUL) when present, or
 * "required"; appends an error row. Returns the password (borrowed) or NULL. */
const char *validate_password(json_object *body, const char *field, bool required,
	    json_object *errors);

#endif
