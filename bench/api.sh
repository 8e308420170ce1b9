#!/usr/bin/env bash
# api.sh: benchmarks the API through nginx against `pgbench -S` on the same PostgreSQL
# server: an authenticated GET /api/v1/agents/{id} and POST /api/v1/agents with wrk, and the
# two ceilings of the design that involve no database: GET /api/v1/health (nginx → FastCGI →
# fragent-api, no JWT) and the smallest libfcgi responder (bench/fcgi_hello, 4 processes)
# behind a second nginx with a minimal configuration (2 workers, no headers, no log).
#
# Run against a stack started with ./fragent up (as root, for pgbench as postgres):
#   FRAGENT_STATE_DIR=/tmp/fg-api bench/api.sh
# Environment: BENCH_SECONDS [15], BENCH_CONNECTIONS [32], BENCH_THREADS [2], and those of
# bench/common.sh (FRAGENT_STATE_DIR, FRAGENT_BENCH_USER / FRAGENT_BENCH_PASSWORD).
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
STATE=$(realpath -m -- "$STATE")
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
SECONDS_RUN=${BENCH_SECONDS:-15}
CONN=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

FRAGENT_BENCH_TOKEN=$(bench_login)
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

echo "== wrk GET /api/v1/health (-t$THREADS -c$CONN -d${SECONDS_RUN}s)"
wrk -t"$THREADS" -c"$CONN" -d"${SECONDS_RUN}s" --latency \
	"http://${FRAGENT_HTTP_ADDR}:${FRAGENT_HTTP_PORT}/api/v1/health" | grep -E 'Requests/sec|50%|99%'

echo "== wrk GET / of bench/fcgi_hello behind a minimal nginx (-t$THREADS -c$CONN -d${SECONDS_RUN}s)"
make -s -C "$REPO/${FRAGENT_BUILD_DIR:-build}" bench/fcgi_hello >/dev/null
HELLO=$(mktemp -d)
chmod 0755 "$HELLO"
HELLO_PORT=${BENCH_HELLO_PORT:-18099}
cat >"$HELLO/nginx.conf" <<CONF
worker_processes 2;
pid $HELLO/nginx.pid;
error_log $HELLO/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $HELLO/body;
	server {
		listen 127.0.0.1:$HELLO_PORT;
		location / {
			fastcgi_param REQUEST_METHOD \$request_method;
			fastcgi_param REQUEST_URI \$request_uri;
			fastcgi_pass unix:$HELLO/hello.sock;
		}
	}
}
CONF
"$REPO/${FRAGENT_BUILD_DIR:-build}/bench/fcgi_hello" "$HELLO/hello.sock" 4 &
HELLO_PID=$!
nginx -p "$HELLO" -c "$HELLO/nginx.conf"
trap 'kill "$(cat "$HELLO/nginx.pid" 2>/dev/null)" 2>/dev/null; pkill -P "$HELLO_PID"; kill "$HELLO_PID"; rm -rf "$HELLO"' EXIT
sleep 0.5
wrk -t"$THREADS" -c"$CONN" -d"${SECONDS_RUN}s" --latency "http://127.0.0.1:$HELLO_PORT/" |
	grep -E 'Requests/sec|50%|99%|Non-2xx'

echo "== wrk GET /api/v1/agents/{id} (-t$THREADS -c$CONN -d${SECONDS_RUN}s)"
wrk -t"$THREADS" -c"$CONN" -d"${SECONDS_RUN}s" --latency -s "$REPO/bench/api_get_agent.lua" \
	"http://${FRAGENT_HTTP_ADDR}:${FRAGENT_HTTP_PORT}"
echo "== wrk POST /api/v1/agents (-t$THREADS -c$CONN -d${SECONDS_RUN}s)"
wrk -t"$THREADS" -c"$CONN" -d"${SECONDS_RUN}s" --latency -s "$REPO/bench/api_post_agent.lua" \
	"http://${FRAGENT_HTTP_ADDR}:${FRAGENT_HTTP_PORT}"
