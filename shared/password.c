/* password.c: yescrypt through libxcrypt's crypt_r / crypt_gensalt_rn (see password.h). */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <crypt.h>

#include "crypto.h"
#include "password.h"
#include "xalloc.h"

/* One hash at a time in this process (see PASSWORD_COST): a second one waits its turn. */
static pthread_mutex_t	 password_lock = PTHREAD_MUTEX_INITIALIZER;
static char		 password_dummy[PASSWORD_HASH_MAX];

bool
password_acceptable(const char *pw, size_t len)
{
	return pw != NULL && len >= PASSWORD_MIN && len <= PASSWORD_MAX && strlen(pw) == len;
}

/* Runs crypt_r("pw", "setting") into "out", one at a time. */
static enum password_rc
password_crypt(const char *pw, const char *setting, char out[PASSWORD_HASH_MAX])
{
	struct crypt_data	*cd;
	const char		*h;
	enum password_rc	 rc = PASSWORD_ERROR;

	pthread_mutex_lock(&password_lock);
	/* struct crypt_data is ≈32 KiB: keep it off the stack. */
	cd = xcalloc(1, sizeof(*cd));
	h = crypt_r(pw, setting, cd);
	/* On failure crypt_r returns a string starting with '*', not NULL. */
	if (h != NULL && h[0] != '*' && strlen(h) < PASSWORD_HASH_MAX) {
		memcpy(out, h, strlen(h) + 1);
		rc = PASSWORD_OK;
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	pthread_mutex_unlock(&password_lock);
	return rc;
}

enum password_rc
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	unsigned char	 rnd[32];
	char		 setting[CRYPT_GENSALT_OUTPUT_SIZE];

	out[0] = '\0';
	if (pw == NULL || strlen(pw) > PASSWORD_MAX)
		return PASSWORD_ERROR;
	if (crypto_random(rnd, sizeof(rnd)) == -1 ||
	    crypt_gensalt_rn("$y$", PASSWORD_COST, (const char *)rnd, sizeof(rnd),
	    setting, sizeof(setting)) == NULL || setting[0] == '*')
		return PASSWORD_ERROR;
	return password_crypt(pw, setting, out);
}

enum password_rc
password_verify(const char *pw, const char *hash)
{
	char			 got[PASSWORD_HASH_MAX];
	size_t			 n;
	enum password_rc	 rc;

	if (pw == NULL || hash == NULL || strncmp(hash, "$y$", 3) != 0 ||
	    (n = strlen(hash)) >= PASSWORD_HASH_MAX || strlen(pw) > PASSWORD_MAX)
		return PASSWORD_ERROR;
	if ((rc = password_crypt(pw, hash, got)) != PASSWORD_OK)
		return rc;
	if (strlen(got) != n)
		return PASSWORD_MISMATCH;
	return crypto_equal(got, hash, n) ? PASSWORD_OK : PASSWORD_MISMATCH;
}

int
password_init(void)
{
	unsigned char	 rnd[24];
	char		 pw[49];

	if (password_dummy[0] != '\0')
		return 0;
	if (crypto_random(rnd, sizeof(rnd)) == -1)
		return -1;
	crypto_hex(rnd, sizeof(rnd), pw);
	return password_hash(pw, password_dummy) == PASSWORD_OK ? 0 : -1;
}

enum password_rc
password_verify_dummy(const char *pw)
{
	enum password_rc	 rc;

	if (password_init() == -1)
		return PASSWORD_ERROR;
	rc = password_verify(pw, password_dummy);
	return rc == PASSWORD_OK ? PASSWORD_MISMATCH : rc;
}
