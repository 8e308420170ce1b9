#!/usr/bin/env bash
# agent.sh: BENCH_N [1000] agent executions at once, each one tool round trip against the
# scripted LLM vendor (tests/llmsrv, scenario "bench": every model call answers after
# 200 ms: a calculator call, then the final answer). They are enqueued in
# bulk like chats (one INSERT of kind 'chat', pipelined XADDs) so that all are in flight
# together; reports completion time, jobd's CPU time per execution and its RSS.
. "$(dirname "$0")/common.sh"
N=${BENCH_N:-1000}
# The scripted vendor listens on loopback, which agents reach only through the model
# allow-list (FRAGENT_MODEL_ALLOWLIST=127.0.0.1/32 at ./fragent up).
[[ ,${FRAGENT_MODEL_ALLOWLIST:-}, == *,127.0.0.1* ]] || {
	echo "the stack's agents refuse loopback: start it with FRAGENT_MODEL_ALLOWLIST=127.0.0.1/32" >&2
	exit 1
}
TOKEN=$(bench_login)
exec 3< <(exec "$BUILD/tests/llmsrv" -p 0 -d "$REPO/tests/llm-scenarios")
read -r _ PORT <&3
SRV=$(pgrep -n -f "$BUILD/tests/llmsrv -p 0")
trap 'kill $SRV 2>/dev/null' EXIT
AGENT=$(curl -s -X POST "$BASE/agents" -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' \
	-d "{\"name\":\"bench-agent\",\"description\":\"\",\"configuration\":{\"provider\":\"openai\",
	\"base_url\":\"http://127.0.0.1:$PORT/v1\",\"model\":\"bench\",\"tools\":[\"calculator\"],
	\"max_iterations\":4}}" | sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p' | head -1)
[[ -n $AGENT ]] || { echo "cannot create the agent" >&2; exit 1; }
DEF="{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},
 {\"id\":\"agent\",\"type\":\"agent\",\"config\":{\"agent_id\":\"$AGENT\",\"prompt\":\"{{ .input.message }}\"}},
 {\"id\":\"answer\",\"type\":\"output\",\"config\":{\"value\":\"{{ .agent.output }}\"}}],
 \"edges\":[{\"source\":\"in\",\"target\":\"agent\"},{\"source\":\"agent\",\"target\":\"answer\"}]}"
DEF=$(tr -d '\n' <<<"$DEF")
JOBD=$($SV pid jobd)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$JOBD/stat"; }
echo "== agent: $N executions, each 2 model calls of 200 ms + 1 calculator call (llmsrv :$PORT)"
echo "jobd RSS before: $(bench_jobd_rss) MB"
C0=$(cpu_ticks)
T0=$(date +%s.%N)
bench_sql "INSERT INTO executions (id, workflow_id, workflow_version, definition, inputs,
	owner_id, kind, agent_id)
	SELECT gen_random_uuid(), NULL, 0, '$DEF'::jsonb, '{\"message\":\"What is 6*7?\"}'::jsonb,
	a.owner_id, 'chat', a.id FROM agents a, generate_series(1, $N) WHERE a.id = '$AGENT'
	RETURNING id" |
	awk '{ printf "XADD fragent:executions * execution_id %s\n", $1 }' >"$STATE/bench-xadd.txt"
pw=$(sed -n 's|^FRAGENT_REDIS_URL=redis://:\([^@]*\)@.*|\1|p' "$STATE/fragent.env")
REDISCLI_AUTH=$pw redis-cli --no-auth-warning -p "$FRAGENT_REDIS_PORT" --pipe \
	<"$STATE/bench-xadd.txt" >/dev/null
rm -f "$STATE/bench-xadd.txt"
peak=0 peak_run=0
for ((i = 0; i < 1200; i++)); do
	rss=$(bench_jobd_rss)
	((rss > peak)) && peak=$rss
	if ((i % 2 == 0)); then
		read -r run left < <(bench_sql "SELECT count(*) FILTER (WHERE status = 'running'),
			count(*) FILTER (WHERE status IN ('queued','running')) FROM executions
			WHERE agent_id = '$AGENT'" | tr '|' ' ')
		((run > peak_run)) && peak_run=$run
		((left == 0)) && break
	fi
	sleep 0.25
done
T1=$(date +%s.%N)
C1=$(cpu_ticks)
HZ=$(getconf CLK_TCK)
echo "all finished in $(echo "$T1 - $T0" | bc) s (wall clock, enqueue included); peak running: $peak_run"
echo "jobd CPU: $(echo "scale=3; ($C1 - $C0) / $HZ" | bc) s in total, $(echo "scale=3; ($C1 - $C0) * 1000 / $HZ / $N" | bc) ms per execution"
echo "jobd RSS peak: $peak MB, after: $(bench_jobd_rss) MB"
bench_sql "SELECT status, count(*) FROM executions WHERE agent_id = '$AGENT' GROUP BY 1 ORDER BY 1" | sed 's/^/  status|count: /'
bench_sql "SELECT 'span (first insert to last end): ' ||
	round(extract(epoch FROM max(end_time) - min(created_at))::numeric, 2) || ' s, latency p50 ' ||
	round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY end_time - created_at))::numeric, 0) ||
	' ms, p99 ' || round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP
	(ORDER BY end_time - created_at))::numeric, 0) || ' ms'
	FROM executions WHERE agent_id = '$AGENT' AND status = 'succeeded'"
