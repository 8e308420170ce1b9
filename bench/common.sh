#!/usr/bin/env bash
# common.sh: sourced by the bench/ scripts. Reads the settings of a running stack (its state
# folder: FRAGENT_STATE_DIR, default <repo>/var), signs in, and offers small helpers.
#   FRAGENT_BUILD_DIR   build folder holding tests/testsrv and bench/ programs [build]
#   FRAGENT_BENCH_USER / FRAGENT_BENCH_PASSWORD   an editor or admin of the stack; when
#                       unset, "bench-admin" is registered (works on a stack without users)
#                       or the integration suites' "it-admin" is used.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${FRAGENT_STATE_DIR:-$REPO/var}
BUILD=$REPO/${FRAGENT_BUILD_DIR:-build}
[[ -r $STATE/fragent.env ]] || { echo "no stack settings in $STATE/fragent.env" >&2; exit 1; }
set -a
# shellcheck source=/dev/null
. "$STATE/fragent.env"
set +a
BASE=http://127.0.0.1:$FRAGENT_HTTP_PORT/api/v1
SV="supervisorctl -c $STATE/supervisord.conf"

# Prints an access token.
bench_login() {
	local u=${FRAGENT_BENCH_USER:-bench-admin} p=${FRAGENT_BENCH_PASSWORD:-bench-password-0123} t
	t=$(curl -s -X POST "$BASE/auth/login" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$u\",\"password\":\"$p\"}" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
	if [[ -z $t ]]; then
		curl -s -o /dev/null -X POST "$BASE/auth/register" -H 'Content-Type: application/json' \
			-d "{\"username\":\"$u\",\"email\":\"$u@example.com\",\"password\":\"$p\"}"
		t=$(curl -s -X POST "$BASE/auth/login" -H 'Content-Type: application/json' \
			-d "{\"username\":\"$u\",\"password\":\"$p\"}" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
	fi
	if [[ -z $t ]]; then
		t=$(curl -s -X POST "$BASE/auth/login" -H 'Content-Type: application/json' \
			-d '{"username":"it-admin","password":"it-password-0123"}' |
			sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
	fi
	[[ -n $t ]] || { echo "cannot sign in (set FRAGENT_BENCH_USER/PASSWORD)" >&2; exit 1; }
	printf '%s\n' "$t"
}

# Creates a workflow from definition "$2" with token "$1"; prints its id.
bench_workflow() {
	curl -s -X POST "$BASE/workflows" -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' \
		-d "{\"name\":\"bench\",\"description\":\"\",\"definition\":$2}" |
		sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p' | head -1
}

# Creates the 5-node CPU-only workflow of throughput.sh and pg_floor.sh (input → transform →
# template → template → output) with token "$1"; prints its id (exits when it cannot).
bench_cpu_workflow() {
	local def id
	def='{"nodes":[{"id":"in","type":"input","config":{}},
 {"id":"sum","type":"transform","config":{"expr":"{total: (.in.items | add), n: (.in.items | length)}"}},
 {"id":"t1","type":"template","config":{"template":"{{ .in.name }} has {{ .sum.output.n }} items"}},
 {"id":"t2","type":"template","config":{"template":"{{ .t1.output }} adding up to {{ .sum.output.total }}"}},
 {"id":"out","type":"output","config":{"value":"{{ .t2.output }}"}}],
 "edges":[{"source":"in","target":"sum"},{"source":"sum","target":"t1"},
 {"source":"t1","target":"t2"},{"source":"t2","target":"out"}]}'
	id=$(bench_workflow "$1" "$(tr -d '\n' <<<"$def")")
	[[ -n $id ]] || { echo "cannot create the workflow" >&2; exit 1; }
	printf '%s\n' "$id"
}

bench_sql() {
	psql "$FRAGENT_DATABASE_URL" -XAtq -c "$1"
}

# Waits (at most "$2" seconds) until workflow "$1" has no queued or running execution.
bench_drain() {
	local i left
	for ((i = 0; i < $2 * 4; i++)); do
		left=$(bench_sql "SELECT count(*) FROM executions WHERE workflow_id = '$1' AND status IN ('queued','running')")
		((left == 0)) && return 0
		sleep 0.25
	done
	echo "still $left executions unfinished after $2 s" >&2
	return 1
}

# Prints the outcome of workflow "$1"'s executions: count by status, span from the first
# POST to the last end, executions/s, and p50/p99 of each one's time in the system.
bench_report() {
	bench_sql "SELECT status, count(*) FROM executions WHERE workflow_id = '$1' GROUP BY 1 ORDER BY 1" | sed 's/^/  status|count: /'
	bench_sql "SELECT 'executions: ' || count(*) || ', span (first POST to last end): ' ||
		round(extract(epoch FROM max(end_time) - min(created_at))::numeric, 2) || ' s, rate: ' ||
		round(count(*) / extract(epoch FROM max(end_time) - min(created_at))::numeric, 0) ||
		'/s, latency p50 ' || round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP
		(ORDER BY end_time - created_at))::numeric, 0) || ' ms, p99 ' ||
		round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP
		(ORDER BY end_time - created_at))::numeric, 0) || ' ms'
		FROM executions WHERE workflow_id = '$1' AND status = 'succeeded'"
}

# Enqueues "$2" executions of workflow "$1" with inputs "$3" (JSON, default {}) the way the
# API does (row, then XADD), in bulk: one INSERT and one pipelined batch of XADDs, so that
# they all reach jobd at once.
bench_enqueue() {
	local wf=$1 n=$2 inputs=${3:-\{\}} pw
	bench_sql "INSERT INTO executions (id, workflow_id, workflow_version, definition, inputs, owner_id)
		SELECT gen_random_uuid(), w.id, w.version, w.definition, '$inputs'::jsonb, w.owner_id
		FROM workflows w, generate_series(1, $n) WHERE w.id = '$wf' RETURNING id" |
		awk '{ printf "XADD fragent:executions * execution_id %s\n", $1 }' >"$STATE/bench-xadd.txt"
	pw=$(sed -n 's|^FRAGENT_REDIS_URL=redis://:\([^@]*\)@.*|\1|p' "$STATE/fragent.env")
	REDISCLI_AUTH=$pw redis-cli --no-auth-warning -p "$FRAGENT_REDIS_PORT" --pipe \
		<"$STATE/bench-xadd.txt" >/dev/null
	rm -f "$STATE/bench-xadd.txt"
}

# Prints jobd's resident set size in MB (its pid is looked up once: supervisorctl is slow).
JOBD_PID=
bench_jobd_rss() {
	[[ -n $JOBD_PID && -r /proc/$JOBD_PID/status ]] || JOBD_PID=$($SV pid jobd)
	awk '/^VmRSS/ { printf "%d\n", $2 / 1024 }' "/proc/$JOBD_PID/status"
}
