/* check_engine.c: the engine core (jobd/engine.c, run.c, step.c, cancel.c, lease.c, store.c)
 * against the in-memory run store (fake_store.c) and a fake clock: claims, resume, renewals,
 * lease loss, takeover by a peer, fencing, cancellation in each state, retries, group commit
 * and poisoned runs. Two engines ("A" and "B") play two workers sharing one database; node
 * types are faked: CPU-only ones answer at once, network ones wait until the test answers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "clock.h"
#include "engine.h"
#include "fake_clock.h"
#include "fake_store.h"
#include "jsonh.h"
#include "log.h"
#include "nodes/node.h"

#define LEASE	3000
#define X1	"01900000-0000-7000-8000-000000000001"
#define X2	"01900000-0000-7000-8000-000000000002"
#define N(id, type, cfg) "{\"id\":\"" id "\",\"type\":\"" type "\",\"config\":" cfg "}"
#define E(a, b)	"{\"source\":\"" a "\",\"target\":\"" b "\"}"

/* in → a (CPU) → w (network) → c (CPU) → out */
static const char LINEAR[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("a", "transform", "{\"expr\":\"\\\"A\\\"\"}") ","
    N("w", "http_request", "{\"url\":\"http://example.test/\"}") ","
    N("c", "transform", "{\"expr\":\"\\\"fail_once\\\"\"}") ","
    N("out", "output", "{\"value\":\"done\"}") "],\"edges\":["
    E("in", "a") "," E("a", "w") "," E("w", "c") "," E("c", "out") "]}";
/* in → a → out, CPU-only */
static const char CPU[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("a", "transform", "{\"expr\":\"\\\"A\\\"\"}") ","
    N("out", "output", "{\"value\":\"done\"}") "],\"edges\":["
    E("in", "a") "," E("a", "out") "]}";
/* in → tpl (CPU-only, answers later; 500 ms limit) → out */
static const char ASYNC[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("tpl", "template", "{\"template\":\"t\",\"timeout_ms\":500}") ","
    N("out", "output", "{\"value\":\"done\"}") "],\"edges\":["
    E("in", "tpl") "," E("tpl", "out") "]}";
/* in → tpl (CPU-only, answers later) → v (network, no retries) → out */
static const char ASYNC_NET[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("tpl", "template", "{\"template\":\"t\"}") ","
    N("v", "http_request", "{\"url\":\"http://example.test/\"}") ","
    N("out", "output", "{\"value\":\"done\"}") "],\"edges\":["
    E("in", "tpl") "," E("tpl", "v") "," E("v", "out") "]}";
/* in → v (network, no retries) → out */
static const char NET2[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("v", "http_request", "{\"url\":\"http://example.test/\"}") ","
    N("out", "output", "{\"value\":\"done\"}") "],\"edges\":["
    E("in", "v") "," E("v", "out") "]}";
/* in → w (network, 2 retries, back-off 1 s) → out */
static const char RETRY[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("w", "http_request", "{\"url\":\"http://example.test/\",\"retries\":2,"
    "\"retry_backoff_ms\":1000}") ","
    N("out", "output", "{\"value\":\"done\"}") "],\"edges\":["
    E("in", "w") "," E("w", "out") "]}";
/* in → w (network, 1 retry) → ok → out; w's error edge → fb → out2 */
#define EH(a, h, b)	"{\"source\":\"" a "\",\"source_handle\":\"" h "\",\"target\":\"" b "\"}"
static const char BRANCH[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("w", "http_request", "{\"url\":\"http://example.test/\",\"retries\":1,"
    "\"retry_backoff_ms\":1000}") ","
    N("ok", "transform", "{\"expr\":\"\\\"OK\\\"\"}") ","
    N("fb", "transform", "{\"expr\":\"\\\"FB\\\"\"}") ","
    N("out", "output", "{\"value\":\"done\"}") "," N("out2", "output", "{\"value\":\"fb\"}")
    "],\"edges\":[" E("in", "w") "," E("w", "ok") "," EH("w", "error", "fb") ","
    E("ok", "out") "," E("fb", "out2") "]}";
/* in → c (CPU, fails its first run, continue_on_error ignored) → out; c's error edge → fb */
static const char CPU_BRANCH[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("c", "transform", "{\"expr\":\"\\\"fail_once\\\"\",\"continue_on_error\":true}") ","
    N("fb", "transform", "{\"expr\":\"\\\"FB\\\"\"}") ","
    N("out", "output", "{\"value\":\"done\"}") "],\"edges\":["
    E("in", "c") "," E("c", "out") "," EH("c", "error", "fb") "," E("fb", "out") "]}";
/* in → g (approval) → approved: y, rejected: n; and in → w (network) → o2 */
static const char GATE[] = "{\"nodes\":[" N("in", "input", "{}") ","
    N("g", "approval", "{}") ","
    N("y", "output", "{\"value\":\"yes\"}") ","
    N("n", "output", "{\"value\":\"no\"}") ","
    N("w", "http_request", "{\"url\":\"http://example.test/\"}") ","
    N("o2", "output", "{\"value\":\"side\"}") "],\"edges\":["
    E("in", "g") ",{\"source\":\"g\",\"source_handle\":\"approved\",\"target\":\"y\"},"
    "{\"source\":\"g\",\"source_handle\":\"rejected\",\"target\":\"n\"},"
    E("in", "w") "," E("w", "o2") "]}";

/* ---------------------------------------------------------------- fake nodes */

#define CALLS_MAX	64

struct fake_call {
	struct node_call	*c;
	bool			 live;
};

static struct fake_call	 calls[CALLS_MAX];
static int		 ncalls;
static json_object	*runs;		/* "<exec>/<node>" -> times run */
static int		 aborts;

static void
count_run(struct node_call *c)
{
	char		 key[128];
	json_object	*v;

	snprintf(key, sizeof(key), "%s/%s", c->execution_id, c->node->id);
	v = json_object_object_get(runs, key);
	json_object_object_add(runs, key, json_object_new_int(v == NULL ? 1 :
	    json_object_get_int(v) + 1));
}

static int
times_run(const char *exec, const char *node)
{
	char	 key[128];

	snprintf(key, sizeof(key), "%s/%s", exec, node);
	return json_object_get_int(json_object_object_get(runs, key));
}

static enum node_rc
fake_cpu(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	const char	*text = jsonh_get_string(c->node->config, "expr");

	count_run(c);
	if (c->node->type == WF_NODE_INPUT || c->node->type == WF_NODE_MERGE) {
		*out = jsonh_copy(c->input);
		return NODE_OK;
	}
	if (c->node->type == WF_NODE_OUTPUT)
		text = jsonh_get_string(c->node->config, "value");
	if (text != NULL && strcmp(text, "\"fail_once\"") == 0 && times_run(c->execution_id,
	    c->node->id) == 1) {
		snprintf(err, errlen, "failing once");
		return NODE_ERROR;
	}
	*out = json_object_new_string(text != NULL ? text : "");
	return NODE_OK;
}

static enum node_rc
fake_net(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)out;
	(void)err;
	(void)errlen;
	count_run(c);
	ck_assert_int_lt(ncalls, CALLS_MAX);
	calls[ncalls].c = c;
	calls[ncalls].live = true;
	ncalls++;
	return NODE_PENDING;
}

static void
fake_abort(struct node_call *c)
{
	int	 i;

	for (i = 0; i < ncalls; i++)
		if (calls[i].live && calls[i].c == c) {
			calls[i].live = false;
			aborts++;
		}
}

/* The approval node: always waits (the test answers through the fake store). */
static enum node_rc
fake_wait(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	count_run(c);
	*out = json_object_new_object();
	return NODE_WAIT;
}

/* Templates answer later, like the sandboxed expression nodes. */
static const struct node_impl fake_cpu_impl = { fake_cpu, NULL };
static const struct node_impl fake_net_impl = { fake_net, fake_abort };
static const struct node_impl fake_wait_impl = { fake_wait, NULL };
static const struct node_impl *const fake_nodes[WF_NODE__MAX] = {
	[WF_NODE_INPUT] = &fake_cpu_impl,
	[WF_NODE_OUTPUT] = &fake_cpu_impl,
	[WF_NODE_TEMPLATE] = &fake_net_impl,
	[WF_NODE_TRANSFORM] = &fake_cpu_impl,
	[WF_NODE_CONDITION] = &fake_cpu_impl,
	[WF_NODE_MERGE] = &fake_cpu_impl,
	[WF_NODE_DELAY] = &fake_net_impl,
	[WF_NODE_HTTP_REQUEST] = &fake_net_impl,
	[WF_NODE_AGENT] = &fake_net_impl,
	[WF_NODE_APPROVAL] = &fake_wait_impl,
};

/* The live network call of node "node" of execution "exec", or NULL. */
static struct node_call *
live_call(const char *exec, const char *node)
{
	int	 i;

	for (i = 0; i < ncalls; i++)
		if (calls[i].live && strcmp(calls[i].c->execution_id, exec) == 0 &&
		    strcmp(calls[i].c->node->id, node) == 0)
			return calls[i].c;
	return NULL;
}

/* Answers the live call of "node" in "exec" ("err" NULL: success with output "out"). */
static void
answer(const char *exec, const char *node, const char *out, const char *err)
{
	struct node_call	*c = live_call(exec, node);
	int			 i;

	ck_assert_msg(c != NULL, "no live call of %s in %s", node, exec);
	for (i = 0; i < ncalls; i++)
		if (calls[i].c == c)
			calls[i].live = false;
	c->done(c, out != NULL ? json_object_new_string(out) : NULL, err);
}

/* ---------------------------------------------------------------- two workers */

struct side {
	const char	*name;
	char		 owner[16];	/* one per incarnation, like a process run */
	struct engine	*engine;
	json_object	*events;	/* ["<exec> <type>", …] */
	json_object	*acks;		/* entry ids */
	int		 refreshed;
	uint64_t	 rng;
};

static struct clock	*clk;
static struct fake_db	*db;
static struct side	 A = { .name = "A" }, B = { .name = "B" };
static int		 incarnations;

static void
side_publish(void *arg, const char *id, enum event_type type, json_object *fields)
{
	struct side	*s = arg;
	char		 line[128];

	(void)fields;
	snprintf(line, sizeof(line), "%s %s", id, event_names[type]);
	json_object_array_add(s->events, json_object_new_string(line));
}

/* The real port appends the end only when the stream lacks it: both sides' events are the
 * stream here. */
static void
side_publish_end(void *arg, const char *id, enum event_type type, json_object *fields,
    const char *entry)
{
	struct side	*s = arg;
	char		 line[128];

	(void)fields;
	snprintf(line, sizeof(line), "%s %s (published again)", id, event_names[type]);
	json_object_array_add(s->events, json_object_new_string(line));
	json_object_array_add(s->acks, json_object_new_string(entry));
}

static void
side_ack(void *arg, const char *entry)
{
	struct side	*s = arg;

	json_object_array_add(s->acks, json_object_new_string(entry));
}

static void
side_refresh(void *arg, const char *const *entries, size_t n)
{
	struct side	*s = arg;

	(void)entries;
	s->refreshed += (int)n;
}

static uint64_t
side_rand(void *arg)
{
	struct side	*s = arg;

	return ++s->rng * 2654435761u;
}

static void
side_start(struct side *s)
{
	struct engine_config	 cfg = { LEASE, 2, 100, 0, 0 };
	struct engine_ports	 p;

	snprintf(s->owner, sizeof(s->owner), "%s%d", s->name, ++incarnations);
	memset(&p, 0, sizeof(p));
	p.store = fake_store_new(db, s->owner);
	p.clock = clk;
	p.nodes = fake_nodes;
	p.publish = side_publish;
	p.publish_end = side_publish_end;
	p.ack = side_ack;
	p.refresh = side_refresh;
	p.rand = side_rand;
	p.arg = s;
	if (s->events == NULL)
		s->events = json_object_new_array();
	if (s->acks == NULL)
		s->acks = json_object_new_array();
	s->engine = engine_new(&cfg, &p);
	ck_assert_ptr_nonnull(s->engine);
}

/* The worker dies: nothing more is written, its leases stay until they run out. */
static void
side_crash(struct side *s)
{
	engine_free(s->engine);
	s->engine = NULL;
}

/* Hands entry "entry" of execution "exec" to "s" and runs the loop turn. */
static void
take(struct side *s, const char *entry, const char *exec)
{
	struct engine_entry	 e = { entry, exec };

	engine_take(s->engine, &e, 1);
	fake_clock_turn(clk);
}

static int
count_in(json_object *arr, const char *s)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < json_object_array_length(arr); i++)
		n += strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s) == 0;
	return n;
}

static int
event_count(struct side *s, const char *exec, const char *type)
{
	char	 line[128];

	snprintf(line, sizeof(line), "%s %s", exec, type);
	return count_in(s->events, line);
}

static const char *
status(const char *id)
{
	return fake_db_exec(db, id)->status;
}

static void
setup(void)
{
	clk = fake_clock_new(1000000);
	db = fake_db_new(clk);
	runs = json_object_new_object();
	memset(calls, 0, sizeof(calls));
	ncalls = aborts = 0;
	side_start(&A);
	side_start(&B);
}

static void
teardown(void)
{
	struct side	*s[] = { &A, &B };
	int		 i;

	for (i = 0; i < 2; i++) {
		engine_free(s[i]->engine);
		s[i]->engine = NULL;
		json_object_put(s[i]->events);
		json_object_put(s[i]->acks);
		s[i]->events = s[i]->acks = NULL;
		s[i]->refreshed = 0;
	}
	json_object_put(runs);
	fake_db_free(db);
	fake_clock_free(clk);
}

/* ---------------------------------------------------------------- tests */

START_TEST(test_claim_and_run)
{
	fake_db_insert(db, X1, LINEAR, "{\"k\":1}");
	take(&A, "1-0", X1);
	ck_assert_str_eq(status(X1), "running");
	ck_assert_str_eq(fake_db_exec(db, X1)->owner, A.owner);
	ck_assert_int_eq(fake_db_exec(db, X1)->attempt, 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "running"), 1);
	/* The CPU-only steps before the wait were written when the run started waiting. */
	ck_assert_int_eq(fake_db_steps(db, X1, "a", "succeeded"), 1);
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	/* c fails once, which fails the run (no retries): its end is written with the rest. */
	ck_assert_str_eq(status(X1), "failed");
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "succeeded"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "c", "failed"), 1);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
	ck_assert_int_eq(event_count(&A, X1, "execution.started"), 1);
	ck_assert_int_eq(event_count(&A, X1, "node.completed"), 3);	/* in, a, w */
	ck_assert_int_eq(event_count(&A, X1, "execution.failed"), 1);
	ck_assert_int_eq(db->calls[FAKE_STEPS_END], 1);
	ck_assert_int_eq(db->calls[FAKE_EXECS_END], 1);
	ck_assert_int_eq(engine_inflight(A.engine), 0);
}
END_TEST

/* An approval parks the run once the other branch is done: the execution waits, its entry
 * is acknowledged and no worker holds it; a stray entry is acknowledged; the answer queues
 * it again and a worker resumes it along the answered handle without asking again. */
START_TEST(test_approval_park_resume)
{
	json_object	*ans;

	fake_db_insert(db, X1, GATE, NULL);
	take(&A, "1-0", X1);
	ck_assert_str_eq(status(X1), "running");
	ck_assert_int_eq(event_count(&A, X1, "node.waiting"), 1);
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "waiting");
	ck_assert_ptr_null(fake_db_exec(db, X1)->owner);
	ck_assert_int_eq(fake_db_steps(db, X1, "g", "waiting"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "o2", "succeeded"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "y", NULL), 0);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
	ck_assert_int_eq(event_count(&A, X1, "execution.waiting"), 1);
	ck_assert_int_eq(event_count(&A, X1, "execution.completed"), 0);
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	take(&B, "1-1", X1);
	ck_assert_int_eq(count_in(B.acks, "1-1"), 1);
	ck_assert_str_eq(status(X1), "waiting");
	ans = json_tokener_parse("{\"approved\":false,\"comment\":\"no\"}");
	ck_assert_int_eq(fake_db_answer(db, X1, "g", ans), 0);
	ck_assert_int_eq(fake_db_answer(db, X1, "g", ans), -1);
	json_object_put(ans);
	take(&B, "2-0", X1);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_int_eq(times_run(X1, "g"), 1);
	ck_assert_int_eq(times_run(X1, "w"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "n", "succeeded"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "y", "skipped"), 1);
	ck_assert_str_eq(jsonh_get_string(fake_db_exec(db, X1)->results, "n"), "no");
	ck_assert_int_eq(count_in(B.acks, "2-0"), 1);
}
END_TEST

/* A waiting run is cancelled: its waiting step is cancelled by the settlement. */
START_TEST(test_approval_cancel)
{
	fake_db_insert(db, X1, GATE, NULL);
	take(&A, "1-0", X1);
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "waiting");
	fake_db_cancel(db, X1);
	take(&B, "2-0", X1);
	ck_assert_int_eq(fake_db_steps(db, X1, "g", "cancelled"), 1);
	ck_assert_int_eq(event_count(&B, X1, "execution.cancelled"), 1);
	ck_assert_int_eq(count_in(B.acks, "2-0"), 1);
}
END_TEST

/* A retry resumes from the failed step: what succeeded before is not run again. */
START_TEST(test_retry_from_failed_step)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "failed");
	fake_db_retry(db, X1);
	take(&B, "2-0", X1);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_int_eq(fake_db_exec(db, X1)->attempt, 2);
	ck_assert_int_eq(times_run(X1, "a"), 1);
	ck_assert_int_eq(times_run(X1, "w"), 1);
	ck_assert_int_eq(times_run(X1, "c"), 2);
	ck_assert_int_eq(fake_db_step(db, X1, "c")->attempt, 2);
	ck_assert_int_eq(count_in(B.acks, "2-0"), 1);
}
END_TEST

/* A worker dies mid-run; after the lease a peer takes the entry over and resumes from the last
 * completed step: the step cut off runs again, completed ones do not. */
START_TEST(test_reclaim_by_peer)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	side_crash(&A);
	/* Before the lease runs out the peer may not take it; the entry is the holder's own:
	 * kept pending, not acknowledged. */
	take(&B, "1-0", X1);
	ck_assert_int_eq(engine_inflight(B.engine), 0);
	ck_assert_int_eq(count_in(B.acks, "1-0"), 0);
	fake_clock_advance(clk, LEASE + 1);
	take(&B, "1-0", X1);
	ck_assert_int_eq(engine_inflight(B.engine), 1);
	ck_assert_int_eq(fake_db_exec(db, X1)->abandons, 1);
	ck_assert_int_eq(fake_db_step(db, X1, "w")->attempt, 2);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "failed"), 1);	/* worker lost */
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "failed");	/* c fails once, as run by B */
	ck_assert_int_eq(times_run(X1, "a"), 1);
	ck_assert_int_eq(times_run(X1, "w"), 2);
}
END_TEST

/* Renewals keep a long step's lease: the entry stays fresh, a peer cannot take it, a duplicate
 * entry read by the peer is acknowledged, and the run ends on its first attempt. */
START_TEST(test_step_longer_than_lease)
{
	int	 i;

	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	for (i = 0; i < 10; i++) {
		fake_clock_advance(clk, LEASE);
		take(&B, "1-0", X1);		/* XAUTOCLAIM would not give it; even so */
		take(&B, "7-0", X1);		/* a duplicate entry (the sweeper's) */
	}
	ck_assert_int_ge(db->calls[FAKE_RENEW], 29);
	ck_assert_int_ge(A.refreshed, 29);
	ck_assert_int_eq(engine_inflight(B.engine), 0);
	ck_assert_int_eq(count_in(B.acks, "1-0"), 0);
	ck_assert_int_eq(count_in(B.acks, "7-0"), 10);
	ck_assert_str_eq(fake_db_exec(db, X1)->owner, A.owner);
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "failed");
	ck_assert_int_eq(fake_db_exec(db, X1)->attempt, 1);
	ck_assert_int_eq(times_run(X1, "w"), 1);
}
END_TEST

/* The lease is taken over (the holder looked dead to the store): the holder's next renewal
 * finds it lost and stops locally without writing; the new holder finishes. */
START_TEST(test_lease_loss)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	fake_db_exec(db, X1)->expires = (int64_t)clock_now_ms(clk) - 1;
	take(&B, "1-0", X1);
	ck_assert_str_eq(fake_db_exec(db, X1)->owner, B.owner);
	fake_clock_advance(clk, LEASE / 3 + 1);	/* A's renewal */
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	ck_assert_int_eq(aborts, 1);			/* A's call stopped */
	answer(X1, "w", "body", NULL);		/* B's */
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "failed");
	ck_assert_int_eq(count_in(A.acks, "1-0"), 0);
	ck_assert_int_eq(count_in(B.acks, "1-0"), 1);
	ck_assert_int_eq(event_count(&A, X1, "execution.failed"), 0);
}
END_TEST

/* A holder that lost its lease without noticing (it was frozen) gets its step's answer: the
 * guarded write refuses it, and it stops without publishing or running anything more. */
START_TEST(test_stale_holder_answer)
{
	struct node_call	*mine;

	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	mine = live_call(X1, "w");
	fake_db_exec(db, X1)->expires = (int64_t)clock_now_ms(clk) - 1;
	take(&B, "1-0", X1);
	ck_assert_int_eq(ncalls, 2);
	calls[0].live = false;
	mine->done(mine, json_object_new_string("late"), NULL);
	fake_clock_turn(clk);
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	ck_assert_int_eq(event_count(&A, X1, "node.completed"), 2);	/* in, a: not w */
	ck_assert_int_eq(times_run(X1, "c"), 0);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "succeeded"), 0);
	ck_assert_int_eq(engine_inflight(B.engine), 1);
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "succeeded"), 1);
	ck_assert_int_eq(fake_db_step(db, X1, "w")->attempt, 2);
}
END_TEST

/* The store goes away: the holder stops the run before its lease can have run out, so that
 * no two workers ever run it at once; afterwards a peer takes it over. */
START_TEST(test_fence_when_store_down)
{
	uint64_t	 t0;

	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	t0 = clock_now_ms(clk);
	db->down = true;
	while (engine_inflight(A.engine) > 0) {
		fake_clock_advance(clk, 100);
		ck_assert_msg(clock_now_ms(clk) < t0 + LEASE, "still running at the lease's end");
	}
	ck_assert_int_eq(aborts, 1);
	db->down = false;
	fake_clock_advance(clk, LEASE);
	take(&B, "1-0", X1);
	ck_assert_int_eq(engine_inflight(B.engine), 1);
	ck_assert_int_eq(fake_db_exec(db, X1)->abandons, 1);
}
END_TEST

/* Cancelled before any worker ran it: the claim settles it (one event), and acknowledges. */
START_TEST(test_cancel_queued)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	fake_db_cancel(db, X1);
	take(&A, "1-0", X1);
	take(&B, "2-0", X1);
	ck_assert_int_eq(event_count(&A, X1, "execution.cancelled") +
	    event_count(&B, X1, "execution.cancelled"), 1);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
	ck_assert_int_eq(count_in(B.acks, "2-0"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, NULL, NULL), 0);
}
END_TEST

/* Cancelled while a network step is in flight: the call is stopped at once, running and
 * never-started steps are marked, one event. */
START_TEST(test_cancel_in_flight)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	fake_db_cancel(db, X1);
	engine_cancel(A.engine, X1);
	ck_assert_int_eq(aborts, 1);
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "cancelled"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "c", "cancelled"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "out", "cancelled"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "a", "succeeded"), 1);
	ck_assert_int_eq(event_count(&A, X1, "execution.cancelled"), 1);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
	ck_assert_str_eq(fake_db_exec(db, X1)->owner, "");
}
END_TEST

/* Cancelled while waiting for a retry's back-off: no further attempt. */
START_TEST(test_cancel_during_backoff)
{
	fake_db_insert(db, X1, RETRY, NULL);
	take(&A, "1-0", X1);
	answer(X1, "w", NULL, "503");
	fake_clock_turn(clk);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "failed"), 1);
	ck_assert_int_eq(event_count(&A, X1, "node.failed"), 1);
	fake_db_cancel(db, X1);
	engine_cancel(A.engine, X1);
	fake_clock_advance(clk, 5000);
	ck_assert_int_eq(times_run(X1, "w"), 1);
	ck_assert_int_eq(event_count(&A, X1, "execution.cancelled"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "out", "cancelled"), 1);
}
END_TEST

/* Cancelled without a control message (it was lost): the next renewal finds out. */
START_TEST(test_cancel_seen_by_renewal)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	fake_db_cancel(db, X1);
	fake_clock_advance(clk, LEASE / 3 + 1);
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	ck_assert_int_eq(aborts, 1);
	ck_assert_int_eq(event_count(&A, X1, "execution.cancelled"), 1);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
}
END_TEST

/* Cancelled after the run ended but before its final state was written: the write is refused
 * and the cancellation wins (the steps that ran are kept). */
START_TEST(test_cancel_while_ending)
{
	struct engine_entry	 e = { "1-0", X1 };

	fake_db_insert(db, X1, CPU, NULL);
	engine_take(A.engine, &e, 1);		/* ran to its end; final state queued */
	ck_assert_str_eq(status(X1), "running");
	fake_db_cancel(db, X1);
	fake_clock_turn(clk);			/* the flush */
	ck_assert_str_eq(status(X1), "cancelled");
	ck_assert_int_eq(event_count(&A, X1, "execution.completed"), 0);
	ck_assert_int_eq(event_count(&A, X1, "execution.cancelled"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "a", "succeeded"), 1);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
	ck_assert_int_eq(engine_inflight(A.engine), 0);
}
END_TEST

/* Retries with back-off: a failed attempt is tried again after its back-off, each attempt a
 * row; the run succeeds on the third. */
START_TEST(test_retries)
{
	fake_db_insert(db, X1, RETRY, NULL);
	take(&A, "1-0", X1);
	answer(X1, "w", NULL, "503");
	fake_clock_turn(clk);
	ck_assert_ptr_null(live_call(X1, "w"));
	fake_clock_advance(clk, 1000);		/* back-off 500..1000 ms */
	answer(X1, "w", NULL, "503");
	fake_clock_advance(clk, 2000);		/* 1000..2000 ms */
	answer(X1, "w", "ok", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "failed"), 2);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "succeeded"), 1);
	ck_assert_int_eq(fake_db_step(db, X1, "w")->attempt, 3);
}
END_TEST

/* A network node that fails after its retries takes its error edge: its attempts stay
 * failed, its other branch is skipped, the branch's input is the error, the run succeeds. */
START_TEST(test_error_branch)
{
	struct fake_step	*st;
	json_object		*in;

	fake_db_insert(db, X1, BRANCH, NULL);
	take(&A, "1-0", X1);
	answer(X1, "w", NULL, "503");
	fake_clock_advance(clk, 1000);
	answer(X1, "w", NULL, "HTTP status 503");
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_int_eq(fake_db_steps(db, X1, "w", "failed"), 2);
	ck_assert_int_eq(fake_db_steps(db, X1, "w", NULL), 2);
	ck_assert_int_eq(fake_db_steps(db, X1, "ok", "skipped"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "out", "skipped"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "fb", "succeeded"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "out2", "succeeded"), 1);
	st = fake_db_step(db, X1, "w");
	ck_assert_int_eq(st->attempt, 2);
	ck_assert_str_eq(jsonh_get_string(st->output, "error"), "HTTP status 503");
	ck_assert_str_eq(jsonh_get_string(st->output, "node"), "w");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(st->output, "attempt")), 2);
	in = json_object_object_get(fake_db_step(db, X1, "fb")->input, "w");
	ck_assert_str_eq(jsonh_get_string(in, "error"), "HTTP status 503");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(in, "tries")), 2);
	ck_assert_int_eq(event_count(&A, X1, "node.failed"), 2);
	ck_assert_int_eq(event_count(&A, X1, "execution.completed"), 1);
	/* Success takes the default edge and skips the error branch. */
	fake_db_insert(db, X2, BRANCH, NULL);
	take(&A, "2-0", X2);
	answer(X2, "w", "fine", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X2), "succeeded");
	ck_assert_int_eq(fake_db_steps(db, X2, "fb", "skipped"), 1);
	ck_assert_int_eq(fake_db_steps(db, X2, "out2", "skipped"), 1);
	ck_assert_int_eq(fake_db_steps(db, X2, "ok", "succeeded"), 1);
}
END_TEST

/* A CPU-only node's error branch, before its continue_on_error: the failure is recorded
 * failed with the error as output, the merge-like output node runs from the branch. */
START_TEST(test_error_branch_cpu)
{
	struct fake_step	*st;

	fake_db_insert(db, X1, CPU_BRANCH, NULL);
	take(&A, "1-0", X1);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_int_eq(fake_db_steps(db, X1, "c", "failed"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "c", NULL), 1);
	st = fake_db_step(db, X1, "c");
	ck_assert_int_eq(st->attempt, 1);
	ck_assert_str_eq(jsonh_get_string(st->output, "error"), "failing once");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(st->output, "attempt")), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "fb", "succeeded"), 1);
	/* out has c (skipped) and fb (taken) upstream: it runs with fb's output only. */
	st = fake_db_step(db, X1, "out");
	ck_assert_str_eq(st->status, "succeeded");
	ck_assert(!json_object_object_get_ex(st->input, "c", NULL));
	ck_assert(json_object_object_get_ex(st->input, "fb", NULL));
}
END_TEST

/* The answers of one loop turn are written with one statement, the ends they cause with
 * another. */
START_TEST(test_group_commit)
{
	static const char *const ids[] = {
		"01900000-0000-7000-8000-000000000011", "01900000-0000-7000-8000-000000000012",
		"01900000-0000-7000-8000-000000000013", "01900000-0000-7000-8000-000000000014",
		"01900000-0000-7000-8000-000000000015",
	};
	struct engine_entry	 e[5];
	char			 entry[5][16];
	size_t			 i;

	for (i = 0; i < 5; i++) {
		fake_db_insert(db, ids[i], RETRY, NULL);
		snprintf(entry[i], sizeof(entry[i]), "%zu-0", i + 1);
		e[i].entry_id = entry[i];
		e[i].exec_id = ids[i];
	}
	engine_take(A.engine, e, 5);
	fake_clock_turn(clk);
	ck_assert_int_eq(db->calls[FAKE_CLAIM], 1);
	ck_assert_int_eq(engine_inflight(A.engine), 5);
	for (i = 0; i < 5; i++)
		answer(ids[i], "w", "ok", NULL);
	ck_assert_int_eq(db->calls[FAKE_STEPS_END], 0);
	fake_clock_turn(clk);
	ck_assert_int_eq(db->calls[FAKE_STEPS_END], 1);
	ck_assert_int_eq((int)db->last_batch[FAKE_STEPS_END], 5);
	ck_assert_int_eq(db->calls[FAKE_EXECS_END], 1);
	ck_assert_int_eq((int)db->last_batch[FAKE_EXECS_END], 5);
	for (i = 0; i < 5; i++)
		ck_assert_str_eq(status(ids[i]), "succeeded");
}
END_TEST

/* Two entries of one execution in one read: one run, the other entry acknowledged. */
START_TEST(test_duplicate_entries)
{
	struct engine_entry	 e[2] = { { "1-0", X1 }, { "2-0", X1 } };

	fake_db_insert(db, X1, LINEAR, NULL);
	engine_take(A.engine, e, 2);
	fake_clock_turn(clk);
	ck_assert_int_eq(engine_inflight(A.engine), 1);
	ck_assert_int_eq(count_in(A.acks, "2-0"), 1);
	take(&A, "3-0", X1);			/* another while it runs here */
	ck_assert_int_eq(count_in(A.acks, "3-0"), 1);
	take(&A, "1-0", X1);			/* its own, read again */
	ck_assert_int_eq(count_in(A.acks, "1-0"), 0);
	ck_assert_int_eq(times_run(X1, "a"), 1);
}
END_TEST

/* A holder that committed the end and stopped before publishing it and acknowledging its
 * entry: the worker that reclaims the entry publishes the end from the stored outcome, then
 * acknowledges; a duplicate entry of the ended execution is only acknowledged. */
START_TEST(test_end_published_by_reclaimer)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	answer(X1, "w", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "failed");
	ck_assert_int_eq(event_count(&A, X1, "execution.failed"), 1);
	/* The entry comes back as if A's acknowledgement had never been sent. */
	take(&B, "1-0", X1);
	ck_assert_int_eq(count_in(B.events, X1 " execution.failed (published again)"), 1);
	ck_assert_int_eq(count_in(B.acks, "1-0"), 1);
	take(&B, "2-0", X1);
	ck_assert_int_eq(count_in(B.acks, "2-0"), 1);
	ck_assert_int_eq(count_in(B.events, X1 " execution.failed (published again)"), 1);
	ck_assert_int_eq(times_run(X1, "a"), 1);
	ck_assert_int_eq(engine_inflight(B.engine), 0);
}
END_TEST

/* A run that keeps losing its workers is failed once abandoned more than allowed (2 here),
 * without running a step again; another execution is untouched. */
START_TEST(test_poisoned_run)
{
	int	 i;

	fake_db_insert(db, X1, LINEAR, NULL);
	fake_db_insert(db, X2, LINEAR, NULL);
	take(&B, "9-0", X2);
	for (i = 0; i < 3; i++) {
		take(&A, "1-0", X1);
		ck_assert_int_eq(engine_inflight(A.engine), 1);
		side_crash(&A);
		fake_clock_advance(clk, LEASE + 1);
		side_start(&A);
	}
	take(&A, "1-0", X1);
	ck_assert_str_eq(status(X1), "failed");
	ck_assert_int_eq(fake_db_exec(db, X1)->abandons, 3);
	ck_assert_ptr_nonnull(strstr(fake_db_exec(db, X1)->error, "abandoned"));
	ck_assert_int_eq(times_run(X1, "w"), 3);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
	ck_assert_str_eq(status(X2), "running");
	ck_assert_str_eq(fake_db_exec(db, X2)->owner, B.owner);
}
END_TEST

/* A stopping worker gives its leases back: a peer takes over at once, without an abandon. */
START_TEST(test_release_on_stop)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	take(&A, "1-0", X1);
	engine_release_all(A.engine);
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	ck_assert_ptr_null(fake_db_exec(db, X1)->owner);
	take(&B, "1-0", X1);
	ck_assert_int_eq(engine_inflight(B.engine), 1);
	ck_assert_int_eq(fake_db_exec(db, X1)->abandons, 0);
}
END_TEST

/* A store failure while claiming leaves the entries pending. */
START_TEST(test_claim_store_down)
{
	fake_db_insert(db, X1, LINEAR, NULL);
	db->down = true;
	take(&A, "1-0", X1);
	db->down = false;
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	ck_assert_int_eq(count_in(A.acks, "1-0"), 0);
	take(&A, "1-0", X1);
	ck_assert_int_eq(engine_inflight(A.engine), 1);
}
END_TEST

/* A network step's start writes the CPU-only rows before it in the same call (one round trip
 * before its request leaves); a start the guard refuses (the lease was lost) writes neither. */
START_TEST(test_step_start_writes_rows)
{
	struct fake_exec	*x;

	fake_db_insert(db, X1, ASYNC_NET, NULL);
	take(&A, "1-0", X1);
	answer(X1, "tpl", "T", NULL);
	fake_clock_turn(clk);
	ck_assert_int_eq(fake_db_steps(db, X1, "in", "succeeded"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "tpl", "succeeded"), 1);
	ck_assert_int_eq(fake_db_steps(db, X1, "v", "running"), 1);
	ck_assert_int_eq(db->calls[FAKE_STEP_START], 1);
	ck_assert_int_eq(db->calls[FAKE_STEP_ROWS], 0);
	answer(X1, "v", "body", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_int_eq(fake_db_steps(db, X1, "tpl", NULL), 1);

	fake_db_insert(db, X2, ASYNC_NET, NULL);
	take(&A, "2-0", X2);
	x = fake_db_exec(db, X2);
	free(x->owner);
	ck_assert_ptr_nonnull(x->owner = strdup("another"));
	answer(X2, "tpl", "T", NULL);
	fake_clock_turn(clk);
	ck_assert_int_eq(fake_db_steps(db, X2, NULL, NULL), 0);
	ck_assert_ptr_null(live_call(X2, "v"));
	ck_assert_int_eq(engine_inflight(A.engine), 0);
}
END_TEST

/* A CPU-only node that answers later (a sandboxed expression): the run waits without writing
 * its rows (they go with the final state), and a node past its time limit fails. */
START_TEST(test_async_cpu_step)
{
	fake_db_insert(db, X1, ASYNC, NULL);
	fake_db_insert(db, X2, ASYNC, NULL);
	take(&A, "1-0", X1);
	take(&A, "2-0", X2);
	ck_assert_int_eq(db->calls[FAKE_STEP_ROWS], 0);
	answer(X1, "tpl", "T", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_int_eq(fake_db_steps(db, X1, NULL, "succeeded"), 3);
	ck_assert_int_eq(db->calls[FAKE_STEP_ROWS], 0);
	fake_clock_advance(clk, 500);
	ck_assert_str_eq(status(X2), "failed");
	ck_assert_ptr_nonnull(strstr(fake_db_exec(db, X2)->error, "timed out after 500 ms"));
	ck_assert_int_eq(fake_db_steps(db, X2, "tpl", "failed"), 1);
	ck_assert_int_eq(aborts, 1);
}
END_TEST

/* A server (or a model) chooses its bytes: an answer with NUL or ill-formed UTF-8 is stored
 * with U+FFFD instead of failing the write of every step end of its loop turn. */
START_TEST(test_unstorable_answer)
{
	struct node_call	*c;

	fake_db_insert(db, X1, RETRY, NULL);
	fake_db_insert(db, X2, NET2, NULL);
	take(&A, "1-0", X1);
	take(&A, "2-0", X2);
	c = live_call(X1, "w");
	calls[0].live = false;
	c->done(c, json_object_new_string_len("a\0b", 3), NULL);
	c = live_call(X2, "v");
	calls[1].live = false;
	c->done(c, NULL, "bad \xff\xfe bytes");
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "succeeded");
	ck_assert_str_eq(json_object_get_string(fake_db_step(db, X1, "w")->output),
	    "a\xef\xbf\xbd" "b");
	ck_assert_str_eq(status(X2), "failed");
	ck_assert_str_eq(fake_db_step(db, X2, "v")->error, "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
}
END_TEST

/* A step end the store refuses for its values fails alone: the other ends of its loop turn
 * are written one by one. */
START_TEST(test_refused_end_alone)
{
	fake_db_insert(db, X1, RETRY, NULL);
	fake_db_insert(db, X2, NET2, NULL);
	db->refuse_node = "w";
	take(&A, "1-0", X1);
	take(&A, "2-0", X2);
	answer(X1, "w", "ok", NULL);
	answer(X2, "v", "ok", NULL);
	fake_clock_turn(clk);
	ck_assert_str_eq(status(X1), "running");		/* dropped: left for a retake */
	ck_assert_int_eq(engine_inflight(A.engine), 0);
	ck_assert_str_eq(status(X2), "succeeded");
	ck_assert_int_eq(db->calls[FAKE_STEPS_END], 3);	/* the batch, then one by one */
}
END_TEST

/* Malformed and unknown entries are acknowledged and dropped. */
START_TEST(test_bad_entries)
{
	take(&A, "1-0", "not-a-uuid");
	take(&A, "2-0", NULL);
	take(&A, "3-0", X2);			/* no such execution */
	ck_assert_int_eq(count_in(A.acks, "1-0"), 1);
	ck_assert_int_eq(count_in(A.acks, "2-0"), 1);
	ck_assert_int_eq(count_in(A.acks, "3-0"), 1);
}
END_TEST

static Suite *
engine_suite(void)
{
	Suite	*s = suite_create("engine");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_claim_and_run);
	tcase_add_test(tc, test_retry_from_failed_step);
	tcase_add_test(tc, test_approval_park_resume);
	tcase_add_test(tc, test_approval_cancel);
	tcase_add_test(tc, test_reclaim_by_peer);
	tcase_add_test(tc, test_step_longer_than_lease);
	tcase_add_test(tc, test_lease_loss);
	tcase_add_test(tc, test_stale_holder_answer);
	tcase_add_test(tc, test_fence_when_store_down);
	tcase_add_test(tc, test_cancel_queued);
	tcase_add_test(tc, test_cancel_in_flight);
	tcase_add_test(tc, test_cancel_during_backoff);
	tcase_add_test(tc, test_cancel_seen_by_renewal);
	tcase_add_test(tc, test_cancel_while_ending);
	tcase_add_test(tc, test_retries);
	tcase_add_test(tc, test_error_branch);
	tcase_add_test(tc, test_error_branch_cpu);
	tcase_add_test(tc, test_group_commit);
	tcase_add_test(tc, test_duplicate_entries);
	tcase_add_test(tc, test_end_published_by_reclaimer);
	tcase_add_test(tc, test_poisoned_run);
	tcase_add_test(tc, test_release_on_stop);
	tcase_add_test(tc, test_claim_store_down);
	tcase_add_test(tc, test_bad_entries);
	tcase_add_test(tc, test_async_cpu_step);
	tcase_add_test(tc, test_step_start_writes_rows);
	tcase_add_test(tc, test_unstorable_answer);
	tcase_add_test(tc, test_refused_end_alone);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_setup("check_engine", LOGL_ERROR);	/* the runs' info lines are expected */
	return check_run(engine_suite());
}
