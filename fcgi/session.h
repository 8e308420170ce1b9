/* session.h: a signed-in browser or client: a 15-minute access JWT in the answer's body and
 * a rotating refresh token in an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth. */
#ifndef FRAGENT_SESSION_H
#define FRAGENT_SESSION_H

#include "req.h"

#define SESSION_COOKIE		"fragent_refresh"
#define SESSION_COOKIE_PATH	"/api/v1/auth"
#define SESSION_REFRESH_TTL	1209600		/* seconds: 14 days */

/* SQL of a user as the API shows it, over table alias u. */
#define USER_JSON \
	"json_build_object('id', u.id, 'username', u.username, 'email', u.email, " \
	"'role', u.role, 'disabled', u.disabled, 'created_at', u.created_at, " \
	"'updated_at', u.updated_at)"

/* Starts a new refresh family for "user_id" and answers "status" with {user ("user_json",
 * already serialised), access_token (for "role" and the user's token epoch "epoch", as the
 * database writes it), token_type, expires_in} and the cookie. Returns 0. */
int	session_start(struct req *rq, int status, const char *user_id, const char *role,
	    const char *epoch, const char *user_json);

#endif
