/* fgjwt.h: access tokens (jwt.c): HS256 JWTs signed and verified with libjwt, with every
 * check libjwt 1.10 leaves out (algorithm pinned, exp, nbf, iat, iss, aud, typ) done here.
 * Named fgjwt.h because a jwt.h here would shadow libjwt's own header. */
#ifndef FRAGENT_FGJWT_H
#define FRAGENT_FGJWT_H

#include <stddef.h>
#include <time.h>

#define JWT_KEY_MIN	32		/* bytes; shorter keys are refused */
#define JWT_KEY_MAX	128
#define JWT_ISSUER	"fragent"
#define JWT_AUDIENCE	"fragent-api"
#define JWT_TYPE	"access"
#define JWT_TTL		900		/* seconds: 15 minutes */
#define JWT_LEEWAY	30		/* seconds of clock skew tolerated */
#define JWT_MAX_TOKEN	4096		/* longer Authorization values are refused unparsed */
#define JWT_CACHE_SLOTS	64		/* verified tokens remembered per thread */
#define JWT_CACHE_TOKEN	512		/* longer ones are verified every time */

/* A signing key: raw bytes, at least JWT_KEY_MIN. */
struct jwt_key {
	unsigned char	 bytes[JWT_KEY_MAX];
	size_t		 len;
};

/* What a verified access token says. */
struct jwt_claims {
	char	 sub[40];	/* user id (UUID) */
	char	 role[16];	/* admin | editor | viewer */
	long	 exp;
	long	 iat;
	long	 nbf;	/* 0 when absent */
	long	 ver;	/* the user's token epoch at signing ("ver"; 0 when absent) */
};

enum jwt_rc {
	JWT_OK,
	JWT_MALFORMED,		/* not a JWT, or a bad signature */
	JWT_BAD_ALG,		/* anything but HS256 (none included) */
	JWT_EXPIRED,		/* exp passed, or nbf/iat in the future */
	JWT_BAD_CLAIMS,		/* iss, aud, typ, sub or role wrong or missing */
	JWT__MAX
};

struct config;

/* Loads the key from FRAGENT_JWT_KEY (base64) or, when that is empty, the file
 * FRAGENT_JWT_KEY_FILE (default STATE_DIR/secrets/jwt_key) of "cfg". Returns 0, or -1 with
 * a message in "err" when it is missing, malformed or shorter than JWT_KEY_MIN bytes. */
int		 jwt_key_load(struct jwt_key *key, const struct config *cfg, char *err,
		    size_t errlen);
/* Signs an access token for user "sub" with "role" and token epoch "ver" (>= 0), issued at
 * "now", valid JWT_TTL seconds. Returns a heap string (caller frees with free()), or NULL
 * when out of memory or the key is too short. */
char		*jwt_sign(const struct jwt_key *key, const char *sub, const char *role, long ver,
		    time_t now);
/* Verifies "token" at time "now": signature with "key", alg HS256 only, exp/nbf/iat with
 * JWT_LEEWAY, iss, aud, typ, sub a UUID, role known, ver absent or >= 0. Fills "out" only on
 * JWT_OK. A token comes back on every request of its 15 minutes, so each thread remembers
 * the last ones it verified (JWT_CACHE_SLOTS, tokens up to JWT_CACHE_TOKEN bytes): the same
 * bytes under the same key skip the decoding and the signature, and only the times are
 * checked again at "now". */
enum jwt_rc	 jwt_verify(const struct jwt_key *key, const char *token, time_t now,
		    struct jwt_claims *out);
/* A short, secret-free description of "rc" for logs. */
const char	*jwt_rc_str(enum jwt_rc rc);

#endif
