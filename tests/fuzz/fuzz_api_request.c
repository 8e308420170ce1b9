/* fuzz_api_request.c: fuzz harness of the API's request layer: FastCGI parameters
 * (fcgi/req.c), routing, CORS and authentication (fcgi/router.c, fcgi/cors.c,
 * shared/auth.c), what the handlers share (query strings, cookies, list parameters, JSON
 * bodies and their limits, body validation against each route's request schema), and the
 * response written back through libfcgi.
 *
 * An input is the request's FastCGI parameters as "NAME=value" lines, an empty line, then
 * the body; the request is served by req_init and router_dispatch as fcgi/main.c does, with
 * libfcgi's streams reading the body from and writing the response to memory. HTTP_AUTHORIZATION "Bearer @viewer" (@editor, @admin) stands for a valid access
 * token of that role, so that routes behind authentication are reached too. The handlers
 * that need no database are the real ones; the others are replaced by one that runs the
 * parsing every handler shares.
 * Properties: exactly one response, well formed (a known status, header lines without
 * stray bytes, a JSON body that parses whenever the type says JSON, a problem whose status
 * is the response's); never a 500.
 * fuzz-dict: api_request json */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authdb.h"
#include "db.h"
#include "expr.h"
#include "fuzz.h"
#include "handlers.h"
#include "jsonh.h"
#include "listing.h"
#include "log.h"
#include "routes.h"
#include "session.h"
#include "uuid.h"
#include "validate.h"

#define FZ_MAX_PARAMS	32

static struct app	 app;
static struct route	*routes;
static char		*tokens[ROLE__MAX];
static struct buf	 written;		/* what the response stream wrote */
static unsigned char	 outbuf[512];		/* its buffer: small, so that it fills */

/* The handler of every route that needs a database: the parsing the real ones share. The
 * router has checked the path's {id} and the body against the route's request schema. */
static int
fz_handler(struct req *rq)
{
	struct list_params	 lp;
	json_object		*errors;
	char			 v[256];
	int			 rc;

	if (req_cookie(rq, SESSION_COOKIE, v, sizeof(v)) == 1)
		(void)auth_refresh_valid(v);
	if (strcmp(rq->method, "GET") == 0) {
		if (list_params_parse(rq, &lp, 1) == -1)
			return 0;
		(void)req_query(rq, "status", v, sizeof(v));
		return resp_raw_json(rq, 200, "{\"items\":[]}", 12);
	}
	if (strcmp(rq->method, "DELETE") == 0)
		return resp_no_content(rq);
	errors = json_object_new_array();
	if (rq->json != NULL)
		(void)validate_account(rq->json, errors);
	rc = json_object_array_length(errors) > 0 ?
	    resp_problem(rq, 422, "the request is invalid", errors) : resp_json(rq, 200, rq->json);
	json_object_put(errors);
	return rc;
}

/* True for the handlers that touch neither PostgreSQL nor Redis. */
static int
fz_pure(route_handler h)
{
	return h == health_get || h == openapi_get || h == node_types_get || h == tools_get ||
	    h == workflows_validate;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 err[256], id[UUID_STRLEN + 1];
	size_t	 i;

	(void)argc;
	(void)argv;
	/* A 32-byte key (base64), a small body cap and one allowed origin. */
	setenv("FRAGENT_JWT_KEY", "ZnV6ei1rZXktZnV6ei1rZXktZnV6ei1rZXktZnV6ei0=", 1);
	setenv("FRAGENT_MAX_BODY", "2048", 1);
	setenv("FRAGENT_CORS_ORIGINS", "http://app.example.test, https://b.example.test", 1);
	log_setup("fuzz", LOGL__MAX);
	if (config_load(&app.cfg, err, sizeof(err)) == -1 ||
	    jwt_key_load(&app.jwt, &app.cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "fuzz_api_request: %s\n", err);
		abort();
	}
	/* Users' state and API keys are looked up in a database that cannot be reached: a
	 * request with credentials answers 503, quickly (the routes without any still reach
	 * their handlers, and with them the body parsing every handler shares). */
	app.db = db_new("postgresql:///none?host=/nonexistent");
	app.auth = authcache_new("postgresql:///none?host=/nonexistent");
	if (uuid_new(id) == -1)
		abort();
	for (i = 0; i < ROLE__MAX; i++)
		tokens[i] = jwt_sign(&app.jwt, id, role_names[i], 0, time(NULL));
	routes = calloc(api_routes_len, sizeof(*routes));
	buf_init(&written);
	if (app.db == NULL || app.auth == NULL || tokens[ROLE__MAX - 1] == NULL || routes == NULL)
		abort();
	for (i = 0; i < api_routes_len; i++) {
		routes[i] = api_routes[i];
		if (!fz_pure(routes[i].handler))
			routes[i].handler = fz_handler;
	}
	return 0;
}

/* ---------------------------------------------------------------- libfcgi streams in memory
 * FCGX_Stream is declared in fcgiapp.h with the two procedures a stream implementation
 * provides; libfcgi's FCGX_GetStr, FCGX_PutStr and FCGX_FPrintF then work on it as on a
 * socket's streams. */

/* The reader's end: libfcgi calls it once the buffer is consumed (FCGI_STDIN ended). */
static void
fz_in_fill(FCGX_Stream *s)
{
	s->isClosed = 1;
}

/* The writer's flush: keeps what was written and empties the buffer. */
static void
fz_out_empty(FCGX_Stream *s, int closing)
{
	(void)closing;
	buf_append(&written, outbuf, (size_t)(s->wrNext - outbuf));
	s->wrNext = outbuf;
}

/* Sets "in" to read the "n" bytes of "body", "out" to write into "written". */
static void
fz_streams(FCGX_Stream *in, FCGX_Stream *out, const char *body, size_t n)
{
	memset(in, 0, sizeof(*in));
	in->rdNext = in->stopUnget = (unsigned char *)body;
	in->stop = in->wrNext = (unsigned char *)body + n;
	in->isReader = 1;
	in->fillBuffProc = fz_in_fill;
	memset(out, 0, sizeof(*out));
	out->wrNext = out->stopUnget = outbuf;
	out->stop = out->rdNext = outbuf + sizeof(outbuf);
	out->emptyBuffProc = fz_out_empty;
	buf_reset(&written);
}

/* ---------------------------------------------------------------- checks */

/* Splits "text" ("len" bytes, NUL-terminated, modified) into parameters: "NAME=value"
 * lines up to the first empty one, the rest being the body ("body", "blen"). An
 * Authorization of "Bearer @<role>" becomes a valid token of that role, written to "auth"
 * (size "alen"). Returns the number of parameters stored in "params". */
static size_t
fz_params(char *text, size_t len, char **params, char *auth, size_t alen, char **body,
    size_t *blen)
{
	static const char	 ask[] = "HTTP_AUTHORIZATION=Bearer @";
	char			*p = text, *end = text + len, *nl;
	size_t			 n = 0;
	int			 r;

	*body = end;
	*blen = 0;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		if (nl == p) {
			*body = nl + 1;
			*blen = (size_t)(end - *body);
			break;
		}
		if (n < FZ_MAX_PARAMS && strchr(p, '=') != NULL) {
			params[n++] = p;
			for (r = 0; strncmp(p, ask, sizeof(ask) - 1) == 0 && r < ROLE__MAX; r++)
				if (strcmp(p + sizeof(ask) - 1, role_names[r]) == 0) {
					snprintf(auth, alen, "HTTP_AUTHORIZATION=Bearer %s",
					    tokens[r]);
					params[n - 1] = auth;
				}
		}
		p = nl + 1;
	}
	return n;
}

/* Checks one header line of the response ("len" bytes, without CRLF). */
static void
fz_check_header(const char *h, size_t len)
{
	size_t	 i, k = strspn(h, "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz");

	FUZZ_ASSERT(k > 0 && k + 1 < len && h[k] == ':' && h[k + 1] == ' ',
	    "a response header line is \"Name: value\"");
	for (i = k + 2; i < len; i++)
		FUZZ_ASSERT((unsigned char)h[i] >= 0x20 && h[i] != 0x7f,
		    "no control character in a response header value");
}

/* Checks the body of a response with "status" and content type "ctype" (NULL: none). */
static void
fz_check_body(int status, const char *ctype, const char *body, size_t len)
{
	json_object	*o = NULL, *v;
	char		 err[256];
	size_t		 i;

	if (ctype == NULL) {
		FUZZ_ASSERT(len == 0, "a response without a type has no body");
		return;
	}
	FUZZ_ASSERT(jsonh_parse(body, len, &o, err, sizeof(err)) == 0,
	    "a JSON response is one JSON document");
	if (strcmp(ctype, "application/problem+json") == 0) {
		v = jsonh_get_typed(o, "status", json_type_int);
		FUZZ_ASSERT(v != NULL && json_object_get_int(v) == status,
		    "a problem's status is the response's");
		FUZZ_ASSERT(jsonh_get_string(o, "detail") != NULL, "a problem has a detail");
		v = json_object_object_get(o, "errors");
		for (i = 0; v != NULL && i < json_object_array_length(v); i++) {
			json_object *row = json_object_array_get_idx(v, i);

			FUZZ_ASSERT(jsonh_get_string(row, "field") != NULL &&
			    jsonh_get_string(row, "message") != NULL,
			    "each validation error names a field and a message");
		}
	}
	json_object_put(o);
}

/* Checks that what the request wrote ("out", flushed here) is one response with "status". */
static void
fz_check_response(FCGX_Stream *out, int status)
{
	const char	*resp, *p, *eol, *ctype = NULL;
	char		 want[32];

	FCGX_FFlush(out);
	FUZZ_ASSERT(written.len > 0, "a response was written");
	resp = written.data;
	snprintf(want, sizeof(want), "Status: %d ", status);
	FUZZ_ASSERT(strncmp(resp, want, strlen(want)) == 0,
	    "the response starts with the status the request recorded");
	for (p = resp; (eol = strstr(p, "\r\n")) != NULL && eol != p; p = eol + 2) {
		fz_check_header(p, (size_t)(eol - p));
		if (strncmp(p, "Content-Type: ", 14) == 0)
			ctype = strndup(p + 14, (size_t)(eol - p - 14));
	}
	FUZZ_ASSERT(eol == p, "the headers end with an empty line");
	fz_check_body(status, ctype, eol + 2, written.len - (size_t)(eol + 2 - resp));
	free((char *)ctype);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*text, *params[FZ_MAX_PARAMS + 1], *body, auth[2048];
	struct req	 rq;
	FCGX_Request	 f;
	FCGX_Stream	 in, out;
	size_t		 n, blen;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	n = fz_params(text, size, params, auth, sizeof(auth), &body, &blen);
	params[n] = NULL;
	fz_streams(&in, &out, body, blen);
	memset(&f, 0, sizeof(f));
	f.envp = params;
	f.in = &in;
	f.out = &out;
	/* What fcgi/main.c's api_serve does. */
	if (req_init(&rq, &f, &app) == -1)
		resp_problem(&rq, 404, "path too long", NULL);
	else
		router_dispatch(routes, api_routes_len, &rq);
	FUZZ_ASSERT(rq.status != 0 && rq.status != 500, "one response, never a 500");
	fz_check_response(&out, rq.status);
	req_clear(&rq);
	free(text);
	expr_cache_clear();
	return 0;
}
