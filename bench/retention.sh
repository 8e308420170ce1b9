#!/usr/bin/env bash
# retention.sh: the database size over a soak that runs and prunes. For BENCH_SECONDS it
# enqueues BENCH_RATE executions a second of the 5-node CPU-only workflow (the way the API
# does, bench_enqueue), whose retention_days is 1; every 10 s it moves the end of the
# workflow's ended executions two days back, so that they are expired at once, and prints
# pg_database_size, the executions and steps stored, and how many were pruned so far. jobd's
# retention job (jobd/retention.c, every FRAGENT_JOBD_RETENTION_MS) deletes them; the size
# should stay flat after the warm-up (autovacuum reuses the freed pages). Run it against a
# stack started with ./fragent up, e.g. with FRAGENT_JOBD_RETENTION_MS=5000.
. "$(dirname "$0")/common.sh"
bench_settings BENCH_SECONDS=300 BENCH_RATE=50
TOKEN=$(bench_login)
WF=$(bench_cpu_workflow "$TOKEN")
bench_sql "UPDATE workflows SET retention_days = 1 WHERE id = '$WF'" >/dev/null
echo "== retention soak: workflow $WF, $BENCH_RATE executions/s for ${BENCH_SECONDS}s"
printf '%6s %12s %10s %10s %10s %10s\n' "t(s)" "db_bytes" "db_MiB" "execs" "steps" "started"
started=0
report() {
	local row
	row=$(bench_sql "SELECT pg_database_size(current_database()),
		(SELECT count(*) FROM executions WHERE workflow_id = '$WF'),
		(SELECT count(*) FROM execution_steps s JOIN executions e ON e.id = s.execution_id
		 WHERE e.workflow_id = '$WF')")
	IFS='|' read -r bytes execs steps <<<"$row"
	printf '%6d %12d %10.1f %10d %10d %10d\n' "$1" "$bytes" "$(bc -l <<<"$bytes/1048576")" \
		"$execs" "$steps" "$started"
}
report 0
start=$SECONDS
for ((t = 1; t <= BENCH_SECONDS; t++)); do
	bench_enqueue "$WF" "$BENCH_RATE" '{"name":"bench","items":[1,2,3,4]}'
	started=$((started + BENCH_RATE))
	if ((t % 10 == 0)); then
		bench_sql "UPDATE executions SET end_time = end_time - interval '2 days'
			WHERE workflow_id = '$WF' AND end_time > now() - interval '1 day'" >/dev/null
		report "$t"
	fi
	# One second a round, whatever the statements took.
	while ((SECONDS - start < t)); do sleep 0.05; done
done
bench_drain "$WF" 120 || true
echo "== left stored: $(bench_sql "SELECT count(*) FROM executions WHERE workflow_id = '$WF'") executions of $started started"
