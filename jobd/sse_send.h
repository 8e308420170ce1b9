/* sse_send.h: writes an event stream's answer in chunks, one per delivery of events: at once
 * to the socket when nothing is queued on the connection before it (no write readiness to arm
 * and disarm, no loop turn to wait, nothing allocated when the socket takes it all), and what
 * the socket does not take queued behind it for libevent to write as the socket drains. The
 * frames go out by reference: they are never copied. */
#ifndef FRAGENT_SSE_SEND_H
#define FRAGENT_SSE_SEND_H

#include <stdbool.h>

struct evbuffer;
struct evhttp_request;
struct sse_send;

/* The scratch of one loop's streams (one delivery is built at a time). Returns NULL when out
 * of memory. */
struct sse_send	*sse_send_new(void);
/* Frees; NULL-safe. */
void		 sse_send_free(struct sse_send *s);
/* Adds "frame" to the chunk being built; it must stay unchanged (and not be freed) until
 * sse_send_flush returns. */
void		 sse_send_add(struct sse_send *s, struct evbuffer *frame);
/* Sends the frames added since the last call as the next part of the answer to "req" (a
 * chunk when "chunked", the answer in HTTP/1.1 chunks; as they are otherwise), and starts
 * the next chunk. */
void		 sse_send_flush(struct sse_send *s, struct evhttp_request *req, bool chunked);

#endif
