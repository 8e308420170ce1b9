/* it_http.c: libcurl client for the integration suites (see it_http.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include <curl/curl.h>

#include "it_http.h"
#include "jsonh.h"

static char	 it_current_token[1024];

void
it_set_token(const char *token)
{
	snprintf(it_current_token, sizeof(it_current_token), "%s", token ? token : "");
}

const char *
it_token(void)
{
	return it_current_token[0] ? it_current_token : NULL;
}

const char *
it_base_url(void)
{
	const char	*u = getenv("FRAGENT_TEST_URL");

	return u != NULL ? u : "http://127.0.0.1:18080";
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_resp	*r = arg;

	buf_append(&r->body, p, size * n);
	return size * n;
}

/* Copies the value of header "name" from "line" into "dst" when it matches. */
static void
take_header(const char *line, size_t len, const char *name, char *dst, size_t cap)
{
	size_t	 nl = strlen(name), vl;

	if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return;
	line += nl + 1;
	len -= nl + 1;
	while (len > 0 && *line == ' ')
		line++, len--;
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	vl = len < cap - 1 ? len : cap - 1;
	memcpy(dst, line, vl);
	dst[vl] = '\0';
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_resp	*r = arg;
	size_t			 used;

	take_header(p, size * n, "Content-Type", r->content_type, sizeof(r->content_type));
	take_header(p, size * n, "Allow", r->allow, sizeof(r->allow));
	take_header(p, size * n, "X-Request-Id", r->request_id, sizeof(r->request_id));
	take_header(p, size * n, "Set-Cookie", r->set_cookie, sizeof(r->set_cookie));
	take_header(p, size * n, "WWW-Authenticate", r->www_authenticate,
	    sizeof(r->www_authenticate));
	take_header(p, size * n, "Access-Control-Allow-Origin", r->allow_origin,
	    sizeof(r->allow_origin));
	take_header(p, size * n, "Access-Control-Allow-Methods", r->allow_methods,
	    sizeof(r->allow_methods));
	take_header(p, size * n, "Access-Control-Allow-Headers", r->allow_headers,
	    sizeof(r->allow_headers));
	take_header(p, size * n, "Idempotent-Replayed", r->replayed, sizeof(r->replayed));
	used = strlen(r->headers);
	if (used + size * n < sizeof(r->headers)) {
		memcpy(r->headers + used, p, size * n);
		r->headers[used + size * n] = '\0';
	}
	return size * n;
}

/* Performs the request; "timeout_s" bounds the whole transfer. */
static int
http_run(const char *method, const char *path, const char *ctype, const char *body,
    const char *const *headers, long timeout_s, struct http_resp *out)
{
	CURL			*c;
	struct curl_slist	*h = NULL;
	char			 url[2048], line[2048], err[128];
	CURLcode		 cc;
	int			 own_auth;

	memset(out, 0, sizeof(*out));
	buf_init(&out->body);
	snprintf(url, sizeof(url), "%s%s", it_base_url(), path);
	if ((c = curl_easy_init()) == NULL)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (ctype != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", ctype);
		h = curl_slist_append(h, line);
	} else if (body != NULL)
		h = curl_slist_append(h, "Content-Type:");
	for (own_auth = 0; headers != NULL && *headers != NULL; headers++) {
		own_auth |= strncasecmp(*headers, "Authorization:", 14) == 0;
		h = curl_slist_append(h, *headers);
	}
	if (!own_auth && it_current_token[0] != '\0') {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", it_current_token);
		h = curl_slist_append(h, line);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (out->body.len > 0 && strstr(out->content_type, "json") != NULL)
		jsonh_parse(out->body.data, out->body.len, &out->json, err, sizeof(err));
	if (out->body.data == NULL)
		buf_puts(&out->body, "");
	return cc == CURLE_OK || (cc == CURLE_OPERATION_TIMEDOUT && out->status > 0) ? 0 : -1;
}

int
http_do(const char *method, const char *path, const char *ctype, const char *body,
    const char *const *headers, struct http_resp *out)
{
	return http_run(method, path, ctype, body, headers, 20, out);
}

void
http_resp_clear(struct http_resp *r)
{
	buf_clear(&r->body);
	json_object_put(r->json);
	r->json = NULL;
}

int
http_get(const char *path, struct http_resp *out)
{
	return http_do("GET", path, NULL, NULL, NULL, out);
}

int
http_post_json(const char *path, const char *json, struct http_resp *out)
{
	return http_do("POST", path, "application/json", json, NULL, out);
}

int
http_sse(const char *path, const char *last_event_id, long timeout_s, struct http_resp *out)
{
	char		 hdr[128];
	const char	*headers[] = { hdr, NULL };

	snprintf(hdr, sizeof(hdr), "Last-Event-ID: %s", last_event_id ? last_event_id : "");
	return http_run("GET", path, NULL, NULL, last_event_id ? headers : NULL, timeout_s, out);
}

int
it_sh(const char *cmd)
{
	int	 st = system(cmd);

	return st == -1 ? -1 : WEXITSTATUS(st);
}

#define IT_PASSWORD	"it-password-0123"

/* Logs "username" in with the suites' password. Returns a heap token or NULL. */
static char *
it_login(const char *username)
{
	struct http_resp	 r;
	char			 body[256], *tok = NULL;
	const char		*none[] = { "Authorization:", NULL };

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"" IT_PASSWORD
	    "\"}", username);
	if (http_do("POST", "/api/v1/auth/login", "application/json", body, none, &r) == 0 &&
	    r.status == 200 && jsonh_get_string(r.json, "access_token") != NULL)
		tok = strdup(jsonh_get_string(r.json, "access_token"));
	http_resp_clear(&r);
	return tok;
}

const char *
it_login_admin(void)
{
	struct http_resp	 r;
	char			*tok;
	const char		*none[] = { "Authorization:", NULL };

	if ((tok = it_login("it-admin")) == NULL) {
		if (http_do("POST", "/api/v1/auth/register", "application/json",
		    "{\"username\":\"it-admin\",\"email\":\"it-admin@example.com\","
		    "\"password\":\"" IT_PASSWORD "\"}", none, &r) == 0 && r.status == 201 &&
		    jsonh_get_string(r.json, "access_token") != NULL)
			tok = strdup(jsonh_get_string(r.json, "access_token"));
		http_resp_clear(&r);
	}
	if (tok == NULL)
		return NULL;
	it_set_token(tok);
	free(tok);
	return it_token();
}

char *
it_login_as(const char *username, const char *role)
{
	struct http_resp	 r;
	char			 body[512], hdr[1100], *tok;
	const char		*admin;
	const char		*h[] = { hdr, NULL };

	if ((tok = it_login(username)) != NULL)
		return tok;
	{
		char	 saved[sizeof(it_current_token)];

		memcpy(saved, it_current_token, sizeof(saved));
		admin = it_login_admin();
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", admin ? admin : "");
		memcpy(it_current_token, saved, sizeof(saved));
	}
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"email\":\"%s@example.com\","
	    "\"password\":\"" IT_PASSWORD "\",\"role\":\"%s\"}", username, username, role);
	http_do("POST", "/api/v1/users", "application/json", body, h, &r);
	http_resp_clear(&r);
	return it_login(username);
}

/* A body of http_many, appended to the struct buf at "arg". */
static size_t
on_many_body(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

void
http_many(const char *method, const char *path, const char *const *bodies,
    const char *token, size_t n, long *status, char **answers)
{
	http_many_from(NULL, method, path, bodies, token, n, status, answers);
}

/* The headers of request "i" of http_many_from: the common ones "h", then its
 * X-Forwarded-For when "from" gives one (a list of its own, freed by the caller), else "h". */
static struct curl_slist *
many_headers(struct curl_slist *h, const struct http_origin *from, size_t i)
{
	struct curl_slist	*own = NULL, *c;
	char			 line[512];

	if (from == NULL || from->forwarded == NULL || from->forwarded[i] == NULL)
		return h;
	for (c = h; c != NULL; c = c->next)
		own = curl_slist_append(own, c->data);
	snprintf(line, sizeof(line), "X-Forwarded-For: %s", from->forwarded[i]);
	return curl_slist_append(own, line);
}

void
http_many_from(const struct http_origin *from, const char *method, const char *path,
    const char *const *bodies, const char *token, size_t n, long *status, char **answers)
{
	CURL			**e = calloc(n, sizeof(*e));
	struct buf		*b = calloc(n, sizeof(*b));
	struct curl_slist	*h = NULL, **own = calloc(n, sizeof(*own));
	CURLM			*m = curl_multi_init();
	char			 url[512], auth[1200], source[80];
	size_t			 i;
	int			 running;

	if (e == NULL || b == NULL || own == NULL || m == NULL)
		abort();
	snprintf(url, sizeof(url), "%s%s", it_base_url(), path);
	if (from != NULL && from->source != NULL)
		snprintf(source, sizeof(source), "host!%s", from->source);
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	h = curl_slist_append(h, "Content-Type: application/json");
	for (i = 0; i < n; i++) {
		struct curl_slist *hi = many_headers(h, from, i);

		if (hi != h)
			own[i] = hi;
		buf_init(&b[i]);
		if ((e[i] = curl_easy_init()) == NULL)
			abort();
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, hi);
		if (from != NULL && from->source != NULL)
			curl_easy_setopt(e[i], CURLOPT_INTERFACE, source);
		if (bodies != NULL && bodies[i] != NULL)
			curl_easy_setopt(e[i], CURLOPT_COPYPOSTFIELDS, bodies[i]);
		curl_easy_setopt(e[i], CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e[i], CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, on_many_body);
		curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &b[i]);
		curl_multi_add_handle(m, e[i]);
	}
	do {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	} while (running > 0);
	for (i = 0; i < n; i++) {
		status[i] = 0;
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &status[i]);
		buf_append(&b[i], "", 1);
		answers[i] = buf_take(&b[i]);
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
		curl_slist_free_all(own[i]);
	}
	curl_multi_cleanup(m);
	curl_slist_free_all(h);
	free(own);
	free(e);
	free(b);
}
