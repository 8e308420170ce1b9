/* store_pg.c: the run store (store.h) in PostgreSQL: every SQL statement of the engine. Claims,
 * CPU-only rows, running rows and skips go over the connection with synchronous_commit off
 * (lost in a database crash, they are simply redone); the ends of network steps and final
 * states over the durable one. Status changes are guarded updates by primary key. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "jsonh.h"
#include "nitems.h"
#include "store.h"
#include "xalloc.h"

#define MS_INTERVAL(n)	"$" #n "::bigint * interval '1 millisecond'"
/* The execution is running and leased to the store's owner ($n). */
#define HELD(id, n)							\
	"EXISTS (SELECT 1 FROM executions h WHERE h.id = " id " AND h.status = 'running' "	\
	"AND h.lease_owner = $" #n ")"

/* $1 ids, $2 owner, $3 lease ms, $4 queue entries (parallel to $1). Takes what is queued, or
 * running and released, expired, or leased to $2 itself (which does not run it any more). A
 * running execution whose lease ran out with another owner was abandoned by it: counted. */
static const char SQL_CLAIM[] =
	"UPDATE executions x SET status = 'running', attempt = x.attempt + 1, "
	"abandons = x.abandons + CASE WHEN x.status = 'running' AND x.lease_owner IS NOT NULL "
	"AND x.lease_owner <> $2 THEN 1 ELSE 0 END, start_time = COALESCE(x.start_time, now()), "
	"lease_owner = $2, lease_expires_at = now() + " MS_INTERVAL(3) ", queue_entry = d.entry "
	"FROM unnest($1::uuid[], $4::text[]) AS d(id, entry) "
	"WHERE x.id = ANY($1::uuid[]) AND x.id = d.id AND (x.status = 'queued' OR "
	"(x.status = 'running' AND (x.lease_owner IS NULL OR x.lease_owner = $2 OR "
	"x.lease_expires_at IS NULL OR x.lease_expires_at < now()))) "
	"RETURNING x.definition, x.inputs, x.attempt, x.id::text, x.abandons, "
	"COALESCE(x.traceparent, ''), x.trigger, (extract(epoch FROM x.start_time) * 1000)::bigint, "
	"COALESCE(x.replay_of::text, ''), x.replay";
static const char SQL_OUTCOME[] =
	"SELECT status, COALESCE(error, ''), results FROM executions WHERE id = $1";
static const char SQL_WHY[] =
	"SELECT status, lease_owner, (lease_expires_at IS NULL OR lease_expires_at < now()), "
	"COALESCE(queue_entry, '') FROM executions WHERE id = $1";
/* Steps a lost holder left running failed; then, per node, the last attempt number, whether
 * one succeeded, the latest success (the CTE's update is invisible to the SELECT, which only
 * needs successes and numbers), and the model tokens and estimated cost its attempts used
 * (their usage, priced as now: the run's budget goes on from there). */
/* The "kind" (prompt, completion) tokens of a step's usage over alias "t", 0 when none. */
#define USAGE_TOKENS(t, kind) \
	"COALESCE((" t ".usage->>'" kind "_tokens')::bigint, 0)"
static const char SQL_RESUME[] =
	"WITH a AS (UPDATE execution_steps SET status = 'failed', "
	"error = 'worker lost during the step', finished_at = now() "
	"WHERE execution_id = $1 AND status = 'running' AND " HELD("$1", 2) ") "
	"SELECT s.node_id, max(s.attempt), bool_or(s.status = 'succeeded'), "
	"(array_agg(s.output ORDER BY s.attempt DESC) FILTER (WHERE s.status = 'succeeded'))[1], "
	"COALESCE(sum(" USAGE_TOKENS("s", "prompt") " + " USAGE_TOKENS("s", "completion") "), 0), "
	"COALESCE(sum((" USAGE_TOKENS("s", "prompt") " * p.prompt_per_mtok + "
	USAGE_TOKENS("s", "completion") " * p.completion_per_mtok) / 1000000), 0) "
	"FROM execution_steps s LEFT JOIN model_prices p ON p.model = s.usage->>'model' "
	"WHERE s.execution_id = $1 GROUP BY s.node_id";
/* Finished CPU-only attempts ($2: a JSON array of rows) of an execution still held (running,
 * or cancelled and not settled yet). A row already there is kept. */
#define STEP_ROWS(src, from, arg, guard)					\
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, input, output, "\
	"error, started_at, finished_at, exchanges, replay_source) SELECT " src ", r.node_id, "\
	"r.attempt, r.status, r.input, r.output, r.error, r.started_at, r.finished_at, "	\
	"r.exchanges, r.replay_source FROM " from						\
	"jsonb_to_recordset(" arg "::jsonb) AS r(node_id text, attempt int, status text, "	\
	"input jsonb, output jsonb, error text, started_at timestamptz, "		\
	"finished_at timestamptz, exchanges jsonb, replay_source text) " guard		\
	" ON CONFLICT DO NOTHING"
static const char SQL_STEP_ROWS[] =
	"WITH h AS (SELECT 1 FROM executions h WHERE h.id = $1 AND h.lease_owner = $3 AND "
	"h.status IN ('running', 'cancelled')), i AS ("
	STEP_ROWS("$1::uuid", "h, ", "$2", "") ") SELECT count(*) FROM h";
/* A network step's running attempt ($2 the node, $3 its input, $4 the owner), after the
 * finished CPU-only attempts $5 (a JSON array, as SQL_STEP_ROWS takes it) under the same
 * guard: one round trip before the step's request leaves. */
static const char SQL_STEP_START[] =
	"WITH i AS (" STEP_ROWS("$1::uuid", "", "$5", "WHERE " HELD("$1", 4)) ") "
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, input) "
	"SELECT $1, $2, COALESCE(max(attempt), 0) + 1, 'running', $3::jsonb "
	"FROM execution_steps WHERE execution_id = $1 AND node_id = $2 "
	"HAVING " HELD("$1", 4) " RETURNING attempt";
static const char SQL_STEP_SKIP[] =
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, finished_at) "
	"SELECT $1, $2, COALESCE(max(attempt), 0) + 1, 'skipped', now() FROM execution_steps "
	"WHERE execution_id = $1 AND node_id = $2 "
	"HAVING NOT COALESCE(bool_or(status = 'skipped'), false) AND " HELD("$1", 3);
/* The ends of network attempts ($1: [{execution_id, node_id, attempt, status, output,
 * error, exchanges, replay_source}]) of executions held by $2, in one durable statement. */
static const char SQL_STEPS_END[] =
	"UPDATE execution_steps s SET status = d.status, output = d.output, error = d.error, "
	"exchanges = d.exchanges, replay_source = d.replay_source, "
	"finished_at = now() FROM jsonb_to_recordset($1::jsonb) AS d(execution_id uuid, "
	"node_id text, attempt int, status text, output jsonb, error text, exchanges jsonb, "
	"replay_source text), executions h "
	"WHERE s.execution_id = d.execution_id AND s.node_id = d.node_id AND "
	"s.attempt = d.attempt AND s.status = 'running' AND h.id = d.execution_id AND "
	"h.status = 'running' AND h.lease_owner = $2 "
	"RETURNING s.execution_id::text || '/' || s.node_id || '/' || s.attempt";
/* Final states ($1: [{id, status, results, error, steps}], $3: their ids, for the primary
 * key) with their last CPU-only rows, in one durable statement; nothing is written for an
 * execution no longer leased to $2. Returns the ids settled. */
static const char SQL_EXECS_END[] =
	"WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, status text, "
	"results jsonb, error text, steps jsonb)), "
	"e AS (UPDATE executions x SET status = d.status, results = d.results, error = d.error, "
	"end_time = CASE WHEN d.status = 'waiting' THEN NULL ELSE now() END, "
	"lease_owner = NULL, lease_expires_at = NULL FROM d "
	"WHERE x.id = ANY($3::uuid[]) AND x.id = d.id AND x.status = 'running' AND "
	"x.lease_owner = $2 RETURNING x.id, d.steps), "
	"s AS (" STEP_ROWS("e.id", "e, ", "e.steps", "") ") SELECT id::text FROM e";
/* Never-started nodes ($2) get a cancelled row, running attempts are cancelled with $3 as
 * their error: one statement, so a reader sees both or neither. */
static const char SQL_CANCEL_STEPS[] =
	"WITH p AS (INSERT INTO execution_steps (execution_id, node_id, attempt, status, error, "
	"finished_at) SELECT $1, n, COALESCE((SELECT max(s.attempt) FROM execution_steps s "
	"WHERE s.execution_id = $1 AND s.node_id = n), 0) + 1, 'cancelled', "
	"'cancelled before it started', now() FROM unnest($2::text[]) AS n) "
	"UPDATE execution_steps SET status = 'cancelled', error = $3, finished_at = now() "
	"WHERE execution_id = $1 AND status IN ('running', 'waiting')";
/* Whoever flips lease_owner to '' publishes execution.cancelled: exactly one does. */
static const char SQL_CANCEL_TAKE[] =
	"UPDATE executions SET lease_owner = '', lease_expires_at = NULL "
	"WHERE id = $1 AND status = 'cancelled' AND lease_owner IS DISTINCT FROM '' AND "
	"(lease_owner = $2 OR lease_owner IS NULL OR lease_expires_at IS NULL OR "
	"lease_expires_at < now()) RETURNING id";
/* The recording of $1 for a replay: the last attempt of each node that ended. */
static const char SQL_RECORDING[] =
	"SELECT COALESCE(json_agg(json_build_object('node_id', r.node_id, 'status', r.status, "
	"'output', r.output, 'error', r.error, 'exchanges', r.exchanges)), '[]') FROM "
	"(SELECT DISTINCT ON (node_id) node_id, status, output, error, exchanges "
	"FROM execution_steps WHERE execution_id = $1 AND status IN ('succeeded', 'failed') "
	"ORDER BY node_id, attempt DESC) r";
static const char SQL_RENEW[] =
	"UPDATE executions SET lease_expires_at = now() + " MS_INTERVAL(3) " "
	"WHERE id = ANY($2::uuid[]) AND lease_owner = $1 AND status = 'running' RETURNING id::text";
static const char SQL_RELEASE[] =
	"UPDATE executions SET lease_owner = NULL, lease_expires_at = NULL "
	"WHERE id = ANY($2::uuid[]) AND lease_owner = $1 AND status = 'running'";

struct store_pg {
	struct store	 s;		/* first: a struct store * is a struct store_pg * */
	struct db	*db;		/* durable */
	struct db	*db_fast;	/* synchronous_commit off */
};

static enum store_rc
store_pg_rc(enum db_rc rc)
{
	switch (rc) {
	case DB_OK:
		return STORE_OK;
	case DB_NOTFOUND:
		return STORE_NOTFOUND;
	case DB_INVALID:
		return STORE_INVALID;
	default:
		return STORE_FAILED;
	}
}

/* Appends "s" to Postgres array literal "b" ("{" already written). Ids and node ids are
 * [A-Za-z0-9_-]: safe as bare elements; queue entry ids are digits and one dash. */
static void
store_pg_elem(struct buf *b, const char *s)
{
	buf_printf(b, "%s%s", b->len > 1 ? "," : "", s);
}

/* Writes the array literal of the "n" strings "items" into "b" (initialised by the caller,
 * who clears it). */
static void
store_pg_array(struct buf *b, const char *const *items, size_t n)
{
	size_t	 i;

	buf_puts(b, "{");
	for (i = 0; i < n; i++)
		store_pg_elem(b, items[i]);
	buf_puts(b, "}");
}

/* Sets found[i] for each of the "n" ids that column 0 of "res" returned (UUIDs in lower case,
 * as Postgres writes them; the engine's ids are lower case too). */
static void
store_pg_mark(PGresult *res, const char *const *ids, size_t n, bool *found)
{
	json_object	*set = jsonh_new_object();
	size_t		 i;
	int		 r;

	for (r = 0; r < PQntuples(res); r++)
		json_object_object_add(set, PQgetvalue(res, r, 0), NULL);
	for (i = 0; i < n; i++)
		found[i] = json_object_object_get_ex(set, ids[i], NULL);
	json_object_put(set);
}

static enum store_rc
store_pg_claim(struct store *s, const struct store_claim_req *reqs, size_t n, long lease_ms,
    struct store_claims *out)
{
	struct store_pg	*pg = (struct store_pg *)s;
	struct buf	 ids, entries;
	PGresult	*res = NULL;
	char		 lease[24];
	enum db_rc	 drc;
	size_t		 i;
	int		 r;

	out->rows = NULL;
	out->n = 0;
	buf_init(&ids);
	buf_init(&entries);
	buf_puts(&ids, "{");
	buf_puts(&entries, "{");
	for (i = 0; i < n; i++) {
		store_pg_elem(&ids, reqs[i].id);
		store_pg_elem(&entries, reqs[i].entry);
	}
	buf_puts(&ids, "}");
	buf_puts(&entries, "}");
	snprintf(lease, sizeof(lease), "%ld", lease_ms);
	drc = db_exec(pg->db_fast, SQL_CLAIM, 4, (const char *[]){ ids.data, s->owner, lease,
	    entries.data }, &res);
	buf_clear(&ids);
	buf_clear(&entries);
	if (drc != DB_OK)
		return store_pg_rc(drc);
	if (PQntuples(res) > 0)
		out->rows = xcalloc((size_t)PQntuples(res), sizeof(*out->rows));
	for (r = 0; r < PQntuples(res); r++) {
		struct store_claim *c = &out->rows[out->n++];

		c->definition = db_json(res, r, 0);
		c->inputs = db_json(res, r, 1);
		c->attempt = atoi(PQgetvalue(res, r, 2));
		snprintf(c->id, sizeof(c->id), "%s", PQgetvalue(res, r, 3));
		c->abandons = atoi(PQgetvalue(res, r, 4));
		snprintf(c->traceparent, sizeof(c->traceparent), "%s", PQgetvalue(res, r, 5));
		snprintf(c->trigger, sizeof(c->trigger), "%s", PQgetvalue(res, r, 6));
		c->start_ms = strtoll(PQgetvalue(res, r, 7), NULL, 10);
		snprintf(c->replay_of, sizeof(c->replay_of), "%s", PQgetvalue(res, r, 8));
		c->replay = db_json(res, r, 9);
	}
	PQclear(res);
	return STORE_OK;
}

static enum store_rc
store_pg_why(struct store *s, const char *id, struct store_why *out)
{
	struct store_pg	*pg = (struct store_pg *)s;
	PGresult	*res = NULL;
	const char	*owner;
	enum db_rc	 drc;

	memset(out, 0, sizeof(*out));
	if ((drc = db_row(pg->db, SQL_WHY, 1, (const char *[]){ id }, &res)) != DB_OK)
		return store_pg_rc(drc);
	snprintf(out->status, sizeof(out->status), "%s", PQgetvalue(res, 0, 0));
	if ((owner = db_text(res, 0, 1)) != NULL) {
		out->has_owner = true;
		snprintf(out->owner, sizeof(out->owner), "%s", owner);
	}
	out->expired = PQgetvalue(res, 0, 2)[0] == 't';
	snprintf(out->entry, sizeof(out->entry), "%s", PQgetvalue(res, 0, 3));
	PQclear(res);
	return STORE_OK;
}

static enum store_rc
store_pg_outcome(struct store *s, const char *id, struct store_outcome *out)
{
	struct store_pg	*pg = (struct store_pg *)s;
	PGresult	*res = NULL;
	enum db_rc	 drc;

	memset(out, 0, sizeof(*out));
	if ((drc = db_row(pg->db, SQL_OUTCOME, 1, (const char *[]){ id }, &res)) != DB_OK)
		return store_pg_rc(drc);
	snprintf(out->status, sizeof(out->status), "%s", PQgetvalue(res, 0, 0));
	snprintf(out->error, sizeof(out->error), "%s", PQgetvalue(res, 0, 1));
	out->results = db_json(res, 0, 2);
	PQclear(res);
	return STORE_OK;
}

static enum store_rc
store_pg_resume(struct store *s, const char *id, struct store_earlier **out, size_t *n)
{
	struct store_pg	*pg = (struct store_pg *)s;
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 r;

	*out = NULL;
	*n = 0;
	if ((drc = db_exec(pg->db, SQL_RESUME, 2, (const char *[]){ id, s->owner }, &res)) !=
	    DB_OK)
		return store_pg_rc(drc);
	if (PQntuples(res) > 0)
		*out = xcalloc((size_t)PQntuples(res), sizeof(**out));
	for (r = 0; r < PQntuples(res); r++) {
		struct store_earlier *e = &(*out)[(*n)++];

		snprintf(e->node_id, sizeof(e->node_id), "%s", PQgetvalue(res, r, 0));
		e->last_attempt = atoi(PQgetvalue(res, r, 1));
		e->succeeded = PQgetvalue(res, r, 2)[0] == 't';
		e->output = e->succeeded ? db_json(res, r, 3) : NULL;
		e->tokens = strtoll(PQgetvalue(res, r, 4), NULL, 10);
		e->cost_usd = strtod(PQgetvalue(res, r, 5), NULL);
	}
	PQclear(res);
	return STORE_OK;
}

static enum store_rc
store_pg_step_start(struct store *s, const char *id, const char *node_id, json_object *input,
    json_object *rows, int *attempt)
{
	struct store_pg	*pg = (struct store_pg *)s;
	PGresult	*res = NULL;
	enum db_rc	 drc;

	/* No fsync needed: a step that did not complete runs again on resume whether or not this
	 * row survived. Its end is written durably. */
	if ((drc = db_row(pg->db_fast, SQL_STEP_START, 5, (const char *[]){ id, node_id,
	    jsonh_str(input), s->owner, rows != NULL ? jsonh_str(rows) : "[]" }, &res)) != DB_OK)
		return store_pg_rc(drc);
	*attempt = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return STORE_OK;
}

static enum store_rc
store_pg_step_rows(struct store *s, const char *id, json_object *rows)
{
	struct store_pg	*pg = (struct store_pg *)s;
	PGresult	*res = NULL;
	enum db_rc	 drc;
	bool		 held;

	if ((drc = db_row(pg->db_fast, SQL_STEP_ROWS, 3, (const char *[]){ id, jsonh_str(rows),
	    s->owner }, &res)) != DB_OK)
		return store_pg_rc(drc);
	held = atoi(PQgetvalue(res, 0, 0)) > 0;
	PQclear(res);
	return held ? STORE_OK : STORE_NOTFOUND;
}

static enum store_rc
store_pg_step_skip(struct store *s, const char *id, const char *node_id)
{
	struct store_pg	*pg = (struct store_pg *)s;

	return store_pg_rc(db_exec(pg->db_fast, SQL_STEP_SKIP, 3, (const char *[]){ id,
	    node_id, s->owner }, NULL));
}

static enum store_rc
store_pg_steps_end(struct store *s, struct store_step_end *const *ends, size_t n,
    bool *applied)
{
	struct store_pg	*pg = (struct store_pg *)s;
	json_object	*batch = jsonh_new_array(), *row;
	char		(*keys)[UUID_STRLEN + 96] = NULL;
	const char	*keyv[STORE_FLUSH_MAX];
	PGresult	*res = NULL;
	enum db_rc	 drc;
	size_t		 i;

	if (n > STORE_FLUSH_MAX) {
		json_object_put(batch);
		return STORE_FAILED;
	}
	keys = xcalloc(n + 1, sizeof(*keys));
	for (i = 0; i < n; i++) {
		snprintf(keys[i], sizeof(keys[i]), "%s/%s/%d", ends[i]->execution_id,
		    ends[i]->node_id, ends[i]->attempt);
		keyv[i] = keys[i];
		row = jsonh_new_object();
		json_object_object_add(row, "execution_id",
		    jsonh_new_string(ends[i]->execution_id));
		json_object_object_add(row, "node_id", jsonh_new_string(ends[i]->node_id));
		json_object_object_add(row, "attempt", jsonh_new_int(ends[i]->attempt));
		json_object_object_add(row, "status", jsonh_new_string(ends[i]->status));
		json_object_object_add(row, "output", json_object_get(ends[i]->output));
		json_object_object_add(row, "error", jsonh_string_or_null(ends[i]->error));
		json_object_object_add(row, "exchanges", json_object_get(ends[i]->exchanges));
		json_object_object_add(row, "replay_source",
		    jsonh_string_or_null(ends[i]->replay_source));
		json_object_array_add(batch, row);
	}
	drc = db_exec(pg->db, SQL_STEPS_END, 2, (const char *[]){ jsonh_str(batch), s->owner },
	    &res);
	json_object_put(batch);
	if (drc == DB_OK)
		store_pg_mark(res, keyv, n, applied);
	PQclear(res);
	free(keys);
	return store_pg_rc(drc);
}

static enum store_rc
store_pg_execs_end(struct store *s, struct store_exec_end *const *ends, size_t n,
    bool *settled)
{
	struct store_pg	*pg = (struct store_pg *)s;
	json_object	*batch = jsonh_new_array(), *o;
	struct buf	 ids;
	const char	*idv[STORE_FLUSH_MAX];
	PGresult	*res = NULL;
	enum db_rc	 drc;
	size_t		 i;

	if (n > NITEMS(idv))
		return STORE_INVALID;
	for (i = 0; i < n; i++) {
		idv[i] = ends[i]->execution_id;
		o = jsonh_new_object();
		json_object_object_add(o, "id", jsonh_new_string(ends[i]->execution_id));
		json_object_object_add(o, "status", jsonh_new_string(ends[i]->status));
		json_object_object_add(o, "results", json_object_get(ends[i]->results));
		json_object_object_add(o, "error", jsonh_string_or_null(ends[i]->error));
		json_object_object_add(o, "steps", json_object_get(ends[i]->steps));
		json_object_array_add(batch, o);
	}
	buf_init(&ids);
	store_pg_array(&ids, idv, n);
	drc = db_exec(pg->db, SQL_EXECS_END, 3, (const char *[]){ jsonh_str(batch), s->owner,
	    ids.data }, &res);
	json_object_put(batch);
	buf_clear(&ids);
	if (drc != DB_OK)
		return store_pg_rc(drc);
	store_pg_mark(res, idv, n, settled);
	PQclear(res);
	return STORE_OK;
}

static enum store_rc
store_pg_cancel_steps(struct store *s, const char *id, const char *const *pending,
    size_t npending, const char *why)
{
	struct store_pg	*pg = (struct store_pg *)s;
	struct buf	 arr;
	enum db_rc	 drc;

	buf_init(&arr);
	store_pg_array(&arr, pending, npending);
	drc = db_exec(pg->db, SQL_CANCEL_STEPS, 3, (const char *[]){ id, arr.data, why }, NULL);
	buf_clear(&arr);
	return store_pg_rc(drc);
}

static enum store_rc
store_pg_cancel_take(struct store *s, const char *id, bool *taken)
{
	struct store_pg	*pg = (struct store_pg *)s;
	PGresult	*res = NULL;
	enum db_rc	 drc;

	*taken = false;
	drc = db_row(pg->db, SQL_CANCEL_TAKE, 2, (const char *[]){ id, s->owner }, &res);
	PQclear(res);
	if (drc == DB_NOTFOUND)
		return STORE_OK;
	*taken = drc == DB_OK;
	return store_pg_rc(drc);
}

/* Runs "sql" ($1 owner, $2 the ids, $3 "extra") and marks in "found" the ids it returned. */
static enum store_rc
store_pg_by_ids(struct db *db, const char *sql, const char *owner, const char *const *ids,
    size_t n, const char *extra, bool *found)
{
	struct buf	 arr;
	PGresult	*res = NULL;
	enum db_rc	 drc;

	buf_init(&arr);
	store_pg_array(&arr, ids, n);
	drc = db_exec(db, sql, extra != NULL ? 3 : 2, (const char *[]){ owner, arr.data, extra },
	    &res);
	buf_clear(&arr);
	if (drc != DB_OK)
		return store_pg_rc(drc);
	if (found != NULL)
		store_pg_mark(res, ids, n, found);
	PQclear(res);
	return STORE_OK;
}

static enum store_rc
store_pg_renew(struct store *s, const char *const *ids, size_t n, long lease_ms, bool *alive)
{
	struct store_pg	*pg = (struct store_pg *)s;
	char		 lease[24];

	snprintf(lease, sizeof(lease), "%ld", lease_ms);
	return store_pg_by_ids(pg->db, SQL_RENEW, s->owner, ids, n, lease, alive);
}

static enum store_rc
store_pg_release(struct store *s, const char *const *ids, size_t n)
{
	struct store_pg	*pg = (struct store_pg *)s;

	return store_pg_by_ids(pg->db, SQL_RELEASE, s->owner, ids, n, NULL, NULL);
}

static void
store_pg_free(struct store *s)
{
	free(s);
}

static enum store_rc
store_pg_recording(struct store *s, const char *id, json_object **out)
{
	struct store_pg	*pg = (struct store_pg *)s;
	PGresult	*res = NULL;
	enum db_rc	 drc;

	*out = NULL;
	if ((drc = db_row(pg->db, SQL_RECORDING, 1, (const char *[]){ id }, &res)) != DB_OK)
		return store_pg_rc(drc);
	*out = db_json(res, 0, 0);
	PQclear(res);
	return *out != NULL ? STORE_OK : STORE_FAILED;
}

static const struct store_ops store_pg_ops = {
	.claim = store_pg_claim,
	.why = store_pg_why,
	.outcome = store_pg_outcome,
	.resume = store_pg_resume,
	.step_start = store_pg_step_start,
	.step_rows = store_pg_step_rows,
	.step_skip = store_pg_step_skip,
	.steps_end = store_pg_steps_end,
	.execs_end = store_pg_execs_end,
	.cancel_steps = store_pg_cancel_steps,
	.cancel_take = store_pg_cancel_take,
	.renew = store_pg_renew,
	.release = store_pg_release,
	.recording = store_pg_recording,
	.free = store_pg_free,
};

struct store *
store_pg_new(struct db *db, struct db *db_fast, const char *owner,
    void (*want_flush)(void *), void *arg)
{
	struct store_pg	*pg;

	pg = xcalloc(1, sizeof(*pg));
	pg->db = db;
	pg->db_fast = db_fast;
	store_init(&pg->s, &store_pg_ops, owner, want_flush, arg);
	return &pg->s;
}
