/* it_rowgroup.c: group commit (shared/rowgroup.c) on the stack's PostgreSQL. Threads, each
 * with its own connection as the API's serving threads have, store rows at the same moment:
 * every thread gets back exactly its own row, fewer statements than rows ran, a row the
 * database refuses fails alone (the others of its statement are stored), and a key stored
 * twice is answered once stored and once a conflict. Then the same with the runs' own
 * statement (launch_group_new) on the executions table, and through the API: concurrent
 * POST /workflows/{id}/executions each answered 202 with its own run, all of them stored. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "check_run.h"
#include "db.h"
#include "it_common.h"
#include "jsonh.h"
#include "launch.h"
#include "rowgroup.h"

#define THREADS		8
#define PER_THREAD	40
/* Every POISON-th row of a thread has a value the table's CHECK refuses. */
#define POISON		5
#define CONCURRENT_POSTS	48

static const char SQL_ONE[] = "INSERT INTO it_rowgroup (id, v) VALUES ($1, $2::int) "
	"RETURNING v, id";

/* SQL_ONE for "n" rows. */
static char *
rows_sql(size_t n)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	buf_puts(&b, "INSERT INTO it_rowgroup (id, v) VALUES ");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s($%zu, $%zu::int)", i > 0 ? ", " : "", 2 * i + 1, 2 * i + 2);
	buf_puts(&b, " RETURNING v, id");
	return buf_take(&b);
}

/* One thread's work and what it saw. */
struct worker {
	pthread_t	 tid;
	struct rowgroup	*g;
	pthread_barrier_t *start;
	int		 n, poison, dup;	/* rows; refused ones; a key shared by all */
	int		 stored, refused, conflicts, wrong;
};

static void *
worker_run(void *arg)
{
	struct worker	*w = arg;
	struct db	*db = db_new(getenv("FRAGENT_DATABASE_URL"));
	PGresult	*res;
	char		 id[64], v[16];
	enum db_rc	 rc;
	int		 i, val;

	pthread_barrier_wait(w->start);
	for (i = 0; i < w->n; i++) {
		if (w->dup && i == 0)
			snprintf(id, sizeof(id), "shared-key");
		else
			snprintf(id, sizeof(id), "%lx-%d", (unsigned long)w->tid, i);
		val = w->poison && i % POISON == 0 ? -1 : i;
		snprintf(v, sizeof(v), "%d", val);
		rc = rowgroup_store(w->g, db, (const char *[]){ id, v }, &res);
		if (rc == DB_OK) {
			/* Exactly one row: this thread's own. */
			if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 1), id) != 0 ||
			    atoi(PQgetvalue(res, 0, 0)) != val || val < 0)
				w->wrong++;
			else
				w->stored++;
			PQclear(res);
		} else if (rc == DB_INVALID && val < 0)
			w->refused++;
		else if (rc == DB_CONFLICT && w->dup && i == 0)
			w->conflicts++;
		else
			w->wrong++;
	}
	db_free(db);
	return NULL;
}

/* Runs THREADS workers of "n" rows on a fresh table; sums what they saw into "sum". */
static void
run_workers(struct rowgroup *g, int n, int poison, int dup, struct worker *sum)
{
	struct worker		 w[THREADS];
	pthread_barrier_t	 start;
	int			 i;

	it_sql("SET client_min_messages = warning; DROP TABLE IF EXISTS it_rowgroup");
	it_sql("CREATE TABLE it_rowgroup (id text PRIMARY KEY, v int NOT NULL CHECK (v >= 0))");
	pthread_barrier_init(&start, NULL, THREADS);
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .g = g, .start = &start, .n = n, .poison = poison,
		    .dup = dup };
		ck_assert_int_eq(pthread_create(&w[i].tid, NULL, worker_run, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(w[i].tid, NULL);
		sum->stored += w[i].stored;
		sum->refused += w[i].refused;
		sum->conflicts += w[i].conflicts;
		sum->wrong += w[i].wrong;
	}
	pthread_barrier_destroy(&start);
}

START_TEST(test_rows_stored_together)
{
	struct rowgroup	*g = rowgroup_new(SQL_ONE, rows_sql, 2, 1, 0);
	struct worker	 sum;
	unsigned long	 statements, rows;
	char		 want[16];

	run_workers(g, PER_THREAD, 0, 0, &sum);
	ck_assert_int_eq(sum.wrong, 0);
	ck_assert_int_eq(sum.stored, THREADS * PER_THREAD);
	snprintf(want, sizeof(want), "%d", THREADS * PER_THREAD);
	ck_assert_str_eq(it_sql("SELECT count(*) FROM it_rowgroup"), want);
	rowgroup_counts(g, &statements, &rows);
	ck_assert_uint_eq(rows, THREADS * PER_THREAD);
	/* The threads' rows waited for one another's commits. */
	ck_assert_uint_lt(statements, rows);
	fprintf(stderr, "it_rowgroup: %lu rows in %lu statements\n", rows, statements);
	rowgroup_free(g);
	it_sql("SET client_min_messages = warning; DROP TABLE IF EXISTS it_rowgroup");
}
END_TEST

START_TEST(test_refused_row_fails_alone)
{
	struct rowgroup	*g = rowgroup_new(SQL_ONE, rows_sql, 2, 1, 0);
	struct worker	 sum;
	int		 poisoned = THREADS * ((PER_THREAD + POISON - 1) / POISON);
	char		 want[16];

	run_workers(g, PER_THREAD, 1, 0, &sum);
	ck_assert_int_eq(sum.wrong, 0);
	ck_assert_int_eq(sum.refused, poisoned);
	ck_assert_int_eq(sum.stored, THREADS * PER_THREAD - poisoned);
	snprintf(want, sizeof(want), "%d", THREADS * PER_THREAD - poisoned);
	ck_assert_str_eq(it_sql("SELECT count(*) FROM it_rowgroup"), want);
	ck_assert_str_eq(it_sql("SELECT count(*) FROM it_rowgroup WHERE v < 0"), "0");
	rowgroup_free(g);
	it_sql("SET client_min_messages = warning; DROP TABLE IF EXISTS it_rowgroup");
}
END_TEST

START_TEST(test_key_stored_twice_conflicts)
{
	struct rowgroup	*g = rowgroup_new(SQL_ONE, rows_sql, 2, 1, 0);
	struct worker	 sum;

	/* Every thread's first row has the same key: one is stored, the others conflict. */
	run_workers(g, 4, 0, 1, &sum);
	ck_assert_int_eq(sum.wrong, 0);
	ck_assert_int_eq(sum.conflicts, THREADS - 1);
	ck_assert_int_eq(sum.stored, THREADS * 4 - (THREADS - 1));
	ck_assert_str_eq(it_sql("SELECT count(*) FROM it_rowgroup WHERE id = $$shared-key$$"),
	    "1");
	rowgroup_free(g);
	it_sql("SET client_min_messages = warning; DROP TABLE IF EXISTS it_rowgroup");
}
END_TEST

/* ---------------------------------------------------------------- the runs' statement */

static char	 wf_id[UUID_STRLEN + 1];
static struct it_user owner;

struct launcher {
	pthread_t	 tid;
	struct rowgroup	*g;
	pthread_barrier_t *start;
	int		 stored, wrong;
};

static void *
launcher_run(void *arg)
{
	struct launcher	*w = arg;
	struct db	*db = db_new(getenv("FRAGENT_DATABASE_URL"));
	PGresult	*res;
	json_object	*run;
	char		 id[UUID_STRLEN + 1], inputs[64];
	int		 i;

	pthread_barrier_wait(w->start);
	for (i = 0; i < 10; i++) {
		if (uuid_new(id) == -1) {
			w->wrong++;
			continue;
		}
		snprintf(inputs, sizeof(inputs), "{\"x\":\"%s\"}", id);
		if (rowgroup_store(w->g, db, (const char *[]){ id, "workflow", wf_id, "1", IT_DEF,
		    inputs, owner.id, NULL, NULL, NULL, NULL, NULL, "api", NULL, NULL, NULL,
		    NULL }, &res) != DB_OK) {
			w->wrong++;
			continue;
		}
		/* The run's JSON, as the API answers it, is this run's. */
		run = db_json(res, 0, 0);
		if (run != NULL && strcmp(PQgetvalue(res, 0, 1), id) == 0 &&
		    jsonh_get_string(run, "id") != NULL &&
		    strcmp(jsonh_get_string(run, "id"), id) == 0 &&
		    strcmp(jsonh_get_string(run, "status"), "queued") == 0 &&
		    strcmp(jsonh_get_string(run, "trigger"), "api") == 0)
			w->stored++;
		else
			w->wrong++;
		json_object_put(run);
		PQclear(res);
	}
	db_free(db);
	return NULL;
}

/* A user and a workflow of theirs for each test of the runs (a checked fixture: each test
 * runs in its own process). */
static void
owner_setup(void)
{
	it_user_new(&owner, "it-rowgroup", "owner", "editor");
	it_create("/api/v1/workflows", "{\"name\":\"rowgroup\",\"definition\":" IT_DEF "}",
	    owner.token, wf_id);
}

static void
owner_teardown(void)
{
	it_user_clear(&owner);
}

START_TEST(test_runs_statement)
{
	struct rowgroup		*g = launch_group_new();
	struct launcher		 w[THREADS];
	pthread_barrier_t	 start;
	char			 sql[256];
	int			 i, stored = 0, wrong = 0;

	pthread_barrier_init(&start, NULL, THREADS);
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct launcher){ .g = g, .start = &start };
		ck_assert_int_eq(pthread_create(&w[i].tid, NULL, launcher_run, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(w[i].tid, NULL);
		stored += w[i].stored;
		wrong += w[i].wrong;
	}
	pthread_barrier_destroy(&start);
	ck_assert_int_eq(wrong, 0);
	ck_assert_int_eq(stored, THREADS * 10);
	/* Every row holds its own inputs (a parameter of another row never lands in it). */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM executions WHERE workflow_id = "
	    "$$%s$$ AND inputs->>$$x$$ = id::text AND trigger = $$api$$", wf_id);
	ck_assert_str_eq(it_sql(sql), "80");
	/* Stored here without their queue entries: not left for the sweeper to run. */
	snprintf(sql, sizeof(sql), "DELETE FROM executions WHERE workflow_id = $$%s$$", wf_id);
	it_sql(sql);
	rowgroup_free(g);
}
END_TEST

/* ---------------------------------------------------------------- through the API */

START_TEST(test_concurrent_posts_each_get_their_run)
{
	char		 path[128], sql[512], want[24], bodies[CONCURRENT_POSTS][32];
	char		*answers[CONCURRENT_POSTS], ids[CONCURRENT_POSTS][40];
	const char	*body[CONCURRENT_POSTS], *id;
	json_object	*run;
	long		 st[CONCURRENT_POSTS];
	size_t		 i, j;

	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf_id);
	for (i = 0; i < CONCURRENT_POSTS; i++) {
		snprintf(bodies[i], sizeof(bodies[i]), "{\"inputs\":{\"x\":%zu}}", i);
		body[i] = bodies[i];
	}
	http_many("POST", path, body, owner.token, CONCURRENT_POSTS, st, answers);
	for (i = 0; i < CONCURRENT_POSTS; i++) {
		ck_assert_msg(st[i] == 202, "POST %zu answered %ld: %s", i, st[i], answers[i]);
		ck_assert_ptr_nonnull(run = json_tokener_parse(answers[i]));
		ck_assert_ptr_nonnull(id = jsonh_get_string(run, "id"));
		snprintf(ids[i], sizeof(ids[i]), "%s", id);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(ids[j], ids[i]);
		/* Its own run: the inputs it sent, stored. */
		snprintf(sql, sizeof(sql), "SELECT inputs->>$$x$$ FROM executions WHERE id = $$%s$$",
		    id);
		snprintf(want, sizeof(want), "%zu", i);
		ck_assert_str_eq(it_sql(sql), want);
		json_object_put(run);
		free(answers[i]);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("rowgroup");
	TCase	*rows = tcase_create("rows");
	TCase	*runs = tcase_create("runs");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (getenv("FRAGENT_DATABASE_URL") == NULL || it_login_admin() == NULL) {
		fprintf(stderr, "it_rowgroup: needs FRAGENT_DATABASE_URL and the suites' "
		    "administrator\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(rows, 120);
	tcase_add_test(rows, test_rows_stored_together);
	tcase_add_test(rows, test_refused_row_fails_alone);
	tcase_add_test(rows, test_key_stored_twice_conflicts);
	tcase_set_timeout(runs, 120);
	tcase_add_checked_fixture(runs, owner_setup, owner_teardown);
	tcase_add_test(runs, test_runs_statement);
	tcase_add_test(runs, test_concurrent_posts_each_get_their_run);
	suite_add_tcase(s, rows);
	suite_add_tcase(s, runs);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
