#!/usr/bin/env bash
# sandbox_load.sh: what runaway expressions cost everybody else. Starts BENCH_N short
# executions (the 5-node workflow of throughput.sh), one POST after the other, first on an
# idle engine, then while BENCH_RUNAWAYS executions spin in the sandbox (a transform
# `def f: f; f`, stopped by the expression limit); prints p50/p99 of each short execution's
# time from POST to `succeeded` (Postgres times) for both series, and how the runaways ended.
# A runaway spins until the expression limit (FRAGENT_SANDBOX_LIMIT_MS):
# while the loaded series lasts, BENCH_RUNAWAYS more start every 5 s.
. "$(dirname "$0")/common.sh"
bench_settings BENCH_N=150 BENCH_RUNAWAYS=10
TOKEN=$(bench_login)
IDLE=$(bench_cpu_workflow "$TOKEN")
LOADED=$(bench_cpu_workflow "$TOKEN")
RUNAWAY=$(bench_workflow "$TOKEN" '{"nodes":[{"id":"in","type":"input","config":{}},
 {"id":"spin","type":"transform","config":{"expr":"def f: f; f"}},
 {"id":"out","type":"output","config":{"value":"{{ .spin.output }}"}}],
 "edges":[{"source":"in","target":"spin"},{"source":"spin","target":"out"}]}')
[[ -n $RUNAWAY ]] || { echo "cannot create the runaway workflow" >&2; exit 1; }

# Starts one execution of workflow "$1".
start() {
	curl -s -o /dev/null -X POST "$BASE/workflows/$1/executions" \
		-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-d '{"inputs":{"name":"bench","items":[1,2,3,4]}}'
}

# Starts the runaways.
spin() {
	local i
	for ((i = 0; i < BENCH_RUNAWAYS; i++)); do start "$RUNAWAY" & done
	wait
}

# Starts BENCH_N executions of workflow "$1", starting runaways again every 5 s when "$2" is set.
series() {
	local i t0=$SECONDS
	for ((i = 0; i < BENCH_N; i++)); do
		if [[ -n ${2:-} ]] && ((SECONDS - t0 >= 5)); then
			spin
			sleep 0.3
			t0=$SECONDS
		fi
		start "$1"
	done
}

# p50/p99 of the succeeded executions of workflow "$1".
latency() {
	bench_sql "SELECT count(*) || ' succeeded, p50 ' || round(1000 * extract(epoch FROM
		percentile_cont(0.5) WITHIN GROUP (ORDER BY end_time - created_at))::numeric, 1) ||
		' ms, p99 ' || round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP
		(ORDER BY end_time - created_at))::numeric, 1) || ' ms'
		FROM executions WHERE workflow_id = '$1' AND status = 'succeeded'"
}

echo "== $BENCH_N short executions on an idle engine"
series "$IDLE"
bench_drain "$IDLE" 60
echo "  $(latency "$IDLE")"
echo "== $BENCH_N short executions beside $BENCH_RUNAWAYS runaway expressions"
spin
sleep 0.3
series "$LOADED" spin
bench_drain "$LOADED" 60
bench_drain "$RUNAWAY" 60
echo "  $(latency "$LOADED")"
bench_sql "SELECT '  runaways: ' || count(*) || ' ' || status || ': ' || left(error, 80)
	FROM executions WHERE workflow_id = '$RUNAWAY' GROUP BY status, left(error, 80)"
