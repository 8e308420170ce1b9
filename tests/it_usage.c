/* it_usage.c: integration suite of usage at a glance against the real stack: runs ended
 * with known statuses and durations (made in SQL, so the rollup triggers of
 * sql/085_usage.sql count them) give the right counts per hour and plausible p50/p95; the
 * top failing workflows; an agent's chat against tests/llmsrv counted per model, its cost
 * unknown (null) until an admin prices the model; GET/PUT /settings/model-prices; scope (a
 * user sees its own runs, an admin everyone's); 422 naming the parameter; and the
 * migration's backfill (usage_backfill) rebuilding the same rollup from the executions. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"

#define V1	"/api/v1"

static struct llmsrv	 srv;
static char		*tok_a;		/* editor "it-usage-a": runs made in SQL */
static char		*tok_b;		/* editor "it-usage-b": real runs and a chat */
static char		 id_a[UUID_STRLEN + 1], id_b[UUID_STRLEN + 1];
static char		 wf1[UUID_STRLEN + 1], wf2[UUID_STRLEN + 1];

/* ---------------------------------------------------------------- helpers */

/* GETs "path" as "token", asserts 200 and returns the answer (caller puts). */
static json_object *
get_ok(const char *path, const char *token)
{
	struct http_resp	 r;
	json_object		*o;

	ck_assert_int_eq(it_req("GET", path, NULL, token, &r), 200);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body.data);
	o = json_object_get(r.json);
	http_resp_clear(&r);
	return o;
}

/* The integer member "key" of "o" (which must be an integer). */
static long long
num(json_object *o, const char *key)
{
	json_object	*v = json_object_object_get(o, key);

	ck_assert_msg(json_object_is_type(v, json_type_int), "%s: %s", key, jsonh_str(o));
	return (long long)json_object_get_int64(v);
}

/* Copies the id of the user behind "token" into "id". */
static void
user_id(const char *token, char id[UUID_STRLEN + 1])
{
	json_object	*me = get_ok(V1 "/auth/me", token);

	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(me, "id"));
	json_object_put(me);
}

/* Makes "n" runs of workflow "wf" owned by "owner" that end with "status" after
 * "ms0", "ms0 + step", … milliseconds (no start when "ms0" is negative): inserted queued,
 * then ended by an UPDATE, as jobd ends runs. */
static void
runs_make(const char *owner, const char *wf, const char *status, int n, int ms0, int step)
{
	it_sql(eng_fmt("INSERT INTO executions (id, workflow_id, workflow_version, definition, "
	    "owner_id, status, start_time) SELECT gen_random_uuid(), $$%s$$, 1, $${}$$, $$%s$$, "
	    "$$queued$$, CASE WHEN %d >= 0 THEN now() END FROM generate_series(1, %d); "
	    "UPDATE executions e SET status = $$%s$$, end_time = COALESCE(q.start_time + (%d + "
	    "%d * (q.i - 1)) * interval $$1 millisecond$$, now()) FROM (SELECT id, start_time, "
	    "row_number() OVER (ORDER BY id) AS i FROM executions WHERE owner_id = $$%s$$ AND "
	    "status = $$queued$$) q WHERE e.id = q.id", wf, owner, ms0, n, status, ms0, step,
	    owner));
}

/* Asserts "got" is within 12 % of "want" (a histogram bucket is about 19 % wide). */
static void
assert_near(long long got, double want)
{
	ck_assert_msg(fabs((double)got - want) <= 0.12 * want, "%lld, want about %.0f", got,
	    want);
}

/* ---------------------------------------------------------------- runs */

START_TEST(test_runs)
{
	json_object	*u, *t, *bs, *b;
	long long	 sum[3] = { 0, 0, 0 };
	size_t		 i;

	u = get_ok(V1 "/usage/runs?range=24h", tok_a);
	ck_assert_str_eq(jsonh_get_string(u, "range"), "24h");
	bs = json_object_object_get(u, "buckets");
	ck_assert_uint_eq(json_object_array_length(bs), 24);
	for (i = 0; i < 24; i++) {
		b = json_object_array_get_idx(bs, i);
		sum[0] += num(b, "succeeded");
		sum[1] += num(b, "failed");
		sum[2] += num(b, "cancelled");
	}
	t = json_object_object_get(u, "totals");
	ck_assert_int_eq(num(t, "succeeded"), 10);
	ck_assert_int_eq(num(t, "failed"), 9);
	ck_assert_int_eq(num(t, "cancelled"), 4);
	ck_assert_int_eq(num(t, "runs"), 23);
	ck_assert_int_eq(sum[0], 10);
	ck_assert_int_eq(sum[1], 9);
	ck_assert_int_eq(sum[2], 4);
	/* Timed: 100…1000 ms (10), 2000 ms (6), 3000 ms (3); the cancelled never started. */
	ck_assert_int_eq(num(t, "mean_ms"), (5500 + 6 * 2000 + 3 * 3000) / 19);
	assert_near(num(t, "p50_ms"), 1000);
	assert_near(num(t, "p95_ms"), 3000);
	/* The last bucket is the current hour; the runs ended in it, or in the one before when
	 * the hour turned since the fixture ran. */
	b = json_object_array_get_idx(bs, 23);
	ck_assert_str_eq(jsonh_get_string(b, "hour"), it_sql("SELECT to_char(date_trunc("
	    "$$hour$$, now() AT TIME ZONE $$UTC$$), $$YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"$$)"));
	ck_assert_int_eq(num(b, "succeeded") + num(json_object_array_get_idx(bs, 22),
	    "succeeded"), 10);
	json_object_put(u);
	u = get_ok(V1 "/usage/runs?range=7d", tok_a);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(u, "buckets")), 168);
	ck_assert_int_eq(num(json_object_object_get(u, "totals"), "runs"), 23);
	json_object_put(u);
}
END_TEST

/* A user sees its own runs, an admin everyone's. */
START_TEST(test_scope)
{
	json_object	*u, *t;

	u = get_ok(V1 "/usage/runs", tok_b);
	t = json_object_object_get(u, "totals");
	ck_assert_int_eq(num(t, "succeeded"), 3);	/* two workflow runs and the chat */
	ck_assert_int_eq(num(t, "failed"), 0);
	ck_assert(json_object_is_type(json_object_object_get(t, "p50_ms"), json_type_int));
	json_object_put(u);
	u = get_ok(V1 "/usage/failing", tok_b);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(u, "items")), 0);
	json_object_put(u);
	u = get_ok(V1 "/usage/models", tok_a);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(u, "items")), 0);
	ck_assert_int_eq(num(json_object_object_get(u, "totals"), "calls"), 0);
	json_object_put(u);
	u = get_ok(V1 "/usage/runs", it_token());
	t = json_object_object_get(u, "totals");
	ck_assert_int_ge(num(t, "succeeded"), 13);
	ck_assert_int_ge(num(t, "failed"), 9);
	json_object_put(u);
}
END_TEST

START_TEST(test_failing)
{
	json_object	*u, *a, *x;

	u = get_ok(V1 "/usage/failing?range=7d", tok_a);
	ck_assert_str_eq(jsonh_get_string(u, "range"), "7d");
	a = json_object_object_get(u, "items");
	ck_assert_uint_eq(json_object_array_length(a), 2);
	x = json_object_array_get_idx(a, 0);
	ck_assert_str_eq(jsonh_get_string(x, "workflow_id"), wf1);
	ck_assert_str_eq(jsonh_get_string(x, "name"), "usage-one");
	ck_assert_int_eq(num(x, "failed"), 6);
	ck_assert_int_eq(num(x, "runs"), 20);
	ck_assert(fabs(json_object_get_double(json_object_object_get(x, "failure_rate")) -
	    0.3) < 1e-9);
	x = json_object_array_get_idx(a, 1);
	ck_assert_str_eq(jsonh_get_string(x, "workflow_id"), wf2);
	ck_assert_int_eq(num(x, "failed"), 3);
	ck_assert(json_object_get_double(json_object_object_get(x, "failure_rate")) == 1.0);
	json_object_put(u);
	u = get_ok(V1 "/usage/failing?limit=1", tok_a);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(u, "items")), 1);
	json_object_put(u);
}
END_TEST

/* Usage is history: deleting ended runs (as retention does) leaves the counts alone. */
START_TEST(test_history_kept)
{
	json_object	*u;
	char		 id[UUID_STRLEN + 1];

	snprintf(id, sizeof(id), "%s", it_sql(eng_fmt("SELECT id FROM executions WHERE "
	    "workflow_id = $$%s$$ AND status = $$failed$$ LIMIT 1", wf2)));
	ck_assert_int_eq(it_status("DELETE", eng_fmt(V1 "/executions/%s", id), NULL, tok_a), 204);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE id = $$%s$$", id)),
	    "0");
	u = get_ok(V1 "/usage/runs", tok_a);
	ck_assert_int_eq(num(json_object_object_get(u, "totals"), "failed"), 9);
	json_object_put(u);
	u = get_ok(V1 "/usage/failing", tok_a);
	ck_assert_int_eq(num(json_object_array_get_idx(json_object_object_get(u, "items"), 1),
	    "failed"), 3);
	json_object_put(u);
}
END_TEST

/* ---------------------------------------------------------------- models and prices */

/* The item of model "llmsrv" (as the vendor names itself) in GET /usage/models as user B. */
static json_object *
llmsrv_usage(json_object **all)
{
	json_object	*a, *x;

	*all = get_ok(V1 "/usage/models?range=24h", tok_b);
	a = json_object_object_get(*all, "items");
	ck_assert_uint_eq(json_object_array_length(a), 1);
	x = json_object_array_get_idx(a, 0);
	ck_assert_str_eq(jsonh_get_string(x, "model"), "llmsrv");
	ck_assert_str_eq(jsonh_get_string(x, "provider"), "openai");
	ck_assert_int_eq(num(x, "calls"), 2);
	ck_assert_int_eq(num(x, "prompt_tokens"), 140);
	ck_assert_int_eq(num(x, "completion_tokens"), 27);
	return x;
}

START_TEST(test_models)
{
	json_object	*all, *x, *t;
	double		 cost;

	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[]}",
	    it_token()), 200);
	x = llmsrv_usage(&all);
	ck_assert(json_object_is_type(json_object_object_get(x, "cost"), json_type_null));
	t = json_object_object_get(all, "totals");
	ck_assert_int_eq(num(t, "unpriced_models"), 1);
	ck_assert_int_eq(num(t, "prompt_tokens"), 140);
	json_object_put(all);
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[{\"model\":"
	    "\"llmsrv\",\"prompt_per_mtok\":2.5,\"completion_per_mtok\":10},{\"model\":"
	    "\"other\",\"prompt_per_mtok\":0,\"completion_per_mtok\":0}]}", it_token()), 200);
	x = llmsrv_usage(&all);
	cost = json_object_get_double(json_object_object_get(x, "cost"));
	ck_assert_msg(fabs(cost - (140 * 2.5 + 27 * 10) / 1e6) < 1e-12, "cost %g", cost);
	ck_assert(json_object_get_double(json_object_object_get(x, "prompt_per_mtok")) == 2.5);
	t = json_object_object_get(all, "totals");
	ck_assert_int_eq(num(t, "unpriced_models"), 0);
	ck_assert(fabs(json_object_get_double(json_object_object_get(t, "cost")) - cost) <
	    1e-12);
	json_object_put(all);
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[]}",
	    it_token()), 200);
}
END_TEST

START_TEST(test_prices)
{
	struct http_resp	 r;
	json_object		*a;

	ck_assert_int_eq(it_req("PUT", V1 "/settings/model-prices", "{\"items\":[{\"model\":"
	    "\"gpt-x\",\"prompt_per_mtok\":1.25,\"completion_per_mtok\":5},{\"model\":\"b\","
	    "\"prompt_per_mtok\":3,\"completion_per_mtok\":15}]}", it_token(), &r), 200);
	a = json_object_object_get(r.json, "items");
	ck_assert_uint_eq(json_object_array_length(a), 2);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(a, 0), "model"), "b");
	http_resp_clear(&r);
	/* A model left out loses its price. */
	ck_assert_int_eq(it_req("PUT", V1 "/settings/model-prices", "{\"items\":[{\"model\":"
	    "\"gpt-x\",\"prompt_per_mtok\":2,\"completion_per_mtok\":5}]}", it_token(), &r), 200);
	a = json_object_object_get(r.json, "items");
	ck_assert_uint_eq(json_object_array_length(a), 1);
	ck_assert(json_object_get_double(json_object_object_get(json_object_array_get_idx(a, 0),
	    "prompt_per_mtok")) == 2.0);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("GET", V1 "/settings/model-prices", NULL, it_token(), &r), 200);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(r.json, "items")), 1);
	http_resp_clear(&r);
	/* Only admins. */
	ck_assert_int_eq(it_status("GET", V1 "/settings/model-prices", NULL, tok_a), 403);
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[]}", tok_a),
	    403);
	/* Bad bodies name the field. */
	it_req("PUT", V1 "/settings/model-prices", "{\"items\":[{\"model\":\"a\","
	    "\"prompt_per_mtok\":1,\"completion_per_mtok\":1},{\"model\":\"a\","
	    "\"prompt_per_mtok\":2,\"completion_per_mtok\":2}]}", it_token(), &r);
	it_assert_problem_at(&r, 422, "items");
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[{\"model\":"
	    "\"a\",\"prompt_per_mtok\":-1,\"completion_per_mtok\":1}]}", it_token()), 422);
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[{\"model\":"
	    "\"\",\"prompt_per_mtok\":1,\"completion_per_mtok\":1}]}", it_token()), 422);
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[{\"model\":"
	    "\"a\",\"prompt_per_mtok\":1}]}", it_token()), 422);
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{}", it_token()), 422);
	/* The refused bodies changed nothing. */
	ck_assert_str_eq(it_sql("SELECT string_agg(model, $$,$$) FROM model_prices"), "gpt-x");
	ck_assert_int_eq(it_status("PUT", V1 "/settings/model-prices", "{\"items\":[]}",
	    it_token()), 200);
}
END_TEST

/* ---------------------------------------------------------------- parameters, backfill */

static const struct {
	const char	*path;
	const char	*field;
} bad[] = {
	{ V1 "/usage/runs?range=1y", "range" },
	{ V1 "/usage/runs?range=", "range" },
	{ V1 "/usage/models?range=24hours", "range" },
	{ V1 "/usage/failing?range=30d", "range" },
	{ V1 "/usage/failing?limit=0", "limit" },
	{ V1 "/usage/failing?limit=51", "limit" },
	{ V1 "/usage/failing?limit=ten", "limit" },
	{ V1 "/usage/failing?limit=", "limit" },
};

START_TEST(test_bad_params)
{
	struct http_resp	 r;

	it_req("GET", bad[_i].path, NULL, tok_a, &r);
	it_assert_problem_at(&r, 422, bad[_i].field);
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("GET", V1 "/usage/runs", NULL, NULL), 401);
}
END_TEST

/* The histogram helpers the rollups add with (sql/150_usage_plans.sql), against buckets
 * spelt out: counts land in their bucket (1 and 128 included), NULL buckets and buckets out
 * of range are ignored, a NULL count adds nothing, no counts give 128 zeros, and two
 * histograms add bucket by bucket. */
START_TEST(test_histogram_helpers)
{
	ck_assert_str_eq(it_sql("SELECT usage_hist_of(ARRAY[1, 5, 128, NULL, 0, 129, 7], "
	    "ARRAY[2, 3, 4, 9, 9, 9, NULL]::bigint[]) = (SELECT array_agg(CASE i WHEN 1 THEN 2 "
	    "WHEN 5 THEN 3 WHEN 128 THEN 4 ELSE 0 END ORDER BY i) FROM generate_series(1, 128) i)"),
	    "t");
	ck_assert_str_eq(it_sql("SELECT usage_hist_of(NULL, NULL) = array_fill(0, ARRAY[128]) "
	    "AND usage_hist_of(ARRAY[]::integer[], ARRAY[]::bigint[]) = "
	    "array_fill(0, ARRAY[128])"), "t");
	ck_assert_str_eq(it_sql("SELECT usage_hist_sum(usage_hist_of(ARRAY[1, 64], ARRAY[1, 2]), "
	    "usage_hist_of(ARRAY[64, 128], ARRAY[5, 7])) = usage_hist_of(ARRAY[1, 64, 128], "
	    "ARRAY[1, 7, 7]) AND array_length(usage_hist_sum(array_fill(1, ARRAY[128]), "
	    "array_fill(2, ARRAY[128])), 1) = 128 AND usage_hist_sum(array_fill(1, ARRAY[128]), "
	    "array_fill(2, ARRAY[128])) = array_fill(3, ARRAY[128])"), "t");
}
END_TEST

/* Runs inserted already ended (no engine path does, an import might) are counted too, by
 * the row trigger of sql/150_usage_plans.sql; one still queued is not. Two succeeded runs of
 * 250 ms and a cancelled one that never started, one statement, for user A: its rows and
 * everyone's gain exactly those. Rolled back. */
#define RUN_SUMS(owner)							\
	"(SELECT concat_ws($$ $$, sum(succeeded), sum(cancelled), sum(timed), "		\
	"sum(duration_ms_sum), sum(failed)) FROM usage_runs WHERE owner_id = $$" owner "$$)"
#define WORKFLOW_RUNS(owner, wf)					\
	"(SELECT sum(runs) FROM usage_workflows WHERE owner_id = $$" owner "$$ AND "	\
	"workflow_id = $$" wf "$$)"
#define USAGE_COUNTS							\
	RUN_SUMS("%s") " || $$ $$ || " RUN_SUMS("ffffffff-ffff-ffff-ffff-ffffffffffff")	\
	" || $$ $$ || " WORKFLOW_RUNS("%s", "%s")
START_TEST(test_inserted_ended)
{
	long long	 v[22];		/* the 11 counts before, then the same 11 after */
	const char	*got;
	char		*p, *end;
	int		 i;

	got = it_sql(eng_fmt("BEGIN; CREATE TEMP TABLE b AS SELECT " USAGE_COUNTS " AS t; "
	    "INSERT INTO executions (id, workflow_id, workflow_version, definition, owner_id, "
	    "status, start_time, end_time) SELECT gen_random_uuid(), $$%s$$, 1, $${}$$, $$%s$$, s, "
	    "CASE WHEN s = $$succeeded$$ THEN now() - interval $$250 milliseconds$$ END, "
	    "CASE WHEN s <> $$queued$$ THEN now() END FROM unnest(ARRAY[$$succeeded$$, "
	    "$$succeeded$$, $$cancelled$$, $$queued$$]) AS s; SELECT b.t || $$ $$ || "
	    USAGE_COUNTS " FROM b; ROLLBACK", id_a, id_a, wf1, wf1, id_a, id_a, id_a, wf1));
	for (i = 0, p = (char *)got; i < 22; i++, p = end) {
		v[i] = strtoll(p, &end, 10);
		ck_assert_msg(end != p, "counts: %s", got);
	}
	ck_assert_msg(*p == '\0', "counts: %s", got);
	/* A's row, then everyone's: succeeded, cancelled, timed, their milliseconds, failed;
	 * then A's runs of the workflow. */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(v[11 + 5 * i] - v[5 * i], 2);
		ck_assert_int_eq(v[11 + 5 * i + 1] - v[5 * i + 1], 1);
		ck_assert_int_eq(v[11 + 5 * i + 2] - v[5 * i + 2], 2);
		ck_assert_int_eq(v[11 + 5 * i + 3] - v[5 * i + 3], 500);
		ck_assert_int_eq(v[11 + 5 * i + 4] - v[5 * i + 4], 0);
	}
	ck_assert_int_eq(v[21] - v[10], 3);
}
END_TEST

/* usage_backfill(), which the migration runs, rebuilds from the executions and steps the
 * rows that the triggers kept (compared for this suite's users; other suites' pruned runs
 * are history the rebuild cannot see). Rolled back. */
START_TEST(test_backfill)
{
	const char	*diff;

	diff = it_sql(eng_fmt("BEGIN; CREATE TEMP TABLE r AS SELECT * FROM usage_runs WHERE "
	    "owner_id IN ($$%s$$, $$%s$$); CREATE TEMP TABLE w AS SELECT * FROM usage_workflows "
	    "WHERE owner_id IN ($$%s$$, $$%s$$); CREATE TEMP TABLE m AS SELECT owner_id, "
	    "provider, model, sum(calls) c, sum(prompt_tokens) p, sum(completion_tokens) k FROM "
	    "usage_models WHERE owner_id = $$%s$$ GROUP BY 1, 2, 3; TRUNCATE usage_runs, "
	    "usage_workflows, usage_models; CREATE TEMP TABLE n AS SELECT usage_backfill(); "
	    "SELECT (SELECT count(*) FROM r) || $$/$$ || ((SELECT count(*) FROM (SELECT * FROM r "
	    "EXCEPT SELECT * FROM usage_runs WHERE owner_id IN ($$%s$$, $$%s$$)) x) + (SELECT "
	    "count(*) FROM (SELECT * FROM usage_runs WHERE owner_id IN ($$%s$$, $$%s$$) EXCEPT "
	    "SELECT * FROM r) x) + (SELECT count(*) FROM (SELECT * FROM w EXCEPT SELECT * FROM "
	    "usage_workflows WHERE owner_id IN ($$%s$$, $$%s$$)) x) + (SELECT count(*) FROM "
	    "(SELECT owner_id, provider, model, sum(calls), sum(prompt_tokens), "
	    "sum(completion_tokens) FROM usage_models WHERE owner_id = $$%s$$ GROUP BY 1, 2, 3 "
	    "EXCEPT SELECT * FROM m) x) + (SELECT count(*) FROM (SELECT * FROM m EXCEPT SELECT "
	    "owner_id, provider, model, sum(calls), sum(prompt_tokens), sum(completion_tokens) "
	    "FROM usage_models WHERE owner_id = $$%s$$ GROUP BY 1, 2, 3) x)); ROLLBACK", id_a,
	    id_b, id_a, id_b, id_b, id_a, id_b, id_a, id_b, id_a, id_b, id_b, id_b));
	/* A's hour and B's (two hours when the hour turned meanwhile). None may differ. */
	ck_assert_msg(atoi(diff) >= 2 && strcmp(strchr(diff, '/'), "/0") == 0,
	    "rows kept/differing: %s", diff);
}
END_TEST

/* ---------------------------------------------------------------- fixture */

/* User A's runs, made in SQL; user B's, through the stack (two workflow runs, one chat). */
static void
fixture(void)
{
	char		 cred[UUID_STRLEN + 1], agent[UUID_STRLEN + 1], wf[UUID_STRLEN + 1];
	char		 ex[UUID_STRLEN + 1];
	struct http_resp r;
	json_object	*o;
	int		 i;

	tok_a = it_login_as("it-usage-a", "editor");
	tok_b = it_login_as("it-usage-b", "editor");
	ck_assert(tok_a != NULL && tok_b != NULL);
	user_id(tok_a, id_a);
	user_id(tok_b, id_b);
	it_create(V1 "/workflows", "{\"name\":\"usage-one\",\"definition\":" IT_DEF "}", tok_a,
	    wf1);
	it_create(V1 "/workflows", "{\"name\":\"usage-two\",\"definition\":" IT_DEF "}", tok_a,
	    wf2);
	runs_make(id_a, wf1, "succeeded", 10, 100, 100);
	runs_make(id_a, wf1, "failed", 6, 2000, 0);
	runs_make(id_a, wf1, "cancelled", 4, -1, 0);
	runs_make(id_a, wf2, "failed", 3, 3000, 0);
	it_create(V1 "/workflows", "{\"name\":\"usage-b\",\"definition\":" IT_DEF "}", tok_b, wf);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(it_req("POST", eng_fmt(V1 "/workflows/%s/executions", wf),
		    "{\"inputs\":{\"x\":1},\"wait\":20}", tok_b, &r), 200);
		ck_assert_str_eq(jsonh_get_string(r.json, "status"), "succeeded");
		http_resp_clear(&r);
	}
	it_create(V1 "/credentials", "{\"name\":\"usage-llm\",\"provider\":\"openai\","
	    "\"secret\":\"sk-usage\"}", tok_b, cred);
	it_create(V1 "/agents", eng_fmt("{\"name\":\"usage-react\",\"configuration\":"
	    "{\"provider\":\"openai\",\"base_url\":\"%s/v1\",\"model\":\"react\","
	    "\"credential_id\":\"%s\",\"tools\":[\"calculator\",\"current_time\"],"
	    "\"max_iterations\":5}}", srv.base, cred), tok_b, agent);
	ck_assert_int_eq(it_req("POST", eng_fmt(V1 "/agents/%s/chat", agent),
	    "{\"message\":\"What is 6*7, and what time is it in Paris?\"}", tok_b, &r), 202);
	snprintf(ex, sizeof(ex), "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	it_set_token(tok_b);
	o = eng_wait(ex, NULL, 30000);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(jsonh_get_string(o, "status"), "succeeded");
	json_object_put(o);
	ck_assert_ptr_nonnull(it_login_admin());
}

int
main(void)
{
	Suite	*s = suite_create("usage");
	TCase	*tc = tcase_create("usage");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_usage: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	if (llmsrv_start(&srv) != 0) {
		fprintf(stderr, "it_usage: cannot start tests/llmsrv\n");
		return EXIT_FAILURE;
	}
	/* The fixture runs once, in this process: every test reads what it made. */
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, fixture, NULL);
	tcase_add_test(tc, test_runs);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_failing);
	tcase_add_test(tc, test_models);
	tcase_add_test(tc, test_prices);
	tcase_add_loop_test(tc, test_bad_params, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_histogram_helpers);
	tcase_add_test(tc, test_inserted_ended);
	tcase_add_test(tc, test_backfill);
	tcase_add_test(tc, test_history_kept);	/* last: it deletes one of A's runs */
	suite_add_tcase(s, tc);
	rc = check_run(s);
	llmsrv_stop(&srv);
	free(tok_a);
	free(tok_b);
	curl_global_cleanup();
	return rc;
}
