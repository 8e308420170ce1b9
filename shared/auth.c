/* auth.c: credentials of a request's Authorization header and the decision that admits them
 * given the user's current state (see auth.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "crypto.h"
#include "log.h"

const char *const role_names[ROLE__MAX] = {
	[ROLE_VIEWER] = "viewer",
	[ROLE_EDITOR] = "editor",
	[ROLE_ADMIN] = "admin",
};

int
auth_role_parse(const char *s, enum role *out)
{
	size_t	 i;

	for (i = 0; s != NULL && i < ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

/* True when "s" is "n" characters of the base64url alphabet. */
static bool
auth_b64url_of_len(const char *s, size_t n)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_";

	return strlen(s) == n && strspn(s, al) == n;
}

bool
auth_refresh_valid(const char *tok)
{
	return tok != NULL && auth_b64url_of_len(tok, AUTH_REFRESH_LEN);
}

enum auth_rc
auth_parse(const struct jwt_key *key, const char *authorization, time_t now,
    struct auth_cred *out)
{
	struct jwt_claims	 c;
	const char		*tok;
	enum jwt_rc		 jrc;

	if (authorization == NULL || authorization[0] == '\0')
		return AUTH_MISSING;
	if (strncasecmp(authorization, "Bearer ", 7) != 0)
		return AUTH_INVALID;
	for (tok = authorization + 7; *tok == ' '; tok++)
		continue;
	if (strlen(tok) > JWT_MAX_TOKEN)
		return AUTH_INVALID;
	memset(out, 0, sizeof(*out));
	if (strncmp(tok, AUTH_API_KEY_PREFIX, strlen(AUTH_API_KEY_PREFIX)) == 0) {
		if (!auth_b64url_of_len(tok + strlen(AUTH_API_KEY_PREFIX),
		    AUTH_API_KEY_LEN - strlen(AUTH_API_KEY_PREFIX)))
			return AUTH_INVALID;
		out->api_key = true;
		crypto_sha256_bytea(tok, out->key_hash);
		return AUTH_OK;
	}
	if ((jrc = jwt_verify(key, tok, now, &c)) != JWT_OK) {
		log_debug(NULL, "access token refused: %s", jwt_rc_str(jrc));
		return AUTH_INVALID;
	}
	memcpy(out->user_id, c.sub, UUID_STRLEN);
	out->user_id[UUID_STRLEN] = '\0';
	out->epoch = c.ver;
	return AUTH_OK;
}

enum auth_rc
auth_admit(const struct auth_cred *c, const char *user_id, const struct user_state *st,
    struct principal *out)
{
	if (!st->exists || st->disabled || (!c->api_key && c->epoch != st->epoch) ||
	    (unsigned)st->role >= ROLE__MAX || !uuid_valid(user_id))
		return AUTH_INVALID;
	memset(out, 0, sizeof(*out));
	snprintf(out->user_id, sizeof(out->user_id), "%s", user_id);
	out->role = st->role;
	out->api_key = c->api_key;
	return AUTH_OK;
}

/* 32 random bytes as base64url (43 characters) into "out", its hash into "hash". */
static int
auth_random_token(char *out, size_t outlen, size_t skip, char hash[AUTH_HASH_LEN])
{
	unsigned char	 rnd[32];

	if (crypto_random(rnd, sizeof(rnd)) == -1 ||
	    crypto_b64url(rnd, sizeof(rnd), out + skip, outlen - skip) == -1)
		return -1;
	explicit_bzero(rnd, sizeof(rnd));
	crypto_sha256_bytea(out, hash);
	return 0;
}

int
auth_api_key_new(char key[AUTH_API_KEY_LEN + 1], char hash[AUTH_HASH_LEN])
{
	memcpy(key, AUTH_API_KEY_PREFIX, strlen(AUTH_API_KEY_PREFIX));
	return auth_random_token(key, AUTH_API_KEY_LEN + 1, strlen(AUTH_API_KEY_PREFIX), hash);
}

int
auth_refresh_new(char tok[AUTH_REFRESH_LEN + 1], char hash[AUTH_HASH_LEN])
{
	return auth_random_token(tok, AUTH_REFRESH_LEN + 1, 0, hash);
}
