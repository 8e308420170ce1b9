/* client.h: one LLM call on the worker's loop: the provider's request sent through the curl
 * multi handle (jobd/httpc.h), the answer parsed as it streams in, 429 and 5xx (and dropped
 * connections before any text) retried with back-off honouring Retry-After, connect and idle
 * timeouts, a capped response, and cancellation that aborts the transfer at once. Every
 * connection passes the SSRF guard under the model endpoints' allow-list (jobd/netguard.h)
 * and comes from their own pool; redirects are not followed. */
#ifndef FRAGENT_LLM_CLIENT_H
#define FRAGENT_LLM_CLIENT_H

#include <stdbool.h>

#include "llm.h"

struct event_base;
struct httpc;
struct llmc;
struct ssrf_allow;

struct llmc_opts {
	long	 connect_timeout_ms;	/* default 10 s */
	long	 idle_timeout_ms;	/* no byte for that long ends an attempt; default 120 s */
	long	 total_timeout_ms;	/* one attempt at most; default 600 s */
	int	 max_retries;		/* extra attempts; 0: the default 3, < 0: none */
	long	 backoff_ms;		/* first back-off, doubled each time; default 500 ms */
	long	 max_wait_ms;		/* longest Retry-After honoured; default 60 s */
};

/* Called once on the loop when the call ended: "rc" 0 with the reply in "r" (borrowed until
 * the callback returns; the callee may move what it needs), or -1 with a message in "err"
 * that names the HTTP status and at most a short sanitised excerpt of the answer
 * (llm_excerpt: printable ASCII, never the key or other credentials). Not called after
 * llmc_cancel. The call frees itself after the callback. */
typedef void (*llmc_done_fn)(void *arg, struct llm_reply *r, int rc, const char *err);

/* What one call needs; every pointer is borrowed for the call of llmc_start only, except
 * "arg", which must live until "done" or llmc_cancel. */
struct llmc_req {
	const struct llm_provider	*provider;
	const char			*url;
	const char			*api_key;	/* may be NULL */
	const struct ssrf_allow		*allow;		/* SSRF_USE_MODEL list; NULL: none */
	const char			*body;		/* the provider's JSON request */
	const char			*traceparent;	/* sent as traceparent; NULL: none */
	bool				 stream;
	struct llmc_opts		 opts;		/* zero members take the defaults */
	llm_delta_fn			 on_delta;	/* streamed text; may be NULL */
	llmc_done_fn			 done;
	void				*arg;
};

/* Starts the call "rq" on "base" and "http". Returns the call, or NULL with a message in
 * "err" when it could not start (nothing was called then). */
struct llmc	*llmc_start(struct event_base *base, struct httpc *http,
		    const struct llmc_req *rq, char *err, size_t errlen);
/* Stops the call at once (its transfer or its back-off wait) and frees it; "done" is not
 * called. NULL-safe. */
void		 llmc_cancel(struct llmc *c);
/* How many attempts the call made so far (1 for the first). */
int		 llmc_attempts(const struct llmc *c);
/* Parses a Retry-After value (delta-seconds or an HTTP date) relative to "now" (Unix time).
 * Returns milliseconds to wait, or -1 when the value is not understood. */
long		 llmc_retry_after(const char *value, long now);

#endif
