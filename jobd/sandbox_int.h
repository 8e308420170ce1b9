/* sandbox_int.h: what the two halves of the sandbox pool share, for them only: jobd/sandbox.c
 * (requests, routing, the API of sandbox.h) and jobd/sandbox_link.c (one helper's link:
 * writing, answers, deadlines, slowness, its end). */
#ifndef FRAGENT_SANDBOX_INT_H
#define FRAGENT_SANDBOX_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sys/queue.h>

#include <json-c/json.h>

#include "buf.h"
#include "sandbox.h"
#include "sandbox_proc.h"

struct event;
struct event_base;

TAILQ_HEAD(sbx_reqs, sandbox_req);

enum sbx_state {
	SBX_LIVE,	/* takes requests */
	SBX_BUSY,	/* its request is slow (it said so): takes none, replaced once idle */
	SBX_RETIRING,	/* asked to be replaced: takes none, closed once idle */
	SBX_DEAD,	/* killed or closed: waits to be reaped */
};

struct sandbox_req {
	struct sandbox_pool	*pool;
	struct sbx_link		*link;		/* the helper it was sent to, NULL while queued */
	TAILQ_ENTRY(sandbox_req) entry;		/* in the pool's queue or its helper's fifo */
	struct buf		 frame;		/* the whole request, kept to send it again */
	uint32_t		 id;
	uint16_t		 nitems;
	long			 limit_ms;
	long long		 deadline_ms;	/* submitted + limit_ms (CLOCK_MONOTONIC) */
	int			 resends;
	int			 queued;	/* submitted */
	int			 cancelled;	/* in a helper: its answer is dropped */
	int			 ghost;		/* stands in a helper's fifo for a request written
					 * to it and moved to another: absorbs the answer */
	int			 moved;		/* it waited behind a slow request: it goes to a
					 * fresh helper with the others moved with it */
	json_object		*ctx;		/* while items are added: for sandbox_plain */
	json_object		*plain;		/* the answer while every item added was
						 * answered by sandbox_plain: no helper needed */
	size_t			 plain_room;	/* what that answer may still hold */
	sandbox_done_fn		 done;
	void			*arg;
};

struct sbx_link {
	struct sandbox_pool	*pool;
	TAILQ_ENTRY(sbx_link)	 entry;
	struct sbxproc		 proc;
	enum sbx_state		 state;
	struct sbx_reqs		 fifo;		/* sent or to send, in order: the head runs */
	size_t			 nfifo;
	struct sandbox_req	*unsent;	/* first request not wholly written */
	size_t			 unsent_off;
	struct buf		 in;		/* answer bytes read */
	struct event		*rd, *wr, *reap, *deadline;
	long			 reap_ms;	/* the next wait to reap it */
	long long		 idle_since;	/* ms, while its fifo is empty */
	int			 retire;	/* it asked to be replaced */
};

struct sandbox_pool {
	struct event_base	*base;
	struct sandbox_conf	 conf;
	char			*bin;
	long			 cpu_s;
	TAILQ_HEAD(, sbx_link)	 links;
	struct sbx_reqs		 queue;
	struct sbx_reqs		 spare;		/* freed requests, reused: no allocation per
						 * request once warm */
	int			 nspare;
	struct event		*dispatch;
	struct event		*tick;
	struct event		*qtimer;	/* requests waiting for a helper: deadlines */
	uint32_t		 next_id;
	size_t			 backlog;	/* submitted, not ended */
	void			(*drained)(void *);
	void			*drained_arg;
	struct sandbox_stats	 st;
};

/* sandbox.c */

/* Milliseconds of CLOCK_MONOTONIC. */
long long	 sbx_now_ms(void);
/* Arms timer "ev" for "ms" milliseconds. */
void		 sbx_timer_add(struct event *ev, long ms);
/* Frees "r" (in no list), or keeps it and its buffer for the next request. */
void		 sbx_req_free(struct sandbox_req *r);
/* Ends "r" (in no list): its callback gets "results" (handed over) or "err" unless it was
 * cancelled; then it is freed. */
void		 sbx_req_finish(struct sandbox_req *r, json_object *results, const char *err);
/* Appends "r" to "front" (to go back to the pool's queue), or frees a cancelled one. A
 * request whose helper died ("died") counts a re-send, and fails when its helpers died too
 * often. */
void		 sbx_req_requeue(struct sandbox_req *r, struct sbx_reqs *front, int died);
/* Has the pool hand its queue to helpers at the end of this loop turn. */
void		 sbx_dispatch_later(struct sandbox_pool *p);

/* sandbox_link.c */

/* Starts a helper for "p" with its events. Returns it, or NULL with "err". */
struct sbx_link	*sbx_link_spawn(struct sandbox_pool *p, char *err, size_t errlen);
/* Frees "l" (its helper reaped) and the requests left in its fifo; NULL-safe. */
void		 sbx_link_free(struct sbx_link *l);
/* Stops "l" at once (SIGKILL). Its running request fails with "why" (NULL: it was
 * cancelled or done); the rest goes back to the queue. "l" is freed once reaped. */
void		 sbx_link_kill(struct sbx_link *l, const char *why);
/* Writes what "l" has not written yet, many frames per call. */
void		 sbx_link_write(struct sbx_link *l);
/* The head of "l" changed (or it went idle): arms the deadline of the new head. */
void		 sbx_link_head_started(struct sbx_link *l);

#endif
