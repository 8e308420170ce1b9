/* auth.h: who is calling: turns an Authorization header into a principal {user id, role}
 * from an access JWT or an API key (fgk_…). Free of FastCGI types: the API and jobd's
 * event stream listener both call it. */
#ifndef FRAGENT_AUTH_H
#define FRAGENT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "fgjwt.h"
#include "uuid.h"

struct db;

enum role {
	ROLE_VIEWER,	/* reads, watches runs */
	ROLE_EDITOR,	/* also creates, edits and deletes its own resources, runs workflows */
	ROLE_ADMIN,	/* everything, every user's resources, user management */
	ROLE__MAX
};

extern const char *const role_names[ROLE__MAX];

struct principal {
	char		 user_id[UUID_STRLEN + 1];
	enum role	 role;
	bool		 api_key;	/* authenticated by an API key, not a JWT */
};

enum auth_rc {
	AUTH_OK,
	AUTH_MISSING,		/* no Authorization header */
	AUTH_INVALID,		/* not Bearer, bad/expired token, unknown API key */
	AUTH_UNAVAILABLE,	/* the database could not be asked about an API key */
	AUTH__MAX
};

#define AUTH_API_KEY_PREFIX	"fgk_"
#define AUTH_API_KEY_LEN	47	/* "fgk_" + base64url of 32 random bytes */
#define AUTH_API_KEY_SHOWN	12	/* characters kept as the key's visible prefix */
#define AUTH_REFRESH_LEN	43	/* base64url of 32 random bytes (256 bits) */
#define AUTH_HASH_LEN		67	/* "\x" + 64 hex digits + NUL: a bytea text parameter */

/* Parses a role name. Returns 0 with "out" set, or -1 when unknown. */
int		 auth_role_parse(const char *s, enum role *out);
/* Authenticates "authorization" (the header's value, may be NULL): "Bearer <JWT>" is
 * verified with "key" at "now"; "Bearer fgk_…" is looked up by its SHA-256 in "db" (and its
 * last use recorded at most once a minute). Fills "out" only on AUTH_OK. */
enum auth_rc	 auth_authenticate(const struct jwt_key *key, struct db *db,
		    const char *authorization, time_t now, struct principal *out);
/* Makes a new API key into "key" and the bytea text of its SHA-256 into "hash".
 * Returns 0, or -1 when no randomness was available. */
int		 auth_api_key_new(char key[AUTH_API_KEY_LEN + 1], char hash[AUTH_HASH_LEN]);
/* Makes a new 256-bit refresh token into "tok" and its hash into "hash". Returns 0 or -1. */
int		 auth_refresh_new(char tok[AUTH_REFRESH_LEN + 1], char hash[AUTH_HASH_LEN]);
/* True when "tok" has the shape of a refresh token (so it is worth hashing). */
bool		 auth_refresh_valid(const char *tok);

#endif
