/* it_http.h: a small libcurl client for the integration suites (talks to the stack through nginx). */
#ifndef FRAGENT_IT_HTTP_H
#define FRAGENT_IT_HTTP_H

#include <json-c/json.h>

#include "buf.h"

struct http_resp {
	long		 status;
	struct buf	 body;
	char		 content_type[128];
	char		 allow[128];
	char		 request_id[128];
	char		 set_cookie[256];	/* the last Set-Cookie header */
	char		 www_authenticate[128];
	char		 allow_origin[256];	/* Access-Control-Allow-Origin */
	char		 allow_methods[128];	/* Access-Control-Allow-Methods */
	char		 allow_headers[128];	/* Access-Control-Allow-Headers */
	char		 replayed[16];		/* Idempotent-Replayed */
	char		 headers[4096];		/* every header line, as received (cut) */
	json_object	*json;		/* parsed body when it is JSON, else NULL */
};

/* The base URL of the stack under test (FRAGENT_TEST_URL). */
const char	*it_base_url(void);
/* Sends "method" "path" (relative to the base URL) with an optional body of content type
 * "ctype"; extra headers (NULL-terminated, "Name: value") may be given. Fills "out" (clear it
 * with http_resp_clear). Returns 0, or -1 when no HTTP answer came. */
int		 http_do(const char *method, const char *path, const char *ctype, const char *body,
		    const char *const *headers, struct http_resp *out);
/* Frees what http_do put in "r". */
void		 http_resp_clear(struct http_resp *r);
/* Shorthands for JSON requests. */
int		 http_get(const char *path, struct http_resp *out);
int		 http_post_json(const char *path, const char *json, struct http_resp *out);
/* Reads an event stream until the server ends it or "timeout_s" passes. */
int		 http_sse(const char *path, const char *last_event_id, long timeout_s,
		    struct http_resp *out);
/* Sends "n" requests "method" "path" at once as bearer "token" (NULL: none), request i with JSON body
 * bodies[i] ("bodies" or bodies[i] NULL: none), each on a new connection (one no other
 * request reuses). Fills status[i] (0: no answer) and answers[i] (the body, NUL-ended; a
 * heap string the caller frees). */
void		 http_many(const char *method, const char *path, const char *const *bodies,
		    const char *token, size_t n, long *status, char **answers);
/* Where http_many_from's requests come from: the loopback address they leave from (NULL:
 * the system's choice), and the X-Forwarded-For header of request i ("forwarded" or
 * forwarded[i] NULL: none), as a load balancer in front of nginx would send it. */
struct http_origin {
	const char		 *source;
	const char *const	 *forwarded;
};
/* http_many with its requests sent from "from" (NULL: as http_many). */
void		 http_many_from(const struct http_origin *from, const char *method,
		    const char *path, const char *const *bodies, const char *token, size_t n,
		    long *status, char **answers);
/* The token every following request sends as "Authorization: Bearer …" unless it brings
 * its own Authorization header; NULL sends none. The string is copied. */
void		 it_set_token(const char *token);
/* The token set by it_set_token (borrowed), or NULL. */
const char	*it_token(void);
/* Signs in as the suites' administrator ("it-admin"), registering it when the stack has no
 * user yet (the first user becomes admin), and makes its token the current one. Returns the
 * token (borrowed), or NULL. */
const char	*it_login_admin(void);
/* Signs in as "username" with role "role" ("viewer", "editor", "admin"), creating it
 * through the admin first when missing; the current token is left alone. Returns a heap
 * access token the caller frees, or NULL. */
char		*it_login_as(const char *username, const char *role);
/* Runs a shell command (e.g. supervisorctl) and returns its exit status. */
int		 it_sh(const char *cmd);

#endif
