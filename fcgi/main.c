/* main.c: fragent-api, the FastCGI REST API (`fragent-api` serves; `fragent-api migrate` migrates).
 * A serving process runs FRAGENT_API_THREADS threads on one epoll set (fcgi/serve.c)
 * and one notification-kept cache (docs/ARCHITECTURE.md, "API processes"). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "apimetrics.h"
#include "authdb.h"
#include "db.h"
#include "expr.h"
#include "fgconfig.h"
#include "handlers.h"
#include "launch.h"
#include "log.h"
#include "migrate.h"
#include "password.h"
#include "redisconn.h"
#include "req.h"
#include "serve.h"

/* Loads the JWT key and the credentials master key (environment or state folder) and the
 * sign-up policy. Returns 0, or -1 after logging (never the keys). */
static int
api_secrets(struct app *app)
{
	const char	*file = config_get(&app->cfg, CONFIG_MASTER_KEY_FILE);
	char		 err[256], path[4096];

	if (jwt_key_load(&app->jwt, &app->cfg, err, sizeof(err)) == -1) {
		log_error(NULL, "JWT key: %s (set FRAGENT_JWT_KEY or FRAGENT_JWT_KEY_FILE)", err);
		return -1;
	}
	if (file[0] == '\0') {
		snprintf(path, sizeof(path), "%s/secrets/master_key",
		    config_get(&app->cfg, CONFIG_STATE_DIR));
		file = path;
	}
	if (crypto_key_load(config_get(&app->cfg, CONFIG_MASTER_KEY), file, app->master_key,
	    CRYPTO_KEY_LEN, CRYPTO_KEY_LEN, err, sizeof(err)) == -1) {
		log_error(NULL, "master key: %s (set FRAGENT_MASTER_KEY or "
		    "FRAGENT_MASTER_KEY_FILE)", err);
		return -1;
	}
	app->open_signup = strcmp(config_get(&app->cfg, CONFIG_OPEN_SIGNUP), "1") == 0;
	return 0;
}

/* Opens the process-wide connections (those of "migrate"; serving threads open their own).
 * Returns 0 or -1. */
static int
api_open(struct app *app, struct redis_url *ru)
{
	if (redis_url_parse(config_get(&app->cfg, CONFIG_REDIS_URL), ru) == -1) {
		log_error(NULL, "FRAGENT_REDIS_URL is not a redis:// URL");
		return -1;
	}
	app->db = db_new(config_get(&app->cfg, CONFIG_DATABASE_URL));
	app->redis = redis_conn_new(ru);
	return 0;
}

/* Logs how many runs the process's threads stored and in how many statements (group
 * commit: fewer statements than runs when they stored at the same moment). */
static void
api_log_launches(struct rowgroup *g)
{
	unsigned long	 statements, rows;

	rowgroup_counts(g, &statements, &rows);
	if (rows > 0)
		log_info(NULL, "%lu runs stored with %lu statements (%.2f a statement)", rows,
		    statements, (double)rows / (double)statements);
}

int
main(int argc, char *argv[])
{
	struct app	 app;
	struct redis_url ru = { 0 };
	enum log_level	 lvl = LOGL_INFO;
	char		 err[256];
	int		 rc = 1;

	memset(&app, 0, sizeof(app));
	/* The API's description needs no configuration: the front end's build reads it. */
	if (argc == 2 && strcmp(argv[1], "openapi") == 0)
		return openapi_print(stdout) == 0 ? 0 : 1;
	if (config_load(&app.cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "fragent-api: %s\n", err);
		return 1;
	}
	if (log_level_parse(config_get(&app.cfg, CONFIG_LOG_LEVEL), &lvl) == -1)
		fprintf(stderr, "fragent-api: FRAGENT_LOG_LEVEL unknown, using info\n");
	log_setup("api", lvl);
	if (api_open(&app, &ru) == -1)
		goto out;
	if (argc == 2 && strcmp(argv[1], "migrate") == 0)
		rc = migrate_run(app.db, config_get(&app.cfg, CONFIG_MIGRATIONS_DIR)) == 0 ? 0 : 1;
	else if (argc == 1) {
		if (api_secrets(&app) == -1)
			goto out;
		config_scrub_env();	/* the URLs and keys live on in "app" only */
		/* The dummy hash for unknown users costs one hash: pay it before serving. */
		if (password_init() == -1)
			log_warn(NULL, "password: cannot prepare the dummy hash");
		api_metrics_open(&app.cfg);
		app.auth = authcache_new(config_get(&app.cfg, CONFIG_DATABASE_URL));
		app.launches = launch_group_new();
		rc = serve_run(&app, &ru, (size_t)config_num(&app.cfg, CONFIG_API_THREADS)) == 0 ?
		    0 : 1;
		api_log_launches(app.launches);
		api_metrics_close();
	}
	else
		fprintf(stderr, "usage: fragent-api [migrate | openapi]\n");
out:
	expr_cache_clear();
	authcache_free(app.auth);
	rowgroup_free(app.launches);
	db_free(app.db);
	redis_conn_free(app.redis);
	config_clear(&app.cfg);
	explicit_bzero(&app.jwt, sizeof(app.jwt));
	explicit_bzero(app.master_key, sizeof(app.master_key));
	explicit_bzero(&ru, sizeof(ru));	/* the Redis password */
	return rc;
}
