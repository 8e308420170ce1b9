/* check_lease.c: the lease rules (jobd/lease.c) and the step policy (jobd/policy.c), table by
 * table: what a refused claim does with its entry, when a holder that cannot renew stops,
 * when a run counts as poisoned, retries and back-off. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "lease.h"
#include "nitems.h"
#include "policy.h"

#define ME	"me/host/1/ab/w0"

static const struct {
	const char		*status;
	const char		*owner;		/* NULL: none */
	bool			 expired;
	const char		*holder_entry;
	const char		*entry;
	enum lease_refusal	 want;
} refusals[] = {
	/* Ended: a duplicate goes; the holder's own entry, never acknowledged, means it may
	 * have stopped before publishing the end. */
	{ "succeeded", NULL, true, "1-0", "2-0", LEASE_REFUSAL_ACK },
	{ "failed", "other", false, "1-0", "2-0", LEASE_REFUSAL_ACK },
	{ "succeeded", NULL, true, "1-0", "1-0", LEASE_REFUSAL_END },
	{ "failed", "other", false, "1-0", "1-0", LEASE_REFUSAL_END },
	/* Cancelled: settle unless a live holder will. */
	{ "cancelled", NULL, true, "", "1-0", LEASE_REFUSAL_CANCEL },
	{ "cancelled", "", true, "1-0", "1-0", LEASE_REFUSAL_CANCEL },
	{ "cancelled", "other", true, "1-0", "2-0", LEASE_REFUSAL_CANCEL },
	{ "cancelled", ME, false, "1-0", "1-0", LEASE_REFUSAL_CANCEL },
	{ "cancelled", "other", false, "1-0", "1-0", LEASE_REFUSAL_KEEP },
	{ "cancelled", "other", false, "1-0", "2-0", LEASE_REFUSAL_ACK },
	/* Running under a live holder: its own entry stays, a duplicate goes. */
	{ "running", "other", false, "1-0", "1-0", LEASE_REFUSAL_KEEP },
	{ "running", "other", false, "1-0", "2-0", LEASE_REFUSAL_ACK },
	{ "running", "other", false, "", "2-0", LEASE_REFUSAL_ACK },
	/* Claimable, yet not claimed: a race; try later. */
	{ "running", "other", true, "1-0", "1-0", LEASE_REFUSAL_KEEP },
	{ "running", NULL, true, "1-0", "2-0", LEASE_REFUSAL_KEEP },
	{ "running", ME, false, "1-0", "2-0", LEASE_REFUSAL_KEEP },
	{ "queued", NULL, true, "", "1-0", LEASE_REFUSAL_KEEP },
	/* Waiting for an approval: no entry is kept (the answer appends a new one). */
	{ "waiting", NULL, true, "1-0", "1-0", LEASE_REFUSAL_ACK },
	{ "waiting", NULL, true, "", "2-0", LEASE_REFUSAL_ACK },
};

START_TEST(test_lease_refusal)
{
	struct store_why	 why;

	memset(&why, 0, sizeof(why));
	snprintf(why.status, sizeof(why.status), "%s", refusals[_i].status);
	if (refusals[_i].owner != NULL) {
		why.has_owner = true;
		snprintf(why.owner, sizeof(why.owner), "%s", refusals[_i].owner);
	}
	why.expired = refusals[_i].expired;
	snprintf(why.entry, sizeof(why.entry), "%s", refusals[_i].holder_entry);
	ck_assert_int_eq(lease_refusal(&why, ME, refusals[_i].entry), refusals[_i].want);
}
END_TEST

/* A store whose renewals fail, or answer that only "alive_id" lives. */
static bool		 renew_fails;
static const char	*alive_id;

static enum store_rc
renew_stub(struct store *s, const char *const *ids, size_t n, long lease_ms, bool *alive)
{
	size_t	 i;

	(void)s;
	(void)lease_ms;
	if (renew_fails)
		return STORE_FAILED;
	for (i = 0; i < n; i++)
		alive[i] = alive_id != NULL && strcmp(ids[i], alive_id) == 0;
	return STORE_OK;
}

static const struct store_ops renew_ops = { .renew = renew_stub };

/* Lease 3000 ms, renewals every 1000: after a failed renewal at "now" (confirmed at 0), is
 * the run stopped? At the latest 2L/3 + L/10 after the confirmation. */
static const struct {
	uint64_t		 now;
	enum lease_state	 want;
} fences[] = {
	{ 1000, LEASE_HELD }, { 1500, LEASE_HELD }, { 1699, LEASE_HELD },
	{ 1700, LEASE_FENCED }, { 2000, LEASE_FENCED }, { 9000, LEASE_FENCED },
};

START_TEST(test_lease_fence)
{
	struct store		 s = { .ops = &renew_ops };
	struct lease		 l = { &s, 3000, 5 };
	const char		*ids[] = { "x" };
	uint64_t		 confirmed[] = { 0 };
	enum lease_state	 state[1];

	renew_fails = true;
	lease_renew(&l, ids, 1, fences[_i].now, confirmed, state);
	ck_assert_int_eq(state[0], fences[_i].want);
	ck_assert_int_eq(confirmed[0], 0);
}
END_TEST

START_TEST(test_lease_renew)
{
	struct store		 s = { .ops = &renew_ops };
	struct lease		 l = { &s, 3000, 5 };
	const char		*ids[] = { "a", "b" };
	uint64_t		 confirmed[] = { 10, 20 };
	enum lease_state	 state[2];

	renew_fails = false;
	alive_id = "b";
	lease_renew(&l, ids, 2, 1000, confirmed, state);
	ck_assert_int_eq(state[0], LEASE_LOST);
	ck_assert_int_eq(state[1], LEASE_HELD);
	ck_assert_int_eq(confirmed[0], 10);
	ck_assert_int_eq(confirmed[1], 1000);
	ck_assert_int_eq(lease_renew_every_ms(&l), 1000);
}
END_TEST

START_TEST(test_lease_poisoned)
{
	struct lease	 l = { NULL, 3000, 5 };

	ck_assert(!lease_poisoned(&l, 0));
	ck_assert(!lease_poisoned(&l, 5));
	ck_assert(lease_poisoned(&l, 6));
	l.max_abandons = 0;
	ck_assert(lease_poisoned(&l, 1));
}
END_TEST

START_TEST(test_lease_owner)
{
	char	 a[STORE_OWNER_MAX], b[STORE_OWNER_MAX];

	lease_owner_make(a, "jobd", 0, 1);
	lease_owner_make(b, "jobd", 0, 2);
	ck_assert_str_ne(a, b);
	ck_assert_ptr_nonnull(strstr(a, "/w0"));
	ck_assert(strncmp(a, "jobd/", 5) == 0);
}
END_TEST

/* retries 2, back-off 1000 ms: tries made so far → retry?, continue (with
 * continue_on_error)?, back-off bounds. */
static const struct {
	int	 tries;
	bool	 retry;
	bool	 cont;
	long	 min_ms, max_ms;
} policies[] = {
	{ 1, true, false, 500, 1000 },
	{ 2, true, false, 1000, 2000 },
	{ 3, false, true, 2000, 4000 },
	{ 30, false, true, POLICY_BACKOFF_CAP_MS / 2, POLICY_BACKOFF_CAP_MS },
};

START_TEST(test_policy)
{
	struct wf_policy	 p = { 1000, 2, 1000, true, false };
	uint64_t		 rnd;
	long			 ms;

	ck_assert_int_eq(policy_will_retry(&p, policies[_i].tries), policies[_i].retry);
	ck_assert_int_eq(policy_continues(&p, policies[_i].tries), policies[_i].cont);
	for (rnd = 0; rnd < 5000; rnd += 97) {
		ms = policy_backoff_ms(&p, policies[_i].tries, rnd * 7919);
		ck_assert_int_ge(ms, policies[_i].min_ms);
		ck_assert_int_le(ms, policies[_i].max_ms);
	}
	ck_assert(!policy_branches(&p, policies[_i].tries));
	/* An error branch takes the last failure, before continue_on_error. */
	p.error_branch = true;
	ck_assert(!policy_continues(&p, policies[_i].tries));
	ck_assert_int_eq(policy_branches(&p, policies[_i].tries), !policies[_i].retry);
	ck_assert_int_eq(policy_will_retry(&p, policies[_i].tries), policies[_i].retry);
	p.continue_on_error = false;
	ck_assert_int_eq(policy_branches(&p, policies[_i].tries), !policies[_i].retry);
	p.error_branch = false;
	ck_assert(!policy_continues(&p, policies[_i].tries));
	ck_assert(!policy_branches(&p, policies[_i].tries));
}
END_TEST

START_TEST(test_policy_branch_output)
{
	json_object	*out = json_object_new_object();
	json_object	*w = policy_branch_output("fetch", 3, 2, out, "HTTP 503"), *v;

	ck_assert_str_eq(json_object_get_string(json_object_object_get(w, "error")), "HTTP 503");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(w, "node")), "fetch");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(w, "attempt")), 3);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(w, "tries")), 2);
	ck_assert(json_object_object_get_ex(w, "output", &v));
	ck_assert_ptr_eq(v, out);
	json_object_put(w);
	w = policy_branch_output("fetch", 1, 1, NULL, "x");
	ck_assert(!json_object_object_get_ex(w, "output", NULL));
	json_object_put(w);
	json_object_put(out);
}
END_TEST

START_TEST(test_policy_error_output)
{
	json_object	*out = json_object_new_string("partial");
	json_object	*w = policy_error_output(out, "boom"), *v;

	ck_assert_str_eq(json_object_get_string(json_object_object_get(w, "error")), "boom");
	ck_assert(json_object_object_get_ex(w, "output", &v));
	ck_assert_str_eq(json_object_get_string(v), "partial");
	json_object_put(w);
	w = policy_error_output(NULL, "boom");
	ck_assert(!json_object_object_get_ex(w, "output", NULL));
	json_object_put(w);
	json_object_put(out);
}
END_TEST

static Suite *
lease_suite(void)
{
	Suite	*s = suite_create("lease");
	TCase	*tc;

	tc = tcase_create("lease_refusal");
	tcase_add_loop_test(tc, test_lease_refusal, 0, NITEMS(refusals));
	suite_add_tcase(s, tc);
	tc = tcase_create("lease_renew");
	tcase_add_loop_test(tc, test_lease_fence, 0, NITEMS(fences));
	tcase_add_test(tc, test_lease_renew);
	suite_add_tcase(s, tc);
	tc = tcase_create("lease_poisoned");
	tcase_add_test(tc, test_lease_poisoned);
	tcase_add_test(tc, test_lease_owner);
	suite_add_tcase(s, tc);
	tc = tcase_create("policy");
	tcase_add_loop_test(tc, test_policy, 0, NITEMS(policies));
	tcase_add_test(tc, test_policy_error_output);
	tcase_add_test(tc, test_policy_branch_output);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(lease_suite());
}
