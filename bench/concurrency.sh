#!/usr/bin/env bash
# concurrency.sh: BENCH_N executions at once, each waiting on an HTTP node whose server
# (tests/testsrv) answers after BENCH_DELAY_MS. They are enqueued in bulk (one
# INSERT, pipelined XADDs) so that all of them are in flight together; reports completion
# time, the peak number running, and jobd's peak RSS (sampled every 0.25 s). The stack must
# allow loopback to the HTTP node (FRAGENT_HTTP_ALLOWLIST=127.0.0.1/32 at ./fragent up).
. "$(dirname "$0")/common.sh"
[[ ,${FRAGENT_HTTP_ALLOWLIST:-}, == *,127.0.0.1* ]] || {
	echo "the stack's HTTP node refuses loopback: start it with FRAGENT_HTTP_ALLOWLIST=127.0.0.1/32" >&2
	exit 1
}
bench_settings BENCH_N=10000 BENCH_DELAY_MS=2000
TOKEN=$(bench_login)
exec 3< <(exec "$BUILD/tests/testsrv" 0)
read -r _ PORT <&3
SRV=$(pgrep -n -f "$BUILD/tests/testsrv 0")
trap 'kill $SRV 2>/dev/null' EXIT
DEF="{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},
 {\"id\":\"wait\",\"type\":\"http_request\",\"config\":{\"url\":\"http://127.0.0.1:$PORT/delay/$BENCH_DELAY_MS\",\"timeout_ms\":120000}},
 {\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .wait.output.status }}\"}}],
 \"edges\":[{\"source\":\"in\",\"target\":\"wait\"},{\"source\":\"wait\",\"target\":\"out\"}]}"
WF=$(bench_workflow "$TOKEN" "$(tr -d '\n' <<<"$DEF")")
[[ -n $WF ]] || { echo "cannot create the workflow" >&2; exit 1; }
echo "== concurrency: $BENCH_N executions, HTTP answers after $BENCH_DELAY_MS ms (testsrv :$PORT), workflow $WF"
echo "jobd RSS before: $(bench_jobd_rss) MB"
T0=$(date +%s.%N)
bench_enqueue "$WF" "$BENCH_N"
peak=0 peak_run=0
for ((i = 0; i < 1200; i++)); do
	rss=$(bench_jobd_rss)
	((rss > peak)) && peak=$rss
	if ((i % 4 == 0)); then
		read -r run left < <(bench_sql "SELECT count(*) FILTER (WHERE status = 'running'),
			count(*) FILTER (WHERE status IN ('queued','running')) FROM executions
			WHERE workflow_id = '$WF'" | tr '|' ' ')
		((run > peak_run)) && peak_run=$run
		((left == 0)) && break
	fi
	sleep 0.25
done
T1=$(date +%s.%N)
echo "all finished in $(echo "$T1 - $T0" | bc) s (wall clock, enqueue included); peak running: $peak_run"
echo "jobd RSS peak: $peak MB, after: $(bench_jobd_rss) MB"
bench_report "$WF"
