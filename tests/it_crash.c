/* it_crash.c: durability of the engine against the real stack. An execution whose middle node
 * waits is interrupted by `kill -9` of jobd; a new jobd process (supervisord restarts it)
 * reclaims the queue entry after the lease, resumes from the last completed step and
 * finishes: the execution succeeds and every step completed before the crash ran exactly
 * once (counted by tests/testsrv). Repeated CRASH_ROUNDS times. Then a run that kills its
 * worker every time ends failed after the bounded number of abandons. The stack should run
 * with a short lease (tests/integration.sh sets FRAGENT_JOBD_LEASE_MS=2000) and a low
 * FRAGENT_JOBD_MAX_ABANDONS. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"

#define CRASH_ROUNDS	20

#define CALL(id, path) "{\"id\":\"" id "\",\"type\":\"http_request\",\"config\":{\"url\":" \
	"\"http://127.0.0.1:%d/count/{{ .in.k }}-" path "\"}}"
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"

static char	wf[UUID_STRLEN + 1];

/* Waits (at most 15 s) until supervisord reports jobd RUNNING: a process still STARTING
 * (up for less than startsecs) refuses signals. */
static void
jobd_wait_running(void)
{
	const char	*sv = getenv("FRAGENT_TEST_SUPERVISORCTL");
	char		 cmd[512];
	long		 end = eng_now_ms() + 15000;

	ck_assert_msg(sv != NULL, "FRAGENT_TEST_SUPERVISORCTL is not set");
	snprintf(cmd, sizeof(cmd), "%s status jobd 2>/dev/null | grep -q RUNNING", sv);
	while (it_sh(cmd) != 0) {
		ck_assert_msg(eng_now_ms() < end, "jobd is not RUNNING");
		usleep(100000);
	}
}

/* Waits until the step of "node" in execution "id" is running. */
static void
wait_step_running(const char *id, const char *node)
{
	long		 end = eng_now_ms() + 15000;
	json_object	*ex = NULL;
	int		 found = 0;

	while (!found && eng_now_ms() < end) {
		json_object_put(ex);
		ex = eng_wait(id, "running", 2000);
		found = ex != NULL && eng_steps(ex, node, "running") == 1;
		if (!found)
			usleep(20000);
	}
	json_object_put(ex);
	ck_assert_msg(found, "node %s of %s never ran", node, id);
}

START_TEST(test_crash_resume)
{
	char		 id[UUID_STRLEN + 1], key[64], inputs[128], ka[80], kw[80], kc[80];
	json_object	*ex;
	long		 t0;

	snprintf(key, sizeof(key), "crash-%ld-%d", (long)getpid(), _i);
	snprintf(inputs, sizeof(inputs), "{\"k\":\"%s\"}", key);
	snprintf(ka, sizeof(ka), "%s-a", key);
	snprintf(kw, sizeof(kw), "%s-w", key);
	snprintf(kc, sizeof(kc), "%s-c", key);
	eng_start(wf, inputs, id);
	jobd_wait_running();
	wait_step_running(id, "w");
	t0 = eng_now_ms();
	ck_assert_int_eq(eng_jobd_ctl("signal KILL"), 0);
	eng_jobd_ctl("start");	/* supervisord may have restarted it already */
	ex = eng_wait(id, NULL, 30000);
	ck_assert_msg(ex != NULL, "round %d: %s did not finish within 30 s of the crash", _i, id);
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), "succeeded") == 0, "round %d: %s",
	    _i, jsonh_str(ex));
	/* Completed before the crash: exactly once. After it: exactly once too. */
	ck_assert_int_eq(eng_srv_count(ka), 1);
	ck_assert_int_eq(eng_srv_count(kc), 1);
	ck_assert_int_ge(eng_srv_count(kw), 1);
	ck_assert_int_eq(eng_steps(ex, "a", NULL), 1);
	ck_assert_int_eq(eng_steps(ex, "c", NULL), 1);
	ck_assert_int_eq(eng_steps(ex, "w", "succeeded"), 1);
	ck_assert_int_ge(json_object_get_int(json_object_object_get(ex, "attempt")), 2);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "out"), "1/1");
	fprintf(stderr, "it_crash: round %d recovered in %ld ms (w called %ld times)\n", _i,
	    eng_now_ms() - t0, eng_srv_count(kw));
	json_object_put(ex);
}
END_TEST

/* A SIGTERM'd jobd lets its in-flight step finish within the grace period. */
START_TEST(test_graceful_stop)
{
	char		 id[UUID_STRLEN + 1], inputs[128], kw[80];
	json_object	*ex;

	snprintf(inputs, sizeof(inputs), "{\"k\":\"term-%ld\"}", (long)getpid());
	snprintf(kw, sizeof(kw), "term-%ld-w", (long)getpid());
	jobd_wait_running();
	eng_start(wf, inputs, id);
	wait_step_running(id, "w");
	ck_assert_int_eq(eng_jobd_ctl("stop"), 0);	/* SIGTERM; waits for the exit */
	ck_assert_int_eq(eng_jobd_ctl("start"), 0);
	ex = eng_wait(id, NULL, 30000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "succeeded");
	/* The waiting step finished inside the grace period: it ran once, never again. */
	ck_assert_int_eq(eng_srv_count(kw), 1);
	ck_assert_int_eq(eng_steps(ex, "w", NULL), 1);
	json_object_put(ex);
}
END_TEST

/* Waits until execution "id" runs attempt "attempt" of its claims with node "node" running. */
static void
wait_claim_running(const char *id, const char *node, int attempt)
{
	long		 end = eng_now_ms() + 30000;
	json_object	*ex = NULL;
	int		 found = 0;

	while (!found && eng_now_ms() < end) {
		json_object_put(ex);
		ex = eng_wait(id, "running", 2000);
		found = ex != NULL && json_object_get_int(json_object_object_get(ex,
		    "attempt")) == attempt && eng_steps(ex, node, "running") == 1;
		if (!found)
			usleep(50000);
	}
	ck_assert_msg(found, "claim %d of %s never ran %s: %s", attempt, id, node,
	    ex != NULL ? jsonh_str(ex) : "(no answer)");
	json_object_put(ex);
}

/* A run that takes its worker down every time it is processed (here: jobd is killed each time
 * the run reaches its waiting step) is failed once abandoned more than
 * FRAGENT_JOBD_MAX_ABANDONS times, without running on; a run started afterwards is
 * untouched. */
START_TEST(test_poisoned_run)
{
	const char	*env = getenv("FRAGENT_JOBD_MAX_ABANDONS");
	int		 max = env != NULL ? atoi(env) : 5, i;
	char		 id[UUID_STRLEN + 1], other[UUID_STRLEN + 1], inputs[128], kw[80];
	char		 want[96];
	json_object	*ex;

	snprintf(inputs, sizeof(inputs), "{\"k\":\"poison-%ld\"}", (long)getpid());
	snprintf(kw, sizeof(kw), "poison-%ld-w", (long)getpid());
	jobd_wait_running();
	eng_start(wf, inputs, id);
	for (i = 0; i <= max; i++) {
		wait_claim_running(id, "w", i + 1);
		ck_assert_int_eq(eng_jobd_ctl("signal KILL"), 0);
		eng_jobd_ctl("start");
		jobd_wait_running();
	}
	ex = eng_wait(id, NULL, 60000);
	ck_assert_msg(ex != NULL, "the poisoned run did not end");
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "failed");
	snprintf(want, sizeof(want), "abandoned by its worker %d times", max + 1);
	ck_assert_msg(strstr(jsonh_get_string(ex, "error"), want) != NULL, "%s", jsonh_str(ex));
	ck_assert_int_eq(eng_steps(ex, "w", NULL), max + 1);
	ck_assert_int_eq(eng_steps(ex, "c", NULL), 0);
	ck_assert_int_le(eng_srv_count(kw), max + 1);
	json_object_put(ex);
	snprintf(inputs, sizeof(inputs), "{\"k\":\"poison-other-%ld\"}", (long)getpid());
	eng_start(wf, inputs, other);
	ex = eng_wait(other, NULL, 30000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "succeeded");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(ex, "attempt")), 1);
	json_object_put(ex);
}
END_TEST

#define BACKLOG	40

/* Executions queued while no jobd runs are read, claimed and settled in batches when it
 * starts: each one succeeds once, with its own results and one row per node. */
START_TEST(test_backlog_in_batches)
{
	char		 cpu[UUID_STRLEN + 1], ids[BACKLOG][UUID_STRLEN + 1], in[64], want[16];
	json_object	*ex;
	int		 i;

	eng_workflow("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"sq\",\"type\":\"transform\",\"config\":{\"expr\":\".in.n * .in.n\"}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .sq.output }}\"}}],"
	    "\"edges\":[" E("in", "sq") "," E("sq", "out") "]}", cpu);
	jobd_wait_running();
	ck_assert_int_eq(eng_jobd_ctl("stop"), 0);
	for (i = 0; i < BACKLOG; i++) {
		snprintf(in, sizeof(in), "{\"n\":%d}", i);
		eng_start(cpu, in, ids[i]);
	}
	ck_assert_int_eq(eng_jobd_ctl("start"), 0);
	for (i = 0; i < BACKLOG; i++) {
		ex = eng_wait(ids[i], "succeeded", 30000);
		ck_assert_msg(ex != NULL, "execution %d did not succeed", i);
		snprintf(want, sizeof(want), "%d", i * i);
		ck_assert_str_eq(jsonh_str(json_object_object_get(json_object_object_get(ex,
		    "results"), "out")), want);
		ck_assert_int_eq(json_object_get_int(json_object_object_get(ex, "attempt")), 1);
		ck_assert_int_eq(eng_steps(ex, "in", "succeeded"), 1);
		ck_assert_int_eq(eng_steps(ex, "sq", "succeeded"), 1);
		ck_assert_int_eq(eng_steps(ex, "out", "succeeded"), 1);
		json_object_put(ex);
	}
}
END_TEST

static void
setup(void)
{
	int	 p = eng_srv_start();

	eng_workflow(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    CALL("a", "a") "," CALL("w", "w?delay_ms=4000") "," CALL("c", "c") ","
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":"
	    "\"{{ .a.output.body.count }}/{{ .c.output.body.count }}\"}}],"
	    "\"edges\":[" E("in", "a") "," E("a", "w") "," E("w", "c") "," E("c", "out") "]}",
	    p, p, p), wf);
}

int
main(void)
{
	Suite	*s = suite_create("crash");
	TCase	*tc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_crash: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("kill9");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_loop_test(tc, test_crash_resume, 0, CRASH_ROUNDS);
	tcase_add_test(tc, test_graceful_stop);
	tcase_add_test(tc, test_backlog_in_batches);
	suite_add_tcase(s, tc);
	tc = tcase_create("poison");
	tcase_set_timeout(tc, 180);
	tcase_add_unchecked_fixture(tc, setup, eng_srv_stop);
	tcase_add_test(tc, test_poisoned_run);
	suite_add_tcase(s, tc);
	return check_run(s);
}
