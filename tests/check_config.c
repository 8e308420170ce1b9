/* check_config.c: unit tests of fgconfig.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "fgconfig.h"
#include "nitems.h"

static void
unset_all(void)
{
	size_t	 i;

	for (i = 0; i < CONFIG__MAX; i++)
		unsetenv(config_defs[i].env);
}

START_TEST(test_config_defaults)
{
	struct config	 c;
	char		 err[128];
	size_t		 i;

	unset_all();
	ck_assert_int_eq(config_load(&c, err, sizeof(err)), 0);
	for (i = 0; i < CONFIG__MAX; i++) {
		ck_assert_str_eq(config_get(&c, (enum config_key)i), config_defs[i].def);
		ck_assert_ptr_nonnull(config_defs[i].help);
	}
	ck_assert_int_eq(c.sse_port, 8081);
	ck_assert_uint_eq(c.max_body, 1048576);
	config_clear(&c);
	config_clear(NULL);
}
END_TEST

START_TEST(test_config_env)
{
	struct config	 c;
	char		 err[128];

	unset_all();
	setenv("FRAGENT_SSE_PORT", "18081", 1);
	setenv("FRAGENT_REDIS_URL", "redis://h:1/2", 1);
	ck_assert_int_eq(config_load(&c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.sse_port, 18081);
	ck_assert_str_eq(config_get(&c, CONFIG_REDIS_URL), "redis://h:1/2");
	config_clear(&c);
}
END_TEST

static const struct { const char *var, *value; } bad[] = {
	{ "FRAGENT_SSE_PORT", "0" }, { "FRAGENT_SSE_PORT", "65536" },
	{ "FRAGENT_SSE_PORT", "80x" }, { "FRAGENT_SSE_PORT", "" },
	{ "FRAGENT_MAX_BODY", "10" }, { "FRAGENT_MAX_BODY", "-1" },
	{ "FRAGENT_MAX_BODY", "99999999999999999999" },
};

START_TEST(test_config_bad)
{
	struct config	 c;
	char		 err[128] = "";

	unset_all();
	setenv(bad[_i].var, bad[_i].value, 1);
	ck_assert_int_eq(config_load(&c, err, sizeof(err)), -1);
	ck_assert(strstr(err, bad[_i].var) != NULL);
}
END_TEST

START_TEST(test_config_secret)
{
	char	 path[] = "/tmp/fragent-secret-XXXXXX", *s;
	int	 fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "abc\n", 4), 4);
	close(fd);
	s = config_read_secret(path);
	ck_assert_str_eq(s, "abc");
	free(s);
	unlink(path);
	ck_assert_ptr_null(config_read_secret(path));
}
END_TEST

/* The secrets leave the environment, their bytes wiped where they were; the copies in a
 * loaded configuration and the other settings stay. */
START_TEST(test_config_scrub_env)
{
	extern char	**environ;
	static const char *const secret[] = { "FRAGENT_DATABASE_URL", "FRAGENT_REDIS_URL",
	    "FRAGENT_JWT_KEY", "FRAGENT_MASTER_KEY" };
	struct config	 c;
	char		*where[4], err[128], **e;
	size_t		 i, k;

	unset_all();
	setenv("FRAGENT_DATABASE_URL", "postgresql://fragent:pw-SECRET@db/fragent", 1);
	setenv("FRAGENT_REDIS_URL", "redis://:rd-SECRET@127.0.0.1:6380/0", 1);
	setenv("FRAGENT_JWT_KEY", "jwt-SECRET", 1);
	setenv("FRAGENT_MASTER_KEY", "master-SECRET", 1);
	setenv("FRAGENT_STATE_DIR", "/srv/fragent", 1);
	ck_assert_int_eq(config_load(&c, err, sizeof(err)), 0);
	for (i = 0; i < 4; i++) {
		where[i] = NULL;
		for (e = environ; *e != NULL; e++)
			if (strncmp(*e, secret[i], strlen(secret[i])) == 0 &&
			    (*e)[strlen(secret[i])] == '=')
				where[i] = *e;
		ck_assert_ptr_nonnull(where[i]);
	}
	config_scrub_env();
	for (i = 0; i < 4; i++) {
		ck_assert_ptr_null(getenv(secret[i]));
		for (k = 0; k < strlen(secret[i]) + 8; k++)
			ck_assert_int_eq(where[i][k], 0);
	}
	for (e = environ; *e != NULL; e++)
		ck_assert_msg(strstr(*e, "SECRET") == NULL, "%s", *e);
	ck_assert_str_eq(getenv("FRAGENT_STATE_DIR"), "/srv/fragent");
	ck_assert_str_eq(config_get(&c, CONFIG_JWT_KEY), "jwt-SECRET");
	config_clear(&c);
	unsetenv("FRAGENT_STATE_DIR");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc = tcase_create("config_load");

	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_env);
	tcase_add_loop_test(tc, test_config_bad, 0, NITEMS(bad));
	suite_add_tcase(s, tc);
	tc = tcase_create("config_read_secret");
	tcase_add_test(tc, test_config_secret);
	tcase_add_test(tc, test_config_scrub_env);
	suite_add_tcase(s, tc);
	return check_run(s);
}
