/* webhook.h: the facts of webhook triggers shared by the API (which creates them) and jobd
 * (which serves /hooks/{token}): bounds, header names, the token and secret formats, the
 * HMAC-SHA256 signature callers send, and the sealing of the secret at rest. */
#ifndef FRAGENT_WEBHOOK_H
#define FRAGENT_WEBHOOK_H

#include <stddef.h>

#include "crypto.h"

#define WEBHOOK_PATH_PREFIX	"/hooks/"
#define WEBHOOK_TOKEN_BYTES	32		/* random bytes of a token */
#define WEBHOOK_TOKEN_LEN	43		/* their base64url, the path's last segment */
#define WEBHOOK_SECRET_BYTES	32		/* random bytes of a shared secret */
#define WEBHOOK_SECRET_LEN	(4 + 2 * WEBHOOK_SECRET_BYTES)	/* "whs_" + hex */
#define WEBHOOK_TIMEOUT_MIN_MS	100		/* sync mode: the caller's wait, bounds */
#define WEBHOOK_TIMEOUT_MAX_MS	120000
#define WEBHOOK_REPLAY_MIN_S	10		/* hmac mode: timestamp window, bounds */
#define WEBHOOK_REPLAY_MAX_S	3600
#define WEBHOOK_BODY_MAX	1048576		/* bytes of a request body (nginx's cap too) */
#define WEBHOOK_PER_WORKFLOW	20		/* webhooks (and schedules) of one workflow */
#define WEBHOOK_XSTR(x)		WEBHOOK_STR_(x)
#define WEBHOOK_STR_(x)		#x

/* The headers a caller authenticates with: the secret itself (mode "secret"), or the
 * signature "sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>" and the Unix
 * timestamp it signs (mode "hmac"). They never reach the run's input. */
#define WEBHOOK_SECRET_HEADER	"X-Fragent-Secret"
#define WEBHOOK_SIG_HEADER	"X-Fragent-Signature"
#define WEBHOOK_TS_HEADER	"X-Fragent-Timestamp"
#define WEBHOOK_SIG_PREFIX	"sha256="
#define WEBHOOK_SIG_LEN		(7 + 2 * CRYPTO_SHA256_LEN)	/* prefix + hex */

/* A new token (WEBHOOK_TOKEN_LEN characters and a NUL). Returns 0, or -1 without
 * randomness. */
int	webhook_token_new(char out[WEBHOOK_TOKEN_LEN + 1]);
/* A new shared secret (WEBHOOK_SECRET_LEN characters and a NUL). Returns 0 or -1. */
int	webhook_secret_new(char out[WEBHOOK_SECRET_LEN + 1]);
/* The signature header's value for "body" ("len" bytes) sent at Unix time "ts" (decimal
 * text) under "secret": WEBHOOK_SIG_LEN characters and a NUL. */
void	webhook_sign(const char *secret, const char *ts, const void *body, size_t len,
	    char out[WEBHOOK_SIG_LEN + 1]);
/* Seals "secret" of webhook "id" under master key "key" into a bytea literal ("\x…" hex) for
 * a text parameter; the caller frees it with free(). Returns NULL on failure. */
char	*webhook_seal(const unsigned char key[CRYPTO_KEY_LEN], const char *id,
	    const char *secret);
/* Opens the sealed secret of webhook "id" as PostgreSQL prints a bytea ("\x…"). Returns a
 * NUL-terminated heap string (wipe and free it), or NULL when it cannot be opened. */
char	*webhook_open(const unsigned char key[CRYPTO_KEY_LEN], const char *id,
	    const char *bytea);

#endif
