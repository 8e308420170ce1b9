/* check_req.c: unit tests of the request parsing in fcgi/req.c: the parameters req_init
 * reads, query strings (raw and decoded) and cookies. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "nitems.h"
#include "req.h"

/* A request from parameters "envp" (no body, no response stream). */
static void
req_of(struct req *rq, FCGX_Request *f, char **envp)
{
	memset(f, 0, sizeof(*f));
	f->envp = envp;
	ck_assert_int_eq(req_init(rq, f, NULL), 0);
}

/* REQUEST_ID is echoed in problem answers and logs: only an id's shape is kept. */
static const struct { const char *param, *want; } ids[] = {
	{ "REQUEST_ID=0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef" },
	{ "REQUEST_ID=req-1.a_b", "req-1.a_b" },
	{ "REQUEST_ID=", "" },
	{ "REQUEST_ID=a b", "" },
	{ "REQUEST_ID=caf\xc3\xa9", "" },
	{ "REQUEST_ID=\xff\xfe", "" },
	{ "REQUEST_ID=0123456789012345678901234567890123456789012345678901234567890123",
	  "0123456789012345678901234567890123456789012345678901234567890123" },
	{ "REQUEST_ID=01234567890123456789012345678901234567890123456789012345678901234", "" },
	{ "X=1", "" },
};

START_TEST(test_req_request_id)
{
	char		*envp[] = { (char *)ids[_i].param, NULL };
	struct req	 rq;
	FCGX_Request	 f;

	req_of(&rq, &f, envp);
	ck_assert_str_eq(rq.request_id, ids[_i].want);
	req_clear(&rq);
}
END_TEST

/* Query parameters: raw and percent-decoded; -1 for too long or malformed. */
static const struct {
	const char	*query, *name;
	int		 raw_rc;
	const char	*raw;
	int		 dec_rc;
	const char	*dec;
} queries[] = {
	{ "q=a%20b+c&limit=5", "q", 1, "a%20b+c", 1, "a b c" },
	{ "q=a%20b+c&limit=5", "limit", 1, "5", 1, "5" },
	{ "limit=5", "q", 0, NULL, 0, NULL },
	{ "qq=1&q=", "q", 1, "", 1, "" },
	{ "q", "q", 0, NULL, 0, NULL },
	{ "q=%zz", "q", 1, "%zz", -1, NULL },
	{ "q=%2", "q", 1, "%2", -1, NULL },
	{ "q=%00", "q", 1, "%00", -1, NULL },
	{ "q=0123456789", "q", -1, NULL, 1, "0123456789" },
};

START_TEST(test_req_query)
{
	char		 param[256], *envp[] = { param, NULL }, out[8], dec[16];
	struct req	 rq;
	FCGX_Request	 f;

	snprintf(param, sizeof(param), "QUERY_STRING=%s", queries[_i].query);
	req_of(&rq, &f, envp);
	ck_assert_int_eq(req_query(&rq, queries[_i].name, out, sizeof(out)), queries[_i].raw_rc);
	if (queries[_i].raw_rc == 1)
		ck_assert_str_eq(out, queries[_i].raw);
	ck_assert_int_eq(req_query_decoded(&rq, queries[_i].name, dec, sizeof(dec)),
	    queries[_i].dec_rc);
	if (queries[_i].dec_rc == 1)
		ck_assert_str_eq(dec, queries[_i].dec);
	req_clear(&rq);
}
END_TEST

static const struct { const char *cookie; int rc; const char *want; } cookies[] = {
	{ "HTTP_COOKIE=fragent_refresh=abc", 1, "abc" },
	{ "HTTP_COOKIE=theme=dark; fragent_refresh=abc; x=1", 1, "abc" },
	{ "HTTP_COOKIE=xfragent_refresh=abc", 0, NULL },
	{ "HTTP_COOKIE=fragent_refresh", 0, NULL },
	{ "HTTP_COOKIE=;;; ", 0, NULL },
	{ "HTTP_COOKIE=fragent_refresh=0123456789abcdef", -1, NULL },
	{ "X=1", 0, NULL },
};

START_TEST(test_req_cookie)
{
	char		*envp[] = { (char *)cookies[_i].cookie, NULL }, out[16];
	struct req	 rq;
	FCGX_Request	 f;

	req_of(&rq, &f, envp);
	ck_assert_int_eq(req_cookie(&rq, "fragent_refresh", out, sizeof(out)), cookies[_i].rc);
	if (cookies[_i].rc == 1)
		ck_assert_str_eq(out, cookies[_i].want);
	req_clear(&rq);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("req");
	TCase	*tc = tcase_create("req_init");

	tcase_add_loop_test(tc, test_req_request_id, 0, NITEMS(ids));
	suite_add_tcase(s, tc);
	tc = tcase_create("req_query");
	tcase_add_loop_test(tc, test_req_query, 0, NITEMS(queries));
	suite_add_tcase(s, tc);
	tc = tcase_create("req_cookie");
	tcase_add_loop_test(tc, test_req_cookie, 0, NITEMS(cookies));
	suite_add_tcase(s, tc);
	return check_run(s);
}
