/* usercache.h: one process's cache of users' access state (role, disabled, token epoch),
 * of API keys' owners and of rows the API answers by id (agents, workflows), kept exact by
 * PostgreSQL NOTIFY rather than by expiry: a notification drops its user's or row's entry
 * (a key notification every key), a new notification session (a reconnect, whose LISTEN
 * missed what happened meanwhile) drops everything, and a read that raced with either is
 * not stored. The cache does no I/O: callers read the state and drain the notifications
 * (authdb.c in the API, jobd/userwatch.c in jobd). */
#ifndef FRAGENT_USERCACHE_H
#define FRAGENT_USERCACHE_H

#include <time.h>

#include "auth.h"
#include "uuid.h"

/* The channel of the notifications; the payload is the changed user's id. */
#define USERCACHE_CHANNEL	"fragent_user_state"
/* The channel of API keys' notifications (sql/110_notify.sql): a key was deleted or changed
 * hands; any payload drops every cached key (rare: keys are cached only while unchanged). */
#define USERCACHE_KEYS_CHANNEL	"fragent_api_keys"
/* The channel of rows' notifications (sql/130_row_notify.sql); the payload is the id of the
 * row updated or deleted. */
#define USERCACHE_ROWS_CHANNEL	"fragent_rows"
/* Entries at most: past it the cache starts over (a read then refills what is used). */
#define USERCACHE_MAX		10000
/* Rows at most, and the largest answer kept (a bigger one is read every time): at most
 * 8 MiB of rows per process. */
#define USERCACHE_ROWS_MAX	1000
#define USERCACHE_ROW_BYTES	8192
/* Seconds an entry is trusted: a bound on staleness should a connection die without the
 * process noticing (no FIN, so no reconnect and no new session). */
#define USERCACHE_MAX_AGE	60

struct usercache;

/* Makes an empty cache bound to no session (never NULL). */
struct usercache	*usercache_new(void);
/* Frees; NULL-safe. */
void			 usercache_free(struct usercache *uc);
/* Looks "user_id" up at "now". Returns 1 with "out" filled ("out->exists" false for a user
 * known to be gone), 0 when unknown, invalidated or older than USERCACHE_MAX_AGE. */
int			 usercache_get(const struct usercache *uc, const char *user_id,
			    time_t now, struct user_state *out);
/* A ticket to take before sending the read that will fill an entry. */
unsigned long		 usercache_ticket(const struct usercache *uc);
/* Stores "st" for "user_id", read at "now" after "ticket" was taken. Refused when the user
 * was invalidated or the cache reset since the ticket (the read may predate the change),
 * or when no session is bound. Returns 0 when stored, -1 when refused. */
int			 usercache_put(struct usercache *uc, const char *user_id,
			    const struct user_state *st, unsigned long ticket, time_t now);
/* Drops the entry of "user_id" and refuses the fills of it already under way. */
void			 usercache_invalidate(struct usercache *uc, const char *user_id);
/* Drops every entry and refuses every fill under way. */
void			 usercache_reset(struct usercache *uc);
/* Applies the payload of one notification: a user id invalidates that user; anything else
 * (which we never send) resets everything. Returns 1 for one user, 0 after a reset. */
int			 usercache_notify(struct usercache *uc, const char *payload);
/* Looks up the owner of the API key hashed "hash" (its bytea text) at "now". Returns 1
 * with "user_id" filled and "*touched" set to when the key's use was last recorded by this
 * cache, 0 when unknown, invalidated or older than USERCACHE_MAX_AGE. */
int			 usercache_key_get(const struct usercache *uc, const char *hash,
			    time_t now, char user_id[UUID_STRLEN + 1], time_t *touched);
/* Stores "user_id" as the owner of key "hash", read at "now" after "ticket" was taken, its
 * use recorded at "touched". Refused (-1) like usercache_put when the keys were dropped or
 * the cache reset since the ticket; 0 when stored. */
int			 usercache_key_put(struct usercache *uc, const char *hash,
			    const char *user_id, unsigned long ticket, time_t now, time_t touched);
/* Notes that the use of key "hash" was recorded at "when" (nothing when not cached). */
void			 usercache_key_touch(struct usercache *uc, const char *hash, time_t when);
/* Looks row "id" of kind "kind" up at "now" (the kind says what the row is, compared by
 * address: the statement that reads it, say, so that an agent's id never answers for a
 * workflow). Returns 1 with its owner ("" for none) into "owner" and a copy of its answer
 * into "*json" (the caller frees it), 0 when unknown, of another kind, invalidated or older
 * than USERCACHE_MAX_AGE. */
int			 usercache_row_get(const struct usercache *uc, const void *kind,
			    const char *id, time_t now, char owner[UUID_STRLEN + 1], char **json);
/* Stores row "id" of kind "kind" and of "owner" ("" for none) answered as "json", read at
 * "now" after "ticket" was taken. Refused (-1) like usercache_put, and for an answer over
 * USERCACHE_ROW_BYTES; 0 when stored. */
int			 usercache_row_put(struct usercache *uc, const void *kind,
			    const char *id, const char *owner, const char *json,
			    unsigned long ticket, time_t now);
/* Drops row "id" and refuses the fills of it already under way. */
void			 usercache_row_invalidate(struct usercache *uc, const char *id);
/* Applies the payload of one row notification: an id invalidates that row; anything else
 * resets everything. Returns 1 for one row, 0 after a reset. */
int			 usercache_row_notify(struct usercache *uc, const char *payload);
/* Drops every cached key and refuses every key fill under way. */
void			 usercache_keys_reset(struct usercache *uc);
/* Binds the cache to notification session "session" (0: none, e.g. disconnected). A
 * session other than the bound one resets the cache. Returns 1 when it reset, else 0. */
int			 usercache_bind(struct usercache *uc, unsigned long session);
/* The bound session (0: none: nothing may be stored). */
unsigned long		 usercache_session(const struct usercache *uc);

#endif
