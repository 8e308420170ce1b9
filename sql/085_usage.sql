-- 085_usage.sql: usage at a glance. Hourly rollups of ended runs and of model calls, kept up
-- to date by triggers as runs end and agent steps record their usage, so that the dashboard's
-- aggregate routes (fcgi/usage.c) read a few hundred rows instead of scanning executions.
-- The rollups hold no reference to executions: retention deletes never touch them (usage is
-- history). Also the per-model prices (model_prices) that turn tokens into an estimated cost.

-- Runs ended in an hour, per owner and final status. duration_hist counts the runs that have
-- a start and an end by duration on a fixed log scale (usage_bucket), so percentiles come
-- from the buckets: 128 buckets, bucket 1 below 1 ms, bucket k >= 2 from 2^((k-2)/4) ms up to
-- 2^((k-1)/4) ms (about 19 % wide), the last one open-ended from 2^31.5 ms (24 days).
-- owner_id is the zero UUID for runs whose owner is gone.
CREATE TABLE usage_runs (
	hour		timestamptz NOT NULL,
	owner_id	uuid NOT NULL,
	status		text NOT NULL,
	runs		bigint NOT NULL,
	timed		bigint NOT NULL,
	duration_ms_sum	bigint NOT NULL,
	duration_hist	integer[] NOT NULL,
	PRIMARY KEY (hour, owner_id, status)
) WITH (fillfactor = 50);

-- Runs of each workflow ended in an hour, per owner, and how many of them failed.
CREATE TABLE usage_workflows (
	hour		timestamptz NOT NULL,
	owner_id	uuid NOT NULL,
	workflow_id	uuid NOT NULL,
	runs		bigint NOT NULL,
	failed		bigint NOT NULL,
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

-- "hist" with bucket "b" counted once more ("hist" itself when "b" is NULL).
CREATE FUNCTION usage_hist_add(hist integer[], b integer) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN b IS NULL THEN hist
		ELSE hist[1:b - 1] || (hist[b] + 1) || hist[b + 1:128] END
$$;

-- A 128-bucket histogram from parallel arrays of buckets and counts (NULL buckets ignored).
CREATE FUNCTION usage_hist_of(bs integer[], ns bigint[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT array_agg(COALESCE(x.n, 0)::integer ORDER BY i)
	FROM generate_series(1, 128) AS i
	LEFT JOIN (SELECT unnest(bs) AS b, unnest(ns) AS n) AS x ON x.b = i
$$;

-- Counts an ended run: its hour is the hour it ended.
CREATE FUNCTION usage_run_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	h	timestamptz := date_trunc('hour', COALESCE(NEW.end_time, now()));
	o	uuid := COALESCE(NEW.owner_id, '00000000-0000-0000-0000-000000000000');
	ms	bigint;
BEGIN
	IF NEW.start_time IS NOT NULL AND NEW.end_time IS NOT NULL THEN
		ms := greatest(0, round(extract(epoch FROM NEW.end_time - NEW.start_time)
		    * 1000))::bigint;
	END IF;
	INSERT INTO usage_runs AS u VALUES (h, o, NEW.status, 1, (ms IS NOT NULL)::integer,
	    COALESCE(ms, 0), usage_hist_add(array_fill(0, ARRAY[128]), usage_bucket(ms)))
	ON CONFLICT (hour, owner_id, status) DO UPDATE SET runs = u.runs + 1,
	    timed = u.timed + EXCLUDED.timed,
	    duration_ms_sum = u.duration_ms_sum + EXCLUDED.duration_ms_sum,
	    duration_hist = usage_hist_add(u.duration_hist, usage_bucket(ms));
	IF NEW.workflow_id IS NOT NULL THEN
		INSERT INTO usage_workflows AS w VALUES (h, o, NEW.workflow_id, 1,
		    (NEW.status = 'failed')::integer)
		ON CONFLICT (hour, owner_id, workflow_id) DO UPDATE SET runs = w.runs + 1,
		    failed = w.failed + EXCLUDED.failed;
	END IF;
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

CREATE TRIGGER usage_run_ended AFTER UPDATE OF status ON executions FOR EACH ROW
	WHEN (OLD.status IN ('queued', 'running') AND
	    NEW.status IN ('succeeded', 'failed', 'cancelled'))
	EXECUTE FUNCTION usage_run_ended();
CREATE TRIGGER usage_run_inserted AFTER INSERT ON executions FOR EACH ROW
	WHEN (NEW.status IN ('succeeded', 'failed', 'cancelled'))
	EXECUTE FUNCTION usage_run_ended();
CREATE TRIGGER usage_step_recorded AFTER UPDATE OF usage ON execution_steps FOR EACH ROW
	WHEN (OLD.usage IS NULL AND NEW.usage IS NOT NULL)
	EXECUTE FUNCTION usage_step_recorded();
CREATE TRIGGER usage_step_inserted AFTER INSERT ON execution_steps FOR EACH ROW
	WHEN (NEW.usage IS NOT NULL)
	EXECUTE FUNCTION usage_step_recorded();

-- Fills the empty rollups from the executions and steps kept so far (this migration's
-- backfill; bench/usage.sh times it on a million executions). Returns the runs counted.
CREATE FUNCTION usage_backfill() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	total	bigint;
BEGIN
	INSERT INTO usage_runs
	SELECT h, o, status, sum(n), sum(t), COALESCE(sum(s), 0)::bigint,
	    usage_hist_of(array_agg(b), array_agg(n))
	FROM (SELECT h, o, status, usage_bucket(ms) AS b, count(*) AS n, count(ms) AS t,
		sum(ms) AS s
	    FROM (SELECT date_trunc('hour', COALESCE(end_time, created_at)) AS h,
		COALESCE(owner_id, '00000000-0000-0000-0000-000000000000') AS o, status,
		CASE WHEN start_time IS NOT NULL AND end_time IS NOT NULL THEN
		    greatest(0, round(extract(epoch FROM end_time - start_time) * 1000))::bigint
		END AS ms
		FROM executions WHERE status IN ('succeeded', 'failed', 'cancelled')) AS e
	    GROUP BY 1, 2, 3, 4) AS g
	GROUP BY h, o, status;
	INSERT INTO usage_workflows
	SELECT date_trunc('hour', COALESCE(end_time, created_at)),
	    COALESCE(owner_id, '00000000-0000-0000-0000-000000000000'), workflow_id, count(*),
	    count(*) FILTER (WHERE status = 'failed')
	FROM executions WHERE status IN ('succeeded', 'failed', 'cancelled') AND
	    workflow_id IS NOT NULL
	GROUP BY 1, 2, 3;
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
	SELECT COALESCE(sum(runs), 0) INTO total FROM usage_runs;
	RETURN total;
END
$$;

SELECT usage_backfill();
