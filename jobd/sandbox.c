/* sandbox.c: a worker's pool of sandbox helpers (see sandbox.h): the queue, routing to
 * helpers, batched writes, answers, time limits, deprioritising, deaths and re-sends. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <event2/event.h>

#include "buf.h"
#include "jsonh.h"
#include "log.h"
#include "sandbox.h"
#include "sandbox/proto.h"
#include "sandbox_proc.h"

#define SBX_PROBE_MS	5000	/* the first helper's answer to its probe */
#define SBX_MAX_RESENDS	3	/* a request whose helpers keep dying fails after this */
#define SBX_IDLE_MS	10000	/* a helper beyond the first, idle this long, is closed */
#define SBX_IOV		64	/* frames per writev */
#define SBX_MIN_RUN_MS	100	/* a request that waited past its deadline may still run
				 * this long before its helper is killed */
#define SBX_QUEUE_MS	100	/* how often requests waiting for a helper are checked
				 * against their deadline */
#define SBX_READ	(64u << 10)
#define SBX_SPARE	256	/* freed requests kept for reuse, with their buffers */
#define SBX_SPARE_BYTES	(64u << 10)	/* the largest frame buffer kept */

TAILQ_HEAD(sbx_reqs, sandbox_req);

enum sbx_state {
	SBX_LIVE,	/* takes requests */
	SBX_BUSY,	/* its request is slow (it said so): takes none, replaced once idle */
	SBX_RETIRING,	/* asked to be replaced: takes none, closed once idle */
	SBX_DEAD,	/* killed or closed: waits to be reaped */
};

struct sbx_link;

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

static void	sbx_link_kill(struct sbx_link *l, const char *why);
static void	sbx_link_read(struct sbx_link *l);
static void	sbx_link_free(struct sbx_link *l);
static struct sbx_link *sbx_link_spawn(struct sandbox_pool *p, char *err, size_t errlen);

static long long
sbx_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sbx_timer_add(struct event *ev, long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(ev, &tv);
}

/* ---------------------------------------------------------------- requests */

/* Frees "r", or keeps it (and its frame's storage) for the next request. */
static void
sbx_req_free(struct sandbox_req *r)
{
	struct sandbox_pool	*p = r->pool;
	struct buf		 frame = r->frame;

	if (p != NULL && p->nspare < SBX_SPARE && frame.cap <= SBX_SPARE_BYTES) {
		buf_reset(&frame);
		memset(r, 0, sizeof(*r));
		r->pool = p;
		r->frame = frame;
		TAILQ_INSERT_HEAD(&p->spare, r, entry);
		p->nspare++;
		return;
	}
	buf_clear(&r->frame);
	free(r);
}

/* A submitted request ended (answered, failed or cancelled). */
static void
sbx_req_ended(struct sandbox_pool *p)
{
	if (p->backlog > 0 && --p->backlog == SANDBOX_BACKLOG - 1 && p->drained != NULL)
		p->drained(p->drained_arg);
}

/* Ends "r" (out of every list) with "results" (handed over) or "err", then frees it. */
static void
sbx_req_finish(struct sandbox_req *r, json_object *results, const char *err)
{
	struct sandbox_pool	*p = r->pool;
	int			 counted = !r->cancelled && r->done != NULL;

	if (counted)
		r->done(r->arg, results, err);
	else
		json_object_put(results);
	sbx_req_free(r);
	if (counted)
		sbx_req_ended(p);	/* a cancelled one counted when it was cancelled */
}

/* Appends "r" to "front" (to go back to the queue), or frees a cancelled one. A request
 * whose helper died ("died") counts a re-send, and fails when its helpers died too often. */
static void
sbx_req_requeue(struct sandbox_req *r, struct sbx_reqs *front, int died)
{
	struct sandbox_pool	*p = r->pool;

	r->link = NULL;
	if (r->cancelled) {
		sbx_req_free(r);
		return;
	}
	if (died && ++r->resends > SBX_MAX_RESENDS) {
		sbx_req_finish(r, NULL, "the expression sandbox failed repeatedly");
		return;
	}
	if (died)
		p->st.resent++;
	r->moved = 1;
	TAILQ_INSERT_TAIL(front, r, entry);
}

static void
sbx_dispatch_later(struct sandbox_pool *p)
{
	event_active(p->dispatch, EV_TIMEOUT, 1);
}

/* A ghost of "r" (written to a helper, at least in part): same id, no callback; it keeps the
 * frame when "partial", to finish writing it. Returns it, or NULL when out of memory. */
static struct sandbox_req *
sbx_ghost(struct sandbox_req *r, int partial)
{
	struct sandbox_req	*g;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->pool = r->pool;
	g->link = r->link;
	g->id = r->id;
	g->nitems = r->nitems;
	g->limit_ms = r->limit_ms;
	g->queued = g->cancelled = g->ghost = 1;
	buf_init(&g->frame);
	if (partial && buf_append(&g->frame, r->frame.data, r->frame.len) == -1) {
		free(g);
		return NULL;
	}
	return g;
}

/* Moves every request of "l"'s fifo after "keep" (or all when NULL) to the front of the pool's
 * queue, in order. "died": the helper is gone (see sbx_req_requeue; ghosts go too).
 * Otherwise the helper lives on: a request written to it (wholly or in part) leaves a ghost
 * in its place, as its answer will come; returns -1 when out of memory for one (the helper
 * must then go too). */
static int
sbx_link_requeue(struct sbx_link *l, struct sandbox_req *keep, int died)
{
	struct sandbox_pool	*p = l->pool;
	struct sbx_reqs		 moved;
	struct sandbox_req	*r, *next, *g;
	int			 acting = keep == NULL, past = 0, written, rc = 0;

	TAILQ_INIT(&moved);
	for (r = TAILQ_FIRST(&l->fifo); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		written = r == l->unsent ? l->unsent_off > 0 : !past && l->unsent != NULL;
		if (l->unsent == NULL)
			written = 1;
		if (r == l->unsent)
			past = 1;
		if (!acting) {
			acting = r == keep;
			continue;
		}
		if (r->ghost && !died)
			continue;
		g = NULL;
		if (!died && written && (g = sbx_ghost(r, r == l->unsent)) == NULL)
			rc = -1;
		if (g != NULL)
			TAILQ_INSERT_BEFORE(r, g, entry);
		else
			l->nfifo--;
		if (l->unsent == r)
			l->unsent = g != NULL ? g : next;
		TAILQ_REMOVE(&l->fifo, r, entry);
		sbx_req_requeue(r, &moved, died);
	}
	if (died || l->unsent == NULL) {
		l->unsent = NULL;
		l->unsent_off = 0;
		event_del(l->wr);
	}
	while ((r = TAILQ_LAST(&moved, sbx_reqs)) != NULL) {
		TAILQ_REMOVE(&moved, r, entry);
		TAILQ_INSERT_HEAD(&p->queue, r, entry);
	}
	if (!TAILQ_EMPTY(&p->queue))
		sbx_dispatch_later(p);
	return rc;
}

/* ---------------------------------------------------------------- writing */

/* Writes what "l" has not written yet, many frames per call. */
static void
sbx_link_write(struct sbx_link *l)
{
	struct iovec		 iov[SBX_IOV];
	struct msghdr		 mh;
	struct sandbox_req	*r;
	size_t			 off;
	ssize_t			 n;
	int			 k;

	while (l->unsent != NULL && l->state != SBX_DEAD) {
		off = l->unsent_off;
		for (k = 0, r = l->unsent; r != NULL && k < SBX_IOV; r = TAILQ_NEXT(r, entry), k++) {
			iov[k].iov_base = r->frame.data + off;
			iov[k].iov_len = r->frame.len - off;
			off = 0;
		}
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = (size_t)k;
		if ((n = sendmsg(l->proc.fd, &mh, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				event_add(l->wr, NULL);
			return;		/* other errors: the helper died; its exit tells why */
		}
		for (r = l->unsent; r != NULL && n > 0; r = l->unsent) {
			if ((size_t)n < r->frame.len - l->unsent_off) {
				l->unsent_off += (size_t)n;
				break;
			}
			n -= (ssize_t)(r->frame.len - l->unsent_off);
			l->unsent = TAILQ_NEXT(r, entry);
			l->unsent_off = 0;
		}
	}
	if (l->unsent == NULL)
		event_del(l->wr);
}

static void
sbx_on_writable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sbx_link_write(arg);
}

/* ---------------------------------------------------------------- the running request */

/* The head of "l" started: arms its deadline. */
static void
sbx_head_started(struct sbx_link *l)
{
	struct sandbox_req	*h = TAILQ_FIRST(&l->fifo);
	long long		 left;

	evtimer_del(l->deadline);
	if (h == NULL) {
		l->idle_since = sbx_now_ms();
		return;
	}
	left = h->deadline_ms - sbx_now_ms();
	sbx_timer_add(l->deadline, left > SBX_MIN_RUN_MS ? left : SBX_MIN_RUN_MS);
}

static void
sbx_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct sbx_link		*l = arg;
	struct sandbox_req	*h = TAILQ_FIRST(&l->fifo);
	char			 msg[96];

	(void)fd;
	(void)what;
	sbx_link_read(l);	/* an answer may wait in the socket, unread: the loop was busy */
	if (l->state == SBX_DEAD || TAILQ_FIRST(&l->fifo) != h || h == NULL)
		return;
	snprintf(msg, sizeof(msg), "expression exceeded its time limit (%ld ms)", h->limit_ms);
	l->pool->st.timeouts++;
	sbx_link_kill(l, msg);
}

/* The helper of "l" says request "id" is slow (it used the slow threshold of CPU time
 * evaluating, and set itself to SCHED_IDLE): what waits behind it goes to another helper,
 * and this one is replaced once it answered. A cancelled request's helper goes at once. */
static void
sbx_link_slow(struct sbx_link *l, uint32_t id)
{
	struct sandbox_req	*h = TAILQ_FIRST(&l->fifo);

	if (h == NULL || h->id != id || l->state == SBX_DEAD)
		return;		/* it answered meanwhile */
	if (h->cancelled) {
		sbx_link_kill(l, NULL);		/* nobody waits for it */
		return;
	}
	if (l->state == SBX_LIVE)
		l->state = SBX_BUSY;
	l->retire = 1;
	l->pool->st.slow++;
	if (sbx_link_requeue(l, h, 0) == -1)
		sbx_link_kill(l, NULL);		/* its stream can no longer be followed */
}

/* ---------------------------------------------------------------- answers */

/* Decodes OK frame "f" into a new JSON array, or NULL with "err". */
static json_object *
sbx_results(const struct sbx_frame *f, uint16_t want, char *err, size_t errlen)
{
	struct sbx_slice	 s;
	json_object		*arr, *v;
	uint32_t		 off = 0;
	uint16_t		 i;

	if (f->count != want || sbx_ok_parse(f) == -1) {
		snprintf(err, errlen, "the sandbox answered a malformed result");
		return NULL;
	}
	arr = json_object_new_array_ext(want);
	for (i = 0; i < f->count; i++) {
		(void)sbx_next_slice(f, &off, &s);
		if (jsonh_parse((const char *)s.p, s.len, &v, err, errlen) == -1) {
			json_object_put(arr);
			return NULL;
		}
		json_object_array_add(arr, v);
	}
	return arr;
}

/* Handles one answer of "l". Returns 0, or -1 when it is not the answer to the head. */
static int
sbx_link_answer(struct sbx_link *l, const struct sbx_frame *f)
{
	struct sandbox_req	*r = TAILQ_FIRST(&l->fifo);
	struct sbx_slice	 msg;
	json_object		*res = NULL;
	char			 err[SBX_MAX_ERROR + 1];
	uint16_t		 item;

	if (r == NULL || r->id != f->id || (l->unsent == r && l->unsent_off < r->frame.len))
		return -1;
	if (f->flags & SBX_FLAG_RETIRE)
		l->retire = 1;
	err[0] = '\0';
	if (r->cancelled)
		;		/* a ghost's or a dropped request's answer */
	else if (f->op == SBX_OP_ERR) {
		if (sbx_err_parse(f, &item, &msg) == -1)
			return -1;
		snprintf(err, sizeof(err), "%.*s", (int)msg.len, (const char *)msg.p);
	} else if ((res = sbx_results(f, r->nitems, err, sizeof(err))) == NULL && err[0] == '\0')
		snprintf(err, sizeof(err), "out of memory");
	TAILQ_REMOVE(&l->fifo, r, entry);
	l->nfifo--;
	r->link = NULL;
	if (l->state == SBX_BUSY) {	/* its slow request ended: it is deprioritised */
		l->state = SBX_RETIRING;
		l->pool->st.retired++;
	}
	sbx_head_started(l);
	sbx_req_finish(r, res, res == NULL ? err : NULL);
	return 0;
}

/* After answers: a helper that asked to retire (or is idle past its use) is closed. */
static void
sbx_link_settle(struct sbx_link *l)
{
	struct sandbox_req	*r;
	int			 ghosts_only = 1;

	if (l->state == SBX_LIVE && l->retire) {
		l->state = SBX_RETIRING;
		l->pool->st.retired++;
		sbx_dispatch_later(l->pool);
	}
	TAILQ_FOREACH(r, &l->fifo, entry)
		ghosts_only = ghosts_only && r->ghost;
	if (l->state == SBX_RETIRING && ghosts_only)
		sbx_link_kill(l, NULL);		/* what it still owes nobody waits for */
}

/* Reads what "l" answered and handles every whole answer. */
static void
sbx_link_read(struct sbx_link *l)
{
	struct sbx_frame	 f;
	char			 chunk[SBX_READ];
	size_t			 used, start = 0;
	ssize_t			 n;
	int			 r;

	while ((n = read(l->proc.fd, chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && buf_append(&l->in, chunk, (size_t)n) == -1)
			break;
	if (n == 0) {
		event_del(l->rd);	/* it ended: its exit status tells why */
		sbx_timer_add(l->reap, 0);
	}
	while (l->state != SBX_DEAD && (r = sbx_frame_parse((const uint8_t *)l->in.data + start,
	    l->in.len - start, SBX_MAX_ANSWER, &f, &used)) != 0) {
		if (r == 1 && f.op == SBX_OP_SLOW)
			sbx_link_slow(l, f.id);
		else if (r == -1 || sbx_link_answer(l, &f) == -1) {
			log_error(NULL, "sandbox helper %ld: malformed answer; killed",
			    (long)l->proc.pid);
			sbx_link_kill(l, "expression crashed the sandbox");
			break;
		}
		start += used;
	}
	if (l->state == SBX_DEAD)
		buf_reset(&l->in);
	else if (start > 0) {
		memmove(l->in.data, l->in.data + start, l->in.len - start);
		l->in.len -= start;
	}
	if (l->state != SBX_DEAD)
		sbx_link_settle(l);
}

static void
sbx_on_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sbx_link_read(arg);
}

/* ---------------------------------------------------------------- helpers' ends */

/* Stops "l" at once (SIGKILL). The head fails with "why" (NULL: it was cancelled or done);
 * the rest goes back to the queue. The link is freed once the helper is reaped. */
static void
sbx_link_kill(struct sbx_link *l, const char *why)
{
	struct sandbox_req	*h;

	if (l->state == SBX_DEAD)
		return;
	l->state = SBX_DEAD;
	sbxproc_kill(&l->proc);
	sbx_timer_add(l->reap, 0);
	event_del(l->rd);
	event_del(l->wr);
	evtimer_del(l->deadline);
	h = TAILQ_FIRST(&l->fifo);
	if (h != NULL && why != NULL) {
		TAILQ_REMOVE(&l->fifo, h, entry);
		l->nfifo--;
		h->link = NULL;
	} else
		h = NULL;
	sbx_link_requeue(l, NULL, 1);
	if (h != NULL)
		sbx_req_finish(h, NULL, why);
}

/* The helper of "l" ended (its socket closed) or was killed: reap it, fail its request if it
 * died on its own, free it. */
static void
sbx_on_exit(evutil_socket_t fd, short what, void *arg)
{
	struct sbx_link		*l = arg;
	struct sandbox_pool	*p = l->pool;
	pid_t			 pid = l->proc.pid;
	char			 msg[160];
	int			 status = 0;

	(void)fd;
	(void)what;
	if (sbxproc_reap(&l->proc, &status) == 0) {
		/* Its descriptors closed before it became reapable. */
		l->reap_ms = l->reap_ms == 0 ? 1 : l->reap_ms < 64 ? l->reap_ms * 2 : 64;
		sbx_timer_add(l->reap, l->reap_ms);
		return;
	}
	if (l->state != SBX_DEAD) {
		sbx_link_read(l);		/* the answers it wrote before it ended */
		if (l->state != SBX_DEAD && !TAILQ_EMPTY(&l->fifo)) {
			sbxproc_death(status, p->conf.memory_mb, TAILQ_FIRST(&l->fifo)->limit_ms,
			    msg, sizeof(msg));
			log_warn(NULL, "sandbox helper %ld ended (status 0x%x): %s", (long)pid,
			    (unsigned)status, msg);
			p->st.deaths++;
			sbx_link_kill(l, msg);
		}
	}
	sbx_link_free(l);
	if (TAILQ_EMPTY(&p->links) || !TAILQ_EMPTY(&p->queue))
		sbx_dispatch_later(p);
}

static void
sbx_link_free(struct sbx_link *l)
{
	struct sandbox_req	*r;

	if (l == NULL)
		return;
	while ((r = TAILQ_FIRST(&l->fifo)) != NULL) {
		TAILQ_REMOVE(&l->fifo, r, entry);
		sbx_req_free(r);
	}
	TAILQ_REMOVE(&l->pool->links, l, entry);
	l->pool->st.helpers--;
	if (l->rd != NULL)
		event_free(l->rd);
	if (l->wr != NULL)
		event_free(l->wr);
	if (l->reap != NULL)
		event_free(l->reap);
	if (l->deadline != NULL)
		event_free(l->deadline);
	sbxproc_close(&l->proc);
	buf_clear(&l->in);
	free(l);
}

/* Starts a helper and its events. Returns it, or NULL with "err". */
static struct sbx_link *
sbx_link_spawn(struct sandbox_pool *p, char *err, size_t errlen)
{
	struct sbx_link	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->pool = p;
	TAILQ_INIT(&l->fifo);
	buf_init(&l->in);
	if (sbxproc_spawn(p->bin, p->conf.memory_mb, p->cpu_s, p->conf.slow_ms, &l->proc, err,
	    errlen) == -1) {
		free(l);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&p->links, l, entry);
	p->st.helpers++;
	p->st.spawned++;
	p->st.last_pid = l->proc.pid;
	l->idle_since = sbx_now_ms();
	if ((l->rd = event_new(p->base, l->proc.fd, EV_READ | EV_PERSIST, sbx_on_readable,
	    l)) == NULL ||
	    (l->wr = event_new(p->base, l->proc.fd, EV_WRITE, sbx_on_writable, l)) == NULL ||
	    (l->reap = evtimer_new(p->base, sbx_on_exit, l)) == NULL ||
	    (l->deadline = evtimer_new(p->base, sbx_on_deadline, l)) == NULL ||
	    event_add(l->rd, NULL) != 0) {
		snprintf(err, errlen, "out of memory");
		sbxproc_kill(&l->proc);
		while (sbxproc_reap(&l->proc, &(int){ 0 }) == 0)
			usleep(1000);
		sbx_link_free(l);
		return NULL;
	}
	return l;
}

/* ---------------------------------------------------------------- routing */

static int
sbx_nlinks(struct sandbox_pool *p)
{
	struct sbx_link	*l;
	int		 n = 0;

	TAILQ_FOREACH(l, &p->links, entry)
		n++;
	return n;
}

/* Where "r" goes: the first live helper (one helper does the work while nothing is slow:
 * its compiled programs are all in one place); a request moved off a slow helper goes to
 * "*moved_to", the helper chosen for the moved ones of this round: an idle one, else none
 * (the caller starts one when the pool may grow), else the least loaded. NULL: start one. */
static struct sbx_link *
sbx_pick(struct sandbox_pool *p, const struct sandbox_req *r, struct sbx_link *moved_to)
{
	struct sbx_link	*l, *first = NULL, *idle = NULL, *least = NULL;

	if (r->moved && moved_to != NULL && moved_to->state == SBX_LIVE)
		return moved_to;
	TAILQ_FOREACH(l, &p->links, entry) {
		if (l->state != SBX_LIVE)
			continue;
		if (first == NULL)
			first = l;
		if (idle == NULL && l->nfifo == 0)
			idle = l;
		if (least == NULL || l->nfifo < least->nfifo)
			least = l;
	}
	if (!r->moved)
		return first;
	if (idle != NULL || sbx_nlinks(p) < p->conf.max_helpers)
		return idle;
	return least;
}

/* Fails every queued request with "why". */
static void
sbx_fail_queue(struct sandbox_pool *p, const char *why)
{
	struct sbx_reqs		 failed;
	struct sandbox_req	*r;

	TAILQ_INIT(&failed);
	TAILQ_CONCAT(&failed, &p->queue, entry);
	while ((r = TAILQ_FIRST(&failed)) != NULL) {
		TAILQ_REMOVE(&failed, r, entry);
		sbx_req_finish(r, NULL, why);
	}
}

/* Hands queued requests to helpers (starting one when none takes requests and the pool may
 * grow), then writes to every helper at once: the requests of a loop turn go out together. */
static void
sbx_on_dispatch(evutil_socket_t fd, short what, void *arg)
{
	struct sandbox_pool	*p = arg;
	struct sandbox_req	*r;
	struct sbx_link		*l, *moved_to = NULL;
	char			 err[256], why[320];

	(void)fd;
	(void)what;
	while ((r = TAILQ_FIRST(&p->queue)) != NULL) {
		if ((l = sbx_pick(p, r, moved_to)) == NULL) {
			if (sbx_nlinks(p) >= p->conf.max_helpers)
				break;		/* waits for a helper */
			if ((l = sbx_link_spawn(p, err, sizeof(err))) == NULL) {
				log_error(NULL, "sandbox: %s", err);
				snprintf(why, sizeof(why), "the expression sandbox is unavailable: %s",
				    err);
				sbx_fail_queue(p, why);
				break;
			}
		}
		TAILQ_REMOVE(&p->queue, r, entry);
		TAILQ_INSERT_TAIL(&l->fifo, r, entry);
		r->link = l;
		if (r->moved)
			moved_to = l;
		if (l->unsent == NULL) {
			l->unsent = r;
			l->unsent_off = 0;
		}
		if (++l->nfifo == 1)
			sbx_head_started(l);
	}
	TAILQ_FOREACH(l, &p->links, entry)
		if (l->unsent != NULL)
			sbx_link_write(l);
	if (TAILQ_EMPTY(&p->links) && (l = sbx_link_spawn(p, err, sizeof(err))) == NULL)
		log_error(NULL, "sandbox: %s", err);	/* keep one helper ready */
	if (!TAILQ_EMPTY(&p->queue) && !evtimer_pending(p->qtimer, NULL))
		sbx_timer_add(p->qtimer, SBX_QUEUE_MS);
}

/* Every helper is taken: requests waiting past their deadline fail, the others wait on. */
static void
sbx_on_queue_timer(evutil_socket_t fd, short what, void *arg)
{
	struct sandbox_pool	*p = arg;
	struct sbx_reqs		 late;
	struct sandbox_req	*r, *next;
	long long		 now = sbx_now_ms();
	char			 msg[128];

	(void)fd;
	(void)what;
	TAILQ_INIT(&late);
	for (r = TAILQ_FIRST(&p->queue); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (r->deadline_ms <= now) {
			TAILQ_REMOVE(&p->queue, r, entry);
			TAILQ_INSERT_TAIL(&late, r, entry);
		}
	}
	while ((r = TAILQ_FIRST(&late)) != NULL) {
		TAILQ_REMOVE(&late, r, entry);
		snprintf(msg, sizeof(msg), "expression exceeded its time limit (%ld ms) waiting "
		    "for a sandbox helper", r->limit_ms);
		sbx_req_finish(r, NULL, msg);
	}
	sbx_dispatch_later(p);
}

/* Every second: a helper beyond the first that stayed idle long enough is closed. */
static void
sbx_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct sandbox_pool	*p = arg;
	struct sbx_link		*l;
	long long		 now = sbx_now_ms();
	int			 live = 0;

	(void)fd;
	(void)what;
	TAILQ_FOREACH(l, &p->links, entry)
		if (l->state == SBX_LIVE)
			live++;
	if (live <= 1)
		return;
	TAILQ_FOREACH(l, &p->links, entry)
		if (l->state == SBX_LIVE && l->nfifo == 0 && now - l->idle_since > SBX_IDLE_MS) {
			p->st.retired++;
			sbx_link_kill(l, NULL);
			return;		/* one per tick */
		}
}

/* ---------------------------------------------------------------- API */

struct sandbox_pool *
sandbox_pool_new(struct event_base *base, const struct sandbox_conf *conf, char *err,
    size_t errlen)
{
	struct sandbox_pool	*p;
	struct sbx_link		*l;
	struct timeval		 sec = { 1, 0 };

	if ((p = calloc(1, sizeof(*p))) == NULL || (p->bin = strdup(conf->bin)) == NULL) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->base = base;
	p->conf = *conf;
	p->conf.bin = p->bin;
	if (p->conf.max_helpers < 1)
		p->conf.max_helpers = 1;
	/* RLIMIT_CPU: room for half of it spent before retiring plus one request at its limit. */
	p->cpu_s = conf->cpu_s > 0 ? conf->cpu_s : 60 + 2 * ((p->conf.limit_ms + 999) / 1000);
	p->next_id = 2;		/* 1 is the first helper's probe; 0 is never used */
	TAILQ_INIT(&p->links);
	TAILQ_INIT(&p->queue);
	TAILQ_INIT(&p->spare);
	if ((p->dispatch = event_new(base, -1, 0, sbx_on_dispatch, p)) == NULL ||
	    (p->qtimer = evtimer_new(base, sbx_on_queue_timer, p)) == NULL ||
	    (p->tick = event_new(base, -1, EV_PERSIST, sbx_on_tick, p)) == NULL ||
	    event_add(p->tick, &sec) != 0) {
		snprintf(err, errlen, "out of memory");
		sandbox_pool_free(p);
		return NULL;
	}
	if ((l = sbx_link_spawn(p, err, errlen)) == NULL ||
	    sbxproc_check(&l->proc, SBX_PROBE_MS, err, errlen) == -1) {
		sandbox_pool_free(p);
		return NULL;
	}
	return p;
}

void
sandbox_pool_free(struct sandbox_pool *p)
{
	struct sbx_link		*l;
	struct sandbox_req	*r;

	if (p == NULL)
		return;
	while ((l = TAILQ_FIRST(&p->links)) != NULL) {
		sbxproc_kill(&l->proc);
		while (sbxproc_reap(&l->proc, &(int){ 0 }) == 0)
			usleep(1000);
		sbx_link_free(l);
	}
	while ((r = TAILQ_FIRST(&p->queue)) != NULL) {
		TAILQ_REMOVE(&p->queue, r, entry);
		sbx_req_free(r);
	}
	while ((r = TAILQ_FIRST(&p->spare)) != NULL) {
		TAILQ_REMOVE(&p->spare, r, entry);
		buf_clear(&r->frame);
		free(r);
	}
	if (p->dispatch != NULL)
		event_free(p->dispatch);
	if (p->tick != NULL)
		event_free(p->tick);
	if (p->qtimer != NULL)
		event_free(p->qtimer);
	free(p->bin);
	free(p);
}

long
sandbox_timeout_ms(const struct sandbox_pool *p, long timeout_ms)
{
	if (p == NULL || (timeout_ms > 0 && timeout_ms < p->conf.limit_ms))
		return timeout_ms;
	return p->conf.limit_ms;
}

void
sandbox_stats(const struct sandbox_pool *p, struct sandbox_stats *st)
{
	*st = p->st;
}

int
sandbox_backlogged(const struct sandbox_pool *p)
{
	return p != NULL && p->backlog >= SANDBOX_BACKLOG;
}

void
sandbox_on_drained(struct sandbox_pool *p, void (*fn)(void *), void *arg)
{
	p->drained = fn;
	p->drained_arg = arg;
}

/* A new request of operation "op" (header written, id and sizes patched at submission). */
static struct sandbox_req *
sbx_req_alloc(struct sandbox_pool *p, uint8_t op)
{
	struct sandbox_req	*r;

	if ((r = TAILQ_FIRST(&p->spare)) != NULL) {
		TAILQ_REMOVE(&p->spare, r, entry);
		p->nspare--;
	} else if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	else {
		r->pool = p;
		buf_init(&r->frame);
	}
	if (sbx_put_header(&r->frame, 0, 0, op, 0, 0) == -1) {
		sbx_req_free(r);
		return NULL;
	}
	return r;
}

struct sandbox_req *
sandbox_req_new(struct sandbox_pool *p, json_object *ctx, char *err, size_t errlen)
{
	struct sandbox_req	*r;
	size_t			 n;
	const char		*text = jsonh_str_len(ctx, &n);

	if (n > SBX_MAX_REQUEST / 2) {
		snprintf(err, errlen, "the context is larger than %u bytes", SBX_MAX_REQUEST / 2);
		return NULL;
	}
	if ((r = sbx_req_alloc(p, SBX_OP_RUN)) == NULL ||
	    sbx_put_slice(&r->frame, -1, text, (uint32_t)n) == -1) {
		if (r != NULL)
			sbx_req_free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return r;
}

int
sandbox_req_add(struct sandbox_req *r, enum sandbox_kind kind, const char *text, char *err,
    size_t errlen)
{
	size_t	 n = strlen(text);

	if (r->nitems >= SBX_MAX_ITEMS) {
		snprintf(err, errlen, "more than %d expressions in one step", SBX_MAX_ITEMS);
		return -1;
	}
	if (n > SBX_MAX_REQUEST - r->frame.len - 5 - SBX_HEADER) {
		snprintf(err, errlen, "expressions and context larger than %u bytes",
		    SBX_MAX_REQUEST);
		return -1;
	}
	if (sbx_put_slice(&r->frame, kind == SANDBOX_EXPR ? SBX_ITEM_EXPR : SBX_ITEM_TEMPLATE,
	    text, (uint32_t)n) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->nitems++;
	return 0;
}

/* Numbers "r", sets its limit and callback, and queues it for this loop turn's dispatch. */
static void
sbx_req_queue(struct sandbox_req *r, long timeout_ms, sandbox_done_fn done, void *arg)
{
	struct sandbox_pool	*p = r->pool;

	r->id = p->next_id++;
	if (p->next_id == 0)
		p->next_id = 2;
	r->limit_ms = sandbox_timeout_ms(p, timeout_ms);
	r->deadline_ms = sbx_now_ms() + r->limit_ms;
	r->done = done;
	r->arg = arg;
	r->queued = 1;
	p->backlog++;
	sbx_patch_header(&r->frame, 0, (uint32_t)(r->frame.len - SBX_HEADER), r->id,
	    r->nitems);
	TAILQ_INSERT_TAIL(&p->queue, r, entry);
	sbx_dispatch_later(p);
}

void
sandbox_req_submit(struct sandbox_req *r, long timeout_ms, sandbox_done_fn done, void *arg)
{
	sbx_req_queue(r, timeout_ms, done, arg);
}

int
sandbox_probe(struct sandbox_pool *p, sandbox_done_fn done, void *arg)
{
	struct sandbox_req	*r;

	if ((r = sbx_req_alloc(p, SBX_OP_PROBE)) == NULL)
		return -1;
	r->nitems = 1;		/* the answer's one result */
	sbx_req_queue(r, 0, done, arg);
	sbx_patch_header(&r->frame, 0, 0, r->id, 0);
	return 0;
}

/* Takes "r" out of the pool: freed when nothing of it reached a helper, else left to be
 * answered and dropped (a running one, past the slow threshold, kills its helper). */
static void
sbx_req_drop(struct sandbox_req *r)
{
	struct sbx_link	*l = r->link;

	if (l == NULL) {
		TAILQ_REMOVE(&r->pool->queue, r, entry);
		sbx_req_free(r);
		return;
	}
	if (r != TAILQ_FIRST(&l->fifo) && r == l->unsent && l->unsent_off == 0) {
		/* Not written yet: it can simply go. */
		l->unsent = TAILQ_NEXT(r, entry);
		TAILQ_REMOVE(&l->fifo, r, entry);
		l->nfifo--;
		sbx_req_free(r);
		return;
	}
	r->cancelled = 1;
	if (r == TAILQ_FIRST(&l->fifo) && l->state == SBX_BUSY)
		sbx_link_kill(l, NULL);
}

void
sandbox_cancel(struct sandbox_req *r)
{
	struct sandbox_pool	*p;

	if (r == NULL)
		return;
	p = r->pool;
	if (!r->queued)
		sbx_req_free(r);
	else if (!r->cancelled) {
		sbx_req_drop(r);
		sbx_req_ended(p);
	}
}
