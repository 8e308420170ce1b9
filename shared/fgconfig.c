/* fgconfig.c: runtime configuration from FRAGENT_* environment variables, read and checked
 * as fgconfig.def describes each setting. */
#include "config.h"

#include <assert.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgconfig.h"
#include "nitems.h"
#include "xalloc.h"

const struct config_def config_defs[CONFIG__MAX] = {
#define SETTING(name, readers, def, check, help) \
	[CONFIG_##name] = { "FRAGENT_" #name, def, check, help, CONFIG_READERS_##readers },
#include "fgconfig.def"
#undef SETTING
};

/* The shape of an "int" value, the same as ./fragent's: no sign but a minus, no leading zero,
 * at most 18 digits (so that it never overflows). Returns 0 or -1. */
static int
config_int_shape(const char *s)
{
	size_t	 n;
	int	 neg = *s == '-';

	s += neg;
	n = strspn(s, "0123456789");
	if (n == 0 || n > 18 || s[n] != '\0')
		return -1;
	return s[0] == '0' && (n > 1 || neg) ? -1 : 0;
}

/* Checks "value" against "int LO HI" (the text after "int "). */
static int
config_check_int(const struct config_def *d, const char *bounds, const char *value,
    long long *num, char *err, size_t errlen)
{
	long long	 lo, hi, v;

	if (sscanf(bounds, "%lld %lld", &lo, &hi) != 2) {
		snprintf(err, errlen, "%s: unreadable check \"%s\"", d->env, d->check);
		return -1;
	}
	if (config_int_shape(value) == -1 || (v = strtoll(value, NULL, 10)) < lo || v > hi) {
		snprintf(err, errlen, "%s: not a whole number from %lld to %lld: %s", d->env, lo,
		    hi, value);
		return -1;
	}
	if (num != NULL)
		*num = v;
	return 0;
}

/* Checks "value" against "re ERE" (the text after "re "). */
static int
config_check_re(const struct config_def *d, const char *ere, const char *value, char *err,
    size_t errlen)
{
	regex_t	 re;
	int	 rc;

	if (regcomp(&re, ere, REG_EXTENDED | REG_NOSUB) != 0) {
		snprintf(err, errlen, "%s: unreadable check \"%s\"", d->env, d->check);
		return -1;
	}
	rc = regexec(&re, value, 0, NULL, 0);
	regfree(&re);
	if (rc != 0) {
		snprintf(err, errlen, "%s: does not match %s: %s", d->env, ere, value);
		return -1;
	}
	return 0;
}

int
config_check(enum config_key key, const char *value, long long *num, char *err,
    size_t errlen)
{
	const struct config_def	*d;

	assert(key < CONFIG__MAX);
	d = &config_defs[key];
	if (num != NULL)
		*num = 0;
	if (strncmp(d->check, "int ", 4) == 0)
		return config_check_int(d, d->check + 4, value, num, err, errlen);
	if (strncmp(d->check, "re ", 3) == 0)
		return config_check_re(d, d->check + 3, value, err, errlen);
	if (strcmp(d->check, "path") == 0 || d->check[0] == '\0')
		return 0;
	snprintf(err, errlen, "%s: unknown check \"%s\"", d->env, d->check);
	return -1;
}

/* True when the programs read setting "key" (the others are ./fragent's own). */
static int
config_programs_read(enum config_key key)
{
	switch (config_defs[key].readers) {
	case CONFIG_READERS_PROGRAMS:
	case CONFIG_READERS_COMPUTED:
	case CONFIG_READERS_BOTH:
		return 1;
	default:
		return 0;
	}
}

/* The default of setting "key" as the programs use it (a heap string): the table's, with a
 * leading @pkgdatadir@ replaced by the data folder of the installation (fgconfig.def). */
static char *
config_default(enum config_key key)
{
	static const char	 marker[] = "@pkgdatadir@";
	const char		*def = config_defs[key].def;
	char			*s;
	size_t			 n;

	if (strncmp(def, marker, sizeof(marker) - 1) != 0)
		return xstrdup(def);
	def += sizeof(marker) - 1;
	n = strlen(FG_PKGDATADIR) + strlen(def) + 1;
	s = xmalloc(n);
	snprintf(s, n, "%s%s", FG_PKGDATADIR, def);
	return s;
}

int
config_load(struct config *cfg, char *err, size_t errlen)
{
	const char	*s;
	size_t		 i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < CONFIG__MAX; i++) {
		s = NULL;
		if (config_programs_read((enum config_key)i))
			s = getenv(config_defs[i].env);
		if (s == NULL) {
			cfg->values[i] = config_default((enum config_key)i);
			s = cfg->values[i];
		}
		if (config_check((enum config_key)i, s, &cfg->nums[i], err, errlen) == -1)
			goto fail;
		if (cfg->values[i] == NULL)
			cfg->values[i] = xstrdup(s);
	}
	cfg->sse_port = (int)cfg->nums[CONFIG_SSE_PORT];
	cfg->max_body = (size_t)cfg->nums[CONFIG_MAX_BODY];
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

long long
config_num(const struct config *cfg, enum config_key key)
{
	return cfg->nums[key];
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
