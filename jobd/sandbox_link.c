/* sandbox_link.c: one helper's link in a worker's sandbox pool (see sandbox_int.h): batched
 * writes, answers in order, the running request's deadline, the helper's notice that a
 * request is slow (what waits behind it moves, ghosts absorb what it still owes), and its
 * end: killed, died, or retired, then reaped. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/uio.h>

#include <event2/event.h>

#include "buf.h"
#include "jsonh.h"
#include "log.h"
#include "sandbox/proto.h"
#include "sandbox_int.h"
#include "sandbox_proc.h"
#include "xalloc.h"

#define SBX_IOV		64	/* frames per sendmsg */
#define SBX_MIN_RUN_MS	100	/* a request that waited past its deadline may still run
				 * this long before its helper is killed */
#define SBX_READ	(64u << 10)

static void	sbx_link_read(struct sbx_link *l);

/* A ghost of "r" (written to a helper, at least in part): same id, no callback; it keeps the
 * frame when "partial", to finish writing it. */
static struct sandbox_req *
sbx_ghost(struct sandbox_req *r, int partial)
{
	struct sandbox_req	*g;

	g = xcalloc(1, sizeof(*g));
	g->pool = r->pool;
	g->link = r->link;
	g->id = r->id;
	g->nitems = r->nitems;
	g->limit_ms = r->limit_ms;
	g->queued = g->cancelled = g->ghost = 1;
	buf_init(&g->frame);
	if (partial)
		buf_append(&g->frame, r->frame.data, r->frame.len);
	return g;
}

/* Moves every request of "l"'s fifo after "keep" (or all when NULL) to the front of the pool's
 * queue, in order. "died": the helper is gone (see sbx_req_requeue; ghosts go too).
 * Otherwise the helper lives on: a request written to it (wholly or in part) leaves a ghost
 * in its place, as its answer will come. */
static void
sbx_link_requeue(struct sbx_link *l, struct sandbox_req *keep, int died)
{
	struct sandbox_pool	*p = l->pool;
	struct sbx_reqs		 moved;
	struct sandbox_req	*r, *next, *g;
	int			 acting = keep == NULL, past = 0, written;

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
		g = !died && written ? sbx_ghost(r, r == l->unsent) : NULL;
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
}

/* ---------------------------------------------------------------- writing */

/* Writes what "l" has not written yet, many frames per call. */
void
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
void
sbx_link_head_started(struct sbx_link *l)
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
	sbx_link_requeue(l, h, 0);
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
	arr = jsonh_new_array_ext(want);
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
	} else
		res = sbx_results(f, r->nitems, err, sizeof(err));
	TAILQ_REMOVE(&l->fifo, r, entry);
	l->nfifo--;
	r->link = NULL;
	if (l->state == SBX_BUSY) {	/* its slow request ended: it is deprioritised */
		l->state = SBX_RETIRING;
		l->pool->st.retired++;
	}
	sbx_link_head_started(l);
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
		if (n > 0)
			buf_append(&l->in, chunk, (size_t)n);
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
void
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

void
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
struct sbx_link *
sbx_link_spawn(struct sandbox_pool *p, char *err, size_t errlen)
{
	struct sbx_link	*l;

	l = xcalloc(1, sizeof(*l));
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
		snprintf(err, errlen, "cannot make the helper's events");
		sbxproc_kill(&l->proc);
		while (sbxproc_reap(&l->proc, &(int){ 0 }) == 0)
			usleep(1000);
		sbx_link_free(l);
		return NULL;
	}
	return l;
}

