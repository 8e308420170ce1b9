/* prices.c: the editable part of the settings: GET and PUT /settings/model-prices (admins),
 * what each model costs per million prompt and completion tokens (table model_prices,
 * sql/085_usage.sql). GET /usage/models turns tokens into an estimated cost with them; a
 * model without a price has no cost (null), never zero. */
#include "config.h"

#include <string.h>

#include "db.h"
#include "handlers.h"
#include "jsonh.h"

#define SQL_PRICES_JSON \
	"SELECT json_build_object('items', COALESCE(json_agg(json_build_object('model', model, " \
	"'prompt_per_mtok', prompt_per_mtok::float8, 'completion_per_mtok', " \
	"completion_per_mtok::float8, 'updated_at', updated_at) ORDER BY model), '[]')) " \
	"FROM model_prices"

static const char SQL_PRICES_LIST[] = SQL_PRICES_JSON;
/* Replaces the list with $1 ([{model, prompt_per_mtok, completion_per_mtok}], models
 * unique); a price that did not change keeps its updated_at. */
static const char SQL_PRICES_UPSERT[] =
	"INSERT INTO model_prices AS p (model, prompt_per_mtok, completion_per_mtok) "
	"SELECT model, prompt_per_mtok, completion_per_mtok FROM jsonb_to_recordset($1::jsonb) "
	"AS d(model text, prompt_per_mtok numeric, completion_per_mtok numeric) "
	"ON CONFLICT (model) DO UPDATE SET prompt_per_mtok = EXCLUDED.prompt_per_mtok, "
	"completion_per_mtok = EXCLUDED.completion_per_mtok, updated_at = now() "
	"WHERE (p.prompt_per_mtok, p.completion_per_mtok) IS DISTINCT FROM "
	"(EXCLUDED.prompt_per_mtok, EXCLUDED.completion_per_mtok)";
static const char SQL_PRICES_PRUNE[] =
	"DELETE FROM model_prices WHERE model <> ALL (SELECT d->>'model' FROM "
	"jsonb_array_elements($1::jsonb) AS d)";

/* GET /settings/model-prices: {items: [{model, prompt_per_mtok, completion_per_mtok,
 * updated_at}]} by model. Returns 0. */
int
prices_get(struct req *rq)
{
	return resp_row(rq, 200, SQL_PRICES_LIST, 0, NULL);
}

/* Answers 422 when two items of "items" name the same model. Returns 0 when they are
 * unique, -1 after answering. */
static int
prices_unique(struct req *rq, json_object *items)
{
	json_object	*seen = jsonh_new_object();
	const char	*m;
	size_t		 i, n = json_object_array_length(items);
	int		 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		m = jsonh_get_string(json_object_array_get_idx(items, i), "model");
		if (json_object_object_get_ex(seen, m, NULL)) {
			resp_invalid(rq, "items", "names a model twice");
			rc = -1;
		} else
			json_object_object_add(seen, m, NULL);
	}
	json_object_put(seen);
	return rc;
}

/* PUT /settings/model-prices {items}: replaces the prices (schema ModelPrices: at most 500,
 * each model 1-200 characters, prices 0 to 1,000,000) and answers the new list. Returns 0. */
int
prices_put(struct req *rq)
{
	json_object	*items = jsonh_get_typed(rq->json, "items", json_type_array);
	const char	*p[1];
	enum db_rc	 drc;

	if (prices_unique(rq, items) == -1)
		return 0;
	p[0] = jsonh_str(items);
	if ((drc = db_begin(rq)) != DB_OK)
		return resp_db_error(rq, drc);
	if ((drc = db_exec(rq->app->db, SQL_PRICES_UPSERT, 1, p, NULL)) != DB_OK ||
	    (drc = db_exec(rq->app->db, SQL_PRICES_PRUNE, 1, p, NULL)) != DB_OK ||
	    (drc = db_commit(rq)) != DB_OK) {
		db_rollback(rq);
		return resp_db_error(rq, drc);
	}
	return resp_row(rq, 200, SQL_PRICES_LIST, 0, NULL);
}
