/* providers.c: the table of LLM providers (see providers.h) and lookup by name or alias. Each
 * provider's descriptor lives in its file of jobd/llm/; the rows come from Makefile.am's
 * PROVIDER_SRCS (desclist.h), so adding a provider never touches this file. */
#include "config.h"

#include <string.h>

#include "providers.h"

const struct provider_def *const provider_defs[PROVIDER__MAX] = {
#define PROVIDER_DEF_ROW(n, N)	[PROVIDER_##N] = &provider_def_##n,
	DESC_PROVIDERS(PROVIDER_DEF_ROW)
#undef PROVIDER_DEF_ROW
};

/* True when provider "p" is called "name" or has it as an alias. */
static bool
provider_named(const struct provider_def *p, const char *name)
{
	const char *const	*a;

	if (strcmp(p->name, name) == 0)
		return true;
	for (a = p->aliases; a != NULL && *a != NULL; a++)
		if (strcmp(*a, name) == 0)
			return true;
	return false;
}

int
provider_lookup(const char *name, enum provider_kind *out)
{
	size_t	 i;

	for (i = 0; name != NULL && i < PROVIDER__MAX; i++)
		if (provider_named(provider_defs[i], name)) {
			*out = (enum provider_kind)i;
			return 0;
		}
	return -1;
}
