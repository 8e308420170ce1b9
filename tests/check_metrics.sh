#!/usr/bin/env bash
# check_metrics.sh: /metrics checked by Prometheus's own tools on a running test stack.
# tests/integration.sh runs it on its first stack after the suites (FRAGENT_IT_ONLY names it
# check_metrics); it checks that
#   - a scrape passes `promtool check metrics` (the exposition format and Prometheus's naming
#     conventions);
#   - a real Prometheus server scraping the stack every second finds the target up, one jobd,
#     and, after 37 requests to /api/v1/health spread over the API processes, a
#     fragent_http_requests_total that grew by exactly 37.
# Environment: what tests/integration.sh exports (FRAGENT_HTTP_PORT) and
# FRAGENT_IT_PROMETHEUS_PORT, where the Prometheus server listens [19090].
set -uo pipefail

HTTP_PORT=${FRAGENT_HTTP_PORT:?the HTTP port of the stack}
PROM_PORT=${FRAGENT_IT_PROMETHEUS_PORT:-19090}
BASE=http://127.0.0.1:$HTTP_PORT
PROM=http://127.0.0.1:$PROM_PORT
REQUESTS=37
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check_metrics.XXXXXX") || exit 1
prom_pid=
cleanup() {
	[[ -z $prom_pid ]] || { kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null; }
	rm -rf -- "$TMP"
}
trap cleanup EXIT
failed=0
checks=0

fail() {
	printf 'check_metrics: FAILED: %s\n' "$*" >&2
	failed=1
}

for tool in promtool prometheus curl python3; do
	command -v "$tool" >/dev/null || { fail "$tool is not installed"; exit 1; }
done

# 1. The exposition passes promtool.
checks=$((checks + 1))
if ! curl -fsS "$BASE/metrics" -o "$TMP/scrape.txt"; then
	fail "GET /metrics"
elif ! promtool check metrics <"$TMP/scrape.txt" >"$TMP/promtool.out" 2>&1; then
	cat "$TMP/promtool.out" >&2
	fail "promtool check metrics"
fi

# 2. A Prometheus server scrapes the stack.
cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: fragent
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:$HTTP_PORT']
EOF
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$TMP/prometheus.log" 2>&1 &
prom_pid=$!

# Prints the value of instant query "$1" (empty when the result is empty).
query() {
	curl -fsS --get "$PROM/api/v1/query" --data-urlencode "query=$1" |
		python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")'
}

# Waits up to 20 s until query "$1" answers "$2"; prints the last answer.
wait_for() {
	local v="" i
	for ((i = 0; i < 80; i++)); do
		v=$(query "$1" 2>/dev/null) && [[ $v == "$2" ]] && break
		sleep 0.25
	done
	printf '%s\n' "$v"
}

HEALTH='sum(fragent_http_requests_total{route="/api/v1/health",method="GET",status="200"})'
checks=$((checks + 1))
v=$(wait_for 'up{job="fragent"}' 1)
if [[ $v != 1 ]]; then
	cat "$TMP/prometheus.log" >&2
	fail "Prometheus does not see the stack up (up = '$v')"
else
	checks=$((checks + 1))
	# jobd and its listener copies: FRAGENT_SSE_PROCS processes publish.
	want=${FRAGENT_SSE_PROCS:-1}
	v=$(wait_for 'sum(fragent_jobd_instances)' "$want")
	[[ $v == "$want" ]] || fail "fragent_jobd_instances = '$v', want $want"
	# A baseline once two scrapes agree (nothing else calls the health route now).
	curl -fsS "$BASE/api/v1/health" >/dev/null
	sleep 2.5
	before=$(query "$HEALTH")
	[[ -n $before ]] || before=0
	for ((i = 0; i < REQUESTS; i++)); do
		curl -fsS "$BASE/api/v1/health" >/dev/null || fail "GET /api/v1/health"
	done
	checks=$((checks + 1))
	want=$((before + REQUESTS))
	v=$(wait_for "$HEALTH" "$want")
	[[ $v == "$want" ]] || fail "Prometheus counts $v health requests, want $want ($before + $REQUESTS)"
fi

if ((failed)); then
	exit 1
fi
printf 'check_metrics: %d checks passed (promtool, a Prometheus server scraping the stack)\n' "$checks"
