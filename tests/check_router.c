/* check_router.c: unit tests of router_match. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "nitems.h"
#include "router.h"

static const struct {
	const char	*pattern, *path;
	int		 match;
	const char	*arg0, *arg1;
} cases[] = {
	{ "/api/v1/health", "/api/v1/health", 1, NULL, NULL },
	{ "/api/v1/health", "/api/v1/health/", 0, NULL, NULL },
	{ "/api/v1/health", "/api/v1/healthz", 0, NULL, NULL },
	{ "/api/v1/health", "/api/v1", 0, NULL, NULL },
	{ "/api/v1/workflows/{id}", "/api/v1/workflows/abc", 1, "abc", NULL },
	{ "/api/v1/workflows/{id}", "/api/v1/workflows/", 0, NULL, NULL },
	{ "/api/v1/workflows/{id}", "/api/v1/workflows/a/b", 0, NULL, NULL },
	{ "/api/v1/workflows/{id}/executions", "/api/v1/workflows/x/executions", 1, "x", NULL },
	{ "/api/v1/a/{x}/b/{y}", "/api/v1/a/1/b/2", 1, "1", "2" },
	{ "/api/v1/a/{x}", "/api/v1/a/" "0123456789012345678901234567890123456789012345678901234567890123"
	    "0123456789012345678901234567890123456789012345678901234567890123", 0, NULL, NULL },
	{ "/", "/", 1, NULL, NULL },
	{ "/api", "", 0, NULL, NULL },
};

START_TEST(test_router_match)
{
	struct req	 rq;

	memset(&rq, 0, sizeof(rq));
	ck_assert_int_eq(router_match(cases[_i].pattern, cases[_i].path, &rq), cases[_i].match);
	if (cases[_i].arg0 != NULL)
		ck_assert_str_eq(rq.args[0], cases[_i].arg0);
	if (cases[_i].arg1 != NULL)
		ck_assert_str_eq(rq.args[1], cases[_i].arg1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("router");
	TCase	*tc = tcase_create("router_match");

	tcase_add_loop_test(tc, test_router_match, 0, NITEMS(cases));
	suite_add_tcase(s, tc);
	return check_run(s);
}
