/* validate.h: the checks of request bodies that JSON Schema cannot say: no NUL character in
 * any string (PostgreSQL stores none), and the account rules (an e-mail address's form, a
 * password's length in bytes). Each problem becomes a {field, message} row. */
#ifndef FRAGENT_VALIDATE_H
#define FRAGENT_VALIDATE_H

#include <stdbool.h>

#include <json-c/json.h>

#define VALIDATE_MAX_NUL_ERRORS	20	/* strings with a NUL listed by one check */

/* Appends a row for each string of "doc" (member names aside) that holds a NUL character,
 * its field being "path" followed by the members and indexes leading to it (at most
 * VALIDATE_MAX_NUL_ERRORS rows). */
void	validate_no_nul(json_object *doc, const char *path, json_object *errors);
/* True when "s" looks like an e-mail address: 3-254 bytes, one "@" with text on both sides,
 * no spaces or control characters. */
bool	validate_email(const char *s);
/* Checks the "email" and "password" members of an account body when present (the schema
 * checked their types); appends error rows. Returns the password (borrowed) when present
 * and acceptable, else NULL. */
const char *validate_account(json_object *body, json_object *errors);

#endif
