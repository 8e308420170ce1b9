/* crypto.c: OpenSSL-backed randomness, hashing, encoding and AES-256-GCM (see crypto.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "crypto.h"
#include "fgconfig.h"
#include "xalloc.h"

int
crypto_random(void *buf, size_t n)
{
	if (n > (size_t)INT32_MAX)
		return -1;
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

void
crypto_sha256(const void *in, size_t n, unsigned char out[CRYPTO_SHA256_LEN])
{
	SHA256(in, n, out);
}

void
crypto_hex(const unsigned char *in, size_t n, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int
crypto_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
crypto_sha256_bytea(const char *s, char out[2 + 2 * CRYPTO_SHA256_LEN + 1])
{
	unsigned char	 h[CRYPTO_SHA256_LEN];

	crypto_sha256(s, strlen(s), h);
	out[0] = '\\';
	out[1] = 'x';
	crypto_hex(h, sizeof(h), out + 2);
}

bool
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int
crypto_b64url(const unsigned char *in, size_t n, char *out, size_t outlen)
{
	static const char	 al[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t			 i, o = 0;
	unsigned long		 v;

	if (n > SIZE_MAX / 4 - 1 || (n * 4 + 2) / 3 + 1 > outlen)
		return -1;
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = al[v >> 6 & 63];
		out[o++] = al[v & 63];
	}
	if (n - i == 1) {
		v = (unsigned long)in[i] << 16;
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8;
		out[o++] = al[v >> 18 & 63];
		out[o++] = al[v >> 12 & 63];
		out[o++] = al[v >> 6 & 63];
	}
	out[o] = '\0';
	return 0;
}

long
crypto_b64_decode(const char *s, unsigned char *out, size_t cap)
{
	unsigned char	*tmp;
	size_t		 len, i, j;
	int		 n, pad = 0;
	long		 rc = -1;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len % 4 != 0 || len > 16384)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '=' && i >= len - 2)
			pad++;
		else if (!isalnum((unsigned char)s[i]) && s[i] != '+' && s[i] != '/')
			return -1;
		else if (pad > 0)
			return -1;
	}
	tmp = xmalloc(len / 4 * 3 + 1);
	n = EVP_DecodeBlock(tmp, (const unsigned char *)s, (int)len);
	if (n < 0)
		goto out;
	j = (size_t)n - (size_t)pad;
	if (j > cap)
		goto out;
	memcpy(out, tmp, j);
	rc = (long)j;
out:
	OPENSSL_cleanse(tmp, len / 4 * 3 + 1);
	free(tmp);
	return rc;
}

long
crypto_key_load(const char *inline_val, const char *path, unsigned char *key, size_t min,
    size_t cap, char *err, size_t errlen)
{
	char	*text = NULL;
	long	 n;

	if (inline_val != NULL && inline_val[0] != '\0')
		n = crypto_b64_decode(inline_val, key, cap);
	else {
		if (path == NULL || path[0] == '\0' ||
		    (text = config_read_secret(path)) == NULL) {
			snprintf(err, errlen, "cannot read key file %s", path ? path : "(none)");
			return -1;
		}
		n = crypto_b64_decode(text, key, cap);
		OPENSSL_cleanse(text, strlen(text));
		free(text);
	}
	if (n < 0 || (size_t)n < min) {
		snprintf(err, errlen, "key is not base64 of %zu to %zu bytes", min, cap);
		OPENSSL_cleanse(key, cap);
		return -1;
	}
	return n;
}

int
crypto_seal(const unsigned char key[CRYPTO_KEY_LEN], unsigned char key_id, const void *aad,
    size_t aadlen, const void *pt, size_t ptlen, unsigned char **out, size_t *outlen)
{
	EVP_CIPHER_CTX	*ctx = NULL;
	unsigned char	*b = NULL, *nonce, *ct;
	int		 n, rc = -1;

	*out = NULL;
	*outlen = 0;
	if (ptlen > CRYPTO_MAX_SECRET || aadlen > INT32_MAX)
		return -1;
	b = xmalloc(ptlen + CRYPTO_SEAL_OVERHEAD);
	b[0] = CRYPTO_SEAL_VERSION;
	b[1] = key_id;
	nonce = b + 2;
	ct = nonce + CRYPTO_NONCE_LEN;
	if (crypto_random(nonce, CRYPTO_NONCE_LEN) == -1 ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CRYPTO_NONCE_LEN, NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1 ||
	    EVP_EncryptUpdate(ctx, ct, &n, pt, (int)ptlen) != 1 ||
	    EVP_EncryptFinal_ex(ctx, ct + n, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CRYPTO_TAG_LEN, ct + ptlen) != 1)
		goto out;
	*out = b;
	*outlen = ptlen + CRYPTO_SEAL_OVERHEAD;
	b = NULL;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);	/* NULL-safe */
	free(b);
	return rc;
}

int
crypto_open(const unsigned char key[CRYPTO_KEY_LEN], const void *aad, size_t aadlen,
    const unsigned char *in, size_t inlen, unsigned char **pt, size_t *ptlen)
{
	EVP_CIPHER_CTX	*ctx = NULL;
	unsigned char	*b = NULL, tag[CRYPTO_TAG_LEN];
	const unsigned char *nonce, *ct;
	size_t		 ctlen;
	int		 n, rc = -1;

	*pt = NULL;
	*ptlen = 0;
	if (inlen < CRYPTO_SEAL_OVERHEAD || in[0] != CRYPTO_SEAL_VERSION ||
	    inlen - CRYPTO_SEAL_OVERHEAD > CRYPTO_MAX_SECRET || aadlen > INT32_MAX)
		return -1;
	nonce = in + 2;
	ct = nonce + CRYPTO_NONCE_LEN;
	ctlen = inlen - CRYPTO_SEAL_OVERHEAD;
	memcpy(tag, ct + ctlen, CRYPTO_TAG_LEN);
	b = xmalloc(ctlen + 1);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CRYPTO_NONCE_LEN, NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) != 1 ||
	    EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1 ||
	    EVP_DecryptUpdate(ctx, b, &n, ct, (int)ctlen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CRYPTO_TAG_LEN, tag) != 1 ||
	    EVP_DecryptFinal_ex(ctx, b + n, &n) != 1)
		goto out;
	b[ctlen] = '\0';
	*pt = b;
	*ptlen = ctlen;
	b = NULL;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (b != NULL) {
		OPENSSL_cleanse(b, ctlen + 1);
		free(b);
	}
	return rc;
}
