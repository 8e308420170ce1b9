/* check_usercache.c: unit tests of usercache.c, the rules that keep a cached user state
 * (and an API key's owner) no older than the notification that changed it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "nitems.h"
#include "usercache.h"

#define U1	"01a237ce-d24b-7d35-b451-5374d3c88207"
#define U2	"01a237db-fe8c-79f0-806f-357e307777f2"
#define T0	1700000000

static const struct user_state	 admin = { true, false, ROLE_ADMIN, 0 };
static const struct user_state	 viewer = { true, false, ROLE_VIEWER, 0 };
static struct usercache		*uc;

static void
setup(void)
{
	uc = usercache_new();
	ck_assert_ptr_nonnull(uc);
	usercache_bind(uc, 1);
}

static void
teardown(void)
{
	usercache_free(uc);
	uc = NULL;
}

START_TEST(test_fill_and_hit)
{
	struct user_state	 st;

	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, usercache_ticket(uc), T0), 0);
	ck_assert_int_eq(usercache_get(uc, U1, T0 + 1, &st), 1);
	ck_assert(st.exists);
	ck_assert_int_eq(st.role, ROLE_ADMIN);
	ck_assert_int_eq(usercache_get(uc, U2, T0, &st), 0);
}
END_TEST

START_TEST(test_gone_user_is_cached)
{
	struct user_state	 gone = { false, false, ROLE_VIEWER, 0 }, st;

	ck_assert_int_eq(usercache_put(uc, U1, &gone, usercache_ticket(uc), T0), 0);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 1);
	ck_assert(!st.exists);
}
END_TEST

START_TEST(test_notify_drops_one_user)
{
	struct user_state	 st;

	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	usercache_put(uc, U2, &admin, usercache_ticket(uc), T0);
	ck_assert_int_eq(usercache_notify(uc, U1), 1);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	ck_assert_int_eq(usercache_get(uc, U2, T0, &st), 1);
	/* A read made after the notification is stored again. */
	ck_assert_int_eq(usercache_put(uc, U1, &viewer, usercache_ticket(uc), T0), 0);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 1);
	ck_assert_int_eq(st.role, ROLE_VIEWER);
}
END_TEST

START_TEST(test_read_racing_a_notification_is_refused)
{
	struct user_state	 st;
	unsigned long		 t = usercache_ticket(uc);

	/* The read was sent, then the user changed: the answer may be the old state. */
	usercache_notify(uc, U1);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, t, T0), -1);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	/* Another user's notification does not spoil this user's read. */
	t = usercache_ticket(uc);
	usercache_notify(uc, U2);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, t, T0), 0);
}
END_TEST

START_TEST(test_read_racing_a_cached_users_notification_is_refused)
{
	unsigned long	 t;

	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	t = usercache_ticket(uc);
	usercache_invalidate(uc, U1);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, t, T0), -1);
}
END_TEST

START_TEST(test_reset_refuses_reads_under_way)
{
	struct user_state	 st;
	unsigned long		 t;

	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	t = usercache_ticket(uc);
	usercache_reset(uc);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	ck_assert_int_eq(usercache_put(uc, U2, &admin, t, T0), -1);
	ck_assert_int_eq(usercache_put(uc, U2, &admin, usercache_ticket(uc), T0), 0);
}
END_TEST

START_TEST(test_notify_garbage_resets)
{
	struct user_state	 st;

	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	ck_assert_int_eq(usercache_notify(uc, "not a user"), 0);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	ck_assert_int_eq(usercache_notify(uc, NULL), 0);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
}
END_TEST

START_TEST(test_new_session_starts_empty)
{
	struct user_state	 st;
	unsigned long		 t;

	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	t = usercache_ticket(uc);
	ck_assert_int_eq(usercache_bind(uc, 1), 0);	/* same session: nothing changes */
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 1);
	ck_assert_int_eq(usercache_bind(uc, 2), 1);	/* a reconnect */
	ck_assert_uint_eq(usercache_session(uc), 2);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, t, T0), -1);
}
END_TEST

START_TEST(test_no_session_no_cache)
{
	struct user_state	 st;

	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	ck_assert_int_eq(usercache_bind(uc, 0), 1);	/* connection lost */
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, usercache_ticket(uc), T0), -1);
}
END_TEST

/* Seconds after the read → whether the entry still answers. */
static const struct { long age; int hit; } ages[] = {
	{ 0, 1 }, { USERCACHE_MAX_AGE - 1, 1 }, { USERCACHE_MAX_AGE, 0 },
	{ USERCACHE_MAX_AGE * 10, 0 }, { -1, 0 },	/* the clock went back */
};

START_TEST(test_max_age)
{
	struct user_state	 st;

	usercache_put(uc, U1, &admin, usercache_ticket(uc), T0);
	ck_assert_int_eq(usercache_get(uc, U1, T0 + ages[_i].age, &st), ages[_i].hit);
}
END_TEST

START_TEST(test_full_cache_starts_over)
{
	struct user_state	 st;
	char			 id[UUID_STRLEN + 1];
	unsigned long		 t;
	int			 i;

	for (i = 0; i < USERCACHE_MAX; i++) {
		snprintf(id, sizeof(id), "00000000-0000-7000-8000-%012d", i);
		ck_assert_int_eq(usercache_put(uc, id, &admin, usercache_ticket(uc), T0), 0);
	}
	t = usercache_ticket(uc);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, t, T0), -1);
	ck_assert_int_eq(usercache_get(uc, id, T0, &st), 0);
	ck_assert_int_eq(usercache_put(uc, U1, &admin, usercache_ticket(uc), T0), 0);
	/* A notification with no room for its mark forgets everything instead. */
	for (i = 1; i < USERCACHE_MAX; i++) {
		snprintf(id, sizeof(id), "00000000-0000-7000-8000-%012d", i);
		usercache_put(uc, id, &admin, usercache_ticket(uc), T0);
	}
	t = usercache_ticket(uc);
	usercache_notify(uc, U2);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 0);
	ck_assert_int_eq(usercache_put(uc, U2, &admin, t, T0), -1);
}
END_TEST

/* ---------------------------------------------------------------- API keys' owners */

#define K1	"\\x0102"
#define K2	"\\x0304"

START_TEST(test_key_fill_hit_and_touch)
{
	char	 owner[UUID_STRLEN + 1];
	time_t	 touched = 0;

	ck_assert_int_eq(usercache_key_get(uc, K1, T0, owner, &touched), 0);
	ck_assert_int_eq(usercache_key_put(uc, K1, U1, usercache_ticket(uc), T0, T0), 0);
	ck_assert_int_eq(usercache_key_get(uc, K1, T0 + 1, owner, &touched), 1);
	ck_assert_str_eq(owner, U1);
	ck_assert_int_eq(touched, T0);
	usercache_key_touch(uc, K1, T0 + 5);
	ck_assert_int_eq(usercache_key_get(uc, K1, T0 + 6, owner, &touched), 1);
	ck_assert_int_eq(touched, T0 + 5);
	/* Too old: read again. */
	ck_assert_int_eq(usercache_key_get(uc, K1, T0 + USERCACHE_MAX_AGE, owner, &touched), 0);
	ck_assert_int_eq(usercache_key_get(uc, K2, T0, owner, &touched), 0);
}
END_TEST

START_TEST(test_key_notification_drops_every_key_not_users)
{
	struct user_state	 st;
	char			 owner[UUID_STRLEN + 1];
	time_t			 touched;
	unsigned long		 t;

	ck_assert_int_eq(usercache_put(uc, U1, &admin, usercache_ticket(uc), T0), 0);
	ck_assert_int_eq(usercache_key_put(uc, K1, U1, usercache_ticket(uc), T0, T0), 0);
	ck_assert_int_eq(usercache_key_put(uc, K2, U2, usercache_ticket(uc), T0, T0), 0);
	t = usercache_ticket(uc);
	usercache_keys_reset(uc);
	ck_assert_int_eq(usercache_key_get(uc, K1, T0, owner, &touched), 0);
	ck_assert_int_eq(usercache_key_get(uc, K2, T0, owner, &touched), 0);
	ck_assert_int_eq(usercache_get(uc, U1, T0, &st), 1);
	/* A key read sent before the notification may predate the change: refused. */
	ck_assert_int_eq(usercache_key_put(uc, K1, U1, t, T0, T0), -1);
	ck_assert_int_eq(usercache_key_put(uc, K1, U1, usercache_ticket(uc), T0, T0), 0);
	/* A user's notification leaves keys' fills alone (the owner's state is apart). */
	t = usercache_ticket(uc);
	usercache_notify(uc, U2);
	ck_assert_int_eq(usercache_key_put(uc, K2, U2, t, T0, T0), 0);
}
END_TEST

START_TEST(test_key_reset_and_session)
{
	char		 owner[UUID_STRLEN + 1];
	time_t		 touched;
	unsigned long	 t;

	ck_assert_int_eq(usercache_key_put(uc, K1, U1, usercache_ticket(uc), T0, T0), 0);
	t = usercache_ticket(uc);
	usercache_bind(uc, 2);		/* a new session: everything goes */
	ck_assert_int_eq(usercache_key_get(uc, K1, T0, owner, &touched), 0);
	ck_assert_int_eq(usercache_key_put(uc, K1, U1, t, T0, T0), -1);
	usercache_bind(uc, 0);		/* no session: nothing is stored */
	ck_assert_int_eq(usercache_key_put(uc, K1, U1, usercache_ticket(uc), T0, T0), -1);
	usercache_bind(uc, 3);
	/* An owner that is no user id is refused. */
	ck_assert_int_eq(usercache_key_put(uc, K1, "nobody", usercache_ticket(uc), T0, T0), -1);
}
END_TEST

/* ---------------------------------------------------------------- rows */

#define R1	"01a23f4e-7c16-7482-9336-9f5f52bfc9f8"
#define R2	"01a23f4e-7c3a-73b8-9c82-edc62d91bd31"

/* Two kinds of row (what the API passes is the statement that reads each). */
static const char	 KIND_A[] = "agents", KIND_W[] = "workflows";

/* Asserts row "id" answers "json" of "owner" at "now". */
static void
row_is(const char *id, const char *owner, const char *json, time_t now)
{
	char	 o[UUID_STRLEN + 1], *j = NULL;

	ck_assert_int_eq(usercache_row_get(uc, KIND_A, id, now, o, &j), 1);
	ck_assert_str_eq(o, owner);
	ck_assert_str_eq(j, json);
	free(j);
}

static int
row_cached(const char *id, time_t now)
{
	char	 o[UUID_STRLEN + 1], *j = NULL;
	int	 hit = usercache_row_get(uc, KIND_A, id, now, o, &j);

	free(j);
	return hit;
}

START_TEST(test_row_fill_hit_and_notify)
{
	ck_assert_int_eq(row_cached(R1, T0), 0);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{\"v\":1}",
	    usercache_ticket(uc), T0), 0);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R2, "", "{\"v\":2}",
	    usercache_ticket(uc), T0), 0);
	row_is(R1, U1, "{\"v\":1}", T0 + 1);
	row_is(R2, "", "{\"v\":2}", T0 + 1);
	/* The row's notification drops it alone, and a later read is kept again. */
	ck_assert_int_eq(usercache_row_notify(uc, R1), 1);
	ck_assert_int_eq(row_cached(R1, T0), 0);
	row_is(R2, "", "{\"v\":2}", T0);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{\"v\":3}",
	    usercache_ticket(uc), T0), 0);
	row_is(R1, U1, "{\"v\":3}", T0);
	/* Too old, or anything but an id: read again. */
	ck_assert_int_eq(row_cached(R1, T0 + USERCACHE_MAX_AGE), 0);
	ck_assert_int_eq(usercache_row_notify(uc, "garbage"), 0);
	ck_assert_int_eq(row_cached(R2, T0), 0);
}
END_TEST

START_TEST(test_row_of_another_kind_is_not_found)
{
	char	 o[UUID_STRLEN + 1], *j = NULL;

	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{\"agent\":1}",
	    usercache_ticket(uc), T0), 0);
	/* The same id read by another statement is not that row. */
	ck_assert_int_eq(usercache_row_get(uc, KIND_W, R1, T0, o, &j), 0);
	ck_assert_ptr_null(j);
	row_is(R1, U1, "{\"agent\":1}", T0);
	/* Stored by the other statement, the row is that kind's alone. */
	ck_assert_int_eq(usercache_row_put(uc, KIND_W, R1, U1, "{\"workflow\":1}",
	    usercache_ticket(uc), T0), 0);
	ck_assert_int_eq(row_cached(R1, T0), 0);
	ck_assert_int_eq(usercache_row_get(uc, KIND_W, R1, T0, o, &j), 1);
	ck_assert_str_eq(j, "{\"workflow\":1}");
	free(j);
}
END_TEST

START_TEST(test_row_read_racing_its_notification_is_refused)
{
	unsigned long	 t = usercache_ticket(uc);

	/* Read sent, then the row changed and was notified: the answer may be the old row. */
	usercache_row_notify(uc, R1);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", t, T0), -1);
	ck_assert_int_eq(row_cached(R1, T0), 0);
	/* A cached row too. */
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", usercache_ticket(uc), T0), 0);
	t = usercache_ticket(uc);
	usercache_row_invalidate(uc, R1);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", t, T0), -1);
	/* Another row's or a user's notification does not spoil it; a reset does. */
	t = usercache_ticket(uc);
	usercache_row_notify(uc, R2);
	usercache_notify(uc, U1);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", t, T0), 0);
	t = usercache_ticket(uc);
	usercache_reset(uc);
	ck_assert_int_eq(row_cached(R1, T0), 0);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", t, T0), -1);
	/* So does a new session. */
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", usercache_ticket(uc), T0), 0);
	usercache_bind(uc, 2);
	ck_assert_int_eq(row_cached(R1, T0), 0);
}
END_TEST

START_TEST(test_row_bounds)
{
	char	*big = malloc(USERCACHE_ROW_BYTES + 2), id[UUID_STRLEN + 1];
	int	 i;

	ck_assert_ptr_nonnull(big);
	memset(big, 'x', USERCACHE_ROW_BYTES + 1);
	big[USERCACHE_ROW_BYTES + 1] = '\0';
	/* Too big an answer is not kept (read every time), nor a malformed owner. */
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, big, usercache_ticket(uc), T0), -1);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, "nobody", "{}", usercache_ticket(uc), T0), -1);
	ck_assert_int_eq(row_cached(R1, T0), 0);
	free(big);
	/* Past USERCACHE_ROWS_MAX rows the cache starts over. */
	for (i = 0; i < USERCACHE_ROWS_MAX; i++) {
		snprintf(id, sizeof(id), "01a23f4e-7c16-7482-9336-%012d", i);
		ck_assert_int_eq(usercache_row_put(uc, KIND_A, id, U1, "{}", usercache_ticket(uc), T0), 0);
	}
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", usercache_ticket(uc), T0), -1);
	ck_assert_int_eq(row_cached("01a23f4e-7c16-7482-9336-000000000000", T0), 0);
	ck_assert_int_eq(usercache_row_put(uc, KIND_A, R1, U1, "{}", usercache_ticket(uc), T0), 0);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("usercache");
	TCase	*tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fill_and_hit);
	tcase_add_test(tc, test_gone_user_is_cached);
	tcase_add_test(tc, test_notify_drops_one_user);
	tcase_add_test(tc, test_read_racing_a_notification_is_refused);
	tcase_add_test(tc, test_read_racing_a_cached_users_notification_is_refused);
	tcase_add_test(tc, test_reset_refuses_reads_under_way);
	tcase_add_test(tc, test_notify_garbage_resets);
	tcase_add_test(tc, test_new_session_starts_empty);
	tcase_add_test(tc, test_no_session_no_cache);
	tcase_add_loop_test(tc, test_max_age, 0, NITEMS(ages));
	tcase_add_test(tc, test_full_cache_starts_over);
	tcase_add_test(tc, test_key_fill_hit_and_touch);
	tcase_add_test(tc, test_key_notification_drops_every_key_not_users);
	tcase_add_test(tc, test_key_reset_and_session);
	tcase_add_test(tc, test_row_fill_hit_and_notify);
	tcase_add_test(tc, test_row_of_another_kind_is_not_found);
	tcase_add_test(tc, test_row_read_racing_its_notification_is_refused);
	tcase_add_test(tc, test_row_bounds);
	suite_add_tcase(s, tc);
	return check_run(s);
}
