/* fetch.h: one outbound HTTP(S) transfer on a worker's curl multi handle, as the HTTP node
 * and the http_request tool make them: http/https only, no proxy, the SSRF guard judging
 * every address connected and every connection used (pooled ones and redirects included),
 * in the HTTP use's connection pool, the response size and the time capped, the response
 * headers collected. */
#ifndef FRAGENT_FETCH_H
#define FRAGENT_FETCH_H

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"

struct httpc;
struct ssrf_allow;
struct fetch;

/* What to send. "headers" (built with fetch_header) passes to the fetch in fetch_start,
 * whatever its outcome; "body" (or NULL) must outlive the transfer. */
struct fetch_req {
	const char		*url;
	const char		*method;	/* GET when NULL */
	const char		*body;
	struct curl_slist	*headers;
	long			 max_bytes;	/* response body cap */
	long			 timeout_ms;
	int			 follow_redirects;	/* at most 5 */
};

/* What came back, lent to the done callback. "error" is NULL when a response arrived
 * (whatever its status), else a message for the user. */
struct fetch_result {
	const char	*error;
	long		 status;
	const struct buf *body;
	json_object	*headers;	/* lower-case names; the last response's; never NULL */
};

typedef void	(*fetch_done_fn)(void *arg, const struct fetch_result *r);

/* Appends "name: value" to "*list", refusing line breaks and a colon in the name.
 * Returns 0, or -1 with a message. */
int		 fetch_header(struct curl_slist **list, const char *name, const char *value,
		    char *err, size_t errlen);
/* Starts the transfer under the SSRF_USE_HTTP list of "allow" (borrowed for the transfer;
 * NULL: nothing allow-listed); "done" runs once on the loop when it ends (never after
 * fetch_cancel). Returns the fetch, or NULL with a message. */
struct fetch	*fetch_start(struct httpc *hc, const struct ssrf_allow *allow,
		    struct fetch_req *rq, fetch_done_fn done, void *arg, char *err,
		    size_t errlen);
/* Stops the transfer at once and frees it; NULL-safe. */
void		 fetch_cancel(struct fetch *f);

#endif
