#!/usr/bin/env bash
# crash.sh: a crash run on a stack from ./fragent up, to run before bench/agent.sh: BENCH_N
# agent executions at once against the scripted vendor (as agent.sh, but each model
# call answers after 4 s: scenario bench_slow, so that runs are in flight), while jobd is
# killed with SIGKILL BENCH_KILLS times (every 2-4 s), a second jobd joins and is stopped
# with SIGTERM, and the vendor goes away before the run ends. Then it waits until every
# execution ended (lease + sweep at the most) and reports how they ended and when. Running
# agent.sh twice afterwards shows whether the engine recovered fully: the second run's
# figures should match a fresh stack's.
. "$(dirname "$0")/common.sh"
bench_settings BENCH_N=1000 BENCH_KILLS=12
bench_need_model_allowlist
TOKEN=$(bench_login)
bench_llmsrv_start
AGENT=$(bench_agent "$TOKEN" "$LLM_PORT" bench_slow)
[[ -n $AGENT ]] || { echo "cannot create the agent" >&2; exit 1; }
# The second jobd is the program the stack runs (./fragent up installed it there).
JOBD_BIN=$STATE/bin/fragent-jobd
SECOND=
echo "== crash run: $BENCH_N agent executions, $BENCH_KILLS kills of jobd, a second jobd, the vendor leaving"
T0=$(date +%s.%N)
bench_chats "$AGENT" "$BENCH_N"
for ((k = 1; k <= BENCH_KILLS; k++)); do
	sleep "$((2 + RANDOM % 3))"
	$SV signal KILL jobd >/dev/null 2>&1 || true
	$SV start jobd >/dev/null 2>&1 || true
	if ((k == 3)); then
		FRAGENT_SSE_PORT=$((FRAGENT_SSE_PORT + 1000)) FRAGENT_JOBD_CONSUMER=bench-second \
			"$JOBD_BIN" >>"$STATE/log/jobd-second.log" 2>&1 &
		SECOND=$!
	elif ((k == 6)) && [[ -n $SECOND ]]; then
		kill -TERM "$SECOND"
		wait "$SECOND" || true
		SECOND=
	elif ((k == BENCH_KILLS / 2 + 2)); then
		kill "$LLM_PID"		# the vendor goes away with runs in flight
	fi
done
[[ -n $SECOND ]] && { kill -TERM "$SECOND"; wait "$SECOND" || true; }
echo "churn over after $(echo "$(date +%s.%N) - $T0" | bc) s; waiting for every execution to end"
T1=$(date +%s.%N)
bench_chats_drain "$AGENT" $(((FRAGENT_JOBD_LEASE_MS + FRAGENT_JOBD_SWEEP_MS) / 1000 + 300)) || true
echo "all ended $(echo "$(date +%s.%N) - $T1" | bc) s after the churn"
bench_sql "SELECT status, count(*) FROM executions WHERE agent_id = '$AGENT' GROUP BY 1 ORDER BY 1" | sed 's/^/  status|count: /'
bench_sql "SELECT 'abandons: max ' || max(abandons) || ', executions abandoned at least once: ' ||
	count(*) FILTER (WHERE abandons > 0) FROM executions WHERE agent_id = '$AGENT'"
