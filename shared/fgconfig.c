/* fgconfig.c: runtime configuration from FRAGENT_* environment variables with documented defaults. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgconfig.h"
#include "nitems.h"

const struct config_def config_defs[CONFIG__MAX] = {
	[CONFIG_DATABASE_URL] = { "FRAGENT_DATABASE_URL",
	    "postgresql://fragent@127.0.0.1:5433/fragent",
	    "libpq connection URL of the PostgreSQL database" },
	[CONFIG_REDIS_URL] = { "FRAGENT_REDIS_URL", "redis://127.0.0.1:6380/0",
	    "Redis URL: redis://[:password@]host[:port][/db]" },
	[CONFIG_STATE_DIR] = { "FRAGENT_STATE_DIR", "var",
	    "folder holding the local stack's data, sockets, logs and secrets" },
	[CONFIG_MIGRATIONS_DIR] = { "FRAGENT_MIGRATIONS_DIR", "sql",
	    "folder of numbered NNN_name.sql migrations" },
	[CONFIG_SSE_ADDR] = { "FRAGENT_SSE_ADDR", "127.0.0.1",
	    "address jobd's Server-Sent Events listener binds" },
	[CONFIG_SSE_PORT] = { "FRAGENT_SSE_PORT", "8081",
	    "port of jobd's Server-Sent Events listener" },
	[CONFIG_LOG_LEVEL] = { "FRAGENT_LOG_LEVEL", "info",
	    "lowest level logged: debug, info, warn or error" },
	[CONFIG_MAX_BODY] = { "FRAGENT_MAX_BODY", "1048576",
	    "largest request body the API accepts, in bytes" },
	[CONFIG_JOBD_CONSUMER] = { "FRAGENT_JOBD_CONSUMER", "",
	    "consumer name of this jobd in the Redis group (default: host:pid)" },
	[CONFIG_JWT_KEY] = { "FRAGENT_JWT_KEY", "",
	    "base64 key (>= 32 bytes) signing access tokens; overrides the key file" },
	[CONFIG_JWT_KEY_FILE] = { "FRAGENT_JWT_KEY_FILE", "",
	    "file holding the base64 JWT key (default STATE_DIR/secrets/jwt_key)" },
	[CONFIG_MASTER_KEY] = { "FRAGENT_MASTER_KEY", "",
	    "base64 32-byte key encrypting credentials; overrides the key file" },
	[CONFIG_MASTER_KEY_FILE] = { "FRAGENT_MASTER_KEY_FILE", "",
	    "file holding the base64 master key (default STATE_DIR/secrets/master_key)" },
	[CONFIG_OPEN_SIGNUP] = { "FRAGENT_OPEN_SIGNUP", "0",
	    "1: anyone may register (as viewer) after the first user; 0: admins create users" },
	[CONFIG_CORS_ORIGINS] = { "FRAGENT_CORS_ORIGINS", "",
	    "comma- or space-separated origins allowed cross-origin (https://app.example.com)" },
	[CONFIG_JOBD_THREADS] = { "FRAGENT_JOBD_THREADS", "0",
	    "jobd worker threads, one event loop each (0: one per core)" },
	[CONFIG_JOBD_MAX_INFLIGHT] = { "FRAGENT_JOBD_MAX_INFLIGHT", "10000",
	    "executions one jobd runs at once (shared between its threads)" },
	[CONFIG_JOBD_LEASE_MS] = { "FRAGENT_JOBD_LEASE_MS", "30000",
	    "lease of a running execution; another jobd takes over after it runs out" },
	[CONFIG_JOBD_GRACE_MS] = { "FRAGENT_JOBD_GRACE_MS", "20000",
	    "on SIGTERM, time in-flight steps get to finish before being left pending" },
	[CONFIG_JOBD_SWEEP_MS] = { "FRAGENT_JOBD_SWEEP_MS", "30000",
	    "period of the sweep that re-enqueues executions the queue lost" },
	[CONFIG_JOBD_MAX_ABANDONS] = { "FRAGENT_JOBD_MAX_ABANDONS", "5",
	    "times an execution's worker may be lost (crash, kill) before it is failed" },
	[CONFIG_HTTP_ALLOWLIST] = { "FRAGENT_HTTP_ALLOWLIST", "",
	    "addresses/CIDRs[:port] the HTTP node may reach although private or loopback" },
	[CONFIG_MODEL_ALLOWLIST] = { "FRAGENT_MODEL_ALLOWLIST", "",
	    "addresses/CIDRs[:port] of model servers (Ollama, vLLM, llama.cpp) agents may reach "
	    "although private or loopback" },
	[CONFIG_SANDBOX_BIN] = { "FRAGENT_SANDBOX_BIN", "",
	    "the expression sandbox helper (default: fragent-sandbox beside fragent-jobd)" },
	[CONFIG_SANDBOX_MEMORY_MB] = { "FRAGENT_SANDBOX_MEMORY_MB", "256",
	    "memory each expression sandbox helper may map beyond its own, in MiB" },
	[CONFIG_SANDBOX_LIMIT_MS] = { "FRAGENT_SANDBOX_LIMIT_MS", "5000",
	    "the longest one expression or template may run (a node's timeout_ms lowers it)" },
	[CONFIG_SANDBOX_HELPERS] = { "FRAGENT_SANDBOX_HELPERS", "16",
	    "expression sandbox helpers per jobd worker thread, at most" },
};

/* Parses "s" as a decimal integer within [lo, hi]. Returns 0 or -1. */
static int
parse_bounded(const char *s, long long lo, long long hi, long long *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
config_load(struct config *cfg, char *err, size_t errlen)
{
	long long	 v;
	const char	*s;
	size_t		 i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < CONFIG__MAX; i++) {
		s = getenv(config_defs[i].env);
		if (s == NULL)
			s = config_defs[i].def;
		if ((cfg->values[i] = strdup(s)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (parse_bounded(cfg->values[CONFIG_SSE_PORT], 1, 65535, &v) == -1) {
		snprintf(err, errlen, "FRAGENT_SSE_PORT: not a port number");
		goto fail;
	}
	cfg->sse_port = (int)v;
	if (parse_bounded(cfg->values[CONFIG_MAX_BODY], 1024, 64LL << 20, &v) == -1) {
		snprintf(err, errlen, "FRAGENT_MAX_BODY: not a size between 1024 and 67108864");
		goto fail;
	}
	cfg->max_body = (size_t)v;
	return 0;
fail:
	config_clear(cfg);
	return -1;
}

void
config_clear(struct config *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	for (i = 0; i < CONFIG__MAX; i++) {
		free(cfg->values[i]);
		cfg->values[i] = NULL;
	}
}

const char *
config_get(const struct config *cfg, enum config_key key)
{
	return cfg->values[key];
}

/* The settings whose values are secrets or hold one (a URL with a password). */
static const enum config_key config_secrets[] = {
	CONFIG_DATABASE_URL, CONFIG_REDIS_URL, CONFIG_JWT_KEY, CONFIG_MASTER_KEY,
};

void
config_scrub_env(void)
{
	extern char	**environ;
	char		 *found[16];
	const char	 *name;
	size_t		  i, n, k, len;
	char		**e;

	for (i = 0; i < NITEMS(config_secrets); i++) {
		name = config_defs[config_secrets[i]].env;
		len = strlen(name);
		n = 0;
		for (e = environ; e != NULL && *e != NULL && n < 16; e++)
			if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
				found[n++] = *e;
		unsetenv(name);
		/* The strings stay where exec put them (what /proc/<pid>/environ shows). */
		for (k = 0; k < n; k++)
			explicit_bzero(found[k], strlen(found[k]));
	}
}

char *
config_read_secret(const char *path)
{
	FILE	*f;
	char	 tmp[4097];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(tmp, 1, sizeof(tmp), f);
	fclose(f);
	if (n == sizeof(tmp))
		return NULL;
	while (n > 0 && (tmp[n - 1] == '\n' || tmp[n - 1] == '\r'))
		n--;
	tmp[n] = '\0';
	return strdup(tmp);
}
