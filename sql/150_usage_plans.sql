-- 150_usage_plans.sql: the usage rollups (085_usage.sql) counted at a fraction of the cost.
-- jobd settles the runs that end in one loop turn with one statement, whose trigger counts
-- them with usage_count_runs: as a LANGUAGE sql function it was parsed and planned again on
-- every call (PostgreSQL 15 keeps no plan of a non-inlined SQL function), about half of
-- that statement's time (docs/PERFORMANCE.md, "Usage counted with kept plans"). In PL/pgSQL
-- each session plans the statement once. The histogram helpers fill and add their 128
-- buckets in place instead of joining over generate_series. And the statement trigger that
-- looked at every INSERT of a run for ended ones becomes a row trigger that only ended ones
-- reach. Same results: tests/it_usage checks the helpers bucket by bucket, the rollups
-- against usage_backfill(), and runs inserted already ended.

-- The element-wise sum of two histograms of the same length.
CREATE OR REPLACE FUNCTION usage_hist_sum(a integer[], b integer[]) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	h	integer[] := a;
BEGIN
	FOR i IN 1 .. COALESCE(array_length(a, 1), 0) LOOP
		h[i] := h[i] + b[i];
	END LOOP;
	RETURN h;
END
$$;

-- A 128-bucket histogram from parallel arrays of buckets and counts (NULL buckets ignored).
CREATE OR REPLACE FUNCTION usage_hist_of(bs integer[], ns bigint[]) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	h	integer[] := array_fill(0, ARRAY[128]);
BEGIN
	FOR i IN 1 .. COALESCE(array_length(bs, 1), 0) LOOP
		IF bs[i] BETWEEN 1 AND 128 THEN
			h[bs[i]] := h[bs[i]] + COALESCE(ns[i], 0);
		END IF;
	END LOOP;
	RETURN h;
END
$$;

-- As in 085_usage.sql: counts ended runs "r" into usage_runs (each owner's row and
-- everyone's) and usage_workflows, one upsert per row touched, in key order.
CREATE OR REPLACE FUNCTION usage_count_runs(r usage_run[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
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
	    failed = w.failed + EXCLUDED.failed;
END
$$;

-- A run inserted already ended is counted by a row trigger whose WHEN leaves every other
-- insert alone: the statement trigger of 085_usage.sql collected each insert's rows (every
-- POST that starts a run) only to find none ended. The engine never inserts an ended run;
-- a statement inserting ended runs of several owners counts them row by row, so two such
-- statements at once may deadlock (PostgreSQL then refuses one; nothing is half counted).
CREATE OR REPLACE FUNCTION usage_run_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM usage_count_runs(ARRAY[ROW(date_trunc('hour', COALESCE(NEW.end_time, now())),
	    COALESCE(NEW.owner_id, '00000000-0000-0000-0000-000000000000'), NEW.workflow_id,
	    NEW.status, usage_ms(NEW.start_time, NEW.end_time))::usage_run]);
	RETURN NULL;
END
$$;

DROP TRIGGER usage_runs_inserted ON executions;
DROP FUNCTION usage_runs_inserted();
CREATE TRIGGER usage_run_inserted AFTER INSERT ON executions FOR EACH ROW
	WHEN (NEW.status IN ('succeeded', 'failed', 'cancelled'))
	EXECUTE FUNCTION usage_run_inserted();
