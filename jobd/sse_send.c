/* sse_send.c: the chunks of event streams' answers (see sse_send.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>

#include "sse_send.h"
#include "xalloc.h"

/* A chunk written at once takes at most this many pieces (its size line, the frames' own
 * pieces, its end); a larger one (a long catch-up) is queued whole. */
#define SSE_SEND_IOV	256
/* What ends a chunk. */
static const char	 SSE_SEND_END[] = "\r\n";
#define SSE_SEND_END_LEN	(sizeof(SSE_SEND_END) - 1)

struct sse_send {
	struct evbuffer	**frames;		/* the chunk being built */
	size_t		  n, cap;
	struct evbuffer	 *queue;		/* what goes on a connection's queue */
};

struct sse_send *
sse_send_new(void)
{
	struct sse_send	*s = xcalloc(1, sizeof(*s));

	if ((s->queue = evbuffer_new()) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
sse_send_free(struct sse_send *s)
{
	if (s == NULL)
		return;
	evbuffer_free(s->queue);
	free(s->frames);
	free(s);
}

void
sse_send_add(struct sse_send *s, struct evbuffer *frame)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->frames = xrealloc(s->frames, s->cap * sizeof(*s->frames));
	}
	s->frames[s->n++] = frame;
}

/* The frames into s->queue, by reference, less their first "skip" bytes. */
static void
sse_send_queue_frames(struct sse_send *s, size_t skip)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		(void)evbuffer_add_buffer_reference(s->queue, s->frames[i]);
	(void)evbuffer_drain(s->queue, skip);
}

/* Writes the chunk of s->frames with its size line ("sizelen" bytes at "size") to the socket
 * of "bev", whose queue is empty. Returns how many bytes of the whole chunk the socket took,
 * or -1 when the chunk has more pieces than one write takes (nothing written). */
static ssize_t
sse_send_now(struct sse_send *s, struct bufferevent *bev, const char *size, size_t sizelen)
{
	struct iovec	 iov[SSE_SEND_IOV];
	size_t		 i, k = 0;
	ssize_t		 w;
	int		 got;

	iov[k].iov_base = (void *)size;
	iov[k++].iov_len = sizelen;
	for (i = 0; i < s->n; i++) {
		got = evbuffer_peek(s->frames[i], -1, NULL, &iov[k], SSE_SEND_IOV - 1 - (int)k);
		if (got < 0 || k + (size_t)got > SSE_SEND_IOV - 1)
			return -1;
		k += (size_t)got;
	}
	iov[k].iov_base = (void *)SSE_SEND_END;
	iov[k++].iov_len = SSE_SEND_END_LEN;
	do
		w = writev(bufferevent_getfd(bev), iov, (int)k);
	while (w == -1 && errno == EINTR);
	/* The socket full or broken: all of it to the queue, where the connection's own write
	 * meets the same state and reports it. */
	return w < 0 ? 0 : w;
}

void
sse_send_flush(struct sse_send *s, struct evhttp_request *req, bool chunked)
{
	struct evhttp_connection	*conn = evhttp_request_get_connection(req);
	struct bufferevent		*bev;
	char				 size[24];
	size_t				 i, len = 0, sizelen = 0, took, end_took;
	ssize_t				 w = -1;

	for (i = 0; i < s->n; i++)
		len += evbuffer_get_length(s->frames[i]);
	if (len == 0 || conn == NULL)
		goto out;
	bev = evhttp_connection_get_bufferevent(conn);
	if (chunked && evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		sizelen = (size_t)snprintf(size, sizeof(size), "%zx\r\n", len);
		w = sse_send_now(s, bev, size, sizelen);
	}
	if (w < 0) {
		/* Through evhttp, which frames it (or not) and queues it. */
		sse_send_queue_frames(s, 0);
		evhttp_send_reply_chunk(req, s->queue);
		goto out;
	}
	if ((took = (size_t)w) == sizelen + len + SSE_SEND_END_LEN)
		goto out;
	/* The rest, framed already, behind what the socket took: the size line's, the
	 * frames', the end's. */
	if (took < sizelen)
		(void)bufferevent_write(bev, size + took, sizelen - took);
	if (took < sizelen + len) {
		sse_send_queue_frames(s, took > sizelen ? took - sizelen : 0);
		(void)bufferevent_write_buffer(bev, s->queue);
	}
	end_took = took > sizelen + len ? took - sizelen - len : 0;
	(void)bufferevent_write(bev, &SSE_SEND_END[end_took], SSE_SEND_END_LEN - end_took);
out:
	(void)evbuffer_drain(s->queue, evbuffer_get_length(s->queue));
	s->n = 0;
}
