-- post.lua: wrk script POSTing executions. Environment: BENCH_PATH, BENCH_TOKEN, and
-- BENCH_MAX (requests per wrk thread, then the thread stops; 0: until the duration ends).
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH")
wrk.body = '{"inputs":{"name":"bench","items":[1,2,3,4]}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local max = tonumber(os.getenv("BENCH_MAX") or "0")
local sent = 0
local accepted = 0
function request()
	sent = sent + 1
	return wrk.format()
end
function response(status, headers, body)
	if status == 202 then accepted = accepted + 1 end
	if max > 0 and sent >= max then wrk.thread:stop() end
end
