/* pgshare.h: asynchronous reads by key shared while in flight: the requests for one key
 * that arrive before its query answers wait for that one query (10,000 subscribers of ten
 * executions cost ten reads, not 10,000). */
#ifndef FRAGENT_PGSHARE_H
#define FRAGENT_PGSHARE_H

#include <stddef.h>

#include "apg.h"

struct pgshare;

/* One answer: "res" (borrowed for the call; NULL when the query failed) of the query
 * started with "tag"; "index" counts the waiters called before this one. */
struct pgshare_answer {
	const PGresult	*res;
	unsigned long	 tag;
	size_t		 index;
};

typedef void	 pgshare_cb(const struct pgshare_answer *ans, void *arg);

/* Reads with "sql" (a constant; its only parameter $1 is the key) on "db". Never NULL. */
struct pgshare	*pgshare_new(struct apg *db, const char *sql);
/* Frees; NULL-safe. Call it once nothing is in flight (after apg_free answered it all). */
void		 pgshare_free(struct pgshare *ps);
/* Gets the answer of "key": joins the query under way for it, or sends one remembering
 * "tag". Returns 0, after which "cb" runs exactly once (never before this returns), or -1
 * when nothing could be sent ("cb" never runs). */
int		 pgshare_get(struct pgshare *ps, const char *key, unsigned long tag,
		    pgshare_cb *cb, void *arg);
/* Lets later requests for "key" (NULL: every key) start a new query instead of joining the
 * one under way, whose waiters still get its answer. */
void		 pgshare_forget(struct pgshare *ps, const char *key);

#endif
