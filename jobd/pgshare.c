/* pgshare.c: one query per key in flight, its answer fanned out to every waiter (see
 * pgshare.h). A query forgotten by its key keeps its waiters until it answers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pgshare.h"
#include "strmap.h"
#include "xalloc.h"

struct pgshare_waiter {
	struct pgshare_waiter	*next;
	pgshare_cb		*cb;
	void			*arg;
};

/* One query under way. */
struct pgshare_read {
	struct pgshare		*ps;
	struct pgshare_waiter	*waiters;	/* in arrival order */
	struct pgshare_waiter	**tail;
	unsigned long		 tag;
	int			 forgotten;	/* no longer under its key in ps->reads */
	char			 key[];
};

struct pgshare {
	struct apg		*db;
	const char		*sql;
	struct strmap		*reads;		/* key → struct pgshare_read */
};

struct pgshare *
pgshare_new(struct apg *db, const char *sql)
{
	struct pgshare	*ps;

	ps = xcalloc(1, sizeof(*ps));
	ps->db = db;
	ps->sql = sql;
	ps->reads = strmap_new();
	return ps;
}

void
pgshare_free(struct pgshare *ps)
{
	if (ps == NULL)
		return;
	pgshare_forget(ps, NULL);
	strmap_free(ps->reads, NULL);
	free(ps);
}

/* The query of one read answered: every waiter gets it, in arrival order. */
static void
pgshare_on_answer(const PGresult *res, void *arg)
{
	struct pgshare_read	*rd = arg;
	struct pgshare_waiter	*w;
	struct pgshare_answer	 ans = { res, rd->tag, 0 };

	if (!rd->forgotten)
		strmap_del(rd->ps->reads, rd->key);
	while ((w = rd->waiters) != NULL) {
		rd->waiters = w->next;
		w->cb(&ans, w->arg);
		free(w);
		ans.index++;
	}
	free(rd);
}

/* Adds a waiter to "rd". */
static void
pgshare_wait(struct pgshare_read *rd, pgshare_cb *cb, void *arg)
{
	struct pgshare_waiter	*w;

	w = xmalloc(sizeof(*w));
	w->cb = cb;
	w->arg = arg;
	w->next = NULL;
	*rd->tail = w;
	rd->tail = &w->next;
}

int
pgshare_get(struct pgshare *ps, const char *key, unsigned long tag, pgshare_cb *cb,
    void *arg)
{
	struct pgshare_read	*rd = strmap_get(ps->reads, key);
	size_t			 kl = strlen(key);

	if (rd != NULL) {
		pgshare_wait(rd, cb, arg);
		return 0;
	}
	rd = xcalloc(1, sizeof(*rd) + kl + 1);
	rd->ps = ps;
	rd->tag = tag;
	rd->tail = &rd->waiters;
	memcpy(rd->key, key, kl + 1);
	pgshare_wait(rd, cb, arg);
	strmap_put(ps->reads, key, rd, NULL);
	if (apg_query(ps->db, ps->sql, 1, (const char *[]){ key }, pgshare_on_answer, rd) == -1) {
		strmap_del(ps->reads, key);
		free(rd->waiters);
		free(rd);
		return -1;
	}
	return 0;
}

static void
pgshare_mark_forgotten(const char *key, void *val, void *arg)
{
	struct pgshare_read	*rd = val;

	(void)key;
	(void)arg;
	rd->forgotten = 1;
}

void
pgshare_forget(struct pgshare *ps, const char *key)
{
	struct pgshare_read	*rd;

	if (key == NULL) {
		strmap_each(ps->reads, pgshare_mark_forgotten, NULL);
		strmap_clear(ps->reads, NULL);
	} else if ((rd = strmap_del(ps->reads, key)) != NULL)
		rd->forgotten = 1;
}
