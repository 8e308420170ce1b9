/* migrate.c: the `fragent-api migrate` command (see migrate.h). */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "log.h"
#include "migrate.h"
#include "xalloc.h"

#define MIGRATE_LOCK	"7290346651"	/* arbitrary advisory lock key for migrations */
#define MIGRATE_MAX	256

static const char SQL_MIGRATIONS_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	"version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";

/* True for names like 001_init.sql. */
static int
migrate_name_ok(const char *n)
{
	size_t	 len = strlen(n);

	return len > 8 && strspn(n, "0123456789") == 3 && n[3] == '_' &&
	    strcmp(n + len - 4, ".sql") == 0 &&
	    strspn(n + 4, "abcdefghijklmnopqrstuvwxyz0123456789_") == len - 8;
}

static int
migrate_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the whole file "path" into "b". Returns 0 or -1. */
static int
migrate_read(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = 0;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

/* Applies one migration file if it is not recorded yet. Returns 0 or -1. */
static int
migrate_one(struct db *db, const char *dir, const char *name)
{
	PGresult	*res = NULL;
	struct buf	 sql;
	char		 path[4096], version[64], err[1024];
	int		 rc = -1;

	snprintf(version, sizeof(version), "%.*s", (int)(strlen(name) - 4), name);
	if (db_exec(db, "SELECT 1 FROM schema_migrations WHERE version = $1", 1,
	    (const char *[]){ version }, &res) != DB_OK)
		return -1;
	if (PQntuples(res) > 0) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	buf_init(&sql);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
	    migrate_read(path, &sql) == -1 || sql.data == NULL) {
		log_error(NULL, "cannot read migration %s", path);
		goto out;
	}
	if (db_exec(db, "BEGIN", 0, NULL, NULL) != DB_OK)
		goto out;
	if (db_script(db, sql.data, err, sizeof(err)) != DB_OK) {
		log_error(NULL, "migration %s failed: %s", name, err);
		db_exec(db, "ROLLBACK", 0, NULL, NULL);
		goto out;
	}
	if (db_exec(db, "INSERT INTO schema_migrations (version) VALUES ($1)", 1,
	    (const char *[]){ version }, NULL) != DB_OK ||
	    db_exec(db, "COMMIT", 0, NULL, NULL) != DB_OK) {
		db_exec(db, "ROLLBACK", 0, NULL, NULL);
		goto out;
	}
	log_info(NULL, "applied migration %s", version);
	rc = 0;
out:
	buf_clear(&sql);
	return rc;
}

/* Lists the migration files of "dir", sorted. Returns the count, or -1. */
static int
migrate_list(const char *dir, char **names)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL) {
		log_error(NULL, "cannot open migrations folder %s", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL && n < MIGRATE_MAX)
		if (migrate_name_ok(de->d_name))
			names[n++] = xstrdup(de->d_name);
	closedir(d);
	if (n == 0) {
		log_error(NULL, "no NNN_name.sql migration in %s", dir);
		return -1;
	}
	qsort(names, (size_t)n, sizeof(*names), migrate_cmp);
	log_info(NULL, "%d migrations in %s", n, dir);
	return n;
}

int
migrate_run(struct db *db, const char *dir)
{
	char	*names[MIGRATE_MAX];
	int	 n, i, rc = -1;

	if ((n = migrate_list(dir, names)) == -1)
		return -1;
	if (db_exec(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", 0, NULL, NULL) != DB_OK)
		goto out;
	if (db_exec(db, SQL_MIGRATIONS_TABLE, 0, NULL, NULL) == DB_OK) {
		for (i = 0; i < n; i++)
			if (migrate_one(db, dir, names[i]) == -1)
				break;
		if (i == n)
			rc = 0;
	}
	db_exec(db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")", 0, NULL, NULL);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	return rc;
}
