-- usage_get.lua: wrk script: authenticated GET of BENCH_PATH (the usage routes).
-- Environment: BENCH_TOKEN (access JWT), BENCH_PATH (path and query).
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

function response(status, headers, body)
	if status ~= 200 then
		io.stderr:write("unexpected status " .. status .. "\n")
	end
end
