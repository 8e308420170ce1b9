-- api_post_agent.lua: wrk script: authenticated POST /api/v1/agents (one new agent each).
-- Environment: BENCH_TOKEN (access JWT of an editor or admin).
local token = os.getenv("BENCH_TOKEN")
wrk.method = "POST"
wrk.path = "/api/v1/agents"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"bench","description":"wrk","configuration":' ..
	'{"provider":"openai","model":"gpt-4o-mini","temperature":0.2,"tools":["calculator"]}}'

function response(status, headers, body)
	if status ~= 201 then
		io.stderr:write("unexpected status " .. status .. "\n")
	end
end
