/* usage.c: usage at a glance, read from the hourly rollups that sql/085_usage.sql keeps as
 * runs end: GET /usage/runs (runs per hour by status with p50/p95 durations), GET
 * /usage/models (calls, tokens and estimated cost per model at the prices of
 * model_prices) and GET /usage/failing (the workflows with the most failed runs). A user
 * sees its own runs, an admin everyone's, as GET /executions. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "usage_hist.h"
#include "xalloc.h"

#define USAGE_FAILING_DEFAULT	10
#define USAGE_FAILING_MAX	50
/* The owner of usage_runs' rows that count everyone's runs (sql/085_usage.sql). */
#define USAGE_EVERYONE		"ffffffff-ffff-ffff-ffff-ffffffffffff"

/* The ranges shown: the last 24 hours or 7 days, the current hour included. */
static const struct usage_range {
	const char	*name;
	const char	*interval;	/* hours before the current one, as SQL text */
	int		 hours;
} usage_ranges[] = {
	{ "24h", "23 hours", 24 },
	{ "7d", "167 hours", 168 },
};

enum usage_status { US_SUCCEEDED, US_FAILED, US_CANCELLED, US__MAX };
static const char *const usage_status_names[US__MAX] = { "succeeded", "failed", "cancelled" };

/* The hours of usage_runs in the range: $1 owner filter (NULL: the row counting everyone's
 * runs), $2 interval. The first column is the current hour (epoch seconds) on every row; a
 * range without rows gives one row of NULLs. */
static const char SQL_RUNS[] =
	"WITH n AS (SELECT date_trunc('hour', now()) AS h) "
	"SELECT extract(epoch FROM n.h)::bigint, extract(epoch FROM u.hour)::bigint, "
	"u.succeeded, u.failed, u.cancelled, u.timed, u.duration_ms_sum, u.duration_hist::text "
	"FROM n LEFT JOIN usage_runs u ON u.hour >= n.h - $2::interval AND "
	"u.owner_id = COALESCE($1::uuid, '" USAGE_EVERYONE "')";

/* Calls, tokens and cost per model: $1 owner filter, $2 interval, $3 range name. */
static const char SQL_MODELS[] =
	"WITH m AS (SELECT u.provider, u.model, sum(u.calls) AS calls, "
	"sum(u.prompt_tokens) AS prompt, sum(u.completion_tokens) AS completion "
	"FROM usage_models u WHERE u.hour >= date_trunc('hour', now()) - $2::interval AND "
	"($1::uuid IS NULL OR u.owner_id = $1) GROUP BY u.provider, u.model), "
	"c AS (SELECT m.*, p.prompt_per_mtok, p.completion_per_mtok, (m.prompt * "
	"p.prompt_per_mtok + m.completion * p.completion_per_mtok) / 1000000 AS cost "
	"FROM m LEFT JOIN model_prices p ON p.model = m.model) "
	"SELECT json_build_object('range', $3::text, 'items', COALESCE(json_agg("
	"json_build_object('provider', provider, 'model', model, 'calls', calls, "
	"'prompt_tokens', prompt, 'completion_tokens', completion, 'prompt_per_mtok', "
	"prompt_per_mtok::float8, 'completion_per_mtok', completion_per_mtok::float8, "
	"'cost', cost::float8) ORDER BY prompt + completion DESC, provider, model), '[]'), "
	"'totals', json_build_object('calls', COALESCE(sum(calls), 0), 'prompt_tokens', "
	"COALESCE(sum(prompt), 0), 'completion_tokens', COALESCE(sum(completion), 0), "
	"'cost', COALESCE(sum(cost), 0)::float8, 'unpriced_models', count(*) FILTER "
	"(WHERE cost IS NULL))) FROM c";

/* The workflows with the most failed runs: $1 owner filter, $2 interval, $3 range, $4
 * limit. A deleted workflow's name is null. */
static const char SQL_FAILING[] =
	"WITH f AS (SELECT u.workflow_id, sum(u.failed) AS failed, sum(u.runs) AS runs "
	"FROM usage_workflows u WHERE u.hour >= date_trunc('hour', now()) - $2::interval AND "
	"($1::uuid IS NULL OR u.owner_id = $1) GROUP BY u.workflow_id HAVING sum(u.failed) > 0 "
	"ORDER BY sum(u.failed) DESC, u.workflow_id LIMIT $4::int) "
	"SELECT json_build_object('range', $3::text, 'items', COALESCE(json_agg("
	"json_build_object('workflow_id', f.workflow_id, 'name', w.name, 'failed', f.failed, "
	"'runs', f.runs, 'failure_rate', round(f.failed::numeric / f.runs, 4)::float8) "
	"ORDER BY f.failed DESC, f.workflow_id), '[]')) FROM f "
	"LEFT JOIN workflows w ON w.id = f.workflow_id";

/* One hour's (or the range's) runs per status and duration histogram. */
struct usage_hour {
	int64_t	 runs[US__MAX];
	int64_t	 timed;
	int64_t	 ms_sum;
	int64_t	 hist[USAGE_BUCKETS];
};

/* Reads the "range" parameter (default 24h). Returns the range, or NULL after answering
 * 422. */
static const struct usage_range *
usage_range_parse(struct req *rq)
{
	char	 v[8];
	size_t	 i;
	int	 q;

	if ((q = req_query(rq, "range", v, sizeof(v))) == 0)
		return &usage_ranges[0];
	for (i = 0; q == 1 && i < sizeof(usage_ranges) / sizeof(usage_ranges[0]); i++)
		if (strcmp(v, usage_ranges[i].name) == 0)
			return &usage_ranges[i];
	resp_invalid(rq, "range", "must be 24h or 7d");
	return NULL;
}

/* The "p"-th percentile of histogram "h" of "n" durations as JSON: ms, or null. */
static json_object *
usage_percentile(const int64_t *h, int64_t n, double p)
{
	int64_t	 ms = usage_hist_percentile(h, n, p);

	return ms < 0 ? NULL : jsonh_new_int64(ms);
}

/* Adds row "i" of SQL_RUNS to "u". */
static void
usage_row_add(struct usage_hour *u, const PGresult *res, int i)
{
	int	 s;

	for (s = 0; s < US__MAX; s++)
		u->runs[s] += strtoll(PQgetvalue(res, i, 2 + s), NULL, 10);
	u->timed += strtoll(PQgetvalue(res, i, 5), NULL, 10);
	u->ms_sum += strtoll(PQgetvalue(res, i, 6), NULL, 10);
	usage_hist_add(u->hist, PQgetvalue(res, i, 7));
}

/* The JSON of one hour (with "hour" its start, epoch seconds) or of the range's totals. */
static json_object *
usage_hour_json(const struct usage_hour *u, int64_t hour, int totals)
{
	json_object	*o = jsonh_new_object();
	char		 t[32];
	time_t		 tt = (time_t)hour;
	struct tm	 tm;
	int64_t		 all = 0;
	int		 s;

	if (!totals) {
		gmtime_r(&tt, &tm);
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_object_add(o, "hour", jsonh_new_string(t));
	}
	for (s = 0; s < US__MAX; s++) {
		json_object_object_add(o, usage_status_names[s], jsonh_new_int64(u->runs[s]));
		all += u->runs[s];
	}
	if (totals) {
		json_object_object_add(o, "runs", jsonh_new_int64(all));
		json_object_object_add(o, "mean_ms", u->timed > 0 ?
		    jsonh_new_int64(u->ms_sum / u->timed) : NULL);
	}
	json_object_object_add(o, "p50_ms", usage_percentile(u->hist, u->timed, 0.50));
	json_object_object_add(o, "p95_ms", usage_percentile(u->hist, u->timed, 0.95));
	return o;
}

/* Sums the rows of SQL_RUNS into "hours" (range->hours, oldest first) and "total". */
static void
usage_runs_sum(const PGresult *res, const struct usage_range *range, int64_t first,
    struct usage_hour *hours, struct usage_hour *total)
{
	int64_t	 h;
	int	 i, b, s;

	for (i = 0; i < PQntuples(res); i++) {
		if (PQgetisnull(res, i, 1))
			continue;
		h = (strtoll(PQgetvalue(res, i, 1), NULL, 10) - first) / 3600;
		if (h < 0 || h >= range->hours)
			continue;
		usage_row_add(&hours[h], res, i);
	}
	for (h = 0; h < range->hours; h++) {
		for (s = 0; s < US__MAX; s++)
			total->runs[s] += hours[h].runs[s];
		total->timed += hours[h].timed;
		total->ms_sum += hours[h].ms_sum;
		for (b = 0; b < USAGE_BUCKETS; b++)
			total->hist[b] += hours[h].hist[b];
	}
}

/* GET /usage/runs?range=24h|7d: {range, buckets: [{hour, succeeded, failed, cancelled,
 * p50_ms, p95_ms}] one per hour oldest first, totals: {runs, …, mean_ms, p50_ms, p95_ms}}.
 * Returns 0. */
int
usage_runs(struct req *rq)
{
	const struct usage_range	*range;
	struct usage_hour		*hours = NULL, total;
	json_object			*body = NULL, *a;
	PGresult			*res = NULL;
	enum db_rc			 drc;
	int64_t				 first;
	int				 h, rc;

	if ((range = usage_range_parse(rq)) == NULL)
		return 0;
	drc = db_exec(rq->app->db, SQL_RUNS, 2, (const char *[]){ req_owner_filter(rq),
	    range->interval }, &res);
	if (drc != DB_OK) {
		rc = resp_db_error(rq, drc);
		goto out;
	}
	hours = xcalloc((size_t)range->hours, sizeof(*hours));
	memset(&total, 0, sizeof(total));
	first = strtoll(PQgetvalue(res, 0, 0), NULL, 10) - (int64_t)(range->hours - 1) * 3600;
	usage_runs_sum(res, range, first, hours, &total);
	body = jsonh_new_object();
	json_object_object_add(body, "range", jsonh_new_string(range->name));
	a = jsonh_new_array_ext(range->hours);
	for (h = 0; h < range->hours; h++)
		json_object_array_add(a, usage_hour_json(&hours[h], first + h * 3600, 0));
	json_object_object_add(body, "buckets", a);
	json_object_object_add(body, "totals", usage_hour_json(&total, 0, 1));
	rc = resp_json(rq, 200, body);
out:
	json_object_put(body);
	free(hours);
	PQclear(res);
	return rc;
}

/* GET /usage/models?range=: {range, items: [{provider, model, calls, prompt_tokens,
 * completion_tokens, prompt_per_mtok, completion_per_mtok, cost}], totals}; cost and prices
 * are null for a model without a price. Returns 0. */
int
usage_models(struct req *rq)
{
	const struct usage_range	*range;

	if ((range = usage_range_parse(rq)) == NULL)
		return 0;
	return resp_row(rq, 200, SQL_MODELS, 3, (const char *[]){ req_owner_filter(rq),
	    range->interval, range->name });
}

/* GET /usage/failing?range=&limit=: {range, items: [{workflow_id, name, failed, runs,
 * failure_rate}]}, most failed runs first. Returns 0. */
int
usage_failing(struct req *rq)
{
	const struct usage_range	*range;
	char				 v[8], lim[8], *end;
	long				 n = USAGE_FAILING_DEFAULT;
	int				 q;

	if ((range = usage_range_parse(rq)) == NULL)
		return 0;
	if ((q = req_query(rq, "limit", v, sizeof(v))) != 0) {
		n = q == 1 ? strtol(v, &end, 10) : -1;
		if (q != 1 || end == v || *end != '\0' || n < 1 || n > USAGE_FAILING_MAX)
			return resp_invalid(rq, "limit", "must be an integer from 1 to 50");
	}
	snprintf(lim, sizeof(lim), "%ld", n);
	return resp_row(rq, 200, SQL_FAILING, 4, (const char *[]){ req_owner_filter(rq),
	    range->interval, range->name, lim });
}
