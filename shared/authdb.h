/* authdb.h: what authentication reads from PostgreSQL — a user's access state and an API
 * key's owner — and the API's blocking path over it: a JWT's user comes from a per-process
 * usercache that notifications keep exact (no database read per request), an API key from
 * one read. jobd's event stream listener sends the same statements asynchronously. */
#ifndef FRAGENT_AUTHDB_H
#define FRAGENT_AUTHDB_H

#include <libpq-fe.h>

#include "auth.h"
#include "db.h"
#include "usercache.h"

/* $1 user id → role, disabled, token_epoch (no row: the user is gone). */
extern const char	 AUTHDB_SQL_USER[];
/* $1 bytea text of an API key's hash → user_id, role, disabled, token_epoch, and whether
 * last_used_at is due to be written (at most once a minute). */
extern const char	 AUTHDB_SQL_KEY[];
/* $1 the same hash: records the key's use. */
extern const char	 AUTHDB_SQL_KEY_TOUCH[];
/* Subscribes the session to USERCACHE_CHANNEL. */
extern const char	 AUTHDB_SQL_LISTEN[];

/* Reads the user state in columns "col" (role), "col" + 1 (disabled), "col" + 2 (epoch) of
 * row "row" of "res" into "out" (exists true). Returns 0, or -1 when malformed. */
int		 authdb_state_cols(const PGresult *res, int row, int col,
		    struct user_state *out);
/* The state of user "user_id" at "now": from "uc" after draining the notifications "db"
 * received, else read (LISTENing first on a new session) and stored unless a notification or
 * a reconnect raced with the read. Returns DB_OK with "out" filled (out->exists false for a
 * user that is gone), or the failure of the read. */
enum db_rc	 authdb_user_state(struct usercache *uc, struct db *db, const char *user_id,
		    time_t now, struct user_state *out);
/* Authenticates "authorization" (may be NULL) at "now" against the current state of its user
 * (see auth_parse and auth_admit). Returns AUTH_OK with "out" filled, AUTH_MISSING,
 * AUTH_INVALID, or AUTH_UNAVAILABLE when the database could not be asked. */
enum auth_rc	 authdb_authenticate(const struct jwt_key *key, struct usercache *uc,
		    struct db *db, const char *authorization, time_t now,
		    struct principal *out);

#endif
