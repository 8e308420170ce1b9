/* auth.h: who is calling: turns an Authorization header into credentials (an access JWT or
 * an API key, fgk_…) and, given the user's current state, into a principal {user id, role}.
 * No I/O: the API (authdb.h) and jobd's event stream listener look the state up their way. */
#ifndef FRAGENT_AUTH_H
#define FRAGENT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "fgjwt.h"
#include "uuid.h"

enum role {
	ROLE_VIEWER,	/* reads, watches runs */
	ROLE_EDITOR,	/* also creates, edits and deletes its own resources, runs workflows */
	ROLE_ADMIN,	/* everything, every user's resources, user management */
	ROLE__MAX
};

extern const char *const role_names[ROLE__MAX];

struct principal {
	char		 user_id[UUID_STRLEN + 1];
	enum role	 role;		/* the user's current role, not the token's */
	bool		 api_key;	/* authenticated by an API key, not a JWT */
};

/* What access checks need of a user, as the database has it now. */
struct user_state {
	bool		 exists;	/* false: no such user (deleted) */
	bool		 disabled;	/* an administrator disabled the account */
	enum role	 role;
	long		 epoch;		/* access tokens signed with another epoch are void */
};

enum auth_rc {
	AUTH_OK,
	AUTH_MISSING,		/* no Authorization header */
	AUTH_INVALID,		/* not Bearer, bad/expired token, unknown API key, user gone
				 * or disabled, token of an older epoch */
	AUTH_UNAVAILABLE,	/* the database could not be asked */
	AUTH__MAX
};

#define AUTH_API_KEY_PREFIX	"fgk_"
#define AUTH_API_KEY_LEN	47	/* "fgk_" + base64url of 32 random bytes */
#define AUTH_API_KEY_SHOWN	12	/* characters kept as the key's visible prefix */
#define AUTH_REFRESH_LEN	43	/* base64url of 32 random bytes (256 bits) */
#define AUTH_HASH_LEN		67	/* "\x" + 64 hex digits + NUL: a bytea text parameter */

/* What an Authorization header claims, checked as far as it can be without the database:
 * a verified access token (its user and epoch) or the hash of a well-formed API key. */
struct auth_cred {
	bool		 api_key;
	char		 user_id[UUID_STRLEN + 1];	/* JWT: its subject */
	long		 epoch;				/* JWT: its "ver" claim */
	char		 key_hash[AUTH_HASH_LEN];	/* API key: bytea text of its SHA-256 */
};

/* Parses a role name. Returns 0 with "out" set, or -1 when unknown. */
int		 auth_role_parse(const char *s, enum role *out);
/* Reads "authorization" (the header's value, may be NULL): "Bearer <JWT>" is verified with
 * "key" at "now"; "Bearer fgk_…" must have the shape of an API key and is hashed. No
 * database is asked. Returns AUTH_OK with "out" filled, AUTH_MISSING or AUTH_INVALID. */
enum auth_rc	 auth_parse(const struct jwt_key *key, const char *authorization, time_t now,
		    struct auth_cred *out);
/* Decides whether credentials "c" of user "user_id" are still good given the user's current
 * state "st": the user exists and is enabled, and a JWT carries the user's current epoch.
 * Returns AUTH_OK with "out" filled (the current role), or AUTH_INVALID. */
enum auth_rc	 auth_admit(const struct auth_cred *c, const char *user_id,
		    const struct user_state *st, struct principal *out);
/* Makes a new API key into "key" and the bytea text of its SHA-256 into "hash".
 * Returns 0, or -1 when no randomness was available. */
int		 auth_api_key_new(char key[AUTH_API_KEY_LEN + 1], char hash[AUTH_HASH_LEN]);
/* Makes a new 256-bit refresh token into "tok" and its hash into "hash". Returns 0 or -1. */
int		 auth_refresh_new(char tok[AUTH_REFRESH_LEN + 1], char hash[AUTH_HASH_LEN]);
/* True when "tok" has the shape of a refresh token (so it is worth hashing). */
bool		 auth_refresh_valid(const char *tok);

#endif
