/* crypto.h: randomness, SHA-256 token hashing, constant-time comparison, base64, and
 * AES-256-GCM sealing of secrets at rest (credentials) under a master key. */
#ifndef FRAGENT_CRYPTO_H
#define FRAGENT_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_KEY_LEN		32	/* AES-256 */
#define CRYPTO_NONCE_LEN	12	/* GCM: 96-bit random nonce */
#define CRYPTO_TAG_LEN		16	/* GCM: 128-bit tag */
#define CRYPTO_SEAL_VERSION	1
/* Sealed blob: version(1) || key_id(1) || nonce(12) || ciphertext || tag(16). */
#define CRYPTO_SEAL_OVERHEAD	(2 + CRYPTO_NONCE_LEN + CRYPTO_TAG_LEN)
#define CRYPTO_MAX_SECRET	8192	/* largest plaintext sealed */

/* Fills "n" bytes of "buf" from OpenSSL's CSPRNG. Returns 0, or -1 when it failed. */
int	crypto_random(void *buf, size_t n);
/* SHA-256 of "n" bytes of "in" into "out". */
void	crypto_sha256(const void *in, size_t n, unsigned char out[CRYPTO_SHA256_LEN]);
/* Lower-case hex of "n" bytes of "in" into "out" (2n + 1 bytes, NUL-terminated). */
void	crypto_hex(const unsigned char *in, size_t n, char *out);
/* The value of hex digit "c" (either case), or -1. */
int	crypto_hex_digit(int c);
/* Writes "\x<hex of SHA-256("s")>" into "out" (a bytea literal for a text parameter). */
void	crypto_sha256_bytea(const char *s, char out[2 + 2 * CRYPTO_SHA256_LEN + 1]);
/* True when the "n" bytes at "a" and "b" are equal; the time taken does not depend on
 * where they differ. */
bool	crypto_equal(const void *a, const void *b, size_t n);
/* Base64url without padding of "n" bytes of "in" into "out" (size "outlen").
 * Returns 0, or -1 when "out" is too small. */
int	crypto_b64url(const unsigned char *in, size_t n, char *out, size_t outlen);
/* Decodes standard base64 (padding and surrounding whitespace allowed) "s" into "out"
 * (capacity "cap"). Returns the number of bytes, or -1 when malformed or too long. */
long	crypto_b64_decode(const char *s, unsigned char *out, size_t cap);
/* Loads a base64 key of at least "min" and at most "cap" bytes: from the value "inline_val"
 * when it is non-empty, else from the file "path". Returns the key length, or -1 with a
 * message (naming no secret) in "err". */
long	crypto_key_load(const char *inline_val, const char *path, unsigned char *key,
	    size_t min, size_t cap, char *err, size_t errlen);

/* Encrypts "ptlen" bytes of "pt" with AES-256-GCM under "key" (id "key_id"), binding "aad"
 * ("aadlen" bytes) to the result. On 0, "*out" is a heap blob of "*outlen" bytes in the
 * sealed layout above (caller frees with free()); on -1 "*out" is NULL. */
int	crypto_seal(const unsigned char key[CRYPTO_KEY_LEN], unsigned char key_id,
	    const void *aad, size_t aadlen, const void *pt, size_t ptlen,
	    unsigned char **out, size_t *outlen);
/* Decrypts a sealed blob "in" ("inlen" bytes) made by crypto_seal with the same "aad".
 * On 0, "*pt" is a heap buffer of "*ptlen" bytes plus a NUL (caller frees with free());
 * on -1 (wrong key, AAD, version or a tampered blob) "*pt" is NULL. */
int	crypto_open(const unsigned char key[CRYPTO_KEY_LEN], const void *aad, size_t aadlen,
	    const unsigned char *in, size_t inlen, unsigned char **pt, size_t *ptlen);

#endif
