/* webhook.c: tokens, secrets, signatures and sealing of webhook triggers (see webhook.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto.h"
#include "webhook.h"
#include "xalloc.h"

#define WEBHOOK_AAD_PREFIX	"webhook:"

int
webhook_token_new(char out[WEBHOOK_TOKEN_LEN + 1])
{
	unsigned char	 raw[WEBHOOK_TOKEN_BYTES];
	int		 rc;

	if (crypto_random(raw, sizeof(raw)) == -1)
		return -1;
	rc = crypto_b64url(raw, sizeof(raw), out, WEBHOOK_TOKEN_LEN + 1);
	explicit_bzero(raw, sizeof(raw));
	return rc;
}

int
webhook_secret_new(char out[WEBHOOK_SECRET_LEN + 1])
{
	unsigned char	 raw[WEBHOOK_SECRET_BYTES];

	if (crypto_random(raw, sizeof(raw)) == -1)
		return -1;
	memcpy(out, "whs_", 4);
	crypto_hex(raw, sizeof(raw), out + 4);
	explicit_bzero(raw, sizeof(raw));
	return 0;
}

void
webhook_sign(const char *secret, const char *ts, const void *body, size_t len,
    char out[WEBHOOK_SIG_LEN + 1])
{
	char		 sha256[] = "SHA256";
	OSSL_PARAM	 params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha256, 0),
		OSSL_PARAM_construct_end(),
	};
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	size_t		 maclen = 0;
	EVP_MAC		*hmac;
	EVP_MAC_CTX	*ctx = NULL;
	int		 ok;

	memcpy(out, WEBHOOK_SIG_PREFIX, sizeof(WEBHOOK_SIG_PREFIX) - 1);
	ok = (hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) != NULL &&
	    (ctx = EVP_MAC_CTX_new(hmac)) != NULL &&
	    EVP_MAC_init(ctx, (const unsigned char *)secret, strlen(secret), params) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)ts, strlen(ts)) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)".", 1) == 1 &&
	    EVP_MAC_update(ctx, body, len) == 1 &&
	    EVP_MAC_final(ctx, mac, &maclen, sizeof(mac)) == 1 && maclen == CRYPTO_SHA256_LEN;
	if (ok)
		crypto_hex(mac, CRYPTO_SHA256_LEN, out + sizeof(WEBHOOK_SIG_PREFIX) - 1);
	else {
		/* Never a valid signature: the hex digits are lower case. */
		memset(out + sizeof(WEBHOOK_SIG_PREFIX) - 1, 'X', 2 * CRYPTO_SHA256_LEN);
		out[WEBHOOK_SIG_LEN] = '\0';
	}
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(hmac);
	explicit_bzero(mac, sizeof(mac));
}

char *
webhook_seal(const unsigned char key[CRYPTO_KEY_LEN], const char *id, const char *secret)
{
	unsigned char	*blob = NULL;
	char		 aad[64], *out;
	size_t		 n;

	snprintf(aad, sizeof(aad), WEBHOOK_AAD_PREFIX "%s", id);
	if (crypto_seal(key, 1, aad, strlen(aad), secret, strlen(secret), &blob, &n) == -1)
		return NULL;
	out = xmalloc(2 * n + 3);
	memcpy(out, "\\x", 2);
	crypto_hex(blob, n, out + 2);
	free(blob);
	return out;
}

char *
webhook_open(const unsigned char key[CRYPTO_KEY_LEN], const char *id, const char *bytea)
{
	unsigned char	*blob, *pt = NULL;
	char		 aad[64];
	size_t		 n, i, ptlen;
	int		 hi, lo;

	if (bytea == NULL || strncmp(bytea, "\\x", 2) != 0 || (n = strlen(bytea + 2)) % 2 != 0)
		return NULL;
	blob = xmalloc(n / 2 + 1);
	for (i = 0; i < n / 2; i++) {
		if ((hi = crypto_hex_digit(bytea[2 + 2 * i])) == -1 ||
		    (lo = crypto_hex_digit(bytea[3 + 2 * i])) == -1) {
			free(blob);
			return NULL;
		}
		blob[i] = (unsigned char)(hi << 4 | lo);
	}
	snprintf(aad, sizeof(aad), WEBHOOK_AAD_PREFIX "%s", id);
	if (crypto_open(key, aad, strlen(aad), blob, n / 2, &pt, &ptlen) == -1)
		pt = NULL;
	free(blob);
	return (char *)pt;
}
