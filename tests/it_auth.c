/* it_auth.c: authentication against the real stack: register/login/refresh/logout flows,
 * refresh rotation and reuse detection, the JWT attack list (alg none, another algorithm, a
 * bad signature, expired, wrong audience or issuer), API keys, and that a missing user and a
 * wrong password are indistinguishable by status and body. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <curl/curl.h>
#include <jwt.h>

#include "check_run.h"
#include "crypto.h"
#include "fgconfig.h"
#include "fgjwt.h"
#include "it_common.h"
#include "jsonh.h"

/* Copies "fragent_refresh=<value>" of a Set-Cookie line into "out" ("" when cleared). */
static void
cookie_of(const struct http_resp *r, char *out, size_t len)
{
	const char	*p = strstr(r->set_cookie, "fragent_refresh=");
	size_t		 n;

	out[0] = '\0';
	if (p == NULL)
		return;
	n = strcspn(p, ";");
	snprintf(out, len, "%.*s", (int)n, p);
}

/* POST /auth/refresh (or logout) with cookie "c". Returns the status; the answer in "r". */
static long
post_cookie(const char *path, const char *c, struct http_resp *r)
{
	char		 hdr[256];
	const char	*h[] = { hdr, "Authorization:", NULL };

	snprintf(hdr, sizeof(hdr), "Cookie: %s", c);
	ck_assert_int_eq(http_do("POST", path, NULL, NULL, h, r), 0);
	return r->status;
}

START_TEST(test_login_refresh_rotation_reuse)
{
	struct http_resp	 r;
	char			 c1[128], c2[128], c3[128];
	char			*tok;

	tok = it_login_as("it-auth-rot", "editor");
	ck_assert_ptr_nonnull(tok);
	free(tok);
	it_req("POST", "/api/v1/auth/login",
	    "{\"username\":\"it-auth-rot\",\"password\":\"it-password-0123\"}", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.set_cookie, "HttpOnly"));
	ck_assert_ptr_nonnull(strstr(r.set_cookie, "SameSite=Strict"));
	ck_assert_ptr_nonnull(strstr(r.set_cookie, "Path=/api/v1/auth"));
	ck_assert_str_eq(jsonh_get_string(r.json, "token_type"), "Bearer");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(r.json, "expires_in")),
	    900);
	cookie_of(&r, c1, sizeof(c1));
	http_resp_clear(&r);
	ck_assert(strlen(c1) > 20);
	/* Rotation: a new token each time, the access token works. */
	ck_assert_int_eq(post_cookie("/api/v1/auth/refresh", c1, &r), 200);
	cookie_of(&r, c2, sizeof(c2));
	ck_assert_str_ne(c1, c2);
	tok = strdup(jsonh_get_string(r.json, "access_token"));
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, tok), 200);
	free(tok);
	ck_assert_int_eq(post_cookie("/api/v1/auth/refresh", c2, &r), 200);
	cookie_of(&r, c3, sizeof(c3));
	http_resp_clear(&r);
	/* Reuse of the first (rotated) token: 401 and the whole family is revoked. */
	ck_assert_int_eq(post_cookie("/api/v1/auth/refresh", c1, &r), 401);
	it_assert_problem(&r, 401);
	http_resp_clear(&r);
	ck_assert_int_eq(post_cookie("/api/v1/auth/refresh", c3, &r), 401);
	http_resp_clear(&r);
	/* The database keeps only hashes. */
	ck_assert_str_eq(it_sql("SELECT count(*) FROM refresh_tokens WHERE "
	    "length(token_hash) <> 32"), "0");
}
END_TEST

START_TEST(test_logout_revokes)
{
	struct http_resp	 r;
	char			 c1[128];

	free(it_login_as("it-auth-out", "viewer"));
	it_req("POST", "/api/v1/auth/login",
	    "{\"username\":\"it-auth-out\",\"password\":\"it-password-0123\"}", NULL, &r);
	cookie_of(&r, c1, sizeof(c1));
	http_resp_clear(&r);
	ck_assert_int_eq(post_cookie("/api/v1/auth/logout", c1, &r), 204);
	ck_assert_ptr_nonnull(strstr(r.set_cookie, "Max-Age=0"));
	http_resp_clear(&r);
	ck_assert_int_eq(post_cookie("/api/v1/auth/refresh", c1, &r), 401);
	http_resp_clear(&r);
	ck_assert_int_eq(post_cookie("/api/v1/auth/refresh", "fragent_refresh=junk", &r), 401);
	http_resp_clear(&r);
}
END_TEST

START_TEST(test_missing_user_vs_wrong_password)
{
	struct http_resp	 a, b;
	json_object		*ja, *jb;

	free(it_login_as("it-auth-known", "viewer"));
	it_req("POST", "/api/v1/auth/login",
	    "{\"username\":\"it-auth-known\",\"password\":\"wrong-password\"}", NULL, &a);
	it_req("POST", "/api/v1/auth/login",
	    "{\"username\":\"it-auth-nobody-here\",\"password\":\"wrong-password\"}", NULL, &b);
	it_assert_problem(&a, 401);
	it_assert_problem(&b, 401);
	/* Same body once the per-request id is removed. */
	ja = jsonh_copy(a.json);
	jb = jsonh_copy(b.json);
	json_object_object_del(ja, "request_id");
	json_object_object_del(jb, "request_id");
	ck_assert_str_eq(jsonh_str(ja), jsonh_str(jb));
	ck_assert_str_eq(a.content_type, b.content_type);
	json_object_put(ja);
	json_object_put(jb);
	http_resp_clear(&a);
	http_resp_clear(&b);
}
END_TEST

START_TEST(test_backoff_after_failures)
{
	int	 i;

	free(it_login_as("it-auth-lock", "viewer"));
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(it_status("POST", "/api/v1/auth/login",
		    "{\"username\":\"it-auth-lock\",\"password\":\"bad-password\"}", NULL), 401);
	/* Backing off: even the right password is refused, with the same answer. */
	ck_assert_int_eq(it_status("POST", "/api/v1/auth/login",
	    "{\"username\":\"it-auth-lock\",\"password\":\"it-password-0123\"}", NULL), 401);
	ck_assert_str_ne(it_sql("SELECT locked_until > now() FROM users WHERE "
	    "username = $$it-auth-lock$$"), "f");
}
END_TEST

/* nginx limits the auth routes per client address (the suites run with 100 r/s, burst
 * 200): a rapid series gets 429 with a problem body once the burst is spent. The bucket
 * is given time to refill before the next test signs in. */
START_TEST(test_auth_routes_rate_limited)
{
	struct http_resp	 r;
	int			 i, limited = 0, status;

	it_set_token(NULL);
	for (i = 0; i < 600 && !limited; i++) {
		it_req("GET", "/api/v1/auth/me", NULL, NULL, &r);
		status = (int)r.status;
		if (status == 429) {
			limited = 1;
			it_assert_problem(&r, 429);
		} else
			ck_assert_int_eq(status, 401);
		http_resp_clear(&r);
	}
	ck_assert_msg(limited, "600 rapid requests to /auth/ were never limited");
	ck_assert_int_ge(i, 150);	/* not before the burst was spent */
	sleep(4);
}
END_TEST

START_TEST(test_register_closed_after_first)
{
	struct http_resp	 r;

	ck_assert_ptr_nonnull(it_login_admin());
	it_req("GET", "/api/v1/auth/setup", NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(!json_object_get_boolean(json_object_object_get(r.json, "needs_setup")));
	http_resp_clear(&r);
	it_req("POST", "/api/v1/auth/register", "{\"username\":\"it-late\",\"email\":"
	    "\"late@example.com\",\"password\":\"it-password-0123\"}", NULL, &r);
	it_assert_problem(&r, 403);
	http_resp_clear(&r);
	ck_assert_str_eq(it_sql("SELECT count(*) FROM users WHERE username = $$it-late$$"),
	    "0");
}
END_TEST

/* Base64url of "s" (for hand-made tokens). */
static void
b64(const char *s, char *out, size_t len)
{
	ck_assert_int_eq(crypto_b64url((const unsigned char *)s, strlen(s), out, len), 0);
}

/* Signs claims with libjwt and "alg"/"key" as an attacker or a careless issuer would. */
static char *
forge(jwt_alg_t alg, const struct jwt_key *key, const char *sub, long exp_delta,
    const char *aud, const char *iss)
{
	jwt_t	*j;
	char	*t;
	long	 now = (long)time(NULL);

	ck_assert_int_eq(jwt_new(&j), 0);
	jwt_add_grant(j, "iss", iss);
	jwt_add_grant(j, "aud", aud);
	jwt_add_grant(j, "sub", sub);
	jwt_add_grant(j, "role", "admin");
	jwt_add_grant(j, "typ", "access");
	jwt_add_grant_int(j, "iat", now - 10);
	jwt_add_grant_int(j, "exp", now + exp_delta);
	ck_assert_int_eq(jwt_set_alg(j, alg, key->bytes, (int)key->len), 0);
	t = jwt_encode_str(j);
	jwt_free(j);
	return t;
}

START_TEST(test_jwt_attacks)
{
	struct config	 cfg;
	struct jwt_key	 key;
	char		 err[256], sub[UUID_STRLEN + 1], h[128], p[512], none[1024], *t;
	char		*good;
	size_t		 n;

	ck_assert_int_eq(config_load(&cfg, err, sizeof(err)), 0);
	ck_assert_msg(jwt_key_load(&key, &cfg, err, sizeof(err)) == 0, "%s", err);
	config_clear(&cfg);
	ck_assert_ptr_nonnull(it_login_admin());
	snprintf(sub, sizeof(sub), "%s", it_sql("SELECT id FROM users WHERE "
	    "username = $$it-admin$$"));
	/* Control: a correctly made token is accepted. */
	good = forge(JWT_ALG_HS256, &key, sub, 600, JWT_AUDIENCE, JWT_ISSUER);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, good), 200);
	/* alg none. */
	b64("{\"alg\":\"none\",\"typ\":\"JWT\"}", h, sizeof(h));
	snprintf(err, sizeof(err), "{\"iss\":\"fragent\",\"aud\":\"fragent-api\",\"sub\":"
	    "\"%s\",\"role\":\"admin\",\"typ\":\"access\",\"iat\":%ld,\"exp\":%ld}", sub,
	    (long)time(NULL), (long)time(NULL) + 600);
	b64(err, p, sizeof(p));
	snprintf(none, sizeof(none), "%s.%s.", h, p);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, none), 401);
	/* Another algorithm with the right key. */
	t = forge(JWT_ALG_HS512, &key, sub, 600, JWT_AUDIENCE, JWT_ISSUER);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, t), 401);
	free(t);
	/* A bad signature. */
	n = strlen(good);
	good[n - 2] = good[n - 2] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, good), 401);
	free(good);
	/* Expired. */
	t = forge(JWT_ALG_HS256, &key, sub, -120, JWT_AUDIENCE, JWT_ISSUER);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, t), 401);
	free(t);
	/* Wrong audience, wrong issuer. */
	t = forge(JWT_ALG_HS256, &key, sub, 600, "someone-else", JWT_ISSUER);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, t), 401);
	free(t);
	t = forge(JWT_ALG_HS256, &key, sub, 600, JWT_AUDIENCE, "evil");
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, t), 401);
	free(t);
	/* Not a token at all, and the wrong scheme. */
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, "x.y.z"), 401);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, NULL), 401);
}
END_TEST

START_TEST(test_api_keys)
{
	struct http_resp	 r;
	char			*tok, key[128], id[UUID_STRLEN + 1], path[128];

	tok = it_login_as("it-auth-keys", "editor");
	ck_assert_ptr_nonnull(tok);
	it_req("POST", "/api/v1/api-keys", "{\"name\":\"ci\"}", tok, &r);
	ck_assert_int_eq(r.status, 201);
	snprintf(key, sizeof(key), "%s", jsonh_get_string(r.json, "key"));
	snprintf(id, sizeof(id), "%s", jsonh_get_string(r.json, "id"));
	ck_assert(strncmp(key, "fgk_", 4) == 0);
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, key), 200);
	ck_assert_int_eq(it_status("POST", "/api/v1/agents", "{\"name\":\"by key\","
	    "\"configuration\":" IT_AGENT_CONF "}", key), 201);
	/* The list never shows the key again. */
	it_req("GET", "/api/v1/api-keys", NULL, tok, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body.data, key));
	ck_assert_ptr_null(strstr(r.body.data, "\"key\""));
	http_resp_clear(&r);
	snprintf(path, sizeof(path), "/api/v1/api-keys/%s", id);
	ck_assert_int_eq(it_status("DELETE", path, NULL, tok), 204);
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, key), 401);
	key[10] = key[10] == 'a' ? 'b' : 'a';
	ck_assert_int_eq(it_status("GET", "/api/v1/auth/me", NULL, key), 401);
	free(tok);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("auth");
	TCase	*tc = tcase_create("auth");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_auth: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	it_set_token(NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_register_closed_after_first);
	tcase_add_test(tc, test_login_refresh_rotation_reuse);
	tcase_add_test(tc, test_logout_revokes);
	tcase_add_test(tc, test_missing_user_vs_wrong_password);
	tcase_add_test(tc, test_backoff_after_failures);
	tcase_add_test(tc, test_jwt_attacks);
	tcase_add_test(tc, test_api_keys);
	tcase_add_test(tc, test_auth_routes_rate_limited);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
