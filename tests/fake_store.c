/* fake_store.c: the in-memory run store of the unit suites (see fake_store.h). Each operation
 * mirrors the guards of its statement in jobd/store_pg.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fake_store.h"
#include "jsonh.h"
#include "utf8.h"

struct fake_store {
	struct store	 s;
	struct fake_db	*db;
};

#define DB(s)	(((struct fake_store *)(s))->db)

static int64_t
fake_now(struct fake_db *db)
{
	return (int64_t)clock_now_ms(db->clock);
}

struct fake_exec *
fake_db_exec(struct fake_db *db, const char *id)
{
	struct fake_exec	*x;

	for (x = db->execs; x != NULL; x = x->next)
		if (strcmp(x->id, id) == 0)
			return x;
	return NULL;
}

static bool
fake_expired(struct fake_db *db, const struct fake_exec *x)
{
	return x->expires < 0 || x->expires < fake_now(db);
}

/* Running and leased to "owner". */
static bool
fake_held(struct fake_db *db, const char *id, const char *owner)
{
	struct fake_exec	*x = fake_db_exec(db, id);

	return x != NULL && strcmp(x->status, "running") == 0 && x->owner != NULL &&
	    strcmp(x->owner, owner) == 0;
}

static void
fake_set_owner(struct fake_exec *x, const char *owner)
{
	free(x->owner);
	x->owner = owner != NULL ? strdup(owner) : NULL;
}

static int
fake_max_attempt(struct fake_db *db, const char *id, const char *node)
{
	struct fake_step	*st;
	int			 max = 0;

	for (st = db->steps; st != NULL; st = st->next)
		if (strcmp(st->exec_id, id) == 0 && strcmp(st->node_id, node) == 0 &&
		    st->attempt > max)
			max = st->attempt;
	return max;
}

static struct fake_step *
fake_find_step(struct fake_db *db, const char *id, const char *node, int attempt)
{
	struct fake_step	*st;

	for (st = db->steps; st != NULL; st = st->next)
		if (strcmp(st->exec_id, id) == 0 && strcmp(st->node_id, node) == 0 &&
		    st->attempt == attempt)
			return st;
	return NULL;
}

static struct fake_step *
fake_add_step(struct fake_db *db, const char *id, const char *node, int attempt,
    const char *status, json_object *input, json_object *output, const char *error)
{
	struct fake_step	*st;

	if (fake_find_step(db, id, node, attempt) != NULL || (st = calloc(1, sizeof(*st))) ==
	    NULL)
		return NULL;	/* ON CONFLICT DO NOTHING */
	snprintf(st->exec_id, sizeof(st->exec_id), "%s", id);
	snprintf(st->node_id, sizeof(st->node_id), "%s", node);
	st->attempt = attempt;
	snprintf(st->status, sizeof(st->status), "%s", status);
	st->input = json_object_get(input);
	st->output = json_object_get(output);
	st->error = error != NULL ? strdup(error) : NULL;
	st->next = db->steps;
	db->steps = st;
	return st;
}

static void
fake_end_step(struct fake_step *st, const char *status, json_object *output, const char *error)
{
	snprintf(st->status, sizeof(st->status), "%s", status);
	json_object_put(st->output);
	st->output = json_object_get(output);
	free(st->error);
	st->error = error != NULL ? strdup(error) : NULL;
}

/* ---------------------------------------------------------------- operations */

#define FAKE_ENTER(s, op) do {						\
	DB(s)->calls[op]++;						\
	if (DB(s)->down)						\
		return STORE_FAILED;					\
} while (0)

static enum store_rc
fake_claim(struct store *s, const struct store_claim_req *reqs, size_t n, long lease_ms,
    struct store_claims *out)
{
	struct fake_db		*db = DB(s);
	struct fake_exec	*x;
	size_t			 i;

	out->rows = NULL;
	out->n = 0;
	FAKE_ENTER(s, FAKE_CLAIM);
	if ((out->rows = calloc(n + 1, sizeof(*out->rows))) == NULL)
		return STORE_FAILED;
	for (i = 0; i < n; i++) {
		struct store_claim *c;

		if ((x = fake_db_exec(db, reqs[i].id)) == NULL ||
		    !(strcmp(x->status, "queued") == 0 || (strcmp(x->status, "running") == 0 &&
		    (x->owner == NULL || strcmp(x->owner, s->owner) == 0 ||
		    fake_expired(db, x)))))
			continue;
		if (strcmp(x->status, "running") == 0 && x->owner != NULL &&
		    strcmp(x->owner, s->owner) != 0)
			x->abandons++;
		snprintf(x->status, sizeof(x->status), "running");
		x->attempt++;
		fake_set_owner(x, s->owner);
		x->expires = fake_now(db) + lease_ms;
		snprintf(x->entry, sizeof(x->entry), "%s", reqs[i].entry);
		c = &out->rows[out->n++];
		snprintf(c->id, sizeof(c->id), "%s", x->id);
		c->definition = jsonh_copy(x->definition);
		c->inputs = jsonh_copy(x->inputs);
		c->attempt = x->attempt;
		c->abandons = x->abandons;
	}
	return STORE_OK;
}

static enum store_rc
fake_why(struct store *s, const char *id, struct store_why *out)
{
	struct fake_exec	*x;

	FAKE_ENTER(s, FAKE_WHY);
	memset(out, 0, sizeof(*out));
	if ((x = fake_db_exec(DB(s), id)) == NULL)
		return STORE_NOTFOUND;
	snprintf(out->status, sizeof(out->status), "%s", x->status);
	if (x->owner != NULL) {
		out->has_owner = true;
		snprintf(out->owner, sizeof(out->owner), "%s", x->owner);
	}
	out->expired = fake_expired(DB(s), x);
	snprintf(out->entry, sizeof(out->entry), "%s", x->entry);
	return STORE_OK;
}

static enum store_rc
fake_outcome(struct store *s, const char *id, struct store_outcome *out)
{
	struct fake_exec	*x;

	FAKE_ENTER(s, FAKE_WHY);
	memset(out, 0, sizeof(*out));
	if ((x = fake_db_exec(DB(s), id)) == NULL)
		return STORE_NOTFOUND;
	snprintf(out->status, sizeof(out->status), "%s", x->status);
	snprintf(out->error, sizeof(out->error), "%s", x->error != NULL ? x->error : "");
	out->results = json_object_get(x->results);
	return STORE_OK;
}

static enum store_rc
fake_resume(struct store *s, const char *id, struct store_earlier **out, size_t *n)
{
	struct fake_db		*db = DB(s);
	struct fake_step	*st;
	int			 best[64] = { 0 };
	size_t			 i;

	*out = NULL;
	*n = 0;
	FAKE_ENTER(s, FAKE_RESUME);
	if (fake_held(db, id, s->owner))
		for (st = db->steps; st != NULL; st = st->next)
			if (strcmp(st->exec_id, id) == 0 && strcmp(st->status, "running") == 0)
				fake_end_step(st, "failed", NULL, "worker lost during the step");
	if ((*out = calloc(64, sizeof(**out))) == NULL)
		return STORE_FAILED;
	for (st = db->steps; st != NULL; st = st->next) {
		if (strcmp(st->exec_id, id) != 0)
			continue;
		for (i = 0; i < *n && strcmp((*out)[i].node_id, st->node_id) != 0; i++)
			;
		if (i == *n) {
			if (*n == 64)
				continue;
			snprintf((*out)[i].node_id, sizeof((*out)[i].node_id), "%s", st->node_id);
			(*n)++;
		}
		if (st->attempt > (*out)[i].last_attempt)
			(*out)[i].last_attempt = st->attempt;
		/* The latest success: the succeeded attempt with the highest number. */
		if (strcmp(st->status, "succeeded") == 0 && st->attempt > best[i]) {
			best[i] = st->attempt;
			(*out)[i].succeeded = true;
			json_object_put((*out)[i].output);
			(*out)[i].output = jsonh_copy(st->output);
		}
	}
	return STORE_OK;
}

/* Inserts CPU-only rows "rows" of execution "id" (kept when already there). */
static void
fake_insert_rows(struct fake_db *db, const char *id, json_object *rows)
{
	size_t	 i;

	for (i = 0; i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i), *v;

		json_object_object_get_ex(r, "attempt", &v);
		fake_add_step(db, id, jsonh_get_string(r, "node_id"), json_object_get_int(v),
		    jsonh_get_string(r, "status"), json_object_object_get(r, "input"),
		    json_object_object_get(r, "output"), jsonh_get_string(r, "error"));
	}
}

static enum store_rc
fake_step_start(struct store *s, const char *id, const char *node_id, json_object *input,
    json_object *rows, int *attempt)
{
	struct fake_db	*db = DB(s);

	FAKE_ENTER(s, FAKE_STEP_START);
	if (rows != NULL && !jsonh_storable(rows))
		return STORE_INVALID;
	if (!fake_held(db, id, s->owner))
		return STORE_NOTFOUND;
	if (rows != NULL)
		fake_insert_rows(db, id, rows);
	*attempt = fake_max_attempt(db, id, node_id) + 1;
	fake_add_step(db, id, node_id, *attempt, "running", input, NULL, NULL);
	return STORE_OK;
}

static enum store_rc
fake_step_rows(struct store *s, const char *id, json_object *rows)
{
	struct fake_db		*db = DB(s);
	struct fake_exec	*x = fake_db_exec(db, id);

	FAKE_ENTER(s, FAKE_STEP_ROWS);
	if (!jsonh_storable(rows))
		return STORE_INVALID;
	if (x == NULL || x->owner == NULL || strcmp(x->owner, s->owner) != 0 ||
	    (strcmp(x->status, "running") != 0 && strcmp(x->status, "cancelled") != 0))
		return STORE_NOTFOUND;
	fake_insert_rows(db, id, rows);
	return STORE_OK;
}

static enum store_rc
fake_step_skip(struct store *s, const char *id, const char *node_id)
{
	struct fake_db	*db = DB(s);

	FAKE_ENTER(s, FAKE_STEP_SKIP);
	if (fake_held(db, id, s->owner) && fake_db_steps(db, id, node_id, "skipped") == 0)
		fake_add_step(db, id, node_id, fake_max_attempt(db, id, node_id) + 1, "skipped",
		    NULL, NULL, NULL);
	return STORE_OK;
}

static enum store_rc
fake_steps_end(struct store *s, struct store_step_end *const *ends, size_t n, bool *applied)
{
	struct fake_db		*db = DB(s);
	struct fake_step	*st;
	size_t			 i;

	FAKE_ENTER(s, FAKE_STEPS_END);
	db->last_batch[FAKE_STEPS_END] = n;
	/* What PostgreSQL refuses fails the whole statement. */
	for (i = 0; i < n; i++)
		if (!jsonh_storable(ends[i]->output) || (ends[i]->error != NULL &&
		    !utf8_storable(ends[i]->error, strlen(ends[i]->error))) ||
		    (db->refuse_node != NULL && strcmp(ends[i]->node_id, db->refuse_node) == 0))
			return STORE_INVALID;
	for (i = 0; i < n; i++)
		if (fake_held(db, ends[i]->execution_id, s->owner) &&
		    (st = fake_find_step(db, ends[i]->execution_id, ends[i]->node_id,
		    ends[i]->attempt)) != NULL && strcmp(st->status, "running") == 0) {
			fake_end_step(st, ends[i]->status, ends[i]->output, ends[i]->error);
			applied[i] = true;
		}
	return STORE_OK;
}

static enum store_rc
fake_execs_end(struct store *s, struct store_exec_end *const *ends, size_t n, bool *settled)
{
	struct fake_db		*db = DB(s);
	struct fake_exec	*x;
	size_t			 i;

	FAKE_ENTER(s, FAKE_EXECS_END);
	db->last_batch[FAKE_EXECS_END] = n;
	for (i = 0; i < n; i++)
		if (!jsonh_storable(ends[i]->results) || !jsonh_storable(ends[i]->steps) ||
		    (ends[i]->error != NULL && !utf8_storable(ends[i]->error,
		    strlen(ends[i]->error))))
			return STORE_INVALID;
	for (i = 0; i < n; i++) {
		if (!fake_held(db, ends[i]->execution_id, s->owner))
			continue;
		x = fake_db_exec(db, ends[i]->execution_id);
		snprintf(x->status, sizeof(x->status), "%s", ends[i]->status);
		json_object_put(x->results);
		x->results = jsonh_copy(ends[i]->results);
		free(x->error);
		x->error = ends[i]->error != NULL ? strdup(ends[i]->error) : NULL;
		fake_set_owner(x, NULL);
		x->expires = -1;
		fake_insert_rows(db, x->id, ends[i]->steps);
		settled[i] = true;
	}
	return STORE_OK;
}

static enum store_rc
fake_cancel_steps(struct store *s, const char *id, const char *const *pending, size_t npending,
    const char *why)
{
	struct fake_db		*db = DB(s);
	struct fake_step	*st;
	size_t			 i;

	FAKE_ENTER(s, FAKE_CANCEL_STEPS);
	for (i = 0; i < npending; i++)
		fake_add_step(db, id, pending[i], fake_max_attempt(db, id, pending[i]) + 1,
		    "cancelled", NULL, NULL, "cancelled before it started");
	for (st = db->steps; st != NULL; st = st->next)
		if (strcmp(st->exec_id, id) == 0 && (strcmp(st->status, "running") == 0 ||
		    strcmp(st->status, "waiting") == 0))
			fake_end_step(st, "cancelled", NULL, why);
	return STORE_OK;
}

static enum store_rc
fake_cancel_take(struct store *s, const char *id, bool *taken)
{
	struct fake_db		*db = DB(s);
	struct fake_exec	*x;

	*taken = false;
	FAKE_ENTER(s, FAKE_CANCEL_TAKE);
	if ((x = fake_db_exec(db, id)) == NULL || strcmp(x->status, "cancelled") != 0 ||
	    (x->owner != NULL && x->owner[0] == '\0'))
		return STORE_OK;
	if (x->owner == NULL || strcmp(x->owner, s->owner) == 0 || fake_expired(db, x)) {
		fake_set_owner(x, "");
		x->expires = -1;
		*taken = true;
	}
	return STORE_OK;
}

static enum store_rc
fake_renew(struct store *s, const char *const *ids, size_t n, long lease_ms, bool *alive)
{
	struct fake_db	*db = DB(s);
	size_t		 i;

	FAKE_ENTER(s, FAKE_RENEW);
	for (i = 0; i < n; i++)
		if ((alive[i] = fake_held(db, ids[i], s->owner)))
			fake_db_exec(db, ids[i])->expires = fake_now(db) + lease_ms;
	return STORE_OK;
}

static enum store_rc
fake_release(struct store *s, const char *const *ids, size_t n)
{
	struct fake_db	*db = DB(s);
	size_t		 i;

	FAKE_ENTER(s, FAKE_RELEASE);
	for (i = 0; i < n; i++)
		if (fake_held(db, ids[i], s->owner)) {
			fake_set_owner(fake_db_exec(db, ids[i]), NULL);
			fake_db_exec(db, ids[i])->expires = -1;
		}
	return STORE_OK;
}

/* The last ended attempt of each node of "id" (the model keeps no exchanges). */
static enum store_rc
fake_recording(struct store *s, const char *id, json_object **out)
{
	struct fake_step	*st, *last;
	json_object		*row;

	FAKE_ENTER(s, FAKE_RECORDING);
	*out = json_object_new_array();
	for (st = DB(s)->steps; st != NULL; st = st->next) {
		if (strcmp(st->exec_id, id) != 0 || (strcmp(st->status, "succeeded") != 0 &&
		    strcmp(st->status, "failed") != 0))
			continue;
		last = fake_db_step(DB(s), id, st->node_id);
		if (last != st)
			continue;
		row = json_object_new_object();
		json_object_object_add(row, "node_id", json_object_new_string(st->node_id));
		json_object_object_add(row, "status", json_object_new_string(st->status));
		json_object_object_add(row, "output", json_object_get(st->output));
		json_object_object_add(row, "error", st->error != NULL ?
		    json_object_new_string(st->error) : NULL);
		json_object_array_add(*out, row);
	}
	return STORE_OK;
}

static void
fake_free(struct store *s)
{
	free(s);
}

static const struct store_ops fake_ops = {
	.claim = fake_claim, .why = fake_why, .outcome = fake_outcome, .resume = fake_resume,
	.step_start = fake_step_start, .step_rows = fake_step_rows, .step_skip = fake_step_skip,
	.steps_end = fake_steps_end, .execs_end = fake_execs_end,
	.cancel_steps = fake_cancel_steps, .cancel_take = fake_cancel_take,
	.renew = fake_renew, .release = fake_release, .recording = fake_recording,
	.free = fake_free,
};

/* ---------------------------------------------------------------- the model */

struct store *
fake_store_new(struct fake_db *db, const char *owner)
{
	struct fake_store	*fs;

	if ((fs = calloc(1, sizeof(*fs))) == NULL)
		return NULL;
	fs->db = db;
	store_init(&fs->s, &fake_ops, owner, NULL, NULL);
	return &fs->s;
}

struct fake_db *
fake_db_new(struct clock *clock)
{
	struct fake_db	*db;

	if ((db = calloc(1, sizeof(*db))) != NULL)
		db->clock = clock;
	return db;
}

void
fake_db_free(struct fake_db *db)
{
	struct fake_exec	*x, *xn;
	struct fake_step	*st, *sn;

	if (db == NULL)
		return;
	for (x = db->execs; x != NULL; x = xn) {
		xn = x->next;
		free(x->owner);
		free(x->error);
		json_object_put(x->definition);
		json_object_put(x->inputs);
		json_object_put(x->results);
		free(x);
	}
	for (st = db->steps; st != NULL; st = sn) {
		sn = st->next;
		json_object_put(st->input);
		json_object_put(st->output);
		free(st->error);
		free(st);
	}
	free(db);
}

struct fake_exec *
fake_db_insert(struct fake_db *db, const char *id, const char *def, const char *inputs)
{
	struct fake_exec	*x;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	snprintf(x->id, sizeof(x->id), "%s", id);
	snprintf(x->status, sizeof(x->status), "queued");
	x->expires = -1;
	x->definition = json_tokener_parse(def);
	x->inputs = json_tokener_parse(inputs != NULL ? inputs : "{}");
	x->next = db->execs;
	db->execs = x;
	return x;
}

int
fake_db_steps(struct fake_db *db, const char *id, const char *node, const char *status)
{
	struct fake_step	*st;
	int			 n = 0;

	for (st = db->steps; st != NULL; st = st->next)
		n += strcmp(st->exec_id, id) == 0 &&
		    (node == NULL || strcmp(st->node_id, node) == 0) &&
		    (status == NULL || strcmp(st->status, status) == 0);
	return n;
}

struct fake_step *
fake_db_step(struct fake_db *db, const char *id, const char *node)
{
	return fake_find_step(db, id, node, fake_max_attempt(db, id, node));
}

void
fake_db_cancel(struct fake_db *db, const char *id)
{
	struct fake_exec	*x = fake_db_exec(db, id);

	if (x != NULL && (strcmp(x->status, "queued") == 0 || strcmp(x->status, "running") == 0 ||
	    strcmp(x->status, "waiting") == 0))
		snprintf(x->status, sizeof(x->status), "cancelled");
}

int
fake_db_answer(struct fake_db *db, const char *id, const char *node, json_object *output)
{
	struct fake_exec	*x = fake_db_exec(db, id);
	struct fake_step	*st;

	if (x == NULL || strcmp(x->status, "waiting") != 0)
		return -1;
	for (st = db->steps; st != NULL; st = st->next)
		if (strcmp(st->exec_id, id) == 0 && strcmp(st->node_id, node) == 0 &&
		    strcmp(st->status, "waiting") == 0)
			fake_end_step(st, "succeeded", output, NULL);
	snprintf(x->status, sizeof(x->status), "queued");
	return 0;
}

void
fake_db_retry(struct fake_db *db, const char *id)
{
	struct fake_exec	*x = fake_db_exec(db, id);

	if (x != NULL && (strcmp(x->status, "failed") == 0 ||
	    strcmp(x->status, "cancelled") == 0)) {
		snprintf(x->status, sizeof(x->status), "queued");
		x->abandons = 0;
		free(x->error);
		x->error = NULL;
	}
}
