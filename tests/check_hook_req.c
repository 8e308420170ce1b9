/* check_hook_req.c: unit tests of hook_req.c (the webhook route's pure parts) and of
 * shared/webhook.c (tokens, secrets, signatures, sealing). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "check_run.h"
#include "crypto.h"
#include "hook_req.h"
#include "jsonh.h"
#include "nitems.h"
#include "webhook.h"

#define TOKEN	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123-_6"

static const struct {
	const char	*path;
	int		 ok;
} paths[] = {
	{ "/hooks/" TOKEN, 1 },
	{ "/hooks/" TOKEN "/", 0 },
	{ "/hooks/" TOKEN "x", 0 },
	{ "/hooks/abc", 0 },
	{ "/hooks/", 0 },
	{ "/hook/" TOKEN, 0 },
	{ "/hooks/abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123+/6", 0 },
	{ "/hooks/abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123%2F", 0 },
	{ "", 0 },
};

START_TEST(test_token)
{
	char	 t[WEBHOOK_TOKEN_LEN + 1];

	ck_assert_int_eq(hook_token(paths[_i].path, t) == 0, paths[_i].ok);
	if (paths[_i].ok)
		ck_assert_str_eq(t, TOKEN);
}
END_TEST

START_TEST(test_token_new)
{
	char	 a[WEBHOOK_TOKEN_LEN + 1], b[WEBHOOK_TOKEN_LEN + 1], p[64];

	ck_assert_int_eq(webhook_token_new(a), 0);
	ck_assert_int_eq(webhook_token_new(b), 0);
	ck_assert_int_eq((int)strlen(a), WEBHOOK_TOKEN_LEN);
	ck_assert_str_ne(a, b);
	snprintf(p, sizeof(p), WEBHOOK_PATH_PREFIX "%s", a);
	ck_assert_int_eq(hook_token(p, b), 0);
	ck_assert_int_eq(hook_token(NULL, b), -1);
}
END_TEST

START_TEST(test_methods)
{
	ck_assert(hook_method_allowed("{POST}", "POST"));
	ck_assert(hook_method_allowed("{GET,POST}", "GET"));
	ck_assert(hook_method_allowed("{GET,POST}", "POST"));
	ck_assert(!hook_method_allowed("{GET,POST}", "PUT"));
	ck_assert(!hook_method_allowed("{PATCH}", "PAT"));
	ck_assert(!hook_method_allowed("{POSTX}", "POST"));
	ck_assert(!hook_method_allowed("{}", "GET"));
}
END_TEST

START_TEST(test_auth_secret)
{
	struct hook_cred	 none = { NULL, NULL, NULL };
	struct hook_cred	 good = { "whs_s3cret", NULL, NULL };
	struct hook_cred	 bad = { "whs_s3creT", NULL, NULL };
	struct hook_cred	 longer = { "whs_s3cret!", NULL, NULL };

	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_NONE, NULL, &none, "", 0, 100, 10),
	    HOOK_AUTH_OK);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_SECRET, "whs_s3cret", &none, "", 0, 100, 10),
	    HOOK_AUTH_MISSING);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_SECRET, "whs_s3cret", &good, "", 0, 100, 10),
	    HOOK_AUTH_OK);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_SECRET, "whs_s3cret", &bad, "", 0, 100, 10),
	    HOOK_AUTH_BAD);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_SECRET, "whs_s3cret", &longer, "", 0, 100,
	    10), HOOK_AUTH_BAD);
}
END_TEST

START_TEST(test_auth_hmac)
{
	const char		*body = "{\"a\":1}", *secret = "whs_k";
	char			 sig[WEBHOOK_SIG_LEN + 1];
	struct hook_cred	 c = { NULL, "1000", sig };

	webhook_sign(secret, "1000", body, strlen(body), sig);
	ck_assert_int_eq((int)strlen(sig), WEBHOOK_SIG_LEN);
	ck_assert(strncmp(sig, WEBHOOK_SIG_PREFIX, strlen(WEBHOOK_SIG_PREFIX)) == 0);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 1000,
	    300), HOOK_AUTH_OK);
	/* Within the window either side; outside, stale. */
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 1300,
	    300), HOOK_AUTH_OK);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 1301,
	    300), HOOK_AUTH_STALE);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 699,
	    300), HOOK_AUTH_STALE);
	/* Another body, secret or timestamp: bad. */
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, "{\"a\":2}", 7, 1000, 300),
	    HOOK_AUTH_BAD);
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, "whs_j", &c, body, strlen(body), 1000,
	    300), HOOK_AUTH_BAD);
	c.timestamp = "1001";
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 1000,
	    300), HOOK_AUTH_BAD);
	c.timestamp = "1000x";
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 1000,
	    300), HOOK_AUTH_BAD);
	c.timestamp = "-1000";
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 1000,
	    300), HOOK_AUTH_BAD);
	c.timestamp = NULL;
	ck_assert_int_eq(hook_auth_check(HOOK_AUTH_HMAC, secret, &c, body, strlen(body), 1000,
	    300), HOOK_AUTH_MISSING);
}
END_TEST

/* A known vector: HMAC-SHA256("key", "1.The quick brown fox jumps over the lazy dog")
 * computed with `printf %s '1.The quick…' | openssl dgst -sha256 -hmac key`. */
START_TEST(test_sign_vector)
{
	const char	*msg = "The quick brown fox jumps over the lazy dog";
	char		 sig[WEBHOOK_SIG_LEN + 1];

	webhook_sign("key", "1", msg, strlen(msg), sig);
	ck_assert_str_eq(sig, "sha256="
	    "3ff4d3cc115b639a16dc5b217aa5c89be41d1e4b54efc356d63d0cd2a65b30f1");
}
END_TEST

START_TEST(test_seal)
{
	unsigned char	 key[CRYPTO_KEY_LEN], other[CRYPTO_KEY_LEN];
	char		 secret[WEBHOOK_SECRET_LEN + 1], *sealed, *open;

	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	ck_assert_int_eq(webhook_secret_new(secret), 0);
	ck_assert_int_eq((int)strlen(secret), WEBHOOK_SECRET_LEN);
	ck_assert_ptr_nonnull(sealed = webhook_seal(key, "id-1", secret));
	ck_assert(strncmp(sealed, "\\x", 2) == 0);
	ck_assert_ptr_nonnull(open = webhook_open(key, "id-1", sealed));
	ck_assert_str_eq(open, secret);
	free(open);
	/* Bound to the webhook's id and the key. */
	ck_assert_ptr_null(webhook_open(key, "id-2", sealed));
	ck_assert_ptr_null(webhook_open(other, "id-1", sealed));
	ck_assert_ptr_null(webhook_open(key, "id-1", "\\xzz"));
	ck_assert_ptr_null(webhook_open(key, "id-1", "abc"));
	ck_assert_ptr_null(webhook_open(key, "id-1", NULL));
	free(sealed);
}
END_TEST

/* The input of a request with content type "ct" and body "body". */
static json_object *
input_of(const char *ct, const char *body, size_t len, const char *query, int *status)
{
	struct evkeyvalq	 h;
	json_object		*in;
	char			 err[256];

	TAILQ_INIT(&h);
	evhttp_add_header(&h, "Authorization", "Bearer x");
	evhttp_add_header(&h, "Cookie", "c=1");
	evhttp_add_header(&h, "X-Fragent-Signature", "sha256=00");
	evhttp_add_header(&h, "X-Fragent-Secret", "whs_1");
	evhttp_add_header(&h, "X-Request-Id", "r1");
	if (ct != NULL)
		evhttp_add_header(&h, "Content-Type", ct);
	*status = 0;
	in = hook_input("POST", "/hooks/" TOKEN, query, &h, body, len, status, err, sizeof(err));
	evhttp_clear_headers(&h);
	return in;
}

START_TEST(test_input)
{
	json_object	*in, *hd;
	int		 st;

	in = input_of("application/json; charset=utf-8", "{\"a\":[1]}", 9, "x=1&y=%20z", &st);
	ck_assert_ptr_nonnull(in);
	ck_assert_str_eq(jsonh_str(json_object_object_get(in, "body")), "{\"a\":[1]}");
	ck_assert_str_eq(jsonh_str(json_object_object_get(in, "query")),
	    "{\"x\":\"1\",\"y\":\" z\"}");
	ck_assert_str_eq(jsonh_get_string(in, "method"), "POST");
	hd = json_object_object_get(in, "headers");
	ck_assert_str_eq(jsonh_get_string(hd, "x-request-id"), "r1");
	ck_assert_ptr_null(json_object_object_get(hd, "authorization"));
	ck_assert_ptr_null(json_object_object_get(hd, "cookie"));
	ck_assert_ptr_null(json_object_object_get(hd, "x-fragent-signature"));
	ck_assert_ptr_null(json_object_object_get(hd, "x-fragent-secret"));
	json_object_put(in);
	in = input_of("application/x-www-form-urlencoded", "a=1&b=x+y&c+d%21=", 17, NULL, &st);
	ck_assert_str_eq(jsonh_str(json_object_object_get(in, "body")),
	    "{\"a\":\"1\",\"b\":\"x y\",\"c d!\":\"\"}");
	json_object_put(in);
	in = input_of("text/plain", "héllo", strlen("héllo"), NULL, &st);
	ck_assert_str_eq(jsonh_get_string(in, "body"), "héllo");
	json_object_put(in);
	in = input_of(NULL, "", 0, NULL, &st);
	ck_assert_ptr_null(json_object_object_get(in, "body"));
	json_object_put(in);
	/* Names and values the caller chose are stored cleaned (found by fuzz_hook_request). */
	in = input_of("application/x-www-form-urlencoded", "%FFk=%FFv", 9, "%C0%80=1&x%00y=2",
	    &st);
	ck_assert_ptr_nonnull(in);
	ck_assert(jsonh_storable(in));
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(in, "body"), "\xef\xbf\xbdk"),
	    "\xef\xbf\xbdv");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(in, "query"),
	    "x\xef\xbf\xbdy"), "2");
	json_object_put(in);
	/* Refused: malformed JSON, NUL in JSON, bytes that are not UTF-8, NUL in text. */
	ck_assert_ptr_null(input_of("application/json", "{\"a\":", 5, NULL, &st));
	ck_assert_int_eq(st, 400);
	ck_assert_ptr_null(input_of("application/json", "{\"a\":\"\\u0000\"}", 14, NULL, &st));
	ck_assert_int_eq(st, 400);
	ck_assert_ptr_null(input_of("application/octet-stream", "\xff\xfe", 2, NULL, &st));
	ck_assert_int_eq(st, 415);
	ck_assert_ptr_null(input_of("text/plain", "a\0b", 3, NULL, &st));
	ck_assert_int_eq(st, 415);
}
END_TEST

#define DEF	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\"},{\"id\":\"r1\",\"type\":" \
	"\"respond\"},{\"id\":\"r2\",\"type\":\"respond\"},{\"id\":\"out\",\"type\":\"output\"}]}"

START_TEST(test_answer)
{
	json_object		*def = json_tokener_parse(DEF), *res;
	struct hook_answer	 a;

	/* No respond node ran: 200 with the results. */
	res = json_tokener_parse("{\"out\":{\"v\":1}}");
	hook_answer_make(def, res, &a);
	ck_assert_int_eq(a.status, 200);
	ck_assert_str_eq(a.body, "{\"out\":{\"v\":1}}");
	ck_assert_str_eq(a.content_type, "application/json");
	hook_answer_clear(&a);
	json_object_put(res);
	/* The first respond node of the definition that ran; headers filtered. */
	res = json_tokener_parse("{\"r2\":{\"status\":201,\"headers\":{\"X-A\":\"1\","
	    "\"Set-Cookie\":\"s=1\",\"content-security-policy\":\"x\",\"Bad Name\":\"v\","
	    "\"X-Crlf\":\"a\\r\\nInjected: 1\",\"X-Num\":5,\"Content-Type\":\"text/csv\"},"
	    "\"body\":\"a,b\"},\"out\":1}");
	hook_answer_make(def, res, &a);
	ck_assert_int_eq(a.status, 201);
	ck_assert_str_eq(a.body, "a,b");
	ck_assert_str_eq(a.content_type, "text/plain; charset=utf-8");
	ck_assert_str_eq(jsonh_str(a.headers), "{\"X-A\":\"1\",\"Content-Type\":\"text/csv\"}");
	hook_answer_clear(&a);
	json_object_put(res);
	/* A JSON body; a status out of range stays 200; r1 before r2. */
	res = json_tokener_parse("{\"r1\":{\"status\":99,\"body\":{\"k\":[1]}},\"r2\":{\"status\":"
	    "202,\"body\":\"no\"}}");
	hook_answer_make(def, res, &a);
	ck_assert_int_eq(a.status, 200);
	ck_assert_str_eq(a.body, "{\"k\":[1]}");
	ck_assert_str_eq(a.content_type, "application/json");
	hook_answer_clear(&a);
	json_object_put(res);
	/* No results at all (null). */
	hook_answer_make(def, NULL, &a);
	ck_assert_str_eq(a.body, "null");
	hook_answer_clear(&a);
	json_object_put(def);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("hook_req");
	TCase	*tc = tcase_create("hook_req");

	tcase_add_loop_test(tc, test_token, 0, NITEMS(paths));
	tcase_add_test(tc, test_token_new);
	tcase_add_test(tc, test_methods);
	tcase_add_test(tc, test_auth_secret);
	tcase_add_test(tc, test_auth_hmac);
	tcase_add_test(tc, test_sign_vector);
	tcase_add_test(tc, test_seal);
	tcase_add_test(tc, test_input);
	tcase_add_test(tc, test_answer);
	suite_add_tcase(s, tc);
	return check_run(s);
}
