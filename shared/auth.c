/* auth.c: authentication of a request's Authorization header (see auth.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

const char *const role_names[ROLE__MAX] = {
	[ROLE_VIEWER] = "viewer",
	[ROLE_EDITOR] = "editor",
	[ROLE_ADMIN] = "admin",
};

/* $1: SHA-256 of the key. The role is the owner's current one. */
static const char SQL_KEY_LOOKUP[] =
	"SELECT k.user_id, u.role, k.last_used_at IS NULL OR "
	"k.last_used_at < now() - interval '60 seconds' "
	"FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1::bytea";
static const char SQL_KEY_TOUCH[] =
	"UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1::bytea";

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

/* Looks up API key "key" (already shape-checked). */
static enum auth_rc
auth_api_key(struct db *db, const char *key, struct principal *out)
{
	PGresult	*res = NULL;
	char		 hash[AUTH_HASH_LEN];
	enum auth_rc	 rc = AUTH_INVALID;

	crypto_sha256_bytea(key, hash);
	switch (db_row(db, SQL_KEY_LOOKUP, 1, (const char *[]){ hash }, &res)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
		return AUTH_INVALID;
	default:
		return AUTH_UNAVAILABLE;
	}
	if (!uuid_valid(PQgetvalue(res, 0, 0)) ||
	    auth_role_parse(PQgetvalue(res, 0, 1), &out->role) == -1)
		goto out;
	snprintf(out->user_id, sizeof(out->user_id), "%s", PQgetvalue(res, 0, 0));
	out->api_key = true;
	if (PQgetvalue(res, 0, 2)[0] == 't')
		db_exec(db, SQL_KEY_TOUCH, 1, (const char *[]){ hash }, NULL);
	rc = AUTH_OK;
out:
	PQclear(res);
	return rc;
}

enum auth_rc
auth_authenticate(const struct jwt_key *key, struct db *db, const char *authorization,
    time_t now, struct principal *out)
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
		return auth_api_key(db, tok, out);
	}
	if ((jrc = jwt_verify(key, tok, now, &c)) != JWT_OK) {
		log_debug(NULL, "access token refused: %s", jwt_rc_str(jrc));
		return AUTH_INVALID;
	}
	if (auth_role_parse(c.role, &out->role) == -1)
		return AUTH_INVALID;
	memcpy(out->user_id, c.sub, sizeof(out->user_id));
	out->user_id[UUID_STRLEN] = '\0';
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
