#!/usr/bin/env bash
# integration.sh: starts a throwaway Fra-Gent stack (PostgreSQL, Redis, nginx,
# fragent-api, fragent-jobd) with `./fragent up` in a temporary state folder
# and on test ports, runs the integration suites (build/tests/it_*) against it and
# stops it, after tests/check_install.sh checked the production install on its PostgreSQL
# and Redis and tests/check_tls.sh turned it to HTTPS; then does the same with a
# second, fresh stack for the browser end-to-end test (tests/e2e/run.mjs), which starts
# with the first-run sign-up.
#
# Environment (defaults in brackets):
#   FRAGENT_IT_HTTP_PORT [18080]  FRAGENT_IT_PG_PORT [15433]
#   FRAGENT_IT_REDIS_PORT [16380] FRAGENT_IT_SSE_PORT [18081]
#   FRAGENT_IT_HTTPS_PORT [18443] (tests/check_tls.sh)
#   FRAGENT_IT_PROMETHEUS_PORT [19090] (tests/check_metrics.sh)
#   FRAGENT_IT_OTLP_PORT [HTTP port + 2] the OTLP collector of it_tracing (tests/testsrv)
#   FRAGENT_IT_INSTALL_PORT [FRAGENT_IT_HTTP_PORT + 3] (tests/check_install.sh: the
#                        installed jobd)
#   FRAGENT_IT_TIMEOUT   seconds one suite may take [600]
#   FRAGENT_IT_ONLY      space-separated names to run (e.g. "it_sse check_tls check_install
#                        e2e") [all]
#   FRAGENT_IT_AUTH_RATE / FRAGENT_IT_AUTH_BURST  nginx limit of /api/v1/auth/ [100r/s, 200]
#   FRAGENT_IT_HOOK_RATE / FRAGENT_IT_HOOK_BURST  nginx limit of /hooks/ [100r/s, 400]
#   FRAGENT_BUILD_DIR    build folder whose binaries and it_* suites run [build]
#   FRAGENT_SANITIZER_LOGS=1  (with a --enable-sanitizers build) send ASan/UBSan reports
#                        of every program to STATE/log and fail when there is any
#   FRAGENT_KEEP_STATE=1 keep the temporary state folder (logs, database)
# The HTTP node may reach 127.0.0.1 (tests/testsrv), agents 127.0.0.2 (tests/llmsrv, which
# the suites start with LLMSRV_ADDR=127.0.0.2).
# The suites get FRAGENT_TEST_URL, FRAGENT_TEST_STATE_DIR, FRAGENT_TEST_SUPERVISORCTL,
# FRAGENT_TEST_FRAGENT (this checkout's ./fragent) and the stack's FRAGENT_* settings
# (FRAGENT_DATABASE_URL, FRAGENT_REDIS_URL, key files, ...).
set -uo pipefail
shopt -s nullglob

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO" || exit 1

# Only the settings of this stack: nothing inherited from a stack started by
# `./fragent up` in the same shell.
unset FRAGENT_DATABASE_URL FRAGENT_REDIS_URL FRAGENT_MIGRATIONS_DIR \
	FRAGENT_JWT_KEY_FILE FRAGENT_MASTER_KEY_FILE FRAGENT_SSE_ADDR \
	FRAGENT_TLS_CERT FRAGENT_TLS_KEY FRAGENT_HTTPS_PORT
export FRAGENT_HTTP_ADDR=127.0.0.1
export FRAGENT_HTTP_PORT=${FRAGENT_IT_HTTP_PORT:-18080}
export FRAGENT_PG_PORT=${FRAGENT_IT_PG_PORT:-15433}
export FRAGENT_REDIS_PORT=${FRAGENT_IT_REDIS_PORT:-16380}
export FRAGENT_SSE_PORT=${FRAGENT_IT_SSE_PORT:-18081}
# Two processes serve jobd's listener port (jobd and one --listener copy), so that every suite's
# streams and webhooks go through both; the browser tests' stack keeps the default, one.
export FRAGENT_SSE_PROCS=2
# it_sse's crowd is one user's 1,500 streams, which nginx may hand to either process: above the
# default limit of a user's streams on one (it_listener tests the limit on a listener of its own).
export FRAGENT_SSE_USER_STREAMS=2000
# The engine's suites: a short lease so that it_crash's kill -9 rounds recover in seconds,
# and only the scripted test server (tests/testsrv, on 127.0.0.1) allow-listed for the
# HTTP node, so that its SSRF guard is tested against every other address.
export FRAGENT_JOBD_LEASE_MS=${FRAGENT_IT_JOBD_LEASE_MS:-2000}
# A short sweep: it_api stops Redis, starts runs (stored as queued) and expects the sweeper
# to queue them once Redis is back.
export FRAGENT_JOBD_SWEEP_MS=${FRAGENT_IT_JOBD_SWEEP_MS:-3000}
# it_retention waits for jobd's retention job: a tick a second.
export FRAGENT_JOBD_RETENTION_MS=${FRAGENT_IT_JOBD_RETENTION_MS:-1000}
# it_http_node checks that jobd's HTTP connections close after this idle time and that the
# next request opens a new one.
export FRAGENT_JOBD_HTTP_IDLE_MS=3000
# it_crash's poisoned run is failed after this many abandons (kills) plus one.
export FRAGENT_JOBD_MAX_ABANDONS=2
export FRAGENT_HTTP_ALLOWLIST=127.0.0.1/32
# Tracing on for every suite: jobd exports to tests/testsrv's OTLP routes, which it_tracing
# starts on this port (while nothing listens there, exports fail and are dropped).
export FRAGENT_OTLP_ENDPOINT=http://127.0.0.1:${FRAGENT_IT_OTLP_PORT:-$((FRAGENT_HTTP_PORT + 2))}
# The scripted LLM vendor (tests/llmsrv) listens on a loopback address of its own, the only
# one the model allow-list admits: agents reach it, and every other loopback, private or
# link-local base_url is refused by the same guard (it_model_guard).
export LLMSRV_ADDR=127.0.0.2
export FRAGENT_MODEL_ALLOWLIST=$LLMSRV_ADDR/32
# The suites sign in many times from one address: lift nginx's auth rate limit
# (the per-account back-off still applies).
export FRAGENT_AUTH_RATE=${FRAGENT_IT_AUTH_RATE:-100r/s}
export FRAGENT_AUTH_BURST=${FRAGENT_IT_AUTH_BURST:-200}
# it_hooks calls webhooks 200 at once from one address: a burst above that, and a rate that
# refills it within seconds (its last test spends it and checks the 429s).
export FRAGENT_HOOK_RATE=${FRAGENT_IT_HOOK_RATE:-100r/s}
export FRAGENT_HOOK_BURST=${FRAGENT_IT_HOOK_BURST:-400}
# it_hooks' load balancer in front of nginx: from this address alone nginx believes
# X-Forwarded-For.
export FRAGENT_TRUSTED_PROXIES=127.0.0.5/32
# The origin it_api's CORS test sends as allowed (any other is refused).
export FRAGENT_CORS_ORIGINS=http://app.example.test
SUITE_TIMEOUT=${FRAGENT_IT_TIMEOUT:-600}
BUILD_DIR=$REPO/${FRAGENT_BUILD_DIR:-build}
export FRAGENT_API_BIN=$BUILD_DIR/fcgi/fragent-api
export FRAGENT_JOBD_BIN=$BUILD_DIR/jobd/fragent-jobd
# The expression sandbox's helper, for the suites that start a pool themselves (the stack's
# jobd finds it beside itself).
export SANDBOX_BIN=$BUILD_DIR/jobd/fragent-sandbox
passed=0
failed=0
failed_names=()
STATE=
# Each suite's output, kept until the end: the summary repeats the failed suites' last lines,
# which the stack's logs printed after a failure would otherwise push far up.
OUTPUTS=$(mktemp -d /tmp/fragent-it-out.XXXXXX) || exit 1

# Stops the current stack, reads its sanitizer reports and removes its state folder.
teardown() {
	[[ -n $STATE ]] || return 0
	echo "== stopping the test stack"
	"$REPO/fragent" down || true
	check_sanitizer_logs
	if [[ ${FRAGENT_KEEP_STATE:-0} == 1 ]]; then
		echo "state kept in $STATE"
	else
		rm -rf -- "$STATE"
	fi
	STATE=
}
trap 'teardown; rm -rf -- "$OUTPUTS"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Every sanitizer report (written when a program exits, so after `down`) fails the run.
check_sanitizer_logs() {
	local f found=0
	for f in "$STATE"/log/fragent/asan.* "$STATE"/log/fragent/ubsan.*; do
		[[ -s $f ]] || continue
		found=1
		echo "----- sanitizer report ${f##*/}"
		cat "$f"
	done
	if ((found)); then
		record "sanitizer reports" 1
	elif [[ ${FRAGENT_SANITIZER_LOGS:-0} == 1 ]]; then
		echo "== no sanitizer reports"
	fi
}

print_logs() {
	local f
	echo "== logs of the test stack ($STATE/log)"
	for f in "$STATE"/log/*; do
		[[ -f $f ]] || continue
		echo "----- ${f##*/} (last 100 lines)"
		tail -n 100 "$f"
	done
}

record() {
	if (($2 == 0)); then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names+=("$1")
		echo "== $1: FAILED (exit $2)"
	fi
}

# True when suite "$1" is to run (FRAGENT_IT_ONLY unset, or "$1" among its words).
selected() {
	[[ -z ${FRAGENT_IT_ONLY:-} || " $FRAGENT_IT_ONLY " == *" $1 "* ]]
}

# Starts a fresh stack in a new state folder and exports what the suites need to reach
# and steer it. Returns 1 (after recording the failure) when it does not come up.
start_stack() {
	STATE=$(mktemp -d /tmp/fragent-it.XXXXXX) || return 1
	chmod 0755 "$STATE"
	export FRAGENT_STATE_DIR=$STATE
	if [[ ${FRAGENT_SANITIZER_LOGS:-0} == 1 ]]; then
		# log/fragent/: the folder the programs, running as the fragent user, may write.
		export ASAN_OPTIONS="detect_leaks=1:log_exe_name=1:log_path=$STATE/log/fragent/asan"
		export UBSAN_OPTIONS="print_stacktrace=1:log_exe_name=1:log_path=$STATE/log/fragent/ubsan"
	fi
	echo "== starting a test stack in $STATE"
	if ! "$REPO/fragent" up --no-install --no-build; then
		record "stack (./fragent up)" 1
		print_logs
		return 1
	fi
	# Everything the stack's programs get, and how to reach and steer the stack.
	set -a
	# shellcheck source=/dev/null
	. "$STATE/fragent.env"
	set +a
	export FRAGENT_TEST_URL=http://127.0.0.1:$FRAGENT_HTTP_PORT
	export FRAGENT_TEST_STATE_DIR=$STATE
	export FRAGENT_TEST_SUPERVISORCTL="supervisorctl -c $STATE/supervisord.conf"
	export FRAGENT_TEST_FRAGENT=$REPO/fragent
}

# Prints the logs when a suite failed on the current stack, then stops it.
finish_stack() {
	if ((failed > ${1:-0})); then
		print_logs
	fi
	teardown
}

if ! start_stack; then
	teardown
	echo "$passed passed, $failed failed"
	exit 1
fi

suites=()
found=0
for t in "$BUILD_DIR"/tests/it_*; do
	[[ -f $t && -x $t && ${t##*/} != *.* ]] || continue
	found=$((found + 1))
	selected "${t##*/}" && suites+=("$t")
done
if ((found == 0)); then
	echo "== no integration programs found ($BUILD_DIR/tests/it_*)"
	record "integration programs" 1
fi
# After a failed suite: `./fragent up` again starts what it may have left stopped
# (PostgreSQL, Redis, the API) and waits until the API answers ready, so that its failure
# does not become the next suites'.
restore_stack() {
	"$REPO/fragent" up --no-install --no-build >/dev/null ||
		echo "== the stack is not ready again after a failed suite"
}

# Runs the command after "$1" as suite "$1" (the name it is recorded by): its output is
# shown and kept in OUTPUTS. Returns the command's exit status. tee reads from a process
# substitution, not a pipe, so that a server a suite left running with its output cannot
# keep the run waiting.
run_kept() {
	local name=$1
	shift
	timeout --kill-after=10 "$SUITE_TIMEOUT" "$@" > >(tee "$OUTPUTS/${name//\//_}") 2>&1
}

# Repeats the last lines of what each failed suite printed.
print_failed_outputs() {
	local name f
	for name in "${failed_names[@]}"; do
		f=$OUTPUTS/${name//\//_}
		[[ -f $f ]] || continue
		echo "----- what $name printed last (40 lines)"
		tail -n 40 "$f"
	done
}

for t in "${suites[@]}"; do
	echo "== ${t#"$REPO"/}"
	run_kept "${t#"$REPO"/}" "$t"
	rc=$?
	record "${t#"$REPO"/}" $rc
	((rc == 0)) || restore_stack
done

# The scrape checked by promtool and by a Prometheus server.
if selected check_metrics; then
	echo "== tests/check_metrics.sh"
	run_kept tests/check_metrics.sh "$REPO/tests/check_metrics.sh"
	record tests/check_metrics.sh $?
fi

# The production install (make install), run against this stack's PostgreSQL and Redis.
if selected check_install; then
	echo "== tests/check_install.sh"
	run_kept tests/check_install.sh "$REPO/tests/check_install.sh"
	record tests/check_install.sh $?
fi

# Last on this stack, since it turns it to HTTPS: TLS with curl.
if selected check_tls; then
	echo "== tests/check_tls.sh"
	run_kept tests/check_tls.sh "$REPO/tests/check_tls.sh"
	record tests/check_tls.sh $?
fi

finish_stack 0
failed_before_e2e=$failed

echo "== tests/e2e/run.mjs (browser end-to-end, on a fresh stack)"
export FRAGENT_SSE_PROCS=1	# the default: jobd alone serves its listener
if ! start_stack; then
	:
elif ! selected e2e; then
	echo "not selected by FRAGENT_IT_ONLY"
elif [[ -f $REPO/tests/e2e/run.mjs ]]; then
	mkdir -p "$REPO/tests/e2e/screenshots"
	FRAGENT_SCREENSHOT_DIR=$REPO/tests/e2e/screenshots \
		run_kept tests/e2e/run.mjs node "$REPO/tests/e2e/run.mjs"
	record "tests/e2e/run.mjs" $?
else
	echo "tests/e2e/run.mjs not found"
	record "tests/e2e/run.mjs" 1
fi

finish_stack "$failed_before_e2e"
if ((failed > 0)); then
	print_failed_outputs
	echo "== failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
((failed == 0))
