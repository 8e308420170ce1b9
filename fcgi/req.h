/* req.h: one API request (parsed FastCGI parameters, body, path arguments) and its responses. */
#ifndef FRAGENT_REQ_H
#define FRAGENT_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "auth.h"
#include "buf.h"
#include "crypto.h"
#include "fgconfig.h"
#include "fgjwt.h"
#include "trace.h"

struct route;

#define REQ_MAX_ARGS	4
#define REQ_MAX_PATH	1024
#define REQ_MAX_HDRS	1024	/* extra response headers (CORS, Set-Cookie, Allow) */

/* What every handler shares for the life of the thread: the process's read-only state and
 * cache, the thread's own connections. */
struct app {
	struct config		 cfg;
	struct db		*db;
	struct redis_conn	*redis;
	struct authcache	*auth;		/* users' and keys' state, kept by NOTIFY; shared
						 * by the process's threads */
	struct rowgroup		*launches;	/* runs stored together (launch.h); shared by the
						 * process's threads */
	struct jwt_key		 jwt;				/* signs access tokens */
	unsigned char		 master_key[CRYPTO_KEY_LEN];	/* seals credentials */
	bool			 open_signup;
};

struct req {
	FCGX_Request	*fcgx;
	struct app	*app;
	const char	*method;
	const char	*query;		/* without "?"; never NULL */
	const char	*content_type;	/* may be NULL */
	const char	*request_id;	/* from nginx, "" unless 1-64 of [A-Za-z0-9._-] */
	char		 path[REQ_MAX_PATH];
	char		 args[REQ_MAX_ARGS][128];	/* path captures, e.g. {id} */
	size_t		 nargs;
	struct buf	 body;
	json_object	*json;		/* the body, checked against the route's request schema
					 * by the router; NULL for a route without one or an
					 * absent optional body; owned */
	int		 status;	/* set once a response was written */
	struct principal user;		/* set by the router before an authenticated route */
	char		 hdrs[REQ_MAX_HDRS];	/* extra response headers, "Name: value\r\n"… */
	const struct route *route;	/* the route matched (router.h), or NULL */
	struct trace_span span;		/* the request's span (fcgi/tracing.h) */
	char		 traceparent[TRACE_PARENT_SIZE];	/* its context; "" tracing off */
};

/* Fills "rq" from the FastCGI request "f". Returns 0, or -1 when the path is too long. */
int		 req_init(struct req *rq, FCGX_Request *f, struct app *app);
/* Frees the body and its JSON; NULL-safe. */
void		 req_clear(struct req *rq);
/* The FastCGI parameter "name" (borrowed), or NULL. */
const char	*req_param(const struct req *rq, const char *name);
/* Reads and parses a JSON body. Returns 0 with a new reference in "out" (NULL for an absent
 * body when "optional"), or -1 after answering 400, 411, 413 or 415. */
int		 req_json_body(struct req *rq, int optional, json_object **out);
/* Finds "name" in the query string and copies its (undecoded) value into "out".
 * Returns 1 when found, 0 when absent, -1 when longer than "len". */
int		 req_query(const struct req *rq, const char *name, char *out, size_t len);

/* Like req_query, but percent-decodes the value ("+" is a space) into "out" (size "len").
 * Returns 1, 0 when absent, -1 when too long or malformed (bad escape, NUL). */
int		 req_query_decoded(const struct req *rq, const char *name, char *out, size_t len);
/* The value of cookie "name" of the request copied into "out". Returns 1, 0 or -1 (too
 * long). */
int		 req_cookie(const struct req *rq, const char *name, char *out, size_t len);
/* Adds a response header line (printf-style, without the CRLF) to the next response.
 * Returns 0, or -1 when the header space is full (the header is dropped). */
int		 req_header_add(struct req *rq, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* The owner filter of the caller: NULL for an admin (sees everything), else its user id. */
const char	*req_owner_filter(const struct req *rq);

/* Writes "obj" (may be NULL: JSON null) with "status". Returns 0. */
int		 resp_json(struct req *rq, int status, json_object *obj);
/* Writes "n" bytes of already serialised JSON. Returns 0. */
int		 resp_raw_json(struct req *rq, int status, const char *json, size_t n);
/* Writes "n" bytes of "body" as "ctype". Returns 0. */
int		 resp_text(struct req *rq, int status, const char *ctype, const char *body,
		    size_t n);
/* Writes an RFC 9457 problem: "detail" may be NULL; "errors" (borrowed, may be NULL) is a
 * JSON array of {field, message}. Returns 0. */
int		 resp_problem(struct req *rq, int status, const char *detail, json_object *errors);
/* Writes a problem with extra headers (each "Name: value\r\n"). Returns 0. */
int		 resp_problem_hdr(struct req *rq, int status, const char *detail,
		    json_object *errors, const char *headers);
/* Writes an empty 204 answer. Returns 0. */
int		 resp_no_content(struct req *rq);
/* Answers 422 naming one "field" with "message". Returns 0. */
int		 resp_invalid(struct req *rq, const char *field, const char *message);

#endif
