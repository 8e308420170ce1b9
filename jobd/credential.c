/* credential.c: credentials opened inside jobd (see credential.h). */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "credential.h"
#include "crypto.h"
#include "db.h"
#include "fgconfig.h"
#include "log.h"

#define SQL_CRED_GET \
	"SELECT id::text, owner_id::text, ciphertext FROM credentials " \
	"WHERE id = $1::uuid AND owner_id = $2::uuid"

static unsigned char	 cred_key[CRYPTO_KEY_LEN];
static int		 cred_key_ok;
static pthread_once_t	 cred_key_once = PTHREAD_ONCE_INIT;

static void
cred_key_init(void)
{
	struct config	 cfg;
	const char	*file;
	char		 err[256], path[4096];

	memset(&cfg, 0, sizeof(cfg));
	if (config_load(&cfg, err, sizeof(err)) == -1) {
		log_error(NULL, "credentials: configuration: %s", err);
		return;
	}
	file = config_get(&cfg, CONFIG_MASTER_KEY_FILE);
	if (file[0] == '\0') {
		snprintf(path, sizeof(path), "%s/secrets/master_key",
		    config_get(&cfg, CONFIG_STATE_DIR));
		file = path;
	}
	if (crypto_key_load(config_get(&cfg, CONFIG_MASTER_KEY), file, cred_key, CRYPTO_KEY_LEN,
	    CRYPTO_KEY_LEN, err, sizeof(err)) == -1)
		log_error(NULL, "credentials: master key: %s", err);
	else
		cred_key_ok = 1;
	config_clear(&cfg);
}

void
cred_key_load(void)
{
	pthread_once(&cred_key_once, cred_key_init);
}

const unsigned char *
cred_master_key(void)
{
	cred_key_load();
	return cred_key_ok ? cred_key : NULL;
}

int
cred_secret(struct db *db, const char *credential_id, const char *owner_id, char **secret,
    char *err, size_t errlen)
{
	PGresult	*res = NULL;
	unsigned char	*blob = NULL, *pt = NULL;
	size_t		 n = 0, ptlen = 0;
	char		 aad[256];
	int		 rc = -1;

	*secret = NULL;
	cred_key_load();
	if (!cred_key_ok) {
		snprintf(err, errlen, "the credentials master key is not available to jobd");
		return -1;
	}
	switch (db_row(db, SQL_CRED_GET, 2, (const char *[]){ credential_id, owner_id }, &res)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
	case DB_INVALID:
		snprintf(err, errlen, "credential %.40s not found", credential_id);
		goto out;
	default:
		snprintf(err, errlen, "cannot read credential %.40s", credential_id);
		goto out;
	}
	snprintf(aad, sizeof(aad), "%s%s", PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
	if ((blob = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 2), &n)) == NULL ||
	    crypto_open(cred_key, aad, strlen(aad), blob, n, &pt, &ptlen) == -1) {
		snprintf(err, errlen, "credential %.40s cannot be decrypted (wrong master key?)",
		    credential_id);
		goto out;
	}
	*secret = (char *)pt;
	pt = NULL;
	rc = 0;
out:
	if (blob != NULL)
		PQfreemem(blob);
	PQclear(res);
	return rc;
}

void
cred_secret_free(char *secret)
{
	if (secret == NULL)
		return;
	memset(secret, 0, strlen(secret));
	free(secret);
}
