/* main.c: fragent-api, the FastCGI REST API (`fragent-api` serves; `fragent-api migrate` migrates). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "db.h"
#include "expr.h"
#include "fgconfig.h"
#include "handlers.h"
#include "apimetrics.h"
#include "log.h"
#include "migrate.h"
#include "password.h"
#include "redisconn.h"
#include "req.h"
#include "routes.h"
#include "tracing.h"
#include "usercache.h"

static volatile sig_atomic_t	 api_stop;

/* libfcgi retries accept() after EINTR, so closing this process's copy of the listening
 * socket (shared with the other workers, which keep theirs) is what ends the wait. */
static void
api_on_term(int sig)
{
	(void)sig;
	api_stop = 1;
	close(STDIN_FILENO);
}

/* A request slower than this is logged as a warning. */
#define API_SLOW_MS	1000.0

/* Serves one accepted request and logs it as one line: at debug level, since nginx's access
 * log already records every request with the same request id; as a warning when it failed
 * on our side (5xx) or was slow. Returns the request's span for apitrace_push, or NULL. */
static char *
api_serve(FCGX_Request *f, struct app *app)
{
	struct req	 rq;
	struct timespec	 t0, t1;
	double		 ms;
	char		*span;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (req_init(&rq, f, app) == -1)
		resp_problem(&rq, 404, "path too long", NULL);
	else
		router_dispatch(api_routes, api_routes_len, &rq);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	api_metrics_request(&rq, ms);
	log_emit(rq.status >= 500 || ms >= API_SLOW_MS ? LOGL_WARN : LOGL_DEBUG,
	    LOG_IDS(rq.request_id, NULL), "%s %s %d %.2fms", rq.method, rq.path, rq.status, ms);
	span = apitrace_end(&rq);
	req_clear(&rq);
	return span;
}

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

/* Opens the process-wide connections. Returns 0 or -1. */
static int
api_open(struct app *app)
{
	struct redis_url	 ru;

	if (redis_url_parse(config_get(&app->cfg, CONFIG_REDIS_URL), &ru) == -1) {
		log_error(NULL, "FRAGENT_REDIS_URL is not a redis:// URL");
		return -1;
	}
	app->db = db_new(config_get(&app->cfg, CONFIG_DATABASE_URL));
	app->redis = redis_conn_new(&ru);
	app->users = usercache_new();
	return 0;
}

/* The FastCGI accept loop on the socket supervisord passes as descriptor 0. */
static int
api_loop(struct app *app)
{
	FCGX_Request		 f;
	struct sigaction	 sa;
	char			*span;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = api_on_term;	/* no SA_RESTART: accept() returns on SIGTERM */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&f, 0, 0) != 0) {
		log_error(NULL, "FastCGI initialisation failed");
		return -1;
	}
	log_info(NULL, "fragent-api ready");
	while (!api_stop && FCGX_Accept_r(&f) >= 0) {
		span = api_serve(&f, app);
		FCGX_Finish_r(&f);
		apitrace_push(app, span);	/* the client has its answer already */
	}
	FCGX_Free(&f, 1);
	log_info(NULL, "fragent-api stopping");
	return 0;
}

int
main(int argc, char *argv[])
{
	struct app	 app;
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
	if (api_open(&app) == -1)
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
		rc = api_loop(&app) == 0 ? 0 : 1;
		api_metrics_close();
	}
	else
		fprintf(stderr, "usage: fragent-api [migrate | openapi]\n");
out:
	expr_cache_clear();
	usercache_free(app.users);
	db_free(app.db);
	redis_conn_free(app.redis);
	config_clear(&app.cfg);
	explicit_bzero(&app.jwt, sizeof(app.jwt));
	explicit_bzero(app.master_key, sizeof(app.master_key));
	return rc;
}
