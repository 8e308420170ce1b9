/* session.c: issuing access tokens, refresh rotation with reuse detection, logout. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "log.h"
#include "session.h"

static const char SQL_REFRESH_INSERT[] =
	"INSERT INTO refresh_tokens (id, user_id, token_hash, family, expires_at) "
	"VALUES ($1, $2, $3::bytea, $1, now() + interval '14 days')";
/* Rotation in one statement: the old token is revoked and replaced only if it was live and
 * its user is enabled, so two concurrent uses cannot both succeed and a disabled account
 * gets no new access token. $1 old hash, $2 new id, $3 new hash. */
static const char SQL_REFRESH_ROTATE[] =
	"WITH old AS (UPDATE refresh_tokens t SET revoked_at = now(), replaced_by = $2 "
	"WHERE token_hash = $1::bytea AND revoked_at IS NULL AND expires_at > now() AND "
	"EXISTS (SELECT 1 FROM users WHERE id = t.user_id AND NOT disabled) "
	"RETURNING user_id, family), "
	"ins AS (INSERT INTO refresh_tokens (id, user_id, token_hash, family, expires_at) "
	"SELECT $2, user_id, $3::bytea, family, now() + interval '14 days' FROM old "
	"RETURNING user_id) "
	"SELECT u.id, u.role, u.token_epoch, " USER_JSON " FROM users u "
	"JOIN ins ON u.id = ins.user_id";
/* Revokes every live token of the family of the token hashed $1; returns whether that
 * token had already been rotated or revoked (reuse). */
static const char SQL_REFRESH_REVOKE_FAMILY[] =
	"WITH t AS (SELECT family, revoked_at IS NOT NULL AS reused FROM refresh_tokens "
	"WHERE token_hash = $1::bytea), "
	"r AS (UPDATE refresh_tokens SET revoked_at = now() WHERE family IN "
	"(SELECT family FROM t) AND revoked_at IS NULL RETURNING 1) "
	"SELECT t.reused, (SELECT count(*) FROM r) FROM t";

/* Adds the Set-Cookie header carrying "tok" ("" clears the cookie). */
static void
session_cookie(struct req *rq, const char *tok)
{
	const char	*https = req_param(rq, "HTTPS");
	const char	*proto = req_param(rq, "HTTP_X_FORWARDED_PROTO");
	int		 secure = (https != NULL && https[0] != '\0') ||
	    (proto != NULL && strcmp(proto, "https") == 0);

	req_header_add(rq, "Set-Cookie: " SESSION_COOKIE "=%s; Path=" SESSION_COOKIE_PATH
	    "; Max-Age=%d; HttpOnly; SameSite=Strict%s", tok, tok[0] ? SESSION_REFRESH_TTL : 0,
	    secure ? "; Secure" : "");
}

/* Answers the token pair: the body holds the access token, the cookie the refresh one. */
static int
session_answer(struct req *rq, int status, const char *user_id, const char *role,
    const char *epoch, const char *user_json, const char *refresh)
{
	struct buf	 b;
	char		*access, *end;
	long		 ver = strtol(epoch, &end, 10);
	int		 rc;

	if (*end != '\0' || end == epoch ||
	    (access = jwt_sign(&rq->app->jwt, user_id, role, ver, time(NULL))) == NULL)
		return resp_problem(rq, 503, "cannot sign a token", NULL);
	buf_init(&b);
	buf_puts(&b, "{\"user\":");
	buf_puts(&b, user_json);
	buf_puts(&b, ",\"access_token\":\"");
	buf_puts(&b, access);
	buf_printf(&b, "\",\"token_type\":\"Bearer\",\"expires_in\":%d}", JWT_TTL);
	session_cookie(rq, refresh);
	rc = resp_raw_json(rq, status, b.data, b.len);
	explicit_bzero(access, strlen(access));
	free(access);
	buf_clear(&b);
	return rc;
}

int
session_start(struct req *rq, int status, const char *user_id, const char *role,
    const char *epoch, const char *user_json)
{
	char		 tok[AUTH_REFRESH_LEN + 1], hash[AUTH_HASH_LEN], fam[UUID_STRLEN + 1];
	enum db_rc	 drc;

	if (auth_refresh_new(tok, hash) == -1 || uuid_new(fam) == -1)
		return resp_problem(rq, 503, "no randomness available", NULL);
	drc = db_exec(rq->app->db, SQL_REFRESH_INSERT, 3,
	    (const char *[]){ fam, user_id, hash }, NULL);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	return session_answer(rq, status, user_id, role, epoch, user_json, tok);
}

/* Revokes the family of the presented token hashed "hash". Returns 1 when the token had
 * been used before (reuse), 0 otherwise, -1 when the database failed. */
static int
session_revoke_family(struct req *rq, const char *hash)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 reused;

	drc = db_row(rq->app->db, SQL_REFRESH_REVOKE_FAMILY, 1, (const char *[]){ hash },
	    &res);
	if (drc == DB_NOTFOUND)
		return 0;
	if (drc != DB_OK)
		return -1;
	reused = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return reused;
}

int
auth_refresh(struct req *rq)
{
	char		 old[AUTH_REFRESH_LEN + 8], oldhash[AUTH_HASH_LEN];
	char		 tok[AUTH_REFRESH_LEN + 1], hash[AUTH_HASH_LEN], id[UUID_STRLEN + 1];
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	if (req_cookie(rq, SESSION_COOKIE, old, sizeof(old)) != 1 || !auth_refresh_valid(old))
		return resp_problem(rq, 401, "no valid refresh token", NULL);
	crypto_sha256_bytea(old, oldhash);
	if (auth_refresh_new(tok, hash) == -1 || uuid_new(id) == -1)
		return resp_problem(rq, 503, "no randomness available", NULL);
	drc = db_row(rq->app->db, SQL_REFRESH_ROTATE, 3, (const char *[]){ oldhash, id, hash },
	    &res);
	if (drc == DB_OK) {
		rc = session_answer(rq, 200, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), tok);
		PQclear(res);
		return rc;
	}
	if (drc != DB_NOTFOUND)
		return resp_db_error(rq, drc);
	/* Expired, revoked or already rotated: the family is no longer to be trusted. */
	switch (session_revoke_family(rq, oldhash)) {
	case -1:
		return resp_problem(rq, 503, "database unavailable", NULL);
	case 1:
		log_warn(LOG_IDS(rq->request_id, NULL),
		    "refresh token reuse detected: its family was revoked");
		break;
	}
	session_cookie(rq, "");
	return resp_problem(rq, 401, "no valid refresh token", NULL);
}

int
auth_logout(struct req *rq)
{
	char	 old[AUTH_REFRESH_LEN + 8], oldhash[AUTH_HASH_LEN];

	if (req_cookie(rq, SESSION_COOKIE, old, sizeof(old)) == 1 && auth_refresh_valid(old)) {
		crypto_sha256_bytea(old, oldhash);
		if (session_revoke_family(rq, oldhash) == -1)
			return resp_problem(rq, 503, "database unavailable", NULL);
	}
	session_cookie(rq, "");
	return resp_no_content(rq);
}
