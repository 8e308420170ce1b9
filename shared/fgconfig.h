/* fgconfig.h: runtime configuration read from FRAGENT_* environment variables; the settings
 * themselves are written once, in fgconfig.def. */
#ifndef FRAGENT_FGCONFIG_H
#define FRAGENT_FGCONFIG_H

#include <stddef.h>

/* The settings, in the order of fgconfig.def: CONFIG_<name> for FRAGENT_<name>. */
enum config_key {
#define SETTING(name, readers, def, check, help)	CONFIG_##name,
#include "fgconfig.def"
#undef SETTING
	CONFIG__MAX
};

/* Who reads a setting (fgconfig.def explains each). */
enum config_readers {
	CONFIG_READERS_PROGRAMS,
	CONFIG_READERS_COMPUTED,
	CONFIG_READERS_BOTH,
	CONFIG_READERS_STACK,
	CONFIG_READERS_COMMAND,
	CONFIG_READERS__MAX
};

/* One setting of fgconfig.def: its environment variable, default, check and meaning. */
struct config_def {
	const char		*env;
	const char		*def;
	const char		*check;	/* "int LO HI", "re ERE", "path" or "" */
	const char		*help;
	enum config_readers	 readers;
};

extern const struct config_def config_defs[CONFIG__MAX];

struct config {
	char		*values[CONFIG__MAX];	/* owned; never NULL after config_load */
	long long	 nums[CONFIG__MAX];	/* the value of each "int" setting, else 0 */
	int		 sse_port;
	size_t		 max_body;
};

/* Fills "cfg" from the environment (defaults where unset) for the settings the programs
 * read, and checks each value against its check in fgconfig.def; the settings only
 * ./fragent reads keep their defaults. Returns 0, or -1 with a message in "err" (size
 * "errlen"); on -1 "cfg" holds nothing. */
int		 config_load(struct config *cfg, char *err, size_t errlen);
/* Checks "value" against the check of setting "key". Returns 0 and, for an "int" setting,
 * its number in "*num" (when "num" is not NULL); or -1 with a message naming the setting in
 * "err". */
int		 config_check(enum config_key key, const char *value, long long *num, char *err,
		    size_t errlen);
/* Frees what config_load allocated; NULL-safe. */
void		 config_clear(struct config *cfg);
/* Returns the value of "key" (borrowed from "cfg"). */
const char	*config_get(const struct config *cfg, enum config_key key);
/* Returns the number of "int" setting "key" (0 for any other setting). */
long long	 config_num(const struct config *cfg, enum config_key key);
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
