/* serve.c: the API process's FastCGI server (see serve.h): serving threads that all wait on
 * one epoll set holding the listening socket, every open connection and a signalfd for
 * SIGTERM/SIGINT. The socket and the connections are armed one-shot: one thread gets each
 * readiness, handles it (accepts, or reads and answers one request) and arms it again, so a
 * request is served by the thread that woke for it, with no hand-over. libfcgi reads a
 * request from a connection we accepted ourselves: each connection has its own FCGX_Request
 * whose ipcFd is the connection and whose listening socket is none (-1), so that
 * FCGX_Accept_r reads the next request of that connection, or fails once nginx closed it,
 * and never accepts. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "apimetrics.h"
#include "db.h"
#include "expr.h"
#include "log.h"
#include "metrics.h"
#include "routes.h"
#include "serve.h"
#include "tracing.h"
#include "xalloc.h"

/* A request slower than this is logged as a warning. */
#define SERVE_SLOW_MS	1000.0
/* Out of descriptors, the thread that found it so waits this long before watching the
 * listening socket again: the connections stay queued meanwhile (nginx waits for them),
 * the open ones are served, and their closing frees descriptors. */
#define SERVE_STARVED_PAUSE_MS	50

/* One FastCGI connection from nginx. */
struct conn {
	FCGX_Request	 req;
	struct conn	*prev, *next;	/* the server's open connections */
};

struct server {
	int		 epfd;
	int		 sigfd;		/* SIGTERM/SIGINT: readable from then on */
	pthread_mutex_t	 lock;		/* over "conns" */
	struct conn	*conns;		/* every open connection, freed at the end */
	bool		 starved;	/* out of descriptors, said once; touched only by the
					 * thread holding the listening socket's readiness */
	atomic_bool	 failed;	/* the listening socket could not be watched again */
};

/* What the epoll set's two fixed members carry instead of a connection. */
static char	 tag_listen, tag_signal;

/* One serving thread. */
struct worker {
	pthread_t	 tid;
	struct server	*srv;
	struct app	 app;
	struct redis_url ru;
};

/* Serves one request read from "f" and logs it as one line: at debug level, since nginx's
 * access log already records every request with the same request id; as a warning when it
 * failed on our side (5xx) or was slow. Returns the request's span for apitrace_push, or
 * NULL. */
static char *
serve_one(FCGX_Request *f, struct app *app)
{
	struct req	 rq;
	struct timespec	 t0, t1;
	double		 ms;
	char		*span;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (req_init(&rq, f, app) == -1)
		resp_problem(&rq, 404, "path too long", NULL);
	else
		router_dispatch(api_routes, api_routes_len, &rq);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	api_metrics_request(&rq, ms);
	log_emit(rq.status >= 500 || ms >= SERVE_SLOW_MS ? LOGL_WARN : LOGL_DEBUG,
	    LOG_IDS(rq.request_id, NULL), "%s %s %d %.2fms", rq.method, rq.path, rq.status, ms);
	span = apitrace_end(&rq);
	req_clear(&rq);
	return span;
}

/* Links "c" into the open connections. */
static void
conn_link(struct server *srv, struct conn *c)
{
	pthread_mutex_lock(&srv->lock);
	c->prev = NULL;
	if ((c->next = srv->conns) != NULL)
		c->next->prev = c;
	srv->conns = c;
	pthread_mutex_unlock(&srv->lock);
}

/* Closes and frees connection "c" (its descriptor leaves the epoll set as it closes). */
static void
conn_close(struct server *srv, struct conn *c)
{
	pthread_mutex_lock(&srv->lock);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&srv->lock);
	FCGX_Free(&c->req, 1);
	free(c);
}

/* Arms descriptor "fd" (carrying "ptr") for its next readiness, one thread only: "op" is
 * EPOLL_CTL_ADD the first time, then EPOLL_CTL_MOD. Returns 0 or -1. */
static int
serve_arm(struct server *srv, int op, int fd, void *ptr)
{
	struct epoll_event	 ev = { .events = EPOLLIN | EPOLLONESHOT, .data.ptr = ptr };

	if (epoll_ctl(srv->epfd, op, fd, &ev) == -1) {
		log_warn(NULL, "FastCGI: cannot watch descriptor %d: %s", fd, strerror(errno));
		return -1;
	}
	return 0;
}

/* Ends the process's serving after "why" (logged): a process that can no longer wait for
 * its socket would never serve again, so every thread stops (SIGTERM to the process, seen
 * on the signal descriptor) and serve_run fails, for the supervisor to start another. */
static void
serve_fail(struct server *srv, const char *why)
{
	log_error(NULL, "FastCGI: %s: stopping", why);
	atomic_store(&srv->failed, true);
	kill(getpid(), SIGTERM);
}

/* Out of descriptors (or kernel memory) for the connection waiting: says so once, then
 * pauses this thread so that watching the socket again does not wake at once for the same
 * connection. */
static void
serve_starved(struct server *srv, int err)
{
	const struct timespec	 pause = { 0, SERVE_STARVED_PAUSE_MS * 1000000L };

	if (!srv->starved)
		log_warn(NULL, "FastCGI accept: %s: new connections wait until open ones close",
		    strerror(err));
	srv->starved = true;
	metrics_inc(M_ACCEPT_PAUSES, 0, 0);
	nanosleep(&pause, NULL);
}

/* Accepts every connection waiting on the (non-blocking) listening socket into the epoll
 * set, then arms the socket again. Another process may have taken them first: then there is
 * none. */
static void
serve_accept(struct server *srv)
{
	struct conn	*c;
	int		 fd, err;

	while ((fd = accept4(STDIN_FILENO, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		srv->starved = false;
		c = xcalloc(1, sizeof(*c));
		FCGX_InitRequest(&c->req, -1, 0);
		c->req.ipcFd = fd;
		/* FCGX_Accept_r first finishes the request before: "kept" leaves it open. */
		c->req.keepConnection = 1;
		conn_link(srv, c);
		if (serve_arm(srv, EPOLL_CTL_ADD, fd, c) == -1)
			conn_close(srv, c);
	}
	err = errno;
	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM)
		serve_starved(srv, err);
	else if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR && err != ECONNABORTED)
		log_warn(NULL, "FastCGI accept: %s", strerror(err));
	if (serve_arm(srv, EPOLL_CTL_MOD, STDIN_FILENO, &tag_listen) == -1)
		serve_fail(srv, "the listening socket cannot be watched again");
}

/* Reads and answers the request waiting on "c", then arms it again while nginx keeps it. */
static void
serve_conn(struct worker *w, struct conn *c)
{
	char	*span;

	/* Fails (and closes) when nginx closed the connection: never accepts (-1). */
	if (FCGX_Accept_r(&c->req) < 0) {
		conn_close(w->srv, c);
		return;
	}
	span = serve_one(&c->req, &w->app);
	FCGX_Finish_r(&c->req);		/* closes unless nginx keeps the connection */
	apitrace_push(&w->app, span);	/* the client has its answer already */
	if (c->req.ipcFd < 0 || serve_arm(w->srv, EPOLL_CTL_MOD, c->req.ipcFd, c) == -1)
		conn_close(w->srv, c);
}

/* A serving thread: waits on the epoll set and handles what it is given, until the signalfd
 * turns readable (it stays so, and is armed for every thread: each sees it and ends after
 * the request in its hands). */
static void *
serve_worker(void *arg)
{
	struct worker		*w = arg;
	struct epoll_event	 ev;
	char			 why[128];
	int			 n;

	w->app.db = db_new(config_get(&w->app.cfg, CONFIG_DATABASE_URL));
	w->app.redis = redis_conn_new(&w->ru);
	for (;;) {
		if ((n = epoll_wait(w->srv->epfd, &ev, 1, -1)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(why, sizeof(why), "epoll_wait: %s", strerror(errno));
			serve_fail(w->srv, why);
			break;
		}
		if (ev.data.ptr == &tag_signal)
			break;
		if (ev.data.ptr == &tag_listen)
			serve_accept(w->srv);
		else
			serve_conn(w, ev.data.ptr);
	}
	expr_cache_clear();	/* this thread's compiled expressions */
	db_free(w->app.db);
	redis_conn_free(w->app.redis);
	return NULL;
}

/* Makes the epoll set with the signalfd (level-triggered: every thread sees it) and the
 * listening socket. Returns 0 or -1. */
static int
serve_watch(struct server *srv)
{
	struct epoll_event	 ev = { .events = EPOLLIN, .data.ptr = &tag_signal };

	if ((srv->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    epoll_ctl(srv->epfd, EPOLL_CTL_ADD, srv->sigfd, &ev) == -1)
		return -1;
	return serve_arm(srv, EPOLL_CTL_ADD, STDIN_FILENO, &tag_listen);
}

int
serve_run(const struct app *app, const struct redis_url *ru, size_t threads)
{
	struct server	 srv;
	struct worker	*ws;
	sigset_t	 term;
	size_t		 i, started = 0;
	int		 rc = 0;

	memset(&srv, 0, sizeof(srv));
	srv.epfd = -1;
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	/* Blocked in every thread (they inherit it): only the signalfd sees them. */
	pthread_sigmask(SIG_BLOCK, &term, NULL);
	if ((srv.sigfd = signalfd(-1, &term, SFD_CLOEXEC)) == -1 ||
	    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK) == -1 ||
	    serve_watch(&srv) == -1 || FCGX_Init() != 0) {
		log_error(NULL, "cannot set up the FastCGI server: %s", strerror(errno));
		if (srv.epfd != -1)
			close(srv.epfd);
		if (srv.sigfd != -1)
			close(srv.sigfd);
		return -1;
	}
	pthread_mutex_init(&srv.lock, NULL);
	ws = xcalloc(threads, sizeof(*ws));
	for (i = 0; i < threads; i++) {
		ws[i].srv = &srv;
		ws[i].app = *app;
		ws[i].ru = *ru;
		if (pthread_create(&ws[i].tid, NULL, serve_worker, &ws[i]) != 0) {
			log_error(NULL, "cannot start serving thread %zu", i + 1);
			break;
		}
		started++;
	}
	if (started == 0)
		rc = -1;
	else
		log_info(NULL, "fragent-api ready (%zu threads)", started);
	/* The threads end on SIGTERM or SIGINT (or when none started); what stays open is
	 * closed. */
	for (i = 0; i < started; i++)
		pthread_join(ws[i].tid, NULL);
	if (atomic_load(&srv.failed))
		rc = -1;
	while (srv.conns != NULL)
		conn_close(&srv, srv.conns);
	for (i = 0; i < threads; i++)
		explicit_bzero(&ws[i], sizeof(ws[i]));
	free(ws);
	close(srv.epfd);
	close(srv.sigfd);
	pthread_mutex_destroy(&srv.lock);
	return rc;
}
