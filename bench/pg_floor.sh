#!/usr/bin/env bash
# pg_floor.sh: the PostgreSQL floor of the throughput benchmark. pgbench replays, with no
# API, jobd, nginx or Redis running work, the statements one execution of throughput.sh's
# 5-node workflow costs the database: the API's read of the workflow and durable INSERT of
# the execution, jobd's claim (synchronous_commit off, as on jobd's fast connection) and its
# durable settle of the final state with the five step rows. Its rate is what the database
# alone sustains on this machine with both cores to itself: the end-to-end rate of the whole
# stack cannot pass it. BENCH_PART=api replays only the API's two statements (read, durable
# INSERT); with BENCH_GROUP=N its INSERT stores N runs, as the API's group commit does when
# N of a process's POSTs store at the same moment (shared/rowgroup.c), and the rate is given
# in runs.
#   FRAGENT_STATE_DIR=<state> BENCH_SECONDS=10 BENCH_CLIENTS=8 [BENCH_PART=api [BENCH_GROUP=N]] bench/pg_floor.sh
. "$(dirname "$0")/common.sh"
bench_settings BENCH_SECONDS=10 BENCH_CLIENTS=8 BENCH_PART= BENCH_GROUP=1
[[ $BENCH_GROUP =~ ^[1-9][0-9]?$ ]] || { echo "BENCH_GROUP: 1 to 99" >&2; exit 1; }
if ((BENCH_GROUP > 1)) && [[ $BENCH_PART != api ]]; then
	echo "BENCH_GROUP needs BENCH_PART=api (the rest follows one run)" >&2
	exit 1
fi
TOKEN=$(bench_login)
WF=$(bench_cpu_workflow "$TOKEN")
SCRIPT=$(mktemp)
trap 'rm -f "$SCRIPT"' EXIT
# A version 7 id (time first), as shared/uuid.c makes them.
cat >"$SCRIPT" <<SQL
SELECT w.definition, w.version FROM workflows w WHERE w.id = '$WF';
INSERT INTO executions (id, workflow_id, workflow_version, definition, inputs, owner_id)
  SELECT encode(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
    FROM 1 FOR 6), 'hex')::uuid, w.id, w.version, w.definition,
    '{"name":"bench","items":[1,2,3,4]}', w.owner_id
  FROM workflows w$( ((BENCH_GROUP > 1)) && echo ", generate_series(1, $BENCH_GROUP)") WHERE w.id = '$WF'
  RETURNING id AS exec_id $( ((BENCH_GROUP > 1)) || echo '\gset')
SQL
[[ $BENCH_PART == api ]] || cat >>"$SCRIPT" <<SQL
BEGIN;
SET LOCAL synchronous_commit = off;
UPDATE executions SET status = 'running', attempt = attempt + 1, start_time = now(),
  lease_owner = 'pg-floor', lease_expires_at = now() + interval '30 s'
  WHERE id = ANY(ARRAY[:exec_id::uuid]) AND status = 'queued' RETURNING definition, inputs, attempt;
COMMIT;
WITH e AS (UPDATE executions SET status = 'succeeded',
    results = '{"out": "bench has 4 items adding up to 10"}', end_time = now(),
    lease_owner = NULL, lease_expires_at = NULL
  WHERE id = ANY(ARRAY[:exec_id::uuid]) AND status = 'running' AND lease_owner = 'pg-floor'
  RETURNING id)
INSERT INTO execution_steps (execution_id, node_id, attempt, status, input, output, started_at, finished_at)
  SELECT e.id, s.node_id, 1, 'succeeded', s.input::jsonb, s.output::jsonb, now(), now()
  FROM e, (VALUES
    ('in', '{"in": {"name": "bench", "items": [1, 2, 3, 4]}}', '{"name": "bench", "items": [1, 2, 3, 4]}'),
    ('sum', '{"in": {"name": "bench", "items": [1, 2, 3, 4]}}', '{"n": 4, "total": 10}'),
    ('t1', '{"in": {"name": "bench"}, "sum": {"n": 4}}', '"bench has 4 items"'),
    ('t2', '{"t1": "bench has 4 items"}', '"bench has 4 items adding up to 10"'),
    ('out', '{"t2": "bench has 4 items adding up to 10"}', '"bench has 4 items adding up to 10"')
  ) AS s(node_id, input, output);
SQL
echo "== PostgreSQL alone: one execution's statements per transaction, pgbench -c $BENCH_CLIENTS -T $BENCH_SECONDS"
pgbench -n -M prepared -f "$SCRIPT" -c "$BENCH_CLIENTS" -j 2 -T "$BENCH_SECONDS" "$FRAGENT_DATABASE_URL" |
	grep -E 'tps|latency|failed' | awk -v n="$BENCH_GROUP" '{ print }
		/^tps/ && n > 1 { printf "runs per second: %.0f (%d per transaction)\n", $3 * n, n }'
bench_report "$WF"
# The executions stay behind in the API-only mode (queued, with no queue entry): deleting the
# benchmark's workflow deletes them, so the sweeper does not re-enqueue them afterwards.
bench_sql "DELETE FROM workflows WHERE id = '$WF'" >/dev/null
