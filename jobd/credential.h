/* credential.h: provider credentials (API keys) as jobd uses them: read from the credentials
 * table and opened with the master key (AES-256-GCM, shared/crypto.c) inside jobd only. A
 * secret never reaches a log, an event, a step or an answer. */
#ifndef FRAGENT_CREDENTIAL_H
#define FRAGENT_CREDENTIAL_H

#include <stddef.h>

struct db;

/* Opens credential "credential_id" of owner "owner_id" (another owner's credential is not
 * found). On 0, "*secret" is a NUL-terminated heap string the caller releases with
 * cred_secret_free; on -1 it is NULL and "err" says why without naming the secret. The master
 * key is read once per process (FRAGENT_MASTER_KEY, FRAGENT_MASTER_KEY_FILE or
 * STATE_DIR/secrets/master_key, as in fragent-api). */
int	cred_secret(struct db *db, const char *credential_id, const char *owner_id,
	    char **secret, char *err, size_t errlen);
/* Reads the master key now (once per process; cred_secret otherwise reads it on first use),
 * so that the environment holding FRAGENT_MASTER_KEY can be scrubbed afterwards. */
void	cred_key_load(void);
/* The master key (CRYPTO_KEY_LEN bytes), for the other secrets sealed under it (webhooks'),
 * or NULL when it is not available. */
const unsigned char	*cred_master_key(void);
/* Wipes and frees a secret; NULL-safe. */
void	cred_secret_free(char *secret);

#endif
