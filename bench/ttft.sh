#!/usr/bin/env bash
# ttft.sh: time to first token of a chat, measured at both ends. BENCH_N chats, one after the
# other: the client POSTs /agents/{id}/chat through nginx, opens the execution's event stream
# and stops at the first node.token event; tests/llmsrv (scenario "ttft": the status line
# after 50 ms, then the text in 8-character chunks) records when it read each request and
# when it sent the first chunk and the first chunk with text, on the same clock. The first
# chunk, as OpenAI sends it, holds only the role; the first text comes one chunk later
# (chunk_delay_ms), and no stack can show a token before the vendor has sent it. Reports
# p50/p99 of:
#   client TTFT   POST sent → first token event read by the client
#   vendor TTFB   request read → first chunk sent, at the vendor
#   vendor TTFT   request read → first chunk with text sent, at the vendor
#   added         client TTFT − vendor TTFT: what the stack adds
#   before        POST sent → request read by the vendor, in two parts:
#     API           POST sent → 202 read (nginx, validation, the INSERT committed, XADD)
#     jobd          202 read → request read by the vendor (the queue's wake-up, the claim,
#                   the step rows, the agent's setup, the request; it starts at the XADD,
#                   a little before the 202 leaves, so the two overlap slightly)
#   after         first text sent → token event read (jobd parse, Redis, listener, nginx)
# BENCH_WARMUP chats run first and are not counted: the first use of each API thread's and
# each worker's database connection pays for PostgreSQL's caches and prepared statements.
# The vendor's times are collected every 256 chats (llmsrv keeps the last 256 requests of a
# scenario), so BENCH_N may be large: p99 of 200 chats is their second slowest, of 2,000 the
# twentieth. Needs a stack started with FRAGENT_MODEL_ALLOWLIST=127.0.0.1/32. Bench
# settings (bench/common.sh): BENCH_N.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
bench_settings BENCH_N=200 BENCH_WARMUP=32
bench_need_model_allowlist
((BENCH_N >= 1)) || { echo "BENCH_N: at least 1" >&2; exit 1; }
TOKEN=$(bench_login)
bench_llmsrv_start
LLM=http://127.0.0.1:$LLM_PORT
curl -sf -X POST "$LLM/_scenario?name=ttft" -d '{"select": "turn", "responses": [{"delay_ms": 50,
	"text": "Hello there: this is the first token of a streamed answer.", "chunk_size": 8,
	"chunk_delay_ms": 2}]}' >/dev/null
curl -sf -X POST "$LLM/_reset" >/dev/null
AGENT=$(curl -s -X POST "$BASE/agents" -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' \
	-d "{\"name\":\"bench-ttft\",\"description\":\"\",\"configuration\":{\"provider\":\"openai\",
	\"base_url\":\"$LLM/v1\",\"model\":\"ttft\",\"stream\":true}}" |
	sed -n 's/^{"id" *: *"\([0-9a-f-]\{36\}\)".*/\1/p' | head -1)
[[ -n $AGENT ]] || { echo "cannot create the agent" >&2; exit 1; }

echo "== time to first token: $BENCH_N chats one after the other through nginx, after" \
	"$BENCH_WARMUP not counted (vendor :$LLM_PORT)"
python3 - "$URL" "$TOKEN" "$AGENT" "$BENCH_N" "$LLM" "$BENCH_WARMUP" <<'EOF'
import http.client, json, sys, time, urllib.parse, urllib.request

url, token, agent, n, llm = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
warmup = int(sys.argv[6])
RING = 256	# the requests llmsrv keeps of a scenario
u = urllib.parse.urlsplit(url)
auth = {"Authorization": "Bearer " + token}

def vendor_reset():
    urllib.request.urlopen(urllib.request.Request(llm + "/_reset", method="POST")).read()

def vendor_records(want):
    with urllib.request.urlopen(llm + "/_requests?scenario=ttft") as r:
        recs = sorted(json.load(r)["requests"], key=lambda x: x["seq"])
    if len(recs) != want:
        sys.exit("the vendor saw %d requests, not %d" % (len(recs), want))
    return recs

pairs = []	# (client's times, the vendor's record) of each chat counted
client = []	# the client's times of the chats since the vendor's last reset
for i in range(-warmup, n):
    if i == 0 or len(client) == RING:
        if i > 0:
            pairs += zip(client, vendor_records(len(client)))
        client = []
        vendor_reset()
    c = http.client.HTTPConnection(u.hostname, u.port)
    t0 = time.time_ns() // 1000
    c.request("POST", "/api/v1/agents/%s/chat" % agent, json.dumps({"message": "hi %d" % i}),
              dict(auth, **{"Content-Type": "application/json"}))
    r = c.getresponse()
    ex = json.loads(r.read())
    t202 = time.time_ns() // 1000
    if r.status != 202:
        sys.exit("chat: %d %s" % (r.status, ex))
    c.request("GET", "/api/v1/executions/%s/events" % ex["id"],
              headers=dict(auth, Accept="text/event-stream"))
    r = c.getresponse()
    t1 = None
    while True:
        line = r.fp.readline()
        if not line:
            break
        if line.startswith(b"event: node.token"):
            t1 = time.time_ns() // 1000
            break
    c.close()
    if t1 is None:
        sys.exit("no token event in execution %s" % ex["id"])
    client.append((t0, t202, t1))
pairs += zip(client, vendor_records(len(client)))

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] / 1000.0

rows = {"client TTFT": [], "vendor TTFB": [], "vendor TTFT": [], "added": [], "before": [],
        "  API": [], "  jobd": [], "after": []}
for (t0, t202, t1), rec in pairs:
    if "first_text_us" not in rec:
        sys.exit("the vendor sent no text in request %d" % rec["seq"])
    ttft = rec["first_text_us"] - rec["received_us"]
    rows["client TTFT"].append(t1 - t0)
    rows["vendor TTFB"].append(rec["first_chunk_us"] - rec["received_us"])
    rows["vendor TTFT"].append(ttft)
    rows["added"].append(t1 - t0 - ttft)
    rows["before"].append(rec["received_us"] - t0)
    rows["  API"].append(t202 - t0)
    rows["  jobd"].append(rec["received_us"] - t202)
    rows["after"].append(t1 - rec["first_text_us"])
for k, v in rows.items():
    print("  %-12s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms" % (k, pct(v, .5), pct(v, .99), max(v) / 1000.0))
EOF
