/* serve.c: the API process's FastCGI server (see serve.h): the dispatcher (the calling
 * thread: poll over the listening socket, the idle connections, a wake-up pipe and a
 * signalfd for SIGTERM/SIGINT) and the serving threads. libfcgi reads a request from a
 * connection we accepted ourselves: each connection has its own FCGX_Request whose ipcFd is
 * the connection and whose listening socket is none (-1), so that FCGX_Accept_r reads the
 * next request of that connection, or fails once nginx closed it, and never accepts. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "apimetrics.h"
#include "db.h"
#include "expr.h"
#include "log.h"
#include "routes.h"
#include "serve.h"
#include "tracing.h"
#include "xalloc.h"

/* A request slower than this is logged as a warning. */
#define SERVE_SLOW_MS	1000.0

/* One FastCGI connection from nginx. */
struct conn {
	FCGX_Request	 req;
	struct conn	*next;
};

struct server {
	pthread_mutex_t	 lock;		/* over everything below */
	pthread_cond_t	 ready_cv;	/* a connection joined "ready", or stopping */
	struct conn	*ready, *ready_tail;	/* a request waiting on each, oldest first */
	struct conn	*back;		/* answered, kept open: to poll again */
	int		 stopping;
	int		 wake[2];	/* a pipe: "back" grew */
};

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

/* Closes and frees connection "c". */
static void
conn_free(struct conn *c)
{
	FCGX_Free(&c->req, 1);
	free(c);
}

/* Appends "c" to the ready queue. Lock held. */
static void
ready_push(struct server *srv, struct conn *c)
{
	c->next = NULL;
	if (srv->ready_tail != NULL)
		srv->ready_tail->next = c;
	else
		srv->ready = c;
	srv->ready_tail = c;
}

/* A serving thread: takes the oldest ready connection, reads and answers its request, and
 * hands the connection back to the dispatcher while nginx keeps it. */
static void *
serve_worker(void *arg)
{
	struct worker	*w = arg;
	struct server	*srv = w->srv;
	struct conn	*c;
	char		*span;

	w->app.db = db_new(config_get(&w->app.cfg, CONFIG_DATABASE_URL));
	w->app.redis = redis_conn_new(&w->ru);
	for (;;) {
		pthread_mutex_lock(&srv->lock);
		while (srv->ready == NULL && !srv->stopping)
			pthread_cond_wait(&srv->ready_cv, &srv->lock);
		if ((c = srv->ready) == NULL) {
			pthread_mutex_unlock(&srv->lock);
			break;		/* stopping, nothing left to answer */
		}
		if ((srv->ready = c->next) == NULL)
			srv->ready_tail = NULL;
		pthread_mutex_unlock(&srv->lock);
		/* Fails (and closes) when nginx closed the connection: never accepts (-1). */
		if (FCGX_Accept_r(&c->req) < 0) {
			conn_free(c);
			continue;
		}
		span = serve_one(&c->req, &w->app);
		FCGX_Finish_r(&c->req);		/* closes unless nginx keeps the connection */
		apitrace_push(&w->app, span);	/* the client has its answer already */
		if (c->req.ipcFd < 0) {
			conn_free(c);
			continue;
		}
		pthread_mutex_lock(&srv->lock);
		c->next = srv->back;
		srv->back = c;
		pthread_mutex_unlock(&srv->lock);
		while (write(srv->wake[1], "", 1) == -1 && errno == EINTR)
			;
	}
	expr_cache_clear();	/* this thread's compiled expressions */
	db_free(w->app.db);
	redis_conn_free(w->app.redis);
	return NULL;
}

/* The dispatcher's idle connections and what poll watches: the listening socket, the wake-up
 * pipe and the signalfd first, then one entry per idle connection. */
struct idle {
	struct pollfd	*fds;
	struct conn	**conns;	/* conns[i] is watched by fds[i + IDLE_FIXED] */
	size_t		 n, cap;
};

#define IDLE_FIXED	3

static void
idle_add(struct idle *id, struct conn *c)
{
	if (id->n == id->cap) {
		id->cap = id->cap ? id->cap * 2 : 64;
		id->fds = xreallocarray(id->fds, id->cap + IDLE_FIXED, sizeof(*id->fds));
		id->conns = xreallocarray(id->conns, id->cap, sizeof(*id->conns));
	}
	id->conns[id->n] = c;
	id->fds[id->n + IDLE_FIXED].fd = c->req.ipcFd;
	id->fds[id->n + IDLE_FIXED].events = POLLIN;
	id->n++;
}

/* Takes the connections the threads answered back into "id". */
static void
serve_take_back(struct server *srv, struct idle *id)
{
	struct conn	*c, *next;
	char		 drain[64];

	while (read(srv->wake[0], drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&srv->lock);
	c = srv->back;
	srv->back = NULL;
	pthread_mutex_unlock(&srv->lock);
	for (; c != NULL; c = next) {
		next = c->next;
		idle_add(id, c);
	}
}

/* Accepts every connection waiting on the (non-blocking) listening socket into "ready".
 * Another process may have taken them first: then there is none. */
static void
serve_accept(struct server *srv)
{
	struct conn	*c;
	int		 fd;

	while ((fd = accept4(STDIN_FILENO, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		c = xcalloc(1, sizeof(*c));
		FCGX_InitRequest(&c->req, -1, 0);
		c->req.ipcFd = fd;
		/* FCGX_Accept_r first finishes the request before: "kept" leaves it open. */
		c->req.keepConnection = 1;
		pthread_mutex_lock(&srv->lock);
		ready_push(srv, c);
		pthread_mutex_unlock(&srv->lock);
		pthread_cond_signal(&srv->ready_cv);	/* one thread per connection */
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
	    errno != ECONNABORTED)
		log_warn(NULL, "FastCGI accept: %s", strerror(errno));
}

/* Moves the idle connections poll found readable (a request, or nginx closing) to "ready".
 * Returns how many moved. */
static int
serve_wake_idle(struct server *srv, struct idle *id)
{
	size_t	 i = 0;
	int	 moved = 0;

	pthread_mutex_lock(&srv->lock);
	while (i < id->n) {
		if (id->fds[i + IDLE_FIXED].revents == 0) {
			i++;
			continue;
		}
		ready_push(srv, id->conns[i]);
		moved++;
		id->n--;
		id->conns[i] = id->conns[id->n];
		id->fds[i + IDLE_FIXED] = id->fds[id->n + IDLE_FIXED];
	}
	pthread_mutex_unlock(&srv->lock);
	/* Wake as many threads as there are connections, not all of them. */
	if (moved == 1)
		pthread_cond_signal(&srv->ready_cv);
	else if (moved > 1)
		pthread_cond_broadcast(&srv->ready_cv);
	return moved;
}

/* The dispatcher loop, until a signal on "sigfd". */
static void
serve_dispatch(struct server *srv, int sigfd)
{
	struct idle	 id = { NULL, NULL, 0, 0 };
	size_t		 i;

	id.cap = 64;
	id.fds = xcalloc(id.cap + IDLE_FIXED, sizeof(*id.fds));
	id.conns = xcalloc(id.cap, sizeof(*id.conns));
	for (;;) {
		id.fds[0] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		id.fds[1] = (struct pollfd){ srv->wake[0], POLLIN, 0 };
		id.fds[2] = (struct pollfd){ sigfd, POLLIN, 0 };
		for (i = 0; i < id.n; i++)
			id.fds[i + IDLE_FIXED].revents = 0;
		if (poll(id.fds, id.n + IDLE_FIXED, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_error(NULL, "poll: %s", strerror(errno));
			break;
		}
		if (id.fds[2].revents != 0)
			break;
		if (id.n > 0)
			serve_wake_idle(srv, &id);
		if (id.fds[1].revents != 0)
			serve_take_back(srv, &id);
		if (id.fds[0].revents != 0)
			serve_accept(srv);
	}
	for (i = 0; i < id.n; i++)
		conn_free(id.conns[i]);
	free(id.fds);
	free(id.conns);
}

int
serve_run(const struct app *app, const struct redis_url *ru, size_t threads)
{
	struct server	 srv;
	struct worker	*ws;
	struct conn	*c, *next;
	sigset_t	 term;
	size_t		 i, started = 0;
	int		 sigfd, rc = 0;

	memset(&srv, 0, sizeof(srv));
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	/* Blocked in every thread (they inherit it): only the signalfd sees them. */
	pthread_sigmask(SIG_BLOCK, &term, NULL);
	if ((sigfd = signalfd(-1, &term, SFD_CLOEXEC)) == -1 ||
	    pipe2(srv.wake, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK) == -1 ||
	    FCGX_Init() != 0) {
		log_error(NULL, "cannot set up the FastCGI server: %s", strerror(errno));
		if (sigfd != -1)
			close(sigfd);
		return -1;
	}
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.ready_cv, NULL);
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
	else {
		log_info(NULL, "fragent-api ready (%zu threads)", started);
		serve_dispatch(&srv, sigfd);
	}
	/* The threads answer what is ready, then end; what they hand back is closed. */
	pthread_mutex_lock(&srv.lock);
	srv.stopping = 1;
	pthread_cond_broadcast(&srv.ready_cv);
	pthread_mutex_unlock(&srv.lock);
	for (i = 0; i < started; i++)
		pthread_join(ws[i].tid, NULL);
	for (c = srv.back; c != NULL; c = next) {
		next = c->next;
		conn_free(c);
	}
	for (i = 0; i < threads; i++)
		explicit_bzero(&ws[i], sizeof(ws[i]));
	free(ws);
	close(srv.wake[0]);
	close(srv.wake[1]);
	close(sigfd);
	pthread_cond_destroy(&srv.ready_cv);
	pthread_mutex_destroy(&srv.lock);
	return rc;
}
