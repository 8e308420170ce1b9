/* db.h: one PostgreSQL connection that reconnects after the server went away; parameterised queries only. */
#ifndef FRAGENT_DB_H
#define FRAGENT_DB_H

#include <libpq-fe.h>
#include <json-c/json.h>

enum db_rc {
	DB_OK,
	DB_NOTFOUND,	/* a single-row query matched nothing */
	DB_CONFLICT,	/* unique violation */
	DB_INVALID,	/* data exception, foreign-key or check violation */
	DB_ERROR,	/* any other server error */
	DB_UNAVAILABLE,	/* no connection */
	DB__MAX
};

struct db;

/* Prepares a connection to the libpq URL "url"; connects lazily. Never NULL. */
struct db	*db_new(const char *url);
/* Closes and frees; NULL-safe. */
void		 db_free(struct db *db);
/* Runs "sql" with "n" text parameters (NULL means SQL NULL). On DB_OK, "res" (may be NULL when
 * the caller wants no rows) holds the result, which the caller frees with PQclear. On any other
 * code "res" is NULL. A broken connection is reset before the statement, never retried after it.
 * "sql" should be a string that lives as long as "db" (a constant): each distinct statement is
 * prepared once per connection and reused. */
enum db_rc	 db_exec(struct db *db, const char *sql, int n, const char *const *params,
		    PGresult **res);
/* Like db_exec, but DB_NOTFOUND when the statement returned no row. */
enum db_rc	 db_row(struct db *db, const char *sql, int n, const char *const *params,
		    PGresult **res);
/* Runs a fixed, trusted script of several statements (migrations only). */
enum db_rc	 db_script(struct db *db, const char *sql, char *err, size_t errlen);
/* Hands every notification (LISTEN/NOTIFY) received so far to "cb", reading what the socket
 * holds without waiting. Returns 0, or -1 when there is no healthy connection (never made,
 * or found broken now: the next statement reconnects, and the LISTENs of the old session
 * are gone). */
int		 db_notifies(struct db *db, void (*cb)(const char *channel, const char *payload,
		    void *arg), void *arg);
/* The number of the current server session (it grows with every connect and reconnect,
 * each of which starts without LISTENs), or 0 when there is no healthy connection. */
unsigned long	 db_session(const struct db *db);
/* The socket of the current connection (to poll for notifications), or -1 when there is
 * no healthy connection. */
int		 db_socket(const struct db *db);
/* Checks the server answers. Returns DB_OK or DB_UNAVAILABLE. */
enum db_rc	 db_ping(struct db *db);
/* The text of row "row", column "col", or NULL for SQL NULL (borrowed from "res"). */
const char	*db_text(const PGresult *res, int row, int col);
/* Parses a json/jsonb column into a new reference (NULL for SQL NULL or JSON null). */
json_object	*db_json(const PGresult *res, int row, int col);

#endif
