/* hook_req.c: what serving /hooks/{token} computes without I/O (see hook_req.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "buf.h"
#include "crypto.h"
#include "hook_req.h"
#include "jsonh.h"
#include "nitems.h"
#include "utf8.h"
#include "xalloc.h"

#define HOOK_HEADERS_MAX	64	/* headers of a sync answer */
#define HOOK_HEADER_VALUE_MAX	1024

static const char B64URL[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Request headers that never reach the run: credentials. */
static const char *const hidden_headers[] = {
	"authorization", "cookie", "proxy-authorization", "x-fragent-secret",
	"x-fragent-signature",
};

/* Answer headers a workflow may not set: the platform's origin policy and the framing. */
static const char *const refused_headers[] = {
	"set-cookie", "content-security-policy", "content-security-policy-report-only",
	"x-frame-options", "strict-transport-security", "content-length",
	"transfer-encoding", "connection", "keep-alive", "upgrade", "trailer", "te",
	"access-control-allow-origin", "access-control-allow-credentials",
	"access-control-allow-headers", "access-control-allow-methods",
	"access-control-expose-headers", "x-content-type-options", "date", "server",
};

int
hook_token(const char *path, char token[WEBHOOK_TOKEN_LEN + 1])
{
	size_t	 n = sizeof(WEBHOOK_PATH_PREFIX) - 1;

	if (path == NULL || strncmp(path, WEBHOOK_PATH_PREFIX, n) != 0 ||
	    strlen(path + n) != WEBHOOK_TOKEN_LEN ||
	    strspn(path + n, B64URL) != WEBHOOK_TOKEN_LEN)
		return -1;
	memcpy(token, path + n, WEBHOOK_TOKEN_LEN + 1);
	return 0;
}

int
hook_method_allowed(const char *methods, const char *method)
{
	size_t		 n = strlen(method);
	const char	*p = methods;

	while (p != NULL && (p = strstr(p, method)) != NULL) {
		if ((p == methods || p[-1] == '{' || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '}'))
			return 1;
		p += n;
	}
	return 0;
}

int
hook_auth_parse(const char *name, enum hook_auth *mode)
{
	if (name == NULL)
		return -1;
	if (strcmp(name, "none") == 0)
		*mode = HOOK_AUTH_NONE;
	else if (strcmp(name, "secret") == 0)
		*mode = HOOK_AUTH_SECRET;
	else if (strcmp(name, "hmac") == 0)
		*mode = HOOK_AUTH_HMAC;
	else
		return -1;
	return 0;
}

/* Compares two strings in time that depends only on their lengths. */
static int
hook_equal(const char *a, const char *b)
{
	size_t	 n = strlen(a);

	return n == strlen(b) && crypto_equal(a, b, n);
}

enum hook_auth_rc
hook_auth_check(enum hook_auth mode, const char *secret, const struct hook_cred *cred,
    const void *body, size_t len, time_t now, long window_s)
{
	char		 want[WEBHOOK_SIG_LEN + 1], *end;
	long long	 ts;

	switch (mode) {
	case HOOK_AUTH_NONE:
		return HOOK_AUTH_OK;
	case HOOK_AUTH_SECRET:
		if (cred->secret == NULL)
			return HOOK_AUTH_MISSING;
		return secret != NULL && hook_equal(cred->secret, secret) ? HOOK_AUTH_OK :
		    HOOK_AUTH_BAD;
	case HOOK_AUTH_HMAC:
		break;
	}
	if (cred->timestamp == NULL || cred->signature == NULL)
		return HOOK_AUTH_MISSING;
	if (secret == NULL || cred->timestamp[0] < '0' || cred->timestamp[0] > '9' ||
	    strlen(cred->timestamp) > 12)
		return HOOK_AUTH_BAD;
	ts = strtoll(cred->timestamp, &end, 10);
	if (*end != '\0')
		return HOOK_AUTH_BAD;
	if (ts < (long long)now - window_s || ts > (long long)now + window_s)
		return HOOK_AUTH_STALE;
	webhook_sign(secret, cred->timestamp, body, len, want);
	return hook_equal(cred->signature, want) ? HOOK_AUTH_OK : HOOK_AUTH_BAD;
}

/* Adds "v" (a new reference) to "o" under "key", which the request chose: as PostgreSQL can
 * store it (NUL and ill-formed bytes become U+FFFD), like every string of the input. */
static void
hook_add(json_object *o, const char *key, size_t keylen, json_object *v)
{
	struct buf	 b;

	if (strlen(key) == keylen && utf8_storable(key, keylen)) {
		json_object_object_add(o, key, jsonh_make_storable(v));
		return;
	}
	buf_init(&b);
	utf8_clean(key, keylen, &b);
	buf_append(&b, "", 1);
	json_object_object_add(o, b.data, jsonh_make_storable(v));
	buf_clear(&b);
}

/* Whether "name" is in the "n" names of "set" (case-insensitive). */
static int
hook_named(const char *name, const char *const *set, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, set[i]) == 0)
			return 1;
	return 0;
}

/* The request headers, by lower-case name, without the credentials. */
static json_object *
hook_headers(const struct evkeyvalq *headers)
{
	json_object		*o = jsonh_new_object();
	const struct evkeyval	*kv;
	char			 name[128];
	size_t			 i;

	if (headers == NULL)
		return o;
	TAILQ_FOREACH(kv, headers, next) {
		if (strlen(kv->key) >= sizeof(name) ||
		    hook_named(kv->key, hidden_headers, NITEMS(hidden_headers)))
			continue;
		for (i = 0; kv->key[i] != '\0'; i++)
			name[i] = (char)tolower((unsigned char)kv->key[i]);
		name[i] = '\0';
		hook_add(o, name, i, jsonh_new_string(kv->value));
	}
	return o;
}

/* The decoded parameters of "query" (a query string or form body) as an object, or NULL
 * when it is malformed. */
static json_object *
hook_params(const char *query)
{
	struct evkeyvalq	 q;
	const struct evkeyval	*kv;
	json_object		*o;
	char			*name;
	size_t			 len;

	TAILQ_INIT(&q);
	if (query != NULL && query[0] != '\0' && evhttp_parse_query_str(query, &q) != 0) {
		evhttp_clear_headers(&q);
		return NULL;
	}
	o = jsonh_new_object();
	/* libevent decodes the values, not the names. */
	TAILQ_FOREACH(kv, &q, next) {
		if ((name = evhttp_uridecode(kv->key, 1, &len)) == NULL)
			xalloc_die(0);
		hook_add(o, name, len, jsonh_new_string(kv->value));
		free(name);
	}
	evhttp_clear_headers(&q);
	return o;
}

/* Whether content type "ct" is "type" (parameters after ';' ignored). */
static int
hook_type_is(const char *ct, const char *type)
{
	size_t	 n = strlen(type);

	return ct != NULL && strncasecmp(ct, type, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The body's value (see hook_input); "*status" 0 on success. */
static json_object *
hook_body(const char *ct, const char *body, size_t len, int *status, char *err, size_t errlen)
{
	json_object	*v = NULL;
	char		*copy;

	*status = 0;
	if (len == 0)
		return NULL;
	if (hook_type_is(ct, "application/json") || (ct != NULL && strstr(ct, "+json"))) {
		if (jsonh_parse(body, len, &v, err, errlen) == -1 || !jsonh_storable(v)) {
			if (v != NULL)
				snprintf(err, errlen, "the JSON body holds a NUL character");
			json_object_put(v);
			*status = 400;
		}
		return v;
	}
	if (!utf8_storable(body, len)) {
		snprintf(err, errlen, "the body must be JSON, a form, or UTF-8 text without NUL");
		*status = 415;
		return NULL;
	}
	if (hook_type_is(ct, "application/x-www-form-urlencoded")) {
		copy = xstrndup(body, len);
		if ((v = hook_params(copy)) == NULL) {
			snprintf(err, errlen, "the form body is malformed");
			*status = 400;
		}
		free(copy);
		return v;
	}
	return jsonh_new_string_len(body, (int)len);
}

json_object *
hook_input(const char *method, const char *path, const char *query,
    const struct evkeyvalq *headers, const char *body, size_t len, int *status, char *err,
    size_t errlen)
{
	json_object	*in, *q, *b;
	const char	*ct = NULL;

	if ((q = hook_params(query)) == NULL) {
		snprintf(err, errlen, "the query string is malformed");
		*status = 400;
		return NULL;
	}
	if (headers != NULL)
		ct = evhttp_find_header(headers, "Content-Type");
	b = hook_body(ct, body, len, status, err, errlen);
	if (*status != 0) {
		json_object_put(q);
		return NULL;
	}
	in = jsonh_new_object();
	json_object_object_add(in, "method", jsonh_new_string(method));
	json_object_object_add(in, "path", jsonh_make_storable(jsonh_new_string(path)));
	json_object_object_add(in, "query", q);
	json_object_object_add(in, "headers", hook_headers(headers));
	json_object_object_add(in, "body", b);
	return in;
}

/* Whether "s" is a header name: 1 to 64 token characters. */
static int
hook_header_name_ok(const char *s)
{
	static const char	 tchar[] = "!#$%&'*+-.^_`|~0123456789"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	size_t			 n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, tchar) == n;
}

/* Whether "s" is a header value: printable ASCII and tabs, at most HOOK_HEADER_VALUE_MAX. */
static int
hook_header_value_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= HOOK_HEADER_VALUE_MAX || ((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* The headers of a respond node's output that may be sent. */
static json_object *
hook_answer_headers(json_object *hd)
{
	json_object	*o = jsonh_new_object();
	int		 n = 0;

	if (hd == NULL || !json_object_is_type(hd, json_type_object))
		return o;
	json_object_object_foreach(hd, k, v) {
		const char	*s = json_object_get_string(v);

		if (n >= HOOK_HEADERS_MAX || !json_object_is_type(v, json_type_string) ||
		    !hook_header_name_ok(k) || !hook_header_value_ok(s) ||
		    hook_named(k, refused_headers, NITEMS(refused_headers)))
			continue;
		json_object_object_add(o, k, jsonh_new_string(s));
		n++;
	}
	return o;
}

/* The output of the first respond node of "def" found in "results", or NULL. */
static json_object *
hook_respond_output(json_object *def, json_object *results)
{
	json_object	*nodes = jsonh_get_typed(def, "nodes", json_type_array), *n, *out;
	const char	*type, *id;
	size_t		 i;

	for (i = 0; nodes != NULL && i < json_object_array_length(nodes); i++) {
		n = json_object_array_get_idx(nodes, i);
		if ((type = jsonh_get_string(n, "type")) == NULL ||
		    strcmp(type, "respond") != 0 || (id = jsonh_get_string(n, "id")) == NULL)
			continue;
		if (json_object_object_get_ex(results, id, &out) &&
		    json_object_is_type(out, json_type_object))
			return out;
	}
	return NULL;
}

void
hook_answer_make(json_object *def, json_object *results, struct hook_answer *a)
{
	json_object	*out = hook_respond_output(def, results), *body = results;
	json_object	*st;
	const char	*s;
	size_t		 n;

	memset(a, 0, sizeof(*a));
	a->status = 200;
	a->content_type = "application/json";
	if (out != NULL) {
		st = jsonh_get_typed(out, "status", json_type_int);
		if (st != NULL && json_object_get_int(st) >= 100 && json_object_get_int(st) <= 599)
			a->status = json_object_get_int(st);
		a->headers = hook_answer_headers(json_object_object_get(out, "headers"));
		body = json_object_object_get(out, "body");
	} else
		a->headers = jsonh_new_object();
	if (body != NULL && json_object_is_type(body, json_type_string)) {
		a->content_type = "text/plain; charset=utf-8";
		s = json_object_get_string(body);
		n = (size_t)json_object_get_string_len(body);
	} else
		s = jsonh_str_len(body, &n);
	a->body = xmalloc(n + 1);
	memcpy(a->body, s, n);
	a->body[n] = '\0';
	a->len = n;
}

void
hook_answer_clear(struct hook_answer *a)
{
	json_object_put(a->headers);
	free(a->body);
	memset(a, 0, sizeof(*a));
}
