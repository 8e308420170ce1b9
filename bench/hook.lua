-- hook.lua: wrk script POSTing to a webhook (BENCH_PATH), counting the statuses.
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH")
wrk.body = '{"name":"bench","items":[1,2,3,4]}'
wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread)
	table.insert(threads, thread)
end
function init(args)
	ok = 0
	other = 0
end
function response(status, headers, body)
	if status == 200 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
	local o, x = 0, 0
	for _, t in ipairs(threads) do
		o = o + t:get("ok")
		x = x + t:get("other")
	end
	io.write(string.format("sync answers 200: %d, other statuses: %d\n", o, x))
	for _, p in ipairs({ 50, 90, 99 }) do
		io.write(string.format("latency p%d: %.1f ms\n", p, latency:percentile(p) / 1000))
	end
end
