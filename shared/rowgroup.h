/* rowgroup.h: group commit of one-row INSERTs across the threads of a process. The rows
 * that threads store at the same moment go to PostgreSQL as one multi-row INSERT, one
 * statement and one commit, run by whichever of them leads; each thread gets back its own
 * row once that commit is done, exactly as if it had stored it alone. */
#ifndef FRAGENT_ROWGROUP_H
#define FRAGENT_ROWGROUP_H

#include <stddef.h>

#include "db.h"

/* The most rows one statement stores; more waiting go in the next one. */
#define ROWGROUP_MAX	16

struct rowgroup;

/* The statement for "n" rows (n >= 2, a heap string): row i's parameters are
 * $(nparams i + 1) to $(nparams i + nparams), and it returns one row per row stored. */
typedef char	*(*rowgroup_sql_fn)(size_t n);

/* A group for statement "one" (a constant: one row of "nparams" parameters, returning its
 * row) and "rows" (the same for n rows). A returned row is matched to the row it stored by
 * column "id_col", equal to parameter "id_param" (the row's key, unique). Never NULL. */
struct rowgroup	*rowgroup_new(const char *one, rowgroup_sql_fn rows, int nparams, int id_col,
		    int id_param);
/* Frees "g" once no thread uses it any more; NULL-safe. */
void		 rowgroup_free(struct rowgroup *g);
/* Stores row "params" with the rows other threads store at the same moment, over the
 * leader's connection (this thread's "db" when it leads). Returns like db_row: DB_OK with
 * "*res" holding the row returned for it (the caller frees it with PQclear), or another
 * code. When the shared statement fails with the connection healthy (a row it cannot
 * store), each row is stored alone, over its own thread's connection, so that one row's
 * error is its own; when the connection fails, every row of the statement gets
 * DB_UNAVAILABLE, as one statement alone would. */
enum db_rc	 rowgroup_store(struct rowgroup *g, struct db *db, const char *const *params,
		    PGresult **res);
/* How many statements its leaders ran and how many rows these carried (a shared statement
 * that failed counts; the rows then stored alone do not). */
void		 rowgroup_counts(struct rowgroup *g, unsigned long *statements,
		    unsigned long *rows);

#endif
