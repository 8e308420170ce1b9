/* apikeys.c: a user's API keys for REST clients: list, create (the key is shown once; only
 * its SHA-256 is stored), delete. */
#include "config.h"

#include <string.h>

#include "apimetrics.h"
#include "auth.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "listing.h"

#define APIKEYS_MAX_PER_USER	"100"

#define KEY_JSON \
	"json_build_object('id', k.id, 'name', k.name, 'prefix', k.prefix, " \
	"'created_at', k.created_at, 'last_used_at', k.last_used_at)"

static const char SQL_KEYS_LIST[] =
	"SELECT " KEY_JSON ", " LIST_SQL_KEYS("k") " FROM api_keys k WHERE k.user_id = $1 AND "
	LIST_SQL_CURSOR("k") " AND ($5::text IS NULL OR strpos(lower(k.name), lower($5)) > 0)"
	LIST_SQL_ORDER("k");
/* $6: the key itself, returned once and never stored. */
static const char SQL_KEY_INSERT[] =
	"INSERT INTO api_keys AS k (id, user_id, name, prefix, key_hash) "
	"SELECT $1, $2, $3, $4, $5::bytea WHERE (SELECT count(*) FROM api_keys "
	"WHERE user_id = $2) < " APIKEYS_MAX_PER_USER " "
	"RETURNING json_build_object('id', k.id, 'name', k.name, 'prefix', k.prefix, "
	"'key', $6::text, 'created_at', k.created_at)";
static const char SQL_KEY_DELETE[] =
	"DELETE FROM api_keys WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) RETURNING id";

int
apikeys_list(struct req *rq)
{
	return list_page(rq, SQL_KEYS_LIST, rq->user.user_id);
}

int
apikeys_create(struct req *rq)
{
	char		 key[AUTH_API_KEY_LEN + 1], hash[AUTH_HASH_LEN];
	char		 prefix[AUTH_API_KEY_SHOWN + 1], id[UUID_STRLEN + 1];
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	if (uuid_new(id) == -1 || auth_api_key_new(key, hash) == -1)
		return resp_problem(rq, 503, "no randomness available", NULL);
	memcpy(prefix, key, AUTH_API_KEY_SHOWN);
	prefix[AUTH_API_KEY_SHOWN] = '\0';
	drc = db_row(rq->app->db, SQL_KEY_INSERT, 6, (const char *[]){ id, rq->user.user_id,
	    jsonh_get_string(rq->json, "name"), prefix, hash, key }, &res);
	if (drc == DB_NOTFOUND)
		rc = resp_problem(rq, 409, "too many API keys: delete one first", NULL);
	else if (drc != DB_OK)
		rc = resp_db_error(rq, drc);
	else
		rc = resp_raw_json(rq, 201, PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0));
	explicit_bzero(key, sizeof(key));
	PQclear(res);
	return rc;
}

int
apikeys_delete(struct req *rq)
{
	int	 rc;

	rc = resp_delete(rq, SQL_KEY_DELETE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
	/* The answer is still in libfcgi's buffer: every process drops its keys first. */
	if (rq->status == 204)
		api_metrics_auth_changed();
	return rc;
}
