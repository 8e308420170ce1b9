/* check_auth.c: unit tests of auth.c: what an Authorization header yields (auth_parse) and
 * the decision against the user's current state (auth_admit). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check_run.h"
#include "crypto.h"
#include "nitems.h"

#define SUB	"8d0e8f4e-2f6b-4d6e-9a43-0c4d6a1f9b10"
#define NOW	1700000000
#define KEY	"fgk_" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"	/* 43 after fgk_ */

static struct jwt_key	 key = { "0123456789abcdef0123456789abcdef", 32 };

/* "Bearer " + a token of ours for SUB with epoch "ver", signed at "at". Caller frees. */
static char *
bearer(long ver, time_t at)
{
	char	*t = jwt_sign(&key, SUB, "editor", ver, at), *h;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_ne(asprintf(&h, "Bearer %s", t), -1);
	free(t);
	return h;
}

static const struct {
	const char	*header;
	enum auth_rc	 want;
	int		 api_key;
} headers[] = {
	{ NULL, AUTH_MISSING, 0 },
	{ "", AUTH_MISSING, 0 },
	{ "Basic dXNlcjpwYXNz", AUTH_INVALID, 0 },
	{ "Bearer", AUTH_INVALID, 0 },
	{ "Bearer ", AUTH_INVALID, 0 },
	{ "Bearer not.a.jwt", AUTH_INVALID, 0 },
	{ "Bearer " KEY, AUTH_OK, 1 },
	{ "bearer    " KEY, AUTH_OK, 1 },
	{ "Bearer " KEY "A", AUTH_INVALID, 0 },
	{ "Bearer fgk_AAAA", AUTH_INVALID, 0 },
	{ "Bearer fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", AUTH_INVALID, 0 },
	{ "Bearer fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", AUTH_INVALID, 0 },
	{ "Bearer fgk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A", AUTH_INVALID, 0 },
};

START_TEST(test_auth_parse_headers)
{
	struct auth_cred	 c;
	char			 hash[AUTH_HASH_LEN];

	ck_assert_int_eq(auth_parse(&key, headers[_i].header, NOW, &c), headers[_i].want);
	if (headers[_i].want != AUTH_OK)
		return;
	ck_assert_int_eq(c.api_key, headers[_i].api_key);
	crypto_sha256_bytea(KEY, hash);
	ck_assert_str_eq(c.key_hash, hash);
}
END_TEST

START_TEST(test_auth_parse_jwt)
{
	struct auth_cred	 c;
	char			*h = bearer(4, NOW), *big;

	ck_assert_int_eq(auth_parse(&key, h, NOW + 5, &c), AUTH_OK);
	ck_assert(!c.api_key);
	ck_assert_str_eq(c.user_id, SUB);
	ck_assert_int_eq(c.epoch, 4);
	/* expired, and signed in the future */
	ck_assert_int_eq(auth_parse(&key, h, NOW + JWT_TTL + JWT_LEEWAY, &c), AUTH_INVALID);
	ck_assert_int_eq(auth_parse(&key, h, NOW - 3600, &c), AUTH_INVALID);
	free(h);
	/* longer than any token: refused unparsed */
	big = malloc(JWT_MAX_TOKEN + 16);
	ck_assert_ptr_nonnull(big);
	memcpy(big, "Bearer ", 7);
	memset(big + 7, 'a', JWT_MAX_TOKEN + 1);
	big[7 + JWT_MAX_TOKEN + 1] = '\0';
	ck_assert_int_eq(auth_parse(&key, big, NOW, &c), AUTH_INVALID);
	free(big);
}
END_TEST

/* auth_admit: {exists, disabled, role, epoch} of the user against a JWT of epoch 2 or an
 * API key. */
static const struct {
	int		 api_key;
	struct user_state st;
	enum auth_rc	 want;
} states[] = {
	{ 0, { true, false, ROLE_ADMIN, 2 }, AUTH_OK },
	{ 0, { true, false, ROLE_VIEWER, 2 }, AUTH_OK },		/* demoted: still in */
	{ 0, { false, false, ROLE_ADMIN, 2 }, AUTH_INVALID },	/* deleted */
	{ 0, { true, true, ROLE_ADMIN, 2 }, AUTH_INVALID },	/* disabled */
	{ 0, { true, false, ROLE_ADMIN, 3 }, AUTH_INVALID },	/* tokens voided */
	{ 0, { true, false, ROLE_ADMIN, 1 }, AUTH_INVALID },	/* a token from the future */
	{ 1, { true, false, ROLE_EDITOR, 9 }, AUTH_OK },		/* keys have no epoch */
	{ 1, { true, true, ROLE_EDITOR, 0 }, AUTH_INVALID },
	{ 1, { false, false, ROLE_EDITOR, 0 }, AUTH_INVALID },
	{ 0, { true, false, ROLE__MAX, 2 }, AUTH_INVALID },
};

START_TEST(test_auth_admit)
{
	struct auth_cred	 c;
	struct principal	 p;

	memset(&c, 0, sizeof(c));
	c.api_key = states[_i].api_key;
	c.epoch = 2;
	ck_assert_int_eq(auth_admit(&c, SUB, &states[_i].st, &p), states[_i].want);
	if (states[_i].want != AUTH_OK)
		return;
	/* The role is the current one, whatever the token said. */
	ck_assert_int_eq(p.role, states[_i].st.role);
	ck_assert_str_eq(p.user_id, SUB);
	ck_assert_int_eq(p.api_key, states[_i].api_key);
}
END_TEST

START_TEST(test_auth_admit_bad_user)
{
	struct auth_cred	 c;
	struct principal	 p;
	struct user_state	 st = { true, false, ROLE_ADMIN, 0 };

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(auth_admit(&c, "not-a-uuid", &st, &p), AUTH_INVALID);
	ck_assert_int_eq(auth_admit(&c, "", &st, &p), AUTH_INVALID);
}
END_TEST

START_TEST(test_auth_role_parse)
{
	enum role	 r;

	ck_assert_int_eq(auth_role_parse("admin", &r), 0);
	ck_assert_int_eq(r, ROLE_ADMIN);
	ck_assert_int_eq(auth_role_parse("viewer", &r), 0);
	ck_assert_int_eq(r, ROLE_VIEWER);
	ck_assert_int_eq(auth_role_parse("Admin", &r), -1);
	ck_assert_int_eq(auth_role_parse("", &r), -1);
	ck_assert_int_eq(auth_role_parse(NULL, &r), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("auth");
	TCase	*parse = tcase_create("auth_parse");
	TCase	*admit = tcase_create("auth_admit");
	TCase	*role = tcase_create("auth_role_parse");

	tcase_add_loop_test(parse, test_auth_parse_headers, 0,
	    NITEMS(headers));
	tcase_add_test(parse, test_auth_parse_jwt);
	tcase_add_loop_test(admit, test_auth_admit, 0, NITEMS(states));
	tcase_add_test(admit, test_auth_admit_bad_user);
	tcase_add_test(role, test_auth_role_parse);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, admit);
	suite_add_tcase(s, role);
	return check_run(s);
}
