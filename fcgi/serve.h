/* serve.h: the API process's FastCGI server. Serving threads wait together on the listening
 * socket and every connection nginx keeps open (one epoll set, each member armed for one
 * thread at a time); the thread that wakes for a request reads and answers it. A kept-alive
 * connection therefore holds no thread while idle, and the threads (each with its own
 * PostgreSQL and Redis connections) stay few. */
#ifndef FRAGENT_API_SERVE_H
#define FRAGENT_API_SERVE_H

#include "redisconn.h"
#include "req.h"

/* Serves the socket supervisord passes as descriptor 0 with "threads" serving threads, each
 * with a copy of "app" (its read-only state and process-wide cache) and connections of its
 * own (Redis at "ru"), until SIGTERM or SIGINT. Returns 0, or -1 when it could not start or
 * stopped because it could no longer accept. */
int	 serve_run(const struct app *app, const struct redis_url *ru, size_t threads);

#endif
