-- api_get_agent.lua: wrk script: authenticated GET /api/v1/agents/{id}.
-- Environment: BENCH_TOKEN (access JWT), BENCH_AGENT (agent id).
local token = os.getenv("BENCH_TOKEN")
local agent = os.getenv("BENCH_AGENT")
wrk.method = "GET"
wrk.path = "/api/v1/agents/" .. agent
wrk.headers["Authorization"] = "Bearer " .. token

function response(status, headers, body)
	if status ~= 200 then
		io.stderr:write("unexpected status " .. status .. "\n")
	end
end
