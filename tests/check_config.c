/* check_config.c: unit tests of fgconfig.c and of the settings table fgconfig.def. */
#include "config.h"

#include <regex.h>
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
		/* A default under @pkgdatadir@ names the installed file. */
		if (i == CONFIG_MIGRATIONS_DIR)
			ck_assert_str_eq(config_get(&c, (enum config_key)i),
			    FG_PKGDATADIR "/sql");
		else
			ck_assert_str_eq(config_get(&c, (enum config_key)i), config_defs[i].def);
		ck_assert_ptr_nonnull(config_defs[i].help);
	}
	ck_assert_str_eq(config_defs[CONFIG_MIGRATIONS_DIR].def, "@pkgdatadir@/sql");
	ck_assert_int_eq(c.sse_port, 8081);
	ck_assert_uint_eq(c.max_body, 1048576);
	config_clear(&c);
	config_clear(NULL);
}
END_TEST

/* A value set is taken as it is, @pkgdatadir@ included: only defaults are expanded. */
START_TEST(test_config_pkgdatadir_set)
{
	struct config	 c;
	char		 err[128];

	unset_all();
	setenv("FRAGENT_MIGRATIONS_DIR", "/srv/fragent/sql", 1);
	ck_assert_int_eq(config_load(&c, err, sizeof(err)), 0);
	ck_assert_str_eq(config_get(&c, CONFIG_MIGRATIONS_DIR), "/srv/fragent/sql");
	config_clear(&c);
	setenv("FRAGENT_MIGRATIONS_DIR", "@pkgdatadir@/sql", 1);
	ck_assert_int_eq(config_load(&c, err, sizeof(err)), 0);
	ck_assert_str_eq(config_get(&c, CONFIG_MIGRATIONS_DIR), "@pkgdatadir@/sql");
	config_clear(&c);
	unsetenv("FRAGENT_MIGRATIONS_DIR");
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
	{ "FRAGENT_SSE_PORT", "08081" }, { "FRAGENT_SSE_PORT", "+8081" },
	{ "FRAGENT_SSE_PORT", " 8081" }, { "FRAGENT_SSE_PORT", "8081 " },
	{ "FRAGENT_MAX_BODY", "10" }, { "FRAGENT_MAX_BODY", "-1" },
	{ "FRAGENT_MAX_BODY", "99999999999999999999" },
	{ "FRAGENT_JOBD_THREADS", "65" }, { "FRAGENT_JOBD_THREADS", "-0" },
	{ "FRAGENT_JOBD_LEASE_MS", "499" }, { "FRAGENT_SANDBOX_HELPERS", "1" },
	{ "FRAGENT_LOG_LEVEL", "verbose" }, { "FRAGENT_LOG_LEVEL", "info " },
	{ "FRAGENT_OPEN_SIGNUP", "yes" }, { "FRAGENT_OPEN_SIGNUP", "" },
	{ "FRAGENT_CORS_ORIGINS", "https://a.example;https://b.example" },
	{ "FRAGENT_HTTP_ALLOWLIST", "10.0.0.0/8;" },
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

/* Values at the edges of their checks, read and numbered. */
static const struct { const char *var, *value; long long num; } good[] = {
	{ "FRAGENT_SSE_PORT", "1", 1 }, { "FRAGENT_SSE_PORT", "65535", 65535 },
	{ "FRAGENT_JOBD_THREADS", "0", 0 }, { "FRAGENT_JOBD_THREADS", "64", 64 },
	{ "FRAGENT_MAX_BODY", "67108864", 67108864 },
	{ "FRAGENT_LOG_LEVEL", "debug", 0 }, { "FRAGENT_OPEN_SIGNUP", "1", 0 },
	{ "FRAGENT_CORS_ORIGINS", "", 0 },
	{ "FRAGENT_CORS_ORIGINS", "https://a.example,http://b.example:3000", 0 },
	{ "FRAGENT_CORS_ORIGINS", "https://a.example, https://b.example", 0 },
	{ "FRAGENT_MODEL_ALLOWLIST", "127.0.0.1:11434,[fd00::/8]:8000", 0 },
};

START_TEST(test_config_good)
{
	struct config	 c;
	char		 err[128] = "";
	size_t		 i;

	unset_all();
	setenv(good[_i].var, good[_i].value, 1);
	ck_assert_msg(config_load(&c, err, sizeof(err)) == 0, "%s", err);
	for (i = 0; i < CONFIG__MAX; i++)
		if (strcmp(config_defs[i].env, good[_i].var) == 0) {
			ck_assert_str_eq(config_get(&c, (enum config_key)i), good[_i].value);
			ck_assert_int_eq(config_num(&c, (enum config_key)i), good[_i].num);
		}
	config_clear(&c);
}
END_TEST

/* The settings only ./fragent reads are never read by the programs: a value they would
 * refuse changes nothing. */
START_TEST(test_config_stack_only)
{
	struct config	 c;
	char		 err[128] = "";

	unset_all();
	setenv("FRAGENT_HTTP_PORT", "not a port", 1);
	setenv("FRAGENT_API_BIN", "/nowhere", 1);
	ck_assert_msg(config_load(&c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(config_get(&c, CONFIG_HTTP_PORT), config_defs[CONFIG_HTTP_PORT].def);
	ck_assert_str_eq(config_get(&c, CONFIG_API_BIN), config_defs[CONFIG_API_BIN].def);
	config_clear(&c);
	unset_all();
}
END_TEST

/* Every row of fgconfig.def is well formed: a FRAGENT_ name, a meaning, a check of a known
 * kind (bounds in order, an anchored expression that compiles) that its default passes. */
START_TEST(test_config_table)
{
	const struct config_def	*d = &config_defs[_i];
	long long		 lo, hi, num;
	char			 err[256];
	regex_t			 re;
	size_t			 n;

	ck_assert_msg(strncmp(d->env, "FRAGENT_", 8) == 0, "%s", d->env);
	ck_assert_msg(d->help != NULL && strlen(d->help) > 8, "%s", d->env);
	ck_assert_int_lt(d->readers, CONFIG_READERS__MAX);
	if (strncmp(d->check, "int ", 4) == 0) {
		ck_assert_msg(sscanf(d->check + 4, "%lld %lld", &lo, &hi) == 2, "%s", d->env);
		ck_assert_msg(lo <= hi, "%s", d->env);
	} else if (strncmp(d->check, "re ", 3) == 0) {
		n = strlen(d->check);
		ck_assert_msg(d->check[3] == '^' && d->check[n - 1] == '$', "%s: not anchored",
		    d->env);
		ck_assert_int_eq(regcomp(&re, d->check + 3, REG_EXTENDED | REG_NOSUB), 0);
		regfree(&re);
	} else
		ck_assert_msg(strcmp(d->check, "path") == 0 || d->check[0] == '\0', "%s: %s",
		    d->env, d->check);
	ck_assert_msg(config_check((enum config_key)_i, d->def, &num, err, sizeof(err)) == 0,
	    "%s", err);
	/* The table's strings must stay readable by ./fragent. */
	ck_assert_msg(strpbrk(d->def, "\"\\") == NULL && strpbrk(d->check, "\"\\") == NULL &&
	    strpbrk(d->help, "\"\\") == NULL, "%s: quote or backslash", d->env);
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
	tcase_add_test(tc, test_config_pkgdatadir_set);
	tcase_add_loop_test(tc, test_config_bad, 0, NITEMS(bad));
	tcase_add_loop_test(tc, test_config_good, 0, NITEMS(good));
	tcase_add_test(tc, test_config_stack_only);
	suite_add_tcase(s, tc);
	tc = tcase_create("config_defs");
	tcase_add_loop_test(tc, test_config_table, 0, CONFIG__MAX);
	suite_add_tcase(s, tc);
	tc = tcase_create("config_read_secret");
	tcase_add_test(tc, test_config_secret);
	tcase_add_test(tc, test_config_scrub_env);
	suite_add_tcase(s, tc);
	return check_run(s);
}
