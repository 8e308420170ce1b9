/* rowgroup.c: group commit of one-row INSERTs (see rowgroup.h). A thread queues its row;
 * while fewer than ROWGROUP_LEADERS statements are in flight, the thread that finds it so
 * leads: it takes the queue's oldest rows (at most ROWGROUP_MAX), stores them with one
 * statement over its own connection, hands each thread its row, and stops leading; rows
 * queued meanwhile make the next statement, led by one of their threads. A thread whose
 * row waits sleeps on a condition variable, so the rows of a process's threads wait
 * together for one commit instead of one each. Up to ROWGROUP_LEADERS statements run at
 * once: a process with as few threads stores as many rows at once as it would alone. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rowgroup.h"
#include "xalloc.h"

/* Statements in flight at once, at most. */
#define ROWGROUP_LEADERS	2

enum entry_state {
	ENTRY_QUEUED,	/* waiting for a leader */
	ENTRY_DONE,	/* "rc" and "res" are its answer */
	ENTRY_ALONE,	/* the shared statement failed: its thread stores it alone */
};

/* One thread's row, on that thread's stack while it waits. */
struct entry {
	const char *const	*params;
	PGresult		*res;
	enum db_rc		 rc;
	enum entry_state	 state;
	struct entry		*next;
};

struct rowgroup {
	pthread_mutex_t		 lock;		/* over the queue, "leaders", the counts and
						 * entries' state */
	pthread_cond_t		 done_cv;	/* entries changed state, a leader stopped */
	struct entry		*head, *tail;	/* queued, oldest first */
	int			 leaders;	/* threads storing a statement's rows */
	const char		*one;
	char			*rows[ROWGROUP_MAX + 1];	/* rows[n]: the statement for n */
	int			 nparams, id_col, id_param;
	unsigned long		 statements, stored;	/* run by leaders, rows they carried */
};

struct rowgroup *
rowgroup_new(const char *one, rowgroup_sql_fn rows, int nparams, int id_col, int id_param)
{
	struct rowgroup	*g = xcalloc(1, sizeof(*g));
	size_t		 n;

	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->done_cv, NULL);
	g->one = one;
	/* Made once: each is then prepared once per connection (db.h keys them by address). */
	for (n = 2; n <= ROWGROUP_MAX; n++)
		g->rows[n] = rows(n);
	g->nparams = nparams;
	g->id_col = id_col;
	g->id_param = id_param;
	return g;
}

void
rowgroup_free(struct rowgroup *g)
{
	size_t	 n;

	if (g == NULL)
		return;
	for (n = 2; n <= ROWGROUP_MAX; n++)
		free(g->rows[n]);
	pthread_cond_destroy(&g->done_cv);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/* A result holding row "row" of "all" only, as db_row would have returned it; NULL when
 * out of memory. */
static PGresult *
rowgroup_one_row(const PGresult *all, int row)
{
	PGresult	*r = PQcopyResult(all, PG_COPYRES_ATTRS);
	int		 col, null;

	for (col = 0; r != NULL && col < PQnfields(all); col++) {
		null = PQgetisnull(all, row, col);
		if (!PQsetvalue(r, 0, col, null ? NULL : PQgetvalue(all, row, col),
		    null ? -1 : PQgetlength(all, row, col))) {
			PQclear(r);
			r = NULL;
		}
	}
	return r;
}

/* Hands row "row" of "all" to the entry of "batch" (size "n") whose key it carries. */
static void
rowgroup_deliver(struct rowgroup *g, struct entry **batch, size_t n, const PGresult *all,
    int row)
{
	const char	*id = PQgetvalue(all, row, g->id_col);
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (batch[i]->res != NULL || strcmp(batch[i]->params[g->id_param], id) != 0)
			continue;
		batch[i]->res = rowgroup_one_row(all, row);
		batch[i]->rc = batch[i]->res != NULL ? DB_OK : DB_ERROR;
		return;
	}
}

/* Stores the "n" rows of "batch" over "db", setting each entry's "rc" and "res" and the
 * state it is to get. Runs without the lock: only the leader touches these entries. */
static void
rowgroup_run(struct rowgroup *g, struct db *db, struct entry **batch, size_t n,
    enum entry_state *state)
{
	PGresult	*all = NULL;
	const char	**params;
	enum db_rc	 rc;
	size_t		 i;
	int		 row;

	*state = ENTRY_DONE;
	if (n == 1) {
		batch[0]->rc = db_row(db, g->one, g->nparams, batch[0]->params, &batch[0]->res);
		return;
	}
	params = xreallocarray(NULL, n * (size_t)g->nparams, sizeof(*params));
	for (i = 0; i < n; i++)
		memcpy(&params[i * (size_t)g->nparams], batch[i]->params,
		    (size_t)g->nparams * sizeof(*params));
	rc = db_exec(db, g->rows[n], g->nparams * (int)n, params, &all);
	free(params);
	if (rc != DB_OK) {
		/* A row the statement refused fails it all: each row's own statement says
		 * which. A lost connection is every row's answer, as it would be alone. */
		if (rc == DB_UNAVAILABLE)
			for (i = 0; i < n; i++)
				batch[i]->rc = rc;
		else
			*state = ENTRY_ALONE;
		return;
	}
	for (i = 0; i < n; i++)
		batch[i]->rc = DB_NOTFOUND;	/* unless a row comes back for it */
	for (row = 0; row < PQntuples(all); row++)
		rowgroup_deliver(g, batch, n, all, row);
	PQclear(all);
}

enum db_rc
rowgroup_store(struct rowgroup *g, struct db *db, const char *const *params, PGresult **res)
{
	struct entry	 self = { params, NULL, DB_OK, ENTRY_QUEUED, NULL };
	struct entry	*batch[ROWGROUP_MAX];
	enum entry_state state;
	size_t		 n, i;

	*res = NULL;
	pthread_mutex_lock(&g->lock);
	if (g->tail != NULL)
		g->tail->next = &self;
	else
		g->head = &self;
	g->tail = &self;
	while (self.state == ENTRY_QUEUED) {
		if (g->leaders == ROWGROUP_LEADERS) {
			pthread_cond_wait(&g->done_cv, &g->lock);
			continue;
		}
		/* Lead: the oldest rows, this thread's among them or not (another leader may
		 * have taken it: then it is in flight, and the loop waits for it). */
		if (g->head == NULL) {
			pthread_cond_wait(&g->done_cv, &g->lock);
			continue;
		}
		g->leaders++;
		for (n = 0; n < ROWGROUP_MAX && g->head != NULL; n++) {
			batch[n] = g->head;
			if ((g->head = g->head->next) == NULL)
				g->tail = NULL;
		}
		pthread_mutex_unlock(&g->lock);
		rowgroup_run(g, db, batch, n, &state);
		pthread_mutex_lock(&g->lock);
		for (i = 0; i < n; i++)
			batch[i]->state = state;
		g->statements++;
		g->stored += n;
		g->leaders--;
		pthread_cond_broadcast(&g->done_cv);
	}
	pthread_mutex_unlock(&g->lock);
	if (self.state == ENTRY_ALONE)
		return db_row(db, g->one, g->nparams, params, res);
	*res = self.res;
	return self.rc;
}

void
rowgroup_counts(struct rowgroup *g, unsigned long *statements, unsigned long *rows)
{
	pthread_mutex_lock(&g->lock);
	*statements = g->statements;
	*rows = g->stored;
	pthread_mutex_unlock(&g->lock);
}
