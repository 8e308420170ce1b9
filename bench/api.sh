#!/usr/bin/env bash
# api.sh: benchmarks the API through nginx against `pgbench -S` on the same PostgreSQL
# server: an authenticated GET /api/v1/agents/{id} and POST /api/v1/agents with wrk.
#
# Run against a stack started with ./fragent up (as root, for pgbench as postgres):
#   FRAGENT_STATE_DIR=/tmp/fg-api bench/api.sh
# Environment: FRAGENT_STATE_DIR (the stack's state folder) [var], BENCH_SECONDS [15],
# BENCH_CONNECTIONS [32], BENCH_THREADS [2], BENCH_USER / BENCH_PASSWORD (an admin or
# editor of the stack; registered as the first user on a fresh stack).
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
STATE=$(realpath -m -- "${FRAGENT_STATE_DIR:-$REPO/var}")
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
SECONDS_RUN=${BENCH_SECONDS:-15}
CONN=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
USER_NAME=${BENCH_USER:-bench-admin}
PASSWORD=${BENCH_PASSWORD:-bench-password-0123}

set -a
# shellcheck source=/dev/null
. "$STATE/fragent.env"
set +a
BASE=http://${FRAGENT_HTTP_ADDR}:${FRAGENT_HTTP_PORT}/api/v1

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

login() {
	curl -sf -H 'Content-Type: application/json' \
		-d "{\"username\":\"$USER_NAME\",\"password\":\"$PASSWORD\"}" "$BASE/auth/login" ||
		curl -sf -H 'Content-Type: application/json' \
			-d "{\"username\":\"$USER_NAME\",\"email\":\"$USER_NAME@example.com\",\"password\":\"$PASSWORD\"}" \
			"$BASE/auth/register"
}

FRAGENT_BENCH_TOKEN=$(login | json_field access_token)
export FRAGENT_BENCH_TOKEN
FRAGENT_BENCH_AGENT=$(curl -sf -H "Authorization: Bearer $FRAGENT_BENCH_TOKEN" \
	-H 'Content-Type: application/json' \
	-d '{"name":"bench target","configuration":{"provider":"openai","model":"m"}}' \
	"$BASE/agents" | json_field id)
export FRAGENT_BENCH_AGENT

echo "== pgbench -S (8 clients, ${SECONDS_RUN}s) on the stack's PostgreSQL"
runuser -u postgres -- dropdb --if-exists -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench
runuser -u postgres -- createdb -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench
runuser -u postgres -- pgbench -q -i -s 10 -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench >/dev/null
runuser -u postgres -- pgbench -S -c 8 -j 2 -T "$SECONDS_RUN" -h "$STATE/run/pg" \
	-p "$FRAGENT_PG_PORT" fragent_pgbench | grep -E 'tps|latency'
runuser -u postgres -- dropdb -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench

echo "== wrk GET /api/v1/agents/{id} (-t$THREADS -c$CONN -d${SECONDS_RUN}s)"
wrk -t"$THREADS" -c"$CONN" -d"${SECONDS_RUN}s" --latency -s "$REPO/bench/api_get_agent.lua" \
	"http://${FRAGENT_HTTP_ADDR}:${FRAGENT_HTTP_PORT}"
echo "== wrk POST /api/v1/agents (-t$THREADS -c$CONN -d${SECONDS_RUN}s)"
wrk -t"$THREADS" -c"$CONN" -d"${SECONDS_RUN}s" --latency -s "$REPO/bench/api_post_agent.lua" \
	"http://${FRAGENT_HTTP_ADDR}:${FRAGENT_HTTP_PORT}"
