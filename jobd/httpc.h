/* httpc.h: libcurl's multi interface driven by a libevent loop (socket and timer callbacks),
 * so one thread holds thousands of HTTP transfers without blocking. Each use of the SSRF guard
 * (jobd/ssrf.h) has its own multi handle and so its own connection pool: a transfer never
 * reuses a connection opened for a transfer under another allow-list. */
#ifndef FRAGENT_HTTPC_H
#define FRAGENT_HTTPC_H

#include <curl/curl.h>

#include "ssrf.h"

struct event_base;
struct httpc;

/* Called once when transfer "easy" ended with "result"; the callee owns "easy" again and
 * cleans it up. Never called for a transfer stopped with httpc_cancel. */
typedef void (*httpc_done_fn)(CURL *easy, CURLcode result, void *arg);

/* A multi handle on "base". Returns NULL when out of memory. curl_global_init must have run. */
struct httpc	*httpc_new(struct event_base *base);
/* Frees; NULL-safe. Every transfer must have ended or been cancelled by its owner first. */
void		 httpc_free(struct httpc *h);
/* Starts "easy" (configured by the caller) in the connection pool of "use"; "done" runs on
 * the loop when it ends. Returns 0, or -1 when curl refused it (the caller still owns
 * "easy"). */
int		 httpc_start(struct httpc *h, enum ssrf_use use, CURL *easy,
		    httpc_done_fn done, void *arg);
/* Stops "easy" at once (its sockets close); the caller owns it again. */
void		 httpc_cancel(struct httpc *h, CURL *easy);
/* With no transfer in flight, closes every kept-alive connection (each holds its buffers);
 * does nothing otherwise. */
void		 httpc_close_idle(struct httpc *h);
/* Number of transfers in flight. */
int		 httpc_running(const struct httpc *h);

#endif
