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

#endif
