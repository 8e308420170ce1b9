#!/usr/bin/env bash
# api.sh: benchmarks the API through nginx against `pgbench -S` on the same PostgreSQL
# server: an authenticated GET /api/v1/agents/{id} and POST /api/v1/agents with wrk, and the
# two ceilings of the design that involve no database: GET /api/v1/health (nginx → FastCGI →
# fragent-api, no JWT) and the smallest libfcgi responder (bench/fcgi_hello, 4 processes)
# behind a second nginx with a minimal configuration (2 workers, no headers, no log). For the
# authenticated GET it also gives the latency nginx measured (its access log), beside wrk's.
#
# Run against a stack started with ./fragent up (as root, for pgbench as postgres):
#   FRAGENT_STATE_DIR=/tmp/fg-api bench/api.sh
# Bench settings (bench/common.sh): BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_THREADS,
# BENCH_HELLO_PORT, BENCH_USER and BENCH_PASSWORD.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bench_settings BENCH_SECONDS=15 BENCH_CONNECTIONS=32 BENCH_THREADS=2 BENCH_HELLO_PORT=18099
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

BENCH_TOKEN=$(bench_login)
BENCH_AGENT=$(curl -sf -H "Authorization: Bearer $BENCH_TOKEN" \
	-H 'Content-Type: application/json' \
	-d '{"name":"bench target","configuration":{"provider":"openai","model":"m"}}' \
	"$BASE/agents" | json_field id)
export BENCH_TOKEN BENCH_AGENT

echo "== pgbench -S (8 clients, ${BENCH_SECONDS}s) on the stack's PostgreSQL"
runuser -u postgres -- dropdb --if-exists -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench
runuser -u postgres -- createdb -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench
runuser -u postgres -- pgbench -q -i -s 10 -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench >/dev/null
runuser -u postgres -- pgbench -S -c 8 -j 2 -T "$BENCH_SECONDS" -h "$STATE/run/pg" \
	-p "$FRAGENT_PG_PORT" fragent_pgbench | grep -E 'tps|latency'
runuser -u postgres -- dropdb -h "$STATE/run/pg" -p "$FRAGENT_PG_PORT" fragent_pgbench
# pgbench's million rows leave dirty pages behind; written back during the runs below they
# would throttle every writer (nginx's access log included) and time the disk, not the API.
sync

echo "== wrk GET /api/v1/health (-t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s)"
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency \
	"$BASE/health" | grep -E 'Requests/sec|50%|99%'

echo "== wrk GET / of bench/fcgi_hello behind a minimal nginx (-t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s)"
make -s -C "$BUILD" bench/fcgi_hello >/dev/null
HELLO=$(mktemp -d)
chmod 0755 "$HELLO"
cat >"$HELLO/nginx.conf" <<CONF
worker_processes 2;
pid $HELLO/nginx.pid;
error_log $HELLO/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $HELLO/body;
	server {
		listen 127.0.0.1:$BENCH_HELLO_PORT;
		location / {
			fastcgi_param REQUEST_METHOD \$request_method;
			fastcgi_param REQUEST_URI \$request_uri;
			fastcgi_pass unix:$HELLO/hello.sock;
		}
	}
}
CONF
"$BUILD/bench/fcgi_hello" "$HELLO/hello.sock" 4 &
HELLO_PID=$!
nginx -p "$HELLO" -c "$HELLO/nginx.conf"
trap 'kill "$(cat "$HELLO/nginx.pid" 2>/dev/null)" 2>/dev/null; pkill -P "$HELLO_PID"; kill "$HELLO_PID"; rm -rf "$HELLO"' EXIT
sleep 0.5
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency "http://127.0.0.1:$BENCH_HELLO_PORT/" |
	grep -E 'Requests/sec|50%|99%|Non-2xx'

# The same run's requests as nginx timed them (its access log's request_time, from reading
# the request to sending the last byte): the stack's own share of wrk's latency, without
# the client's threads and their wait for a core.
access_log=$STATE/log/nginx-access.log
access_from=$(($(wc -l <"$access_log") + 1))
echo "== wrk GET /api/v1/agents/{id} (-t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s)"
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency -s "$REPO/bench/api_get_agent.lua" \
	"$URL"
sleep 2	# nginx flushes its buffered access log every second
tail -n +"$access_from" "$access_log" | python3 -c '
import json, sys
t = sorted(r["request_time"] for r in map(json.loads, sys.stdin)
           if r["method"] == "GET" and "/agents/" in r["uri"])
if t:
    q = lambda p: t[min(len(t) - 1, int(len(t) * p))] * 1000
    print("as nginx timed them: %d requests, p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms, max %.0f ms"
          " (nginx counts whole milliseconds)" % (len(t), q(.5), q(.99), q(.999), t[-1] * 1000))
'
echo "== wrk POST /api/v1/agents (-t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s)"
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency -s "$REPO/bench/api_post_agent.lua" \
	"$URL"
