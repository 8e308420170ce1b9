#!/usr/bin/env bash
# sse_fanout.sh: BENCH_SUBS concurrent SSE subscribers spread over BENCH_EXECS executions,
# once through nginx (as browsers reach the streams) and once straight to jobd's listener
# (BENCH_VIA picks and orders them); each execution waits BENCH_WAIT_MS (time to connect
# everyone), then emits its node events. Reports, per run, how fast the streams opened, the
# delay from creation to receipt of live events (p50/p99/max), and the memory the open
# streams took in jobd (with the listener processes of FRAGENT_SSE_PROCS) and in nginx's
# workers (resident sets, sampled once every stream is open, less the same sample before),
# and the Redis clients they added. More than 100 executions are enqueued in bulk, so that
# all of them wait at once. The client spreads the subscribers over as many processes as
# its descriptor limit needs.
. "$(dirname "$0")/common.sh"
bench_settings BENCH_SUBS=10000 BENCH_EXECS=10 BENCH_WAIT_MS=30000 "BENCH_VIA=nginx jobd"
bench_need_user_streams "$BENCH_SUBS"
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
NGINX_PID=$(<"$STATE/run/nginx.pid")
ulimit -n "$(ulimit -Hn)"
bench_jobd_rss >/dev/null	# looks up jobd's pid

# The processes serving jobd's listener port: jobd and its listener copies.
LISTENER_PIDS="$JOBD_PID $({ $SV status 'listener:*' 2>/dev/null || true; } |
	awk '$2 == "RUNNING" { sub(",", "", $4); print $4 }' | tr '\n' ' ')"

# Resident kB of the listener's processes together, then of nginx's workers together.
streams_rss_kb() {
	local p listeners=0 workers=0
	for p in $LISTENER_PIDS; do
		listeners=$((listeners + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")))
	done
	for p in $(pgrep -P "$NGINX_PID"); do
		workers=$((workers + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")))
	done
	echo "$listeners $workers"
}

# Redis's connected clients now.
redis_clients() {
	REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning -p "$FRAGENT_REDIS_PORT" \
		info clients | awk -F: '/^connected_clients/ { print $2 + 0 }'
}

# Prints "what: N MB, B bytes per subscriber" for the kB from "$2" to "$3".
per_subscriber() {
	echo "$1 $((($3 - $2) / 1024)) MB, $((($3 - $2) * 1024 / BENCH_SUBS)) bytes per subscriber"
}

for via in $BENCH_VIA; do
	case $via in
	nginx) host=${URL#http://}; host=${host%:*}; port=$FRAGENT_HTTP_PORT ;;
	jobd) host=127.0.0.1; port=$FRAGENT_SSE_PORT ;;
	*) echo "BENCH_VIA: nginx or jobd, not $via" >&2; exit 2 ;;
	esac
	ids=()
	if ((BENCH_EXECS <= 100)); then
		for ((i = 0; i < BENCH_EXECS; i++)); do
			ids+=("$(curl -s -X POST "$BASE/workflows/$WF/executions" \
				-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
				-d '{"inputs":{}}' | sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p')")
		done
	else	# through the API one by one, thousands would not all be waiting at once
		mapfile -t ids < <(bench_enqueue_ids "$WF" "$BENCH_EXECS")
	fi
	echo "== SSE fan-out through $via ($host:$port): $BENCH_SUBS subscribers over ${#ids[@]} executions"
	read -r jobd_before nginx_before < <(streams_rss_kb)
	redis_before=$(redis_clients)
	"$BUILD/bench/sse_fanout" "$host" "$port" "$TOKEN" "$BENCH_SUBS" $((BENCH_WAIT_MS / 1000 + 90)) \
		"${ids[@]}" &
	client=$!
	# Every stream is open well before the executions' wait ends (the client says when).
	sleep $((BENCH_WAIT_MS * 2 / 3000))
	read -r jobd_during nginx_during < <(streams_rss_kb)
	redis_during=$(redis_clients)
	wait "$client" || echo "(some streams failed or did not end)"
	per_subscriber "memory of the open streams: jobd ($(wc -w <<<"$LISTENER_PIDS") processes)" \
		"$jobd_before" "$jobd_during"
	[[ $via == jobd ]] || per_subscriber "  nginx's workers" "$nginx_before" "$nginx_during"
	echo "Redis clients added by the open streams: $((redis_during - redis_before))"
	echo "jobd RSS after: $(bench_jobd_rss) MB"
done
