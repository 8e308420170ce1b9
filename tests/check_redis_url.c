/* check_redis_url.c: unit tests of redis_url_parse. */
#include "config.h"

#include <stdlib.h>

#include "check_run.h"

#include "nitems.h"
#include "redisconn.h"

static const struct {
	const char	*url;
	int		 ok;
	const char	*host, *password;
	int		 port, db;
} urls[] = {
	{ "redis://127.0.0.1:6380/0", 0, "127.0.0.1", "", 6380, 0 },
	{ "redis://localhost", 0, "localhost", "", 6379, 0 },
	{ "redis://:s3cret@127.0.0.1:16380/2", 0, "127.0.0.1", "s3cret", 16380, 2 },
	{ "redis://user:pw@host:1/15", 0, "host", "pw", 1, 15 },
	{ "redis://host/", 0, "host", "", 6379, 0 },
	{ "redis://host:0", -1, NULL, NULL, 0, 0 },
	{ "redis://host:65536", -1, NULL, NULL, 0, 0 },
	{ "redis://host:12a", -1, NULL, NULL, 0, 0 },
	{ "redis://host/16", -1, NULL, NULL, 0, 0 },
	{ "redis://host/x", -1, NULL, NULL, 0, 0 },
	{ "redis://:6379", -1, NULL, NULL, 0, 0 },
	{ "redis://user@host", -1, NULL, NULL, 0, 0 },
	{ "http://host", -1, NULL, NULL, 0, 0 },
	{ "", -1, NULL, NULL, 0, 0 },
};

START_TEST(test_redis_url_parse)
{
	struct redis_url	 u;

	ck_assert_int_eq(redis_url_parse(urls[_i].url, &u), urls[_i].ok);
	if (urls[_i].ok != 0)
		return;
	ck_assert_str_eq(u.host, urls[_i].host);
	ck_assert_str_eq(u.password, urls[_i].password);
	ck_assert_int_eq(u.port, urls[_i].port);
	ck_assert_int_eq(u.db, urls[_i].db);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("redis_url");
	TCase	*tc = tcase_create("redis_url_parse");

	tcase_add_loop_test(tc, test_redis_url_parse, 0, NITEMS(urls));
	suite_add_tcase(s, tc);
	return check_run(s);
}
