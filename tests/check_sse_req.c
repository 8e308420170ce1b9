/* check_sse_req.c: unit tests of sse_req.c, the event stream listener's request parser. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "nitems.h"
#include "sse_req.h"

#define ID	"01a237dc-1bb0-73ad-9143-a31a2457ea0e"
#define PATH	"/api/v1/executions/" ID "/events"

static const struct {
	const char	*path;
	int		 get;
	enum sse_req_rc	 want;
} paths[] = {
	{ PATH, 1, SSE_REQ_OK },
	{ "/api/v1/executions/01A237DC-1BB0-73AD-9143-A31A2457EA0E/events", 1, SSE_REQ_OK },
	{ PATH, 0, SSE_REQ_METHOD },
	{ NULL, 1, SSE_REQ_NOT_FOUND },
	{ "", 1, SSE_REQ_NOT_FOUND },
	{ "/", 0, SSE_REQ_NOT_FOUND },		/* an unknown path is 404 whatever the method */
	{ PATH "/", 1, SSE_REQ_NOT_FOUND },
	{ PATH "x", 1, SSE_REQ_NOT_FOUND },
	{ "/api/v1/executions/" ID "/event", 1, SSE_REQ_NOT_FOUND },
	{ "/api/v1/executions/" ID, 1, SSE_REQ_NOT_FOUND },
	{ "/api/v1/executions//events", 1, SSE_REQ_NOT_FOUND },
	{ "/api/v1/executions/01a237dc-1bb0-73ad-9143-a31a2457ea0/events", 1, SSE_REQ_NOT_FOUND },
	{ "/api/v1/executions/01a237dc-1bb0-73ad-9143-a31a2457ea0g/events", 1,
	    SSE_REQ_NOT_FOUND },
	{ "/api/v1/executions/01a237dc_1bb0-73ad-9143-a31a2457ea0e/events", 1,
	    SSE_REQ_NOT_FOUND },
	{ "/api/v1/executions/../../../../etc/passwd/events/events", 1, SSE_REQ_NOT_FOUND },
	{ "/api/v2/executions/" ID "/events", 1, SSE_REQ_NOT_FOUND },
};

START_TEST(test_sse_req_paths)
{
	struct sse_req	 r;

	ck_assert_int_eq(sse_req_parse(paths[_i].path, paths[_i].get, NULL, &r),
	    paths[_i].want);
	if (paths[_i].want == SSE_REQ_OK) {
		ck_assert_uint_eq(strlen(r.exec_id), UUID_STRLEN);
		ck_assert_str_eq(r.last_id, "0");
		ck_assert_int_eq(r.replay_after, 0);
	}
}
END_TEST

/* Last-Event-ID → the cursor the hub resumes from and the replay position. */
static const struct {
	const char	*last;
	const char	*cursor;
	long		 after;
} lasts[] = {
	{ NULL, "0", 0 },
	{ "", "0", 0 },
	{ "1796233501629-0", "1796233501629-0", 0 },
	{ "1796233501629-12", "1796233501629-12", 0 },
	{ "0-5", "0-5", 5 },
	{ "0-0", "0-0", 0 },
	{ "00-7", "00-7", 0 },				/* not a replay id: "0-" only */
	{ "0-99999999999999999999", "0-99999999999999999999", LONG_MAX },	/* saturates */
	{ "12345678901234567890-1", "12345678901234567890-1", 0 },
	{ "123456789012345678901-1", "0", 0 },		/* 21 digits */
	{ "1-123456789012345678901", "0", 0 },
	{ "1796233501629", "0", 0 },
	{ "1796233501629-", "0", 0 },
	{ "-1", "0", 0 },
	{ "1--1", "0", 0 },
	{ "1-1 ", "0", 0 },
	{ " 1-1", "0", 0 },
	{ "1-1\n", "0", 0 },
	{ "0x1-1", "0", 0 },
	{ "1-1-1", "0", 0 },
	{ "+1-1", "0", 0 },
};

START_TEST(test_sse_req_last_event_id)
{
	struct sse_req	 r;

	ck_assert_int_eq(sse_req_parse(PATH, 1, lasts[_i].last, &r), SSE_REQ_OK);
	ck_assert_str_eq(r.exec_id, ID);
	ck_assert_str_eq(r.last_id, lasts[_i].cursor);
	ck_assert_int_eq(r.replay_after, lasts[_i].after);
}
END_TEST

START_TEST(test_sse_valid_event_id)
{
	ck_assert(sse_valid_event_id("1-1"));
	ck_assert(!sse_valid_event_id(NULL));
	ck_assert(!sse_valid_event_id("1"));
	ck_assert(!sse_valid_event_id("a-1"));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("sse_req");
	TCase	*tc = tcase_create("sse_req_parse");

	tcase_add_loop_test(tc, test_sse_req_paths, 0, NITEMS(paths));
	tcase_add_loop_test(tc, test_sse_req_last_event_id, 0, NITEMS(lasts));
	tcase_add_test(tc, test_sse_valid_event_id);
	suite_add_tcase(s, tc);
	return check_run(s);
}
