#!/usr/bin/env bash
# usage.sh: the dashboard's usage routes on a million executions. Seeds BENCH_N ended
# executions straight into the tables (generate_series: spread over the last 7 days, 300
# workflows of 10 owners, 85 % succeeded, 10 % failed, 5 % cancelled, durations from 10 ms
# to about 30 s) with an agent step's usage on every fifth (5 models), timing each step;
# rebuilds the rollups of sql/085_usage.sql from them with usage_backfill() (what the
# migration runs), timed; shows what a direct GROUP BY over the executions of 7 days costs
# for comparison; then measures GET /usage/runs (24h, 7d), /usage/models and /usage/failing
# as an admin (every owner's rows) through nginx with wrk.
#
# Run against a throwaway stack started with ./fragent up (the seeded rows stay):
#   FRAGENT_STATE_DIR=/tmp/fg-usage bench/usage.sh
# Bench settings (bench/common.sh): BENCH_N, BENCH_SECONDS, BENCH_CONNECTIONS,
# BENCH_THREADS, BENCH_USER and BENCH_PASSWORD.
. "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bench_settings BENCH_N=1000000 BENCH_SECONDS=10 BENCH_CONNECTIONS=8 BENCH_THREADS=2
TOKEN=$(bench_login)
WF=$(bench_cpu_workflow "$TOKEN")

# Runs SQL "$2" and prints how long it took under label "$1".
timed() {
	local t0=$EPOCHREALTIME
	bench_sql "$2" >/dev/null
	printf '  %-48s %8.2f s\n' "$1" "$(bc -l <<<"$EPOCHREALTIME - $t0")"
}

echo "== seeding $BENCH_N executions over 7 days (rollup triggers off while seeding)"
bench_sql "ALTER TABLE executions DISABLE TRIGGER usage_run_inserted" >/dev/null
timed "9 owners and 300 workflows" "
	INSERT INTO users (id, username, email, password_hash, role)
	SELECT gen_random_uuid(), 'bench-usage-' || i, 'bench-usage-' || i || '@example.com', 'x',
	    'editor' FROM generate_series(1, 9) i ON CONFLICT DO NOTHING;
	INSERT INTO workflows (id, owner_id, name, description, definition)
	SELECT gen_random_uuid(), o.id, 'usage bench ' || i, '', w.definition
	FROM generate_series(1, 300) i
	CROSS JOIN LATERAL (SELECT id FROM users WHERE username LIKE 'bench-usage-%'
	    OR id = (SELECT owner_id FROM workflows WHERE id = '$WF')
	    ORDER BY id OFFSET i % 10 LIMIT 1) o, workflows w WHERE w.id = '$WF'"
timed "$BENCH_N executions" "
	INSERT INTO executions (id, workflow_id, workflow_version, definition, owner_id, status,
	    start_time, end_time, created_at)
	SELECT gen_random_uuid(), w.id, 1, '{}', w.owner_id, s.status,
	    CASE WHEN s.status <> 'cancelled' OR r2 < 0.5 THEN c + interval '5 ms' END,
	    c + interval '5 ms' + exp(2.3 + 8 * r2) * interval '1 millisecond', c
	FROM (SELECT now() - random() * interval '7 days' AS c, random() AS r1, random() AS r2,
	    1 + (g % 300) AS k FROM generate_series(1, $BENCH_N) g) x
	CROSS JOIN LATERAL (SELECT CASE WHEN x.r1 < 0.85 THEN 'succeeded'
	    WHEN x.r1 < 0.95 THEN 'failed' ELSE 'cancelled' END AS status) s
	JOIN (SELECT id, owner_id, row_number() OVER (ORDER BY id) AS k FROM workflows
	    WHERE name LIKE 'usage bench %') w ON w.k = x.k"
timed "agent steps' usage on every fifth" "
	INSERT INTO execution_steps (execution_id, node_id, status, usage, started_at, finished_at)
	SELECT e.id, 'agent', 'succeeded', jsonb_build_object('provider', 'openai',
	    'model', 'model-' || (1 + abs(hashtext(e.id::text)) % 5),
	    'prompt_tokens', 200 + abs(hashtext(e.id::text)) % 2000,
	    'completion_tokens', 50 + abs(hashtext(e.id::text)) % 500,
	    'calls', '[{},{}]'::jsonb), e.start_time, e.end_time
	FROM executions e JOIN workflows w ON w.id = e.workflow_id
	WHERE w.name LIKE 'usage bench %' AND e.start_time IS NOT NULL
	    AND abs(hashtext(e.id::text)) % 5 = 0"
bench_sql "ALTER TABLE executions ENABLE TRIGGER usage_run_inserted;
	ANALYZE executions; ANALYZE execution_steps; ANALYZE workflows" >/dev/null
echo "== rebuilding the rollups from them (usage_backfill(), as the migration does)"
timed "usage_backfill()" "BEGIN; TRUNCATE usage_runs, usage_workflows, usage_models;
	SELECT usage_backfill(); COMMIT"
bench_sql "ANALYZE usage_runs; ANALYZE usage_workflows; ANALYZE usage_models" >/dev/null
bench_sql "SELECT '  rollup rows: usage_runs ' || (SELECT count(*) FROM usage_runs) ||
	', usage_workflows ' || (SELECT count(*) FROM usage_workflows) || ', usage_models ' ||
	(SELECT count(*) FROM usage_models) || '; ' || pg_size_pretty(
	pg_total_relation_size('usage_runs') + pg_total_relation_size('usage_workflows') +
	pg_total_relation_size('usage_models')) || ' with indexes'"
echo "== for comparison, a direct GROUP BY over the executions of the last 7 days"
timed "runs per hour by status, p50/p95 (7 days)" "
	SELECT date_trunc('hour', end_time), status, count(*), percentile_cont(ARRAY[0.5, 0.95])
	    WITHIN GROUP (ORDER BY end_time - start_time)
	FROM executions WHERE end_time > now() - interval '7 days' GROUP BY 1, 2"
for path in "/api/v1/usage/runs?range=24h" "/api/v1/usage/runs?range=7d" \
	"/api/v1/usage/models?range=7d" "/api/v1/usage/failing?range=7d"; do
	echo "== wrk GET $path (-t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s)"
	BENCH_PATH=$path BENCH_TOKEN=$TOKEN wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" \
		-d"${BENCH_SECONDS}s" --latency -s "$REPO/bench/usage_get.lua" "$URL" |
		grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|unexpected'
done

# What the rollup triggers cost the engine, measured inside PostgreSQL (no client, no
# queue) with the triggers and without, alternated: 20,000 running executions ended 50 per
# UPDATE (as jobd ends a batch), and 4,000 one-row UPDATEs that end nothing (a claim, a
# lease renewal: the statement trigger runs and finds no ended run).
echo "== the triggers' cost: ending runs in batches of 50, and UPDATEs that end nothing"
trig() {
	bench_sql "ALTER TABLE executions $1 TRIGGER usage_runs_ended;
		ALTER TABLE executions $1 TRIGGER usage_run_inserted" >/dev/null
}
for mode in on off on off; do
	[[ $mode == on ]] && trig ENABLE || trig DISABLE
	bench_sql "INSERT INTO executions (id, workflow_id, workflow_version, definition, owner_id,
		status, start_time) SELECT gen_random_uuid(), w.id, 1, '{}', w.owner_id, 'running',
		now() FROM workflows w, generate_series(1, 20000) WHERE w.id = '$WF'" >/dev/null
	timed "triggers $mode: 20,000 runs ended, 50 an UPDATE" "DO \$\$ DECLARE ids uuid[];
		BEGIN SELECT array_agg(id) INTO ids FROM executions WHERE workflow_id = '$WF' AND
		status = 'running'; FOR i IN 0..399 LOOP UPDATE executions SET status = 'succeeded',
		end_time = now() WHERE id = ANY (ids[i * 50 + 1:i * 50 + 50]); END LOOP; END \$\$"
	timed "triggers $mode: 4,000 one-row UPDATEs" "DO \$\$ DECLARE x uuid; BEGIN
		SELECT id INTO x FROM executions WHERE workflow_id = '$WF' LIMIT 1;
		FOR i IN 1..4000 LOOP UPDATE executions SET lease_expires_at = now() WHERE id = x;
		END LOOP; END \$\$"
done
trig ENABLE
