#!/usr/bin/env bash
# agent.sh: BENCH_N agent executions at once, each one tool round trip against the
# scripted LLM vendor (tests/llmsrv, scenario "bench": every model call answers after
# 200 ms: a calculator call, then the final answer). They are enqueued in
# bulk like chats (one INSERT of kind 'chat', pipelined XADDs) so that all are in flight
# together; reports completion time, jobd's CPU time per execution and its RSS.
. "$(dirname "$0")/common.sh"
bench_settings BENCH_N=1000
bench_need_model_allowlist
TOKEN=$(bench_login)
bench_llmsrv_start
AGENT=$(bench_agent "$TOKEN" "$LLM_PORT")
[[ -n $AGENT ]] || { echo "cannot create the agent" >&2; exit 1; }
JOBD=$($SV pid jobd)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$JOBD/stat"; }
echo "== agent: $BENCH_N executions, each 2 model calls of 200 ms + 1 calculator call (llmsrv :$LLM_PORT)"
echo "jobd RSS before: $(bench_jobd_rss) MB"
C0=$(cpu_ticks)
T0=$(date +%s.%N)
bench_chats "$AGENT" "$BENCH_N"
bench_chats_drain "$AGENT" 300 || true
T1=$(date +%s.%N)
C1=$(cpu_ticks)
HZ=$(getconf CLK_TCK)
echo "all finished in $(echo "$T1 - $T0" | bc) s (wall clock, enqueue included); peak running: $PEAK_RUN"
echo "jobd CPU: $(echo "scale=3; ($C1 - $C0) / $HZ" | bc) s in total, $(echo "scale=3; ($C1 - $C0) * 1000 / $HZ / $BENCH_N" | bc) ms per execution"
echo "jobd RSS peak: $PEAK_RSS MB, after: $(bench_jobd_rss) MB"
bench_sql "SELECT status, count(*) FROM executions WHERE agent_id = '$AGENT' GROUP BY 1 ORDER BY 1" | sed 's/^/  status|count: /'
bench_sql "SELECT 'span (first insert to last end): ' ||
	round(extract(epoch FROM max(end_time) - min(created_at))::numeric, 2) || ' s, latency p50 ' ||
	round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY end_time - created_at))::numeric, 0) ||
	' ms, p99 ' || round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP
	(ORDER BY end_time - created_at))::numeric, 0) || ' ms'
	FROM executions WHERE agent_id = '$AGENT' AND status = 'succeeded'"
