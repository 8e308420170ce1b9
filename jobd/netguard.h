/* netguard.h: the SSRF guard (jobd/ssrf.h) attached to one curl transfer: http and https
 * only (redirects too), no proxy, and the destination judged for every connection the
 * transfer opens (before connecting) and every connection it uses, reused ones and each
 * redirect's included (before the request is sent). */
#ifndef FRAGENT_NETGUARD_H
#define FRAGENT_NETGUARD_H

#include <stddef.h>

#include <curl/curl.h>

#include "ssrf.h"

/* The guard of one transfer; lives as long as the transfer (e.g. in its owner's struct). */
struct netguard {
	const struct ssrf_allow	*allow;		/* borrowed; NULL: nothing allow-listed */
	enum ssrf_use		 use;
	int			 blocked;	/* the guard refused a destination: "why" */
	char			 why[160];
};

/* Sets guard "g" (with its "allow" and "use" filled in) on transfer "e" with the options
 * above; "g" must outlive the transfer. Returns 0, or -1 when curl refused an option. */
int	netguard_attach(CURL *e, struct netguard *g);
/* The user-facing message of a refused transfer into "out": names the address, why it was
 * refused and the setting that could admit it. */
void	netguard_message(const struct netguard *g, char *out, size_t outlen);

#endif
