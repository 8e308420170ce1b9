#!/usr/bin/env bash
# check_tls.sh: HTTPS through FRAGENT_TLS_CERT, tested with curl on a running test stack.
# tests/integration.sh runs it on its first stack once the suites are done (FRAGENT_IT_ONLY
# names it check_tls): it turns that stack to TLS with `./fragent up` and checks that
#   - the settings refuse a certificate without its key, a key alone, a key beside
#     self-signed and the same port for HTTP and HTTPS;
#   - nginx.conf has no TLS directive while TLS is off;
#   - FRAGENT_TLS_CERT=self-signed makes a key (0600, root's) and a certificate naming
#     localhost and 127.0.0.1 for 825 days, and `up` prints the https URL and the
#     `curl --cacert` that trusts it;
#   - with that certificate, /api/v1/health answers 200 over TLS 1.2 and TLS 1.3; TLS 1.1
#     and a CBC cipher are refused by the server; without --cacert, verification fails;
#   - every location answers with HSTS and the other security headers;
#   - HTTP answers 301 to the same path and query on HTTPS;
#   - `./fragent status` finds the stack ready over HTTPS;
#   - a second `up` (settings read back from fragent.env) keeps the certificate;
#   - a certificate and key given as files (FRAGENT_TLS_CERT, FRAGENT_TLS_KEY) are served.
# Environment: what tests/integration.sh exports (FRAGENT_TEST_STATE_DIR, the stack's
# FRAGENT_* settings) and FRAGENT_IT_HTTPS_PORT, the HTTPS port [18443].
set -uo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
STATE=${FRAGENT_TEST_STATE_DIR:?run by tests/integration.sh, which sets FRAGENT_TEST_STATE_DIR}
HTTP_PORT=${FRAGENT_HTTP_PORT:?the HTTP port of the stack}
HTTPS_PORT=${FRAGENT_IT_HTTPS_PORT:-18443}
HTTP_URL=http://127.0.0.1:$HTTP_PORT
HTTPS_URL=https://127.0.0.1:$HTTPS_PORT
CERT=$STATE/secrets/tls_cert.pem
KEY=$STATE/secrets/tls_key.pem
# What the stack's fragent.env recorded decides, unless a check sets it (integration.sh
# exports the recorded values, and a variable set even empty would win over the record).
unset FRAGENT_TLS_CERT FRAGENT_TLS_KEY FRAGENT_HTTPS_PORT
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check_tls.XXXXXX") || exit 1
trap 'rm -rf -- "$TMP"' EXIT
failed=0
checks=0

fail() {
	printf 'check_tls: FAILED: %s\n' "$*" >&2
	failed=1
}

# Counts check "$1" passed when command "$2..." succeeds, fails it otherwise.
check() {
	local what=$1
	shift
	checks=$((checks + 1))
	"$@" || fail "$what"
}

# Runs ./fragent up on the test stack with the extra settings "$@" (NAME=value); its output
# goes to TMP/up.out. Returns up's status.
up() {
	env "$@" "$REPO/fragent" up --no-install --no-build >"$TMP/up.out" 2>&1
	local rc=$?
	((rc == 0)) || { cat "$TMP/up.out" >&2; fail "./fragent up $* exited with $rc"; }
	return "$rc"
}

# True when ./fragent settings --env dies with the settings "$1..." and says "$2" (the last
# argument).
refused() {
	local want=${*: -1} out
	out=$(env "${@:1:$#-1}" "$REPO/fragent" settings --env 2>&1) && return 1
	[[ $out == *"$want"* ]] || { printf '%s\n' "$out" >&2; return 1; }
}

# Prints the status code of curl "$@" (000 on a failed connection), its exit code in
# TMP/curl.rc and its error message in TMP/curl.err.
code() {
	curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$@" 2>"$TMP/curl.err"
	echo $? >"$TMP/curl.rc"
}

# True when curl "$@" over HTTPS with the certificate gets 200 on /api/v1/health over
# protocol version "$1" (1.2 or 1.3) and negotiates that version.
health_over() {
	local v=$1 out
	shift
	out=$(curl -sS --max-time 10 -v --tlsv"$v" --tls-max "$v" -o /dev/null -w 'status %{http_code}\n' \
		"$@" "$HTTPS_URL/api/v1/health" 2>&1)
	[[ $out == *"status 200"* && $out == *"SSL connection using TLSv$v "* ]] ||
		{ printf '%s\n' "$out" >&2; return 1; }
}

# True when the server refuses the handshake of curl "$@" with alert "$1".
handshake_refused() {
	local alert=$1
	shift
	[[ $(code --cacert "$CERT" "$@" "$HTTPS_URL/api/v1/health") == 000 ]] || return 1
	[[ $(<"$TMP/curl.rc") == 35 && $(<"$TMP/curl.err") == *"alert $alert"* ]] ||
		{ cat "$TMP/curl.err" >&2; return 1; }
}

# True when the answer to GET "$1" over HTTPS carries HSTS and the server's other
# security headers.
secure_headers() {
	local h name
	h=$(curl -sS --max-time 10 --cacert "$CERT" -D - -o /dev/null "$HTTPS_URL$1" | tr -d '\r') || return 1
	for name in 'Strict-Transport-Security: max-age=63072000' 'X-Content-Type-Options: nosniff' \
		'Referrer-Policy: no-referrer' 'X-Frame-Options: DENY' 'Content-Security-Policy: ' \
		'X-Request-Id: '; do
		grep -qiF -- "$name" <<<"$h" || { printf 'GET %s lacks %s:\n%s\n' "$1" "$name" "$h" >&2; return 1; }
	done
}

# True when GET "$1" over HTTP answers 301 to the same path and query on HTTPS.
redirected() {
	local got
	got=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' "$HTTP_URL$1")
	[[ $got == "301 $HTTPS_URL$1" ]] || { printf 'GET %s%s: %s\n' "$HTTP_URL" "$1" "$got" >&2; return 1; }
}

# True when the certificate lasts 825 days from about now and names localhost and 127.0.0.1.
cert_as_made() {
	local text
	openssl x509 -in "$CERT" -noout -checkend $((824 * 86400)) >/dev/null || return 1
	! openssl x509 -in "$CERT" -noout -checkend $((826 * 86400)) >/dev/null || return 1
	text=$(openssl x509 -in "$CERT" -noout -text) || return 1
	[[ $text == *"DNS:localhost"* && $text == *"IP Address:127.0.0.1"* ]]
}

fingerprint() { openssl x509 -in "$1" -noout -fingerprint -sha256; }

# True when nginx.conf has no TLS directive, HSTS nor redirect.
plain_config() { ! grep -nE 'ssl|Strict-Transport|return 301' "$STATE/nginx.conf"; }

# True when curl, trusting only the system's authorities, fails to verify the certificate.
untrusted() {
	[[ $(code "$HTTPS_URL/api/v1/health") == 000 && $(<"$TMP/curl.rc") == 60 ]] ||
		{ cat "$TMP/curl.err" >&2; return 1; }
}

# True when ./fragent status finds the stack ready at the https URL.
status_ready() { "$REPO/fragent" status | grep -qF "ready: $HTTPS_URL/"; }

# True when the last up printed no advice about a self-signed certificate.
no_self_signed_advice() { ! grep -q 'self-signed' "$TMP/up.out"; }

# ---- settings
check "a certificate without its key is refused" \
	refused FRAGENT_TLS_CERT=/etc/ssl/x.pem "without FRAGENT_TLS_KEY"
check "a key without a certificate is refused" \
	refused FRAGENT_TLS_KEY=/etc/ssl/x.key "without FRAGENT_TLS_CERT"
check "a key beside self-signed is refused" \
	refused FRAGENT_TLS_CERT=self-signed FRAGENT_TLS_KEY=/etc/ssl/x.key "leave it empty"
check "HTTPS on the HTTP port is refused" \
	refused FRAGENT_TLS_CERT=self-signed FRAGENT_HTTPS_PORT="$HTTP_PORT" "both $HTTP_PORT"
check "nginx.conf has no TLS directive while TLS is off" plain_config

# ---- self-signed
if ! up FRAGENT_TLS_CERT=self-signed FRAGENT_HTTPS_PORT="$HTTPS_PORT"; then
	echo "check_tls: the stack did not come up with TLS; $checks checks before" >&2
	exit 1
fi
check "up prints the https URL" grep -qF "open $HTTPS_URL/" "$TMP/up.out"
check "up prints how to trust the certificate" \
	grep -qF "curl --cacert $CERT $HTTPS_URL/api/v1/health" "$TMP/up.out"
check "the key is root's, 0600" test "$(stat -c '%a %U' "$KEY")" == "600 root"
check "the certificate lasts 825 days and names localhost and 127.0.0.1" cert_as_made
check "health over TLS 1.2" health_over 1.2 --cacert "$CERT"
check "health over TLS 1.3" health_over 1.3 --cacert "$CERT"
# OpenSSL's security level 0 lets curl offer TLS 1.1 and old ciphers: the alert is nginx's.
check "TLS 1.1 is refused" handshake_refused "protocol version" \
	--tls-max 1.1 --ciphers 'DEFAULT:@SECLEVEL=0'
check "a CBC cipher is refused" handshake_refused "handshake failure" \
	--tlsv1.2 --tls-max 1.2 --ciphers 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'
check "without --cacert the certificate is not trusted" untrusted
for path in / /index.html /_next/static/missing.js /api/v1/health /api/v1/auth/login \
	/api/v1/missing /api/v1/executions/00000000-0000-0000-0000-000000000000/events \
	/hooks/no-such-token; do
	check "HSTS and security headers on $path" secure_headers "$path"
done
for path in /api/v1/health '/api/v1/executions?limit=5&status=failed' /some/page/ /; do
	check "HTTP $path redirects to HTTPS" redirected "$path"
done
check "./fragent status is ready over HTTPS" status_ready

# ---- kept across runs: TLS stays on from what fragent.env recorded
before=$(fingerprint "$CERT")
cp "$CERT" "$TMP/cert.pem"
cp "$KEY" "$TMP/key.pem"
if up; then
	check "a second up keeps the certificate" test "$(fingerprint "$CERT")" == "$before"
	check "health after the second up" health_over 1.3 --cacert "$CERT"
fi

# ---- a certificate and key given as files
if up FRAGENT_TLS_CERT="$TMP/cert.pem" FRAGENT_TLS_KEY="$TMP/key.pem"; then
	check "a given certificate is served" health_over 1.2 --cacert "$TMP/cert.pem"
	check "up does not print the self-signed advice for a given certificate" \
		no_self_signed_advice
	check "HTTP redirects with a given certificate" redirected /api/v1/health
fi

if ((failed)); then
	echo "check_tls: FAILED ($checks checks)" >&2
	exit 1
fi
echo "check_tls: $checks checks passed in ${SECONDS} s"
