#!/usr/bin/env bash
# hooks.sh: webhooks on a running stack. (1) Sync webhook runs of the 5-node CPU-only
# workflow per second through nginx: wrk POSTs to /hooks/{token} for BENCH_SECONDS with
# BENCH_CONNECTIONS connections; each answer is the run's result (p50/p90/p99 from wrk,
# the engine's side from Postgres). (2) BENCH_N callers waiting at once on a sync webhook
# whose workflow waits BENCH_DELAY_MS, straight to jobd's listener (nginx's
# worker_connections would cap the count through the proxy): all must be answered 200; the
# time, latency and jobd's RSS before and after are reported.
. "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bench_settings BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_THREADS=2 BENCH_N=5000 \
	BENCH_DELAY_MS=2000
bench_need_hook_rate 100000
TOKEN=$(bench_login)
make -s -C "$BUILD" bench/hook_callers >/dev/null

# Adds a sync webhook to workflow "$1"; prints its path.
hook_path() {
	curl -s -X POST "$BASE/workflows/$1/webhooks" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' \
		-d '{"response_mode":"sync","timeout_ms":60000}' |
		sed -n 's/.*"path" *: *"\(\/hooks\/[A-Za-z0-9_-]*\)".*/\1/p'
}

CPU='{"nodes":[{"id":"in","type":"input","config":{}},
 {"id":"sum","type":"transform","config":{"expr":"{total: (.in.body.items | add), n: (.in.body.items | length)}"}},
 {"id":"t1","type":"template","config":{"template":"{{ .in.body.name }} has {{ .sum.output.n }} items"}},
 {"id":"t2","type":"template","config":{"template":"{{ .t1.output }} adding up to {{ .sum.output.total }}"}},
 {"id":"out","type":"output","config":{"value":"{{ .t2.output }}"}}],
 "edges":[{"source":"in","target":"sum"},{"source":"sum","target":"t1"},
 {"source":"t1","target":"t2"},{"source":"t2","target":"out"}]}'
WF=$(bench_workflow "$TOKEN" "$(tr -d '\n' <<<"$CPU")")
HOOK=$(hook_path "$WF")
[[ -n $WF && -n $HOOK ]] || { echo "cannot create the workflow or its webhook" >&2; exit 1; }
echo "== sync webhook: workflow $WF, wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s $HOOK"
BENCH_PATH=$HOOK wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" \
	--timeout 30s -s "$REPO/bench/hook.lua" "$URL" |
	grep -E 'Requests/sec|requests in|Non-2xx|sync answers|latency p'
bench_drain "$WF" 120
bench_report "$WF"

SLOW="{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},
 {\"id\":\"wait\",\"type\":\"delay\",\"config\":{\"ms\":$BENCH_DELAY_MS}},
 {\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"done\"}}],
 \"edges\":[{\"source\":\"in\",\"target\":\"wait\"},{\"source\":\"wait\",\"target\":\"out\"}]}"
WF=$(bench_workflow "$TOKEN" "$(tr -d '\n' <<<"$SLOW")")
HOOK=$(hook_path "$WF")
echo "== $BENCH_N callers at once on a sync webhook whose run waits $BENCH_DELAY_MS ms (jobd :$FRAGENT_SSE_PORT)"
echo "jobd RSS before: $(bench_jobd_rss) MB"
ulimit -n "$(ulimit -Hn)"
"$BUILD/bench/hook_callers" "http://127.0.0.1:$FRAGENT_SSE_PORT$HOOK" "$BENCH_N" '{}' 120 &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
	rss=$(bench_jobd_rss)
	((rss > peak)) && peak=$rss
	sleep 0.5
done
wait "$pid"
rc=$?
echo "jobd RSS peak while they waited: $peak MB, after: $(bench_jobd_rss) MB"
bench_report "$WF"
exit $rc
