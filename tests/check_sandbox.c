/* check_sandbox.c: unit tests of the sandbox pool (jobd/sandbox.c) against the real
 * fragent-sandbox helper (SANDBOX_BIN): evaluation and rendering, time limit kill and
 * replacement, memory limit, crash, confinement (empty environment, open and socket
 * refused), pipelining, cancelling queued and running requests, deprioritising, re-sends
 * after a death, and recycling; requests of plain paths answered without a helper. Tests of
 * the helpers use programs that compute (".a | ." rather than ".a", which jobd answers). */
#include "config.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "check_run.h"
#include "jsonh.h"
#include "nitems.h"
#include "sandbox.h"

/* A runaway without a loop construct: 10^9 steps in constant memory. */
#define RUNAWAY_NOLOOP \
	"(\"x\" * 1000 | explode) as $a | reduce ($a[] as $x | $a[] as $y | $a[] | 1) as $v " \
	"(0; . + $v)"

/* One request's outcome. */
struct outcome {
	int		 called;
	json_object	*results;
	char		 err[512];
	long long	 at_ms;		/* when it ended */
};

static struct event_base	*base;
static struct sandbox_pool	*pool;

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_done(void *arg, json_object *results, const char *err)
{
	struct outcome	*o = arg;

	o->called++;
	o->results = results;
	snprintf(o->err, sizeof(o->err), "%s", err ? err : "");
	o->at_ms = now_ms();
}

/* A pool with the given limits (0: defaults) and RLIMIT_CPU "cpu_s". */
static void
pool_start_cpu(long limit_ms, long memory_mb, int max_helpers, long slow_ms, long cpu_s)
{
	struct sandbox_conf	 c;
	char			 err[256];

	memset(&c, 0, sizeof(c));
	c.bin = getenv("SANDBOX_BIN") ? getenv("SANDBOX_BIN") : "jobd/fragent-sandbox";
	c.limit_ms = limit_ms ? limit_ms : 3000;
	c.memory_mb = memory_mb ? memory_mb : 128;
	c.max_helpers = max_helpers ? max_helpers : 8;
	c.slow_ms = slow_ms ? slow_ms : 50;
	c.cpu_s = cpu_s;
	ck_assert_ptr_nonnull(base = event_base_new());
	pool = sandbox_pool_new(base, &c, err, sizeof(err));
	ck_assert_msg(pool != NULL, "%s", err);
}

static void
pool_start(long limit_ms, long memory_mb, int max_helpers, long slow_ms)
{
	pool_start_cpu(limit_ms, memory_mb, max_helpers, slow_ms, 0);
}

static void
pool_stop(void)
{
	sandbox_pool_free(pool);
	event_base_free(base);
	pool = NULL;
	base = NULL;
}

/* Submits "text" (a program, or a template when "tmpl") over "ctx" (JSON text). */
static struct sandbox_req *
submit(const char *ctx, int tmpl, const char *text, long timeout_ms, struct outcome *o)
{
	json_object		*c = json_tokener_parse(ctx);
	struct sandbox_req	*r;
	char			 err[256];

	memset(o, 0, sizeof(*o));
	r = sandbox_req_new(pool, c, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(sandbox_req_add(r, tmpl ? SANDBOX_TEMPLATE : SANDBOX_EXPR, text, err,
	    sizeof(err)), 0);
	sandbox_req_submit(r, timeout_ms, on_done, o);
	json_object_put(c);
	return r;
}

/* Runs the loop until "o" is called or "ms" passed. */
static void
wait_for(struct outcome *o, long ms)
{
	long long	 end = now_ms() + ms;

	while (!o->called && now_ms() < end)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK), usleep(1000);
}

/* Runs the loop for "ms". */
static void
run_for(long ms)
{
	long long	 end = now_ms() + ms;

	while (now_ms() < end)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK), usleep(1000);
}

static void
outcome_clear(struct outcome *o)
{
	json_object_put(o->results);
	o->results = NULL;
}

/* Runs program "text" over "ctx" and checks its results' JSON is "want". */
static void
expect(const char *ctx, const char *text, const char *want)
{
	struct outcome	 o;

	submit(ctx, 0, text, 0, &o);
	wait_for(&o, 5000);
	ck_assert_msg(o.results != NULL, "%s: %s", text, o.err);
	ck_assert_str_eq(jsonh_str(o.results), want);
	outcome_clear(&o);
}

/* kind, text, context, JSON of the results (NULL: fails with "err" in the message) */
static const struct { int tmpl; const char *text, *ctx, *want, *err; } evals[] = {
	{ 0, ".a + 1", "{\"a\":1}", "[2]", NULL },
	{ 0, ".a", "{}", "[null]", NULL },
	{ 0, "empty", "{}", "[null]", NULL },
	{ 1, "Hello, {{ .n }}!", "{\"n\":\"Ada\"}", "[\"Hello, Ada!\"]", NULL },
	{ 1, "{{ .n }}", "{\"n\":[1,2]}", "[[1,2]]", NULL },
	{ 0, "error(\"boom\")", "{}", NULL, "boom" },
	{ 0, ".a |", "{}", NULL, "syntax error" },
	{ 0, "$ ENV", "{}", NULL, "not allowed" },
	{ 1, "x {{ env }}", "{}", NULL, "not allowed" },
	{ 0, ".a + 1", "{\"a\":\"x\"}", NULL, "cannot be added" },
};

START_TEST(test_eval)
{
	struct outcome	 o;

	pool_start(0, 0, 0, 0);
	submit(evals[_i].ctx, evals[_i].tmpl, evals[_i].text, 0, &o);
	wait_for(&o, 5000);
	ck_assert_int_eq(o.called, 1);
	if (evals[_i].want != NULL) {
		ck_assert_msg(o.err[0] == '\0', "%s: %s", evals[_i].text, o.err);
		ck_assert_str_eq(jsonh_str(o.results), evals[_i].want);
	} else {
		ck_assert_ptr_null(o.results);
		ck_assert_msg(strstr(o.err, evals[_i].err) != NULL, "%s: %s", evals[_i].text,
		    o.err);
	}
	outcome_clear(&o);
	pool_stop();
}
END_TEST

/* A request whose items only read plain paths ends without a helper, on a later turn of the
 * loop; one item that needs jq sends the whole request to the helper; a cancelled one is
 * never answered. */
START_TEST(test_plain)
{
	json_object		*c = json_tokener_parse("{\"in\":{\"m\":\"hi\",\"n\":2}}");
	struct sandbox_stats	 st;
	struct sandbox_req	*r;
	struct outcome		 o, gone;
	char			 err[256];

	pool_start(0, 0, 0, 0);
	memset(&o, 0, sizeof(o));
	r = sandbox_req_new(pool, c, err, sizeof(err));
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_TEMPLATE, "{{ .in.m }}", err, sizeof(err)),
	    0);
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_TEMPLATE, "n={{ .in.n }}", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_EXPR, ".in.none", err, sizeof(err)), 0);
	sandbox_req_submit(r, 0, on_done, &o);
	ck_assert_int_eq(o.called, 0);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	ck_assert_int_eq(o.called, 1);
	ck_assert_str_eq(jsonh_str(o.results), "[\"hi\",\"n=2\",null]");
	outcome_clear(&o);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.plain, 1);

	memset(&o, 0, sizeof(o));
	r = sandbox_req_new(pool, c, err, sizeof(err));
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_TEMPLATE, "{{ .in.m }}", err, sizeof(err)),
	    0);
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_EXPR, ".in.n * 2", err, sizeof(err)), 0);
	sandbox_req_submit(r, 0, on_done, &o);
	wait_for(&o, 5000);
	ck_assert_str_eq(jsonh_str(o.results), "[\"hi\",4]");
	outcome_clear(&o);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.plain, 1);

	r = submit("{\"a\":1}", 0, ".a", 0, &gone);
	sandbox_cancel(r);
	run_for(50);
	ck_assert_int_eq(gone.called, 0);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.plain, 1);
	ck_assert_int_eq(sandbox_backlogged(pool), 0);
	json_object_put(c);
	pool_stop();
}
END_TEST

/* Plain paths whose answers together pass what one answer may hold go to the helper, which
 * refuses the whole as it always did: jobd holds no more than the helper would send. */
START_TEST(test_plain_room)
{
	json_object		*c = json_object_new_object();
	struct sandbox_stats	 st;
	struct sandbox_req	*r;
	struct outcome		 o;
	char			 err[256], *big = malloc(1 << 20);
	int			 i;

	pool_start(0, 0, 0, 0);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	json_object_object_add(c, "big", json_object_new_string(big));
	free(big);
	memset(&o, 0, sizeof(o));
	r = sandbox_req_new(pool, c, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	for (i = 0; i < 30; i++)
		ck_assert_int_eq(sandbox_req_add(r, SANDBOX_EXPR, ".big", err, sizeof(err)), 0);
	sandbox_req_submit(r, 0, on_done, &o);
	wait_for(&o, 10000);
	ck_assert_ptr_null(o.results);
	ck_assert_msg(strstr(o.err, "result larger than") != NULL, "%s", o.err);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.plain, 0);
	json_object_put(c);
	pool_stop();
}
END_TEST

/* Several items of one request: one result each, in order; a failing item fails all. */
START_TEST(test_items)
{
	json_object		*c = json_tokener_parse("{\"u\":\"x\",\"n\":3}");
	struct sandbox_req	*r;
	struct outcome		 o;
	char			 err[256];

	pool_start(0, 0, 0, 0);
	memset(&o, 0, sizeof(o));
	r = sandbox_req_new(pool, c, err, sizeof(err));
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_TEMPLATE, "http://h/{{ .u }}", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_TEMPLATE, "{{ .n }}", err, sizeof(err)), 0);
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_EXPR, ".n * 2", err, sizeof(err)), 0);
	sandbox_req_submit(r, 0, on_done, &o);
	wait_for(&o, 5000);
	ck_assert_str_eq(jsonh_str(o.results), "[\"http://h/x\",3,6]");
	outcome_clear(&o);
	memset(&o, 0, sizeof(o));
	r = sandbox_req_new(pool, c, err, sizeof(err));
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_TEMPLATE, "ok", err, sizeof(err)), 0);
	ck_assert_int_eq(sandbox_req_add(r, SANDBOX_EXPR, ".u + 1", err, sizeof(err)), 0);
	sandbox_req_submit(r, 0, on_done, &o);
	wait_for(&o, 5000);
	ck_assert_ptr_null(o.results);
	ck_assert_msg(strstr(o.err, "cannot be added") != NULL, "%s", o.err);
	json_object_put(c);
	pool_stop();
}
END_TEST

/* Past its limit the helper is killed and replaced; the next request runs. */
START_TEST(test_timeout)
{
	struct sandbox_stats	 st;
	struct outcome		 o, q;
	pid_t			 first;
	long long		 t0;

	pool_start(800, 0, 0, 0);
	sandbox_stats(pool, &st);
	first = st.last_pid;
	t0 = now_ms();
	submit("{}", 0, RUNAWAY_NOLOOP, 0, &o);
	wait_for(&o, 5000);
	ck_assert_int_eq(o.called, 1);
	ck_assert_str_eq(o.err, "expression exceeded its time limit (800 ms)");
	ck_assert_int_ge(o.at_ms - t0, 790);
	ck_assert_int_lt(o.at_ms - t0, 4000);
	/* the node's own timeout, when lower, is the limit */
	submit("{}", 0, RUNAWAY_NOLOOP, 300, &q);
	wait_for(&q, 5000);
	ck_assert_str_eq(q.err, "expression exceeded its time limit (300 ms)");
	/* each killed helper is replaced: the spawns are asynchronous (a loaded machine takes
	 * longer than an idle one), so wait for them rather than for a fixed time */
	for (t0 = now_ms(); now_ms() - t0 < 5000; ) {
		run_for(100);
		sandbox_stats(pool, &st);
		if (st.spawned >= 3)
			break;
	}
	ck_assert_int_eq(kill(first, 0), -1);		/* reaped */
	ck_assert_int_eq(st.timeouts, 2);
	ck_assert_int_ge(st.spawned, 3);
	expect("{\"a\":2}", ".a * 21", "[42]");
	pool_stop();
}
END_TEST

/* An expression that allocates past the memory limit fails with that reason. */
START_TEST(test_memory)
{
	struct outcome	 o;

	pool_start(5000, 64, 0, 0);
	submit("{}", 0, "reduce (1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1) "
	    "as $x (\"x\"; . + .) | length", 0, &o);
	wait_for(&o, 8000);
	ck_assert_int_eq(o.called, 1);
	ck_assert_str_eq(o.err, "expression exceeded its memory limit (64 MB)");
	expect("{}", "\"still\" + \" here\"", "[\"still here\"]");
	pool_stop();
}
END_TEST

/* A jq 1.6 crash (a stack overflow freeing a deeply nested value) ends the request only. */
START_TEST(test_crash)
{
	struct sandbox_stats	 st;
	struct outcome		 o;

	pool_start(10000, 512, 0, 0);
	submit("{}", 0, "reduce (\"x\" * 1000000 | explode[]) as $i (null; [.]) | tojson | "
	    "length", 0, &o);
	wait_for(&o, 12000);
	ck_assert_int_eq(o.called, 1);
	ck_assert_str_eq(o.err, "expression crashed the sandbox");
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.deaths, 1);
	expect("{}", "1 + 1", "[2]");
	pool_stop();
}
END_TEST

/* Reads field "name" of /proc/"pid"/status into "out". */
static void
proc_status(pid_t pid, const char *name, char *out, size_t len)
{
	char	 path[64], line[256];
	FILE	*f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, name, strlen(name)) == 0 && line[strlen(name)] == ':')
			snprintf(out, len, "%s", line + strlen(name) + 1 + strspn(line +
			    strlen(name) + 1, " \t"));
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/* The helper is confined: the probe's attempts fail, its environment is empty, the kernel
 * shows the filter and no-new-privileges. */
START_TEST(test_confined)
{
	static const char *const refused[] = { "open", "openat", "socket", "socket_unix",
	    "execve", "fork", "kill_init", "ptrace", "setrlimit", NULL };
	struct sandbox_stats	 st;
	struct outcome		 o;
	json_object		*r;
	char			 v[64];
	size_t			 i;

	pool_start(0, 0, 0, 0);
	memset(&o, 0, sizeof(o));
	sandbox_probe(pool, on_done, &o);
	wait_for(&o, 5000);
	ck_assert_msg(o.results != NULL, "%s", o.err);
	r = json_object_array_get_idx(o.results, 0);
	for (i = 0; refused[i] != NULL; i++)
		ck_assert_msg(strcmp(jsonh_get_string(r, refused[i]), "EPERM") == 0, "%s: %s",
		    refused[i], jsonh_get_string(r, refused[i]));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(r, "environ")), 0);
	outcome_clear(&o);
	sandbox_stats(pool, &st);
	proc_status(st.last_pid, "Seccomp", v, sizeof(v));
	ck_assert_str_eq(v, "2");
	proc_status(st.last_pid, "NoNewPrivs", v, sizeof(v));
	ck_assert_str_eq(v, "1");
	/* what jq could read outside the document is empty or refused there too */
	submit("{}", 0, "[input_filename, (try (\"a\" | test(\"a\")) catch .)]", 0, &o);
	wait_for(&o, 5000);
	ck_assert(strstr(o.err, "not allowed") != NULL);
	pool_stop();
}
END_TEST

/* A helper program that cannot confine itself is refused at the start. */
START_TEST(test_unconfined_refused)
{
	struct sandbox_conf	 c;
	char			 err[256];

	memset(&c, 0, sizeof(c));
	c.bin = "/bin/cat";		/* echoes the probe: not an answer */
	c.limit_ms = 1000;
	c.memory_mb = 64;
	c.max_helpers = 1;
	c.slow_ms = 50;
	ck_assert_ptr_nonnull(base = event_base_new());
	ck_assert_ptr_null(sandbox_pool_new(base, &c, err, sizeof(err)));
	ck_assert_msg(strstr(err, "sandbox helper") != NULL, "%s", err);
	c.bin = "/nonexistent/fragent-sandbox";
	ck_assert_ptr_null(sandbox_pool_new(base, &c, err, sizeof(err)));
	/* posix_spawn reports the failed exec; under valgrind the child ends instead */
	ck_assert_msg(strstr(err, "cannot start") != NULL || strstr(err, "sandbox helper") != NULL,
	    "%s", err);
	event_base_free(base);
}
END_TEST

#define MANY	2000

static int	drained;

static void
on_drained(void *arg)
{
	(void)arg;
	drained++;
}

/* Thousands of requests of one loop turn: all answered, in one helper, correctly; the pool
 * says it is backlogged until fewer than SANDBOX_BACKLOG wait, then calls back once. */
START_TEST(test_pipelined)
{
	static struct outcome	 o[MANY];
	struct sandbox_stats	 st;
	char			 ctx[64];
	int			 i, n = 0;
	long long		 t0 = now_ms();

	pool_start(0, 0, 0, 2000);
	drained = 0;
	sandbox_on_drained(pool, on_drained, NULL);
	for (i = 0; i < MANY; i++) {
		ck_assert_int_eq(sandbox_backlogged(pool), i >= SANDBOX_BACKLOG);
		snprintf(ctx, sizeof(ctx), "{\"i\":%d}", i);
		submit(ctx, i % 2, i % 2 ? "{{ .i }}-{{ .i + 1 }}" : ".i * 2", 0, &o[i]);
	}
	while (n < MANY && now_ms() - t0 < 20000) {
		event_base_loop(base, EVLOOP_ONCE);
		for (n = 0, i = 0; i < MANY; i++)
			n += o[i].called;
	}
	for (i = 0; i < MANY; i++) {
		char	 want[64];

		ck_assert_int_eq(o[i].called, 1);
		if (i % 2)
			snprintf(want, sizeof(want), "[\"%d-%d\"]", i, i + 1);
		else
			snprintf(want, sizeof(want), "[%d]", i * 2);
		ck_assert_str_eq(jsonh_str(o[i].results), want);
		outcome_clear(&o[i]);
	}
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.spawned, 1);
	ck_assert(!sandbox_backlogged(pool));
	ck_assert_int_eq(drained, 1);
	pool_stop();
}
END_TEST

/* Cancelled requests leave the backlog too. */
START_TEST(test_backlog_cancel)
{
	static struct outcome	 o[SANDBOX_BACKLOG];
	struct sandbox_req	*r[SANDBOX_BACKLOG];
	int			 i, n = 0;

	pool_start(0, 0, 0, 2000);
	drained = 0;
	sandbox_on_drained(pool, on_drained, NULL);
	for (i = 0; i < SANDBOX_BACKLOG; i++)
		r[i] = submit("{}", 0, "1", 0, &o[i]);
	ck_assert(sandbox_backlogged(pool));
	sandbox_cancel(r[0]);
	ck_assert(!sandbox_backlogged(pool));
	ck_assert_int_eq(drained, 1);
	sandbox_cancel(r[1]);
	run_for(300);
	for (i = 0; i < SANDBOX_BACKLOG; i++) {
		n += o[i].called;
		outcome_clear(&o[i]);
	}
	ck_assert_int_eq(n, SANDBOX_BACKLOG - 2);
	ck_assert_int_eq(drained, 1);
	pool_stop();
}
END_TEST

/* Cancelled before dispatch, behind a running request, and while running: no callback, and
 * a long-running one gets its helper killed at once. */
START_TEST(test_cancel)
{
	struct sandbox_stats	 st;
	struct sandbox_req	*a, *b, *c;
	struct outcome		 oa, ob, oc, od;
	pid_t			 pid;
	int			 i;

	pool_start(20000, 0, 1, 10000);		/* one helper; nothing moves for 10 s */
	a = submit("{}", 0, "1", 0, &oa);
	sandbox_cancel(a);			/* still in the pool's queue */
	b = submit("{}", 0, RUNAWAY_NOLOOP, 0, &ob);
	c = submit("{}", 0, "2", 0, &oc);
	run_for(200);				/* both sent; b runs, c waits behind it */
	sandbox_cancel(c);
	submit("{}", 0, "3", 0, &od);
	sandbox_stats(pool, &st);
	pid = st.last_pid;
	sandbox_cancel(b);			/* running, not slow yet: dropped later */
	run_for(300);
	ck_assert_int_eq(oa.called + ob.called + oc.called + od.called, 0);
	ck_assert_int_eq(kill(pid, 0), 0);	/* still running b */
	pool_stop();

	pool_start(20000, 0, 2, 100);		/* slow after 100 ms of CPU */
	b = submit("{}", 0, RUNAWAY_NOLOOP, 0, &ob);
	/* 100 ms of CPU take longer than 100 ms on a loaded machine: wait up to 5 s */
	for (i = 0; i < 50; i++) {
		run_for(100);
		sandbox_stats(pool, &st);
		if (st.slow != 0)
			break;
	}
	ck_assert_int_eq(st.slow, 1);
	pid = st.spawned == 1 ? st.last_pid : 0;
	sandbox_cancel(b);			/* slow: its helper dies now */
	/* Reaped: at SCHED_IDLE on a busy machine, dying takes the time to be scheduled. */
	for (i = 0; pid > 0 && kill(pid, 0) == 0 && i < 100; i++)
		run_for(50);
	ck_assert_int_eq(ob.called, 0);
	if (pid > 0)
		ck_assert_int_eq(kill(pid, 0), -1);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.timeouts, 0);
	expect("{}", "4", "[4]");
	pool_stop();
}
END_TEST

/* What was queued behind a runaway runs elsewhere at once, and the runaway's helper
 * deprioritises itself. */
START_TEST(test_slow_moves_queue)
{
	struct sandbox_stats	 st;
	struct outcome		 run, q[5];
	pid_t			 slow_pid;
	long long		 t0;
	int			 i;

	pool_start(8000, 0, 4, 50);
	submit("{}", 0, RUNAWAY_NOLOOP, 0, &run);
	sandbox_stats(pool, &st);
	slow_pid = st.last_pid;
	t0 = now_ms();
	for (i = 0; i < 5; i++)
		submit("{\"a\":1}", 0, ".a + 1", 0, &q[i]);
	for (i = 0; i < 5; i++) {
		wait_for(&q[i], 3000);
		ck_assert_str_eq(jsonh_str(q[i].results), "[2]");
		outcome_clear(&q[i]);
	}
	ck_assert_int_lt(now_ms() - t0, 3000);		/* well before the runaway's limit */
	ck_assert_int_eq(run.called, 0);
	/* It deprioritised itself once the runaway used 50 ms of CPU. */
	for (i = 0; sched_getscheduler(slow_pid) != SCHED_IDLE && i < 40; i++)
		run_for(50);
	ck_assert_int_eq(sched_getscheduler(slow_pid), SCHED_IDLE);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.slow, 1);
	/* the moved requests got helpers of their own, up to the pool's maximum */
	ck_assert_int_ge(st.spawned, 2);
	ck_assert_int_le(st.spawned, 4);
	wait_for(&run, 10000);
	ck_assert_str_eq(run.err, "expression exceeded its time limit (8000 ms)");
	pool_stop();
}
END_TEST

/* A helper that falls behind without computing (here stopped, as one waiting for a core on
 * a loaded machine): its queue stays, as other helpers would wait as much. */
START_TEST(test_starved_stays)
{
	struct sandbox_stats	 st;
	struct outcome		 a, b;
	pid_t			 pid;

	pool_start(5000, 0, 4, 50);
	expect("{\"a\":0}", ".a | .", "[0]");	/* compiled: a compile computes */
	expect("{\"a\":0}", ".a + 1", "[1]");
	sandbox_stats(pool, &st);
	pid = st.last_pid;
	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	submit("{\"a\":1}", 0, ".a | .", 0, &a);	/* not a plain path: a helper's */
	submit("{\"a\":1}", 0, ".a + 1", 0, &b);
	run_for(300);
	ck_assert_int_eq(a.called + b.called, 0);
	ck_assert_int_eq(kill(pid, SIGCONT), 0);
	wait_for(&a, 3000);
	wait_for(&b, 3000);
	ck_assert_str_eq(jsonh_str(a.results), "[1]");
	ck_assert_str_eq(jsonh_str(b.results), "[2]");
	outcome_clear(&a);
	outcome_clear(&b);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.slow, 0);
	ck_assert_int_eq(st.spawned, 1);
	pool_stop();
}
END_TEST

/* A request computing past the slow threshold that then ends: what was written behind it
 * runs elsewhere at once, its helper's answers to those are dropped (ghosts), and the helper,
 * deprioritised by the long request, is replaced. */
START_TEST(test_busy_ghosts)
{
	struct sandbox_stats	 st;
	struct outcome		 a, b, c;

	pool_start(8000, 0, 4, 50);
	submit("{}", 0, "(\"x\" * 130 | explode) as $a | reduce ($a[] as $x | $a[] as $y | "
	    "$a[] | 1) as $v (0; . + $v)", 0, &a);
	submit("{\"a\":1}", 0, ".a + 1", 0, &b);
	submit("{\"a\":1}", 1, "{{ .a + 2 }}", 0, &c);
	wait_for(&b, 3000);
	wait_for(&c, 3000);
	ck_assert_str_eq(jsonh_str(b.results), "[2]");
	ck_assert_str_eq(jsonh_str(c.results), "[3]");
	wait_for(&a, 8000);
	ck_assert_msg(a.results != NULL, "%s", a.err);
	ck_assert_str_eq(jsonh_str(a.results), "[2197000]");
	run_for(300);
	ck_assert_int_eq(b.called + c.called, 2);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.slow, 1);
	ck_assert_int_eq(st.retired, 1);
	ck_assert_int_eq(st.deaths + st.timeouts + st.resent, 0);
	outcome_clear(&a);
	outcome_clear(&b);
	outcome_clear(&c);
	expect("{}", "5", "[5]");
	pool_stop();
}
END_TEST

/* With every helper taken, a request waits in the pool, and fails at its deadline. */
START_TEST(test_queue_deadline)
{
	struct outcome	 run, q;
	long long	 t0 = now_ms();

	pool_start(3000, 0, 1, 50);		/* one helper at most */
	submit("{}", 0, RUNAWAY_NOLOOP, 0, &run);
	submit("{}", 0, "1", 600, &q);
	wait_for(&q, 3000);
	ck_assert_str_eq(q.err, "expression exceeded its time limit (600 ms) waiting for a "
	    "sandbox helper");
	ck_assert_int_ge(q.at_ms - t0, 590);
	ck_assert_int_lt(q.at_ms - t0, 1500);
	wait_for(&run, 5000);
	ck_assert_str_eq(run.err, "expression exceeded its time limit (3000 ms)");
	expect("{}", "2", "[2]");
	pool_stop();
}
END_TEST

/* A helper killed from outside: its running request fails, the one behind it is sent again
 * and succeeds. */
START_TEST(test_death_resends)
{
	struct sandbox_stats	 st;
	struct outcome		 a, b;

	pool_start(20000, 0, 1, 10000);
	submit("{}", 0, RUNAWAY_NOLOOP, 0, &a);
	submit("{\"x\":5}", 0, ".x | .", 0, &b);	/* not a plain path: a helper's */
	run_for(200);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(kill(st.last_pid, SIGKILL), 0);
	wait_for(&a, 3000);
	wait_for(&b, 3000);
	ck_assert_str_eq(a.err, "expression crashed the sandbox");
	ck_assert_str_eq(jsonh_str(b.results), "[5]");
	outcome_clear(&b);
	sandbox_stats(pool, &st);
	ck_assert_int_eq(st.resent, 1);
	ck_assert_int_eq(st.deaths, 1);
	pool_stop();
}
END_TEST

/* A helper that used half its CPU limit asks to be replaced, and is. */
START_TEST(test_recycle)
{
	struct sandbox_stats	 st;
	struct outcome		 o;
	pid_t			 first;
	int			 i;

	pool_start_cpu(1500, 0, 0, 5000, 2);	/* retires after 1 s of CPU */
	sandbox_stats(pool, &st);
	first = st.last_pid;
	/* Burn CPU in short requests until the helper retires (bounded). */
	for (i = 0; i < 200; i++) {
		submit("{}", 0, "(\"x\" * 60 | explode) as $a | reduce ($a[] as $x | $a[] as $y "
		    "| $a[] | 1) as $v (0; . + $v)", 0, &o);
		wait_for(&o, 5000);
		ck_assert_msg(o.results != NULL, "%s", o.err);
		outcome_clear(&o);
		sandbox_stats(pool, &st);
		if (st.retired > 0)
			break;
	}
	ck_assert_int_ge(st.retired, 1);
	run_for(200);
	ck_assert_int_eq(kill(first, 0), -1);
	expect("{}", "7", "[7]");
	sandbox_stats(pool, &st);
	ck_assert(st.last_pid != first);
	pool_stop();
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("sandbox");
	TCase	*tc = tcase_create("sandbox_eval");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_eval, 0, NITEMS(evals));
	tcase_add_test(tc, test_items);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_plain_room);
	tcase_add_test(tc, test_pipelined);
	tcase_add_test(tc, test_backlog_cancel);
	suite_add_tcase(s, tc);
	tc = tcase_create("sandbox_limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_memory);
	tcase_add_test(tc, test_crash);
	tcase_add_test(tc, test_confined);
	tcase_add_test(tc, test_unconfined_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("sandbox_pool");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_slow_moves_queue);
	tcase_add_test(tc, test_starved_stays);
	tcase_add_test(tc, test_busy_ghosts);
	tcase_add_test(tc, test_death_resends);
	tcase_add_test(tc, test_queue_deadline);
	tcase_add_test(tc, test_recycle);
	suite_add_tcase(s, tc);
	return check_run(s);
}
