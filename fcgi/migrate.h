/* migrate.h: applying the numbered SQL migrations, each once, each in its own transaction. */
#ifndef FRAGENT_MIGRATE_H
#define FRAGENT_MIGRATE_H

struct db;

/* Applies every NNN_name.sql file of "dir" not yet recorded in schema_migrations, in name
 * order, under an advisory lock so concurrent runs wait. Returns 0, or -1 after logging. */
int	migrate_run(struct db *db, const char *dir);

#endif
