/* engine.c: the runs of one worker (see engine.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine.h"
#include "hash.h"
#include "lease.h"
#include "log.h"
#include "run.h"
#include "store.h"
#include "uuid.h"
#include "xalloc.h"

#define ENGINE_BUCKETS	4096

struct engine {
	struct engine_config	 cfg;
	struct engine_ports	 ports;
	struct lease		 lease;
	struct run_ctx		 ctx;
	struct clock_timer	*renew_timer;
	struct clock_timer	*flush_timer;
	struct run		*table[ENGINE_BUCKETS];
	size_t			 inflight;
};

/* ---------------------------------------------------------------- the table */

static size_t
engine_bucket(const char *id)
{
	return hash_fnv1a(id) % ENGINE_BUCKETS;
}

static struct run *
engine_find(const struct engine *e, const char *id)
{
	struct run	*r;

	for (r = e->table[engine_bucket(id)]; r != NULL; r = *run_next(r))
		if (strcmp(run_id(r), id) == 0)
			return r;
	return NULL;
}

static void
engine_add(struct engine *e, struct run *r)
{
	size_t	 b = engine_bucket(run_id(r));

	*run_next(r) = e->table[b];
	e->table[b] = r;
	e->inflight++;
}

/* run_ctx.gone: run "r" is being freed. */
static void
engine_gone(void *arg, struct run *r)
{
	struct engine	*e = arg;
	struct run	**p = &e->table[engine_bucket(run_id(r))];

	for (; *p != NULL; p = run_next(*p))
		if (*p == r) {
			*p = *run_next(r);
			e->inflight--;
			break;
		}
	if (e->ports.left != NULL)
		e->ports.left(e->ports.arg);
}

/* Calls "fn" on every run (which may free it). */
static void
engine_each(struct engine *e, void (*fn)(struct run *r, const char *why), const char *why)
{
	size_t	 b;

	for (b = 0; b < ENGINE_BUCKETS; b++)
		while (e->table[b] != NULL)
			fn(e->table[b], why);
}

/* ---------------------------------------------------------------- ports of the runs */

static void
engine_publish(void *arg, const char *id, enum event_type type, json_object *fields)
{
	struct engine	*e = arg;

	e->ports.publish(e->ports.arg, id, type, fields);
}

static void
engine_ack(void *arg, const char *entry)
{
	struct engine	*e = arg;

	if (entry[0] != '\0')
		e->ports.ack(e->ports.arg, entry);
}

static uint64_t
engine_rand(void *arg)
{
	struct engine	*e = arg;

	return e->ports.rand(e->ports.arg);
}

/* ---------------------------------------------------------------- group commit */

static void
engine_on_flush(void *arg)
{
	struct engine	*e = arg;

	store_flush(e->ports.store);
}

/* store.want_flush: something was queued; write it at the end of this loop turn. */
static void
engine_want_flush(void *arg)
{
	struct engine	*e = arg;

	clock_timer_add(e->ports.clock, e->flush_timer, 0);
}

void
engine_flush(struct engine *e)
{
	clock_timer_del(e->ports.clock, e->flush_timer);
	store_flush(e->ports.store);
}

/* ---------------------------------------------------------------- renewals */

/* Every third of a lease: renew every lease held; stop the runs no longer ours. */
static void
engine_on_renew(void *arg)
{
	struct engine		*e = arg;
	const char		**ids, **entries;
	char			(*copy)[UUID_STRLEN + 1];
	uint64_t		*confirmed;
	enum lease_state	*state;
	struct run		*r;
	size_t			 n = 0, b, i;

	clock_timer_add(e->ports.clock, e->renew_timer, lease_renew_every_ms(&e->lease));
	if (e->inflight == 0)
		return;
	ids = xcalloc(e->inflight, sizeof(*ids));
	entries = xcalloc(e->inflight, sizeof(*entries));
	copy = xcalloc(e->inflight, sizeof(*copy));
	confirmed = xcalloc(e->inflight, sizeof(*confirmed));
	state = xcalloc(e->inflight, sizeof(*state));
	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (r = e->table[b]; r != NULL && n < e->inflight; r = *run_next(r)) {
			snprintf(copy[n], sizeof(copy[n]), "%s", run_id(r));
			ids[n] = copy[n];
			confirmed[n] = *run_confirmed(r);
			n++;
		}
	lease_renew(&e->lease, ids, n, clock_now_ms(e->ports.clock), confirmed, state);
	/* Acting on one run frees at most that run: look each up again. */
	for (i = 0; i < n; i++) {
		if ((r = engine_find(e, ids[i])) == NULL)
			continue;
		*run_confirmed(r) = confirmed[i];
		if (state[i] == LEASE_LOST)
			run_lost(r);
		else if (state[i] == LEASE_FENCED)
			run_release(r, "lease not renewed in time (store unreachable)");
	}
	/* The queue entries of the runs still here stay "fresh": XAUTOCLAIM leaves them. */
	for (i = 0, n = 0, b = 0; b < ENGINE_BUCKETS; b++)
		for (r = e->table[b]; r != NULL && n < e->inflight; r = *run_next(r))
			if (run_entry(r)[0] != '\0')
				entries[n++] = run_entry(r);
	if (n > 0 && e->ports.refresh != NULL)
		e->ports.refresh(e->ports.arg, entries, n);
	free(ids);
	free(entries);
	free(copy);
	free(confirmed);
	free(state);
}

/* ---------------------------------------------------------------- taking entries */

/* The lower-case form of execution id "in" into "out"; false when it is not a UUID. */
static bool
engine_norm_id(const char *in, char out[UUID_STRLEN + 1])
{
	size_t	 i;

	if (in == NULL || !uuid_valid(in))
		return false;
	for (i = 0; i < UUID_STRLEN; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[UUID_STRLEN] = '\0';
	return true;
}

/* Starts the run of "claim" from entry "entry". */
static void
engine_start(struct engine *e, const struct store_claim *claim, const char *entry)
{
	struct run	*r;

	if ((r = run_new(&e->ctx, claim, entry)) == NULL)
		return;		/* the entry stays pending */
	engine_add(e, r);
	run_go(r);
}

/* Execution "id" ended but its holder never acknowledged its own entry "entry": it may have
 * stopped before publishing the end, which is published now (once) from the stored
 * outcome. Without the outcome the entry stays pending for a later reclaim. */
static void
engine_publish_end(struct engine *e, const char *id, const char *entry)
{
	struct store_outcome	 o;
	json_object		*f;

	if (e->ports.store->ops->outcome(e->ports.store, id, &o) != STORE_OK)
		return;
	f = event_end_fields(o.status, o.error[0] != '\0' ? o.error : NULL, o.results);
	e->ports.publish_end(e->ports.arg, id, event_end_type(o.status), f, entry);
	json_object_put(f);
	store_outcome_clear(&o);
}

/* Entry "entry" of execution "id" was not taken by the claim: ask why and act. */
static void
engine_refused(struct engine *e, const char *id, const char *entry)
{
	struct store_why	 why;

	switch (e->ports.store->ops->why(e->ports.store, id, &why)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		engine_ack(e, entry);	/* deleted, or never was */
		return;
	default:
		return;			/* try again later */
	}
	switch (lease_refusal(&why, e->ports.store->owner, entry)) {
	case LEASE_REFUSAL_ACK:
		engine_ack(e, entry);
		break;
	case LEASE_REFUSAL_CANCEL:
		run_settle_cancelled(&e->ctx, id);
		engine_ack(e, entry);
		break;
	case LEASE_REFUSAL_END:
		engine_publish_end(e, id, entry);
		break;
	default:
		break;
	}
}

struct engine_pick {
	char		 id[UUID_STRLEN + 1];
	const char	*entry;
	bool		 claim;		/* the first entry of its execution: claims it */
	bool		 skip;		/* settled already (acknowledged or held) */
};

/* Sorts the entries: held here already (acknowledge duplicates), malformed (acknowledge), or
 * to claim (the first entry of each execution). Fills "reqs" and returns their number. */
static size_t
engine_pick(struct engine *e, const struct engine_entry *entries, size_t n,
    struct engine_pick *pick, struct store_claim_req *reqs)
{
	struct run	*r;
	size_t		 i, j, nreq = 0;

	for (i = 0; i < n; i++) {
		pick[i].entry = entries[i].entry_id;
		if (!engine_norm_id(entries[i].exec_id, pick[i].id)) {
			log_warn(NULL, "queue entry %s has no valid execution_id; dropped",
			    entries[i].entry_id);
			engine_ack(e, entries[i].entry_id);
			pick[i].skip = true;
			continue;
		}
		if ((r = engine_find(e, pick[i].id)) != NULL) {
			/* Runs here: its own entry (read again) stays, another is a duplicate. */
			if (strcmp(run_entry(r), entries[i].entry_id) != 0)
				engine_ack(e, entries[i].entry_id);
			pick[i].skip = true;
			continue;
		}
		for (j = 0; j < i && !(pick[j].claim && strcmp(pick[j].id, pick[i].id) == 0); j++)
			;
		if (j < i)
			continue;	/* settled with the first entry of its execution */
		pick[i].claim = true;
		reqs[nreq].id = pick[i].id;
		reqs[nreq].entry = entries[i].entry_id;
		nreq++;
	}
	return nreq;
}

void
engine_take(struct engine *e, const struct engine_entry *entries, size_t n)
{
	struct engine_pick	*pick;
	struct store_claim_req	*reqs;
	struct store_claims	 claims = { NULL, 0 };
	enum store_rc		 rc = STORE_OK;
	size_t			 i, j, nreq;

	if (n == 0)
		return;
	pick = xcalloc(n, sizeof(*pick));
	reqs = xcalloc(n, sizeof(*reqs));
	if ((nreq = engine_pick(e, entries, n, pick, reqs)) > 0)
		rc = e->ports.store->ops->claim(e->ports.store, reqs, nreq, e->cfg.lease_ms,
		    &claims);
	if (rc != STORE_OK)
		goto out;	/* the store is away: leave everything pending */
	for (i = 0; i < n; i++) {
		if (pick[i].skip)
			continue;
		for (j = 0; j < claims.n && strcmp(claims.rows[j].id, pick[i].id) != 0; j++)
			;
		if (j < claims.n) {
			if (pick[i].claim)
				engine_start(e, &claims.rows[j], pick[i].entry);
			else
				engine_ack(e, pick[i].entry);	/* a duplicate of the batch */
		} else if (engine_find(e, pick[i].id) == NULL)
			engine_refused(e, pick[i].id, pick[i].entry);
	}
out:
	store_claims_clear(&claims);
	free(pick);
	free(reqs);
}

/* ---------------------------------------------------------------- the rest */

void
engine_cancel(struct engine *e, const char *exec_id)
{
	char		 id[UUID_STRLEN + 1];
	struct run	*r;

	if (engine_norm_id(exec_id, id) && (r = engine_find(e, id)) != NULL) {
		log_info(LOG_IDS(NULL, id), "cancel requested");
		run_cancel(r);
	}
}

size_t
engine_inflight(const struct engine *e)
{
	return e->inflight;
}

size_t
engine_room(const struct engine *e)
{
	return e->inflight < e->cfg.max_inflight ? e->cfg.max_inflight - e->inflight : 0;
}

bool
engine_holds(const struct engine *e, const char *exec_id)
{
	char	 id[UUID_STRLEN + 1];

	return engine_norm_id(exec_id, id) && engine_find(e, id) != NULL;
}

void
engine_release_all(struct engine *e)
{
	const char	**ids;
	struct run	*r;
	size_t		 n = 0, b;

	engine_flush(e);	/* answers already in are kept, ends already reached settled */
	if (e->inflight > 0) {
		ids = xcalloc(e->inflight, sizeof(*ids));
		for (b = 0; b < ENGINE_BUCKETS; b++)
			for (r = e->table[b]; r != NULL && n < e->inflight; r = *run_next(r))
				ids[n++] = run_id(r);
		e->ports.store->ops->release(e->ports.store, ids, n);
		free(ids);
	}
	engine_each(e, run_release, "worker stopping");
}

struct engine *
engine_new(const struct engine_config *cfg, const struct engine_ports *ports)
{
	struct engine	*e;

	e = xcalloc(1, sizeof(*e));
	e->cfg = *cfg;
	e->ports = *ports;
	e->lease.store = ports->store;
	e->lease.lease_ms = cfg->lease_ms;
	e->lease.max_abandons = cfg->max_abandons;
	e->ctx.store = ports->store;
	e->ctx.clock = ports->clock;
	e->ctx.lease = &e->lease;
	e->ctx.nodes = ports->nodes;
	e->ctx.env = ports->env;
	e->ctx.cpu_limit_ms = cfg->cpu_limit_ms;
	e->ctx.cpu_backstop_ms = cfg->cpu_backstop_ms;
	e->ctx.publish = engine_publish;
	e->ctx.ack = engine_ack;
	e->ctx.rand = engine_rand;
	e->ctx.gone = engine_gone;
	e->ctx.arg = e;
	ports->store->want_flush = engine_want_flush;
	ports->store->want_flush_arg = e;
	if ((e->renew_timer = clock_timer_new(ports->clock, engine_on_renew, e)) == NULL ||
	    (e->flush_timer = clock_timer_new(ports->clock, engine_on_flush, e)) == NULL) {
		engine_free(e);
		return NULL;
	}
	clock_timer_add(ports->clock, e->renew_timer, lease_renew_every_ms(&e->lease));
	return e;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	e->ports.left = NULL;
	engine_each(e, run_release, "engine closing");
	clock_timer_free(e->ports.clock, e->renew_timer);
	clock_timer_free(e->ports.clock, e->flush_timer);
	store_free(e->ports.store);
	free(e);
}
