/* sse_stream.c: open event streams, filed by user (see sse_stream.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "log.h"
#include "sse_send.h"
#include "sse_stream.h"
#include "sse_wire.h"
#include "strmap.h"
#include "xalloc.h"

struct sse_stream {
	struct hub_sub		 hs;		/* first: the hub's callbacks get this */
	struct sse_streams	*ss;
	struct evhttp_request	*req;
	struct sse_stream	*uprev, *unext;	/* the streams of the same user */
	struct auth_cred	 cred;
	bool			 chunked;	/* the answer is in chunks (HTTP/1.1) */
	char			 user_id[UUID_STRLEN + 1];
	char			 owner_id[UUID_STRLEN + 1];
};

/* One user's open streams. */
struct sse_user {
	struct sse_stream	*head;
	unsigned long		 n;
};

struct sse_streams {
	struct hub_set		*hubs;
	struct strmap		*users;		/* user id → its struct sse_user */
	unsigned long		 per_user;	/* 0: no limit */
	/* The chunk under way, to one stream (the loop delivers to one stream at a time). */
	struct sse_send		*send;
};

int
sse_may_watch(const struct auth_cred *c, const char *user_id, const struct user_state *st,
    const char *owner_id)
{
	struct principal	 p;

	if (auth_admit(c, user_id, st, &p) != AUTH_OK)
		return 401;
	/* Everyone may watch (viewer is the lowest role); another user's run only an admin. */
	if (owner_id == NULL || (p.role != ROLE_ADMIN && strcmp(owner_id, user_id) != 0))
		return 404;
	return 0;
}

struct sse_streams *
sse_streams_new(struct hub_set *hubs, unsigned long per_user)
{
	struct sse_streams	*ss;

	ss = xcalloc(1, sizeof(*ss));
	ss->hubs = hubs;
	ss->users = strmap_new();
	ss->per_user = per_user;
	if ((ss->send = sse_send_new()) == NULL) {
		sse_streams_free(ss);
		return NULL;
	}
	return ss;
}

void
sse_streams_free(struct sse_streams *ss)
{
	if (ss == NULL)
		return;
	strmap_free(ss->users, free);
	sse_send_free(ss->send);
	free(ss);
}

/* Files "st" under its user "u" (NULL: the user's first stream). */
static void
sse_stream_file(struct sse_stream *st, struct sse_user *u)
{
	if (u == NULL) {
		u = xcalloc(1, sizeof(*u));
		strmap_put(st->ss->users, st->user_id, u, NULL);
	}
	st->uprev = NULL;
	st->unext = u->head;
	if (u->head != NULL)
		u->head->uprev = st;
	u->head = st;
	u->n++;
}

/* Takes "st" out of its user's list. */
static void
sse_stream_unfile(struct sse_stream *st)
{
	struct sse_user	*u = strmap_get(st->ss->users, st->user_id);

	if (st->unext != NULL)
		st->unext->uprev = st->uprev;
	if (st->uprev != NULL)
		st->uprev->unext = st->unext;
	else
		u->head = st->unext;
	if (--u->n == 0)
		free(strmap_del(st->ss->users, st->user_id));
}

/* The hub has an event for this stream: its shared frame joins the delivery's chunk (which
 * points at the hub's bytes, never copies them). */
static void
sse_stream_on_event(struct hub_sub *hs, struct evbuffer *frame)
{
	struct sse_stream	*st = (struct sse_stream *)hs;

	sse_send_add(st->ss->send, frame);
}

/* The delivery's events go out as one chunk. */
static void
sse_stream_on_flush(struct hub_sub *hs)
{
	struct sse_stream	*st = (struct sse_stream *)hs;

	sse_send_flush(st->ss->send, st->req, st->chunked);
}

/* Sends the comment "text" (a line starting with ':' and a blank line). */
static void
sse_stream_comment(struct sse_stream *st, const char *text)
{
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL || evbuffer_add(b, text, strlen(text)) != 0) {
		if (b != NULL)
			evbuffer_free(b);
		return;
	}
	sse_send_add(st->ss->send, b);
	sse_send_flush(st->ss->send, st->req, st->chunked);
	evbuffer_free(b);	/* what still refers to it keeps it */
}

/* 15 s without events: a heartbeat comment keeps proxies from timing out. */
static void
sse_stream_on_idle(struct hub_sub *hs)
{
	sse_stream_comment((struct sse_stream *)hs, ": heartbeat\n\n");
}

/* The stream ended (terminal event sent), broke, or was revoked: end the answer cleanly. */
static void
sse_stream_on_end(struct hub_sub *hs, const char *error)
{
	struct sse_stream	*st = (struct sse_stream *)hs;

	if (error != NULL)
		log_warn(NULL, "event stream ended early: %s", error);
	sse_stream_unfile(st);
	evhttp_connection_set_closecb(evhttp_request_get_connection(st->req), NULL, NULL);
	evhttp_send_reply_end(st->req);
	free(st);
}

/* The client went away mid-stream. */
static void
sse_stream_on_client_close(struct evhttp_connection *conn, void *arg)
{
	struct sse_stream	*st = arg;

	(void)conn;
	hub_unsubscribe(&st->hs);
	sse_stream_unfile(st);
	/* A client that went away mid-reply leaves the request detached from its connection
	 * (libevent then leaves it to us); otherwise the connection frees it. */
	if (evhttp_request_get_connection(st->req) == NULL)
		evhttp_request_free(st->req);
	free(st);
}

int
sse_stream_open(struct sse_streams *ss, struct evhttp_request *req, const char *exec_id,
    const char *last_id, const struct auth_cred *c, const char *user_id,
    const char *owner_id)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	struct sse_user		*u = strmap_get(ss->users, user_id);
	struct sse_stream	*st;
	const char		*s;

	if (u != NULL && ss->per_user > 0 && u->n >= ss->per_user)
		return -1;
	st = xcalloc(1, sizeof(*st));
	st->ss = ss;
	st->req = req;
	st->cred = *c;
	snprintf(st->user_id, sizeof(st->user_id), "%s", user_id);
	snprintf(st->owner_id, sizeof(st->owner_id), "%s", owner_id);
	st->hs.on_event = sse_stream_on_event;
	st->hs.on_flush = sse_stream_on_flush;
	st->hs.on_idle = sse_stream_on_idle;
	st->hs.on_end = sse_stream_on_end;
	sse_stream_file(st, u);
	evhttp_add_header(h, "Content-Type", "text/event-stream");
	evhttp_add_header(h, "Cache-Control", "no-cache");
	evhttp_add_header(h, "X-Accel-Buffering", "no");
	evhttp_send_reply_start(req, 200, "OK");
	st->chunked = (s = evhttp_find_header(h, "Transfer-Encoding")) != NULL &&
	    strcmp(s, "chunked") == 0;
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
	    sse_stream_on_client_close, st);
	/* May deliver stored events and even end the response before it returns. */
	if (hub_subscribe(ss->hubs, exec_id, last_id, &st->hs) == -1) {
		log_warn(LOG_IDS(NULL, exec_id), "event store unavailable");
		sse_stream_on_end(&st->hs, "event store unavailable");
	}
	return 0;
}

void
sse_streams_check(struct sse_streams *ss, const char *user_id, const struct user_state *st)
{
	struct sse_user		*u = strmap_get(ss->users, user_id);
	struct sse_stream	*s, *next;

	for (s = u != NULL ? u->head : NULL; s != NULL; s = next) {
		next = s->unext;
		if (sse_may_watch(&s->cred, s->user_id, st, s->owner_id) == 0)
			continue;
		log_info(NULL, "event stream of user %s ended: access revoked",
		    user_id);
		hub_unsubscribe(&s->hs);
		sse_stream_comment(s, ": access revoked\n\n");
		sse_stream_on_end(&s->hs, NULL);
	}
}

int
sse_streams_has(const struct sse_streams *ss, const char *user_id)
{
	return strmap_get(ss->users, user_id) != NULL;
}

/* strmap_each adapter: the user of one list. */
struct sse_streams_each {
	void	(*fn)(const char *user_id, void *arg);
	void	*arg;
};

static void
sse_streams_each_one(const char *key, void *val, void *arg)
{
	struct sse_streams_each	*e = arg;

	(void)val;
	e->fn(key, e->arg);
}

void
sse_streams_each_user(const struct sse_streams *ss, void (*fn)(const char *user_id,
    void *arg), void *arg)
{
	struct sse_streams_each	 e = { fn, arg };

	strmap_each(ss->users, sse_streams_each_one, &e);
}
