#!/usr/bin/env bash
# throughput.sh: executions/s of a 5-node CPU-only workflow (input, transform, template,
# template, output) from POST to `succeeded` in the database, with the whole stack on this
# machine. Runs wrk against POST /workflows/{id}/executions for BENCH_SECONDS with
# BENCH_CONNECTIONS connections (BENCH_THREADS threads), waits for the backlog to drain,
# and reports from Postgres.
# BENCH_BULK=N instead enqueues N executions at once (one INSERT, pipelined XADDs; the API
# is not involved): the engine's own rate.
# Both end with each program's CPU time per execution (bench_cpu_per), setup excluded.
. "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bench_settings BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_THREADS=2 BENCH_BULK=0
TOKEN=$(bench_login)
WF=$(bench_cpu_workflow "$TOKEN")
if ((BENCH_BULK > 0)); then
	echo "== engine throughput: workflow $WF, $BENCH_BULK executions enqueued at once"
	CPU_BEFORE=$(bench_cpu_ticks)
	bench_enqueue "$WF" "$BENCH_BULK" '{"name":"bench","items":[1,2,3,4]}'
	bench_drain "$WF" 300
	bench_report "$WF"
	echo "CPU per execution:"
	bench_cpu_per "$CPU_BEFORE" "$(bench_cpu_ticks)" "$BENCH_BULK"
	exit 0
fi
echo "== throughput: workflow $WF, wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s"
CPU_BEFORE=$(bench_cpu_ticks)
BENCH_PATH=/api/v1/workflows/$WF/executions BENCH_TOKEN=$TOKEN BENCH_MAX=0 \
	wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --timeout 10s \
	-s "$REPO/bench/post.lua" "$URL" | grep -E 'Requests/sec|requests in|Non-2xx|Latency'
bench_drain "$WF" 300
bench_report "$WF"
echo "CPU per execution (wrk not counted):"
bench_cpu_per "$CPU_BEFORE" "$(bench_cpu_ticks)" \
	"$(bench_sql "SELECT count(*) FROM executions WHERE workflow_id = '$WF'")"
