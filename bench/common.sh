#!/usr/bin/env bash
# common.sh: sourced by the bench/ scripts. Reads the settings of a running stack (what its
# state folder's fragent.env recorded: FRAGENT_STATE_DIR, default <repo>/var) and the bench
# settings below, signs in, and offers small helpers. FRAGENT_BUILD_DIR names the build
# folder holding tests/testsrv, tests/llmsrv and the bench/ programs [build], as for
# tests/integration.sh.
set -euo pipefail

# The bench settings, one name per fact. A script takes those it uses with bench_settings,
# with its own default where the scripts differ (bench_settings BENCH_N=1000); an unknown
# BENCH_* in the environment stops every script, so that a misspelt one is never ignored.
declare -A BENCH_SETTINGS=(
	[BENCH_USER]="an editor or admin of the stack, registered when it cannot sign in (on a stack without users it becomes the admin); else the integration suites' it-admin is tried"
	[BENCH_PASSWORD]="BENCH_USER's password"
	[BENCH_SECONDS]="length of a timed run (wrk, pgbench)"
	[BENCH_CONNECTIONS]="connections wrk keeps open"
	[BENCH_THREADS]="wrk's threads"
	[BENCH_CLIENTS]="pgbench's clients"
	[BENCH_N]="executions started at once; map.sh: items of the map; replay.sh: agent steps of the run replayed"
	[BENCH_WARMUP]="ttft.sh: chats run first and not counted (every API thread's and worker's connections warm)"
	[BENCH_CONCURRENCY]="map.sh: the map node's concurrency"
	[BENCH_RATE]="retention.sh: executions started each second"
	[BENCH_BULK]="throughput.sh: enqueue this many executions at once instead of running wrk"
	[BENCH_DELAY_MS]="concurrency.sh: how long the HTTP node's server takes to answer; hooks.sh: how long the waiting callers' run waits"
	[BENCH_KILLS]="crash.sh: how many times jobd is killed"
	[BENCH_RUNAWAYS]="sandbox_load.sh: runaway expressions started at once"
	[BENCH_SUBS]="sse_fanout.sh: event stream subscribers"
	[BENCH_EXECS]="sse_fanout.sh: executions they watch"
	[BENCH_WAIT_MS]="sse_fanout.sh: how long each execution waits before its events (time to connect everyone)"
	[BENCH_VIA]="sse_fanout.sh: where subscribers connect, one run each in order: nginx (as browsers do), jobd (its listener straight)"
	[BENCH_PART]="pg_floor.sh: api replays only the API's two statements"
	[BENCH_GROUP]="pg_floor.sh with BENCH_PART=api: runs the API's INSERT stores per statement, as its group commit does"
	[BENCH_BASE_API]="metrics.sh: a fragent-api without metrics to compare with (-: none)"
	[BENCH_HELLO_PORT]="api.sh: port of the minimal nginx in front of bench/fcgi_hello"
	[BENCH_TOKEN]="for wrk's scripts (set by the bench scripts): the access token"
	[BENCH_AGENT]="for wrk's scripts (set by api.sh): the agent to read"
	[BENCH_PATH]="for wrk's post.lua (set by throughput.sh): the path to POST"
	[BENCH_MAX]="for wrk's post.lua: requests per wrk thread, then it stops (0: until the time is up)"
)

# Gives each bench setting of the arguments, NAME=DEFAULT, its default when the environment
# leaves it unset or empty, and exports it.
bench_settings() {
	local a name
	for a in "$@"; do
		name=${a%%=*}
		[[ -v BENCH_SETTINGS[$name] ]] || { echo "bench: $name is no bench setting (bench/common.sh)" >&2; exit 2; }
		[[ -n ${!name:-} ]] || printf -v "$name" '%s' "${a#*=}"
		export "${name?}"
	done
}

bench_check_environment() {
	local name
	for name in $(compgen -e); do
		case $name in
		FRAGENT_BENCH_*)
			echo "bench: $name is now ${name#FRAGENT_}" >&2
			exit 2
			;;
		BENCH_*)
			[[ -v BENCH_SETTINGS[$name] ]] || {
				echo "bench: $name is no bench setting; bench/common.sh lists them" >&2
				exit 2
			}
			;;
		esac
	done
}
bench_check_environment
bench_settings BENCH_USER=bench-admin BENCH_PASSWORD=bench-password-0123

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$(realpath -m -- "${FRAGENT_STATE_DIR:-$REPO/var}")
BUILD=$REPO/${FRAGENT_BUILD_DIR:-build}
[[ -r $STATE/fragent.env ]] || { echo "no stack settings in $STATE/fragent.env" >&2; exit 1; }
set -a
# shellcheck source=/dev/null
. "$STATE/fragent.env"
set +a
# Where nginx answers (as ./fragent prints it), the API, supervisorctl, Redis's password.
case $FRAGENT_HTTP_ADDR in
0.0.0.0 | ::) URL=http://127.0.0.1:$FRAGENT_HTTP_PORT ;;
*:*) URL=http://[$FRAGENT_HTTP_ADDR]:$FRAGENT_HTTP_PORT ;;
*) URL=http://$FRAGENT_HTTP_ADDR:$FRAGENT_HTTP_PORT ;;
esac
BASE=$URL/api/v1
SV="supervisorctl -c $STATE/supervisord.conf"
REDIS_PASSWORD=${FRAGENT_REDIS_URL#redis://:}
REDIS_PASSWORD=${REDIS_PASSWORD%%@*}

# Prints an access token of BENCH_USER (registered when it cannot sign in), else of the
# integration suites' admin.
bench_login() {
	local u=$BENCH_USER p=$BENCH_PASSWORD t
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
	[[ -n $t ]] || { echo "cannot sign in (set BENCH_USER and BENCH_PASSWORD)" >&2; exit 1; }
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

# Appends one queue entry per execution id read from standard input, the way the API does,
# with one pipelined batch of XADDs.
bench_xadd() {
	awk '{ printf "XADD fragent:executions * execution_id %s\n", $1 }' >"$STATE/bench-xadd.txt"
	REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning -p "$FRAGENT_REDIS_PORT" --pipe \
		<"$STATE/bench-xadd.txt" >/dev/null
	rm -f "$STATE/bench-xadd.txt"
}

# Enqueues "$2" executions of workflow "$1" with inputs "$3" (JSON, default {}) the way the
# API does (row, then XADD), in bulk: one INSERT and one pipelined batch of XADDs, so that
# they all reach jobd at once. bench_enqueue_ids also prints their ids, one a line.
bench_enqueue_ids() {
	local wf=$1 n=$2 inputs=${3:-\{\}}
	bench_sql "INSERT INTO executions (id, workflow_id, workflow_version, definition, inputs, owner_id)
		SELECT gen_random_uuid(), w.id, w.version, w.definition, '$inputs'::jsonb, w.owner_id
		FROM workflows w, generate_series(1, $n) WHERE w.id = '$wf' RETURNING id" |
		tee >(bench_xadd)
}
bench_enqueue() {
	bench_enqueue_ids "$@" >/dev/null
}

# The scripted vendor listens on loopback, which agents reach only through the model
# allow-list (FRAGENT_MODEL_ALLOWLIST=127.0.0.1/32 at ./fragent up): stops when it is not set.
bench_need_model_allowlist() {
	[[ ,${FRAGENT_MODEL_ALLOWLIST:-}, == *,127.0.0.1* ]] || {
		echo "the stack's agents refuse loopback: start it with FRAGENT_MODEL_ALLOWLIST=127.0.0.1/32" >&2
		exit 1
	}
}

# Exits unless the stack lets one user hold "$1" live streams on one process (the bench's
# subscribers are one user's, and the kernel may hand them all to one process).
bench_need_user_streams() {
	local limit=${FRAGENT_SSE_USER_STREAMS:-1000}
	((limit == 0 || limit >= $1)) || {
		echo "the stack lets a user hold $limit live streams on a process, fewer than $1:" \
			"start it with FRAGENT_SSE_USER_STREAMS=0 (no limit)" >&2
		exit 1
	}
}

# Exits unless nginx lets one address call the public webhooks at least "$1" times a second
# (FRAGENT_HOOK_RATE; the bench's load comes from this one address).
bench_need_hook_rate() {
	local rate=${FRAGENT_HOOK_RATE:-50r/s}
	[[ $rate == *r/s && ${rate%r/s} -ge $1 ]] || {
		echo "nginx lets one address call webhooks $rate, fewer than $1 a second:" \
			"start the stack with FRAGENT_HOOK_RATE=1000000r/s" >&2
		exit 1
	}
}

# Starts the scripted LLM vendor (tests/llmsrv) on a free port; sets LLM_PORT and LLM_PID and
# stops it when the script exits.
bench_llmsrv_start() {
	exec 3< <(exec "$BUILD/tests/llmsrv" -p 0 -d "$REPO/tests/llm-scenarios")
	read -r _ LLM_PORT <&3
	LLM_PID=$(pgrep -n -f "$BUILD/tests/llmsrv -p 0")
	trap 'kill $LLM_PID 2>/dev/null' EXIT
}

# Creates, with token "$1", an agent of the vendor on port "$2" (model "$3", default "bench":
# a calculator call, then the answer, each after 200 ms); prints its id.
bench_agent() {
	curl -s -X POST "$BASE/agents" -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' \
		-d "{\"name\":\"bench-agent\",\"description\":\"\",\"configuration\":{\"provider\":\"openai\",
		\"base_url\":\"http://127.0.0.1:$2/v1\",\"model\":\"${3:-bench}\",\"tools\":[\"calculator\"],
		\"max_iterations\":4}}" | sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p' | head -1
}

# Enqueues "$2" chats with agent "$1" in bulk (one INSERT of kind 'chat', pipelined XADDs).
bench_chats() {
	local def
	def="{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},
	 {\"id\":\"agent\",\"type\":\"agent\",\"config\":{\"agent_id\":\"$1\",\"prompt\":\"{{ .input.message }}\"}},
	 {\"id\":\"answer\",\"type\":\"output\",\"config\":{\"value\":\"{{ .agent.output }}\"}}],
	 \"edges\":[{\"source\":\"in\",\"target\":\"agent\"},{\"source\":\"agent\",\"target\":\"answer\"}]}"
	def=$(tr -d '\n\t' <<<"$def")
	bench_sql "INSERT INTO executions (id, workflow_id, workflow_version, definition, inputs,
		owner_id, kind, agent_id)
		SELECT gen_random_uuid(), NULL, 0, '$def'::jsonb, '{\"message\":\"What is 6*7?\"}'::jsonb,
		a.owner_id, 'chat', a.id FROM agents a, generate_series(1, $2) WHERE a.id = '$1'
		RETURNING id" | bench_xadd
}

# Waits (at most "$2" seconds) until agent "$1" has no queued or running chat; prints the
# peak of running ones in PEAK_RUN and tracks jobd's RSS peak in PEAK_RSS.
bench_chats_drain() {
	local i run left rss
	PEAK_RUN=0 PEAK_RSS=0
	for ((i = 0; i < $2 * 4; i++)); do
		rss=$(bench_jobd_rss)
		((rss > PEAK_RSS)) && PEAK_RSS=$rss
		if ((i % 2 == 0)); then
			read -r run left < <(bench_sql "SELECT count(*) FILTER (WHERE status = 'running'),
				count(*) FILTER (WHERE status IN ('queued','running')) FROM executions
				WHERE agent_id = '$1'" | tr '|' ' ')
			((run > PEAK_RUN)) && PEAK_RUN=$run
			((left == 0)) && return 0
		fi
		sleep 0.25
	done
	echo "still $left chats unfinished after $2 s" >&2
	return 1
}

# Prints jobd's resident set size in MB (its pid is looked up once: supervisorctl is slow).
JOBD_PID=
bench_jobd_rss() {
	[[ -n $JOBD_PID && -r /proc/$JOBD_PID/status ]] || JOBD_PID=$($SV pid jobd)
	awk '/^VmRSS/ { printf "%d\n", $2 / 1024 }' "/proc/$JOBD_PID/status"
}

# Prints "program ticks" for each program of the stack (supervisord's descendants, by
# process name): the user and system CPU time its processes have used so far, in clock
# ticks. Two snapshots around a run give each part's share of it (bench_cpu_per).
bench_cpu_ticks() {
	local root
	root=$(cat "$STATE/run/supervisord.pid")
	# /proc/PID/stat: pid (comm) state ppid ... utime (14th field) stime (15th); the name
	# may hold spaces, so the fields are counted after its closing parenthesis. A process
	# gone since the glob was expanded is skipped.
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$root" '
		/\)/ {
			pid = $1; name = substr($0, index($0, "(") + 1)
			name = substr(name, 1, index(name, ")") - 1)
			split(substr($0, index($0, ") ") + 2), f, " ")
			parent[pid] = f[2]; comm[pid] = name; ticks[pid] = f[12] + f[13]
		}
		END {
			for (pid in comm) {
				for (p = pid; p != "" && p != 0 && p != root; p = parent[p]) {}
				if (p == root && pid != root) sum[comm[pid]] += ticks[pid]
			}
			for (n in sum) print n, sum[n]
		}'
}

# Prints each program's CPU time per execution between two bench_cpu_ticks snapshots
# ("$1", "$2") over "$3" executions, in microseconds, the largest first, then the total.
bench_cpu_per() {
	local hz
	hz=$(getconf CLK_TCK)
	awk -v n="$3" -v hz="$hz" '
		NR == FNR { before[$1] = $2; next }
		{ used = ($2 - before[$1]) * 1e6 / hz / n; if (used > 0) { part[$1] = used; total += used } }
		END {
			for (p in part) printf "  %-16s %6.0f us\n", p, part[p] | "sort -k2 -rn"
			close("sort -k2 -rn")
			printf "  %-16s %6.0f us\n", "total", total
		}' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}
