/* password.h: password hashing with yescrypt ("$y$", libxcrypt crypt_r) and verification
 * that takes the same time whether or not the account exists. */
#ifndef FRAGENT_PASSWORD_H
#define FRAGENT_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* yescrypt cost 6: ≈32 MiB and ≈37 ms per hash on the reference machine, above OWASP's
 * 19 MiB minimum for memory-hard hashes (cost 5 is 16 MiB, cost 7 doubles the time). */
#define PASSWORD_COST		6
#define PASSWORD_MIN		8	/* bytes */
#define PASSWORD_MAX		1024	/* bytes; longer ones are refused before hashing */
#define PASSWORD_HASH_MAX	256	/* a "$y$…" string fits */
/* Hashes run one at a time in a process (another thread's waits its turn, ≈37 ms each), so
 * the stack's memory bound for them is FRAGENT_API_PROCS × 32 MiB whatever the threads. */

enum password_rc {
	PASSWORD_OK,
	PASSWORD_MISMATCH,	/* verify: the password does not match */
	PASSWORD_ERROR,		/* no randomness, bad stored hash, out of memory */
	PASSWORD__MAX
};

/* Prepares the dummy hash used for missing accounts (one hash: ≈37 ms). Call once at
 * start; password_verify_dummy calls it itself when needed. Returns 0 or -1. */
int		 password_init(void);
/* Hashes "pw" with a fresh salt into "out" (PASSWORD_HASH_MAX bytes). */
enum password_rc password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* Checks "pw" against the stored "hash" in constant time. */
enum password_rc password_verify(const char *pw, const char *hash);
/* Spends the time of a verification against a hash nobody knows the password of, so a
 * missing account answers as slowly as a wrong password. Always PASSWORD_MISMATCH unless
 * busy or failing. */
enum password_rc password_verify_dummy(const char *pw);
/* True when "pw" has an acceptable length ("len" bytes, no NUL inside). */
bool		 password_acceptable(const char *pw, size_t len);

#endif
