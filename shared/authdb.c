/* authdb.c: the statements authentication reads, and the API's blocking authentication over
 * the notification-kept per-process cache (see authdb.h). */
#include "config.h"

#include <ctype.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authdb.h"
#include "xalloc.h"

const char AUTHDB_SQL_USER[] =
	"SELECT role, disabled, token_epoch FROM users WHERE id = $1::uuid";
const char AUTHDB_SQL_KEY[] =
	"SELECT k.user_id, u.role, u.disabled, u.token_epoch, k.last_used_at IS NULL OR "
	"k.last_used_at < now() - interval '60 seconds' "
	"FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1::bytea";
const char AUTHDB_SQL_KEY_TOUCH[] =
	"UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1::bytea AND "
	"(last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')";
const char AUTHDB_SQL_LISTEN[] = "LISTEN " USERCACHE_CHANNEL;
const char AUTHDB_SQL_LISTEN_KEYS[] = "LISTEN " USERCACHE_KEYS_CHANNEL;
static const char AUTHDB_SQL_LISTEN_ROWS[] = "LISTEN " USERCACHE_ROWS_CHANNEL;

/* A read of a user that keeps losing the race with notifications is used, not stored, after
 * this many attempts. */
#define AUTHDB_FILL_TRIES	2
/* Seconds between two records of a key's use by one process. */
#define AUTHDB_TOUCH_EVERY	60

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

struct authcache {
	pthread_mutex_t		 lock;		/* over the two below */
	struct usercache	*uc;
	struct db		*listen;	/* only LISTENs and receives notifications */
	atomic_int		 fd;		/* its socket while the cache is bound, else -1 */
	_Atomic uint64_t	 epoch;		/* the last count of access changes seen */
};

struct authcache *
authcache_new(const char *db_url)
{
	struct authcache	*ac = xcalloc(1, sizeof(*ac));

	pthread_mutex_init(&ac->lock, NULL);
	ac->uc = usercache_new();
	ac->listen = db_new(db_url);
	atomic_init(&ac->fd, -1);
	return ac;
}

void
authcache_free(struct authcache *ac)
{
	if (ac == NULL)
		return;
	usercache_free(ac->uc);
	db_free(ac->listen);
	pthread_mutex_destroy(&ac->lock);
	free(ac);
}

void
authcache_epoch(struct authcache *ac, uint64_t epoch)
{
	if (atomic_load(&ac->epoch) == epoch)
		return;
	pthread_mutex_lock(&ac->lock);
	if (atomic_load(&ac->epoch) != epoch) {
		usercache_reset(ac->uc);	/* also refuses the fills under way */
		atomic_store(&ac->epoch, epoch);
	}
	pthread_mutex_unlock(&ac->lock);
}

/* One notification received on the cache's connection. */
static void
authdb_on_notify(const char *channel, const char *payload, void *arg)
{
	if (strcmp(channel, USERCACHE_CHANNEL) == 0)
		usercache_notify(arg, payload);
	else if (strcmp(channel, USERCACHE_KEYS_CHANNEL) == 0)
		usercache_keys_reset(arg);
	else if (strcmp(channel, USERCACHE_ROWS_CHANNEL) == 0)
		usercache_row_notify(arg, payload);
}

/* Applies what the cache's connection received; unbinds the cache when the session it
 * listened on is gone (its notifications may have been missed). Lock held. */
static void
authdb_sync(struct authcache *ac)
{
	if (db_notifies(ac->listen, authdb_on_notify, ac->uc) == -1 ||
	    db_session(ac->listen) != usercache_session(ac->uc)) {
		usercache_bind(ac->uc, 0);
		atomic_store(&ac->fd, -1);
	}
}

/* True when the cache is bound and its connection's socket holds nothing to read: no
 * notification, no end of the session, so there is nothing to drain. Checked before taking
 * the lock, so that the common case holds it only for a lookup (a thread preempted while
 * holding it over a system call would stall every other). A socket that turns readable
 * right after is a notification that came after the request began. */
static int
authdb_quiet(struct authcache *ac)
{
	struct pollfd	 p;

	if ((p.fd = atomic_load(&ac->fd)) < 0)
		return 0;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) == 0;
}

/* Binds the cache to a session of its connection that LISTENs on every channel, when it is
 * bound to none. Lock held. Returns DB_OK, or the failure. */
static enum db_rc
authdb_listen(struct authcache *ac)
{
	static const char *const listens[] = { AUTHDB_SQL_LISTEN, AUTHDB_SQL_LISTEN_KEYS,
	    AUTHDB_SQL_LISTEN_ROWS };
	unsigned long	 session = 0;
	enum db_rc	 rc;
	size_t		 i;

	if (usercache_session(ac->uc) != 0)
		return DB_OK;
	/* LISTEN before any read that fills: a change after the read is then notified. */
	for (i = 0; i < sizeof(listens) / sizeof(listens[0]); i++) {
		if ((rc = db_exec(ac->listen, listens[i], 0, NULL, NULL)) != DB_OK)
			return rc;
		if (i == 0)
			session = db_session(ac->listen);
		else if (db_session(ac->listen) != session)
			return DB_UNAVAILABLE;	/* reconnected in between: a LISTEN is gone */
	}
	usercache_bind(ac->uc, session);
	atomic_store(&ac->fd, db_socket(ac->listen));
	return DB_OK;
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
authdb_user_state(struct authcache *ac, struct db *db, const char *user_id, time_t now,
    struct user_state *out)
{
	unsigned long	 ticket;
	enum db_rc	 rc;
	int		 tries, stored, quiet;

	quiet = authdb_quiet(ac);	/* before the lock (see there) */
	pthread_mutex_lock(&ac->lock);
	if (!quiet)
		authdb_sync(ac);
	if (usercache_get(ac->uc, user_id, now, out)) {
		pthread_mutex_unlock(&ac->lock);
		return DB_OK;
	}
	for (tries = 1;; tries++) {
		if ((rc = authdb_listen(ac)) != DB_OK) {
			pthread_mutex_unlock(&ac->lock);
			return rc;
		}
		ticket = usercache_ticket(ac->uc);
		pthread_mutex_unlock(&ac->lock);
		if ((rc = authdb_read_user(db, user_id, out)) != DB_OK)
			return rc;
		pthread_mutex_lock(&ac->lock);
		authdb_sync(ac);
		stored = usercache_put(ac->uc, user_id, out, ticket, now) == 0;
		if (stored || tries == AUTHDB_FILL_TRIES) {
			pthread_mutex_unlock(&ac->lock);
			return DB_OK;
		}
	}
}

enum db_rc
authdb_row(struct authcache *ac, struct db *db, const char *sql, const char *id, time_t now,
    char owner[UUID_STRLEN + 1], char **json)
{
	PGresult	*res = NULL;
	unsigned long	 ticket;
	enum db_rc	 rc;
	char		 key[UUID_STRLEN + 1];
	int		 quiet;
	size_t		 i;

	*json = NULL;
	if (!uuid_valid(id))
		return DB_NOTFOUND;
	/* Notifications name rows as PostgreSQL prints ids: lower case. */
	for (i = 0; i <= UUID_STRLEN; i++)
		key[i] = (char)tolower((unsigned char)id[i]);
	quiet = authdb_quiet(ac);	/* before the lock (see there) */
	pthread_mutex_lock(&ac->lock);
	if (!quiet)
		authdb_sync(ac);
	if (usercache_row_get(ac->uc, sql, key, now, owner, json)) {
		pthread_mutex_unlock(&ac->lock);
		return DB_OK;
	}
	rc = authdb_listen(ac);
	ticket = usercache_ticket(ac->uc);
	pthread_mutex_unlock(&ac->lock);
	if (rc != DB_OK)
		return rc;
	if ((rc = db_row(db, sql, 1, (const char *[]){ key }, &res)) != DB_OK)
		return rc;
	if (PQnfields(res) != 2 || PQgetisnull(res, 0, 1)) {
		PQclear(res);
		return DB_ERROR;
	}
	snprintf(owner, UUID_STRLEN + 1, "%s", PQgetvalue(res, 0, 0));
	*json = xstrdup(PQgetvalue(res, 0, 1));
	PQclear(res);
	/* Stored unless a notification of the row (or a reset) raced with the read. */
	pthread_mutex_lock(&ac->lock);
	authdb_sync(ac);
	usercache_row_put(ac->uc, sql, key, owner, *json, ticket, now);
	pthread_mutex_unlock(&ac->lock);
	return DB_OK;
}

/* Records the use of key "hash" at "now" when this process has not in the last minute (the
 * statement itself skips a key another process recorded meanwhile). */
static void
authdb_key_touch(struct authcache *ac, struct db *db, const char *hash, time_t touched,
    time_t now)
{
	if (now >= touched && now - touched < AUTHDB_TOUCH_EVERY)
		return;
	db_exec(db, AUTHDB_SQL_KEY_TOUCH, 1, (const char *[]){ hash }, NULL);
	pthread_mutex_lock(&ac->lock);
	usercache_key_touch(ac->uc, hash, now);
	pthread_mutex_unlock(&ac->lock);
}

/* Looks up the API key hashed "hash": its owner into "user_id", the owner's state into "st",
 * from the cache or else read and cached. Returns DB_OK, DB_NOTFOUND for an unknown key, or a
 * failure. */
static enum db_rc
authdb_key(struct authcache *ac, struct db *db, const char *hash, time_t now,
    char user_id[UUID_STRLEN + 1], struct user_state *st)
{
	PGresult	*res = NULL;
	unsigned long	 ticket;
	time_t		 touched;
	enum db_rc	 rc;
	int		 hit, quiet;

	quiet = authdb_quiet(ac);
	pthread_mutex_lock(&ac->lock);
	if (!quiet)
		authdb_sync(ac);
	hit = usercache_key_get(ac->uc, hash, now, user_id, &touched);
	rc = hit ? DB_OK : authdb_listen(ac);
	ticket = usercache_ticket(ac->uc);
	pthread_mutex_unlock(&ac->lock);
	if (rc != DB_OK)
		return rc;
	if (hit) {
		authdb_key_touch(ac, db, hash, touched, now);
		return authdb_user_state(ac, db, user_id, now, st);
	}
	if ((rc = db_row(db, AUTHDB_SQL_KEY, 1, (const char *[]){ hash }, &res)) != DB_OK)
		return rc;
	if (!uuid_valid(PQgetvalue(res, 0, 0)) || authdb_state_cols(res, 0, 1, st) == -1) {
		PQclear(res);
		return DB_ERROR;
	}
	snprintf(user_id, UUID_STRLEN + 1, "%s", PQgetvalue(res, 0, 0));
	if (PQgetvalue(res, 0, 4)[0] == 't')
		db_exec(db, AUTHDB_SQL_KEY_TOUCH, 1, (const char *[]){ hash }, NULL);
	PQclear(res);
	/* The owner's state came with the key, fresh: the next use reads it from the users. */
	pthread_mutex_lock(&ac->lock);
	authdb_sync(ac);
	usercache_key_put(ac->uc, hash, user_id, ticket, now, now);
	pthread_mutex_unlock(&ac->lock);
	return DB_OK;
}

enum auth_rc
authdb_authenticate(const struct jwt_key *key, struct authcache *ac, struct db *db,
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
		rc = authdb_key(ac, db, c.key_hash, now, user_id, &st);
	else {
		snprintf(user_id, sizeof(user_id), "%s", c.user_id);
		rc = authdb_user_state(ac, db, c.user_id, now, &st);
	}
	if (rc == DB_NOTFOUND)
		return AUTH_INVALID;
	if (rc != DB_OK)
		return AUTH_UNAVAILABLE;
	return auth_admit(&c, user_id, &st, out);
}
