/* authdb.c: the statements authentication reads, and the API's blocking authentication over
 * the notification-kept user cache (see authdb.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authdb.h"

const char AUTHDB_SQL_USER[] =
	"SELECT role, disabled, token_epoch FROM users WHERE id = $1::uuid";
const char AUTHDB_SQL_KEY[] =
	"SELECT k.user_id, u.role, u.disabled, u.token_epoch, k.last_used_at IS NULL OR "
	"k.last_used_at < now() - interval '60 seconds' "
	"FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1::bytea";
const char AUTHDB_SQL_KEY_TOUCH[] =
	"UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1::bytea";
const char AUTHDB_SQL_LISTEN[] = "LISTEN " USERCACHE_CHANNEL;

/* A read of a user that keeps losing the race with notifications is used, not stored, after
 * this many attempts. */
#define AUTHDB_FILL_TRIES	2

int
authdb_state_cols(const PGresult *res, int row, int col, struct user_state *out)
{
	char	*end;

	memset(out, 0, sizeof(*out));
	if (PQnfields(res) < col + 3 || PQgetisnull(res, row, col + 2) ||
	    auth_role_parse(PQgetvalue(res, row, col), &out->role) == -1)
		return -1;
	out->epoch = strtol(PQgetvalue(res, row, col + 2), &end, 10);
	if (*end != '\0' || out->epoch < 0)
		return -1;
	out->disabled = PQgetvalue(res, row, col + 1)[0] == 't';
	out->exists = true;
	return 0;
}

/* One notification received on the API's connection. */
static void
authdb_on_notify(const char *channel, const char *payload, void *arg)
{
	if (strcmp(channel, USERCACHE_CHANNEL) == 0)
		usercache_notify(arg, payload);
}

/* Applies what "db" received; unbinds the cache when the session it listened on is gone
 * (its notifications may have been missed). */
static void
authdb_sync(struct usercache *uc, struct db *db)
{
	if (db_notifies(db, authdb_on_notify, uc) == -1 || db_session(db) != usercache_session(uc))
		usercache_bind(uc, 0);
}

/* Reads user "user_id" into "out". Returns DB_OK (out->exists false when gone) or a failure. */
static enum db_rc
authdb_read_user(struct db *db, const char *user_id, struct user_state *out)
{
	PGresult	*res = NULL;
	enum db_rc	 rc;

	rc = db_row(db, AUTHDB_SQL_USER, 1, (const char *[]){ user_id }, &res);
	if (rc == DB_NOTFOUND) {
		memset(out, 0, sizeof(*out));
		return DB_OK;
	}
	if (rc == DB_OK && authdb_state_cols(res, 0, 0, out) == -1)
		rc = DB_ERROR;
	PQclear(res);
	return rc;
}

enum db_rc
authdb_user_state(struct usercache *uc, struct db *db, const char *user_id, time_t now,
    struct user_state *out)
{
	unsigned long	 ticket;
	enum db_rc	 rc;
	int		 tries;

	authdb_sync(uc, db);
	if (usercache_get(uc, user_id, now, out))
		return DB_OK;
	for (tries = 1;; tries++) {
		if (usercache_session(uc) == 0) {
			/* LISTEN before reading: a change after the read is then notified. */
			if ((rc = db_exec(db, AUTHDB_SQL_LISTEN, 0, NULL, NULL)) != DB_OK)
				return rc;
			usercache_bind(uc, db_session(db));
		}
		ticket = usercache_ticket(uc);
		if ((rc = authdb_read_user(db, user_id, out)) != DB_OK)
			return rc;
		authdb_sync(uc, db);
		if (usercache_put(uc, user_id, out, ticket, now) == 0 || tries == AUTHDB_FILL_TRIES)
			return DB_OK;
	}
}

/* Looks up the API key hashed "hash": its owner into "user_id", the owner's state into "st".
 * Returns DB_OK, DB_NOTFOUND for an unknown key, or a failure. */
static enum db_rc
authdb_key(struct db *db, const char *hash, char user_id[UUID_STRLEN + 1],
    struct user_state *st)
{
	PGresult	*res = NULL;
	enum db_rc	 rc;

	if ((rc = db_row(db, AUTHDB_SQL_KEY, 1, (const char *[]){ hash }, &res)) != DB_OK)
		return rc;
	if (!uuid_valid(PQgetvalue(res, 0, 0)) || authdb_state_cols(res, 0, 1, st) == -1)
		rc = DB_ERROR;
	else {
		snprintf(user_id, UUID_STRLEN + 1, "%s", PQgetvalue(res, 0, 0));
		if (PQgetvalue(res, 0, 4)[0] == 't')
			db_exec(db, AUTHDB_SQL_KEY_TOUCH, 1, (const char *[]){ hash }, NULL);
	}
	PQclear(res);
	return rc;
}

enum auth_rc
authdb_authenticate(const struct jwt_key *key, struct usercache *uc, struct db *db,
    const char *authorization, time_t now, struct principal *out)
{
	struct auth_cred	 c;
	struct user_state	 st;
	char			 user_id[UUID_STRLEN + 1];
	enum auth_rc		 arc;
	enum db_rc		 rc;

	if ((arc = auth_parse(key, authorization, now, &c)) != AUTH_OK)
		return arc;
	if (c.api_key)
		rc = authdb_key(db, c.key_hash, user_id, &st);
	else {
		snprintf(user_id, sizeof(user_id), "%s", c.user_id);
		rc = authdb_user_state(uc, db, c.user_id, now, &st);
	}
	if (rc == DB_NOTFOUND)
		return AUTH_INVALID;
	if (rc != DB_OK)
		return AUTH_UNAVAILABLE;
	return auth_admit(&c, user_id, &st, out);
}
