/* providers.h: the LLM providers an agent may name, as the API, the editor and jobd know
 * them: name, title, the base URL used when an agent gives none, and what a credential for
 * it holds. A provider is one file in jobd/llm/ holding its descriptor (PROVIDER_DEF) and,
 * under #ifdef JOBD_BUILD, its wire format (LLM_PROVIDER_IMPL, jobd/llm/llm.h); Makefile.am's
 * PROVIDER_SRCS lists the files. The API serves the descriptors as GET /providers and
 * accepts exactly their names in an agent's configuration. */
#ifndef FRAGENT_PROVIDERS_H
#define FRAGENT_PROVIDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "desclist.h"

/* One per file of PROVIDER_SRCS (desclist.h): PROVIDER_OPENAI, PROVIDER_ANTHROPIC, … */
enum provider_kind {
#define PROVIDER_ENUM(n, N)	PROVIDER_##N,
	DESC_PROVIDERS(PROVIDER_ENUM)
#undef PROVIDER_ENUM
	PROVIDER__MAX
};

/* A member of a credential (POST /credentials) that the provider uses. */
struct provider_field {
	const char	*name;		/* the credential's member: "secret" */
	const char	*title;
	const char	*description;
	bool		 required;	/* false: a server may need none (a local one) */
};

/* What the API, the editor and jobd know of a provider (GET /providers serialises it). */
struct provider_def {
	/* The file's name; what an agent's configuration.provider holds. */
	const char			*name;
	const char			*title;
	const char			*description;
	/* The base URL when an agent gives none. */
	const char			*default_base_url;
	/* Other names jobd accepts for it (NULL-terminated), or NULL. */
	const char			*const *aliases;
	/* The credential's members it uses; the list ends with a NULL name. */
	const struct provider_field	*credential;
};

#define PROVIDER_DEF_DECL(n, N)	extern const struct provider_def provider_def_##n;
DESC_PROVIDERS(PROVIDER_DEF_DECL)
#undef PROVIDER_DEF_DECL

/* Defines the descriptor of provider "n" (the file's name) with the designated initializers
 * that follow (struct provider_def, without .name). In jobd's build (JOBD_BUILD) it only
 * declares it: libfragent's catalogue holds the one definition. */
#ifdef JOBD_BUILD
#define PROVIDER_DEF(n, ...)	extern const struct provider_def provider_def_##n
#else
#define PROVIDER_DEF(n, ...) \
	const struct provider_def provider_def_##n = { .name = #n, __VA_ARGS__ }
#endif

/* Every provider's descriptor, indexed by enum provider_kind. */
extern const struct provider_def *const provider_defs[PROVIDER__MAX];

/* Looks up a provider by name or alias ("name" may be NULL). Returns 0 with "out" set, or -1
 * when unknown. */
int	provider_lookup(const char *name, enum provider_kind *out);

#endif
