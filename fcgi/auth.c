/* auth.c: /auth/setup, /auth/register (the first user becomes admin), /auth/login (same
 * answer and time for a missing user and a wrong password; per-account back-off; a disabled
 * account is refused), /auth/me. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "account.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "log.h"
#include "password.h"
#include "session.h"

#define LOGIN_FREE_FAILURES	5	/* failures before the back-off starts */

static const char SQL_USERS_EXIST[] = "SELECT EXISTS (SELECT 1 FROM users)";
/* Serialises sign-ups and admin changes so "the first user" and "the last admin" hold. */
static const char SQL_USERS_LOCK[] = "SELECT pg_advisory_xact_lock(7419001)";
/* The first administrator adopts what was made before accounts existed. */
static const char SQL_ADOPT[] =
	"WITH a AS (UPDATE agents SET owner_id = $1 WHERE owner_id IS NULL), "
	"w AS (UPDATE workflows SET owner_id = $1 WHERE owner_id IS NULL), "
	"c AS (UPDATE credentials SET owner_id = $1 WHERE owner_id IS NULL) "
	"UPDATE executions SET owner_id = $1 WHERE owner_id IS NULL";
static const char SQL_LOGIN_FIND[] =
	"SELECT u.id, u.role, u.password_hash, "
	"COALESCE(u.locked_until > now(), false), " USER_JSON ", u.disabled, u.token_epoch "
	"FROM users u "
	"WHERE u.username = $1 OR lower(u.email) = lower($1) LIMIT 1";
static const char SQL_LOGIN_FAILED[] =
	"UPDATE users SET failed_logins = failed_logins + 1, locked_until = CASE "
	"WHEN failed_logins + 1 >= $2::int THEN now() + make_interval(secs => "
	"power(2, least(failed_logins + 1 - $2::int, 10))) ELSE locked_until END WHERE id = $1";
static const char SQL_LOGIN_OK[] =
	"UPDATE users SET failed_logins = 0, locked_until = NULL "
	"WHERE id = $1 AND failed_logins > 0";
static const char SQL_ME[] = "SELECT " USER_JSON " FROM users u WHERE u.id = $1";

int
auth_setup_get(struct req *rq)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	char		 body[96];
	int		 n;

	if ((drc = db_row(rq->app->db, SQL_USERS_EXIST, 0, NULL, &res)) != DB_OK)
		return resp_db_error(rq, drc);
	n = snprintf(body, sizeof(body), "{\"needs_setup\":%s,\"open_signup\":%s}",
	    PQgetvalue(res, 0, 0)[0] == 't' ? "false" : "true",
	    rq->app->open_signup ? "true" : "false");
	PQclear(res);
	return resp_raw_json(rq, 200, body, (size_t)n);
}

/* Inserts the user of a sign-up in one transaction (first user → admin + adoption). */
static int
auth_register_insert(struct req *rq, struct account_new *a, json_object *body)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	if ((drc = db_begin(rq)) != DB_OK)
		return resp_db_error(rq, drc);
	if ((drc = db_exec(rq->app->db, SQL_USERS_LOCK, 0, NULL, NULL)) != DB_OK ||
	    (drc = account_insert(rq, a, body, NULL, rq->app->open_signup, &res)) != DB_OK) {
		db_rollback(rq);
		if (drc == DB_NOTFOUND)
			return resp_problem(rq, 403, "sign-up is closed: ask an administrator",
			    NULL);
		if (drc == DB_CONFLICT)
			return resp_problem(rq, 409, "username or email already taken", NULL);
		return resp_db_error(rq, drc);
	}
	if ((strcmp(PQgetvalue(res, 0, 0), "admin") == 0 &&
	    (drc = db_exec(rq->app->db, SQL_ADOPT, 1, (const char *[]){ a->id }, NULL)) !=
	    DB_OK) || (drc = db_commit(rq)) != DB_OK) {
		db_rollback(rq);
		PQclear(res);
		return resp_db_error(rq, drc);
	}
	log_info(LOG_IDS(rq->request_id, NULL), "user %s registered as %s", a->id,
	    PQgetvalue(res, 0, 0));
	rc = session_start(rq, 201, a->id, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2));
	PQclear(res);
	return rc;
}

int
auth_register(struct req *rq)
{
	json_object		*errors = jsonh_new_array();
	struct account_new	 a;
	int			 rc = 0;

	if (account_prepare(rq, rq->json, errors, "the registration is invalid", &a) == 0) {
		rc = auth_register_insert(rq, &a, rq->json);
		explicit_bzero(a.hash, sizeof(a.hash));	/* also when the insert never ran */
	}
	json_object_put(errors);
	return rc;
}

/* The one answer of every failed login, whatever the reason. */
static int
auth_login_refused(struct req *rq)
{
	return resp_problem(rq, 401, "invalid username or password", NULL);
}

/* Checks the password of a found user (row "res") and answers. */
static int
auth_login_check(struct req *rq, PGresult *res, const char *pw)
{
	const char		*id = PQgetvalue(res, 0, 0);
	enum password_rc	 prc;
	char			 free_failures[8];

	if (PQgetvalue(res, 0, 3)[0] == 't') {
		/* Backing off: spend the same time, answer the same, check nothing. */
		password_verify_dummy(pw);
		return auth_login_refused(rq);
	}
	prc = password_verify(pw, PQgetvalue(res, 0, 2));
	if (prc == PASSWORD_ERROR)
		return resp_problem(rq, 503, "cannot check the password now, try again", NULL);
	if (prc == PASSWORD_MISMATCH) {
		snprintf(free_failures, sizeof(free_failures), "%d", LOGIN_FREE_FAILURES);
		db_exec(rq->app->db, SQL_LOGIN_FAILED, 2, (const char *[]){ id, free_failures },
		    NULL);
		return auth_login_refused(rq);
	}
	/* Said only to whoever knows the password: no account enumeration. */
	if (PQgetvalue(res, 0, 5)[0] == 't')
		return resp_problem(rq, 403, "this account is disabled: ask an administrator",
		    NULL);
	db_exec(rq->app->db, SQL_LOGIN_OK, 1, (const char *[]){ id }, NULL);
	return session_start(rq, 200, id, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 6),
	    PQgetvalue(res, 0, 4));
}

int
auth_login(struct req *rq)
{
	const char	*pw = jsonh_get_string(rq->json, "password");
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, SQL_LOGIN_FIND, 1,
	    (const char *[]){ jsonh_get_string(rq->json, "username") }, &res);
	if (drc == DB_NOTFOUND) {
		/* No such user: the same hashing time and the same answer as a wrong password. */
		if (password_verify_dummy(pw) == PASSWORD_ERROR)
			rc = resp_problem(rq, 503, "cannot check the password now, try again",
			    NULL);
		else
			rc = auth_login_refused(rq);
	} else if (drc != DB_OK)
		rc = resp_db_error(rq, drc);
	else
		rc = auth_login_check(rq, res, pw);
	PQclear(res);
	return rc;
}

int
auth_me(struct req *rq)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, SQL_ME, 1, (const char *[]){ rq->user.user_id }, &res);
	if (drc == DB_NOTFOUND)
		return resp_problem(rq, 401, "the account no longer exists", NULL);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	rc = resp_raw_json(rq, 200, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}
