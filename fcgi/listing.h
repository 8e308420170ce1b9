/* listing.h: the list conventions shared by every collection: `limit` (1-100, default 50),
 * an opaque `cursor` (keyset on created_at, id), `q` (substring of the name), and the
 * answer {items, next_cursor}. */
#ifndef FRAGENT_LISTING_H
#define FRAGENT_LISTING_H

#include <libpq-fe.h>

#include "req.h"
#include "uuid.h"

#define LIST_MAX_Q	200	/* bytes of a decoded `q` */

struct list_params {
	int	 limit;
	char	 limit_plus_one[16];	/* text parameter: limit + 1 (to see a next page) */
	char	 micros[24];		/* cursor: created_at in µs since the epoch; "" = none */
	char	 id[UUID_STRLEN + 1];	/* cursor: id of the last row */
	char	 q[LIST_MAX_Q + 1];	/* "" = no search */
};

/* Parses limit, cursor and (when "with_q") q from the query string of "rq".
 * Returns 0, or -1 after answering 422 naming the parameter. */
int		 list_params_parse(struct req *rq, struct list_params *lp, int with_q);
/* The cursor parameters as SQL text parameters (NULL when absent). */
const char	*list_micros(const struct list_params *lp);
const char	*list_cursor_id(const struct list_params *lp);
const char	*list_q(const struct list_params *lp);
/* Answers 200 {items, next_cursor} from "res", whose rows are (json, micros, id) and of
 * which at most lp->limit are items. Returns 0. */
int		 list_respond(struct req *rq, PGresult *res, const struct list_params *lp);
/* A whole list request: parses limit, cursor and q, runs "sql" with ($1 owner filter or NULL,
 * $2 µs, $3 id, $4 limit + 1, $5 q) and answers the page. Returns 0. */
int		 list_page(struct req *rq, const char *sql, const char *owner);

/* The SQL condition of a keyset page over table alias "t" with the cursor in $2 (µs), $3
 * (id), to splice into a query: rows older than the cursor, newest first. */
#define LIST_SQL_CURSOR(t) \
	"($2::bigint IS NULL OR (" t ".created_at, " t ".id) < (timestamptz 'epoch' + " \
	"$2::bigint * interval '1 microsecond', $3::uuid))"
#define LIST_SQL_KEYS(t) \
	"(extract(epoch FROM " t ".created_at) * 1000000)::bigint, " t ".id"
#define LIST_SQL_ORDER(t) \
	" ORDER BY " t ".created_at DESC, " t ".id DESC LIMIT $4::int"

#endif
