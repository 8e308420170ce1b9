/* check_jwt.c: unit tests of jwt.c: sign/verify round trip and every refusal. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jwt.h>

#include "check_run.h"
#include "fgjwt.h"
#include "nitems.h"

#define SUB "8d0e8f4e-2f6b-4d6e-9a43-0c4d6a1f9b10"

static struct jwt_key	 key = { "0123456789abcdef0123456789abcdef", 32 };
static struct jwt_key	 other = { "fedcba9876543210fedcba9876543210", 32 };
static struct jwt_key	 shortkey = { "0123456789", 10 };

/* Signs claims as a third party would (libjwt directly). */
static char *
mint(jwt_alg_t alg, const struct jwt_key *k, long iat, long exp, const char *aud,
    const char *iss, const char *typ, const char *role)
{
	jwt_t	*j;
	char	*t;

	ck_assert_int_eq(jwt_new(&j), 0);
	jwt_add_grant(j, "iss", iss);
	jwt_add_grant(j, "aud", aud);
	jwt_add_grant(j, "sub", SUB);
	jwt_add_grant(j, "role", role);
	jwt_add_grant(j, "typ", typ);
	jwt_add_grant_int(j, "iat", iat);
	jwt_add_grant_int(j, "exp", exp);
	ck_assert_int_eq(jwt_set_alg(j, alg, alg == JWT_ALG_NONE ? NULL : k->bytes,
	    alg == JWT_ALG_NONE ? 0 : (int)k->len), 0);
	t = jwt_encode_str(j);
	jwt_free(j);
	return t;
}

static const struct {
	jwt_alg_t	 alg;
	int		 other_key;
	long		 iat, exp;	/* relative to now */
	const char	*aud, *iss, *typ, *role;
	enum jwt_rc	 want;
} cases[] = {
	{ JWT_ALG_HS256, 0, 0, 900, JWT_AUDIENCE, JWT_ISSUER, "access", "admin", JWT_OK },
	{ JWT_ALG_HS256, 0, -900, 0, JWT_AUDIENCE, JWT_ISSUER, "access", "admin", JWT_OK },
	{ JWT_ALG_HS256, 0, -960, -60, JWT_AUDIENCE, JWT_ISSUER, "access", "admin",
	    JWT_EXPIRED },
	{ JWT_ALG_HS256, 0, 120, 900, JWT_AUDIENCE, JWT_ISSUER, "access", "admin",
	    JWT_EXPIRED },
	{ JWT_ALG_HS256, 0, 0, 86400, JWT_AUDIENCE, JWT_ISSUER, "access", "admin",
	    JWT_EXPIRED },
	{ JWT_ALG_HS512, 0, 0, 900, JWT_AUDIENCE, JWT_ISSUER, "access", "admin", JWT_BAD_ALG },
	{ JWT_ALG_HS384, 0, 0, 900, JWT_AUDIENCE, JWT_ISSUER, "access", "admin", JWT_BAD_ALG },
	{ JWT_ALG_NONE, 0, 0, 900, JWT_AUDIENCE, JWT_ISSUER, "access", "admin",
	    JWT_MALFORMED },
	{ JWT_ALG_HS256, 1, 0, 900, JWT_AUDIENCE, JWT_ISSUER, "access", "admin",
	    JWT_MALFORMED },
	{ JWT_ALG_HS256, 0, 0, 900, "other", JWT_ISSUER, "access", "admin", JWT_BAD_CLAIMS },
	{ JWT_ALG_HS256, 0, 0, 900, JWT_AUDIENCE, "evil", "access", "admin", JWT_BAD_CLAIMS },
	{ JWT_ALG_HS256, 0, 0, 900, JWT_AUDIENCE, JWT_ISSUER, "refresh", "admin",
	    JWT_BAD_CLAIMS },
	{ JWT_ALG_HS256, 0, 0, 900, JWT_AUDIENCE, JWT_ISSUER, "access", "root",
	    JWT_BAD_CLAIMS },
};

START_TEST(test_jwt_verify_table)
{
	long			 now = 1700000000;
	char			*t;
	struct jwt_claims	 c;
	enum jwt_rc		 rc;

	t = mint(cases[_i].alg, cases[_i].other_key ? &other : &key, now + cases[_i].iat,
	    now + cases[_i].exp, cases[_i].aud, cases[_i].iss, cases[_i].typ, cases[_i].role);
	ck_assert_ptr_nonnull(t);
	rc = jwt_verify(&key, t, (time_t)now, &c);
	ck_assert_msg(rc == cases[_i].want, "case %d: want %s, got %s", _i,
	    jwt_rc_str(cases[_i].want), jwt_rc_str(rc));
	if (rc == JWT_OK) {
		ck_assert_str_eq(c.sub, SUB);
		ck_assert_int_eq(c.ver, 0);	/* no "ver": signed before epochs, epoch 0 */
	}
	free(t);
}
END_TEST

/* The token epoch claim "ver" as a third party could set it (NULL: an integer "ver"). */
static const struct {
	const char	*as_string;	/* "ver" given as this string instead */
	long		 ver;
	enum jwt_rc	 want;
} vers[] = {
	{ NULL, 0, JWT_OK },
	{ NULL, 3, JWT_OK },
	{ NULL, 2147483647L, JWT_OK },
	{ NULL, -1, JWT_BAD_CLAIMS },
	{ "1", 0, JWT_BAD_CLAIMS },
	{ "", 0, JWT_BAD_CLAIMS },
};

START_TEST(test_jwt_verify_ver)
{
	long			 now = 1700000000;
	struct jwt_claims	 c;
	jwt_t			*j;
	char			*t;
	enum jwt_rc		 rc;

	ck_assert_int_eq(jwt_new(&j), 0);
	jwt_add_grant(j, "iss", JWT_ISSUER);
	jwt_add_grant(j, "aud", JWT_AUDIENCE);
	jwt_add_grant(j, "sub", SUB);
	jwt_add_grant(j, "role", "viewer");
	jwt_add_grant(j, "typ", JWT_TYPE);
	jwt_add_grant_int(j, "iat", now);
	jwt_add_grant_int(j, "exp", now + 60);
	if (vers[_i].as_string != NULL)
		jwt_add_grant(j, "ver", vers[_i].as_string);
	else
		jwt_add_grant_int(j, "ver", vers[_i].ver);
	ck_assert_int_eq(jwt_set_alg(j, JWT_ALG_HS256, key.bytes, (int)key.len), 0);
	t = jwt_encode_str(j);
	jwt_free(j);
	rc = jwt_verify(&key, t, (time_t)now, &c);
	ck_assert_msg(rc == vers[_i].want, "case %d: want %s, got %s", _i,
	    jwt_rc_str(vers[_i].want), jwt_rc_str(rc));
	if (rc == JWT_OK)
		ck_assert_int_eq(c.ver, vers[_i].ver);
	free(t);
}
END_TEST

START_TEST(test_jwt_sign_roundtrip)
{
	struct jwt_claims	 c;
	char			*t = jwt_sign(&key, SUB, "editor", 7, 1700000000);

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(jwt_verify(&key, t, 1700000000 + 10, &c), JWT_OK);
	ck_assert_str_eq(c.role, "editor");
	ck_assert_int_eq(c.ver, 7);
	ck_assert_int_eq(c.exp - c.iat, JWT_TTL);
	ck_assert_int_eq(jwt_verify(&key, t, 1700000000 + JWT_TTL + JWT_LEEWAY, &c),
	    JWT_EXPIRED);
	ck_assert_int_eq(jwt_verify(&other, t, 1700000000, &c), JWT_MALFORMED);
	/* A key shorter than 32 bytes neither signs nor verifies. */
	ck_assert_ptr_null(jwt_sign(&shortkey, SUB, "editor", 0, 1700000000));
	/* Epochs are never negative. */
	ck_assert_ptr_null(jwt_sign(&key, SUB, "editor", -1, 1700000000));
	ck_assert_int_eq(jwt_verify(&shortkey, t, 1700000000, &c), JWT_MALFORMED);
	ck_assert_int_eq(jwt_verify(&key, "", 1700000000, &c), JWT_MALFORMED);
	ck_assert_int_eq(jwt_verify(&key, "a.b.c", 1700000000, &c), JWT_MALFORMED);
	free(t);
}
END_TEST

/* A token verified once is remembered by this thread: the same bytes under the same key give
 * the same claims again, but another key, other bytes or another time still decide. */
START_TEST(test_jwt_cache)
{
	struct jwt_claims	 c1, c2;
	const long		 t0 = 1700000000;
	char			*t = jwt_sign(&key, SUB, "viewer", 3, t0), *bad;

	ck_assert_ptr_nonnull(t);
	/* Refused before it is valid: nothing remembered that would let it in later. */
	ck_assert_int_eq(jwt_verify(&key, t, t0 - JWT_LEEWAY - 1, &c1), JWT_EXPIRED);
	ck_assert_int_eq(jwt_verify(&key, t, t0, &c1), JWT_OK);
	memset(&c2, 0, sizeof(c2));
	ck_assert_int_eq(jwt_verify(&key, t, t0 + 60, &c2), JWT_OK);
	ck_assert_str_eq(c2.sub, c1.sub);
	ck_assert_str_eq(c2.role, "viewer");
	ck_assert_int_eq(c2.ver, 3);
	ck_assert_int_eq(c2.exp, c1.exp);
	ck_assert_int_eq(c2.iat, c1.iat);
	ck_assert_int_eq(c2.nbf, c1.nbf);
	/* Remembered under its key only. */
	ck_assert_int_eq(jwt_verify(&other, t, t0 + 60, &c2), JWT_MALFORMED);
	/* The times are checked on every call: before nbf/iat, and after exp. */
	ck_assert_int_eq(jwt_verify(&key, t, t0 - JWT_LEEWAY - 1, &c2), JWT_EXPIRED);
	ck_assert_int_eq(jwt_verify(&key, t, t0 + JWT_TTL + JWT_LEEWAY, &c2), JWT_EXPIRED);
	ck_assert_int_eq(jwt_verify(&key, t, t0 + JWT_TTL + JWT_LEEWAY - 1, &c2), JWT_OK);
	/* One character of the signature changed: not the remembered token. */
	bad = strdup(t);
	ck_assert_ptr_nonnull(bad);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(jwt_verify(&key, bad, t0 + 60, &c2), JWT_MALFORMED);
	ck_assert_int_eq(jwt_verify(&key, bad, t0 + 60, &c2), JWT_MALFORMED);
	/* The same token cut short is not it either. */
	bad[strlen(bad) - 1] = '\0';
	ck_assert_int_eq(jwt_verify(&key, bad, t0 + 60, &c2), JWT_MALFORMED);
	ck_assert_int_eq(jwt_verify(&key, t, t0 + 60, &c2), JWT_OK);
	free(bad);
	free(t);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("jwt");
	TCase	*tc = tcase_create("jwt_verify");

	tcase_add_loop_test(tc, test_jwt_verify_table, 0, NITEMS(cases));
	tcase_add_loop_test(tc, test_jwt_verify_ver, 0, NITEMS(vers));
	tcase_add_test(tc, test_jwt_sign_roundtrip);
	tcase_add_test(tc, test_jwt_cache);
	suite_add_tcase(s, tc);
	return check_run(s);
}
