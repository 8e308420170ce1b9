/* it_soak.c: the engine under churn, against the real stack. For FRAGENT_SOAK_SECONDS
 * (default 60) executions of three kinds are started all the time (HTTP steps, one longer
 * than the lease; agent runs against tests/llmsrv; CPU-only runs) while supervisord's jobd is
 * killed with SIGKILL every few seconds, a second jobd process joins and leaves (SIGTERM, or
 * SIGKILL), the model vendor stops answering for a while (SIGSTOP) mid-run, and executions
 * are cancelled and retried at random. Then the churn stops and every execution must end
 * within lease + sweep; none may have run a step again after it completed durably; the
 * events of each execution must form one ordered stream in which no two holders interleave.
 * The stack runs with a short lease (tests/integration.sh). bench/soak.sh runs it longer. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"
#include "redisconn.h"

#define SOAK_MAX	4000
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"

enum kind { K_HTTP, K_AGENT, K_CPU, K__MAX };

struct soak_exec {
	char		 id[UUID_STRLEN + 1];
	char		 key[48];
	enum kind	 kind;
	int		 retries;	/* retries asked through the API */
};

static struct soak_exec	 execs[SOAK_MAX];
static int		 nexecs;
static char		 wf[K__MAX][UUID_STRLEN + 1];
static struct llmsrv	 vendor;
static pid_t		 second = -1;	/* the second jobd */
static int		 kills, joins, leaves, cancels, retries;

/* ---------------------------------------------------------------- the stack's processes */

static void
jobd_ctl(const char *what)
{
	char	 cmd[512];

	snprintf(cmd, sizeof(cmd), "%s %s jobd >/dev/null 2>&1",
	    getenv("FRAGENT_TEST_SUPERVISORCTL"), what);
	it_sh(cmd);
}

/* Starts a second jobd (same database and queue, its own consumer name and SSE port). */
static void
second_start(void)
{
	second = eng_jobd_start("soak-second", "jobd-second.log");
	joins++;
}

/* Stops the second jobd with "sig" and reaps it. */
static void
second_stop(int sig)
{
	if (second <= 0)
		return;
	eng_jobd_stop(second, sig);
	second = -1;
	leaves++;
}

/* ---------------------------------------------------------------- workload */

static void
make_workflows(void)
{
	char	 agent[UUID_STRLEN + 1];
	int	 p = eng_srv_port();

	/* h2 waits 2.5 s: longer than the 2 s lease of the test stack. */
	eng_workflow(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"h1\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"http://127.0.0.1:%d/count/{{ .in.k }}-h1?delay_ms=200\"}},"
	    "{\"id\":\"h2\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"http://127.0.0.1:%d/count/{{ .in.k }}-h2?delay_ms=2500\",\"retries\":1,"
	    "\"retry_backoff_ms\":200}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":"
	    "\"{{ .h1.output.body.count }}/{{ .h2.output.body.count }}\"}}],"
	    "\"edges\":[" E("in", "h1") "," E("h1", "h2") "," E("h2", "out") "]}", p, p),
	    wf[K_HTTP]);
	ck_assert_int_eq(llmsrv_upload(&vendor, "soak", "{\"select\":\"turn\",\"responses\":["
	    "{\"text\":\"a streamed answer that takes about a second and a half\","
	    "\"chunk_size\":4,\"chunk_delay_ms\":100}]}"), 0);
	it_create("/api/v1/agents", eng_fmt("{\"name\":\"soak\",\"configuration\":{\"provider\":"
	    "\"openai\",\"base_url\":\"%s/v1\",\"model\":\"soak\"}}", vendor.base), it_token(),
	    agent);
	eng_workflow(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"ag\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\",\"prompt\":"
	    "\"hello {{ .in.k }}\",\"timeout_ms\":6000,\"retries\":1,\"retry_backoff_ms\":200}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .ag.output }}\"}}],"
	    "\"edges\":[" E("in", "ag") "," E("ag", "out") "]}", agent), wf[K_AGENT]);
	eng_workflow("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"t\",\"type\":\"transform\",\"config\":{\"expr\":\"[.in.k, 1]\"}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .t.output[0] }}\"}}],"
	    "\"edges\":[" E("in", "t") "," E("t", "out") "]}", wf[K_CPU]);
}

static void
start_one(void)
{
	struct soak_exec	*x = &execs[nexecs];
	char			 inputs[96];

	if (nexecs == SOAK_MAX)
		return;
	x->kind = (enum kind)(random() % K__MAX);
	snprintf(x->key, sizeof(x->key), "soak-%ld-%d", (long)getpid(), nexecs);
	snprintf(inputs, sizeof(inputs), "{\"k\":\"%s\"}", x->key);
	eng_start(wf[x->kind], inputs, x->id);
	nexecs++;
}

/* Cancels or retries one execution at random through the API. */
static void
poke_one(void)
{
	struct soak_exec	*x;
	char			 path[128];

	if (nexecs == 0)
		return;
	x = &execs[random() % nexecs];
	if (random() % 2 == 0) {
		snprintf(path, sizeof(path), "/api/v1/executions/%s/cancel", x->id);
		if (it_status("POST", path, "{}", it_token()) == 202)
			cancels++;
	} else {
		snprintf(path, sizeof(path), "/api/v1/executions/%s/retry", x->id);
		if (it_status("POST", path, "{}", it_token()) == 202) {
			x->retries++;
			retries++;
		}
	}
}

/* ---------------------------------------------------------------- checks */

static const char *const terminal[] = { "succeeded", "failed", "cancelled", NULL };

static bool
is_terminal(const char *status)
{
	int	 i;

	for (i = 0; terminal[i] != NULL; i++)
		if (strcmp(status, terminal[i]) == 0)
			return true;
	return false;
}

/* Per node of "ex": at most one success, and no attempt after it. For HTTP nodes, the test
 * server saw no more calls than there are attempts. */
static void
check_steps(const struct soak_exec *x, json_object *ex)
{
	json_object	*steps = json_object_object_get(ex, "steps"), *st;
	const char	*nodes[] = { "in", "h1", "h2", "ag", "t", "out", NULL };
	int		 i, succ, succ_attempt, last;
	size_t		 k;

	for (i = 0; nodes[i] != NULL; i++) {
		succ = 0;
		succ_attempt = last = 0;
		for (k = 0; k < json_object_array_length(steps); k++) {
			int a;

			st = json_object_array_get_idx(steps, k);
			if (strcmp(jsonh_get_string(st, "node_id"), nodes[i]) != 0)
				continue;
			a = json_object_get_int(json_object_object_get(st, "attempt"));
			if (a > last)
				last = a;
			if (strcmp(jsonh_get_string(st, "status"), "succeeded") == 0) {
				succ++;
				succ_attempt = a;
			}
		}
		ck_assert_msg(succ <= 1, "%s: node %s succeeded %d times", x->id, nodes[i], succ);
		ck_assert_msg(succ == 0 || last == succ_attempt,
		    "%s: node %s ran again (attempt %d) after its success (attempt %d)", x->id,
		    nodes[i], last, succ_attempt);
		if (x->kind == K_HTTP && (strcmp(nodes[i], "h1") == 0 ||
		    strcmp(nodes[i], "h2") == 0)) {
			char key[80];

			snprintf(key, sizeof(key), "%.47s-%.8s", x->key, nodes[i]);
			ck_assert_msg(eng_srv_count(key) <= eng_steps(ex, nodes[i], NULL),
			    "%s: %s called %ld times for %d attempts", x->id, nodes[i],
			    eng_srv_count(key), eng_steps(ex, nodes[i], NULL));
		}
	}
}

/* The execution's event stream: in order (Redis ids), every run of it (the first, and one
 * per retry) opens with execution.started and closes with one terminal event, nothing comes
 * between a terminal event and the next start, and within a run the node attempts of each
 * node never go back (two holders interleaving would show an older attempt after a newer
 * one). */
static void
check_events(struct redis_conn *rc, const struct soak_exec *x)
{
	char		 key[96];
	const char	*argv[] = { "XRANGE", key, "-", "+" };
	redisReply	*r;
	json_object	*attempts = json_object_new_object();
	int		 open = 0, runs = 0;
	size_t		 i, j;

	snprintf(key, sizeof(key), "fragent:events:%.36s", x->id);
	r = redis_conn_cmd(rc, 4, argv, NULL);
	ck_assert_msg(r != NULL && r->type == REDIS_REPLY_ARRAY, "XRANGE %s", key);
	for (i = 0; i < r->elements; i++) {
		redisReply	*f = r->element[i]->element[1];
		const char	*type = NULL, *data = NULL;
		json_object	*d = NULL, *prev;
		const char	*node;
		int		 a;

		for (j = 0; j + 1 < f->elements; j += 2) {
			if (strcmp(f->element[j]->str, "type") == 0)
				type = f->element[j + 1]->str;
			else if (strcmp(f->element[j]->str, "data") == 0)
				data = f->element[j + 1]->str;
		}
		ck_assert_ptr_nonnull(type);
		if (strcmp(type, "execution.started") == 0) {
			/* A holder taking over starts again without closing: that is fine. */
			if (!open)
				runs++;
			open = 1;
			json_object_put(attempts);
			attempts = json_object_new_object();
			continue;
		}
		if (strcmp(type, "execution.completed") == 0 ||
		    strcmp(type, "execution.failed") == 0 ||
		    strcmp(type, "execution.cancelled") == 0) {
			/* A cancel settles an execution no worker held: it may close without a
			 * start. */
			ck_assert_msg(open || strcmp(type, "execution.cancelled") == 0,
			    "%s: %s without a run", x->id, type);
			if (!open)
				runs++;
			open = 0;
			continue;
		}
		ck_assert_msg(open, "%s: %s after the end of its run", x->id, type);
		if (data == NULL || (d = json_tokener_parse(data)) == NULL)
			continue;
		node = jsonh_get_string(d, "node_id");
		a = json_object_get_int(json_object_object_get(d, "attempt"));
		if (node != NULL && a > 0) {
			prev = json_object_object_get(attempts, node);
			ck_assert_msg(prev == NULL || json_object_get_int(prev) <= a,
			    "%s: %s of %s attempt %d after attempt %d", x->id, type, node, a,
			    json_object_get_int(prev));
			json_object_object_add(attempts, node, json_object_new_int(a));
		}
		json_object_put(d);
	}
	ck_assert_msg(!open, "%s: the last run has no terminal event", x->id);
	ck_assert_msg(runs >= 1 && runs <= x->retries + 1, "%s: %d runs for %d retries", x->id,
	    runs, x->retries);
	json_object_put(attempts);
	freeReplyObject(r);
}

/* ---------------------------------------------------------------- the test */

START_TEST(test_soak)
{
	const char		*env = getenv("FRAGENT_SOAK_SECONDS");
	long			 secs = env != NULL ? atol(env) : 60, end, next_kill, next_second;
	long			 lease = atol(getenv("FRAGENT_JOBD_LEASE_MS") ?
				    getenv("FRAGENT_JOBD_LEASE_MS") : "30000");
	long			 sweep = atol(getenv("FRAGENT_JOBD_SWEEP_MS") ?
				    getenv("FRAGENT_JOBD_SWEEP_MS") : "30000");
	struct redis_url	 url;
	struct redis_conn	*rc;
	int			 stats[4] = { 0, 0, 0, 0 }, i, stopped = 0;
	json_object		*ex;
	long			 t0, deadline;

	srandom((unsigned)getpid());
	make_workflows();
	t0 = eng_now_ms();
	end = t0 + secs * 1000;
	next_kill = t0 + 3000;
	next_second = t0 + 2000;
	while (eng_now_ms() < end) {
		long now = eng_now_ms();

		start_one();
		start_one();
		if (random() % 5 == 0)
			poke_one();
		if (now >= next_kill) {
			jobd_ctl("signal KILL");
			jobd_ctl("start");
			kills++;
			next_kill = now + 2000 + random() % 3000;
		}
		if (now >= next_second) {
			if (second > 0)
				second_stop(random() % 3 == 0 ? SIGKILL : SIGTERM);
			else
				second_start();
			next_second = now + 4000 + random() % 6000;
		}
		/* The vendor stops answering for the middle third. */
		if (!stopped && now > t0 + secs * 1000 / 3) {
			kill(vendor.pid, SIGSTOP);
			stopped = 1;
		} else if (stopped == 1 && now > t0 + secs * 2000 / 3) {
			kill(vendor.pid, SIGCONT);
			stopped = 2;
		}
		usleep(250000);
	}
	if (stopped == 1)
		kill(vendor.pid, SIGCONT);
	second_stop(SIGTERM);
	jobd_ctl("start");
	fprintf(stderr, "it_soak: %d executions in %ld s; %d kills, %d joins, %d leaves, "
	    "%d cancels, %d retries\n", nexecs, secs, kills, joins, leaves, cancels, retries);
	/* Every execution ends within lease + sweep (plus the longest step and a restart). */
	deadline = eng_now_ms() + lease + sweep + 15000;
	for (i = 0; i < nexecs; i++) {
		long left = deadline - eng_now_ms();

		ex = eng_wait(execs[i].id, NULL, left > 0 ? left : 1);
		ck_assert_msg(ex != NULL && is_terminal(jsonh_get_string(ex, "status")),
		    "%s (%d) did not end within lease + sweep: %s", execs[i].id, execs[i].kind,
		    ex != NULL ? jsonh_str(ex) : "no answer");
		stats[strcmp(jsonh_get_string(ex, "status"), "succeeded") == 0 ? 0 :
		    strcmp(jsonh_get_string(ex, "status"), "failed") == 0 ? 1 : 2]++;
		check_steps(&execs[i], ex);
		json_object_put(ex);
	}
	ck_assert_int_eq(redis_url_parse(getenv("FRAGENT_REDIS_URL"), &url), 0);
	ck_assert_ptr_nonnull(rc = redis_conn_new(&url));
	for (i = 0; i < nexecs; i++)
		check_events(rc, &execs[i]);
	redis_conn_free(rc);
	fprintf(stderr, "it_soak: %d succeeded, %d failed, %d cancelled, all ended %ld ms after "
	    "the churn\n", stats[0], stats[1], stats[2], eng_now_ms() - (end > t0 ? end : t0));
	ck_assert_int_gt(stats[0], 0);
}
END_TEST

static void
setup(void)
{
	eng_srv_start();
	ck_assert_int_eq(llmsrv_start(&vendor), 0);
}

static void
teardown(void)
{
	second_stop(SIGKILL);
	llmsrv_stop(&vendor);
	eng_srv_stop();
}

int
main(void)
{
	Suite	*s = suite_create("soak");
	TCase	*tc;
	long	 secs = getenv("FRAGENT_SOAK_SECONDS") ? atol(getenv("FRAGENT_SOAK_SECONDS")) : 60;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_soak: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("churn");
	tcase_set_timeout(tc, (double)secs + 180);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_soak);
	suite_add_tcase(s, tc);
	return check_run(s);
}
