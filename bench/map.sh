#!/usr/bin/env bash
# map.sh: one run whose map node runs a small workflow (input → template → output) once per
# item of BENCH_N items, BENCH_CONCURRENCY at a time, as child executions. Reports the wall
# time from the POST to the parent's end, the children and their steps per second, the most
# children seen unfinished at once (sampled every 0.25 s: never above the concurrency), and
# jobd's RSS before, at its peak and after.
. "$(dirname "$0")/common.sh"
bench_settings BENCH_N=10000 BENCH_CONCURRENCY=50
TOKEN=$(bench_login)
CHILD=$(bench_workflow "$TOKEN" '{"nodes":[{"id":"in","type":"input","config":{}},{"id":"t","type":"template","config":{"template":"item {{ .in.index }}"}},{"id":"out","type":"output","config":{"value":"{{ .t.output }}"}}],"edges":[{"source":"in","target":"t"},{"source":"t","target":"out"}]}')
[[ -n $CHILD ]] || { echo "cannot create the child workflow" >&2; exit 1; }
PARENT=$(bench_workflow "$TOKEN" "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},{\"id\":\"each\",\"type\":\"map\",\"config\":{\"workflow_id\":\"$CHILD\",\"items\":\"[range($BENCH_N)]\",\"concurrency\":$BENCH_CONCURRENCY,\"timeout_ms\":3600000}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .each.output.succeeded }}\"}}],\"edges\":[{\"source\":\"in\",\"target\":\"each\"},{\"source\":\"each\",\"target\":\"out\"}]}")
[[ -n $PARENT ]] || { echo "cannot create the parent workflow" >&2; exit 1; }
echo "== map: $BENCH_N items, concurrency $BENCH_CONCURRENCY (child workflow $CHILD)"
echo "jobd RSS before: $(bench_jobd_rss) MB"
T0=$(date +%s.%N)
EXEC=$(curl -s -X POST "$BASE/workflows/$PARENT/executions" -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' -d '{"inputs":{}}' |
	sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p')
[[ -n $EXEC ]] || { echo "cannot start the run" >&2; exit 1; }
peak=0 peak_open=0 status=running
for ((i = 0; i < 14400; i++)); do
	rss=$(bench_jobd_rss)
	((rss > peak)) && peak=$rss
	if ((i % 4 == 0)); then
		read -r status open < <(bench_sql "SELECT status, (SELECT count(*) FROM executions
			WHERE parent_execution_id = '$EXEC' AND status IN ('queued','running'))
			FROM executions WHERE id = '$EXEC'" | tr '|' ' ')
		((open > peak_open)) && peak_open=$open
		[[ $status == queued || $status == running ]] || break
	fi
	sleep 0.25
done
T1=$(date +%s.%N)
wall=$(echo "$T1 - $T0" | bc)
echo "parent $EXEC: $status in $wall s (POST to end, sampled every 0.25 s)"
bench_sql "SELECT 'children: ' || count(*) || ' (' || count(*) FILTER (WHERE status = 'succeeded')
	|| ' succeeded), ' || round(count(*) / $wall, 0) || ' children/s; steps: ' ||
	(SELECT count(*) FROM execution_steps s JOIN executions c ON c.id = s.execution_id
	WHERE c.parent_execution_id = '$EXEC') || ', ' || round((SELECT count(*) FROM
	execution_steps s JOIN executions c ON c.id = s.execution_id WHERE c.parent_execution_id =
	'$EXEC') / $wall, 0) || ' steps/s' FROM executions WHERE parent_execution_id = '$EXEC'"
echo "most children unfinished at once (sampled): $peak_open"
echo "jobd RSS peak: $peak MB, after: $(bench_jobd_rss) MB"
