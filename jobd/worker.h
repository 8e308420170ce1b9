/* worker.h: one engine thread: its own libevent loop, Postgres connections, Redis links, curl
 * multi handle, queue consumer and engine (the executions it runs). Threads share nothing
 * mutable but the settings; SIGTERM reaches them through worker_stop. */
#ifndef FRAGENT_WORKER_H
#define FRAGENT_WORKER_H

struct jobd_settings;
struct worker;

/* Prepares worker "index" (connections open lazily, on its thread). Returns NULL on failure. */
struct worker	*worker_new(int index, const struct jobd_settings *set);
/* Runs the loop on a new thread. Returns 0 or -1. */
int		 worker_spawn(struct worker *w);
/* Asks the worker (from any thread) to stop taking work and to wind down within the grace
 * period; its thread then ends. */
void		 worker_stop(struct worker *w);
/* Waits for the thread and frees everything; NULL-safe. */
void		 worker_free(struct worker *w);

#endif
