/* it_approval.c: human approvals against the real stack. A run reaches an approval node and
 * waits (status waiting, no worker holding it); a user of the asked role approves and the
 * run goes on along the approved handle with the comment as the node's output; a named user
 * rejects; the run's owner without the role is refused 403 and nothing is written; a
 * stranger gets 404; a second answer gets 409; a deadline takes the rejected path; a waiting
 * run survives a restart of jobd (answered while no jobd runs at all); a waiting run is
 * cancelled; bodies are validated. Needs FRAGENT_TEST_SUPERVISORCTL (tests/integration.sh)
 * and a short sweep period (FRAGENT_JOBD_SWEEP_MS). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "jsonh.h"

/* in → gate (approval, config GATE) → approved: ok, rejected: no. */
#define APPROVAL_DEF(gate) \
	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"gate\",\"type\":\"approval\",\"config\":" gate "}," \
	"{\"id\":\"ok\",\"type\":\"output\",\"config\":{\"value\":" \
	"\"yes: {{ .gate.output.comment }}\"}}," \
	"{\"id\":\"no\",\"type\":\"output\",\"config\":{\"value\":" \
	"\"no: {{ .gate.output.comment }}\"}}]," \
	"\"edges\":[{\"source\":\"in\",\"target\":\"gate\"}," \
	"{\"source\":\"gate\",\"source_handle\":\"approved\",\"target\":\"ok\"}," \
	"{\"source\":\"gate\",\"source_handle\":\"rejected\",\"target\":\"no\"}]}"

static char	*owner_tok, *viewer_tok, *editor_tok, *stranger_tok;
static char	 editor_id[UUID_STRLEN + 1];
static char	 wf_role[UUID_STRLEN + 1], wf_user[UUID_STRLEN + 1];
static char	 wf_deadline[UUID_STRLEN + 1];

static void
setup(void)
{
	struct http_resp	 r;
	char			 def[2048];

	ck_assert_ptr_nonnull(it_login_admin());
	owner_tok = it_login_as("appr-owner", "editor");
	viewer_tok = it_login_as("appr-viewer", "viewer");
	editor_tok = it_login_as("appr-editor", "editor");
	stranger_tok = it_login_as("appr-stranger", "editor");
	ck_assert_ptr_nonnull(owner_tok);
	ck_assert_ptr_nonnull(viewer_tok);
	ck_assert_ptr_nonnull(editor_tok);
	ck_assert_ptr_nonnull(stranger_tok);
	ck_assert_int_eq(it_req("GET", "/api/v1/auth/me", NULL, editor_tok, &r), 200);
	snprintf(editor_id, sizeof(editor_id), "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	it_set_token(owner_tok);
	eng_workflow(APPROVAL_DEF("{\"role\":\"viewer\",\"message\":\"Ship it?\"}"), wf_role);
	snprintf(def, sizeof(def), APPROVAL_DEF("{\"user_id\":\"%s\"}"), editor_id);
	eng_workflow(def, wf_user);
	eng_workflow(APPROVAL_DEF("{\"role\":\"admin\",\"deadline_seconds\":1}"), wf_deadline);
}

static void
teardown(void)
{
	free(owner_tok);
	free(viewer_tok);
	free(editor_tok);
	free(stranger_tok);
}

/* Starts workflow "wf" as the owner and waits until it waits; copies the execution id. */
static void
start_waiting(const char *wf, char id[UUID_STRLEN + 1])
{
	json_object	*ex;

	it_set_token(owner_tok);
	eng_start(wf, "{\"x\":1}", id);
	ex = eng_wait(id, "waiting", 20000);
	ck_assert_msg(ex != NULL, "%s never waited", id);
	ck_assert_int_eq(eng_steps(ex, "gate", "waiting"), 1);
	ck_assert_int_eq(eng_steps(ex, "ok", NULL), 0);
	ck_assert_ptr_null(json_object_object_get(ex, "end_time"));
	json_object_put(ex);
}

/* POSTs an answer to node "node" of "id" as "tok"; returns the status ("r" filled). */
static long
answer(const char *id, const char *node, const char *body, const char *tok,
    struct http_resp *r)
{
	char	 path[160];

	snprintf(path, sizeof(path), "/api/v1/executions/%s/approvals/%s", id, node);
	return it_req("POST", path, body, tok, r);
}

static long
answer_status(const char *id, const char *body, const char *tok)
{
	struct http_resp	 r;
	long			 st = answer(id, "gate", body, tok, &r);

	http_resp_clear(&r);
	return st;
}

/* The state of the approval of "gate" in "id", as the owner sees it (static). */
static const char *
gate_state(const char *id)
{
	static char		 st[32];
	struct http_resp	 r;
	char			 path[160];
	json_object		*a;

	snprintf(path, sizeof(path), "/api/v1/executions/%s/approvals", id);
	ck_assert_int_eq(it_req("GET", path, NULL, owner_tok, &r), 200);
	a = json_object_array_get_idx(json_object_object_get(r.json, "items"), 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(jsonh_get_string(a, "node_id"), "gate");
	snprintf(st, sizeof(st), "%s", jsonh_get_string(a, "state"));
	http_resp_clear(&r);
	return st;
}

/* Waits for the end of "id" as the owner; asserts "status" and returns the execution. */
static json_object *
wait_end(const char *id, const char *status)
{
	json_object	*ex;

	it_set_token(owner_tok);
	ex = eng_wait(id, NULL, 30000);
	ck_assert_msg(ex != NULL, "%s did not end", id);
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), status) == 0, "want %s: %s",
	    status, jsonh_str(ex));
	return ex;
}

/* True when GET /approvals as "tok" lists the request of "id". */
static bool
listed(const char *tok, const char *id)
{
	struct http_resp	 r;
	json_object		*items;
	size_t			 i;
	bool			 found = false;

	ck_assert_int_eq(it_req("GET", "/api/v1/approvals?limit=100", NULL, tok, &r), 200);
	items = json_object_object_get(r.json, "items");
	for (i = 0; i < json_object_array_length(items); i++) {
		json_object *a = json_object_array_get_idx(items, i);

		if (strcmp(jsonh_get_string(a, "execution_id"), id) == 0) {
			found = true;
			ck_assert(json_object_get_boolean(json_object_object_get(a,
			    "can_answer")));
			ck_assert_str_eq(jsonh_get_string(a, "message"), "Ship it?");
		}
	}
	http_resp_clear(&r);
	return found;
}

START_TEST(test_approve)
{
	char		 id[UUID_STRLEN + 1];
	struct http_resp r;
	json_object	*ex, *out, *step;

	start_waiting(wf_role, id);
	ck_assert(listed(viewer_tok, id));
	ck_assert(!listed(stranger_tok, id));
	ck_assert(!listed(owner_tok, id));
	ck_assert_int_eq(it_req("GET", "/api/v1/approvals/count", NULL, viewer_tok, &r), 200);
	ck_assert_int_ge(json_object_get_int(json_object_object_get(r.json, "count")), 1);
	http_resp_clear(&r);
	/* The owner sees it but has not the role: 403, nothing written. A stranger: 404. */
	ck_assert_int_eq(answer(id, "gate", "{\"decision\":\"approve\"}", owner_tok, &r), 403);
	it_assert_problem(&r, 403);
	http_resp_clear(&r);
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"approve\"}", stranger_tok), 404);
	ck_assert_str_eq(gate_state(id), "pending");
	ck_assert_str_eq(it_sql(eng_fmt("SELECT status FROM executions WHERE id = $$%s$$", id)),
	    "waiting");
	/* No such node: 404. */
	ck_assert_int_eq(answer(id, "nope", "{\"decision\":\"approve\"}", viewer_tok, &r), 404);
	http_resp_clear(&r);
	ck_assert_int_eq(answer(id, "gate", "{\"decision\":\"approve\",\"comment\":"
	    "\"looks good\"}", viewer_tok, &r), 200);
	ck_assert_str_eq(jsonh_get_string(r.json, "state"), "approved");
	ck_assert_str_eq(jsonh_get_string(r.json, "comment"), "looks good");
	http_resp_clear(&r);
	/* A second answer: 409. */
	ck_assert_int_eq(answer(id, "gate", "{\"decision\":\"reject\"}", viewer_tok, &r), 409);
	it_assert_problem(&r, 409);
	http_resp_clear(&r);
	ex = wait_end(id, "succeeded");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "ok"),
	    "yes: looks good");
	ck_assert_int_eq(eng_steps(ex, "no", "skipped"), 1);
	step = eng_step(ex, "gate");
	ck_assert_str_eq(jsonh_get_string(step, "status"), "succeeded");
	out = json_object_object_get(step, "output");
	ck_assert(json_object_get_boolean(json_object_object_get(out, "approved")));
	ck_assert_str_eq(jsonh_get_string(out, "comment"), "looks good");
	ck_assert_ptr_nonnull(jsonh_get_string(out, "by"));
	ck_assert_ptr_nonnull(jsonh_get_string(out, "at"));
	ck_assert_int_eq(eng_steps(ex, "gate", "waiting"), 0);
	json_object_put(ex);
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"approve\"}", viewer_tok), 409);
	ck_assert(!listed(viewer_tok, id));
}
END_TEST

START_TEST(test_reject_named_user)
{
	char		 id[UUID_STRLEN + 1];
	json_object	*ex, *out;

	start_waiting(wf_user, id);
	/* The node names a user: a viewer (any other user) is not asked. */
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"approve\"}", viewer_tok), 404);
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"approve\"}", owner_tok), 403);
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"reject\",\"comment\":\"not now\"}",
	    editor_tok), 200);
	ex = wait_end(id, "succeeded");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "no"),
	    "no: not now");
	ck_assert_int_eq(eng_steps(ex, "ok", "skipped"), 1);
	out = json_object_object_get(eng_step(ex, "gate"), "output");
	ck_assert(!json_object_get_boolean(json_object_object_get(out, "approved")));
	ck_assert_str_eq(jsonh_get_string(out, "by"), editor_id);
	json_object_put(ex);
}
END_TEST

START_TEST(test_deadline)
{
	char		 id[UUID_STRLEN + 1];
	json_object	*ex, *out;

	start_waiting(wf_deadline, id);
	/* jobd's sweeper rejects it within a sweep period or two. */
	ex = eng_wait(id, "succeeded", 20000);
	ck_assert_msg(ex != NULL, "the deadline was not applied");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "no"),
	    "no: deadline passed");
	out = json_object_object_get(eng_step(ex, "gate"), "output");
	ck_assert(!json_object_get_boolean(json_object_object_get(out, "approved")));
	ck_assert(json_object_is_type(json_object_object_get(out, "by"), json_type_null));
	json_object_put(ex);
	ck_assert_str_eq(gate_state(id), "rejected");
}
END_TEST

/* The run waits while no jobd runs at all, is answered then, and goes on once jobd is back. */
START_TEST(test_jobd_restart)
{
	char		 id[UUID_STRLEN + 1];
	json_object	*ex;

	start_waiting(wf_role, id);
	ck_assert_int_eq(eng_jobd_ctl("stop"), 0);
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"approve\",\"comment\":\"later\"}",
	    viewer_tok), 200);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT status FROM executions WHERE id = $$%s$$", id)),
	    "queued");
	ck_assert_int_eq(eng_jobd_ctl("start"), 0);
	ex = wait_end(id, "succeeded");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "ok"),
	    "yes: later");
	/* The approval ran once: the resumed attempt reused its answer. */
	ck_assert_int_eq(eng_steps(ex, "gate", NULL), 1);
	ck_assert_int_ge(json_object_get_int(json_object_object_get(ex, "attempt")), 2);
	json_object_put(ex);
}
END_TEST

START_TEST(test_cancel_waiting)
{
	char		 id[UUID_STRLEN + 1], path[128];
	json_object	*ex;
	long		 end;

	start_waiting(wf_role, id);
	snprintf(path, sizeof(path), "/api/v1/executions/%s/cancel", id);
	ck_assert_int_eq(it_status("POST", path, NULL, owner_tok), 202);
	ex = wait_end(id, "cancelled");
	ck_assert_int_eq(eng_steps(ex, "gate", "cancelled"), 1);
	json_object_put(ex);
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"approve\"}", viewer_tok), 409);
	ck_assert(!listed(viewer_tok, id));
	/* A worker settles it: the lease owner becomes '' once execution.cancelled is out. */
	end = eng_now_ms() + 10000;
	while (strcmp(it_sql(eng_fmt("SELECT COALESCE(length(lease_owner), -1) = 0 FROM "
	    "executions WHERE id = $$%s$$", id)), "t") != 0) {
		ck_assert_msg(eng_now_ms() < end, "the cancel of %s was never settled", id);
		usleep(100000);
	}
	ck_assert_int_eq(it_status("POST", path, NULL, owner_tok), 409);
}
END_TEST

START_TEST(test_bad_bodies)
{
	char			 id[UUID_STRLEN + 1];
	struct http_resp	 r;
	char			*long_comment;

	start_waiting(wf_role, id);
	ck_assert_int_eq(answer(id, "gate", "{\"decision\":\"maybe\"}", viewer_tok, &r), 422);
	it_assert_problem_at(&r, 422, "decision");
	http_resp_clear(&r);
	ck_assert_int_eq(answer(id, "gate", "{}", viewer_tok, &r), 422);
	it_assert_problem_at(&r, 422, "decision");
	http_resp_clear(&r);
	long_comment = malloc(4100 + 64);
	ck_assert_ptr_nonnull(long_comment);
	memcpy(long_comment, "{\"decision\":\"approve\",\"comment\":\"", 33);
	memset(long_comment + 33, 'x', 4001);
	memcpy(long_comment + 33 + 4001, "\"}", 3);
	ck_assert_int_eq(answer(id, "gate", long_comment, viewer_tok, &r), 422);
	it_assert_problem_at(&r, 422, "comment");
	http_resp_clear(&r);
	free(long_comment);
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"approve\"}", NULL), 401);
	/* The requests of a run: 404 for no such run or a stranger's; none for a run that asks
	 * nothing. */
	ck_assert_int_eq(it_status("GET", "/api/v1/executions/"
	    "01900000-0000-7000-8000-0000000000ff/approvals", NULL, owner_tok), 404);
	ck_assert_int_eq(it_status("GET", eng_fmt("/api/v1/executions/%s/approvals", id), NULL,
	    stranger_tok), 404);
	ck_assert_int_eq(answer_status("01900000-0000-7000-8000-0000000000ff",
	    "{\"decision\":\"approve\"}", viewer_tok), 404);
	ck_assert_str_eq(gate_state(id), "pending");
	ck_assert_int_eq(answer_status(id, "{\"decision\":\"reject\"}", viewer_tok), 200);
	json_object_put(wait_end(id, "succeeded"));
}
END_TEST

/* A run that asks nothing has no requests; its owner sees that, a stranger gets 404. */
START_TEST(test_no_approvals)
{
	struct http_resp	 r;
	json_object		*ex;
	char			 path[160];

	it_set_token(owner_tok);
	ex = eng_run(IT_DEF, "{\"x\":1}", "succeeded");
	snprintf(path, sizeof(path), "/api/v1/executions/%s/approvals",
	    jsonh_get_string(ex, "id"));
	json_object_put(ex);
	ck_assert_int_eq(it_req("GET", path, NULL, owner_tok, &r), 200);
	ck_assert_int_eq(json_object_array_length(json_object_object_get(r.json, "items")), 0);
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("GET", path, NULL, stranger_tok), 404);
}
END_TEST

/* The node's config is checked when the workflow is saved. */
START_TEST(test_bad_config)
{
	struct http_resp	 r;

	ck_assert_int_eq(it_req("POST", "/api/v1/workflows/validate", "{\"definition\":"
	    APPROVAL_DEF("{\"role\":\"boss\"}") "}", owner_tok, &r), 422);
	it_assert_problem(&r, 422);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("POST", "/api/v1/workflows/validate", "{\"definition\":"
	    APPROVAL_DEF("{\"deadline_seconds\":0}") "}", owner_tok, &r), 422);
	it_assert_problem(&r, 422);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("POST", "/api/v1/workflows/validate", "{\"definition\":"
	    APPROVAL_DEF("{\"user_id\":\"someone\"}") "}", owner_tok, &r), 422);
	it_assert_problem(&r, 422);
	http_resp_clear(&r);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("approval");
	TCase	*tc = tcase_create("approval");

	tcase_set_timeout(tc, 90);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_approve);
	tcase_add_test(tc, test_reject_named_user);
	tcase_add_test(tc, test_deadline);
	tcase_add_test(tc, test_cancel_waiting);
	tcase_add_test(tc, test_bad_bodies);
	tcase_add_test(tc, test_bad_config);
	tcase_add_test(tc, test_no_approvals);
	tcase_add_test(tc, test_jobd_restart);
	suite_add_tcase(s, tc);
	return check_run(s);
}
