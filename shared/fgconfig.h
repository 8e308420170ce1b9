/* fgconfig.h: runtime configuration read from FRAGENT_* environment variables. */
#ifndef FRAGENT_FGCONFIG_H
#define FRAGENT_FGCONFIG_H

#include <stddef.h>

enum config_key {
	CONFIG_DATABASE_URL,
	CONFIG_REDIS_URL,
	CONFIG_STATE_DIR,
	CONFIG_MIGRATIONS_DIR,
	CONFIG_SSE_ADDR,
	CONFIG_SSE_PORT,
	CONFIG_LOG_LEVEL,
	CONFIG_MAX_BODY,
	CONFIG_JOBD_CONSUMER,
	CONFIG_JWT_KEY,
	CONFIG_JWT_KEY_FILE,
	CONFIG_MASTER_KEY,
	CONFIG_MASTER_KEY_FILE,
	CONFIG_OPEN_SIGNUP,
	CONFIG_CORS_ORIGINS,
	CONFIG_JOBD_THREADS,
	CONFIG_JOBD_MAX_INFLIGHT,
	CONFIG_JOBD_LEASE_MS,
	CONFIG_JOBD_GRACE_MS,
	CONFIG_JOBD_SWEEP_MS,
	CONFIG_JOBD_MAX_ABANDONS,
	CONFIG_HTTP_ALLOWLIST,
	CONFIG_MODEL_ALLOWLIST,
	CONFIG_SANDBOX_BIN,
	CONFIG_SANDBOX_MEMORY_MB,
	CONFIG_SANDBOX_LIMIT_MS,
	CONFIG_SANDBOX_HELPERS,
	CONFIG__MAX
};

/* One documented setting: its environment variable, default and meaning. */
struct config_def {
	const char	*env;
	const char	*def;
	const char	*help;
};

extern const struct config_def config_defs[CONFIG__MAX];

struct config {
	char	*values[CONFIG__MAX];	/* owned; never NULL after config_load */
	int	 sse_port;
	size_t	 max_body;
};

/* Fills "cfg" from the environment (defaults where unset) and checks numeric values.
 * Returns 0, or -1 with a message in "err" (size "errlen"); on -1 "cfg" holds nothing. */
int		 config_load(struct config *cfg, char *err, size_t errlen);
/* Frees what config_load allocated; NULL-safe. */
void		 config_clear(struct config *cfg);
/* Returns the value of "key" (borrowed from "cfg"). */
const char	*config_get(const struct config *cfg, enum config_key key);
/* Removes every secret setting (the database and Redis URLs, the JWT and master keys) from
 * the process environment and wipes
 * its bytes where they were, so that neither /proc/<pid>/environ nor a child process sees
 * them; "cfg" keeps its copies. Call it once the configuration is read and before threads
 * start (the environment is not thread-safe). */
void		 config_scrub_env(void);
/* Reads a whole secret file (trailing newline removed) into a heap string the caller frees.
 * Returns NULL when unreadable or larger than 4 KiB. */
char		*config_read_secret(const char *path);

#endif
