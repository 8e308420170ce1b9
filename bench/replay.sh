#!/usr/bin/env bash
# replay.sh: a workflow of BENCH_N agent steps in a chain, each one tool round trip against the
# scripted LLM vendor (tests/llmsrv, scenario "bench": every model call answers after 200 ms:
# a calculator call, then the final answer), run once; then the vendor is stopped and the run
# replayed from its recording. Reports the original's and the replay's time (row created to
# ended, and POST to ended as a client sees it), whether the outputs are the same node by
# node, and the calls: the vendor's request count across the replay (it is stopped: any call
# would fail the replay) and what the replay's steps say of their sources.
. "$(dirname "$0")/common.sh"
bench_settings BENCH_N=20
bench_need_model_allowlist
TOKEN=$(bench_login)
bench_llmsrv_start
AGENT=$(bench_agent "$TOKEN" "$LLM_PORT")
[[ -n $AGENT ]] || { echo "cannot create the agent" >&2; exit 1; }
nodes='{"id":"in","type":"input","config":{}}' edges='' prev=in
for ((i = 1; i <= BENCH_N; i++)); do
	nodes+=",{\"id\":\"a$i\",\"type\":\"agent\",\"config\":{\"agent_id\":\"$AGENT\",\"prompt\":\"Step $i after: {{ .$prev.output }}\"}}"
	edges+="${edges:+,}{\"source\":\"$prev\",\"target\":\"a$i\"}"
	prev=a$i
done
nodes+=",{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .$prev.output }}\"}}"
edges+=",{\"source\":\"$prev\",\"target\":\"out\"}"
WF=$(bench_workflow "$TOKEN" "{\"nodes\":[$nodes],\"edges\":[$edges]}")
[[ -n $WF ]] || { echo "cannot create the workflow" >&2; exit 1; }

# Waits for execution "$1" to end; prints the seconds from "$2" (date +%s.%N) to its end.
wait_end() {
	local i status
	for ((i = 0; i < 2400; i++)); do
		status=$(bench_sql "SELECT status FROM executions WHERE id = '$1'")
		[[ $status == queued || $status == running ]] || break
		sleep 0.05
	done
	echo "$(echo "$(date +%s.%N) - $2" | bc) $status"
}
requests() { curl -s "http://127.0.0.1:$LLM_PORT/_requests?scenario=bench" | grep -o '"seq"' | wc -l; }

echo "== replay: a run of $BENCH_N agent steps (2 model calls of 200 ms + 1 calculator call each; llmsrv :$LLM_PORT)"
T0=$(date +%s.%N)
EXEC=$(curl -s -X POST "$BASE/workflows/$WF/executions" -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' -d '{"inputs":{}}' |
	sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p')
read -r wall status < <(wait_end "$EXEC" "$T0")
echo "original $EXEC: $status, POST to end $wall s; vendor requests: $(requests)"
kill "$LLM_PID" 2>/dev/null
wait "$LLM_PID" 2>/dev/null || true
echo "vendor stopped"
T0=$(date +%s.%N)
REPLAY=$(curl -s -X POST "$BASE/executions/$EXEC/replay" -H "Authorization: Bearer $TOKEN" |
	sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p')
[[ -n $REPLAY ]] || { echo "cannot start the replay" >&2; exit 1; }
read -r wall status < <(wait_end "$REPLAY" "$T0")
echo "replay $REPLAY: $status, POST to end $wall s"
bench_sql "SELECT 'row created to ended: original ' ||
	round(extract(epoch FROM o.end_time - o.created_at)::numeric, 3) || ' s, replay ' ||
	round(extract(epoch FROM r.end_time - r.created_at)::numeric, 3) || ' s; results the same: ' ||
	(o.results = r.results) FROM executions o, executions r WHERE o.id = '$EXEC' AND r.id = '$REPLAY'"
bench_sql "SELECT 'steps with the same output: ' || count(*) FILTER (WHERE r.output IS NOT DISTINCT
	FROM o.output) || ' of ' || count(*) FROM execution_steps r JOIN execution_steps o ON
	o.execution_id = '$EXEC' AND o.node_id = r.node_id AND o.status = 'succeeded'
	WHERE r.execution_id = '$REPLAY' AND r.status = 'succeeded'"
bench_sql "SELECT 'replay steps by source: ' || string_agg(s || ' ' || n, ', ') FROM (SELECT
	replay_source s, count(*) n FROM execution_steps WHERE execution_id = '$REPLAY' GROUP BY 1
	ORDER BY 1) x"
bench_sql "SELECT 'calls recorded in the original: ' || sum(jsonb_array_length(exchanges)) ||
	'; in the replay: live ' || (SELECT count(*) FROM execution_steps s,
	jsonb_array_elements(s.exchanges) z WHERE s.execution_id = '$REPLAY' AND z->>'source' = 'live')
	|| ', from the recording ' || (SELECT count(*) FROM execution_steps s,
	jsonb_array_elements(s.exchanges) z WHERE s.execution_id = '$REPLAY' AND
	z->>'source' = 'recording') FROM execution_steps WHERE execution_id = '$EXEC'"
