/* credentials.c: /credentials (LLM provider keys): the secret is sealed with AES-256-GCM
 * under the master key, bound to owner ‖ id, and never returned: only name, provider and a
 * masked hint. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "listing.h"
#include "uuid.h"
#include "xalloc.h"

#define CRED_JSON(t) \
	"json_build_object('id', " t ".id, 'owner_id', " t ".owner_id, 'name', " t ".name, " \
	"'provider', " t ".provider, 'hint', " t ".hint, 'version', " t ".version, " \
	"'created_at', " t ".created_at, 'updated_at', " t ".updated_at)"

static const char SQL_CREDS_LIST[] =
	"SELECT " CRED_JSON("c") ", " LIST_SQL_KEYS("c") " FROM credentials c WHERE "
	"($1::uuid IS NULL OR c.owner_id = $1) AND " LIST_SQL_CURSOR("c") " AND "
	"($5::text IS NULL OR strpos(lower(c.name), lower($5)) > 0)" LIST_SQL_ORDER("c");
static const char SQL_CRED_GET[] =
	"SELECT " CRED_JSON("c") " FROM credentials c WHERE c.id = $1 AND "
	"($2::uuid IS NULL OR c.owner_id = $2)";
static const char SQL_CRED_INSERT[] =
	"INSERT INTO credentials AS c (id, owner_id, name, provider, ciphertext, nonce, hint) "
	"VALUES ($1, $2, $3, $4, $5::bytea, $6::bytea, $7) RETURNING " CRED_JSON("c");
/* $7/$8/$9 NULL keep the stored secret. */
static const char SQL_CRED_UPDATE[] =
	"UPDATE credentials AS c SET name = $3, provider = $4, "
	"ciphertext = COALESCE($7::bytea, ciphertext), nonce = COALESCE($8::bytea, nonce), "
	"hint = COALESCE($9, hint), version = version + 1, updated_at = now() "
	"WHERE c.id = $1 AND ($2::uuid IS NULL OR c.owner_id = $2) AND c.version = $5::int "
	"AND c.owner_id = $6 RETURNING " CRED_JSON("c");
static const char SQL_CRED_OWNER[] =
	"SELECT owner_id FROM credentials WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_CRED_VERSION[] =
	"SELECT version FROM credentials WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_CRED_DELETE[] =
	"DELETE FROM credentials WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2) "
	"RETURNING id";


/* A sealed secret as bytea text parameters. */
struct sealed {
	char	*blob;		/* "\x…" */
	char	 nonce[2 + 2 * CRYPTO_NONCE_LEN + 1];
	char	 hint[32];
};

static void
sealed_clear(struct sealed *s)
{
	if (s != NULL)
		free(s->blob);
}

/* The masked hint of "secret": "sk-…a1b2" (first 3, last 4) when long enough. */
static void
cred_hint(const char *secret, char *out, size_t len)
{
	size_t	 n = strlen(secret);

	if (n >= 16)
		snprintf(out, len, "%.3s…%s", secret, secret + n - 4);
	else
		snprintf(out, len, "…");
}

/* Seals "secret" for credential "id" of "owner" into "s". Returns 0 or -1. */
static int
cred_seal(struct req *rq, const char *owner, const char *id, const char *secret,
    struct sealed *s)
{
	unsigned char	*blob = NULL;
	char		 aad[2 * UUID_STRLEN + 1];
	size_t		 n;

	memset(s, 0, sizeof(*s));
	snprintf(aad, sizeof(aad), "%s%s", owner, id);
	if (crypto_seal(rq->app->master_key, 1, aad, strlen(aad), secret, strlen(secret),
	    &blob, &n) == -1)
		return -1;
	s->blob = xmalloc(2 * n + 3);
	memcpy(s->blob, "\\x", 2);
	crypto_hex(blob, n, s->blob + 2);
	memcpy(s->nonce, "\\x", 2);
	crypto_hex(blob + 2, CRYPTO_NONCE_LEN, s->nonce + 2);
	cred_hint(secret, s->hint, sizeof(s->hint));
	free(blob);
	return 0;
}

/* Checks what the schema of "body" (which the router checked) cannot say: the secret is
 * sealed whole, so its bytes, not its characters, are bounded. Returns 0, or -1 after
 * answering 422. */
static int
cred_check(struct req *rq, json_object *body)
{
	const char	*secret = jsonh_get_string(body, "secret");
	char		 msg[64];

	if (secret == NULL || strlen(secret) <= CRYPTO_MAX_SECRET)
		return 0;
	snprintf(msg, sizeof(msg), "must be at most %d bytes", CRYPTO_MAX_SECRET);
	return resp_invalid(rq, "secret", msg), -1;
}

int
credentials_list(struct req *rq)
{
	return list_page(rq, SQL_CREDS_LIST, req_owner_filter(rq));
}

int
credentials_get(struct req *rq)
{
	return resp_row(rq, 200, SQL_CRED_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}

int
credentials_create(struct req *rq)
{
	json_object	*body = rq->json;
	struct sealed	 s = { NULL, "", "" };
	char		 id[UUID_STRLEN + 1];
	int		 rc = 0;

	if (cred_check(rq, body) == -1)
		return 0;
	if (uuid_new(id) == -1 || cred_seal(rq, rq->user.user_id, id,
	    jsonh_get_string(body, "secret"), &s) == -1) {
		rc = resp_problem(rq, 503, "cannot encrypt the secret now", NULL);
		goto out;
	}
	rc = resp_row(rq, 201, SQL_CRED_INSERT, 7, (const char *[]){ id, rq->user.user_id,
	    jsonh_get_string(body, "name"), jsonh_get_string(body, "provider"), s.blob,
	    s.nonce, s.hint });
out:
	sealed_clear(&s);
	return rc;
}

int
credentials_put(struct req *rq)
{
	json_object	*body = rq->json;
	struct sealed	 s = { NULL, "", "" };
	PGresult	*own = NULL;
	const char	*secret;
	char		 version[16];
	enum db_rc	 drc;
	int		 rc = 0;

	if (cred_check(rq, body) == -1)
		return 0;
	/* The AAD names the owner, so sealing needs it before the update. */
	if ((drc = db_row(rq->app->db, SQL_CRED_OWNER, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &own)) != DB_OK) {
		rc = resp_db_error(rq, drc);
		goto out;
	}
	if ((secret = jsonh_get_string(body, "secret")) != NULL &&
	    cred_seal(rq, PQgetvalue(own, 0, 0), rq->args[0], secret, &s) == -1) {
		rc = resp_problem(rq, 503, "cannot encrypt the secret now", NULL);
		goto out;
	}
	snprintf(version, sizeof(version), "%d",
	    json_object_get_int(json_object_object_get(body, "version")));
	rc = resp_versioned_update(rq, SQL_CRED_UPDATE, 9, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), jsonh_get_string(body, "name"),
	    jsonh_get_string(body, "provider"), version, PQgetvalue(own, 0, 0), s.blob,
	    s.blob ? s.nonce : NULL, s.blob ? s.hint : NULL }, SQL_CRED_VERSION);
out:
	PQclear(own);
	sealed_clear(&s);
	return rc;
}

int
credentials_delete(struct req *rq)
{
	return resp_delete(rq, SQL_CRED_DELETE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}
