/* hook_req.h: the parts of serving /hooks/{token} that need no I/O, kept apart from the
 * listener's asynchronous steps (hooks.c) so that tests can call them: the token in the
 * path, the allowed methods, the caller's authentication (shared secret, or HMAC-SHA256 of
 * the raw body with a timestamp), the run's input made from the request, and the answer of a
 * sync webhook made from the run's results. */
#ifndef FRAGENT_HOOK_REQ_H
#define FRAGENT_HOOK_REQ_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "webhook.h"

struct evkeyvalq;

/* Copies the token of "path" (WEBHOOK_PATH_PREFIX then WEBHOOK_TOKEN_LEN base64url
 * characters, nothing after) into "token". Returns 0, or -1 when the path is not a hook's. */
int	hook_token(const char *path, char token[WEBHOOK_TOKEN_LEN + 1]);
/* True when "method" is among "methods" (PostgreSQL's text of a text[]: "{GET,POST}"). */
int	hook_method_allowed(const char *methods, const char *method);

enum hook_auth {
	HOOK_AUTH_NONE,		/* anyone with the URL */
	HOOK_AUTH_SECRET,	/* WEBHOOK_SECRET_HEADER holds the secret */
	HOOK_AUTH_HMAC,		/* WEBHOOK_SIG_HEADER signs WEBHOOK_TS_HEADER and the body */
};

enum hook_auth_rc {
	HOOK_AUTH_OK,
	HOOK_AUTH_MISSING,	/* a header the mode needs is absent */
	HOOK_AUTH_BAD,		/* wrong secret or signature */
	HOOK_AUTH_STALE,	/* the timestamp is outside the replay window */
};

/* What a caller sent to authenticate (any may be NULL). */
struct hook_cred {
	const char	*secret;	/* WEBHOOK_SECRET_HEADER */
	const char	*timestamp;	/* WEBHOOK_TS_HEADER: Unix seconds */
	const char	*signature;	/* WEBHOOK_SIG_HEADER */
};

/* Parses an auth mode's name ("none", "secret", "hmac"). Returns 0, or -1. */
int	hook_auth_parse(const char *name, enum hook_auth *mode);
/* Checks "cred" under "mode" with the webhook's "secret" (NULL for mode none), for body
 * "body" ("len" bytes) at time "now" with a window of "window_s" seconds either side.
 * Comparisons take the same time wherever the strings differ. */
enum hook_auth_rc hook_auth_check(enum hook_auth mode, const char *secret,
	    const struct hook_cred *cred, const void *body, size_t len, time_t now,
	    long window_s);

/* The run's input: {method, path, query, headers, body}: "query" the decoded parameters
 * (the last of a repeated name wins), "headers" every request header by lower-case name
 * except the credentials (Authorization, Cookie, the webhook's own auth headers), "body"
 * the JSON value of a JSON body, the fields of a form, the text of any other body (UTF-8),
 * or null when empty. Returns a new object, or NULL with an HTTP status ("*status": 400 or
 * 415) and the reason in "err". */
json_object	*hook_input(const char *method, const char *path, const char *query,
		    const struct evkeyvalq *headers, const char *body, size_t len, int *status,
		    char *err, size_t errlen);

/* A sync webhook's answer. */
struct hook_answer {
	int		 status;
	json_object	*headers;	/* name → value, checked (a new reference) */
	char		*body;		/* heap */
	size_t		 len;
	const char	*content_type;	/* unless "headers" has one */
};

/* The answer for a run of "def" that succeeded with "results": the output {status, headers,
 * body} of the first respond node of "def" that has one in "results", else 200 with the
 * results as JSON. A body that is a string is text, anything else JSON. Headers that would
 * change how the platform's origin is treated (cookies, CSP, framing, HSTS, CORS) or the
 * framing of the answer (length, encoding, connection) are dropped, as are names and values
 * that are not plain header text. Free with hook_answer_clear. */
void	hook_answer_make(json_object *def, json_object *results, struct hook_answer *a);
void	hook_answer_clear(struct hook_answer *a);

#endif
