/* req.c: request parsing (FastCGI parameters, query, JSON bodies) and response writers. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "jsonh.h"
#include "log.h"
#include "nitems.h"
#include "req.h"

static const struct {
	int		 status;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 411, "Length Required" }, { 413, "Content Too Large" },
	{ 415, "Unsupported Media Type" }, { 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

/* The reason phrase of "status", also used as a problem's title. */
static const char *
resp_reason(int status)
{
	size_t	 i;

	for (i = 0; i < NITEMS(reasons); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Error";
}

const char *
req_param(const struct req *rq, const char *name)
{
	return FCGX_GetParam(name, rq->fcgx->envp);
}

/* True when "id" has the shape of a request id: 1-64 of [A-Za-z0-9._-] (nginx's
 * $request_id is 32 hex digits). */
static bool
req_id_ok(const char *id)
{
	size_t	 n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789._-");

	return n > 0 && n <= 64 && id[n] == '\0';
}

int
req_init(struct req *rq, FCGX_Request *f, struct app *app)
{
	const char	*uri, *q;
	size_t		 n;

	memset(rq, 0, sizeof(*rq));
	rq->fcgx = f;
	rq->app = app;
	buf_init(&rq->body);
	if ((rq->method = req_param(rq, "REQUEST_METHOD")) == NULL)
		rq->method = "GET";
	if ((rq->query = req_param(rq, "QUERY_STRING")) == NULL)
		rq->query = "";
	rq->content_type = req_param(rq, "CONTENT_TYPE");
	/* Echoed in every problem answer and log line: a proxy that passed on a client's own
	 * header could otherwise put any bytes there (not UTF-8: invalid JSON). */
	if ((rq->request_id = req_param(rq, "REQUEST_ID")) == NULL ||
	    !req_id_ok(rq->request_id))
		rq->request_id = "";
	/* DOCUMENT_URI is nginx's normalised $uri; fall back to REQUEST_URI less its query. */
	if ((uri = req_param(rq, "DOCUMENT_URI")) == NULL &&
	    (uri = req_param(rq, "REQUEST_URI")) == NULL)
		uri = "/";
	n = (q = strchr(uri, '?')) != NULL ? (size_t)(q - uri) : strlen(uri);
	if (n >= sizeof(rq->path))
		return -1;
	memcpy(rq->path, uri, n);
	rq->path[n] = '\0';
	return 0;
}

void
req_clear(struct req *rq)
{
	if (rq == NULL)
		return;
	buf_clear(&rq->body);
	json_object_put(rq->json);
	rq->json = NULL;
}

/* True when the content type is application/json, parameters (charset) allowed. */
static int
req_is_json(const char *ct)
{
	size_t	 n = strlen("application/json");

	return ct != NULL && strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int
req_json_body(struct req *rq, int optional, json_object **out)
{
	const char	*cl = req_param(rq, "CONTENT_LENGTH");
	char		 chunk[8192], err[256], *end;
	unsigned long long len;
	int		 got;

	*out = NULL;
	len = cl != NULL && *cl != '\0' ? strtoull(cl, &end, 10) : 0;
	if (cl != NULL && *cl != '\0' && *end != '\0')
		return resp_problem(rq, 400, "invalid Content-Length", NULL), -1;
	if (len == 0) {
		if (optional)
			return 0;
		return resp_problem(rq, 400, "a JSON request body is required", NULL), -1;
	}
	if (len > rq->app->cfg.max_body)
		return resp_problem(rq, 413, "request body too large", NULL), -1;
	if (!req_is_json(rq->content_type))
		return resp_problem(rq, 415, "the body must be application/json", NULL), -1;
	while (rq->body.len < len) {
		size_t	 want = len - rq->body.len;

		got = FCGX_GetStr(chunk, (int)(want < sizeof(chunk) ? want : sizeof(chunk)),
		    rq->fcgx->in);
		if (got <= 0)
			break;
		buf_append(&rq->body, chunk, (size_t)got);
	}
	if (rq->body.len != len)
		return resp_problem(rq, 400, "request body shorter than Content-Length",
		    NULL), -1;
	if (jsonh_parse(rq->body.data, rq->body.len, out, err, sizeof(err)) == -1)
		return resp_problem(rq, 400, err, NULL), -1;
	return 0;
}

int
req_query(const struct req *rq, const char *name, char *out, size_t len)
{
	const char	*p = rq->query, *amp, *eq;
	size_t		 nlen = strlen(name), vlen;

	while (*p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == nlen && strncmp(p, name, nlen) == 0) {
			vlen = (size_t)(amp - eq - 1);
			if (vlen >= len)
				return -1;
			memcpy(out, eq + 1, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p = *amp ? amp + 1 : amp;
	}
	return 0;
}

int
req_query_decoded(const struct req *rq, const char *name, char *out, size_t len)
{
	char	 raw[3 * 1024];
	size_t	 i, o = 0;
	int	 rc, hi, lo;

	if ((rc = req_query(rq, name, raw, sizeof(raw))) != 1)
		return rc;
	for (i = 0; raw[i] != '\0'; i++) {
		int	 c = raw[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if ((hi = crypto_hex_digit(raw[i + 1])) < 0 ||
			    (lo = crypto_hex_digit(raw[i + 2])) < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		}
		if (c == '\0' || o + 1 >= len)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 1;
}

int
req_cookie(const struct req *rq, const char *name, char *out, size_t len)
{
	const char	*p = req_param(rq, "HTTP_COOKIE"), *end;
	size_t		 nl = strlen(name), vl;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			vl = (size_t)(end - p) - nl - 1;
			if (vl >= len)
				return -1;
			memcpy(out, p + nl + 1, vl);
			out[vl] = '\0';
			return 1;
		}
		p = end;
	}
	return 0;
}

int
req_header_add(struct req *rq, const char *fmt, ...)
{
	size_t	 used = strlen(rq->hdrs);
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(rq->hdrs + used, sizeof(rq->hdrs) - used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 >= sizeof(rq->hdrs) - used) {
		rq->hdrs[used] = '\0';
		return -1;
	}
	memcpy(rq->hdrs + used + n, "\r\n", 3);
	return 0;
}

const char *
req_owner_filter(const struct req *rq)
{
	return rq->user.role == ROLE_ADMIN ? NULL : rq->user.user_id;
}

/* Writes status line, headers and body. */
static int
resp_write(struct req *rq, int status, const char *ctype, const char *headers,
    const char *body, size_t n)
{
	if (ctype != NULL)
		FCGX_FPrintF(rq->fcgx->out, "Status: %d %s\r\nContent-Type: %s\r\n"
		    "Cache-Control: no-store\r\n%s%s\r\n", status, resp_reason(status), ctype,
		    rq->hdrs, headers ? headers : "");
	else
		FCGX_FPrintF(rq->fcgx->out, "Status: %d %s\r\nCache-Control: no-store\r\n"
		    "%s%s\r\n", status, resp_reason(status), rq->hdrs, headers ? headers : "");
	if (n > 0)
		FCGX_PutStr(body, (int)n, rq->fcgx->out);
	rq->status = status;
	return 0;
}

int
resp_raw_json(struct req *rq, int status, const char *json, size_t n)
{
	return resp_write(rq, status, "application/json", NULL, json, n);
}

int
resp_text(struct req *rq, int status, const char *ctype, const char *body, size_t n)
{
	return resp_write(rq, status, ctype, NULL, body, n);
}

int
resp_json(struct req *rq, int status, json_object *obj)
{
	const char	*s = jsonh_str(obj);

	return resp_raw_json(rq, status, s, strlen(s));
}

int
resp_problem_hdr(struct req *rq, int status, const char *detail, json_object *errors,
    const char *headers)
{
	json_object	*o = jsonh_new_object();
	const char	*s;
	int		 rc;

	json_object_object_add(o, "type", jsonh_new_string("about:blank"));
	json_object_object_add(o, "title", jsonh_new_string(resp_reason(status)));
	json_object_object_add(o, "status", jsonh_new_int(status));
	json_object_object_add(o, "detail",
	    jsonh_new_string(detail ? detail : resp_reason(status)));
	if (errors != NULL)
		json_object_object_add(o, "errors", json_object_get(errors));
	if (rq->request_id[0] != '\0')
		json_object_object_add(o, "request_id", jsonh_new_string(rq->request_id));
	s = jsonh_str(o);
	rc = resp_write(rq, status, "application/problem+json", headers, s, strlen(s));
	json_object_put(o);
	return rc;
}

int
resp_problem(struct req *rq, int status, const char *detail, json_object *errors)
{
	return resp_problem_hdr(rq, status, detail, errors, NULL);
}

int
resp_no_content(struct req *rq)
{
	return resp_write(rq, 204, NULL, NULL, NULL, 0);
}

int
resp_invalid(struct req *rq, const char *field, const char *message)
{
	json_object	*errors = jsonh_new_array(), *row = jsonh_new_object();
	int		 rc;

	json_object_object_add(row, "field", jsonh_new_string(field));
	json_object_object_add(row, "message", jsonh_new_string(message));
	json_object_array_add(errors, row);
	rc = resp_problem(rq, 422, "the request is invalid", errors);
	json_object_put(errors);
	return rc;
}
