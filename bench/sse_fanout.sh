#!/usr/bin/env bash
# sse_fanout.sh: BENCH_SUBS concurrent SSE subscribers spread over BENCH_EXECS
# executions, connected straight to jobd's listener (nginx's worker_connections would cap
# the count through the proxy); each execution waits BENCH_WAIT_MS (time to connect
# everyone), then emits its node events. Reports how long opening every stream took and the
# delay from creation to receipt of live events (p50/p99/max).
. "$(dirname "$0")/common.sh"
bench_settings BENCH_SUBS=10000 BENCH_EXECS=10 BENCH_WAIT_MS=30000
TOKEN=$(bench_login)
make -s -C "$BUILD" bench/sse_fanout >/dev/null
DEF="$(cat <<JSON
{"nodes":[{"id":"in","type":"input","config":{}},{"id":"wait","type":"delay","config":{"ms":$BENCH_WAIT_MS}},
 {"id":"t1","type":"template","config":{"template":"a"}},{"id":"d2","type":"delay","config":{"ms":300}},
 {"id":"t2","type":"template","config":{"template":"b"}},{"id":"out","type":"output","config":{"value":"{{ .t2.output }}"}}],
 "edges":[{"source":"in","target":"wait"},{"source":"wait","target":"t1"},{"source":"t1","target":"d2"},
 {"source":"d2","target":"t2"},{"source":"t2","target":"out"}]}
JSON
)"
WF=$(bench_workflow "$TOKEN" "$(tr -d '\n' <<<"$DEF")")
ids=()
for ((i = 0; i < BENCH_EXECS; i++)); do
	ids+=("$(curl -s -X POST "$BASE/workflows/$WF/executions" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' -d '{"inputs":{}}' |
		sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p')")
done
echo "== SSE fan-out: $BENCH_SUBS subscribers over ${#ids[@]} executions, jobd :$FRAGENT_SSE_PORT"
ulimit -n "$(ulimit -Hn)"
"$BUILD/bench/sse_fanout" 127.0.0.1 "$FRAGENT_SSE_PORT" "$TOKEN" "$BENCH_SUBS" 120 "${ids[@]}"
echo "jobd RSS after: $(bench_jobd_rss) MB"
