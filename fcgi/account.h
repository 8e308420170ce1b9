/* account.h: a new user account, the one way both routes that make one (POST /auth/register
 * and the admins' POST /users) make it: the body checked, the password hashed, one INSERT. */
#ifndef FRAGENT_ACCOUNT_H
#define FRAGENT_ACCOUNT_H

#include <stdbool.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "password.h"
#include "uuid.h"

struct req;

/* A new account's id and password hash, ready to insert. */
struct account_new {
	char		 id[UUID_STRLEN + 1];
	char		 hash[PASSWORD_HASH_MAX];
};

/* Checks the e-mail and password rules of "body" (which its route's schema checked), plus
 * "errors" already found by the caller, and hashes the password into "a". Returns 0, or -1
 * after answering 422 titled "invalid" or 503. */
int	account_prepare(struct req *rq, json_object *body, json_object *errors,
	    const char *invalid, struct account_new *a);
/* Inserts account "a" of "body" with "role", or with NULL the role of a sign-up (admin for the
 * first user, else viewer; refused unless "open" or there is no user yet). Within the
 * caller's transaction when there is one. Returns a db_rc; on DB_OK "*res" holds one row:
 * role, token_epoch, the user's JSON (session.h USER_JSON). The hash in "a" is wiped. */
int	account_insert(struct req *rq, struct account_new *a, json_object *body,
	    const char *role, bool open, PGresult **res);

#endif
