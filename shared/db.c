/* db.c: PostgreSQL access through libpq with lazy connect and reset on a broken connection. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "jsonh.h"
#include "log.h"
#include "metrics.h"
#include "xalloc.h"

#define DB_MAX_STMTS	256

/* A statement prepared on the current connection, known by the address and text of its SQL. */
struct db_stmt {
	const char	*sql;
	char		 name[16];
};

struct db {
	char		*url;
	PGconn		*conn;
	struct db_stmt	 stmts[DB_MAX_STMTS];
	size_t		 nstmts;	/* forgotten whenever the connection is reset */
	unsigned long	 nprepared;	/* names statements uniquely per connection */
	unsigned long	 sessions;	/* server sessions opened so far */
	int		 doomed;	/* the server said it ends the session (FATAL) */
};

struct db *
db_new(const char *url)
{
	struct db	*db;

	db = xcalloc(1, sizeof(*db));
	db->url = xstrdup(url);
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	PQfinish(db->conn);
	free(db->url);
	free(db);
}

/* Quietly drops server notices (migrations print "already exists" notices), and notes the
 * FATAL error a server sends an idle session it ends (a shutdown or restart, 57P01): libpq
 * hands it here as a notice and keeps the connection "OK" until it reads the close, so the
 * session would pass for alive once more (and its LISTENs with it). */
static void
db_notice(void *arg, const PGresult *res)
{
	struct db	*db = arg;
	const char	*sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);

	if (sev != NULL && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0))
		db->doomed = 1;
}

/* True when the connection is healthy as far as we know. */
static int
db_healthy(const struct db *db)
{
	return db->conn != NULL && !db->doomed && PQstatus(db->conn) == CONNECTION_OK;
}

/* Makes sure a healthy connection exists. Returns 0 or -1. */
static int
db_ensure(struct db *db)
{
	/* An idle session may have been ended meanwhile (its FATAL and close are waiting in the
	 * socket): reading them now, without waiting, reconnects before the statement instead
	 * of failing it. */
	if (db->conn != NULL && PQtransactionStatus(db->conn) == PQTRANS_IDLE &&
	    PQconsumeInput(db->conn) == 1)
		(void)PQisBusy(db->conn);	/* parses what was read: the FATAL, if any */
	if (db_healthy(db))
		return 0;
	db->nstmts = 0;
	db->doomed = 0;		/* a new server session has no prepared statements */
	if (db->conn != NULL) {
		PQreset(db->conn);
		if (PQstatus(db->conn) != CONNECTION_OK) {
			log_warn(NULL, "postgres reconnect failed: %s",
			    PQerrorMessage(db->conn));
			metrics_inc(M_DB_ERRORS, 0, 0);
			return -1;
		}
		metrics_inc(M_DB_RECONNECTS, 0, 0);
	} else {
		db->conn = PQconnectdb(db->url);
		if (db->conn == NULL)
			return -1;
		if (PQstatus(db->conn) != CONNECTION_OK) {
			log_warn(NULL, "postgres connect failed: %s", PQerrorMessage(db->conn));
			metrics_inc(M_DB_ERRORS, 0, 0);
			return -1;
		}
		PQsetNoticeReceiver(db->conn, db_notice, db);
	}
	/* JSON built by the server (json_build_object) shows times in UTC. */
	PQclear(PQexec(db->conn, "SET TIME ZONE 'UTC'"));
	db->sessions++;
	return 0;
}

/* Maps a failed result's SQLSTATE to a db_rc. */
static enum db_rc
db_classify(struct db *db, const PGresult *res)
{
	const char	*state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (PQstatus(db->conn) != CONNECTION_OK)
		return DB_UNAVAILABLE;
	if (state == NULL)
		return DB_ERROR;
	if (strcmp(state, "23505") == 0)
		return DB_CONFLICT;
	if (strncmp(state, "22", 2) == 0 || strcmp(state, "23503") == 0 ||
	    strcmp(state, "23514") == 0 || strcmp(state, "23502") == 0)
		return DB_INVALID;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return DB_UNAVAILABLE;
	return DB_ERROR;
}

/* Finds the prepared statement of "sql", preparing it on first use. Returns its name, or
 * NULL when it cannot be prepared (the caller then sends the text). */
static const char *
db_prepared(struct db *db, const char *sql, int n)
{
	struct db_stmt	*st;
	PGresult	*r;
	size_t		 i;
	int		 ok;

	for (i = 0; i < db->nstmts; i++)
		if (db->stmts[i].sql == sql && strcmp(db->stmts[i].sql, sql) == 0)
			return db->stmts[i].name;
	if (db->nstmts == DB_MAX_STMTS)
		return NULL;
	st = &db->stmts[db->nstmts];
	snprintf(st->name, sizeof(st->name), "fg%lu", ++db->nprepared);
	r = PQprepare(db->conn, st->name, sql, n, NULL);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		return NULL;
	st->sql = sql;
	db->nstmts++;
	return st->name;
}

/* Sends "sql" as a prepared statement when it can be one (a planned statement is reused;
 * parsing and planning cost more than running a primary-key lookup), else as text. */
static PGresult *
db_run(struct db *db, const char *sql, int n, const char *const *params)
{
	const char	*name = db_prepared(db, sql, n);

	if (name != NULL)
		return PQexecPrepared(db->conn, name, n, params, NULL, NULL, 0);
	return PQexecParams(db->conn, sql, n, NULL, params, NULL, NULL, 0);
}

enum db_rc
db_exec(struct db *db, const char *sql, int n, const char *const *params, PGresult **res)
{
	PGresult		*r;
	ExecStatusType		 st;
	enum db_rc		 rc;

	if (res != NULL)
		*res = NULL;
	if (db_ensure(db) == -1)
		return DB_UNAVAILABLE;
	r = db_run(db, sql, n, params);
	st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		if (res != NULL)
			*res = r;
		else
			PQclear(r);
		return DB_OK;
	}
	rc = r == NULL ? DB_UNAVAILABLE : db_classify(db, r);
	if (rc == DB_ERROR || rc == DB_UNAVAILABLE) {
		metrics_inc(M_DB_ERRORS, 0, 0);
		log_error(NULL, "postgres: %s", r == NULL ?
		    PQerrorMessage(db->conn) : PQresultErrorMessage(r));
	}
	PQclear(r);
	return rc;
}

enum db_rc
db_row(struct db *db, const char *sql, int n, const char *const *params, PGresult **res)
{
	PGresult	*r = NULL;
	enum db_rc	 rc;

	*res = NULL;
	if ((rc = db_exec(db, sql, n, params, &r)) != DB_OK)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return DB_NOTFOUND;
	}
	*res = r;
	return DB_OK;
}

enum db_rc
db_script(struct db *db, const char *sql, char *err, size_t errlen)
{
	PGresult	*r;
	enum db_rc	 rc = DB_OK;

	if (db_ensure(db) == -1) {
		snprintf(err, errlen, "cannot connect to PostgreSQL");
		return DB_UNAVAILABLE;
	}
	r = PQexec(db->conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", r ? PQresultErrorMessage(r) :
		    PQerrorMessage(db->conn));
		rc = r == NULL ? DB_UNAVAILABLE : db_classify(db, r);
		if (rc == DB_OK)
			rc = DB_ERROR;
	}
	PQclear(r);
	return rc;
}

int
db_notifies(struct db *db, void (*cb)(const char *channel, const char *payload, void *arg),
    void *arg)
{
	PGnotify	*n;

	if (!db_healthy(db) || PQconsumeInput(db->conn) == 0)
		return -1;
	while ((n = PQnotifies(db->conn)) != NULL) {
		cb(n->relname, n->extra, arg);
		PQfreemem(n);
	}
	/* Parsing what was read may have met the server's FATAL: the session is ending. */
	return db_healthy(db) ? 0 : -1;
}

unsigned long
db_session(const struct db *db)
{
	return db_healthy(db) ? db->sessions : 0;
}

int
db_socket(const struct db *db)
{
	return db_healthy(db) ? PQsocket(db->conn) : -1;
}

enum db_rc
db_ping(struct db *db)
{
	return db_exec(db, "SELECT 1", 0, NULL, NULL) == DB_OK ? DB_OK : DB_UNAVAILABLE;
}

const char *
db_text(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

json_object *
db_json(const PGresult *res, int row, int col)
{
	json_object	*o = NULL;
	const char	*s;
	char		 err[128];

	if ((s = db_text(res, row, col)) == NULL)
		return NULL;
	if (jsonh_parse(s, strlen(s), &o, err, sizeof(err)) == -1)
		return NULL;
	return o;
}
