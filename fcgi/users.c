/* users.c: user management for admins: list, create, get, PATCH (email, password, role,
 * disabled), delete. The last enabled administrator can be neither demoted, disabled nor
 * deleted (409). Every change of role or disabled state and every deletion reaches the
 * user's next request at once (sql/040_user_state.sql notifies every process's cache). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "account.h"
#include "apimetrics.h"
#include "auth.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "listing.h"
#include "log.h"
#include "password.h"
#include "session.h"
#include "validate.h"

static const char SQL_USERS_LOCK[] = "SELECT pg_advisory_xact_lock(7419001)";
static const char SQL_USERS_LIST[] =
	"SELECT " USER_JSON ", " LIST_SQL_KEYS("u") " FROM users u WHERE "
	"($1::uuid IS NULL OR true) AND " LIST_SQL_CURSOR("u") " AND ($5::text IS NULL OR "
	"strpos(lower(u.username), lower($5)) > 0 OR strpos(lower(u.email), lower($5)) > 0)"
	LIST_SQL_ORDER("u");
static const char SQL_USER_GET[] = "SELECT " USER_JSON " FROM users u WHERE u.id = $1";
/* The enabled administrators: the last one can be neither demoted, disabled nor deleted. */
#define SQL_LAST_ADMIN \
	"role = 'admin' AND NOT disabled AND " \
	"(SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled) <= 1"
/* $2 email, $3 hash, $4 role, $5 disabled (NULL: unchanged). A new password or disabling
 * raises the token epoch: the user's access tokens stop working. */
static const char SQL_USER_PATCH[] =
	"UPDATE users AS u SET email = COALESCE($2, email), "
	"password_hash = COALESCE($3, password_hash), role = COALESCE($4, role), "
	"disabled = COALESCE($5::boolean, disabled), token_epoch = token_epoch + "
	"CASE WHEN $3::text IS NOT NULL OR ($5::boolean AND NOT disabled) THEN 1 ELSE 0 END, "
	"failed_logins = CASE WHEN $3::text IS NULL THEN failed_logins ELSE 0 END, "
	"locked_until = CASE WHEN $3::text IS NULL THEN locked_until END, updated_at = now() "
	"WHERE id = $1 AND NOT (" SQL_LAST_ADMIN " AND "
	"(COALESCE($4, 'admin') <> 'admin' OR COALESCE($5::boolean, false))) "
	"RETURNING " USER_JSON;
static const char SQL_USER_REVOKE[] =
	"UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL";
static const char SQL_USER_DELETE[] =
	"DELETE FROM users WHERE id = $1 AND NOT (" SQL_LAST_ADMIN ") RETURNING id";
static const char SQL_USER_EXISTS[] = "SELECT 1 FROM users WHERE id = $1";

int
users_list(struct req *rq)
{
	return list_page(rq, SQL_USERS_LIST, NULL);
}

int
users_get(struct req *rq)
{
	return resp_row(rq, 200, SQL_USER_GET, 1, (const char *[]){ rq->args[0] });
}

int
users_create(struct req *rq)
{
	json_object		*body = rq->json, *errors = jsonh_new_array();
	struct account_new	 a;
	PGresult		*res = NULL;
	enum db_rc		 drc;
	int			 rc = 0;

	if (account_prepare(rq, body, errors, "the user is invalid", &a) == -1)
		goto out;
	drc = account_insert(rq, &a, body, jsonh_get_string(body, "role"), true, &res);
	if (drc != DB_OK)
		rc = resp_db_error(rq, drc);
	else
		rc = resp_raw_json(rq, 201, PQgetvalue(res, 0, 2),
		    (size_t)PQgetlength(res, 0, 2));
	PQclear(res);
out:
	json_object_put(errors);
	return rc;
}

/* Answers a change of user rq->args[0] that did not commit ("drc"), after rolling it back:
 * a database error, the last enabled administrator kept from being "what" (the statement
 * found no row it may change though the user exists), or 404. */
static int
users_change_refused(struct req *rq, enum db_rc drc, const char *what)
{
	PGresult	*res = NULL;
	char		 detail[96];

	db_rollback(rq);
	if (drc != DB_NOTFOUND)
		return resp_db_error(rq, drc);
	if (db_row(rq->app->db, SQL_USER_EXISTS, 1, (const char *[]){ rq->args[0] }, &res) ==
	    DB_OK) {
		PQclear(res);
		snprintf(detail, sizeof(detail), "the last enabled administrator cannot be %s", what);
		return resp_problem(rq, 409, detail, NULL);
	}
	return resp_problem(rq, 404, "not found", NULL);
}

/* Runs the PATCH under the users lock; revokes sessions when the password or the role
 * changed or the user was disabled. */
static int
users_patch_apply(struct req *rq, json_object *body, const char *hash)
{
	json_object	*d = jsonh_get_typed(body, "disabled", json_type_boolean);
	const char	*role = jsonh_get_string(body, "role");
	const char	*disabled = d == NULL ? NULL : json_object_get_boolean(d) ? "true" :
			    "false";
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	if ((drc = db_begin(rq)) != DB_OK)
		return resp_db_error(rq, drc);
	if ((drc = db_exec(rq->app->db, SQL_USERS_LOCK, 0, NULL, NULL)) != DB_OK ||
	    (drc = db_row(rq->app->db, SQL_USER_PATCH, 5, (const char *[]){ rq->args[0],
	    jsonh_get_string(body, "email"), hash, role, disabled }, &res)) != DB_OK ||
	    ((hash != NULL || role != NULL || (disabled != NULL && disabled[0] == 't')) &&
	    (drc = db_exec(rq->app->db, SQL_USER_REVOKE, 1, (const char *[]){ rq->args[0] },
	    NULL)) != DB_OK) || (drc = db_commit(rq)) != DB_OK) {
		PQclear(res);
		return users_change_refused(rq, drc, "demoted or disabled");
	}
	api_metrics_auth_changed();	/* every process's cache, before the answer leaves */
	rc = resp_raw_json(rq, 200, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

int
users_patch(struct req *rq)
{
	json_object	*body = rq->json, *errors = jsonh_new_array();
	char		 hash[PASSWORD_HASH_MAX];
	const char	*pw;
	int		 rc;

	pw = validate_account(body, errors);
	if (json_object_array_length(errors) > 0) {
		rc = resp_problem(rq, 422, "the change is invalid", errors);
		goto out;
	}
	if (pw != NULL && password_hash(pw, hash) != PASSWORD_OK) {
		rc = resp_problem(rq, 503, "cannot hash the password now, try again", NULL);
		goto out;
	}
	rc = users_patch_apply(rq, body, pw != NULL ? hash : NULL);
	explicit_bzero(hash, sizeof(hash));
out:
	json_object_put(errors);
	return rc;
}

int
users_delete(struct req *rq)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;

	if ((drc = db_begin(rq)) != DB_OK)
		return resp_db_error(rq, drc);
	if ((drc = db_exec(rq->app->db, SQL_USERS_LOCK, 0, NULL, NULL)) != DB_OK ||
	    (drc = db_row(rq->app->db, SQL_USER_DELETE, 1, (const char *[]){ rq->args[0] },
	    &res)) != DB_OK || (drc = db_commit(rq)) != DB_OK) {
		PQclear(res);
		return users_change_refused(rq, drc, "deleted");
	}
	PQclear(res);
	api_metrics_auth_changed();
	log_info(LOG_IDS(rq->request_id, NULL), "user %s deleted by %s", rq->args[0],
	    rq->user.user_id);
	return resp_no_content(rq);
}
