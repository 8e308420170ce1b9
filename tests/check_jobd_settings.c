/* check_jobd_settings.c: unit tests of jobd/settings.c's database URLs: the workers' durable
 * connection asks for generic plans, their fast one also for synchronous_commit off, both
 * as libpq reads them, whether or not the configured URL has a query already; a URL too
 * long for them is refused. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "check_run.h"
#include "fgconfig.h"
#include "settings.h"

/* The "options" libpq reads in "url" (the caller frees it), or NULL. */
static char *
url_options(const char *url)
{
	PQconninfoOption	*opts, *o;
	char			*err = NULL, *v = NULL;

	opts = PQconninfoParse(url, &err);
	ck_assert_msg(opts != NULL, "%s: %s", url, err ? err : "?");
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "options") == 0 && o->val != NULL)
			v = strdup(o->val);
	PQconninfoFree(opts);
	return v;
}

/* Loads the settings with FRAGENT_DATABASE_URL "url". Returns settings_load's result. */
static int
load(const char *url, struct config *cfg, struct jobd_settings *s, char *err, size_t errlen)
{
	ck_assert_int_eq(setenv("FRAGENT_DATABASE_URL", url, 1), 0);
	memset(s, 0, sizeof(*s));
	ck_assert_msg(config_load(cfg, err, errlen) == 0, "%s", err);
	return settings_load(s, cfg, err, errlen);
}

static const char *const urls[] = {
	"postgresql://fragent@127.0.0.1:5432/fragent",
	"postgresql://fragent@127.0.0.1:5432/fragent?sslmode=disable",
};

START_TEST(test_worker_urls)
{
	struct config		 cfg;
	struct jobd_settings	 s;
	char			 err[256], *opt;

	ck_assert_msg(load(urls[_i], &cfg, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(s.db_url, urls[_i]);
	ck_assert_ptr_null(url_options(s.db_url));
	opt = url_options(s.db_worker_url);
	ck_assert_str_eq(opt, "-c plan_cache_mode=force_generic_plan");
	free(opt);
	opt = url_options(s.db_fast_url);
	ck_assert_str_eq(opt, "-c plan_cache_mode=force_generic_plan -c synchronous_commit=off");
	free(opt);
	ck_assert_int_eq(strncmp(s.db_fast_url, urls[_i], strlen(urls[_i])), 0);
	settings_clear(&s);
	config_clear(&cfg);
}
END_TEST

START_TEST(test_url_too_long)
{
	struct config		 cfg;
	struct jobd_settings	 s;
	char			 err[256], url[1024];

	memset(url, 'a', sizeof(url) - 1);
	url[sizeof(url) - 1] = '\0';
	memcpy(url, "postgresql://h/", 15);
	ck_assert_int_eq(load(url, &cfg, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "FRAGENT_DATABASE_URL is too long");
	settings_clear(&s);
	config_clear(&cfg);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("jobd_settings");
	TCase	*tc = tcase_create("jobd_settings");

	tcase_add_loop_test(tc, test_worker_urls, 0, 2);
	tcase_add_test(tc, test_url_too_long);
	suite_add_tcase(s, tc);
	return check_run(s);
}
