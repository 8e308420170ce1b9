/* settings.c: jobd's settings from the FRAGENT_* configuration (see settings.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "ssrf.h"

/* The sandbox helper: FRAGENT_SANDBOX_BIN, else fragent-sandbox in the folder of this
 * program. Returns 0, or -1 with "err". */
static int
settings_sandbox_bin(struct jobd_settings *s, const char *set, char *err, size_t errlen)
{
	char	 self[PATH_MAX];
	char	*slash;
	ssize_t	 n;
	int	 w;

	if (*set != '\0')
		w = snprintf(s->sandbox_bin, sizeof(s->sandbox_bin), "%s", set);
	else {
		if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0) {
			snprintf(err, errlen, "cannot find this program's folder; set "
			    "FRAGENT_SANDBOX_BIN");
			return -1;
		}
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL)
			*slash = '\0';
		w = snprintf(s->sandbox_bin, sizeof(s->sandbox_bin), "%s/fragent-sandbox", self);
	}
	if (w < 0 || (size_t)w >= sizeof(s->sandbox_bin)) {
		snprintf(err, errlen, "FRAGENT_SANDBOX_BIN is too long");
		return -1;
	}
	return 0;
}

/* The expression sandbox's settings. Returns 0, or -1 with "err". */
static int
settings_sandbox(struct jobd_settings *s, const struct config *cfg, char *err, size_t errlen)
{
	if (settings_sandbox_bin(s, config_get(cfg, CONFIG_SANDBOX_BIN), err, errlen) == -1)
		return -1;
	s->sandbox.memory_mb = (long)config_num(cfg, CONFIG_SANDBOX_MEMORY_MB);
	s->sandbox.limit_ms = (long)config_num(cfg, CONFIG_SANDBOX_LIMIT_MS);
	s->sandbox.bin = s->sandbox_bin;
	s->sandbox.max_helpers = (int)config_num(cfg, CONFIG_SANDBOX_HELPERS);
	s->sandbox.slow_ms = SANDBOX_SLOW_MS;
	return 0;
}

/* The workers' session option, URL-encoded: generic plans. Every statement a worker runs
 * finds its rows by ids through an index, the plan a generic plan has; left to choose,
 * PostgreSQL planned the claim and the step rows again at each execution (0.3–0.7 ms of bind
 * each in its log), and a chat's time in jobd before its model request was about 0.3 ms
 * longer (docs/PERFORMANCE.md). A statement whose best plan depends on its values (a range,
 * an optional filter) belongs on another connection. */
#define SETTINGS_WORKER_OPTIONS	"-c%20plan_cache_mode%3Dforce_generic_plan"

/* Writes into "dst" the database URL "url" with the session options "options" (URL-encoded).
 * Returns 0, or -1 when it is too long. */
static int
settings_url_with(char *dst, size_t size, const char *url, const char *options)
{
	int	 n;

	n = snprintf(dst, size, "%s%soptions=%s", url, strchr(url, '?') != NULL ? "&" : "?",
	    options);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The workers' URLs: the same database with the workers' option, and for the fast one also
 * synchronous_commit off. Returns 0, or -1 when one is too long. */
static int
settings_worker_urls(struct jobd_settings *s)
{
	if (settings_url_with(s->db_worker_url, sizeof(s->db_worker_url), s->db_url,
	    SETTINGS_WORKER_OPTIONS) == -1)
		return -1;
	return settings_url_with(s->db_fast_url, sizeof(s->db_fast_url), s->db_url,
	    SETTINGS_WORKER_OPTIONS "%20-c%20synchronous_commit%3Doff");
}

/* The allow-lists of the SSRF guard, one per use. Returns 0, or -1 with "err" (nothing kept). */
static int
settings_allow(struct jobd_settings *s, const struct config *cfg, char *err, size_t errlen)
{
	static const enum config_key keys[SSRF_USE__MAX] = {
		[SSRF_USE_HTTP] = CONFIG_HTTP_ALLOWLIST,
		[SSRF_USE_MODEL] = CONFIG_MODEL_ALLOWLIST,
	};
	char	 why[160];
	int	 u;

	s->allow = ssrf_allow_new();
	for (u = 0; u < SSRF_USE__MAX; u++)
		if (ssrf_allow_add(s->allow, (enum ssrf_use)u, config_get(cfg, keys[u]), why,
		    sizeof(why)) == -1) {
			snprintf(err, errlen, "%s: %s", config_defs[keys[u]].env, why);
			ssrf_allow_free(s->allow);
			s->allow = NULL;
			return -1;
		}
	return 0;
}

int
settings_load(struct jobd_settings *s, const struct config *cfg, char *err, size_t errlen)
{
	long	 threads = (long)config_num(cfg, CONFIG_JOBD_THREADS);
	long	 ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	/* config_load checked every number against its bounds in fgconfig.def. */
	memset(s, 0, sizeof(*s));
	s->max_inflight = (long)config_num(cfg, CONFIG_JOBD_MAX_INFLIGHT);
	s->lease_ms = (long)config_num(cfg, CONFIG_JOBD_LEASE_MS);
	s->grace_ms = (long)config_num(cfg, CONFIG_JOBD_GRACE_MS);
	s->sweep_ms = (long)config_num(cfg, CONFIG_JOBD_SWEEP_MS);
	s->max_abandons = (long)config_num(cfg, CONFIG_JOBD_MAX_ABANDONS);
	s->retention_days = (long)config_num(cfg, CONFIG_RETENTION_DAYS);
	s->retention_ms = (long)config_num(cfg, CONFIG_JOBD_RETENTION_MS);
	s->http_idle_ms = (long)config_num(cfg, CONFIG_JOBD_HTTP_IDLE_MS);
	s->threads = (int)(threads > 0 ? threads : (ncpu > 0 ? (ncpu < 64 ? ncpu : 64) : 1));
	if (redis_url_parse(config_get(cfg, CONFIG_REDIS_URL), &s->redis) == -1) {
		snprintf(err, errlen, "FRAGENT_REDIS_URL is not a redis:// URL");
		return -1;
	}
	if (snprintf(s->db_url, sizeof(s->db_url), "%s", config_get(cfg, CONFIG_DATABASE_URL)) >=
	    (int)sizeof(s->db_url) || settings_worker_urls(s) == -1) {
		snprintf(err, errlen, "FRAGENT_DATABASE_URL is too long");
		return -1;
	}
	if (config_get(cfg, CONFIG_JOBD_CONSUMER)[0] != '\0')
		snprintf(s->consumer, sizeof(s->consumer), "%s",
		    config_get(cfg, CONFIG_JOBD_CONSUMER));
	else if (gethostname(s->consumer, sizeof(s->consumer)) != 0 || s->consumer[0] == '\0')
		snprintf(s->consumer, sizeof(s->consumer), "jobd");
	s->consumer[sizeof(s->consumer) - 1] = '\0';
	if (settings_sandbox(s, cfg, err, errlen) == -1)
		return -1;
	return settings_allow(s, cfg, err, errlen);
}

void
settings_clear(struct jobd_settings *s)
{
	if (s == NULL)
		return;
	ssrf_allow_free(s->allow);
	s->allow = NULL;
}
