/* apg.h: one asynchronous PostgreSQL connection on a libevent loop, for code that must never
 * block its loop: it connects and reconnects without waiting, pipelines parameterised
 * queries (answered in the order sent, each its own sync point so that one failure spoils no
 * other), runs setup statements (e.g. LISTEN) first on every new session, and hands over
 * notifications as they arrive. */
#ifndef FRAGENT_APG_H
#define FRAGENT_APG_H

#include <libpq-fe.h>

struct event_base;
struct apg;

/* The answer of one query: "res" (borrowed for the call) has status TUPLES_OK or COMMAND_OK,
 * or is NULL when the query failed or the connection was lost first. */
typedef void	 apg_cb(const PGresult *res, void *arg);

struct apg_hooks {
	/* Statements sent first on every new session (NULL-terminated; may be NULL). A failed
	 * one drops the session, which is then made again. */
	const char *const	*setup;
	/* A session began ("session" > 0, numbered from 1; sent after the setup statements
	 * and before anything queued) or was lost ("session" 0). May be NULL. */
	void			(*on_session)(unsigned long session, void *arg);
	/* A notification of channel "channel" with "payload". May be NULL. */
	void			(*on_notify)(const char *channel, const char *payload, void *arg);
	void			*arg;
};

/* Starts connecting to libpq URL "url" (a host given as an address: a name would be resolved
 * by libpq synchronously) on "base"; "hooks" is copied. Returns NULL when libevent cannot
 * make its timer. */
struct apg	*apg_new(struct event_base *base, const char *url, const struct apg_hooks *hooks);
/* Closes the connection and frees; every query not yet answered gets its callback with NULL
 * first. NULL-safe. */
void		 apg_free(struct apg *a);
/* Sends "sql" (a constant that outlives the query) with "n" text parameters (copied; NULL is
 * SQL NULL). While a connection is being made the query waits for it. Returns 0, after which
 * "cb" runs exactly once and never before apg_query returned; or -1 when the server is
 * unreachable right now ("cb" never runs). "cb" may be NULL when the
 * answer does not matter. */
int		 apg_query(struct apg *a, const char *sql, int n, const char *const *params,
		    apg_cb *cb, void *arg);
/* The number of the current session, or 0 while there is none. */
unsigned long	 apg_session(const struct apg *a);

#endif
