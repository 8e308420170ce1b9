#!/usr/bin/env bash
# check_install.sh: the production install (docs/DEPLOY.md), tested on the test stack's
# PostgreSQL and Redis. tests/integration.sh runs it on its first stack (FRAGENT_IT_ONLY names
# it check_install). It configures a build of the source folder whose prefix and sysconfdir
# lie in a temporary root (ROOT/usr, ROOT/etc; the socket and log folders there too), so that
# the compiled-in paths resolve inside it, builds it with the front end, and checks
#   - make install DESTDIR=STAGE installs every file expected and nothing else: the three
#     programs, every migration of sql/, the front end, the environment file (0640, from its
#     template) and its template, both nginx sites, the supervisord program file, the systemd
#     units, the sysusers.d and tmpfiles.d files and DEPLOY.md;
#   - the systemd units pass systemd-analyze verify (skipped when it is missing), the
#     sysusers.d file systemd-sysusers --dry-run, the tmpfiles.d file makes its folders;
#   - make install into ROOT keeps an edited fragent.env and renews the rest;
#   - both nginx sites pass nginx -t inside Debian's /etc/nginx/nginx.conf;
#   - the installed fragent-api migrate, with no FRAGENT_MIGRATIONS_DIR, names the installed
#     migrations folder and applies every migration to a new database;
#   - supervisord, running the installed program file as it is, starts the installed
#     fragent-api (4 processes) and fragent-jobd as the fragent user; the system nginx
#     configuration with the installed site serves the installed front end, /api/v1/health,
#     /api/v1/ready and jobd's event streams; a workflow run through it completes (jobd and
#     its fragent-sandbox helper from the installation);
#   - make uninstall leaves only the edited fragent.env.
# Environment: what tests/integration.sh exports (FRAGENT_TEST_STATE_DIR, FRAGENT_PG_PORT,
# FRAGENT_DATABASE_URL, FRAGENT_REDIS_URL, FRAGENT_HTTP_PORT) and FRAGENT_IT_INSTALL_PORT,
# the port the installed jobd listens on [FRAGENT_HTTP_PORT + 3]. The installed site listens
# on a Unix socket instead of port 80 (no port of the machine to collide with).
set -uo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
STATE=${FRAGENT_TEST_STATE_DIR:?run by tests/integration.sh, which sets FRAGENT_TEST_STATE_DIR}
PG_PORT=${FRAGENT_PG_PORT:?the PostgreSQL port of the stack}
DB_URL=${FRAGENT_DATABASE_URL:?the database URL of the stack}
REDIS_URL=${FRAGENT_REDIS_URL:?the Redis URL of the stack}
SSE_PORT=${FRAGENT_IT_INSTALL_PORT:-$((${FRAGENT_HTTP_PORT:?the HTTP port of the stack} + 3))}
DB_NAME=fragent_install_check
APP_USER=fragent
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check_install.XXXXXX") || exit 1
chmod 0755 "$TMP"	# the fragent and www-data users reach the installation inside
ROOT=$TMP/root
STAGE=$TMP/stage
BUILD=$TMP/build
URL=http://localhost
HTTP_SOCKET=$TMP/http.sock
failed=0
checks=0

fail() {
	printf 'check_install: FAILED: %s\n' "$*" >&2
	failed=1
}

# Counts check "$1" passed when command "$2..." succeeds, fails it otherwise.
check() {
	local what=$1
	shift
	checks=$((checks + 1))
	"$@" || fail "$what"
}

# psql as PostgreSQL's superuser on database "$1", options "$2...".
psql_admin() {
	local db=$1
	shift
	(cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h "$STATE/run/pg" \
		-p "$PG_PORT" -d "$db" "$@")
}

cleanup() {
	if [[ -f $TMP/sv/supervisord.pid ]]; then
		supervisorctl -c "$TMP/sv/supervisord.conf" shutdown >/dev/null 2>&1 ||
			kill "$(cat "$TMP/sv/supervisord.pid")" 2>/dev/null
		for _ in $(seq 100); do
			[[ -f $TMP/sv/supervisord.pid ]] || break
			sleep 0.1
		done
	fi
	[[ -f $TMP/nginx.pid ]] && kill -QUIT "$(cat "$TMP/nginx.pid")" 2>/dev/null
	psql_admin postgres -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1
	rm -rf -- "$TMP"
}
trap cleanup EXIT

# ---------------------------------------------------------------- build and stage

echo "check_install: configuring and building $BUILD (prefix $ROOT/usr, with the front end)"
mkdir -p "$BUILD"
MAKE_DIRS=(fragentrundir="$ROOT/run/fragent" fragentlogdir="$ROOT/var/log/fragent"
	nginxaccesslog="$TMP/fragent-access.log")
if ! (cd "$BUILD" && "$REPO/configure" -q --prefix="$ROOT/usr" --sysconfdir="$ROOT/etc" \
	--with-systemdsystemunitdir="$ROOT/usr/lib/systemd/system" \
	--with-sysusersdir="$ROOT/usr/lib/sysusers.d" \
	--with-tmpfilesdir="$ROOT/usr/lib/tmpfiles.d" >"$TMP/configure.log" 2>&1 &&
	make -s -j2 "${MAKE_DIRS[@]}" >"$TMP/make.log" 2>&1); then
	tail -n 40 "$TMP/configure.log" "$TMP/make.log" >&2
	fail "configure and make"
	exit 1
fi
if ! make -s -C "$BUILD" install DESTDIR="$STAGE" "${MAKE_DIRS[@]}" >"$TMP/install.log" 2>&1; then
	cat "$TMP/install.log" >&2
	fail "make install DESTDIR=$STAGE"
	exit 1
fi

# Every file installed, relative to ROOT (the front end as www/ and its index).
expected_files() {
	local f
	printf '%s\n' usr/bin/fragent-api usr/bin/fragent-jobd usr/bin/fragent-sandbox \
		etc/fragent/fragent.env etc/fragent/fragent.env.example \
		etc/nginx/sites-available/fragent etc/nginx/sites-available/fragent-tls \
		etc/supervisor/conf.d/fragent.conf \
		usr/lib/systemd/system/fragent-api.socket usr/lib/systemd/system/fragent-api@.service \
		usr/lib/systemd/system/fragent-migrate.service \
		usr/lib/systemd/system/fragent-jobd.service \
		usr/lib/systemd/system/fragent-listener@.service \
		usr/lib/sysusers.d/fragent.conf usr/lib/tmpfiles.d/fragent.conf \
		usr/share/doc/fragent/DEPLOY.md usr/share/fragent/www/index.html
	for f in "$REPO"/sql/[0-9][0-9][0-9]_*.sql; do
		printf 'usr/share/fragent/sql/%s\n' "${f##*/}"
	done
}

staged_tree() {
	(cd "$STAGE$ROOT" && find . -path ./usr/share/fragent/www -prune -o -type f -print &&
		find . -path ./usr/share/fragent/www/index.html) | sed 's|^\./||' | sort
}
check "the staged tree holds exactly the files expected" \
	diff -u <(expected_files | sort) <(staged_tree)
check "the programs are executable" test -x "$STAGE$ROOT/usr/bin/fragent-api" -a \
	-x "$STAGE$ROOT/usr/bin/fragent-jobd" -a -x "$STAGE$ROOT/usr/bin/fragent-sandbox"
check "the front end has its assets" test -d "$STAGE$ROOT/usr/share/fragent/www/_next/static"
check "fragent.env is 0640 and the template" \
	test "$(stat -c %a "$STAGE$ROOT/etc/fragent/fragent.env")" = 640 -a \
	-s "$STAGE$ROOT/etc/fragent/fragent.env"
check "fragent.env is a copy of fragent.env.example" \
	cmp -s "$STAGE$ROOT/etc/fragent/fragent.env" "$STAGE$ROOT/etc/fragent/fragent.env.example"
check "fragent.env belongs to the group $APP_USER" \
	test "$(stat -c %G "$STAGE$ROOT/etc/fragent/fragent.env")" = "$APP_USER"
check "no file names the staging folder" \
	test -z "$(grep -rl --exclude-dir=www -F "$STAGE" "$STAGE$ROOT" 2>/dev/null)"
# (Comments may name the markers: the nginx site keeps the template's.)
unrendered=$(grep -HnE '^[^#;]*(@[A-Z_]+@|@[+-][A-Z_]+@)' "$STAGE$ROOT"/etc/fragent/* \
	"$STAGE$ROOT"/etc/nginx/sites-available/* "$STAGE$ROOT"/etc/supervisor/conf.d/* \
	"$STAGE$ROOT"/usr/lib/systemd/system/* "$STAGE$ROOT"/usr/lib/*.d/*)
check "no unrendered marker is left: $unrendered" test -z "$unrendered"

# ---------------------------------------------------------------- install into ROOT

# An operator's edited environment file survives make install.
mkdir -p "$ROOT/etc/fragent"
printf '# edited\n' >"$ROOT/etc/fragent/fragent.env"
if ! make -s -C "$BUILD" install "${MAKE_DIRS[@]}" >"$TMP/install.log" 2>&1; then
	cat "$TMP/install.log" >&2
	fail "make install"
	exit 1
fi
check "make install keeps an existing fragent.env" \
	test "$(cat "$ROOT/etc/fragent/fragent.env")" = "# edited"

# systemd is a test package of ./fragent (its tools work without systemd running).
if command -v systemd-analyze >/dev/null; then
	# Verified where the template's instances are found (fragent-api@1.service).
	check "systemd-analyze verify accepts the units" \
		env SYSTEMD_UNIT_PATH="$ROOT/usr/lib/systemd/system:" systemd-analyze verify \
		"$ROOT"/usr/lib/systemd/system/fragent-api.socket fragent-api@1.service \
		"$ROOT"/usr/lib/systemd/system/fragent-migrate.service \
		"$ROOT"/usr/lib/systemd/system/fragent-jobd.service fragent-listener@1.service
else
	echo "check_install: systemd-analyze not found: the units are not verified"
fi
check "systemd-sysusers accepts the sysusers.d file" \
	systemd-sysusers --dry-run "$ROOT/usr/lib/sysusers.d/fragent.conf"
check "systemd-tmpfiles makes the folders" \
	systemd-tmpfiles --create "$ROOT/usr/lib/tmpfiles.d/fragent.conf"
check "the settings folder is 0750 root:$APP_USER" \
	test "$(stat -c '%a %U %G' "$ROOT/etc/fragent")" = "750 root $APP_USER"
check "the socket and log folders exist" test -d "$ROOT/run/fragent" -a -d "$ROOT/var/log/fragent"

# ---------------------------------------------------------------- configure as DEPLOY.md says

(
	umask 077
	head -c 48 /dev/urandom | base64 -w0 >"$ROOT/etc/fragent/jwt_key"
	head -c 32 /dev/urandom | base64 -w0 >"$ROOT/etc/fragent/master_key"
)
chown "$APP_USER:$APP_USER" "$ROOT/etc/fragent/jwt_key" "$ROOT/etc/fragent/master_key"
install_db_url=${DB_URL%/*}/$DB_NAME
# Redis database 1: the stack's jobd consumes the queue of database 0.
install_redis_url=${REDIS_URL%/*}/1
sed -e "s|^FRAGENT_DATABASE_URL=.*|FRAGENT_DATABASE_URL='$install_db_url'|" \
	-e "s|^FRAGENT_REDIS_URL=.*|FRAGENT_REDIS_URL='$install_redis_url'|" \
	-e "s|^FRAGENT_SSE_PORT=.*|FRAGENT_SSE_PORT=$SSE_PORT|" \
	"$ROOT/etc/fragent/fragent.env.example" >"$ROOT/etc/fragent/fragent.env"
printf 'FRAGENT_JOBD_CONSUMER=check-install\nFRAGENT_JOBD_THREADS=1\n' >>"$ROOT/etc/fragent/fragent.env"
chgrp "$APP_USER" "$ROOT/etc/fragent/fragent.env"
check "the template names the installed key files" \
	grep -qx "FRAGENT_JWT_KEY_FILE=$ROOT/etc/fragent/jwt_key" "$ROOT/etc/fragent/fragent.env"

psql_admin postgres -c "DROP DATABASE IF EXISTS $DB_NAME" -c \
	"CREATE DATABASE $DB_NAME OWNER fragent ENCODING 'UTF8' TEMPLATE template0" >/dev/null ||
	fail "cannot create the database $DB_NAME"
# Empties Redis database 1 (the stack's URL is redis://:PASSWORD@HOST:PORT/DB).
redis_flush() {
	local re='^redis://:([^@]*)@([^:/]+):([0-9]+)/'
	[[ $REDIS_URL =~ $re ]] || return 1
	[[ $(REDISCLI_AUTH=${BASH_REMATCH[1]} redis-cli --no-auth-warning -h "${BASH_REMATCH[2]}" \
		-p "${BASH_REMATCH[3]}" -n 1 flushdb) == OK ]]
}
redis_flush || fail "cannot empty Redis database 1"

# As the supervisord program file runs the programs: sh reads the environment file as fragent,
# in an environment of its own (not the test stack's settings).
as_app() {
	(cd / && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 runuser -u "$APP_USER" -- \
		/bin/sh -c 'set -a && . "$0" && exec "$@"' "$ROOT/etc/fragent/fragent.env" "$@")
}

# ---------------------------------------------------------------- migrations

out=$(as_app env FRAGENT_MIGRATIONS_DIR="$TMP" "$ROOT/usr/bin/fragent-api" migrate 2>&1)
check "migrate fails on a folder without migrations" test $? -ne 0
out=$(as_app "$ROOT/usr/bin/fragent-api" migrate 2>&1)
check "the installed fragent-api migrate succeeds: $out" test $? -eq 0
check "its compiled-in migrations folder is the installed one: $out" \
	grep -q "migrations in $ROOT/usr/share/fragent/sql\"" <<<"$out"
applied=$(psql_admin "$DB_NAME" -At -c 'SELECT version FROM schema_migrations ORDER BY 1')
check "every migration of sql/ is applied" diff -u \
	<(for f in "$REPO"/sql/[0-9][0-9][0-9]_*.sql; do f=${f##*/}; echo "${f%.sql}"; done) \
	<(printf '%s\n' "$applied")

# ---------------------------------------------------------------- nginx sites

# Debian's nginx.conf with its own files in TMP and the installed site in sites-enabled's place,
# listening on HTTP_SOCKET (HTTP_SOCKET.tls) and proxying to jobd on SSE_PORT.
site_conf() {
	sed -e "s|listen \*:80\([ ;]\)|listen unix:$HTTP_SOCKET\1|" \
		-e "s|listen \*:443 ssl\([ ;]\)|listen unix:$HTTP_SOCKET.tls ssl\1|" \
		-e "s|127\.0\.0\.1:8081|127.0.0.1:$SSE_PORT|" "$ROOT/etc/nginx/sites-available/$1" \
		>"$TMP/site-$1"
	check "the site $1 under test listens on the test's socket only" \
		bash -c '! grep -E "^\s*listen [^u]" "$1"' - "$TMP/site-$1"
	sed -e "s|^pid .*|pid $TMP/nginx.pid;|" \
		-e "s|/var/log/nginx/error.log|$TMP/nginx-error.log|" \
		-e "s|/var/log/nginx/access.log|$TMP/nginx-access.log|" \
		-e "s|include /etc/nginx/conf.d/\*.conf;||" \
		-e "s|include /etc/nginx/sites-enabled/\*;|include $TMP/site-$1;|" \
		/etc/nginx/nginx.conf >"$TMP/nginx-$1.conf"
}
site_conf fragent-tls
mkdir -p "$ROOT/etc/fragent/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
	-keyout "$ROOT/etc/fragent/tls/privkey.pem" -out "$ROOT/etc/fragent/tls/fullchain.pem" \
	>/dev/null 2>&1
check "nginx -t accepts the site fragent-tls in Debian's nginx.conf" \
	nginx -q -t -c "$TMP/nginx-fragent-tls.conf"
site_conf fragent
check "nginx -t accepts the site fragent in Debian's nginx.conf" \
	nginx -q -t -c "$TMP/nginx-fragent.conf"
nginx -c "$TMP/nginx-fragent.conf" || fail "nginx with the site fragent did not start"

# ---------------------------------------------------------------- the programs

mkdir -p "$TMP/sv"
cat >"$TMP/sv/supervisord.conf" <<EOF
[unix_http_server]
file=$TMP/sv/supervisor.sock
chmod=0700
[supervisord]
logfile=$TMP/sv/supervisord.log
pidfile=$TMP/sv/supervisord.pid
childlogdir=$TMP/sv
minfds=16384
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$TMP/sv/supervisor.sock
[include]
files=$ROOT/etc/supervisor/conf.d/*.conf
EOF
(cd / && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 supervisord -c "$TMP/sv/supervisord.conf") ||
	fail "supervisord did not start"

# Waits up to 30 s until "$1..." succeeds.
wait_until() {
	local i
	for ((i = 0; i < 300; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
# curl through the installed site.
hcurl() { curl -s --unix-socket "$HTTP_SOCKET" "$@"; }
code() {
	hcurl -o /dev/null -w '%{http_code}' --max-time 5 "$@"
}
ready() { [[ $(code "$URL/api/v1/ready") == 200 ]]; }
jobd_ready() { grep -q 'fragent-jobd ready' "$ROOT/var/log/fragent/jobd.log" 2>/dev/null; }

check "the installed API answers /api/v1/ready through the site" wait_until ready
check "the installed jobd reports ready" wait_until jobd_ready
if ((failed)); then
	supervisorctl -c "$TMP/sv/supervisord.conf" status >&2
	tail -n 30 "$ROOT"/var/log/fragent/*.log "$TMP/nginx-error.log" >&2
fi
sv_status() { supervisorctl -c "$TMP/sv/supervisord.conf" status 2>&1; }
all_running() { [[ $(sv_status | grep -c ' RUNNING ') == 5 ]]; }
wait_until all_running
check "four fragent-api processes and jobd run: $(sv_status)" all_running
check "they run as $APP_USER" test -z "$(ps -o user= -p "$(pgrep -d, -f "^$ROOT/usr/bin/fragent-" || echo 1)" |
	grep -vx "$APP_USER")"
check "the FastCGI socket is $APP_USER:www-data 0660" \
	test "$(stat -c '%U:%G %a' "$ROOT/run/fragent/api.sock")" = "$APP_USER:www-data 660"
check "GET /api/v1/health answers 200" test "$(code "$URL/api/v1/health")" = 200
check "GET / serves the installed front end" \
	grep -qi '<html' <(hcurl --max-time 5 "$URL/")
check "jobd's event streams answer through the site (401 without a token)" \
	test "$(code "$URL/api/v1/executions/00000000-0000-4000-8000-000000000000/events")" = 401

# A run through the installed API, jobd and sandbox helper: register (the new database's
# first user), make the Greeter of README.md, run it and wait for its output.
# Prints the string member "$1" of the JSON object on standard input (node: the front end's
# build needs it anyway).
member() {
	node -e 'let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => {
		try { const v = JSON.parse(d)[process.argv[1]]; if (typeof v === "string") console.log(v); }
		catch {} })' "$1"
}
token=$(hcurl --max-time 10 "$URL/api/v1/auth/register" -H 'Content-Type: application/json' \
	-d '{"username": "ada", "email": "ada@example.com", "password": "a long password"}' |
	member access_token)
check "registering the first user" test -n "$token"
wf=$(hcurl --max-time 10 "$URL/api/v1/workflows" -H "Authorization: Bearer $token" \
	-H 'Content-Type: application/json' -d '{"name": "Greeter", "definition": {
	"nodes": [{"id": "in", "type": "input", "config": {}},
		{"id": "greet", "type": "template", "config": {"template": "Hello, {{ .in.name }}!"}},
		{"id": "out", "type": "output", "config": {"value": "{{ .greet.output }}"}}],
	"edges": [{"source": "in", "target": "greet"}, {"source": "greet", "target": "out"}]}}' |
	member id)
check "creating a workflow" test -n "$wf"
run=$(hcurl --max-time 40 "$URL/api/v1/workflows/$wf/executions" \
	-H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-d '{"inputs": {"name": "Ada"}, "wait": 30}')
check "the run completes with its output: $run" grep -q 'Hello, Ada!' <<<"$run"

# A copy of jobd on its listener port, as the program file says: FRAGENT_SSE_PROCS=2, jobd
# restarted, one copy started. Both hold a socket on the port and streams still answer.
sv() { supervisorctl -c "$TMP/sv/supervisord.conf" "$@" >/dev/null 2>&1; }
listener_ready() {
	grep -q 'fragent-jobd listener ready' "$ROOT/var/log/fragent/fragent-listener_00.log" \
		2>/dev/null
}
# Listening sockets on SSE_PORT (state 0A of /proc/net/tcp*).
port_sockets() {
	awk -v p="$(printf ':%04X' "$SSE_PORT")" \
		'$4 == "0A" && substr($2, length($2) - 4) == p' /proc/net/tcp /proc/net/tcp6 | wc -l
}
printf 'FRAGENT_SSE_PROCS=2\n' >>"$ROOT/etc/fragent/fragent.env"
rm -f "$ROOT/var/log/fragent/jobd.log"
sv restart fragent-jobd
check "jobd restarts sharing its port" wait_until jobd_ready
sv start fragent-listener:fragent-listener_00
check "the listener copy reports ready" wait_until listener_ready
check "jobd and the copy each listen on port $SSE_PORT: $(port_sockets)" \
	test "$(port_sockets)" = 2
check "the copy runs as $APP_USER" test "$(ps -o user= -p "$(pgrep -f -- \
	"^$ROOT/usr/bin/fragent-jobd --listener" || echo 1)")" = "$APP_USER"
codes=$(for _ in 1 2 3 4 5 6 7 8; do
	code "$URL/api/v1/executions/00000000-0000-4000-8000-000000000000/events"; echo; done |
	sort -u)
check "streams answer through the site on either process: $codes" test "$codes" = 401

# ---------------------------------------------------------------- uninstall

supervisorctl -c "$TMP/sv/supervisord.conf" shutdown >/dev/null 2>&1
wait_until test ! -f "$TMP/sv/supervisord.pid"
kill -QUIT "$(cat "$TMP/nginx.pid")" 2>/dev/null && wait_until test ! -f "$TMP/nginx.pid"
rm -rf "$ROOT/etc/fragent/tls" "$ROOT/etc/fragent/jwt_key" "$ROOT/etc/fragent/master_key"
make -s -C "$BUILD" uninstall "${MAKE_DIRS[@]}" >"$TMP/uninstall.log" 2>&1 || fail "make uninstall"
# (What the programs wrote in run/ and var/ is not the installation's.)
left=$(cd "$ROOT" && find usr etc -type f | sort)
check "make uninstall leaves only the edited fragent.env: $left" \
	test "$left" = "etc/fragent/fragent.env"
redis_flush

echo "check_install: $checks checks, $([[ $failed == 0 ]] && echo all passed || echo some FAILED) in $SECONDS s"
exit "$failed"
