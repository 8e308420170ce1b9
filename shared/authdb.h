/* authdb.h: what authentication reads from PostgreSQL — a user's access state and an API
 * key's owner — and the API's blocking path over it, with rows the API answers by id (an
 * agent, a workflow) read the same way: they come from a per-process cache
 * (struct authcache: a usercache shared by the serving threads, under a lock, kept exact by
 * the notifications of a connection of its own that only LISTENs), so a request with a known
 * token or key reads nothing. jobd's event stream listener sends the same statements
 * asynchronously. */
#ifndef FRAGENT_AUTHDB_H
#define FRAGENT_AUTHDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "auth.h"
#include "db.h"
#include "usercache.h"

/* $1 user id → role, disabled, token_epoch (no row: the user is gone). */
extern const char	 AUTHDB_SQL_USER[];
/* $1 bytea text of an API key's hash → user_id, role, disabled, token_epoch, and whether
 * last_used_at is due to be written (at most once a minute). */
extern const char	 AUTHDB_SQL_KEY[];
/* $1 the same hash: records the key's use (unless recorded in the last minute). */
extern const char	 AUTHDB_SQL_KEY_TOUCH[];
/* Subscribes the session to USERCACHE_CHANNEL. */
extern const char	 AUTHDB_SQL_LISTEN[];
/* Subscribes the session to USERCACHE_KEYS_CHANNEL. */
extern const char	 AUTHDB_SQL_LISTEN_KEYS[];

/* One process's authentication cache, shared by its threads. */
struct authcache;

/* Makes an empty cache whose listening connection goes to "db_url" (connected when first
 * needed). Never NULL. */
struct authcache *authcache_new(const char *db_url);
/* Closes and frees; NULL-safe. */
void		 authcache_free(struct authcache *ac);
/* Tells "ac" the current count of access changes made through the API (shared by its
 * processes); a count other than the last one seen empties the cache, without waiting for
 * the changes' notifications. */
void		 authcache_epoch(struct authcache *ac, uint64_t epoch);

/* Reads the user state in columns "col" (role), "col" + 1 (disabled), "col" + 2 (epoch) of
 * row "row" of "res" into "out" (exists true). Returns 0, or -1 when malformed. */
int		 authdb_state_cols(const PGresult *res, int row, int col,
		    struct user_state *out);
/* The state of user "user_id" at "now": from "ac" after draining the notifications its
 * connection received, else read on "db" (the calling thread's connection; after the cache's
 * connection LISTENs, when it does not yet) and stored unless a notification or a reconnect
 * raced with the read. Returns DB_OK with "out" filled (out->exists false for a user that is
 * gone), or the failure of the read. */
enum db_rc	 authdb_user_state(struct authcache *ac, struct db *db, const char *user_id,
		    time_t now, struct user_state *out);
/* Row "id" (a UUID, any case; anything else is DB_NOTFOUND) as statement "sql" reads it ($1
 * the id → the owner's id, or NULL for none, and the answer's JSON text; the cache keeps what
 * each statement read apart): from "ac" after draining its notifications, else read on "db" and
 * stored unless a notification of the row (sql/130_row_notify.sql) or a reconnect raced with
 * the read. Returns DB_OK with "owner" ("" for none) and "*json" (the caller frees it),
 * DB_NOTFOUND (never cached: a row inserted later is found at once), or the failure. */
enum db_rc	 authdb_row(struct authcache *ac, struct db *db, const char *sql,
		    const char *id, time_t now, char owner[UUID_STRLEN + 1], char **json);
/* Authenticates "authorization" (may be NULL) at "now" against the current state of its user
 * (see auth_parse and auth_admit). Returns AUTH_OK with "out" filled, AUTH_MISSING,
 * AUTH_INVALID, or AUTH_UNAVAILABLE when the database could not be asked. */
enum auth_rc	 authdb_authenticate(const struct jwt_key *key, struct authcache *ac,
		    struct db *db, const char *authorization, time_t now,
		    struct principal *out);

#endif
