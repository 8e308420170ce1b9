/* jwt.c: HS256 access tokens over libjwt 1.10, which checks only signatures: the algorithm,
 * times, issuer, audience and type are checked here (see jwt.h, SECURITY notes in docs). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>

#include "crypto.h"
#include "fgconfig.h"
#include "fgjwt.h"
#include "hash.h"
#include "uuid.h"

static const char *const jwt_rc_names[JWT__MAX] = {
	[JWT_OK] = "ok",
	[JWT_MALFORMED] = "malformed token or bad signature",
	[JWT_BAD_ALG] = "algorithm not allowed",
	[JWT_EXPIRED] = "token expired or not yet valid",
	[JWT_BAD_CLAIMS] = "wrong issuer, audience, type or subject",
};

const char *
jwt_rc_str(enum jwt_rc rc)
{
	return rc < JWT__MAX ? jwt_rc_names[rc] : "unknown";
}

int
jwt_key_load(struct jwt_key *key, const struct config *cfg, char *err, size_t errlen)
{
	const char	*file = config_get(cfg, CONFIG_JWT_KEY_FILE);
	char		 path[4096];
	long		 n;

	memset(key, 0, sizeof(*key));
	if (file[0] == '\0') {
		n = snprintf(path, sizeof(path), "%s/secrets/jwt_key",
		    config_get(cfg, CONFIG_STATE_DIR));
		if (n < 0 || (size_t)n >= sizeof(path)) {
			snprintf(err, errlen, "FRAGENT_STATE_DIR too long");
			return -1;
		}
		file = path;
	}
	n = crypto_key_load(config_get(cfg, CONFIG_JWT_KEY), file, key->bytes, JWT_KEY_MIN,
	    sizeof(key->bytes), err, errlen);
	if (n < 0)
		return -1;
	key->len = (size_t)n;
	return 0;
}

char *
jwt_sign(const struct jwt_key *key, const char *sub, const char *role, long ver, time_t now)
{
	jwt_t	*j = NULL;
	char	*tok = NULL;

	if (key->len < JWT_KEY_MIN || ver < 0 || jwt_new(&j) != 0)
		return NULL;
	if (jwt_add_grant(j, "iss", JWT_ISSUER) != 0 ||
	    jwt_add_grant(j, "aud", JWT_AUDIENCE) != 0 ||
	    jwt_add_grant(j, "sub", sub) != 0 ||
	    jwt_add_grant(j, "role", role) != 0 ||
	    jwt_add_grant(j, "typ", JWT_TYPE) != 0 ||
	    jwt_add_grant_int(j, "ver", ver) != 0 ||
	    jwt_add_grant_int(j, "iat", (long)now) != 0 ||
	    jwt_add_grant_int(j, "nbf", (long)now) != 0 ||
	    jwt_add_grant_int(j, "exp", (long)now + JWT_TTL) != 0 ||
	    jwt_set_alg(j, JWT_ALG_HS256, key->bytes, (int)key->len) != 0)
		goto out;
	tok = jwt_encode_str(j);
out:
	jwt_free(j);	/* NULL-safe */
	return tok;
}

/* True when "role" is one of the three roles. */
static int
jwt_role_known(const char *role)
{
	return role != NULL && (strcmp(role, "admin") == 0 || strcmp(role, "editor") == 0 ||
	    strcmp(role, "viewer") == 0);
}

/* Reads integer claim "name"; 0 with errno set when absent or not an integer. */
static long
jwt_int(jwt_t *j, const char *name)
{
	errno = 0;
	return jwt_get_grant_int(j, name);
}

/* Checks the claims of a token whose signature and algorithm were verified. */
static enum jwt_rc
jwt_check_claims(jwt_t *j, time_t now, struct jwt_claims *out)
{
	const char	*iss = jwt_get_grant(j, "iss"), *aud = jwt_get_grant(j, "aud");
	const char	*sub = jwt_get_grant(j, "sub"), *role = jwt_get_grant(j, "role");
	const char	*typ = jwt_get_grant(j, "typ");
	long		 exp, iat, nbf, ver;

	exp = jwt_int(j, "exp");
	if (errno != 0 || exp <= 0)
		return JWT_BAD_CLAIMS;
	iat = jwt_int(j, "iat");
	if (errno != 0 || iat <= 0)
		return JWT_BAD_CLAIMS;
	nbf = jwt_int(j, "nbf");
	if (errno != 0)
		nbf = 0;
	/* libjwt reads a string as the integer 0: refuse strings here. */
	ver = jwt_int(j, "ver");
	if (errno == ENOENT)
		ver = 0;	/* signed before tokens had epochs: epoch 0 */
	else if (errno != 0 || ver < 0 || jwt_get_grant(j, "ver") != NULL)
		return JWT_BAD_CLAIMS;
	if ((long)now >= exp + JWT_LEEWAY || iat > (long)now + JWT_LEEWAY ||
	    nbf > (long)now + JWT_LEEWAY || exp - iat > JWT_TTL)
		return JWT_EXPIRED;
	if (iss == NULL || strcmp(iss, JWT_ISSUER) != 0 || aud == NULL ||
	    strcmp(aud, JWT_AUDIENCE) != 0 || typ == NULL || strcmp(typ, JWT_TYPE) != 0 ||
	    !uuid_valid(sub) || !jwt_role_known(role))
		return JWT_BAD_CLAIMS;
	snprintf(out->sub, sizeof(out->sub), "%s", sub);
	snprintf(out->role, sizeof(out->role), "%s", role);
	out->exp = exp;
	out->iat = iat;
	out->nbf = nbf;
	out->ver = ver;
	return JWT_OK;
}

/* A token this thread verified, with the key it verified it with. */
struct jwt_cache_slot {
	size_t			 len;		/* 0: empty */
	char			 token[JWT_CACHE_TOKEN];
	struct jwt_key		 key;
	struct jwt_claims	 claims;
};

static __thread struct jwt_cache_slot	 jwt_cache[JWT_CACHE_SLOTS];

/* The slot "token" takes (one per hash: a newer token pushes an older one out). */
static struct jwt_cache_slot *
jwt_cache_slot(const char *token)
{
	return &jwt_cache[hash_fnv1a(token) % JWT_CACHE_SLOTS];
}

/* True when "token" was verified with "key" by this thread; its claims into "out". */
static int
jwt_cache_get(const struct jwt_key *key, const char *token, size_t len,
    struct jwt_claims *out)
{
	const struct jwt_cache_slot	*sl = jwt_cache_slot(token);

	if (sl->len != len || memcmp(sl->token, token, len) != 0 || sl->key.len != key->len ||
	    memcmp(sl->key.bytes, key->bytes, key->len) != 0)
		return 0;
	*out = sl->claims;
	return 1;
}

static void
jwt_cache_put(const struct jwt_key *key, const char *token, size_t len,
    const struct jwt_claims *c)
{
	struct jwt_cache_slot	*sl = jwt_cache_slot(token);

	if (len > sizeof(sl->token))
		return;
	memcpy(sl->token, token, len);
	sl->len = len;
	sl->key = *key;
	sl->claims = *c;
}

/* The time checks of jwt_check_claims, for claims verified earlier. */
static enum jwt_rc
jwt_check_times(const struct jwt_claims *c, time_t now)
{
	if ((long)now >= c->exp + JWT_LEEWAY || c->iat > (long)now + JWT_LEEWAY ||
	    c->nbf > (long)now + JWT_LEEWAY)
		return JWT_EXPIRED;
	return JWT_OK;
}

enum jwt_rc
jwt_verify(const struct jwt_key *key, const char *token, time_t now, struct jwt_claims *out)
{
	struct jwt_claims	 c;
	jwt_t			*j = NULL;
	enum jwt_rc		 rc;
	size_t			 len;

	/* Never decode without a key: libjwt would then skip the signature. */
	if (key->len < JWT_KEY_MIN || key->len > sizeof(key->bytes) || token == NULL ||
	    (len = strlen(token)) > JWT_MAX_TOKEN)
		return JWT_MALFORMED;
	if (jwt_cache_get(key, token, len, &c)) {
		if ((rc = jwt_check_times(&c, now)) == JWT_OK)
			*out = c;
		return rc;
	}
	if (jwt_decode(&j, token, key->bytes, (int)key->len) != 0)
		return JWT_MALFORMED;
	if (jwt_get_alg(j) != JWT_ALG_HS256)
		rc = JWT_BAD_ALG;
	else
		rc = jwt_check_claims(j, now, &c);
	jwt_free(j);
	if (rc == JWT_OK) {
		jwt_cache_put(key, token, len, &c);
		*out = c;
	}
	return rc;
}
