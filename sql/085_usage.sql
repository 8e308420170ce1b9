-- 085_usage.sql: usage at a glance. Hourly rollups of ended runs and of model calls, kept up
-- to date by triggers as runs end and agent steps record their usage, so that the dashboard's
-- aggregate routes (fcgi/usage.c) read a few hundred rows instead of scanning executions.
-- The rollups hold no reference to executions: retention deletes never touch them (usage is
-- history). Also the per-model prices (model_prices) that turn tokens into an estimated cost.

-- Runs ended in an hour, per owner, by final status. duration_hist counts the runs that have a
-- start and an end by duration on a fixed log scale (usage_bucket), so percentiles come
-- from the buckets: 128 buckets, bucket 1 below 1 ms, bucket k >= 2 from 2^((k-2)/4) ms up to
-- 2^((k-1)/4) ms (about 19 % wide), the last one open-ended from 2^31.5 ms (24 days).
-- owner_id is the zero UUID for runs whose owner is gone, and each hour has one more row,
-- owner ffffffff-ffff-ffff-ffff-ffffffffffff, counting everyone's runs (what admins read).
CREATE TABLE usage_runs (
	hour		timestamptz NOT NULL,
	owner_id	uuid NOT NULL,
	succeeded	bigint NOT NULL,
	failed		bigint NOT NULL,
	cancelled	bigint NOT NULL,
	timed		bigint NOT NULL,
	duration_ms_sum	bigint NOT NULL,
	duration_hist	integer[] NOT NULL,
	PRIMARY KEY (hour, owner_id)
) WITH (fillfactor = 50);

-- Runs of each workflow ended in an hour, per owner, and how many of them failed.
CREATE TABLE usage_workflows (
	hour		timestamptz NOT NULL,
	owner_id	uuid NOT NULL,
	workflow_id	uuid NOT NULL,
	runs		integer NOT NULL,	-- integer: summed over many rows, it sums fast
	failed		integer NOT NULL,
	PRIMARY KEY (hour, owner_id, workflow_id)
) WITH (fillfactor = 50);

-- Model calls recorded in an hour, per owner, provider and model (as the vendor named it).
CREATE TABLE usage_models (
	hour		  timestamptz NOT NULL,
	owner_id	  uuid NOT NULL,
	provider	  text NOT NULL,
	model		  text NOT NULL,
	calls		  bigint NOT NULL,
	prompt_tokens	  bigint NOT NULL,
	completion_tokens bigint NOT NULL,
	PRIMARY KEY (hour, owner_id, provider, model)
) WITH (fillfactor = 50);

-- What a model costs, in currency units per million tokens, as admins set it (GET and PUT
-- /settings/model-prices). Read by the usage routes; one table both daemons can read.
CREATE TABLE model_prices (
	model		text PRIMARY KEY CHECK (length(model) BETWEEN 1 AND 200),
	prompt_per_mtok	numeric(14, 6) NOT NULL CHECK (prompt_per_mtok >= 0),
	completion_per_mtok numeric(14, 6) NOT NULL CHECK (completion_per_mtok >= 0),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- The histogram bucket (1-128) of a duration in milliseconds; NULL for NULL.
CREATE FUNCTION usage_bucket(ms bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN ms IS NULL THEN NULL WHEN ms < 1 THEN 1
		ELSE least(128, floor(4 * ln(ms::float8) / ln(2.0))::integer + 2) END
$$;

-- The element-wise sum of two histograms.
CREATE FUNCTION usage_hist_sum(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

-- A 128-bucket histogram from parallel arrays of buckets and counts (NULL buckets ignored).
CREATE FUNCTION usage_hist_of(bs integer[], ns bigint[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT array_agg(COALESCE(x.n, 0)::integer ORDER BY i)
	FROM generate_series(1, 128) AS i
	LEFT JOIN (SELECT unnest(bs) AS b, unnest(ns) AS n) AS x ON x.b = i
$$;

-- A run's duration in milliseconds: NULL unless it has a start and an end.
CREATE FUNCTION usage_ms(start_time timestamptz, end_time timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN start_time IS NOT NULL AND end_time IS NOT NULL THEN
		greatest(0, round(extract(epoch FROM end_time - start_time) * 1000))::bigint END
$$;

-- What the rollups need of an ended run.
CREATE TYPE usage_run AS (hour timestamptz, owner_id uuid, workflow_id uuid, status text,
	ms bigint);

-- Counts ended runs "r" into usage_runs (each owner's row and everyone's) and
-- usage_workflows, one upsert per row touched, in key order: concurrent batches lock the
-- rows they share in the same order and cannot deadlock. usage_backfill() computes the same
-- from the stored rows (tests/it_usage checks that they agree).
CREATE FUNCTION usage_count_runs(r usage_run[]) RETURNS void
LANGUAGE sql AS $$
	WITH e AS (SELECT * FROM unnest(r)),
	k AS (SELECT hour, owner_id, status, ms FROM e UNION ALL
	    SELECT hour, 'ffffffff-ffff-ffff-ffff-ffffffffffff', status, ms FROM e),
	b AS (SELECT hour, owner_id, usage_bucket(ms) AS b,
	    count(*) FILTER (WHERE status = 'succeeded') AS s,
	    count(*) FILTER (WHERE status = 'failed') AS f,
	    count(*) FILTER (WHERE status = 'cancelled') AS c,
	    count(ms) AS t, sum(ms) AS ms FROM k GROUP BY 1, 2, 3),
	g AS (SELECT hour, owner_id, sum(s)::bigint AS s, sum(f)::bigint AS f,
	    sum(c)::bigint AS c, sum(t)::bigint AS t, COALESCE(sum(ms), 0)::bigint AS ms,
	    usage_hist_of(array_agg(b), array_agg(t)) AS hist FROM b GROUP BY 1, 2),
	runs AS (INSERT INTO usage_runs AS u SELECT * FROM g ORDER BY hour, owner_id
	    ON CONFLICT (hour, owner_id) DO UPDATE SET
	    succeeded = u.succeeded + EXCLUDED.succeeded, failed = u.failed + EXCLUDED.failed,
	    cancelled = u.cancelled + EXCLUDED.cancelled, timed = u.timed + EXCLUDED.timed,
	    duration_ms_sum = u.duration_ms_sum + EXCLUDED.duration_ms_sum,
	    duration_hist = usage_hist_sum(u.duration_hist, EXCLUDED.duration_hist))
	INSERT INTO usage_workflows AS w
	SELECT hour, owner_id, workflow_id, count(*), count(*) FILTER (WHERE status = 'failed')
	FROM e WHERE workflow_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (hour, owner_id, workflow_id) DO UPDATE SET runs = w.runs + EXCLUDED.runs,
	    failed = w.failed + EXCLUDED.failed
$$;

-- Statement triggers: a run counts in the hour it ended, once per ending (a retried run
-- again). jobd ends runs in batches (one UPDATE); each batch is counted in one call.
CREATE FUNCTION usage_runs_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM usage_count_runs(array_agg(ROW(date_trunc('hour', COALESCE(n.end_time, now())),
	    COALESCE(n.owner_id, '00000000-0000-0000-0000-000000000000'), n.workflow_id,
	    n.status, usage_ms(n.start_time, n.end_time))::usage_run))
	FROM new_rows n JOIN old_rows o ON o.id = n.id
	WHERE o.status IN ('queued', 'running') AND
	    n.status IN ('succeeded', 'failed', 'cancelled')
	HAVING count(*) > 0;
	RETURN NULL;
END
$$;

CREATE FUNCTION usage_runs_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM usage_count_runs(array_agg(ROW(date_trunc('hour', COALESCE(n.end_time, now())),
	    COALESCE(n.owner_id, '00000000-0000-0000-0000-000000000000'), n.workflow_id,
	    n.status, usage_ms(n.start_time, n.end_time))::usage_run))
	FROM new_rows n WHERE n.status IN ('succeeded', 'failed', 'cancelled')
	HAVING count(*) > 0;
	RETURN NULL;
END
$$;

-- Counts the usage an agent step recorded ({provider, model, prompt_tokens,
-- completion_tokens, calls: [...]}, see jobd/agent.h) in the hour it was recorded.
CREATE FUNCTION usage_step_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	o	uuid;
BEGIN
	IF jsonb_typeof(NEW.usage) <> 'object' OR NOT NEW.usage ? 'model' THEN
		RETURN NULL;
	END IF;
	SELECT COALESCE(owner_id, '00000000-0000-0000-0000-000000000000') INTO o
	FROM executions WHERE id = NEW.execution_id;
	INSERT INTO usage_models AS m VALUES (date_trunc('hour', now()),
	    COALESCE(o, '00000000-0000-0000-0000-000000000000'),
	    COALESCE(NEW.usage->>'provider', ''), COALESCE(NEW.usage->>'model', ''),
	    CASE WHEN jsonb_typeof(NEW.usage->'calls') = 'array'
		THEN jsonb_array_length(NEW.usage->'calls') ELSE 1 END,
	    COALESCE((NEW.usage->>'prompt_tokens')::bigint, 0),
	    COALESCE((NEW.usage->>'completion_tokens')::bigint, 0))
	ON CONFLICT (hour, owner_id, provider, model) DO UPDATE SET calls = m.calls + EXCLUDED.calls,
	    prompt_tokens = m.prompt_tokens + EXCLUDED.prompt_tokens,
	    completion_tokens = m.completion_tokens + EXCLUDED.completion_tokens;
	RETURN NULL;
END
$$;

CREATE TRIGGER usage_runs_ended AFTER UPDATE ON executions
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION usage_runs_ended();
CREATE TRIGGER usage_runs_inserted AFTER INSERT ON executions
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION usage_runs_inserted();
-- An agent step records its usage with a one-row UPDATE (jobd/nodes/agent.c).
CREATE TRIGGER usage_step_recorded AFTER UPDATE OF usage ON execution_steps FOR EACH ROW
	WHEN (OLD.usage IS NULL AND NEW.usage IS NOT NULL)
	EXECUTE FUNCTION usage_step_recorded();

-- Fills the empty rollups from the executions and steps kept so far (this migration's
-- backfill; bench/usage.sh times it on a million executions). Returns the runs counted.
CREATE FUNCTION usage_backfill() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	total	bigint;
BEGIN
	WITH e AS (SELECT date_trunc('hour', COALESCE(end_time, created_at)) AS hour,
		COALESCE(owner_id, '00000000-0000-0000-0000-000000000000') AS owner_id,
		workflow_id, status, usage_ms(start_time, end_time) AS ms
	    FROM executions WHERE status IN ('succeeded', 'failed', 'cancelled')),
	runs AS (INSERT INTO usage_runs
	    SELECT hour, owner_id, sum(s), sum(f), sum(c), sum(t), COALESCE(sum(ms), 0)::bigint,
		usage_hist_of(array_agg(b), array_agg(t))
	    FROM (SELECT hour, owner_id, usage_bucket(ms) AS b,
		    count(*) FILTER (WHERE status = 'succeeded') AS s,
		    count(*) FILTER (WHERE status = 'failed') AS f,
		    count(*) FILTER (WHERE status = 'cancelled') AS c,
		    count(ms) AS t, sum(ms) AS ms
		FROM (SELECT hour, owner_id, status, ms FROM e UNION ALL
		    SELECT hour, 'ffffffff-ffff-ffff-ffff-ffffffffffff', status, ms FROM e) AS k
		GROUP BY 1, 2, 3) AS g
	    GROUP BY hour, owner_id)
	INSERT INTO usage_workflows
	SELECT hour, owner_id, workflow_id, count(*), count(*) FILTER (WHERE status = 'failed')
	FROM e WHERE workflow_id IS NOT NULL GROUP BY 1, 2, 3;
	INSERT INTO usage_models
	SELECT date_trunc('hour', COALESCE(s.finished_at, s.started_at)),
	    COALESCE(e.owner_id, '00000000-0000-0000-0000-000000000000'),
	    COALESCE(s.usage->>'provider', ''), s.usage->>'model',
	    sum(CASE WHEN jsonb_typeof(s.usage->'calls') = 'array'
		THEN jsonb_array_length(s.usage->'calls') ELSE 1 END),
	    sum(COALESCE((s.usage->>'prompt_tokens')::bigint, 0)),
	    sum(COALESCE((s.usage->>'completion_tokens')::bigint, 0))
	FROM execution_steps s JOIN executions e ON e.id = s.execution_id
	WHERE jsonb_typeof(s.usage) = 'object' AND s.usage ? 'model'
	GROUP BY 1, 2, 3, 4;
	SELECT COALESCE(sum(succeeded + failed + cancelled), 0) INTO total FROM usage_runs
	WHERE owner_id = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
	RETURN total;
END
$$;

SELECT usage_backfill();
