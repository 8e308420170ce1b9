#!/usr/bin/env bash
# metrics.sh: what the Prometheus metrics cost. (1) The request path: GET /api/v1/health
# with wrk, rounds alternating between the stack's fragent-api (counting every request into
# the shared file) and BENCH_BASE_API, a fragent-api built from a version without metrics,
# swapped into the running stack (STATE/bin) between rounds; (2) a scrape: the size of
# GET /metrics and its time with curl (p50/p99 of 200), with the jobd snapshot of a
# stack that ran work.
#
# Run against a stack started with ./fragent up (as root):
#   BENCH_BASE_API=/path/to/old/fragent-api FRAGENT_STATE_DIR=/tmp/fg bench/metrics.sh
# Without BENCH_BASE_API only the stack's own figures are measured.
# Bench settings (bench/common.sh): BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_THREADS,
# BENCH_BASE_API.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bench_settings BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_THREADS=2 BENCH_BASE_API=-
ROUNDS=3
API=$STATE/bin/fragent-api
SAVED=$(mktemp "${TMPDIR:-/tmp}/fragent-api.XXXXXX")
cp -p "$API" "$SAVED"
# Puts binary "$1" in place of the stack's (renamed over it: the running one stays intact).
put_api() {
	cp -p "$1" "$API.new"
	mv -f "$API.new" "$API"
}
restore() {
	put_api "$SAVED"
	$SV restart 'api:*' >/dev/null
	rm -f "$SAVED"
}
trap restore EXIT

# Puts binary "$1" in the stack and restarts the API processes.
use_api() {
	put_api "$1"
	$SV restart 'api:*' >/dev/null
	for _ in $(seq 50); do
		curl -sf "$BASE/health" >/dev/null && return 0
		sleep 0.1
	done
	echo "the API did not come back" >&2
	exit 1
}

health() {
	wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency \
		"$BASE/health" | awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 }
		/^ +99%/ { p99 = $2 } END { printf "%s req/s, p50 %s, p99 %s\n", rps, p50, p99 }'
}

echo "== GET /api/v1/health (-t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s), $ROUNDS rounds"
for ((i = 1; i <= ROUNDS; i++)); do
	if [[ $BENCH_BASE_API != - ]]; then
		use_api "$BENCH_BASE_API"
		printf '  without metrics: %s\n' "$(health)"
	fi
	use_api "$SAVED"
	printf '  with metrics:    %s\n' "$(health)"
done

echo "== GET /metrics"
curl -sf "$URL/metrics" -o /tmp/fragent-metrics.$$ || { echo "GET /metrics failed" >&2; exit 1; }
printf '  %s bytes, %s samples, %s families\n' "$(wc -c </tmp/fragent-metrics.$$)" \
	"$(grep -vc '^#' /tmp/fragent-metrics.$$)" "$(grep -c '^# TYPE' /tmp/fragent-metrics.$$)"
rm -f /tmp/fragent-metrics.$$
for _ in $(seq 200); do
	curl -s -o /dev/null -w '%{time_total}\n' "$URL/metrics"
done | sort -n | awk '{ t[NR] = $1 } END { printf "  scrape time p50 %.2f ms, p99 %.2f ms (200 scrapes)\n",
	1000 * t[int(NR * 0.5)], 1000 * t[int(NR * 0.99)] }'
